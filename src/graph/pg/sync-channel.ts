// A blocking call into the PostgreSQL worker (worker.ts): the main thread posts a request on a MessagePort, waits on a
// SharedArrayBuffer with Atomics.wait until the worker has posted its reply, and takes the reply off the port with
// receiveMessageOnPort — no event-loop turn, so the graph layer stays synchronous (docs: design contract, issue 18).
// Hand-rolled rather than synckit: one worker (one connection) per database handle, a worker that never keeps the
// process alive (unref), and loading the TypeScript worker under tsx; about 50 lines, no dependency.
// The worker is the compiled dist/src/graph/pg/worker.js in the build (scripts/build.mjs entry point), or the .ts
// source run through tsx's require hook when running from source (tests, benches).
import { createRequire } from 'node:module';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { FROM_SOURCE, codeFile } from '../../util/package-files.ts';
import { PostgresError, type Reply, type Request, type TxStatus } from './protocol.ts';

const WORKER_SOURCE = 'src/graph/pg/worker.ts';

function startWorker(workerData: unknown, transfer: MessagePort[]): Worker {
  const file = codeFile(WORKER_SOURCE);
  if (!FROM_SOURCE) return new Worker(file, { workerData, transferList: transfer });
  // From source: tsx's CommonJS hook (in-thread, cheap) compiles the worker's TypeScript.
  const tsx = createRequire(import.meta.url).resolve('tsx/cjs/api');
  return new Worker(`require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(file)});`, { eval: true, workerData, transferList: transfer });
}

export class SyncChannel {
  #worker: Worker | null;
  readonly #port: MessagePort;
  readonly #signal: Int32Array;
  #dead: PostgresError | null = null;
  /** PostgreSQL's transaction status after the last call. */
  tx: TxStatus = 'I';

  constructor() {
    const { port1, port2 } = new MessageChannel();
    this.#signal = new Int32Array(new SharedArrayBuffer(4));
    this.#port = port1;
    this.#worker = startWorker({ port: port2, signal: this.#signal }, [port2]);
    this.#worker.unref(); // an unclosed handle never keeps the process alive
  }

  get closed(): boolean { return this.#worker === null; }

  /** Runs one request in the worker and returns its value; a failure is thrown as a PostgresError. */
  call<T>(req: Request): T {
    if (this.#dead) throw this.#dead;
    if (!this.#worker) throw new TypeError('The database connection is not open');
    Atomics.store(this.#signal, 0, 0);
    this.#port.postMessage(req);
    let msg: { message: Reply } | undefined;
    for (;;) {
      Atomics.wait(this.#signal, 0, 0, 1000);
      msg = receiveMessageOnPort(this.#port) as { message: Reply } | undefined;
      if (msg) break;
    }
    const r = msg.message;
    this.tx = r.tx;
    if (r.ok) return r.value as T;
    const err = new PostgresError(r.error);
    if (err.fatal) this.#dead = err;
    throw err;
  }

  /** Ends the worker (after the caller has closed the connection in it). */
  terminate(): void {
    const w = this.#worker;
    this.#worker = null;
    this.#port.close();
    void w?.terminate();
  }
}
