// Reach summaries (docs/blast-radius.md "Reach summaries"): what every connector reaches — repositories, resources
// with roles (subscriptions, projects), high-graded scopes (mailboxes, drives, directories), trusts crossed — in one
// pass: the steps are read once, set-wise, into memory (only the identity-to-identity steps and the ends worth
// summarising), then each connector's walk runs over that memory (src/reach/walk.ts, same rules as `paths`) with
// no query of its own. Computed after a reconciliation whose crawl runs differ from the last computation's, and
// stored with those runs (reach_computations), so the report reads them as of its reconciliation (reachSummaries).
import { severityRank, worse, type Severity } from '../catalogue/index.ts';
import type { Db } from '../graph/db.ts';
import { latestReachComputation, liveConnectors, repositoryIds, summarySteps, tenantAccess, tenantRepositories, writeReachComputation, type NodeRef, type PathStep, type ReachSummaryRow } from '../graph/paths-queries.ts';
import { endGrade, rolesOf, stepLevel } from './levels.ts';
import { beats, reachFrom, type Hop, type ReachPath, type StepSource } from './walk.ts';

export const DEFAULT_DEPTH = 6;
const REPOSITORY_NAMES = 50;

/**
 * The steps of the whole graph the summaries walk, held in memory by source node. `tenantControls` adds CONTROLS
 * steps of a holder to every repository of a tenant it can access, made when the holder is walked (never held): the
 * view's rule — a write-class scope (graded high or critical, critical first, then by name) on the repository's
 * provider — read from the holder's HAS_SCOPE steps.
 */
export function memoryStepSource(steps: Iterable<PathStep>, tenantControls?: { access: ReturnType<typeof tenantAccess>; repositories: Map<string, NodeRef[]> }): StepSource {
  const out = new Map<string, Hop[]>();
  const writeScopes = new Map<string, Hop[]>(); // holder -> its HAS_SCOPE hops graded high or critical
  for (const step of steps) {
    const s: Hop = { ...step, level: stepLevel(step) }; // graded once, not per walk
    const l = out.get(s.from_id); if (l) l.push(s); else out.set(s.from_id, [s]);
    if (s.step === 'HAS_SCOPE' && (s.access === 'critical' || s.access === 'high')) {
      const w = writeScopes.get(s.from_id); if (w) w.push(s); else writeScopes.set(s.from_id, [s]);
    }
  }
  const viaTenant = new Map<string, ReturnType<typeof tenantAccess>>();
  for (const a of tenantControls?.access ?? []) { const l = viaTenant.get(a.holder_id); if (l) l.push(a); else viaTenant.set(a.holder_id, [a]); }
  const controlsOf = (holder: string): Hop[] => {
    const hops: Hop[] = [];
    const bestOn = new Map<string, Hop | undefined>(); // provider -> the holder's write-class scope there
    const bestScope = (provider: string) => {
      if (!bestOn.has(provider)) {
        bestOn.set(provider, (writeScopes.get(holder) ?? []).filter((s) => s.provider === provider)
          .sort((x, y) => (x.access === y.access ? String(x.to_name).localeCompare(String(y.to_name)) : x.access === 'critical' ? -1 : 1))[0]);
      }
      return bestOn.get(provider);
    };
    for (const a of viaTenant.get(holder) ?? []) {
      for (const r of tenantControls!.repositories.get(a.tenant_id) ?? []) {
        const best = bestScope(r.provider);
        if (!best) continue;
        const step: PathStep = { from_id: holder, from_name: a.holder_name, from_kind: a.holder_kind, step: 'CONTROLS', to_id: r.id, to_name: r.name,
          to_kind: r.kind, access: `write: ${best.to_name}`, provider: r.provider, props: { scope: best.to_name, risk: best.access } };
        hops.push({ ...step, level: stepLevel(step) });
      }
    }
    return hops;
  };
  return {
    from: (ids) => ids.flatMap((id) => (viaTenant.has(id) ? [...(out.get(id) ?? []), ...controlsOf(id)] : out.get(id) ?? [])),
    into: () => { throw new Error('the summaries walk forwards only'); },
  };
}

/** One reached node as a summary needs it: how far, how (its last hop), controlled, through a trust. */
interface Reached { id: string; name: string | null; kind: string; hops: number; controlled: boolean; viaTrust: boolean; last: Hop }

const reachedOf = (p: ReachPath): Reached => ({ id: p.target.id, name: p.target.name, kind: p.target.kind, hops: p.hops.length,
  controlled: p.controlled, viaTrust: p.hops.some((h) => h.step === 'TRUSTED_BY'), last: p.hops.at(-1)! });

/**
 * Every connector's summary (connectors that reach nothing are left out), computed over one read of the steps. What
 * lies beyond a controlled repository is walked once per repository and remaining depth and composed into every
 * connector that controls it (an installation on all repositories would otherwise walk every trust again).
 */
export function* computeReachSummaries(db: Db, opts: { depth?: number } = {}): Generator<ReachSummaryRow> {
  const src = memoryStepSource(summarySteps(db), { access: tenantAccess(db), repositories: tenantRepositories(db) });
  const depth = opts.depth ?? DEFAULT_DEPTH;
  const repositories = repositoryIds(db);
  const beyond = new Map<string, Reached[]>(); // `${repository id}\u0000${remaining depth}` -> what controlling it reaches
  const stop = (n: NodeRef, controlled: boolean) => controlled && n.kind === 'resource';
  const fragment = (repo: NodeRef, remaining: number): Reached[] => {
    const key = `${repo.id}\u0000${remaining}`;
    let f = beyond.get(key);
    if (!f) { f = remaining > 0 ? reachFrom(src, [repo], { depth: remaining }).map(reachedOf) : []; beyond.set(key, f); }
    return f;
  };
  for (const c of liveConnectors(db)) {
    const own = reachFrom(src, [c], { depth, stop });
    if (!own.length) continue;
    const reached = new Map<string, Reached>();
    const add = (r: Reached) => { const had = reached.get(r.id); if (!had || better(r, had)) reached.set(r.id, r); };
    for (const p of own) {
      const r = reachedOf(p);
      add(r);
      if (!stop(p.target, p.controlled)) continue;
      for (const f of fragment(p.target, depth - r.hops)) if (f.id !== c.id) add({ ...f, hops: f.hops + r.hops, viaTrust: f.viaTrust || r.viaTrust });
    }
    yield summaryOf(c, [...reached.values()], repositories);
  }
}

/** A node reached two ways keeps the controlled way, then the shorter, then the worse graded end, then the hop that beats. */
function better(a: Reached, b: Reached): boolean {
  if (a.controlled !== b.controlled) return a.controlled;
  if (a.hops !== b.hops) return a.hops < b.hops;
  const [ga, gb] = [endGrade(a.last), endGrade(b.last)].map((g) => (g ? severityRank(g) : Infinity));
  if (ga !== gb) return ga! < gb!;
  return beats(a.last, b.last);
}

function summaryOf(c: NodeRef, reached: Reached[], repositories: ReadonlySet<string>): ReachSummaryRow {
  const repos: Array<{ id: string; name: string | null; access: string }> = [];
  const resources: Array<Record<string, unknown>> = [];
  const scopes = new Set<string>();
  let max: Severity | null = null;
  let trusts = 0;
  for (const r of reached) {
    const grade = endGrade(r.last);
    if (grade) max = max ? worse(max, grade) : grade;
    if (repositories.has(r.id)) repos.push({ id: r.id, name: r.name, access: r.controlled ? 'write' : 'read' });
    if (r.last.step === 'CAN_ACCESS' && rolesOf(r.last).length) {
      resources.push({ id: r.id, name: r.name, type: r.kind, provider: r.last.provider, roles: rolesOf(r.last), grade, hops: r.hops, via_trust: r.viaTrust });
    }
    if (r.last.step === 'HAS_SCOPE' && r.name) scopes.add(r.name);
    if (r.last.step === 'TRUSTED_BY') trusts++;
  }
  repos.sort((a, b) => (a.access === b.access ? a.id.localeCompare(b.id) : a.access === 'write' ? -1 : 1));
  resources.sort((a, b) => String(a.id).localeCompare(String(b.id)));
  return {
    connector_id: c.id, connector_name: c.name, provider: c.provider, repositories: repos.length,
    repository_names: JSON.stringify(repos.slice(0, REPOSITORY_NAMES)), resources_with_roles: JSON.stringify(resources),
    scopes: JSON.stringify([...scopes].sort()), privileged: max && severityRank(max) <= severityRank('high') ? 1 : 0,
    max_privilege: max, trusts, paths: reached.length,
  };
}

/**
 * After reconciliation `reconId`: computes and stores every connector's reach summary, unless the last computation
 * was made from the same crawl runs (the graph it read is the same). Returns the computation's id, or null when kept.
 */
export function refreshReachSummaries(db: Db, recon: { reconId: number; crawlRuns: Record<string, { run: number; runs?: number[] }> }): number | null {
  const runs = JSON.stringify(Object.fromEntries(Object.entries(recon.crawlRuns).sort(([a], [b]) => a.localeCompare(b))
    .map(([p, r]) => [p, r.runs ?? [r.run]])));
  if (latestReachComputation(db)?.crawl_runs === runs) return null;
  const t0 = Date.now();
  const rows = [...computeReachSummaries(db)];
  return writeReachComputation(db, { recon_id: recon.reconId, computed_at: new Date().toISOString(), crawl_runs: runs, duration_ms: Date.now() - t0 }, rows);
}
