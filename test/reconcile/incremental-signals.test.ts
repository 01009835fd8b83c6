// Incremental reconciliation (src/reconcile/incremental.ts) on each signal that must make a unit dirty, one at a
// time, judged against a full reconciliation of the same state: a newer last use (an observation prop, which the
// change history leaves out), a removed credential, a threshold crossed with no new data, an inventory entry edited,
// and nothing at all (then nothing is evaluated and every finding is kept).
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/graph/db.ts';
import { reconcile } from '../../src/reconcile/engine.ts';
import { connector, crawlRun, credential, daysAgo, edge, entry, findings, inventory, memDb, NOW } from './helpers.ts';
import { copyTestDb, describeBackends } from '../helpers/backends.ts';

const DAY = 86_400_000;
const open = (db: Db) => findings(db).filter((f) => f.status === 'new' || f.status === 'persisting').map((f) => `${f.rule} ${f.subject_id} ${f.title}`).sort();

/** Reconciles `db` incrementally and a copy of it in full from the same state; returns both open sets and the mode. */
function both(db: Db, inv: ReturnType<typeof inventory>, now: Date) {
  const copy = copyTestDb(db);
  const inc = reconcile(db, inv, { now });
  const full = reconcile(copy, inv, { now, full: true });
  return { mode: inc.mode, incremental: open(db), full: open(copy), summary: [inc.counts, full.counts] };
}

function tenant(lastUse: string, withKey = true) {
  return { apps: { nodes: [connector('azure', 'app', { app_id: 'A', last_used_at: lastUse }), connector('azure', 'other', { app_id: 'B', last_used_at: daysAgo(5) }),
    ...(withKey ? [credential('azure', 'key', { credential_type: 'client_secret', created_at: daysAgo(10), expires_at: daysAgo(-40) })] : [])],
  edges: withKey ? [edge('HAS_CREDENTIAL', 'azure:connector:app', 'azure:credential:key')] : [] } };
}

describeBackends('incremental signals', () => {
describe('incremental reconciliation signals', () => {
  const inv = inventory([entry('a', { match: { azure: { app_id: 'A' } } }), entry('b', { match: { azure: { app_id: 'B' } } })]);

  it('a newer last use alone (no history row) resolves dormancy as a full reconciliation does', () => {
    const db = memDb();
    crawlRun(db, 'azure', tenant(daysAgo(200)));
    reconcile(db, inv, { now: NOW });
    expect(open(db).some((f) => f.startsWith('credential-dormant azure:connector:app'))).toBe(true);
    crawlRun(db, 'azure', tenant(daysAgo(1)));
    const r = both(db, inv, NOW);
    expect(r.mode).toBe('incremental');
    expect(r.incremental).toEqual(r.full);
    expect(r.incremental.some((f) => f.startsWith('credential-dormant'))).toBe(false);
  });

  it('a removed credential, and a threshold crossed with no new crawl, are evaluated again', () => {
    const db = memDb();
    crawlRun(db, 'azure', tenant(daysAgo(5)));
    reconcile(db, inv, { now: NOW });
    // 20 days later the key enters the 30-day expiry window; nothing was crawled
    let r = both(db, inv, new Date(NOW.getTime() + 20 * DAY));
    expect(r.mode).toBe('incremental');
    expect(r.incremental).toEqual(r.full);
    expect(r.incremental.some((f) => f.startsWith('credential-expiring-soon azure:credential:key'))).toBe(true);
    crawlRun(db, 'azure', tenant(daysAgo(5), false));
    r = both(db, inv, new Date(NOW.getTime() + 21 * DAY));
    expect(r.incremental).toEqual(r.full);
    expect(r.incremental.some((f) => f.includes('azure:credential:key'))).toBe(false);
  });

  it('an inventory entry edited (not its match rule) re-evaluates its connectors; an unchanged state evaluates nothing', () => {
    const db = memDb();
    crawlRun(db, 'azure', tenant(daysAgo(5)));
    reconcile(db, inv, { now: NOW });
    const unchanged = reconcile(db, inv, { now: NOW });
    expect(unchanged.mode).toBe('incremental');
    const units = JSON.parse((db.prepare('SELECT summary FROM reconciliations WHERE id = ?').get(unchanged.reconId) as { summary: string }).summary).unitsEvaluated;
    expect(units).toBe(0);
    const edited = inventory([entry('a', { match: { azure: { app_id: 'A' } }, approval_expires: '2026-11-01' }), entry('b', { match: { azure: { app_id: 'B' } } })]);
    const r = both(db, edited, NOW);
    expect(r.mode).toBe('incremental');
    expect(r.incremental).toEqual(r.full);
    expect(r.incremental.some((f) => f.startsWith('approval-expired azure:connector:app'))).toBe(true);
  });
});
});
