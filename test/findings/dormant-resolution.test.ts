// A dormant finding resolves only on evidence of use (or when its subject is gone, disabled or expired):
// last use becoming unknown — a sign-in report the tenant's edition no longer serves, a listing that did
// not patch last use — is not evidence that the credential is used again.
import { describe, expect, it } from 'vitest';
import { reconcile } from '../../src/reconcile/engine.ts';
import { connector, crawlRun, daysAgo, findings, inventory, memDb, NOW } from '../reconcile/helpers.ts';

const open = (db: ReturnType<typeof memDb>) => findings(db, 'credential-dormant').filter((f) => f.status !== 'resolved');

describe('credential-dormant resolution', () => {
  it('stays open when last use becomes unknown, resolves on a recent use', () => {
    const db = memDb();
    crawlRun(db, 'azure', { apps: { nodes: [connector('azure', 'sleepy', { app_id: 'S', last_used_at: daysAgo(200) })] } });
    reconcile(db, inventory([]), { now: NOW, rules: ['credential-dormant'] });
    expect(open(db)).toHaveLength(1);

    // next crawl: every listing complete (the sign-in report is not_applicable), but last use is unknown
    crawlRun(db, 'azure', { apps: { nodes: [connector('azure', 'sleepy', { app_id: 'S' })] }, sign_ins: { status: 'not_applicable' } });
    reconcile(db, inventory([]), { now: NOW, rules: ['credential-dormant'] });
    expect(open(db)).toHaveLength(1);

    // used again: resolved
    crawlRun(db, 'azure', { apps: { nodes: [connector('azure', 'sleepy', { app_id: 'S', last_used_at: daysAgo(2) })] } });
    reconcile(db, inventory([]), { now: NOW, rules: ['credential-dormant'] });
    expect(open(db)).toHaveLength(0);
  });

  it('resolves when the connector is disabled', () => {
    const db = memDb();
    crawlRun(db, 'azure', { apps: { nodes: [connector('azure', 'sleepy', { app_id: 'S', last_used_at: daysAgo(200) })] } });
    reconcile(db, inventory([]), { now: NOW, rules: ['credential-dormant'] });
    crawlRun(db, 'azure', { apps: { nodes: [connector('azure', 'sleepy', { app_id: 'S', enabled: false })] } });
    reconcile(db, inventory([]), { now: NOW, rules: ['credential-dormant'] });
    expect(open(db)).toHaveLength(0);
  });
});
