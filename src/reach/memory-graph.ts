// The reach graph held in memory (docs/blast-radius.md "Reach summaries"): the steps of the `paths` view composed once
// from rows read set-wise (src/reach/compose-steps.ts), and served to the walks of src/reach/walk.ts forwards and backwards with no query of their own — shared by
// the reach summaries (every connector) and the cross-provider escalation paths (every trust). What it holds: every
// step of the view but OWNS (walks start at connectors and credentials) and HAS_SCOPE to scopes graded below high.
//
// CONTROLS is composed here, by the view's rule (migration 023): a connector or credential with CAN_ACCESS to a
// repository — directly, or to the tenant the repository is IN_TENANT of — controls it when it holds a write-class
// scope on the repository's provider (critical first, then by name); the scope names the step. Tenant-wide steps are
// made when the holder is walked (or, backwards, when the repository is), never all held: an installation on every
// repository of a large organisation would otherwise be one step per repository.
import type { Db } from '../graph/db.ts';
import { highScopeEdgeRows, highScopeRows, mintSteps, reachEdgeRows, reachNodeRows, type HighScopeRow, type NodeRef, type PathStep } from '../graph/paths-queries.ts';
import type { Severity } from '../catalogue/index.ts';
import { composeReachSteps } from './compose-steps.ts';
import { gradeAndLevel } from './levels.ts';
import type { Hop, StepSource } from './walk.ts';
import { pushTo } from '../util/collections.ts';

/** A scope that gives CONTROLS of its provider's repositories (the view's rule, migration 023), by holder. */
export interface WriteScope { holder_id: string; scope: string; provider: string; risk: string }

export interface ControlFacts {
  /** By holder, its write-class scope on each provider (critical first, then by name). */
  writeScopes: ReadonlyMap<string, readonly WriteScope[]>;
  /** CAN_ACCESS links of connectors and credentials to tenants. */
  tenantAccess: Array<{ holder_id: string; holder_name: string | null; holder_kind: string; tenant_id: string }>;
  /** The repositories of each tenant. */
  tenantRepositories: Map<string, NodeRef[]>;
  /** Every live repository (id -> provider). */
  repositories: ReadonlyMap<string, string>;
}

/** The HAS_SCOPE steps to high-graded scopes, held by holder as scope ids; a holder's steps made when asked for. */
export interface ScopeHoldings {
  holders(): Iterable<string>;
  ids(holder: string): readonly string[];
  scope(id: string): HighScopeRow | undefined;
  steps(holder: string): PathStep[];
}

/** One tenant whose repositories a holder controls; holders with the same `key` control them through the same scopes. */
export interface TenantControl { key: string; tenant: string; steps(): Hop[] }

/**
 * A step source in memory that also gives the scopes a node holds on their own (ends: no walk goes past a scope), and
 * `plain`: the steps without the tenant-wide CONTROLS, which `tenantControlsOf` gives by tenant instead — so the
 * summaries compose what controlling a whole tenant reaches once per tenant and scope, not once per holder — and
 * without the HAS_SCOPE steps of the holdings (the summaries read them as ids).
 */
export interface MemoryReach extends StepSource {
  /** The ids of the high-graded scopes a node holds (its HAS_SCOPE steps' ends), and what each scope is. */
  scopeIdsOf(id: string): readonly string[];
  scopeOf(id: string): { name: string | null; risk: Severity } | undefined;
  plain: StepSource;
  tenantControlsOf(holder: string): TenantControl[];
  /** Whether a node has no step out at all (no stored step, no tenant-wide control): a dead end. */
  deadEnd(id: string): boolean;
}

/** The whole graph's reach steps, read once; with the live connectors (in id order) and repositories (id -> provider). */
export function loadReachGraph(db: Db): MemoryReach & { connectors: NodeRef[]; repositories: ReadonlyMap<string, string> } {
  const { steps, holdings, facts, connectors } = composeReachSteps({ nodes: reachNodeRows(db), edges: reachEdgeRows(db), scopes: highScopeRows(db),
    scopeEdges: highScopeEdgeRows(db), mints: mintSteps(db) });
  return { ...memoryStepSource(steps, facts, holdings), connectors, repositories: facts.repositories };
}

/** A step graded once (level and the catalogue's grade of its end), not per walk; the step becomes the hop. */
const graded = (s: PathStep): Hop => { const g = gradeAndLevel(s); const h = s as Hop; h.level = g.level; h.grade = g.grade; return h; };
const NONE: never[] = [];

/**
 * A step source over `steps` held in memory; with `facts`, CONTROLS steps composed by the view's rule; with
 * `holdings`, the HAS_SCOPE steps they hold, made per holder when a walk asks for them.
 */
export function memoryStepSource(steps: Iterable<PathStep>, facts?: ControlFacts, holdings?: ScopeHoldings): MemoryReach {
  const writeScope = (holder: string, provider: string): WriteScope | undefined => facts?.writeScopes.get(holder)?.find((w) => w.provider === provider);
  const controls = (holder: { id: string; name: string | null; kind: string }, repo: NodeRef): Hop | null => {
    const w = writeScope(holder.id, repo.provider);
    return w ? graded({ from_id: holder.id, from_name: holder.name, from_kind: holder.kind, step: 'CONTROLS', to_id: repo.id, to_name: repo.name,
      to_kind: repo.kind, access: `write: ${w.scope}`, provider: repo.provider, props: { scope: w.scope, risk: w.risk } }) : null;
  };
  const out = new Map<string, Hop[]>();
  const scopeIds = new Map<string, string[]>(); // of HAS_SCOPE steps given in `steps` (the holdings keep their own)
  const scopeInfo = new Map<string, { name: string | null; risk: Severity }>();
  for (const step of steps) {
    const s = graded(step);
    pushTo(out, s.from_id, s);
    if (s.step === 'HAS_SCOPE' && s.grade) { pushTo(scopeIds, s.from_id, s.to_id); scopeInfo.set(s.to_id, { name: s.to_name, risk: s.grade }); }
    if (s.step === 'CAN_ACCESS' && facts?.repositories.has(s.to_id) && (s.from_kind === 'connector' || s.from_kind === 'credential')) {
      const c = controls({ id: s.from_id, name: s.from_name, kind: s.from_kind }, { id: s.to_id, name: s.to_name, kind: s.to_kind, provider: s.provider });
      if (c) pushTo(out, c.from_id, c);
    }
  }
  // tenant-wide CONTROLS, made on demand: forwards by holder, backwards by repository
  const viaTenant = new Map<string, ControlFacts['tenantAccess']>();
  const holdersOf = new Map<string, ControlFacts['tenantAccess']>();
  for (const a of facts?.tenantAccess ?? []) {
    if (!facts!.tenantRepositories.has(a.tenant_id)) continue; // a tenant without repositories: nothing to control
    pushTo(viaTenant, a.holder_id, a); pushTo(holdersOf, a.tenant_id, a);
  }
  const controlsOf = (holder: string): Hop[] => (viaTenant.get(holder) ?? []).flatMap((a) => (facts!.tenantRepositories.get(a.tenant_id) ?? [])
    .map((r) => controls({ id: holder, name: a.holder_name, kind: a.holder_kind }, r)).filter((h): h is Hop => h !== null));
  let tenantsOf: Map<string, Array<{ tenant: string; repo: NodeRef }>> | null = null;
  const controllersOf = (repo: string): Hop[] => {
    if (!tenantsOf) {
      tenantsOf = new Map();
      for (const [tenant, repos] of facts?.tenantRepositories ?? []) for (const r of repos) pushTo(tenantsOf, r.id, { tenant, repo: r });
    }
    return (tenantsOf.get(repo) ?? []).flatMap(({ tenant, repo: r }) => (holdersOf.get(tenant) ?? [])
      .map((a) => controls({ id: a.holder_id, name: a.holder_name, kind: a.holder_kind }, r)).filter((h): h is Hop => h !== null));
  };
  let into: Map<string, Hop[]> | null = null;
  let scopeHolders: Map<string, string[]> | null = null; // scope -> the holders of it (holdings only)
  const providersOf = new Map<string, string[]>(); // tenant -> the providers of its repositories
  for (const [tenant, repos] of facts?.tenantRepositories ?? []) providersOf.set(tenant, [...new Set(repos.map((r) => r.provider))].sort());
  const scopeSteps = (id: string): Hop[] => (holdings && holdings.ids(id).length ? holdings.steps(id).map(graded) : NONE);
  const fromOne = (id: string): Hop[] => {
    const own = out.get(id) ?? NONE;
    const wide = viaTenant.has(id) ? controlsOf(id) : NONE;
    const held = scopeSteps(id);
    return wide.length || held.length ? [...own, ...wide, ...held] : own;
  };
  return {
    scopeIdsOf: (id) => (holdings ? holdings.ids(id) : scopeIds.get(id) ?? NONE),
    scopeOf: (id) => (holdings ? holdings.scope(id) : scopeInfo.get(id)),
    plain: { from: (ids) => (ids.length === 1 ? out.get(ids[0]!) ?? [] : ids.flatMap((id) => out.get(id) ?? [])), into: () => { throw new Error('plain: forwards only'); } },
    deadEnd: (id) => !out.has(id) && !viaTenant.has(id),
    tenantControlsOf: (holder) => (!viaTenant.has(holder) ? NONE : viaTenant.get(holder)!.map((a) => ({
      key: `${a.tenant_id}\u0000${(providersOf.get(a.tenant_id) ?? []).map((p) => { const w = writeScope(holder, p); return w ? `${w.scope}\u0000${w.risk}` : ''; }).join('\u0001')}`,
      tenant: a.tenant_id,
      steps: () => (facts!.tenantRepositories.get(a.tenant_id) ?? []).map((r) => controls({ id: holder, name: a.holder_name, kind: a.holder_kind }, r)).filter((h): h is Hop => h !== null),
    }))),
    from: (ids) => (ids.length === 1 ? fromOne(ids[0]!) : ids.flatMap(fromOne)),
    into: (ids) => {
      if (!into) { into = new Map(); for (const l of out.values()) for (const s of l) pushTo(into, s.to_id, s); }
      // into a scope: its holders' steps, the holders found once (walks backwards from a scope are rare)
      if (holdings && !scopeHolders && ids.some((id) => holdings.scope(id))) {
        scopeHolders = new Map();
        for (const h of holdings.holders()) for (const id of new Set(holdings.ids(h))) pushTo(scopeHolders, id, h);
      }
      const intoScope = (id: string) => (scopeHolders?.get(id) ?? NONE).flatMap((h) => scopeSteps(h).filter((s) => s.to_id === id));
      return ids.flatMap((id) => [...(into!.get(id) ?? []), ...controllersOf(id), ...intoScope(id)]);
    },
  };
}
