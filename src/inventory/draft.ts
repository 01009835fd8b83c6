// `inventory draft`: a starting inventory from what the last crawl found — one entry per connector
// identity (a GitHub app, a Slack app, an OAuth client, an Entra app, a webhook target host), with
// machine facts filled in (match rules, vendor, the scopes granted now, forwarding hosts) and every
// field that needs a human left empty and marked FILL IN, so `inventory validate` lists what is missing.
import YAML from 'yaml';
import type { GraphSnapshot, SnapNode } from '../graph/reconcile-snapshot.ts';
import { MATCH_KEYS } from './match-keys.ts';

interface DraftEntry { id: string; name: string; vendor: string | null; match: Record<string, unknown>; scopes: Record<string, string[]>;
  forwarding: string[]; ownerHints: string[]; connectors: string[] }

const q = (v: unknown): string => (Array.isArray(v) ? `[${v.map(q).join(', ')}]` : YAML.stringify(v, { lineWidth: 0 }).trimEnd());
const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'connector';

function matchFor(c: SnapNode, hosts: string[]): { key: string; match: Record<string, unknown> } | null {
  const keys = MATCH_KEYS[c.provider];
  // the most stable provider key the connector carries, reversed priority: ids that survive reinstalls first
  for (const [k, spec] of Object.entries(keys ?? {}).reverse()) {
    for (const f of spec.fields) {
      const v = f === '$native' ? null : c.props[f];
      if (v !== null && v !== undefined && v !== '') return { key: `${c.provider}.${k}=${String(v).toLowerCase()}`, match: { [c.provider]: { [k]: String(v) } } };
    }
  }
  if (hosts.length) return { key: `host=${hosts[0]}`, match: { webhook_host: hosts[0] } };
  return null;
}

export function draftInventory(snap: GraphSnapshot, meta: { source: string; generatedAt: string }): string {
  const entries = new Map<string, DraftEntry>();
  const ids = new Set<string>();
  const unmatchable: string[] = [];
  for (const c of snap.connectors) {
    const hosts = (snap.forwardsOf.get(c.id) ?? []).map((f) => f.host);
    const m = matchFor(c, hosts);
    if (!m) { unmatchable.push(`${c.provider} ${c.type} ${c.name}`); continue; }
    let e = entries.get(m.key);
    if (!e) {
      let id = slug(`${c.provider}-${m.key.startsWith('host=') ? m.key.slice(5) : c.name}`);
      for (let i = 2; ids.has(id); i++) id = `${slug(`${c.provider}-${c.name}`)}-${i}`;
      ids.add(id);
      e = { id, name: m.key.startsWith('host=') ? `Webhooks to ${hosts[0]}` : c.name, vendor: snap.vendorOf.get(c.id) ?? null, match: m.match,
        scopes: {}, forwarding: [], ownerHints: [], connectors: [] };
      entries.set(m.key, e);
    }
    e.connectors.push(c.id);
    const scopes = [c.id, ...(snap.credentialsOf.get(c.id) ?? [])].flatMap((h) => (snap.scopesOf.get(h) ?? []).map((s) => s.scope));
    if (scopes.length) e.scopes[c.provider] = [...new Set([...(e.scopes[c.provider] ?? []), ...scopes])].sort();
    for (const h of hosts) if (!e.forwarding.includes(h)) e.forwarding.push(h);
    for (const o of snap.ownersOf.get(c.id) ?? []) {
      const p = snap.principals.get(o.principalId);
      const hint = (typeof p?.props.email === 'string' && p.props.email) || p?.name;
      if (hint && !e.ownerHints.includes(hint)) e.ownerHints.push(hint);
    }
  }
  const L: string[] = [
    `# nhi-census approved-connector inventory — DRAFT generated ${meta.generatedAt} from ${meta.source}.`,
    '# Machine facts (match rules, vendor, scopes granted now, forwarding hosts) are filled in; every field marked',
    '# FILL IN: needs a person. Keep only what you approve, trim scopes to what each connector needs, then run',
    '# `nhi-census inventory validate <file>`: it lists each missing field as file:line:field.',
    'version: 1',
    'defaults:',
    '  rotation_days: 90      # max credential age unless an entry says otherwise',
    '  dormancy_days: 90      # unused this long (where last use is known) = dormant',
    '  expiry_warning_days: 30   # warn this long before a static credential expires',
    '  allowed_destinations: []   # FILL IN: hosts any connector may send data to, e.g. "*.example.com"',
    'entries:',
  ];
  for (const e of [...entries.values()].sort((a, b) => a.id.localeCompare(b.id))) {
    L.push(`  - id: ${q(e.id)}`, `    name: ${q(e.name)}`,
      e.vendor ? `    vendor: ${q(e.vendor)}` : '    vendor: ""            # FILL IN (required): the publisher',
      '    business_owner: ""    # FILL IN (required): e-mail of the accountable business owner',
      `    technical_owner: ""   # FILL IN (required): e-mail of the technical owner${e.ownerHints.length ? ` (the graph names: ${e.ownerHints.join(', ')})` : ''}`,
      '    purpose: ""           # FILL IN (required): what it is for',
      '    ticket: ""            # FILL IN (required): approval ticket / reference',
      '    approved_on: ""       # FILL IN (required): YYYY-MM-DD',
      '    # approval_expires: YYYY-MM-DD   # FILL IN: re-approval date',
      '    match:');
    for (const line of YAML.stringify(e.match).trimEnd().split('\n')) L.push(`      ${line}`);
    if (Object.keys(e.scopes).length) {
      L.push('    scopes:               # granted now: keep only what it needs');
      for (const [p, s] of Object.entries(e.scopes)) L.push(`      ${p}: ${q(s)}`);
    }
    if (e.forwarding.length && !('webhook_host' in e.match)) L.push(`    forwarding: ${q(e.forwarding)}`);
    L.push(`    # found: ${e.connectors.length} connector(s), e.g. ${e.connectors[0]}`);
  }
  if (!entries.size) L.push('  []');
  if (unmatchable.length) L.push('', `# ${unmatchable.length} connector(s) carry no id a match rule can use (add name_pattern entries by hand):`,
    ...unmatchable.slice(0, 50).map((u) => `#   ${u}`));
  return L.join('\n') + '\n';
}
