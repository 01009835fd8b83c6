// Validates the Azure block of a scenario file (zod): the block and its own structures are strict, each
// vendor object requires the fields AzureScenario requires (typed as @microsoft/microsoft-graph-types and the
// ARM types in ../types.ts type them) and refuses near-miss keys; the output is assignable to AzureScenario.
import { z } from 'zod';
import type {
  Application, AppRoleAssignment, DirectoryAudit, FederatedIdentityCredential, OAuth2PermissionGrant, Organization, ServicePrincipal, User,
} from '@microsoft/microsoft-graph-types';
import { isoDate, keyed, vendorObject, type Assignable } from '../../../src/simulator/scenario-schema.ts';
import type { ArmRoleAssignment, ArmRoleDefinition, ArmSubscription, ServicePrincipalSignInActivity } from '../types.ts';
import type { AzureScenario } from './scenario.ts';

const id = z.string().min(1);
const text = z.string();
const ids = z.array(z.string());
const userAlso = ['mail', 'displayName', 'accountEnabled', 'userType', 'createdDateTime', 'otherMails', 'proxyAddresses', 'onPremisesSyncEnabled'] as const;
const credentialsAlso = ['passwordCredentials', 'keyCredentials', 'tags', 'signInAudience', 'verifiedPublisher'] as const;

export const azureScenarioSchema = z.strictObject({
  organization: vendorObject<Organization>()({ id, displayName: text.nullable() }, ['tenantType', 'countryLetterCode', 'createdDateTime', 'verifiedDomains']),
  users: z.array(vendorObject<User>()({ id, userPrincipalName: text.nullable() }, userAlso)),
  deletedUsers: z.array(vendorObject<User>()({ id, userPrincipalName: text.nullable(), deletedDateTime: isoDate.nullable() }, userAlso)).optional(),
  globalAdmins: ids.optional(),
  applications: z.array(vendorObject<Application>()({ id, appId: id.nullable(), displayName: text.nullable() },
    [...credentialsAlso, 'createdDateTime', 'publisherDomain', 'requiredResourceAccess', 'appRoles', 'identifierUris', 'web', 'api'])),
  servicePrincipals: z.array(vendorObject<ServicePrincipal>()({ id, appId: id.nullable(), displayName: text.nullable(), servicePrincipalType: text.nullable() },
    [...credentialsAlso, 'appOwnerOrganizationId', 'accountEnabled', 'appRoles', 'oauth2PermissionScopes', 'alternativeNames', 'appDisplayName'])),
  owners: keyed(ids).optional(),
  directoryObjectForm: z.enum(['annotated', 'bare']).optional(),
  federatedIdentityCredentials: keyed(z.array(vendorObject<FederatedIdentityCredential>()({
    id, name: text, issuer: text, subject: text, audiences: ids,
  }, ['description']))).optional(),
  appRoleAssignments: z.array(vendorObject<AppRoleAssignment>()({ id, appRoleId: id, principalId: id.nullable(), resourceId: id.nullable() },
    ['principalType', 'principalDisplayName', 'resourceDisplayName', 'createdDateTime', 'deletedDateTime'])).optional(),
  oauth2PermissionGrants: z.array(vendorObject<OAuth2PermissionGrant>()({ id, clientId: id, consentType: text.nullable(), resourceId: id, scope: text.nullable() },
    ['principalId'])).optional(),
  signInActivities: z.array(vendorObject<ServicePrincipalSignInActivity>()({ id, appId: id },
    ['lastSignInActivity', 'delegatedClientSignInActivity', 'delegatedResourceSignInActivity', 'applicationAuthenticationClientSignInActivity',
      'applicationAuthenticationResourceSignInActivity'])).nullable().optional(),
  directoryAudits: z.array(vendorObject<DirectoryAudit>()({ id, activityDateTime: isoDate, activityDisplayName: text },
    ['category', 'correlationId', 'loggedByService', 'operationType', 'result', 'resultReason', 'initiatedBy', 'targetResources', 'additionalDetails']))
    .nullable().optional(),
  subscriptions: z.array(vendorObject<ArmSubscription>()({
    id, subscriptionId: id, displayName: text, state: z.enum(['Enabled', 'Warned', 'PastDue', 'Disabled', 'Deleted']), tenantId: z.string().optional(),
  })).optional(),
  roleDefinitions: z.array(vendorObject<ArmRoleDefinition>()({ id, name: text, properties: vendorObject<ArmRoleDefinition['properties']>()({ roleName: text }, ['type', 'description']) })).optional(),
  roleAssignments: keyed(z.array(vendorObject<ArmRoleAssignment>()({
    id, name: text, properties: vendorObject<ArmRoleAssignment['properties']>()({
      roleDefinitionId: id, principalId: id, principalType: z.enum(['User', 'Group', 'ServicePrincipal', 'ForeignGroup', 'Device']), scope: id,
    }, ['createdOn', 'createdBy', 'condition', 'description']),
  }, ['type']))).optional(),
  throttle: z.strictObject({ resourceUnits: z.number().int().positive(), windowMs: z.number().int().positive() }).optional(),
  deltaPageSize: z.number().int().positive().optional(),
  expireDeltaTokens: z.boolean().optional(),
});

const _typed: Assignable<z.output<typeof azureScenarioSchema>, AzureScenario> = true;
void _typed;
