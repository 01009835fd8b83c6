// Google's risk catalogue: grades of OAuth scopes (Workspace tokens, domain-wide delegation) and GCP IAM roles,
// and the facts about Google's credential types. Grades: docs/risk-catalogue.md §5.4 (OAuth; restricted tier per
// support.google.com/cloud/answer/13464325) and §5.5 (GCP roles; CIS GCP 1.5/1.6); credentials: §4 (CIS GCP 1.4).
// Scope names are compared without the 'https://www.googleapis.com/auth/' prefix. Loaded on its own by commands
// that never crawl.
import { policyTable } from '../../src/catalogue/credentials.ts';
import type { ProviderCatalogue, ScopeAgency, Severity } from '../../src/catalogue/types.ts';

const t = (severity: Severity, names: string[], reason: string) => Object.fromEntries(names.map((n) => [n, { severity, reason }]));
const PREFIX = 'https://www.googleapis.com/auth/';

const credentialTable = policyTable([
  // user-managed service-account keys are downloadable static secrets (CIS GCP 1.4)
  [/^(gcp_)?(user_managed_)?(sa|service_account)_key(_user_managed)?$/, { expirable: true, label: 'user-managed key',
    alternative: 'workload identity federation or attached service accounts (no downloadable key)' }],
  [/^(gcp_)?api_key$/, { expirable: true, rotatedField: 'created_at', label: 'API key' }],
]);

/**
 * §5.10: what a scope or role lets its holder do. OAuth scopes ending '.readonly' (and drive.metadata, gmail.metadata,
 * the identity scopes) read; other Workspace scopes write; 'admin.directory.*' without '.readonly' and
 * cloud-platform administer. GCP roles: owner and '*Admin' roles administer, editor and writer roles write,
 * viewer / reviewer / accessor roles read. Broad reads: all mail, all of Drive, the directory, the audit log, every
 * resource of a project.
 */
const GOOGLE_BROAD = new Map<string, string>(Object.entries({
  'https://mail.google.com/': 'all mail', 'gmail.modify': 'all mail', 'gmail.readonly': 'all mail', 'gmail.metadata': 'all mail (headers)',
  drive: 'all files', 'drive.readonly': 'all files', 'drive.metadata': 'all file metadata', 'drive.metadata.readonly': 'all file metadata',
  'admin.directory.user': 'the directory', 'admin.directory.user.readonly': 'the directory', 'admin.directory.group': 'the directory',
  'admin.directory.group.readonly': 'the directory', 'admin.reports.audit.readonly': 'the audit log', 'cloud-platform': 'all of Google Cloud',
  'roles/viewer': 'every resource of the project', 'roles/iam.securityReviewer': 'every IAM policy of the project',
}));
const GOOGLE_READ = /(\.readonly|^drive\.metadata|^gmail\.metadata|^(openid|email|profile|userinfo\.email|userinfo\.profile))$/;

function googleAgency(scope: string): ScopeAgency | undefined {
  const broad = GOOGLE_BROAD.has(scope) ? { broad: GOOGLE_BROAD.get(scope)! } : {};
  if (scope.startsWith('roles/')) {
    if (/^roles\/owner$|admin$|Admin$|^roles\/iam\.(serviceAccountTokenCreator|serviceAccountUser|workloadIdentityUser)$/.test(scope)) return { access: 'admin', ...broad };
    if (/viewer$|Viewer$|Reviewer$|^roles\/browser$|secretAccessor$/.test(scope)) return { access: 'read', ...broad };
    if (/editor$|Editor$|Owner$|writer$|Writer$|EncrypterDecrypter$/.test(scope)) return { access: 'write', ...broad };
    return undefined;
  }
  if (GOOGLE_READ.test(scope)) return { access: 'read', ...broad };
  if (scope === 'cloud-platform' || /^admin\.(directory|datatransfer)/.test(scope)) return { access: 'admin', ...broad };
  if (/^(https:\/\/mail\.google\.com\/|gmail\.|drive|calendar|contacts|spreadsheets|documents|script\.)/.test(scope)) return { access: 'write', ...broad };
  return undefined;
}

/**
 * §5.11: the GCP roles that control a project, folder or organisation. owner: can change who has access (set IAM
 * policies) or act as any service account of the scope; contributor: the basic Editor role (every resource, not access).
 */
const BASIC_ROLES = 'https://cloud.google.com/iam/docs/roles-overview#basic';
const PREDEFINED = 'https://cloud.google.com/iam/docs/understanding-roles';
const privilegedRoles: NonNullable<ProviderCatalogue['privilegedRoles']> = {
  'roles/owner': { tier: 'owner', source: BASIC_ROLES },
  'roles/editor': { tier: 'contributor', source: BASIC_ROLES },
  ...Object.fromEntries(['roles/resourcemanager.organizationAdmin', 'roles/resourcemanager.folderAdmin', 'roles/resourcemanager.projectIamAdmin',
    'roles/iam.securityAdmin', 'roles/iam.serviceAccountTokenCreator', 'roles/iam.serviceAccountKeyAdmin']
    .map((r) => [r, { tier: 'owner' as const, source: PREDEFINED }])),
};

const googleCatalogue: ProviderCatalogue = {
  provider: 'google',
  source: 'docs/risk-catalogue.md §5.4/§5.5 (Google OAuth scope docs and restricted-scope list; CIS GCP 1.5/1.6)',
  normalise: (s) => (s.startsWith(PREFIX) ? s.slice(PREFIX.length) : s),
  scopes: {
    ...t('critical', ['https://mail.google.com/', 'gmail.modify', 'gmail.settings.sharing', 'drive', 'admin.directory.user',
      'admin.directory.user.security', 'admin.directory.group', 'admin.directory.rolemanagement', 'admin.datatransfer', 'cloud-platform'],
    'full mailbox, Drive, directory administration or all of Google Cloud'),
    ...t('high', ['gmail.readonly', 'gmail.compose', 'gmail.insert', 'gmail.send', 'gmail.settings.basic', 'drive.readonly',
      'drive.metadata', 'drive.scripts', 'drive.activity', 'script.projects', 'calendar', 'contacts', 'spreadsheets', 'documents',
      'admin.reports.audit.readonly', 'admin.directory.domain'], 'reads all mail or documents, or writes calendars/contacts/docs'),
    ...t('medium', ['gmail.metadata', 'drive.metadata.readonly', 'drive.activity.readonly', 'calendar.readonly', 'contacts.readonly',
      'spreadsheets.readonly', 'documents.readonly', 'admin.directory.user.readonly', 'admin.directory.group.readonly'],
    'bounded read of sensitive data or directory'),
    ...t('low', ['openid', 'email', 'profile', 'userinfo.email', 'userinfo.profile', 'drive.file', 'drive.appdata'], 'identity or per-file access'),
    // GCP IAM roles (§5.5)
    ...t('critical', ['roles/owner', 'roles/editor', 'roles/resourcemanager.organizationAdmin', 'roles/resourcemanager.projectIamAdmin',
      'roles/resourcemanager.folderAdmin', 'roles/iam.securityAdmin', 'roles/iam.roleAdmin', 'roles/iam.organizationRoleAdmin',
      'roles/iam.serviceAccountAdmin', 'roles/iam.serviceAccountTokenCreator', 'roles/iam.serviceAccountKeyAdmin',
      'roles/iam.serviceAccountUser', 'roles/iam.workloadIdentityUser'], 'project/org control or service-account impersonation (CIS GCP 1.5/1.6)'),
    ...t('high', ['roles/storage.admin', 'roles/secretmanager.admin', 'roles/secretmanager.secretAccessor', 'roles/cloudkms.admin',
      'roles/cloudkms.cryptoKeyEncrypterDecrypter', 'roles/compute.admin', 'roles/container.admin', 'roles/cloudfunctions.admin',
      'roles/run.admin', 'roles/cloudbuild.builds.editor', 'roles/bigquery.admin', 'roles/bigquery.dataOwner'],
    'administers a data or compute service, or reads secrets'),
    ...t('medium', ['roles/viewer', 'roles/iam.securityReviewer', 'roles/logging.viewer', 'roles/storage.objectViewer', 'roles/bigquery.dataViewer'],
      'broad read'),
    ...t('low', ['roles/browser', 'roles/monitoring.viewer'], 'metadata only'),
  },
  agency: googleAgency,
  privilegedRoles,
  patterns: [{ test: /^(gmail\.|drive\.)/, grade: { severity: 'medium', reason: "Google restricted scope family (never below medium)" } }],
  credentialPolicy(type, props) {
    // A key the adapter marks as Google-managed is rotated by Google: never a static-secret finding.
    if (/key/.test(type) && (props.key_type === 'SYSTEM_MANAGED' || props.managed === 'google' || props.user_managed === false)) {
      return { expirable: false, label: 'provider-managed key' };
    }
    return credentialTable(type);
  },
};
export default googleCatalogue;
