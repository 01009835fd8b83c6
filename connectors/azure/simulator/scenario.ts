// The Azure block of a scenario file, typed with @microsoft/microsoft-graph-types so an invented field or a
// wrong type fails to compile. `Sim<T, K>` keeps K required and lets the rest be omitted (the simulator
// fills nothing in: an absent optional field is a real response the adapter must survive). The scenario is
// read live: a test may change it between crawls and the delta endpoints report exactly that change.
import type {
  Application, AppRoleAssignment, DirectoryAudit, FederatedIdentityCredential, OAuth2PermissionGrant, Organization, ServicePrincipal, User,
} from '@microsoft/microsoft-graph-types';
import type { ArmRoleAssignment, ArmRoleDefinition, ArmSubscription, ServicePrincipalSignInActivity } from '../types.ts';

export type Sim<T, K extends keyof T> = Partial<T> & Required<Pick<T, K>>;

export interface AzureScenario {
  organization: Sim<Organization, 'id' | 'displayName'>;
  users: Sim<User, 'id' | 'userPrincipalName'>[];
  /** Users in the recycle bin (soft-deleted, restorable for 30 days): /directory/deletedItems. */
  deletedUsers?: Sim<User, 'id' | 'userPrincipalName' | 'deletedDateTime'>[];
  /** Object ids of Global Administrators. */
  globalAdmins?: string[];
  applications: Sim<Application, 'id' | 'appId' | 'displayName'>[];
  servicePrincipals: Sim<ServicePrincipal, 'id' | 'appId' | 'displayName' | 'servicePrincipalType'>[];
  /** object id (application or service principal) -> owner object ids (users or service principals). */
  owners?: Record<string, string[]>;
  /**
   * How directory objects (owners, role members) are served: 'annotated' (default, as Graph does) carries each
   * one's '@odata.type' (#microsoft.graph.user / .servicePrincipal); 'bare' leaves it out.
   */
  directoryObjectForm?: 'annotated' | 'bare';
  /** application object id -> federated identity credentials */
  federatedIdentityCredentials?: Record<string, Sim<FederatedIdentityCredential, 'id' | 'name' | 'issuer' | 'subject' | 'audiences'>[]>;
  appRoleAssignments?: Sim<AppRoleAssignment, 'id' | 'appRoleId' | 'principalId' | 'resourceId'>[];
  oauth2PermissionGrants?: Sim<OAuth2PermissionGrant, 'id' | 'clientId' | 'consentType' | 'resourceId' | 'scope'>[];
  /** Beta sign-in activity per SP; null: the tenant has no P1/P2 licence (the report answers 403). */
  signInActivities?: ServicePrincipalSignInActivity[] | null;
  /** Directory audit log (GET /auditLogs/directoryAudits, newest first); null: the app lacks AuditLog.Read.All (403). */
  directoryAudits?: Sim<DirectoryAudit, 'id' | 'activityDateTime' | 'activityDisplayName'>[] | null;
  subscriptions?: ArmSubscription[];
  /** Role definitions available in every subscription. */
  roleDefinitions?: ArmRoleDefinition[];
  /** subscription id -> role assignments at or below it */
  roleAssignments?: Record<string, ArmRoleAssignment[]>;
  /** Graph resource-unit budget per app and tenant (default: 3,500 RU per 10 s, a small tenant). */
  throttle?: { resourceUnits: number; windowMs: number };
  /** Page size of delta rounds (Graph picks it; default 200). */
  deltaPageSize?: number;
  /** Every stored delta token is answered 400 syncStateNotFound (as after 7 days). */
  expireDeltaTokens?: boolean;
}
