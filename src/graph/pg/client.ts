// A synchronous PostgreSQL client with the part of better-sqlite3's API the code base uses (GraphDb, ../graph-db.ts):
// prepare → run/get/all/iterate/pluck/raw/columns, exec, transaction (nested: SAVEPOINT), pragma, close. The
// connection lives in a worker thread (worker.ts) and each call blocks until it answers (sync-channel.ts).
//
// Semantics worth knowing (the rest is better-sqlite3's):
// - prepare() costs no round trip: SQL is translated once per text (sql-params.ts) and cached; PostgreSQL sees it — and
//   reports syntax errors — at the first run/get/all/iterate. Executions use named server-side prepared statements.
// - lastInsertRowid: known after a one-row `INSERT INTO t … VALUES (…)` into a table with a serial/identity `id`
//   column (the worker appends `RETURNING id`; whether t has one is asked once per table and connection) — every
//   caller in src/ reads it after exactly such an INSERT. Read after any other statement it throws (SQLite would
//   return the connection's last rowid, which PostgreSQL does not have) rather than hand back a wrong id.
// - get() fetches the whole result (use LIMIT where many rows may match); iterate() reads in batches of 1,000 through
//   a WITH HOLD cursor when the statement is a plain query, so memory stays bounded and other statements may run
//   between rows; breaking out of the loop closes the cursor.
// - Inside a transaction, a failed statement aborts the transaction (PostgreSQL): a transaction function that catches
//   such an error and returns normally gets an error at commit instead of a silent rollback; to survive a failing
//   statement, run it in a nested transaction (a savepoint), which rolls back alone.
// - .immediate(), .deferred() and .exclusive() all BEGIN: PostgreSQL takes row locks as it writes. snapshot(fn) runs fn
//   in one REPEATABLE READ READ ONLY transaction (a consistent snapshot for a read phase).
// - pragma: user_version (the nhi_schema table), query_only (default_transaction_read_only), busy_timeout
//   (lock_timeout), foreign_keys (always on); any other pragma is SQLite-only and throws.
import type { AnyFn, ColumnDefinition, GraphDb, GraphStatement, GraphTransaction, RunResult } from '../graph-db.ts';
import { PostgresError, type Rows } from './protocol.ts';
import { bindValues, translateSql, type TranslatedSql } from './sql-params.ts';
import { SyncChannel } from './sync-channel.ts';

export { PostgresError } from './protocol.ts';

const BATCH = 1000;
const BYTEA = 17;
const TRANSLATED_CACHE = 1000;
const TYPE_NAMES: Record<number, string> = {
  16: 'boolean', 20: 'bigint', 21: 'smallint', 23: 'integer', 25: 'text', 114: 'json', 700: 'real', 701: 'double precision',
  1043: 'varchar', 1082: 'date', 1114: 'timestamp', 1184: 'timestamptz', 1700: 'numeric', 3802: 'jsonb', 17: 'bytea',
};

export interface PostgresOptions {
  /** Every transaction read-only (default_transaction_read_only), like opening SQLite read-only. */
  readonly?: boolean;
  applicationName?: string;
}

/** The URL without password, query string or fragment (they may carry secrets): the handle's `name`. */
export function describePostgresUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.host}${u.pathname}`;
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

export class PostgresDb implements GraphDb {
  readonly dialect = 'postgres' as const;
  readonly name: string;
  readonly readonly: boolean;
  readonly memory = false;
  /** @internal */ readonly channel: SyncChannel;
  readonly #translated = new Map<string, TranslatedSql>();

  constructor(url: string, opts: PostgresOptions = {}) {
    this.name = describePostgresUrl(url);
    this.readonly = opts.readonly === true;
    this.channel = new SyncChannel();
    try {
      this.channel.call({ op: 'connect', url, applicationName: opts.applicationName ?? 'nhi-census' });
      if (this.readonly) this.exec('SET default_transaction_read_only = on');
    } catch (err) {
      this.#shutdown();
      throw err;
    }
  }

  get open(): boolean { return !this.channel.closed; }
  get inTransaction(): boolean { return this.channel.tx !== 'I'; }

  /** @internal the translated form of a statement text, cached per handle. */
  translate(sql: string): TranslatedSql {
    let t = this.#translated.get(sql);
    if (!t) {
      if (this.#translated.size >= TRANSLATED_CACHE) this.#translated.clear();
      t = translateSql(sql);
      this.#translated.set(sql, t);
    }
    return t;
  }

  prepare<P extends unknown[] | {} = unknown[], R = unknown>(source: string): P extends unknown[] ? GraphStatement<P, R> : GraphStatement<[P], R> {
    if (!this.open) throw new TypeError('The database connection is not open');
    if (source.trim() === '') throw new RangeError('The supplied SQL string contains no statements');
    return new PostgresStatement(this, source, this.translate(source)) as unknown as P extends unknown[] ? GraphStatement<P, R> : GraphStatement<[P], R>;
  }

  exec(source: string): this {
    this.channel.call({ op: 'exec', text: source });
    return this;
  }

  transaction<F extends AnyFn>(fn: F): GraphTransaction<F> {
    const db = this;
    const run = function (this: unknown, ...args: unknown[]): ReturnType<F> {
      const nested = db.inTransaction;
      db.exec(nested ? 'SAVEPOINT nhi_tx' : 'BEGIN');
      try {
        const result = fn.apply(this, args) as ReturnType<F>;
        if (result && typeof (result as { then?: unknown }).then === 'function') throw new TypeError('Transaction function cannot return a promise');
        if (db.channel.tx === 'E') {
          throw new PostgresError({ code: '25P02', message: 'current transaction is aborted: a statement in it failed and the error was caught inside the transaction function; the transaction was rolled back' });
        }
        db.exec(nested ? 'RELEASE SAVEPOINT nhi_tx' : 'COMMIT');
        return result;
      } catch (err) {
        if (db.open && db.inTransaction) {
          try { db.exec(nested ? 'ROLLBACK TO SAVEPOINT nhi_tx; RELEASE SAVEPOINT nhi_tx' : 'ROLLBACK'); } catch { /* the first error is the one to report */ }
        }
        throw err;
      }
    };
    return Object.assign(run, { default: run, deferred: run, immediate: run, exclusive: run }) as GraphTransaction<F>;
  }

  /**
   * `fn` in one REPEATABLE READ READ ONLY transaction: all its statements read one snapshot, and none may write
   * (../dialect.ts readSnapshot). Inside a transaction `fn` runs in that one (its isolation cannot change midway).
   */
  snapshot<T>(fn: () => T): T {
    if (this.inTransaction) return fn();
    this.exec('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      const result = fn();
      if (result && typeof (result as { then?: unknown }).then === 'function') throw new TypeError('Snapshot function cannot return a promise');
      if (this.channel.tx === 'E') {
        throw new PostgresError({ code: '25P02', message: 'current transaction is aborted: a statement in the snapshot failed and the error was caught inside it; the snapshot was rolled back' });
      }
      this.exec('COMMIT');
      return result;
    } catch (err) {
      if (this.open && this.inTransaction) { try { this.exec('ROLLBACK'); } catch { /* the first error is the one to report */ } }
      throw err;
    }
  }

  pragma(source: string, options: { simple?: boolean } = {}): unknown {
    const m = /^\s*([A-Za-z_]+)\s*(?:=\s*([^;]*?)\s*)?;?\s*$/.exec(source);
    if (!m) throw new PostgresError({ message: `pragma ${source}: not supported on PostgreSQL (SQLite-only)` });
    const name = m[1]!.toLowerCase();
    const value = m[2];
    const result = (v: number) => (options.simple ? v : [{ [name]: v }]);
    const flag = (v: string) => /^(1|on|true|yes)$/i.test(v.replace(/^'|'$/g, ''));
    switch (name) {
      case 'user_version': {
        if (value === undefined) {
          const exists = this.prepare("SELECT to_regclass('nhi_schema') IS NOT NULL").pluck().get() as number;
          return result(exists ? (this.prepare('SELECT coalesce(max(version), 0) FROM nhi_schema').pluck().get() as number) : 0);
        }
        if (!/^\d+$/.test(value)) throw new PostgresError({ message: `pragma user_version = ${value}: not a version number` });
        this.exec(`CREATE TABLE IF NOT EXISTS nhi_schema (version integer NOT NULL); DELETE FROM nhi_schema; INSERT INTO nhi_schema (version) VALUES (${Number(value)})`);
        return [];
      }
      case 'query_only':
        if (value === undefined) return result(this.prepare('SHOW default_transaction_read_only').pluck().get() === 'on' ? 1 : 0);
        this.exec(`SET default_transaction_read_only = ${flag(value) ? 'on' : 'off'}`);
        return [];
      case 'busy_timeout':
        if (value === undefined) return result(Number(this.prepare("SELECT setting FROM pg_settings WHERE name = 'lock_timeout'").pluck().get()));
        if (!/^\d+$/.test(value)) throw new PostgresError({ message: `pragma busy_timeout = ${value}: not a number of milliseconds` });
        this.exec(`SET lock_timeout = ${Number(value)}`);
        return [];
      case 'foreign_keys':
        if (value !== undefined && !flag(value)) throw new PostgresError({ message: 'pragma foreign_keys = OFF: PostgreSQL always enforces foreign keys' });
        return value === undefined ? result(1) : [];
      default:
        throw new PostgresError({ message: `pragma ${name}: SQLite-only, no PostgreSQL equivalent` });
    }
  }

  close(): this {
    if (this.open) {
      try { this.channel.call({ op: 'close' }); } catch { /* the connection is gone already */ }
      this.#shutdown();
    }
    return this;
  }

  #shutdown(): void { this.channel.terminate(); }
}

/** A prepared statement: better-sqlite3's Statement over the PostgreSQL connection. */
class PostgresStatement<P extends unknown[], R> implements GraphStatement<P, R> {
  readonly reader: boolean;
  #pluck = false;
  #raw = false;
  #columns: ColumnDefinition[] | null = null;

  constructor(private readonly db: PostgresDb, readonly source: string, private readonly t: TranslatedSql) {
    this.reader = t.reader;
  }

  pluck(toggleState = true): this { this.#pluck = toggleState; if (toggleState) this.#raw = false; return this; }
  raw(toggleState = true): this { this.#raw = toggleState; if (toggleState) this.#pluck = false; return this; }

  run(...params: P): RunResult {
    const r = this.#query(params, true);
    if (r.insertId !== undefined) return { changes: r.rowCount, lastInsertRowid: r.insertId ?? 0 };
    const info = { changes: r.rowCount } as RunResult;
    const sql = this.source;
    Object.defineProperty(info, 'lastInsertRowid', {
      enumerable: false,
      get() { throw new TypeError(`lastInsertRowid is known on PostgreSQL only after a one-row INSERT … VALUES into a table with a serial id column (statement: ${sql.trim().slice(0, 80)})`); },
    });
    return info;
  }

  get(...params: P): R | undefined {
    const r = this.#query(params, false);
    return r.rows.length ? this.#shape(r, r.rows[0]!) : undefined;
  }

  all(...params: P): R[] {
    const r = this.#query(params, false);
    return r.rows.map((row) => this.#shape(r, row));
  }

  iterate(...params: P): IterableIterator<R> {
    return this.#iterate(bindValues(this.t, params)); // bad parameters fail here, not at the first row
  }

  *#iterate(values: unknown[]): IterableIterator<R> {
    if (!this.t.cursorable) {
      const r = this.db.channel.call<Rows>({ op: 'query', text: this.t.text, values, insertTable: null, body: '' });
      for (const row of r.rows) yield this.#shape(r, row);
      return;
    }
    let batch = this.db.channel.call<Rows>({ op: 'cursor-open', text: this.t.text, values, batch: BATCH });
    try {
      for (;;) {
        for (const row of batch.rows) yield this.#shape(batch, row);
        if (!batch.cursor) return;
        batch = this.db.channel.call<Rows>({ op: 'cursor-fetch', cursor: batch.cursor, batch: BATCH });
      }
    } finally {
      if (batch.cursor && this.db.open) this.db.channel.call({ op: 'cursor-close', cursor: batch.cursor });
    }
  }

  columns(): ColumnDefinition[] {
    if (!this.#columns) {
      if (!this.t.cursorable) throw new TypeError('columns() on PostgreSQL describes plain queries only (SELECT, VALUES, TABLE)');
      const r = this.db.channel.call<Rows>({ op: 'describe', text: this.t.text, paramCount: this.t.slots.length });
      this.#columns = r.fields.map((name, k) => ({ name, column: null, table: null, database: null, type: TYPE_NAMES[r.types[k]!] ?? null }));
    }
    return this.#columns.map((c) => ({ ...c }));
  }

  #query(params: unknown[], forRun: boolean): Rows {
    const values = bindValues(this.t, params);
    return this.db.channel.call<Rows>({
      op: 'query', text: this.t.text, values,
      insertTable: forRun ? this.t.insertTable : null, body: this.t.body,
    });
  }

  #shape(r: Rows, row: unknown[]): R {
    if (r.types.includes(BYTEA)) { // bytea crosses the thread boundary as a Uint8Array: a Buffer again, as better-sqlite3 returns
      for (let k = 0; k < row.length; k++) {
        const v = row[k];
        if (v instanceof Uint8Array && !Buffer.isBuffer(v)) row[k] = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
      }
    }
    if (this.#pluck) return row[0] as R;
    if (this.#raw) return row as R;
    const o: Record<string, unknown> = {};
    for (let k = 0; k < r.fields.length; k++) o[r.fields[k]!] = row[k];
    return o as R;
  }
}

/** Opens a PostgreSQL connection with the synchronous GraphDb API (blocks until connected; errors are PostgresError). */
export function openPostgres(url: string, opts: PostgresOptions = {}): PostgresDb {
  return new PostgresDb(url, opts);
}
