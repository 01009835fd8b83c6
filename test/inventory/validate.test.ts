// The inventory format: valid files load; every error names file:line:field; cross-entry problems
// (duplicate ids, a match value claimed twice) are caught; `inventory validate` exits 2 on errors.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { InputError } from '../../src/config/yaml-errors.ts';
import { loadInventory, parseInventory } from '../../src/inventory/load.ts';

const valid = `version: 1
defaults:
  rotation_days: 180
  allowed_destinations: ["*.example.com"]
entries:
  - id: acme
    name: Acme
    vendor: Acme Inc
    business_owner: Boss@Example.com
    technical_owner: tech@example.com
    purpose: builds
    ticket: SEC-1
    approved_on: 2025-01-01
    approval_expires: 2027-01-01
    match:
      github: { app_slug: acme, installation_id: 42 }
      slack: { app_id: [A1, A2] }
      webhook_host: hooks.acme.io
    scopes:
      github: [contents:read]
    forwarding: [api.acme.io]
    rotation_days: 30
`;

function errors(text: string): string[] {
  try { parseInventory('inv.yaml', text); } catch (e) { expect(e).toBeInstanceOf(InputError); return (e as InputError).issues; }
  throw new Error('expected the inventory to be invalid');
}

describe('inventory validation', () => {
  it('loads a valid inventory with normalised values', () => {
    const { inventory, hash } = parseInventory('inv.yaml', valid);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    const e = inventory.entries[0]!;
    expect(e.business_owner).toBe('boss@example.com');
    expect((e.match as Record<string, unknown>).github).toEqual({ app_slug: ['acme'], installation_id: ['42'] });
    expect((e.match as Record<string, unknown>).slack).toEqual({ app_id: ['A1', 'A2'] });
    expect(e.match.webhook_host).toEqual(['hooks.acme.io']);
    expect(inventory.defaults).toEqual({ rotation_days: 180, dormancy_days: 90, expiry_warning_days: 30, max_credential_lifetime_days: 365, allowed_destinations: ['*.example.com'],
      sla_days: { critical: 7, high: 30, medium: 90, low: 180 } });
  });

  it('names file:line:field for a bad e-mail, a missing field, a bad date and an unknown key', () => {
    const text = valid.replace('tech@example.com', 'not-an-email').replace('    ticket: SEC-1\n', '').replace('approval_expires: 2027-01-01', 'approval_expires: soon')
      .replace('    rotation_days: 30', '    rotation_dayz: 30');
    const errs = errors(text);
    expect(errs).toContain('inv.yaml:10: entries.0.technical_owner: must be an e-mail address');
    expect(errs).toContain('inv.yaml:6: entries.0.ticket: required: the approval ticket / reference');
    expect(errs).toContain('inv.yaml:13: entries.0.approval_expires: must be a date (YYYY-MM-DD)');
    expect(errs).toContain("inv.yaml:21: entries.0.rotation_dayz: unknown key 'rotation_dayz' — did you mean 'rotation_days'?");
  });

  it('catches problems across entries: duplicate ids, a match value claimed by two entries', () => {
    const second = valid.split('entries:\n')[1]!.replace('business_owner', 'business_owner').replace('slack: { app_id: [A1, A2] }', 'slack: { app_id: A3 }')
      .replace('webhook_host: hooks.acme.io', 'webhook_host: other.acme.io');
    expect(errors(valid + second.replace('app_slug: acme', 'app_slug: other'))).toEqual(["inv.yaml:23: entries.1.id: duplicate id 'acme' (also entries.0)"]);
    expect(errors(valid + second.replace('id: acme', 'id: acme-2')).sort()).toEqual([
      "inv.yaml:33: entries.1.match.github.app_slug: 'acme' is already matched by entry 'acme'",
      "inv.yaml:33: entries.1.match.github.installation_id: '42' is already matched by entry 'acme'"]);
  });

  it('checks match rules, temporary entries, hosts and patterns', () => {
    const text = valid.replace('    match:\n      github: { app_slug: acme, installation_id: 42 }\n      slack: { app_id: [A1, A2] }\n      webhook_host: hooks.acme.io\n',
      '    temporary: true\n    match:\n      github: { app_name: acme }\n      webhook_host: https://hooks.acme.io/x\n      name_pattern: "(["\n');
    const errs = errors(text);
    expect(errs.some((e) => /^inv\.yaml:17: entries\.0\.match\.github\.app_name: unknown key 'app_name' \(known: installation_id, app_id, app_slug\)$/.test(e))).toBe(true);
    expect(errs).toContain('inv.yaml:18: entries.0.match.webhook_host.0: must be a host name (example.com or *.example.com), not a URL');
    expect(errors(valid.replace('    rotation_days: 30', '    temporary: true'))).toEqual(['inv.yaml:6: entries.0.end_date: required when temporary: true']);
    expect(errs.some((e) => /entries\.0\.match\.name_pattern: not a valid regular expression/.test(e))).toBe(true);
    expect(errors(valid.replace('      github: { app_slug: acme, installation_id: 42 }\n      slack: { app_id: [A1, A2] }\n      webhook_host: hooks.acme.io\n', '      github: {}\n')))
      .toEqual([expect.stringMatching(/^inv\.yaml:\d+: entries\.0\.match: needs at least one match rule/)]);
  });

  it('reports YAML syntax errors with file:line:col', () => {
    expect(() => parseInventory('inv.yaml', 'entries:\n  - id: [unclosed\n')).toThrow(/^inv\.yaml:\d+:\d+: invalid YAML/);
  });

  it('the bundled demo inventory is valid', () => {
    expect(loadInventory('scenarios/demo/inventory.yaml').inventory.entries.length).toBeGreaterThan(10);
  });

  it('`nhi-census inventory validate` exits 0 on a valid file and 2 on an invalid one', async () => {
    const dir = path.resolve('test/.tmp', `inv-${process.pid}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'ok.yaml'), valid);
    fs.writeFileSync(path.join(dir, 'bad.yaml'), valid.replace('tech@example.com', 'nope'));
    const run = async (f: string) => {
      const w = process.stdout.write; const e = process.stderr.write; let err = '';
      process.stdout.write = (() => true) as never; process.stderr.write = ((s: string) => { err += s; return true; }) as never;
      try { return { code: await main(['node', 'nhi-census', 'inventory', 'validate', path.join(dir, f)]), err }; } finally { process.stdout.write = w; process.stderr.write = e; }
    };
    expect((await run('ok.yaml')).code).toBe(0);
    const bad = await run('bad.yaml');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/bad\.yaml:10: entries\.0\.technical_owner: must be an e-mail address/);
  });
});
