// Helpers for the scheduled-operation tests: the demo simulators started in the test process, a config
// file pointing `nhi-census run` at them, the binary spawned as a scheduler would, and small local
// receivers (Slack-shaped webhook, generic signed webhook) on 127.0.0.1.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import YAML from 'yaml';
import { loadConnectors } from '../../src/crawl/load-connectors.ts';
import { openDb, type Db } from '../../src/graph/db.ts';
import type { Fault } from '../../src/simulator/faults.ts';
import type { Scenario } from '../../src/simulator/scenario.ts';
import { startScenario, type RunningSimulators } from '../../src/simulator/start-all.ts';
import { buildDemoScenario } from '../../scenarios/demo/index.ts';
import { DEMO_INVENTORY } from '../../src/cli/reconcile.ts';

export const BIN = path.resolve('bin/nhi-census.js');
let counter = 0;

export interface OpsEnv {
  dir: string;
  configFile: string;
  dbFile: string;
  env: Record<string, string>;
  sims: RunningSimulators;
  scenario: Scenario;
  /** The config object written to configFile (patch + rewrite with writeConfig). */
  config: Record<string, unknown>;
  writeConfig(patch?: Record<string, unknown>): void;
  /** Hold every request (after the first `after` ones) for `delayMs` in every simulator. */
  hold(delayMs: number, after?: number): void;
  /** Stop holding new requests. */
  release(): void;
  /** Requests held (or being held) since the last hold(). */
  held(): number;
  close(): Promise<void>;
}

/**
 * `database`: where the graph lives (default: nhi-census.db in the env's folder) — a PostgreSQL URL for the suites that
 * run on both backends (test/helpers/backends.ts testDbLocation); `dbFile` is then that URL.
 */
export async function startOpsEnv(opts: { faults?: Fault[]; only?: string[]; config?: Record<string, unknown>; scenario?: Scenario; database?: string } = {}): Promise<OpsEnv> {
  const dir = path.resolve('test/.tmp', `ops-${process.pid}-${++counter}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const scenario = opts.scenario ?? buildDemoScenario();
  const sims = await startScenario(scenario, await loadConnectors(), { faults: opts.faults, only: opts.only });
  const dbFile = opts.database ?? path.join(dir, 'nhi-census.db');
  const configFile = path.join(dir, 'nhi-census.yaml');
  const config: Record<string, unknown> = { database: dbFile, organisation: 'Halcyon Logistics', inventory: DEMO_INVENTORY,
    providers: sims.providers, report: { dir: path.join(dir, 'reports') }, ...(opts.config ?? {}) };
  const env = { ...sims.env };
  const o: OpsEnv = {
    dir, configFile, dbFile, env, sims, scenario, config,
    writeConfig(patch = {}) { Object.assign(config, patch); fs.writeFileSync(configFile, YAML.stringify(config)); },
    hold(delayMs, after) { for (const h of sims.handles.values()) h.setFaults([{ route: '*', kind: 'delay', delayMs, after }]); },
    release() { for (const h of sims.handles.values()) h.setFaults([]); },
    held() { return [...sims.handles.values()].reduce((n, h) => n + (h.faults[0]?.fired ?? 0), 0); },
    async close() { o.release(); await sims.close(); },
  };
  o.writeConfig();
  return o;
}

/**
 * Reads the env's graph as a separate process would, on either backend: one read-only connection, opened at the first
 * read (the database exists once a run created it) and closed by `close()`. Counts come back as numbers.
 */
export function graphReader(o: Pick<OpsEnv, 'dbFile'>): { q<T>(sql: string, ...params: unknown[]): T[]; one(sql: string, ...params: unknown[]): number; close(): void } {
  let db: Db | null = null;
  const conn = () => (db ??= openDb(o.dbFile, { readonly: true, postgres: true }));
  const q = <T>(sql: string, ...params: unknown[]): T[] => conn().prepare(sql).all(...params) as T[];
  return {
    q,
    one: (sql, ...params) => Number(Object.values(q<Record<string, unknown>>(sql, ...params)[0]!)[0]),
    close() { if (db?.open) db.close(); db = null; },
  };
}

export interface CliResult { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

/** Spawns the binary; `done` settles when it exits. */
export function spawnCli(args: string[], env: Record<string, string> = {}): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = ''; let stderr = '';
  child.stdout!.on('data', (d) => { stdout += d; });
  child.stderr!.on('data', (d) => { stderr += d; });
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

export function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return spawnCli(args, env).done;
}

export async function until(cond: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface Receiver {
  url: string;
  requests: Array<{ headers: http.IncomingHttpHeaders; body: string }>;
  /** Status to answer with, per request index (default 200). */
  statusFor: (i: number) => number;
  close(): Promise<void>;
}

export async function startReceiver(statusFor: (i: number) => number = () => 200): Promise<Receiver> {
  const r: Receiver = { url: '', requests: [], statusFor, close: async () => {} };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const i = r.requests.length;
      r.requests.push({ headers: req.headers, body });
      res.writeHead(r.statusFor(i), { 'content-type': 'text/plain' }).end(r.statusFor(i) < 300 ? 'ok' : 'error');
    });
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/T000/B000/secretpart`;
  r.close = () => new Promise((res) => { server.closeAllConnections(); server.close(() => res()); });
  return r;
}
