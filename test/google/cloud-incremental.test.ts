// Incremental Cloud crawls: the Admin Activity audit log (Cloud Logging entries:list) decides which projects'
// IAM policies and service accounts, and which accounts' keys, are read again; the rest are kept (not removed,
// not re-read). A failed audit read falls back to a full re-read, noted in the ledger. Call counts show it.
import { afterEach, expect, test } from 'vitest';
import { startSimCrawl, type SimCrawl } from '../helpers/sim-crawl.ts';
import { ids } from '../../connectors/google/map-helpers.ts';
import { auditEntry } from '../../connectors/google/simulator/scenario.ts';
import { demoGoogle, fastQuotas, live, liveEdge } from './fixtures.ts';

let c: SimCrawl | undefined;
afterEach(async () => { await c?.close(); c = undefined; });

const patch = { ...fastQuotas, quotas: { ...fastQuotas.quotas, logging: 1_000_000 } };
const routes = (sim: SimCrawl['sim'], from: number) => {
  const n: Record<string, number> = {};
  for (const e of sim.log.slice(from)) n[e.route] = (n[e.route] ?? 0) + 1;
  return n;
};

test('after one project policy change, only that project is re-read; the others are kept, nothing removed', async () => {
  const s = demoGoogle();
  c = await startSimCrawl('google', s);
  await c.crawl({ configPatch: patch });
  const [changed, quiet] = s.projects!;
  const liveBefore = c.db.prepare('SELECT count(*) FROM nodes WHERE removed_run IS NULL').pluck().get() as number;
  const ext = 'user:contractor@partner.example';
  (s.iamPolicies![changed!.projectId] ??= { bindings: [] }).bindings!.push({ role: 'roles/viewer', members: [ext] });
  s.cloudAuditLog = [auditEntry(changed!.projectId, 'SetIamPolicy', `projects/${changed!.projectId}`)];

  const from = c.sim.log.length;
  const inc = await c.crawl({ mode: 'incremental', configPatch: patch });
  const n = routes(c.sim, from);
  expect(n['log-entries']).toBe(1); // one audit query for the page of projects
  expect(n['project-iam-policy']).toBe(1);
  expect(n['service-accounts']).toBe(1);
  // only the changed project's accounts' keys may be read (at most its accounts), none of the quiet projects'
  expect(n['service-account-keys'] ?? 0).toBeLessThanOrEqual(s.serviceAccounts![changed!.projectId]!.length);
  expect(c.sim.log.slice(from).some((e) => e.path.includes(`/projects/${quiet!.projectId}`))).toBe(false);
  expect(inc.totals.removed).toBe(0);
  expect(liveEdge(c.db, ids.member(ext), 'CAN_ACCESS', ids.project(changed!.projectId))).toBe(true);
  const liveAfter = c.db.prepare('SELECT count(*) FROM nodes WHERE removed_run IS NULL').pluck().get() as number;
  expect(liveAfter).toBe(liveBefore + 1);
  for (const sa of s.serviceAccounts![quiet!.projectId]!) expect(live(c.db, ids.serviceAccount(sa.email))).toBe(true);
  expect(inc.resources.find((r) => r.resourceType === 'google.project_iam')!.status).toBe('complete');
});

test('a new key on one service account is picked up; only that account\'s keys are listed again', async () => {
  const s = demoGoogle();
  c = await startSimCrawl('google', s);
  await c.crawl({ configPatch: patch });
  // a quiet run: the IAM and account listings' watermarks move on; the keys listings (not scheduled) keep the full crawl's
  await c.crawl({ mode: 'incremental', configPatch: patch });
  const project = s.projects![1]!;
  const sa = s.serviceAccounts![project.projectId]![0]!;
  const keyName = `projects/${project.projectId}/serviceAccounts/${sa.email}/keys/feedfacefeedfacefeedfacefeedface00000001`;
  (s.keys![sa.email] ??= []).push({ name: keyName, keyType: 'USER_MANAGED', validAfterTime: new Date().toISOString(), validBeforeTime: '9999-12-31T23:59:59Z' });
  s.cloudAuditLog = [auditEntry(project.projectId, 'google.iam.admin.v1.CreateServiceAccountKey', `projects/-/serviceAccounts/${sa.uniqueId}`)];

  const from = c.sim.log.length;
  await c.crawl({ mode: 'incremental', configPatch: patch });
  const n = routes(c.sim, from);
  expect(n['service-account-keys']).toBe(1);
  expect(n['project-iam-policy']).toBe(1);
  expect(live(c.db, ids.saKey(keyName))).toBe(true);
});

test('an audit-log failure falls back to a full re-read, and the ledger says so', async () => {
  const s = demoGoogle();
  c = await startSimCrawl('google', s);
  const full = await c.crawl({ configPatch: patch });
  const fullIam = full.resources.find((r) => r.resourceType === 'google.project_iam')!.apiCalls;
  const fullKeys = full.resources.find((r) => r.resourceType === 'google.service_account_keys')!.apiCalls;
  await c.restartSim({ faults: [{ route: 'log-entries', kind: 'status', status: 403, body: { error: { code: 403, message: 'Permission denied', status: 'PERMISSION_DENIED' } } }] });
  const inc = await c.crawl({ mode: 'incremental', configPatch: patch });
  const iam = inc.resources.find((r) => r.resourceType === 'google.project_iam')!;
  expect(iam.apiCalls).toBe(fullIam);
  expect(inc.resources.find((r) => r.resourceType === 'google.service_account_keys')!.apiCalls).toBe(fullKeys);
  expect(iam.notes).toMatch(/Cloud audit log not read .*roles\/logging\.viewer/);
  expect(inc.resources.find((r) => r.resourceType === 'google.projects')!.notes).toMatch(/Cloud audit log not read/);
  expect(inc.totals.removed).toBe(0);
});

test('a full crawl re-reads everything and sends no audit query', async () => {
  const s = demoGoogle();
  c = await startSimCrawl('google', s);
  const first = await c.crawl({ configPatch: patch });
  const from = c.sim.log.length;
  const again = await c.crawl({ configPatch: patch });
  expect(routes(c.sim, from)['log-entries']).toBeUndefined();
  for (const t of ['google.project_iam', 'google.service_accounts', 'google.service_account_keys']) {
    expect(again.resources.find((r) => r.resourceType === t)!.apiCalls).toBe(first.resources.find((r) => r.resourceType === t)!.apiCalls);
  }
});

test('a keys listing that failed is read again next time; listings that completed are not, for the same entry', async () => {
  const s = demoGoogle();
  c = await startSimCrawl('google', s);
  const noOverlap = { ...patch, cloudAuditOverlapMinutes: 0 };
  await c.crawl({ configPatch: noOverlap });
  const project = s.projects![0]!;
  const sa = s.serviceAccounts![project.projectId]![0]!;
  const keyName = `projects/${project.projectId}/serviceAccounts/${sa.email}/keys/feedfacefeedfacefeedfacefeedface00000002`;
  (s.keys![sa.email] ??= []).push({ name: keyName, keyType: 'USER_MANAGED' });
  s.cloudAuditLog = [auditEntry(project.projectId, 'google.iam.admin.v1.CreateServiceAccountKey', `projects/-/serviceAccounts/${sa.uniqueId}`)];
  await c.restartSim({ faults: [{ route: 'service-account-keys', path: sa.email, kind: 'status', status: 404 }] });
  const failed = await c.crawl({ mode: 'incremental', configPatch: noOverlap });
  expect(failed.resources.find((r) => r.resourceType === 'google.service_account_keys')!.status).not.toBe('complete');
  expect(live(c.db, ids.saKey(keyName))).toBe(false);

  await c.restartSim();
  const from = c.sim.log.length;
  await c.crawl({ mode: 'incremental', configPatch: noOverlap });
  const n = routes(c.sim, from);
  expect(n['service-account-keys']).toBe(1); // the failed one, for the same entry
  expect(n['project-iam-policy'] ?? 0).toBe(0); // completed last time: the entry is older than its watermark
  expect(n['service-accounts']).toBe(1); // read again so the failed keys listing is scheduled
  expect(live(c.db, ids.saKey(keyName))).toBe(true);
});
