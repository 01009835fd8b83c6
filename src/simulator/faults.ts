// Injectable faults for the simulators, from the scenario's `faults:` list or NHI_SIM_FAULTS (JSON).
// A fault matches a route name/pattern or a path substring, optionally after N matching requests and
// for a limited number of times.
export interface Fault {
  /** Route name or path pattern (as declared by the simulator), or '*' for all. */
  route?: string;
  /** Substring of the request path. */
  path?: string;
  method?: string;
  kind: 'status' | 'reset' | 'truncate' | 'delay';
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  delayMs?: number;
  /** Let this many matching requests through first. */
  after?: number;
  /** Fire this many times, then stop (default: always). */
  times?: number;
  /** Internal counters. */
  seen?: number;
  fired?: number;
}

export function matchFault(faults: Fault[], req: { route: string; path: string; method: string }): Fault | undefined {
  for (const f of faults) {
    if (f.method && f.method.toUpperCase() !== req.method) continue;
    if (f.route && f.route !== '*' && f.route !== req.route) continue;
    if (f.path && !req.path.includes(f.path)) continue;
    f.seen = (f.seen ?? 0) + 1;
    if (f.after !== undefined && f.seen <= f.after) continue;
    if (f.times !== undefined && (f.fired ?? 0) >= f.times) continue;
    f.fired = (f.fired ?? 0) + 1;
    return f;
  }
  return undefined;
}

/** Faults from the environment: NHI_SIM_FAULTS='[{"route":"...","kind":"status","status":500}]' */
export function faultsFromEnv(env: NodeJS.ProcessEnv = process.env): Fault[] {
  const raw = env.NHI_SIM_FAULTS;
  if (!raw) return [];
  const parsed = JSON.parse(raw) as unknown;
  if (!Array.isArray(parsed)) throw new Error('NHI_SIM_FAULTS must be a JSON array of faults');
  return parsed as Fault[];
}
