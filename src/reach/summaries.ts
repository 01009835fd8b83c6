// Reach summaries (docs/blast-radius.md "Reach summaries"): what every connector reaches — repositories, resources
// with roles (subscriptions, projects), high-graded scopes (mailboxes, drives, directories), trusts crossed — in one
// pass: the steps are read once, set-wise, into memory (only the identity-to-identity steps and the ends worth
// summarising: src/reach/memory-graph.ts), then each connector's walk runs over that memory (src/reach/walk.ts, same
// rules as `paths`) with no query of its own. Computed before a report, for the latest reconciliation when its crawl
// runs differ from the last computation's and no newer crawl exists, and stored with those runs (reach_computations),
// so the report reads them as of its reconciliation (reachSummaries).
import { severityRank, worse, type Severity } from '../catalogue/index.ts';
import type { Db } from '../graph/db.ts';
import { latestReachComputation, writeReachComputation, type NodeRef, type ReachSummaryRow } from '../graph/paths-queries.ts';
import { loadReachGraph, type MemoryReach, type TenantControl } from './memory-graph.ts';
import { beats, reachFrom, takes, type Hop, type ReachPath } from './walk.ts';
import { endGrade, rolesOf, WRITE } from './levels.ts';
import { compareText } from '../util/collections.ts';

export const DEFAULT_DEPTH = 6;
const REPOSITORY_NAMES = 50;

/** One reached node as a summary needs it: how far, how (its last hop), controlled, through a trust. */
interface Reached { id: string; name: string | null; kind: string; hops: number; controlled: boolean; viaTrust: boolean; last: Hop; grade: Severity | null }

/** The node hop `h` ends on, reached in `hops` hops (not through a trust unless the caller says so). */
const reachedBy = (h: Hop, hops: number, controlled: boolean): Reached =>
  ({ id: h.to_id, name: h.to_name, kind: h.to_kind, hops, controlled, viaTrust: false, last: h, grade: h.grade !== undefined ? h.grade : endGrade(h) });
/** The node hop `h` ends on, as a start of what lies beyond it. */
const endOf = (h: Hop): NodeRef => ({ id: h.to_id, name: h.to_name, kind: h.to_kind, provider: h.provider });

const reachedOf = (p: ReachPath): Reached =>
  ({ ...reachedBy(p.hops.at(-1)!, p.hops.length, p.controlled), viaTrust: p.hops.some((h) => h.step === 'TRUSTED_BY') });

/**
 * Every connector's summary (connectors that reach nothing are left out), computed over one read of the steps. What
 * lies beyond a controlled repository is walked once per repository and remaining depth and composed into every
 * connector that controls it (an installation on all repositories would otherwise walk every trust again); what
 * controlling a whole tenant reaches is composed once per tenant and scope and read under the holder's own. A connector
 * whose walk would end within two hops (most) is not walked at all (`shallow`). `exact`: walk every connector (no
 * shallow shortcut; the tests compare the two, and both with a plain walk over the view).
 */
export function* computeReachSummaries(db: Db, opts: { depth?: number; source?: ReturnType<typeof loadReachGraph>; exact?: boolean } = {}): Generator<ReachSummaryRow> {
  const src = opts.source ?? loadReachGraph(db);
  const depth = opts.depth ?? DEFAULT_DEPTH;
  const repositories = src.repositories;
  const beyond = new Map<string, Reached[]>(); // `${repository id}\u0000${remaining depth}` -> what controlling it reaches
  const stop = (n: NodeRef, controlled: boolean) => controlled && n.kind === 'resource';
  // scopes are ends: not walked (a state per scope per connector), read aside for every identity reached
  const skip = (s: { step: string }) => s.step === 'HAS_SCOPE';
  const fragment = (repo: NodeRef, remaining: number): Reached[] => {
    const key = `${repo.id}\u0000${remaining}`;
    let f = beyond.get(key);
    if (!f) { f = remaining > 0 ? reachFrom(src, [repo], { depth: remaining, skip }).map(reachedOf) : []; beyond.set(key, f); }
    return f;
  };
  // what controlling every repository of a tenant reaches, by tenant, scopes and hops to the holder, and the scopes the
  // identities it reaches hold: composed once, each node once (the better way), shared by every holder with that key
  const tenantWide = new Map<string, Layer>();
  const viaTenant = (t: TenantControl, hops: number): Layer => {
    const key = `${t.key}\u0000${hops}`;
    let layer = tenantWide.get(key);
    if (!layer) {
      const found = new Map<string, Reached>();
      for (const h of t.steps()) {
        addTo(found, reachedBy(h, hops + 1, true));
        for (const f of fragment(endOf(h), depth - hops - 1)) addTo(found, { ...f, hops: f.hops + hops + 1 });
      }
      const scopes = new Set<string>();
      for (const r of found.values()) if ((r.kind === 'connector' || r.kind === 'credential') && r.hops < depth) for (const id of src.scopeIdsOf(r.id)) scopes.add(id);
      layer = { reached: found, scopes };
      tenantWide.set(key, layer);
    }
    return layer;
  };
  /**
   * What a connector reaches when its walk would end within two hops — most connectors: its steps (scopes aside) lead
   * to resources (a resource is an end; what lies beyond a controlled one is its fragment, as in the walk), to nodes
   * no step leaves, or to credentials whose own steps lead only to such ends or back — found without walking, as the
   * walk would find them. null: the connector must be walked.
   */
  const shallow = (c: NodeRef): Reached[] | null => {
    const ends: Reached[] = [];
    const credentials: Hop[] = [];
    /** Adds what hop `s` (the `hops`-th) ends on; false when it leads on to a node that must be walked. */
    const end = (s: Hop, hops: number): boolean => {
      const controlled = s.to_kind === 'resource' && s.level >= WRITE;
      if (s.to_kind !== 'resource' && !src.deadEnd(s.to_id)) return false;
      ends.push(reachedBy(s, hops, controlled));
      if (controlled) for (const f of fragment(endOf(s), depth - hops)) if (f.id !== c.id) ends.push({ ...f, hops: f.hops + hops });
      return true;
    };
    for (const s of src.plain.from([c.id]) as Hop[]) {
      if (s.step === 'HAS_SCOPE' || s.to_id === c.id || !takes(s, false)) continue;
      if (end(s, 1)) continue;
      if (s.to_kind !== 'credential' || depth < 2) return null;
      ends.push(reachedBy(s, 1, false));
      credentials.push(s);
    }
    for (const k of credentials) {
      for (const s of src.plain.from([k.to_id]) as Hop[]) {
        if (s.step === 'HAS_SCOPE' || s.to_id === c.id || !takes(s, false)) continue;
        if (!end(s, 2)) return null;
      }
    }
    return ends;
  };
  for (const c of src.connectors) {
    const reached = new Map<string, Reached>();
    const add = (r: Reached) => addTo(reached, r);
    const ends = opts.exact || depth < 1 ? null : shallow(c);
    if (ends) for (const r of ends) add(r);
    else {
      for (const p of reachFrom(src.plain, [c], { depth, stop, skip })) {
        const r = reachedOf(p);
        add(r);
        if (!stop(p.target, p.controlled)) continue;
        for (const f of fragment(p.target, depth - r.hops)) if (f.id !== c.id) add({ ...f, hops: f.hops + r.hops, viaTrust: f.viaTrust || r.viaTrust });
      }
    }
    // the tenants the connector and the identities it reaches control, one hop further (what lies beyond a tenant's
    // repositories is in their fragments, tenant-wide control there included), then every identity's scopes
    const identities = () => {
      const list: Array<{ id: string; hops: number; viaTrust: boolean }> = [{ id: c.id, hops: 0, viaTrust: false }];
      for (const r of reached.values()) if (r.kind === 'connector' || r.kind === 'credential') list.push(r);
      return list;
    };
    let holders = identities();
    let composed = false;
    let base: Layer | null = null; // one tenant's layer, taken whole (not copied): the summary reads it under `reached`
    for (const holder of holders) {
      if (holder.hops >= depth) continue;
      for (const t of src.tenantControlsOf(holder.id)) {
        composed = true;
        const wide = viaTenant(t, holder.hops);
        if (!base && !holder.viaTrust && !wide.reached.has(c.id)) { base = wide; continue; }
        for (const x of wide.reached.values()) if (x.id !== c.id) add(holder.viaTrust && !x.viaTrust ? { ...x, viaTrust: true } : x);
      }
    }
    if (composed) holders = identities(); // the identities beyond the tenants' repositories hold scopes too (the base's: its own scopes)
    const scopes = new Set<string>(base?.scopes); // high-graded scopes held by the connector or an identity it reaches (ends: ids suffice)
    for (const holder of holders) {
      if (holder.hops >= depth) continue;
      for (const id of src.scopeIdsOf(holder.id)) scopes.add(id);
    }
    if (!reached.size && !scopes.size && !base?.reached.size) continue;
    yield summaryOf(c, layered(reached, base?.reached), scopes, src, repositories);
  }
}

/** What a tenant's control reaches, and the high-graded scopes the identities reached there hold. */
interface Layer { reached: ReadonlyMap<string, Reached>; scopes: ReadonlySet<string> }

/** The nodes of `own` and `base` together, each the better way where both have it (no copy of either). */
function* layered(own: ReadonlyMap<string, Reached>, base: ReadonlyMap<string, Reached> | undefined): Iterable<Reached> {
  if (!base) { yield* own.values(); return; }
  for (const r of base.values()) { const o = own.get(r.id); yield o && better(o, r) ? o : r; }
  for (const o of own.values()) if (!base.has(o.id)) yield o;
}

/** Adds `r` to `reached` unless the node is there already by a better way. */
function addTo(reached: Map<string, Reached>, r: Reached): void {
  const had = reached.get(r.id);
  if (!had || better(r, had)) reached.set(r.id, r);
}

/** A node reached two ways keeps the controlled way, then the shorter, then the worse graded end, then the hop that beats. */
function better(a: Reached, b: Reached): boolean {
  if (a.controlled !== b.controlled) return a.controlled;
  if (a.hops !== b.hops) return a.hops < b.hops;
  const ga = a.grade ? severityRank(a.grade) : Infinity;
  const gb = b.grade ? severityRank(b.grade) : Infinity;
  if (ga !== gb) return ga < gb;
  return beats(a.last, b.last);
}

function summaryOf(c: NodeRef, reached: Iterable<Reached>, scopeIds: ReadonlySet<string>, src: Pick<MemoryReach, 'scopeOf'>,
  repositories: ReadonlyMap<string, string>): ReachSummaryRow {
  const repos: Array<{ id: string; name: string | null; access: string }> = [];
  const resources: Array<Record<string, unknown>> = [];
  const scopes = new Set<string>();
  let max: Severity | null = null;
  let trusts = 0;
  for (const id of scopeIds) {
    const s = src.scopeOf(id);
    if (!s) continue;
    max = max ? worse(max, s.risk) : s.risk;
    if (s.name) scopes.add(s.name);
  }
  let paths = scopeIds.size;
  for (const r of reached) {
    paths++;
    const grade = r.grade;
    if (grade) max = max ? worse(max, grade) : grade;
    if (repositories.has(r.id)) repos.push({ id: r.id, name: r.name, access: r.controlled ? 'write' : 'read' });
    if (r.last.step === 'CAN_ACCESS' && rolesOf(r.last).length) {
      resources.push({ id: r.id, name: r.name, type: r.kind, provider: r.last.provider, roles: rolesOf(r.last), grade, hops: r.hops, via_trust: r.viaTrust });
    }
    if (r.last.step === 'TRUSTED_BY') trusts++;
  }
  // bytewise, as the database orders ids (and far cheaper than a locale's collation over thousands of repositories)
  repos.sort((a, b) => (a.access !== b.access ? (a.access === 'write' ? -1 : 1) : compareText(a.id, b.id)));
  resources.sort((a, b) => compareText(String(a.id), String(b.id)));
  return {
    connector_id: c.id, connector_name: c.name, provider: c.provider, repositories: repos.length,
    repository_names: JSON.stringify(repos.slice(0, REPOSITORY_NAMES)), resources_with_roles: JSON.stringify(resources),
    scopes: JSON.stringify([...scopes].sort()), privileged: max && severityRank(max) <= severityRank('high') ? 1 : 0,
    max_privilege: max, trusts, paths,
  };
}

/**
 * For reconciliation `reconId`, whose crawl runs are `runIds` (provider -> run ids): computes and stores every
 * connector's reach summary, unless the last computation was made from the same crawl runs (the graph it read is the
 * same). Returns the computation's id, or null when kept. Called before a report is written (reports/blast-radius.ts
 * prepareReach), not by reconcile: a daily incremental reconciliation does not pay for a whole-graph computation.
 */
export function refreshReachSummaries(db: Db, recon: { reconId: number; runIds: Record<string, number[]> }): number | null {
  const runs = JSON.stringify(Object.fromEntries(Object.entries(recon.runIds).sort(([a], [b]) => compareText(a, b))));
  if (latestReachComputation(db)?.crawl_runs === runs) return null;
  const t0 = Date.now();
  const rows = [...computeReachSummaries(db)];
  return writeReachComputation(db, { recon_id: recon.reconId, computed_at: new Date().toISOString(), crawl_runs: runs, duration_ms: Date.now() - t0 }, rows);
}
