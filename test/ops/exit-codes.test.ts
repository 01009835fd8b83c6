// `nhi-census run` exit codes a scheduler acts on, for the cases that need no simulator: configuration
// errors (2, nothing written) and a database that cannot be opened (7): a SQLite file, or a PostgreSQL server.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers.ts';

const dir = path.resolve('test/.tmp', `ops-exit-${process.pid}`);
fs.mkdirSync(dir, { recursive: true });
const provider = { slack: { teamId: 'T1', tokenEnv: 'SLACK_TOKEN' } };

describe('run exit codes', () => {
  it('2 for a missing or invalid config, naming file, line and field; nothing written', async () => {
    expect((await cli(['run', '-c', path.join(dir, 'nope.yaml')])).code).toBe(2);
    const bad = path.join(dir, 'bad.yaml');
    const db = path.join(dir, 'bad.db');
    fs.writeFileSync(bad, YAML.stringify({ database: db, providers: provider, alerts: { slack: { webhookUrlEnv: 'https://hooks.slack.com/services/T/B/x' } } }));
    const r = await cli(['run', '-c', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:\d+.*alerts\.slack\.webhookUrlEnv.*NAME of an environment variable/);
    expect(r.stderr).not.toContain('hooks.slack.com/services/T/B/x');
    expect(fs.existsSync(db)).toBe(false);
    const badSeverity = await cli(['run', '-c', bad, '--fail-on', 'urgent']);
    expect(badSeverity.code).toBe(2);
  });

  it('7 when the database cannot be opened', async () => {
    const cfg = path.join(dir, 'ok.yaml');
    const garbage = path.join(dir, 'garbage.db');
    fs.writeFileSync(garbage, 'this is not a SQLite database, just text long enough to fill a header page '.repeat(20));
    fs.writeFileSync(cfg, YAML.stringify({ database: garbage, providers: provider }));
    const r = await cli(['run', '-c', cfg]);
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(/garbage\.db is not a nhi-census database/);
    fs.writeFileSync(cfg, YAML.stringify({ database: path.join(dir, 'missing-folder', 'x.db'), providers: provider }));
    expect((await cli(['run', '-c', cfg])).code).toBe(7);
  });

  it('7 when the PostgreSQL server cannot be reached, naming it without the password', async () => {
    const cfg = path.join(dir, 'pg.yaml');
    fs.writeFileSync(cfg, YAML.stringify({ database: 'postgres://nhi:pw-81c3e@127.0.0.1:1/nhi', providers: provider })); // port 1: nobody listens
    const r = await cli(['run', '-c', cfg]);
    expect(r.code).toBe(7);
    expect(r.stderr).toContain('cannot use postgres://nhi@127.0.0.1:1/nhi');
    expect(r.stderr + r.stdout).not.toContain('pw-81c3e');
  });
});
