// Turns zod issues on a YAML document into messages that name the file, line and field.
import YAML, { LineCounter, isMap, isSeq, type Document, type Node } from 'yaml';
import type { z } from 'zod';

export class InputError extends Error {
  constructor(message: string, readonly issues: string[] = []) { super(message); this.name = 'InputError'; }
}

export interface ParsedYaml { doc: Document; lines: LineCounter; value: unknown }

export function parseYamlFile(file: string, text: string): ParsedYaml {
  const lines = new LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter: lines, prettyErrors: true });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const pos = e.linePos?.[0];
    throw new InputError(`${file}${pos ? `:${pos.line}:${pos.col}` : ''}: invalid YAML: ${e.message.split('\n')[0]}`);
  }
  return { doc, lines, value: doc.toJS() };
}

/** Line of the YAML node at `path`, or of the nearest ancestor that exists. */
export function lineOf(parsed: ParsedYaml, path: PropertyKey[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = parsed.doc.getIn(path.slice(0, n) as (string | number)[], true) as Node | undefined;
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) return parsed.lines.linePos(range[0]).line;
  }
  return undefined;
}

export function formatIssues(file: string, parsed: ParsedYaml, issues: z.core.$ZodIssue[]): string[] {
  return issues.map((i) => {
    // an unknown key is reported on its parent: point at the key itself
    const path = i.code === 'unrecognized_keys' && i.keys.length ? [...i.path, i.keys[0]!] : i.path;
    const line = lineOf(parsed, path);
    const field = path.length ? path.map(String).join('.') : '(document)';
    return `${file}${line ? `:${line}` : ''}: ${field}: ${i.message}`;
  });
}

export function validateYaml<T>(file: string, parsed: ParsedYaml, schema: z.ZodType<T>): T {
  const r = schema.safeParse(parsed.value);
  if (r.success) return r.data;
  const msgs = formatIssues(file, parsed, r.error.issues);
  throw new InputError(`${file}: invalid:\n  ${msgs.join('\n  ')}`, msgs);
}

export { isMap, isSeq };
