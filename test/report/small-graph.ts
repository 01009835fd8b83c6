// A small hand-written graph for report tests that need exact control: one run with chosen listing
// statuses, connectors written through the real GraphWriter, optional reconciliation with findings. The database is
// the running suite's backend's (test/helpers/backends.ts openTestDb; SQLite in memory outside describeBackends).
import type { Db } from '../../src/graph/db.ts';
import { beginRun, finishRun, saveResourceResult, type ResourceStatus } from '../../src/graph/runs.ts';
import { GraphWriter } from '../../src/graph/writer.ts';
import type { GraphNode } from '../../src/graph/model.ts';
import { openTestDb } from '../helpers/backends.ts';

export interface SmallFinding { id: string; family: string; severity: string; subject: string; title: string; evidence: object; owners: string[]; remediation?: string }

export function smallGraph(opts: { connectors: GraphNode[]; listings?: { type: string; status: ResourceStatus; error?: string }[];
  findings?: SmallFinding[]; at?: string; provider?: string }): Db {
  const db = openTestDb();
  const at = opts.at ?? '2026-11-10T09:00:00.000Z';
  const provider = opts.provider ?? 'github';
  const run = beginRun(db, { providers: [provider], mode: 'full', version: 'test' });
  const w = new GraphWriter(db, run, () => at);
  w.writePage({ provider, tenant: 'acme', scope: `${provider}.things:acme`, parentId: null, emitted: { nodes: opts.connectors, edges: [] } });
  for (const l of opts.listings ?? [{ type: `${provider}.things`, status: 'complete' }]) {
    saveResourceResult(db, run, { provider, tenant: 'acme', resourceType: l.type, status: l.status, listings: 1, listingsFailed: l.status === 'complete' ? 0 : 1,
      objects: opts.connectors.length, apiCalls: 1, notModified: 0, retries: 0, removed: 0, error: l.error ?? null, startedAt: at, finishedAt: at, durationMs: 5 });
  }
  finishRun(db, run, (opts.listings ?? []).every((l) => l.status === 'complete') ? 'complete' : 'partial', {});
  db.prepare('UPDATE runs SET started_at = ?, finished_at = ? WHERE id = ?').run(at, at, run);
  if (opts.findings) {
    db.prepare(`INSERT INTO reconciliations (id, started_at, finished_at, status, inventory_file, inventory_hash, crawl_runs)
        VALUES (1, ?, ?, 'complete', 'inv.yaml', 'cafe', ?)`).run(at, at, JSON.stringify({ [provider]: run }));
    for (const f of opts.findings) {
      db.prepare(`INSERT INTO findings (id, rule, family, severity, provider, tenant, subject_id, subject_name, connector_id, title, evidence, remediation,
          owasp, nist, owners, status, first_seen_recon, last_seen_recon, first_seen_at, last_seen_at)
          VALUES (?, 'rule-x', ?, ?, ?, 'acme', ?, (SELECT name FROM nodes WHERE id = ?), ?, ?, ?, ?, 'NHI1:2025', 'PR.AA-01', ?, 'new', 1, 1, ?, ?)`)
        .run(f.id, f.family, f.severity, provider, f.subject, f.subject, f.subject, f.title, JSON.stringify(f.evidence), f.remediation ?? 'Fix it.', JSON.stringify(f.owners), at, at);
      db.prepare('INSERT INTO finding_observations (recon_id, finding_id, severity) VALUES (1, ?, ?)').run(f.id, f.severity);
    }
  }
  return db;
}

export function connector(id: string, name: string, type = 'github.app_installation'): GraphNode {
  return { id, kind: 'connector', type, name, props: {} };
}
