// Who gave admin consent: 'Consent to application' events of the directory audit log become INSTALLED_BY
// edges from the service principal to the consenting admin; user consents and failed attempts do not.
// What was learnt outlives the event (the log keeps 7 / 30 days); a tenant app without AuditLog.Read.All
// records the consent audit as unsupported and keeps what it knew; an incremental crawl reads only since
// the last run.
import { afterEach, describe, expect, it } from 'vitest';
import { rows, startSimCrawl, type SimCrawl } from '../helpers/sim-crawl.ts';
import { azurePlanted, buildAzureScenario, consentEvent } from '../../scenarios/demo/azure.ts';
import { ids } from '../../connectors/azure/map-helpers.ts';
import { company } from '../../scenarios/demo/company.ts';
import type { AzureScenario } from '../../connectors/azure/simulator/scenario.ts';

let sc: SimCrawl | undefined;
afterEach(async () => { await sc?.close(); sc = undefined; });

const daysBack = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();
const status = (s: { resources: Array<{ resourceType: string; status: string; error?: string | null }> }, type: string) => s.resources.find((r) => r.resourceType === type)!;
const consentEdges = (c: SimCrawl) => rows<{ src: string; dst: string; props: string }>(c.db,
  `SELECT src, dst, props FROM edges WHERE type = 'INSTALLED_BY' AND removed_run IS NULL AND json_extract(props, '$.via') = 'admin consent' ORDER BY src, dst`);

/** The demo tenant with its consent events re-dated relative to today (the crawl reads the last 30 days). */
function scenario(): AzureScenario {
  const s = buildAzureScenario();
  const ages = [12, 9, 3];
  s.directoryAudits = s.directoryAudits!.map((a, i) => ({ ...a, activityDateTime: daysBack(ages[i] ?? 1) }));
  return s;
}
const user = (s: AzureScenario, login: string) => s.users.find((u) => u.userPrincipalName === company.everyone.find((p) => p.github === login)!.email)!;

describe('azure: admin consents from the directory audit log', () => {
  it('maps the admin consent only, with who and when; one filtered read per crawl', async () => {
    const s = scenario();
    sc = await startSimCrawl('azure', s);
    const run = await sc.crawl();
    expect(run.status).toBe('complete');
    expect(status(run, 'azure.consent_audit').status).toBe('complete');
    const opsgenie = ids.servicePrincipal(azurePlanted.directoryGrantApp.spId);
    const admin = s.directoryAudits![0]!.initiatedBy!.user!;
    expect(consentEdges(sc)).toEqual([{ src: opsgenie, dst: ids.user(admin.id!),
      props: JSON.stringify({ consented_at: s.directoryAudits![0]!.activityDateTime, consented_by: admin.userPrincipalName, via: 'admin consent' }) }]);
    const reads = sc.sim.log.filter((e) => e.route === 'directory-audits');
    expect(reads).toHaveLength(1);
    const filter = new URLSearchParams(reads[0]!.query).get('$filter')!;
    expect(filter).toMatch(/^activityDisplayName eq 'Consent to application' and activityDateTime ge \S+$/);
    // a full crawl reads the last 30 days
    const since = Date.parse(filter.split(' ge ')[1]!);
    expect(Math.round((Date.now() - since) / 86_400_000)).toBe(30);
  });

  it('keeps a consent after its event has left the log, and when the log cannot be read (unsupported, not failed)', async () => {
    const s = scenario();
    sc = await startSimCrawl('azure', s);
    await sc.crawl();
    const before = consentEdges(sc);
    expect(before).toHaveLength(1);
    s.directoryAudits = [];
    expect((await sc.crawl()).status).toBe('complete');
    expect(consentEdges(sc)).toEqual(before);
    s.directoryAudits = null; // the crawler app lost AuditLog.Read.All
    const run = await sc.crawl();
    expect(run.status).not.toBe('failed');
    expect(status(run, 'azure.consent_audit')).toMatchObject({ status: 'unsupported' });
    expect(status(run, 'azure.consent_audit').error).toMatch(/AuditLog\.Read\.All/);
    expect(status(run, 'azure.service_principals').status).toBe('complete');
    expect(consentEdges(sc)).toEqual(before);
  });

  it('an incremental crawl reads from the last run, and re-reads a consented service principal that delta does not return', async () => {
    const s = scenario();
    sc = await startSimCrawl('azure', s);
    await sc.crawl();
    const mail = azurePlanted.mailApp;
    const asantos = user(s, 'asantos');
    // an admin consents MailMetrics to a new delegated permission: a grant and an audit event, the SP itself unchanged
    s.directoryAudits!.push(consentEvent('c-9', daysBack(0.01), mail.spId, mail.name, asantos.id, asantos.userPrincipalName!, true, 'success'));
    s.oauth2PermissionGrants!.push({ id: 'grant-mail-new', clientId: mail.spId, consentType: 'AllPrincipals', principalId: null,
      resourceId: azurePlanted.graphSp, scope: 'Files.Read.All' });
    const from = sc.sim.log.length;
    const inc = await sc.crawl({ mode: 'incremental' });
    expect(inc.status).toBe('complete');
    const calls = sc.sim.log.slice(from);
    const filter = new URLSearchParams(calls.find((e) => e.route === 'directory-audits')!.query).get('$filter')!;
    expect(Date.now() - Date.parse(filter.split(' ge ')[1]!)).toBeLessThan(2 * 86_400_000); // the last run less a day of overlap
    // the consented SP was re-read (inside a $batch) and its grants listed again: the new permission is in the graph
    expect(calls.filter((e) => e.route === 'batch:sp-get').map((e) => e.path)).toContain(`/v1.0/servicePrincipals/${mail.spId}`);
    expect(calls.filter((e) => e.route === 'batch:sp-grants').map((e) => e.path)).toEqual([`/v1.0/servicePrincipals/${mail.spId}/oauth2PermissionGrants`]);
    expect(rows(sc.db, `SELECT count(*) AS n FROM edges WHERE type = 'HAS_SCOPE' AND src = ? AND removed_run IS NULL
        AND dst LIKE '%/delegated/Files.Read.All'`, ids.servicePrincipal(mail.spId))).toEqual([{ n: 1 }]);
    const expected = [[ids.servicePrincipal(mail.spId), ids.user(asantos.id)], [ids.servicePrincipal(azurePlanted.directoryGrantApp.spId), ids.user(user(s, 'mchen').id)]]
      .sort((x, y) => x[0]!.localeCompare(y[0]!));
    expect(consentEdges(sc).map((e) => [e.src, e.dst])).toEqual(expected);
    // nothing else was removed by the re-read
    expect(rows(sc.db, "SELECT count(*) AS n FROM change_log WHERE run_id = ? AND change = 'removed'", inc.runId)).toEqual([{ n: 0 }]);
    // later, after the event has aged out, a full crawl keeps the consent (crawl state)
    s.directoryAudits = [];
    await sc.crawl();
    expect(consentEdges(sc).map((e) => [e.src, e.dst])).toEqual(expected);
  });
});
