// findings.csv and connectors.csv: the complete data behind the report (no caps), RFC 4180 quoting,
// and formula-injection protection — a cell a spreadsheet would evaluate (=, +, -, @, tab, CR) is
// prefixed with an apostrophe, because app names and evidence come from third parties. Control and
// bidi characters are shown as escapes (`\n`, `\u202e`): a cell is one line and reads as stored.
import { escapeControls } from '../src/util/terminal-text.ts';
import { acceptanceMarker } from './accepted-risks.ts';
import type { ReportModel } from './model-types.ts';

export function csvCell(v: unknown): string {
  const raw = v === null || v === undefined ? '' : Array.isArray(v) ? v.join('; ') : String(v);
  let s = escapeControls(raw);
  if (/^[=+\-@\t\r]/.test(raw)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csv(head: string[], rows: unknown[][]): string {
  return [head, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export function renderFindingsCsv(m: ReportModel): string {
  return csv(['finding_id', 'severity', 'family', 'rule', 'provider', 'tenant', 'connector', 'connector_id', 'subject', 'title', 'evidence',
    'remediation', 'owasp_nhi_2025', 'nist_csf_2', 'owners', 'inventory_id', 'match_rule', 'first_seen_at', 'open_days', 'change_since_previous_report',
    'priority', 'owner_email', 'due_date', 'overdue', 'ticket', 'remediation_command', 'console_url', 'acceptance'],
  // in "Fix these first" order (severity × reach); the commands are printed for people to run, never run by the tool
  // then the accepted risks (not open: the acceptance column says until when, and open findings whose acceptance expired say so)
  [...m.fixFirst, ...m.acceptedRisks.filter((f) => !f.acceptance?.expired)].map((f) => [f.id, f.severity, f.family, f.rule, f.provider, f.tenant, f.connector, f.connectorId, f.subject, f.title, JSON.stringify(f.evidence),
    f.remediation, f.owasp, f.nist, f.owners, f.inventoryId, f.matchRule, f.firstSeenAt, f.openDays, f.change ?? '',
    f.priority, f.ownerEmail, f.dueDate, f.overdue ? 'yes' : 'no', f.ticket, f.action?.command, f.action?.consoleUrl, acceptanceMarker(f)]));
}

export function renderConnectorsCsv(m: ReportModel): string {
  return csv(['connector_id', 'provider', 'tenant', 'type', 'name', 'vendor', 'approved', 'inventory_id', 'match_rule', 'owners', 'scope_count',
    'credential_count', 'open_findings', 'worst_severity', 'first_seen_at', 'last_seen_at', 'reach', 'reach_privilege', 'category', 'category_how'],
  m.connectors.map((c) => [c.id, c.provider, c.tenant, c.type, c.name, c.vendor, c.approved === null ? 'unknown' : c.approved ? 'yes' : 'no', c.inventoryId,
    c.matchRule, c.owners, c.scopeCount, c.credentialCount, c.openFindings, c.worstSeverity ?? '', c.firstSeenAt, c.lastSeenAt,
    c.reach ?? '', c.reachPrivilege ?? '', c.category ?? '', c.categoryHow ?? '']));
}

/**
 * blast-radius.csv: the paths the "Blast radius" section draws, in its order — the connector, the resource at the end
 * with its roles and their grade, the hops, whether it crosses a trust, and the path as text (node (kind) -STEP: access-> …).
 */
export function renderBlastRadiusCsv(m: ReportModel): string {
  return csv(['rank', 'privilege', 'connector_id', 'connector', 'provider', 'target_id', 'target', 'target_type', 'target_provider', 'roles', 'hops', 'via_trust', 'path'],
    m.blastRadius.paths.map((p, i) => [i + 1, p.privilege, p.connectorId, p.connector, p.provider, p.targetId, p.target, p.targetType, p.targetProvider, p.roles,
      p.hops, p.viaTrust ? 'yes' : 'no', p.drawn ? p.nodes.map((n, j) => (j ? ` -${p.steps[j - 1]!.step}: ${p.steps[j - 1]!.access}-> ` : '') + `${n.name} (${n.kind})`).join('') : '']));
}

/**
 * report.json: the model, compact, for SIEMs — every finding once (in `findings`, with its evidence object);
 * rule families and the per-owner view list finding ids; the connector list is connectors.csv.
 */
export function renderJson(m: ReportModel): string {
  const { connectors: _inCsv, ...rest } = m;
  return JSON.stringify({
    ...rest,
    connectorsFile: 'connectors.csv',
    // a provider's run ids only when its evidence comes from several runs (one per tenant): runId says it otherwise
    crawls: m.crawls.map(({ runIds, ...c }) => (runIds.length > 1 ? { ...c, runIds } : c)),
    findings: m.findings.map(({ evidenceText: _text, ...f }) => f),
    changes: { ...m.changes, resolvedFindings: m.changes.resolvedFindings.map(({ evidenceText: _text, ...f }) => f) },
    families: m.families.map((f) => ({ ...f, findings: f.findings.map((x) => x.id) })),
    owners: m.owners.map((o) => ({ ...o, findings: o.findings.map((x) => x.id) })),
    fixFirst: m.fixFirst.map((x) => x.id),
    acceptedRisks: m.acceptedRisks.map(({ evidenceText: _text, ...f }) => ({ ...f, accepted: !f.acceptance?.expired })),
  }) + '\n';
}
