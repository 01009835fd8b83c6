// Validates the GitHub block of a scenario file (zod): the block and its own structures are strict, each
// vendor object requires the fields GithubScenario requires (typed as @octokit/openapi-types types them) and
// refuses near-miss keys; the schema's output is assignable to GithubScenario (checked at compile time).
import { z } from 'zod';
import type { components } from '@octokit/openapi-types';
import { isoDate, keyed, mapping, vendorObject, type Assignable } from '../../../src/simulator/scenario-schema.ts';
import type { AuditLogEvent, CredentialAuthorization } from '../types.ts';
import type { GithubScenario } from './scenario.ts';

type S = components['schemas'];
const id = z.number().int();
const names = z.array(z.string());
const user = vendorObject<S['simple-user']>()({ login: z.string().min(1), id, email: z.string().nullable().optional(), type: z.string().optional() },
  ['name', 'site_admin', 'node_id']);
const patPermissions = mapping<S['organization-programmatic-access-grant']['permissions']>();
const patFields = {
  id, owner: mapping<S['simple-user']>(), token_id: id, token_name: z.string(), repository_selection: z.enum(['none', 'all', 'subset']),
  permissions: patPermissions, token_expired: z.boolean(), token_expires_at: isoDate.nullable(), token_last_used_at: isoDate.nullable(),
};

export const githubScenarioSchema = z.strictObject({
  org: vendorObject<S['organization-full']>()({ login: z.string().min(1), id, name: z.string().optional() }, ['plan', 'two_factor_requirement_enabled', 'created_at']),
  admins: names.optional(),
  members: z.array(user),
  outsideCollaborators: z.array(user).optional(),
  installations: z.array(vendorObject<S['installation']>()({
    id, app_id: id, app_slug: z.string().min(1), permissions: mapping<S['installation']['permissions']>(), repository_selection: z.enum(['all', 'selected']),
    account: mapping<S['installation']['account']>().nullable().optional(), events: names.optional(), created_at: isoDate.optional(),
    updated_at: isoDate.optional(), suspended_at: isoDate.nullable().optional(), target_type: z.string().optional(),
  }, ['client_id', 'single_file_name', 'suspended_by', 'target_id'])).optional(),
  installationRepositories: keyed(names).optional(),
  apps: z.array(vendorObject<NonNullable<S['integration']>>()({
    id, slug: z.string().min(1), name: z.string(), owner: mapping<NonNullable<S['integration']>['owner']>(), permissions: mapping<NonNullable<S['integration']>['permissions']>().optional(),
  })).optional(),
  patGrants: z.array(vendorObject<S['organization-programmatic-access-grant']>()({ ...patFields, access_granted_at: isoDate }, ['repositories_url'])).optional(),
  patGrantRepositories: keyed(names).optional(),
  patRequests: z.array(vendorObject<S['organization-programmatic-access-grant-request']>()({ ...patFields, created_at: isoDate, reason: z.string().nullable() }, ['repositories_url'])).optional(),
  samlIdentities: z.array(z.strictObject({ login: z.string().min(1).nullable(), nameId: z.string().min(1), emails: names.optional() })).optional(),
  credentialAuthorizations: z.array(vendorObject<CredentialAuthorization>()({
    login: z.string().min(1), credential_id: id, credential_type: z.string(), credential_authorized_at: isoDate, credential_accessed_at: isoDate.nullable(),
    authorized_credential_id: id.nullable(), scopes: names.optional(), authorized_credential_expires_at: isoDate.nullable().optional(),
  }, ['token_last_eight', 'fingerprint', 'authorized_credential_title', 'authorized_credential_note'])).nullable().optional(),
  repositories: z.array(vendorObject<S['minimal-repository']>()({ id, name: z.string().min(1), full_name: z.string().min(1), private: z.boolean().optional(), archived: z.boolean().optional() },
    ['visibility', 'fork', 'default_branch', 'owner', 'created_at', 'pushed_at', 'updated_at', 'disabled'])),
  deployKeys: keyed(z.array(vendorObject<S['deploy-key']>()({ id, title: z.string(), read_only: z.boolean(), key: z.string(), created_at: isoDate, last_used: isoDate.nullable().optional() },
    ['verified', 'added_by', 'enabled', 'url']))).optional(),
  orgHooks: z.array(vendorObject<S['org-hook']>()({ id, name: z.string(), active: z.boolean(), events: names, config: mapping<S['org-hook']['config']>() },
    ['created_at', 'updated_at', 'type', 'url'])).optional(),
  repoHooks: keyed(z.array(vendorObject<S['hook']>()({ id, name: z.string(), active: z.boolean(), events: names, config: mapping<S['hook']['config']>() },
    ['created_at', 'updated_at', 'last_response', 'type', 'url']))).optional(),
  orgSecrets: z.array(vendorObject<S['organization-actions-secret']>()({
    name: z.string().min(1), created_at: isoDate, updated_at: isoDate, visibility: z.enum(['all', 'private', 'selected']), selected_repositories_url: z.string().optional(),
  })).optional(),
  orgSecretRepositories: keyed(names).optional(),
  auditLog: z.array(vendorObject<AuditLogEvent>()({ action: z.string().min(1), '@timestamp': z.number().int(), created_at: z.number().int().optional(),
    repo: z.string().optional(), hook_id: id.optional() }, ['active', 'active_was', 'actor', 'actor_id', '_document_id', 'name', 'org', 'org_id', 'repository'])).nullable().optional(),
  graphqlErrors: z.strictObject({ deployKeys: names.optional() }).optional(),
  rateLimit: z.strictObject({ limit: z.number().int().positive(), windowMs: z.number().int().positive() }).optional(),
});

const _typed: Assignable<z.output<typeof githubScenarioSchema>, GithubScenario> = true;
void _typed;
