// The ledger's status algebra (src/crawl/status.ts), one for every provider: a resource type's status per
// tenant is the worst of its listings (failed > partial > unsupported > not_applicable > complete), a failed
// listing among listed ones makes it partial, refused listings are never complete whatever else completed,
// fan-out children roll up, and the ledger records what each resource type can produce for inventory matching.
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runCrawl } from '../../src/crawl/engine.ts';
import { NotApplicable, UnsupportedResource } from '../../src/crawl/errors.ts';
import type { ProviderSpec } from '../../src/crawl/provider.ts';
import { defineResource, type ParentRef } from '../../src/crawl/resource.ts';
import { isCompleteLook, reasonText, resourceStatus, STATUS_ORDER, worseStatus, type ListingTally } from '../../src/crawl/status.ts';
import { openDb, type Db } from '../../src/graph/db.ts';
import { createLogger } from '../../src/util/log.ts';

const tally = (t: Partial<ListingTally>): ListingTally => ({ complete: 0, partial: 0, failed: 0, unsupported: 0, notApplicable: 0, ...t });

describe('resourceStatus', () => {
  it('is the worst of the listings', () => {
    expect(resourceStatus(tally({ complete: 3 }))).toBe('complete');
    expect(resourceStatus(tally({}))).toBe('complete'); // a child whose parent had no items
    expect(resourceStatus(tally({ complete: 3, notApplicable: 1 }))).toBe('not_applicable');
    expect(resourceStatus(tally({ complete: 1, unsupported: 60 }))).toBe('unsupported'); // issue 14 (a): was complete
    expect(resourceStatus(tally({ unsupported: 2, notApplicable: 1 }))).toBe('unsupported');
    expect(resourceStatus(tally({ complete: 2, partial: 1, unsupported: 1 }))).toBe('partial');
    expect(resourceStatus(tally({ complete: 2, failed: 1, unsupported: 1 }))).toBe('partial');
    expect(resourceStatus(tally({ failed: 2 }))).toBe('failed');
    expect(resourceStatus(tally({ failed: 1, unsupported: 3 }))).toBe('failed');
  });

  it('is never complete when the crawl was interrupted', () => {
    expect(resourceStatus(tally({ complete: 2, interrupted: true }))).toBe('partial');
    expect(resourceStatus(tally({ interrupted: true }))).toBe('failed');
    expect(resourceStatus(tally({ unsupported: 1, interrupted: true }))).toBe('unsupported');
  });

  it('orders statuses worst first; only complete and not_applicable are a complete look', () => {
    expect(STATUS_ORDER).toEqual(['failed', 'partial', 'unsupported', 'not_applicable', 'complete']);
    expect(worseStatus('not_applicable', 'unsupported')).toBe('unsupported');
    expect(worseStatus('complete', 'not_applicable')).toBe('not_applicable');
    expect(['complete', 'not_applicable', 'unsupported', 'partial', 'failed', 'running'].filter(isCompleteLook)).toEqual(['complete', 'not_applicable']);
  });

  it('explains refusals once each, with their share when other listings completed', () => {
    expect(reasonText(['needs x', 'needs x'], 2)).toBe('needs x');
    expect(reasonText(['needs x', 'needs x'], 5)).toBe('2 of 5 listings: needs x');
    expect(reasonText([], 5)).toBe('');
  });
});

// A probe provider: teams fan out to members, members to keys. Which team's listing refuses or lacks what is set per test.
type Client = { refuse: Record<string, 'unsupported' | 'not_applicable' | 'failed'>; rootRefuse?: 'not_applicable' };
const teams = defineResource<Client, { id: string }>({
  provider: 'probe', type: 'probe.teams', description: 'teams', emits: { nodes: ['tenant'], edges: [] },
  async *list(ctx) {
    if (ctx.client.rootRefuse) throw new NotApplicable('the plan has no teams');
    yield { items: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] };
  },
  map: (t) => ({ nodes: [{ id: `probe:team:${t.id}`, kind: 'tenant', type: 'probe.team', name: t.id, props: {} }], edges: [] }),
  ref: (t) => ({ nodeId: `probe:team:${t.id}`, team: t.id }),
});
const members = defineResource<Client, { id: string }, ParentRef & { team: string }>({
  provider: 'probe', type: 'probe.members', description: 'members per team', parent: teams, matchKeys: ['app_id'],
  emits: { nodes: ['connector'], edges: ['FORWARDS_TO'] },
  async *list(ctx) {
    const how = ctx.client.refuse[ctx.parent.team];
    if (how === 'unsupported') throw new UnsupportedResource('needs scope members:read');
    if (how === 'not_applicable') throw new NotApplicable('members are a premium feature');
    if (how === 'failed') throw new Error('HTTP 500');
    yield { items: [{ id: `${ctx.parent.team}1` }] };
  },
  map: (m) => ({ nodes: [{ id: `probe:member:${m.id}`, kind: 'connector', type: 'probe.member', name: m.id, props: {} }], edges: [] }),
  ref: (m) => ({ nodeId: `probe:member:${m.id}` }),
});
const keys = defineResource<Client, { id: string }>({
  provider: 'probe', type: 'probe.keys', description: 'keys per member', parent: members, emits: { nodes: ['credential'], edges: [] },
  async *list() { yield { items: [] }; },
  map: () => ({ nodes: [], edges: [] }),
});
const probe = (client: Client): ProviderSpec<Record<string, never>, Client> => ({
  name: 'probe', description: 'test provider', configSchema: z.object({}) as any,
  tenants: () => [{ provider: 'probe', id: 't1', config: {} }],
  httpPolicy: { provider: 'probe', maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1, classify: () => ({ retry: false }) },
  createClient: () => client,
  resources: [teams, members, keys],
});

let db: Db | undefined;
afterEach(() => { db?.close(); db = undefined; });
async function crawl(client: Client) {
  db = openDb(':memory:');
  const s = await runCrawl({ db, log: createLogger({ write: () => {} }), providers: [{ spec: probe(client), config: {} }] });
  const by = Object.fromEntries(s.resources.map((r) => [r.resourceType, r]));
  const ledger = Object.fromEntries((db.prepare('SELECT resource_type, status, provides FROM run_resources').all() as Array<{ resource_type: string; status: string; provides: string | null }>)
    .map((r) => [r.resource_type, r]));
  return { s, by, ledger };
}

describe('the engine applies it to fan-out listings', () => {
  it('one refused parent of three: the resource and what fans out from it are unsupported, naming the permission', async () => {
    const { s, by, ledger } = await crawl({ refuse: { b: 'unsupported' } });
    expect(by['probe.members']).toMatchObject({ status: 'unsupported', listings: 3, objects: 2 });
    expect(by['probe.members']!.error).toBe('1 of 3 listings: needs scope members:read');
    expect(by['probe.keys']!.status).toBe('unsupported'); // member b's keys were never listed
    expect(by['probe.keys']!.error).toMatch(/needs probe\.members, which is unsupported: needs scope members:read/);
    expect(ledger['probe.members']!.status).toBe('unsupported');
    expect(s.status).toBe('complete'); // a named blind spot, not a failed crawl
  });

  it('a failed listing among complete ones is partial; with a refused one the refusal is still named', async () => {
    const { by } = await crawl({ refuse: { a: 'failed', b: 'unsupported' } });
    expect(by['probe.members']!.status).toBe('partial');
    expect(by['probe.members']!.error).toContain('HTTP 500');
    expect(by['probe.members']!.error).toContain('needs scope members:read');
  });

  it('what the plan lacks is not_applicable, and so is everything under it', async () => {
    const { by, s } = await crawl({ refuse: {}, rootRefuse: 'not_applicable' });
    expect(by['probe.teams']).toMatchObject({ status: 'not_applicable', error: 'the plan has no teams' });
    expect(by['probe.members']!.status).toBe('not_applicable');
    expect(by['probe.keys']!.status).toBe('not_applicable');
    expect(s.status).toBe('complete');
  });

  it('records what each resource type can produce for inventory matching', async () => {
    const { ledger } = await crawl({ refuse: {} });
    expect(JSON.parse(ledger['probe.members']!.provides!)).toEqual(['app_id', 'name_pattern', 'webhook_host']);
    expect(JSON.parse(ledger['probe.keys']!.provides!)).toEqual([]);
  });
});
