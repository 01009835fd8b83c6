// Runs every benchmark in bench/ one after another (npm run bench), each in its own process so that
// peak RSS figures are per benchmark, then prints one summary table of the figures they reported as
// `BENCH {json}` lines (bench/_lib/figures.ts): figure | measured | goal | pass. Files starting with '_' and
// subfolders are helpers, not benchmarks. Arguments: names to run (substrings, e.g. `github slack`), and
// `--quick`, passed to every bench (smaller scenarios where a bench supports it).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseFigure, type Figure } from './_lib/figures.ts';

const dir = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const passed = args.filter((a) => a.startsWith('--'));
const only = args.filter((a) => !a.startsWith('--'));
const benches = fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'run-all.ts' && !f.startsWith('_'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o))).sort();

/** Benches whose header comment names --quick take it (others are run as they are). */
const takesQuick = (file: string) => /\[--quick\]|--quick/.test(fs.readFileSync(path.join(dir, file), 'utf8').split('\n').slice(0, 20).join('\n'));

const figures: Figure[] = [];
const timing: Array<{ bench: string; wallS: number; status: number | null }> = [];
for (const b of benches) {
  process.stdout.write(`\n=== ${b} ===\n`);
  const t0 = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(dir, b), ...passed.filter((a) => a !== '--quick' || takesQuick(b))],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    process.stdout.write(`${line}\n`);
    const f = parseFigure(line);
    if (f) figures.push(f);
  });
  const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  timing.push({ bench: b, wallS: (Date.now() - t0) / 1000, status });
  if (status !== 0) process.stdout.write(`(${b} exited ${status})\n`);
}

const fmt = (v: number) => (Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en') : String(v));
const rows = figures.map((f) => [f.figure, `${fmt(f.value)} ${f.unit}`, f.goal ? `${f.goal[0] === '<=' ? '≤' : '≥'} ${fmt(f.goal[1])} ${f.unit}` : '', f.goal ? (f.pass ? '✔' : '✘') : '', f.note ?? '']);
const head = ['figure', 'measured', 'goal', '', 'note'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join(' | ').trimEnd();
process.stdout.write(`\n=== summary (${figures.length} figures; ${figures.filter((f) => f.goal && f.pass).length} of ${figures.filter((f) => f.goal).length} goals met) ===\n`);
process.stdout.write(`${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}\n${rows.map(line).join('\n')}\n`);
process.stdout.write(`\n${timing.map((t) => `${t.bench} ${t.wallS.toFixed(0)} s${t.status === 0 ? '' : ` (exit ${t.status})`}`).join('; ')}\n`);
process.exitCode = timing.some((t) => t.status !== 0) ? 1 : 0;
