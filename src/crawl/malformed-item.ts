// Item-level tolerance: one provider object that lacks a field its mapper needs, or carries it with the
// wrong type, is skipped on its own — the rest of its page and every child listing go on. Mappers check
// the fields they dereference with `fieldsOf(item, 'applications[]')` (provider-neutral guards that throw
// MalformedItem naming `applications[].appId: expected a string, got a number` and the item's native id);
// the engine records each skipped item in the ledger and makes its listing partial, so nothing is removed
// on the strength of it and no crawl state moves on. A field the mapper can live without is read with the
// optional guards (absent -> null) and does not drop the item.

/** An item skipped as malformed, as the ledger records it (plain data: list steps may carry it through a ParentRef). */
export interface SkippedItem {
  /** The item's native id (`7f3e…`, or `app_slug=zapier` when only a secondary key is there), or null. */
  id: string | null;
  /** What is wrong: `installations[].id: expected an id, got undefined`. */
  problem: string;
}

/** One malformed item: the field (with its collection path), what the mapper expected and what it got. */
export class MalformedItem extends Error {
  constructor(readonly field: string, readonly expected: string, readonly got: string, readonly itemId: string | null = null) {
    super(`${field}: expected ${expected}, got ${got}`);
    this.name = 'MalformedItem';
  }

  record(): SkippedItem {
    return { id: this.itemId, problem: this.message };
  }
}

const MAX_ID = 64;

/** What a value is, for messages: its type only (provider data is hostile input: values are not echoed). */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return v === '' ? 'an empty string' : 'a string';
  if (typeof v === 'number') return Number.isFinite(v) ? 'a number' : 'a non-finite number';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `a.b.c` of an object (undefined where a step is missing or not an object); a key holding dots ('@odata.type') as it is. */
function dig(item: Record<string, unknown>, field: string): unknown {
  if (Object.hasOwn(item, field)) return item[field];
  let v: unknown = item;
  for (const part of field.split('.')) {
    if (!isRecord(v)) return undefined;
    v = v[part];
  }
  return v;
}

function idText(v: unknown): string | null {
  if (typeof v === 'string' && v !== '') return v.slice(0, MAX_ID);
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

/** The native id an item carries: the first of `idFields` holding a string or number (`field=value` after the first). */
export function nativeIdOf(item: unknown, idFields: readonly string[] = ['id']): string | null {
  if (!isRecord(item)) return null;
  for (const [i, f] of idFields.entries()) {
    const v = idText(dig(item, f));
    if (v !== null) return i === 0 ? v : `${f}=${v}`;
  }
  return null;
}

/** Typed reads of one item's fields; each failed check throws MalformedItem naming `<path>.<field>` and the item's id. */
export interface ItemFields {
  /** The item's native id (see nativeIdOf), or null. */
  readonly id: string | null;
  /** A required non-empty string. */
  string(field: string): string;
  /** A nullable string: absent or null -> null; present with another type -> malformed. */
  optionalString(field: string): string | null;
  /** A display-only string (a name, a hint): anything but a non-empty string -> null, never malformed. */
  label(field: string): string | null;
  /** A required id: a non-empty string or a finite number, as a string. */
  key(field: string): string;
  /** A nullable id: absent or null -> null. */
  optionalKey(field: string): string | null;
  /** A nullable number (or numeric string): absent or null -> null. */
  optionalNumber(field: string): number | null;
  /** A nullable flag: absent or null -> null; anything but true or false -> malformed. */
  optionalBoolean(field: string): boolean | null;
  /** A nullable list of strings: absent or null -> []; a list holding anything but strings -> malformed. */
  strings(field: string): string[];
  /** A nullable list: absent or null -> []; not a list -> malformed. */
  list(field: string): unknown[];
  /** A nullable object: absent or null -> null; not an object -> malformed. */
  optionalObject(field: string): Record<string, unknown> | null;
  /** Throws a MalformedItem for `field` (for checks the guards above do not cover). */
  fail(field: string, expected: string, got: unknown): never;
}

/**
 * Field guards for one provider item. `path` names the collection as the vendor does (`applications[]`,
 * `installations[]`, `members[]`); `idFields` says where its native id is (the first present wins).
 */
export function fieldsOf(item: unknown, path: string, idFields: string | readonly string[] = 'id', knownId?: string | null): ItemFields {
  const idList = typeof idFields === 'string' ? [idFields] : idFields;
  const id = knownId !== undefined ? knownId : nativeIdOf(item, idList);
  const name = (field: string) => `${path}.${field}`;
  const fail = (field: string, expected: string, got: unknown): never => {
    throw new MalformedItem(name(field), expected, describeValue(got), id);
  };
  if (!isRecord(item)) throw new MalformedItem(path, 'an object', describeValue(item), null);
  const get = (field: string) => dig(item, field);
  return {
    id,
    string(field) {
      const v = get(field);
      if (typeof v !== 'string' || v === '') fail(field, 'a string', v);
      return v as string;
    },
    optionalString(field) {
      const v = get(field);
      if (v === undefined || v === null) return null;
      if (typeof v !== 'string') fail(field, 'a string or null', v);
      return v as string;
    },
    label(field) {
      const v = get(field);
      return typeof v === 'string' && v !== '' ? v : null;
    },
    key(field) {
      const v = idText(get(field));
      if (v === null) fail(field, 'an id (string or number)', get(field));
      return v as string;
    },
    optionalKey(field) {
      const v = get(field);
      if (v === undefined || v === null) return null;
      const k = idText(v);
      if (k === null) fail(field, 'an id (string or number) or null', v);
      return k;
    },
    optionalNumber(field) {
      const v = get(field);
      if (v === undefined || v === null || v === '') return null;
      const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
      if (!Number.isFinite(n)) fail(field, 'a number or null', v);
      return n;
    },
    optionalBoolean(field) {
      const v = get(field);
      if (v === undefined || v === null) return null;
      if (typeof v !== 'boolean') fail(field, 'true, false or null', v);
      return v as boolean;
    },
    strings(field) {
      const v = get(field);
      if (v === undefined || v === null) return [];
      if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) fail(field, 'a list of strings', Array.isArray(v) ? v.find((s) => typeof s !== 'string') : v);
      return v as string[];
    },
    list(field) {
      const v = get(field);
      if (v === undefined || v === null) return [];
      if (!Array.isArray(v)) fail(field, 'a list', v);
      return v as unknown[];
    },
    optionalObject(field) {
      const v = get(field);
      if (v === undefined || v === null) return null;
      if (!isRecord(v)) fail(field, 'an object', v);
      return v as Record<string, unknown>;
    },
    fail,
  };
}

/**
 * Reads one item with `read`: a MalformedItem is recorded in `skipped` and gives undefined, so the caller skips
 * that item alone; any other error is thrown. The one place a list step or helper tolerates a bad item.
 */
export function readOrSkip<T>(skipped: SkippedItem[], read: () => T): T | undefined {
  try {
    return read();
  } catch (err) {
    if (!(err instanceof MalformedItem)) throw err;
    skipped.push(err.record());
    return undefined;
  }
}

/** The items `check` accepts (it throws MalformedItem for the others, which are named in `malformed`). */
export function partitionWellFormed<I>(items: readonly I[], check: (item: I) => void): { wellFormed: I[]; malformed: SkippedItem[] } {
  const wellFormed: I[] = [];
  const malformed: SkippedItem[] = [];
  for (const item of items) if (readOrSkip(malformed, () => { check(item); return true; })) wellFormed.push(item);
  return { wellFormed, malformed };
}

/** Any error a mapper threw, as a MalformedItem (a raw TypeError is a shape the mapper did not check: still one item). */
export function asMalformed(err: unknown, item: unknown, resourceType: string): MalformedItem {
  if (err instanceof MalformedItem) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new MalformedItem(`${resourceType} item`, 'a mappable item', `an error (${message.slice(0, 200)})`, nativeIdOf(item));
}

/** The items one listing skipped, and its ledger warning. */
export class SkippedItems {
  readonly items: SkippedItem[] = [];

  add(s: SkippedItem): void { this.items.push(s); }

  get count(): number { return this.items.length; }

  /** The ledger warning, naming the first few items (id and field). */
  warning(): string | null {
    const n = this.items.length;
    if (n === 0) return null;
    const shown = this.items.slice(0, 3).map((s) => `${s.id ?? '(no id)'} (${s.problem})`).join('; ');
    return `${n} malformed item${n > 1 ? 's' : ''} skipped: ${shown}${n > 3 ? `; and ${n - 3} more` : ''}; listing partial, nothing removed`;
  }
}
