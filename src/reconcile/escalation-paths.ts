// Cross-provider escalation paths (docs/blast-radius.md "Cross-provider escalation"): which connectors can act, through a
// trust another identity gives a workload, as a cloud identity holding a privileged role. Computed once per
// reconciliation in its read phase, for the whole graph, and carried on the snapshot (GraphSnapshot.escalations) for the
// rule cross-provider-escalation and for the incremental units (src/reconcile/units.ts). Set-wise from the trusts —
// there are few — never a walk per connector over the whole graph:
//  1. every TRUSTED_BY step, out of the live trust endpoints;
//  2. forwards from each trusting identity (src/reach/walk.ts reachFrom): the resources it acts on with a role its
//     provider's risk catalogue lists as privileged (src/catalogue/privileged-roles.ts);
//  3. backwards from each endpoint whose trusting identity reaches one (reachTo): the connectors controlling a
//     repository that mints its tokens (write-class access into the repository: the walk's rule; read never crosses),
//     with a scope the catalogue says changes what the workflows run (`workloadControl`);
//  4. joined: origin → … → endpoint -TRUSTED_BY-> identity → … → resource, visiting no node twice and never ending on
//     the origin's own integration. One path per (origin, resource): the most privileged, then the shortest.
// Steps come from the `paths` view one level at a time for a whole frontier (src/graph/paths-queries.ts), cached for
// all walks; a walk from every start at once reads each level first, so the walks per start find their steps cached. One step is added to the view's: a credential of an application acts also as the application's siblings
// (same provider, tenant and app_id: an Entra application's federated credential yields tokens for its service
// principal, which holds the RBAC roles) — CREDENTIAL_OF with props.via 'same-app'.
import { mostPrivileged, workloadControlScope } from '../catalogue/privileged-roles.ts';
import type { Db } from '../graph/db.ts';
import { publisherOf, siblingsOf, trustEndpoints, type EscalationHop, type EscalationPath } from '../graph/escalation-queries.ts';
import { nodesByIds, stepsFrom, stepsInto, type NodeRef, type PathStep } from '../graph/paths-queries.ts';
import { rolesOf, stepLevel } from '../reach/levels.ts';
import { reachFrom, reachTo, type StepSource } from '../reach/walk.ts';
import { severityRank } from '../catalogue/index.ts';

/**
 * Hops walked from a trust's identity to its privileged role, and back from a trust endpoint to a starting connector
 * (connector → credential → repository → endpoint at most: a walk further back reaches people, never a connector).
 */
export const FORWARD_DEPTH = 4;
export const BACKWARD_DEPTH = 3;

/** The `paths` steps for every walk, with the same-app step added after each CREDENTIAL_OF (siblings read per batch). */
function cachedSource(db: Db, siblings: Siblings): StepSource {
  const out = new Map<string, PathStep[]>();
  const into = new Map<string, PathStep[]>();
  const sameApp = (s: PathStep): PathStep[] => (s.step === 'CREDENTIAL_OF' && s.to_kind === 'connector'
    ? siblings.of(s.to_id).map((c) => ({ ...s, to_id: c.id, to_name: c.name, to_kind: c.kind, provider: c.provider, access: 'holder (same application)',
      props: { ...s.props, via: 'same-app', application: s.to_name ?? s.to_id } }))
    : []);
  const read = (cache: Map<string, PathStep[]>, ids: readonly string[], load: (ids: string[]) => PathStep[], key: (s: PathStep) => string) => {
    const unique = [...new Set(ids)];
    const missing = unique.filter((id) => !cache.has(id));
    if (missing.length) {
      for (const id of missing) cache.set(id, []);
      for (const s of load(missing)) cache.get(key(s))?.push(s);
    }
    return unique.flatMap((id) => cache.get(id) ?? []);
  };
  return {
    from: (ids) => read(out, ids, (m) => {
      const steps = stepsFrom(db, m);
      siblings.prefetch(steps.filter((s) => s.step === 'CREDENTIAL_OF' && s.to_kind === 'connector').map((s) => s.to_id));
      return steps.flatMap((s) => [s, ...sameApp(s)]);
    }, (s) => s.from_id),
    into: (ids) => read(into, ids, (m) => stepsInto(db, m), (s) => s.to_id),
  };
}


/** Siblings of connectors (same app_id), read in one query for a whole batch. */
interface Siblings { prefetch(ids: readonly string[]): void; of(id: string): NodeRef[] }

function siblingCache(db: Db): Siblings {
  const cache = new Map<string, NodeRef[]>();
  const prefetch = (ids: readonly string[]) => {
    const missing = [...new Set(ids)].filter((id) => !cache.has(id));
    if (missing.length) for (const [id, list] of siblingsOf(db, missing)) cache.set(id, list);
  };
  return { prefetch, of: (id) => { prefetch([id]); return cache.get(id) ?? []; } };
}

const hop = (s: PathStep): EscalationHop => ({ ...s, level: stepLevel(s) });
const ref = (id: string, name: string | null, kind: string, provider: string): NodeRef => ({ id, name, kind, provider });

interface PrivilegedEnd { hops: EscalationHop[]; privilege: EscalationPath['privilege'] }

/** Every escalation path of the graph (one per starting connector and privileged resource), ordered by origin and resource. */
export function computeEscalations(db: Db): EscalationPath[] {
  const endpoints = trustEndpoints(db);
  if (!endpoints.size) return [];
  const siblings = siblingCache(db);
  const src = cachedSource(db, siblings);
  // 1. the trusts (a TRUSTS edge a disabled Workload Identity provider carries admits no token: props.enabled false)
  const trusts = src.from([...endpoints.keys()]).filter((s) => s.step === 'TRUSTED_BY' && s.props.enabled !== false);
  // 2. per trusting identity, the privileged roles it can act with (one walk from all of them first reads every level's
  // steps for the whole frontier in one query; the walks per identity then find them cached)
  const identities = [...new Map(trusts.map((t) => [t.to_id, ref(t.to_id, t.to_name, t.to_kind, t.provider)])).values()];
  reachFrom(src, identities, { depth: FORWARD_DEPTH });
  const ends = new Map<string, PrivilegedEnd[]>();
  for (const t of trusts) {
    if (ends.has(t.to_id)) continue;
    const found: PrivilegedEnd[] = [];
    for (const p of reachFrom(src, [ref(t.to_id, t.to_name, t.to_kind, t.provider)], { depth: FORWARD_DEPTH })) {
      const last = p.hops.at(-1)!;
      const g = last.step === 'CAN_ACCESS' ? mostPrivileged(last.provider, rolesOf(last)) : undefined;
      if (!g) continue;
      found.push({ hops: p.hops, privilege: { role: g.role, tier: g.tier, severity: g.severity, reason: g.reason, source: g.source,
        holder: ref(last.from_id, last.from_name, last.from_kind, last.provider), resource: ref(last.to_id, last.to_name, last.to_kind, last.provider) } });
    }
    ends.set(t.to_id, found);
  }
  // 3. + 4. backwards from each endpoint that leads to one, joined with the trusts out of it
  const best = new Map<string, EscalationPath & { all: Set<string> }>();
  const origins = new Map<string, NodeRef>();
  const leading = groupBy(trusts.filter((t) => ends.get(t.to_id)!.length), (t) => t.from_id);
  reachTo(src, [...leading.values()].map((st) => ref(st[0]!.from_id, st[0]!.from_name, st[0]!.from_kind, '')), { depth: BACKWARD_DEPTH }); // the same, backwards
  const backs = [...leading].map(([endpointId, steps]) => ({ endpointId, steps,
    paths: reachTo(src, [ref(endpointId, steps[0]!.from_name, steps[0]!.from_kind, '')], { depth: BACKWARD_DEPTH }).filter((b) => b.origin.kind === 'connector') }));
  // what the joins read, for every origin at once: the scopes of CONTROLS holders, the origins' siblings
  src.from([...new Set(backs.flatMap((b) => b.paths.flatMap((p) => p.hops.filter((h) => h.step === 'CONTROLS').map((h) => h.from_id))))]);
  siblings.prefetch(backs.flatMap((b) => b.paths.map((p) => p.origin.id)));
  const heldScopes = new Map<string, string[]>();
  for (const { endpointId, steps, paths } of backs) {
    for (const back of paths) {
      const own = new Set([back.origin.id, ...siblings.of(back.origin.id).map((s) => s.id)]);
      const prefix = controlledPrefix(src, back.hops, heldScopes);
      if (!prefix) continue;
      for (const t of steps) {
        for (const end of ends.get(t.to_id)!) {
          const hops = [...prefix, hop(t), ...end.hops];
          if (!visitsOnce(hops) || hops.slice(1).some((h) => own.has(h.to_id))) continue;
          const identities = [...new Set([back.origin.id, ...hops.flatMap((h) => [[h.from_id, h.from_kind], [h.to_id, h.to_kind]])
            .filter(([, kind]) => kind === 'connector' || kind === 'credential').map(([id]) => id!)])];
          const key = `${back.origin.id}\u0000${end.privilege.resource.id}`;
          const was = best.get(key);
          const path = { origin: back.origin, publisher: null, hops, trustIndex: back.hops.length, trust: endpoints.get(endpointId)!, privilege: end.privilege, identities,
            otherPaths: 0, all: new Set([...(was?.all ?? []), ...identities]) };
          if (!was || better(path, was)) best.set(key, { ...path, otherPaths: was ? was.otherPaths + 1 : 0 });
          else { was.otherPaths++; for (const id of identities) was.all.add(id); }
          origins.set(back.origin.id, back.origin);
        }
      }
    }
  }
  const named = new Map(nodesByIds(db, [...origins.keys()]).map((n) => [n.id, n]));
  const publishers = new Map([...origins.keys()].map((id) => [id, publisherOf(db, id)]));
  return [...best.values()].sort((a, b) => cmp(a.origin.id, b.origin.id) || cmp(a.privilege.resource.id, b.privilege.resource.id)).map(({ all, ...p }) => ({
    ...p, origin: named.get(p.origin.id) ?? p.origin, publisher: publishers.get(p.origin.id) ?? null, identities: [...all],
  }));
}

/**
 * The hops to a trust with each CONTROLS step checked against its provider's catalogue: the holder must hold a scope
 * that changes what the repository's workflows run (pull_requests:write or deployments:write alone do not), shown as
 * the step's scope; null when one does not.
 */
function controlledPrefix(src: StepSource, hops: readonly EscalationHop[], heldScopes: Map<string, string[]>): EscalationHop[] | null {
  const out: EscalationHop[] = [];
  for (const h of hops) {
    if (h.step !== 'CONTROLS') { out.push(h); continue; }
    let held = heldScopes.get(h.from_id);
    if (!held) heldScopes.set(h.from_id, held = src.from([h.from_id]).filter((s) => s.step === 'HAS_SCOPE').map((s) => s.to_name ?? ''));
    const scope = workloadControlScope(h.provider, held);
    if (scope === null) return null;
    out.push(scope === undefined ? h : { ...h, access: `write: ${scope}`, props: { ...h.props, scope, controls_workloads: true } });
  }
  return out;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** More privileged, then fewer hops, then the lower trust index (the trust nearer the origin). */
function better(a: EscalationPath, b: EscalationPath): boolean {
  const s = severityRank(a.privilege.severity) - severityRank(b.privilege.severity);
  if (s !== 0) return s < 0;
  if (a.hops.length !== b.hops.length) return a.hops.length < b.hops.length;
  if (a.trustIndex !== b.trustIndex) return a.trustIndex < b.trustIndex;
  return pathKey(a) < pathKey(b); // a fixed choice among equals, whatever order the backend read the steps in
}

const pathKey = (p: EscalationPath) => p.hops.map((h) => `${h.step}\u0000${h.to_id}\u0000${h.access}`).join('\u0001');

function visitsOnce(hops: readonly EscalationHop[]): boolean {
  const ids = [hops[0]!.from_id, ...hops.map((h) => h.to_id)];
  return new Set(ids).size === ids.length;
}

function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) { const k = key(x); const l = m.get(k); if (l) l.push(x); else m.set(k, [x]); }
  return m;
}
