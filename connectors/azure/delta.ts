// Delta listings for directory objects (/applications/delta, /servicePrincipals/delta, /users/delta).
// A full crawl is the initial delta round (every object, then a deltaLink kept in ctx.state); an incremental
// crawl replays the stored deltaLink and gets only changes: ctx.markDelta() keeps what it does not return,
// and `@removed` entries become Page.removed. Delta links expire (7 days for identity objects): a 400/410
// syncStateNotFound/resyncRequired (or any 410 Gone) falls back to the full round in the same run, and the
// ledger says why. The deltaLink is kept relative to the Graph base URL, with that base and the crawler app's
// client id (src/crawl/base-relative.ts): one issued for another base (graphBaseUrl moved: a national cloud,
// a proxy, another port) or another app is discarded with a ledger note — never followed — and the round is full.
// https://learn.microsoft.com/graph/delta-query-overview
import type { ListContext, Page } from '../../src/crawl/resource.ts';
import { AzureHttpError, type ListPage } from './rest.ts';
import { discardNote, encodeStoredUrl, isDiscarded, resolveStoredValue, toStored, type Issuer } from '../../src/crawl/base-relative.ts';
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
  const issuer = graphIssuer(ctx.client);
  const saved = ctx.mode === 'incremental' ? ctx.state.get(key) : undefined;
  let stored: string | undefined;
  let it: AsyncIterator<ListPage<T>> | undefined;
  let first: IteratorResult<ListPage<T>> | undefined;
  let fullReason = ctx.mode === 'full' ? 'full crawl requested' : 'no delta link stored for this tenant yet';
  if (saved) {
    const r = resolveStoredValue(saved, issuer);
    if (isDiscarded(r)) {
      ctx.note(discardNote(r));
      fullReason = `${discardNote(r)}: full listing instead`;
    } else stored = r;
  }
  if (stored) {
    it = ctx.client.graph.pages<T>(stored)[Symbol.asyncIterator]();
    try {
      first = await it.next();
      ctx.markDelta(`${o.collection}: changes since the last run`);
      o.onDelta?.();
    } catch (err) {
      if (!isExpired(err)) throw err;
      const e = err as AzureHttpError;
      ctx.note(`delta link rejected by the provider (HTTP ${e.status}${e.code ? ` ${e.code}` : ''}): full listing instead`);
      fullReason = `delta link expired (${e.code ?? e.status}): full listing instead`;
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
    if (r.value.deltaLink) ctx.state.set(key, storedDeltaLink(ctx, r.value.deltaLink, issuer));
    yield { items, ...(removed.length ? { removed } : {}) };
  }
}

function isExpired(err: unknown): boolean {
  return err instanceof AzureHttpError && (err.status === 410 || (err.status === 400
    && /syncStateNotFound|resyncRequired|syncStateInvalid|expired/i.test(`${err.code ?? ''} ${err.message}`)));
}

/** Delta links are issued for the Graph base URL and the crawler app (auth kind and client id: never a secret). */
function graphIssuer(client: AzureClient): Issuer {
  return { base: client.graph.opts.baseUrl, cred: `${client.cfg.auth}:${client.cfg.clientId ?? ''}` };
}

/** The deltaLink as state; one on another origin than the base is not kept (the next crawl's round is full). */
function storedDeltaLink(ctx: ListContext<AzureClient, undefined>, link: string, issuer: Issuer): string | null {
  try {
    return encodeStoredUrl(toStored(link, issuer));
  } catch (err) {
    ctx.log.warn('delta link on another origin not kept', { error: (err as Error).message });
    ctx.note(`delta link ${(err as Error).message}: not kept, the next crawl lists in full`);
    return null;
  }
}
