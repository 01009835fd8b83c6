// Admin consents from the directory audit log ('Consent to application' events; AuditLog.Read.All). The
// service-principal listing turns them into INSTALLED_BY edges (consents.ts); this listing records in the
// ledger whether the log could be read: without the permission it is 'unsupported', naming it,
// and the consents learnt in earlier runs are kept. It emits no nodes of its own.
// GET /auditLogs/directoryAudits?$filter=activityDisplayName eq 'Consent to application' and activityDateTime ge …
// https://learn.microsoft.com/graph/api/directoryaudit-list
import { UnsupportedResource } from '../../../src/crawl/errors.ts';
import { defineResource } from '../../../src/crawl/resource.ts';
import type { AzureClient } from '../client.ts';
import { adminConsentsIn, checkAuditEvents, consentWindowStart } from '../consents.ts';
import { P } from '../map-helpers.ts';
import { GRAPH } from '../permission-hints.ts';

export const consentAudit = defineResource<AzureClient, { servicePrincipalId: string; consents: number }>({
  provider: P, type: 'azure.consent_audit', description: 'Who gave admin consent, from the directory audit log',
  docs: 'https://learn.microsoft.com/graph/api/directoryaudit-list',
  permission: { grant: { [GRAPH]: 'AuditLog.Read.All' } },
  emits: { nodes: [], edges: [] },
  async *list(ctx) {
    if (!ctx.client.cfg.consentAudit) throw new UnsupportedResource('the consent audit is turned off in the config (consentAudit: false)');
    const events = await ctx.client.consentEvents(consentWindowStart(ctx));
    const bySp = adminConsentsIn(events);
    // an event not shaped as Graph documents it could hold a consent nobody reads: named, and this listing is partial
    const { malformed } = checkAuditEvents(events);
    yield { items: [...bySp].map(([servicePrincipalId, list]) => ({ servicePrincipalId, consents: list.length })), ...(malformed.length ? { malformed } : {}) };
  },
  // a 403 is a refusal: the ledger names the permission above (connectors/azure/permission-hints.ts)
  map: () => ({ nodes: [], edges: [] }),
});
