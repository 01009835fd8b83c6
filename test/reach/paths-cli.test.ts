// `nhi-census paths` end to end through main(): rows in every format, the DOT and Mermaid pictures with hostile node
// names (quotes, newlines, `]`, `-->`, `;`, `|` must not break out of a label), and the exit codes of a read command.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/graph/db.ts';
import { dotString, mermaidString } from '../../src/reach/picture.ts';
import { describeBackends } from '../helpers/backends.ts';
import { runMain } from '../cli/run-main.ts';
import { ID, writeFixture } from './fixture.ts';

const HOSTILE = 'evil"] --> x[pwn];\n  click n0 "javascript:alert(1)" | `#amp; \\" \u202e';

describeBackends('paths command', ({ testDbLocation }) => {
  const withFixture = (names = {}) => {
    const loc = testDbLocation('paths');
    const db = openDb(loc, { postgres: true, noBackup: true });
    try { writeFixture(db, names); } finally { db.close(); }
    return loc;
  };

  it('prints the rows as a table, CSV and JSON (exit 0)', async () => {
    const db = withFixture();
    const table = await runMain(['paths', '--from', ID.deployhub, '--db', db]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^from\s+to\s+to_kind\s+hops\s+access\s+privilege\s+weakest_link\s+path/);
    expect(table.stdout).toContain('Production');
    const csv = await runMain(['paths', '--from', ID.deployhub, '--db', db, '--format', 'csv']);
    const line = csv.stdout.split('\n').find((l) => l.includes(',Production,'))!;
    expect(line).toContain('deployhub -[CONTROLS]-> acme/payments -[MINTS]->');
    expect(line).toContain(',5,Owner,critical,');
    const json = JSON.parse((await runMain(['paths', '--to', 'Production', '--db', db, '-f', 'json'])).stdout) as Array<Record<string, unknown>>;
    const alice = json.find((r) => r.from_id === ID.alice)!;
    expect(alice).toMatchObject({ to_id: ID.prod, hops: 6, access: 'Owner', privilege: 'critical' });
    expect((alice.path as Array<{ step: string }>).map((h) => h.step)).toEqual(['OWNS', 'CONTROLS', 'MINTS', 'TRUSTED_BY', 'CREDENTIAL_OF', 'CAN_ACCESS']);
  });

  it('draws DOT and Mermaid pictures whose labels a hostile name cannot break', async () => {
    const db = withFixture({ deployhub: HOSTILE, prod: 'Prod"]\n-->|x| n9' });
    const dot = (await runMain(['paths', '--from', ID.deployhub, '--db', db, '--format', 'dot'])).stdout;
    expect(dot.startsWith('digraph reach {\n')).toBe(true);
    // every statement is one line of the expected shapes: a node with one quoted label, or an edge between n<k>s
    const body = dot.trim().split('\n').slice(4, -1);
    for (const l of body) expect(l).toMatch(/^ {2}n\d+ (-> n\d+ )?\[label="(?:[^"\\]|\\.)*"\];$/);
    expect(dot).toContain('evil\\"] --> x[pwn];\\n  click n0 \\"javascript:alert(1)\\" | `#amp; \\\\\\"  \\n(connector)');
    expect(dot).not.toContain('\u202e');
    const mermaid = (await runMain(['paths', '--from', ID.deployhub, '--db', db, '--format', 'mermaid'])).stdout;
    const lines = mermaid.trim().split('\n');
    expect(lines[0]).toBe('flowchart LR');
    for (const l of lines.slice(1)) expect(l).toMatch(/^ {2}n\d+(\["(?:[^"\n\]\[|;<>`#]|<br\/>|#\w+;)*"\]| -->\|"(?:[^"\n\]\[|;<>`#]|<br\/>|#\w+;)*"\| n\d+)$/);
    expect(mermaid).toContain('evil#quot;#93; #45;#45;#gt; x#91;pwn#93;#59;<br/>  click n0 #quot;javascript:alert#40;1#41;#quot; #124; #96;#35;amp#59; #92;#quot;');
    expect(mermaid).toContain('Prod#quot;#93;<br/>#45;#45;#gt;#124;x#124; n9');
  });

  it('exit codes: 2 for a --from that names nothing, for neither or both of --from/--to and a bad --format; 0 with nothing reachable', async () => {
    const db = withFixture();
    const unknown = await runMain(['paths', '--from', 'no-such-thing', '--db', db]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--from "no-such-thing" names no node');
    expect((await runMain(['paths', '--db', db])).code).toBe(2);
    expect((await runMain(['paths', '--from', ID.R, '--to', ID.prod, '--db', db])).code).toBe(2);
    expect((await runMain(['paths', '--from', ID.R, '--format', 'svg', '--db', db])).code).toBe(2);
    expect((await runMain(['paths', '--from', ID.R, '--depth', '0', '--db', db])).code).toBe(2);
    const none = await runMain(['paths', '--from', ID.prod, '--db', db]);
    expect(none).toMatchObject({ code: 0, stdout: '(no rows)\n' });
  });
}, { only: ['sqlite', 'postgres'] });

describe('paths command without a database', () => {
  it('exits 7 when the database does not exist', async () => {
    const missing = 'test/.tmp/paths-missing.db';
    fs.rmSync(missing, { force: true });
    const r = await runMain(['paths', '--from', 'x', '--db', missing]);
    expect(r.code).toBe(7);
    expect(fs.existsSync(missing)).toBe(false);
  });
});

describe('picture escaping', () => {
  it('DOT: quotes and backslashes escaped, line breaks as \\n, controls and bidi blanked', () => {
    expect(dotString('a"b\\c\nd\u0007\u202e')).toBe('"a\\"b\\\\c\\nd  "');
  });
  it('Mermaid: grammar characters as entity codes, line breaks as <br/>', () => {
    expect(mermaidString('a"]-->b|c;#\nd')).toBe('"a#quot;#93;#45;#45;#gt;b#124;c#59;#35;<br/>d"');
  });
});
