// Issue 15 item 11: scenario files (`nhi-census sim --scenario`) are validated before any simulator starts —
// by the zod schema each provider registers beside its simulator — and every error names file:line and the
// provider's path: a misspelled key gets the closest known key, a missing required field is named, and the
// bundled demo (`sim --dump-scenario`) loads back unchanged.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/config/yaml-errors.ts';
import { loadConnectors } from '../../src/crawl/load-connectors.ts';
import { parseScenario } from '../../src/simulator/scenario.ts';
import { buildDemoScenario } from '../../scenarios/demo/index.ts';
import { inProcess } from './cli-in-process.ts';

const specs = await loadConnectors();

const base = `name: Tiny
github:
  org: { login: tiny, id: 1 }
  members: []
  repositories: []
  installations:
    - id: 10
      app_id: 20
      app_slug: ci-bot
      permissions: { contents: read }
      repository_selection: all
`;

function errors(text: string, file = 'tiny.yaml'): string[] {
  try { parseScenario(file, text, specs); } catch (e) { expect(e).toBeInstanceOf(InputError); return (e as InputError).issues; }
  throw new Error('expected the scenario to be invalid');
}

describe('scenario file validation', () => {
  it('accepts a valid file, and vendor fields it does not list pass through', () => {
    const s = parseScenario('tiny.yaml', base.replace('      repository_selection: all\n', '      repository_selection: all\n      html_url: https://github.com/x\n'), specs);
    expect((s.github as { installations: Array<Record<string, unknown>> }).installations[0]).toMatchObject({ app_slug: 'ci-bot', html_url: 'https://github.com/x' });
  });

  it('a misspelled key is an error with file:line and the closest known key (it used to crawl "complete" with 0 installations)', () => {
    expect(errors(base.replace('  installations:', '  instalations:'))).toEqual(["tiny.yaml:6: github.instalations: unknown key 'instalations' — did you mean 'installations'?"]);
    expect(errors(base.replace('github:', 'githb:'))).toEqual([expect.stringMatching(/^tiny\.yaml:2: githb: unknown key 'githb' — did you mean 'github'\?$/)]);
    // inside a vendor object: a near miss of a field the simulator serves
    expect(errors(base.replace('      permissions:', '      permisions:'))).toEqual([
      'tiny.yaml:7: github.installations.0.permissions: required: a mapping',
      "tiny.yaml:10: github.installations.0.permisions: unknown key 'permisions' — did you mean 'permissions'?"]);
  });

  it('a missing required field is named by provider and path (it used to surface as "Cannot read properties of undefined")', () => {
    expect(errors(base.replace('      app_slug: ci-bot\n', ''))).toEqual(['tiny.yaml:7: github.installations.0.app_slug: required: a string']);
    expect(errors(base.replace('  org: { login: tiny, id: 1 }\n', ''))).toEqual(['tiny.yaml:3: github.org: required: an object']);
    expect(errors(base.replace('repository_selection: all', 'repository_selection: some'))).toEqual([
      expect.stringMatching(/^tiny\.yaml:11: github\.installations\.0\.repository_selection: Invalid option: expected one of "all"\|"selected"$/)]);
    expect(errors('slack:\n  plan: pro\n  workspaces: []\n')).toEqual(expect.arrayContaining([
      'tiny.yaml:2: slack.token: required: an object', expect.stringMatching(/^tiny\.yaml:3: slack\.workspaces: needs at least one workspace/)]));
  });

  it('JSON files get line numbers too; faults are checked', () => {
    const json = JSON.stringify({ github: { org: { login: 'x', id: 1 }, members: [], repositories: [{ id: 1, name: 'r' }] }, faults: [{ kind: 'boom' }] }, null, 2);
    const errs = errors(json, 'tiny.json');
    expect(errs).toContainEqual(expect.stringMatching(/^tiny\.json:\d+: github\.repositories\.0\.full_name: required: a string$/));
    expect(errs).toContainEqual(expect.stringMatching(/^tiny\.json:\d+: faults\.0\.kind: Invalid option/));
  });

  it('`nhi-census sim --scenario` refuses an invalid file (exit 2) before starting anything', async () => {
    const dir = path.resolve('test/.tmp', `scenario-${process.pid}`);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'bad.yaml');
    fs.writeFileSync(file, base.replace('  installations:', '  instalations:'));
    const r = await inProcess(['sim', '--scenario', file]);
    expect(r.code).toBe(2);
    expect(r.message).toContain(`\n  ${file}:6: github.instalations: unknown key 'instalations' — did you mean 'installations'?`);
  });

  it('the bundled demo, as `sim --dump-scenario` prints it, loads back unchanged', async () => {
    let dumped = '';
    const write = process.stdout.write;
    process.stdout.write = ((s: string) => { dumped += s; return true; }) as never;
    try { expect((await inProcess(['sim', '--dump-scenario'])).code).toBe(0); } finally { process.stdout.write = write; }
    expect(dumped).toMatch(/^name: Halcyon Logistics/m);
    expect(parseScenario('demo.yaml', dumped, specs)).toEqual(JSON.parse(JSON.stringify(buildDemoScenario())));
  });
});
