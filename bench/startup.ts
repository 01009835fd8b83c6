// Benchmark (not a test): start-up time of the nhi-census binary (issue 17 goal: `--version` ≤ 0.3 s on the 2-core
// machine). Measures, in the same run and alternating run by run so drift hits both alike:
//   compiled — bin/nhi-census.js running a fresh build of the sources (scripts/build.mjs, as `npm ci` makes it);
//   tsx      — the previous binary: the TypeScript sources compiled through tsx at every start
//              (`register()` from tsx/esm/api, then import src/cli/main.ts).
// Commands: `--version`, and `query "select count(*) from connectors"` against a demo database made first.
// Prints min and median wall time and median CPU time (user + system; steadier on a shared machine) per command and
// variant, and the ratios of medians.
// Run: node --import tsx bench/startup.ts [--runs 10]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } });
const runs = Number(values.runs);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'bench/out', `startup-${process.pid}`);
fs.mkdirSync(out, { recursive: true });

// the compiled binary, on a build of the sources as they are now
const dist = path.join(out, 'dist');
const built = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs'), dist], { encoding: 'utf8' });
if (built.status !== 0) throw new Error(`build failed: ${built.stderr}`);
const env = { ...process.env, NHI_CENSUS_DIST: dist };
const compiled = [path.join(root, 'bin/nhi-census.js')];
// the previous binary, verbatim but for the absolute path of main.ts (it lived in bin/)
const tsxBin = path.join(out, 'tsx-bin.mjs');
fs.writeFileSync(tsxBin, [
  "import { register } from 'tsx/esm/api';", // resolved from bench/out/, inside the clone
  'register();',
  `const { main } = await import(${JSON.stringify(pathToFileURL(path.join(root, 'src/cli/main.ts')).href)});`,
  'process.exitCode = await main(process.argv);',
].join('\n'));
const tsx = [tsxBin];

const db = path.join(out, 'demo.db');
const demo = spawnSync(process.execPath, [...compiled, 'demo', '--db', db, '--out', path.join(out, 'reports'), '--log-format', 'json'], { encoding: 'utf8', env });
if (![0, 5].includes(demo.status ?? -1)) throw new Error(`demo failed (${demo.status}): ${demo.stderr.slice(-2000)}`);

/** CPU time (user + system) of the children this process has waited for, in ms (Linux: /proc/self/stat, 10 ms ticks). */
function childCpuMs(): number {
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[13]) + Number(f[14])) * 10; // cutime, cstime (fields 16 and 17)
}

const cpu: Map<string[], number[]> = new Map();
function time(argv: string[], args: string[]): number {
  const t = performance.now(); const c = childCpuMs();
  const r = spawnSync(process.execPath, [...argv, ...args], { encoding: 'utf8', env });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  cpu.set(argv, [...(cpu.get(argv) ?? []), childCpuMs() - c]);
  return ms;
}

const commands: Array<[string, string[]]> = [
  ['--version', ['--version']],
  ['query "select count(*) from connectors"', ['query', 'select count(*) from connectors', '--db', db]],
];
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]!; };
const fmt = (ms: number) => `${(ms / 1000).toFixed(3)} s`;

console.log(`start-up, ${runs} runs each after a warm-up, alternating (node ${process.version}, ${new Date().toISOString().slice(0, 10)})`);
for (const [label, args] of commands) {
  time(compiled, args); time(tsx, args); // warm the file cache
  const a: number[] = []; const b: number[] = [];
  cpu.clear();
  for (let i = 0; i < runs; i++) { a.push(time(compiled, args)); b.push(time(tsx, args)); }
  const ca = cpu.get(compiled)!; const cb = cpu.get(tsx)!;
  console.log(`${label}\n  compiled: wall median ${fmt(median(a))}, min ${fmt(Math.min(...a))}; CPU median ${fmt(median(ca))}`
    + `\n  tsx:      wall median ${fmt(median(b))}, min ${fmt(Math.min(...b))}; CPU median ${fmt(median(cb))}`
    + `\n  tsx / compiled: ${(median(b) / median(a)).toFixed(1)}× wall, ${(median(cb) / median(ca)).toFixed(1)}× CPU`);
}
fs.rmSync(out, { recursive: true, force: true });
