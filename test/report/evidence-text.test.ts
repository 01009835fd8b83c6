// Evidence as the report shows it (issue 15 item 6): labelled fields, dates as dates, day counts with their unit,
// lists joined, nested objects readable, people by name and e-mail instead of internal principal ids — while
// report.json keeps the structured evidence unchanged.
import { describe, expect, it } from 'vitest';
import { evidenceLabel, formatEvidence, peopleLookup, type PeopleLookup } from '../../reports/evidence-text.ts';
import { buildReportModel } from '../../reports/model.ts';
import { renderJson } from '../../reports/render-csv.ts';
import { renderMarkdown } from '../../reports/render-markdown.ts';
import { principalsNamed } from '../../src/graph/report-queries.ts';
import type { GraphNode } from '../../src/graph/model.ts';
import { connector, smallGraph } from './small-graph.ts';

const PEOPLE: Record<string, { name: string | null; email: string | null }> = {
  'google:user:104': { name: 'Maya Chen', email: 'maya.chen@example.com' },
  'github:user:rkowalski': { name: 'Rafal Kowalski', email: 'rafal.kowalski@example.com' },
};
const people: PeopleLookup = (v) => PEOPLE[v];
/** The old rendering: `key_name: value; key_name: value`. */
const RAW_DUMP = /\b[a-z]+_[a-z_]+: |; [a-z_]+: /;

describe('formatEvidence', () => {
  it('labels known keys, shows booleans as yes/no and moves long background last; no raw key: value; dump', () => {
    const text = formatEvidence({ scope: 'administration:write', severity: 'critical', reason: 'org takeover path', source: 'docs/risk-catalogue.md §5.1',
      approved: false, inventory_entry: 'deployhub' });
    expect(text).toBe('Scope: administration:write · Grade: critical · Approved: no · Inventory entry: deployhub · Why: org takeover path · Source: docs/risk-catalogue.md §5.1');
    expect(text).not.toMatch(RAW_DUMP);
  });

  it('shows dates as dates, day counts with their unit, lists joined and nested objects as what they name', () => {
    const text = formatEvidence({
      excess: [{ scope: 'secrets:write', severity: 'critical', reason: 'x' }, { scope: 'contents:write', severity: 'high', reason: 'y' }],
      from_run: { id: 1, at: '2026-11-02T11:52:47.124Z' }, created_at: '2026-09-15T09:00:00.000Z', idle_days: 213, days_left: 1,
      events: ['push', 'issues'], match: { app_slug: ['circleci-checks'] }, providers_checked: [{ provider: 'github', run: 2 }],
    }, { max: 1000 });
    expect(text).toBe('Beyond approval: secrets:write (critical), contents:write (high) · Compared with run: #1 (2026-11-02) · Created: 2026-09-15'
      + ' · Unused for: 213 days · Expires in: 1 day · Events: push, issues · Match rule: app slug circleci-checks · Crawls checked: github run #2');
  });

  it('falls back to the key in words for keys it has no label for, hides internal ids, skips empty values', () => {
    expect(evidenceLabel('max_credential_lifetime_days')).toBe('Max credential lifetime days');
    expect(formatEvidence({ variant: 'no-owner', related: [{ id: 'x:y:z', type: 't' }], brand_newKey: 'v', graph_owners: [], vendor: null }))
      .toBe('Brand new key: v');
  });

  it('names people by name and e-mail, never by internal principal id', () => {
    const text = formatEvidence({
      granted_by: ['google:user:104', 'google:user:unknown'],
      owners: [{ principal: 'github:user:rkowalski', name: 'rkowalski', relation: 'INSTALLED_BY', person: null, reasons: ['not a member of the org'] }],
    }, { people, max: 1000 });
    expect(text).toBe('Granted by: Maya Chen <maya.chen@example.com>, google:user:unknown · Owners: Rafal Kowalski <rafal.kowalski@example.com> (installed it; not a member of the org)');
    expect(text).not.toContain('google:user:104');
    expect(text).not.toContain('github:user:rkowalski');
  });

  it('shows a node id (a holder, a connector) by its node name, and leaves unknown ids and plain text alone', () => {
    const names = (id: string) => ({ 'google:service_account:deploy-bot@p.iam.gserviceaccount.com': 'deploy-bot' } as Record<string, string>)[id];
    const text = formatEvidence({ holder: 'google:service_account:deploy-bot@p.iam.gserviceaccount.com', reason: 'azure:application:unknown' }, { names });
    expect(text).toContain('Holder: deploy-bot');
    expect(text).not.toContain('google:service_account');
    expect(text).toContain('azure:application:unknown');
  });

  it('caps the line with an ellipsis', () => {
    const text = formatEvidence({ reason: 'x'.repeat(500) });
    expect(text).toHaveLength(300);
    expect(text.endsWith('…')).toBe(true);
  });
});

describe('people resolved from the graph', () => {
  const principal = (id: string, name: string, props: Record<string, unknown>): GraphNode => ({ id, kind: 'principal', type: `${id.split(':')[0]}.user`, name, props });

  function graph() {
    const db = smallGraph({
      connectors: [connector('github:app_installation:1', 'deployhub'),
        principal('azure:user:u1', 'maya.chen@example.com', { email: 'maya.chen@example.com', display_name: 'Maya Chen' }),
        principal('github:user:mchen', 'mchen', { email: null })],
      findings: [{ id: 'f1', family: 'inventory', severity: 'high', subject: 'github:app_installation:1', title: 'Unapproved app installation: deployhub',
        evidence: { granted_by: ['azure:user:u1'], owners: [{ principal: 'github:user:mchen', name: 'mchen', relation: 'OWNS' }], departed: [{ email: 'MAYA.CHEN@example.com', reasons: ['left'] }] },
        owners: [] }],
    });
    // identity resolution linked the GitHub login to the same person (people table, as the reconciler writes it)
    const person = db.prepare(`INSERT INTO people (principal_id, person_key, emails, provider, tenant, departed, reason, recon_id) VALUES (?, ?, ?, ?, 'acme', 0, NULL, 1)`);
    person.run('azure:user:u1', 'maya.chen@example.com', '["maya.chen@example.com"]', 'azure');
    person.run('github:user:mchen', 'maya.chen@example.com', '["maya.chen@example.com"]', 'github');
    return db;
  }

  it('by node id, by e-mail, and through the person\'s other accounts (a login reads as the person)', () => {
    const db = graph();
    const lookup = peopleLookup((v) => principalsNamed(db, v));
    expect(lookup('azure:user:u1')).toEqual({ name: 'Maya Chen', email: 'maya.chen@example.com' });
    expect(lookup('MAYA.CHEN@example.com')).toEqual({ name: 'Maya Chen', email: 'maya.chen@example.com' });
    expect(lookup('github:user:mchen')).toEqual({ name: 'Maya Chen', email: 'maya.chen@example.com' });
    expect(lookup('github:user:nobody')).toBeUndefined();
  });

  it('the report shows names and e-mails; report.json keeps the structured evidence', () => {
    const m = buildReportModel(graph(), { month: '2026-11', organisation: 'Acme', now: new Date('2026-11-12T00:00:00Z') });
    const f = m.findings.find((x) => x.id === 'f1')!;
    expect(f.evidenceText).toBe('Granted by: Maya Chen <maya.chen@example.com> · Owners: Maya Chen <maya.chen@example.com> (owner) · Departed: Maya Chen <maya.chen@example.com> (left)');
    expect(renderMarkdown(m)).toContain('Granted by: Maya Chen &lt;maya.chen@example.com&gt;');
    expect(renderMarkdown(m)).not.toContain('azure:user:u1');
    const json = JSON.parse(renderJson(m)) as { findings: Array<{ id: string; evidence: unknown; evidenceText?: string }> };
    const j = json.findings.find((x) => x.id === 'f1')!;
    expect(j.evidence).toEqual({ granted_by: ['azure:user:u1'], owners: [{ principal: 'github:user:mchen', name: 'mchen', relation: 'OWNS' }], departed: [{ email: 'MAYA.CHEN@example.com', reasons: ['left'] }] });
    expect(j.evidenceText).toBeUndefined();
  });
});
