// Token-shaped text in provider data is masked at the write boundary: a value of every declared token
// format is planted in names and descriptions of every provider's objects and in error bodies; after a
// full `run` (crawl, reconcile, report in every format, every alert channel) and a `db backup`, none of
// them is in the database, its WAL, the backup, any report file, any alert payload or any log line.
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AzureScenario } from '../../connectors/azure/simulator/scenario.ts';
import type { GithubScenario } from '../../connectors/github/simulator/scenario.ts';
import type { GoogleScenario } from '../../connectors/google/simulator/scenario.ts';
import type { SlackScenario } from '../../connectors/slack/simulator/scenario.ts';
import { buildDemoScenario } from '../../scenarios/demo/index.ts';
import { executeRun, type RunOutcome } from '../../src/cli/run.ts';
import { main } from '../../src/cli/main.ts';
import { configFromObject } from '../../src/config/config.ts';
import { loadConnectors } from '../../src/crawl/load-connectors.ts';
import { openDb, type Db } from '../../src/graph/db.ts';
import { createLogger } from '../../src/util/log.ts';
import { startOpsEnv, startReceiver, type OpsEnv, type Receiver } from '../ops/helpers.ts';

/** `marker` preceded by digits to `n` characters (all alphanumeric, so it fits every format's alphabet; the tail stays unique). */
const fill = (marker: string, n: number) => '0123456789'.repeat(12).slice(0, n - marker.length) + marker;

const PEM_LINES = ['MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDplantedPemLineOne', 'u7Jk0aPlantedPemLineTwoZx9QwErTyUiOpAsDfGhJkLzXcVbNm0123456789abcd'];
const PEM_TRUNCATED_LINE = 'MIIEpAIBAAKCAQEAplantedTruncatedPemBodyWithoutItsEndLine0123456789';

/** Every declared format; `find` are the substrings that must not survive (the secret part of the value). */
const PLANTED = {
  ghp: `ghp_${fill('PlantedGhpName', 36)}`,
  gho: `gho_${fill('PlantedGhoDesc', 36)}`,
  ghu: `ghu_${fill('PlantedGhuPat', 36)}`,
  ghs: `ghs_${fill('PlantedGhsHook', 36)}`,
  ghr: `ghr_${fill('PlantedGhrCredTitle', 36)}`,
  githubPat: `github_pat_11${fill('PLANTEDPAT', 20)}_${fill('plantedFineGrainedKeyTitle', 59)}`,
  ghpError: `ghp_${fill('PlantedGhpErrorBody', 36)}`,
  xoxb: `xoxb-1234567890-1234567890123-${fill('PlantedXoxbAppName', 24)}`,
  xoxp: `xoxp-1234567890-1234567890-1234567890123-${fill('plantedxoxpbotrealname', 32)}`,
  xoxa: `xoxa-2-1234567890-${fill('PlantedXoxaBotName', 30)}`,
  xoxe: `xoxe-1-${fill('PlantedXoxeReason', 40)}`,
  xoxeRotated: `xoxe.xoxb-1-${fill('PlantedXoxeRotated', 40)}`,
  xapp: `xapp-1-A0PLANTED1-1234567890123-${fill('plantedxappappname', 64)}`,
  xoxbError: `xoxb-9876543210-9876543210987-${fill('PlantedXoxbErrorBody', 24)}`,
  slackHook: `https://hooks.slack.com/services/T0PLANTED/B0PLANTED/${fill('PlantedHookSecret', 24)}`,
  aiza: `AIza${fill('SyPlantedApiKeyDisplayText', 35)}`,
  ya29: `ya29.a0${fill('PlantedAccessTokenSaName', 60)}`,
  gocspx: `GOCSPX-${fill('PlantedClientSecret', 28)}`,
  googleRefresh: `1//0${fill('gPlantedRefreshToken', 40)}`,
  ya29Error: `ya29.a0${fill('PlantedGoogleErrorBody', 60)}`,
  entra: `abc8Q~${fill('PlantedEntraSecretAppName', 34)}`,
  entraKeyName: `Xy7Q~${fill('PlantedEntraKeyDisplayName', 34)}`,
  entraError: `zzz9Q~${fill('PlantedEntraErrorBody', 34)}`,
  jwt: `eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwbGFudGVkSnd0In0.${fill('PlantedJwtSignature', 43)}`,
  pem: `-----BEGIN PRIVATE KEY-----\n${PEM_LINES.join('\n')}\n-----END PRIVATE KEY-----\n`,
  pemTruncated: `-----BEGIN RSA PRIVATE KEY-----\n${PEM_TRUNCATED_LINE}`,
};
const MARKERS: Array<[string, string]> = Object.entries(PLANTED).flatMap(([k, v]) =>
  k === 'pem' ? PEM_LINES.map((l) => [k, l] as [string, string]) : k === 'pemTruncated' ? [[k, PEM_TRUNCATED_LINE]] : [[k, v], [k, v.slice(-16)]]);

/** The planted values found in `text` (by name). */
function leaks(text: string | Buffer): string[] {
  const s = typeof text === 'string' ? text : text.toString('latin1');
  return [...new Set(MARKERS.filter(([, m]) => s.includes(m)).map(([k]) => k))];
}

/** Every string of every row of every table: the logical check (raw bytes can split a value across overflow pages). */
function dbLeaks(db: Db): Record<string, string[]> {
  const found: Record<string, string[]> = {};
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
  for (const t of tables) {
    for (const row of db.prepare(`SELECT * FROM "${t}"`).iterate() as Iterable<Record<string, unknown>>) {
      for (const [col, v] of Object.entries(row)) {
        if (typeof v !== 'string') continue;
        const l = leaks(v);
        if (l.length) (found[`${t}.${col}`] ??= []).push(...l.filter((x) => !found[`${t}.${col}`]?.includes(x)));
      }
    }
  }
  return found;
}

function plant(o: OpsEnv): void {
  const P = PLANTED;
  const gh = o.scenario.github as GithubScenario;
  gh.apps![1]!.name = `dependabot helper ${P.ghp}`;
  gh.apps![2]!.description = `coverage uploads with ${P.gho} and ${P.jwt}`;
  gh.patGrants![0]!.token_name = `terraform ${P.ghu}`;
  gh.patRequests![0]!.reason = `export job; token ${P.jwt}`;
  gh.credentialAuthorizations![0]!.authorized_credential_title = `laptop ${P.ghr}`;
  const firstKeys = Object.entries(gh.deployKeys!).find(([repo]) => repo !== 'billing-api')![1];
  firstKeys[0]!.title = `ci deploy ${P.githubPat}`;
  const hook = gh.orgHooks![0]! as unknown as { name: string; config: Record<string, unknown> };
  hook.config = { ...hook.config, url: `https://siem.halcyon-logistics.com/github/${P.ghs}`, content_type: `json ${P.ghs}` };

  const sl = o.scenario.slack as SlackScenario;
  const ws = sl.workspaces[0]!;
  const logOf = (appId: string) => ws.integrationLogs.find((l) => l.app_id === appId && l.change_type === 'added')!;
  logOf('A0DATADOG1').app_type = `Datadog ${P.xoxb}`;
  logOf('A0LINEAR01').app_type = `Linear ${P.slackHook}`;
  logOf('A0JIRACL01').app_type = `Jira ${P.xapp}`;
  logOf('A0ZOOM0001').reason = `rotated ${P.xoxe} and ${P.xoxeRotated}`;
  const zoomBot = ws.users.find((u) => u.profile?.api_app_id === 'A0ZOOM0001')!;
  zoomBot.real_name = `Zoom ${P.xoxp}`;
  zoomBot.profile = { ...zoomBot.profile, real_name: `Zoom ${P.xoxp}` };
  ws.bots![0]!.name = `deploy-notifier ${P.xoxa}`;

  const go = o.scenario.google as GoogleScenario;
  const grant = Object.values(go.tokens!)[0]![0]!;
  grant.displayText = `${grant.displayText} ${P.aiza}`;
  const accounts = Object.values(go.serviceAccounts!).flat();
  accounts[0]!.displayName = `deploy ${P.ya29}`;
  accounts[0]!.description = `key pasted by mistake: ${P.pem}`;
  accounts[1]!.description = `client secret ${P.gocspx}, refresh ${P.googleRefresh}, ${P.pemTruncated}`;

  const az = o.scenario.azure as AzureScenario;
  const app = az.applications[0]!;
  app.displayName = `${app.displayName} ${P.entra}`;
  app.notes = `rotation note ${P.jwt} ${P.pem}`;
  app.description = `billing api ${P.xoxb}`;
  (app.passwordCredentials as Array<{ displayName: string }>)[0]!.displayName = P.entraKeyName;
  const sp = az.servicePrincipals.find((s) => s.appId === app.appId)!;
  sp.displayName = `${sp.displayName} ${P.entra}`;
  sp.notes = `owner wrote ${P.aiza}`;
}

/** A token in an error body of every provider: it reaches the ledger's error text. */
function errorFaults(o: OpsEnv): void {
  const P = PLANTED;
  o.sims.handles.get('github')!.setFaults([{ route: 'deploy-keys', path: '/billing-api/', kind: 'status', status: 500, body: { message: `upstream said ${P.ghpError}` } }]);
  o.sims.handles.get('slack')!.setFaults([{ route: 'bots.info', kind: 'status', status: 200, body: { ok: false, error: `fatal_error ${P.xoxbError}` } }]);
  o.sims.handles.get('google')!.setFaults([{ route: 'service-account-keys', kind: 'status', status: 500,
    body: { error: { code: 500, message: `backend error ${P.ya29Error}`, status: 'INTERNAL' } } }]);
  o.sims.handles.get('azure')!.setFaults([{ route: 'app-fic', kind: 'status', status: 500,
    body: { error: { code: 'InternalServerError', message: `boom ${P.entraError}` } } }]);
}

interface Mail { raw: string }
async function startSmtp(): Promise<{ port: number; mails: Mail[]; close(): Promise<void> }> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onAuth(auth, _s, cb) { cb(null, { user: auth.username }); },
    onData(stream, _session, cb) {
      let raw = '';
      stream.on('data', (d: Buffer) => { raw += d.toString(); });
      stream.on('end', () => { mails.push({ raw }); cb(); });
    },
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  return { port: (server.server.address() as AddressInfo).port, mails, close: () => new Promise((res) => server.close(() => res())) };
}

/** Quoted-printable soft line breaks and escapes undone, enough to search the text. */
const qpDecode = (s: string) => s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath ?? d.path, d.name));
}

describe('token-shaped provider text never reaches the db, WAL, backups, reports or alerts', () => {
  let o: OpsEnv;
  let slack: Receiver; let hook: Receiver;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const logs: string[] = [];
  let outcome: RunOutcome;
  let dbFile: string; let backupFile: string; let reportDir: string;
  let walBytes: Buffer;

  beforeAll(async () => {
    [o, slack, hook, smtp] = await Promise.all([startOpsEnv({ scenario: buildDemoScenario() }), startReceiver(), startReceiver(), startSmtp()]);
    plant(o);
    errorFaults(o);
    dbFile = path.join(o.dir, 'masking.db');
    reportDir = path.join(o.dir, 'reports');
    backupFile = path.join(o.dir, 'masking-backup.db');
    const env = { ...o.env, TEST_SLACK_URL: slack.url, TEST_HOOK_URL: hook.url, TEST_HOOK_SECRET: 'hmac-secret-for-masking', TEST_SMTP_PASSWORD: 'smtp-pass' };
    const config = configFromObject({ ...o.config, database: dbFile, report: { dir: reportDir }, retry: { maxRetries: 1, baseDelayMs: 10 },
      alerts: { minSeverity: 'info', crawlProblems: true, retry: { attempts: 1, baseDelayMs: 10 }, timeoutMs: 5000,
        slack: { webhookUrlEnv: 'TEST_SLACK_URL' }, webhook: { urlEnv: 'TEST_HOOK_URL', secretEnv: 'TEST_HOOK_SECRET' },
        email: { host: '127.0.0.1', port: smtp.port, from: 'nhi-census@halcyon.example', to: ['secops@halcyon.example'], user: 'nhi', passwordEnv: 'TEST_SMTP_PASSWORD' } } },
    await loadConnectors(), '(test)');
    // A second connection held open keeps the WAL file (the last connection to close would checkpoint and delete it).
    const holder = openDb(dbFile);
    try {
      outcome = await executeRun({ config, dbFile, env, report: true, log: createLogger({ format: 'json', level: 'debug', write: (l) => logs.push(l) }) });
      walBytes = fs.readFileSync(`${dbFile}-wal`);
    } finally { holder.close(); }
    const stderr = process.stderr.write;
    const stdout = process.stdout.write;
    process.stdout.write = (() => true) as never;
    process.stderr.write = (() => true) as never;
    try { expect(await main(['node', 'nhi-census', 'db', 'backup', backupFile, '--db', dbFile])).toBe(0); } finally {
      process.stdout.write = stdout; process.stderr.write = stderr;
    }
  }, 180_000);
  afterAll(async () => { await Promise.all([o?.close(), slack?.close(), hook?.close(), smtp?.close()]); });

  it('the planted values reached the tool (so the checks below can fail)', () => {
    expect(outcome.exitCode).not.toBe(4); // the crawl ran (partially: the faults)
    const db = openDb(dbFile, { readonly: true });
    try {
      for (const p of ['github', 'slack', 'google', 'azure']) {
        const masked = db.prepare("SELECT count(*) FROM nodes WHERE provider = ? AND (name LIKE '%[REDACTED]%' OR props LIKE '%[REDACTED]%')").pluck().get(p) as number;
        expect(masked, `${p}: a planted name or description is in the graph, masked`).toBeGreaterThan(0);
        const errors = db.prepare('SELECT error FROM run_resources WHERE provider = ? AND error IS NOT NULL').pluck().all(p) as string[];
        expect(errors.join('\n'), `${p}: the error body reached the ledger, masked`).toContain('[REDACTED]');
      }
      const titles = db.prepare("SELECT count(*) FROM findings WHERE title LIKE '%[REDACTED]%' OR evidence LIKE '%[REDACTED]%'").pluck().get() as number;
      expect(titles, 'findings name masked connectors').toBeGreaterThan(0);
    } finally { db.close(); }
    expect(slack.requests).toHaveLength(1);
    expect(hook.requests).toHaveLength(1);
    expect(smtp.mails).toHaveLength(1);
    expect(hook.requests[0]!.body).toContain('[REDACTED]');
    expect(walBytes.length).toBeGreaterThan(0);
    expect(fs.readFileSync(filesUnder(reportDir).find((f) => f.endsWith('report.md'))!, 'utf8')).toContain('REDACTED'); // Markdown escapes the brackets
    expect(qpDecode(smtp.mails[0]!.raw)).toContain('[REDACTED]');
  });

  it('no table of the database holds a planted value, nor of its backup', () => {
    for (const file of [dbFile, backupFile]) {
      const db = openDb(file, { readonly: true });
      try { expect(dbLeaks(db), file).toEqual({}); } finally { db.close(); }
    }
  });

  it('the raw bytes of the db file, its WAL and the backup hold none', () => {
    expect(leaks(fs.readFileSync(dbFile)), 'db file').toEqual([]);
    expect(leaks(walBytes), 'WAL').toEqual([]);
    expect(leaks(fs.readFileSync(backupFile)), 'backup').toEqual([]);
  });

  it('no report file (Markdown, HTML, CSV, JSON) holds one', () => {
    const files = filesUnder(reportDir);
    expect(files.map((f) => path.basename(f))).toEqual(expect.arrayContaining(['report.md', 'report.html', 'findings.csv', 'connectors.csv', 'report.json']));
    for (const f of files) expect(leaks(fs.readFileSync(f)), f).toEqual([]);
  });

  it('no alert payload (Slack, webhook, e-mail) holds one', () => {
    for (const r of slack.requests) expect(leaks(r.body), 'slack').toEqual([]);
    for (const r of hook.requests) expect(leaks(r.body), 'webhook').toEqual([]);
    for (const m of smtp.mails) {
      expect(m.raw, 'every part readable by the search below (quoted-printable, not base64)').not.toMatch(/content-transfer-encoding:\s*base64/i);
      expect(leaks(m.raw), 'email').toEqual([]);
      expect(leaks(qpDecode(m.raw)), 'email (decoded)').toEqual([]);
    }
  });

  it('no log line holds one', () => {
    expect(leaks(logs.join('\n'))).toEqual([]);
  });
});
