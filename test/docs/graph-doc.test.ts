// Keeps docs/graph.md honest: every view it documents exists with every column it names, every view the
// migrations create is documented, and every connector_type / credential_type / node type value it gives is
// one the connectors emit.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/graph/db.ts';
import { GRAPH_VIEWS } from '../../src/graph/views.ts';

const doc = fs.readFileSync('docs/graph.md', 'utf8');

/** The rows of the first Markdown table after `heading`, as cell arrays (header and rule rows dropped). */
function tableAfter(heading: string): string[][] {
  const start = doc.indexOf(heading);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const lines = doc.slice(start).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const l of lines.slice(first)) {
    if (!l.startsWith('|')) break;
    rows.push(l.slice(1, l.lastIndexOf('|')).split(' | ').map((c) => c.trim()));
  }
  return rows.slice(2);
}

/** Text outside parentheses (nested ones too): `risk (the grade: a · b), x` → `risk , x`. */
function outsideParens(s: string): string {
  let depth = 0; let out = '';
  for (const c of s) {
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0) out += c;
  }
  return out;
}

const backticked = (s: string) => [...s.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

/**
 * The type values a mapper can emit: string literals in the connectors' sources on a line that sets a
 * connector/credential type (`connector_type: x ? 'a' : 'b'`, `const credentialType = …`, and its continuation lines) or that a helper
 * returns (`return 'legacy_bot'`), and node types (`slack.app`).
 */
function connectorTypeValues(): Set<string> {
  const out = new Set<string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) {
        let typed = false;
        for (const line of fs.readFileSync(p, 'utf8').split('\n')) {
          // a ternary continued on the next line (`  : kind.includes('oauth') ? 'oauth_app_token'`) stays typed
          typed = /(connector|credential)_?type|\breturn '|\btype: '/i.test(line) || (typed && /^\s*[?:]/.test(line));
          for (const m of line.matchAll(/'([^'\n]*)'/g)) if (typed || /^[a-z]+\.\w+$/.test(m[1]!)) out.add(m[1]!);
        }
      }
    }
  };
  walk('connectors');
  return out;
}

describe('docs/graph.md', () => {
  const db = openDb(':memory:', { noBackup: true });
  const columnsOf = (view: string) => (db.prepare(`select name from pragma_table_info(?)`).all(view) as Array<{ name: string }>).map((r) => r.name);
  const views = tableAfter('## Views');

  it('every documented view exists with every column the doc names', () => {
    expect(views.length).toBeGreaterThan(5);
    for (const [name, , cols] of views) {
      const view = /^`(\w+)`$/.exec(name!)?.[1];
      expect(view, `view cell ${name}`).toBeDefined();
      const actual = columnsOf(view!);
      expect(actual.length, `${view} does not exist`).toBeGreaterThan(0);
      if (/^see /.test(cols!)) continue; // documented elsewhere (named there)
      const named = outsideParens(cols!).split(',').map((c) => c.trim()).filter(Boolean);
      for (const c of named) {
        expect(c, `${view}: "${c}" is not a column name`).toMatch(/^\w+$/);
        expect(actual, `${view}.${c}`).toContain(c);
      }
    }
  });

  it('every view the migrations create is documented', () => {
    const documented = views.map(([name]) => name!.replaceAll('`', ''));
    for (const v of GRAPH_VIEWS) expect(documented, v).toContain(v);
  });

  it('every connector_type, credential_type and node type value it gives is one the connectors emit', () => {
    const literals = connectorTypeValues();
    const props = tableAfter('### Normalised properties');
    const values = props.filter(([, p]) => /`(connector|credential)_type`/.test(p!)).flatMap(([, , meaning]) => backticked(meaning!));
    expect(values.length).toBeGreaterThan(10);
    const nodeTypes = backticked(doc).filter((t) => /^(github|slack|google|azure)\.\w+$/.test(t));
    expect(nodeTypes.length).toBeGreaterThan(0);
    for (const v of [...values, ...nodeTypes]) expect(literals.has(v), `${v} is emitted by no connector`).toBe(true);
  });
});
