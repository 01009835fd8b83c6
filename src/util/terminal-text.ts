// Terminal- and log-safe text. Provider strings are hostile: an ESC sequence in a bot name can set the
// terminal title or clear the screen, a newline in an app slug can forge a whole log line, and a bidi
// override (U+202E) reverses how the rest of a line reads. These helpers turn such characters into
// visible escapes (`\x1b`, `\n`, `\u202e`) before text reaches a terminal, a text log, a table or a CSV.

/** Bidi controls: LRM/RLM, ALM, embeddings and overrides (U+202A–U+202E), isolates (U+2066–U+2069). */
const BIDI = '\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';
/** Line/paragraph separators: some viewers break lines on them. */
const SEPARATORS = '\\u2028\\u2029';

const ALL = new RegExp(`[\\u0000-\\u001f\\u007f-\\u009f${BIDI}${SEPARATORS}]`, 'g');
const ALL_BUT_NEWLINE = new RegExp(`[\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f${BIDI}${SEPARATORS}]`, 'g');
const TEST_ALL = new RegExp(ALL.source);
/** What JSON.stringify leaves raw: DEL, C1, bidi controls and separators (C0 it escapes itself). */
const JSON_UNSAFE = new RegExp(`[\\u007f-\\u009f${BIDI}${SEPARATORS}]`, 'g');

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visible(c: string): string {
  const code = c.charCodeAt(0);
  return NAMED[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/**
 * `s` with every C0 and C1 control, DEL, bidi control and line separator shown as a visible escape.
 * `keepNewlines` leaves `\n` alone, for multi-line text whose line breaks are our own formatting.
 */
export function escapeControls(s: string, opts: { keepNewlines?: boolean } = {}): string {
  return s.replace(opts.keepNewlines ? ALL_BUT_NEWLINE : ALL, visible);
}

/** True when `s` holds a character escapeControls would escape. */
export function hasControls(s: string): boolean {
  return TEST_ALL.test(s);
}

/**
 * JSON text (from JSON.stringify) with DEL, C1, bidi controls and separators written as `\uXXXX`:
 * the same value for any JSON parser, but nothing a terminal or viewer acts on.
 */
export function jsonSafe(json: string): string {
  return json.replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** At most `max` characters (code points), the last one an ellipsis when cut. */
export function capLength(s: string, max: number): string {
  if (s.length <= max) return s;
  const points = Array.from(s.slice(0, max * 2 + 2));
  return points.length <= max ? s : points.slice(0, max - 1).join('') + '…';
}
