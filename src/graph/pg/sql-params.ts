// Translates better-sqlite3-style SQL for PostgreSQL at prepare time: positional `?` / `?NNN` and named `@name`,
// `:name`, `$name` parameters become `$1..$n`, with a small tokenizer that leaves string literals ('…', E'…',
// $tag$…$tag$), quoted identifiers, comments and `::` casts alone. It also reads what the driver needs to know about
// the statement without a round trip: does it return rows (reader), can it run behind a cursor (iterate), and is it
// a one-row `INSERT … VALUES (…)` whose table's serial id lastInsertRowid may need (see pg/README in client.ts).
// Limitation: `?` is always a parameter, as in SQLite, so PostgreSQL's jsonb `?`, `?|`, `?&` operators must be written
// as jsonb_exists(), jsonb_exists_any(), jsonb_exists_all().

/** One `$k` of the translated text: where its value comes from among the caller's arguments. */
export type Slot = { kind: 'positional'; index: number } | { kind: 'named'; name: string };

export interface TranslatedSql {
  /** The SQL with `$1..$n`. */
  text: string;
  /** slots[k - 1] feeds `$k`. */
  slots: Slot[];
  /** Number of positional values the statement takes. */
  positionalCount: number;
  /** Returns rows: SELECT / VALUES / TABLE / SHOW / EXPLAIN, or anything with a top-level RETURNING. */
  reader: boolean;
  /** A plain query PostgreSQL accepts in DECLARE CURSOR (no data-modifying part): iterate() can fetch it in batches. */
  cursorable: boolean;
  /** `INSERT INTO <table> [(cols)] VALUES (…)` with one row and no RETURNING: the table, as written. */
  insertTable: string | null;
  /** The translated text up to its last significant token (no trailing `;` or comment): where `RETURNING id` may go. */
  body: string;
}

const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const DML = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

/** A depth-0 token for the statement analysis: a keyword/identifier (upper-cased), a quoted identifier, a group `()` or punctuation. */
interface TopToken { t: string; quoted?: boolean }

export function translateSql(sql: string): TranslatedSql {
  const slots: Slot[] = [];
  const named = new Map<string, number>();
  let positional = 0;
  let maxPositional = 0;
  let out = '';
  let bodyEnd = 0; // length of `out` after the last significant token
  let depth = 0;
  const top: TopToken[] = [];
  const words = new Set<string>(); // every keyword/identifier at any depth, upper-cased
  let i = 0;
  const n = sql.length;

  const addSlot = (slot: Slot): number => {
    if (slot.kind === 'named') {
      const known = named.get(slot.name);
      if (known !== undefined) return known;
      slots.push(slot);
      named.set(slot.name, slots.length);
      return slots.length;
    }
    const existing = slots.findIndex((s) => s.kind === 'positional' && s.index === slot.index);
    if (existing >= 0) return existing + 1;
    slots.push(slot);
    return slots.length;
  };
  const significant = (text: string) => { out += text; bodyEnd = out.length; };
  const prevChar = () => (i > 0 ? sql[i - 1]! : '');

  while (i < n) {
    const c = sql[i]!;
    const next = sql[i + 1] ?? '';
    // comments: kept, but not significant (RETURNING goes before a trailing comment)
    if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? n : end;
      out += sql.slice(i, stop);
      i = stop;
      continue;
    }
    if (c === '/' && next === '*') {
      let j = i + 2;
      let nest = 1;
      while (j < n && nest > 0) {
        if (sql[j] === '/' && sql[j + 1] === '*') { nest++; j += 2; } else if (sql[j] === '*' && sql[j + 1] === '/') { nest--; j += 2; } else j++;
      }
      out += sql.slice(i, j);
      i = j;
      continue;
    }
    if (/\s/.test(c)) { out += c; i++; continue; }
    // string literals; E'…' allows backslash escapes
    if (c === "'") {
      const escaped = /[eE]/.test(prevChar()) && (i < 2 || !IDENT_CHAR.test(sql[i - 2]!));
      const j = endOfQuoted(sql, i, "'", escaped);
      significant(sql.slice(i, j));
      if (depth === 0) top.push({ t: "'" });
      i = j;
      continue;
    }
    if (c === '"') {
      const j = endOfQuoted(sql, i, '"', false);
      significant(sql.slice(i, j));
      if (depth === 0) top.push({ t: sql.slice(i, j), quoted: true });
      i = j;
      continue;
    }
    if (c === '$') {
      const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 66));
      if (tag && !IDENT_CHAR.test(prevChar())) { // $$…$$ or $tag$…$tag$
        const close = sql.indexOf(tag[0], i + tag[0].length);
        const j = close < 0 ? n : close + tag[0].length;
        significant(sql.slice(i, j));
        if (depth === 0) top.push({ t: "'" });
        i = j;
        continue;
      }
      if (!IDENT_CHAR.test(prevChar()) && /[A-Za-z_]/.test(next)) {
        const name = readName(sql, i + 1);
        significant(`$${addSlot({ kind: 'named', name })}`);
        if (depth === 0) top.push({ t: '$' });
        i += 1 + name.length;
        continue;
      }
      if (!IDENT_CHAR.test(prevChar()) && /[0-9]/.test(next)) { // $N written natively: the N-th positional value
        const digits = /^[0-9]+/.exec(sql.slice(i + 1))![0];
        const index = Number(digits);
        maxPositional = Math.max(maxPositional, index);
        positional = Math.max(positional, index);
        significant(`$${addSlot({ kind: 'positional', index })}`);
        if (depth === 0) top.push({ t: '$' });
        i += 1 + digits.length;
        continue;
      }
    }
    if (c === '?') {
      const digits = /^[0-9]+/.exec(sql.slice(i + 1))?.[0];
      const index = digits ? Number(digits) : positional + 1;
      positional = Math.max(positional, index);
      maxPositional = Math.max(maxPositional, index);
      significant(`$${addSlot({ kind: 'positional', index })}`);
      if (depth === 0) top.push({ t: '$' });
      i += 1 + (digits?.length ?? 0);
      continue;
    }
    if (c === ':' && next === ':') { significant('::'); if (depth === 0) top.push({ t: '::' }); i += 2; continue; }
    if ((c === ':' || (c === '@' && prevChar() !== '<')) && /[A-Za-z_]/.test(next) && !IDENT_CHAR.test(prevChar())) {
      const name = readName(sql, i + 1);
      significant(`$${addSlot({ kind: 'named', name })}`);
      if (depth === 0) top.push({ t: '$' });
      i += 1 + name.length;
      continue;
    }
    if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < n && IDENT_CHAR.test(sql[j]!)) j++;
      const word = sql.slice(i, j);
      significant(word);
      const upper = word.toUpperCase();
      words.add(upper);
      if (depth === 0) top.push({ t: upper });
      i = j;
      continue;
    }
    if (c === '(') { if (depth === 0) top.push({ t: '()' }); depth++; significant(c); i++; continue; }
    if (c === ')') { depth = Math.max(0, depth - 1); significant(c); i++; continue; }
    if (c === ';') { out += c; if (depth === 0) top.push({ t: ';' }); i++; continue; }
    significant(c);
    if (depth === 0) top.push({ t: c });
    i++;
  }

  const positionalCount = maxPositional;
  const firstWord = top.find((t) => /^[A-Z_]/.test(t.t) && !t.quoted)?.t ?? '';
  const mainVerb = firstWord === 'WITH'
    ? top.find((t) => ['SELECT', 'VALUES', 'TABLE', ...DML].includes(t.t))?.t ?? ''
    : firstWord;
  const returning = top.some((t) => t.t === 'RETURNING');
  const reader = ['SELECT', 'VALUES', 'TABLE', 'SHOW', 'EXPLAIN', 'FETCH'].includes(mainVerb) || returning;
  const statements = top.filter((t, k) => t.t === ';' && top.slice(k + 1).some((u) => u.t !== ';')).length + 1;
  const cursorable = ['SELECT', 'VALUES', 'TABLE'].includes(mainVerb) && !returning && statements === 1
    && ![...DML].some((w) => words.has(w)) && !top.some((t, k) => t.t === 'FOR' && ['UPDATE', 'SHARE', 'NO', 'KEY'].includes(top[k + 1]?.t ?? ''));
  return { text: out, slots, positionalCount, reader, cursorable, insertTable: oneRowInsert(top), body: out.slice(0, bodyEnd) };
}

/** `INSERT INTO t [AS a] [(cols)] VALUES (…) [ON CONFLICT …]` with one row and no RETURNING: t as written, else null. */
function oneRowInsert(top: TopToken[]): string | null {
  const toks = top.filter((t) => t.t !== ';');
  if (toks[0]?.t !== 'INSERT' || toks[1]?.t !== 'INTO' || toks.some((t) => t.t === 'RETURNING')) return null;
  let k = 2;
  const name = (t: TopToken | undefined) => t && (t.quoted || /^[A-Z_]/.test(t.t));
  if (!name(toks[k])) return null;
  let table = toks[k]!.quoted ? toks[k]!.t : toks[k]!.t.toLowerCase();
  k++;
  if (toks[k]?.t === '.' && name(toks[k + 1])) { table += `.${toks[k + 1]!.quoted ? toks[k + 1]!.t : toks[k + 1]!.t.toLowerCase()}`; k += 2; }
  if (toks[k]?.t === 'AS' && name(toks[k + 1])) k += 2;
  if (toks[k]?.t === '()') k++;
  if (toks[k]?.t !== 'VALUES' || toks[k + 1]?.t !== '()') return null;
  k += 2;
  return k === toks.length || toks[k]?.t === 'ON' ? table : null;
}

function readName(sql: string, from: number): string {
  let j = from;
  while (j < sql.length && NAME_CHAR.test(sql[j]!)) j++;
  return sql.slice(from, j);
}

/** Index just past a quoted run starting at `start` (doubled quotes, and backslash escapes when `escapes`). */
function endOfQuoted(sql: string, start: number, q: string, escapes: boolean): number {
  let j = start + 1;
  while (j < sql.length) {
    const ch = sql[j]!;
    if (escapes && ch === '\\') { j += 2; continue; }
    if (ch === q) {
      if (sql[j + 1] === q) { j += 2; continue; }
      return j + 1;
    }
    j++;
  }
  return sql.length;
}

/** better-sqlite3 binds numbers, strings, bigints, buffers and null (undefined as null); anything else is refused the same way. */
function bindable(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return v;
  throw new TypeError('PostgreSQL (like SQLite3) can only bind numbers, strings, bigints, buffers, and null');
}

function isNamedBag(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/**
 * The values for `$1..$n` from better-sqlite3-style arguments: positional values (arrays are spread, as
 * better-sqlite3 does) and at most one object of named values (keys without the `@`/`:`/`$` prefix, or with it).
 * Count mismatches and missing names are RangeErrors worded as better-sqlite3's.
 */
export function bindValues(t: TranslatedSql, args: readonly unknown[]): unknown[] {
  const positional: unknown[] = [];
  let bag: Record<string, unknown> | null = null;
  for (const a of args) {
    if (Array.isArray(a)) positional.push(...a);
    else if (isNamedBag(a)) {
      if (bag) throw new TypeError('You cannot specify named parameters in two different objects');
      bag = a;
    } else positional.push(a);
  }
  if (positional.length > t.positionalCount) throw new RangeError('Too many parameter values were provided');
  if (positional.length < t.positionalCount) throw new RangeError('Too few parameter values were provided');
  const hasNamed = t.slots.some((s) => s.kind === 'named');
  if (bag && !hasNamed) throw new TypeError('This statement has no named parameters, but an object of named parameters was given');
  return t.slots.map((s) => {
    if (s.kind === 'positional') return bindable(positional[s.index - 1]);
    if (!bag) throw new RangeError(`Missing named parameter "${s.name}"`);
    for (const key of [s.name, `@${s.name}`, `:${s.name}`, `$${s.name}`]) if (key in bag) return bindable(bag[key]);
    throw new RangeError(`Missing named parameter "${s.name}"`);
  });
}
