// Reach paths over a fixture graph with known answers (test/reach/fixture.ts), on both backends: what a third-party
// app with write on a repository reaches through the trust an Entra-like application gives that repository's
// workflows; that read access does not cross; a pinned trust; a cycle; the depth bound; who can reach (--to); the
// reach summaries a reconciliation stores.
import { describe, expect, it } from 'vitest';
import { findPaths } from '../../src/cli/paths.ts';
import { reachSummaries } from '../../src/graph/paths-queries.ts';
import { reconcile } from '../../src/reconcile/engine.ts';
import { computeReachSummaries } from '../../src/reach/summaries.ts';
import { prepareReach } from '../../reports/blast-radius.ts';
import { describePath, type ReachPath } from '../../src/reach/walk.ts';
import { InputError } from '../../src/config/yaml-errors.ts';
import { describeBackends } from '../helpers/backends.ts';
import { inventory } from '../reconcile/helpers.ts';
import { ID, writeFixture } from './fixture.ts';

const to = (paths: ReachPath[], id: string) => paths.find((p) => p.target.id === id);
const steps = (p: ReachPath | undefined) => p?.hops.map((h) => `${h.step}>${h.to_id}`);

describeBackends('reach paths', ({ openTestDb }) => {
  const fixture = () => { const db = openTestDb(); writeFixture(db); return db; };

  it('a third-party app with write on R reaches the subscription R is trusted by, with Owner, and names the weakest link', () => {
    const db = fixture();
    const paths = findPaths(db, { from: ID.deployhub, depth: 6, limit: 100 });
    const prod = to(paths, ID.prod)!;
    expect(steps(prod)).toEqual([`CONTROLS>${ID.R}`, `MINTS>${ID.endR}`, `TRUSTED_BY>${ID.ficA}`, `CREDENTIAL_OF>${ID.payments}`, `CAN_ACCESS>${ID.prod}`]);
    const d = describePath(prod);
    expect(d).toMatchObject({ access: 'Owner', privilege: 'critical', weakestLevel: 'write' });
    expect(d.weakest).toBe('hop 1: deployhub -[CONTROLS: write: contents:write]-> acme/payments');
    expect(to(paths, ID.R)!.controlled).toBe(true);
    // breadth-first: rows come in hop order, one per node
    expect(paths.map((p) => p.hops.length)).toEqual([...paths.map((p) => p.hops.length)].sort((a, b) => a - b));
    expect(new Set(paths.map((p) => p.target.id)).size).toBe(paths.length);
  });

  it('a read-only app on R reaches R and its scopes, and never crosses R\'s trust', () => {
    const db = fixture();
    const paths = findPaths(db, { from: ID.readbot, depth: 10, limit: 100 });
    expect(paths.map((p) => p.target.id).sort()).toEqual([ID.R, 'github:scope:contents:read', 'github:scope:metadata:read'].sort());
    expect(to(paths, ID.R)!.controlled).toBe(false);
  });

  it('a pinned trust is crossed, ranked narrower than a broad one (admin level), and the org-wide app reaches both subscriptions', () => {
    const db = fixture();
    const paths = findPaths(db, { from: ID.allrepos, depth: 6, limit: 100 });
    const staging = to(paths, ID.staging)!;
    expect(steps(staging)).toEqual([`CONTROLS>${ID.S}`, `MINTS>${ID.endS}`, `TRUSTED_BY>${ID.ficP}`, `CREDENTIAL_OF>${ID.site}`, `CAN_ACCESS>${ID.staging}`]);
    const trust = staging.hops[2]!;
    expect(trust).toMatchObject({ access: 'federated_credential (pinned)', level: 3 });
    expect(to(paths, ID.prod)!.hops[2]).toMatchObject({ access: 'federated_credential (any-ref)', level: 4 });
    expect(describePath(staging)).toMatchObject({ access: 'Contributor', privilege: 'high' });
  });

  it('terminates on a cycle (R → … → payments-deployer → R) at any depth', () => {
    const db = fixture();
    const paths = findPaths(db, { from: ID.payments, depth: 50, limit: 1000 });
    expect(paths.map((p) => p.target.id).sort()).toEqual([ID.ficA, ID.prod, ID.R, ID.endR].sort());
    expect(steps(to(paths, ID.endR))).toEqual([`CAN_ACCESS>${ID.R}`, `MINTS>${ID.endR}`]);
  });

  it('respects the depth bound', () => {
    const db = fixture();
    expect(to(findPaths(db, { from: ID.deployhub, depth: 4, limit: 100 }), ID.prod)).toBeUndefined();
    expect(to(findPaths(db, { from: ID.deployhub, depth: 4, limit: 100 }), ID.payments)?.hops).toHaveLength(4);
    expect(to(findPaths(db, { from: ID.deployhub, depth: 5, limit: 100 }), ID.prod)?.hops).toHaveLength(5);
    expect(findPaths(db, { from: ID.deployhub, depth: 1, limit: 100 }).every((p) => p.hops.length === 1)).toBe(true);
    expect(findPaths(db, { from: ID.deployhub, depth: 6, limit: 2 })).toHaveLength(2);
  });

  it('--from a person (by email, any case) and a vendor (by name) start at their accounts and connectors', () => {
    const db = fixture();
    const byPerson = findPaths(db, { from: 'alice@example.com', depth: 6, limit: 100 });
    expect(steps(to(byPerson, ID.prod))).toEqual([`OWNS>${ID.deployhub}`, `CONTROLS>${ID.R}`, `MINTS>${ID.endR}`, `TRUSTED_BY>${ID.ficA}`,
      `CREDENTIAL_OF>${ID.payments}`, `CAN_ACCESS>${ID.prod}`]);
    const byVendor = findPaths(db, { from: 'deployhub inc', depth: 6, limit: 100 });
    expect(byVendor.every((p) => p.origin.id === ID.deployhub)).toBe(true);
    expect(to(byVendor, ID.prod)).toBeDefined();
    expect(() => findPaths(db, { from: 'nobody@example.com', depth: 6, limit: 100 })).toThrow(InputError);
    expect(() => findPaths(db, { from: 'no such node', depth: 6, limit: 100 })).toThrow(/names no node/);
  });

  it('--to: who can reach the subscription — the writers of R and whoever owns them, never the read-only app', () => {
    const db = fixture();
    const paths = findPaths(db, { to: 'Production', depth: 6, limit: 100 });
    const origins = paths.map((p) => p.origin.id);
    expect(origins).toEqual(expect.arrayContaining([ID.payments, ID.ficA, ID.endR, ID.R, ID.deployhub, ID.allrepos, ID.alice]));
    expect(origins).not.toContain(ID.readbot);
    expect(new Set(origins).size).toBe(origins.length);
    const fromAlice = paths.find((p) => p.origin.id === ID.alice)!;
    expect(steps(fromAlice)).toEqual([`OWNS>${ID.deployhub}`, `CONTROLS>${ID.R}`, `MINTS>${ID.endR}`, `TRUSTED_BY>${ID.ficA}`,
      `CREDENTIAL_OF>${ID.payments}`, `CAN_ACCESS>${ID.prod}`]);
    expect(paths.every((p) => p.target.id === ID.prod)).toBe(true);
    // the bound applies backwards too: alice is 6 hops away
    expect(findPaths(db, { to: ID.prod, depth: 5, limit: 100 }).map((p) => p.origin.id)).not.toContain(ID.alice);
  });

  it('reach summaries: one pass over every connector, stored before a report for the latest reconciliation with its crawl runs, reused while the runs are the same', () => {
    const db = fixture();
    const rows = new Map([...computeReachSummaries(db)].map((r) => [r.connector_id, r]));
    const dh = rows.get(ID.deployhub)!;
    expect(dh).toMatchObject({ repositories: 1, privileged: 1, max_privilege: 'critical', trusts: 1 });
    expect(JSON.parse(dh.repository_names)).toEqual([{ id: ID.R, name: 'acme/payments', access: 'write' }]);
    expect(JSON.parse(dh.resources_with_roles)).toEqual([{ id: ID.prod, name: 'Production', type: 'resource', provider: 'azure', roles: ['Owner'],
      grade: 'critical', hops: 5, via_trust: true }]);
    expect(JSON.parse(dh.scopes)).toEqual(['contents:write']);
    expect(rows.get(ID.readbot)).toMatchObject({ repositories: 1, privileged: 0, max_privilege: null, trusts: 0 });
    expect(JSON.parse(rows.get(ID.allrepos)!.resources_with_roles).map((r: { name: string }) => r.name).sort()).toEqual(['Production', 'Staging']);
    expect(rows.get(ID.allrepos)!.repositories).toBe(2);

    const first = reconcile(db, inventory([]), { now: new Date('2026-11-23T00:00:00Z') });
    expect(reachSummaries(db).computation).toBeUndefined(); // reconcile leaves them to the report
    prepareReach(db);
    const stored = reachSummaries(db);
    expect(stored.computation).toMatchObject({ recon_id: first.reconId, connectors: rows.size });
    expect(stored.rows[0]!.privileged).toBe(1);
    expect(stored.rows.find((r) => r.connector_id === ID.deployhub)).toMatchObject({ repositories: 1, trusts: 1, max_privilege: 'critical' });
    expect(JSON.parse(stored.computation!.crawl_runs)).toEqual({ azure: [2], github: [1] });
    const second = reconcile(db, inventory([]), { now: new Date('2026-11-23T00:00:00Z') });
    prepareReach(db);
    expect(reachSummaries(db).computation!.id).toBe(stored.computation!.id); // same runs: kept
    expect(reachSummaries(db, { reconId: second.reconId }).computation!.recon_id).toBe(first.reconId);
  });
});

describe('reach paths: no database rows', () => {
  it('weakest link of an empty path is empty', () => {
    expect(describePath({ origin: { id: 'a', name: 'a', kind: 'connector', provider: 'p' }, target: { id: 'a', name: 'a', kind: 'connector', provider: 'p' }, hops: [], controlled: false }))
      .toEqual({ access: '', privilege: null, weakest: '', weakestLevel: '' });
  });
});
