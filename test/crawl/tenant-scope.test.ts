// Tenant-scoped crawls (issue 18, docs/postgres.md "Tenants and crawls"): a provider block may be a list of blocks,
// each validated by the provider's schema (errors name the list index), switched off one by one, never two yielding the
// same tenant; crawlTargets lists the (provider, tenant) pairs a crawl covers; `--tenant` narrows a crawl to some
// tenants, each block crawled with its own config; a crawl of one tenant leaves another's objects alone.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import YAML from 'yaml';
import { executeCrawl } from '../../src/cli/crawl.ts';
import { configFromObject } from '../../src/config/config.ts';
import { InputError } from '../../src/config/yaml-errors.ts';
import { loadConnectors } from '../../src/crawl/load-connectors.ts';
import type { ProviderSpec } from '../../src/crawl/provider.ts';
import { defineResource } from '../../src/crawl/resource.ts';
import { crawlTargets } from '../../src/crawl/targets.ts';
import { openDb } from '../../src/graph/db.ts';
import { createLogger } from '../../src/util/log.ts';
import { runMain } from '../cli/run-main.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-tenant-scope-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const quiet = createLogger({ format: 'json', level: 'error', write: () => {} });

const errorOf = (fn: () => unknown): InputError => {
  try { fn(); } catch (err) { if (err instanceof InputError) return err; throw err; }
  throw new Error('no InputError thrown');
};

describe('provider blocks as a list', async () => {
  const specs = await loadConnectors();

  it('one block stays as it was: config is the block, configs holds it alone', () => {
    const c = configFromObject({ providers: { github: { orgs: ['Acme'] } } }, specs);
    const g = c.providers.get('github')!;
    expect(g.configs).toEqual([g.config]);
    expect(g.config.orgs).toEqual(['Acme']);
    expect(crawlTargets(c)).toEqual([{ provider: 'github', tenant: 'acme' }]);
  });

  it('a list: every block validated and kept in order, the first as config; targets cover every block\'s tenants', () => {
    const c = configFromObject({ providers: { github: [{ orgs: ['a1', 'a2'], tokenEnv: 'TOKEN_A' }, { orgs: ['b1'], tokenEnv: 'TOKEN_B', perPage: 50 }] } }, specs);
    const g = c.providers.get('github')!;
    expect(g.configs.map((x) => [x.orgs, x.tokenEnv, x.perPage])).toEqual([[['a1', 'a2'], 'TOKEN_A', 100], [['b1'], 'TOKEN_B', 50]]);
    expect(g.config).toBe(g.configs[0]);
    expect(crawlTargets(c)).toEqual([{ provider: 'github', tenant: 'a1' }, { provider: 'github', tenant: 'a2' }, { provider: 'github', tenant: 'b1' }]);
  });

  it('an invalid block is named by its index, and every invalid block is listed', () => {
    const err = errorOf(() => configFromObject({ providers: { github: [{ orgs: ['a'] }, { orgz: ['b'] }, { orgs: [] }] } }, specs));
    expect(err.message).toMatch(/providers\.github\.1/);
    expect(err.message).toMatch(/providers\.github\.2\.orgs/);
    expect(err.message).not.toMatch(/providers\.github\.0/);
  });

  it('enabled: false switches one block off; all blocks off is the provider off', () => {
    const c = configFromObject({ providers: { github: [{ orgs: ['a'], enabled: false }, { orgs: ['b'] }] } }, specs);
    expect(c.providers.get('github')!.configs.map((x) => x.orgs)).toEqual([['b']]);
    expect(crawlTargets(c)).toEqual([{ provider: 'github', tenant: 'b' }]);
    const off = configFromObject({ providers: { github: [{ orgs: ['a'], enabled: false }] } }, specs);
    expect(off.providers.has('github')).toBe(false);
  });

  it('two blocks yielding the same tenant are an error naming both blocks', () => {
    const err = errorOf(() => configFromObject({ providers: { github: [{ orgs: ['x', 'Shared'] }, { orgs: ['y'] }, { orgs: ['shared'] }] } }, specs));
    expect(err.message).toMatch(/tenant shared is configured twice: in providers\.github\[0\] and providers\.github\[2\]/);
    // Azure: one tenant per block
    const az = { clientId: 'c', clientSecretEnv: 'AZ_SECRET' };
    const e2 = errorOf(() => configFromObject({ providers: { azure: [{ tenantId: 'T1', ...az }, { tenantId: 't1', ...az }] } }, specs));
    expect(e2.message).toMatch(/configured twice: in providers\.azure\[0\] and providers\.azure\[1\]/);
  });
});

describe('crawlTargets', async () => {
  const specs = await loadConnectors();
  const config = configFromObject({ providers: { github: [{ orgs: ['One', 'two'] }, { orgs: ['three'] }], slack: { teamId: 'T0SLACK' } } }, specs);

  it('narrows to providers and tenant ids (ids compared without case), in config order', () => {
    expect(crawlTargets(config, ['github'])).toEqual([{ provider: 'github', tenant: 'one' }, { provider: 'github', tenant: 'two' }, { provider: 'github', tenant: 'three' }]);
    expect(crawlTargets(config, undefined, ['THREE', 'T0SLACK'])).toEqual([{ provider: 'github', tenant: 'three' }, { provider: 'slack', tenant: 'T0SLACK' }]);
    expect(crawlTargets(config, ['slack'], [])).toEqual([{ provider: 'slack', tenant: 'T0SLACK' }]);
  });

  it('an unknown tenant or provider is an InputError listing what is configured', () => {
    const t = errorOf(() => crawlTargets(config, undefined, ['one', 'nope']));
    expect(t.message).toMatch(/tenant\(s\) not configured: nope/);
    expect(t.message).toContain('github:one, github:two, github:three, slack:T0SLACK');
    // a tenant of another provider than the one selected is unknown too
    expect(errorOf(() => crawlTargets(config, ['slack'], ['one'])).message).toMatch(/not configured for slack: one \(configured: slack:T0SLACK\)/);
    expect(errorOf(() => crawlTargets(config, ['azure'])).message).toMatch(/provider\(s\) not configured: azure \(configured: github, slack/);
  });
});

// A provider of the test's own: each block names its tenant and a label its client reports, so which block's config
// crawled which tenant shows in the graph.
const items = defineResource<{ label: string; tenant: string; items: string[] }, string>({
  provider: 'probe', type: 'probe.items', description: 'the tenant\'s items',
  emits: { nodes: ['connector'], edges: [] },
  async *list(ctx) { yield { items: ctx.client.items }; },
  map: (i, ctx) => ({ nodes: [{ id: `probe:${ctx.tenant.id}:${i}`, kind: 'connector', type: 'probe.item', name: i, props: {} }], edges: [] }),
});
const probeSchema = z.object({ tenants: z.array(z.string()), label: z.string(), items: z.array(z.string()).default(['x', 'y']) }).strict();
const probe: ProviderSpec<z.infer<typeof probeSchema>, { label: string; tenant: string; items: string[] }> = {
  name: 'probe', description: 'test provider', configSchema: probeSchema,
  tenants: (cfg) => cfg.tenants.map((id) => ({ provider: 'probe', id, config: {} })),
  httpPolicy: { provider: 'probe', maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1, classify: () => ({ retry: false }) },
  createClient: (cfg, tenant) => ({ label: cfg.label, tenant: tenant.id, items: cfg.items.map((i) => `${cfg.label}-${i}`) }),
  resources: [items],
};

describe('crawl --tenant', () => {
  it('crawls only the named tenants, each with its own block\'s config; another tenant\'s objects stay', async () => {
    const db = openDb(':memory:');
    try {
      const config = configFromObject({ providers: { probe: [{ tenants: ['t1', 't2'], label: 'A' }, { tenants: ['t3'], label: 'B' }] } }, [probe]);
      const all = await executeCrawl({ config, db, log: quiet, progress: false });
      expect(all.status).toBe('complete');
      expect(all.resources.map((r) => r.tenant)).toEqual(['t1', 't2', 't3']);
      const names = () => db.prepare("SELECT id, name, removed_run FROM nodes WHERE type = 'probe.item' ORDER BY id").all();
      expect(names()).toEqual([
        { id: 'probe:t1:A-x', name: 'A-x', removed_run: null }, { id: 'probe:t1:A-y', name: 'A-y', removed_run: null },
        { id: 'probe:t2:A-x', name: 'A-x', removed_run: null }, { id: 'probe:t2:A-y', name: 'A-y', removed_run: null },
        { id: 'probe:t3:B-x', name: 'B-x', removed_run: null }, { id: 'probe:t3:B-y', name: 'B-y', removed_run: null },
      ]);
      // t3 alone, now listing one item fewer: only t3's listing removes, t1 and t2 are not touched
      const narrowed = configFromObject({ providers: { probe: [{ tenants: ['t1', 't2'], label: 'A' }, { tenants: ['t3'], label: 'B', items: ['x'] }] } }, [probe]);
      const one = await executeCrawl({ config: narrowed, db, tenants: ['T3'], log: quiet, progress: false });
      expect(one.status).toBe('complete');
      expect(one.resources.map((r) => [r.tenant, r.objects, r.removed])).toEqual([['t3', 1, 1]]);
      expect(db.prepare('SELECT run_id, tenant FROM run_resources ORDER BY run_id, tenant').all())
        .toEqual([{ run_id: 1, tenant: 't1' }, { run_id: 1, tenant: 't2' }, { run_id: 1, tenant: 't3' }, { run_id: 2, tenant: 't3' }]);
      expect(db.prepare("SELECT id FROM nodes WHERE type = 'probe.item' AND removed_run IS NOT NULL").pluck().all()).toEqual(['probe:t3:B-y']);
      expect(db.prepare("SELECT count(*) FROM nodes WHERE type = 'probe.item' AND removed_run IS NULL AND tenant IN ('t1','t2')").pluck().get()).toBe(4);
      // a tenant of the first block only: the second block is not crawled at all
      const first = await executeCrawl({ config, db, tenants: ['t2'], log: quiet, progress: false });
      expect(first.resources.map((r) => r.tenant)).toEqual(['t2']);
      await expect(executeCrawl({ config, db, tenants: ['t9'], log: quiet, progress: false })).rejects.toThrow(/tenant\(s\) not configured: t9 \(configured: probe:t1, probe:t2, probe:t3\)/);
    } finally { db.close(); }
  });

  it('the CLI refuses an unknown tenant with exit 2 before the database is created (crawl and run)', async () => {
    const cfg = path.join(dir, 'nhi-census.yaml');
    fs.writeFileSync(cfg, YAML.stringify({ organisation: 'Test', providers: { github: [{ orgs: ['alpha'] }, { orgs: ['beta'] }] } }));
    for (const cmd of ['crawl', 'run']) {
      const dbFile = path.join(dir, `${cmd}.db`);
      const r = await runMain([cmd, '-c', cfg, '--db', dbFile, '--tenant', 'gamma']);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/tenant\(s\) not configured: gamma \(configured: github:alpha, github:beta\)/);
      expect(fs.existsSync(dbFile)).toBe(false);
    }
    const help = await runMain(['crawl', '--help']);
    expect(help.stdout).toMatch(/--tenant <id\.\.\.>/);
  });
});
