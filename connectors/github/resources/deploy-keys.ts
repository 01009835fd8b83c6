// Deploy keys of each repository (SSH credentials with read or write access to one repository).
// GET /repos/{owner}/{repo}/keys — the public key is reduced to its fingerprint; nothing else of it is kept.
// With deployKeysVia 'graphql' (default) the organisation's GraphQL index (../deploy-key-index.ts) is read first:
// a repository whose GraphQL view of its keys is what it was when last listed completely is not listed again when it
// has no keys, nor on incremental crawls (its last_used_at then refreshes on the next full crawl); every other
// repository, and any the index cannot vouch for, is listed through REST as before.
// https://docs.github.com/rest/deploy-keys/deploy-keys#list-deploy-keys
import crypto from 'node:crypto';
import type { components } from '@octokit/openapi-types';
import { defineResource, type ParentRef } from '../../../src/crawl/resource.ts';
import type { ListContext, Page } from '../../../src/crawl/resource.ts';
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
  list: listKeys,
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

async function* listKeys(ctx: ListContext<GithubClient, RepoRef>): AsyncIterable<Page<DeployKey>> {
  const rest = () => githubPages<DeployKey>(ctx, ctx.client.octokit, 'GET /repos/{owner}/{repo}/keys',
    { owner: ctx.parent.owner, repo: ctx.parent.repo, per_page: ctx.client.perPage });
  if (ctx.client.deployKeysVia === 'rest' || ctx.parent.owner.toLowerCase() !== ctx.tenant.id) return yield* rest();
  const signal = await ctx.client.deployKeyIndex().lookup(ctx.parent.repo);
  if (!signal.ok) {
    ctx.note(`listed through REST: ${signal.reason}`);
    return yield* rest();
  }
  // state moves on only if this listing completes (the engine writes it with the listing's end); the digest is bound
  // to the API address it was read from: after a move, what the old server said vouches for nothing (REST again)
  const stateKey = `deploy_keys.graphql|${ctx.parent.repo.toLowerCase()}`;
  const last = ctx.state.get(stateKey);
  const digest = `${signal.digest}@${ctx.client.baseUrl.replace(/\/$/, '').toLowerCase()}`;
  ctx.state.set(stateKey, digest);
  if (last === digest && (signal.count === 0 || ctx.mode === 'incremental')) {
    ctx.keepAll('deploy keys unchanged since the last complete listing (GraphQL)');
    return;
  }
  yield* rest();
}

function fingerprint(key: string | null): string | null {
  const blob = key?.trim().split(/\s+/)[1];
  if (!blob) return null;
  return 'SHA256:' + crypto.createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64').replace(/=+$/, '');
}
