// The incremental reconciliation's basis (src/reconcile/incremental.ts basisOf) covers the catalogues the rules read:
// a change to a risk or category catalogue (a new AI agent, a role graded differently) makes the next reconciliation
// full, as a rule change does — a unit left unevaluated must not keep a finding the new catalogue would not raise.
import { describe, expect, it } from 'vitest';
import { registerCategories } from '../../src/categories/registry.ts';
import { loadConnectors } from '../../src/crawl/load-connectors.ts';
import { basisOf, cataloguesDigest } from '../../src/reconcile/incremental.ts';
import { inventory } from './helpers.ts';

describe('incremental basis: catalogues', () => {
  it('changes when a category catalogue is added, and not otherwise', async () => {
    await loadConnectors();
    const inv = inventory([]);
    const before = basisOf([], inv, new Map(), 'test');
    expect(basisOf([], inv, new Map(), 'test').rules).toBe(before.rules); // stable
    const digest = cataloguesDigest();
    registerCategories({ provider: 'zz-test', keyFields: ['app_id'], key: 'app id', entries: [{ product: 'Agent', publisher: 'Agent Inc', category: 'coding-agent', id: 'X1', source: 'https://example.com/x1' }] });
    expect(cataloguesDigest()).not.toBe(digest);
    expect(basisOf([], inv, new Map(), 'test').rules).not.toBe(before.rules);
    expect(basisOf([], inv, new Map(), 'test').policy).toBe(before.policy);
  });
});
