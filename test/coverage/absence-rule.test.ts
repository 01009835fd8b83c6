// The absence rule (docs/reconcile.md "Absence"): approved-not-found fires only when every listing that could
// have produced the entry's match keys completed (per key: Google service accounts can be verified while users'
// OAuth grants were refused); otherwise the entry is not verifiable (coverage). An open finding resolves only
// after a complete look: its subject removed by a complete listing, the rule's own coverage, or every listing of
// its providers complete — an unsupported listing keeps it open. Ledger rows from before the `provides` column
// (NULL) count as producing every key.
import { describe, expect, it } from 'vitest';
import type { GraphNode } from '../../src/graph/model.ts';
import { beginRun, finishRun, saveResourceResult, type ResourceStatus } from '../../src/graph/runs.ts';
import { GraphWriter } from '../../src/graph/writer.ts';
import type { Db } from '../../src/graph/db.ts';
import { reconcile } from '../../src/reconcile/engine.ts';
import { connector, entry, findings, inventory, memDb, NOW } from '../reconcile/helpers.ts';

interface L { nodes?: GraphNode[]; status?: ResourceStatus; provides?: string[] | null }

/** One crawl run of `provider` (tenant t1): each key a resource type, with its status and what it can produce. */
function crawl(db: Db, provider: string, listings: Record<string, L>): number {
  const runId = beginRun(db, { providers: [provider], mode: 'full', version: 'test' });
  const w = new GraphWriter(db, runId);
  for (const [type, l] of Object.entries(listings)) {
    const scope = `${provider}|t1|${type}|`;
    const status = l.status ?? 'complete';
    if (status === 'complete' || status === 'partial') w.writePage({ provider, tenant: 't1', scope, parentId: null, emitted: { nodes: l.nodes ?? [], edges: [] } });
    if (status === 'complete') w.completeListing(scope);
    const at = new Date().toISOString();
    saveResourceResult(db, runId, { provider, tenant: 't1', resourceType: type, status, listings: 1, listingsFailed: status === 'failed' ? 1 : 0,
      objects: l.nodes?.length ?? 0, apiCalls: 1, notModified: 0, retries: 0, removed: 0, error: status === 'complete' ? null : `${type}: needs a scope`,
      startedAt: at, finishedAt: at, durationMs: 1, provides: l.provides === undefined ? ['name_pattern'] : l.provides });
  }
  finishRun(db, runId, 'complete', {});
  return runId;
}

const sa = (email: string) => connector('google', email, { email, app_id: null });
const oauth = (id: string) => connector('google', id, { client_id: id, app_id: id });
const notVerifiable = (db: Db) => db.prepare('SELECT inventory_id, provider, reason FROM not_verifiable ORDER BY inventory_id').all() as Array<{ inventory_id: string; provider: string; reason: string }>;

describe('approved-not-found, per match key', () => {
  it('raises for a key whose listings completed, and not-verifiable for one whose listings were refused', () => {
    const db = memDb();
    crawl(db, 'google', {
      'google.service_accounts': { nodes: [sa('here@p.iam')], provides: ['service_account_email', 'oauth_client_id', 'name_pattern'] },
      'google.oauth_tokens': { status: 'unsupported', provides: ['oauth_client_id', 'name_pattern'] },
      'google.users': { provides: [] },
    });
    const inv = inventory([
      entry('sa-here', { match: { google: { service_account_email: 'here@p.iam' } } }),
      entry('sa-gone', { match: { google: { service_account_email: 'gone@p.iam' } } }),
      entry('oauth-app', { match: { google: { oauth_client_id: '123.apps' } } }),
    ]);
    const s = reconcile(db, inv, { now: NOW, rules: ['approved-not-found'] });
    expect(findings(db, 'approved-not-found').map((f) => f.subject_id)).toEqual(['inventory:sa-gone:google']);
    expect(notVerifiable(db)).toEqual([{ inventory_id: 'oauth-app', provider: 'google', reason: expect.stringContaining('google.oauth_tokens (unsupported)') }]);
    expect(s.notVerifiable).toBe(1);
  });

  it('a ledger without `provides` (before it was recorded) counts every listing: any incomplete one blocks', () => {
    const db = memDb();
    crawl(db, 'github', { 'github.apps': { nodes: [connector('github', 'x', { app_slug: 'x' })], provides: null }, 'github.pat_grants': { status: 'unsupported', provides: null } });
    reconcile(db, inventory([entry('gone')]), { now: NOW, rules: ['approved-not-found'] });
    expect(findings(db, 'approved-not-found')).toEqual([]);
    expect(notVerifiable(db).map((r) => r.inventory_id)).toEqual(['gone']);
  });

  it('a provider none of whose listings produces the key looked nowhere: not verifiable', () => {
    const db = memDb();
    crawl(db, 'slack', { 'slack.workspaces': { provides: [] } });
    reconcile(db, inventory([entry('chat', { match: { slack: { app_id: 'A1' } } })]), { now: NOW, rules: ['approved-not-found'] });
    expect(findings(db, 'approved-not-found')).toEqual([]);
    expect(notVerifiable(db)[0]!.reason).toMatch(/no slack listing produces app_id/);
  });

  it('not_applicable listings are a complete look (nothing of them can exist)', () => {
    const db = memDb();
    crawl(db, 'slack', { 'slack.integration_logs': { provides: ['app_id', 'name_pattern'] }, 'slack.approved_apps': { status: 'not_applicable', provides: ['app_id', 'name_pattern'] } });
    reconcile(db, inventory([entry('chat', { match: { slack: { app_id: 'A1' } } })]), { now: NOW, rules: ['approved-not-found'] });
    expect(findings(db, 'approved-not-found').map((f) => f.subject_id)).toEqual(['inventory:chat:slack']);
  });
});

describe('resolving needs a complete look too', () => {
  const slackListings = (status: ResourceStatus, nodes: GraphNode[] = []): Record<string, L> => ({ 'slack.integration_logs': { status, nodes, provides: ['app_id', 'name_pattern'] } });

  it('an open approved-not-found stays open while its listings are refused, and resolves when the connector is found', () => {
    const db = memDb();
    const inv = inventory([entry('chat', { match: { slack: { app_id: 'A1' } } })]);
    crawl(db, 'slack', slackListings('complete'));
    reconcile(db, inv, { now: NOW });
    expect(findings(db, 'approved-not-found')).toHaveLength(1);
    crawl(db, 'slack', slackListings('unsupported'));
    const carried = reconcile(db, inv, { now: NOW });
    expect(carried.counts).toMatchObject({ resolved: 0, carried: 1 });
    expect(findings(db, 'approved-not-found')).toHaveLength(1);
    crawl(db, 'slack', slackListings('complete', [connector('slack', 'A1', { app_id: 'A1' })]));
    const found = reconcile(db, inv, { now: NOW });
    expect(found.byRule['approved-not-found']!.resolved).toBe(1);
    expect(findings(db, 'approved-not-found')).toEqual([]);
  });

  it('a finding is resolved when its subject was removed by a complete listing, even beside an unsupported listing; otherwise carried', () => {
    const db = memDb();
    const apps = (...ids: string[]) => ({ 'github.apps': { nodes: ids.map((i) => connector('github', i, { app_slug: i })) }, 'github.pat_grants': { status: 'unsupported' as const } });
    crawl(db, 'github', apps('rogue', 'other'));
    reconcile(db, inventory([]), { now: NOW, rules: ['unapproved-connector'] });
    expect(findings(db, 'unapproved-connector').map((f) => f.subject_id)).toEqual(['github:connector:other', 'github:connector:rogue']);
    // rogue uninstalled (removed by the complete apps listing); other still there but (say) approved now: not re-raised
    crawl(db, 'github', apps('other'));
    const s = reconcile(db, inventory([entry('other')]), { now: NOW, rules: ['unapproved-connector'] });
    expect(s.counts).toMatchObject({ resolved: 1, carried: 1 });
    expect(findings(db, 'unapproved-connector').map((f) => f.subject_id)).toEqual(['github:connector:other']);
  });
});
