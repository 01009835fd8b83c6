// The report model reads the graph row by row and asks SQL for what a section needs (bench/report-scale.ts: peak RSS
// and time at 100,000 connectors). These tests hold the narrowed queries to the simple definitions they replace, on the
// demo-like fixture plus findings a reconciliation set aside (accepted, subsumed): resolved findings = open at the
// baseline minus open now minus set aside now; added / removed connectors = the difference of the two runs' id sets.
// On both backends (test/helpers/backends.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as q from '../../src/graph/report-queries.ts';
import { buildReportModel } from '../../reports/model.ts';
import { buildFixture, ORG, RECON_NOV, RECON_OCT, type Fixture } from './fixture.ts';
import { describeBackends } from '../helpers/backends.ts';

describeBackends('streamed report model', () => {
let fx: Fixture;
beforeAll(async () => {
  fx = await buildFixture();
  // open at October's reconciliation, set aside (not open, not resolved) by November's
  const add = fx.db.prepare(`INSERT INTO findings (id, rule, family, severity, provider, tenant, subject_id, subject_name, connector_id, title, evidence,
      remediation, owners, status, first_seen_recon, last_seen_recon, first_seen_at, last_seen_at, subsumed_by)
      VALUES (?, 'unapproved-connector', 'inventory', 'medium', 'github', 'halcyon-logistics', ?, 'vercel', ?, 'Unapproved', '{}', 'Review it.', '[]', ?, 1, 2, ?, ?, ?)`);
  const observe = fx.db.prepare('INSERT INTO finding_observations (recon_id, finding_id, severity, status) VALUES (?, ?, ?, ?)');
  add.run('f_accepted_later', fx.ids.vercel, fx.ids.vercel, 'accepted', RECON_OCT, RECON_NOV, null);
  add.run('f_subsumed_later', fx.ids.vercel, fx.ids.vercel, 'subsumed', RECON_OCT, RECON_NOV, 'f_unapproved_vercel');
  for (const id of ['f_accepted_later', 'f_subsumed_later']) observe.run(1, id, 'medium', 'open');
  observe.run(2, 'f_accepted_later', 'medium', 'accepted');
  observe.run(2, 'f_subsumed_later', 'medium', 'subsumed');
  // the same person as technical and business owner of November's matched entry: listed once, in their first role
  fx.db.prepare(`INSERT INTO inventory_version_entries (inventory_hash, id, name, technical_owner, business_owner, entry)
      VALUES (?, 'inv-deployhub-pro', 'DeployHub', 'Maya.Chen@halcyon-logistics.com', 'maya.chen@halcyon-logistics.com', '{}')`).run('b'.repeat(64));
});
afterAll(() => fx?.db.close());

const ids = (rows: Iterable<{ id: string }>) => [...rows].map((r) => r.id);

describe('narrowed report queries equal the definitions they replace', () => {
  it('resolved since the baseline: open then, neither open nor set aside now, in the open-findings order', () => {
    const now = new Set(ids(q.findingsOpenAt(fx.db, 2)));
    const setAside = new Set(ids(q.findingsSetAsideAt(fx.db, 2)));
    const reference = [...q.findingsOpenAt(fx.db, 1)].filter((f) => !now.has(f.id) && !setAside.has(f.id));
    expect(setAside).toEqual(new Set(['f_accepted_later', 'f_subsumed_later']));
    expect(ids(reference)).toEqual(['f_unapproved_oldci']);
    expect(q.findingsResolvedSince(fx.db, 1, 2)).toEqual(reference);
    // without a current reconciliation nothing is open or set aside now: every finding open at the baseline
    expect(q.findingsResolvedSince(fx.db, 1, null)).toEqual([...q.findingsOpenAt(fx.db, 1)]);
    // the carried finding (no observation at 2, open by its lifecycle) is open now, not resolved
    expect(now.has('f_pat_forever')).toBe(true);
  });

  it('open ids and subjects are those of the open findings', () => {
    for (const recon of [1, 2]) {
      const open = [...q.findingsOpenAt(fx.db, recon)];
      expect(q.openFindingIdsAt(fx.db, recon)).toEqual(new Set(ids(open)));
      const key = (f: q.FindingSubjectRow) => `${f.provider}|${f.subject_id}|${f.connector_id}`;
      expect(new Set(q.openFindingSubjectsAt(fx.db, recon).map(key))).toEqual(new Set(open.map(key)));
      expect(q.openFindingSubjectsAt(fx.db, recon).length).toBe(new Set(open.map(key)).size);
    }
  });

  it('added and removed connectors are the difference of the two runs, in the same order', () => {
    const asOf = (run: number) => fx.db.prepare(`SELECT n.id FROM nodes n WHERE n.kind = 'connector' AND n.provider = 'github'
        AND n.first_seen_run <= ? AND (n.removed_run IS NULL OR n.removed_run > ?)`).pluck().all(run, run) as string[];
    const [before, after] = [asOf(1), asOf(2)];
    const changed = q.connectorIdsChangedBetween(fx.db, 'github', 1, 2);
    expect(changed.added).toEqual(after.filter((id) => !before.includes(id)));
    expect(changed.removed).toEqual(before.filter((id) => !after.includes(id)));
    expect(changed.added).toContain(fx.ids.vercel);
    expect(changed.removed).toEqual([fx.ids.oldCi]);
  });
});

describe('the model built from streamed rows', () => {
  it('lists the resolved finding but not the set-aside ones, and each connector owner once', () => {
    const m = buildReportModel(fx.db, { month: '2026-11', organisation: ORG, now: new Date('2026-11-30T12:00:00Z') });
    expect(m.changes.resolvedFindings.map((f) => f.id)).toEqual(['f_unapproved_oldci']);
    expect(m.changes.resolvedFindings[0]).toMatchObject({ change: null, connector: 'old-ci-runner', severity: 'medium' });
    expect(m.findings.map((f) => f.id)).toEqual(ids(q.findingsOpenAt(fx.db, 2)));
    expect(m.changes.persistingFindings).toBe(m.findings.filter((f) => q.openFindingIdsAt(fx.db, 1).has(f.id)).length);
    expect(m.connectors.length).toBe(m.summary.connectors.total);
    for (const c of m.connectors) {
      const who = c.owners.map((o) => o.replace(/ \([^()]*\)$/, ''));
      expect(new Set(who).size).toBe(who.length);
    }
    expect(m.connectors.find((c) => c.id === fx.ids.deployhub)!.owners).toEqual(['maya.chen@halcyon-logistics.com (inventory, unknown to the providers)']);
  });
});
});
