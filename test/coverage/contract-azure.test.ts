// Contract test, Azure (issue 14, item 6): the simulator's answers against @microsoft/microsoft-graph-types (and,
// for the beta sign-in report and Azure Resource Manager, the mirrors of their published shapes in
// connectors/azure/types.ts), for the fields the adapters read. The demo tenant exercises every resource; answers
// read while listing but aggregated before mapping (grants, role assignments, audit events, sign-ins, the
// resource APIs that name permissions) are checked at their routes. test/helpers/contract.ts says what is checked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectoryAudit, OAuth2PermissionGrant, ServicePrincipal, AppRoleAssignment } from '@microsoft/microsoft-graph-types';
import { adminConsentsIn } from '../../connectors/azure/consents.ts';
import { appRoleAssignments } from '../../connectors/azure/resources/app-role-assignments.ts';
import { applicationCredentials } from '../../connectors/azure/resources/application-credentials.ts';
import { applicationOwners } from '../../connectors/azure/resources/application-owners.ts';
import { applications } from '../../connectors/azure/resources/applications.ts';
import { servicePrincipalOwners } from '../../connectors/azure/resources/service-principal-owners.ts';
import { servicePrincipals } from '../../connectors/azure/resources/service-principals.ts';
import { subscriptions } from '../../connectors/azure/resources/subscriptions.ts';
import { tenant } from '../../connectors/azure/resources/tenant.ts';
import { users } from '../../connectors/azure/resources/users.ts';
import { azureRoutes } from '../../connectors/azure/simulator/routes.ts';
import type { AzureScenario } from '../../connectors/azure/simulator/scenario.ts';
import type { ArmRoleAssignment, ArmRoleDefinition, ServicePrincipalSignInActivity } from '../../connectors/azure/types.ts';
import { azurePlanted, buildAzureScenario } from '../../scenarios/demo/azure.ts';
import { assertContracts, covered, fields, ReadRecorder, runContract, servedProblems, type Contract, type ContractRun, type ItemOf } from '../helpers/contract.ts';
import type { SimRequest } from '../../src/simulator/server.ts';

const owner = { id: 'string', '@odata.type': 'string?', userPrincipalName: 'string', displayName: 'string' } as const;
const keyCredential = { keyId: 'string', displayName: 'string', type: 'string', usage: 'string', startDateTime: 'string', endDateTime: 'string' } as const;

/** Per resource type: the item fields its adapter reads, with the kinds the Graph types give them. */
const contracts: Record<string, Contract> = {
  'azure.tenant': fields<ItemOf<typeof tenant>>()({ id: 'string', displayName: 'string', verifiedDomains: 'array', 'verifiedDomains[].name': 'string',
    'verifiedDomains[].isDefault': 'boolean', 'verifiedDomains[].isInitial': 'boolean?', tenantType: 'string?', createdDateTime: 'string?', countryLetterCode: 'string?' }),
  'azure.users': fields<ItemOf<typeof users>>()({
    id: 'string', userPrincipalName: 'string', displayName: 'string', mail: 'string', otherMails: 'array', 'otherMails[]': 'string', accountEnabled: 'boolean', userType: 'string',
    createdDateTime: 'string', deletedDateTime: 'string', _admin: 'boolean', _deleted: 'boolean',
  }),
  'azure.applications': fields<ItemOf<typeof applications>>()({
    id: 'string', appId: 'string', displayName: 'string', createdDateTime: 'string', signInAudience: 'string', publisherDomain: 'string', notes: 'string?',
    tags: 'array', verifiedPublisher: 'object?', passwordCredentials: 'array', 'passwordCredentials[].keyId': 'string', 'passwordCredentials[].displayName': 'string',
    'passwordCredentials[].hint': 'string', 'passwordCredentials[].startDateTime': 'string', 'passwordCredentials[].endDateTime': 'string',
    keyCredentials: 'array', ...Object.fromEntries(Object.entries(keyCredential).map(([k, v]) => [`keyCredentials[].${k}`, v])) as Record<`keyCredentials[].${keyof typeof keyCredential}`, 'string'>,
    // decorations from other answers: the permissions it requests (requiredResourceAccess, resolved) and the beta sign-in report
    _requested: 'array', '_requested[].resource': 'string', '_requested[].type': 'string', '_requested[].value': 'string', _lastSignIn: 'string', _signInKnown: 'boolean',
  }),
  'azure.application_credentials': fields<ItemOf<typeof applicationCredentials>>()({
    meta: 'object', 'meta.keyId': 'string', 'meta.kind': 'string', 'meta.displayName': 'string', 'meta.hint': 'string', 'meta.type': 'string',
    'meta.usage': 'string', 'meta.start': 'string', 'meta.end': 'string', hasFederated: 'boolean',
    federated: 'object', 'federated.id': 'string', 'federated.name': 'string', 'federated.issuer': 'string', 'federated.subject': 'string',
    'federated.audiences': 'array', 'federated.audiences[]': 'string', 'federated.description': 'string',
  }),
  'azure.application_owners': fields<ItemOf<typeof applicationOwners>>()(owner),
  'azure.service_principals': fields<ItemOf<typeof servicePrincipals>>()({
    id: 'string', appId: 'string', displayName: 'string', servicePrincipalType: 'string', appOwnerOrganizationId: 'string', accountEnabled: 'boolean',
    appRoleAssignmentRequired: 'boolean?', disabledByMicrosoftStatus: 'string?', alternativeNames: 'array', 'alternativeNames[]': 'string', tags: 'array', 'tags[]': 'string',
    verifiedPublisher: 'object', 'verifiedPublisher.displayName': 'string', 'verifiedPublisher.verifiedPublisherId': 'string',
    passwordCredentials: 'array', keyCredentials: 'array', ...Object.fromEntries(Object.entries(keyCredential).map(([k, v]) => [`keyCredentials[].${k}`, v])) as Record<`keyCredentials[].${keyof typeof keyCredential}`, 'string'>,
    _tenantGuid: 'string', _lastSignIn: 'string', _signInKnown: 'boolean', _adminConsents: 'array', '_adminConsents[].userId': 'string',
    '_adminConsents[].upn': 'string', '_adminConsents[].at': 'string',
  }),
  'azure.service_principal_credentials': { derived: "the service principal's keyCredentials / passwordCredentials, checked on azure.service_principals" },
  'azure.service_principal_owners': fields<ItemOf<typeof servicePrincipalOwners>>()(owner),
  'azure.app_role_assignments': fields<ItemOf<typeof appRoleAssignments>>()({
    a: 'object', 'a.id': 'string', 'a.appRoleId': 'string', 'a.createdDateTime': 'string', value: 'string', resolved: 'boolean', resourceKey: 'string', resourceName: 'string',
  }),
  'azure.delegated_grants': { derived: 'oauth2PermissionGrants aggregated per resource and scope (the grants are checked at their route)' },
  'azure.sign_in_activity': { derived: 'the beta sign-in report by appId (checked at its route)' },
  'azure.consent_audit': { derived: 'directory audit events folded into admin consents (checked at their route)' },
  'azure.subscriptions': fields<ItemOf<typeof subscriptions>>()({ subscriptionId: 'string', displayName: 'string', state: 'string', tenantId: 'string' }),
  'azure.subscription_role_assignments': { derived: 'ARM role assignments grouped by principal, named by role definitions (checked at their routes)' },
};

/** Answers read while listing, by route: the fields read, typed by the vendor's (or the mirrored published) shape. */
const routeContracts = {
  'sp-grants': fields<OAuth2PermissionGrant>()({ id: 'string', resourceId: 'string', scope: 'string', consentType: 'string', principalId: 'string' }),
  'sp-app-role-assignments': fields<AppRoleAssignment>()({ resourceId: 'string', appRoleId: 'string', resourceDisplayName: 'string' }),
  'sp-get': fields<ServicePrincipal>()({ id: 'string', appId: 'string', displayName: 'string', 'appRoles[].id': 'string', 'appRoles[].value': 'string',
    'oauth2PermissionScopes[].id': 'string', 'oauth2PermissionScopes[].value': 'string' }),
  'directory-audits': fields<DirectoryAudit>()({
    id: 'string', activityDisplayName: 'string', result: 'string', activityDateTime: 'string', initiatedBy: 'object', 'initiatedBy.user': 'object', 'initiatedBy.user.id': 'string',
    'initiatedBy.user.userPrincipalName': 'string', targetResources: 'array', 'targetResources[].id': 'string', 'targetResources[].type': 'string',
    'targetResources[].modifiedProperties': 'array', 'targetResources[].modifiedProperties[].displayName': 'string', 'targetResources[].modifiedProperties[].newValue': 'string',
  }),
  'sign-in-activity': fields<ServicePrincipalSignInActivity>()({ appId: 'string', 'lastSignInActivity.lastSignInDateTime': 'string' }),
  'arm-role-assignments': fields<ArmRoleAssignment>()({ name: 'string', 'properties.principalType': 'string', 'properties.principalId': 'string',
    'properties.roleDefinitionId': 'string', 'properties.scope': 'string', 'properties.createdOn': 'string' }),
  'arm-role-definitions': fields<ArmRoleDefinition>()({ name: 'string', 'properties.roleName': 'string' }),
};

/** The demo tenant, with the optional fields it leaves out that the adapters read. */
function scenario(): AzureScenario {
  const s = buildAzureScenario();
  s.users[0]!.otherMails = ['maya.personal@example.com'];
  return s;
}

const runs: ContractRun[] = [];
beforeAll(async () => { runs.push(await runContract('azure', scenario())); });
afterAll(async () => { for (const r of runs) await r.close(); });

/** Calls one simulator route directly (authorised), as a listing would; the JSON it serves. */
async function serve(s: AzureScenario, name: string, path: string, params: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const route = azureRoutes(s, { faults: () => [], logSub: () => {} }).find((r) => r.name === name)!;
  const url = new URL(`https://sim${path}`);
  const req: SimRequest = { method: 'GET', path: url.pathname, url, query: url.searchParams, params, headers: { authorization: 'Bearer sim.contract' }, body: {}, route: name };
  const out = await route.handler(req);
  expect(out.status ?? 200, name).toBe(200);
  return JSON.parse(JSON.stringify(out.body)) as Record<string, unknown>;
}

describe('azure contract', () => {
  it('every resource reads only fields the Graph types define, and the simulator serves them with those types', () => {
    assertContracts(runs, contracts);
  });

  it('answers aggregated before mapping are served with the types the listings read', async () => {
    const s = buildAzureScenario();
    const values = (b: Record<string, unknown>) => b.value as unknown[];
    const byRoute: Record<keyof typeof routeContracts, unknown[]> = {
      'sp-grants': [], 'sp-app-role-assignments': [], 'sp-get': [], 'directory-audits': [], 'sign-in-activity': [], 'arm-role-assignments': [], 'arm-role-definitions': [],
    };
    for (const sp of s.servicePrincipals) {
      byRoute['sp-grants'].push(...values(await serve(s, 'sp-grants', `/v1.0/servicePrincipals/${sp.id}/oauth2PermissionGrants`, { id: sp.id })));
      byRoute['sp-app-role-assignments'].push(...values(await serve(s, 'sp-app-role-assignments', `/v1.0/servicePrincipals/${sp.id}/appRoleAssignments`, { id: sp.id })));
    }
    byRoute['sp-get'].push(await serve(s, 'sp-get', `/v1.0/servicePrincipals/${azurePlanted.graphSp}?$select=id,appId,displayName,appRoles,oauth2PermissionScopes`, { id: azurePlanted.graphSp }));
    byRoute['directory-audits'].push(...values(await serve(s, 'directory-audits', '/v1.0/auditLogs/directoryAudits')));
    byRoute['sign-in-activity'].push(...values(await serve(s, 'sign-in-activity', '/beta/reports/servicePrincipalSignInActivities')));
    for (const sub of s.subscriptions ?? []) {
      const base = `/subscriptions/${sub.subscriptionId}/providers/Microsoft.Authorization`;
      byRoute['arm-role-assignments'].push(...values(await serve(s, 'arm-role-assignments', `${base}/roleAssignments`, { sub: sub.subscriptionId })));
      byRoute['arm-role-definitions'].push(...values(await serve(s, 'arm-role-definitions', `${base}/roleDefinitions`, { sub: sub.subscriptionId })));
    }
    const problems = Object.entries(routeContracts).flatMap(([route, c]) => servedProblems(route, byRoute[route as keyof typeof routeContracts], c));
    expect(problems).toEqual([]);
  });

  it('the consent audit reads only the audit-event fields its contract names', async () => {
    const s = buildAzureScenario();
    const events = (await serve(s, 'directory-audits', '/v1.0/auditLogs/directoryAudits')).value as DirectoryAudit[];
    expect(events.length).toBeGreaterThan(0);
    const rec = new ReadRecorder();
    adminConsentsIn(rec.wrap(events));
    const cover = covered(routeContracts['directory-audits']);
    expect([...rec.fields()].map((f) => f.replace(/^\[\]\.?/, '')).filter((f) => f && !cover.has(f))).toEqual([]);
  });
});
