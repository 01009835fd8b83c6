// The permission table of each provider doc (docs/providers/<p>.md) is the code's: generated from the
// resources' declared `permission` (src/crawl/permissions.ts permissionTable) between two markers, so every
// resource's permission is in the doc and the doc names no permission the code does not declare.
// `UPDATE_DOCS=1 npx vitest run test/coverage/permission-docs.test.ts` rewrites the blocks from the code.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConnectors } from '../../src/crawl/load-connectors.ts';
import { PERMISSION_TABLE_BEGIN, PERMISSION_TABLE_END, permissionTable } from '../../src/crawl/permissions.ts';

const specs = await loadConnectors();

/** Resources that make no request of their own (nothing can be refused), or read only public data. */
const NEEDS_NOTHING = new Set(['github.organization', 'github.apps', 'azure.service_principal_credentials']);

describe.each(specs.map((s) => [s.name, s] as const))('%s', (name, spec) => {
  const file = `docs/providers/${name}.md`;

  it('the doc\'s permission table is the one the code declares', () => {
    const doc = fs.readFileSync(file, 'utf8');
    const begin = doc.indexOf(PERMISSION_TABLE_BEGIN);
    const end = doc.indexOf(PERMISSION_TABLE_END);
    const block = `${PERMISSION_TABLE_BEGIN}\n${permissionTable(spec)}\n${PERMISSION_TABLE_END}`;
    if (process.env.UPDATE_DOCS && begin >= 0 && end > begin) {
      fs.writeFileSync(file, doc.slice(0, begin) + block + doc.slice(end + PERMISSION_TABLE_END.length));
      return;
    }
    expect(begin, `${file} has no permission table (add the markers: ${PERMISSION_TABLE_BEGIN} … ${PERMISSION_TABLE_END})`).toBeGreaterThanOrEqual(0);
    expect(doc.slice(begin, end + PERMISSION_TABLE_END.length), `${file}: run UPDATE_DOCS=1 npx vitest run ${'test/coverage/permission-docs.test.ts'}`).toBe(block);
  });

  it('every resource that asks the provider for something declares the permission it needs, in a kind the provider names', () => {
    for (const r of spec.resources) {
      if (NEEDS_NOTHING.has(r.type)) { expect(r.permission, r.type).toBeUndefined(); continue; }
      expect(r.permission, `${r.type} declares no permission`).toBeDefined();
      const kinds = Object.keys(r.permission!.grant);
      expect(kinds.length, r.type).toBeGreaterThan(0);
      for (const k of kinds) expect(spec.permissionKinds, `${r.type}: kind "${k}"`).toContain(k);
    }
  });
});
