// Bench fixture: repositories and cross-provider trusts over the scale graph of bench/_lib/scale-graph.ts (whose
// connector ids it names), written by a crawl run of their own — shared by bench/paths-scale.ts and
// bench/reconcile-scale.ts --trusts.
import type { Db } from '../../src/graph/db.ts';
import type { GraphEdge, GraphNode } from '../../src/graph/model.ts';
import { beginRun, finishRun, saveResourceResult } from '../../src/graph/runs.ts';
import { GraphWriter } from '../../src/graph/writer.ts';

/**
 * Repositories (workload_keys, in tenant org), each GitHub connector reaching 3 of them (1 in 500: every repository,
 * through the org), and TRUSTS Azure apps with a federated credential trusting one repository's workflows (1 in 10
 * pinned) and a role on a subscription — one crawl run of its own, for a tenant of its own ('trusts').
 */
export function writeTrusts(db: Db, opts: { perProvider: number; repos: number; trusts: number }): void {
  const { perProvider: per, repos: REPOS, trusts: TRUSTS } = opts;
  const run = beginRun(db, { providers: ['github', 'azure'], mode: 'full', version: 'bench' });
  const w = new GraphWriter(db, run);
  const nodes: GraphNode[] = [{ id: 'github:org:t1', kind: 'tenant', type: 'github.org', name: 't1', props: {} }];
  const edges: GraphEdge[] = [];
  for (let r = 0; r < REPOS; r++) {
    const id = `github:repo:${r}`;
    nodes.push({ id, kind: 'resource', type: 'github.repository', name: `t1/repo-${r}`,
      props: { workload_keys: [`github:repo:t1/repo-${r}`, `github:repo_id:${r}`, 'github:owner:t1', 'github:owner_id:1'] } });
    edges.push({ type: 'IN_TENANT', from: id, to: 'github:org:t1' });
  }
  for (let i = 0; i < per; i++) {
    const c = `github:connector:c${i}`;
    if (i % 500 === 2) edges.push({ type: 'CAN_ACCESS', from: c, to: 'github:org:t1', props: { repositories: 'all' } });
    else for (let k = 0; k < 3; k++) edges.push({ type: 'CAN_ACCESS', from: c, to: `github:repo:${(i * 7 + k * 131) % REPOS}`, props: {} });
  }
  const subs = 20;
  for (let s = 0; s < subs; s++) nodes.push({ id: `azure:subscription:s${s}`, kind: 'resource', type: 'azure.subscription', name: `subscription ${s}`, props: {} });
  const roles = ['Owner', 'Contributor', 'Reader'];
  for (let t = 0; t < TRUSTS; t++) {
    const app = `azure:connector:c${3 * per + t}`; // an Azure connector of the scale graph
    const fic = `azure:credential:fic${t}`;
    const repo = (t * 37) % REPOS;
    const pinned = t % 10 === 0;
    const subject = `repo:t1/repo-${repo}:${pinned ? 'environment:production' : 'ref:refs/heads/main'}`;
    const end = `trust:https://token.actions.githubusercontent.com#${subject}`;
    nodes.push({ id: fic, kind: 'credential', type: 'azure.federated_credential', name: `fic ${t}`, props: { credential_type: 'federated' } });
    nodes.push({ id: end, kind: 'endpoint', type: 'trust.workload', name: subject, shared: true, props: { issuer: 'https://token.actions.githubusercontent.com',
      subject, issuer_kind: 'github-actions', workload_key: `github:repo:t1/repo-${repo}`, repository: `t1/repo-${repo}`, breadth: pinned ? 'pinned' : 'any-ref' } });
    edges.push({ type: 'HAS_CREDENTIAL', from: app, to: fic }, { type: 'TRUSTS', from: fic, to: end, props: { via: 'federated_credential' } },
      { type: 'CAN_ACCESS', from: app, to: `azure:subscription:s${t % subs}`, props: { roles: [roles[t % 3]] } });
  }
  // a tenant of its own, recorded in the run ledger: the run is the usable evidence of what it wrote (an incremental
  // reconciliation would otherwise see its rows as changed since the providers' runs, every time)
  w.writePage({ provider: 'github', tenant: 'trusts', scope: 'github|trusts|bench.trusts|', parentId: null, emitted: { nodes, edges } });
  w.completeListing('github|trusts|bench.trusts|');
  const at = new Date().toISOString();
  for (const provider of ['github', 'azure']) {
    saveResourceResult(db, run, { provider, tenant: 'trusts', resourceType: 'bench.trusts', status: 'complete', listings: 1, listingsFailed: 0,
      objects: nodes.length, apiCalls: 1, notModified: 0, retries: 0, removed: 0, error: null, startedAt: at, finishedAt: at, durationMs: 1 });
  }
  finishRun(db, run, 'complete', {});
}

