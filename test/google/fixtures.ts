// Shared fixtures of the Google tests: the demo scenario (fresh copy per test), config patches, queries.
import { buildGoogleScenario, plantedGoogle } from '../../scenarios/demo/google.ts';
import type { GoogleScenario } from '../../connectors/google/simulator/scenario.ts';
import type { Db } from '../../src/graph/db.ts';
import { rows } from '../helpers/sim-crawl.ts';

export { plantedGoogle };

/** Quotas high enough that declared pacing does not slow the tests (the simulator keeps Google's own). */
export const fastQuotas = { quotas: { directory: 1_000_000, reports: 1_000_000, iam: 1_000_000, resourceManager: 1_000_000 } };

export function demoGoogle(): GoogleScenario {
  return structuredClone(buildGoogleScenario());
}

export function userByLogin(s: GoogleScenario, prefix: string) {
  const u = s.users.find((x) => x.primaryEmail.startsWith(prefix));
  if (!u) throw new Error(`no user ${prefix}`);
  return u;
}

export function live(db: Db, id: string): boolean {
  const r = rows<{ removed_run: number | null }>(db, 'SELECT removed_run FROM nodes WHERE id = ?', id)[0];
  return !!r && r.removed_run === null;
}

export function liveEdge(db: Db, from: string, type: string, to: string): boolean {
  const r = rows<{ removed_run: number | null }>(db, 'SELECT removed_run FROM edges WHERE id = ?', `${from}|${type}|${to}`)[0];
  return !!r && r.removed_run === null;
}

export function changes(db: Db, runId: number) {
  return rows<{ entity: string; entity_id: string; change: string; before: string | null; after: string | null }>(db,
    'SELECT entity, entity_id, change, before, after FROM change_log WHERE run_id = ? ORDER BY id', runId);
}
