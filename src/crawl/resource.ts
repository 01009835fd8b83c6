// The declarative resource spec: one per resource type, in connectors/<provider>/resources/.
// `list` fetches pages (thin, throws on failure, never turns an error into []); `map` is pure
// (one raw item -> nodes and edges); the engine loads, stamps, diffs and removes.
import type { EdgeType, Emitted, NodeKind } from '../graph/model.ts';
import type { Logger } from '../util/log.ts';
import type { PermissionNeed } from './permissions.ts';
import type { SkippedItem } from './malformed-item.ts';

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
  /**
   * A conditional-request page fetched fresh: remember its validator and what it emitted. `next`: the next page's
   * path and query, `base`: the configured base URL they were issued for (src/crawl/base-relative.ts).
   */
  cache?: { key: string; etag: string; next: string | null; base?: string };
  /** A conditional-request page answered 304: replay what it emitted last time. */
  notModified?: { key: string };
  /** Node ids the provider reported deleted (delta queries). */
  removed?: string[];
  /**
   * The listing starts over from its first page, non-conditionally, in this run (the provider rejected its state:
   * a cached link, a page token): why, for the ledger. What it counted so far is taken back; children are not
   * scheduled twice. A page carrying it has no items.
   */
  restart?: string;
  /** Items a list step skipped as malformed (src/crawl/malformed-item.ts): recorded, and the listing is partial. */
  malformed?: SkippedItem[];
}

export interface ListContext<C, P extends ParentRef | undefined = ParentRef | undefined> {
  client: C;
  tenant: TenantRef;
  parent: P;
  mode: 'full' | 'incremental';
  signal: AbortSignal;
  log: Logger;
  /** Conditional-request validators of pages seen before. */
  cachedPage(key: string): { etag: string; next: string | null; base?: string | null } | undefined;
  /** Per-tenant state kept between runs (delta links, watermarks). Written only if the listing completes. */
  state: { get(key: string): string | undefined; set(key: string, value: string | null): void };
  /**
   * This listing returned changes only (delta): objects it did not return are kept, not removed.
   * Call before yielding the first page.
   */
  markDelta(reason?: string): void;
  /** Nothing changed in this listing since the last run: keep everything it owns, without listing. */
  keepAll(reason?: string): void;
  /**
   * An informational line for the run ledger (run_resources.notes), e.g. `state from https://old-host discarded:
   * base URL changed`. Not an error: the listing's status is unchanged. Each distinct line once per listing.
   */
  note(text: string): void;
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
   * in the listing is a duplicate (dropped, listing partial: src/crawl/duplicate-items.ts). An item lacking a field
   * the mapper needs throws MalformedItem (fieldsOf in src/crawl/malformed-item.ts): that item alone is skipped.
   */
  map(item: I, ctx: MapContext<P>): Emitted;
  /** For parents: what children receive about an item (must include the item's node id). */
  ref?(item: I, ctx: MapContext<P>): ParentRef | null;
  /** Turns a provider error into an 'unsupported' reason (token type, missing scope or role: name it), or null. */
  unsupported?(err: unknown): string | null;
  /** Turns a provider error into a 'not_applicable' reason (the plan or edition lacks the feature), or null. */
  notApplicable?(err: unknown): string | null;
  /**
   * The inventory match keys (src/inventory/match-keys.ts, e.g. 'app_id') the connectors it emits can carry.
   * Absence of an approved connector is inferred only when every listing of every resource declaring the
   * entry's keys completed (docs/reconcile.md). `name_pattern` and `webhook_host` are implied by emitting
   * connector nodes and FORWARDS_TO edges.
   */
  matchKeys?: readonly string[];
  /**
   * What the crawl credential must be granted to list this (per kind of grant): named in the ledger when the
   * provider refuses the listing, in the provider doc's table and in the report's method appendix (src/crawl/permissions.ts).
   */
  permission?: PermissionNeed;
}

/** What a resource's listings can produce for inventory matching: its declared keys and the implied ones. */
export function providedMatchKeys(spec: Pick<ResourceSpec, 'emits' | 'matchKeys'>): string[] {
  const keys = new Set(spec.matchKeys ?? []);
  if (spec.emits.nodes.includes('connector')) keys.add('name_pattern');
  if (spec.emits.edges.includes('FORWARDS_TO')) keys.add('webhook_host');
  return [...keys].sort();
}

export function defineResource<C, I, P extends ParentRef | undefined = undefined>(spec: ResourceSpec<C, I, P>): ResourceSpec<C, I, P> {
  return spec;
}
