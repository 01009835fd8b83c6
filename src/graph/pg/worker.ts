// The worker thread behind the synchronous PostgreSQL client (client.ts): owns one node-postgres connection, runs one
// request at a time from the main thread (which blocks on the shared signal until the reply is posted), and hands rows
// back as arrays. Types as the SQLite side returns them: int8 and numeric as numbers (an int8 beyond 2^53 is an error,
// not a silently rounded number), json/jsonb and dates/timestamps as text, booleans as 1/0.
import pg from 'pg';
import { workerData, type MessagePort } from 'node:worker_threads';
import type { Reply, Request, Rows, TxStatus, WireError } from './protocol.ts';

const { port, signal } = workerData as { port: MessagePort; signal: Int32Array };

const TEXT = (s: string) => s;
const PARSERS: Record<number, (s: string) => unknown> = {
  20: (s) => { // int8
    const n = Number(s);
    if (!Number.isSafeInteger(n)) throw new RangeError(`PostgreSQL bigint ${s} is beyond JavaScript's safe integers (2^53): cast it to text or numeric in the query`);
    return n;
  },
  1700: (s) => Number(s), // numeric: a number, as SQLite's REAL
  16: (s) => (s === 't' ? 1 : 0), // bool: 1/0, as SQLite
  114: TEXT, 3802: TEXT, // json, jsonb: callers JSON.parse themselves
  1082: TEXT, 1114: TEXT, 1184: TEXT, // date, timestamp, timestamptz: text as stored in SQLite
};
const types = {
  getTypeParser(oid: number, format?: string) {
    if (format !== 'binary' && PARSERS[oid]) return PARSERS[oid]!;
    return pg.types.getTypeParser(oid, (format ?? 'text') as 'text');
  },
};

let client: pg.Client | null = null;
let lost: WireError | null = null;
/** Table (as written) → has a serial/identity `id` column; cleared by DDL through exec. */
const serialId = new Map<string, boolean>();
/** Named server-side prepared statements, per SQL text (a bounded number: the code base's statements are static). */
const prepared = new Map<string, string>();
const MAX_PREPARED = 5000;
let named = 0;
let cursors = 0;

function tx(): TxStatus {
  return (client?.getTransactionStatus() as TxStatus | null) ?? 'I';
}

function wire(err: unknown, fatal = false): WireError {
  const e = err as Partial<pg.DatabaseError> & { message?: string; code?: string };
  const out: WireError = { message: e?.message ?? String(err) };
  for (const k of ['code', 'detail', 'hint', 'constraint', 'table', 'column', 'schema', 'position', 'severity'] as const) {
    const v = e?.[k];
    if (typeof v === 'string') out[k] = v;
  }
  if (fatal) out.fatal = true;
  return out;
}

function reply(r: Reply): void {
  port.postMessage(r);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
}

function toRows(r: pg.QueryResult<unknown[]>): Rows {
  return { fields: r.fields.map((f) => f.name), types: r.fields.map((f) => f.dataTypeID), rows: r.rows, rowCount: r.rowCount ?? 0 };
}

function live(): pg.Client {
  if (lost) throw Object.assign(new Error(`connection to PostgreSQL lost: ${lost.message}`), { code: lost.code ?? '08006' });
  if (!client) throw new Error('not connected');
  return client;
}

async function hasSerialId(c: pg.Client, table: string): Promise<boolean> {
  const known = serialId.get(table);
  if (known !== undefined) return known;
  const r = await c.query<{ serial: boolean | number; found: boolean | number }>({
    text: `SELECT to_regclass($1) IS NOT NULL AS found,
        EXISTS (SELECT 1 FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                 WHERE a.attrelid = to_regclass($1) AND a.attname = 'id' AND NOT a.attisdropped
                   AND (a.attidentity <> '' OR pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval(%')) AS serial`,
    values: [table],
  });
  const row = r.rows[0]!;
  const serial = row.serial === true || row.serial === 1;
  if (row.found === true || row.found === 1) serialId.set(table, serial); // an unknown table: the INSERT itself will say so
  return serial;
}

async function query(c: pg.Client, q: Extract<Request, { op: 'query' }>, retried = false): Promise<Rows> {
  const returningId = q.insertTable !== null && await hasSerialId(c, q.insertTable);
  const text = returningId ? `${q.body} RETURNING id` : q.text;
  let name = prepared.get(text);
  if (!name && named < MAX_PREPARED) { name = `nhi_s${++named}`; prepared.set(text, name); }
  let r: pg.QueryResult<unknown[]>;
  try {
    r = await c.query<unknown[]>({ text, values: q.values, rowMode: 'array', ...(name ? { name } : {}) });
  } catch (err) {
    // a table under a prepared `SELECT *` changed shape (DDL since): prepared afresh, at once outside a transaction
    if (name && (err as { code?: string }).code === '0A000' && /cached plan/.test((err as Error).message)) {
      prepared.delete(text);
      if (tx() === 'I' && !retried) return query(c, q, true);
    }
    throw err;
  }
  if (!returningId) return toRows(r);
  const last = r.rows[r.rows.length - 1];
  return { fields: [], types: [], rows: [], rowCount: r.rowCount ?? 0, insertId: last ? Number(last[0]) : null };
}

async function fetchBatch(c: pg.Client, cursor: string, batch: number): Promise<Rows> {
  const r = toRows(await c.query<unknown[]>({ text: `FETCH FORWARD ${batch} FROM ${cursor}`, rowMode: 'array' }));
  if (r.rows.length < batch) { await c.query(`CLOSE ${cursor}`); r.cursor = null; } else r.cursor = cursor;
  return r;
}

/** The result columns of a query without running it: a cursor declared inside a transaction (or savepoint) and rolled back. */
async function describe(c: pg.Client, text: string, paramCount: number): Promise<Rows> {
  const nested = tx() !== 'I';
  await c.query(nested ? 'SAVEPOINT nhi_describe' : 'BEGIN');
  try {
    await c.query({ text: `DECLARE nhi_describe NO SCROLL CURSOR FOR ${text}`, values: new Array(paramCount).fill(null) });
    return toRows(await c.query<unknown[]>({ text: 'FETCH FORWARD 0 FROM nhi_describe', rowMode: 'array' }));
  } finally {
    await c.query(nested ? 'ROLLBACK TO SAVEPOINT nhi_describe; RELEASE SAVEPOINT nhi_describe' : 'ROLLBACK');
  }
}

async function dispatch(req: Request): Promise<unknown> {
  switch (req.op) {
    case 'connect': {
      const c = new pg.Client({ connectionString: req.url, application_name: req.applicationName, types });
      c.on('error', (err) => { lost = wire(err, true); });
      await c.connect();
      client = c;
      return null;
    }
    case 'query': return query(live(), req);
    case 'exec': {
      if (/\b(CREATE|ALTER|DROP)\b/i.test(req.text)) serialId.clear(); // tables may have changed (not on BEGIN/COMMIT)
      await live().query(req.text);
      return null;
    }
    case 'cursor-open': {
      const c = live();
      const cursor = `nhi_cursor_${++cursors}`;
      await c.query({ text: `DECLARE ${cursor} NO SCROLL CURSOR WITH HOLD FOR ${req.text}`, values: req.values });
      return fetchBatch(c, cursor, req.batch);
    }
    case 'cursor-fetch': return fetchBatch(live(), req.cursor, req.batch);
    case 'cursor-close': {
      await live().query(`CLOSE ${req.cursor}`).catch(() => undefined); // already gone with its transaction: nothing to close
      return null;
    }
    case 'describe': return describe(live(), req.text, req.paramCount);
    case 'close': {
      const c = client;
      client = null;
      if (c && !lost) await c.end();
      setImmediate(() => port.close());
      return null;
    }
  }
}

/**
 * node-postgres fails a query on PostgreSQL's ErrorResponse, before the ReadyForQuery that follows it carries the new
 * transaction status ('E'): wait for it, so the status sent back is the one after the call.
 */
async function settled(): Promise<void> {
  while (client && !lost && !(client as unknown as { readyForQuery: boolean }).readyForQuery) await new Promise((r) => setImmediate(r));
}

port.on('message', (req: Request) => {
  dispatch(req).then(
    (value) => reply({ ok: true, value, tx: tx() }),
    async (err: unknown) => { await settled(); reply({ ok: false, error: lost ? { ...wire(err), fatal: true } : wire(err), tx: tx() }); },
  );
});

// A failure outside a request (should not happen) still wakes the main thread instead of leaving it blocked.
process.on('uncaughtException', (err) => { lost = wire(err, true); reply({ ok: false, error: lost, tx: 'I' }); });
