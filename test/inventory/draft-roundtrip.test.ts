// Issue 15 item 10: `inventory draft` → fill in every FILL IN field → `inventory validate` passes, and
// reconciling the crawl with that inventory raises nothing about what the draft approved: no connector is
// unapproved, no scope or IAM/RBAC role drifts or counts as an unapproved high-risk permission, no
// destination is unallowed and no approved entry is missing. Hygiene findings (static-secret, rotation,
// expiry, orphaned owners…) are about the credentials themselves and may stay. On the demo and on a
// scaled-out demo (more repositories, installations, Slack apps, Google grants, Entra apps).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/graph/db.ts';
import { loadSnapshot } from '../../src/graph/reconcile-snapshot.ts';
import { draftInventory } from '../../src/inventory/draft.ts';
import { parseInventory } from '../../src/inventory/load.ts';
import { reconcile } from '../../src/reconcile/engine.ts';
import type { Scenario } from '../../src/simulator/scenario.ts';
import { buildDemoScenario } from '../../scenarios/demo/index.ts';
import { buildGithubScenario } from '../../scenarios/demo/github.ts';
import { buildSlackScenario } from '../../scenarios/demo/slack.ts';
import { buildGoogleScenario } from '../../scenarios/demo/google.ts';
import { buildAzureScenario } from '../../scenarios/demo/azure.ts';
import { fillIn } from '../helpers/draft-fill.ts';
import { crawlScenario } from '../helpers/scenario-crawl.ts';
import { NOW } from '../reconcile/helpers.ts';

/** Rules that judge a connector against its inventory entry: silent for everything the filled-in draft approves. */
const SILENT = ['unapproved-connector', 'scope-drift', 'high-risk-permission', 'data-forwarding', 'approved-not-found', 'approval-expired'];

function openFindings(db: Db, rules: string[]): string[] {
  return (db.prepare(`SELECT rule, subject_id, title FROM findings WHERE status != 'resolved' AND rule IN (${rules.map(() => '?').join(',')}) ORDER BY rule, subject_id`)
    .all(...rules) as Array<{ rule: string; subject_id: string; title: string }>).map((f) => `${f.rule} | ${f.subject_id} | ${f.title}`);
}

describe('inventory draft round trip (draft → fill in → validate → reconcile)', () => {
  const dir = path.resolve('test/.tmp', `draft-roundtrip-${process.pid}`);
  fs.mkdirSync(dir, { recursive: true });
  const dbs: Db[] = [];
  afterAll(() => { for (const d of dbs) d.close(); });

  async function roundTrip(name: string, scenario: Scenario) {
    const file = path.join(dir, `${name}.db`);
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    const db = openDb(file); dbs.push(db);
    await crawlScenario(db, scenario);
    const draft = draftInventory(loadSnapshot(db), { source: file, generatedAt: '2026-11-23' });
    // every connector carries an id a match rule can use (legacy Slack integrations included)
    expect(draft).not.toMatch(/carry no id a match rule can use/);
    const text = fillIn(draft);
    expect(text).not.toMatch(/: ""$/m);
    const inv = parseInventory(`${name}.yaml`, text);
    reconcile(db, inv, { now: NOW });
    expect(openFindings(db, SILENT)).toEqual([]);
    return { db, draft, inv };
  }

  it('on the demo: the filled-in draft validates and approves every connector, scope, role and destination it saw', async () => {
    const { draft, inv } = await roundTrip('demo', buildDemoScenario());
    // chat channels the demo's webhooks post into are drafted (and validate) as channel destinations
    expect(inv.inventory.entries.some((e) => (e.forwarding ?? []).some((f) => f.startsWith('#')))).toBe(true);
    // legacy Slack integrations (no app id) match by their service id
    expect(draft).toMatch(/slack:\s*\n\s*service_id: "?4000123"?/);
    // IAM / RBAC roles are drafted among the scopes
    expect(draft).toMatch(/roles\/owner/);
  });

  it('on a scaled-out demo company', async () => {
    const scenario: Scenario = {
      name: 'Halcyon Logistics (scaled)',
      github: buildGithubScenario({ repos: 150, members: 300, installations: 60, hooksPerRepo: 1, keysPerRepo: 1 }),
      slack: buildSlackScenario({ scale: { users: 400, apps: 80 } }),
      google: buildGoogleScenario({ users: 300, grantsPerUser: 3, projects: 12, serviceAccountsPerProject: 6 }),
      azure: buildAzureScenario({ applications: 60, servicePrincipals: 150, users: 300 }),
    };
    const { inv } = await roundTrip('scale', scenario);
    expect(inv.inventory.entries.length).toBeGreaterThan(150);
  });
});
