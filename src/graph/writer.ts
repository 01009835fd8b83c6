// Writes one run's pages into the graph: upserts nodes and edges set-wise (src/graph/upsert-set.ts) inside a
// transaction per page (writePage) or per batch of pages (writePrepared, for src/graph/group-commit.ts), records
// added/modified/removed history, and marks objects removed only when the listing that owns them completed
// (`completeListing`). A failed listing never calls it.
// It is the graph's write boundary for secrets: names, props, edge props and crawl state are stored
// with every declared token format masked (ids are kept: they come from provider ids), and NUL replaced in every
// string of provider data, ids included, so that SQLite and PostgreSQL store the same rows (src/graph/text-safe.ts).
// Every scope node it writes is graded by the risk catalogue (src/graph/scope-grades.ts: the grants view's risk).
import type { Db } from './db.ts';
import { edgeId, type Emitted } from './model.ts';
import { canonicalJson } from '../util/canonical-json.ts';
import { maskDeep, maskJson, maskText } from '../util/redact.ts';
import { ScopeGrades } from './scope-grades.ts';
import { jsonMayHoldNul, textSafe, textSafeDeep, textSafeOrNull } from './text-safe.ts';
import { sqlFor } from './dialect.ts';
import { nodeSnapshot, propsHash, SetUpsert, storedProps, type PreparedEdge, type PreparedNode } from './upsert-set.ts';

/** `nodes.source` of shared nodes (GraphNode.shared): owned by no listing, kept alive by their edges. */
export const SHARED_SOURCE = '(shared)';

export interface PageWrite {
  provider: string;
  tenant: string;
  /** The listing that owns what this page emits (see listingScope). */
  scope: string;
  /** Node id of the parent object this listing fans out from, if any. */
  parentId: string | null;
  emitted: Emitted;
}

export interface WriteCounts { nodes: number; edges: number; added: number; modified: number }

/** What writePage's optional argument records: the page's conditional-request cache entry. */
export interface PageCache { key: string; etag: string; next: string | null; base?: string; children: unknown[]; items?: number }

/** A page masked, made canonical and hashed (preparePage), ready for writePrepared; `cached` is its cache entry. */
export interface PreparedPage {
  provider: string; nodes: PreparedNode[]; edges: PreparedEdge[];
  cached?: { key: string; entry: CachedPage };
  /** Nodes plus edges: what a batch bound counts. */
  rows: number;
}

/** A cached page: `next` is the next page's path and query, `base` the base URL both were issued for (null: not recorded). */
export interface CachedPage { etag: string; next: string | null; base: string | null; emitted: { nodes: string[]; edges: string[]; children: unknown[]; items?: number } }

interface RemovedEdge { id: string; provider: string; type: string; props: string; src: string; dst: string }

export class GraphWriter {
  private readonly now: () => string;
  private readonly s;
  private readonly grades: ScopeGrades;
  private readonly upsert: SetUpsert;
  /** Props read back from a removal, as written (storedProps). */
  private readonly stored: (props: string) => string;

  constructor(private readonly db: Db, readonly runId: number, now: () => string = () => new Date().toISOString()) {
    this.now = now;
    this.stored = storedProps(db);
    // the ids of a JSON array parameter, as rows
    const ids = sqlFor(db, { sqlite: 'SELECT value FROM json_each(?)', postgres: 'SELECT jsonb_array_elements_text(?::jsonb)' });
    this.s = {
      change: db.prepare(`INSERT INTO change_log (run_id, at, entity, entity_id, change, provider, kind, before, after)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      touchNodes: db.prepare(`UPDATE nodes SET last_seen_run = ?, last_seen_at = ?
          WHERE id IN (${ids}) AND removed_run IS NULL`),
      touchEdges: db.prepare(`UPDATE edges SET last_seen_run = ?, last_seen_at = ?
          WHERE id IN (${ids}) AND removed_run IS NULL`),
      touchScopeNodes: db.prepare(`UPDATE nodes SET last_seen_run = ?, last_seen_at = ? WHERE source = ? AND removed_run IS NULL`),
      touchScopeEdges: db.prepare(`UPDATE edges SET last_seen_run = ?, last_seen_at = ? WHERE source = ? AND removed_run IS NULL`),
      removeScopeNodes: db.prepare<[number, string, string, number], { id: string; provider: string; kind: string; props: string; name: string }>(
        `UPDATE nodes SET removed_run = ?, removed_at = ? WHERE source = ? AND last_seen_run < ? AND removed_run IS NULL
         RETURNING id, provider, kind, props, name`),
      removeScopeEdges: db.prepare<[number, string, string, number], RemovedEdge>(
        `UPDATE edges SET removed_run = ?, removed_at = ? WHERE source = ? AND last_seen_run < ? AND removed_run IS NULL
         RETURNING id, provider, type, props, src, dst`),
      removeChildNodes: db.prepare<[number, string, string], { id: string; provider: string; kind: string; props: string; name: string }>(
        `UPDATE nodes SET removed_run = ?, removed_at = ? WHERE parent_id = ? AND removed_run IS NULL
         RETURNING id, provider, kind, props, name`),
      removeChildEdges: db.prepare<[number, string, string], RemovedEdge>(
        `UPDATE edges SET removed_run = ?, removed_at = ? WHERE parent_id = ? AND removed_run IS NULL
         RETURNING id, provider, type, props, src, dst`),
      removeNodeById: db.prepare<[number, string, string], { id: string; provider: string; kind: string; props: string; name: string }>(
        `UPDATE nodes SET removed_run = ?, removed_at = ? WHERE id = ? AND removed_run IS NULL
         RETURNING id, provider, kind, props, name`),
      removeEdgesOf: db.prepare<[number, string, string, string], RemovedEdge>(
        `UPDATE edges SET removed_run = ?, removed_at = ? WHERE (src = ? OR dst = ?) AND removed_run IS NULL
         RETURNING id, provider, type, props, src, dst`),
      removeUnlinkedShared: db.prepare<[number, string, string, string, string], { id: string; provider: string; kind: string; props: string; name: string }>(
        `UPDATE nodes SET removed_run = ?, removed_at = ? WHERE id = ? AND source = '${SHARED_SOURCE}' AND removed_run IS NULL
           AND NOT EXISTS (SELECT 1 FROM edges WHERE (src = ? OR dst = ?) AND removed_run IS NULL)
         RETURNING id, provider, kind, props, name`),
      getCache: db.prepare<[string], { etag: string; next: string | null; base: string | null; emitted: string }>('SELECT etag, next, base, emitted FROM http_cache WHERE key = ?'),
      putCache: db.prepare(`INSERT INTO http_cache (key, provider, etag, next, base, emitted, fetched_at, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT(key) DO UPDATE SET etag = excluded.etag, next = excluded.next, base = excluded.base, emitted = excluded.emitted,
          fetched_at = excluded.fetched_at, run_id = excluded.run_id`),
      getState: db.prepare<[string, string, string], { value: string }>('SELECT value FROM crawl_state WHERE provider = ? AND tenant = ? AND key = ?'),
      putState: db.prepare(`INSERT INTO crawl_state (provider, tenant, key, value, run_id, updated_at) VALUES (?, ?, ?, ?, ?, ?)
          ON CONFLICT(provider, tenant, key) DO UPDATE SET value = excluded.value, run_id = excluded.run_id, updated_at = excluded.updated_at`),
      deleteState: db.prepare('DELETE FROM crawl_state WHERE provider = ? AND tenant = ? AND key = ?'),
    };
    this.grades = new ScopeGrades(db, now);
    this.upsert = new SetUpsert(db, runId);
    this.grades.refreshAll(); // scope nodes a page replayed from a 304 never passes through upsertNode
  }

  /** Writes one page in one transaction; optionally records its conditional-request cache entry. */
  writePage(page: PageWrite, cache?: PageCache): WriteCounts {
    const prepared = this.preparePage(page, cache);
    return this.db.transaction(() => this.writePrepared([prepared]))();
  }

  /**
   * Masks, canonicalises and hashes a page (no database access): what can fail in an adapter's output fails
   * here, in its listing, before the page joins a batch.
   */
  preparePage(page: PageWrite, cache?: PageCache): PreparedPage {
    const tenant = textSafe(page.tenant);
    const scope = textSafe(page.scope);
    const parentId = textSafeOrNull(page.parentId);
    const nodes = page.emitted.nodes.map((n): PreparedNode => {
      const id = textSafe(n.id);
      const provider = id.split(':', 1)[0]!;
      if (n.patch) {
        return { id, provider, kind: n.kind, type: n.type, name: null, tenant, props: '', hash: '', source: null, parent_id: null,
          ref: false, patch: maskDeep(textSafeDeep(n.props)) as Record<string, unknown> };
      }
      const props = storedJson(n.props);
      return { id, provider, kind: n.kind, type: n.type, name: typeof n.name === 'string' ? maskText(textSafe(n.name)) : n.name, tenant,
        props, hash: propsHash(props), source: n.ref ? null : n.shared ? SHARED_SOURCE : scope,
        parent_id: n.ref || n.shared ? null : parentId, ref: !!n.ref };
    });
    const edges = page.emitted.edges.map((e): PreparedEdge => {
      const props = storedJson(e.props ?? {});
      const [src, dst] = [textSafe(e.from), textSafe(e.to)];
      return { id: edgeId({ ...e, from: src, to: dst }), type: e.type, src, dst, provider: page.provider, props, hash: propsHash(props),
        source: scope, parent_id: parentId };
    });
    const prepared: PreparedPage = { provider: page.provider, nodes, edges, rows: nodes.length + edges.length };
    if (cache) {
      // the key is built from the page's URL (which percent-encodes NUL); children keep their ids as the provider gave
      // them: they address the child listings (stored as JSON text, where NUL is an escape both backends keep)
      prepared.cached = { key: cache.key, entry: { etag: textSafe(cache.etag), next: textSafeOrNull(cache.next), base: textSafeOrNull(cache.base ?? null), emitted: {
        nodes: nodes.filter((n) => !n.ref && !n.patch).map((n) => n.id),
        edges: edges.map((e) => e.id),
        children: cache.children.map(maskLabel),
        items: cache.items ?? page.emitted.nodes.length,
      } } };
    }
    return prepared;
  }

  /** Writes prepared pages in order, set-wise, inside the caller's transaction; records their cache entries. */
  writePrepared(pages: PreparedPage[]): WriteCounts {
    const at = this.now();
    const counts = this.upsert.write(pages, at, (id) => this.grades.grade(id));
    for (const p of pages) {
      if (!p.cached) continue;
      const c = p.cached.entry;
      this.s.putCache.run(p.cached.key, p.provider, c.etag, c.next, c.base, JSON.stringify(c.emitted), at, this.runId);
    }
    return counts;
  }

  /** `fn` as one transaction, or as part of the caller's (a group commit's batch: no savepoint per listing end). */
  private atomic<T>(fn: () => T): () => T {
    return this.db.inTransaction ? fn : this.db.transaction(fn);
  }

  /** A transaction it wrote in was rolled back (to be retried): what it remembers as written is written again. */
  rolledBack(): void {
    this.grades.forget();
  }

  /** A 304: everything the cached page emitted last time is still there. */
  replayCachedPage(entry: CachedPage): void {
    this.atomic(() => {
      const at = this.now();
      this.s.touchNodes.run(this.runId, at, JSON.stringify(entry.emitted.nodes));
      this.s.touchEdges.run(this.runId, at, JSON.stringify(entry.emitted.edges));
    })();
  }

  /** The provider said the whole listing is unchanged since the last run (e.g. no token events for a user). */
  keepListing(listingScope: string): void {
    const scope = textSafe(listingScope);
    const at = this.now();
    this.atomic(() => {
      this.s.touchScopeNodes.run(this.runId, at, scope);
      this.s.touchScopeEdges.run(this.runId, at, scope);
    })();
  }

  /** The listing `scope` completed: whatever it owned and did not return this run is removed (and what hangs off it). */
  completeListing(listingScope: string): number {
    const scope = textSafe(listingScope);
    return this.atomic(() => {
      const at = this.now();
      let removed = 0;
      const ends = new Set<string>();
      for (const e of this.s.removeScopeEdges.all(this.runId, at, scope, this.runId)) {
        this.s.change.run(this.runId, at, 'edge', e.id, 'removed', e.provider, e.type, this.stored(e.props), null);
        ends.add(e.src).add(e.dst);
      }
      for (const n of this.s.removeScopeNodes.all(this.runId, at, scope, this.runId)) {
        removed++;
        this.s.change.run(this.runId, at, 'node', n.id, 'removed', n.provider, n.kind, nodeSnapshot(n.name, this.stored(n.props)), null);
        removed += this.removeDescendants(n.id, at, ends);
      }
      return removed + this.removeUnlinkedShared(ends, at);
    })();
  }

  /** A delta listing reported these objects deleted. */
  removeNodes(ids: string[]): number {
    return this.atomic(() => {
      const at = this.now();
      let removed = 0;
      const ends = new Set<string>();
      for (const id of ids.map(textSafe)) {
        for (const n of this.s.removeNodeById.all(this.runId, at, id)) {
          removed++;
          this.s.change.run(this.runId, at, 'node', n.id, 'removed', n.provider, n.kind, nodeSnapshot(n.name, this.stored(n.props)), null);
          for (const e of this.s.removeEdgesOf.all(this.runId, at, id, id)) {
            this.s.change.run(this.runId, at, 'edge', e.id, 'removed', e.provider, e.type, this.stored(e.props), null);
            ends.add(e.src).add(e.dst);
          }
          removed += this.removeDescendants(id, at, ends);
        }
      }
      return removed + this.removeUnlinkedShared(ends, at);
    })();
  }

  getCachedPage(key: string): CachedPage | undefined {
    const row = this.s.getCache.get(key);
    return row ? { etag: row.etag, next: row.next, base: row.base, emitted: JSON.parse(row.emitted) } : undefined;
  }

  getState(provider: string, tenant: string, key: string): string | undefined {
    return this.s.getState.get(textSafe(provider), textSafe(tenant), textSafe(key))?.value;
  }

  setState(provider: string, tenant: string, key: string, value: string | null): void {
    const k = [textSafe(provider), textSafe(tenant), textSafe(key)] as const;
    if (value === null) this.s.deleteState.run(...k);
    else this.s.putState.run(...k, storedState(value), this.runId, this.now());
  }

  private removeDescendants(parentId: string, at: string, ends?: Set<string>): number {
    let removed = 0;
    for (const e of this.s.removeChildEdges.all(this.runId, at, parentId)) {
      this.s.change.run(this.runId, at, 'edge', e.id, 'removed', e.provider, e.type, this.stored(e.props), null);
      ends?.add(e.src).add(e.dst);
    }
    for (const n of this.s.removeChildNodes.all(this.runId, at, parentId)) {
      removed++;
      this.s.change.run(this.runId, at, 'node', n.id, 'removed', n.provider, n.kind, nodeSnapshot(n.name, this.stored(n.props)), null);
      removed += this.removeDescendants(n.id, at, ends);
    }
    return removed;
  }

  /** Shared nodes at the ends of removed edges that no live edge links any more are removed too. */
  private removeUnlinkedShared(ends: Set<string>, at: string): number {
    let removed = 0;
    for (const id of ends) {
      for (const n of this.s.removeUnlinkedShared.all(this.runId, at, id, id, id)) {
        removed++;
        this.s.change.run(this.runId, at, 'node', n.id, 'removed', n.provider, n.kind, nodeSnapshot(n.name, this.stored(n.props)), null);
      }
    }
    return removed;
  }
}

/** Props as stored: masked, NUL replaced (walked again only when its JSON holds the escape), canonical JSON. */
function storedJson(props: unknown): string {
  const json = canonicalJson(maskDeep(props));
  return jsonMayHoldNul(json) ? canonicalJson(maskDeep(textSafeDeep(props))) : json;
}

/** A crawl state value as stored (and as group-commit.ts holds it until then): masked, NUL replaced. */
export function storedState(value: string): string {
  return textSafe(maskJson(value));
}

/** A cached child reference with its display label masked (the other fields address the child listing: kept). */
function maskLabel(ref: unknown): unknown {
  const r = ref as { label?: unknown };
  return r && typeof r === 'object' && typeof r.label === 'string' && maskText(r.label) !== r.label ? { ...r, label: maskText(r.label) } : ref;
}
