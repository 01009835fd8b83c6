// Runs a nhi-census command in the test process (as main() does, without its process-wide handlers):
// its exit code and error message. Much faster than spawning the binary, for checks that need no process.
import { CommanderError } from 'commander';
import { exitCodeFor } from '../../src/cli/common.ts';
import { buildProgram } from '../../src/cli/main.ts';

export async function inProcess(args: string[]): Promise<{ code: number; message: string }> {
  const exitCode = process.exitCode;
  try {
    await buildProgram().configureOutput({ writeErr: () => {}, writeOut: () => {} }).parseAsync(['node', 'nhi-census', ...args]);
    return { code: typeof process.exitCode === 'number' ? process.exitCode : 0, message: '' };
  } catch (err) {
    return { code: err instanceof CommanderError ? (err.exitCode === 0 ? 0 : 2) : exitCodeFor(err), message: (err as Error).message };
  } finally { process.exitCode = exitCode; }
}
