// credential-lifetime-excessive (issue 15 item 3): a static credential whose lifetime (expires_at − created_at)
// exceeds max_credential_lifetime_days — the inventory default (365 unless set) or the connector's entry —
// graded by how far over: a 10-year client secret is high, a 2-year one medium, 300 days nothing.
import { describe, expect, it } from 'vitest';
import { reconcile } from '../../src/reconcile/engine.ts';
import { parseInventory } from '../../src/inventory/load.ts';
import { InputError } from '../../src/config/yaml-errors.ts';
import { connector, crawlRun, credential, daysAgo, edge, entry, findings, inventory, memDb, NOW } from '../reconcile/helpers.ts';

const RULE = 'credential-lifetime-excessive';
const secret = (id: string, created: number, lifetime: number, extra: Record<string, unknown> = {}) =>
  credential('azure', id, { credential_type: 'client_secret', created_at: daysAgo(created), expires_at: daysAgo(created - lifetime), ...extra });
const bySubject = (db: ReturnType<typeof memDb>) => Object.fromEntries(findings(db, RULE).map((f) => [f.subject_id.split(':').pop(), f.severity]));

describe('credential-lifetime-excessive', () => {
  it('grades by how far over the default policy (365 days): 10 years high, 2 years medium, 400 days low, 300 days none', () => {
    const db = memDb();
    crawlRun(db, 'azure', { creds: { nodes: [
      secret('ten-years', 400, 3650), secret('two-years', 30, 730), secret('400-days', 10, 400), secret('300-days', 10, 300),
      secret('exactly-365', 100, 365),
      secret('no-expiry', 10, 0, { expires_at: null }),                      // credential-no-expiry's case, not this rule's
      secret('expired', 4000, 3650),                                       // credential-expired's case
      secret('disabled', 10, 3650, { enabled: false }),
      credential('google', 'google-managed', { credential_type: 'gcp_sa_key_system_managed', static: false, created_at: daysAgo(5), expires_at: daysAgo(-3650) }),
      secret('unparseable', 10, 3650, { created_at: 'yesterday' }),
    ] } });
    reconcile(db, inventory([]), { now: NOW, rules: [RULE] });
    expect(bySubject(db)).toEqual({ 'ten-years': 'high', 'two-years': 'medium', '400-days': 'low' });
    const ten = findings(db, RULE).find((f) => f.subject_id.endsWith('ten-years'))!;
    expect(ten.title).toContain('3650 days');
    expect(ten.title).toContain('policy 365');
    expect(JSON.parse(ten.evidence)).toMatchObject({ credential_type: 'client_secret', lifetime_days: 3650, max_lifetime_days: 365,
      policy_source: 'inventory defaults.max_credential_lifetime_days', times_policy: 10 });
  });

  it('uses defaults.max_credential_lifetime_days, and an entry\'s own max_credential_lifetime_days for the credentials its connector holds', () => {
    const db = memDb();
    const app = connector('azure', 'app', { app_id: 'APP' });
    crawlRun(db, 'azure', { apps: { nodes: [app, secret('held-300', 10, 300), secret('loose-300', 10, 300), secret('loose-1000', 10, 1000)],
      edges: [edge('HAS_CREDENTIAL', app.id, 'azure:credential:held-300')] } });
    reconcile(db, inventory([entry('app', { match: { azure: { app_id: 'APP' } }, max_credential_lifetime_days: 180 })], { max_credential_lifetime_days: 730 }),
      { now: NOW, rules: [RULE] });
    expect(bySubject(db)).toEqual({ 'held-300': 'medium', 'loose-1000': 'low' }); // 1.7× and 1.4× the policy
    const held = JSON.parse(findings(db, RULE).find((f) => f.subject_id.endsWith('held-300'))!.evidence);
    expect(held).toMatchObject({ max_lifetime_days: 180, policy_source: 'inventory entry app' });
  });

  it('validates the setting as a positive whole number of days, with file:line:field', () => {
    const bad = 'version: 1\ndefaults:\n  max_credential_lifetime_days: -5\nentries: []\n';
    try { parseInventory('inv.yaml', bad); throw new Error('expected invalid'); } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).issues.join('\n')).toMatch(/inv\.yaml:3: defaults\.max_credential_lifetime_days/);
    }
    expect(parseInventory('inv.yaml', 'version: 1\nentries: []\n').inventory.defaults.max_credential_lifetime_days).toBe(365);
  });
});
