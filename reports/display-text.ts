// Display text for the report renderers. Graph strings come from third parties: in report.md and
// report.html they are shown with control and bidi characters as visible escapes (a U+202E in a name
// cannot reverse what follows it) and capped, so four 1 MB names cannot make the page megabytes long.
// report.json and the CSVs keep the full value.
import { capLength, escapeControls } from '../src/util/terminal-text.ts';

/** Most characters shown of one name (connector, owner, vendor, tenant, scope…). */
export const NAME_MAX = 200;
/** Most characters shown of one sentence that may embed names (a finding's title, evidence, remediation, an error). */
export const TEXT_MAX = 300;
/** Most characters shown of a coverage warning, which lists every incomplete listing with its error. */
export const WARNING_MAX = 4000;

/** `s` with controls and bidi controls escaped, at most `max` characters (an ellipsis when cut). */
export function displayText(s: unknown, max = NAME_MAX): string {
  const text = String(s ?? '');
  // escape only what can be shown: a cut string of more than max code points still ends in an ellipsis
  return capLength(escapeControls(text.length > max * 2 + 2 ? text.slice(0, max * 2 + 2) : text), max);
}
