// Bench helper: each bench prints its key figures as machine-readable lines, `BENCH {json}`, beside its prose;
// bench/run-all.ts collects them into one summary table (figure | measured | goal | pass). Also the crawler's
// CPU meter (process CPU, user + system, of the bench process: with the simulator in a child, the crawler's own).

export type Goal = ['<=' | '>=', number];

export interface Figure {
  bench: string;
  figure: string;
  value: number;
  unit: string;
  /** The goal for this figure, if it has one; `pass` is computed from it. */
  goal?: Goal;
  pass?: boolean;
  /** Short context (e.g. "wall 21 s, CPU 12 s, 2 cores shared"). */
  note?: string;
}

export const BENCH_PREFIX = 'BENCH ';

/** Prints one figure as a `BENCH {json}` line (rounded to 3 significant digits). */
export function figure(f: Omit<Figure, 'pass'>): Figure {
  const value = Number.isFinite(f.value) ? Number(f.value.toPrecision(3)) : f.value;
  const out: Figure = { ...f, value, ...(f.goal ? { pass: f.goal[0] === '<=' ? value <= f.goal[1] : value >= f.goal[1] } : {}) };
  console.log(BENCH_PREFIX + JSON.stringify(out));
  return out;
}

/** Parses a `BENCH {json}` line (undefined for any other line). */
export function parseFigure(line: string): Figure | undefined {
  if (!line.startsWith(BENCH_PREFIX)) return undefined;
  try { return JSON.parse(line.slice(BENCH_PREFIX.length)) as Figure; } catch { return undefined; }
}

/** Starts a CPU and wall clock; `read()` gives seconds since the start. */
export function meter(): { read(): { cpuS: number; wallS: number } } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  return { read() { const c = process.cpuUsage(c0); return { cpuS: (c.user + c.system) / 1e6, wallS: (performance.now() - t0) / 1000 }; } };
}

/** Milliseconds of CPU per call. */
export const msPerCall = (cpuS: number, calls: number) => (cpuS * 1000) / Math.max(1, calls);
