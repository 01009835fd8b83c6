// The report's reach figures (docs/report.md "Blast radius" and the connector list's reach column), from the reach
// summaries stored for the report's reconciliation (src/reach/summaries.ts, read row by row — never the whole graph):
// each connector's reach in words and the worst privilege at the end of its paths (the "Fix these first" weight), and
// the top paths by that privilege (prepareReach computes the summaries first when the latest reconciliation has none).
// Only those few top paths are walked again (src/reach/walk.ts over the `paths` view,
// one query per level) to draw their chain of nodes and steps; a path the graph no longer holds keeps its two ends.
import type { Db } from '../src/graph/db.ts';
import { dbStepSource } from '../src/reach/db-source.ts';
import { nodeTypesOf, reachComputationOf, reachSummaryRows } from '../src/graph/report-reach-queries.ts';
import { latestReconciliationBefore, latestRunsPerProvider } from '../src/graph/report-queries.ts';
import { refreshReachSummaries } from '../src/reach/summaries.ts';
import { reachFrom } from '../src/reach/walk.ts';
import { parseCrawlRunIds } from './model-changes.ts';
import type { BlastPath, BlastRadius } from './reach-types.ts';
import { SEVERITIES, severityRank, type Severity } from './reference.ts';
import { typeLabel } from './text.ts';
import { pushTo } from '../src/util/collections.ts';

/** How many paths the section draws (the rest are counted). */
export const BLAST_PATHS = 10;
/** Role groups a connector's reach text names before "and N more". */
const REACH_GROUPS = 3;

export interface ConnectorReach { text: string; privilege: Severity | null }
export interface ReachFigures { byConnector: Map<string, ConnectorReach>; blast: BlastRadius }

const isSeverity = (v: unknown): v is Severity => typeof v === 'string' && (SEVERITIES as readonly string[]).includes(v);
const privileged = (s: Severity) => severityRank(s) <= severityRank('high');

interface RoleEnd { id: string; name: string; roles: string[]; grade: Severity | null; hops: number; viaTrust: boolean; provider: string }
interface Held { repositories: number; writes: number; ends: RoleEnd[]; scopes: number; privilege: Severity | null }

/**
 * The blast-radius order: the privilege at the end (critical first); then paths that cross a trust (a role held
 * directly shows on the connector itself, in its reach and its findings; one reached through another provider's trust
 * shows nowhere else); then fewer hops; then names and ids.
 */
export function blastOrder(a: BlastPath, b: BlastPath): number {
  return severityRank(a.privilege) - severityRank(b.privilege) || Number(b.viaTrust) - Number(a.viaTrust) || a.hops - b.hops
    || a.connector.localeCompare(b.connector)
    || a.target.localeCompare(b.target) || a.connectorId.localeCompare(b.connectorId) || a.targetId.localeCompare(b.targetId);
}

/**
 * Before a report is written (outside its read snapshot): the latest reconciliation's reach summaries, computed and
 * stored when none were made from its crawl runs and the graph holds no newer crawl (src/reach/summaries.ts).
 */
export function prepareReach(db: Db): void {
  const recon = latestReconciliationBefore(db, '9999');
  if (!recon) return;
  const runIds = parseCrawlRunIds(recon.crawl_runs);
  const newest = latestRunsPerProvider(db, '9999');
  const same = newest.size === Object.keys(runIds).length
    && [...newest].every(([p, ids]) => JSON.stringify(ids) === JSON.stringify(runIds[p] ?? null));
  if (same) refreshReachSummaries(db, { reconId: recon.id, runIds });
}

/**
 * Reads the reach summaries of reconciliation `reconId` (none without one): every connector's reach text and privilege,
 * and the top BLAST_PATHS paths with their chains. `graphNewer`: the graph holds crawls newer than the report's runs
 * (the chains are walked on the graph as it is now, and the section says so).
 */
export function readReach(db: Db, reconId: number | null, graphNewer: boolean): ReachFigures {
  const byConnector = new Map<string, ConnectorReach>();
  const computation = reachComputationOf(db, reconId);
  const empty: BlastRadius = { computation: null, total: 0, paths: [], note: null };
  if (!computation) return { byConnector, blast: empty };
  const held = new Map<string, Held>();
  let top: BlastPath[] = [];
  let total = 0;
  for (const r of reachSummaryRows(db, computation.id)) {
    const repos = jsonArray(r.repository_names);
    const ends: RoleEnd[] = jsonArray(r.resources_with_roles).map((e) => ({
      id: String(e.id ?? ''), name: String(e.name ?? e.id ?? ''), roles: Array.isArray(e.roles) ? e.roles.map(String) : [],
      grade: isSeverity(e.grade) ? e.grade : null, hops: Number(e.hops) || 0, viaTrust: e.via_trust === true, provider: String(e.provider ?? ''),
    }));
    held.set(r.connector_id, { repositories: Number(r.repositories) || 0, writes: repos.filter((x) => x.access === 'write').length, ends,
      scopes: jsonArray(r.scopes).length, privilege: isSeverity(r.max_privilege) ? r.max_privilege : null });
    for (const e of ends) {
      if (!e.grade || !privileged(e.grade)) continue;
      total++;
      top.push({ connectorId: r.connector_id, connector: r.connector_name ?? r.connector_id, provider: r.provider, targetId: e.id, target: e.name,
        targetType: '', targetProvider: e.provider, roles: e.roles, privilege: e.grade, hops: e.hops, viaTrust: e.viaTrust, nodes: [], steps: [], drawn: false });
      // bounded: sorted and cut whenever it doubles
      if (top.length >= BLAST_PATHS * 2) top = top.sort(blastOrder).slice(0, BLAST_PATHS);
    }
  }
  top = top.sort(blastOrder).slice(0, BLAST_PATHS);
  const types = nodeTypesOf(db, [...new Set([...[...held.values()].flatMap((x) => x.ends.map((e) => e.id)), ...top.map((p) => p.connectorId)])]);
  for (const [id, x] of held) byConnector.set(id, { text: reachText(x, types), privilege: x.privilege });
  for (const p of top) p.targetType = typeLabel(types.get(p.targetId)?.type ?? 'resource');
  drawChains(db, top, types);
  const note = graphNewer && top.length
    ? 'The graph holds crawls newer than this report\'s: the paths below are drawn as the graph is now; their ends and privilege are as of the reconciliation.'
    : null;
  return { byConnector, blast: { computation: { id: computation.id, reconId: computation.recon_id, computedAt: computation.computed_at }, total, paths: top, note } };
}

/** "3 repositories (1 with write), Owner on 1 subscription (through a trust), 2 high-risk permissions"; '' when nothing. */
function reachText(x: Held, types: Map<string, { type: string }>): string {
  const parts: string[] = [];
  if (x.repositories) parts.push(`${x.repositories} ${x.repositories === 1 ? 'repository' : 'repositories'}${x.writes ? ` (${x.writes} with write)` : ''}`);
  const groups = new Map<string, { roles: string; type: string; ids: Set<string>; trust: boolean; rank: number }>();
  for (const e of x.ends) {
    if (!e.roles.length) continue;
    const type = typeLabel(types.get(e.id)?.type ?? 'resource');
    const k = `${e.roles.join(', ')}\u0000${type}`;
    const g = groups.get(k) ?? groups.set(k, { roles: e.roles.join(', '), type, ids: new Set(), trust: false, rank: 9 }).get(k)!;
    g.ids.add(e.id); g.trust ||= e.viaTrust; g.rank = Math.min(g.rank, e.grade ? severityRank(e.grade) : 9);
  }
  const sorted = [...groups.values()].sort((a, b) => a.rank - b.rank || b.ids.size - a.ids.size || a.roles.localeCompare(b.roles));
  for (const g of sorted.slice(0, REACH_GROUPS)) {
    parts.push(`${g.roles} on ${g.ids.size} ${g.type}${g.ids.size === 1 ? '' : 's'}${g.trust ? ' (through a trust)' : ''}`);
  }
  if (sorted.length > REACH_GROUPS) parts.push(`${sorted.length - REACH_GROUPS} more role${sorted.length - REACH_GROUPS === 1 ? '' : 's'}`);
  if (x.scopes) parts.push(`${x.scopes} high-risk permission${x.scopes === 1 ? '' : 's'}`);
  return parts.join(', ');
}

/** Walks from each top path's connector once (depth: its longest top path) and keeps the path to each target. */
function drawChains(db: Db, top: BlastPath[], types: Map<string, { name: string | null; kind: string; provider: string }>): void {
  const src = dbStepSource(db);
  const byConnector = new Map<string, BlastPath[]>();
  for (const p of top) pushTo(byConnector, p.connectorId, p);
  for (const [id, paths] of byConnector) {
    const origin = { id, name: paths[0]!.connector, kind: types.get(id)?.kind ?? 'connector', provider: paths[0]!.provider };
    const walked = reachFrom(src, [origin], { depth: Math.max(...paths.map((p) => p.hops)) });
    for (const p of paths) {
      const found = walked.find((w) => w.target.id === p.targetId);
      if (found) {
        p.nodes = [{ id, name: p.connector, kind: origin.kind, provider: p.provider },
          ...found.hops.map((h) => ({ id: h.to_id, name: h.to_name ?? h.to_id, kind: h.to_kind, provider: h.provider }))];
        p.steps = found.hops.map((h) => ({ step: h.step, access: h.access }));
        p.drawn = true;
      } else {
        p.nodes = [{ id, name: p.connector, kind: origin.kind, provider: p.provider }, { id: p.targetId, name: p.target, kind: 'resource', provider: p.targetProvider }];
      }
    }
  }
}

function jsonArray(s: unknown): Array<Record<string, unknown>> {
  try {
    const v = typeof s === 'string' ? JSON.parse(s) : s;
    return Array.isArray(v) ? v.map((x) => (x && typeof x === 'object' ? x : { value: x }) as Record<string, unknown>) : [];
  } catch { return []; }
}
