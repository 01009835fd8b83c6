// Cross-provider escalation paths (docs/blast-radius.md "Cross-provider escalation"): which connectors can act, through a
// trust another identity gives a workload, as a cloud identity holding a privileged role. Computed once per
// reconciliation in its read phase, for the whole graph, and carried on the snapshot (GraphSnapshot.escalations) for the
// rule cross-provider-escalation and for the incremental units (src/reconcile/units.ts). Set-wise from the trusts —
// there are few — never a walk per connector over the whole graph:
//  1. every TRUSTED_BY step, out of the live trust endpoints;
//  2. forwards from each trusting identity (src/reach/walk.ts reachFrom): the resources it acts on with a role its
//     provider's risk catalogue lists as privileged (src/catalogue/privileged-roles.ts);
//  3. backwards from each endpoint whose trusting identity reaches one (reachTo): the connectors controlling a
//     repository that mints its tokens (CONTROLS: a scope the catalogue says changes what the workflows run,
//     `workloadControl`; read never crosses);
//  4. joined: origin → … → endpoint -TRUSTED_BY-> identity → … → resource, visiting no node twice and never ending on
//     the origin's own integration. One path per (origin, resource): the most privileged, then the shortest.
// Steps come from the reach graph held in memory (src/reach/memory-graph.ts: the `paths` view read once, set-wise),
// so no walk queries the database; the view's own steps include the same-application one (a credential of an Entra
// application yields tokens for its service principal, which holds the RBAC roles) and CONTROLS only through a scope
// that changes what workflows run (migration 023).
import { mostPrivileged } from '../catalogue/privileged-roles.ts';
import type { Db } from '../graph/db.ts';
import { publishersOf, siblingsOf, trustEndpoints, type EscalationHop, type EscalationPath } from '../graph/escalation-queries.ts';
import { nodesByIds, type NodeRef } from '../graph/paths-queries.ts';
import { rolesOf } from '../reach/levels.ts';
import { loadReachGraph } from '../reach/memory-graph.ts';
import { hopOf, reachFrom, reachTo } from '../reach/walk.ts';
import { compareText, groupBy } from '../util/collections.ts';
import { severityRank } from '../catalogue/index.ts';

/**
 * Hops walked from a trust's identity to its privileged role, and back from a trust endpoint to a starting connector
 * (connector → credential → repository → endpoint at most: a walk further back reaches people, never a connector).
 */
export const FORWARD_DEPTH = 4;
export const BACKWARD_DEPTH = 3;

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

const ref = (id: string, name: string | null, kind: string, provider: string): NodeRef => ({ id, name, kind, provider });

interface PrivilegedEnd { hops: EscalationHop[]; privilege: EscalationPath['privilege'] }

/** Every escalation path of the graph (one per starting connector and privileged resource), ordered by origin and resource. */
export function computeEscalations(db: Db): EscalationPath[] {
  const endpoints = trustEndpoints(db);
  if (!endpoints.size) return [];
  const siblings = siblingCache(db);
  const src = loadReachGraph(db);
  // 1. the trusts (a TRUSTS edge a disabled Workload Identity provider carries admits no token: props.enabled false)
  const trusts = src.from([...endpoints.keys()]).filter((s) => s.step === 'TRUSTED_BY' && s.props.enabled !== false);
  // 2. per trusting identity, the privileged roles it can act with
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
  const backs = [...leading].map(([endpointId, steps]) => ({ endpointId, steps,
    paths: reachTo(src, [ref(endpointId, steps[0]!.from_name, steps[0]!.from_kind, '')], { depth: BACKWARD_DEPTH }).filter((b) => b.origin.kind === 'connector') }));
  siblings.prefetch(backs.flatMap((b) => b.paths.map((p) => p.origin.id))); // the origins' own integrations, in one query
  for (const { endpointId, steps, paths } of backs) {
    for (const back of paths) {
      const own = new Set([back.origin.id, ...siblings.of(back.origin.id).map((s) => s.id)]);
      for (const t of steps) {
        for (const end of ends.get(t.to_id)!) {
          const hops: EscalationHop[] = [...back.hops, hopOf(t), ...end.hops]; // graded hops of the memory graph
          if (!visitsOnce(hops) || hops.slice(1).some((h) => own.has(h.to_id))) continue;
          const identities = identitiesOn(back.origin.id, hops);
          const key = `${back.origin.id}\u0000${end.privilege.resource.id}`;
          const was = best.get(key);
          const path = { origin: back.origin, publisher: null, hops, trustIndex: back.hops.length, trust: endpoints.get(endpointId)!, privilege: end.privilege, identities, otherPaths: 0 };
          if (!was) best.set(key, { ...path, all: new Set(identities) });
          else {
            for (const id of identities) was.all.add(id); // every identity on any of the pair's paths
            if (better(path, was)) best.set(key, { ...path, otherPaths: was.otherPaths + 1, all: was.all });
            else was.otherPaths++;
          }
          origins.set(back.origin.id, back.origin);
        }
      }
    }
  }
  const named = new Map(nodesByIds(db, [...origins.keys()]).map((n) => [n.id, n]));
  const publishers = publishersOf(db, [...origins.keys()]);
  return [...best.values()].sort((a, b) => compareText(a.origin.id, b.origin.id) || compareText(a.privilege.resource.id, b.privilege.resource.id)).map(({ all, ...p }) => ({
    ...p, origin: named.get(p.origin.id) ?? p.origin, publisher: publishers.get(p.origin.id) ?? null, identities: [...all],
  }));
}


/** More privileged, then fewer hops, then the lower trust index (the trust nearer the origin). */
function better(a: EscalationPath, b: EscalationPath): boolean {
  const s = severityRank(a.privilege.severity) - severityRank(b.privilege.severity);
  if (s !== 0) return s < 0;
  if (a.hops.length !== b.hops.length) return a.hops.length < b.hops.length;
  if (a.trustIndex !== b.trustIndex) return a.trustIndex < b.trustIndex;
  return pathKey(a) < pathKey(b); // a fixed choice among equals, whatever order the backend read the steps in
}

const pathKey = (p: EscalationPath) => p.hops.map((h) => `${h.step}\u0000${h.to_id}\u0000${h.access}`).join('\u0001');

/** The connectors and credentials on a path (the origin first), each once. */
function identitiesOn(origin: string, hops: readonly EscalationHop[]): string[] {
  const out = new Set([origin]);
  for (const h of hops) {
    if (h.from_kind === 'connector' || h.from_kind === 'credential') out.add(h.from_id);
    if (h.to_kind === 'connector' || h.to_kind === 'credential') out.add(h.to_id);
  }
  return [...out];
}

function visitsOnce(hops: readonly EscalationHop[]): boolean {
  const ids = [hops[0]!.from_id, ...hops.map((h) => h.to_id)];
  return new Set(ids).size === ids.length;
}

