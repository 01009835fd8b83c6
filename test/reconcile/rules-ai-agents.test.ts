// Issue 19 item 4: AI-agent connectors. ai-agent-excessive-agency on planted and clean cases — the inventory's
// `category:` wins over the catalogue, a catalogue id match cites its source, a name match says so, broad read through
// reach on all repositories — and agent-personal-credential: a person's token whose own label names an agent, with
// the field and the word that matched, never a substring of another word.
import { describe, expect, it } from 'vitest';
import { reconcile } from '../../src/reconcile/engine.ts';
import { connector, credential, crawlRun, edge, entry, findings, inventory, memDb, merge, NOW, principal, scopeNode, withScopes } from './helpers.ts';
import { describeBackends } from '../helpers/backends.ts';

const RULE = 'ai-agent-excessive-agency';
const ev = (f: { evidence: string }) => JSON.parse(f.evidence) as Record<string, any>;
const subjectsOf = (db: ReturnType<typeof memDb>, rule: string) => findings(db, rule).map((f) => [f.subject_id.split(':').pop(), f.severity]);

describeBackends('AI-agent rules', () => {
describe('ai-agent-excessive-agency', () => {
  it('fires on a broad meeting recorder matched by name (high: it can post) and stays silent on a narrow read-only assistant the inventory names', () => {
    const db = memDb();
    const broad = connector('slack', 'A0MEETREC1', { app_id: 'A0MEETREC1' }, 'Otter.ai');
    const narrow = connector('slack', 'A0ASKBOT01', { app_id: 'A0ASKBOT01' }, 'Halcyon Ask');
    crawlRun(db, 'slack', { apps: merge(withScopes(broad, ['channels:history', 'files:read', 'chat:write', 'users:read']),
      withScopes(narrow, ['commands', 'users:read', 'channels:read'])) });
    const inv = inventory([
      entry('otter', { match: { slack: { app_id: 'A0MEETREC1' } }, scopes: { slack: ['channels:history', 'files:read', 'chat:write', 'users:read'] } }),
      entry('ask', { match: { slack: { app_id: 'A0ASKBOT01' } }, category: 'ai-assistant' }),
    ]);
    reconcile(db, inv, { now: NOW, rules: [RULE] });
    expect(subjectsOf(db, RULE)).toEqual([['A0MEETREC1', 'high']]);
    const f = findings(db, RULE)[0]!;
    expect(f.title).toBe('AI meeting recorder Otter.ai (app) can change through chat:write and reads message history of public channels, all files');
    const e = ev(f);
    expect(e).toMatchObject({ category: 'meeting-recorder', category_from: 'catalogue', matched_by_name: true,
      catalogue: { match: 'name', field: 'name', value: 'Otter.ai', source: expect.stringMatching(/^https:\/\/help\.otter\.ai\//) } });
    expect(e.classified_by).toMatch(/^matched by name: the connector's name "Otter\.ai" contains "Otter\.ai"/);
    expect(e.write_scopes).toEqual([{ scope: 'chat:write', access: 'write', severity: 'medium', approved: true }]);
    expect(e.broad_read.map((b: { scope: string; reads: string }) => [b.scope, b.reads])).toEqual([['channels:history', 'message history of public channels'], ['files:read', 'all files']]);
    expect(e.approved_by).toMatchObject({ entry: 'otter', ticket: 'SEC-1' });
    expect(e.references).toContain('OWASP LLM06:2025 Excessive Agency');
  });

  it('medium for broad read only: a coding agent reading code on all repositories; silent on selected repositories', () => {
    const db = memDb();
    const all = connector('github', 'i-1', { app_slug: 'chatgpt-codex-connector' }, 'chatgpt-codex-connector');
    const some = connector('github', 'i-2', { app_slug: 'devin-ai-integration' }, 'devin-ai-integration');
    const org = { id: 'github:org:acme', kind: 'tenant' as const, type: 'github.org', name: 'acme', props: {} };
    crawlRun(db, 'github', { installs: merge(withScopes(all, ['contents:read', 'metadata:read']), withScopes(some, ['contents:read', 'metadata:read']),
      { nodes: [org], edges: [edge('CAN_ACCESS', all.id, org.id, { repositories: 'all' })] }) });
    reconcile(db, inventory([]), { now: NOW, rules: [RULE] });
    expect(subjectsOf(db, RULE)).toEqual([['i-1', 'medium']]);
    const e = ev(findings(db, RULE)[0]!);
    expect(e.write_scopes).toEqual([]);
    expect(e.broad_read).toEqual([{ scope: 'contents:read', access: 'read', severity: 'medium', reads: 'all repositories', approved: false }]);
    expect(e).toMatchObject({ category: 'coding-agent', catalogue: { match: 'id', field: 'app_slug', value: 'chatgpt-codex-connector', source: 'https://github.com/apps/chatgpt-codex-connector' } });
    expect(e.matched_by_name).toBeUndefined();
  });

  it("the inventory entry's category wins over the catalogue: a catalogue coding agent the inventory calls ci-cd raises nothing", () => {
    const db = memDb();
    const claude = connector('github', 'i-3', { app_slug: 'claude' }, 'claude');
    const cursor = connector('github', 'i-4', { app_slug: 'cursor' }, 'cursor');
    const vercel = connector('github', 'i-5', { app_slug: 'vercel' }, 'vercel');
    crawlRun(db, 'github', { installs: merge(withScopes(claude, ['contents:write']), withScopes(cursor, ['contents:write', 'pull_requests:write']),
      withScopes(vercel, ['contents:write', 'deployments:write'])) });
    reconcile(db, inventory([entry('claude', { category: 'ci-cd' }), entry('cursor')]), { now: NOW, rules: [RULE] });
    expect(subjectsOf(db, RULE)).toEqual([['i-4', 'high']]);
    const e = ev(findings(db, RULE)[0]!);
    expect(e.write_scopes.map((w: { scope: string }) => w.scope)).toEqual(['contents:write', 'pull_requests:write']);
    expect(e.classified_by).toBe('catalogue: app_slug cursor is Cursor (Cloud Agents, Bugbot) (Anysphere), source https://github.com/apps/cursor');

    // and the other way round: the inventory makes an unknown app an AI assistant
    const db2 = memDb();
    crawlRun(db2, 'github', { installs: withScopes(connector('github', 'i-6', { app_slug: 'in-house-bot' }, 'in-house-bot'), ['issues:write']) });
    reconcile(db2, inventory([entry('in-house-bot', { category: 'ai-assistant' })]), { now: NOW, rules: [RULE] });
    expect(subjectsOf(db2, RULE)).toEqual([['i-6', 'high']]);
    expect(ev(findings(db2, RULE)[0]!)).toMatchObject({ category: 'ai-assistant', category_from: 'inventory', classified_by: 'inventory entry in-house-bot (category: ai-assistant)' });
  });
});

describe('agent-personal-credential', () => {
  const RULE2 = 'agent-personal-credential';
  it('flags a person-owned token whose label names an agent, saying which field and word; never a substring of another word', () => {
    const db = memDb();
    const alice = principal('github', 'alice');
    const app = connector('github', 'i-9', { app_slug: 'x' });
    const creds = [
      credential('github', 'mcp', { credential_type: 'github_fine_grained_pat', token_name: 'mcp-server (laptop)' }),
      credential('github', 'claude', { credential_type: 'github_classic_pat', title: 'ci', note: 'used by ClaudeCode for reviews' }),
      credential('github', 'magenta', { credential_type: 'github_fine_grained_pat', token_name: 'magenta deploy', note: 'management scripts' }),
      credential('github', 'reagent', { credential_type: 'github_classic_pat', title: 'reagent-tracker', note: 'agentless tracking, reagents' }),
      credential('github', 'held-by-app', { credential_type: 'ci_secret', name: 'AGENT_TOKEN' }),
      credential('github', 'requested', { credential_type: 'github_fine_grained_pat', token_name: 'copilot', enabled: false }),
    ];
    crawlRun(db, 'github', { creds: { nodes: [alice, app, ...creds, scopeNode('github', 'repo')], edges: [
      ...creds.filter((c) => !c.id.endsWith('held-by-app')).map((c) => edge('HAS_CREDENTIAL', alice.id, c.id)),
      edge('HAS_CREDENTIAL', app.id, 'github:credential:held-by-app'), edge('HAS_SCOPE', 'github:credential:claude', 'github:scope:repo')] } });
    reconcile(db, inventory([]), { now: NOW, rules: [RULE2] });
    expect(subjectsOf(db, RULE2)).toEqual([['claude', 'medium'], ['mcp', 'low']]);
    const [claude, mcp] = findings(db, RULE2);
    expect(ev(mcp!)).toMatchObject({ field: 'token_name', word: 'mcp', value: 'mcp-server (laptop)', owner: 'alice' });
    expect(mcp!.title).toBe('alice\'s personal access token "mcp-server (laptop)" looks used by an AI agent: its token name has the word "mcp"');
    expect(ev(claude!)).toMatchObject({ field: 'note', word: 'claude', value: 'used by ClaudeCode for reviews', scopes: ['repo'], worst_scope_severity: 'high' });
  });
});
});
