// The crawl engine: runs every configured provider's resources into one run of the graph.
// Per provider a scheduler (src/crawl/fanout.ts) bounds concurrency and the listings waiting to start: a listing's
// children are scheduled as it pages, and it waits before going on while the bound is reached. Each listing (a
// resource, once per parent item) runs its pages through map -> writer; failures stay inside their listing, so the
// run goes partial while every other resource and provider completes. Writes go through one group commit (src/graph/group-commit.ts): pages
// of all listings are batched into transactions, and a listing's end is queued after its pages. Removal happens
// only in GraphWriter.completeListing, which is queued only when a listing finished without error.
import { getMaxListeners, setMaxListeners } from 'node:events';
import type { Db } from '../graph/db.ts';
import { EDGE_TYPES, type Emitted } from '../graph/model.ts';
import { beginRun, closeRunFailed, finishRun, markInterruptedRuns, saveResourceResult, type ResourceResult, type RunStatus } from '../graph/runs.ts';
import { GraphWriter } from '../graph/writer.ts';
import { GroupCommit } from '../graph/group-commit.ts';
import type { Logger } from '../util/log.ts';
import { maskText } from '../util/redact.ts';
import { isStorageFailure, StorageError } from '../util/storage-error.ts';
import { withCallStats, type CallStats } from './call-context.ts';
import { DuplicateItems } from './duplicate-items.ts';
import { asMalformed, describeValue, MalformedItem, nativeIdOf, SkippedItems, type SkippedItem } from './malformed-item.ts';
import { errorMessage, NotApplicable, UnsupportedResource } from './errors.ts';
import { Fanout, type FanoutStats } from './fanout.ts';
import { HttpRuntime, type HttpPolicy } from './http-call.ts';
import { fatalPermissionHint, permissionReason } from './permissions.ts';
import type { ProviderSpec } from './provider.ts';
import { RateBudget } from './rate-budget.ts';
import { providedMatchKeys, type ListContext, type ParentRef, type ResourceSpec, type TenantRef } from './resource.ts';
import { reasonText, resourceStatus } from './status.ts';
import type { Progress } from './progress.ts';
import { isTrustEndpointId } from '../trust/registry.ts';

export interface ProviderRun {
  spec: ProviderSpec;
  /** The provider's config block; `configs` (every block of a list, src/config/config.ts) when given is crawled instead. */
  config: any;
  configs?: any[];
  /** Only these tenant ids (compared without case); undefined = every tenant of every block. */
  tenants?: string[];
  concurrency?: number;
}

export interface CrawlOptions {
  db: Db;
  providers: ProviderRun[];
  mode?: 'full' | 'incremental';
  log: Logger;
  progress?: Progress;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  version?: string;
  /** Longest the engine waits for a rate budget before failing the call (ms). */
  maxRateWaitMs?: number;
  /** Most pages one listing may read before it fails as a paging loop (default 100,000: src/crawl/page-guard.ts). */
  maxPagesPerListing?: number;
  /** Overrides of the providers' retry settings (config `retry:`). */
  retry?: Partial<Pick<HttpPolicy, 'maxRetries' | 'baseDelayMs' | 'maxDelayMs'>>;
  /** Batch bounds of the group commit (src/graph/group-commit.ts; defaults 5,000 rows, 75 ms). */
  commit?: { maxRows?: number; maxMs?: number };
  /**
   * Most listings scheduled but not started, per provider (src/crawl/fanout.ts; default the larger of 1,000 and twice
   * the concurrency): a listing whose children would exceed it waits before it reads its next page.
   */
  maxPendingListings?: number;
}

export interface CrawlSummary {
  runId: number;
  status: RunStatus;
  durationMs: number;
  resources: ResourceResult[];
  totals: { objects: number; apiCalls: number; notModified: number; retries: number; removed: number; rateWaitMs: number };
  /** Per provider: the bound on pending listings and the most that were pending at once (src/crawl/fanout.ts). */
  fanout?: Record<string, FanoutStats>;
}

interface ResourceAgg extends ResourceResult {
  errors: string[]; unsupported: string[]; firstStart?: number; lastEnd?: number;
  /** Listings that finished but returned something they cannot vouch for (duplicate ids): nothing removed. */
  listingsPartial: number;
  /** Listings that finished with everything they were asked for. */
  listingsComplete: number;
  /** Reasons of listings the plan or edition does not have (src/crawl/status.ts: not_applicable). */
  notApplicable: string[];
  /** Informational ledger lines (ListContext.note) -> how many listings noted each. */
  noteCounts: Map<string, number>;
}

export async function runCrawl(opts: CrawlOptions): Promise<CrawlSummary> {
  const { db, log } = opts;
  const started = Date.now();
  markInterruptedRuns(db);
  const mode = opts.mode ?? 'full';
  const runId = beginRun(db, { providers: opts.providers.map((p) => p.spec.name), mode, version: opts.version ?? 'dev' });
  const writer = new GraphWriter(db, runId);
  // A full disk or I/O error under the database stops the whole crawl: no listing can be written any more.
  let storageFailure: unknown;
  const commit = new GroupCommit(db, writer, { ...opts.commit, onFailure: (err) => { if (isStorageFailure(err)) storageFailure ??= err; } });
  const aggs = new Map<string, ResourceAgg>();
  const budgets: RateBudget[] = [];
  const fanouts = new Map<string, FanoutStats>();
  const signal = opts.signal ?? new AbortController().signal;
  // Every paced or backing-off call listens on the signal while it sleeps: many at once is normal here.
  // (Node 20's getMaxListeners throws for a signal already set to 0 = unlimited: that one is left as it is.)
  const current = (() => { try { return getMaxListeners(signal); } catch { return 0; } })();
  if (current !== 0) setMaxListeners(Math.max(current, 1000), signal);
  log.info('crawl started', { run: runId, mode, providers: opts.providers.map((p) => p.spec.name) });

  await Promise.all(opts.providers.map((p) => crawlProvider(p).catch((err) => {
    if (isStorageFailure(err)) storageFailure ??= err;
    log.error('provider crawl failed', { provider: p.spec.name, error: errorMessage(err) });
  })));
  // what is still queued is written before the run's totals are taken (a listing's removals count once committed)
  try { commit.close(); } catch (err) { if (!isStorageFailure(err)) throw err; storageFailure ??= err; }

  const resources = [...aggs.values()].map(finalise);
  // what the plan does not have neither fails nor saves a run: a run whose every applicable listing failed has failed
  const applicable = resources.filter((r) => r.status !== 'not_applicable');
  const status: RunStatus = signal.aborted ? 'interrupted'
    : resources.length === 0 || (applicable.length > 0 && applicable.every((r) => r.status === 'failed')) ? 'failed'
    : resources.some((r) => r.status === 'failed' || r.status === 'partial') ? 'partial' : 'complete';
  const totals = {
    objects: sum(resources, 'objects'), apiCalls: sum(resources, 'apiCalls'), notModified: sum(resources, 'notModified'),
    retries: sum(resources, 'retries'), removed: sum(resources, 'removed'),
    rateWaitMs: Math.round(budgets.reduce((a, b) => a + b.waitedMs, 0)),
  };
  const summary: CrawlSummary = { runId, status, durationMs: Date.now() - started, resources, totals, fanout: Object.fromEntries(fanouts) };
  if (!storageFailure) {
    try {
      db.transaction(() => {
        for (const r of resources) saveResourceResult(db, runId, r);
        finishRun(db, runId, status, { durationMs: summary.durationMs, totals });
      })();
    } catch (err) {
      if (!isStorageFailure(err)) throw err;
      storageFailure = err;
    }
  }
  opts.progress?.stop();
  if (storageFailure) {
    // closed as failed where the database still accepts writes; otherwise the next run marks it interrupted
    const closed = closeRunFailed(db, runId, resources, errorMessage(storageFailure));
    log.error('crawl stopped: the database cannot be written', { run: runId, database: db.name, error: errorMessage(storageFailure), run_closed: closed });
    throw new StorageError(`database ${db.name}`, storageFailure);
  }
  log.info('crawl finished', { run: runId, status, duration_ms: summary.durationMs, ...totals });
  return summary;

  async function crawlProvider(p: ProviderRun): Promise<void> {
    const spec = p.spec;
    const plog = log.child({ run: runId, provider: spec.name });
    const concurrency = p.concurrency ?? 8;
    // children are scheduled as listings start, within a bound on pending listings (lazy fan-out)
    const queue = new Fanout(concurrency, opts.maxPendingListings ?? Math.max(1000, 2 * concurrency));
    fanouts.set(spec.name, queue.stats);
    const roots = spec.resources.filter((r) => !r.parent);
    const childrenOf = (r: ResourceSpec) => spec.resources.filter((c) => c.parent === r);
    const descendantsOf = (r: ResourceSpec): ResourceSpec[] => childrenOf(r).flatMap((c) => [c, ...descendantsOf(c)]);
    const depthOf = (r: ResourceSpec): number => (r.parent ? 1 + depthOf(r.parent) : 0);

    const wanted = p.tenants ? new Set(p.tenants.map((t) => t.toLowerCase())) : null;
    // each block of the provider with its own credentials, rate budget and HTTP runtime (a fatal error stops only its block)
    const targets = (p.configs ?? [p.config]).flatMap((cfg) => {
      const tenants = spec.tenants(cfg).filter((t) => !wanted || wanted.has(t.id.toLowerCase()));
      if (!tenants.length) return [];
      const budget = new RateBudget({ reserve: 1, maxWaitMs: opts.maxRateWaitMs });
      budgets.push(budget);
      spec.declareRates?.(budget, cfg);
      const http = new HttpRuntime({ ...spec.httpPolicy, ...(opts.retry ?? {}) }, budget, plog, signal, opts.maxPagesPerListing);
      return tenants.map((tenant) => ({ cfg, tenant, http }));
    });
    for (const { cfg, tenant, http } of targets) {
      const tlog = plog.child({ tenant: tenant.id });
      for (const r of spec.resources) agg(spec.name, tenant.id, r.type).provides = providedMatchKeys(r);
      let client: unknown;
      try {
        client = await spec.createClient(cfg, tenant, http, opts.env ?? process.env);
      } catch (err) {
        for (const r of spec.resources) fail(agg(spec.name, tenant.id, r.type), `client: ${errorMessage(err)}`);
        tlog.error('could not build client', { error: errorMessage(err) });
        continue;
      }
      const schedule = (resource: ResourceSpec, parent: ParentRef | undefined) => {
        const a = agg(spec.name, tenant.id, resource.type);
        a.listings++;
        opts.progress?.add(1);
        queue.add(() => listOne(resource, parent, a));
      };
      const listOne = async (resource: ResourceSpec, parent: ParentRef | undefined, a: ResourceAgg) => {
        const scope = `${spec.name}|${tenant.id}|${resource.type}|${parent?.nodeId ?? ''}`;
        const rlog = tlog.child({ resource: resource.type });
        const stats: CallStats = { apiCalls: 0, notModified: 0, retries: 0 };
        const pendingState: Array<[string, string, string, string | null]> = [];
        let delta = false;
        let keep = false;
        const children = childrenOf(resource);
        const depth = depthOf(resource);
        let dups = new DuplicateItems();
        let skipped = new SkippedItems();
        // objects this listing counted (taken back if it starts over), children it scheduled (scheduled once)
        let listed = 0;
        const scheduled = new Set<string>();
        const noted = new Set<string>();
        const listingFailed = (err: unknown, hint = '') => {
          a.listingsFailed++;
          const msg = `${spec.name}/${resource.type}${parent ? ` (${parent.label ?? parent.nodeId})` : ''}: ${errorMessage(err)}${hint}`;
          if (a.errors.length < 5) a.errors.push(msg);
          rlog.error('listing failed', { parent: parent?.label ?? parent?.nodeId, error: errorMessage(err) });
          // what would have fanned out from this listing, at any depth, was not listed either
          for (const d of descendantsOf(resource)) agg(spec.name, tenant.id, d.type).listingsFailed++;
        };
        // a queued write of this listing that cannot be written (other than storage) fails it: its end is dropped
        const writes = commit.listing(scope, (err) => listingFailed(err));
        a.firstStart ??= Date.now();
        const ctx: ListContext<unknown, ParentRef | undefined> = {
          client, tenant, parent, mode, signal, log: rlog,
          cachedPage: (key) => commit.cachedPage(key),
          state: {
            get: (key) => commit.getState(spec.name, tenant.id, key),
            set: (key, value) => { pendingState.push([spec.name, tenant.id, key, value]); },
          },
          markDelta: (reason) => { delta = true; rlog.debug('delta listing', { reason }); },
          keepAll: (reason) => { keep = true; rlog.debug('listing unchanged', { reason }); },
          note: (text) => {
            if (noted.has(text)) return; // one line per listing
            noted.add(text);
            a.noteCounts.set(text, (a.noteCounts.get(text) ?? 0) + 1);
            rlog.info('ledger note', { parent: parent?.label ?? parent?.nodeId, note: text });
          },
        };
        try {
          if (signal.aborted) throw new Error('crawl interrupted');
          if (storageFailure) throw storageFailure;
          if (http.fatal) throw http.fatal; // the provider already failed in a way no retry fixes: nothing is sent
          await withCallStats(stats, async () => {
            for await (const page of resource.list(ctx)) {
              if (signal.aborted) throw new Error('crawl interrupted');
              if (storageFailure) throw storageFailure;
              if (page.restart) {
                // the listing starts over from its first page (state the provider rejected): what it counted so
                // far is taken back; what it wrote stays stamped with this run and is written again
                ctx.note(page.restart);
                a.objects -= listed;
                listed = 0;
                dups = new DuplicateItems();
                skipped = new SkippedItems();
                continue;
              }
              let refs: ParentRef[] = [];
              if (page.notModified) {
                const entry = commit.cachedPage(page.notModified.key);
                if (!entry) throw new Error(`page cache entry ${page.notModified.key} missing for a 304`);
                commit.replay(writes, entry);
                refs = entry.emitted.children as ParentRef[];
                a.objects += entry.emitted.items ?? 0;
                listed += entry.emitted.items ?? 0;
              } else {
                const emitted: Emitted = { nodes: [], edges: [] };
                const mctx = { tenant, parent, provider: spec.name };
                let dropped = 0;
                const skippedBefore = skipped.count;
                for (const m of page.malformed ?? []) skipped.add(m);
                for (const item of page.items) {
                  // a malformed item is skipped on its own (no nodes, no fan-out); the rest of the page goes on
                  const mapped = mapItem(resource, item, mctx, children.length > 0);
                  if ('skipped' in mapped) { skipped.add(mapped.skipped); dropped++; continue; }
                  const { out, ref } = mapped;
                  if (dups.isDuplicate(out)) { dropped++; continue; } // the first copy stands; this one is not written
                  emitted.nodes.push(...out.nodes);
                  emitted.edges.push(...out.edges);
                  if (ref) refs.push(ref);
                }
                // a page with a duplicate or a skipped item is not cached: a 304 next time would replay it without the warning
                commit.page(writes, { provider: spec.name, tenant: tenant.id, scope, parentId: parent?.nodeId ?? null, emitted },
                  page.cache && !dropped && skipped.count === skippedBefore ? { ...page.cache, children: refs, items: page.items.length } : undefined);
                a.objects += page.items.length - dropped;
                listed += page.items.length - dropped;
              }
              if (page.removed?.length) commit.removed(writes, page.removed, (n) => { a.removed += n; });
              opts.progress?.tick(0, { objects: page.notModified ? 0 : page.items.length });
              for (const ref of refs) {
                if (scheduled.has(ref.nodeId)) continue; // listed again after a restart: its children are already scheduled
                scheduled.add(ref.nodeId);
                for (const child of children) {
                  // back-pressure: while the bound of pending listings is reached this listing waits (its slot given up)
                  const room = queue.room(depth, true);
                  if (room) await room;
                  schedule(child, ref);
                }
              }
            }
          });
          const duplicates = dups.warning();
          const malformed = skipped.warning();
          if (duplicates || malformed) {
            // partial: what it returned is written, but nothing is removed and no state (delta link, watermark) moves on
            a.listingsPartial++;
            const where = `${spec.name}/${resource.type}${parent ? ` (${parent.label ?? parent.nodeId})` : ''}`;
            for (const w of [duplicates, malformed]) if (w && a.errors.length < 5) a.errors.push(`${where}: ${w}`);
            if (duplicates) rlog.warn('duplicate ids in listing', { parent: parent?.label ?? parent?.nodeId, ids: [...dups.duplicates.keys()].slice(0, 20) });
            if (malformed) {
              rlog.warn('malformed items skipped', { parent: parent?.label ?? parent?.nodeId, items: skipped.items.slice(0, 20) });
              // a skipped item's children were not listed: what fans out from this listing is incomplete too
              for (const d of descendantsOf(resource)) {
                const da = agg(spec.name, tenant.id, d.type);
                da.listingsPartial++;
                if (da.errors.length < 5) da.errors.push(`${spec.name}/${d.type}: not listed under ${skipped.count} malformed ${resource.type} item${skipped.count > 1 ? 's' : ''} (${where})`);
              }
            }
          } else {
            // Its removals (or keep) and its state land together, after its pages: complete once committed.
            commit.end(writes, { keep, complete: !delta, state: pendingState }, (removed) => { a.removed += removed; a.listingsComplete++; });
          }
        } catch (caught) {
          if (isStorageFailure(caught)) storageFailure ??= caught;
          // a failure no retry can fix (also one raised outside HttpRuntime, e.g. by an auth library) fails the provider
          const fatal = isStorageFailure(caught) ? undefined : http.examine(caught);
          const err: unknown = fatal ?? caught;
          // a refusal of a permission names the grant (src/crawl/permissions.ts)
          const reason = fatal ? null : permissionReason(spec, cfg, resource, err, err instanceof UnsupportedResource ? err.reason : resource.unsupported?.(err) ?? null);
          const notApplicable = fatal ? null : err instanceof NotApplicable ? err.reason : resource.notApplicable?.(err) ?? null;
          if (notApplicable) {
            a.notApplicable.push(notApplicable);
            rlog.info('resource not applicable', { reason: notApplicable });
            for (const d of descendantsOf(resource)) agg(spec.name, tenant.id, d.type).notApplicable.push(`needs ${resource.type}, which is not available: ${notApplicable}`);
          } else if (reason) {
            a.unsupported.push(reason);
            rlog.warn('resource unsupported', { reason });
            for (const d of descendantsOf(resource)) agg(spec.name, tenant.id, d.type).unsupported.push(`needs ${resource.type}, which is unsupported: ${reason}`);
          } else {
            listingFailed(err, fatal ? fatalPermissionHint(spec, cfg, resource, fatal) : '');
          }
        } finally {
          a.apiCalls += stats.apiCalls;
          a.notModified += stats.notModified;
          a.retries += stats.retries;
          a.lastEnd = Date.now();
          opts.progress?.tick(1, { resource: resource.type });
        }
      };
      for (const r of roots) {
        const room = queue.room(-1, false);
        if (room) await room;
        schedule(r, undefined);
      }
    }
    await queue.onIdle();
  }

  function agg(provider: string, tenant: string, type: string): ResourceAgg {
    const key = `${provider}|${tenant}|${type}`;
    let a = aggs.get(key);
    if (!a) {
      a = { provider, tenant, resourceType: type, status: 'running', listings: 0, listingsFailed: 0, objects: 0, apiCalls: 0,
        notModified: 0, retries: 0, removed: 0, error: null, startedAt: new Date().toISOString(), finishedAt: null,
        durationMs: null, errors: [], unsupported: [], listingsPartial: 0, listingsComplete: 0, notApplicable: [], noteCounts: new Map() };
      aggs.set(key, a);
      saveResourceResult(db, runId, a);
    }
    return a;
  }

  function fail(a: ResourceAgg, msg: string) { a.listingsFailed++; a.errors.push(msg); }

  function finalise(a: ResourceAgg): ResourceResult {
    // one algebra for every provider (src/crawl/status.ts): the worst of the listings, fan-out children rolled up
    const status = resourceStatus({ complete: a.listingsComplete, partial: a.listingsPartial, failed: a.listingsFailed,
      unsupported: a.unsupported.length, notApplicable: a.notApplicable.length, interrupted: signal.aborted });
    const total = a.listingsComplete + a.listingsPartial + a.listingsFailed + a.unsupported.length + a.notApplicable.length;
    // refused listings are named (with the permission) whatever else went wrong; plan limits only when that is all there is
    const reasons = [reasonText(a.unsupported, total), status === 'not_applicable' ? reasonText(a.notApplicable, total) : ''].filter(Boolean);
    // masked here too, not only in the ledger: the summary's errors reach stdout and alerts
    const error = maskText([...a.errors, ...reasons].join('; ')) || null;
    const { errors: _e, unsupported: _u, listingsPartial: _p, listingsComplete: _c, notApplicable: _n, noteCounts, firstStart, lastEnd, ...rest } = a;
    return { ...rest, status, error, notes: noteText(noteCounts),
      startedAt: firstStart ? new Date(firstStart).toISOString() : rest.startedAt,
      finishedAt: new Date(lastEnd ?? Date.now()).toISOString(),
      durationMs: firstStart && lastEnd ? lastEnd - firstStart : 0 };
  }
}

/**
 * Calls the pure mapper (and `ref`, for a resource with children) and checks its output against the resource's
 * declared vocabulary. An item the mapper cannot map is returned as skipped (src/crawl/malformed-item.ts); output
 * outside the vocabulary is a bug in the adapter and fails the listing.
 */
function mapItem(resource: ResourceSpec, item: unknown, ctx: { tenant: TenantRef; parent: ParentRef | undefined; provider: string }, withRef: boolean):
    { out: Emitted; ref: ParentRef | null } | { skipped: SkippedItem } {
  let out: Emitted;
  let ref: ParentRef | null = null;
  try {
    out = resource.map(item, ctx);
    if (withRef && resource.ref) ref = resource.ref(item, ctx);
  } catch (err) {
    return { skipped: asMalformed(err, item, resource.type).record() };
  }
  for (const n of out.nodes) {
    if (!resource.emits.nodes.includes(n.kind)) throw new Error(`${resource.type} emitted a ${n.kind} node it does not declare`);
    // a trusted workload (src/trust/registry.ts) is one node whichever provider's identity trusts it: shared, under trust:
    if (!n.id.startsWith(`${ctx.provider}:`) && !(n.shared && isTrustEndpointId(n.id))) throw new Error(`${resource.type} emitted node id ${n.id} outside its provider`);
    // a name taken from a field of another type would fail the whole page's write: that item alone is malformed
    if (typeof n.name !== 'string') return { skipped: new MalformedItem(`${resource.type} item`, 'a text name', describeValue(n.name), nativeIdOf(item)).record() };
  }
  for (const e of out.edges) {
    if (!resource.emits.edges.includes(e.type)) throw new Error(`${resource.type} emitted a ${e.type} edge it does not declare`);
    if (!(e.type in EDGE_TYPES)) throw new Error(`${resource.type} emitted unknown edge type ${e.type}`);
  }
  return { out, ref };
}

/** The ledger's notes column: each distinct note once, with how many listings noted it. */
function noteText(counts: Map<string, number>): string | null {
  const lines = [...counts].slice(0, 10).map(([text, n]) => (n > 1 ? `${text} (${n} listings)` : text));
  if (counts.size > 10) lines.push(`${counts.size - 10} more`);
  return lines.length ? maskText(lines.join('; ')) : null;
}

function sum(rs: ResourceResult[], k: 'objects' | 'apiCalls' | 'notModified' | 'retries' | 'removed'): number {
  return rs.reduce((a, r) => a + r[k], 0);
}
