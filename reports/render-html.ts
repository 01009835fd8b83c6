// report.html: one self-contained page (inline CSS, inline SVG charts, no script, no network) that
// opens offline and prints to PDF. Tables are sorted by severity; long ones show their first rows and
// fold the rest into <details>; each section is capped (with a note) so 100,000 connectors stay usable —
// the complete data is in findings.csv / connectors.csv / report.json. Every graph string goes through h();
// a provider-supplied one in the page's text through isolated() (capped, in <bdi>), and long strings wrap.
import { displayText, TEXT_MAX, WARNING_MAX } from './display-text.ts';
import { h, isolated } from './html-escape.ts';
import { CSS, pageRules } from './html-style.ts';
import { DEFAULT_LIMITS, type RenderLimits } from './render-markdown.ts';
import type { FindingItem, ReportModel, SeverityCounts } from './model-types.ts';
import { SEVERITIES, SEVERITY_COLOURS } from './reference.ts';
import { barChart, stackedBars, stackedColumns } from './svg-charts.ts';
import { cap, day, minute, num, runRefs } from './text.ts';
import { FIX_FIRST_ROWS, NEVER_RUN, reachText } from './work-list.ts';
import { ACCEPTED_RISKS_LEAD, acceptedRiskRows } from './accepted-risks.ts';
import { aiAgentsHtml, blastRadiusHtml } from './render-reach.ts';

const VISIBLE_ROWS = 12;

export function renderHtml(m: ReportModel, limits: RenderLimits = DEFAULT_LIMITS): string {
  const monthName = new Date(m.period.start).toLocaleString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
  const body = [header(m, monthName), coverage(m), fixFirst(m), summaryCards(m), charts(m), crawlRuns(m), inventoryTables(m), blastRadiusHtml(m), aiAgentsHtml(m), changes(m, limits),
    families(m, limits), notVerifiable(m, limits), acceptedRisks(m, limits), owners(m, limits), connectors(m, limits), appendix(m), signOff(m),
    `<footer>Generated ${h(minute(m.generatedAt))} by nhi-census ${h(m.toolVersion)} from the local graph. Complete data: findings.csv, connectors.csv, report.json.</footer></main>`].join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${h(displayText(m.organisation))} — NHI reconciliation report ${h(m.month)}</title>
<style>${CSS}${pageRules(`${displayText(m.organisation)} — NHI reconciliation report ${m.month}`)}</style></head>
<body>${body}</body></html>
`;
}

function header(m: ReportModel, monthName: string): string {
  const r = m.reconciliation;
  const rows: [string, string][] = [
    ['Period', `${monthName} (${day(m.period.start)} – ${day(new Date(Date.parse(m.period.end) - 1).toISOString())})`],
    ['Figures as of', minute(m.asOf)],
    ['Reconciliation', r ? `#${r.id}, ${minute(r.finishedAt ?? r.startedAt)}` : 'none'],
    ['Inventory', r?.inventoryFile ?? 'none'],
    ['Inventory SHA-256', r?.inventoryHash ?? '—'],
    ['Crawl runs', m.crawls.map((c) => `${c.provider} ${runRefs(c.runIds)} (${day(c.startedAt)}, ${c.completeness})`).join('; ')],
  ];
  return `<header class="top"><div class="in"><div><div class="org">${isolated(m.organisation)}</div>
<h1>Non-human identity reconciliation report</h1><div>${h(monthName)} · ${h(m.crawls.map((c) => c.provider).join(', '))}</div></div>
<dl>${rows.map(([k, v]) => `<dt>${h(k)}</dt><dd>${h(displayText(v, TEXT_MAX))}</dd>`).join('')}</dl></div></header><main>
<nav class="toc noprint">${[['fix-first', 'Fix first'], ['summary', 'Summary'], ['blast-radius', 'Blast radius'], ['ai-agents', 'AI agents'], ['changes', 'Changes'], ['findings', 'Findings'], ['owners', 'Owners'], ['connectors', 'Connectors'], ['appendix', 'Frameworks'], ['method', 'Method'], ['signoff', 'Sign-off']]
    .map(([id, t]) => `<a href="#${id}">${t}</a>`).join('')}</nav>`;
}

function coverage(m: ReportModel): string {
  // listings the plan lacks: an informational line, never the red notice
  const notes = m.notes.length ? `<section class="info" id="coverage-notes"><ul>${m.notes.map((n) => `<li>${isolated(n, WARNING_MAX)}</li>`).join('')}</ul></section>` : '';
  if (m.warnings.length) {
    return `<section class="callout" id="coverage"><h2>Read this first — coverage is incomplete</h2><ul>${m.warnings.map((w) => `<li>${isolated(w, WARNING_MAX)}</li>`).join('')}</ul></section>${notes}`;
  }
  return notes + `<section class="ok" id="coverage">Coverage: every listing of ${m.crawls.length === 1 ? 'the' : `all ${m.crawls.length}`} crawled provider${m.crawls.length === 1 ? '' : 's'} (${h(m.crawls.map((c) => c.provider).join(', '))}) completed, and the figures below are reconciled against the approved inventory.</section>`;
}

function chips(c: SeverityCounts, all = false): string {
  return `<div class="chips">${SEVERITIES.filter((s) => all || c[s]).map((s) => `<span class="chip sev-${s}">${c[s]} ${s}</span>`).join('')}</div>`;
}

function summaryCards(m: ReportModel): string {
  const s = m.summary; const ch = m.changes;
  const card = (cls: string, k: string, v: string, sub: string) => `<div class="card ${cls}"><div class="k">${h(k)}</div><div class="v">${v}</div><div class="s">${sub}</div></div>`;
  const critHigh = s.findings.bySeverity.critical + s.findings.bySeverity.high;
  return `<h2 id="summary">Summary</h2><p class="exec">${h(headline(m))}</p><div class="cards">
${card('', 'Connectors found', num(s.connectors.total), s.connectors.approved === null ? 'not reconciled' : `${num(s.connectors.approved)} approved · <b>${num(s.connectors.unapproved!)}</b> unapproved`)}
${card(critHigh ? 'alert' : 'good', 'Open findings', num(s.findings.open), chips(s.findings.bySeverity))}
${card(s.orphans.connectors ? 'alert' : 'good', 'Orphaned connectors', num(s.orphans.connectors), 'no owner, or every owner has left')}
${card(s.scopeDrift.connectors ? 'warn' : 'good', 'Scope drift', num(s.scopeDrift.connectors), 'connectors granted more than approved')}
${card(s.credentials.findings ? 'warn' : 'good', 'Credential hygiene', num(s.credentials.findings), `findings · ${num(s.credentials.noExpiry)} of ${num(s.credentials.static)} static credentials never expire, ${num(s.credentials.expired)} expired`)}
${card('', 'Since last report', ch.baseline ? `+${num(ch.newFindings)} <span style="font-size:18px;color:#16a34a">−${num(ch.resolvedFindings.length)}</span>` : '—',
    ch.baseline ? `new / resolved findings · ${num(ch.newConnectors.length)} new, ${num(ch.removedConnectors.length)} removed connectors` : 'first report: nothing to compare with')}
</div>`;
}

/** One paragraph a CISO can quote: the headline figures in words. */
export function headline(m: ReportModel): string {
  const s = m.summary; const c = m.changes; const b = s.findings.bySeverity;
  const parts = [`${num(s.connectors.total)} connectors across ${m.crawls.length} provider${m.crawls.length === 1 ? '' : 's'}`];
  if (s.connectors.unapproved !== null) parts.push(`${num(s.connectors.unapproved)} not in the approved inventory`);
  let text = parts.join(', ') + `. ${num(s.findings.open)} open finding${s.findings.open === 1 ? '' : 's'}` +
    (s.findings.open ? ` (${num(b.critical)} critical, ${num(b.high)} high)` : '') +
    `; ${num(s.orphans.connectors)} orphaned, ${num(s.scopeDrift.connectors)} with scope drift.`;
  if (c.baseline) text += ` Since ${c.baseline.month ?? 'the previous report'}: ${num(c.newFindings)} new and ${num(c.resolvedFindings.length)} resolved findings, ${num(c.newConnectors.length)} new and ${num(c.removedConnectors.length)} removed connectors.`;
  if (m.warnings.length) text += ' Coverage is incomplete — see the notice above.';
  return text;
}

function charts(m: ReportModel): string {
  const s = m.summary;
  const sev = barChart('Open findings by severity', SEVERITIES.map((v) => ({ label: cap(v), value: s.findings.bySeverity[v], colour: SEVERITY_COLOURS[v] })));
  const prov = stackedBars('Connectors by provider', s.connectors.byProvider.map((p) => ({
    label: p.provider, parts: p.approved === null ? [{ name: 'not reconciled', value: p.total, colour: '#94a3b8' }]
      : [{ name: 'approved', value: p.approved, colour: '#16a34a' }, { name: 'unapproved', value: p.unapproved!, colour: '#dc2626' }],
  })));
  const trend = stackedColumns('Open findings over time', m.trend.points.map((p) => ({
    label: p.label, parts: SEVERITIES.map((v) => ({ name: v, value: p.bySeverity[v], colour: SEVERITY_COLOURS[v] })).reverse(),
  })), { legend: SEVERITIES.map((v) => ({ name: v, colour: SEVERITY_COLOURS[v] })) });
  const age = barChart('How long open findings have been open', m.changes.ageBuckets.map((a, i) => ({ label: a.label, value: a.count, colour: ['#94a3b8', '#f59e0b', '#ea580c', '#b91c1c'][i] ?? '#64748b' })), { labelWidth: 130 });
  const fam = barChart('Open findings by rule family', s.findings.byFamily.map((f) => ({ label: f.title, value: f.count, colour: '#0b3b5c' })), { labelWidth: 270, width: 760 });
  const panel = (t: string, svg: string, note = '', cls = '') => `<div class="panel${cls ? ` ${cls}` : ''}"><h3>${h(t)}</h3>${svg}${note ? `<p class="note">${h(note)}</p>` : ''}</div>`;
  return `<div class="charts">
${panel('Open findings by severity', sev)}
${panel('Connectors by provider', prov, s.connectors.approved === null ? 'No reconciliation: approval unknown.' : 'Approved = matched an entry of the approved inventory.')}
${panel(m.trend.basis === 'month' ? 'Trend — open findings, last reconciliation of each month' : 'Trend — open findings per reconciliation', trend,
    m.trend.basis === 'month' ? '' : 'Fewer than two months of history: one column per reconciliation.')}
${panel('How long open findings have been open', age, m.changes.oldestOpenDays !== null ? `Oldest open finding: ${m.changes.oldestOpenDays} days.` : '')}
${s.findings.byFamily.length ? panel('Open findings by rule family', fam, '', 'wide') : ''}
</div>`;
}

function table(head: string[], rows: string[], numericCols: number[] = [], more = 'rows'): string {
  const th = `<thead><tr>${head.map((x, i) => `<th${numericCols.includes(i) ? ' class="n"' : ''}>${h(x)}</th>`).join('')}</tr></thead>`;
  if (rows.length <= VISIBLE_ROWS + 3) return `<table>${th}<tbody>${rows.join('')}</tbody></table>`;
  return `<table>${th}<tbody>${rows.slice(0, VISIBLE_ROWS).join('')}</tbody></table>` +
    `<details class="more"><summary>Show ${num(rows.length - VISIBLE_ROWS)} more ${h(more)}</summary><table>${th}<tbody>${rows.slice(VISIBLE_ROWS).join('')}</tbody></table></details>`;
}

function capNote(total: number, shown: number, what: string, where: string): string {
  return total > shown ? `<p class="capnote">Showing the ${num(shown)} most severe of ${num(total)} ${h(what)}. All of them are in <b>${h(where)}</b>.</p>` : '';
}

function crawlRuns(m: ReportModel): string {
  return `<h2 id="runs">Crawl runs this report is based on</h2>` + table(['Provider', 'Run', 'Started', 'Finished', 'Completeness', 'Listings complete'],
    m.crawls.map((c) => `<tr><td class="name">${h(c.provider)}</td><td>${runRefs(c.runIds)}</td><td>${h(minute(c.startedAt))}</td><td>${h(minute(c.finishedAt))}</td>` +
      `<td>${c.completeness === 'complete' ? '<span class="tag yes">complete</span>' : `<span class="tag no">${h(c.completeness)}</span>`}</td>` +
      `<td class="n">${c.resources.length - c.incomplete.length} of ${c.resources.length}</td></tr>`), [5]);
}

function inventoryTables(m: ReportModel): string {
  const s = m.summary; const c = s.credentials;
  const kinds = table(['Provider', 'Kind', 'Connectors', 'Approved', 'Unapproved'], s.connectors.byProvider.flatMap((p) => [
    ...p.byType.map((t) => `<tr><td>${h(p.provider)}</td><td>${h(t.label)}</td><td class="n">${num(t.count)}</td><td class="n">${t.approved === null ? '—' : num(t.approved)}</td><td class="n">${t.approved === null ? '—' : num(t.count - t.approved)}</td></tr>`),
    `<tr><td class="name" colspan="2">${h(p.provider)} — all kinds</td><td class="n"><b>${num(p.total)}</b></td><td class="n">${p.approved === null ? '—' : num(p.approved)}</td><td class="n">${p.unapproved === null ? '—' : `<b>${num(p.unapproved)}</b>`}</td></tr>`,
  ]), [2, 3, 4], 'kinds');
  const cred = table(['Credential hygiene', 'Credentials'], ([
    ['Credentials found', c.total], ['Static secrets', c.static], ['Static, no expiry', c.noExpiry], ['Expired but still present', c.expired],
    [`Static, older than the rotation policy (${m.thresholds.maxCredentialAgeDays} days unless the entry sets rotation_days)`, c.olderThanMaxAge], [`Unused for ${m.thresholds.dormantDays}+ days (where last use is known)`, c.unused],
    ['Credential-hygiene findings', c.findings],
  ] as [string, number][]).map(([k, v]) => `<tr><td>${h(k)}</td><td class="n">${num(v)}</td></tr>`), [1]);
  return `<h2 id="inventory">Connectors and credentials</h2><div class="grid2"><div>${kinds}</div><div>${cred}</div></div>`;
}

function changes(m: ReportModel, limits: RenderLimits): string {
  const c = m.changes;
  let out = '<h2 id="changes">What changed since the previous report</h2>';
  if (!c.baseline) return out + '<p class="lead">No previous report or earlier reconciliation exists to compare with: this is the first report. Next month\'s report will show changes against this one.</p>';
  const b = c.baseline;
  out += `<p class="lead">Compared with ${b.how === 'previous report' ? `report #${b.reportId} for ${h(b.month)} (generated ${h(minute(b.generatedAt))})` : `the last reconciliation of ${h(b.month)}`}` +
    `${b.reconId != null ? `, reconciliation #${b.reconId}` : ''}; figures then as of ${h(minute(b.at))}.</p>`;
  out += `<div class="cards">${[['New connectors', c.newConnectors.length], ['Removed connectors', c.removedConnectors.length], ['Scope changes', c.scopeChanges.length],
    ['New findings', c.newFindings], ['Resolved findings', c.resolvedFindings.length], ['Persisting findings', c.persistingFindings]]
    .map(([k, v]) => `<div class="card"><div class="k">${k}</div><div class="v">${num(v as number)}</div></div>`).join('')}</div>`;
  if (c.newProviders.length) out += `<p>Crawled for the first time: <b>${h(c.newProviders.join(', '))}</b> — all their connectors are new to the report.</p>`;
  const n = limits.rowsPerSection;
  const grid: string[] = [];
  if (c.newConnectors.length) grid.push(`<div><h3>New connectors</h3>${capNote(c.newConnectors.length, n, 'new connectors', 'connectors.csv')}` + table(['Connector', 'Provider', 'Kind', 'First seen'],
    c.newConnectors.slice(0, n).map((x) => `<tr><td class="name">${isolated(x.name)}</td><td>${h(x.provider)}</td><td>${h(x.typeLabel)}</td><td class="d">${h(day(x.at))}</td></tr>`), [], 'connectors') + '</div>');
  if (c.removedConnectors.length) grid.push(`<div><h3>Removed connectors</h3>${capNote(c.removedConnectors.length, n, 'removed connectors', 'report.json')}` + table(['Connector', 'Provider', 'Kind', 'Removed'],
    c.removedConnectors.slice(0, n).map((x) => `<tr><td class="name">${isolated(x.name)}</td><td>${h(x.provider)}</td><td>${h(x.typeLabel)}</td><td class="d">${h(day(x.at))}</td></tr>`), [], 'connectors') + '</div>');
  if (grid.length) out += `<div class="grid2">${grid.join('')}</div>`;
  if (c.scopeChanges.length) out += `<h3>Scope changes</h3>${capNote(c.scopeChanges.length, n, 'scope changes', 'report.json')}` + table(['Holder', 'Provider', 'Scope', 'Change', 'Run', 'When'],
    c.scopeChanges.slice(0, n).map((x) => `<tr><td class="name">${isolated(x.holder)}</td><td>${h(x.provider)}</td><td><code>${isolated(x.scope)}</code></td>` +
      `<td><span class="tag ${x.change === 'added' ? 'no' : x.change === 'removed' ? 'yes' : ''}">${h(x.change)}</span></td><td>#${x.runId}</td><td class="d">${h(day(x.at))}</td></tr>`), [], 'scope changes');
  if (c.resolvedFindings.length) out += `<h3>Resolved since the previous report</h3>${capNote(c.resolvedFindings.length, n, 'resolved findings', 'report.json')}` + table(['Severity then', 'Connector', 'Finding'],
    c.resolvedFindings.slice(0, n).map((f) => `<tr><td class="sev bar-${f.severity}"><span class="chip sev-${f.severity}">${f.severity}</span></td><td class="name">${isolated(f.connector)}</td><td>${isolated(f.title, TEXT_MAX)}</td></tr>`), [], 'findings');
  return out;
}

/** Owners' names, each isolated and capped, or `none` when there are none; then the context (departed people), small. */
function ownerList(owners: string[], none: string, context: string[] = []): string {
  return (owners.length ? owners.map((o) => isolated(o)).join(', ') : h(none)) + context.map((c) => ` <small>(${isolated(c)})</small>`).join('');
}

/** The object-specific remediation: console link and command (never run by the tool). */
function actionHtml(f: FindingItem): string {
  const a = f.action;
  if (!a) return '';
  const url = a.consoleUrl && /^https:\/\//.test(a.consoleUrl) ? `<span class="ev">Console: <a href="${h(a.consoleUrl)}" rel="noreferrer">${h(displayText(a.consoleUrl, TEXT_MAX))}</a></span>` : '';
  const cmd = a.command ? `<span class="ev">Command: <code class="cmd">${h(displayText(a.command, TEXT_MAX))}</code></span>` : '';
  return url + cmd;
}

/** "Fix these first": the open findings with the highest severity × reach, with owner, due date, ticket and the fix. */
function fixFirst(m: ReportModel): string {
  if (!m.reconciliation) return '';
  const sla = SEVERITIES.filter((s) => m.policy.slaDays[s] !== undefined).map((s) => `${s} ${m.policy.slaDays[s]} d`).join(', ');
  let out = `<h2 id="fix-first">Fix these first</h2><p class="lead">Open findings ordered by severity × reach (resources, users who granted it, third-party publisher, the privilege its reach paths end on). `
    + `Due dates: first seen + the inventory's sla_days (${h(sla)}). All ${num(m.fixFirst.length)} are in findings.csv in this order. ${h(NEVER_RUN)}</p>`;
  if (!m.fixFirst.length) return out + '<p class="lead">No open findings.</p>';
  out += `<table class="fixfirst"><thead><tr><th class="n">#</th><th>Severity</th><th>Finding</th><th>Reach</th><th>Owner</th><th>Due</th><th>Ticket</th><th>Fix</th></tr></thead><tbody>`
    + m.fixFirst.slice(0, FIX_FIRST_ROWS).map((f, i) => `<tr><td class="n">${i + 1}</td><td class="sev bar-${f.severity}"><span class="chip sev-${f.severity}">${f.severity}</span></td>`
      + `<td><b>${isolated(f.connector)}</b> <span class="tag">${h(f.provider)}</span><span class="ev">${isolated(f.title, TEXT_MAX)}</span></td>`
      + `<td>${h(reachText(f.reach))}</td><td>${f.ownerEmail ? isolated(f.ownerEmail) : 'none known'}</td>`
      + `<td class="d">${h(f.dueDate ?? '—')}${f.overdue ? ' <span class="tag no">overdue</span>' : ''}</td><td>${f.ticket ? isolated(f.ticket) : '—'}</td>`
      + `<td>${isolated(f.remediation, TEXT_MAX)}${actionHtml(f)}</td></tr>`).join('') + '</tbody></table>';
  return out;
}

function findingRow(f: FindingItem): string {
  const fw = [...f.owasp, ...f.nist].map((x) => `<span class="fw">${h(x)}</span>`).join('') || '—';
  return `<tr><td class="sev bar-${f.severity}"><span class="chip sev-${f.severity}">${f.severity}</span></td>` +
    `<td class="name">${isolated(f.connector)}${f.change === 'new' ? '<span class="tag new">new</span>' : ''}${f.carried ? '<span class="tag" title="its provider\'s crawl was incomplete">not verifiable (coverage)</span>' : ''}${f.subject && f.subject !== f.connector ? `<span class="ev">${isolated(f.subject)}</span>` : ''}</td>` +
    `<td>${h(f.provider)}</td><td>${ownerList(f.owners, 'no active owner known', f.ownerContext)}</td>` +
    `<td>${isolated(f.title, TEXT_MAX)}${f.evidenceText ? `<span class="ev">${isolated(f.evidenceText, TEXT_MAX)}</span>` : ''}</td><td>${isolated(f.remediation, TEXT_MAX)}${actionHtml(f)}</td><td>${fw}</td>` +
    `<td class="d">${h(day(f.firstSeenAt))}<span class="ev">${f.openDays} days</span></td></tr>`;
}

function families(m: ReportModel, limits: RenderLimits): string {
  let out = '<h2 id="findings">Findings by rule family</h2>';
  if (!m.families.length) return out + `<p class="lead">${m.reconciliation ? 'No open findings.' : 'Not reconciled: no findings available.'}</p>`;
  for (const f of m.families) {
    out += `<h3 id="family-${h(f.id)}">${h(f.title)} <span class="tag">${num(f.findings.length)}</span></h3>${f.why ? `<p class="fam-why">${h(f.why)}</p>` : ''}` +
      capNote(f.findings.length, limits.rowsPerSection, 'findings', 'findings.csv') +
      table(['Severity', 'Connector', 'Provider', 'Owner(s)', 'Finding and evidence', 'Remediation', 'Frameworks', 'Open since'],
        f.findings.slice(0, limits.rowsPerSection).map(findingRow), [], 'findings');
  }
  return out;
}

function notVerifiable(m: ReportModel, limits: RenderLimits): string {
  if (!m.notVerifiable.length) return '';
  const n = limits.rowsPerSection;
  return '<h2 id="not-verifiable">Approved inventory entries not verifiable (coverage)</h2><p class="lead">The listings that could have found these entries did not complete, ' +
    'so their absence is not evidence: no “approved but not found” finding is raised for them.</p>' + capNote(m.notVerifiable.length, n, 'entries', 'report.json') +
    table(['Entry', 'Provider', 'Status', 'Listings that did not complete'], m.notVerifiable.slice(0, n).map((x) => `<tr><td class="name">${isolated(x.name)}</td>` +
      `<td>${h(x.provider ?? 'any')}</td><td><span class="tag no">${h(x.status)}</span></td><td>${isolated(x.reason, TEXT_MAX)}</td></tr>`), [], 'entries');
}

function acceptedRisks(m: ReportModel, limits: RenderLimits): string {
  if (!m.acceptedRisks.length) return '';
  const rows = acceptedRiskRows(m.acceptedRisks);
  const n = limits.rowsPerSection;
  return `<h2 id="accepted-risks">Accepted risks</h2><p class="lead">${h(ACCEPTED_RISKS_LEAD)}</p>` + capNote(rows.length, n, 'accepted risks', 'report.json') +
    table(['Severity', 'Rule', 'Subject', 'Provider', 'Reason', 'Ticket', 'Expires', 'Status'], rows.slice(0, n).map((a) => `<tr><td class="sev bar-${h(a.severity)}"><span class="chip sev-${h(a.severity)}">${h(a.severity)}</span></td>` +
      `<td>${h(a.rule)}</td><td class="name">${isolated(a.subject)}</td><td>${h(a.provider)}</td><td>${isolated(a.reason, TEXT_MAX)}</td><td>${isolated(a.ticket)}</td>` +
      `<td>${h(a.expires)}</td><td>${a.status.startsWith('acceptance expired') ? `<span class="tag no">${h(a.status)}</span>` : h(a.status)}</td></tr>`), [], 'accepted risks');
}

function owners(m: ReportModel, limits: RenderLimits): string {
  let out = '<h2 id="owners">Per-owner view</h2><p class="lead">What each active owner must review, most severe first (departed people are never assigned: they appear beside a finding as context). Findings with nobody active to route to are grouped under “(no active owner known)”.</p>';
  out += capNote(m.owners.length, limits.owners, 'owners', 'findings.csv (owners column)');
  for (const o of m.owners.slice(0, limits.owners)) {
    out += `<details class="owner"><summary>${isolated(o.owner)} — ${num(o.findings.length)} finding${o.findings.length === 1 ? '' : 's'} ${chips(o.bySeverity).replace('<div class="chips">', '<span class="chips" style="display:inline-flex">').replace(/<\/div>$/, '</span>')}</summary>` +
      capNote(o.findings.length, limits.findingsPerOwner, 'findings', 'findings.csv') +
      `<table><thead><tr><th>Severity</th><th>Connector</th><th>Provider</th><th>Finding</th><th>Remediation</th></tr></thead><tbody>` +
      o.findings.slice(0, limits.findingsPerOwner).map((f) => `<tr><td class="sev bar-${f.severity}"><span class="chip sev-${f.severity}">${f.severity}</span></td><td class="name">${isolated(f.connector)}</td><td>${h(f.provider)}</td><td>${isolated(f.title, TEXT_MAX)}</td><td>${isolated(f.remediation, TEXT_MAX)}</td></tr>`).join('') +
      '</tbody></table></details>';
  }
  return out;
}

function connectors(m: ReportModel, limits: RenderLimits): string {
  const n = limits.connectors;
  return `<h2 id="connectors">All connectors</h2><details class="more"><summary>Show the connector list (${num(m.connectors.length)})</summary>` +
    capNote(m.connectors.length, n, 'connectors', 'connectors.csv') +
    `<table><thead><tr><th>Connector</th><th>Provider</th><th>Kind</th><th>Vendor</th><th>Approved</th><th>Owner(s)</th><th class="n">Scopes</th><th>Reach</th><th class="n">Open findings</th></tr></thead><tbody>` +
    m.connectors.slice(0, n).map((c) => `<tr><td class="name">${isolated(c.name)}</td><td>${h(c.provider)}</td><td>${h(c.typeLabel)}</td><td>${c.vendor ? isolated(c.vendor) : '—'}</td>` +
      `<td>${c.approved === null ? 'unknown' : c.approved ? `<span class="tag yes">yes</span> ${isolated(c.inventoryId)}` : '<span class="tag no">no</span>'}</td>` +
      `<td>${ownerList(c.owners, '—')}</td><td class="n">${num(c.scopeCount)}</td><td>${c.reach ? `${c.reachPrivilege ? `<span class="chip sev-${h(c.reachPrivilege)}">${h(c.reachPrivilege)}</span> ` : ''}${isolated(c.reach, TEXT_MAX)}` : '—'}</td><td class="n">${c.openFindings ? `${c.openFindings} <span class="chip sev-${c.worstSeverity}">${c.worstSeverity}</span>` : '0'}</td></tr>`).join('') +
    '</tbody></table></details>';
}

function appendix(m: ReportModel): string {
  const owasp = table(['Id', 'Risk', 'Open findings', 'Rules'], m.appendix.owasp.map((o) => `<tr><td><b>${h(o.id)}</b></td><td>${h(o.title)}</td><td class="n">${num(o.count)}</td><td>${h(o.rules.join(', ') || '—')}</td></tr>`), [2], 'risks');
  const nist = m.appendix.nist.length ? table(['Subcategory', 'Outcome', 'Open findings', 'Rules'], m.appendix.nist.map((o) => `<tr><td><b>${h(o.id)}</b></td><td>${h(o.title)}</td><td class="n">${num(o.count)}</td><td>${h(o.rules.join(', '))}</td></tr>`), [2], 'subcategories')
    : '<p class="lead">No findings reference a NIST CSF 2.0 subcategory.</p>';
  const method = m.crawls.map((c) => `<h3>${h(c.provider)} — ${c.runIds.length > 1 ? 'runs' : 'run'} ${runRefs(c.runIds)}, ${h(minute(c.startedAt))} (${h(c.completeness)})</h3>` +
    (c.access.length ? `<ul>${c.access.map((a) => `<li>${h(a)}</li>`).join('')}</ul>` : '') +
    table(['Tenant', 'Resource listed', 'Status', 'Objects', 'Error'], c.resources.map((r) => `<tr><td>${isolated(r.tenant)}</td><td><code>${h(r.resourceType)}</code></td>` +
      `<td>${r.status === 'complete' ? '<span class="tag yes">complete</span>' : `<span class="tag no">${h(r.status)}</span>`}</td><td class="n">${num(r.objects)}</td><td>${r.error ? isolated(r.error, TEXT_MAX) : ''}</td></tr>`), [3], 'listings')).join('');
  return `<h2 id="appendix">Appendix A — framework mapping</h2><div class="grid2"><div><h3>OWASP Non-Human Identities Top 10 (2025)</h3>${owasp}</div><div><h3>NIST Cybersecurity Framework 2.0</h3>${nist}</div></div>
<h2 id="method">Appendix B — method</h2><p class="lead">nhi-census crawled each provider below with read-only credentials through the providers' official APIs, wrote what it found into a local SQLite graph, and compared it with the approved inventory.
A connector is only considered removed when the listing that should have returned it completed; a failed or partial listing never makes anything look decommissioned. Every figure in this report is computed from that graph.
Credential figures judge ages against the report's as-of time with a ${m.thresholds.maxCredentialAgeDays}-day rotation and a ${m.thresholds.dormantDays}-day dormancy window.</p>${method}`;
}

function signOff(m: ReportModel): string {
  return `<h2 id="signoff">Sign-off</h2><section class="signoff"><p>${h(m.signOff.statement)}</p>` +
    m.signOff.fields.map((f) => `<div class="field"><div>${h(f)}</div><div class="line"></div></div>`).join('') + '</section>';
}
