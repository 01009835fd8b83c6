// Config validation: errors name the file, line and field; credentials only from the environment.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { InputError } from '../../src/config/yaml-errors.ts';
import { loadConnectors } from '../../src/crawl/load-connectors.ts';

const write = (name: string, text: string) => { const f = path.resolve('test/.tmp', name); fs.writeFileSync(f, text); return f; };

describe('config', () => {
  it('accepts a valid file and applies defaults', async () => {
    const f = write('ok.yaml', 'providers:\n  github:\n    orgs: [acme]\n');
    const c = loadConfig(f, await loadConnectors());
    expect(c.base.database).toBe('nhi-census.db');
    expect(c.providers.get('github')!.config).toMatchObject({ baseUrl: 'https://api.github.com', orgs: ['acme'], tokenEnv: 'GITHUB_TOKEN', perPage: 100 });
  });

  it('names the file, line and field of every error', async () => {
    const f = write('bad.yaml', 'database: x.db\nconcurrency: 0\nproviders:\n  github:\n    orgs: []\n    perPage: 500\n    tokn: x\n  gitlab: {}\n');
    let err: InputError | undefined;
    try { loadConfig(f, await loadConnectors()); } catch (e) { err = e as InputError; }
    expect(err).toBeInstanceOf(InputError);
    expect(err!.issues.join('\n')).toMatch(new RegExp(`${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: concurrency: `));
    const again = (() => { try { loadConfig(write('bad2.yaml', 'providers:\n  github:\n    orgs: []\n    perPage: 500\n    tokn: x\n  gitlab: {}\n'), []); } catch (e) { return e as InputError; } })();
    expect(again!.message).toMatch(/bad2\.yaml:\d+: providers\.(github|gitlab): unknown provider/);
    const specs = await loadConnectors();
    const e3 = (() => { try { loadConfig(write('bad3.yaml', 'providers:\n  github:\n    orgs: []\n    perPage: 500\n    tokn: x\n'), specs); } catch (e) { return e as InputError; } })()!;
    expect(e3.issues.some((i) => /bad3\.yaml:3: providers\.github\.orgs: list at least one organisation login/.test(i))).toBe(true);
    expect(e3.issues.some((i) => /bad3\.yaml:4: providers\.github\.perPage: /.test(i))).toBe(true);
    expect(e3.issues.some((i) => /bad3\.yaml:5: providers\.github\.tokn: .*tokn/.test(i))).toBe(true);
  });

  it('reports YAML syntax errors with line and column', async () => {
    const f = write('syntax.yaml', 'providers:\n  github:\n    orgs: [acme\n');
    expect(() => loadConfig(f, [])).toThrow(/syntax\.yaml:\d+:\d+: invalid YAML/);
  });
});
