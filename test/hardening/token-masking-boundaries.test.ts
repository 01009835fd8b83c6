// Each write boundary masks on its own, not only the graph writer: a database written before masking
// existed (token-shaped text already in node names, props, findings and the ledger) still yields masked
// findings from `nhi-census reconcile` (a command that loads no connector, only their token formats),
// masked report files, and masked alert payloads.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from '../../reports/write-report.ts';
import { configFromObject } from '../../src/config/config.ts';
import { loadConnectors, loadSecretPatterns } from '../../src/crawl/load-connectors.ts';
import { openDb, type Db } from '../../src/graph/db.ts';
import { notify } from '../../src/notify/index.ts';
import { silentLogger } from '../../src/util/log.ts';
import { cli, startReceiver, type Receiver } from '../ops/helpers.ts';
import { connector, crawlRun, entry } from '../reconcile/helpers.ts';

const TOKENS = {
  github: `ghp_${'8'.repeat(26)}LegacyGhpToken`,
  slack: `xoxb-1234567890-1234567890123-${'8'.repeat(10)}LegacyXoxbTkn`,
  google: `AIza${'8'.repeat(21)}LegacyApiKeyGo`,
  azure: `abc8Q~${'8'.repeat(20)}LegacyEntraSecret`,
};
const leaked = (text: string) => Object.entries(TOKENS).filter(([, t]) => text.includes(t) || text.includes(t.slice(-14))).map(([p]) => p);

describe('every boundary masks even what an older version stored unmasked', () => {
  const dir = path.resolve('test/.tmp', `legacy-tokens-${process.pid}`);
  const dbFile = path.join(dir, 'legacy.db');
  let db: Db;
  let hook: Receiver; let slack: Receiver;

  beforeAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const setup = openDb(dbFile);
    crawlRun(setup, 'github', { 'github.app_installations': { nodes: [connector('github', '9001', { vendor: 'acme' }, 'shadow-app')] } });
    // what a version without write-boundary masking left behind
    setup.prepare("UPDATE nodes SET name = ?, props = json_set(props, '$.vendor', ?) WHERE id = 'github:connector:9001'")
      .run(`shadow-app ${TOKENS.github} ${TOKENS.slack}`, `vendor ${TOKENS.google} ${TOKENS.azure}`);
    setup.close();
    fs.writeFileSync(path.join(dir, 'inventory.yaml'), YAML.stringify({ version: 1, entries: [entry('something-else')] }));
    [hook, slack] = await Promise.all([startReceiver(), startReceiver()]);
    await loadSecretPatterns(); // what the CLI does first, for the in-process steps below (the reconcile step spawns the CLI)
  }, 60_000);
  afterAll(async () => { db?.close(); await Promise.all([hook?.close(), slack?.close()]); });

  it('`nhi-census reconcile` writes findings with every provider format masked (formats registered without loading connectors)', async () => {
    const r = await cli(['reconcile', '--db', dbFile, '-i', path.join(dir, 'inventory.yaml')]);
    expect(r.code, r.stderr).toBe(0);
    db = openDb(dbFile);
    const rows = db.prepare("SELECT subject_name, title, evidence, remediation, owners FROM findings WHERE subject_id = 'github:connector:9001'").all() as Record<string, string>[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((x) => x.title).join('\n')).toContain('[REDACTED]');
    expect(leaked(JSON.stringify(rows))).toEqual([]);
    expect(leaked(r.stdout + r.stderr)).toEqual([]);
  }, 60_000);

  it('report files are masked even when findings and the ledger hold unmasked text', () => {
    db.prepare("UPDATE findings SET title = title || ?, evidence = json_set(evidence, '$.note', ?) WHERE subject_id = 'github:connector:9001'")
      .run(` ${TOKENS.github}`, TOKENS.azure);
    db.prepare('UPDATE run_resources SET status = ?, error = ?').run('partial', `listing failed: ${TOKENS.slack} ${TOKENS.google}`);
    const out = path.join(dir, 'report');
    const now = new Date();
    const r = writeReport(db, out, { month: now.toISOString().slice(0, 7), organisation: 'Acme', now });
    expect(r.files.length).toBeGreaterThanOrEqual(5);
    for (const f of r.files) expect(leaked(fs.readFileSync(f.path, 'utf8')), f.name).toEqual([]);
    expect(fs.readFileSync(path.join(out, 'report.json'), 'utf8')).toContain('[REDACTED]');
  });

  it('alert payloads of every channel are masked, and so is the delivery ledger', async () => {
    const config = configFromObject({ alerts: { minSeverity: 'info', retry: { attempts: 1, baseDelayMs: 1 }, timeoutMs: 5000,
      slack: { webhookUrlEnv: 'T_SLACK' }, webhook: { urlEnv: 'T_HOOK', secretEnv: 'T_SECRET' } } }, await loadConnectors(), '(test)');
    const results = await notify({ db, config: config.base.alerts!, env: { T_SLACK: slack.url, T_HOOK: hook.url, T_SECRET: 's3cret-for-test' }, log: silentLogger,
      organisation: 'Acme', pipelineRunId: null, crawlRunId: 1,
      crawlProblems: [{ provider: 'github', status: 'partial', runId: 1, errors: [`github/deploy_keys: upstream said ${TOKENS.github} ${TOKENS.slack}`] }] });
    expect(results.map((x) => x.status)).toEqual(['delivered', 'delivered']);
    for (const body of [...slack.requests, ...hook.requests].map((x) => x.body)) {
      expect(body).toContain('[REDACTED]');
      expect(leaked(body)).toEqual([]);
    }
    expect(leaked(JSON.stringify(db.prepare('SELECT * FROM alert_deliveries').all()))).toEqual([]);
  });
});
