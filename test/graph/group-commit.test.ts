// Group commit and set-wise upserts (issue 16 item 1): many pages commit in few transactions; a listing's end
// (its removals and state) commits only with or after all its pages, whatever batch a crash stops at; an
// unchanged object written again gets no history row (also when its stored hash is missing: before 016);
// a write that fails for another reason than storage fails only its own listing. On both backends
// (test/helpers/backends.ts).
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/graph/db.ts';
import { dialectOf } from '../../src/graph/graph-db.ts';
import { GroupCommit, type ListingWrites } from '../../src/graph/group-commit.ts';
import type { Emitted, GraphNode } from '../../src/graph/model.ts';
import { beginRun } from '../../src/graph/runs.ts';
import { GraphWriter } from '../../src/graph/writer.ts';
import { isStorageFailure } from '../../src/util/storage-error.ts';
import { describeBackends, jsonProp, storedJson } from '../helpers/backends.ts';

const node = (id: string, props: Record<string, unknown> = {}): GraphNode => ({ id: `p:${id}`, kind: 'connector', type: 'p.thing', name: id, props });
const run = (db: Db) => new GraphWriter(db, beginRun(db, { providers: ['p'], mode: 'full', version: 't' }));
const pageOf = (scope: string, emitted: Emitted) => ({ provider: 'p', tenant: 't', scope, parentId: null, emitted });

/** Counts the outermost transactions run on `db` (nested ones are savepoints); `failAt` makes that one fail at its commit. */
function countTransactions(db: Db, failAt?: number): { count: () => number } {
  let n = 0;
  const original = db.transaction.bind(db);
  (db as { transaction: unknown }).transaction = (fn: (...a: unknown[]) => unknown) => {
    let outer = false;
    const tx = original((...a: unknown[]) => {
      const result = fn(...a);
      if (outer && n === failAt) throw Object.assign(new Error('disk I/O error'), { name: 'SqliteError', code: 'SQLITE_IOERR' });
      return result;
    });
    return (...a: unknown[]) => {
      outer = !db.inTransaction;
      if (outer) n++;
      return tx(...a);
    };
  };
  return { count: () => n };
}

/** Run 1: listings L0..L{n-1}, each owning `pages` pages of 4 nodes and one node that run 2 will not see again. */
function firstRun(db: Db, listings: number, pages: number): void {
  const w = run(db);
  for (let l = 0; l < listings; l++) {
    for (let p = 0; p < pages; p++) w.writePage(pageOf(`L${l}`, { nodes: [0, 1, 2, 3].map((i) => node(`L${l}-${p}-${i}`, { v: 1 })), edges: [] }));
    w.writePage(pageOf(`L${l}`, { nodes: [node(`L${l}-gone`)], edges: [] }));
    w.completeListing(`L${l}`);
  }
}

/** Run 2 through a group commit: pages interleaved round-robin across listings, each listing's end after its last page. */
function secondRun(db: Db, commit: GroupCommit, listings: number, pages: number, ended: (l: number) => void = () => {}): void {
  const handles: ListingWrites[] = [];
  for (let l = 0; l < listings; l++) handles.push(commit.listing(`L${l}`, (err) => { throw err; }));
  for (let p = 0; p < pages; p++) {
    for (let l = 0; l < listings; l++) {
      commit.page(handles[l]!, pageOf(`L${l}`, { nodes: [0, 1, 2, 3].map((i) => node(`L${l}-${p}-${i}`, { v: 1 })), edges: [] }));
      if (p === pages - 1) commit.end(handles[l]!, { keep: false, complete: true, state: [['p', 't', `cursor-L${l}`, 'v2']] }, () => ended(l));
    }
  }
  commit.close();
}

describeBackends('graph writes', ({ openTestDb }) => {
describe('group commit', () => {
  it('commits a crawl of many pages and listing ends in far fewer transactions (a bound on rows, not a timing)', () => {
    const db = openTestDb();
    firstRun(db, 20, 5);
    const writer = run(db);
    const tx = countTransactions(db);
    const commit = new GroupCommit(db, writer, { maxRows: 100, maxMs: 60_000 });
    const done: number[] = [];
    secondRun(db, commit, 20, 5, (l) => done.push(l));
    // 100 pages of 4 rows and 20 listing ends: 120 transactions one at a time, here ceil(400 rows / 100) + the rest
    expect(tx.count()).toBeLessThanOrEqual(5);
    expect(commit.transactions).toBe(tx.count());
    expect(done).toHaveLength(20);
    expect(db.prepare('SELECT count(*) n FROM nodes WHERE removed_run IS NULL').get()).toEqual({ n: 400 });
    expect(db.prepare("SELECT count(*) n FROM nodes WHERE removed_run = ? AND id LIKE 'p:L%-gone'").get(writer.runId)).toEqual({ n: 20 });
  });

  it('a crash at any batch leaves a prefix: a listing ends (removals, state) only with all its pages, never before', () => {
    const listings = 6;
    const pages = 4;
    let endedSomeButNotAll = false;
    for (let crashAt = 1; crashAt <= 12; crashAt++) {
      const db = openTestDb();
      firstRun(db, listings, pages);
      const writer = run(db);
      const tx = countTransactions(db, crashAt);
      const commit = new GroupCommit(db, writer, { maxRows: 10, maxMs: 60_000 });
      let thrown: unknown;
      try { secondRun(db, commit, listings, pages); } catch (err) { thrown = err; }
      const crashed = tx.count() >= crashAt;
      if (crashed) {
        expect(isStorageFailure(thrown)).toBe(true);
        // the writer stops: every later write throws the same failure, nothing more is written
        expect(() => commit.flush()).toThrow('disk I/O error');
      }
      let ended = 0;
      for (let l = 0; l < listings; l++) {
        const state = db.prepare("SELECT value FROM crawl_state WHERE key = ?").get(`cursor-L${l}`) as { value: string } | undefined;
        const removed = (db.prepare("SELECT count(*) n FROM nodes WHERE id = ? AND removed_run = ?").get(`p:L${l}-gone`, writer.runId) as { n: number }).n;
        const seen = (db.prepare('SELECT count(*) n FROM nodes WHERE source = ? AND last_seen_run = ?').get(`L${l}`, writer.runId) as { n: number }).n;
        // the end's removal and its state commit together, and only once all of the listing's pages did
        expect(removed, `crash at ${crashAt}, L${l}`).toBe(state ? 1 : 0);
        if (state) { ended++; expect(seen, `crash at ${crashAt}, L${l}`).toBe(pages * 4); }
      }
      if (!crashed) expect(ended).toBe(listings);
      if (ended > 0 && ended < listings) endedSomeButNotAll = true;
      if (dialectOf(db) === 'sqlite') expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    }
    expect(endedSomeButNotAll).toBe(true);
  });

  it('reads see queued state and cached pages before they are committed', () => {
    const db = openTestDb();
    const writer = run(db);
    const commit = new GroupCommit(db, writer, { maxRows: 1000, maxMs: 60_000 });
    const l = commit.listing('s', (err) => { throw err; });
    commit.page(l, pageOf('s', { nodes: [node('a')], edges: [] }), { key: 'k1', etag: 'e1', next: null, children: [] });
    commit.end(l, { keep: false, complete: true, state: [['p', 't', 'delta', 'link-2']] }, () => {});
    expect(commit.getState('p', 't', 'delta')).toBe('link-2');
    expect(commit.cachedPage('k1')).toMatchObject({ etag: 'e1', emitted: { nodes: ['p:a'] } });
    expect(db.prepare('SELECT count(*) n FROM nodes').get()).toEqual({ n: 0 });
    commit.close();
    expect(writer.getState('p', 't', 'delta')).toBe('link-2');
    expect(writer.getCachedPage('k1')).toMatchObject({ etag: 'e1' });
  });

  it('a write that fails for another reason than storage fails its own listing only: nothing of it removed', () => {
    const db = openTestDb();
    firstRun(db, 2, 1);
    const writer = run(db);
    const commit = new GroupCommit(db, writer, { maxRows: 1000, maxMs: 60_000 });
    const failed: string[] = [];
    const ok = commit.listing('L0', () => failed.push('L0'));
    const bad = commit.listing('L1', () => failed.push('L1'));
    const ends: string[] = [];
    commit.page(ok, pageOf('L0', { nodes: [0, 1, 2, 3].map((i) => node(`L0-0-${i}`, { v: 1 })), edges: [] }));
    // a node type the database refuses (NOT NULL): the batch fails, then each write alone
    commit.page(bad, pageOf('L1', { nodes: [{ ...node('L1-0-0'), type: null as unknown as string }], edges: [] }));
    commit.end(ok, { keep: false, complete: true, state: [] }, () => ends.push('L0'));
    commit.end(bad, { keep: false, complete: true, state: [] }, () => ends.push('L1'));
    commit.close();
    expect(failed).toEqual(['L1']);
    expect(ends).toEqual(['L0']);
    expect(db.prepare("SELECT id FROM nodes WHERE removed_run = ? ORDER BY id").all(writer.runId)).toEqual([{ id: 'p:L0-gone' }]);
  });
});

describe('set-wise upserts', () => {
  it('an unchanged object written again gets no history row; a changed one exactly one; observation props none', () => {
    const db = openTestDb();
    const emitted = (v: number, used: string): Emitted => ({
      nodes: [node('a', { v: 1 }), node('b', { v, last_used_at: used }), { ...node('k'), kind: 'credential', props: { last_used_at: used } }],
      edges: [{ type: 'HAS_CREDENTIAL', from: 'p:a', to: 'p:k', props: { since: 1 } }],
    });
    const w1 = run(db);
    expect(w1.writePage(pageOf('s', emitted(1, '2026-01-01')))).toEqual({ nodes: 3, edges: 1, added: 4, modified: 0 });
    const w2 = run(db);
    expect(w2.writePage(pageOf('s', emitted(1, '2026-02-01')))).toEqual({ nodes: 3, edges: 1, added: 0, modified: 0 });
    expect(db.prepare('SELECT count(*) n FROM change_log WHERE run_id = ?').get(w2.runId)).toEqual({ n: 0 });
    // every object still records that this run saw it (the removal rule reads last_seen_run)
    expect(db.prepare('SELECT count(*) n FROM nodes WHERE last_seen_run = ?').get(w2.runId)).toEqual({ n: 3 });
    expect(db.prepare('SELECT count(*) n FROM edges WHERE last_seen_run = ?').get(w2.runId)).toEqual({ n: 1 });
    expect(db.prepare(`SELECT ${jsonProp(db, 'props', 'last_used_at')} u FROM nodes WHERE id = 'p:k'`).get()).toEqual({ u: '2026-02-01' });
    const w3 = run(db);
    expect(w3.writePage(pageOf('s', emitted(2, '2026-02-01'))).modified).toBe(1);
    expect(db.prepare('SELECT entity_id, change FROM change_log WHERE run_id = ?').all(w3.runId)).toEqual([{ entity_id: 'p:b', change: 'modified' }]);
  });

  it('rows from before migration 016 (no hash) written again unchanged get no history, and get their hash', () => {
    const db = openTestDb();
    const e: Emitted = { nodes: [node('a', { v: 1 }), node('b', { v: 1 })], edges: [{ type: 'OWNS', from: 'p:a', to: 'p:b' }] };
    run(db).writePage(pageOf('s', e));
    db.exec('UPDATE nodes SET props_hash = NULL; UPDATE edges SET props_hash = NULL');
    const w2 = run(db);
    w2.writePage(pageOf('s', e));
    expect(db.prepare('SELECT count(*) n FROM change_log WHERE run_id = ?').get(w2.runId)).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) n FROM nodes WHERE props_hash IS NULL').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) n FROM edges WHERE props_hash IS NULL').get()).toEqual({ n: 0 });
  });

  it('the same id twice in one batch with other content is written in order, as one page at a time would', () => {
    const db = openTestDb();
    const w = run(db);
    const commit = new GroupCommit(db, w, { maxRows: 1000, maxMs: 60_000 });
    const a = commit.listing('a', (err) => { throw err; });
    const b = commit.listing('b', (err) => { throw err; });
    commit.page(a, pageOf('a', { nodes: [{ ...node('x', { v: 1 }), ref: true }], edges: [] }));
    commit.page(b, pageOf('b', { nodes: [node('x', { v: 2 })], edges: [] }));
    commit.page(a, pageOf('a', { nodes: [node('x', { v: 3 })], edges: [] }));
    commit.page(b, pageOf('b', { nodes: [{ ...node('x', { v: 4 }), ref: true }], edges: [] }));
    commit.close();
    expect(db.prepare("SELECT props, source FROM nodes WHERE id = 'p:x'").get()).toEqual({ props: storedJson(db, '{"v":3}'), source: 'a' });
    expect(db.prepare('SELECT change, after FROM change_log ORDER BY id').all()).toEqual([
      { change: 'added', after: '{"name":"x","props":{"v":1}}' },
      { change: 'modified', after: '{"name":"x","props":{"v":2}}' },
      { change: 'modified', after: '{"name":"x","props":{"v":3}}' },
    ]);
  });
});
});
