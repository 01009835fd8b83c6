// Issue 13 items 8 and 9, for the alert digests people read: a finding title, remediation or crawl error
// holding a newline, an ESC sequence or a bidi override cannot forge a line of the e-mail's plain text,
// a line of a Slack section, or reverse the e-mail's HTML sentence; the escapes stay visible.
import { describe, expect, it } from 'vitest';
import type { Digest } from '../../src/notify/digest.ts';
import { emailMessage } from '../../src/notify/email.ts';
import { slackPayload } from '../../src/notify/slack.ts';

const FORGED = 'Resolved (1):';
const TITLE = `Unapproved app invoice\u202Egpj.exe\n${FORGED}\x1b]0;pwned\x07`;
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

const finding = { id: 'f1', rule: 'unapproved-connector', severity: 'high' as const, provider: 'github', subject: 'github:app:1', title: TITLE,
  remediation: `Remove it.\n${FORGED}`, firstSeenAt: '2026-11-01T00:00:00Z', owners: [] };
const digest: Digest = {
  organisation: 'Acme', runId: 3, at: '2026-11-02T00:00:00Z', minSeverity: 'high', newFindings: [finding], resolved: [],
  crawlProblems: [{ provider: 'github', status: 'partial', runId: 3, errors: [`boom\x1b[2J\n${FORGED}`] }],
};

describe('alert digests escape control and bidi characters', () => {
  it('e-mail: plain text has no raw control, and no forged line; HTML isolates and escapes the title', () => {
    const m = emailMessage(digest);
    expect(m.subject).not.toMatch(RAW);
    expect(m.text).not.toMatch(RAW);
    expect(m.text.split('\n').filter((l) => l.trim() === FORGED)).toEqual([]);
    expect(m.text).toContain('invoice\\u202egpj.exe\\nResolved (1):\\x1b]0;pwned\\x07');
    expect(m.html).not.toMatch(RAW);
    expect(m.html).toContain('<bdi>Unapproved app invoice\\u202egpj.exe');
  });

  it('Slack: section texts hold no raw control and no forged line', () => {
    const p = slackPayload(digest);
    const texts = (p.blocks as { text?: { text: string } }[]).map((b) => b.text?.text ?? '');
    for (const t of [p.text, ...texts]) {
      expect(t).not.toMatch(RAW);
      expect(t.split('\n').filter((l) => l.trim() === FORGED)).toEqual([]);
    }
    expect(texts.join('\n')).toContain('invoice\\u202egpj.exe');
  });
});
