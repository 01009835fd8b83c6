// Contract tests of the simulators against the vendors' published types (issue 14, item 6), provider-neutral.
// A contract names, per resource type, the item fields its adapter reads, each with the JSON kind the vendor's
// type gives it; `fields<T>()` makes the compiler check every path and kind against T (a field the vendor type
// lacks, or a kind it does not allow, fails `tsc`). At run time `runContract` crawls a simulator with the real
// SDK client and engine while it
//  1. records, through read-recording proxies handed to each resource's map/ref, every field the adapter reads:
//     each must be in the resource's contract (a new read without a vendor-checked entry fails the test);
//  2. keeps a copy of every item the listing received (the simulator's JSON as the SDK parsed it): each contract
//     field present in an item must have its declared kind, and each must be served at least once (so the
//     simulator exercises what the adapter reads).
// `checkServed` does the same kind check for route answers read outside `map` (aggregated listings).
import { expect } from 'vitest';
import { loadConnectors } from '../../src/crawl/load-connectors.ts';
import type { ResourceSpec } from '../../src/crawl/resource.ts';
import type { CrawlSummary } from '../../src/crawl/engine.ts';
import { startSimCrawl } from './sim-crawl.ts';

export type Kind = 'string' | 'number' | 'boolean' | 'object' | 'array';
/** A kind, or a kind with '?': a field the vendor may leave out, which the simulator need not serve. */
export type FieldKind = Kind | `${Kind}?`;

type Defined<T> = Exclude<T, undefined | null>;
/** Keys of any member of a union (distributive). */
type KeysOf<T> = T extends unknown ? keyof T & string : never;
type Prop<T, K extends string> = T extends unknown ? (K extends keyof T ? T[K] : never) : never;
type Elem<T> = Defined<T> extends ReadonlyArray<infer E> ? E : never;
type Step<T, S extends string> = S extends `${infer N}[]` ? (N extends KeysOf<T> ? Elem<Prop<T, N>> : never)
  : S extends KeysOf<T> ? Prop<T, S> : never;
/** The type at a dotted path of T ('profile.email', 'steps[].function_id'); never when T has no such field. A key holding a dot ('@odata.type') is matched whole first. */
export type At<T, P extends string> = P extends KeysOf<Defined<T>> ? Prop<Defined<T>, P>
  : P extends `${infer H}.${infer R}` ? At<Defined<Step<Defined<T>, H>>, R> : Step<Defined<T>, P>;
/** The JSON kinds a (vendor) type allows. `any` allows every kind; a path T lacks allows none. */
export type KindOf<V> = 0 extends 1 & V ? Kind : V extends string ? 'string' : V extends number ? 'number' : V extends boolean ? 'boolean'
  : V extends readonly unknown[] ? 'array' : V extends object ? 'object' : never;

/** The item type a resource's `map` receives. */
export type ItemOf<R> = R extends ResourceSpec<any, infer I, any> ? I : never;

/**
 * The fields of T an adapter reads, with their kinds, checked against T at compile time:
 * `fields<Member>()({ id: 'string', 'profile.email': 'string' })`.
 */
export function fields<T>() {
  return <const F extends Record<string, FieldKind>>(f: F & { [P in keyof F]: P extends string ? KindOf<Defined<At<T, P>>> | `${KindOf<Defined<At<T, P>>>}?` : never }): Record<string, FieldKind> => f;
}

/** A resource whose items are built by the adapter from several answers (no vendor shape of its own): the reason. */
export interface Derived { derived: string }
export type Contract = Record<string, FieldKind> | Derived;

// --- reading recorder -----------------------------------------------------------------------------------------

const PROTOCOL = new Set(['toJSON', 'then', 'constructor', 'asymmetricMatch', '$$typeof', 'nodeType', 'inspect']);

/** Reads of the fields of a value, by path: `reads` every path read, `enumerated` the paths walked whole (keys listed). */
export class ReadRecorder {
  readonly reads = new Set<string>();
  readonly enumerated = new Set<string>();

  wrap<T>(value: T, path = ''): T {
    if (value === null || typeof value !== 'object') return value;
    const rec = this;
    const isArray = Array.isArray(value);
    return new Proxy(value as object, {
      get(target, key, receiver) {
        const v = Reflect.get(target, key, receiver);
        if (typeof key === 'symbol' || PROTOCOL.has(key)) return v;
        if (isArray) {
          if (!/^\d+$/.test(key)) return v; // length, methods (they read the elements through this proxy)
          rec.reads.add(`${path}[]`);
          return rec.wrap(v, `${path}[]`);
        }
        if (!Object.prototype.hasOwnProperty.call(target, key) && key in Object.prototype) return v;
        const p = path ? `${path}.${key}` : key;
        rec.reads.add(p);
        return rec.wrap(v, p);
      },
      has(target, key) {
        // `'x' in item` of a key the item has reads it; of one it lacks, it only tells union members apart
        const present = Reflect.has(target, key);
        if (present && typeof key === 'string' && !isArray) rec.reads.add(path ? `${path}.${key}` : key);
        return present;
      },
      ownKeys(target) {
        rec.enumerated.add(path);
        return Reflect.ownKeys(target);
      },
    }) as T;
  }

  /** The fields read, with whatever lies under a path read whole folded into that path. */
  fields(): Set<string> {
    const whole = [...this.enumerated].filter(Boolean);
    const out = new Set<string>();
    for (const r of this.reads) {
      const under = whole.filter((w) => r.startsWith(`${w}.`) || r.startsWith(`${w}[]`)).sort((a, b) => a.length - b.length)[0];
      out.add(under ?? r);
    }
    for (const w of whole) out.add(w);
    return out;
  }
}

/** Every path a contract covers: its fields and their ancestors ('steps[].function_id' covers 'steps' and 'steps[]'). */
export function covered(contract: Record<string, FieldKind>): Set<string> {
  const out = new Set<string>();
  for (const p of Object.keys(contract)) {
    out.add(p);
    const segs = p.split('.');
    for (let i = 0; i < segs.length; i++) {
      const prefix = [...segs.slice(0, i), segs[i]!].join('.');
      out.add(prefix);
      if (prefix.endsWith('[]')) out.add(prefix.slice(0, -2));
    }
  }
  return out;
}

// --- served JSON checks ---------------------------------------------------------------------------------------

export function kindOf(v: unknown): Kind | 'null' {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v as Kind;
}

/** The values at `path` in `item` (arrays marked '[]' expanded; a key holding a dot matched whole first); absent links yield nothing. */
export function valuesAt(item: unknown, path: string): unknown[] {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return [];
  const obj = item as Record<string, unknown>;
  if (path in obj) return obj[path] === undefined ? [] : [obj[path]];
  const dot = path.indexOf('.');
  const seg = dot < 0 ? path : path.slice(0, dot);
  const rest = dot < 0 ? '' : path.slice(dot + 1);
  const many = seg.endsWith('[]');
  const v = obj[many ? seg.slice(0, -2) : seg];
  if (v === undefined) return [];
  const here = many && Array.isArray(v) ? v : [v];
  return rest ? here.flatMap((x) => valuesAt(x, rest)) : here;
}

/** Problems of served items against a contract: wrong kinds (null is the vendor's "no value"), fields never served. */
export function servedProblems(what: string, items: unknown[], contract: Record<string, FieldKind>, opts: { mustServe?: boolean } = {}): string[] {
  const out: string[] = [];
  for (const [path, declared] of Object.entries(contract)) {
    const kind = declared.replace(/\?$/, '') as Kind;
    const optional = declared.endsWith('?');
    let seen = 0;
    for (const v of items.flatMap((i) => valuesAt(i, path))) {
      const k = kindOf(v);
      if (k === 'null') continue;
      seen++;
      if (k !== kind) out.push(`${what}: ${path} is ${k} (${JSON.stringify(v).slice(0, 60)}), the vendor's type says ${kind}`);
    }
    if (!seen && !optional && opts.mustServe !== false) out.push(`${what}: ${path} is never served (the adapter reads it; the simulator should serve it)`);
  }
  return out;
}

// --- the crawl --------------------------------------------------------------------------------------------------

export interface ContractRun {
  summary: CrawlSummary;
  /** resource type -> fields its map/ref read */
  reads: Map<string, Set<string>>;
  /** resource type -> items its listings received (JSON copies) */
  served: Map<string, unknown[]>;
  close(): Promise<void>;
}

/** Crawls `provider`'s simulator serving `scenario` with every resource's list/map/ref observed. */
export async function runContract(provider: string, scenario: unknown, configPatch?: Record<string, unknown>): Promise<ContractRun> {
  const spec = (await loadConnectors()).find((s) => s.name === provider)!;
  const reads = new Map<string, ReadRecorder>();
  const served = new Map<string, unknown[]>();
  const restore: Array<() => void> = [];
  for (const r of spec.resources as ResourceSpec[]) {
    const rec = new ReadRecorder();
    reads.set(r.type, rec);
    served.set(r.type, []);
    const { list, map, ref } = r;
    r.list = async function* (ctx) {
      for await (const page of list.call(r, ctx)) {
        served.get(r.type)!.push(...JSON.parse(JSON.stringify(page.items ?? [])) as unknown[]);
        yield page;
      }
    };
    // What map/ref return may hold parts of the item (props keeping a whole sub-object): copied, so the engine
    // never sees a proxy (the copy reads those parts whole, which is what storing them is).
    r.map = (item, ctx) => JSON.parse(JSON.stringify(map.call(r, rec.wrap(item), ctx)));
    if (ref) r.ref = (item, ctx) => { const out = ref.call(r, rec.wrap(item), ctx); return out === null || out === undefined ? out : JSON.parse(JSON.stringify(out)); };
    restore.push(() => { r.list = list; r.map = map; if (ref) r.ref = ref; });
  }
  const c = await startSimCrawl(provider, scenario);
  try {
    const summary = await c.crawl({ configPatch });
    return { summary, reads: new Map([...reads].map(([t, rec]) => [t, rec.fields()])), served,
      close: async () => { for (const f of restore) f(); await c.close(); } };
  } catch (err) {
    for (const f of restore) f();
    await c.close();
    throw err;
  }
}

/**
 * The assertions every provider's contract test makes, over one or more crawls (e.g. a standalone workspace and
 * an enterprise org): every resource type has a contract; each completed in some crawl; each with a vendor-shaped
 * contract listed items, its adapter read only contract fields, and the simulator served those with the vendor's kinds.
 */
export function assertContracts(runs: ContractRun[], contracts: Record<string, Contract>,
  /** resource type -> field -> why the adapter may read a field this resource's vendor type lacks (a shared mapper) */
  notInVendorType: Record<string, Record<string, string>> = {}): void {
  const types = new Set(runs.flatMap((r) => [...r.reads.keys()]));
  expect(Object.keys(contracts).sort(), 'a contract for every resource type').toEqual([...types].sort());
  const problems: string[] = [];
  for (const [type, contract] of Object.entries(contracts)) {
    const statuses = runs.map((r) => r.summary.resources.find((x) => x.resourceType === type)?.status);
    if (!statuses.includes('complete')) problems.push(`${type}: listing ${statuses.join('/')} (a contract scenario must make it complete)`);
    if ('derived' in contract) continue;
    const items = runs.flatMap((r) => r.served.get(type) ?? []);
    if (!items.length) { problems.push(`${type}: no items served`); continue; }
    const cover = covered(contract as Record<string, FieldKind>);
    const reads = new Set(runs.flatMap((r) => [...(r.reads.get(type) ?? [])]));
    for (const f of [...reads].sort()) if (!cover.has(f) && !notInVendorType[type]?.[f]) problems.push(`${type}: the adapter reads ${f}, which the contract does not name`);
    problems.push(...servedProblems(type, items, contract as Record<string, FieldKind>));
  }
  expect(problems).toEqual([]);
}
