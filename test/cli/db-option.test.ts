// `--db` on every command that opens the graph (src/cli/options.ts dbOption): a SQLite file or a postgres:// URL,
// also from NHI_CENSUS_DATABASE_URL — the option wins over the variable, the variable over the default.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../../src/graph/db.ts';
import { runMain } from './run-main.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-dbopt-'));
const make = (name: string, marker: string) => {
  const file = path.join(dir, name);
  const db = openDb(file, { noBackup: true });
  db.prepare("INSERT INTO database_identity (id, created_at) VALUES (?, '2026-01-01T00:00:00Z')").run(marker);
  db.close();
  return file;
};

describe('--db and NHI_CENSUS_DATABASE_URL', () => {
  afterEach(() => { delete process.env.NHI_CENSUS_DATABASE_URL; });

  it('the variable names the database when --db is not given; --db wins over it', async () => {
    const a = make('a.db', 'from-variable');
    const b = make('b.db', 'from-option');
    process.env.NHI_CENSUS_DATABASE_URL = a;
    const q = "select id from database_identity where id like 'from-%'";
    const viaEnv = await runMain(['query', '--format', 'json', q]);
    expect(viaEnv.code, viaEnv.stderr).toBe(0);
    expect(JSON.parse(viaEnv.stdout)).toEqual([{ id: 'from-variable' }]);
    const viaOption = await runMain(['query', '--db', b, '--format', 'json', q]);
    expect(JSON.parse(viaOption.stdout)).toEqual([{ id: 'from-option' }]);
  });

  it('every command that opens the graph documents the variable in its help', async () => {
    for (const cmd of [['query'], ['runs'], ['reconcile'], ['report'], ['prune'], ['crawl'], ['run'], ['demo'], ['db', 'info'], ['db', 'copy'], ['inventory', 'draft']]) {
      const h = await runMain([...cmd, '--help']);
      if (cmd[1] === 'copy') { expect(h.stdout).toMatch(/--to <url>/); continue; }
      expect(h.stdout, cmd.join(' ')).toMatch(/--db <file\|url>[\s\S]*NHI_CENSUS_DATABASE_URL/);
    }
  });
});
