// Issue 13 item 11: `reconcile --now` takes only a real ISO date or date-time, never one earlier than the
// crawl it reconciles; the evaluation time is recorded on the reconciliation row and the report's
// "Figures as of" shows it (not the wall-clock time the reconciliation ran).
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/graph/db.ts';
import { parseEvaluationTime } from '../../src/reconcile/evaluation-time.ts';
import { cli } from '../ops/helpers.ts';
import { inProcess } from './cli-in-process.ts';
import { connector, crawlRun, entry } from '../reconcile/helpers.ts';

const dir = path.resolve('test/.tmp', `reconcile-now-${process.pid}`);
fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(dir, { recursive: true });

function seeded(name: string): { db: string; inventory: string } {
  const db = path.join(dir, `${name}.db`);
  const d = openDb(db);
  crawlRun(d, 'github', { apps: { nodes: [connector('github', 'a1', { app_slug: 'acme' }, 'acme'), connector('github', 'x', { app_slug: 'stray' }, 'stray')] } });
  d.close();
  const inventory = path.join(dir, `${name}-inventory.yaml`);
  fs.writeFileSync(inventory, YAML.stringify({ version: 1, entries: [entry('acme')] }));
  return { db, inventory };
}
const rows = (db: string) => {
  const d = openDb(db, { readonly: true });
  try { return d.prepare('SELECT * FROM reconciliations ORDER BY id').all() as Array<Record<string, unknown>>; } finally { d.close(); }
};

describe('reconcile --now', () => {
  it('accepts only real ISO dates and date-times', () => {
    expect(parseEvaluationTime('2027-03-01').toISOString()).toBe('2027-03-01T00:00:00.000Z');
    expect(parseEvaluationTime('2028-02-29T10:30:00+02:00').toISOString()).toBe('2028-02-29T08:30:00.000Z');
    expect(parseEvaluationTime('2027-03-01T10:30Z').toISOString()).toBe('2027-03-01T10:30:00.000Z');
    for (const bad of ['0', '-1', '2026-02-30', '2027-02-29', '2026-13-01', '2026-00-10', '2026-12-01T25:00Z', '2026-12-01T10:60Z',
      '2026-12-01T10:00', '2026-12-01 10:00Z', 'tomorrow', '', '1700000000000', '2026-1-1', '+002026-01-01']) {
      expect(() => parseEvaluationTime(bad), bad).toThrow(/--now/);
    }
  });

  it('invalid values exit 2 and write nothing', async () => {
    const s = seeded('invalid');
    const spawned = await cli(['reconcile', '--db', s.db, '-i', s.inventory, '--now', '2026-02-30']);
    expect(spawned.code).toBe(2);
    expect(spawned.stderr).toMatch(/--now.*no such calendar date/);
    for (const bad of ['0', '-1', 'tomorrow', '2026-12-01T10:00']) {
      const r = await inProcess(['reconcile', '--db', s.db, '-i', s.inventory, '--now', bad]);
      expect(r.code, bad).toBe(2);
      expect(r.message).toMatch(/--now/);
    }
    expect(rows(s.db)).toEqual([]);
  });

  it('a --now earlier than the crawl it reconciles is refused (1970-01-01 would resolve every dated finding)', async () => {
    const s = seeded('early');
    expect((await inProcess(['reconcile', '--db', s.db, '-i', s.inventory])).code).toBe(0);
    const before = rows(s.db);
    const r = await inProcess(['reconcile', '--db', s.db, '-i', s.inventory, '--now', '1970-01-01']);
    expect(r.code).toBe(2);
    expect(r.message).toMatch(/--now 1970-01-01T00:00:00\.000Z is earlier than the crawl .*github run \d+/);
    expect(rows(s.db)).toEqual(before);
  });

  it('records the evaluation time on the reconciliation and the report shows it as "Figures as of"', async () => {
    const s = seeded('later');
    const r = await cli(['reconcile', '--db', s.db, '-i', s.inventory, '--now', '2099-03-01T12:00:00Z']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('2099-03-01T12:00:00.000Z');
    const [row] = rows(s.db);
    expect(row!.evaluated_at).toBe('2099-03-01T12:00:00.000Z');
    // a reconciliation without --now is evaluated at the time it ran
    expect((await inProcess(['reconcile', '--db', s.db, '-i', s.inventory])).code).toBe(0);
    const second = rows(s.db)[1]!;
    expect(Date.parse(second.evaluated_at as string)).toBeGreaterThanOrEqual(Date.parse(second.started_at as string));
    expect(Date.parse(second.evaluated_at as string)).toBeLessThanOrEqual(Date.parse(second.finished_at as string));

    const s2 = seeded('report');
    expect((await inProcess(['reconcile', '--db', s2.db, '-i', s2.inventory, '--now', '2099-03-01T12:00:00Z'])).code).toBe(0);
    const out = path.join(dir, 'report');
    const month = new Date().toISOString().slice(0, 7);
    const rep = await inProcess(['report', '--db', s2.db, '--month', month, '--out', out, '--organisation', 'Acme']);
    expect(rep.code, rep.message).toBe(0);
    expect(fs.readFileSync(path.join(out, 'report.md'), 'utf8')).toContain('**Figures as of:** 2099-03-01 12:00 UTC');
    expect(JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8')).asOf).toBe('2099-03-01T12:00:00.000Z');
    expect(fs.readFileSync(path.join(out, 'report.html'), 'utf8')).toContain('2099-03-01 12:00 UTC');
  });
});
