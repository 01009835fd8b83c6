// webhook-insecure-transport (issue 15 item 4): a webhook that delivers over plain http:// or with TLS certificate
// verification turned off (GitHub `config.insecure_ssl: "1"`) is flagged; https with verification on is not.
// The GitHub mapper keeps what the rule needs: the URL's scheme and insecure_ssl (secrets and query dropped).
import { describe, expect, it } from 'vitest';
import { mapWebhook } from '../../connectors/github/webhook-map.ts';
import { reconcile } from '../../src/reconcile/engine.ts';
import { connector, crawlRun, findings, inventory, memDb, NOW } from '../reconcile/helpers.ts';

const RULE = 'webhook-insecure-transport';
const hook = (id: string, props: Record<string, unknown>) => connector('github', id, { connector_type: 'webhook', events: ['push'], ...props });

describe('webhook-insecure-transport', () => {
  it('fires on http:// and on TLS verification off; silent on https with verification on, and on connectors with no URL', () => {
    const db = memDb();
    crawlRun(db, 'github', { hooks: { nodes: [
      hook('plain-http', { url: 'http://ci.example.com/hooks/build', host: 'ci.example.com', insecure_ssl: false }),
      hook('no-verify', { url: 'https://siem.example.com/audit', host: 'siem.example.com', insecure_ssl: true }),
      hook('both', { url: 'HTTP://old.example.com/x', host: 'old.example.com', insecure_ssl: true }),
      hook('inactive', { url: 'http://old.example.com/y', host: 'old.example.com', insecure_ssl: false, active: false, enabled: false }),
      hook('clean', { url: 'https://ci.example.com/hooks/build', host: 'ci.example.com', insecure_ssl: false }),
      hook('no-url', { url: null, host: null, insecure_ssl: false }),
      connector('github', 'an-app', { app_id: 'A' }),
    ] } });
    reconcile(db, inventory([]), { now: NOW, rules: [RULE] });
    const f = Object.fromEntries(findings(db, RULE).map((x) => [x.subject_id.split(':').pop(), x]));
    expect(Object.keys(f).sort()).toEqual(['both', 'inactive', 'no-verify', 'plain-http']);
    expect(f['plain-http']!.severity).toBe('high');
    expect(f['no-verify']!.severity).toBe('high');
    expect(f.inactive!.severity).toBe('low');
    expect(f['plain-http']!.title).toContain('http://');
    expect(f['plain-http']!.title).toContain('ci.example.com');
    expect(f['no-verify']!.title).toMatch(/TLS certificate verification/i);
    expect(JSON.parse(f['plain-http']!.evidence)).toMatchObject({ scheme: 'http', insecure_ssl: false, problems: ['plain-http'], host: 'ci.example.com' });
    expect(JSON.parse(f.both!.evidence).problems).toEqual(['plain-http', 'tls-verification-off']);
  });

  it('is provider-neutral: any connector carrying an http:// url or insecure_ssl is judged', () => {
    const db = memDb();
    crawlRun(db, 'slack', { hooks: { nodes: [connector('slack', 'outgoing', { connector_type: 'outgoing_webhook', url: 'http://bot.example.com/slack' })] } });
    reconcile(db, inventory([]), { now: NOW, rules: [RULE] });
    expect(findings(db, RULE).map((x) => x.subject_id)).toEqual(['slack:connector:outgoing']);
  });
});

describe('GitHub webhook mapping keeps the transport facts', () => {
  const map = (config: Record<string, unknown>) => mapWebhook({ id: 1, active: true, events: ['push'], config } as never,
    { id: 'github:repo_webhook:1', type: 'github.repo_webhook', org: 'o', scopeName: 'o/r' }).nodes[0]!.props;

  it('keeps the URL scheme and insecure_ssl ("1" or 1 = verification off), never the URL\'s credentials or query', () => {
    expect(map({ url: 'http://u:p@ci.example.com/hook?token=abc', insecure_ssl: '0' })).toMatchObject({ url: 'http://ci.example.com/hook', insecure_ssl: false });
    expect(map({ url: 'https://ci.example.com/hook', insecure_ssl: '1' })).toMatchObject({ url: 'https://ci.example.com/hook', insecure_ssl: true });
    expect(map({ url: 'https://ci.example.com/hook', insecure_ssl: 1 })).toMatchObject({ insecure_ssl: true });
    expect(map({ url: 'https://ci.example.com/hook' })).toMatchObject({ insecure_ssl: false });
  });
});
