// Crawl progress: a progress bar on a TTY (cli-progress), otherwise a structured log line every few seconds.
// Until the first listing is scheduled the total is not known: the bar's line shows a spinner and a count
// instead of a bar (never a full bar at "0/0"). Then it shows the listings done out of those scheduled so far
// (the total grows as listings fan out), the objects listed and the last resource type. Log lines written
// meanwhile go above it (src/util/live-line.ts). No colour: the line is the same with NO_COLOR.
import cliProgress from 'cli-progress';
import type { Logger } from '../util/log.ts';
import { showLiveLine } from '../util/live-line.ts';
import { escapeControls } from '../util/terminal-text.ts';

export interface Progress {
  /** More listings were scheduled. */
  add(n: number): void;
  /** `done` more listings finished and `objects` more objects were listed. */
  tick(done: number, payload?: { objects?: number; resource?: string }): void;
  stop(): void;
}

/** The terminal the bar draws on: process.stderr, or a stand-in in tests. */
export interface ProgressStream { isTTY?: boolean; columns?: number; write(s: string): unknown }

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const BAR_SIZE = 30;

export function createProgress(opts: { tty: boolean; log: Logger; intervalMs?: number; stream?: ProgressStream }): Progress {
  let total = 0;
  let done = 0;
  let objects = 0;
  let last = '';
  if (opts.tty) {
    const stream = opts.stream ?? process.stderr;
    const line = (width: number): string => {
      const tail = ` | ${objects} object${objects === 1 ? '' : 's'}${last ? ` | ${escapeControls(last)}` : ''}`;
      const text = total === 0
        ? `crawl ${SPINNER[Math.floor(Date.now() / 100) % SPINNER.length]} starting: ${done} listings${tail}`
        : `crawl [${'█'.repeat(Math.floor(BAR_SIZE * Math.min(done / total, 1))).padEnd(BAR_SIZE, '░')}] ${done}/${total} listings${tail}`;
      return text.length < width ? text : text.slice(0, Math.max(0, width - 2)) + '…';
    };
    const bar = new cliProgress.SingleBar({
      format: (_o, params) => line(params.maxWidth), hideCursor: true, clearOnComplete: false, stopOnComplete: false, forceRedraw: true,
      // cli-progress takes a terminal object (lib/terminal.js) beside its documented options
      ...{ terminal: lineTerminal(stream) },
    });
    bar.start(1, 0);
    const hide = showLiveLine({ stream, redraw: () => bar.render() });
    return {
      add(n) { total += n; bar.update(done); },
      tick(n, p) { done += n; objects += p?.objects ?? 0; if (p?.resource) last = p.resource; bar.update(done); },
      stop() { hide(); bar.stop(); },
    };
  }
  const interval = opts.intervalMs ?? 5000;
  let lastLog = Date.now();
  return {
    add(n) { total += n; },
    tick(n, p) {
      done += n;
      objects += p?.objects ?? 0;
      if (p?.resource) last = p.resource;
      if (Date.now() - lastLog >= interval) { lastLog = Date.now(); opts.log.info('crawl progress', { listings_done: done, listings_total: total, objects, last_resource: last || undefined }); }
    },
    stop() {},
  };
}

/**
 * What cli-progress draws through, for one line: carriage return and clear-to-end instead of its cursor
 * save/restore, which would put the cursor back above log lines written while the bar showed.
 */
function lineTerminal(stream: ProgressStream) {
  return {
    cursorSave() {}, cursorRestore() {}, cursorRelative() {}, cursorRelativeReset() {}, clearBottom() {},
    cursor(show: boolean) { stream.write(show ? '\x1b[?25h' : '\x1b[?25l'); },
    cursorTo() { stream.write('\r'); },
    clearRight() { stream.write('\x1b[K'); },
    clearLine() { stream.write('\r\x1b[2K'); },
    newline() { stream.write('\n'); },
    write(s: string) { stream.write(s); },
    lineWrapping(on: boolean) { stream.write(on ? '\x1b[?7h' : '\x1b[?7l'); },
    isTTY() { return true; },
    getWidth() { return stream.columns || 80; },
  };
}
