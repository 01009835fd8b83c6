// A registry of things connectors register once each under a key (a provider's risk or category catalogue, a trust
// issuer's kind): registering the same object again is a no-op, a second object under a taken key is a programming
// error named by `twice`.

export interface KeyedRegistry<T> {
  register(x: T): void;
  get(key: string): T | undefined;
  /** Every registered item, by key. */
  all(): T[];
  /** Every registered item, in the order registered. */
  values(): T[];
  keys(): string[];
}

export function keyedRegistry<T>(keyOf: (x: T) => string, twice: (key: string) => string): KeyedRegistry<T> {
  const items = new Map<string, T>();
  return {
    register(x) {
      const key = keyOf(x);
      const had = items.get(key);
      if (had && had !== x) throw new Error(twice(key));
      items.set(key, x);
    },
    get: (key) => items.get(key),
    all: () => [...items.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, x]) => x),
    values: () => [...items.values()],
    keys: () => [...items.keys()],
  };
}
