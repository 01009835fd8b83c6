// Issue 13 item 16: `inventory draft` serialises provider text with the YAML library, so no name — with
// newlines, quotes, YAML indicators, control, bidi or any other Unicode — can break or forge the document.
// A property test (seeded generator, reproducible) drafts from hostile names and checks that the draft
// parses, keeps every value exactly, is terminal-safe, and — once the FILL IN fields are filled — validates
// and approves every connector it drafted a match rule for.
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import type { GraphEdge, GraphNode } from '../../src/graph/model.ts';
import { loadSnapshot } from '../../src/graph/reconcile-snapshot.ts';
import { draftInventory } from '../../src/inventory/draft.ts';
import { parseInventory } from '../../src/inventory/load.ts';
import { InventoryMatcher } from '../../src/inventory/match.ts';
import { connector, crawlRun, edge, endpoint, memDb, principal, scopeNode } from '../reconcile/helpers.ts';

/** mulberry32: a small seeded PRNG, so a failure is reproducible from the seed it prints. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const POOLS: string[][] = [
  [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'],
  [...':#-?&*!|>\'"%@`{}[],\\/. ='],
  [' ', '\t', '\n', '\r', '\r\n', '\u0085', '\u2028', '\u2029', '\u00a0', '\u3000'],
  ['\u0000', '\u0007', '\u0008', '\u000b', '\u000c', '\u001b', '\u001b[2J', '\u001b]0;pwned\u0007', '\u007f', '\u0080', '\u009b', '\u009f'],
  ['\u202e', '\u202a', '\u200e', '\u200f', '\u2066', '\u2069', '\u061c', '\ufeff', '\u200b', '\u00ad'],
  ['é', 'ß', 'İ', 'ǅ', 'Ω', '中文', 'ع', '\u0301', '😀', '👩‍💻', '𝔘', '\ud800', '\udfff', '\uffff'],
  ['- ', ': ', ' #', '---', '...', '!!str ', '&a ', '*a', 'null', 'true', '~', '0x1F', '1e3', '<<'],
];

function hostile(rnd: () => number, maxLen = 16): string {
  const n = Math.floor(rnd() * maxLen);
  let s = '';
  for (let i = 0; i < n; i++) { const pool = POOLS[Math.floor(rnd() * POOLS.length)]!; s += pool[Math.floor(rnd() * pool.length)]!; }
  return s;
}

const HOSTS = ['hooks.example.io', 'EVENTS.Partner.COM', 'a.b', '127.0.0.1', 'xn--bcher-kva.example', '[::1]', 'bad host', ''];
const FILLED = { business_owner: 'a@example.com', technical_owner: 'b@example.com', purpose: 'x', ticket: 'T-1', approved_on: '2026-11-01' };
/** Characters a terminal or viewer acts on; the draft must show them as escapes. */
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u;

function graph(seed: number) {
  const rnd = prng(seed);
  const db = memDb();
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  for (let i = 0; i < 6; i++) {
    const id = `c${i}`;
    const kind = pick(['app', 'app', 'webhook', 'nothing']);
    const props = kind === 'app' ? (rnd() < 0.5 ? { app_slug: hostile(rnd), app_id: hostile(rnd) } : { installation_id: hostile(rnd, 6) }) : {};
    nodes.push(connector('github', id, props, hostile(rnd, 24)));
    if (kind === 'webhook') {
      const host = pick(HOSTS);
      nodes.push(endpoint('github', host));
      edges.push(edge('FORWARDS_TO', `github:connector:${id}`, `github:endpoint:${host}`));
    }
    if (rnd() < 0.6) {
      const vendor = hostile(rnd);
      nodes.push({ id: `github:vendor:${id}`, kind: 'vendor', type: 'github.vendor', name: vendor, props: {} });
      edges.push(edge('PUBLISHED_BY', `github:connector:${id}`, `github:vendor:${id}`));
    }
    for (let k = Math.floor(rnd() * 3); k > 0; k--) {
      const scope = hostile(rnd, 10);
      nodes.push(scopeNode('github', scope));
      edges.push(edge('HAS_SCOPE', `github:connector:${id}`, `github:scope:${scope}`));
    }
    if (rnd() < 0.5) {
      nodes.push(principal('github', `u${i}`, { email: hostile(rnd) }));
      edges.push(edge('OWNS', `github:user:u${i}`, `github:connector:${id}`));
    }
  }
  const slackId = hostile(rnd, 8);
  crawlRun(db, 'github', { apps: { nodes, edges } });
  crawlRun(db, 'slack', { apps: { nodes: [connector('slack', 's1', { app_id: slackId }, hostile(rnd, 24))] } });
  return loadSnapshot(db);
}

describe('inventory draft: serialised by the YAML library', () => {
  it('a provider name starting with a newline (and other YAML-breaking names) drafts a file that parses', () => {
    const db = memDb();
    crawlRun(db, 'github', { apps: { nodes: [
      connector('github', 'a', { app_slug: 'acme' }, '\nname: forged\n  - x'),
      connector('github', 'b', { app_slug: 'beta' }, 'x" # not a comment'),
      connector('github', 'c', {}, '\nentries: []\n# unmatchable'),
    ] } });
    const text = draftInventory(loadSnapshot(db), { source: 'a\nb.db', generatedAt: '2026-12-01' });
    const doc = YAML.parseDocument(text);
    expect(doc.errors).toEqual([]);
    const entries = (doc.toJS() as { entries: Array<{ name: string; match: unknown }> }).entries;
    expect(entries.map((e) => e.name).sort()).toEqual(['\nname: forged\n  - x', 'x" # not a comment']);
    expect(Object.keys(doc.toJS() as object)).toEqual(['version', 'defaults', 'entries']);
  });

  it('property: names of arbitrary Unicode and control characters round-trip and the filled-in draft validates', () => {
    const BASE_SEED = 20261202;
    for (let run = 0; run < 120; run++) {
      const seed = BASE_SEED + run;
      const snap = graph(seed);
      const text = draftInventory(snap, { source: hostile(prng(seed + 1)), generatedAt: '2026-12-01' });
      const where = `seed ${seed}`;
      expect(UNSAFE.test(text), `${where}: raw control or bidi character in the draft`).toBe(false);
      const doc = YAML.parseDocument(text);
      expect(doc.errors.map((e) => e.message), where).toEqual([]);
      const draft = doc.toJS() as { version: number; entries: Array<Record<string, unknown>> };
      expect(Object.keys(draft), where).toEqual(['version', 'defaults', 'entries']);

      // names and vendors exactly as the graph has them (a blank name falls back to the node id)
      const names = new Map(snap.connectors.map((c) => [c.id, c.name]));
      for (const e of draft.entries) {
        expect(typeof e.name, where).toBe('string');
        if (typeof e.vendor === 'string' && e.vendor !== '') expect([...snap.vendorOf.values()], where).toContain(e.vendor);
      }
      expect(draft.entries.every((e) => [...names.values(), ...names.keys()].includes(e.name as string) || String(e.name).startsWith('Webhooks to ')), where).toBe(true);

      // filled in, it validates, and every connector it wrote a match rule for is approved
      for (const e of draft.entries) Object.assign(e, FILLED, e.vendor ? {} : { vendor: 'Someone' });
      let inv;
      try { inv = parseInventory('draft.yaml', YAML.stringify(draft)); } catch (err) {
        throw new Error(`${where}: the filled-in draft does not validate: ${(err as Error).message}\n${text}`);
      }
      const matcher = new InventoryMatcher(inv.inventory);
      const unmatched = text.includes('carry no id a match rule can use') ? text.split('\n').filter((l) => l.startsWith('#   ')).length : 0;
      const approved = snap.connectors.filter((c) => matcher.match({ id: c.id, provider: c.provider, name: c.name, props: c.props,
        hosts: (snap.forwardsOf.get(c.id) ?? []).map((f) => f.host) }));
      expect(approved.length + unmatched, `${where}: every connector is either approved by the filled-in draft or listed as unmatchable`)
        .toBe(snap.connectors.length);
    }
  });
});
