// The demo Azure scenario at bench scale: its recycle-bin user must not share an id with a live user (at 9,001+
// users it did, so the bench's users listing met a duplicate id, ended partial and its delta link was not kept).
import { describe, expect, it } from 'vitest';
import { buildAzureScenario } from '../../scenarios/demo/azure.ts';

describe('demo Azure scenario at scale', () => {
  it('no deleted user shares an id with a live one', () => {
    const s = buildAzureScenario({ applications: 10, servicePrincipals: 40, users: 20_000 });
    const live = new Set(s.users.map((u) => u.id));
    expect(s.deletedUsers?.length).toBeGreaterThan(0);
    expect((s.deletedUsers ?? []).filter((u) => live.has(u.id))).toEqual([]);
  });
});
