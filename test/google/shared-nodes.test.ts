// Shared nodes (GraphNode.shared), the core addition the Google provider needed: a node many listings emit
// (an OAuth client every granting user's listing sees, a scope) is owned by none, is never removed by one
// listing's completion while another's edges still link it, and goes when the last linking edge goes.
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/graph/db.ts';
import { GraphWriter } from '../../src/graph/writer.ts';
import { beginRun } from '../../src/graph/runs.ts';
import type { Emitted } from '../../src/graph/model.ts';

const app = { id: 'p:app', kind: 'connector' as const, type: 'p.client', name: 'app', props: { app_id: 'c1' }, shared: true };
const grant = (u: string): Emitted => ({
  nodes: [app, { id: `p:grant:${u}`, kind: 'credential', type: 'p.grant', name: u, props: {} }],
  edges: [{ type: 'HAS_CREDENTIAL', from: 'p:app', to: `p:grant:${u}` }],
});
const none: Emitted = { nodes: [], edges: [] };

function setup() {
  const db = openDb(':memory:', { noBackup: true });
  const run = () => new GraphWriter(db, beginRun(db, { providers: ['p'], mode: 'full', version: 'test' }));
  const write = (w: GraphWriter, scope: string, e: Emitted) => w.writePage({ provider: 'p', tenant: 't', scope, parentId: `p:user:${scope}`, emitted: e });
  const state = (id: string) => {
    const r = db.prepare('SELECT removed_run FROM nodes WHERE id = ?').get(id) as { removed_run: number | null } | undefined;
    return r ? r.removed_run : 'missing';
  };
  const changes = (id: string) => db.prepare("SELECT change FROM change_log WHERE entity = 'node' AND entity_id = ? ORDER BY id").all(id).map((r: any) => r.change);
  return { db, run, write, state, changes };
}

describe('shared nodes', () => {
  it('stay while any listing links them, whatever order listings finish in, and go with the last link', () => {
    const { run, write, state, changes } = setup();
    const r1 = run();
    write(r1, 'a', grant('a')); r1.completeListing('a');
    write(r1, 'b', grant('b')); r1.completeListing('b');
    // run 2: a revokes and finishes first, before b has re-emitted the app
    const r2 = run();
    write(r2, 'a', none); r2.completeListing('a');
    expect(state('p:app')).toBeNull();
    write(r2, 'b', grant('b')); r2.completeListing('b');
    expect(changes('p:app')).toEqual(['added']); // no removed/added flap
    // run 3: b revokes too — the app goes with its last grant
    const r3 = run();
    write(r3, 'a', none); r3.completeListing('a');
    write(r3, 'b', none); const removed = r3.completeListing('b');
    expect(removed).toBe(2); // b's grant and the app
    expect(changes('p:app')).toEqual(['added', 'removed']);
  });

  it('a failed listing keeps its links, so the shared node stays', () => {
    const { run, write, state } = setup();
    const r1 = run();
    write(r1, 'a', grant('a')); r1.completeListing('a');
    write(r1, 'b', grant('b')); r1.completeListing('b');
    const r2 = run();
    write(r2, 'a', none); r2.completeListing('a');
    // b's listing failed: completeListing is never called for it
    expect(state('p:app')).toBeNull();
    expect(state('p:grant:b')).toBeNull();
  });

  it('are not claimed by a listing: its parent going does not take them along', () => {
    const { run, write, state, db } = setup();
    const r1 = run();
    write(r1, 'a', grant('a')); r1.completeListing('a');
    expect(db.prepare("SELECT source, parent_id FROM nodes WHERE id = 'p:app'").get()).toEqual({ source: '(shared)', parent_id: null });
    expect(state('p:app')).toBeNull();
  });
});
