// The `paths` view's steps composed in memory (src/reach/memory-graph.ts) from rows read once: the live nodes (a map),
// one scan of the edges the steps are made of, the high-graded scopes and their HAS_SCOPE edges (held by holder, as
// ids), and the view's MINTS.
// Branch by branch the rules of migrations 022/023 — HAS_CREDENTIAL, CREDENTIAL_OF with the same-application step,
// CAN_ACCESS with its access text, TRUSTED_BY with the acting step, HAS_SCOPE to scopes graded high or critical — and
// the facts CONTROLS is composed from. The view stays the definition: test/reach/memory-graph.test.ts checks every
// node's steps, forwards and backwards, against it on both backends. About three times faster than one query per
// branch: the joins to nodes are map look-ups, and each edge is read once.
import type { HighScopeRow, NodeRef, PathStep, ReachEdgeRow, ReachNodeRow } from '../graph/paths-queries.ts';
import { parseProps } from '../graph/paths-queries.ts';
import type { ControlFacts, ScopeHoldings, WriteScope } from './memory-graph.ts';
import { compareText, pushTo } from '../util/collections.ts';

export interface ReachRows {
  nodes: Iterable<ReachNodeRow>;
  edges: Iterable<ReachEdgeRow>;
  scopes: HighScopeRow[];
  scopeEdges: Iterable<ReachEdgeRow>;
  mints: Iterable<PathStep>;
}

type Node = ReachNodeRow;
const NONE: never[] = [];
const ref = (n: Node): NodeRef => ({ id: n.id, name: n.name, kind: n.kind, provider: n.provider });
const step = (from: Node | { id: string; name: string | null; kind: string }, name: string, to: { id: string; name: string | null; kind: string }, access: string,
  provider: string, props: Record<string, unknown>): PathStep => ({ from_id: from.id, from_name: from.name, from_kind: from.kind, step: name, to_id: to.id,
  to_name: to.name, to_kind: to.kind, access, provider, props, level: 0, grade: null } as PathStep); // the hop's shape from the start (graded in memory-graph.ts)

/** The write-class scope CONTROLS names on a provider: critical first, then by name. */
const byScope = (x: WriteScope, y: WriteScope) => (x.risk !== y.risk ? (x.risk === 'critical' ? -1 : 1) : compareText(x.scope, y.scope));

/** Keeps `w` as its holder's write-class scope on its provider unless a better one is kept already. */
function keepBest(best: Map<string, WriteScope[]>, w: WriteScope): void {
  const list = best.get(w.holder_id);
  if (!list) { best.set(w.holder_id, [w]); return; }
  const i = list.findIndex((x) => x.provider === w.provider);
  if (i < 0) list.push(w);
  else if (byScope(w, list[i]!) < 0) list[i] = w;
}

/** A CAN_ACCESS edge's access in words, as the view writes it: its roles, else its access, else which repositories. */
function accessText(p: Record<string, unknown>): string {
  const roles = Array.isArray(p.roles) ? p.roles.filter((r) => r !== null && r !== undefined).map((r) => (typeof r === 'string' ? r : JSON.stringify(r))) : [];
  if (roles.length) return roles.join(', ');
  if (p.access !== undefined && p.access !== null) return typeof p.access === 'string' ? p.access : JSON.stringify(p.access);
  if (p.repositories !== undefined && p.repositories !== null) return `repositories: ${typeof p.repositories === 'string' ? p.repositories : JSON.stringify(p.repositories)}`;
  return 'access';
}

/**
 * The steps the memory graph holds (every branch but OWNS, CONTROLS and HAS_SCOPE), the scopes each node holds (the
 * HAS_SCOPE steps, made on demand), the CONTROLS facts, and the live connectors.
 */
export function composeReachSteps(rows: ReachRows): { steps: PathStep[]; holdings: ScopeHoldings; facts: ControlFacts; connectors: NodeRef[] } {
  const nodes = new Map<string, Node>();
  const byApp = new Map<string, Node[]>(); // `${provider}\0${tenant}\0${app_id}` -> its connectors
  const appKey = (n: Node) => `${n.provider}\u0000${n.tenant ?? ''}\u0000${n.app_id}`;
  for (const n of rows.nodes) {
    nodes.set(n.id, n);
    if (n.kind === 'connector' && n.app_id !== null) pushTo(byApp, appKey(n), n);
  }
  const steps: PathStep[] = [];
  const tenantsOf = new Map<string, string[]>(); // IN_TENANT: member -> tenants
  const membersOf = new Map<string, string[]>(); // IN_TENANT: tenant -> members
  const trusts = new Map<string, Record<string, unknown>>(); // `${credential}\0${endpoint}` -> the TRUSTS edge's props
  const acting: Array<{ e: ReachEdgeRow; props: Record<string, unknown> }> = [];
  const tenantAccess: ControlFacts['tenantAccess'] = [];
  for (const e of rows.edges) {
    if (e.type === 'IN_TENANT') { pushTo(tenantsOf, e.src, e.dst); pushTo(membersOf, e.dst, e.src); continue; }
    const a = nodes.get(e.src);
    const b = nodes.get(e.dst);
    if (e.type === 'TRUSTS') {
      const props = parseProps(e.props);
      trusts.set(`${e.src}\u0000${e.dst}`, props);
      if (a && b) steps.push(step(b, 'TRUSTED_BY', a, `${typeof props.via === 'string' ? props.via : 'trust'} (${b.breadth ?? 'direct'})`, a.provider, { ...props, breadth: b.breadth ?? 'direct' }));
      continue;
    }
    if (e.type === 'CAN_ACCESS') {
      const props = parseProps(e.props);
      if (Array.isArray(props.acts_as_connectors_for)) acting.push({ e, props });
      if (!a || !b) continue;
      steps.push(step(a, 'CAN_ACCESS', b, accessText(props), b.provider, props));
      if (b.kind === 'tenant' && (a.kind === 'connector' || a.kind === 'credential')) tenantAccess.push({ holder_id: a.id, holder_name: a.name, holder_kind: a.kind, tenant_id: b.id });
      continue;
    }
    // HAS_CREDENTIAL: the holder to its credential, the credential back to a connector holding it, and to that connector's application
    if (!a || !b || b.kind !== 'credential') continue;
    const props = parseProps(e.props);
    steps.push(step(a, 'HAS_CREDENTIAL', b, 'holder', b.provider, props));
    if (a.kind !== 'connector') continue;
    steps.push(step(b, 'CREDENTIAL_OF', a, 'holder', a.provider, props));
    if (a.app_id === null) continue;
    for (const s of byApp.get(appKey(a)) ?? []) {
      if (s.id !== a.id) steps.push(step(b, 'CREDENTIAL_OF', s, 'holder (same application)', s.provider, { ...props, via: 'same-app', application: a.name ?? a.id }));
    }
  }
  // the acting step: a credential's trusted workloads act as the connectors of the tenant its access names them for
  for (const { e, props } of acting) {
    const cr = nodes.get(e.src);
    const rn = nodes.get(e.dst);
    if (cr?.kind !== 'credential' || rn?.kind !== 'resource') continue;
    const roles = Array.isArray(props.roles) ? props.roles : [];
    for (const endpoint of props.acts_as_connectors_for as unknown[]) {
      const w = typeof endpoint === 'string' ? nodes.get(endpoint) : undefined;
      const trust = w?.kind === 'endpoint' ? trusts.get(`${cr.id}\u0000${w.id}`) : undefined;
      if (!w || !trust) continue;
      const breadth = w.breadth ?? 'direct';
      for (const tenant of tenantsOf.get(rn.id) ?? []) {
        for (const id of membersOf.get(tenant) ?? []) {
          const c = nodes.get(id);
          if (c?.kind !== 'connector') continue;
          steps.push(step(w, 'TRUSTED_BY', c, `acts as ${roles.length ? roles.map(String).join(', ') : 'access'} on ${rn.name ?? rn.id} (${breadth})`, c.provider,
            { via: 'acts_as', credential: cr.id, resource: rn.id, roles, breadth, ...(trust.enabled !== undefined ? { enabled: trust.enabled } : {}) }));
        }
      }
    }
  }
  // HAS_SCOPE to scopes graded high or critical, held compactly by holder (a step each only when asked for: most
  // holders' scopes are read as ids by the summaries); the write-class ones are CONTROLS' facts
  const scopes = new Map(rows.scopes.map((s) => [s.id, s]));
  const writeScopes = new Map<string, WriteScope[]>(); // holder -> its best write-class scope on each provider
  const held = new Map<string, { ids: string[]; props: unknown[] }>(); // holder -> its scopes' ids, and each edge's props
  for (const e of rows.scopeEdges) {
    const a = nodes.get(e.src);
    const s = scopes.get(e.dst);
    if (!a || !s) continue;
    const h = held.get(a.id) ?? held.set(a.id, { ids: [], props: [] }).get(a.id)!;
    h.ids.push(s.id); h.props.push(e.props);
    if ((a.kind === 'connector' || a.kind === 'credential') && s.name !== null && (s.controls_workloads ?? 1) === 1) {
      keepBest(writeScopes, { holder_id: a.id, scope: s.name, provider: s.provider, risk: s.risk });
    }
  }
  const holdings: ScopeHoldings = {
    holders: () => held.keys(),
    ids: (holder) => held.get(holder)?.ids ?? NONE,
    scope: (id) => scopes.get(id),
    steps: (holder) => {
      const a = nodes.get(holder);
      const h = held.get(holder);
      return a && h ? h.ids.map((id, i) => { const s = scopes.get(id)!; return step(a, 'HAS_SCOPE', { id, name: s.name, kind: 'scope' }, s.risk, s.provider, parseProps(h.props[i])); }) : NONE;
    },
  };
  for (const m of rows.mints) steps.push(m);
  const repositories = new Map<string, string>();
  const tenantRepositories = new Map<string, NodeRef[]>();
  const connectors: NodeRef[] = [];
  for (const n of nodes.values()) {
    if (n.kind === 'connector') connectors.push(ref(n));
    if (n.repo !== 1) continue;
    repositories.set(n.id, n.provider);
    for (const t of tenantsOf.get(n.id) ?? []) if (nodes.get(t)?.kind === 'tenant') pushTo(tenantRepositories, t, ref(n));
  }
  const byId = (x: { id: string }, y: { id: string }) => compareText(x.id, y.id);
  for (const l of tenantRepositories.values()) l.sort(byId);
  connectors.sort(byId);
  return { steps, holdings, facts: { writeScopes, tenantAccess, tenantRepositories, repositories }, connectors };
}
