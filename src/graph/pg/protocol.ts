// The messages between the synchronous PostgreSQL client (main thread, client.ts) and its worker (worker.ts), and
// the error the client throws for a failed call. Types only plus PostgresError: the worker imports nothing else.

export type Request =
  | { op: 'connect'; url: string; applicationName: string }
  | { op: 'query'; text: string; values: unknown[]; insertTable: string | null; body: string }
  | { op: 'exec'; text: string }
  | { op: 'cursor-open'; text: string; values: unknown[]; batch: number }
  | { op: 'cursor-fetch'; cursor: string; batch: number }
  | { op: 'cursor-close'; cursor: string }
  | { op: 'describe'; text: string; paramCount: number }
  | { op: 'close' };

/** A result set as sent back: column names and type OIDs, rows as arrays (objects are built on the main thread). */
export interface Rows {
  fields: string[];
  types: number[];
  rows: unknown[][];
  rowCount: number;
  /** For `query` of a one-row INSERT into a table with a serial/identity `id`: the new row's id (null: none inserted). */
  insertId?: number | null;
  /** cursor-open / cursor-fetch: the cursor name while more rows may follow, null once exhausted (and closed). */
  cursor?: string | null;
}

/** What a failed call carries across the thread boundary (PostgreSQL's error fields, when it was PostgreSQL's). */
export interface WireError {
  message: string;
  code?: string;
  detail?: string;
  hint?: string;
  constraint?: string;
  table?: string;
  column?: string;
  schema?: string;
  position?: string;
  severity?: string;
  /** The connection is gone (network failure, server shutdown, the worker failed): no further call can work. */
  fatal?: boolean;
}

export type Reply =
  | { ok: true; value: unknown; tx: TxStatus }
  | { ok: false; error: WireError; tx: TxStatus };

/** PostgreSQL's transaction status after the call: I idle, T in a transaction, E in a failed transaction. */
export type TxStatus = 'I' | 'T' | 'E';

/** A few SQLSTATE codes callers may want to recognise, by condition name (PostgreSQL appendix A). */
const CONDITIONS: Record<string, string> = {
  '23505': 'unique_violation', '23503': 'foreign_key_violation', '23502': 'not_null_violation', '23514': 'check_violation',
  '23P01': 'exclusion_violation', '40001': 'serialization_failure', '40P01': 'deadlock_detected', '55P03': 'lock_not_available',
  '57014': 'query_canceled', '25006': 'read_only_sql_transaction', '25P02': 'in_failed_sql_transaction', '42601': 'syntax_error',
  '42P01': 'undefined_table', '42703': 'undefined_column', '42883': 'undefined_function', '42P07': 'duplicate_table',
  '22P02': 'invalid_text_representation', '22003': 'numeric_value_out_of_range', '53100': 'disk_full', '53200': 'out_of_memory',
  '58030': 'io_error', '57P01': 'admin_shutdown', '28P01': 'invalid_password', '3D000': 'invalid_catalog_name',
};

/**
 * An error from PostgreSQL (or from the connection to it), thrown synchronously by the client. `code` is the SQLSTATE
 * ('23505') or the Node error code (ECONNREFUSED); `condition` its name ('unique_violation'); the message is
 * PostgreSQL's own text. `constraint`, `table`, `column`, `detail`, `hint` as PostgreSQL reports them.
 */
export class PostgresError extends Error {
  readonly code: string | undefined;
  readonly condition: string | undefined;
  readonly detail: string | undefined;
  readonly hint: string | undefined;
  readonly constraint: string | undefined;
  readonly table: string | undefined;
  readonly column: string | undefined;
  readonly position: string | undefined;
  readonly fatal: boolean;
  constructor(e: WireError) {
    super(e.message);
    this.name = 'PostgresError';
    this.code = e.code;
    this.condition = e.code ? CONDITIONS[e.code] : undefined;
    this.detail = e.detail;
    this.hint = e.hint;
    this.constraint = e.constraint;
    this.table = e.table;
    this.column = e.column;
    this.position = e.position;
    this.fatal = e.fatal === true;
  }
  /** A unique or primary-key constraint refused the write (SQLite: SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY). */
  get isUniqueViolation(): boolean { return this.code === '23505'; }
}
