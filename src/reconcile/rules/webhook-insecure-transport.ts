// Transport: a webhook that delivers its payloads over plain http:// or with TLS certificate verification turned
// off — anyone on the path can read (and, without verification, impersonate the receiver of) what it sends.
// Provider-neutral: any connector whose props carry its destination `url` (credentials and query already dropped by
// the adapter) or `insecure_ssl: true` is judged; adapters that know a webhook's URL or TLS setting map them so.
// High; low while the webhook is inactive (it delivers nothing until someone turns it back on). The title names the
// events it sends and the host.
// Sources: docs/reconcile.md (webhook-insecure-transport), docs/risk-catalogue.md §3 `webhook-insecure-transport`.
import { hostOf } from '../../util/redact.ts';
import { defineRule, type RuleResult } from '../rule.ts';
import { capList } from '../title-facts.ts';
import { isEnabled, ownersFor, subjectOf } from './util.ts';

type Problem = 'plain-http' | 'tls-verification-off';

export const webhookInsecureTransport = defineRule({
  id: 'webhook-insecure-transport', family: 'transport', severity: 'high',
  owasp: ['NHI4:2025'], nist: ['PR.DS-02', 'PR.AA-03'],
  description: 'A webhook delivers over plain http:// or with TLS certificate verification off (high; low while inactive).',
  remediation: 'Serve the receiver over HTTPS with a valid certificate, change the webhook URL to https:// and turn TLS certificate verification back on; treat what it has sent so far as disclosed.',
  evaluate(ctx) {
    const out: RuleResult[] = [];
    for (const c of ctx.snap.connectors) {
      const url = typeof c.props.url === 'string' ? c.props.url : null;
      const scheme = url ? schemeOf(url) : null;
      const problems: Problem[] = [];
      if (scheme === 'http') problems.push('plain-http');
      if (c.props.insecure_ssl === true) problems.push('tls-verification-off');
      if (!problems.length) continue;
      const host = typeof c.props.host === 'string' && c.props.host ? c.props.host : url ? hostOf(url) : null;
      const to = host ? ` to ${host}` : '';
      const events = Array.isArray(c.props.events) ? c.props.events.filter((e): e is string => typeof e === 'string').map((e) => (e === '*' ? 'all' : e)) : [];
      const what = events.length ? `${capList(events)} events` : 'events';
      const title = problems[0] === 'plain-http'
        ? `Webhook sends ${what} over plain http://${to}${problems.length > 1 ? ' (TLS certificate verification also off)' : ''}: ${c.name}`
        : `Webhook delivers ${what}${to} with TLS certificate verification off: ${c.name}`;
      const active = isEnabled(c);
      const e = ctx.entryOf(c.id);
      out.push({ subject: subjectOf(c), severity: active ? 'high' : 'low', title,
        evidence: { problems, url, scheme, host, insecure_ssl: c.props.insecure_ssl === true, active,
          events: Array.isArray(c.props.events) ? c.props.events : null,
          ...(active ? {} : { severity_reason: 'inactive: delivers nothing until it is turned back on' }) },
        owners: ownersFor(ctx, c.id), entry: e?.entry ?? null, matchRule: e?.rule ?? null });
    }
    return out;
  },
});

/** The URL's scheme in lower case ('http', 'https'), or null when it is not a URL. */
function schemeOf(url: string): string | null {
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(url.trim());
  return m ? m[1]!.toLowerCase() : null;
}
