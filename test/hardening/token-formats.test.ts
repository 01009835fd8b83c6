// The masking helpers every write boundary uses: each declared token format is masked wherever it sits
// in a string or a JSON value (keys included), unchanged values come back as the same reference, private
// keys are masked even without their END line, and hostile input cannot make masking slow or unsafe.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSecretPatterns } from '../../src/crawl/load-connectors.ts';
import { maskDeep, maskJson, maskText, MASK } from '../../src/util/redact.ts';

const d = (n: number) => '7'.repeat(n);
/** One value of every declared format (core and provider), each after a character that is not a word boundary trap. */
const FORMATS: Record<string, string> = {
  'github classic': `ghp_${d(36)}`, 'github oauth': `gho_${d(36)}`, 'github user-to-server': `ghu_${d(36)}`,
  'github server-to-server': `ghs_${d(36)}`, 'github refresh': `ghr_${d(36)}`, 'github fine-grained': `github_pat_11${d(20)}_${d(59)}`,
  'slack bot': `xoxb-${d(10)}-${d(13)}-${d(24)}`, 'slack user': `xoxp-${d(10)}-${d(10)}-${d(13)}-${d(32)}`, 'slack legacy workspace app': `xoxa-2-${d(30)}`,
  'slack refresh': `xoxe-1-${d(40)}`, 'slack rotated': `xoxe.xoxb-1-${d(40)}`, 'slack app-level': `xapp-1-A${d(10)}-${d(13)}-${d(64)}`,
  'slack webhook': `https://hooks.slack.com/services/T${d(8)}/B${d(8)}/${d(24)}`, 'slack workflow trigger': `https://hooks.slack.com/triggers/T${d(8)}/${d(12)}/${d(32)}`,
  'google api key': `AIza${d(35)}`, 'google access token': `ya29.a0${d(60)}`, 'google refresh token': `1//0${d(40)}`, 'google client secret': `GOCSPX-${d(28)}`,
  'entra client secret': `abc8Q~${d(34)}`, 'entra secret starting with a symbol': `.b~8Q~${d(34)}`,
  jwt: `eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.${d(43)}`, bearer: `Bearer ${d(40)}`,
  'private key': `-----BEGIN PRIVATE KEY-----\nMIIEv${d(60)}\n${d(60)}==\n-----END PRIVATE KEY-----`,
  'rsa private key': `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,${d(32)}\n\n${d(64)}\n-----END RSA PRIVATE KEY-----`,
  'private key without its END line': `-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl${d(70)}\n${d(70)}`,
};

beforeAll(async () => { await loadSecretPatterns(); });

describe('maskText', () => {
  it('masks every declared format, alone, inside text, after a newline and before punctuation', () => {
    for (const [name, v] of Object.entries(FORMATS)) {
      for (const text of [v, `name: ${v}`, `line one\n${v}\nline two`, `(${v}).`, `"${v}"`]) {
        const out = maskText(text);
        expect(out, `${name} in ${JSON.stringify(text)}`).toContain(MASK);
        expect(out, name).not.toContain(d(20));
      }
    }
  });

  it('leaves ordinary names alone (the same string comes back)', () => {
    for (const s of ['deployhub-pro', 'Standup Bot', 'deploy-bot@halcyon-prod.iam.gserviceaccount.com', 'https://ci.example.com/hooks/web',
      'ghp_short', 'xoxb-123', 'CI token terraform-plan-2025', 'token for deploy-bot-staging-eu', 'Bearer of bad news', 'repo:halcyon-logistics/infra:ref:refs/heads/main', '-----BEGIN CERTIFICATE-----', 'AIza too short']) {
      expect(maskText(s)).toBe(s);
    }
  });

  it('masks many private-key headers without END lines in one long string (linear, not quadratic)', () => {
    const hostile = '-----BEGIN PRIVATE KEY-----AAAA'.repeat(20_000) + 'x'.repeat(200_000);
    const out = maskText(hostile);
    expect(out).not.toContain('BEGIN');
  });
});

describe('maskDeep / maskJson', () => {
  it('masks strings at any depth, and object keys, without touching numbers, booleans or ids that are not token-shaped', () => {
    const token = FORMATS['github classic']!;
    const v = { id: 'github:app:1', n: 3, ok: true, nil: null, nested: { list: ['a', `note ${token}`, { [token]: 1 }] } };
    const out = maskDeep(v);
    expect(JSON.stringify(out)).not.toContain(token);
    expect(out.id).toBe('github:app:1');
    expect(out.n).toBe(3);
    expect(out.nested.list[0]).toBe('a');
    expect(out.nested.list[1]).toBe(`note ${MASK}`);
    expect(Object.keys(out.nested.list[2] as object)).toEqual([MASK]);
    expect(v.nested.list[1]).toBe(`note ${token}`); // the input is not modified
  });

  it('returns the same reference when there is nothing to mask (the writer\'s hot path allocates nothing)', () => {
    const v = { a: 'x', b: [1, 'y', { c: 'z' }] };
    expect(maskDeep(v)).toBe(v);
    const partly = { keep: { a: 'x' }, change: `ghp_${d(36)}` };
    const out = maskDeep(partly);
    expect(out).not.toBe(partly);
    expect(out.keep).toBe(partly.keep);
  });

  it('a "__proto__" key stays a plain own property', () => {
    const v = JSON.parse(`{"__proto__": {"polluted": "ghp_${d(36)}"}, "b": "ghp_${d(36)}"}`) as Record<string, unknown>;
    const out = maskDeep(v);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'b']);
    expect(JSON.stringify(out)).not.toContain(d(36));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('maskJson keeps valid JSON even when a key block spans two strings, and masks text that is not JSON', () => {
    const json = JSON.stringify({ a: '-----BEGIN PRIVATE KEY-----', b: `${d(40)}-----END PRIVATE KEY-----` });
    const out = maskJson(json);
    expect(() => JSON.parse(out)).not.toThrow();
    expect(out).not.toContain('BEGIN PRIVATE');
    const unchanged = JSON.stringify({ a: 'x' });
    expect(maskJson(unchanged)).toBe(unchanged);
    expect(maskJson(`not json ghp_${d(36)}`)).toBe(`not json ${MASK}`);
  });
});
