// Builds the monthly report model from the graph: the reconciliation and crawl runs a month is based
// on, connector and credential figures as of those runs, the findings that reconciliation observed,
// the trend, and what changed since the previous report. Every figure comes from src/graph/report-queries.ts.
import type { Db } from '../src/graph/db.ts';
import * as q from '../src/graph/report-queries.ts';
import { buildChanges, findBaseline, parseCrawlRunIds, parseCrawlRuns } from './model-changes.ts';
import { fixFirstOrder, olderThanRotationPolicy, reportPolicy, workContext, workFields } from './work-list.ts';
export { parseCrawlRuns };
import { isCompleteLook } from '../src/crawl/status.ts';
import type { AcceptanceInfo, ConnectorItem, FamilySection, FindingItem, NotVerifiableItem, OwnerView, ProviderCrawl, ReportModel, SeverityCounts, TrendPoint } from './model-types.ts';
import { FAMILIES, familyInfo, familyOrder, NIST_CSF_2, OWASP_NHI_2025, SEVERITIES, severityRank, type Severity } from './reference.ts';
import { day, typeLabel } from './text.ts';
import { formatEvidence, peopleLookup } from './evidence-text.ts';
import { describeContext, NO_ACTIVE_OWNER, type Attribution } from '../src/reconcile/attribution.ts';
import { readReach } from './blast-radius.ts';
import { buildAiAgents } from './ai-agents.ts';

export interface ReportOptions {
  /** 'YYYY-MM' */
  month: string;
  /** The organisation's name (config `organisation:`); without it, the inventory's `organisation:` — never invented. */
  organisation?: string;
  /** Providers the configuration expects; one without a crawl is called out. */
  expectedProviders?: string[];
  now?: Date;
  toolVersion?: string;
  maxCredentialAgeDays?: number;
  dormantDays?: number;
  /**
   * Per provider, the permissions its configured credential uses (src/crawl/permissions.ts
   * configuredPermissionsByProvider, from the config): the method appendix lists them. Unknown without a config.
   */
  permissions?: Record<string, string[]>;
}

export const NO_ORGANISATION = 'no organisation name: set `organisation:` in the config file (or in the inventory) or pass --organisation; '
  + 'the report does not invent one';

export class ReportInputError extends Error {
  constructor(message: string) { super(message); this.name = 'ReportInputError'; }
}

const DAY = 86400_000;
const ORPHANS = familyInfo('orphans');
const DRIFT = familyInfo('scope-drift');
const HYGIENE = familyInfo('credential-hygiene');

export function monthPeriod(month: string): { start: string; end: string } {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) throw new ReportInputError(`--month must be YYYY-MM (got ${month})`);
  const y = Number(m[1]); const mo = Number(m[2]);
  return { start: new Date(Date.UTC(y, mo - 1, 1)).toISOString(), end: new Date(Date.UTC(y, mo, 1)).toISOString() };
}

export function zeroCounts(): SeverityCounts {
  return { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
}

export function buildReportModel(db: Db, opts: ReportOptions): ReportModel {
  const period = monthPeriod(opts.month);
  const now = opts.now ?? new Date();
  const warnings: string[] = [];

  const recon = q.latestReconciliationBefore(db, period.end) ?? null;
  // the policy of the inventory the reconciliation used: due dates, and the hygiene figures judged as the rules judge them
  const policy = reportPolicy(db, recon?.id ?? null);
  const thresholds = { maxCredentialAgeDays: opts.maxCredentialAgeDays ?? policy.rotationDays, dormantDays: opts.dormantDays ?? policy.dormancyDays };
  // never an invented name: the configured one, else the one the inventory names
  const organisation = opts.organisation?.trim() || policy.organisation?.trim();
  if (!organisation) throw new ReportInputError(NO_ORGANISATION);
  // per provider the runs its evidence is composed of (one per tenant's latest crawl); `runs`: the newest of them
  let runIds: Record<string, number[]> = recon ? parseCrawlRunIds(recon.crawl_runs) : {};
  if (!recon || !Object.keys(runIds).length) runIds = Object.fromEntries(q.latestRunsPerProvider(db, period.end));
  const runs: Record<string, number> = Object.fromEntries(Object.entries(runIds).map(([p, ids]) => [p, ids.at(-1)!]));
  if (!Object.keys(runs).length) throw new ReportInputError(`no crawl finished before the end of ${opts.month}: run 'nhi-census crawl' first`);
  if (!recon) warnings.push('No reconciliation against the approved inventory exists for this period: approval status and findings are not available. Run `nhi-census reconcile`.');
  else if (recon.started_at < period.start) warnings.push(`The latest reconciliation (#${recon.id}, ${day(recon.started_at)}) predates this period: figures are as of that date.`);

  const crawls = Object.entries(runIds).sort(([a], [b]) => a.localeCompare(b)).map(([provider, ids]) => providerCrawl(db, provider, ids, opts.permissions));
  const notes: string[] = [];
  for (const c of crawls) {
    // the plan lacks these: nothing of them can exist, no permission is missing — an informational line, not a warning
    if (c.notApplicable.length) {
      notes.push(`${c.provider}: not available on this plan (informational): ${c.notApplicable.map((r) => `${r.resourceType}${r.error ? ` (${r.error})` : ''}`).join('; ')}.`);
    }
    if (c.completeness === 'complete') continue;
    const list = c.incomplete.map((r) => `${r.resourceType} (${r.status}${r.error ? `: ${r.error}` : ''})`).join('; ');
    const what = c.completeness === 'unsupported'
      ? `${crawlRunsText(c.runIds)} could not list ${c.incomplete.length} of ${c.resources.length} resource types because the crawl credential lacks a permission (grant it to cover them)`
      : `${crawlRunsText(c.runIds)} ${c.runIds.length > 1 ? 'were' : 'was'} ${c.completeness} — ${c.incomplete.length} of ${c.resources.length} listings did not complete`;
    warnings.push(`${c.provider}: ${what}: ${list}. Connectors, credentials and findings behind them are not covered; their absence here is not evidence that none exist.`);
  }
  // A newer crawl that failed outright (or was interrupted) is not what the figures come from — the reconciler uses
  // the latest usable crawl — but it is the latest look at the provider: the notice says so and what it could not list.
  // (per tenant: a tenant's newer failed crawl is named, another tenant's crawl is not a newer look at it)
  const latest = q.latestRunPerTenant(db, period.end);
  for (const c of crawls) {
    const used = new Map(q.composedRunResources(db, c.runIds, c.provider).map((r) => [r.tenant, r.run_id]));
    const newer = [...new Set([...latest.get(c.provider) ?? []].filter(([t, id]) => id > (used.get(t) ?? c.runId)).map(([, id]) => id))].sort((a, b) => a - b);
    for (const id of newer) {
      const run = q.runById(db, id);
      if (!run || (run.status !== 'failed' && run.status !== 'interrupted')) continue;
      const tenants = [...latest.get(c.provider)!].filter(([, rid]) => rid === id).map(([t]) => t);
      const earlier = [...new Set(tenants.map((t) => used.get(t) ?? c.runId))].sort((a, b) => a - b).map((r) => `#${r}`).join(', ');
      const missed = q.runResourcesOf(db, run.id, c.provider).filter((r) => r.status !== 'complete' && r.status !== 'not_applicable')
        .map((r) => `${r.resource_type} (${r.status}${r.error ? `: ${r.error}` : ''})`).join('; ');
      warnings.push(`${c.provider}: the latest crawl, run #${run.id} (${day(run.started_at)}), ${run.status}: figures are from the earlier run ${earlier}, `
        + `not from now${missed ? `. Not listed in run #${run.id}: ${missed}` : ''}. What changed since run ${earlier} is not covered.`);
    }
  }
  for (const p of opts.expectedProviders ?? []) {
    if (!(p in runs)) warnings.push(`${p}: configured but not crawled for this report — nothing about ${p} is covered.`);
  }
  const lastRunEnd = crawls.map((c) => c.finishedAt ?? c.startedAt).sort().at(-1)!;
  // a reconciliation's figures are as of the time it judged dates against (`reconcile --now`), not when it ran
  const asOf = recon ? recon.evaluated_at ?? recon.finished_at ?? recon.started_at : lastRunEnd;

  // Findings open at this reconciliation; the baseline decides new vs persisting. Of the baseline's open findings only the
  // ids are read, and in full only those resolved since (not open now, not set aside now): the rest are this month's.
  const baseline = findBaseline(db, opts.month, period, recon?.id ?? null);
  const baseIds = baseline?.reconId != null ? q.openFindingIdsAt(db, baseline.reconId) : new Set<string>();
  const resolvedRows = baseline?.reconId != null ? q.findingsResolvedSince(db, baseline.reconId, recon?.id ?? null) : [];
  const people = peopleLookup((v) => q.principalsNamed(db, v));
  const nodeNames = new Map<string, string | undefined>();
  const names = (id: string) => (nodeNames.has(id) ? nodeNames.get(id) : nodeNames.set(id, q.nodeName(db, id)).get(id));
  // what each connector reaches (its stored reach summary): the connector list's reach column, the "Fix these first"
  // weight and the blast radius; the chains are walked on the live graph, which may hold newer crawls than these runs
  const newest = q.latestRunsPerProvider(db, '9999');
  const graphNewer = [...newest].some(([p, ids]) => Math.max(...ids) > Math.max(0, ...(runIds[p] ?? [])));
  const reach = readReach(db, recon?.id ?? null, graphNewer);
  const work = workContext(db, [...(recon ? q.openFindingSubjectsAt(db, recon.id) : []), ...resolvedRows], runs, recon?.id ?? null, policy, asOf,
    (id) => reach.byConnector.get(id)?.privilege ?? null);
  // the values many findings share (rule, remediation text, owners, framework ids, times) are held once
  const shared = interner();
  const toItem = (f: q.ObservedFinding, change: FindingItem['change']): FindingItem => {
    const evidence = safeJson(f.evidence);
    const owners = safeArray(f.owners).map(shared);
    return {
      id: f.id, rule: shared(f.rule), family: familyInfo(f.family).id, severity: sev(f.severity), provider: shared(f.provider ?? ''), tenant: shared(f.tenant),
      subject: f.subject_name ?? f.subject_id ?? '', connector: f.connector_name ?? f.subject_name ?? '', connectorId: f.connector_id,
      title: f.title, evidence, evidenceText: formatEvidence(evidence, { people, names, provider: f.provider }), remediation: shared(f.remediation),
      owasp: splitRefs(f.owasp).map(shared), nist: splitRefs(f.nist).map(shared), owners, inventoryId: shared(f.inventory_id), matchRule: shared(f.match_rule),
      ...attributionOf(f.attribution),
      carried: f.observed === 0, firstSeenAt: shared(f.first_seen_at), openDays: Math.max(0, Math.floor((Date.parse(asOf) - Date.parse(f.first_seen_at)) / DAY)), change,
      ...workFields(work, f, sev(f.severity), owners, evidence),
      acceptance: acceptanceOf(f.acceptance),
    };
  };
  // each row becomes its item as it is read: the rows (evidence, attribution JSON) are never all held at once
  const findings: FindingItem[] = [];
  if (recon) for (const f of q.findingsOpenAt(db, recon.id)) findings.push(toItem(f, baseline?.reconId != null ? (baseIds.has(f.id) ? 'persisting' : 'new') : null));
  // accepted (recorded, not open) and subsumed (folded into another finding): neither is open, neither is resolved
  const setAside = recon ? q.findingsSetAsideAt(db, recon.id) : [];
  const acceptedRisks = [...setAside.filter((f) => f.state === 'accepted').map((f) => toItem(f, null)), ...findings.filter((f) => f.acceptance?.expired)];

  const carried = findings.filter((f) => f.carried).length;
  if (carried) warnings.push(`${carried} open finding${carried === 1 ? ' was' : 's were'} carried over without being re-checked, because the crawl of ${carried === 1 ? 'its' : 'their'} provider was incomplete (marked “not verifiable (coverage)”).`);
  const notVerifiable: NotVerifiableItem[] = recon ? q.notVerifiableOf(db, recon.id).map((n) => ({ rule: n.rule, inventoryId: n.inventory_id,
    name: n.subject_name ?? n.subject_id, provider: n.provider, status: 'not verifiable (coverage)' as const, reason: n.reason })) : [];
  if (notVerifiable.length) {
    const entries = new Set(notVerifiable.map((n) => n.inventoryId ?? n.name)).size;
    warnings.push(`${entries} approved inventory entr${entries === 1 ? 'y' : 'ies'} could not be verified, because the listings that could have found ${entries === 1 ? 'it' : 'them'} did not complete: ` +
      'no “approved but not found” finding is raised for them (marked “not verifiable (coverage)” under Approved inventory entries).');
  }

  // Connectors as of the runs, with approval from the reconciliation's inventory matches.
  const byConnector = new Map<string, FindingItem[]>();
  for (const f of findings) if (f.connectorId) (byConnector.get(f.connectorId) ?? byConnector.set(f.connectorId, []).get(f.connectorId)!).push(f);
  // Read row by row; the values most connectors share (provider, type, owner lines, crawl times) are held once.
  const connectors: ConnectorItem[] = [];
  for (const c of crawls) {
    const ownersOf = connectorOwners(q.connectorOwnersAsOf(db, c.provider, c.runId, recon?.id ?? null), shared);
    for (const r of q.connectorsAsOf(db, c.provider, c.runId, recon?.id ?? null)) {
      const fs = byConnector.get(r.id) ?? [];
      connectors.push({
        id: r.id, provider: shared(r.provider), tenant: shared(r.tenant), type: shared(r.type), typeLabel: shared(typeLabel(r.type)), name: r.name ?? r.id,
        vendor: shared(r.vendor), approved: recon ? r.inventory_id !== null : null, inventoryId: shared(r.inventory_id), matchRule: shared(r.match_rule),
        owners: ownersOf.get(r.id) ?? [], scopeCount: r.scope_count, credentialCount: r.credential_count,
        openFindings: fs.length, worstSeverity: fs.length ? fs.map((f) => f.severity).sort((a, b) => severityRank(a) - severityRank(b))[0]! : null,
        firstSeenAt: shared(r.first_seen_at), lastSeenAt: shared(r.last_seen_at),
        reach: reach.byConnector.get(r.id)?.text ?? '', reachPrivilege: reach.byConnector.get(r.id)?.privilege ?? null,
      });
    }
  }
  // Intl.Collator().compare is what localeCompare does (ECMA-402), without building a collator per comparison
  connectors.sort((a, b) => severityRank(a.worstSeverity ?? 'none') - severityRank(b.worstSeverity ?? 'none') || b.openFindings - a.openFindings
    || COLLATOR.compare(a.provider, b.provider) || COLLATOR.compare(a.name, b.name));

  const agents = buildAiAgents(db, { crawls, reconId: recon?.id ?? null, connectors, findings, reach: reach.byConnector });
  for (const c of connectors) {
    const k = agents.categories.get(c.id);
    c.category = k ? shared(k.category) : null; c.categoryHow = k?.how ?? null;
  }

  const model: ReportModel = {
    format: 'nhi-census.report/1', organisation, month: opts.month, period, generatedAt: now.toISOString(), asOf,
    toolVersion: opts.toolVersion ?? 'dev',
    reconciliation: recon ? { id: recon.id, startedAt: recon.started_at, finishedAt: recon.finished_at, inventoryFile: recon.inventory_file, inventoryHash: recon.inventory_hash } : null,
    crawls, warnings, notes, notVerifiable, thresholds,
    summary: summarise(db, crawls, connectors, findings, asOf, thresholds, recon !== null, recon?.id ?? null),
    trend: buildTrend(db, opts.month, period, crawls),
    // the baseline's findings resolved since are the only ones of its open findings buildChanges keeps
    changes: buildChanges(db, { baseline, crawls, runs, findings, baseObserved: resolvedRows.map((f) => toItem(f, null)), setAsideIds: new Set(setAside.map((f) => f.id)) }),
    fixFirst: [...findings].sort(fixFirstOrder),
    policy: { slaDays: policy.slaDays, rotationDays: policy.rotationDays, source: policy.source },
    acceptedRisks,
    families: buildFamilies(findings),
    owners: buildOwners(findings, q.departedEmails(db)),
    connectors, findings,
    blastRadius: reach.blast, aiAgents: agents.section,
    appendix: buildAppendix(findings),
    signOff: {
      statement: `I have reviewed this reconciliation of ${organisation}'s non-human identities for ${opts.month}, the findings it lists and their owners, ` +
        'and recorded the decisions and exceptions below.',
      fields: ['Reviewer (name, role)', 'Date', 'Decision (accepted / accepted with exceptions / rejected)', 'Exceptions and ticket references', 'Signature'],
    },
  };
  return model;
}

/** The method appendix's line when the report was written without the crawl configuration. */
export const PERMISSIONS_NOT_KNOWN = 'Permissions configured: not known — this report was written without the crawl configuration (nhi-census report --config).';

/** A provider's crawl table: each tenant's listings from the newest of `runIds` that crawled it (src/graph/report-queries.ts composedRunResources). */
function providerCrawl(db: Db, provider: string, runIds: number[], permissions: ReportOptions['permissions']): ProviderCrawl {
  const runId = runIds.at(-1)!;
  const runs = runIds.map((id) => q.runById(db, id));
  const resources = q.composedRunResources(db, runIds, provider)
    .map((r) => ({ tenant: r.tenant, resourceType: r.resource_type, status: r.status, objects: r.objects, error: r.error }));
  const worst = ['failed', 'partial', 'running', 'unsupported'].find((s) => resources.some((r) => r.status === s));
  const completeness = !resources.length ? 'failed' : worst === 'running' ? 'partial' : (worst ?? 'complete') as ProviderCrawl['completeness'];
  // evidence is as old as its oldest part, as recent as its newest; the worst status of the runs
  const started = runs.map((r) => r?.started_at ?? '').sort()[0] ?? '';
  const finished = runs.map((r) => r?.finished_at).filter((f): f is string => !!f).sort().at(-1) ?? null;
  const status = ['missing', 'failed', 'interrupted', 'running', 'partial', 'complete'].find((st) => runs.some((r) => (r?.status ?? 'missing') === st)) ?? 'missing';
  return {
    provider, runId, runIds, startedAt: started, finishedAt: finished, runStatus: status, completeness,
    resources, incomplete: resources.filter((r) => !isCompleteLook(r.status)), notApplicable: resources.filter((r) => r.status === 'not_applicable'), access: permissions?.[provider] ?? [PERMISSIONS_NOT_KNOWN],
  };
}

/** "crawl run #11", "crawl runs #10, #11". */
function crawlRunsText(runIds: readonly number[]): string {
  return `crawl run${runIds.length > 1 ? 's' : ''} ${runIds.map((r) => `#${r}`).join(', ')}`;
}

function summarise(db: Db, crawls: ProviderCrawl[], connectors: ConnectorItem[], findings: FindingItem[], asOf: string,
  t: ReportModel['thresholds'], reconciled: boolean, reconId: number | null = null): ReportModel['summary'] {
  const byProvider = crawls.map((c) => {
    const cs = connectors.filter((x) => x.provider === c.provider);
    const types = new Map<string, number>();
    const typesApproved = new Map<string, number>();
    for (const x of cs) { types.set(x.type, (types.get(x.type) ?? 0) + 1); if (x.approved) typesApproved.set(x.type, (typesApproved.get(x.type) ?? 0) + 1); }
    const approved = cs.filter((x) => x.approved).length;
    return { provider: c.provider, total: cs.length, approved: reconciled ? approved : null, unapproved: reconciled ? cs.length - approved : null,
      byType: [...types].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([type, count]) => ({ type, label: typeLabel(type), count, approved: reconciled ? typesApproved.get(type) ?? 0 : null })) };
  });
  const approved = connectors.filter((x) => x.approved).length;
  const cred = { total: 0, noExpiry: 0, expired: 0, olderThanMaxAge: 0, static: 0, unused: 0 };
  for (const c of crawls) {
    const f = q.credentialFiguresAsOf(db, c.provider, c.runId, asOf, t.maxCredentialAgeDays, t.dormantDays);
    cred.total += f.total; cred.noExpiry += f.no_expiry; cred.expired += f.expired; cred.olderThanMaxAge += olderThanRotationPolicy(db, c.provider, c.runId, reconId, asOf, t.maxCredentialAgeDays);
    cred.static += f.static; cred.unused += f.unused;
  }
  const bySeverity = zeroCounts();
  for (const f of findings) bySeverity[f.severity]++;
  const inFamily = (id: string) => findings.filter((f) => f.family === id);
  const distinctConnectors = (fs: FindingItem[]) => new Set(fs.map((f) => f.connectorId ?? f.subject)).size;
  const fam = new Map<string, number>();
  for (const f of findings) fam.set(f.family, (fam.get(f.family) ?? 0) + 1);
  const prov = new Map<string, number>();
  for (const f of findings) prov.set(f.provider, (prov.get(f.provider) ?? 0) + 1);
  return {
    connectors: { total: connectors.length, approved: reconciled ? approved : null, unapproved: reconciled ? connectors.length - approved : null, byProvider },
    orphans: { findings: inFamily(ORPHANS.id).length, connectors: distinctConnectors(inFamily(ORPHANS.id)) },
    scopeDrift: { findings: inFamily(DRIFT.id).length, connectors: distinctConnectors(inFamily(DRIFT.id)) },
    credentials: { ...cred, findings: inFamily(HYGIENE.id).length },
    findings: {
      open: findings.length, bySeverity,
      byFamily: [...fam].sort((a, b) => familyOrder(a[0]) - familyOrder(b[0]) || a[0].localeCompare(b[0])).map(([id, count]) => ({ id, title: familyInfo(id).title, count })),
      byProvider: [...prov].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([provider, count]) => ({ provider, count })),
    },
  };
}

/** Open findings at the last reconciliation of each of the last six months; per reconciliation when fewer than two months have one. */
function buildTrend(db: Db, month: string, period: { start: string; end: string }, crawls: ProviderCrawl[]): ReportModel['trend'] {
  const point = (label: string, r: q.ReconRow): TrendPoint => {
    const counts = { ...zeroCounts(), ...q.severityCounts(db, r.id) } as SeverityCounts;
    const runs = parseCrawlRuns(r.crawl_runs);
    const connectors = Object.entries(runs).reduce((n, [p, run]) => n + q.connectorCountAsOf(db, p, run), 0);
    return { label, reconId: r.id, at: r.finished_at ?? r.started_at, bySeverity: counts, open: SEVERITIES.reduce((n, s) => n + counts[s], 0), connectors };
  };
  const months: TrendPoint[] = [];
  const [y, m] = month.split('-').map(Number) as [number, number];
  for (let i = 5; i >= 0; i--) {
    const start = new Date(Date.UTC(y, m - 1 - i, 1)); const end = new Date(Date.UTC(y, m - i, 1));
    const last = q.reconciliationsBetween(db, start.toISOString(), end.toISOString()).at(-1);
    if (last) months.push(point(start.toISOString().slice(0, 7), last));
  }
  if (months.length >= 2) return { basis: 'month', points: months };
  const recent = q.reconciliationsBetween(db, '0000', period.end).slice(-8);
  void crawls;
  return { basis: 'reconciliation', points: recent.map((r) => point(`#${r.id} ${day(r.finished_at ?? r.started_at)}`, r)) };
}

function buildFamilies(findings: FindingItem[]): FamilySection[] {
  const ids = [...new Set([...FAMILIES.map((f) => f.id).filter((id) => findings.some((f) => f.family === id)), ...findings.map((f) => f.family)])]
    .sort((a, b) => familyOrder(a) - familyOrder(b) || a.localeCompare(b));
  return ids.map((id) => {
    const fs = findings.filter((f) => f.family === id);
    const counts = zeroCounts();
    for (const f of fs) counts[f.severity]++;
    const info = familyInfo(id);
    return { id, title: info.title, why: info.why, bySeverity: counts, findings: fs };
  });
}

function attributionOf(json: string | null | undefined): Pick<FindingItem, 'attribution' | 'ownerContext'> {
  const a = json ? safeJson(json) as unknown as Attribution : null;
  if (!a || !Array.isArray(a.recipients) || !Array.isArray(a.context)) return { attribution: null, ownerContext: [] };
  return { attribution: a, ownerContext: a.context.map(describeContext) };
}

/**
 * Each connector's owners as shown in the connector list and connectors.csv: `alice@x (inventory, active)`, inventory owners
 * first, then provider owners and installers; one line per person (their first role), departed ones marked.
 */
function connectorOwners(rows: Iterable<q.ConnectorOwnerRow>, shared: <T extends string | null>(s: T) => T): Map<string, string[]> {
  const out = new Map<string, string[]>();
  // rows come ordered by connector: the people already listed are those of the current connector
  let connector: string | null = null;
  const seen = new Set<string>();
  for (const r of rows) {
    if (r.connector_id !== connector) { connector = r.connector_id; seen.clear(); }
    const who = r.email ?? r.name;
    if (seen.has(who)) continue;
    seen.add(who);
    const status = r.departed === 1 ? 'departed' : r.departed === 0 ? 'active' : 'unknown to the providers';
    (out.get(r.connector_id) ?? out.set(r.connector_id, []).get(r.connector_id)!).push(shared(`${who} (${r.role}, ${status})`));
  }
  return out;
}

const COLLATOR = new Intl.Collator();

/** One copy of each equal string: many connectors and findings share a provider, type, owner line or crawl time. */
function interner(): <T extends string | null>(s: T) => T {
  const seen = new Map<string, string>();
  return <T extends string | null>(s: T): T => {
    if (s === null) return s;
    const hit = seen.get(s);
    if (hit !== undefined) return hit as T;
    seen.set(s, s);
    return s;
  };
}

/** Per active recipient (never a departed person: `departed` guards findings recorded before attribution), one section each. */
function buildOwners(findings: FindingItem[], departed: Set<string>): OwnerView[] {
  const map = new Map<string, FindingItem[]>();
  for (const f of findings) {
    const active = [...new Set(f.owners.map((o) => o.trim().toLowerCase()))].filter((o) => o && !departed.has(o));
    for (const o of active.length ? active : [`(${NO_ACTIVE_OWNER})`]) (map.get(o) ?? map.set(o, []).get(o)!).push(f);
  }
  return [...map].map(([owner, fs]) => {
    const counts = zeroCounts();
    for (const f of fs) counts[f.severity]++;
    return { owner, bySeverity: counts, worst: SEVERITIES.find((s) => counts[s] > 0)!, findings: fs };
  }).sort((a, b) => severityRank(a.worst) - severityRank(b.worst) || b.findings.length - a.findings.length || a.owner.localeCompare(b.owner));
}

function buildAppendix(findings: FindingItem[]): ReportModel['appendix'] {
  const tally = (pick: (f: FindingItem) => string[]) => {
    const m = new Map<string, { count: number; rules: Set<string> }>();
    for (const f of findings) for (const id of pick(f)) {
      const e = m.get(id) ?? m.set(id, { count: 0, rules: new Set() }).get(id)!;
      e.count++; e.rules.add(f.rule);
    }
    return m;
  };
  const ow = tally((f) => f.owasp);
  const ni = tally((f) => f.nist);
  const owaspIds = [...new Set([...Object.keys(OWASP_NHI_2025), ...ow.keys()])];
  return {
    owasp: owaspIds.map((id) => ({ id, title: OWASP_NHI_2025[id] ?? '(not in the 2025 list)', count: ow.get(id)?.count ?? 0, rules: [...(ow.get(id)?.rules ?? [])].sort() })),
    nist: [...ni.keys()].sort().map((id) => ({ id, title: NIST_CSF_2[id] ?? '', count: ni.get(id)!.count, rules: [...ni.get(id)!.rules].sort() })),
  };
}

function sev(s: string): Severity {
  return SEVERITIES.find((x) => x === s) ?? 'info';
}

function splitRefs(s: string | null): string[] {
  return s ? s.split(/[,;\s]+/).filter(Boolean) : [];
}

function safeJson(s: string): Record<string, unknown> {
  try { const v = JSON.parse(s); return v && typeof v === 'object' && !Array.isArray(v) ? v : { value: v }; } catch { return { value: s }; }
}

/** finding_observations.acceptance (src/reconcile/acceptance.ts AppliedAcceptance JSON) as the report shows it. */
function acceptanceOf(s: string | null | undefined): AcceptanceInfo | null {
  if (!s) return null;
  const a = safeJson(s);
  return { rule: String(a.rule ?? ''), reason: String(a.reason ?? ''), ticket: String(a.ticket ?? ''), expires: String(a.expires ?? ''),
    inventoryId: String(a.inventory_id ?? ''), expired: a.expired === true };
}

function safeArray(s: string): string[] {
  try { const v = JSON.parse(s); return Array.isArray(v) ? v.map(String) : []; } catch { return []; }
}
