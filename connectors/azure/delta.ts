// Delta listings for directory objects (/applications/delta, /servicePrincipals/delta, /users/delta).
// A full crawl is the initial delta round (every object, then a deltaLink kept in ctx.state); an incremental
// crawl replays the stored deltaLink and gets only changes: ctx.markDelta() keeps what it does not return,
// and `@removed` entries become Page.removed. Delta links expire (7 days for identity objects): a 400/410
// syncStateNotFound/resyncRequired falls back to the full round, and the run records why. So does a stored
// deltaLink the paging guard refuses (another origin than graphBaseUrl: moved to a national cloud, or stored
// by an older version): it is never followed.
// https://learn.microsoft.com/graph/delta-query-overview
import type { ListContext, Page } from '../../src/crawl/resource.ts';
import { AzureHttpError, type ListPage } from './rest.ts';
import { ForeignNextLink } from '../../src/crawl/page-guard.ts';
import type { AzureClient } from './client.ts';

export interface DeltaItem { id?: string; '@removed'?: { reason?: string } }

export interface DeltaOptions<T> {
  /** Collection name: applications, servicePrincipals, users. */
  collection: string;
  select: string;
  /** Node id of a removed object. */
  nodeId(id: string): string;
  /** Keep a removed entry as an item (e.g. a soft-deleted user, shown as deleted) instead of removing its node. */
  keepRemoved?(item: T): boolean;
  /** Called when the stored deltaLink answered: this listing returns changes only. */
  onDelta?(): void;
}

export async function* deltaPages<T extends DeltaItem>(ctx: ListContext<AzureClient, undefined>, o: DeltaOptions<T>): AsyncIterable<Page<T>> {
  const key = `${o.collection}.deltaLink`;
  let stored = ctx.mode === 'incremental' ? ctx.state.get(key) : undefined;
  let it: AsyncIterator<ListPage<T>> | undefined;
  let first: IteratorResult<ListPage<T>> | undefined;
  let fullReason = ctx.mode === 'full' ? 'full crawl requested' : 'no delta link stored for this tenant yet';
  if (stored) {
    try { ctx.client.graph.pageGuard().start(stored); } catch (err) {
      if (!(err instanceof ForeignNextLink)) throw err;
      fullReason = `stored delta link refused (${err.message}): full listing instead`;
      ctx.log.warn('stored delta link refused, listing everything', { collection: o.collection, error: err.message });
      stored = undefined;
    }
  }
  if (stored) {
    it = ctx.client.graph.pages<T>(stored)[Symbol.asyncIterator]();
    try {
      first = await it.next();
      ctx.markDelta(`${o.collection}: changes since the last run`);
      o.onDelta?.();
    } catch (err) {
      if (!isExpired(err)) throw err;
      fullReason = `delta link expired (${(err as AzureHttpError).code ?? (err as AzureHttpError).status}): full listing instead`;
      ctx.log.warn('delta link expired, listing everything', { collection: o.collection, error: (err as Error).message });
      it = undefined;
    }
  }
  if (!it) {
    (ctx.mode === 'full' ? ctx.log.debug : ctx.log.info)('full delta round', { collection: o.collection, reason: fullReason });
    ctx.state.set(`${o.collection}.lastFullReason`, `${new Date().toISOString()} ${fullReason}`);
    it = ctx.client.graph.pages<T>(`/${o.collection}/delta?$select=${o.select}`)[Symbol.asyncIterator]();
    first = await it.next();
  }
  for (let r = first!; !r.done; r = await it.next()) {
    const items: T[] = [];
    const removed: string[] = [];
    for (const item of r.value.items) {
      if (item['@removed'] && !o.keepRemoved?.(item)) { if (item.id) removed.push(o.nodeId(item.id)); } else items.push(item);
    }
    if (r.value.deltaLink) ctx.state.set(key, r.value.deltaLink);
    yield { items, ...(removed.length ? { removed } : {}) };
  }
}

function isExpired(err: unknown): boolean {
  return err instanceof AzureHttpError && (err.status === 400 || err.status === 410)
    && /syncStateNotFound|resyncRequired|syncStateInvalid|expired/i.test(`${err.code ?? ''} ${err.message}`);
}
