// Every resource's declared inventory match keys (ResourceSpec.matchKeys) are keys the inventory knows for its
// provider, and every key the inventory offers is produced by at least one resource: otherwise an entry using it
// could never be checked and would always be "not verifiable (coverage)".
import { expect, it } from 'vitest';
import { loadConnectors } from '../../src/crawl/load-connectors.ts';
import { MATCH_KEYS } from '../../src/inventory/match-keys.ts';

it('match keys declared by resources and offered by the inventory agree, per provider', async () => {
  const specs = await loadConnectors();
  for (const spec of specs) {
    const known = Object.keys(MATCH_KEYS[spec.name] ?? {});
    const declared = new Set<string>();
    for (const r of spec.resources) {
      for (const k of r.matchKeys ?? []) {
        expect(known, `${r.type} declares ${k}`).toContain(k);
        expect(r.emits.nodes, `${r.type} declares match keys but emits no connector`).toContain('connector');
        declared.add(k);
      }
    }
    expect([...declared].sort(), spec.name).toEqual([...known].sort());
  }
});
