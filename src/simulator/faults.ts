// Injectable faults for the simulators, from the scenario's `faults:` list or NHI_SIM_FAULTS (JSON).
// A fault matches a route name/pattern or a path substring, optionally after N matching requests and
// for a limited number of times. Kind 'next' rewrites where the answer says the next page is (a Link
// header, a cursor, a page token, a nextLink): a foreign origin, a page that points at itself, or an
// endless chain of distinct pages. Kind 'malformed' answers normally but breaks one item of the answer: every
// string, number or boolean in its first listed object, at any depth, becomes an object (a wrong type for each),
// as a response that does not follow the vendor's schema would.
export interface Fault {
  /** Route name or path pattern (as declared by the simulator), or '*' for all. */
  route?: string;
  /** Substring of the request path. */
  path?: string;
  method?: string;
  kind: 'status' | 'reset' | 'truncate' | 'delay' | 'next' | 'malformed';
  status?: number;
  /**
   * kind 'next': the next link or cursor the answer carries instead of its own. `{self}` is this request's own
   * page (the listing loops), `{self:n}` the same page made distinct by the fault's counter (an endless chain
   * that never repeats), `{origin}` the simulator's origin; anything else is literal. Default `{self}`.
   */
  next?: string;
  headers?: Record<string, string>;
  body?: unknown;
  delayMs?: number;
  /**
   * kind 'malformed': where the broken item is, as a property path into the body ('value', 'team'; '.' is the body
   * itself). Default: the body when it is a list, else the first property holding a list of objects (its first
   * element), else the body.
   */
  item?: string;
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

/** The next link or cursor a 'next' fault answers with; `self(salt)` gives this request's own page (salted: distinct). */
export function nextValue(f: Fault, self: (salt?: number) => string, origin: string): string {
  return (f.next ?? '{self}')
    .replace(/\{self:n\}/g, () => self(f.fired ?? 0))
    .replace(/\{self\}/g, () => self())
    .replace(/\{origin\}/g, origin);
}

/** The body with one item broken as a 'malformed' fault says (a copy; the scenario is not touched). */
export function malformItem(body: unknown, item?: string): unknown {
  const copy = structuredClone(body) as unknown;
  const target = itemOf(copy, item);
  if (target) breakAll(target, 0);
  return copy;
}

/** Every primitive under `o` (objects and lists, a few levels deep) becomes `{ malformed: true }`. */
function breakAll(o: Record<string, unknown> | unknown[], depth: number): void {
  if (depth > 4) return;
  for (const [k, v] of Object.entries(o)) {
    const broken = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? { malformed: true } : undefined;
    if (broken) (o as Record<string, unknown>)[k] = broken;
    else if (v && typeof v === 'object') breakAll(v as Record<string, unknown>, depth + 1);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function firstObject(list: unknown[]): Record<string, unknown> | undefined {
  return list.find(isObject);
}

function itemOf(body: unknown, path?: string): Record<string, unknown> | undefined {
  if (path !== undefined && path !== '.') {
    let v: unknown = body;
    for (const part of path.split('.')) v = isObject(v) ? v[part] : undefined;
    return Array.isArray(v) ? firstObject(v) : isObject(v) ? v : undefined;
  }
  if (Array.isArray(body)) return firstObject(body);
  if (!isObject(body)) return undefined;
  if (path === '.') return body;
  for (const v of Object.values(body)) if (Array.isArray(v) && firstObject(v)) return firstObject(v);
  return body;
}

/** Faults from the environment: NHI_SIM_FAULTS='[{"route":"...","kind":"status","status":500}]' */
export function faultsFromEnv(env: NodeJS.ProcessEnv = process.env): Fault[] {
  const raw = env.NHI_SIM_FAULTS;
  if (!raw) return [];
  const parsed = JSON.parse(raw) as unknown;
  if (!Array.isArray(parsed)) throw new Error('NHI_SIM_FAULTS must be a JSON array of faults');
  return parsed as Fault[];
}
