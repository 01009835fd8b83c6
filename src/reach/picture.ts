// Reach paths as a picture: Graphviz DOT and Mermaid flowchart text (`nhi-census paths --format dot|mermaid`).
// Node names and access texts come from providers — hostile input: a name holding `"`, a newline, `]`, `-->`, `;` or
// `|` must not end a label, start a statement or draw an edge. So the pictures never use a node id or name as an
// identifier (nodes are n0, n1, … in order of appearance), and every label is escaped for its language: DOT quoted
// strings escape `\` and `"`; Mermaid labels are quoted with every character that means something in its grammar
// written as an entity code (#quot; #35; …). Control and bidi characters become spaces in both.
import type { ReachPath } from './walk.ts';

interface Picture { nodes: Array<{ key: string; label: string; kind: string }>; edges: Array<{ from: string; to: string; label: string }> }

function pictureOf(paths: readonly ReachPath[]): Picture {
  const nodes = new Map<string, { key: string; label: string; kind: string }>();
  const edges = new Map<string, { from: string; to: string; label: string }>();
  const node = (id: string, name: string | null, kind: string) => {
    let n = nodes.get(id);
    if (!n) { n = { key: `n${nodes.size}`, label: `${name ?? id}\n(${kind})`, kind }; nodes.set(id, n); }
    return n.key;
  };
  for (const p of paths) {
    for (const h of p.hops) {
      const from = node(h.from_id, h.from_name, h.from_kind);
      const to = node(h.to_id, h.to_name, h.to_kind);
      const k = `${from} ${h.step} ${to}`;
      if (!edges.has(k)) edges.set(k, { from, to, label: `${h.step}\n${h.access}` });
    }
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

/** Control (C0, C1) and bidi formatting characters: never written raw into a picture. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/** A DOT quoted string: `\` and `"` escaped, line breaks as DOT's centred `\n`. */
export function dotString(s: string): string {
  return `"${s.replace(UNSAFE, ' ').replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r\n|\r|\n/g, '\\n')}"`;
}

const MERMAID_ENTITIES: Record<string, string> = {
  '"': '#quot;', '#': '#35;', ';': '#59;', '<': '#lt;', '>': '#gt;', '&': '#amp;', '[': '#91;', ']': '#93;', '(': '#40;', ')': '#41;',
  '{': '#123;', '}': '#125;', '|': '#124;', '`': '#96;', '-': '#45;', '%': '#37;', '\\': '#92;',
};

/** A Mermaid quoted label: every grammar character as an entity code, line breaks as <br/>. */
export function mermaidString(s: string): string {
  const body = s.replace(UNSAFE, ' ').split(/\r\n|\r|\n/).map((line) => [...line].map((c) => MERMAID_ENTITIES[c] ?? c).join('')).join('<br/>');
  return `"${body}"`;
}

export function toDot(paths: readonly ReachPath[]): string {
  const p = pictureOf(paths);
  return [
    'digraph reach {', '  rankdir=LR;', '  node [shape=box, fontname="Helvetica"];', '  edge [fontname="Helvetica", fontsize=10];',
    ...p.nodes.map((n) => `  ${n.key} [label=${dotString(n.label)}];`),
    ...p.edges.map((e) => `  ${e.from} -> ${e.to} [label=${dotString(e.label)}];`),
    '}',
  ].join('\n') + '\n';
}

export function toMermaid(paths: readonly ReachPath[]): string {
  const p = pictureOf(paths);
  return [
    'flowchart LR',
    ...p.nodes.map((n) => `  ${n.key}[${mermaidString(n.label)}]`),
    ...p.edges.map((e) => `  ${e.from} -->|${mermaidString(e.label)}| ${e.to}`),
  ].join('\n') + '\n';
}
