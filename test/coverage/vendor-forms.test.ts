// The simulators speak the vendors' forms and the adapters accept each of them (issue 14, item 6): Graph
// directory objects (owners) with and without '@odata.type' map the same; fields the vendor marks optional
// or nullable, served absent (not null), are accepted — a listing of such objects completes and maps them.
import { afterAll, describe, expect, it } from 'vitest';
import type { AzureScenario } from '../../connectors/azure/simulator/scenario.ts';
import type { SlackScenario } from '../../connectors/slack/simulator/scenario.ts';
import { buildAzureScenario } from '../../scenarios/demo/azure.ts';
import { rows, startSimCrawl, type SimCrawl } from '../helpers/sim-crawl.ts';

const open: SimCrawl[] = [];
afterAll(async () => { for (const c of open) await c.close(); });
async function crawl(provider: string, s: unknown) {
  const c = await startSimCrawl(provider, s);
  open.push(c);
  const summary = await c.crawl();
  return { c, summary, status: Object.fromEntries(summary.resources.map((r) => [r.resourceType, r.status])) };
}

describe('graph owners with and without @odata.type', () => {
  // An app owned by a person and by a service principal (Graph allows both as owners).
  function scenario(form: 'annotated' | 'bare'): AzureScenario {
    const s = buildAzureScenario();
    const app = s.applications[0]!;
    const sp = s.servicePrincipals.find((p) => p.appId === app.appId)!;
    s.owners = { ...s.owners, [app.id]: [...(s.owners?.[app.id] ?? []), sp.id] };
    return { ...s, directoryObjectForm: form };
  }
  const owns = (c: SimCrawl) => rows<{ src: string; dst: string }>(c.db, "SELECT src, dst FROM edges WHERE type = 'OWNS' AND removed_run IS NULL ORDER BY 1, 2");
  const principals = (c: SimCrawl) => rows<{ id: string }>(c.db, "SELECT id FROM nodes WHERE kind = 'principal' ORDER BY 1");

  it('maps the same owners either way: people OWN, a service principal owner is not taken for a person', async () => {
    const a = await crawl('azure', scenario('annotated'));
    const b = await crawl('azure', scenario('bare'));
    for (const x of [a, b]) {
      expect(x.status['azure.application_owners']).toBe('complete');
      expect(x.status['azure.service_principal_owners']).toBe('complete');
    }
    // the simulator served each form
    expect(owns(a.c).length).toBeGreaterThan(0);
    expect(owns(b.c)).toEqual(owns(a.c));
    expect(principals(b.c)).toEqual(principals(a.c));
    const app = scenario('bare').applications[0]!;
    const sp = scenario('bare').servicePrincipals.find((p) => p.appId === app.appId)!;
    expect(rows(b.c.db, 'SELECT id FROM nodes WHERE id = ?', `azure:user:${sp.id}`)).toEqual([]);
  });

  it('accepts an owner whose nullable displayName is absent (named by its UPN)', async () => {
    const s = scenario('bare');
    const owner = s.users.find((u) => u.id === s.owners![s.applications[0]!.id]![0])!;
    delete owner.displayName;
    const { c, status } = await crawl('azure', s);
    expect(status['azure.application_owners']).toBe('complete');
    expect(rows(c.db, 'SELECT name FROM nodes WHERE id = ?', `azure:user:${owner.id}`)).toEqual([{ name: owner.userPrincipalName }]);
  });
});

describe('nullable and optional fields served absent', () => {
  it('azure: objects carrying only the fields Graph always returns are listed and mapped', async () => {
    const s = buildAzureScenario();
    // Only what Graph's schema requires; every nullable / optional property absent (not null).
    s.applications.push({ id: 'bare-app-obj', appId: 'bare-app-id', displayName: 'bare app', passwordCredentials: [{ keyId: 'bare-key' }], keyCredentials: [{ keyId: 'bare-cert' }] });
    s.servicePrincipals.push({ id: 'bare-sp', appId: 'bare-app-id', displayName: 'bare app', servicePrincipalType: 'Application' });
    s.users.push({ id: 'bare-user', userPrincipalName: 'bare@halcyon-logistics.com' });
    s.owners = { ...s.owners, 'bare-app-obj': ['bare-user'], 'bare-sp': ['bare-user'] };
    const { c, status } = await crawl('azure', s);
    for (const t of ['azure.applications', 'azure.service_principals', 'azure.users', 'azure.application_owners', 'azure.service_principal_owners', 'azure.application_credentials']) {
      expect(status[t], t).toBe('complete');
    }
    expect(rows(c.db, "SELECT count(*) n FROM nodes WHERE id IN ('azure:application:bare-app-obj', 'azure:service_principal:bare-sp', 'azure:user:bare-user')")).toEqual([{ n: 3 }]);
    expect(rows(c.db, "SELECT count(*) n FROM edges WHERE type = 'OWNS' AND src = 'azure:user:bare-user'")).toEqual([{ n: 2 }]);
  });

  it('slack: members, log entries, workflows and channels with only their ids are listed and mapped', async () => {
    const s: SlackScenario = {
      plan: 'enterprise', enterprise: { id: 'EBARE0001', name: 'Bare' },
      token: { type: 'user', orgLevel: true, scopes: ['admin', 'team:read', 'users:read', 'admin.teams:read', 'admin.workflows:read', 'channels:read'] },
      workspaces: [{
        team: { id: 'TBARE0001', name: 'Bare', domain: 'bare' },
        // no profile, no team_id, no flags: Slack omits what it does not have
        users: [{ id: 'U0BARE001', name: 'ana' }],
        integrationLogs: [
          { date: '1700000200', change_type: 'added', service_id: 77, service_type: 'Incoming WebHooks', channel: 'C0BARE0001' },
          { date: '1700000100', change_type: 'added', app_id: 'A0BARE0001' },
        ],
        channels: [{ id: 'C0BARE0001', name: 'bare' }],
      }],
      workflows: [{ id: 'Wf0BARE', title: 'bare workflow' }],
    };
    const { c, status } = await crawl('slack', s);
    for (const t of ['slack.workspaces', 'slack.users', 'slack.integration_logs', 'slack.channels', 'slack.workflows']) expect(status[t], t).toBe('complete');
    expect(rows(c.db, "SELECT id FROM nodes WHERE id IN ('slack:user:U0BARE001', 'slack:app:TBARE0001:A0BARE0001', 'slack:service:TBARE0001:77', 'slack:workflow:Wf0BARE') ORDER BY 1"))
      .toHaveLength(4);
    // a workflow naming no team belongs to the org crawled
    expect(rows(c.db, "SELECT dst FROM edges WHERE type = 'IN_TENANT' AND src = 'slack:workflow:Wf0BARE'")).toEqual([{ dst: 'slack:enterprise:EBARE0001' }]);
  });
});
