// The demo company's Entra ID tenant and Azure subscriptions (Halcyon Logistics), built deterministically
// from company.everyone: departed people are disabled users. `scale` grows it for benchmarks; the planted
// problems stay the same:
//  - MailMetrics Analytics, a third-party app holding Mail.Read (application) whose only owner has left (disabled);
//  - warehouse-sync's client secret expires in 7 days; legacy-reporting holds one valid for 10 years (its clean twin:
//    halcyon-billing-api's secret, valid for exactly the 365 days policy allows);
//  - route-planner-api holds one client secret and one certificate (a normal pair: not "several secrets");
//  - github-actions-deploy signs in from GitHub Actions with a client secret where a federated credential would do;
//  - the mi-infra-deployer managed identity holds Owner on the production subscription;
//  - terraform-ci (federated credentials only) holds Owner on the production subscription and trusts GitHub Actions
//    tokens from halcyon-logistics/infra-terraform: its main branch (pinned) and every pull request (broad:
//    federation-broad-subject, critical with Owner). Third-party GitHub Apps that can write to that repository can
//    therefore reach the subscription (issue 19). Its clean twin: halcyon-billing-api trusts only the production
//    environment of billing-api (pinned: no federation finding);
//  - OpsGenie Connect has an admin-consented (AllPrincipals) delegated Directory.ReadWrite.All grant;
//  - secret texts and a certificate's key blob are served (real Graph never does) and must never be stored.
import type { AzureScenario } from '../../connectors/azure/simulator/scenario.ts';
import type { ServicePrincipalSignInActivity } from '../../connectors/azure/types.ts';
import { company, rng, daysAgo, daysAhead } from './company.ts';

export interface AzureScale { applications: number; servicePrincipals: number; users: number }
export const demoAzureScale: AzureScale = { applications: 0, servicePrincipals: 0, users: company.everyone.length };

/** Deterministic GUIDs: a 4-hex kind prefix and a counter. */
const guid = (kind: number, n: number) => `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export const MICROSOFT_TENANT = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';
const graphRoles = {
  'Mail.Read': '810c84a8-4a9e-49e6-bf7d-12d183f40d01', 'Directory.ReadWrite.All': '19dbc75e-c2e2-444c-a770-ec69d8559fc7',
  'User.Read.All': 'df021288-bdef-4463-88db-98f22de89214', 'Application.Read.All': '9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30',
  'Files.ReadWrite.All': '75359482-378d-4052-8f01-80520e7db3cd', 'Sites.Read.All': '332a536c-c7ef-4017-ab91-336970924f0d',
  'Group.Read.All': '5b567255-7703-4780-807c-7be8301ae99b', 'AuditLog.Read.All': 'b0afded3-3588-46d8-8b3d-9842eff778da',
} as const;
const graphScopes = {
  'User.Read': 'e1fe6dd8-ba31-4d61-89e7-88639da4683d', 'Mail.Read': '570282fd-fa5c-430d-a7fd-fc8dc98a9dca',
  'Directory.ReadWrite.All': 'c5366453-9fb0-48a5-a156-24f0c49a4b84', offline_access: '7427e0e9-2fba-42fe-b0c0-848c9e6a8182',
  'Files.Read': '10465720-29dd-4523-a11a-6a75c743c9d9', 'Calendars.Read': '465a38f9-76ea-45b9-9f34-9e8b0d4b0b42',
} as const;
const GITHUB_ACTIONS = 'https://token.actions.githubusercontent.com';
const ROLE = { Owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635', Contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c', Reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7' };

export const azurePlanted = {
  tenantId: 'b7f2c1d4-5e6a-4c8b-9d0e-1f2a3b4c5d6e',
  graphSp: guid(0x5000, 1),
  mailApp: { spId: guid(0x5000, 2), appId: guid(0xa000, 2), name: 'MailMetrics Analytics', vendorTenant: '3c1f0a9e-7d55-4b0e-9a61-2f4d8e7c6b5a' },
  directoryGrantApp: { spId: guid(0x5000, 3), appId: guid(0xa000, 3), name: 'OpsGenie Connect' },
  expiringSecretApp: 'warehouse-sync',
  tenYearSecretApp: 'legacy-reporting',
  federationCandidateApp: 'github-actions-deploy',
  managedIdentity: { spId: guid(0x5000, 9), name: 'mi-infra-deployer' },
  /** terraform-ci: Owner on the production subscription through a GitHub Actions trust (issue 19). */
  trustingApp: 'terraform-ci',
  /** terraform-ci's broad trust (federation-broad-subject) and halcyon-billing-api's pinned one (its clean twin). */
  broadTrustSubject: 'repo:halcyon-logistics/infra-terraform:pull_request',
  pinnedTrustSubject: 'repo:halcyon-logistics/billing-api:environment:production',
  prodSubscription: 'c0ffee00-1111-4222-8333-444455556666',
  devSubscription: 'c0ffee00-1111-4222-8333-777788889999',
  /** secretText values the simulator serves and the crawler must drop. */
  secretTexts: ['Qx~8Q~planted.secret.warehouse-sync.0001', 'Lr~3Q~planted.secret.legacy-reporting.0002', 'Gh~5Q~planted.secret.github-actions.0003'],
  certificateKeyBlob: 'MIIC/plantedCertificateKeyBlobThatMustNeverBeStored==',
};

export function buildAzureScenario(scale: AzureScale = demoAzureScale): AzureScenario {
  const r = rng(11);
  const tid = azurePlanted.tenantId;
  const people = company.everyone;
  const users: AzureScenario['users'] = [];
  for (let i = 0; i < scale.users; i++) {
    const p = people[i % people.length]!;
    const email = i < people.length ? p.email : p.email.replace('@', `.${i}@`);
    users.push({ id: guid(0x1000, i), userPrincipalName: email, mail: email, displayName: p.name, accountEnabled: !p.departed,
      userType: 'Member', createdDateTime: daysAgo(1500 - (i % 1000)) });
  }
  const userId = (login: string) => guid(0x1000, people.findIndex((p) => p.github === login));
  const departed = userId('rkowalski');

  const applications: AzureScenario['applications'] = [];
  const servicePrincipals: AzureScenario['servicePrincipals'] = [];
  const owners: Record<string, string[]> = {};
  const appRoleAssignments: NonNullable<AzureScenario['appRoleAssignments']> = [];
  const oauth2PermissionGrants: NonNullable<AzureScenario['oauth2PermissionGrants']> = [];
  const signIns: ServicePrincipalSignInActivity[] = [];
  let keySeq = 0;
  const secret = (name: string, start: string, end: string, text?: string) => ({ keyId: guid(0xc000, ++keySeq), displayName: name,
    hint: (text ?? 'abc').slice(0, 3), startDateTime: start, endDateTime: end, secretText: text ?? null, customKeyIdentifier: null });
  const cert = (name: string, start: string, end: string) => ({ keyId: guid(0xc000, ++keySeq), displayName: name, type: 'AsymmetricX509Cert',
    usage: 'Verify', startDateTime: start, endDateTime: end, key: azurePlanted.certificateKeyBlob, customKeyIdentifier: null });
  const grantRole = (spId: string, role: keyof typeof graphRoles, at: string) => appRoleAssignments.push({ id: `ara-${appRoleAssignments.length + 1}`,
    appRoleId: graphRoles[role], principalId: spId, principalType: 'ServicePrincipal', resourceId: azurePlanted.graphSp,
    resourceDisplayName: 'Microsoft Graph', createdDateTime: at });
  const lastSignIn = (appId: string, when: string | null) => signIns.push({ id: appId, appId,
    lastSignInActivity: { lastSignInDateTime: when, lastSignInRequestId: null } });

  // Microsoft Graph itself: the resource whose appRoles / oauth2PermissionScopes resolve permission ids.
  servicePrincipals.push({ id: azurePlanted.graphSp, appId: GRAPH_APP_ID, displayName: 'Microsoft Graph', servicePrincipalType: 'Application',
    appOwnerOrganizationId: MICROSOFT_TENANT, accountEnabled: true, tags: [],
    appRoles: Object.entries(graphRoles).map(([value, id]) => ({ id, value, displayName: value, allowedMemberTypes: ['Application'], isEnabled: true, description: value, origin: 'Application' })),
    oauth2PermissionScopes: Object.entries(graphScopes).map(([value, id]) => ({ id, value, type: 'Admin', isEnabled: true, adminConsentDisplayName: value })) });

  // Our own app registrations (each with its service principal).
  const own = [
    { name: 'halcyon-billing-api', owner: 'mchen', creds: [secret('billing-prod', daysAgo(100), daysAhead(265))], roles: ['User.Read.All'] as const, used: 1 },
    { name: azurePlanted.expiringSecretApp, owner: 'jokafor', creds: [secret('sync-2025', daysAgo(358), daysAhead(7), azurePlanted.secretTexts[0])], roles: ['Files.ReadWrite.All'] as const, used: 0 },
    { name: azurePlanted.tenYearSecretApp, owner: 'dmuller', creds: [secret('forever', daysAgo(400), daysAhead(3250), azurePlanted.secretTexts[1])], roles: ['Sites.Read.All'] as const, used: 210 },
    { name: azurePlanted.federationCandidateApp, owner: 'lnguyen', creds: [secret('GitHub Actions deploy', daysAgo(60), daysAhead(120), azurePlanted.secretTexts[2])], roles: ['Application.Read.All'] as const, used: 0 },
    { name: 'terraform-ci', owner: 'pkumar', creds: [], roles: [] as const, used: 0, fic: true },
    { name: 'saml-portal', owner: 'asantos', creds: [cert('saml-signing', daysAgo(165), daysAhead(200))], roles: [] as const, used: 3 },
    { name: 'route-planner-api', owner: 'tbrooks', creds: [secret('rp-2026', daysAgo(30), daysAhead(335)), cert('rp-cert', daysAgo(30), daysAhead(335))], roles: ['Group.Read.All'] as const, used: 1 },
  ];
  const federatedIdentityCredentials: NonNullable<AzureScenario['federatedIdentityCredentials']> = {};
  own.forEach((a, i) => {
    const appObj = guid(0xb000, i + 1);
    const appId = guid(0xa000, 100 + i);
    const spId = guid(0x5000, 100 + i);
    const passwordCredentials = a.creds.filter((c) => 'hint' in c);
    const keyCredentials = a.creds.filter((c) => 'key' in c);
    applications.push({ id: appObj, appId, displayName: a.name, createdDateTime: daysAgo(500 - i * 40), signInAudience: 'AzureADMyOrg',
      publisherDomain: company.domain, passwordCredentials: passwordCredentials as never, keyCredentials: keyCredentials as never, tags: [],
      requiredResourceAccess: [{ resourceAppId: GRAPH_APP_ID, resourceAccess: a.roles.map((role) => ({ id: graphRoles[role], type: 'Role' })) }] });
    servicePrincipals.push({ id: spId, appId, displayName: a.name, servicePrincipalType: 'Application', appOwnerOrganizationId: tid,
      accountEnabled: true, tags: ['WindowsAzureActiveDirectoryIntegratedApp'], passwordCredentials: [], keyCredentials: [] });
    owners[appObj] = [userId(a.owner)];
    for (const role of a.roles) grantRole(spId, role, daysAgo(300 - i));
    lastSignIn(appId, daysAgo(a.used));
    if ('fic' in a && a.fic) federatedIdentityCredentials[appObj] = [{ id: guid(0xf000, 1), name: 'github-main', issuer: GITHUB_ACTIONS,
      subject: 'repo:halcyon-logistics/infra-terraform:ref:refs/heads/main', audiences: ['api://AzureADTokenExchange'], description: 'GitHub Actions, main branch' },
    { id: guid(0xf000, 2), name: 'github-pr-plan', issuer: GITHUB_ACTIONS, subject: azurePlanted.broadTrustSubject,
      audiences: ['api://AzureADTokenExchange'], description: 'terraform plan on pull requests' }];
    if (a.name === 'halcyon-billing-api') federatedIdentityCredentials[appObj] = [{ id: guid(0xf000, 3), name: 'github-production', issuer: GITHUB_ACTIONS,
      subject: azurePlanted.pinnedTrustSubject, audiences: ['api://AzureADTokenExchange'], description: 'GitHub Actions, production environment' }];
  });
  const ghaSp = guid(0x5000, 103);
  const terraformSp = guid(0x5000, 104);

  // Third-party and Microsoft enterprise apps.
  const m = azurePlanted.mailApp;
  servicePrincipals.push({ id: m.spId, appId: m.appId, displayName: m.name, servicePrincipalType: 'Application', appOwnerOrganizationId: m.vendorTenant,
    accountEnabled: true, tags: ['WindowsAzureActiveDirectoryIntegratedApp'], verifiedPublisher: { displayName: null, verifiedPublisherId: null, addedDateTime: null } });
  owners[m.spId] = [departed];
  grantRole(m.spId, 'Mail.Read', daysAgo(420));
  lastSignIn(m.appId, daysAgo(2));
  const d = azurePlanted.directoryGrantApp;
  servicePrincipals.push({ id: d.spId, appId: d.appId, displayName: d.name, servicePrincipalType: 'Application', appOwnerOrganizationId: '9a8b7c6d-0000-4000-8000-0000000000aa',
    accountEnabled: true, tags: ['WindowsAzureActiveDirectoryIntegratedApp'], verifiedPublisher: { displayName: 'OpsGenie Inc', verifiedPublisherId: '5001234', addedDateTime: daysAgo(900) } });
  owners[d.spId] = [userId('asantos')];
  oauth2PermissionGrants.push({ id: 'grant-opsgenie-all', clientId: d.spId, consentType: 'AllPrincipals', principalId: null, resourceId: azurePlanted.graphSp,
    scope: 'User.Read Directory.ReadWrite.All offline_access' });
  lastSignIn(d.appId, daysAgo(5));
  // The directory audit log: mchen gave OpsGenie its tenant-wide consent; pkumar consented to SignFlow for
  // herself (a user consent: the grant already names her); a consent that failed is not a consent.
  const upnOf = (login: string) => users[people.findIndex((p) => p.github === login)]!.userPrincipalName ?? login;
  const directoryAudits: NonNullable<AzureScenario['directoryAudits']> = [
    consentEvent('c-1', daysAgo(12), d.spId, d.name, userId('mchen'), upnOf('mchen'), true, 'success'),
    consentEvent('c-2', daysAgo(9), guid(0x5000, 21), 'SignFlow e-Signature', userId('pkumar'), upnOf('pkumar'), false, 'success'),
    consentEvent('c-3', daysAgo(3), m.spId, m.name, userId('jokafor'), upnOf('jokafor'), true, 'failure'),
  ];
  const third = [
    { name: 'Contoso HR Sync', vendor: 'Contoso Ltd', grant: { type: 'AllPrincipals' as const, scope: 'User.Read offline_access' } },
    { name: 'SignFlow e-Signature', vendor: null, grant: { type: 'Principal' as const, scope: 'User.Read Files.Read', by: 'pkumar' } },
    { name: 'CalendarBot', vendor: null, grant: { type: 'Principal' as const, scope: 'Calendars.Read', by: 'jokafor' } },
  ];
  third.forEach((t, i) => {
    const spId = guid(0x5000, 20 + i);
    const appId = guid(0xa000, 20 + i);
    servicePrincipals.push({ id: spId, appId, displayName: t.name, servicePrincipalType: 'Application', appOwnerOrganizationId: guid(0x7000, 20 + i),
      accountEnabled: true, tags: ['WindowsAzureActiveDirectoryIntegratedApp'],
      ...(t.vendor ? { verifiedPublisher: { displayName: t.vendor, verifiedPublisherId: String(6000 + i), addedDateTime: daysAgo(700) } } : {}) });
    const by = 'by' in t.grant ? people.find((p) => p.github === t.grant.by) : undefined;
    oauth2PermissionGrants.push({ id: `grant-${i}`, clientId: spId, consentType: t.grant.type,
      principalId: by ? userId(by.github) : null, resourceId: azurePlanted.graphSp, scope: t.grant.scope });
    lastSignIn(appId, daysAgo(3 + i * 20));
  });
  servicePrincipals.push({ id: guid(0x5000, 30), appId: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c', displayName: 'Azure Portal', servicePrincipalType: 'Application',
    appOwnerOrganizationId: MICROSOFT_TENANT, accountEnabled: true, tags: [] });

  // Managed identities.
  const mi = azurePlanted.managedIdentity;
  servicePrincipals.push({ id: mi.spId, appId: guid(0xa000, 9), displayName: mi.name, servicePrincipalType: 'ManagedIdentity', accountEnabled: true,
    alternativeNames: ['isExplicit=True', `/subscriptions/${azurePlanted.prodSubscription}/resourcegroups/platform/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${mi.name}`],
    keyCredentials: [{ keyId: guid(0xc000, 900), type: 'AsymmetricX509Cert', usage: 'Verify', startDateTime: daysAgo(30), endDateTime: daysAhead(60), displayName: 'CN=managed identity' }] });
  const funcMi = guid(0x5000, 10);
  servicePrincipals.push({ id: funcMi, appId: guid(0xa000, 10), displayName: 'func-invoice-renderer', servicePrincipalType: 'ManagedIdentity', accountEnabled: true,
    alternativeNames: ['isExplicit=False', `/subscriptions/${azurePlanted.prodSubscription}/resourcegroups/billing/providers/Microsoft.Web/sites/func-invoice-renderer`] });

  // Scale-out for benchmarks: more app registrations (with SPs), third-party SPs with grants, users.
  for (let i = 0; i < scale.applications - own.length; i++) {
    const appObj = guid(0xb100, i);
    const appId = guid(0xa100, i);
    applications.push({ id: appObj, appId, displayName: `app-${i}`, createdDateTime: daysAgo(i % 900), signInAudience: 'AzureADMyOrg', publisherDomain: company.domain,
      passwordCredentials: [secret(`s-${i}`, daysAgo(i % 300), daysAhead(30 + (i % 700)))] as never, keyCredentials: [], requiredResourceAccess: [] });
    owners[appObj] = [guid(0x1000, Math.floor(r() * scale.users))];
    if (servicePrincipals.length < scale.servicePrincipals) {
      const spId = guid(0x5100, i);
      servicePrincipals.push({ id: spId, appId, displayName: `app-${i}`, servicePrincipalType: 'Application', appOwnerOrganizationId: tid, accountEnabled: true, tags: [] });
      if (i % 4 === 0) grantRole(spId, 'User.Read.All', daysAgo(i % 500));
    }
  }
  for (let i = 0; servicePrincipals.length < scale.servicePrincipals; i++) {
    const spId = guid(0x5200, i);
    servicePrincipals.push({ id: spId, appId: guid(0xa200, i), displayName: `vendor-app-${i}`, servicePrincipalType: i % 10 === 0 ? 'ManagedIdentity' : 'Application',
      appOwnerOrganizationId: i % 10 === 0 ? null : guid(0x7100, i % 500), accountEnabled: i % 17 !== 0, tags: [] });
    if (i % 3 === 0) oauth2PermissionGrants.push({ id: `g-${i}`, clientId: spId, consentType: i % 6 === 0 ? 'AllPrincipals' : 'Principal',
      principalId: i % 6 === 0 ? null : guid(0x1000, i % scale.users), resourceId: azurePlanted.graphSp, scope: 'User.Read offline_access' });
  }

  return {
    organization: { id: tid, displayName: company.name, tenantType: 'AAD', countryLetterCode: 'NL', createdDateTime: '2018-06-01T08:00:00Z',
      verifiedDomains: [{ name: company.domain, isDefault: true, isInitial: false, type: 'Managed', capabilities: 'Email, OfficeCommunicationsOnline' },
        { name: 'halcyonlogistics.onmicrosoft.com', isDefault: false, isInitial: true, type: 'Managed', capabilities: 'Email' }] },
    users,
    deletedUsers: [{ id: guid(0x1000, 0x900000000000), userPrincipalName: `9000a1b2c3d4e5f6intern@${company.domain}`, displayName: 'Summer Intern',
      mail: `intern@${company.domain}`, accountEnabled: false, deletedDateTime: daysAgo(12) }],
    globalAdmins: [userId('mchen'), userId('asantos')],
    applications, servicePrincipals, owners, federatedIdentityCredentials, appRoleAssignments, oauth2PermissionGrants,
    signInActivities: signIns, directoryAudits,
    subscriptions: [
      { id: `/subscriptions/${azurePlanted.prodSubscription}`, subscriptionId: azurePlanted.prodSubscription, displayName: 'halcyon-prod', state: 'Enabled', tenantId: tid },
      { id: `/subscriptions/${azurePlanted.devSubscription}`, subscriptionId: azurePlanted.devSubscription, displayName: 'halcyon-dev', state: 'Enabled', tenantId: tid },
    ],
    roleDefinitions: Object.entries(ROLE).map(([roleName, id]) => ({ id: `/providers/Microsoft.Authorization/roleDefinitions/${id}`, name: id, properties: { roleName, type: 'BuiltInRole' } })),
    roleAssignments: {
      [azurePlanted.prodSubscription]: [
        ra(azurePlanted.prodSubscription, 1, mi.spId, 'ServicePrincipal', ROLE.Owner),
        ra(azurePlanted.prodSubscription, 2, funcMi, 'ServicePrincipal', ROLE.Reader),
        ra(azurePlanted.prodSubscription, 3, userId('mchen'), 'User', ROLE.Owner),
        ra(azurePlanted.prodSubscription, 5, terraformSp, 'ServicePrincipal', ROLE.Owner),
      ],
      [azurePlanted.devSubscription]: [
        ra(azurePlanted.devSubscription, 4, ghaSp, 'ServicePrincipal', ROLE.Contributor),
      ],
    },
  };
}

function ra(sub: string, n: number, principalId: string, principalType: 'User' | 'ServicePrincipal', roleId: string) {
  return { id: `/subscriptions/${sub}/providers/Microsoft.Authorization/roleAssignments/${guid(0xd000, n)}`, name: guid(0xd000, n),
    properties: { roleDefinitionId: `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${roleId}`, principalId, principalType,
      scope: `/subscriptions/${sub}`, createdOn: daysAgo(100 + n) } };
}

/** A 'Consent to application' entry of the directory audit log, shaped as Graph returns it. */
export function consentEvent(id: string, at: string, spId: string, spName: string, userId: string, upn: string, admin: boolean,
  result: 'success' | 'failure'): NonNullable<AzureScenario['directoryAudits']>[number] {
  return {
    id: `Directory_${id}`, category: 'ApplicationManagement', activityDisplayName: 'Consent to application', activityDateTime: at,
    correlationId: `corr-${id}`, loggedByService: 'Core Directory', operationType: 'Assign', result, resultReason: result === 'success' ? '' : 'Consent failed',
    initiatedBy: { user: { id: userId, displayName: null, userPrincipalName: upn, ipAddress: '203.0.113.7' } },
    targetResources: [{ id: spId, displayName: spName, type: 'ServicePrincipal', modifiedProperties: [
      { displayName: 'ConsentContext.IsAdminConsent', oldValue: null, newValue: `"${admin ? 'True' : 'False'}"` },
      { displayName: 'ConsentContext.OnBehalfOfAll', oldValue: null, newValue: `"${admin ? 'True' : 'False'}"` },
      { displayName: 'ConsentAction.Permissions', oldValue: null, newValue: '"[] => [[Scope: User.Read offline_access]]; "' },
    ] }],
    additionalDetails: [{ key: 'User-Agent', value: 'Mozilla/5.0' }],
  };
}
