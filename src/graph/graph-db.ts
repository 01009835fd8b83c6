// The database handle the graph layer and everything above it use: exactly the part of better-sqlite3's synchronous
// API the code base calls, so that better-sqlite3's Database and the PostgreSQL client (src/graph/pg/client.ts) both
// satisfy it structurally. SQLite-only operations (online backup) take better-sqlite3's type explicitly (SqliteDb).

export interface RunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

export interface ColumnDefinition {
  name: string;
  column: string | null;
  table: string | null;
  database: string | null;
  type: string | null;
}

export interface GraphStatement<P extends unknown[] = unknown[], R = unknown> {
  readonly source: string;
  /** The statement returns rows. */
  readonly reader: boolean;
  run(...params: P): RunResult;
  get(...params: P): R | undefined;
  all(...params: P): R[];
  iterate(...params: P): IterableIterator<R>;
  pluck(toggleState?: boolean): this;
  raw(toggleState?: boolean): this;
  columns(): ColumnDefinition[];
}

export type AnyFn = (...params: any[]) => unknown;
type ArgumentTypes<F extends AnyFn> = F extends (...args: infer A) => unknown ? A : never;

export interface GraphTransaction<F extends AnyFn> {
  (...params: ArgumentTypes<F>): ReturnType<F>;
  default(...params: ArgumentTypes<F>): ReturnType<F>;
  deferred(...params: ArgumentTypes<F>): ReturnType<F>;
  immediate(...params: ArgumentTypes<F>): ReturnType<F>;
  exclusive(...params: ArgumentTypes<F>): ReturnType<F>;
}

export interface GraphDb {
  /** The file (SQLite) or the URL without its password (PostgreSQL). */
  readonly name: string;
  readonly open: boolean;
  readonly inTransaction: boolean;
  /** 'postgres' on the PostgreSQL client; absent (SQLite) on better-sqlite3's Database: read it with dialectOf(). */
  readonly dialect?: 'sqlite' | 'postgres';
  prepare<P extends unknown[] | {} = unknown[], R = unknown>(source: string): P extends unknown[] ? GraphStatement<P, R> : GraphStatement<[P], R>;
  transaction<F extends AnyFn>(fn: F): GraphTransaction<F>;
  exec(source: string): this;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  close(): this;
}

export function dialectOf(db: GraphDb): 'sqlite' | 'postgres' {
  return db.dialect ?? 'sqlite';
}
