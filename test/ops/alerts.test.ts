// Alerts: one digest per run per channel (Slack-shaped webhook, signed generic webhook, SMTP) with
// exactly the new findings at or above the threshold; nothing when nothing is new; a receiver that
// answers 500 is retried and the run still exits normally; the HMAC verifies; no secret reaches the
// logs or the database. The delivery ledger (a failed delivery retried, then sent again on the next run) runs on both
// backends (test/helpers/backends.ts); the digests and the partial crawl run on SQLite only — test/postgres/run-demo
// compares a PostgreSQL run's deliveries with SQLite's.
import fs from 'node:fs';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { configFromObject } from '../../src/config/config.ts';
import { loadConnectors } from '../../src/crawl/load-connectors.ts';
import { executeRun } from '../../src/cli/run.ts';
import { openDb } from '../../src/graph/db.ts';
import { verifySignature } from '../../src/notify/webhook.ts';
import { createLogger } from '../../src/util/log.ts';
import { describeBackends } from '../helpers/backends.ts';
import { startOpsEnv, startReceiver, type OpsEnv, type Receiver } from './helpers.ts';

const SECRET = 'hmac-test-secret-5f2b9c';
const SMTP_PASSWORD = 'smtp-pass-7d1e0a';

interface Mail { from: string; to: string[]; raw: string }
async function startSmtp(): Promise<{ port: number; mails: Mail[]; close(): Promise<void> }> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onAuth(auth, _s, cb) { cb(null, { user: auth.username }); },
    onData(stream, session, cb) {
      let raw = '';
      stream.on('data', (d: Buffer) => { raw += d.toString(); });
      stream.on('end', () => { mails.push({ from: String(session.envelope.mailFrom && session.envelope.mailFrom.address), to: session.envelope.rcptTo.map((r) => r.address), raw }); cb(); });
    },
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  return { port: (server.server.address() as AddressInfo).port, mails, close: () => new Promise((res) => server.close(() => res())) };
}

/** Quoted-printable soft line breaks and escapes undone, enough to search the text. */
function qpDecode(s: string): string {
  return s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

describeBackends('alerts', (backend) => {
  let o: OpsEnv;
  let slack: Receiver; let hook: Receiver;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const logs: string[] = [];
  const log = createLogger({ format: 'json', level: 'debug', write: (l) => logs.push(l) });
  let env: Record<string, string>;

  beforeAll(async () => {
    [o, slack, hook, smtp] = await Promise.all([startOpsEnv(), startReceiver(), startReceiver(), startSmtp()]);
    env = { ...o.env, TEST_SLACK_URL: slack.url, TEST_HOOK_URL: hook.url, TEST_HOOK_SECRET: SECRET, TEST_SMTP_PASSWORD: SMTP_PASSWORD };
  });
  afterAll(async () => { await Promise.all([o?.close(), slack?.close(), hook?.close(), smtp?.close()]); });

  const alerts = (over: Record<string, unknown> = {}) => ({
    minSeverity: 'critical', announceResolved: true, retry: { attempts: 3, baseDelayMs: 10 }, timeoutMs: 5000,
    slack: { webhookUrlEnv: 'TEST_SLACK_URL' }, webhook: { urlEnv: 'TEST_HOOK_URL', secretEnv: 'TEST_HOOK_SECRET' },
    email: { host: '127.0.0.1', port: smtp.port, from: 'nhi-census@halcyon.example', to: ['secops@halcyon.example'], user: 'nhi', passwordEnv: 'TEST_SMTP_PASSWORD' },
    ...over,
  });
  async function run(dbFile: string, alertCfg: Record<string, unknown>, extra: Record<string, unknown> = {}) {
    const config = configFromObject({ ...o.config, database: dbFile, alerts: alertCfg, retry: { maxRetries: 1, baseDelayMs: 10 }, ...extra }, await loadConnectors(), '(test)');
    return executeRun({ config, dbFile, log, env });
  }
  function newCritical(dbFile: string, reconId: number): string[] {
    const db = openDb(dbFile, { readonly: true, postgres: true });
    try {
      // open ones only: a finding folded into another (subsumed) or accepted is no action item and is not alerted
      return (db.prepare("SELECT id FROM findings WHERE first_seen_recon = ? AND severity = 'critical' AND status IN ('new','persisting') ORDER BY id").pluck().all(reconId) as string[]);
    } finally { db.close(); }
  }

  if (backend.name === 'sqlite') it('sends one digest per channel with exactly the new findings, then nothing while nothing is new', async () => {
    const dbFile = path.join(o.dir, 'alerts.db');
    const r1 = await run(dbFile, alerts());
    expect(r1.exitCode).toBe(0);
    const expected = newCritical(dbFile, r1.reconcile!.reconId);
    expect(expected.length).toBeGreaterThan(0);
    expect(r1.deliveries.map((d) => [d.channel, d.status, d.newFindings])).toEqual([['slack', 'delivered', expected.length],
      ['webhook', 'delivered', expected.length], ['email', 'delivered', expected.length]]);

    // Slack: Block Kit, one message.
    expect(slack.requests).toHaveLength(1);
    const sp = JSON.parse(slack.requests[0]!.body) as { text: string; blocks: Array<{ type: string; text?: { text: string } }> };
    expect(sp.text).toContain(`${expected.length} new finding`);
    expect(sp.blocks[0]!.type).toBe('header');
    const slackIds = [...slack.requests[0]!.body.matchAll(/`(f_[0-9a-f]{16})`/g)].map((m) => m[1]).sort();
    expect(slackIds).toEqual(expected.slice(0, 20));

    // Generic webhook: exactly the new findings, signed.
    expect(hook.requests).toHaveLength(1);
    const h = hook.requests[0]!;
    const body = JSON.parse(h.body) as { newFindings: Array<{ id: string; severity: string }>; crawlProblems: unknown[] };
    expect(body.newFindings.map((f) => f.id).sort()).toEqual(expected);
    expect(body.crawlProblems).toEqual([]);
    expect(verifySignature(SECRET, h.body, h.headers['x-nhi-census-timestamp'] as string, h.headers['x-nhi-census-signature'] as string)).toBe(true);
    expect(verifySignature(SECRET, h.body.replace('critical', 'low'), h.headers['x-nhi-census-timestamp'] as string, h.headers['x-nhi-census-signature'] as string)).toBe(false);
    expect(verifySignature('wrong-secret', h.body, h.headers['x-nhi-census-timestamp'] as string, h.headers['x-nhi-census-signature'] as string)).toBe(false);

    // E-mail.
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.to).toEqual(['secops@halcyon.example']);
    const text = qpDecode(smtp.mails[0]!.raw);
    for (const id of expected) expect(text).toContain(id);

    // Second run: nothing new, nothing sent.
    const r2 = await run(dbFile, alerts());
    expect(r2.exitCode).toBe(0);
    expect(r2.deliveries.map((d) => d.status)).toEqual(['nothing-to-send', 'nothing-to-send', 'nothing-to-send']);
    expect([slack.requests.length, hook.requests.length, smtp.mails.length]).toEqual([1, 1, 1]);
    // --fail-on: open findings at or above the threshold exit 5 (and still send nothing new).
    const config = configFromObject({ ...o.config, database: dbFile, alerts: alerts() }, await loadConnectors(), '(test)');
    const failing = await executeRun({ config, dbFile, log, env, failOn: 'critical' });
    expect(failing.exitCode).toBe(5);
    expect(hook.requests).toHaveLength(1);

    // A new admin-scoped app appears: the next digest has exactly the findings it raised.
    const gh = o.scenario.github as { installations: Array<Record<string, unknown>>; apps: Array<Record<string, unknown>> };
    gh.installations.push({ ...gh.installations[0]!, id: 9900, app_id: 990, app_slug: 'shadow-admin', client_id: 'Iv1.shadow' });
    gh.apps.push({ ...gh.apps[0]!, id: 990, slug: 'shadow-admin', name: 'shadow-admin' });
    const r3 = await run(dbFile, alerts());
    const added = newCritical(dbFile, r3.reconcile!.reconId);
    expect(added.length).toBeGreaterThan(0);
    expect(hook.requests).toHaveLength(2);
    expect((JSON.parse(hook.requests[1]!.body) as { newFindings: Array<{ id: string }> }).newFindings.map((f) => f.id).sort()).toEqual(added);
    expect(slack.requests).toHaveLength(2);
    expect(smtp.mails).toHaveLength(2);

    // It goes away: announced as resolved, once.
    gh.installations.pop(); gh.apps.pop();
    const r4 = await run(dbFile, alerts(), {});
    expect(r4.deliveries.every((d) => d.status === 'delivered' && d.newFindings === 0 && d.resolved === added.length)).toBe(true);
    expect((JSON.parse(hook.requests[2]!.body) as { resolved: Array<{ id: string }> }).resolved.map((f) => f.id).sort()).toEqual(added);
    const r5 = await run(dbFile, alerts());
    expect(r5.deliveries.map((d) => d.status)).toEqual(['nothing-to-send', 'nothing-to-send', 'nothing-to-send']);
    // It comes back after its resolution was announced: alerted again, once.
    gh.installations.push({ ...gh.installations[0]!, id: 9900, app_id: 990, app_slug: 'shadow-admin', client_id: 'Iv1.shadow' });
    gh.apps.push({ ...gh.apps[0]!, id: 990, slug: 'shadow-admin', name: 'shadow-admin' });
    const r6 = await run(dbFile, alerts());
    // (its earlier findings again, plus what is new this time: the scope change since the last run)
    const again = [...new Set([...added, ...newCritical(dbFile, r6.reconcile!.reconId)])].sort();
    expect(again.length).toBeGreaterThanOrEqual(added.length);
    expect(r6.deliveries.map((d) => [d.status, d.newFindings])).toEqual([['delivered', again.length], ['delivered', again.length], ['delivered', again.length]]);
    expect((JSON.parse(hook.requests[3]!.body) as { newFindings: Array<{ id: string }> }).newFindings.map((f) => f.id).sort()).toEqual(again);
    gh.installations.pop(); gh.apps.pop();

    // No secret in the logs or the database.
    const all = logs.join('\n');
    const dbBytes = fs.readFileSync(dbFile).toString('latin1') + (fs.existsSync(`${dbFile}-wal`) ? fs.readFileSync(`${dbFile}-wal`).toString('latin1') : '');
    for (const secret of ['secretpart', SECRET, SMTP_PASSWORD]) {
      expect(all).not.toContain(secret);
      expect(dbBytes).not.toContain(secret);
    }
    expect(all).toContain('"channel":"webhook"');
  }, 240_000);

  it('retries a receiver that answers 500; a failed delivery never fails the run and is sent again next run', async () => {
    const dbFile = backend.name === 'sqlite' ? path.join(o.dir, 'alerts-500.db') : backend.testDbLocation('alerts_500');
    const flaky = await startReceiver((i) => (i < 2 ? 500 : 200));
    const down = await startReceiver(() => 500);
    const e2 = { TEST_FLAKY_URL: flaky.url, TEST_DOWN_URL: down.url };
    Object.assign(env, e2);
    try {
      const cfg = alerts({ slack: { webhookUrlEnv: 'TEST_FLAKY_URL' }, webhook: { urlEnv: 'TEST_DOWN_URL', secretEnv: 'TEST_HOOK_SECRET' }, email: undefined });
      const r1 = await run(dbFile, cfg);
      expect(r1.exitCode).toBe(0);
      expect(r1.deliveries.map((d) => [d.channel, d.status, d.attempts])).toEqual([['slack', 'delivered', 3], ['webhook', 'failed', 3]]);
      expect(flaky.requests).toHaveLength(3);
      expect(down.requests).toHaveLength(3);
      // Every attempt of one delivery carries the same delivery id (receivers de-duplicate on it).
      expect(new Set(down.requests.map((r) => r.headers['x-nhi-census-delivery'])).size).toBe(1);
      const db = openDb(dbFile, { readonly: true, postgres: true });
      try {
        expect(db.prepare('SELECT channel, status, attempts, response, error FROM alert_deliveries ORDER BY id').all()).toEqual([
          { channel: 'slack', status: 'delivered', attempts: 3, response: 'HTTP 200', error: null },
          { channel: 'webhook', status: 'failed', attempts: 3, response: 'HTTP 500', error: 'webhook: HTTP 500' }]);
        expect(db.prepare("SELECT status FROM run_steps WHERE step = 'notify'").pluck().get()).toBe('partial');
      } finally { db.close(); }
      // The receiver recovers: the findings it missed are delivered on the next run; Slack gets nothing again.
      down.statusFor = () => 200;
      const r2 = await run(dbFile, cfg);
      expect(r2.deliveries.map((d) => [d.channel, d.status])).toEqual([['slack', 'nothing-to-send'], ['webhook', 'delivered']]);
      expect(r2.deliveries[1]!.newFindings).toBe(r1.deliveries[1]!.newFindings);
      expect(flaky.requests).toHaveLength(3);
    } finally { await Promise.all([flaky.close(), down.close()]); }
  }, 240_000);

  if (backend.name === 'sqlite') it('alerts on a provider crawl that went partial, and exits 3', async () => {
    const dbFile = path.join(o.dir, 'alerts-partial.db');
    const cfg = alerts({ slack: undefined, email: undefined });
    const before = hook.requests.length;
    await run(dbFile, cfg);
    o.sims.handles.get('github')!.setFaults([{ route: 'org-hooks', kind: 'status', status: 500 }]); // sent by every crawl (incremental ones list repository hooks only where the audit log says)
    try {
      const r = await run(dbFile, cfg);
      expect(r.exitCode).toBe(3);
      const last = JSON.parse(hook.requests.at(-1)!.body) as { newFindings: unknown[]; crawlProblems: Array<{ provider: string; status: string; runId: number }> };
      expect(hook.requests.length).toBe(before + 2);
      expect(last.newFindings).toEqual([]);
      expect(last.crawlProblems.map((p) => [p.provider, p.status, p.runId])).toEqual([['github', 'partial', r.crawl!.runId]]);
    } finally { o.sims.handles.get('github')!.setFaults([]); }
  }, 240_000);
});
