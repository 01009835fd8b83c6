// A small graph written with the same INSERT statements into SQLite and PostgreSQL (test/postgres/schema-parity.test.ts):
// enough rows that every view returns something, and the cases where the dialects could differ do occur — JSON
// flags true/false, missing props, removed objects, NULL sort keys, edges whose ends are missing, channel and host
// endpoints, people linked by alias e-mails, a failed reconciliation after the latest complete one, mixed-case and
// non-ASCII text. Plain SQL literals only, so one text runs on both (a JSON literal is TEXT in SQLite, JSONB in PostgreSQL).

const node = (id: string, provider: string, kind: string, type: string, name: string | null, props: object, removed = false) =>
  `('${id}', '${provider}', '${kind}', '${type}', ${name === null ? 'NULL' : `'${name}'`}, 'acme', '${JSON.stringify(props)}', 'src:${kind}', NULL, 1, 2, `
  + `'2026-11-01T00:00:00.000Z', '2026-11-02T00:00:00.000Z', ${removed ? "2, '2026-11-02T00:05:00.000Z'" : 'NULL, NULL'})`;

let edgeNo = 0;
const edge = (type: string, src: string, dst: string, props: object = {}, removed = false) =>
  `('e${++edgeNo}:${src}>${dst}', '${type}', '${src}', '${dst}', 'github', '${JSON.stringify(props)}', 'src:edges', NULL, 1, 2, `
  + `'2026-11-01T00:00:00.000Z', '2026-11-02T00:00:00.000Z', ${removed ? "2, '2026-11-02T00:05:00.000Z'" : 'NULL, NULL'})`;

const NODE_COLS = 'id, provider, kind, type, name, tenant, props, source, parent_id, first_seen_run, last_seen_run, first_seen_at, last_seen_at, removed_run, removed_at';

export const FIXTURE_SQL: string[] = [
  `INSERT INTO runs (id, started_at, finished_at, status, mode, providers, pid, host, tool_version, summary) VALUES
    (1, '2026-11-01T00:00:00.000Z', '2026-11-01T00:10:00.000Z', 'complete', 'full', '["github","slack"]', 100, 'host-a', '1.0.0', '{"objects":12}'),
    (2, '2026-11-02T00:00:00.000Z', NULL, 'partial', 'incremental', '["github"]', 101, 'host-a', '1.0.0', NULL)`,
  `INSERT INTO run_resources (run_id, provider, tenant, resource_type, status, listings, listings_failed, objects, api_calls, not_modified, retries,
      removed, error, started_at, finished_at, duration_ms, notes, provides) VALUES
    (1, 'github', 'acme', 'app_installations', 'complete', 1, 0, 3, 2, 1, 0, 0, NULL, '2026-11-01T00:00:01.000Z', '2026-11-01T00:00:02.000Z', 1000, NULL, '["app_id","app_slug"]'),
    (1, 'slack', 'T1', 'enterprise_teams', 'not_applicable', 1, 0, 0, 1, 0, 0, 0, NULL, '2026-11-01T00:00:01.000Z', '2026-11-01T00:00:02.000Z', 12, 'standalone workspace', NULL),
    (2, 'github', 'acme', 'members', 'partial', 4, 1, 7, 9, 0, 2, 1, 'duplicate id 7 in one listing', '2026-11-02T00:00:01.000Z', NULL, NULL, NULL, '[]')`,
  `INSERT INTO nodes (${NODE_COLS}) VALUES
    ${node('github:org:acme', 'github', 'tenant', 'github.org', 'acme', {})},
    ${node('github:installation:1', 'github', 'connector', 'github.app_installation', 'deployhub-pro',
      { connector_type: 'github_app_installation', app_id: '12345', enabled: true, created_at: '2026-01-01T00:00:00Z', last_used_at: null, nested: { b: 1, a: [2, 3] } })},
    ${node('slack:bot:B1', 'slack', 'connector', 'slack.bot', 'Café ☕ bot', { connector_type: 'bot', app_id: 'A01', enabled: false })},
    ${node('github:installation:9', 'github', 'connector', 'github.app_installation', 'gone-app', { connector_type: 'github_app_installation', enabled: true }, true)},
    ${node('github:vendor:deployhub', 'github', 'vendor', 'github.vendor', 'DeployHub Inc', { first_party: false })},
    ${node('github:scope:contents:write', 'github', 'scope', 'github.permission', 'contents:write', {})},
    ${node('slack:scope:chat:write', 'slack', 'scope', 'slack.scope', 'chat:write', {})},
    ${node('github:pat:7', 'github', 'credential', 'github.pat', 'ci token',
      { credential_type: 'github_fine_grained_pat', created_at: '2026-02-01T00:00:00Z', expires_at: null, static: true, enabled: true })},
    ${node('azure:secret:s1', 'azure', 'credential', 'azure.client_secret', 'prod secret',
      { credential_type: 'client_secret', created_at: '2026-03-01T00:00:00Z', expires_at: '2027-01-01T00:00:00Z', static: false, enabled: true })},
    ${node('github:user:alice', 'github', 'principal', 'github.user', 'alice', { email: 'Alice@Example.com', status: 'active', is_admin: true })},
    ${node('slack:user:U1', 'slack', 'principal', 'slack.user', 'Alice S', { email: 'alice@example.com', status: 'deleted', is_admin: false })},
    ${node('github:user:bob', 'github', 'principal', 'github.user', 'bob', { email: 'bob@example.com', status: 'disabled', is_admin: false }, true)},
    ${node('github:user:zed', 'github', 'principal', 'github.user', 'Zed', {})},
    ${node('github:repo:acme/api', 'github', 'resource', 'github.repository', 'acme/api', {})},
    ${node('github:endpoint:hooks.example.com', 'github', 'endpoint', 'github.webhook_host', 'hooks.example.com', { host: 'hooks.example.com' })},
    ${node('slack:channel:T1:C123', 'slack', 'endpoint', 'slack.channel', 'alerts', { endpoint_type: 'channel', channel_id: 'C123', channel_name: 'alerts' })},
    ${node('github:repo:acme/web', 'github', 'resource', 'github.repository', 'acme/web', { workload_keys: ['github:repo:acme/web', 'github:repo_id:5', 'github:owner:acme'] })},
    ${node('github:repo:acme/old', 'github', 'resource', 'github.repository', 'acme/old', { workload_keys: ['github:repo:acme/old', 'github:owner:acme'] }, true)},
    ${node('azure:app:a1', 'azure', 'connector', 'azure.application', 'deployer', { connector_type: 'entra_application' })},
    ${node('azure:fic:f1', 'azure', 'credential', 'azure.federated_credential', 'gh-main', { credential_type: 'federated', static: false })},
    ${node('trust:https://token.actions.githubusercontent.com#repo:acme/web:ref:refs/heads/main', 'azure', 'endpoint', 'trust.workload', 'acme/web',
      { issuer: 'https://token.actions.githubusercontent.com', subject: 'repo:acme/web:ref:refs/heads/main', issuer_kind: 'github-actions', workload_key: 'github:repo:acme/web',
        repository: 'acme/web', environment: null, ref: 'refs/heads/main', breadth: 'pinned', breadth_reason: 'one branch' })},
    ${node('trust:https://token.actions.githubusercontent.com#repo:acme/*', 'azure', 'endpoint', 'trust.workload', 'repo:acme/*',
      { issuer: 'https://token.actions.githubusercontent.com', subject: 'repo:acme/*', issuer_kind: 'github-actions', workload_key: 'github:owner:acme',
        repository: null, environment: null, ref: null, breadth: 'organisation', breadth_reason: 'any repository of acme' })},
    ${node('trust:https://idp.example#system:serviceaccount:ns:sa', 'azure', 'endpoint', 'trust.workload', 'system:serviceaccount:ns:sa',
      { issuer: 'https://idp.example', subject: 'system:serviceaccount:ns:sa', issuer_kind: 'unknown', workload_key: null,
        repository: null, environment: null, ref: null, breadth: 'unrecognised', breadth_reason: 'unknown issuer' })}`,
  `INSERT INTO edges (id, type, src, dst, provider, props, source, parent_id, first_seen_run, last_seen_run, first_seen_at, last_seen_at, removed_run, removed_at) VALUES
    ${edge('PUBLISHED_BY', 'github:installation:1', 'github:vendor:deployhub')},
    ${edge('HAS_SCOPE', 'github:installation:1', 'github:scope:contents:write', { consent_type: 'admin', grantor: 'alice' })},
    ${edge('HAS_SCOPE', 'github:installation:1', 'slack:scope:chat:write', {}, true)},
    ${edge('HAS_SCOPE', 'slack:bot:B1', 'slack:scope:chat:write')},
    ${edge('HAS_SCOPE', 'github:pat:7', 'github:scope:contents:write')},
    ${edge('OWNS', 'github:user:alice', 'github:installation:1')},
    ${edge('INSTALLED_BY', 'slack:bot:B1', 'github:user:bob')},
    ${edge('INSTALLED_BY', 'github:installation:1', 'github:user:ghost')},
    ${edge('HAS_CREDENTIAL', 'github:installation:1', 'github:pat:7')},
    ${edge('CAN_ACCESS', 'github:installation:1', 'github:repo:acme/api', { access: 'write', roles: ['admin', 'maintain'] })},
    ${edge('CAN_ACCESS', 'slack:bot:B1', 'github:repo:missing', { access: 'read' })},
    ${edge('FORWARDS_TO', 'github:installation:1', 'github:endpoint:hooks.example.com', { events: ['push'] })},
    ${edge('FORWARDS_TO', 'slack:bot:B1', 'slack:channel:T1:C123', { channel: 'C123', via: 'hooks' })},
    ${edge('HAS_CREDENTIAL', 'azure:app:a1', 'azure:fic:f1')},
    ${edge('TRUSTS', 'azure:fic:f1', 'trust:https://token.actions.githubusercontent.com#repo:acme/web:ref:refs/heads/main', { via: 'federated_credential', audiences: ['api://AzureADTokenExchange'] })},
    ${edge('TRUSTS', 'azure:fic:f1', 'trust:https://token.actions.githubusercontent.com#repo:acme/*', { via: 'federated_credential' })},
    ${edge('TRUSTS', 'azure:app:a1', 'trust:https://idp.example#system:serviceaccount:ns:sa', { via: 'federated_credential' })},
    ${edge('TRUSTS', 'azure:fic:f1', 'trust:https://idp.example#system:serviceaccount:ns:sa', { via: 'federated_credential' }, true)}`,
  `INSERT INTO change_log (id, run_id, at, entity, entity_id, change, provider, kind, before, after) VALUES
    (1, 1, '2026-11-01T00:00:03.000Z', 'node', 'github:installation:1', 'added', 'github', 'connector', NULL, '{"name":"deployhub-pro"}'),
    (2, 2, '2026-11-02T00:00:03.000Z', 'edge', 'e2:github:installation:1>github:scope:contents:write', 'modified', 'github', 'HAS_SCOPE', '{"consent_type":"user"}', '{"consent_type":"admin"}'),
    (3, 2, '2026-11-02T00:00:04.000Z', 'edge', 'e99:gone>gone', 'removed', 'github', 'HAS_SCOPE', '{}', NULL),
    (4, 2, '2026-11-02T00:00:05.000Z', 'node', 'github:installation:404', 'removed', 'github', 'connector', '{}', NULL)`,
  `INSERT INTO scope_grades (scope_id, provider, risk, reason, source, known, graded_at) VALUES
    ('github:scope:contents:write', 'github', 'high', 'writes code', 'risk-catalogue.md#github', 1, '2026-11-01T00:00:00.000Z')`,
  `INSERT INTO reconciliations (id, started_at, finished_at, status, inventory_file, inventory_hash, crawl_runs, summary, evaluated_at, basis, mode) VALUES
    (1, '2026-11-01T01:00:00.000Z', '2026-11-01T01:01:00.000Z', 'complete', 'inv.yaml', 'h1', '{"github":1}', '{}', '2026-11-01T01:00:00.000Z', NULL, 'full'),
    (2, '2026-11-02T01:00:00.000Z', '2026-11-02T01:01:00.000Z', 'complete', 'inv.yaml', 'h1', '{"github":2}', '{}', '2026-11-02T01:00:00.000Z', '{"rules":"r1"}', 'incremental'),
    (3, '2026-11-03T01:00:00.000Z', NULL, 'failed', NULL, NULL, '{}', NULL, NULL, NULL, NULL)`,
  `INSERT INTO inventory_version_entries (inventory_hash, id, name, vendor, business_owner, technical_owner, approved_on, approval_expires, temporary, end_date, entry) VALUES
    ('h1', 'inv-deployhub', 'DeployHub', 'DeployHub Inc', 'alice@example.com', 'carol@example.com', '2026-01-01', '2027-01-01', 0, NULL, '{"id":"inv-deployhub","ticket":"SEC-1","rotation_days":90}'),
    ('h1', 'inv-chat', 'Chat bot', NULL, 'bob@example.com', NULL, NULL, NULL, 1, '2026-12-31', '{"id":"inv-chat","temporary":true}'),
    ('', 'inv-none', 'Nothing', NULL, NULL, NULL, NULL, NULL, 0, NULL, '{}')`,
  `INSERT INTO people (principal_id, person_key, emails, provider, tenant, departed, reason, recon_id) VALUES
    ('github:user:alice', 'alice@example.com', '["alice@example.com","a.smith@example.com"]', 'github', 'acme', 0, NULL, 2),
    ('slack:user:U1', 'alice@example.com', '["alice@example.com"]', 'slack', 'T1', 1, 'deactivated in Slack', 2),
    ('github:user:bob', 'bob@example.com', '["bob@example.com"]', 'github', 'acme', 1, 'removed from the org', 2),
    ('github:user:zed', NULL, '[]', 'github', 'acme', 0, NULL, 2)`,
  `INSERT INTO inventory_matches (recon_id, connector_id, inventory_id, match_rule, match_value) VALUES
    (2, 'github:installation:1', 'inv-deployhub', 'github.app_slug', 'deployhub-pro'),
    (1, 'slack:bot:B1', 'inv-chat', 'slack.app_id', 'A01')`,
  `INSERT INTO findings (id, rule, family, severity, provider, tenant, subject_id, subject_name, connector_id, title, evidence, remediation, owasp, nist,
      inventory_id, match_rule, owners, depends_on, status, first_seen_recon, last_seen_recon, first_seen_at, last_seen_at, resolved_recon, resolved_at,
      subsumed_by, acceptance, attribution, content_hash) VALUES
    ('f1', 'orphaned-connector', 'orphans', 'critical', 'github', 'acme', 'github:installation:1', 'deployhub-pro', 'github:installation:1', 'Orphaned', '{"owner":"bob"}', 'Assign an owner', 'NHI1:2025', 'PR.AA-05', NULL, NULL, '["alice@example.com"]', '["github"]', 'new', 2, 2, '2026-11-02T01:00:00.000Z', '2026-11-02T01:00:00.000Z', NULL, NULL, NULL, NULL, '{"recipients":[]}', 'c1'),
    ('f2', 'unused-credential', 'hygiene', 'high', 'github', 'acme', 'github:pat:7', NULL, 'github:installation:1', 'Unused', '{}', 'Revoke', NULL, NULL, NULL, NULL, '[]', '[]', 'persisting', 1, 2, '2026-11-01T01:00:00.000Z', '2026-11-02T01:00:00.000Z', NULL, NULL, NULL, NULL, NULL, NULL),
    ('f3', 'unused-credential', 'hygiene', 'high', 'azure', 'acme', 'azure:secret:s1', 'prod secret', NULL, 'Unused', '{}', 'Revoke', NULL, NULL, NULL, NULL, '[]', '[]', 'persisting', 1, 2, '2026-11-01T01:00:00.000Z', '2026-11-02T01:00:00.000Z', NULL, NULL, NULL, NULL, NULL, NULL),
    ('f4', 'expired-approval', 'inventory', 'medium', 'github', 'acme', 'github:installation:1', 'deployhub-pro', NULL, 'Expired', '{}', 'Renew', NULL, NULL, 'inv-deployhub', 'github.app_slug', '[]', '[]', 'resolved', 1, 1, '2026-11-01T01:00:00.000Z', '2026-11-01T01:00:00.000Z', 2, '2026-11-02T01:00:00.000Z', NULL, NULL, NULL, NULL),
    ('f5', 'broad-scope', 'scope-drift', 'low', 'slack', 'T1', 'slack:bot:B1', 'Café ☕ bot', 'slack:bot:B1', 'Broad', '{}', 'Narrow', NULL, NULL, NULL, NULL, '[]', '[]', 'accepted', 1, 2, '2026-11-01T01:00:00.000Z', '2026-11-02T01:00:00.000Z', NULL, NULL, NULL, '{"ticket":"SEC-2"}', NULL, NULL),
    ('f6', 'broad-scope', 'scope-drift', 'info', 'slack', 'T1', 'slack:bot:B1', 'Zeta', 'slack:bot:B1', 'Broad', '{}', 'Narrow', NULL, NULL, NULL, NULL, '[]', '[]', 'new', 2, 2, '2026-11-02T01:00:00.000Z', '2026-11-02T01:00:00.000Z', NULL, NULL, NULL, NULL, NULL, NULL),
    ('f7', 'broad-scope', 'scope-drift', 'info', 'slack', 'T1', 'slack:bot:B1', 'alpha', 'slack:bot:B1', 'Broad', '{}', 'Narrow', NULL, NULL, NULL, NULL, '[]', '[]', 'new', 2, 2, '2026-11-02T01:00:00.000Z', '2026-11-02T01:00:00.000Z', NULL, NULL, NULL, NULL, NULL, NULL)`,
  `INSERT INTO finding_observations (recon_id, finding_id, severity, status, acceptance) VALUES
    (2, 'f1', 'critical', 'open', NULL), (2, 'f5', 'low', 'accepted', '{"ticket":"SEC-2"}')`,
];

/**
 * Statements both schemas must refuse (CHECK, NOT NULL, primary key, foreign key) — run after FIXTURE_SQL.
 * (011 and 013 widened the CHECKs the first three exercise; their accepted values are in FIXTURE_SQL.)
 */
export const REFUSED_SQL: string[] = [
  `INSERT INTO run_resources (run_id, provider, tenant, resource_type, status, started_at) VALUES (1, 'x', 'x', 'x', 'skipped', 'now')`,
  `INSERT INTO findings (id, rule, family, severity, title, remediation, status, first_seen_recon, last_seen_recon, first_seen_at, last_seen_at)
     VALUES ('fx', 'r', 'f', 'high', 't', 'r', 'open', 1, 1, 'now', 'now')`,
  `INSERT INTO finding_observations (recon_id, finding_id, severity, status) VALUES (1, 'f1', 'high', 'resolved')`,
  `INSERT INTO nodes (id, provider, kind, type, first_seen_run, last_seen_run, first_seen_at, last_seen_at) VALUES ('github:org:acme', 'github', 'tenant', 't', 1, 1, 'now', 'now')`,
  `INSERT INTO run_resources (run_id, provider, tenant, resource_type, status, started_at) VALUES (99, 'x', 'x', 'x', 'complete', 'now')`,
  `INSERT INTO scope_grades (scope_id, provider, risk, reason, source, known, graded_at) VALUES ('no:such:node', 'x', 'high', 'r', 's', 1, 'now')`,
  `INSERT INTO change_log (run_id, at, entity, entity_id, change, provider, kind) VALUES (1, 'now', 'node', 'x', 'renamed', 'x', 'x')`,
];
