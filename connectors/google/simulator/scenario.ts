// The Google block of a scenario file, typed with the googleapis `Schema$…` types so an invented field or
// a wrong type fails to compile. `Sim<T, K>` keeps K required and lets the rest be omitted (the simulator
// fills nothing in: an absent optional field is a real response the adapter must survive).
import type { admin_directory_v1, admin_reports_v1 } from '@googleapis/admin';
import type { iam_v1 } from '@googleapis/iam';
import type { cloudresourcemanager_v3 } from '@googleapis/cloudresourcemanager';
import type { logging_v2 } from '@googleapis/logging';

export type Sim<T, K extends keyof T> = Partial<T> & { [P in K]-?: NonNullable<T[P]> };

export type SimUser = Sim<admin_directory_v1.Schema$User, 'id' | 'primaryEmail'>;
export type SimToken = Sim<admin_directory_v1.Schema$Token, 'clientId' | 'scopes'>;
export type SimActivity = Sim<admin_reports_v1.Schema$Activity, 'id' | 'actor' | 'events'>;
export type SimProject = Sim<cloudresourcemanager_v3.Schema$Project, 'name' | 'projectId'>;
export type SimServiceAccount = Sim<iam_v1.Schema$ServiceAccount, 'name' | 'email' | 'uniqueId'>;
export type SimKey = Sim<iam_v1.Schema$ServiceAccountKey, 'name' | 'keyType'>;
export type SimPolicy = cloudresourcemanager_v3.Schema$Policy;
export type SimPool = Sim<iam_v1.Schema$WorkloadIdentityPool, 'name'>;
export type SimWifProvider = Sim<iam_v1.Schema$WorkloadIdentityPoolProvider, 'name'>;
export type SimAccountPolicy = iam_v1.Schema$Policy;
export type SimLogEntry = Sim<logging_v2.Schema$LogEntry, 'logName' | 'timestamp' | 'insertId'>;

/** A per-minute quota of one API, and how Google answers when it is spent. */
export interface SimQuota { limit: number; windowMs: number; answer?: 429 | 403 }

export interface GoogleScenario {
  customer: Sim<admin_directory_v1.Schema$Customer, 'id' | 'customerDomain'>;
  /** Current users (suspended and archived ones included). */
  users: SimUser[];
  /** Users deleted in the last ~20 days (served only with showDeleted=true). */
  deletedUsers?: SimUser[];
  /** user id -> OAuth grants. A user absent here answers 404 (as Google may for a user with none). */
  tokens?: Record<string, SimToken[]>;
  /** Token audit log (Reports API, applicationName=token). */
  tokenEvents?: SimActivity[];
  projects?: SimProject[];
  /** project id -> service accounts */
  serviceAccounts?: Record<string, SimServiceAccount[]>;
  /** service-account e-mail -> keys */
  keys?: Record<string, SimKey[]>;
  /** project id -> IAM policy; a project absent here has an empty policy. */
  iamPolicies?: Record<string, SimPolicy>;
  /** project id -> Workload Identity pools (location global; their names use the project number, as Google's do). */
  workloadIdentityPools?: Record<string, SimPool[]>;
  /** pool resource name (`projects/N/locations/global/workloadIdentityPools/POOL`) -> its providers. */
  workloadIdentityPoolProviders?: Record<string, SimWifProvider[]>;
  /** service-account e-mail -> the account's own IAM policy; an account absent here has an empty policy. */
  serviceAccountIamPolicies?: Record<string, SimAccountPolicy>;
  /** Cloud Admin Activity audit log entries (Cloud Logging entries:list); tests append them as they change the scenario (auditEntry). */
  cloudAuditLog?: SimLogEntry[];
  /**
   * The domain-wide delegation table of the Admin console (Security > API controls). No API serves it —
   * the simulator does not either; it is here so the demo inventory and the docs can show the gap.
   */
  domainWideDelegation?: { clientId: string; scopes: string[]; note?: string }[];
  /** Per-API quotas (defaults: Google's documented per-minute quotas). */
  quotas?: Partial<Record<'directory' | 'reports' | 'iam' | 'resourceManager' | 'logging', SimQuota>>;
  /** Paging caps (defaults: Google's maxima) — lower them to force paging in tests. */
  maxPageSize?: Partial<Record<'users' | 'activities' | 'projects' | 'serviceAccounts' | 'workloadIdentityPools' | 'workloadIdentityPoolProviders', number>>;
}

let auditSeq = 0;
/** An Admin Activity entry as Cloud Audit Logs writes it: `methodName` on `resourceName` in `projectId`'s log, now. */
export function auditEntry(projectId: string, methodName: string, resourceName: string): SimLogEntry {
  return {
    logName: `projects/${projectId}/logs/cloudaudit.googleapis.com%2Factivity`, timestamp: new Date().toISOString(), insertId: `sim${++auditSeq}`,
    resource: { type: methodName.includes('iam.admin') ? 'service_account' : 'project', labels: { project_id: projectId } },
    protoPayload: { '@type': 'type.googleapis.com/google.cloud.audit.AuditLog', serviceName: methodName.includes('iam.admin') ? 'iam.googleapis.com' : 'cloudresourcemanager.googleapis.com',
      methodName, resourceName },
  };
}
