// `inventory draft`: a starting inventory from what the last crawl found — one entry per connector
// identity (a GitHub app, a Slack app, an OAuth client, an Entra app, a webhook target host), with
// machine facts filled in (match rules, vendor, every permission held now — scopes, scopes of the credentials
// it holds, IAM/RBAC roles — forwarding hosts and chat channels, the category the catalogue gives it) and every
// field that needs a human left empty and marked FILL IN, so `inventory validate` lists what is missing. Filled in,
// it validates and approves all it found: reconciling with it raises no inventory, drift or destination finding (test/inventory/draft-roundtrip.test.ts).
// Provider text is hostile: the file is built with the YAML library and its comments are escaped (item 16
// of issue 13: a name starting with a newline once produced a draft that did not parse).
import { Document, isScalar, Scalar, visit, type YAMLMap, type YAMLSeq } from 'yaml';
import { permissionsOf, type GraphSnapshot, type SnapNode } from '../graph/reconcile-snapshot.ts';
import { escapeControls, hasControls } from '../util/terminal-text.ts';
import { catalogueCategory, type Classification } from '../categories/index.ts';
import { MATCH_KEYS } from './match-keys.ts';
import { isInventoryChannel, isInventoryHost } from './schema.ts';

interface DraftEntry { id: string; name: string; vendor: string | null; match: Record<string, unknown>; scopes: Record<string, string[]>;
  forwarding: string[]; ownerHints: string[]; connectors: string[]; category: Classification | null }

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'connector';

function matchFor(c: SnapNode, hosts: string[]): { key: string; match: Record<string, unknown> } | null {
  const keys = MATCH_KEYS[c.provider];
  // the most stable provider key the connector carries, reversed priority: ids that survive reinstalls first
  for (const [k, spec] of Object.entries(keys ?? {}).reverse()) {
    for (const f of spec.fields) {
      const v = f === '$native' ? null : c.props[f];
      if (typeof v !== 'string' && typeof v !== 'number') continue;
      // the inventory trims its values: an id with surrounding blanks could never match as written
      const s = String(v);
      if (s.trim() !== '' && s === s.trim()) return { key: `${c.provider}.${k}=${s.toLowerCase()}`, match: { [c.provider]: { [k]: s } } };
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
    // only hosts an inventory can name (a host name, not an address literal or garbage from the provider)
    const hosts = [...new Set((snap.forwardsOf.get(c.id) ?? []).map((f) => f.host.toLowerCase()).filter(isInventoryHost))];
    const m = matchFor(c, hosts);
    if (!m) { unmatchable.push(`${c.provider} ${c.type} ${c.name}`); continue; }
    let e = entries.get(m.key);
    if (!e) {
      let id = slug(`${c.provider}-${m.key.startsWith('host=') ? m.key.slice(5) : c.name}`);
      for (let i = 2; ids.has(id); i++) id = `${slug(`${c.provider}-${c.name}`)}-${i}`;
      ids.add(id);
      const vendor = snap.vendorOf.get(c.id);
      e = { id, name: m.key.startsWith('host=') ? `Webhooks to ${hosts[0]}` : c.name.trim() ? c.name : c.id, vendor: vendor?.trim() ? vendor : null, match: m.match,
        scopes: {}, forwarding: [], ownerHints: [], connectors: [], category: null };
      entries.set(m.key, e);
    }
    e.connectors.push(c.id);
    // what the category catalogue says it is (src/categories), proposed for a person to confirm
    e.category ??= catalogueCategory({ provider: c.provider, name: c.name, props: c.props, vendor: snap.vendorOf.get(c.id) ?? null });
    // the permissions the rules compare with the entry's scopes (src/graph/reconcile-snapshot.ts permissionsOf)
    const scopes = permissionsOf(snap, c.id).filter((s) => s !== '');
    if (scopes.length) e.scopes[c.provider] = [...new Set([...(e.scopes[c.provider] ?? []), ...scopes])].sort();
    const channels = (snap.channelsOf.get(c.id) ?? []).map((ch) => (ch.channel.startsWith('#') ? ch.channel : `#${ch.channel}`)).filter(isInventoryChannel);
    for (const d of [...hosts, ...channels]) if (!e.forwarding.includes(d)) e.forwarding.push(d);
    for (const o of snap.ownersOf.get(c.id) ?? []) {
      const p = snap.principals.get(o.principalId);
      const hint = (typeof p?.props.email === 'string' && p.props.email) || p?.name;
      if (hint && !e.ownerHints.includes(hint)) e.ownerHints.push(hint);
    }
  }
  return serialise([...entries.values()].sort((a, b) => a.id.localeCompare(b.id)), unmatchable, meta);
}

/**
 * The draft as YAML, built as a yaml Document (never by concatenating provider text): every value is a
 * scalar the library quotes as it needs, a value holding control, bidi or line-separator characters is
 * double-quoted with those characters written as escapes (the same text for a YAML parser, nothing a
 * terminal acts on), and provider text in comments is escaped the same way, so it cannot end the comment.
 */
function serialise(entries: DraftEntry[], unmatchable: string[], meta: { source: string; generatedAt: string }): string {
  const doc = new Document({
    version: 1,
    defaults: { rotation_days: 90, dormancy_days: 90, expiry_warning_days: 30, max_credential_lifetime_days: 365, allowed_destinations: [] },
    entries: entries.map((e) => ({
      id: e.id, name: e.name, vendor: e.vendor ?? '', business_owner: '', technical_owner: '', purpose: '', ticket: '', approved_on: '',
      ...(e.category ? { category: e.category.category } : {}),
      match: e.match,
      ...(Object.keys(e.scopes).length ? { scopes: e.scopes } : {}),
      ...forwardingOf(e),
    })),
  });
  doc.commentBefore = [
    ` nhi-census approved-connector inventory — DRAFT generated ${comment(meta.generatedAt)} from ${comment(meta.source)}.`,
    ' Machine facts (match rules, vendor, scopes and roles held now, forwarding hosts and channels, the catalogue\'s category) are filled in; every field marked',
    ' FILL IN: needs a person. Keep only what you approve, trim scopes to what each connector needs, then run',
    ' `nhi-census inventory validate <file>`: it lists each missing field as file:line:field.',
  ].join('\n');
  const defaults = doc.get('defaults') as YAMLMap;
  note(defaults, 'rotation_days', ' max credential age unless an entry says otherwise');
  note(defaults, 'dormancy_days', ' unused this long (where last use is known) = dormant');
  note(defaults, 'expiry_warning_days', ' warn this long before a static credential expires');
  note(defaults, 'max_credential_lifetime_days', ' longest lifetime (expiry − creation) a static credential may be issued with');
  note(defaults, 'allowed_destinations', ' FILL IN: hosts any connector may send data to, e.g. "*.example.com"');
  const items = (doc.get('entries') as YAMLSeq<YAMLMap>).items;
  items.forEach((m, i) => {
    const e = entries[i]!;
    if (!e.vendor) note(m, 'vendor', ' FILL IN (required): the publisher');
    note(m, 'business_owner', ' FILL IN (required): e-mail of the accountable business owner');
    note(m, 'technical_owner', ` FILL IN (required): e-mail of the technical owner${e.ownerHints.length ? ` (the graph names: ${e.ownerHints.map(comment).join(', ')})` : ''}`);
    note(m, 'purpose', ' FILL IN (required): what it is for');
    note(m, 'ticket', ' FILL IN (required): approval ticket / reference');
    note(m, 'approved_on', ' FILL IN (required): YYYY-MM-DD');
    keyOf(m, 'match')!.commentBefore = ' approval_expires: YYYY-MM-DD   # FILL IN: re-approval date';
    if (e.category) {
      const c = e.category;
      note(m, 'category', ` from the category catalogue (${comment([c.product, c.publisher].filter(Boolean).join(', ') || 'matched')}${c.match ? `, by ${c.match}` : ''}): confirm or change`);
    }
    const scopes = keyOf(m, 'scopes');
    if (scopes) scopes.comment = ' granted now: keep only what it needs';
    m.comment = ` found: ${e.connectors.length} connector(s), e.g. ${comment(e.connectors[0]!)}`;
  });
  if (unmatchable.length) {
    doc.comment = [` ${unmatchable.length} connector(s) carry no id a match rule can use (add name_pattern entries by hand):`,
      ...unmatchable.slice(0, 50).map((u) => `   ${comment(u)}`)].join('\n');
  }
  // short lists on one line, as a person writes them
  visit(doc, { Seq(_, seq) { if (seq.items.every((x) => isScalar(x))) seq.flow = true; } });
  // control, bidi and separator characters only ever inside double quotes, where escapes are valid YAML
  visit(doc, { Scalar(_, sc) { if (typeof sc.value === 'string' && hasControls(sc.value)) sc.type = Scalar.QUOTE_DOUBLE; } });
  return escapeControls(doc.toString({ lineWidth: 0, doubleQuotedMinMultiLineLength: Number.MAX_SAFE_INTEGER }), { keepNewlines: true });
}

/** The entry's `forwarding` list: its destinations, less the host its webhook_host rule already names. */
function forwardingOf(e: DraftEntry): { forwarding?: string[] } {
  const named = (e.match as { webhook_host?: string }).webhook_host;
  const rest = e.forwarding.filter((d) => d !== named);
  return rest.length ? { forwarding: rest } : {};
}

/** Provider text inside a comment: one line, every control or bidi character shown as an escape. */
function comment(text: string): string {
  return escapeControls(text);
}

function keyOf(m: YAMLMap, key: string): Scalar | undefined {
  return m.items.find((p) => isScalar(p.key) && p.key.value === key)?.key as Scalar | undefined;
}

/** A trailing comment on the value of `key` (`key: value # text`). */
function note(m: YAMLMap, key: string, text: string): void {
  const v = m.get(key, true) as Scalar | YAMLSeq | undefined;
  if (v) v.comment = text;
}
