// Whether a person is watching: stderr a terminal decides human log lines and the progress bar, and colour is
// used only there and never when NO_COLOR is set to a non-empty value (https://no-color.org). The decision is
// injectable — main(argv, { stderrIsTTY, env }) — so tests exercise the terminal and the pipe in one process.

export interface TerminalOptions {
  /** Whether stderr is a terminal (default: process.stderr.isTTY). */
  stderrIsTTY?: boolean;
  /** The environment NO_COLOR is read from (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface Terminal {
  /** stderr is a terminal: human log lines by default, a progress bar. */
  isTTY: boolean;
  /** Colour may be used on stderr. */
  color: boolean;
}

let injected: TerminalOptions = {};

/** Sets the terminal for the commands that run until the returned function restores the previous one. */
export function injectTerminal(opts: TerminalOptions): () => void {
  const previous = injected;
  injected = opts;
  return () => { injected = previous; };
}

export function terminal(): Terminal {
  const isTTY = injected.stderrIsTTY ?? Boolean(process.stderr.isTTY);
  const env = injected.env ?? process.env;
  return { isTTY, color: isTTY && !(typeof env.NO_COLOR === 'string' && env.NO_COLOR !== '') };
}
