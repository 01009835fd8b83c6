// Test helpers for the reconciler: an in-memory graph with migrations applied, written through the
// real GraphWriter and run ledger (one call = one crawl run of one provider), and a small inventory builder.
// memDb() is the backend's of the suite under test/helpers/backends.ts describeBackends (SQLite in memory elsewhere).
import type { Db } from '../../src/graph/db.ts';
import type { Emitted, GraphEdge, GraphNode } from '../../src/graph/model.ts';
import { beginRun, finishRun, saveResourceResult, type ResourceStatus } from '../../src/graph/runs.ts';
import { GraphWriter } from '../../src/graph/writer.ts';
import { parseInventory, type LoadedInventory } from '../../src/inventory/load.ts';
import YAML from 'yaml';
import { openTestDb } from '../helpers/backends.ts';

export const NOW = new Date('2026-11-23T00:00:00Z');
export const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();

export function memDb(): Db {
  return openTestDb();
}

/** One listing of a crawl: what it emitted and how it ended. */
export interface Listing { nodes?: GraphNode[]; edges?: GraphEdge[]; status?: ResourceStatus }

/** Writes one crawl run of `provider` (tenant 't1' unless given): each key is a resource type. */
export function crawlRun(db: Db, provider: string, listings: Record<string, Listing>, opts: { tenant?: string } = {}): number {
  const tenant = opts.tenant ?? 't1';
  const runId = beginRun(db, { providers: [provider], mode: 'full', version: 'test' });
  const w = new GraphWriter(db, runId);
  let partial = false;
  for (const [type, l] of Object.entries(listings)) {
    const scope = `${provider}|${tenant}|${type}|`;
    const status = l.status ?? 'complete';
    const emitted: Emitted = { nodes: l.nodes ?? [], edges: l.edges ?? [] };
    if (status !== 'failed' && status !== 'unsupported') w.writePage({ provider, tenant, scope, parentId: null, emitted });
    if (status === 'complete') w.completeListing(scope);
    else partial = true;
    const at = new Date().toISOString();
    saveResourceResult(db, runId, { provider, tenant, resourceType: type, status, listings: 1, listingsFailed: status === 'failed' ? 1 : 0,
      objects: emitted.nodes.length, apiCalls: 1, notModified: 0, retries: 0, removed: 0, error: status === 'failed' ? 'boom' : null,
      startedAt: at, finishedAt: at, durationMs: 1 });
  }
  finishRun(db, runId, partial ? 'partial' : 'complete', {});
  return runId;
}

export const connector = (provider: string, id: string, props: Record<string, unknown> = {}, name = id): GraphNode =>
  ({ id: `${provider}:connector:${id}`, kind: 'connector', type: `${provider}.app`, name, props: { connector_type: 'app', enabled: true, ...props } });
export const credential = (provider: string, id: string, props: Record<string, unknown> = {}, name = id): GraphNode =>
  ({ id: `${provider}:credential:${id}`, kind: 'credential', type: `${provider}.secret`, name, props: { static: true, enabled: true, ...props } });
export const principal = (provider: string, id: string, props: Record<string, unknown> = {}, ref = false): GraphNode =>
  ({ id: `${provider}:user:${id}`, kind: 'principal', type: `${provider}.user`, name: id, props: { status: 'active', ...props }, ...(ref ? { ref: true } : {}) });
export const scopeNode = (provider: string, name: string): GraphNode => ({ id: `${provider}:scope:${name}`, kind: 'scope', type: `${provider}.scope`, name, props: {} });
export const endpoint = (provider: string, host: string): GraphNode => ({ id: `${provider}:endpoint:${host}`, kind: 'endpoint', type: `${provider}.target`, name: host, props: { host } });

/** A connector with scopes: its node, the scope nodes and the HAS_SCOPE edges. */
export function withScopes(c: GraphNode, scopes: string[]): Listing {
  const provider = c.id.split(':')[0]!;
  return { nodes: [c, ...scopes.map((s) => scopeNode(provider, s))], edges: scopes.map((s) => ({ type: 'HAS_SCOPE' as const, from: c.id, to: `${provider}:scope:${s}` })) };
}

export function merge(...ls: Listing[]): Listing {
  return { nodes: ls.flatMap((l) => l.nodes ?? []), edges: ls.flatMap((l) => l.edges ?? []) };
}

export const edge = (type: GraphEdge['type'], from: string, to: string, props: Record<string, unknown> = {}): GraphEdge => ({ type, from, to, props });

/** A valid entry with every required field; override what the test is about. */
export function entry(id: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, name: id, vendor: 'Acme', business_owner: 'boss@example.com', technical_owner: 'tech@example.com', purpose: 'testing',
    ticket: 'SEC-1', approved_on: '2025-01-01', approval_expires: '2027-01-01', match: { github: { app_slug: id } }, ...over };
}

export function inventory(entries: Record<string, unknown>[], defaults: Record<string, unknown> = {}): LoadedInventory {
  return parseInventory('test-inventory.yaml', YAML.stringify({ version: 1, defaults, entries }));
}

export function findings(db: Db, rule?: string): Array<{ id: string; rule: string; severity: string; subject_id: string; status: string; title: string; evidence: string }> {
  return db.prepare(`SELECT id, rule, severity, subject_id, status, title, evidence FROM findings WHERE status IN ('new','persisting')${rule ? ' AND rule = ?' : ''} ORDER BY rule, subject_id, id`)
    .all(...(rule ? [rule] : [])) as never;
}
