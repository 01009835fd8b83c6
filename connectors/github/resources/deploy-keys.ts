// Deploy keys of each repository (SSH credentials with read or write access to one repository).
// GET /repos/{owner}/{repo}/keys — the public key is reduced to its fingerprint; nothing else of it is kept.
// https://docs.github.com/rest/deploy-keys/deploy-keys#list-deploy-keys
import crypto from 'node:crypto';
import type { components } from '@octokit/openapi-types';
import { defineResource, type ParentRef } from '../../../src/crawl/resource.ts';
import type { GithubClient } from '../client.ts';
import { githubPages } from '../paginate.ts';
import { nodeId } from '../../../src/graph/model.ts';
import { inTenant, need, P, userRef } from '../map-helpers.ts';
import { repositories } from './repositories.ts';

type DeployKey = components['schemas']['deploy-key'];
type RepoRef = ParentRef & { owner: string; repo: string };

export const deployKeys = defineResource<GithubClient, DeployKey, RepoRef>({
  provider: P, type: 'github.deploy_keys', description: 'Deploy keys per repository',
  docs: 'https://docs.github.com/rest/deploy-keys/deploy-keys#list-deploy-keys',
  parent: repositories,
  emits: { nodes: ['credential', 'principal'], edges: ['IN_TENANT', 'CAN_ACCESS', 'INSTALLED_BY'] },
  list: (ctx) => githubPages<DeployKey>(ctx, ctx.client.octokit, 'GET /repos/{owner}/{repo}/keys',
    { owner: ctx.parent.owner, repo: ctx.parent.repo, per_page: ctx.client.perPage }),
  map(k, ctx) {
    const id = nodeId(P, 'deploy_key', need(k.id, 'id'));
    const access = k.read_only === false ? 'write' : 'read';
    const nodes: ReturnType<typeof userRef>[] = [{ id, kind: 'credential', type: 'github.deploy_key', name: `${k.title} (${ctx.parent.owner}/${ctx.parent.repo})`, props: {
      credential_type: 'ssh_deploy_key', title: k.title, access, read_only: k.read_only ?? null, verified: k.verified ?? null,
      fingerprint: fingerprint(k.key), created_at: k.created_at ?? null, last_used_at: k.last_used ?? null,
      added_by: k.added_by ?? null, enabled: k.enabled ?? true, expires_at: null, static: true, repository: `${ctx.parent.owner}/${ctx.parent.repo}`,
    } }];
    const edges = [inTenant(id, ctx.tenant.id), { type: 'CAN_ACCESS' as const, from: id, to: ctx.parent.nodeId, props: { access } }];
    if (k.added_by) {
      nodes.push(userRef(k.added_by));
      edges.push({ type: 'INSTALLED_BY', from: id, to: userRef(k.added_by).id, props: {} });
    }
    return { nodes, edges };
  },
});

function fingerprint(key: string | undefined): string | null {
  const blob = key?.trim().split(/\s+/)[1];
  if (!blob) return null;
  return 'SHA256:' + crypto.createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64').replace(/=+$/, '');
}
