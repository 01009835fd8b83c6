// Structured logger: JSON lines (`--log-format json`) or key=value text, to stderr, with secret redaction.
// Every message passes through redactSecrets, so a token that reaches a log line by accident is masked;
// in text lines, control and bidi characters are shown as escapes (src/util/terminal-text.ts).
import { redactSecrets } from './redact.ts';
import { escapeControls, hasControls, jsonSafe } from './terminal-text.ts';

export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  format?: 'json' | 'text';
  level?: Level;
  write?: (line: string) => void;
}

export function createLogger(opts: LoggerOptions = {}, base: Record<string, unknown> = {}): Logger {
  const format = opts.format ?? 'text';
  const min = ORDER[opts.level ?? 'info'];
  const write = opts.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const emit = (level: Level, msg: string, fields: Record<string, unknown> = {}) => {
    if (ORDER[level] < min) return;
    const rec = { time: new Date().toISOString(), level, msg, ...base, ...fields };
    if (format === 'json') { write(jsonSafe(redactSecrets(JSON.stringify(rec)))); return; }
    write(`${rec.time} ${level.toUpperCase().padEnd(5)} ${escapeControls(redactSecrets(msg))}` +
      Object.entries({ ...base, ...fields }).map(([k, v]) => ` ${k}=${textValue(v)}`).join(''));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger(opts, { ...base, ...fields }),
  };
}

/**
 * One value of a text log line, on that line: masked, control characters escaped (a newline in provider
 * data cannot start a forged line), and quoted when it is empty or holds a space, `=` or an escaped
 * character (so it cannot pose as further key=value pairs).
 */
function textValue(v: unknown): string {
  const raw = redactSecrets(typeof v === 'string' ? v : JSON.stringify(v) ?? String(v));
  if (raw !== '' && !/[\s=]|^"/.test(raw) && !hasControls(raw)) return raw;
  return `"${escapeControls(raw.replace(/["\\]/g, '\\$&'))}"`;
}

export const silentLogger: Logger = createLogger({ write: () => {} });
