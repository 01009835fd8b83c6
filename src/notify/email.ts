// E-mail digest over SMTP with nodemailer: plain text and a small HTML table. The password comes from
// the environment variable the config names. https://nodemailer.com/smtp/
// (nodemailer is loaded when a digest is sent, not at every start of the binary.)
import type { AlertsConfig } from '../config/config.ts';
import { escapeControls } from '../util/terminal-text.ts';
import { findingLine, headline, type Digest } from './digest.ts';

export type EmailConfig = NonNullable<AlertsConfig['email']>;

export function emailMessage(d: Digest): { subject: string; text: string; html: string } {
  const subject = escapeControls(headline(d));
  const lines = [subject, ''];
  if (d.newFindings.length) lines.push(`New findings (${d.newFindings.length}):`, ...d.newFindings.map((f) => `  ${findingLine(f)}\n    ${escapeControls(f.remediation)}`), '');
  if (d.resolved.length) lines.push(`Resolved (${d.resolved.length}):`, ...d.resolved.map((f) => `  ${findingLine(f)}`), '');
  if (d.crawlProblems.length) lines.push('Incomplete crawls:', ...d.crawlProblems.map((p) => `  ${p.provider}: ${p.status} (run ${p.runId}) ${escapeControls(p.errors.slice(0, 3).join('; '))}`), '');
  lines.push('Details: nhi-census query "select severity, rule, subject_name, title from current_findings"');
  const row = (f: Digest['newFindings'][number]) => `<tr><td>${h(f.severity)}</td><td>${h(f.provider ?? '')}</td><td><bdi>${h(f.title)}</bdi></td><td>${h(f.rule)}</td><td><code>${h(f.id)}</code></td></tr>`;
  const table = (title: string, fs: Digest['newFindings']) => fs.length
    ? `<h3>${h(title)} (${fs.length})</h3><table border="1" cellpadding="4" cellspacing="0"><tr><th>Severity</th><th>Provider</th><th>Finding</th><th>Rule</th><th>Id</th></tr>${fs.map(row).join('')}</table>` : '';
  const html = `<h2>${h(subject)}</h2>${table('New findings', d.newFindings)}${table('Resolved', d.resolved)}` +
    (d.crawlProblems.length ? `<h3>Incomplete crawls</h3><ul>${d.crawlProblems.map((p) => `<li>${h(p.provider)}: ${h(p.status)} (run ${p.runId}) <bdi>${h(p.errors.slice(0, 3).join('; '))}</bdi></li>`).join('')}</ul>` : '');
  return { subject, text: lines.join('\n'), html };
}

export async function sendEmail(cfg: EmailConfig, password: string | undefined, d: Digest, timeoutMs: number): Promise<string> {
  const { default: nodemailer } = await import('nodemailer');
  const transport = nodemailer.createTransport({
    host: cfg.host, port: cfg.port, secure: cfg.secure,
    auth: cfg.user ? { user: cfg.user, pass: password ?? '' } : undefined,
    tls: cfg.allowInsecureTls ? { rejectUnauthorized: false } : undefined,
    connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs,
  });
  try {
    const m = emailMessage(d);
    const info = await transport.sendMail({ from: cfg.from, to: cfg.to, subject: m.subject, text: m.text, html: m.html });
    return String(info.response ?? 'sent');
  } finally {
    transport.close();
  }
}

/** HTML text: control and bidi characters shown as escapes, markup escaped. */
function h(s: string): string {
  return escapeControls(s).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}
