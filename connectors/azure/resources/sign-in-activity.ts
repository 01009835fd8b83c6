// Service-principal sign-in activity (beta report, Entra ID P1/P2 + AuditLog.Read.All): the last sign-in
// per appId, which the service-principal listing stamps as last_used_at (marked as coming from beta).
// This listing records in the ledger whether the tenant could answer: a tenant without the licence is
// 'not_applicable' with Graph's reason (a token without AuditLog.Read.All: 'unsupported'), not a failed crawl.
// It emits no nodes of its own.
// GET /beta/reports/servicePrincipalSignInActivities
// https://learn.microsoft.com/graph/api/reportroot-list-serviceprincipalsigninactivities?view=graph-rest-beta
import { UnsupportedResource } from '../../../src/crawl/errors.ts';
import { defineResource } from '../../../src/crawl/resource.ts';
import type { AzureClient } from '../client.ts';
import { AzureHttpError } from '../rest.ts';
import { P } from '../map-helpers.ts';
import { GRAPH } from '../permission-hints.ts';

export const signInActivity = defineResource<AzureClient, { appId: string; last: string | null }>({
  provider: P, type: 'azure.sign_in_activity', description: 'Last sign-in per service principal (beta, premium licence)',
  docs: 'https://learn.microsoft.com/graph/api/reportroot-list-serviceprincipalsigninactivities?view=graph-rest-beta',
  permission: { grant: { [GRAPH]: 'AuditLog.Read.All' } }, // the report also needs an Entra ID P1/P2 licence: without it, not_applicable
  emits: { nodes: [], edges: [] },
  async *list(ctx) {
    if (!ctx.client.cfg.signInActivity) throw new UnsupportedResource('sign-in activity is turned off in the config (signInActivity: false)');
    const report = await ctx.client.signInReport();
    // a row not shaped as Graph documents it dates nobody's last use: named here, and this listing is partial
    yield { items: [...report.byAppId].map(([appId, last]) => ({ appId, last })), ...(report.malformed.length ? { malformed: report.malformed } : {}) };
  },
  map: () => ({ nodes: [], edges: [] }),
  // no licence for the report, or a cloud that does not serve it: the edition lacks the feature (not_applicable)
  notApplicable(err) {
    if (!(err instanceof AzureHttpError)) return null;
    if (err.status === 403 && /NonPremium|premium|licen[cs]e/i.test(`${err.code} ${err.message}`)) {
      return `the tenant has no Entra ID P1/P2 licence for sign-in activity reports (${err.code ?? err.status}: ${err.message.replace(/^\d+ \S+: /, '')})`;
    }
    if (err.status === 404 || err.status === 400 && /not supported|national cloud/i.test(err.message)) return `sign-in activity reports are not served here (${err.message})`;
    return null;
  },
});
