// Bench helper: the graph and inventory of the reconcile-at-scale benches (bench/reconcile-scale.ts,
// bench/postgres-scale.ts): N connectors spread over 4 providers (scopes, credentials, owners, webhooks; ~N/E
// installations of each app) and an E-entry inventory (provider id rules, webhook hosts, name-pattern fallbacks).
// Pages are built as a crawl hands them to the graph writer, so a bench can write them through GraphWriter (crawl)
// or take the rows apart (the PostgreSQL ingest comparison).
import YAML from 'yaml';
import type { Db } from '../../src/graph/db.ts';
import type { Emitted, GraphEdge, GraphNode } from '../../src/graph/model.ts';
import { beginRun, finishRun, saveResourceResult } from '../../src/graph/runs.ts';
import { GraphWriter, type PageWrite } from '../../src/graph/writer.ts';

export const PROVIDERS = ['github', 'slack', 'google', 'azure'] as const;
export type ScaleProvider = (typeof PROVIDERS)[number];
const KEY: Record<string, [field: string, rule: string]> = { github: ['app_slug', 'app_slug'], slack: ['app_id', 'app_id'], google: ['client_id', 'oauth_client_id'], azure: ['app_id', 'app_id'] };
const SCOPES: Record<string, string[]> = {
  github: ['metadata:read', 'contents:read', 'contents:write', 'pull_requests:write', 'issues:read', 'administration:write', 'checks:write'],
  slack: ['chat:write', 'users:read', 'channels:read', 'channels:history', 'files:read', 'commands', 'admin.users:write'],
  google: ['openid', 'https://www.googleapis.com/auth/userinfo.email', 'https://www.googleapis.com/auth/drive.readonly', 'https://www.googleapis.com/auth/calendar', 'https://mail.google.com/'],
  azure: ['User.Read', 'User.Read.All', 'Mail.Read', 'Files.Read.All', 'Directory.ReadWrite.All', 'Group.Read.All'],
};
const T0 = Date.parse('2026-11-20T00:00:00Z');
const ago = (d: number) => new Date(T0 - d * 86_400_000).toISOString();

export interface ScaleGraph {
  /** A provider's pages as its crawl writes them: its users, then its connectors `pageSize` at a time. */
  pages(pi: number, provider: ScaleProvider, changed?: (n: number) => boolean, pageSize?: number): PageWrite[];
  /** One crawl of a provider (a run of its own); `changed(n)`: connector n looks different in this crawl (a later crawl's churn). */
  crawlProvider(db: Db, pi: number, provider: ScaleProvider, changed?: (n: number) => boolean): void;
  /** The inventory, as YAML text. */
  inventoryYaml(): string;
}

export function scaleGraph(N: number, E: number): ScaleGraph {
  const apps = Math.round(E * 1.02); // distinct apps (each installed ~N/apps times); the inventory approves ~98% of them
  const per = Math.ceil(N / PROVIDERS.length);
  const pages = (pi: number, provider: ScaleProvider, changed: (n: number) => boolean = () => false, pageSize = 1000): PageWrite[] => {
    const people: GraphNode[] = Array.from({ length: 2000 }, (_, i) => ({ id: `${provider}:user:u${i}`, kind: 'principal', type: `${provider}.user`, name: `u${i}`,
      props: { email: `person${i}@example.com`, status: i % 97 === 0 ? (provider === 'slack' ? 'deleted' : 'disabled') : 'active' } }));
    const out: PageWrite[] = [{ provider, tenant: 't1', scope: `${provider}|t1|${provider}.users|`, parentId: null, emitted: { nodes: people, edges: [] } }];
    const scope = `${provider}|t1|${provider}.connectors|`;
    for (let start = 0; start < per; start += pageSize) {
      const nodes: GraphNode[] = [];
      const edges: GraphEdge[] = [];
      for (let i = start; i < Math.min(per, start + pageSize); i++) {
        const n = pi * per + i;
        const app = n % apps;
        const id = `${provider}:connector:c${n}`;
        const [field] = KEY[provider]!;
        nodes.push({ id, kind: 'connector', type: `${provider}.app`, name: `vendor-app-${app} #${n}`, props: {
          connector_type: provider === 'github' && n % 10 === 0 ? 'webhook' : 'app', [field]: `app-${app}`, enabled: true, created_at: ago(n % 900), last_used_at: ago(changed(n) ? 0 : n % 120) } });
        const ss = SCOPES[provider]!;
        for (let k = 0; k < 3; k++) {
          const s = ss[(k === 2 && n % 25 === 0 ? ss.length - 1 : (n + k) % (ss.length - 2))]!; // 4% hold a scope beyond approval
          nodes.push({ id: `${provider}:scope:${s}`, kind: 'scope', type: `${provider}.scope`, name: s, props: {} });
          edges.push({ type: 'HAS_SCOPE', from: id, to: `${provider}:scope:${s}` });
        }
        edges.push({ type: 'INSTALLED_BY', from: id, to: `${provider}:user:u${n % 2000}` });
        if (n % 5 === 0) {
          const cid = `${provider}:credential:k${n}`;
          nodes.push({ id: cid, kind: 'credential', type: `${provider}.secret`, name: `secret ${n}`, props: { credential_type: provider === 'azure' ? 'client_secret' : 'github_fine_grained_pat',
            created_at: ago(n % 500), expires_at: n % 15 === 0 ? null : ago(-(n % 400) + 30), last_used_at: ago(n % 150), static: true, enabled: true } });
          edges.push({ type: 'HAS_CREDENTIAL', from: id, to: cid });
        }
        if (provider === 'github' && n % 10 === 0) {
          const host = n % 20 === 0 ? `hooks.vendor${app % 300}.io` : `ci${n % 7}.example.com`;
          nodes.push({ id: `github:endpoint:${host}`, kind: 'endpoint', type: 'github.webhook_target', name: host, props: { host } });
          edges.push({ type: 'FORWARDS_TO', from: id, to: `github:endpoint:${host}`, props: { events: ['push'] } });
        }
      }
      out.push({ provider, tenant: 't1', scope, parentId: null, emitted: { nodes, edges } as Emitted });
    }
    return out;
  };
  return {
    pages,
    crawlProvider(db, pi, provider, changed) {
      const run = beginRun(db, { providers: [provider], mode: 'full', version: 'bench' });
      const w = new GraphWriter(db, run);
      for (const page of pages(pi, provider, changed)) {
        w.writePage(page);
        if (page.scope.endsWith('.users|')) w.completeListing(page.scope);
      }
      w.completeListing(`${provider}|t1|${provider}.connectors|`);
      const at = new Date().toISOString();
      for (const type of [`${provider}.connectors`, `${provider}.users`]) {
        saveResourceResult(db, run, { provider, tenant: 't1', resourceType: type, status: 'complete', listings: 1, listingsFailed: 0, objects: per, apiCalls: 1,
          notModified: 0, retries: 0, removed: 0, error: null, startedAt: at, finishedAt: at, durationMs: 1 });
      }
      finishRun(db, run, 'complete', {});
    },
    // E entries; most match one app id (installed ~N/E times across the providers), 50 are webhook-host entries and 50
    // name-pattern fallbacks; approved scopes leave out each provider's riskiest two.
    inventoryYaml() {
      const entries: Record<string, unknown>[] = [];
      for (let e = 0; e < E; e++) {
        const match: Record<string, unknown> = e < 50 ? { webhook_host: `hooks.vendor${e}.io` } : e < 100 ? { name_pattern: `^vendor-app-${e * 7} ` }
          : Object.fromEntries(PROVIDERS.map((p) => [p, { [KEY[p]![1]]: `app-${e}` }])); // one vendor entry across providers
        entries.push({ id: `e${e}`, name: `Entry ${e}`, vendor: 'Vendor', business_owner: `person${e % 2000}@example.com`, technical_owner: `person${(e + 1) % 2000}@example.com`,
          purpose: 'bench', ticket: `T-${e}`, approved_on: '2025-01-01', approval_expires: e % 50 === 0 ? '2026-01-01' : '2027-12-31', match,
          scopes: Object.fromEntries(PROVIDERS.map((p) => [p, SCOPES[p]!.slice(0, -2)])), ...(e % 40 === 0 ? { rotation_days: 180 } : {}) });
      }
      return YAML.stringify({ version: 1, defaults: { allowed_destinations: ['*.example.com'] }, entries });
    },
  };
}
