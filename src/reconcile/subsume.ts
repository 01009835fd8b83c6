// Subsumption: one problem, one finding (docs/reconcile.md "Subsumption"). Two declarative tables the engine applies:
//  - GROUPS: per-credential findings of one rule on the credentials one connector holds become one finding on the
//    connector listing them (when there are at least `min`); the grouped finding has its own stable id (rule +
//    connector), the per-credential findings stay recorded as 'subsumed' by it.
//  - FOLDS: a finding of rule `from` is folded into a finding of rule `into` on the same connector (or one of its
//    siblings: an Entra application and its service principal, a Slack app and its bot) when `when` holds. The folded
//    finding is recorded as 'subsumed' (subsumed_by = the target's id), never as resolved; its facts go into the
//    target's `evidence.folded`, and the target's severity becomes the worse of the two.
// Accepted findings neither fold nor receive folds (docs: an acceptance covers one risk, not the others beside it).
// Only the targets' results are held in memory until every rule ran (a few per connector), never all findings.
import { worse, type Severity } from '../catalogue/index.ts';
import { credentialClass } from '../catalogue/credentials.ts';
import type { SnapNode } from '../graph/reconcile-snapshot.ts';
import type { RuleContext } from './context.ts';
import type { RuleResult, RuleSpec } from './rule.ts';
import { subjectOf } from './rules/util.ts';

export interface FoldRule {
  from: string;
  into: string;
  /** An extra condition on the pair; without it any `from` finding on the target's connector folds. */
  when?(source: RuleResult, target: RuleResult): boolean;
  /** Why the two are one problem (docs/reconcile.md "Subsumption" repeats it). */
  why: string;
}

export interface GroupRule {
  rule: string;
  /** Group only when a connector holds at least this many (below it the per-credential finding stays, with its id). */
  min: number;
  build(ctx: RuleContext, connector: SnapNode, members: RuleResult[]): RuleResult;
  why: string;
}

const scopesOf = (list: unknown): string[] => (Array.isArray(list) ? list.map((x) => (typeof x === 'string' ? x : String((x as { scope?: unknown }).scope))) : []);
const idsOf = (list: unknown): string[] => (Array.isArray(list) ? list.map((x) => String((x as { id?: unknown }).id)) : []);
const UNOWNED = new Set(['no-owner', 'owners-departed']);

export const FOLDS: FoldRule[] = [
  { from: 'high-risk-permission', into: 'scope-drift', when: (s, t) => scopesOf(t.evidence.excess).includes(s.detail ?? ''),
    why: 'the permission is one of the scopes beyond approval the drift finding names (with its grade)' },
  { from: 'high-risk-permission', into: 'unapproved-connector',
    why: 'nothing of an unapproved connector is approved; its review covers every permission it holds (listed with grades)' },
  { from: 'scope-change', into: 'scope-drift', when: (s, t) => {
    const added = scopesOf(s.evidence.added);
    const excess = scopesOf(t.evidence.excess);
    return added.length > 0 && added.every((a) => excess.includes(a));
  }, why: 'every scope the change added is beyond approval: the drift finding is the problem, the change says when it began' },
  { from: 'scope-change', into: 'unapproved-connector', why: 'a change to a connector nobody approved is part of its review' },
  // the connector's own orphan finding, not a departed person's credential on it (their grant or key is revoked apart)
  { from: 'orphaned-connector', into: 'unapproved-connector', when: (s) => UNOWNED.has(s.detail ?? '') && (s.connectorId ?? s.subject.id) === s.subject.id,
    why: 'approving a connector means naming present owners; the review of an unapproved connector is that decision (departed owners stay in the evidence and raise the severity)' },
  { from: 'orphaned-connector', into: 'orphaned-connector', when: (s, t) => s.detail === 'inventory-owners-departed' && t.detail === 'owners-departed',
    why: 'the inventory owners who left are the connector\'s owners who left: the connector\'s finding names them all, one fix (name present owners)' },
  { from: 'multiple-active-secrets', into: 'static-secret', when: (s, t) => {
    const grouped = new Set(idsOf(t.evidence.credentials));
    const counted = idsOf(s.evidence.credentials);
    return counted.length > 0 && counted.every((id) => grouped.has(id));
  }, why: 'the secrets counted are the static secrets the grouped finding lists: replacing them with the short-lived alternative removes both' },
];

export const GROUPS: GroupRule[] = [
  { rule: 'static-secret', min: 2,
    why: 'the fix is per workload (move the connector to the federated / short-lived alternative), not per secret',
    build(ctx, c, members) {
      const alternatives = [...new Set(members.map((m) => String(m.evidence.alternative)))];
      const types = [...new Set(members.map((m) => String(m.evidence.credential_type)))];
      const labels = [...new Set(members.map((m) => credentialClass(String(m.evidence.credential_type)).label))];
      const severity = members.map((m) => m.severity ?? 'medium').reduce((a, b) => worse(a, b));
      const entry = ctx.entryOf(c.id);
      return {
        subject: subjectOf(c), connectorId: c.id, severity, entry: entry?.entry ?? members.find((m) => m.entry)?.entry ?? null, matchRule: entry?.rule ?? null,
        title: `${c.name} holds ${members.length} static ${labels.length === 1 ? `${labels[0]}s` : `secrets (${labels.join(', ')})`}: use ${alternatives.join(' or ')} instead`,
        evidence: { credential_types: types, alternative: alternatives.join('; '), count: members.length,
          credentials: members.map((m) => ({ id: m.subject.id, name: m.subject.name, credential_type: m.evidence.credential_type ?? null,
            created_at: m.evidence.created_at ?? null, expires_at: m.evidence.expires_at ?? null })),
          worst_scope_severity: members.map((m) => m.evidence.worst_scope_severity as Severity | null).filter((s): s is Severity => !!s).reduce<Severity | null>((a, b) => (a ? worse(a, b) : b), null) },
        remediation: `Use ${alternatives.join(' or ')} instead, then revoke these ${members.length} secrets.`,
        owners: [...new Set(members.flatMap((m) => m.owners ?? []))],
      };
    } },
];

/** Rules whose findings receive folds are evaluated first, so a source finds its target when it is evaluated. */
export function subsumptionOrder(rules: RuleSpec[]): RuleSpec[] {
  // rank: 0 for a rule that folds into no other rule; otherwise one more than the highest rank of the rules it folds
  // into (a rule may fold into itself: its results list targets before sources). Stable within a rank.
  const rank = new Map<string, number>();
  const rankOf = (id: string, seen: Set<string>): number => {
    const known = rank.get(id);
    if (known !== undefined) return known;
    const into = FOLDS.filter((f) => f.from === id && f.into !== id && !seen.has(f.into)).map((f) => f.into);
    const r = into.length ? 1 + Math.max(...into.map((t) => rankOf(t, new Set([...seen, id])))) : 0;
    rank.set(id, r);
    return r;
  };
  return rules.map((r, i) => ({ r, i, k: rankOf(r.id, new Set()) })).sort((a, b) => a.k - b.k || a.i - b.i).map((x) => x.r);
}

/** Per-credential results of a grouped rule split into those that stay and one group per connector holding `min` or more. */
export function groupResults(ctx: RuleContext, rule: string, results: RuleResult[]): { single: RuleResult[]; groups: Array<{ result: RuleResult; members: RuleResult[] }> } {
  const g = GROUPS.find((x) => x.rule === rule);
  if (!g) return { single: results, groups: [] };
  const byConnector = new Map<string, RuleResult[]>();
  const single: RuleResult[] = [];
  for (const r of results) {
    const c = r.connectorId && r.connectorId !== r.subject.id ? r.connectorId : null;
    if (c && ctx.node(c)?.kind === 'connector') (byConnector.get(c) ?? byConnector.set(c, []).get(c)!).push(r);
    else single.push(r);
  }
  const groups: Array<{ result: RuleResult; members: RuleResult[] }> = [];
  for (const [cid, members] of byConnector) {
    if (members.length < g.min) { single.push(...members); continue; }
    groups.push({ result: g.build(ctx, ctx.node(cid)!, members), members });
  }
  return { single, groups };
}

/** A folded finding as its target's evidence lists it (`name` is its title, so the evidence reads as titles). */
export interface FoldedFact { name: string; rule: string; severity: string; id: string; evidence: Record<string, unknown> }

export interface Held<T> { rule: RuleSpec; result: RuleResult; item: T; folded: FoldedFact[] }

/**
 * The targets of this reconciliation, keyed by connector (the target's subject and its siblings). `hold` keeps a
 * target result until every rule ran; `fold` finds the target a source result folds into and records it there.
 */
export class FoldTargets<T> {
  private readonly byKey = new Map<string, Array<Held<T>>>();
  private readonly all: Array<Held<T>> = [];
  private readonly intoRules = new Set(FOLDS.map((f) => f.into));
  constructor(private readonly ctx: RuleContext) {}

  /** Whether results of this rule may receive folds (and so are held). */
  isTarget(rule: string): boolean { return this.intoRules.has(rule); }

  /** Holds a target result on a connector; false (not held) when its subject is not a connector (nothing folds into it). */
  hold(rule: RuleSpec, result: RuleResult, item: T): boolean {
    const n = this.ctx.node(result.subject.id);
    if (n?.kind !== 'connector') return false;
    const h: Held<T> = { rule, result, item, folded: [] };
    this.all.push(h);
    const keys = new Set([n.id, ...this.ctx.siblings(n.id).map((s) => s.id)]);
    for (const k of keys) (this.byKey.get(k) ?? this.byKey.set(k, []).get(k)!).push(h);
    return true;
  }

  /** The held target `source` (a result of `rule`, finding `fact`) folds into, with the fact recorded there; null if none. */
  fold(rule: string, source: RuleResult, fact: FoldedFact): Held<T> | null {
    // on the source's own subject, then on the connector it belongs to (a user's grant of an app, an entry's connector)
    const candidates = [...(this.byKey.get(source.subject.id) ?? []),
      ...(source.connectorId && source.connectorId !== source.subject.id ? this.byKey.get(source.connectorId) ?? [] : [])];
    if (!candidates.length) return null;
    for (const f of FOLDS) {
      if (f.from !== rule) continue;
      const t = candidates.find((h) => h.rule.id === f.into && (!f.when || f.when(source, h.result)));
      if (t) { t.folded.push(fact); return t; }
    }
    return null;
  }

  held(): Array<Held<T>> { return this.all; }
}
