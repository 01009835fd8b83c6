// The declarative resource spec: one per resource type, in connectors/<provider>/resources/.
// `list` fetches pages (thin, throws on failure, never turns an error into []); `map` is pure
// (one raw item -> nodes and edges); the engine loads, stamps, diffs and removes.
import type { EdgeType, Emitted, NodeKind } from '../graph/model.ts';
import type { Logger } from '../util/log.ts';

export interface TenantRef {
  provider: string;
  /** Stable tenant id used in node ids and the ledger (org login, team id, customer id, tenant id). */
  id: string;
  /** The provider's config block for this tenant. */
  config: Record<string, unknown>;
}

/** What a child listing receives about the parent item it fans out from. JSON-serialisable (it is cached). */
export interface ParentRef {
  nodeId: string;
  /** How logs and the ledger name the parent (e.g. a repository's full name). */
  label?: string;
  [k: string]: unknown;
}

export interface Page<I> {
  items: I[];
  /** A conditional-request page fetched fresh: remember its validator and what it emitted. */
  cache?: { key: string; etag: string; next: string | null };
  /** A conditional-request page answered 304: replay what it emitted last time. */
  notModified?: { key: string };
  /** Node ids the provider reported deleted (delta queries). */
  removed?: string[];
}

export interface ListContext<C, P extends ParentRef | undefined = ParentRef | undefined> {
  client: C;
  tenant: TenantRef;
  parent: P;
  mode: 'full' | 'incremental';
  signal: AbortSignal;
  log: Logger;
  /** Conditional-request validators of pages seen before. */
  cachedPage(key: string): { etag: string; next: string | null } | undefined;
  /** Per-tenant state kept between runs (delta links, watermarks). Written only if the listing completes. */
  state: { get(key: string): string | undefined; set(key: string, value: string | null): void };
  /**
   * This listing returned changes only (delta): objects it did not return are kept, not removed.
   * Call before yielding the first page.
   */
  markDelta(reason?: string): void;
  /** Nothing changed in this listing since the last run: keep everything it owns, without listing. */
  keepAll(reason?: string): void;
}

export interface MapContext<P extends ParentRef | undefined = ParentRef | undefined> {
  tenant: TenantRef;
  parent: P;
  provider: string;
}

export interface ResourceSpec<C = any, I = any, P extends ParentRef | undefined = any> {
  provider: string;
  /** Resource type as shown in the ledger, e.g. 'github.deploy_keys'. */
  type: string;
  description: string;
  /** API reference this resource implements. */
  docs?: string;
  /** What `map` may emit: the engine rejects anything else. */
  emits: { nodes: readonly NodeKind[]; edges: readonly EdgeType[] };
  /** Fan out: list once per item of this parent resource. */
  parent?: ResourceSpec<C, any, any>;
  list(ctx: ListContext<C, P>): AsyncIterable<Page<I>>;
  /**
   * One item -> nodes and edges. The item's own node comes first: the first owned node (not ref/shared/patch)
   * of a kind other than scope, vendor or endpoint identifies the item, and a second item with the same one
   * in the listing is a duplicate (dropped, listing partial: src/crawl/duplicate-items.ts).
   */
  map(item: I, ctx: MapContext<P>): Emitted;
  /** For parents: what children receive about an item (must include the item's node id). */
  ref?(item: I, ctx: MapContext<P>): ParentRef | null;
  /** Turns a provider error into an 'unsupported' reason (plan, token type, missing scope), or null. */
  unsupported?(err: unknown): string | null;
}

export function defineResource<C, I, P extends ParentRef | undefined = undefined>(spec: ResourceSpec<C, I, P>): ResourceSpec<C, I, P> {
  return spec;
}
