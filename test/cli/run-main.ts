// Runs `nhi-census <args>` in the test process through main(argv) — the same entry point the binary calls —
// capturing stdout, stderr and the exit code. `terminal` injects whether stderr is a terminal and the
// environment the colour decision reads (NO_COLOR), so human and JSON output can both be exercised.
import { main, type MainOptions } from '../../src/cli/main.ts';

export interface MainResult { code: number; stdout: string; stderr: string }

export async function runMain(args: string[], terminal: MainOptions = {}): Promise<MainResult> {
  let stdout = '';
  let stderr = '';
  const w = process.stdout.write;
  const e = process.stderr.write;
  const exitCode = process.exitCode;
  process.stdout.write = ((s: string | Uint8Array) => { stdout += String(s); return true; }) as never;
  process.stderr.write = ((s: string | Uint8Array) => { stderr += String(s); return true; }) as never;
  process.exitCode = undefined;
  try {
    const code = await main(['node', 'nhi-census', ...args], terminal);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = w;
    process.stderr.write = e;
    process.exitCode = exitCode;
  }
}
