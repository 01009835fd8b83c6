// Issue 13 item 3: a credential pasted into the config file — most likely into a `*Env` field that should
// name an environment variable — is refused at validation, naming file:line:field and never echoing the
// value: not on stderr, not on stdout, not in a database (none is created).
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { InputError } from '../../src/config/yaml-errors.ts';
import { loadConnectors } from '../../src/crawl/load-connectors.ts';
import { cli } from '../ops/helpers.ts';

const dir = path.resolve('test/.tmp', `config-secrets-${process.pid}`);
fs.mkdirSync(dir, { recursive: true });
let n = 0;
const write = (config: unknown) => { const f = path.join(dir, `c${++n}.yaml`); fs.writeFileSync(f, YAML.stringify(config)); return f; };

// One value of each declared token format (src/util/redact.ts and each connector's secretPatterns).
const GHP = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
const TOKENS: Record<string, string> = {
  'github classic PAT': GHP,
  'github fine-grained PAT': 'github_pat_' + '11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz',
  'slack bot token': 'xoxb-' + '1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx',
  'google access token': 'ya29.' + 'a0AfH6SMBx-not-a-real-token_1234567890',
  'entra client secret': 'abc8Q~' + 'Zy1xW2vU3tS4rQ5pO6nM7lK8jI9hG0fE1d',
  JWT: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjcmF3bGVyIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ',
};

async function refusal(config: unknown): Promise<InputError> {
  try { loadConfig(write(config), await loadConnectors()); } catch (e) { return e as InputError; }
  throw new Error('the config was accepted');
}

describe('config: credentials pasted into the file are refused', () => {
  it.each(Object.entries(TOKENS))('a %s in providers.github.tokenEnv', async (_, token) => {
    const err = await refusal({ providers: { github: { orgs: ['acme'], tokenEnv: token } } });
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toMatch(/c\d+\.yaml:\d+: providers\.github\.tokenEnv: /);
    expect(err.message).not.toContain(token);
    expect(err.message).not.toContain(token.slice(0, 12));
  });

  it('every *Env field of every provider and of alerts', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ providers: { slack: { teamId: 'T1', tokenEnv: TOKENS['slack bot token'] } } }, /providers\.slack\.tokenEnv/],
      [{ providers: { google: { domain: 'example.com', auth: { accessTokenEnv: TOKENS['google access token'] } } } }, /providers\.google\.auth\.accessTokenEnv/],
      [{ providers: { google: { domain: 'example.com', auth: { keyEnv: TOKENS.JWT } } } }, /providers\.google\.auth\.keyEnv/],
      [{ providers: { azure: { tenantId: 't', clientSecretEnv: TOKENS['entra client secret'] } } }, /providers\.azure\.clientSecretEnv/],
      [{ providers: { github: { orgs: ['a'], app: { appId: 1, privateKeyEnv: GHP } } } }, /providers\.github\.app\.privateKeyEnv/],
      [{ alerts: { webhook: { urlEnv: 'HOOK_URL', secretEnv: GHP } } }, /alerts\.webhook\.secretEnv/],
    ];
    for (const [config, field] of cases) {
      const err = await refusal(config);
      expect(err.message).toMatch(field);
      for (const t of [...Object.values(TOKENS)]) expect(err.message).not.toContain(t);
    }
  });

  it('a *Env value that is not an environment variable name is refused without being echoed', async () => {
    const value = 'my secret value 1234';
    const err = await refusal({ providers: { azure: { tenantId: 't', clientSecretEnv: value } } });
    expect(err.message).toMatch(/providers\.azure\.clientSecretEnv: .*NAME of an environment variable/);
    expect(err.message).not.toContain(value);
  });

  it('a token-shaped value in any other field is refused too (credentials come only from the environment)', async () => {
    const err = await refusal({ organisation: GHP, providers: { github: { orgs: [GHP] } } });
    expect(err.message).toMatch(/organisation: /);
    expect(err.message).toMatch(/providers\.github\.orgs\.0: /);
    expect(err.message).not.toContain(GHP);
  });

  it('`crawl` and `run` exit 2, print the field and not the token, and create no database', async () => {
    const db = path.join(dir, 'never.db');
    const f = write({ database: db, providers: { github: { orgs: ['acme'], tokenEnv: GHP } } });
    for (const cmd of ['crawl', 'run']) {
      const r = await cli([cmd, '-c', f]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/providers\.github\.tokenEnv/);
      expect(r.stdout + r.stderr).not.toContain(GHP);
      expect(r.stdout + r.stderr).not.toContain(GHP.slice(4, 20));
      expect(fs.existsSync(db)).toBe(false);
    }
  });

  it('still accepts ordinary variable names', async () => {
    const c = loadConfig(write({ providers: { github: { orgs: ['acme'], tokenEnv: 'GH_READONLY_TOKEN' } } }), await loadConnectors());
    expect(c.providers.get('github')!.config.tokenEnv).toBe('GH_READONLY_TOKEN');
  });
});
