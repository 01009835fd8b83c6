// Test helper: a throw-away PostgreSQL server for the PostgreSQL suites (issue 18). NHI_TEST_POSTGRES_URL names an
// existing server to use instead (a fresh database is created on it per call and dropped after). Otherwise a
// cluster is made from Debian's binaries (initdb on PATH or under /usr/lib/postgresql/<version>/bin) in a temporary
// directory, on a free loopback port, without durability (fsync off: it is thrown away), as the `postgres` user
// (or nobody) when the tests run as root — PostgreSQL refuses to run as root. Without PostgreSQL the caller gets
// `skipped` with the reason, unless NHI_REQUIRE_POSTGRES=1 (set by .ci/run), which makes a missing server an error.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, type TestContext } from 'vitest';
import pg from 'pg';

export interface TestPostgres { url: string; stop(): Promise<void> }
export type PostgresOrSkip = TestPostgres | { skipped: string };

function findBin(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) if (dir && fs.existsSync(path.join(dir, name))) return path.join(dir, name);
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) { const p = path.join(root, v, 'bin', name); if (fs.existsSync(p)) return p; }
  return null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => { const port = (srv.address() as net.AddressInfo).port; srv.close(() => resolve(port)); });
  });
}

/** Runs a PostgreSQL binary, as an unprivileged user when we are root. */
function runAs(user: string | null, bin: string, args: string[]): void {
  const [cmd, argv] = user ? ['runuser', ['-u', user, '--', bin, ...args]] : [bin, args];
  execFileSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
}

async function freshDatabase(serverUrl: string): Promise<TestPostgres> {
  const name = `nhi_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try { await admin.query(`CREATE DATABASE ${name}`); } finally { await admin.end(); }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async stop() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      try { await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); } finally { await c.end(); }
    },
  };
}

/** Why startPostgres() would skip (no server to use or make), or null when it can start one; decided without starting it. */
export function postgresSkipReason(): string | null {
  if (process.env.NHI_TEST_POSTGRES_URL || (findBin('initdb') && findBin('pg_ctl'))) return null;
  return 'PostgreSQL suite skipped: no initdb/pg_ctl (install Debian\'s postgresql package, or set NHI_TEST_POSTGRES_URL)';
}

/**
 * Starts one server for the enclosing describe block (or file) and stops it after; the returned function gives a
 * test its URL, or skips the test (saying why) where PostgreSQL is missing.
 */
export function usePostgres(): (ctx: TestContext) => string | null {
  let server: PostgresOrSkip | undefined;
  beforeAll(async () => { server = await startPostgres(); }, 120_000);
  afterAll(async () => { if (server && 'url' in server) await server.stop(); });
  return (ctx) => {
    if (!server || 'skipped' in server) { console.warn(server?.skipped ?? 'PostgreSQL suite skipped: the server did not start'); ctx.skip(); return null; }
    return server.url;
  };
}

export async function startPostgres(): Promise<PostgresOrSkip> {
  if (process.env.NHI_TEST_POSTGRES_URL) return freshDatabase(process.env.NHI_TEST_POSTGRES_URL);
  const initdb = findBin('initdb');
  const pgCtl = findBin('pg_ctl');
  if (!initdb || !pgCtl) {
    const reason = postgresSkipReason()!;
    if (process.env.NHI_REQUIRE_POSTGRES === '1') throw new Error(reason.replace('skipped', 'required (NHI_REQUIRE_POSTGRES=1)'));
    return { skipped: reason };
  }
  const root = process.getuid?.() === 0;
  const user = root ? (userExists('postgres') ? 'postgres' : 'nobody') : null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-pg-'));
  fs.chmodSync(dir, 0o700);
  if (root) execFileSync('chown', [user!, dir]);
  const data = path.join(dir, 'data');
  runAs(user, initdb, ['-D', data, '-U', 'nhi', '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C']);
  const port = await freePort();
  runAs(user, pgCtl, ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50`, 'start']);
  const server = `postgres://nhi@127.0.0.1:${port}/postgres`;
  const db = await freshDatabase(server);
  return {
    url: db.url,
    async stop() {
      try { runAs(user, pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop']); } finally { fs.rmSync(dir, { recursive: true, force: true }); }
    },
  };
}

function userExists(name: string): boolean {
  try { execFileSync('id', ['-u', name], { stdio: 'ignore' }); return true; } catch { return false; }
}
