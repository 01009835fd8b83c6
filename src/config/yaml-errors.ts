// Turns zod issues on a YAML document into messages that name the file, line and field; an unknown key
// gets its own message with the closest known key ("did you mean …?").
import YAML, { LineCounter, isMap, isSeq, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { unknownMessage } from '../util/did-you-mean.ts';

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

/** Line of the key at the end of `path` (`instalations:` rather than the block under it), if the key is in the document. */
function keyLineOf(parsed: ParsedYaml, path: PropertyKey[]): number | undefined {
  const parent = parsed.doc.getIn(path.slice(0, -1) as (string | number)[], true);
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((p) => (p.key as { value?: unknown } | null)?.value === path[path.length - 1]);
  const range = (pair?.key as { range?: [number, number, number] } | null | undefined)?.range;
  return range ? parsed.lines.linePos(range[0]).line : undefined;
}

/** An issue about an unknown key: zod's, or a custom one raised with `params: { unknownKey: true }`. */
const aboutUnknownKey = (i: z.core.$ZodIssue): boolean =>
  i.code === 'unrecognized_keys' || (i.code === 'custom' && (i.params as { unknownKey?: boolean } | undefined)?.unknownKey === true);

/** The field an issue is about: an unknown key is reported on its parent by zod, this points at the key itself. */
export function issuePath(i: z.core.$ZodIssue): PropertyKey[] {
  return i.code === 'unrecognized_keys' && i.keys.length ? [...i.path, i.keys[0]!] : i.path;
}

export function formatIssues(file: string, parsed: ParsedYaml, issues: z.core.$ZodIssue[]): string[] {
  return issues.map((i) => {
    const path = issuePath(i);
    const line = (aboutUnknownKey(i) ? keyLineOf(parsed, path) : undefined) ?? lineOf(parsed, path);
    const field = path.length ? path.map(String).join('.') : '(document)';
    return `${file}${line ? `:${line}` : ''}: ${field}: ${i.message}`;
  });
}

/**
 * schema.safeParse, with each unknown key as an issue of its own whose message suggests the closest known
 * key of that object (zod reports all of an object's unknown keys in one issue, without the known ones).
 */
export function parseWithHints<T>(schema: z.ZodType<T>, value: unknown): z.ZodSafeParseResult<T> {
  const known = new Map<string, string[]>();
  const r = schema.safeParse(value, {
    error: (iss) => {
      if (iss.code === 'unrecognized_keys') {
        const shape = (iss.inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape;
        known.set(JSON.stringify(iss.path ?? []), Object.keys(shape ?? {}));
      }
      return undefined;
    },
  });
  if (r.success) return r;
  const issues = r.error.issues.flatMap((i): z.core.$ZodIssue[] => (i.code !== 'unrecognized_keys' ? [i] : i.keys.map((k) => ({
    ...i, keys: [k], message: unknownMessage('key', k, known.get(JSON.stringify(i.path)) ?? []),
  }))));
  r.error.issues.splice(0, r.error.issues.length, ...issues);
  return r;
}

export function validateYaml<T>(file: string, parsed: ParsedYaml, schema: z.ZodType<T>): T {
  const r = parseWithHints(schema, parsed.value);
  if (r.success) return r.data;
  const msgs = formatIssues(file, parsed, r.error.issues);
  throw new InputError(`${file}: invalid:\n  ${msgs.join('\n  ')}`, msgs);
}

export { isMap, isSeq };
