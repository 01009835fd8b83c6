// Microsoft Entra ID / Azure's risk catalogue: grades of Microsoft Graph application permissions (app roles) and
// delegated scopes, Entra directory roles held by service principals and Azure RBAC roles, and the facts about
// Entra's credential types. Grades: docs/risk-catalogue.md §5.6–5.9 (max of AzTier tier and ScubaGear level; GUIDs
// agreed by AzTier, ScubaGear and a Graph app-role dump); credentials: §4 (ScubaGear MS.AAD.5.5).
// Permissions are matched by name (the graph names scope nodes by permission value); the GUIDs are kept
// so a scope node named by id still grades. Loaded on its own by commands that never crawl.
// https://learn.microsoft.com/graph/permissions-reference
import { policyTable } from '../../src/catalogue/credentials.ts';
import type { ProviderCatalogue, ScopeAgency, Severity } from '../../src/catalogue/types.ts';

type Row = [name: string, guid: string, severity: Severity];
const APP: Row[] = [
  ['RoleManagement.ReadWrite.Directory', '9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8', 'critical'],
  ['AppRoleAssignment.ReadWrite.All', '06b708a9-e830-4db3-a914-8e69da51d44f', 'critical'],
  ['Application.ReadWrite.All', '1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9', 'critical'],
  ['Application.ReadWrite.OwnedBy', '18a4783c-866b-4cc7-a460-3d5e5662c884', 'critical'],
  ['DelegatedPermissionGrant.ReadWrite.All', '8e8e4742-1d95-4f68-9d56-6ee75648c72a', 'critical'],
  ['Directory.ReadWrite.All', '19dbc75e-c2e2-444c-a770-ec69d8559fc7', 'critical'],
  ['Policy.ReadWrite.PermissionGrant', 'a402ca1c-2696-4531-972d-6e5ee4aa11ea', 'critical'],
  ['Policy.ReadWrite.ConditionalAccess', '01c0a623-fc9b-48e9-b794-0756f8e8f067', 'critical'],
  ['Policy.ReadWrite.AuthenticationMethod', '29c18626-4985-4dcd-85c0-193eef327366', 'critical'],
  ['Policy.ReadWrite.Authorization', 'fb221be6-99f2-473f-bd32-01c6a0e9ca3b', 'critical'],
  ['Domain.ReadWrite.All', '7e05723c-0bb0-42da-be95-ae9f08a6e53c', 'critical'],
  ['Organization.ReadWrite.All', '292d869f-3427-49a8-9dab-8c70152b74e9', 'critical'],
  ['User.ReadWrite.All', '741f803b-c850-494e-b5df-cde7c675a1ca', 'critical'],
  ['UserAuthenticationMethod.ReadWrite.All', '50483e42-d915-4231-9639-7fdb7fd190e5', 'critical'],
  ['Group.ReadWrite.All', '62a82d76-70ea-41e2-9197-370581804d09', 'critical'],
  ['GroupMember.ReadWrite.All', 'dbaae8cf-10b5-4b86-a4a1-f871c94c6695', 'critical'],
  ['RoleAssignmentSchedule.ReadWrite.Directory', 'dd199f4a-f148-40a4-a2ec-f0069cc799ec', 'critical'],
  ['RoleEligibilitySchedule.ReadWrite.Directory', 'fee28b28-e1f3-4841-818e-2704dc62245f', 'critical'],
  ['PrivilegedAccess.ReadWrite.AzureADGroup', '2f6817f8-7b12-4f0f-bc18-eeaf60705a9e', 'critical'],
  ['AdministrativeUnit.ReadWrite.All', '5eb59dd3-1da2-4329-8733-9dabdc435916', 'critical'],
  ['EntitlementManagement.ReadWrite.All', '9acd699f-1e81-4958-b001-93b1d2506e19', 'critical'],
  ['DeviceManagementConfiguration.ReadWrite.All', '9241abd9-d0e6-425a-bd4f-47ba86e767a4', 'critical'],
  ['DeviceManagementRBAC.ReadWrite.All', 'e330c4f0-4170-414e-a55a-2f022ec2b57b', 'critical'],
  ['Mail.ReadWrite', 'e2a3a72e-5f79-4c64-b1b1-878b674786c9', 'critical'],
  ['Files.ReadWrite.All', '75359482-378d-4052-8f01-80520e7db3cd', 'critical'],
  ['Sites.FullControl.All', 'a82116e5-55eb-4c41-a434-62fe8a61c773', 'critical'],
  ['Sites.ReadWrite.All', '9492366f-7969-46a4-8d15-ed1a20078fff', 'critical'],
  ['ServicePrincipalEndpoint.ReadWrite.All', '89c8469c-83ad-45f7-8ff2-6e3d4285709e', 'high'],
  ['Mail.Read', '810c84a8-4a9e-49e6-bf7d-12d183f40d01', 'high'],
  ['Mail.Send', 'b633e1c5-b582-4048-a93e-9f11b44c7e96', 'high'],
  ['MailboxSettings.ReadWrite', '6931bccd-447a-43d1-b442-00a195474933', 'high'],
  ['Files.Read.All', '01d4889c-1287-42c6-ac1f-5d1e02578ef6', 'high'],
  ['Sites.Read.All', '332a536c-c7ef-4017-ab91-336970924f0d', 'high'],
  ['Sites.Manage.All', '0c0bf378-bf22-4481-8f81-9e89a9b4960a', 'high'],
  ['Chat.ReadWrite.All', '294ce7c9-31ba-490a-ad7d-97a7d075e4ed', 'high'],
  ['ChannelMessage.Read.All', '7b2449af-6ccd-4f4d-9f78-e550c193f0d1', 'high'],
  ['Chat.Read.All', '6b7d71aa-70aa-4810-a8d9-5d9fb2830017', 'high'],
  ['Calendars.ReadWrite', 'ef54d2bf-783f-4e0f-bca1-3210c0444d99', 'high'],
  ['Contacts.ReadWrite', '6918b873-d17a-4dc1-b314-35f528134491', 'high'],
  ['Notes.ReadWrite.All', '0c458cef-11f3-48c2-a568-c66751c238c0', 'high'],
  ['TeamMember.ReadWrite.All', '0121dc95-1b9f-4aed-8bac-58c5ac466691', 'high'],
  ['AuditLog.Read.All', 'b0afded3-3588-46d8-8b3d-9842eff778da', 'high'],
  ['Policy.Read.All', '246dd0d5-5bd0-4def-940b-0421030a5b68', 'high'],
  ['Directory.Read.All', '7ab1d382-f21e-4acd-a863-ba3e13f7da61', 'high'],
  ['User.Read.All', 'df021288-bdef-4463-88db-98f22de89214', 'high'],
  ['Group.Read.All', '5b567255-7703-4780-807c-7be8301ae99b', 'high'],
  ['User.Invite.All', '09850681-111b-4a89-9bed-3f2cae46d706', 'high'],
  ['Application.Read.All', '9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30', 'medium'],
  ['Sites.Selected', '883ea226-0bf2-4a8f-9f9d-92c9162a727d', 'medium'],
  ['full_access_as_app', 'dc890d15-9560-4a4c-9b7f-a736ec74ec40', 'critical'],
];
/** Delegated scopes (oauth2PermissionScopes) — graded lower where the signed-in user's rights cap them (§5.7). */
const DELEGATED: Row[] = [
  ['Directory.AccessAsUser.All', '0e263e50-5827-48a4-b97c-d940288653c7', 'critical'],
  ['Directory.ReadWrite.All', 'c5366453-9fb0-48a5-a156-24f0c49a4b84', 'critical'],
  ['RoleManagement.ReadWrite.Directory', 'd01b97e9-cbc0-49fe-810a-750afd5527a3', 'critical'],
  ['Policy.ReadWrite.ConditionalAccess', 'ad902697-1014-4ef5-81ef-2b4301988e8c', 'critical'],
  ['Policy.ReadWrite.AuthenticationMethod', '7e823077-d88e-468f-a337-e18f1f0e6c7c', 'critical'],
  ['Domain.ReadWrite.All', '0b5d694c-a244-4bde-86e6-eb5cd07730fe', 'critical'],
  ['User.ReadWrite.All', '204e0828-b5ca-4ad8-b9f3-f32a958e7cc4', 'critical'],
  ['UserAuthenticationMethod.ReadWrite.All', 'b7887744-6746-4312-813d-72daeaee7e2d', 'critical'],
  ['Sites.ReadWrite.All', '89fe6a52-be36-487e-b7d8-d061c450a026', 'critical'],
  ['Sites.FullControl.All', '5a54b8b3-347c-476d-8f8e-42d5c7424d29', 'critical'],
  ['AppRoleAssignment.ReadWrite.All', '84bccea3-f856-4a8a-967b-dbe0a3d53a64', 'high'],
  ['Application.ReadWrite.All', 'bdfbf15f-ee85-4955-8675-146e8e5296b5', 'high'],
  ['Group.ReadWrite.All', '4e46008b-f24c-477d-8fff-7bb4ec7aafe0', 'high'],
  ['Mail.ReadWrite', '024d486e-b451-40bb-833d-3e66d98c5c73', 'high'],
  ['Mail.Send', 'e383f46e-2787-4529-855e-0e479a3ffac0', 'high'],
  ['Files.ReadWrite.All', '863451e7-0667-486c-a5d6-d135439485f0', 'high'],
  ['Directory.Read.All', '06da0dbc-49e2-44d2-8312-53f166ab848a', 'high'],
  ['Mail.Read', '570282fd-fa5c-430d-a7fd-fc8dc98a9dca', 'medium'],
  ['Files.Read.All', 'df85f4d6-205c-4ac5-a5ea-6bf408dba283', 'medium'],
  ['offline_access', '7427e0e9-2fba-42fe-b0c0-848c9e6a8182', 'low'],
];
/** Entra directory roles held by a service principal (AzTier tier 0), by display name and template id (§5.8). */
const ROLES: Array<[string, string]> = [
  ['Global Administrator', '62e90394-69f5-4237-9190-012177145e10'],
  ['Privileged Role Administrator', 'e8611ab8-c189-46e8-94e1-60213ab1f814'],
  ['Privileged Authentication Administrator', '7be44c8a-adaf-4e2a-84d6-ab2649e08a13'],
  ['Application Administrator', '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3'],
  ['Cloud Application Administrator', '158c047a-c907-4556-b7ef-446551a6b5f7'],
  ['Conditional Access Administrator', 'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9'],
  ['Security Administrator', '194ae4cb-b126-40b2-bd5b-6091b380977d'],
  ['User Administrator', 'fe930be7-5e62-47db-91af-98c3a49a38b1'],
  ['Hybrid Identity Administrator', '8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2'],
];

/** Azure RBAC built-in roles held on subscriptions / resource groups (CAN_ACCESS props.roles, §5.9). */
const RBAC: Array<[string, Severity, string]> = [
  ['Owner', 'critical', 'full control of the scope including access management'],
  ['User Access Administrator', 'critical', 'can grant itself or others any role on the scope'],
  ['Role Based Access Control Administrator', 'critical', 'can assign roles on the scope'],
  ['Contributor', 'high', 'can change every resource in the scope (not access)'],
  ['Key Vault Administrator', 'high', 'manages keys, secrets and certificates'],
  ['Key Vault Secrets User', 'high', 'reads secret values'],
  ['Storage Blob Data Owner', 'high', 'full data access to blobs'],
  ['Reader', 'medium', 'reads configuration of every resource in the scope'],
];

const why: Record<Severity, string> = {
  critical: 'tier-0: tenant takeover path or write to all of a crown-jewel data set (AzTier / ScubaGear)',
  high: 'reads all sensitive data or controls other integrations (AzTier tier 1 / ScubaGear High)',
  medium: 'broad read of metadata (AzTier tier 2 / ScubaGear Medium)', low: 'self-only or basic', info: '',
};
const scopes: ProviderCatalogue['scopes'] = {};
for (const [name, guid, severity] of APP) scopes[name] = scopes[guid] = { severity, reason: `application permission: ${why[severity]}` };
for (const [name, guid, severity] of DELEGATED) {
  const d = { severity, reason: `delegated scope: ${why[severity]}` };
  scopes[`${name} (delegated)`] = scopes[guid] = d;
  scopes[name] ??= d;
}
for (const [name, severity, reason] of RBAC) scopes[name] = { severity, reason: `Azure RBAC role: ${reason}` };
for (const [name, id] of ROLES) scopes[name] = scopes[id] = { severity: 'critical', reason: 'tier-0 Entra directory role held by a service principal (AzTier)' };

/**
 * §5.10: what a permission or role lets its holder do. Graph permissions: role, app, policy, directory, domain,
 * organisation, authentication-method and privileged-access management at ReadWrite administer; other ReadWrite, Send,
 * FullControl, Manage, Invite and full_access_as_app write; Read reads. RBAC: Owner and the access administrators
 * administer, Reader reads, the others write; tier-0 directory roles administer. Broad reads: every mailbox, every file
 * and site, the directory, every chat and channel message, the audit log, every resource of the scope.
 */
const AZURE_BROAD: Array<[RegExp, string]> = [
  [/^(Mail\.(Read|ReadWrite)|full_access_as_app)$/, 'all mail'],
  [/^(Files|Sites)\.(Read|ReadWrite)\.All$|^Sites\.FullControl\.All$/, 'all files'],
  [/^(Directory|User|Group|GroupMember)\.(Read|ReadWrite)\.All$|^Directory\.AccessAsUser\.All$/, 'the directory'],
  [/^(Chat\.(Read|ReadWrite)\.All|ChannelMessage\.Read\.All)$/, 'every chat and channel message'],
  [/^AuditLog\.Read\.All$/, 'the audit log'],
  [/^Reader$/, 'every resource of the scope'],
];
const AZURE_ADMIN = /^(RoleManagement|AppRoleAssignment|Application|DelegatedPermissionGrant|Directory|Policy|Domain|Organization|UserAuthenticationMethod|RoleAssignmentSchedule|RoleEligibilitySchedule|PrivilegedAccess|AdministrativeUnit|EntitlementManagement|DeviceManagementRBAC)\.ReadWrite\b|^Directory\.AccessAsUser\.All$/;
const RBAC_ADMIN = new Set(['Owner', 'User Access Administrator', 'Role Based Access Control Administrator']);

function azureAgency(permission: string): ScopeAgency | undefined {
  const scope = permission.replace(/ \(delegated\)$/, '');
  const b = AZURE_BROAD.find(([re]) => re.test(scope))?.[1];
  const broad = b ? { broad: b } : {};
  if (AZURE_ADMIN.test(scope) || RBAC_ADMIN.has(scope) || ROLES.some(([name, id]) => name === scope || id === scope)) return { access: 'admin', ...broad };
  if (/\.(ReadWrite|Send|FullControl|Manage|Invite)\b|^full_access_as_app$/.test(scope)) return { access: 'write', ...broad };
  if (/\.Read\b|^(Sites\.Selected|offline_access)$/.test(scope) || scope === 'Reader') return { access: 'read', ...broad };
  if (RBAC.some(([name]) => name === scope)) return { access: 'write', ...broad };
  return undefined;
}

/**
 * §5.11: the RBAC roles that control a scope — Azure's "Privileged" built-in roles — by name and by role definition id
 * (a role the listing could not name is shown by id). owner: can change who has access; contributor: every resource.
 */
const PRIVILEGED_SOURCE = 'https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/privileged';
const PRIVILEGED: Array<[string, string, 'owner' | 'contributor']> = [
  ['Owner', '8e3af657-a8ff-443c-a75c-2fe8c4bcb635', 'owner'],
  ['User Access Administrator', '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9', 'owner'],
  ['Role Based Access Control Administrator', 'f58310d9-a9f6-439a-9e8d-f62e7b41a168', 'owner'],
  ['Contributor', 'b24988ac-6180-42a0-ab88-20f7382dd24c', 'contributor'],
];
const privilegedRoles: NonNullable<ProviderCatalogue['privilegedRoles']> = {};
for (const [name, id, tier] of PRIVILEGED) privilegedRoles[name] = privilegedRoles[id] = { tier, source: PRIVILEGED_SOURCE };

const azureCatalogue: ProviderCatalogue = {
  provider: 'azure',
  source: 'docs/risk-catalogue.md §5.6–5.9 (emiliensocchi/azure-tiering, cisagov/ScubaGear RiskyAppPermissions.json, Graph permissions reference)',
  // Scope nodes may carry the consent kind as a suffix ("Mail.Read (application)"): grade by the permission.
  normalise: (s) => s.replace(/\s*\((application|app)\)$/i, '').replace(/\s*\(delegated\)$/i, ' (delegated)'),
  scopes,
  agency: azureAgency,
  privilegedRoles,
  // §4: application credentials — a client secret (password) has a federated / managed-identity alternative;
  // certificates can expire; federated credentials hold no secret.
  credentialPolicy: policyTable([
    [/^(entra|azure)?_?(client_secret|password(_credential)?)$/, { expirable: true, label: 'client secret',
      alternative: 'a federated identity credential (workload identity federation) or a managed identity' }],
    [/^(entra|azure)?_?(certificate|key_credential)$/, { expirable: true, kind: 'certificate', label: 'certificate' }],
    [/^(entra|azure)?_?federated(_identity)?(_credential)?$/, { expirable: false, kind: 'federated', label: 'federated credential' }],
  ]),
};
export default azureCatalogue;
