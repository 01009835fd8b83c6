// Deploy keys of each repository (SSH credentials with read or write access to one repository).
// GET /repos/{owner}/{repo}/keys — the public key is reduced to its fingerprint; nothing else of it is kept.
// https://docs.github.com/rest/deploy-keys/deploy-keys#list-deploy-keys
import crypto from 'node:crypto';
import type { components } from '@octokit/openapi-types';
import { defineResource, type ParentRef } from '../../../src/crawl/resource.ts';
import type { GithubClient } from '../client.ts';
import { githubPages } from '../paginate.ts';
import { nodeId } from '../../../src/graph/model.ts';
import { fieldsOf } from '../../../src/crawl/malformed-item.ts';
import { inTenant, P, userRef } from '../map-helpers.ts';
import { APP, CLASSIC } from '../permission-hints.ts';
import { repositories } from './repositories.ts';

type DeployKey = components['schemas']['deploy-key'];
type RepoRef = ParentRef & { owner: string; repo: string };

export const deployKeys = defineResource<GithubClient, DeployKey, RepoRef>({
  provider: P, type: 'github.deploy_keys', description: 'Deploy keys per repository',
  docs: 'https://docs.github.com/rest/deploy-keys/deploy-keys#list-deploy-keys',
  parent: repositories,
  permission: { grant: { [APP]: 'Repository › Administration (read)', [CLASSIC]: 'repo' }, refusedAs404: true },
  emits: { nodes: ['credential', 'principal'], edges: ['IN_TENANT', 'CAN_ACCESS', 'INSTALLED_BY'] },
  list: (ctx) => githubPages<DeployKey>(ctx, ctx.client.octokit, 'GET /repos/{owner}/{repo}/keys',
    { owner: ctx.parent.owner, repo: ctx.parent.repo, per_page: ctx.client.perPage }),
  map(k, ctx) {
    const f = fieldsOf(k, 'keys[]', ['id', 'title']);
    const id = nodeId(P, 'deploy_key', f.key('id'));
    const access = k.read_only === false ? 'write' : 'read';
    const title = f.label('title');
    const addedBy = f.optionalString('added_by');
    const nodes: ReturnType<typeof userRef>[] = [{ id, kind: 'credential', type: 'github.deploy_key', name: `${title ?? 'deploy key'} (${ctx.parent.owner}/${ctx.parent.repo})`, props: {
      credential_type: 'ssh_deploy_key', title, access, read_only: k.read_only ?? null, verified: k.verified ?? null,
      fingerprint: fingerprint(f.optionalString('key')), created_at: k.created_at ?? null, last_used_at: k.last_used ?? null,
      added_by: addedBy, enabled: k.enabled ?? true, expires_at: null, static: true, repository: `${ctx.parent.owner}/${ctx.parent.repo}`,
    } }];
    const edges = [inTenant(id, ctx.tenant.id), { type: 'CAN_ACCESS' as const, from: id, to: ctx.parent.nodeId, props: { access } }];
    if (addedBy) {
      nodes.push(userRef(addedBy));
      edges.push({ type: 'INSTALLED_BY', from: id, to: userRef(addedBy).id, props: {} });
    }
    return { nodes, edges };
  },
});

function fingerprint(key: string | null): string | null {
  const blob = key?.trim().split(/\s+/)[1];
  if (!blob) return null;
  return 'SHA256:' + crypto.createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64').replace(/=+$/, '');
}
