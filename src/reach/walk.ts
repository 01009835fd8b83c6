// The breadth-first reach walk (docs/blast-radius.md): from a set of nodes, what can be reached through the steps
// of the `paths` view, or — backwards — who can reach a node; bounded in depth, terminating on cycles (each state
// is visited once). Provider-neutral: it knows node kinds and step names only. Steps are loaded one level at a time
// for the whole frontier (a StepSource: the database, src/reach/db-source.ts, or memory, src/reach/memory-graph.ts).
//
// The rules: which steps leave which kinds of node (a scope, a tenant or a plain resource is an end), and a
// repository crosses into the workloads it runs (MINTS, TRUSTED_BY) only when the hop into it was write-class —
// read access alone never crosses a trust. A walk's state is therefore the node plus, for a resource, whether it is
// controlled (forwards) or must be (backwards).
import type { NodeRef, PathStep } from '../graph/paths-queries.ts';
import { endGrade, LEVEL_NAMES, stepLevel, WRITE } from './levels.ts';
import type { Severity } from '../catalogue/index.ts';
import { compareText, groupBy } from '../util/collections.ts';

export interface StepSource {
  /** Every step out of these nodes. */
  from(ids: readonly string[]): PathStep[];
  /** Every step into these nodes. */
  into(ids: readonly string[]): PathStep[];
}

export interface Hop extends PathStep {
  level: number;
  /** The catalogue's grade of the step's end (endGrade), when the source graded it already (the memory graph does). */
  grade?: Severity | null;
}

/** One reached node with the (first found, so shortest) path to it. */
export interface ReachPath {
  origin: NodeRef;
  target: NodeRef;
  hops: Hop[];
  /** A resource the path ends on with write-class access (its workflows are controlled). */
  controlled: boolean;
}

export interface WalkOptions {
  depth: number; limit?: number;
  /** Forwards: a reached state not walked on (still listed) — the summaries compose what lies beyond it instead. */
  stop?: (node: NodeRef, controlled: boolean) => boolean;
  /** Forwards: a step not taken at all (the summaries read scopes aside, src/reach/memory-graph.ts scopeIdsOf). */
  skip?: (s: PathStep) => boolean;
}

/** Steps each kind of node can take (forwards). */
const LEAVES: Readonly<Record<string, ReadonlySet<string>>> = {
  principal: new Set(['OWNS', 'HAS_CREDENTIAL', 'CAN_ACCESS']),
  connector: new Set(['HAS_CREDENTIAL', 'CAN_ACCESS', 'HAS_SCOPE', 'CONTROLS']),
  credential: new Set(['CAN_ACCESS', 'HAS_SCOPE', 'CONTROLS', 'CREDENTIAL_OF']),
  resource: new Set(['MINTS', 'TRUSTED_BY']),
  endpoint: new Set(['TRUSTED_BY']),
};

/** Whether `s` may be taken from a node entered so; a resource only when controlled; a disabled trust never. */
export function takes(s: PathStep, controlled: boolean): boolean {
  return (LEAVES[s.from_kind]?.has(s.step) ?? false) && (s.from_kind !== 'resource' || controlled)
    && (s.step !== 'TRUSTED_BY' || s.props.enabled !== false);
}

/** A step with its level (a source may hand out hops already: the summaries' memory does). */
export const hopOf = (s: PathStep): Hop => ('level' in s && typeof s.level === 'number' ? s as Hop : { ...s, level: stepLevel(s) });

/**
 * Whether hop `a` beats hop `b` into the same state at the same depth: the wider hop (higher level), then a fixed
 * order (from, step, access, to) — so the answer never depends on the order a source hands out its steps.
 */
export function beats(a: Hop, b: Hop): boolean {
  if (a.level !== b.level) return a.level > b.level;
  if (a.from_id !== b.from_id) return a.from_id < b.from_id;
  if (a.step !== b.step) return a.step < b.step;
  if (a.access !== b.access) return a.access < b.access;
  return a.to_id < b.to_id;
}
/** Paths by length, then target id (then origin id): the walk's output order on every backend. */
const byLength = (a: ReachPath, b: ReachPath) => a.hops.length - b.hops.length || compareText(a.target.id, b.target.id) || compareText(a.origin.id, b.origin.id);

interface FState { node: NodeRef; controlled: boolean; prev: FState | null; hop: Hop | null; depth: number; origin: NodeRef }
const fkey = (id: string, controlled: boolean) => (controlled ? `${id}\u0000w` : id);

/** What the `starts` can reach: one path per reached node (controlled beats read for a resource), in breadth-first order. */
export function reachFrom(src: StepSource, starts: readonly NodeRef[], opts: WalkOptions): ReachPath[] {
  const seen = new Map<string, FState>();
  const order: FState[] = [];
  let frontier: FState[] = [];
  for (const n of starts) {
    const s: FState = { node: n, controlled: n.kind === 'resource', prev: null, hop: null, depth: 0, origin: n };
    if (!seen.has(fkey(n.id, s.controlled))) { seen.set(fkey(n.id, s.controlled), s); frontier.push(s); }
  }
  const startIds = new Set(starts.map((s) => s.id));
  for (let d = 1; d <= opts.depth && frontier.length; d++) {
    // one node on the frontier (most walks of the summaries): its steps as the source gives them, nothing grouped
    const single = frontier.length === 1 ? src.from([frontier[0]!.node.id]) : null;
    const out = single ? null : groupBy(src.from([...new Set(frontier.map((f) => f.node.id))]), (s) => s.from_id);
    const next: FState[] = [];
    for (const f of frontier) {
      for (const s of single ?? out!.get(f.node.id) ?? []) {
        if (!takes(s, f.controlled) || opts.skip?.(s)) continue;
        const hop = hopOf(s);
        const controlled = s.to_kind === 'resource' && hop.level >= WRITE;
        const k = fkey(s.to_id, controlled);
        const had = seen.get(k);
        if (had) {
          // reached at this depth already: keep the better hop (the state is not walked on before the next level)
          if (had.depth === d && had.hop && beats(hop, had.hop)) Object.assign(had, { prev: f, hop, origin: f.origin });
          continue;
        }
        const st: FState = { node: { id: s.to_id, name: s.to_name, kind: s.to_kind, provider: s.provider }, controlled, prev: f, hop, depth: d, origin: f.origin };
        seen.set(k, st);
        if (!opts.stop?.(st.node, controlled)) next.push(st);
        if (!startIds.has(s.to_id)) order.push(st);
      }
    }
    frontier = next;
  }
  // one row per node: the controlled state of a resource when there is one
  const rows: ReachPath[] = [];
  const listed = new Set<string>();
  for (const st of order) {
    if (listed.has(st.node.id)) continue;
    const best = st.controlled || st.node.kind !== 'resource' ? st : seen.get(fkey(st.node.id, true)) ?? st;
    listed.add(st.node.id);
    rows.push({ origin: best.origin, target: best.node, hops: chainBack(best), controlled: best.controlled });
  }
  rows.sort(byLength);
  return opts.limit === undefined ? rows : rows.slice(0, opts.limit);
}

function chainBack(st: FState): Hop[] {
  const hops: Hop[] = [];
  for (let s: FState | null = st; s?.hop; s = s.prev) hops.push(s.hop);
  return hops.reverse();
}

interface BState { node: NodeRef; needControl: boolean; next: BState | null; hop: Hop | null; target: NodeRef; depth: number }
const bkey = (id: string, need: boolean) => (need ? `${id}\u0000w` : id);

/** Who can reach the `targets`: one path per origin node (the shortest), by length then origin. */
export function reachTo(src: StepSource, targets: readonly NodeRef[], opts: WalkOptions): ReachPath[] {
  const seen = new Map<string, BState>();
  const firsts = new Map<string, BState>(); // origin id -> the state that first reached it
  let frontier: BState[] = [];
  for (const t of targets) {
    const s: BState = { node: t, needControl: false, next: null, hop: null, target: t, depth: 0 };
    if (!seen.has(bkey(t.id, false))) { seen.set(bkey(t.id, false), s); frontier.push(s); }
  }
  const targetIds = new Set(targets.map((t) => t.id));
  for (let d = 1; d <= opts.depth && frontier.length; d++) {
    const into = groupBy(src.into([...new Set(frontier.map((f) => f.node.id))]), (s) => s.to_id);
    const next: BState[] = [];
    for (const b of frontier) {
      for (const s of into.get(b.node.id) ?? []) {
        const hop = hopOf(s);
        if (b.needControl && hop.level < WRITE) continue; // read access into a repository does not cross its trusts
        const needControl = s.from_kind === 'resource';
        if (!takes(s, true)) continue;
        const had = seen.get(bkey(s.from_id, needControl));
        if (had) {
          if (had.depth === d && had.hop && beats(hop, had.hop)) Object.assign(had, { next: b, hop, target: b.target });
          continue;
        }
        // a node that reaches the target without needing control covers the state that needs it
        if (seen.has(bkey(s.from_id, false))) continue;
        const st: BState = { node: { id: s.from_id, name: s.from_name, kind: s.from_kind, provider: '' }, needControl, next: b, hop, target: b.target, depth: d };
        seen.set(bkey(s.from_id, needControl), st);
        next.push(st);
        if (!targetIds.has(s.from_id) && !firsts.has(s.from_id)) firsts.set(s.from_id, st);
      }
    }
    frontier = next;
  }
  const rows: ReachPath[] = [];
  for (const st of firsts.values()) {
    const hops: Hop[] = [];
    for (let x: BState | null = st; x?.hop; x = x.next) hops.push(x.hop);
    rows.push({ origin: st.node, target: st.target, hops, controlled: false });
  }
  rows.sort(byLength);
  return opts.limit === undefined ? rows : rows.slice(0, opts.limit);
}

/** The hop with the narrowest access (lowest level; the first such hop on ties), with its index in the path. */
export function weakestLink(hops: readonly Hop[]): { index: number; hop: Hop } | null {
  let best: { index: number; hop: Hop } | null = null;
  hops.forEach((hop, index) => { if (!best || hop.level < best.hop.level) best = { index, hop }; });
  return best;
}

/** A hop in words: `from -[STEP: access]-> to`. */
export function hopText(h: Hop): string {
  return `${h.from_name ?? h.from_id} -[${h.step}: ${h.access}]-> ${h.to_name ?? h.to_id}`;
}

/** What a path's rows show: hops, where it ends, with what access and grade, and its weakest link. */
export function describePath(p: ReachPath): { access: string; privilege: Severity | null; weakest: string; weakestLevel: string } {
  const last = p.hops.at(-1);
  const w = weakestLink(p.hops);
  return {
    access: last ? last.access : '',
    privilege: last ? endGrade(last) : null,
    weakest: w ? `hop ${w.index + 1}: ${hopText(w.hop)}` : '',
    weakestLevel: w ? LEVEL_NAMES[w.hop.level] ?? '' : '',
  };
}
