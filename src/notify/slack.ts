// Slack incoming webhook payload (Block Kit): a header, a summary, up to 20 findings as sections, and
// what did not fit as a count. Limits: 50 blocks per message, 3000 characters per section text.
// https://api.slack.com/messaging/webhooks , https://api.slack.com/reference/block-kit/blocks
import { findingLine, headline, type Digest } from './digest.ts';
import { registerSecretPatterns } from '../util/redact.ts';
import { escapeControls } from '../util/terminal-text.ts';

// the webhook URL's path is its secret: masked wherever a delivery error might print it
registerSecretPatterns([/https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/]+/g]);

const MAX_FINDINGS = 20;

export function slackPayload(d: Digest): { text: string; blocks: unknown[] } {
  const text = escapeControls(headline(d));
  const section = (s: string) => ({ type: 'section', text: { type: 'mrkdwn', text: s.slice(0, 2900) } });
  const blocks: unknown[] = [{ type: 'header', text: { type: 'plain_text', text: escapeControls(`nhi-census: ${d.organisation}`).slice(0, 150) } },
    section(`*${escape(text)}*` + (d.runId !== null ? `\ncrawl run ${d.runId}` : ''))];
  if (d.newFindings.length) {
    blocks.push({ type: 'divider' }, section(`*New findings (${d.newFindings.length})*`));
    for (const f of d.newFindings.slice(0, MAX_FINDINGS)) {
      blocks.push(section(`*${f.severity.toUpperCase()}* · ${escape(f.provider ?? '-')} · ${escape(f.title)}\n_${escape(f.rule)}_ · \`${f.id}\`\n${escape(f.remediation)}`));
    }
    if (d.newFindings.length > MAX_FINDINGS) blocks.push(section(`…and ${d.newFindings.length - MAX_FINDINGS} more: \`nhi-census query "select * from current_findings"\``));
  }
  if (d.resolved.length) {
    blocks.push({ type: 'divider' }, section(`*Resolved (${d.resolved.length})*\n` + d.resolved.slice(0, MAX_FINDINGS).map((f) => `• ${escape(findingLine(f))}`).join('\n')));
  }
  if (d.crawlProblems.length) {
    blocks.push({ type: 'divider' }, section('*Incomplete crawls*\n' + d.crawlProblems.map((p) =>
      `• ${escape(p.provider)}: ${p.status} (run ${p.runId})${p.errors.length ? ' — ' + escape(p.errors.slice(0, 3).join('; ')) : ''}`).join('\n')));
  }
  return { text, blocks };
}

/** mrkdwn text: control and bidi characters shown as escapes (no forged line), `& < >` escaped. */
function escape(s: string): string {
  return escapeControls(s).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
