// A demo-like graph for the report tests: the demo company's GitHub organisation crawled twice with the
// real client through the real engine — last month's scenario (run 1, dated 2026-10-20) and this month's
// (run 2, dated 2026-11-20) — plus two reconciliations with findings, observations and inventory matches
// written the way the reconciler writes them (one resolved, one carried, the rest new or persisting). The database is the
// running suite's backend's (test/helpers/backends.ts openTestDb; SQLite in memory outside describeBackends).
import path from 'node:path';
import { configFromObject } from '../../src/config/config.ts';
import { runCrawl } from '../../src/crawl/engine.ts';
import { loadConnectors } from '../../src/crawl/load-connectors.ts';
import type { Db } from '../../src/graph/db.ts';
import { createLogger } from '../../src/util/log.ts';
import { buildGithubScenario, planted } from '../../scenarios/demo/github.ts';
import { lastMonthScenario } from '../../scenarios/demo/last-month.ts';
import { openTestDb } from '../helpers/backends.ts';

export const ORG = 'Halcyon Logistics';
export const RECON_OCT = '2026-10-20T10:05:00.000Z';
export const RECON_NOV = '2026-11-20T10:05:00.000Z';

let counter = 0;

async function crawlInto(db: Db, scenarioBlock: unknown): Promise<number> {
  const specs = await loadConnectors();
  const spec = specs.find((s) => s.name === 'github')!;
  const sim = await spec.simulator!.start(scenarioBlock, {});
  try {
    const config = configFromObject({ providers: { github: spec.simulator!.configFor(sim, scenarioBlock) } }, specs, '(test)');
    const p = config.providers.get('github')!;
    const log = createLogger({ format: 'json', level: 'error', write: () => {} });
    const s = await runCrawl({ db, log, env: spec.simulator!.envFor?.(sim) ?? {}, providers: [{ spec: p.spec, config: p.config, concurrency: 4 }] });
    if (s.status !== 'complete') throw new Error(`fixture crawl ${s.status}`);
    return s.runId;
  } finally {
    await sim.close();
  }
}

export interface Fixture { db: Db; outDir: string; ids: Record<string, string> }

export async function buildFixture(): Promise<Fixture> {
  ++counter;
  const db = openTestDb();
  const current = buildGithubScenario();
  const r1 = await crawlInto(db, lastMonthScenario({ name: ORG, github: current }).github);
  const r2 = await crawlInto(db, current);
  // Date the two runs a month apart (the engine stamps wall-clock time).
  for (const [run, start, end] of [[r1, '2026-10-20T09:00:00.000Z', '2026-10-20T09:01:00.000Z'], [r2, '2026-11-20T09:00:00.000Z', '2026-11-20T09:01:00.000Z']] as const) {
    db.prepare('UPDATE runs SET started_at = ?, finished_at = ? WHERE id = ?').run(start, end, run);
    db.prepare('UPDATE run_resources SET started_at = ?, finished_at = ? WHERE run_id = ?').run(start, end, run);
    db.prepare('UPDATE change_log SET at = ? WHERE run_id = ?').run(end, run);
    for (const t of ['nodes', 'edges']) {
      db.prepare(`UPDATE ${t} SET first_seen_at = ? WHERE first_seen_run = ?`).run(end, run);
      db.prepare(`UPDATE ${t} SET last_seen_at = ? WHERE last_seen_run = ?`).run(end, run);
      db.prepare(`UPDATE ${t} SET removed_at = ? WHERE removed_run = ?`).run(end, run);
    }
  }

  const id = (sql: string, ...p: unknown[]) => (db.prepare(sql).pluck().get(...p) as string);
  const conn = (name: string) => id('SELECT id FROM nodes WHERE kind = ? AND name = ?', 'connector', name);
  const ids = {
    deployhub: conn(planted.adminApp), oldCi: conn('old-ci-runner'), vercel: conn('vercel'),
    unknownHook: id("SELECT id FROM nodes WHERE kind = 'connector' AND name LIKE ?", `%${planted.unknownWebhookHost}%`),
    legacyKey: 'github:deploy_key:699001', expiredPat: 'github:pat_grant:2', foreverPat: 'github:pat_grant:3',
  };
  const recon = db.prepare(`INSERT INTO reconciliations (id, started_at, finished_at, status, inventory_file, inventory_hash, crawl_runs, summary)
      VALUES (?, ?, ?, 'complete', 'inventory.yaml', ?, ?, '{}')`);
  recon.run(1, RECON_OCT, RECON_OCT, 'a'.repeat(64), JSON.stringify({ github: { run: r1, started_at: '2026-10-20T09:00:00.000Z', status: 'complete', complete: true } }));
  recon.run(2, RECON_NOV, RECON_NOV, 'b'.repeat(64), JSON.stringify({ github: { run: r2, started_at: '2026-11-20T09:00:00.000Z', status: 'complete', complete: true } }));

  const approved = ['deployhub-pro', 'dependabot-preview', 'codecov', 'slack-github', 'snyk-security', 'linear-sync', 'renovate', 'halcyon-release-bot',
    'sonarcloud', 'datadog-ci', 'jira-cloud'];
  const match = db.prepare('INSERT INTO inventory_matches (recon_id, connector_id, inventory_id, match_rule) VALUES (?, ?, ?, ?)');
  for (const r of [1, 2]) for (const a of approved) match.run(r, conn(a), `inv-${a}`, 'github.app_slug');

  const finding = db.prepare(`INSERT INTO findings (id, rule, family, severity, provider, tenant, subject_id, subject_name, connector_id, title, evidence,
      remediation, owasp, nist, inventory_id, owners, status, first_seen_recon, last_seen_recon, first_seen_at, last_seen_at, resolved_recon, resolved_at)
      VALUES (@id, @rule, @family, @severity, 'github', 'halcyon-logistics', @subject, @subjectName, @subject, @title, @evidence, @remediation, @owasp, @nist,
      @inv, @owners, @status, @first, @last, @firstAt, @lastAt, @resolved, @resolvedAt)`);
  const observe = db.prepare('INSERT INTO finding_observations (recon_id, finding_id, severity) VALUES (?, ?, ?)');
  const at = (r: number) => (r === 1 ? RECON_OCT : RECON_NOV);
  const add = (f: { id: string; rule: string; family: string; severity: string; subject: string; subjectName: string; title: string; evidence: object;
    owasp: string; nist: string; inv?: string; owners: string[]; seen: number[]; resolved?: number; carried?: boolean }) => {
    const first = f.seen[0]!; const last = f.seen.at(-1)!;
    finding.run({ ...f, evidence: JSON.stringify(f.evidence), remediation: `Review ${f.subjectName}.`, inv: f.inv ?? null, owners: JSON.stringify(f.owners),
      status: f.resolved ? 'resolved' : f.seen.length > 1 || f.carried ? 'persisting' : 'new', first, last, firstAt: at(first), lastAt: at(last),
      resolved: f.resolved ?? null, resolvedAt: f.resolved ? at(f.resolved) : null });
    for (const r of f.seen) observe.run(r, f.id, f.severity);
  };
  add({ id: 'f_orphan_key', rule: 'orphaned-connector', family: 'orphans', severity: 'high', subject: ids.legacyKey, subjectName: 'legacy-billing-sync',
    title: 'Write deploy key added by a departed member', evidence: { added_by: planted.departedKeyAuthor, access: 'write' }, owasp: 'NHI1:2025', nist: 'PR.AA-01,GV.RR-02',
    owners: [], seen: [1, 2] });
  add({ id: 'f_drift_deployhub', rule: 'scope-drift', family: 'scope-drift', severity: 'high', subject: ids.deployhub, subjectName: planted.adminApp,
    title: 'Granted scopes beyond the approved ones', evidence: { excess: ['organization_administration:write'] }, owasp: 'NHI5:2025', nist: 'PR.AA-05',
    inv: 'inv-deployhub-pro', owners: ['maya.chen@halcyon-logistics.com'], seen: [2] });
  add({ id: 'f_change_deployhub', rule: 'scope-change', family: 'scope-change', severity: 'medium', subject: ids.deployhub, subjectName: planted.adminApp,
    title: 'Scopes added since the previous run', evidence: { added: ['organization_administration:write'] }, owasp: 'NHI5:2025', nist: 'DE.CM-06',
    inv: 'inv-deployhub-pro', owners: ['maya.chen@halcyon-logistics.com'], seen: [2] });
  add({ id: 'f_privilege_deployhub', rule: 'high-risk-permission', family: 'privilege', severity: 'critical', subject: ids.deployhub, subjectName: planted.adminApp,
    title: 'Holds administration:write', evidence: { scope: 'administration:write' }, owasp: 'NHI5:2025', nist: 'PR.AA-05', inv: 'inv-deployhub-pro',
    owners: ['maya.chen@halcyon-logistics.com', 'ana.santos@halcyon-logistics.com'], seen: [1, 2] });
  add({ id: 'f_unapproved_hook', rule: 'unapproved-connector', family: 'inventory', severity: 'medium', subject: ids.unknownHook, subjectName: 'customer-portal webhook',
    title: 'Unapproved webhook to collector.data-sync.io', evidence: { host: planted.unknownWebhookHost }, owasp: 'NHI3:2025', nist: 'ID.AM-02', owners: [], seen: [2] });
  add({ id: 'f_unapproved_oldci', rule: 'unapproved-connector', family: 'inventory', severity: 'medium', subject: ids.oldCi, subjectName: 'old-ci-runner',
    title: 'Unapproved app installation', evidence: { vendor: 'deployhub' }, owasp: 'NHI3:2025', nist: 'ID.AM-02', owners: [], seen: [1], resolved: 2 });
  add({ id: 'f_unapproved_vercel', rule: 'unapproved-connector', family: 'inventory', severity: 'medium', subject: ids.vercel, subjectName: 'vercel',
    title: 'Unapproved app installation', evidence: { vendor: 'vercel' }, owasp: 'NHI3:2025', nist: 'ID.AM-04', owners: [], seen: [2] });
  add({ id: 'f_pat_expired', rule: 'credential-expired', family: 'credential-hygiene', severity: 'high', subject: ids.expiredPat, subjectName: 'old-release-script (lnguyen)',
    title: 'Expired token still granted', evidence: { expires_at: '2026-10-06' }, owasp: 'NHI7:2025', nist: 'PR.AA-01', owners: ['linh.nguyen@halcyon-logistics.com'], seen: [2] });
  add({ id: 'f_pat_forever', rule: 'credential-no-expiry', family: 'credential-hygiene', severity: 'low', subject: ids.foreverPat, subjectName: 'ci-forever (dmuller)',
    title: 'Token never expires', evidence: { expires_at: null }, owasp: 'NHI7:2025', nist: 'PR.AA-01', owners: ['dieter.muller@halcyon-logistics.com'], seen: [1], carried: true });
  return { db, outDir: path.resolve('test/.tmp', `report-out-${process.pid}-${counter}`), ids };
}
