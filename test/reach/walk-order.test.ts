// The reach walk's answer does not depend on the order a step source hands out its steps (the two backends return
// rows of the `paths` view in different orders): a node reached at the same depth by several hops keeps the widest
// hop (highest level), then a fixed tie-break; rows come out by length, then target id. The summaries alike.
import { describe, expect, it } from 'vitest';
import type { NodeRef, PathStep } from '../../src/graph/paths-queries.ts';
import { memoryStepSource } from '../../src/reach/memory-graph.ts';
import { reachFrom, reachTo, type StepSource } from '../../src/reach/walk.ts';

const step = (from_id: string, from_kind: string, s: string, to_id: string, to_kind: string, access: string, provider: string, props: Record<string, unknown> = {}): PathStep =>
  ({ from_id, from_name: from_id, from_kind, step: s, to_id, to_name: to_id, to_kind, access, provider, props });

// C controls repository R; R's workflows mint E; E is trusted by a service account SA and by a pool P; both act on
// project X at the same depth — SA with roles/editor and a medium role, P with roles/iam.workloadIdentityUser (both
// critical), and a read-only app V reaches X with roles/viewer one hop shorter from its own start.
const STEPS: PathStep[] = [
  step('C', 'connector', 'CONTROLS', 'R', 'resource', 'write: contents:write', 'github', { scope: 'contents:write', risk: 'high' }),
  step('R', 'resource', 'MINTS', 'E', 'endpoint', 'workflow tokens', 'trust'),
  step('E', 'endpoint', 'TRUSTED_BY', 'SA', 'connector', 'iam_binding (any-ref)', 'google', { breadth: 'any-ref' }),
  step('E', 'endpoint', 'TRUSTED_BY', 'P', 'connector', 'iam_binding (any-ref)', 'google', { breadth: 'any-ref' }),
  step('SA', 'connector', 'CAN_ACCESS', 'X', 'resource', 'roles/artifactregistry.writer, roles/editor', 'google', { roles: ['roles/artifactregistry.writer', 'roles/editor'] }),
  step('P', 'connector', 'CAN_ACCESS', 'X', 'resource', 'roles/iam.workloadIdentityUser', 'google', { roles: ['roles/iam.workloadIdentityUser'] }),
  step('P', 'connector', 'CAN_ACCESS', 'Y', 'resource', 'roles/viewer', 'google', { roles: ['roles/viewer'] }),
  step('SA', 'connector', 'CAN_ACCESS', 'Y', 'resource', 'roles/owner', 'google', { roles: ['roles/owner'] }),
];

function source(steps: PathStep[]): StepSource {
  return {
    from: (ids) => steps.filter((s) => ids.includes(s.from_id)),
    into: (ids) => steps.filter((s) => ids.includes(s.to_id)),
  };
}

/** Every order of the steps this test tries: as written, reversed, and rotated. */
const orders = (): PathStep[][] => [STEPS, [...STEPS].reverse(), ...[1, 3, 5].map((k) => [...STEPS.slice(k), ...STEPS.slice(0, k)])];
const ref = (id: string, kind: string): NodeRef => ({ id, name: id, kind, provider: 'test' });
const shape = (paths: ReturnType<typeof reachFrom>) => paths.map((p) => `${p.origin.id}:${p.hops.map((h) => `${h.from_id}-${h.step}-${h.to_id}[${h.access}]`).join(' ')}`);

describe('reach walk: order of the steps', () => {
  it('forwards: the same paths whatever the order; at equal depth the widest hop wins (roles/owner over roles/viewer)', () => {
    const walks = orders().map((o) => reachFrom(source(o), [ref('C', 'connector')], { depth: 6 }));
    const results = walks.map(shape);
    for (const r of results) expect(r).toEqual(results[0]);
    const toY = results[0]!.find((p) => p.endsWith('-Y[roles/owner]') || p.endsWith('-Y[roles/viewer]'));
    expect(toY).toContain('SA-CAN_ACCESS-Y[roles/owner]');
    // rows by length, then target id
    expect(walks[0]!.map((p) => p.target.id)).toEqual(['R', 'E', 'P', 'SA', 'X', 'Y']);
  });

  it('forwards over the summaries\' memory source: the same whatever the order', () => {
    const results = orders().map((o) => shape(reachFrom(memoryStepSource(o), [ref('C', 'connector')], { depth: 6 })));
    for (const r of results) expect(r).toEqual(results[0]);
  });

  it('backwards: the same paths whatever the order', () => {
    const results = orders().map((o) => shape(reachTo(source(o), [ref('X', 'resource')], { depth: 6 })));
    for (const r of results) expect(r).toEqual(results[0]);
    expect(results[0]!.map((p) => p.split(':')[0])).toEqual(expect.arrayContaining(['C', 'R', 'E', 'SA', 'P']));
  });
});
