// Crawl progress: a progress bar on a TTY (cli-progress), otherwise a structured log line every few seconds.
import cliProgress from 'cli-progress';
import type { Logger } from '../util/log.ts';

export interface Progress {
  /** More listings were scheduled. */
  add(n: number): void;
  /** `done` more listings finished and `objects` more objects were listed. */
  tick(done: number, payload?: { objects?: number; resource?: string }): void;
  stop(): void;
}

export function createProgress(opts: { tty: boolean; log: Logger; intervalMs?: number }): Progress {
  let total = 0;
  let done = 0;
  let objects = 0;
  let last = '';
  if (opts.tty) {
    const bar = new cliProgress.SingleBar({
      format: 'crawl [{bar}] {value}/{total} listings | {objects} objects | {resource}',
      hideCursor: true, clearOnComplete: false, stopOnComplete: false,
    }, cliProgress.Presets.shades_classic);
    bar.start(0, 0, { objects: 0, resource: '' });
    return {
      add(n) { total += n; bar.setTotal(total); },
      tick(n, p) { done += n; objects += p?.objects ?? 0; if (p?.resource) last = p.resource; bar.update(done, { objects, resource: last }); },
      stop() { bar.stop(); },
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
      if (Date.now() - lastLog >= interval) { lastLog = Date.now(); opts.log.info('crawl progress', { listings_done: done, listings_total: total, objects, last_resource: last }); }
    },
    stop() {},
  };
}
