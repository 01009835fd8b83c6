// Google's risk catalogue: grades of OAuth scopes (Workspace tokens, domain-wide delegation) and GCP IAM roles,
// and the facts about Google's credential types. Grades: docs/risk-catalogue.md §5.4 (OAuth; restricted tier per
// support.google.com/cloud/answer/13464325) and §5.5 (GCP roles; CIS GCP 1.5/1.6); credentials: §4 (CIS GCP 1.4).
// Scope names are compared without the 'https://www.googleapis.com/auth/' prefix. Loaded on its own by commands
// that never crawl.
import { policyTable } from '../../src/catalogue/credentials.ts';
import type { ProviderCatalogue, Severity } from '../../src/catalogue/types.ts';

const t = (severity: Severity, names: string[], reason: string) => Object.fromEntries(names.map((n) => [n, { severity, reason }]));
const PREFIX = 'https://www.googleapis.com/auth/';

const credentialTable = policyTable([
  // user-managed service-account keys are downloadable static secrets (CIS GCP 1.4)
  [/^(gcp_)?(user_managed_)?(sa|service_account)_key(_user_managed)?$/, { expirable: true, label: 'user-managed key',
    alternative: 'workload identity federation or attached service accounts (no downloadable key)' }],
  [/^(gcp_)?api_key$/, { expirable: true, rotatedField: 'created_at', label: 'API key' }],
]);

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
