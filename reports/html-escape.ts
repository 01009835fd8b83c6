// HTML escaping for report.html. Every string from the graph (names, evidence, owners, errors) comes
// from a third party and passes through h() — in text and in attribute values alike — which also shows
// control and bidi characters as escapes; isolated() is for a provider-supplied string in the page's text:
// capped (reports/display-text.ts) and wrapped in <bdi>, so its direction cannot reorder our sentence.
import { escapeControls } from '../src/util/terminal-text.ts';
import { displayText, NAME_MAX } from './display-text.ts';

const MAP: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function h(s: unknown): string {
  return escapeControls(String(s ?? ''), { keepNewlines: true }).replace(/[&<>"'`]/g, (c) => MAP[c]!);
}

/** A provider-supplied string as page text: escaped, at most `max` characters, isolated in <bdi>. */
export function isolated(s: unknown, max = NAME_MAX): string {
  return `<bdi>${h(displayText(s, max))}</bdi>`;
}
