// The demo company's Google Workspace (halcyon-logistics.com) and Google Cloud, built deterministically from
// company.everyone (people who left are suspended users). `scale` grows it for benchmarks; the planted
// problems stay the same:
//  - `MailMerge Pro` reads and sends Gmail, granted by several users including a suspended (departed) one;
//  - `deploy-bot@halcyon-prod` holds roles/owner and two user-managed keys: one older than 90 days, one that never expires;
//  - `legacy-etl@halcyon-staging` is unused (no keys, no role anywhere);
//  - `backup-dwd@halcyon-prod`'s OAuth client id has domain-wide delegation to Gmail and Drive (which no API lists:
//    see `domainWideDelegation` and docs/providers/google.md);
//  - Workload Identity Federation (issue 19): `github-actions@halcyon-ci` holds roles/editor on halcyon-ci and lets
//    GitHub Actions runs of any branch of halcyon-logistics/infra-terraform act as it (pool `github`, attribute.repository);
//    its clean twin `svc-1-3@halcyon-ci` trusts billing-api only through pool `github-prod`, whose provider accepts
//    tokens of the `production` environment alone.
import type { GoogleScenario, SimAccountPolicy, SimActivity, SimKey, SimPolicy, SimPool, SimProject, SimServiceAccount, SimToken, SimUser, SimWifProvider } from '../../connectors/google/simulator/scenario.ts';
import { company, rng, daysAgo, daysAhead } from './company.ts';

export interface GoogleScale { users: number; grantsPerUser: number; projects: number; serviceAccountsPerProject: number }
export const demoGoogleScale: GoogleScale = { users: company.everyone.length, grantsPerUser: 2, projects: 5, serviceAccountsPerProject: 3 };

const GMAIL = 'https://www.googleapis.com/auth/gmail.readonly';
const S = (x: string) => (x.startsWith('http') || x === 'openid' ? x : `https://www.googleapis.com/auth/${x}`);

export const plantedGoogle = {
  gmailApp: { clientId: '581947263015-mailmergepro.apps.googleusercontent.com', name: 'MailMerge Pro', scopes: [GMAIL, S('gmail.send'), S('userinfo.email')] },
  gmailGrantors: ['jokafor', 'dmuller', 'tbrooks', 'rkowalski'], // rkowalski has left: suspended
  ownerServiceAccount: 'deploy-bot@halcyon-prod.iam.gserviceaccount.com',
  oldKeyId: '4f1c2a9be0d3c7a6b5e4f3d2c1b0a9f8e7d6c5b4',
  neverExpiringKeyId: '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b',
  unusedServiceAccount: 'legacy-etl@halcyon-staging.iam.gserviceaccount.com',
  dwdServiceAccount: 'backup-dwd@halcyon-prod.iam.gserviceaccount.com',
  dwdClientId: '109876543210987654321',
  externalMember: 'user:consultant@bigconsult.example',
  /**
   * GitHub organisation and repositories the Workload Identity pools of halcyon-ci trust (scenarios/demo/github.ts): the
   * same ones the Entra demo trusts (scenarios/demo/azure.ts) — any branch of infra-terraform, production of billing-api.
   */
  wifOrg: 'halcyon-logistics',
  wifTrustedRepo: 'infra-terraform',
  wifPinnedRepo: 'billing-api',
  wifServiceAccount: 'github-actions@halcyon-ci.iam.gserviceaccount.com',
  wifPinnedServiceAccount: 'svc-1-3@halcyon-ci.iam.gserviceaccount.com',
};

const GITHUB_OIDC = 'https://token.actions.githubusercontent.com';

const NEVER = '9999-12-31T23:59:59Z';

const catalogue: Array<{ clientId: string; name: string; scopes: string[]; nativeApp?: boolean; anonymous?: boolean }> = [
  { clientId: '300182736451-slack.apps.googleusercontent.com', name: 'Slack', scopes: [S('calendar.readonly'), S('drive.readonly'), S('userinfo.email')] },
  { clientId: '418273645102-zoom.apps.googleusercontent.com', name: 'Zoom for Google Workspace', scopes: [S('calendar'), S('userinfo.email')] },
  { clientId: '527364510293-calendly.apps.googleusercontent.com', name: 'Calendly', scopes: [S('calendar.events'), S('userinfo.email')] },
  { clientId: '636451029384-miro.apps.googleusercontent.com', name: 'Miro', scopes: [S('drive.file'), S('userinfo.profile')] },
  { clientId: '745102938475-lucid.apps.googleusercontent.com', name: 'Lucidchart', scopes: [S('drive'), S('userinfo.email')] },
  { clientId: '854029384756-docusign.apps.googleusercontent.com', name: 'DocuSign eSignature', scopes: [S('drive.file'), S('gmail.compose')] },
  { clientId: '963847561029-loom.apps.googleusercontent.com', name: 'Loom', scopes: [S('userinfo.email'), 'openid'] },
  { clientId: '372615849302-drivefs.apps.googleusercontent.com', name: 'Google Drive for desktop', scopes: [S('drive'), S('drive.activity')], nativeApp: true },
  { clientId: '481726354920-thunderbird.apps.googleusercontent.com', name: 'Thunderbird', scopes: ['https://mail.google.com/', S('calendar')], nativeApp: true },
  { clientId: '590817263549-sheetsaddon.apps.googleusercontent.com', name: 'Sheets Merge Helper', scopes: [S('spreadsheets'), S('script.external_request')], anonymous: true },
];

export function buildGoogleScenario(scale: GoogleScale = demoGoogleScale): GoogleScenario {
  const r = rng(11);
  const domain = company.domain;
  const users: SimUser[] = [];
  const tokens: Record<string, SimToken[]> = {};
  const tokenEvents: SimActivity[] = [];
  const byGithub = new Map<string, SimUser>();
  let eventSeq = 0;
  const tokenEvent = (u: SimUser, t: SimToken, name: 'authorize' | 'activity', when: string, more: { name: string; value?: string; multiValue?: string[] }[]) => tokenEvents.push({
    id: { time: when, uniqueQualifier: String(7_000_000 + ++eventSeq), applicationName: 'token', customerId: 'C03hlx9k2' },
    actor: { email: u.primaryEmail, profileId: u.id, callerType: 'USER' },
    events: [{ type: 'auth', name, parameters: [
      { name: 'client_id', value: t.clientId }, { name: 'app_name', value: t.displayText ?? '' },
      { name: 'client_type', value: t.nativeApp ? 'NATIVE_DESKTOP' : 'WEB' }, ...more] }],
  });
  const authorize = (u: SimUser, t: SimToken, when: string) => tokenEvent(u, t, 'authorize', when, [{ name: 'scope', multiValue: t.scopes }]);
  // about half the grants made an API call in the three weeks before the scenario's date (own PRNG: the rest of the scenario is unchanged)
  const useRng = rng(12);
  const use = (u: SimUser, t: SimToken) => {
    if (useRng() < 0.5) tokenEvent(u, t, 'activity', daysAgo(useRng() * 21), [{ name: 'api_name', value: 'gmail' }, { name: 'method_name', value: 'gmail.users.messages.list' }, { name: 'num_response_bytes', value: '5120' }]);
  };

  for (let i = 0; i < scale.users; i++) {
    const p = company.everyone[i % company.everyone.length]!;
    const n = Math.floor(i / company.everyone.length);
    const email = n === 0 ? p.email : p.email.replace('@', `.${n}@`);
    const u: SimUser = {
      id: String(104_000_000_000_000_000_000n + BigInt(i)), primaryEmail: email, name: { fullName: p.name, givenName: p.name.split(' ')[0], familyName: p.name.split(' ')[1] },
      isAdmin: n === 0 && p.admin === true, isDelegatedAdmin: false, suspended: p.departed === true, archived: false,
      ...(p.departed ? { suspensionReason: 'ADMIN' } : {}),
      aliases: i % 9 === 0 ? [`${p.github}${n ? `.${n}` : ''}@${domain}`] : undefined,
      creationTime: daysAgo(1200 - (i % 1000)), lastLoginTime: p.departed ? daysAgo(60 + (i % 40)) : i % 13 === 12 ? '1970-01-01T00:00:00.000Z' : daysAgo(i % 20),
      orgUnitPath: `/${p.dept}`, isEnrolledIn2Sv: i % 6 !== 5, isEnforcedIn2Sv: true, customerId: 'C03hlx9k2',
    };
    users.push(u);
    if (n === 0) byGithub.set(p.github, u);
    const grants: SimToken[] = [];
    const count = Math.max(0, Math.round(scale.grantsPerUser + (r() - 0.5) * 2));
    for (let g = 0; grants.length < count && g < count * 8; g++) {
      const a = catalogue[Math.floor(r() * catalogue.length)]!;
      if (grants.some((t) => t.clientId === a.clientId)) continue;
      grants.push({ clientId: a.clientId, displayText: a.name, scopes: [...a.scopes], nativeApp: a.nativeApp ?? false, anonymous: a.anonymous ?? false, etag: `"tok-${i}-${g}"` });
    }
    if (grants.length) tokens[u.id] = grants; // users without grants answer 404, as Google may
    for (const t of grants) authorize(u, t, daysAgo(10 + Math.floor(r() * 300)));
    for (const t of grants) use(u, t);
  }
  // The Gmail-reading app, granted by several people — one of whom has left (suspended).
  const gm = plantedGoogle.gmailApp;
  for (const login of plantedGoogle.gmailGrantors) {
    const u = byGithub.get(login);
    if (!u) continue;
    const t: SimToken = { clientId: gm.clientId, displayText: gm.name, scopes: [...gm.scopes], nativeApp: false, anonymous: false };
    (tokens[u.id] ??= []).push(t);
    authorize(u, t, daysAgo(120));
  }

  const deletedUsers: SimUser[] = [{ id: '103999999999999999999', primaryEmail: `temp.contractor@${domain}`, name: { fullName: 'Temp Contractor' },
    suspended: false, creationTime: daysAgo(200), deletionTime: daysAgo(6), lastLoginTime: daysAgo(8), orgUnitPath: '/contractors' }];

  // ---- Google Cloud
  const base = ['halcyon-prod', 'halcyon-staging', 'halcyon-data', 'halcyon-ci', 'halcyon-sandbox'];
  const projects: SimProject[] = [];
  const serviceAccounts: Record<string, SimServiceAccount[]> = {};
  const keys: Record<string, SimKey[]> = {};
  const iamPolicies: Record<string, SimPolicy> = {};
  const workloadIdentityPools: Record<string, SimPool[]> = {};
  const workloadIdentityPoolProviders: Record<string, SimWifProvider[]> = {};
  const serviceAccountIamPolicies: Record<string, SimAccountPolicy> = {};
  const hex = (n: number) => Array.from({ length: 40 }, (_, k) => ((n * 2654435761 + k * 40503) >>> (k % 24)) % 16).map((d) => d.toString(16)).join('');
  let saSeq = 0;
  const sa = (projectId: string, accountId: string, extra: Partial<SimServiceAccount> = {}): SimServiceAccount => {
    const email = `${accountId}@${projectId}.iam.gserviceaccount.com`;
    const uniqueId = String(110_000_000_000_000_000_000n + BigInt(++saSeq));
    return { name: `projects/${projectId}/serviceAccounts/${email}`, projectId, email, uniqueId, oauth2ClientId: uniqueId,
      displayName: accountId, etag: 'MDEwMjE5MjA=', ...extra };
  };
  const key = (s: SimServiceAccount, keyId: string, type: 'USER_MANAGED' | 'SYSTEM_MANAGED', created: string, expires: string): SimKey => ({
    name: `projects/${s.projectId}/serviceAccounts/${s.email}/keys/${keyId}`, keyType: type, keyOrigin: type === 'USER_MANAGED' ? 'GOOGLE_PROVIDED' : 'GOOGLE_PROVIDED',
    keyAlgorithm: 'KEY_ALG_RSA_2048', validAfterTime: created, validBeforeTime: expires, disabled: false,
  });
  const sysKey = (s: SimServiceAccount, n: number) => key(s, hex(n + 1_000_003), 'SYSTEM_MANAGED', daysAgo(5 + (n % 10)), daysAhead(25 - (n % 10)));

  for (let pi = 0; pi < scale.projects; pi++) {
    const projectId = pi < base.length ? base[pi]! : `halcyon-svc-${pi}`;
    const number = String(400_000_000_000 + pi);
    projects.push({ name: `projects/${number}`, projectId, displayName: projectId, parent: 'organizations/618273645091', state: 'ACTIVE',
      createTime: daysAgo(1000 - pi), labels: { env: projectId.includes('prod') ? 'prod' : 'nonprod' } });
    const accounts: SimServiceAccount[] = [];
    const bindings: NonNullable<SimPolicy['bindings']> = [{ role: 'roles/owner', members: [`user:${company.everyone[0]!.email}`] }];
    if (projectId === 'halcyon-prod') {
      const deploy = sa(projectId, 'deploy-bot', { description: 'CD pipeline (Jenkins) — key in the Jenkins credential store' });
      const backup = sa(projectId, 'backup-dwd', { description: 'Nightly Gmail and Drive backup (domain-wide delegation)', oauth2ClientId: plantedGoogle.dwdClientId, uniqueId: plantedGoogle.dwdClientId });
      const compute = { ...sa(projectId, 'x'), name: `projects/${projectId}/serviceAccounts/${number}-compute@developer.gserviceaccount.com`,
        email: `${number}-compute@developer.gserviceaccount.com`, displayName: 'Compute Engine default service account' };
      accounts.push(deploy, backup, compute);
      keys[deploy.email] = [
        key(deploy, plantedGoogle.oldKeyId, 'USER_MANAGED', daysAgo(210), daysAhead(155)),
        key(deploy, plantedGoogle.neverExpiringKeyId, 'USER_MANAGED', daysAgo(35), NEVER),
        sysKey(deploy, 1),
      ];
      keys[backup.email] = [key(backup, hex(77), 'USER_MANAGED', daysAgo(60), daysAhead(30)), sysKey(backup, 2)];
      bindings.push({ role: 'roles/owner', members: [`serviceAccount:${deploy.email}`, `user:${company.everyone[1]!.email}`] },
        { role: 'roles/storage.admin', members: [`serviceAccount:${backup.email}`] },
        { role: 'roles/editor', members: [`serviceAccount:${compute.email}`] });
    } else if (projectId === 'halcyon-staging') {
      const etl = sa(projectId, 'legacy-etl', { description: 'Old ETL runner (replaced by dbt in 2025)' });
      const app = sa(projectId, 'staging-app');
      accounts.push(etl, app);
      keys[app.email] = [sysKey(app, 3)];
      bindings.push({ role: 'roles/cloudsql.client', members: [`serviceAccount:${app.email}`] });
    } else if (projectId === 'halcyon-data') {
      const dbt = sa(projectId, 'dbt-runner');
      const looker = sa(projectId, 'looker-bq', { description: 'Looker (SaaS) BigQuery connection' });
      accounts.push(dbt, looker);
      keys[looker.email] = [key(looker, hex(91), 'USER_MANAGED', daysAgo(20), daysAhead(70)), sysKey(looker, 4)];
      bindings.push({ role: 'roles/bigquery.dataViewer', members: [`serviceAccount:${looker.email}`, plantedGoogle.externalMember] },
        { role: 'roles/bigquery.jobUser', members: [`serviceAccount:${dbt.email}`, `serviceAccount:${looker.email}`] },
        { role: 'roles/bigquery.dataEditor', members: [`serviceAccount:${dbt.email}`],
          condition: { title: 'analytics datasets only', expression: 'resource.name.startsWith("projects/halcyon-data/datasets/analytics")' } });
    } else if (projectId === 'halcyon-ci') {
      const gha = sa(projectId, 'github-actions', { description: 'GitHub Actions via workload identity federation (no keys)' });
      accounts.push(gha);
      bindings.push({ role: 'roles/artifactregistry.writer', members: [`serviceAccount:${gha.email}`] },
        { role: 'roles/editor', members: [`serviceAccount:${gha.email}`] },
        { role: 'roles/iam.workloadIdentityUser', members: [`principalSet://iam.googleapis.com/projects/${number}/locations/global/workloadIdentityPools/github/attribute.repository/halcyon-logistics/release-tools`] });
      // Workload Identity Federation: pool `github` trusts any run of a repository; pool `github-prod` only the production environment
      const pool = (id: string, displayName: string): SimPool => ({ name: `projects/${number}/locations/global/workloadIdentityPools/${id}`, displayName, state: 'ACTIVE', disabled: false });
      const github = pool('github', 'GitHub Actions');
      const prod = pool('github-prod', 'GitHub Actions (production)');
      workloadIdentityPools[projectId] = [github, prod];
      const mapping = { 'google.subject': 'assertion.sub', 'attribute.repository': 'assertion.repository', 'attribute.repository_owner': 'assertion.repository_owner' };
      workloadIdentityPoolProviders[github.name] = [{ name: `${github.name}/providers/github-actions`, displayName: 'GitHub Actions', state: 'ACTIVE', disabled: false,
        oidc: { issuerUri: GITHUB_OIDC }, attributeMapping: mapping, attributeCondition: `assertion.repository_owner == '${plantedGoogle.wifOrg}'` }];
      workloadIdentityPoolProviders[prod.name] = [{ name: `${prod.name}/providers/github-actions-prod`, displayName: 'GitHub Actions (production)', state: 'ACTIVE', disabled: false,
        oidc: { issuerUri: GITHUB_OIDC }, attributeMapping: mapping, attributeCondition: `assertion.environment == 'production' && assertion.repository_owner == '${plantedGoogle.wifOrg}'` }];
      const principalSet = (p: SimPool, repo: string) => `principalSet://iam.googleapis.com/${p.name}/attribute.repository/${plantedGoogle.wifOrg}/${repo}`;
      serviceAccountIamPolicies[gha.email] = { version: 1, bindings: [{ role: 'roles/iam.workloadIdentityUser', members: [principalSet(github, plantedGoogle.wifTrustedRepo)] }] };
      serviceAccountIamPolicies[plantedGoogle.wifPinnedServiceAccount] = { version: 1, bindings: [{ role: 'roles/iam.workloadIdentityUser', members: [principalSet(prod, plantedGoogle.wifPinnedRepo)] }] };
    }
    while (accounts.length < scale.serviceAccountsPerProject) {
      const s = sa(projectId, `svc-${accounts.length}-${pi}`);
      accounts.push(s);
      keys[s.email] = [sysKey(s, saSeq), ...(saSeq % 3 === 0 ? [key(s, hex(saSeq), 'USER_MANAGED', daysAgo(saSeq % 400), saSeq % 2 ? NEVER : daysAhead(90))] : [])];
      bindings.push({ role: saSeq % 5 === 0 ? 'roles/editor' : 'roles/viewer', members: [`serviceAccount:${s.email}`] });
    }
    serviceAccounts[projectId] = accounts;
    iamPolicies[projectId] = { version: 3, bindings };
  }

  return {
    customer: { id: 'C03hlx9k2', customerDomain: domain, customerCreationTime: daysAgo(2400), language: 'en', alternateEmail: `it-admin@${domain}` },
    users, deletedUsers, tokens, tokenEvents, projects, serviceAccounts, keys, iamPolicies, workloadIdentityPools, workloadIdentityPoolProviders, serviceAccountIamPolicies,
    domainWideDelegation: [{ clientId: plantedGoogle.dwdClientId, scopes: [GMAIL, S('drive.readonly')], note: 'backup-dwd@halcyon-prod: nightly Gmail/Drive backup' }],
  };
}
