// One transient status line (the crawl's progress bar) on a terminal stream. A log line written to the same
// stream while it shows goes above it: the status line is cleared, the log line written with its newline, and
// the status line drawn again below — so log lines and the bar never run into each other.

/** Anything text is written to: process.stderr, or a stand-in in tests. */
export interface TextStream { write(s: string): unknown }

export interface LiveLine { stream: TextStream; redraw(): void }

let current: LiveLine | undefined;

/** Shows `line` as the live status line until the returned function is called. */
export function showLiveLine(line: LiveLine): () => void {
  current = line;
  return () => { if (current === line) current = undefined; };
}

/** Writes one whole line to `stream`, above the live status line when one shows there. */
export function writeLine(stream: TextStream, line: string): void {
  const live = current;
  if (live?.stream !== stream) { stream.write(line + '\n'); return; }
  stream.write(`\r\x1b[2K${line}\n`);
  live.redraw();
}
