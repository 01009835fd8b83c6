// Structured logger: JSON lines (`--log-format json`, for schedulers) or short human text lines — level,
// provider and resource, message, then the other fields as key=value — to stderr, with secret redaction.
// Every message passes through redactSecrets, so a token that reaches a log line by accident is masked;
// in text lines, control and bidi characters are shown as escapes (src/util/terminal-text.ts), a field with
// no value (undefined, null) is left out, and colour (the level) is used only when the caller asks for it.
import { writeLine, type TextStream } from './live-line.ts';
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
  /** Colour the level in text lines (only on a terminal, never with NO_COLOR: src/cli/terminal.ts). */
  color?: boolean;
  /** Where lines go (default: stderr), above a progress bar showing there (src/util/live-line.ts). */
  stream?: TextStream;
  write?: (line: string) => void;
}

const COLOUR: Record<Level, string> = { debug: '\x1b[2m', info: '\x1b[36m', warn: '\x1b[33m', error: '\x1b[31m' };

export function createLogger(opts: LoggerOptions = {}, base: Record<string, unknown> = {}): Logger {
  const format = opts.format ?? 'text';
  const min = ORDER[opts.level ?? 'info'];
  const write = opts.write ?? ((line: string) => writeLine(opts.stream ?? process.stderr, line));
  const emit = (level: Level, msg: string, fields: Record<string, unknown> = {}) => {
    if (ORDER[level] < min) return;
    if (format === 'json') {
      write(jsonSafe(redactSecrets(JSON.stringify({ time: new Date().toISOString(), level, msg, ...base, ...fields }))));
      return;
    }
    write(textLine(level, msg, { ...base, ...fields }, Boolean(opts.color)));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger(opts, { ...base, ...fields }),
  };
}

/** `LEVEL provider/resource: message key=value…`: the level padded to line up, coloured when asked. */
function textLine(level: Level, msg: string, all: Record<string, unknown>, color: boolean): string {
  const { provider, resource, ...rest } = all;
  const name = (v: unknown) => (v === undefined || v === null || v === '' ? '' : escapeControls(redactSecrets(String(v))));
  const p = name(provider);
  const r = name(resource);
  // resource types carry their provider's prefix (github.deploy_keys): the provider is not repeated
  const where = p && r ? (r.startsWith(`${p}.`) ? r : `${p} ${r}`) : p || r;
  const tag = level.toUpperCase();
  const head = (color ? `${COLOUR[level]}${tag}\x1b[0m` : tag) + ' '.repeat(6 - tag.length);
  return `${head}${where ? `${where}: ` : ''}${escapeControls(redactSecrets(msg))}` +
    Object.entries(rest).filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => ` ${k}=${textValue(v)}`).join('');
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
