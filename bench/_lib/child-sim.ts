// Bench helper: runs a provider's simulator in a child process, so the bench process's CPU time and peak RSS are
// the crawler's own. A bench file is both ends: `isChildSim()` tells it it was forked as the simulator, where it
// builds its scenario and calls `serveChildSim`; the bench itself calls `forkChildSim()` (the same file and argv)
// and crawls the config it gets back. The parent can ask the child built-in questions (`stats`: requests served,
// by route, status and bucket; TCP connections accepted) and the bench's own operations (e.g. "change 1%").
import { fork, type ChildProcess } from 'node:child_process';
import { loadConnectors } from '../../src/crawl/load-connectors.ts';
import type { SimulatorHandle } from '../../src/simulator/server.ts';

const CHILD_FLAG = 'NHI_BENCH_SIM_CHILD';

/** Requests the simulator served since `from` (an index into its request log), and its connections so far. */
export interface SimStats {
  /** The log's length now: pass it as `from` to count what comes after. */
  length: number;
  requests: number;
  /** TCP (or TLS) connections accepted since the simulator started. */
  connections: number;
  byRoute: Record<string, number>;
  /** route -> status -> requests */
  byRouteStatus: Record<string, Record<string, number>>;
  byStatus: Record<string, number>;
  byBucket: Record<string, number>;
}

export type SimOp<S> = (scenario: S, sim: SimulatorHandle, msg: Record<string, unknown>) => unknown;

/** Whether this process was forked by `forkChildSim` to serve the simulator. */
export function isChildSim(): boolean {
  return process.env[CHILD_FLAG] === '1';
}

/**
 * Child side: starts `provider`'s simulator on `scenario`, tells the parent its config, environment and `info`
 * (what the parent needs to know of the scenario), then answers the parent's operations until `close`.
 */
export async function serveChildSim<S>(provider: string, scenario: S, opts: { info?: unknown; ops?: Record<string, SimOp<S>> } = {}): Promise<void> {
  const spec = (await loadConnectors()).find((s) => s.name === provider);
  if (!spec?.simulator) throw new Error(`no simulator registered for ${provider}`);
  const sim = await spec.simulator.start(scenario, {});
  const ops: Record<string, SimOp<S>> = { stats: (_s, h, m) => statsOf(h, Number(m.from ?? 0)), ...(opts.ops ?? {}) };
  process.on('message', async (m: { id: number; op: string } & Record<string, unknown>) => {
    if (m.op === 'close') { await sim.close(); process.exit(0); }
    try {
      process.send!({ id: m.id, result: await ops[m.op]!(scenario, sim, m) });
    } catch (err) {
      process.send!({ id: m.id, error: `${m.op}: ${(err as Error).message}` });
    }
  });
  process.send!({ id: 0, result: { url: sim.url, config: spec.simulator.configFor(sim, scenario), env: spec.simulator.envFor?.(sim) ?? {}, info: opts.info } });
}

function statsOf(sim: SimulatorHandle, from: number): SimStats {
  const byRoute: Record<string, number> = {};
  const byRouteStatus: Record<string, Record<string, number>> = {};
  const byStatus: Record<string, number> = {};
  const byBucket: Record<string, number> = {};
  const entries = sim.log.slice(from);
  for (const e of entries) {
    byRoute[e.route] = (byRoute[e.route] ?? 0) + 1;
    const rs = (byRouteStatus[e.route] ??= {});
    rs[e.status] = (rs[e.status] ?? 0) + 1;
    byStatus[e.status] = (byStatus[e.status] ?? 0) + 1;
    if (e.bucket) byBucket[e.bucket] = (byBucket[e.bucket] ?? 0) + 1;
  }
  return { length: sim.log.length, requests: entries.length, connections: sim.connections, byRoute, byRouteStatus, byStatus, byBucket };
}

export interface ChildSim<I = unknown> {
  url: string;
  /** The provider config block pointing a client at the simulator. */
  config: Record<string, unknown>;
  env: Record<string, string>;
  info: I;
  ask<T>(op: string, payload?: Record<string, unknown>): Promise<T>;
  stats(from?: number): Promise<SimStats>;
  close(): Promise<void>;
}

/** Parent side: forks `script` (default: the running bench, same arguments) as the simulator and waits until it serves. */
export async function forkChildSim<I = unknown>(script = process.argv[1]!, args = process.argv.slice(2)): Promise<ChildSim<I>> {
  const child: ChildProcess = fork(script, args, { execArgv: ['--import', 'tsx'], env: { ...process.env, [CHILD_FLAG]: '1' } });
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 1;
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`bench simulator process exited (${code})`))));
  exited.catch(() => {});
  child.on('message', (m: { id: number; result?: unknown; error?: string }) => {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.error) w?.reject(new Error(m.error)); else w?.resolve(m.result);
  });
  const call = <T>(id: number, msg?: Record<string, unknown>) => Promise.race([exited, new Promise<T>((resolve, reject) => {
    waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
    if (msg) child.send({ id, ...msg });
  })]);
  const ready = await call<{ url: string; config: Record<string, unknown>; env: Record<string, string>; info: I }>(0);
  return {
    ...ready,
    ask: (op, payload = {}) => call(next++, { ...payload, op }),
    stats: (from = 0) => call<SimStats>(next++, { op: 'stats', from }),
    close: () => new Promise<void>((resolve) => { child.once('exit', () => resolve()); child.send({ op: 'close' }); }),
  };
}
