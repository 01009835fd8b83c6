// report.md: the reconciliation report as Markdown (reads in any viewer, diffs month to month).
// Every graph string passes through md(): third parties name their apps, so nothing is trusted — control
// and bidi characters show as escapes, and a name shows at most 200 characters (report.json has it all).
import { NAME_MAX, TEXT_MAX, WARNING_MAX, displayText } from './display-text.ts';
import type { FindingItem, ReportModel } from './model-types.ts';
import { SEVERITIES } from './reference.ts';
import { cap, day, minute, num, runRefs } from './text.ts';
import { FIX_FIRST_ROWS, NEVER_RUN, reachText } from './work-list.ts';
import { ACCEPTED_RISKS_LEAD, acceptedRiskRows } from './accepted-risks.ts';
import { aiAgentsMarkdown, blastRadiusMarkdown } from './render-reach.ts';

export interface RenderLimits { rowsPerSection: number; findingsPerOwner: number; owners: number; connectors: number }
export const DEFAULT_LIMITS: RenderLimits = { rowsPerSection: 200, findingsPerOwner: 25, owners: 150, connectors: 300 };

/** One table cell or line of text: on one line, controls shown, at most `max` characters, Markdown and inline HTML escaped. */
export function md(s: unknown, max = NAME_MAX): string {
  return displayText(String(s ?? '').replace(/[\r\n\t]+/g, ' '), max)
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]|~])/g, '\\$1');
}

export function renderMarkdown(m: ReportModel, limits: RenderLimits = DEFAULT_LIMITS): string {
  const L: string[] = [];
  const s = m.summary;
  const table = (head: string[], rows: (string | number)[][]) => {
    L.push(`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`);
    for (const r of rows) L.push(`| ${r.join(' | ')} |`);
    L.push('');
  };
  const capped = <T,>(items: T[], n: number, what: string, csv: string): T[] => {
    if (items.length > n) L.push(`_Showing ${num(n)} of ${num(items.length)} ${what}, most severe first; all of them are in ${csv}._`, '');
    return items.slice(0, n);
  };

  L.push(`# Non-human identity reconciliation report — ${md(m.organisation)}`, '');
  L.push(`**Period:** ${m.month} (${day(m.period.start)} to ${day(new Date(Date.parse(m.period.end) - 1).toISOString())})  `);
  L.push(`**Figures as of:** ${minute(m.asOf)}  `);
  L.push(`**Reconciliation:** ${m.reconciliation ? `#${m.reconciliation.id}, ${minute(m.reconciliation.finishedAt ?? m.reconciliation.startedAt)}` : 'none'}  `);
  L.push(`**Inventory:** ${m.reconciliation?.inventoryFile ? `${md(m.reconciliation.inventoryFile, TEXT_MAX)} (sha256 \`${md(m.reconciliation.inventoryHash ?? 'unknown')}\`)` : 'none'}  `);
  L.push(`**Generated:** ${minute(m.generatedAt)} by nhi-census ${md(m.toolVersion)}`, '');
  if (m.warnings.length) {
    L.push('> **Read this first — coverage is incomplete**', '>');
    for (const w of m.warnings) L.push(`> - ${md(w, WARNING_MAX)}`);
    L.push('');
  }
  if (m.notes.length) {
    L.push('**Coverage notes (informational)**', '');
    for (const n of m.notes) L.push(`- ${md(n, WARNING_MAX)}`);
    L.push('');
  }
  renderFixFirst(m, L);
  L.push('## Crawl runs this report is based on', '');
  table(['Provider', 'Run', 'Started', 'Finished', 'Completeness', 'Listings complete'],
    m.crawls.map((c) => [md(c.provider), runRefs(c.runIds), minute(c.startedAt), minute(c.finishedAt), c.completeness === 'complete' ? 'complete' : `**${c.completeness.toUpperCase()}**`,
      `${c.resources.length - c.incomplete.length} of ${c.resources.length}`]));

  L.push('## Summary', '');
  table(['Figure', 'Value'], [
    ['Connectors found', num(s.connectors.total)],
    ['Approved (matched an inventory entry)', s.connectors.approved === null ? 'not reconciled' : num(s.connectors.approved)],
    ['Unapproved', s.connectors.unapproved === null ? 'not reconciled' : num(s.connectors.unapproved)],
    ['Orphaned connectors', `${num(s.orphans.connectors)} (${num(s.orphans.findings)} findings)`],
    ['Connectors with scope drift', `${num(s.scopeDrift.connectors)} (${num(s.scopeDrift.findings)} findings)`],
    ['Open findings', num(s.findings.open)],
    ...SEVERITIES.map((v) => [`— ${v}`, num(s.findings.bySeverity[v])]),
  ]);
  L.push('### Connectors by provider and kind', '');
  table(['Provider', 'Kind', 'Connectors', 'Approved', 'Unapproved'], s.connectors.byProvider.flatMap((p) => p.byType.map((t) => [md(p.provider), md(t.label), num(t.count),
    t.approved === null ? '—' : num(t.approved), t.approved === null ? '—' : num(t.count - t.approved)])));
  L.push('### Credential hygiene', '');
  table(['Figure', 'Credentials'], [
    ['Credentials found', num(s.credentials.total)],
    ['Static secrets', num(s.credentials.static)],
    ['Static, no expiry', num(s.credentials.noExpiry)],
    ['Expired but still present', num(s.credentials.expired)],
    [`Static, older than the rotation policy (${m.thresholds.maxCredentialAgeDays} days unless the entry sets rotation_days)`, num(s.credentials.olderThanMaxAge)],
    [`Unused for ${m.thresholds.dormantDays} days (where last use is known)`, num(s.credentials.unused)],
    ['Credential-hygiene findings', num(s.credentials.findings)],
  ]);
  L.push(`### Trend (${m.trend.basis === 'month' ? 'last reconciliation of each month' : 'per reconciliation — fewer than two months of history'})`, '');
  if (m.trend.points.length) table(['Point', 'Connectors', 'Open findings', ...SEVERITIES.map(cap)], m.trend.points.map((p) => [md(p.label), num(p.connectors), num(p.open), ...SEVERITIES.map((v) => num(p.bySeverity[v]))]));
  else L.push('_No reconciliation history yet._', '');

  blastRadiusMarkdown(m, L);
  aiAgentsMarkdown(m, L);
  renderChanges(m, L, table, capped, limits);

  L.push('## Findings by rule family', '');
  if (!m.families.length) L.push(m.reconciliation ? '_No open findings._' : '_Not reconciled: no findings available._', '');
  for (const f of m.families) {
    L.push(`### ${md(f.title)} (${num(f.findings.length)})`, '', f.why ? `_${md(f.why, TEXT_MAX)}_` : '', '');
    table(['Severity', 'Connector', 'Provider', 'Owner(s)', 'Finding and evidence', 'Remediation', 'Frameworks', 'Open since'],
      capped(f.findings, limits.rowsPerSection, 'findings', 'findings.csv').map(findingRow));
  }

  if (m.notVerifiable.length) {
    L.push('## Approved inventory entries not verifiable (coverage)', '',
      '_The listings that could have found these entries did not complete, so their absence is not evidence: no “approved but not found” finding is raised for them._', '');
    table(['Entry', 'Provider', 'Status', 'Listings that did not complete'],
      capped(m.notVerifiable, limits.rowsPerSection, 'entries', 'report.json').map((n) => [md(n.name), md(n.provider ?? 'any'), n.status, md(n.reason, TEXT_MAX)]));
  }

  if (m.acceptedRisks.length) {
    L.push('## Accepted risks', '', `_${md(ACCEPTED_RISKS_LEAD, TEXT_MAX)}_`, '');
    table(['Severity', 'Rule', 'Subject', 'Provider', 'Reason', 'Ticket', 'Expires', 'Status'],
      capped(acceptedRiskRows(m.acceptedRisks), limits.rowsPerSection, 'accepted risks', 'report.json').map((a) => [a.severity, md(a.rule), md(a.subject), md(a.provider),
        md(a.reason, TEXT_MAX), md(a.ticket), md(a.expires), md(a.status)]));
  }

  L.push('## Per-owner view', '', '_What each active owner must review (departed people are never assigned: they appear beside a finding as context). Findings with nobody active to route to are listed under “(no active owner known)”._', '');
  for (const o of capped(m.owners, limits.owners, 'owners', 'findings.csv (owners column)')) {
    L.push(`### ${md(o.owner)} — ${SEVERITIES.filter((v) => o.bySeverity[v]).map((v) => `${o.bySeverity[v]} ${v}`).join(', ')}`, '');
    table(['Severity', 'Connector', 'Provider', 'Finding', 'Remediation'],
      capped(o.findings, limits.findingsPerOwner, 'findings', 'findings.csv').map((f) => [f.severity, md(f.connector), md(f.provider), md(f.title, TEXT_MAX), md(f.remediation, TEXT_MAX)]));
  }

  L.push('## Connectors', '');
  table(['Connector', 'Provider', 'Kind', 'Vendor', 'Approved', 'Owner(s)', 'Scopes', 'Reach', 'Open findings'],
    capped(m.connectors, limits.connectors, 'connectors', 'connectors.csv').map((c) => [md(c.name), md(c.provider), md(c.typeLabel), md(c.vendor ?? '—'),
      c.approved === null ? 'unknown' : c.approved ? `yes (${md(c.inventoryId)})` : '**no**', ownerList(c.owners, '—'), num(c.scopeCount),
      c.reach ? `${c.reachPrivilege ? `${c.reachPrivilege}: ` : ''}${md(c.reach, TEXT_MAX)}` : '—', c.openFindings ? `${c.openFindings} (worst ${c.worstSeverity})` : '0']));

  L.push('## Appendix A — framework mapping', '', '### OWASP Non-Human Identities Top 10 (2025)', '');
  table(['Id', 'Risk', 'Open findings', 'Rules'], m.appendix.owasp.map((o) => [o.id, md(o.title, TEXT_MAX), num(o.count), md(o.rules.join(', ') || '—', TEXT_MAX)]));
  L.push('### NIST Cybersecurity Framework 2.0', '');
  if (m.appendix.nist.length) table(['Subcategory', 'Outcome', 'Open findings', 'Rules'], m.appendix.nist.map((o) => [o.id, md(o.title, TEXT_MAX), num(o.count), md(o.rules.join(', '), TEXT_MAX)]));
  else L.push('_No findings reference a NIST CSF 2.0 subcategory._', '');
  L.push('## Appendix B — method', '',
    'nhi-census crawled each provider below with read-only credentials through the providers\' official APIs, wrote what it found into a local SQLite graph, ' +
    'and compared it with the approved inventory. A connector is only considered removed when the listing that should have returned it completed; ' +
    'a failed or partial listing never makes anything look decommissioned. Every figure in this report is computed from that graph.', '');
  for (const c of m.crawls) {
    L.push(`### ${md(c.provider)} — ${c.runIds.length > 1 ? 'runs' : 'run'} ${runRefs(c.runIds)} (${c.completeness})`, '');
    for (const a of c.access) L.push(`- ${md(a, TEXT_MAX)}`);
    L.push('');
    table(['Tenant', 'Resource', 'Status', 'Objects', 'Error'], c.resources.map((r) => [md(r.tenant), md(r.resourceType), r.status === 'complete' ? 'complete' : `**${r.status}**`, num(r.objects), md(r.error ?? '', TEXT_MAX)]));
  }
  L.push('## Sign-off', '', md(m.signOff.statement, TEXT_MAX), '');
  table(['', ''], m.signOff.fields.map((f) => [md(f), ' ']));
  return L.join('\n').replace(/\n{3,}/g, '\n\n');
}

/** Owners' names, each escaped and capped, or `none` when there are none; then the context (departed people), in italics. */
function ownerList(owners: string[], none: string, context: string[] = []): string {
  return (owners.length ? owners.map((o) => md(o)).join(', ') : none) + context.map((c) => ` _(${md(c)})_`).join('');
}

/** A command as a code span (safe: generators build them from shape-checked values), or escaped text if it could break out. */
function mdCode(s: string): string {
  return /[`|\r\n]/.test(s) ? md(s, TEXT_MAX) : `\`${displayText(s, TEXT_MAX)}\``;
}

/** The object-specific remediation of a finding: console page and command (never run by the tool). */
function actionText(f: FindingItem, sep: string): string {
  const a = f.action;
  if (!a) return '';
  return [a.consoleUrl ? `${sep}Console: ${md(a.consoleUrl, TEXT_MAX)}` : '', a.command ? `${sep}Command: ${mdCode(a.command)}` : ''].join('');
}

/** "Fix these first": the open findings with the highest severity × reach, with owner, due date, ticket and the fix. */
function renderFixFirst(m: ReportModel, L: string[]): void {
  if (!m.reconciliation) return;
  L.push('## Fix these first', '', `_Open findings ordered by severity × reach (resources, users who granted it, third-party publisher, the privilege its reach paths end on; docs/report.md). `
    + `Due dates: first seen + the inventory's sla_days (${SEVERITIES.filter((s) => m.policy.slaDays[s] !== undefined).map((s) => `${s} ${m.policy.slaDays[s]} d`).join(', ')}). `
    + `All ${num(m.fixFirst.length)} are in findings.csv in this order. ${NEVER_RUN}_`, '');
  if (!m.fixFirst.length) { L.push('_No open findings._', ''); return; }
  m.fixFirst.slice(0, FIX_FIRST_ROWS).forEach((f, i) => {
    L.push(`${i + 1}. **${f.severity}** · ${md(f.connector)} (${md(f.provider)}) — ${md(f.title, TEXT_MAX)}  `,
      `   Reach: ${md(reachText(f.reach))} · Owner: ${md(f.ownerEmail ?? 'none known')} · Due: ${f.dueDate ?? '—'}${f.overdue ? ' **OVERDUE**' : ''}`
      + ` · Ticket: ${md(f.ticket ?? '—')}${actionText(f, '  \n   ')}`);
  });
  L.push('');
}

function findingRow(f: FindingItem): string[] {
  return [f.severity === 'critical' || f.severity === 'high' ? `**${f.severity}**` : f.severity, md(f.connector), md(f.provider), ownerList(f.owners, 'no active owner known', f.ownerContext),
    `${md(f.title, TEXT_MAX)}${f.evidenceText ? `<br>${md(f.evidenceText, TEXT_MAX)}` : ''}`, `${md(f.remediation, TEXT_MAX)}${actionText(f, '<br>')}`, md([...f.owasp, ...f.nist].join(', ') || '—', TEXT_MAX),
    `${day(f.firstSeenAt)} (${f.openDays} d)${f.change === 'new' ? ' · new' : ''}${f.carried ? ' · not verifiable (coverage)' : ''}`];
}

function renderChanges(m: ReportModel, L: string[], table: (h: string[], r: (string | number)[][]) => void,
  capped: <T>(items: T[], n: number, what: string, csv: string) => T[], limits: RenderLimits): void {
  const c = m.changes;
  L.push('## What changed since the previous report', '');
  if (!c.baseline) {
    L.push('_No previous report or earlier reconciliation exists to compare with: this is the first report. Next month\'s report will show changes against this one._', '');
    return;
  }
  const b = c.baseline;
  L.push(`Compared with ${b.how === 'previous report' ? `report #${b.reportId} for ${b.month} (generated ${minute(b.generatedAt)})` : `the last reconciliation of ${b.month}`}` +
    `${b.reconId != null ? `, reconciliation #${b.reconId}` : ''}, figures as of ${minute(b.at)}.`, '');
  table(['Change', 'Count'], [
    ['New connectors', num(c.newConnectors.length)], ['Removed connectors', num(c.removedConnectors.length)], ['Scope changes', num(c.scopeChanges.length)],
    ['New findings', num(c.newFindings)], ['Resolved findings', num(c.resolvedFindings.length)], ['Persisting findings', num(c.persistingFindings)],
  ]);
  if (c.newProviders.length) L.push(`Providers crawled for the first time: ${c.newProviders.map((p) => md(p)).join(', ')} — all their connectors are new to the report.`, '');
  if (c.newConnectors.length) { L.push('### New connectors', ''); table(['Connector', 'Provider', 'Kind', 'First seen'], capped(c.newConnectors, limits.rowsPerSection, 'new connectors', 'connectors.csv').map((x) => [md(x.name), md(x.provider), md(x.typeLabel), day(x.at)])); }
  if (c.removedConnectors.length) { L.push('### Removed connectors', ''); table(['Connector', 'Provider', 'Kind', 'Removed'], capped(c.removedConnectors, limits.rowsPerSection, 'removed connectors', 'report.json').map((x) => [md(x.name), md(x.provider), md(x.typeLabel), day(x.at)])); }
  if (c.scopeChanges.length) { L.push('### Scope changes', ''); table(['Holder', 'Provider', 'Scope', 'Change', 'Run', 'When'], capped(c.scopeChanges, limits.rowsPerSection, 'scope changes', 'report.json').map((x) => [md(x.holder), md(x.provider), md(x.scope), x.change, `#${x.runId}`, day(x.at)])); }
  if (c.resolvedFindings.length) { L.push('### Resolved findings', ''); table(['Severity', 'Connector', 'Finding'], capped(c.resolvedFindings, limits.rowsPerSection, 'resolved findings', 'report.json').map((f) => [f.severity, md(f.connector), md(f.title, TEXT_MAX)])); }
  L.push('### How long open findings have been open', '');
  table(['Open for', 'Findings'], c.ageBuckets.map((a) => [a.label, num(a.count)]));
}
