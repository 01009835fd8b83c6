// Azure's side of the permission hints (src/crawl/permissions.ts): Microsoft Graph application permissions
// and Azure RBAC roles, which of them the config uses (subscriptions, consent audit and sign-in activity can
// be turned off), and which answers are a refusal: Graph's 403 Authorization_RequestDenied (or any other 403
// but a licence one) and ARM's 403 AuthorizationFailed. https://learn.microsoft.com/graph/errors
// https://learn.microsoft.com/azure/role-based-access-control/troubleshooting
import type { PermissionNeed, Refusal } from '../../src/crawl/permissions.ts';
import type { ResourceSpec } from '../../src/crawl/resource.ts';
import type { AzureConfig } from './config.ts';
import { AzureHttpError } from './rest.ts';

/** An application permission on Microsoft Graph, granted with admin consent. */
export const GRAPH = 'Graph application permission';
/** An Azure RBAC role assigned to the crawler's service principal. */
export const ROLE = 'Azure role';
export const AZURE_PERMISSION_KINDS = [GRAPH, ROLE] as const;

/** Resource types the config can turn off, and the switch. */
const SWITCHED: Record<string, (cfg: AzureConfig) => boolean> = {
  'azure.subscriptions': (c) => c.subscriptions,
  'azure.subscription_role_assignments': (c) => c.subscriptions,
  'azure.consent_audit': (c) => c.consentAudit,
  'azure.sign_in_activity': (c) => c.signInActivity,
};

export function azureGrantKinds(cfg: AzureConfig, resource: ResourceSpec): readonly string[] {
  const on = SWITCHED[resource.type];
  return on && !on(cfg) ? [] : AZURE_PERMISSION_KINDS;
}

export function azureRefusal(err: unknown, _need: PermissionNeed | undefined): Refusal | null {
  if (!(err instanceof AzureHttpError) || err.status !== 403) return null;
  // a tenant without the licence a report needs is the plan, not the credential
  if (/NonPremium|premium|licen[cs]e/i.test(`${err.code ?? ''} ${err.message}`)) return null;
  const arm = /AuthorizationFailed/.test(err.code ?? '');
  const text = err.message.replace(/^\d+ \S+: /, '').slice(0, 200);
  return { said: `${arm ? 'Azure Resource Manager' : 'Microsoft Graph'} answered 403 ${err.code ?? ''}${text ? ` (${text})` : ''}`.replace(/ {2,}/g, ' '),
    kinds: [arm ? ROLE : GRAPH] };
}
