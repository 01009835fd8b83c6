// Repository webhooks (connectors forwarding a repository's events out). GET /repos/{owner}/{repo}/hooks
// With repoHooksVia 'audit-log' (default), an incremental crawl asks the organisation audit log (../hook-change-index.ts)
// which repositories' hooks changed since the last crawl's watermark: those are listed (conditional requests), and a
// repository the log names nothing for is kept without a request — but only if its own last complete listing (or
// keep) is covered by the log's window, for the same base URL. New repositories, ones whose last listing failed, a
// full crawl, and a log that cannot be read (ledger note) all list as before. State: a watermark per organisation and
// base URL, and per repository the watermark it is vouched to; both move on only with a listing that completes.
// https://docs.github.com/rest/repos/webhooks#list-repository-webhooks
import type { components } from '@octokit/openapi-types';
import { defineResource, type ListContext, type Page, type ParentRef } from '../../../src/crawl/resource.ts';
import { checkIssued, normalBase } from '../../../src/crawl/base-relative.ts';
import type { GithubClient } from '../client.ts';
import { githubPages } from '../paginate.ts';
import { nodeId } from '../../../src/graph/model.ts';
import { P } from '../map-helpers.ts';
import { APP, CLASSIC } from '../permission-hints.ts';
import { hookId, mapWebhook } from '../webhook-map.ts';
import { repositories } from './repositories.ts';

type Hook = components['schemas']['hook'];
type RepoRef = ParentRef & { owner: string; repo: string };

export const repoWebhooks = defineResource<GithubClient, Hook, RepoRef>({
  provider: P, type: 'github.repo_webhooks', description: 'Repository webhooks',
  docs: 'https://docs.github.com/rest/repos/webhooks#list-repository-webhooks',
  parent: repositories,
  // the audit log (GHEC, incremental crawls) is optional: without it every repository is listed, with a ledger note
  permission: { grant: { [APP]: 'Repository › Webhooks (read); on GHEC also Organization › Administration (read) for the audit-log change signal',
    [CLASSIC]: 'read:repo_hook; on GHEC also read:audit_log (an organisation owner\'s token) for the audit-log change signal' }, refusedAs404: true },
  emits: { nodes: ['connector', 'endpoint'], edges: ['IN_TENANT', 'FORWARDS_TO', 'CAN_ACCESS'] },
  list: listHooks,
  map: (hook, ctx) => mapWebhook(hook, { id: nodeId(P, 'repo_webhook', hookId(hook)), type: 'github.repo_webhook', org: ctx.tenant.id,
    scopeName: `${ctx.parent.owner}/${ctx.parent.repo}`, repoNodeId: ctx.parent.nodeId }),
});

/** crawl_state keys: the organisation's watermark, and per repository (node id) the watermark it is vouched to. */
export const HOOKS_WATERMARK_KEY = 'repo_hooks.audit_watermark';
export const hooksVouchKey = (repoNodeId: string) => `repo_hooks.audit|${repoNodeId}`;

interface Mark { at: number; base: string; repo?: string }

function readMark(value: string | undefined): Mark | undefined {
  if (!value) return undefined;
  try {
    const m = JSON.parse(value) as Partial<Mark> | null;
    return m && typeof m.at === 'number' && Number.isFinite(m.at) && typeof m.base === 'string' ? m as Mark : undefined;
  } catch { return undefined; }
}

async function* listHooks(ctx: ListContext<GithubClient, RepoRef>): AsyncIterable<Page<Hook>> {
  const rest = () => githubPages<Hook>(ctx, ctx.client.octokit, 'GET /repos/{owner}/{repo}/hooks',
    { owner: ctx.parent.owner, repo: ctx.parent.repo, per_page: ctx.client.perPage });
  if (ctx.client.repoHooksVia === 'rest' || ctx.parent.owner.toLowerCase() !== ctx.tenant.id) return yield* rest();
  const index = ctx.client.hookChangeIndex();
  const issuer = { base: ctx.client.baseUrl };
  const base = normalBase(issuer.base);
  const repo = ctx.parent.repo.toLowerCase();
  const vouched = readMark(ctx.state.get(hooksVouchKey(ctx.parent.nodeId)));
  const last = readMark(ctx.state.get(HOOKS_WATERMARK_KEY));
  // written with this listing's end, so only if it completes (REST listed, or kept on the log's word)
  ctx.state.set(hooksVouchKey(ctx.parent.nodeId), JSON.stringify({ at: index.watermark, base, repo } satisfies Mark));
  ctx.state.set(HOOKS_WATERMARK_KEY, JSON.stringify({ at: index.watermark, base } satisfies Mark));
  if (ctx.mode === 'full') return yield* rest();
  const signal = await index.signal(last, issuer);
  if (!signal.ok) {
    ctx.note(signal.note);
    return yield* rest();
  }
  // the log covers [since - overlap, now]: it vouches for a repository only from its own last complete listing on
  const covered = vouched !== undefined && vouched.repo === repo && vouched.at >= signal.since && !checkIssued(vouched.base, issuer);
  if (covered && !signal.repos.has(repo)) {
    ctx.keepAll('repository webhooks unchanged since the last crawl (organisation audit log)');
    return;
  }
  yield* rest();
}
