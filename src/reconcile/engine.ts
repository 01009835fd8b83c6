// reconcile(db, inventory): compares the latest usable crawl of each provider (complete or partial)
// with the approved inventory and writes findings. Evaluation is read-only and in memory; everything
// is then written in one transaction (reconciliation, matches, identities, findings, observations).
// A finding that was open and is not raised again is resolved only after a complete look (docs/reconcile.md
// "Absence"): its subject was removed by a complete listing, the rule's own coverage check passes, or every
// listing of the providers it depends on completed — otherwise it stays open, marked not verifiable (coverage).
// What a rule cannot decide for lack of coverage is recorded as not verifiable, never as a finding.
// One problem, one finding: results are grouped and folded (src/reconcile/subsume.ts) and an inventory acceptance
// makes a finding accepted (src/reconcile/acceptance.ts); folded and accepted findings are recorded, not open.
import { findingId } from './finding-id.ts';
import { lookedCompletely } from './resolution.ts';
import { atLeast, SEVERITIES, worse, type Severity } from '../catalogue/index.ts';
import type { Db } from '../graph/db.ts';
import { beginReconciliation, FindingStore, finishReconciliation, openFindings, previousReconciliation, writeIdentities,
  openFindingsBySeverity, type FindingInput, type FindingState, type OpenFindingKey } from '../graph/findings.ts';
import { readSnapshot } from '../graph/dialect.ts';
import { loadPeople, loadSnapshot, previousUsableRun, REGION_KEY_SET, runStartedAt, scopeChanges, type GraphSnapshot, type PeopleSnapshot } from '../graph/reconcile-snapshot.ts';
import { InventoryMatcher, type Match } from '../inventory/match.ts';
import type { LoadedInventory } from '../inventory/load.ts';
import { recordInventoryPolicy } from '../graph/inventory-policy.ts';
import { buildContext, type ReconcileOptions, type RuleContext, type ScopeChangeSet } from './context.ts';
import { attribute, recipientEmails } from './attribution.ts';
import { acceptanceFor, stillAccepted } from './acceptance.ts';
import { basisOf, membersOf, planReconciliation, principalStates, type Plan } from './incremental.ts';
import { computeUnits, unitOfSubject } from './units.ts';
import { computeEscalations } from './escalation-paths.ts';
import { carryCleanUnits, connectorCounts, entriesOfReconciliation, markDirty, recordBasis, unitsOfKeys, writeUnits } from '../graph/reconcile-units.ts';
import { PACKAGE_VERSION as VERSION } from '../util/package-files.ts';
import { resolveIdentities } from './identity.ts';
import type { RuleResult, RuleSpec } from './rule.ts';
import { RULES } from './rules/index.ts';
import { FoldTargets, groupResults, subsumptionOrder } from './subsume.ts';

export interface ReconcileSummary {
  reconId: number;
  startedAt: string;
  /** The time dates were judged against (opts.now, or when it ran); recorded on the reconciliation. */
  evaluatedAt: string;
  crawlRuns: Record<string, CrawlRunRef>;
  connectors: number;
  matched: number;
  unmatched: number;
  /** accepted: covered by a current inventory acceptance; subsumed: folded into another finding (neither is open). */
  counts: { new: number; persisting: number; resolved: number; carried: number; open: number; accepted: number; subsumed: number };
  /** Subjects a rule could not decide because the listings it needs did not complete (table not_verifiable). */
  notVerifiable: number;
  /** open findings by severity */
  bySeverity: Record<Severity, number>;
  /** rule -> {new, persisting, resolved} (this reconciliation) */
  byRule: Record<string, { severity: Severity; new: number; persisting: number; resolved: number }>;
  durationMs: number;
  /** incremental: only the units that changed were evaluated (docs/reconcile.md "Incremental reconciliation"). */
  mode: 'full' | 'incremental';
}

/**
 * A provider's crawl evidence as a reconciliation used it: `run` the newest of `runs` (the runs its tenants' evidence
 * comes from, src/graph/reconcile-snapshot.ts latestUsableCrawls; absent in reconciliations before tenant scoping).
 */
export interface CrawlRunRef { run: number; runs?: number[]; started_at: string; status: string; complete: boolean; changes_since: number | null }

export { findingId };

export function reconcile(db: Db, loaded: LoadedInventory, opts: ReconcileOptions = {}): ReconcileSummary {
  const t0 = Date.now();
  const startedAt = new Date().toISOString();
  const now = opts.now ?? new Date();
  const rules = RULES.filter((r) => !opts.rules || opts.rules.includes(r.id));
  // every read in one consistent snapshot (src/graph/dialect.ts readSnapshot): what other connections commit meanwhile is not seen
  const { ids, principals, basis, plan, snap, matches, units, entries, crawlRuns, changes } = readSnapshot(db, () => {
    // identity resolution needs every principal (never a region), read once; it also tells which people changed
    const everyone = loadPeople(db);
    const ids = resolveIdentities(everyone, loaded.people);
    const principals = principalStates(ids);
    const basis = basisOf(rules, loaded, everyone.crawls, VERSION, opts.trustedIssuers);
    const prev = previousReconciliation(db);
    const prevRuns = prev ? JSON.parse(prev.crawl_runs) as Record<string, CrawlRunRef> : null;
    const plan: Plan = opts.full || opts.rules ? { mode: 'full', reason: opts.rules ? 'a subset of the rules' : 'asked for' }
      : planReconciliation({ db, rules, loaded, now, basis, crawls: everyone.crawls, ids, principals, prev: prev && { id: prev.id, crawlRuns: prevRuns! },
        prevEntries: prev ? entriesOfReconciliation(db, prev.id) : new Map() });
    const read = plan.mode === 'incremental' ? loadRegion(db, loaded, plan, everyone) : loadWhole(db, loaded, everyone);
    return { ids, principals, basis, plan, ...read, ...changeWindows(db, read.snap, prevRuns) };
  }, { tempKeySets: [REGION_KEY_SET] });
  const inventory = plan.mode === 'incremental' ? { ...loaded.inventory, entries: loaded.inventory.entries.filter((e) => entries.has(e.id)) } : loaded.inventory;
  const ctx = buildContext({ now, inventory, snap, ids, matches, scopeChanges: changes, trustedIssuers: opts.trustedIssuers ?? null });
  for (const [p, ref] of Object.entries(crawlRuns)) ref.complete = ctx.crawlComplete(p);

  const byRule: ReconcileSummary['byRule'] = {};
  for (const r of rules) byRule[r.id] = { severity: r.severity, new: 0, persisting: 0, resolved: 0 };
  const counts = { new: 0, persisting: 0, resolved: 0, carried: 0, open: 0, accepted: 0, subsumed: 0 };
  let notVerifiable = 0;
  let reconId = 0;
  db.transaction(() => {
    reconId = beginReconciliation(db, { startedAt, evaluatedAt: now.toISOString(), inventoryFile: loaded.file, inventoryHash: loaded.hash, crawlRuns });
    const store = new FindingStore(db, reconId, startedAt);
    for (const e of loaded.inventory.entries) store.entry(e);
    recordInventoryPolicy(db, loaded.hash, loaded.inventory.organisation, loaded.inventory.defaults);
    for (const [cid, m] of matches) store.match(cid, m.entry.id, m.rule, m.value);
    writeIdentities(db, reconId, [...ids.principals.values()].map((p) => ({ principalId: p.id, personKey: p.personKey, emails: p.emails, provider: p.provider,
      tenant: p.tenant, departed: p.departed, reason: p.reasons.join('; ') || null })), ids.links);
    if (plan.mode === 'incremental') markDirty(db, plan.dirty);
    const live = new Map(openFindings(db, plan.mode === 'incremental').map((f) => [f.id, f]));
    // findings are written as each rule yields them; only their ids are kept (100k findings stay out of memory) — except
    // the results other findings may fold into (src/reconcile/subsume.ts: a few per connector), written once every rule ran
    const produced = new Set<string>();
    const targets = new FoldTargets<{ f: FindingInput; acceptance: string | null }>(ctx);
    const emit = (f: FindingInput, state: FindingState) => {
      store.observe(f, state, opts.rewriteAll ? undefined : live.get(f.id));
      if (state.status !== 'open') { counts[state.status]++; return; }
      const was = live.get(f.id)?.status;
      const status = was === 'new' || was === 'persisting' ? 'persisting' : 'new';
      counts[status]++;
      byRule[f.rule]![status]++;
    };
    for (const rule of subsumptionOrder(rules)) {
      const results = rule.evaluate(ctx).filter((r) => {
        if (!r.notVerifiable) return true;
        store.notVerifiable({ rule: rule.id, subject_id: r.subject.id, subject_name: r.subject.name, provider: r.subject.provider,
          inventory_id: r.entry?.id ?? null, reason: r.notVerifiable });
        notVerifiable++;
        return false;
      });
      const { single, groups } = groupResults(ctx, rule.id, results);
      for (const r of [...groups.map((g) => g.result), ...single]) {
        const f = toFinding(rule, r, ctx);
        if (produced.has(f.id)) continue;
        produced.add(f.id);
        const a = acceptanceFor(rule.id, r, ctx.clock(r.subject.id)); // the clock remembers when it ends: the finding re-opens then
        const acceptance = a ? JSON.stringify(a) : null;
        if (a && !a.expired) { emit(f, { status: 'accepted', acceptance }); continue; }
        const into = targets.fold(rule.id, r, { name: f.title, rule: rule.id, severity: f.severity, id: f.id, evidence: r.evidence });
        if (into) {
          into.item.f.severity = worse(into.item.f.severity as Severity, f.severity as Severity);
          emit(f, { status: 'subsumed', subsumedBy: into.item.f.id, acceptance });
          continue;
        }
        if (targets.isTarget(rule.id) && targets.hold(rule, r, { f, acceptance })) continue;
        emit(f, { status: 'open', acceptance });
      }
      for (const g of groups) {
        const groupId = findingId(rule.id, g.result.subject.id, g.result.detail);
        for (const m of g.members) {
          const f = toFinding(rule, m, ctx);
          if (produced.has(f.id)) continue;
          produced.add(f.id);
          emit(f, { status: 'subsumed', subsumedBy: groupId });
        }
      }
    }
    for (const h of targets.held()) {
      const { f, acceptance } = h.item;
      if (h.folded.length) f.evidence = JSON.stringify({ ...h.result.evidence, folded: h.folded });
      emit(f, { status: 'open', acceptance });
    }
    const ran = new Map(rules.map((r) => [r.id, r]));
    for (const f of live.values()) {
      if (produced.has(f.id)) continue;
      const rule = ran.get(f.rule);
      const resolvable = !!rule && (rule.resolvable ? rule.resolvable(ctx, f) : lookedCompletely(ctx, f));
      if (resolvable) { store.resolve(f.id); counts.resolved++; if (byRule[f.rule]) byRule[f.rule]!.resolved++; }
      // not re-evaluated: an accepted finding stays accepted until its acceptance expires, a subsumed one while its target is raised
      else if (f.status === 'accepted' && stillAccepted(f.acceptance, ctx.clock(f.subject_id ?? f.id))) { store.carryAs(f.id, f.severity, 'accepted', f.acceptance); counts.accepted++; }
      else if (f.status === 'subsumed' && f.subsumed_by && produced.has(f.subsumed_by)) { store.carryAs(f.id, f.severity, 'subsumed', null); counts.subsumed++; }
      else { store.carry(f.id); counts.carried++; }
    }
    if (plan.mode === 'incremental') {
      // every unit not evaluated keeps what the previous reconciliation decided (a full evaluation would decide the same)
      const clean = carryCleanUnits(db, plan.prevId, reconId, startedAt);
      counts.persisting += clean.byStatus.open; counts.accepted += clean.byStatus.accepted; counts.subsumed += clean.byStatus.subsumed;
      counts.carried += clean.carried; notVerifiable += clean.notVerifiable;
      for (const [rule, n] of clean.openByRule) if (byRule[rule]) byRule[rule]!.persisting += n;
    }
    counts.open = counts.new + counts.persisting + counts.carried;
    const revisits = revisitTimes(ctx, units);
    writeUnits(db, plan.mode === 'incremental' ? plan.dirty : null, units, revisits ?? new Map(), principals);
    // a clock read that belongs to no unit cannot be revisited: the next reconciliation is then full
    recordBasis(db, reconId, plan.mode, opts.rules || !revisits ? null : basis);
    finishReconciliation(db, reconId, { counts, byRule, notVerifiable, mode: plan.mode, ...(plan.mode === 'full' ? { fullBecause: plan.reason } : { unitsEvaluated: plan.dirty.size }) });
  })();
  const totals = plan.mode === 'incremental' ? connectorCounts(db, reconId) : { connectors: snap.connectors.length, matched: matches.size };
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const r of openFindingsBySeverity(db)) bySeverity[r.severity as Severity] = r.n;
  return { reconId, startedAt, evaluatedAt: now.toISOString(), crawlRuns, connectors: totals.connectors, matched: totals.matched, unmatched: totals.connectors - totals.matched,
    counts, notVerifiable, bySeverity, byRule, durationMs: Date.now() - t0, mode: plan.mode };
}

function matchAll(loaded: LoadedInventory, snap: GraphSnapshot): Map<string, Match> {
  const matcher = new InventoryMatcher(loaded.inventory);
  const matches = new Map<string, Match>();
  for (const c of snap.connectors) {
    const m = matcher.match({ id: c.id, provider: c.provider, name: c.name, props: c.props, hosts: (snap.forwardsOf.get(c.id) ?? []).map((f) => f.host) });
    if (m) matches.set(c.id, m);
  }
  return matches;
}

interface Loaded { snap: GraphSnapshot; matches: Map<string, Match>; units: Map<string, string>; entries: Set<string> }

function loadWhole(db: Db, loaded: LoadedInventory, people: PeopleSnapshot): Loaded {
  const snap = { ...loadSnapshot(db, undefined, people), escalations: computeEscalations(db) };
  const matches = matchAll(loaded, snap);
  const entries = new Set(loaded.inventory.entries.map((e) => e.id));
  return { snap, matches, units: computeUnits(snap, matches, entries), entries };
}

/**
 * The dirty units' connectors, credentials and entries (plus new connectors and credentials), closed: when what was
 * loaded now belongs with a unit that is not dirty (a new match, sibling or holder), that unit is added and loaded too.
 */
function loadRegion(db: Db, loaded: LoadedInventory, plan: Extract<Plan, { mode: 'incremental' }>, people: PeopleSnapshot): Loaded {
  const escalations = computeEscalations(db); // the whole graph's, whatever the region (src/reconcile/units.ts joins their units)
  for (;;) {
    const members = membersOf(db, plan.dirty);
    const entries = new Set([...members.entries, ...plan.entries]);
    const snap = { ...loadSnapshot(db, [...members.nodes, ...plan.newMembers], people), escalations };
    const matches = matchAll(loaded, snap);
    for (const m of matches.values()) entries.add(m.entry.id);
    const units = computeUnits(snap, matches, entries);
    const before = plan.dirty.size;
    for (const u of unitsOfKeys(db, units.keys()).values()) plan.dirty.add(u);
    if (plan.dirty.size === before) return { snap, matches, units, entries };
  }
}

/** Per unit, the earliest instant a clock read of this reconciliation changes; null when one belongs to no unit. */
function revisitTimes(ctx: RuleContext, units: ReadonlyMap<string, string>): Map<string, number> | null {
  const out = new Map<string, number>();
  for (const [subject, at] of ctx.clockChanges()) {
    const u = unitOfSubject(units, subject);
    if (!u) return null;
    const was = out.get(u);
    if (was === undefined || at < was) out.set(u, at);
  }
  return out;
}

/** Open findings at or above `threshold` (for --fail-on). */
export function openAtOrAbove(db: Db, threshold: Severity): number {
  return openFindingsBySeverity(db).filter((r) => atLeast(r.severity as Severity, threshold)).reduce((a, r) => a + r.n, 0);
}

function toFinding(rule: RuleSpec, r: RuleResult, ctx: RuleContext): FindingInput {
  const severity = r.severity ?? rule.severity;
  // who must act (src/reconcile/attribution.ts): active recipients in order, departed people as context
  const attribution = attribute(ctx, { subjectId: r.subject.id, connectorId: r.connectorId === undefined ? r.subject.id : r.connectorId, entry: r.entry });
  return {
    id: findingId(rule.id, r.subject.id, r.detail), rule: rule.id, family: rule.family, severity,
    provider: r.subject.provider, tenant: r.subject.tenant, subject_id: r.subject.id, subject_name: r.subject.name,
    connector_id: r.connectorId === undefined ? r.subject.id : r.connectorId, title: r.title,
    evidence: JSON.stringify(r.evidence), remediation: r.remediation ?? rule.remediation,
    owasp: rule.owasp.join(','), nist: rule.nist.join(','), inventory_id: r.entry?.id ?? null, match_rule: r.matchRule ?? null,
    owners: JSON.stringify(recipientEmails(attribution)), attribution: JSON.stringify(attribution),
    depends_on: JSON.stringify(r.dependsOn ?? (r.subject.provider ? [r.subject.provider] : [])),
  };
}

/**
 * The window of runs whose scope changes this reconciliation reports, per provider: since the run the
 * previous reconciliation used (or, the first time, the provider's run before the latest). Re-running
 * on the same crawl reuses the previous window, so nothing resolves just because no crawl happened.
 */
function changeWindows(db: Db, snap: GraphSnapshot, prevRuns: Record<string, CrawlRunRef> | null): { crawlRuns: Record<string, CrawlRunRef>; changes: ScopeChangeSet[] } {
  const crawlRuns: Record<string, CrawlRunRef> = {};
  const changes: ScopeChangeSet[] = [];
  for (const [p, c] of snap.crawls) {
    const before = prevRuns?.[p];
    const since = before ? (before.run === c.runId ? before.changes_since : before.run) : previousUsableRun(db, p, c.runId)?.id ?? null;
    crawlRuns[p] = { run: c.runId, runs: c.runIds, started_at: c.startedAt, status: c.runStatus, complete: false, changes_since: since };
    if (since === null) continue;
    const byHolder = new Map<string, Map<string, 'added' | 'removed'>>();
    for (const ch of scopeChanges(db, p, since, c.runId)) {
      const m = byHolder.get(ch.holderId) ?? new Map<string, 'added' | 'removed'>();
      const had = m.get(ch.scope);
      if (had && had !== ch.change) m.delete(ch.scope); else m.set(ch.scope, ch.change);
      byHolder.set(ch.holderId, m);
    }
    const fromAt = runStartedAt(db, since) ?? '';
    const toAt = c.runIds.length > 1 ? runStartedAt(db, c.runId) ?? c.startedAt : c.startedAt; // the newest run's, not the oldest part's
    for (const [holderId, m] of byHolder) {
      const added = [...m].filter(([, v]) => v === 'added').map(([k]) => k).sort();
      const removed = [...m].filter(([, v]) => v === 'removed').map(([k]) => k).sort();
      if (added.length || removed.length) changes.push({ holderId, added, removed, fromRun: { id: since, at: fromAt }, toRun: { id: c.runId, at: toAt } });
    }
  }
  return { crawlRuns, changes };
}

export type { RuleContext };
