// Shapes @microsoft/microsoft-graph-types (v1.0) lacks: the beta service-principal sign-in activity report,
// and the Azure Resource Manager subscription / role assignment / role definition resources.
// https://learn.microsoft.com/graph/api/resources/serviceprincipalsigninactivity?view=graph-rest-beta
// https://learn.microsoft.com/rest/api/authorization/role-assignments/list-for-subscription

export interface SignInActivity { lastSignInDateTime?: string | null; lastSignInRequestId?: string | null }

/** beta `servicePrincipalSignInActivity` */
export interface ServicePrincipalSignInActivity {
  id: string;
  appId: string;
  lastSignInActivity?: SignInActivity | null;
  delegatedClientSignInActivity?: SignInActivity | null;
  delegatedResourceSignInActivity?: SignInActivity | null;
  applicationAuthenticationClientSignInActivity?: SignInActivity | null;
  applicationAuthenticationResourceSignInActivity?: SignInActivity | null;
}

export interface ArmSubscription {
  id: string;
  subscriptionId: string;
  displayName: string;
  state: 'Enabled' | 'Warned' | 'PastDue' | 'Disabled' | 'Deleted';
  tenantId?: string;
}

export interface ArmRoleAssignment {
  id: string;
  name: string;
  type?: string;
  properties: {
    roleDefinitionId: string;
    principalId: string;
    principalType: 'User' | 'Group' | 'ServicePrincipal' | 'ForeignGroup' | 'Device';
    scope: string;
    createdOn?: string;
    createdBy?: string | null;
    condition?: string | null;
    description?: string | null;
  };
}

export interface ArmRoleDefinition {
  id: string;
  name: string;
  properties: { roleName: string; type?: string; description?: string };
}
