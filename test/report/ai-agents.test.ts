// The report's "AI agents with access" section (docs/report.md), on both backends: which connectors are AI agents and
// how that is known (the inventory's `category:`, the category catalogue with its source, a name match), what each can
// read and change (graded by the risk catalogue), who approved it, its findings; the personal credentials flagged as
// used by an agent; hostile names escaped in HTML and Markdown; no agents: a sentence, not an empty table.
import { describe, expect, it } from 'vitest';
import { buildReportModel } from '../../reports/model.ts';
import { renderConnectorsCsv } from '../../reports/render-csv.ts';
import { renderHtml } from '../../reports/render-html.ts';
import { renderMarkdown } from '../../reports/render-markdown.ts';
import type { Db } from '../../src/graph/db.ts';
import { reconcile } from '../../src/reconcile/engine.ts';
import { describeBackends } from '../helpers/backends.ts';
import { connector, credential, crawlRun, edge, entry, inventory, merge, NOW, principal, withScopes } from '../reconcile/helpers.ts';
import { connector as smallConnector, smallGraph } from './small-graph.ts';

const MONTH = new Date().toISOString().slice(0, 7);
const EVIL = '<script>alert(1)</script>"><img src=x onerror=alert(2)>|**x**';
const report = (db: Db) => buildReportModel(db, { month: MONTH, organisation: 'Acme', now: new Date() });

describeBackends('report: AI agents with access', ({ openTestDb }) => {
  /** GitHub: Cursor (catalogue id, writes), an in-house bot the inventory calls an AI assistant (read-only), Vercel (ci-cd: not an agent),
   *  a plain app; Slack: Otter.ai (matched by name); a person's token named for an MCP server. */
  const build = (cursorName = 'cursor') => {
    const db = openTestDb();
    const cursor = connector('github', 'i-cursor', { app_slug: 'cursor' }, cursorName);
    const helper = connector('github', 'i-helper', { app_slug: 'helper-bot' }, 'helper-bot');
    const vercel = connector('github', 'i-vercel', { app_slug: 'vercel' }, 'vercel');
    const plain = connector('github', 'i-plain', { app_slug: 'plain' }, 'plain');
    const alice = principal('github', 'alice', { email: 'alice@example.com' });
    const pat = credential('github', 'mcp', { credential_type: 'github_fine_grained_pat', token_name: 'mcp-server (laptop)' });
    crawlRun(db, 'github', { installs: merge(withScopes(cursor, ['contents:write', 'pull_requests:write', 'metadata:read']),
      withScopes(helper, ['contents:read', 'metadata:read']), withScopes(vercel, ['deployments:write']), withScopes(plain, ['issues:read']),
      { nodes: [alice, pat], edges: [edge('HAS_CREDENTIAL', alice.id, pat.id)] }) });
    const otter = connector('slack', 'A0MEETREC1', { app_id: 'A0MEETREC1' }, 'Otter.ai');
    crawlRun(db, 'slack', { apps: withScopes(otter, ['channels:history', 'chat:write']) });
    reconcile(db, inventory([
      entry('cursor', { technical_owner: 'dev.lead@example.com', business_owner: 'cto@example.com', ticket: 'SEC-42' }),
      entry('helper-bot', { category: 'ai-assistant' }),
    ]), { now: NOW });
    return db;
  };

  it('lists every AI agent with how its category is known, what it reads and changes, who approved it and its findings', () => {
    const m = report(build());
    const a = (name: string) => m.aiAgents.agents.find((x) => x.name === name)!;
    expect(m.aiAgents.agents.map((x) => x.name).sort()).toEqual(['Otter.ai', 'cursor', 'helper-bot']);
    expect(a('cursor')).toMatchObject({ category: 'coding-agent', categoryFrom: 'catalogue', source: 'https://github.com/apps/cursor',
      approval: { entry: 'cursor', owners: ['dev.lead@example.com', 'cto@example.com'], ticket: 'SEC-42' } });
    expect(a('cursor').changes.map((p) => [p.scope, p.access])).toEqual([['contents:write', 'write'], ['pull_requests:write', 'write']]);
    expect(a('cursor').reads.map((p) => p.scope)).toEqual(['metadata:read']);
    expect(a('cursor').findings.map((f) => f.rule)).toContain('ai-agent-excessive-agency');
    expect(a('helper-bot')).toMatchObject({ category: 'ai-assistant', categoryFrom: 'inventory', how: 'inventory entry helper-bot (category: ai-assistant)', changes: [] });
    expect(a('helper-bot').reads.map((p) => p.scope)).toEqual(['contents:read', 'metadata:read']);
    expect(a('Otter.ai')).toMatchObject({ category: 'meeting-recorder', categoryFrom: 'name', approval: null });
    expect(a('Otter.ai').how).toMatch(/^matched by name/);
    expect(a('Otter.ai').changes.map((p) => p.scope)).toEqual(['chat:write']);
    // the agent with findings and writes first
    expect(m.aiAgents.agents[0]!.findings.length).toBeGreaterThan(0);
    expect(m.aiAgents.personalCredentials.map((c) => [c.subject, c.severity])).toEqual([['mcp', 'low']]);
    // every connector's category is in connectors.csv (vercel: ci-cd, not an agent)
    expect(m.connectors.find((c) => c.name === 'vercel')!.category).toBe('ci-cd');
    expect(m.connectors.find((c) => c.name === 'plain')!.category).toBeNull();
    expect(renderConnectorsCsv(m).split('\r\n')[0]).toMatch(/,reach,reach_privilege,category,category_how$/);
  });

  it('renders the section in HTML and Markdown', () => {
    const m = report(build());
    const html = renderHtml(m);
    expect(html).toContain('<h2 id="ai-agents">AI agents with access</h2>');
    const section = html.slice(html.indexOf('<h2 id="ai-agents">'), html.indexOf('<h2', html.indexOf('<h2 id="ai-agents">') + 5));
    expect(section.match(/<tr>/g)).toHaveLength(1 + 3 + 1 + 1); // agents' head + 3 agents, personal credentials' head + 1
    expect(section).toContain('<span class="tag">matched by name</span>');
    expect(section).toContain('Personal credentials that look used by an agent');
    const text = renderMarkdown(m);
    expect(text).toContain('## AI agents with access');
    expect(text).toMatch(/\| cursor \(github app\) \| coding-agent — catalogue: app\\_slug cursor is Cursor/);
    expect(text).toMatch(/\| Otter\.ai \(slack app\) \| meeting-recorder — matched by name: /);
    expect(text).toContain('| contents:write (write); pull\\_requests:write (write) |');
    expect(text).toContain('cursor (dev.lead@example.com, cto@example.com), ticket SEC-42');
  });

  it('hostile agent names come out inert', () => {
    const m = report(build(EVIL));
    expect(m.aiAgents.agents.some((a) => a.name === EVIL)).toBe(true);
    const html = renderHtml(m);
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const text = renderMarkdown(m);
    expect(text).not.toMatch(/<script|<img/i);
    const row = text.split('\n').find((l) => l.includes('coding-agent'))!;
    // the row keeps its seven cells: the name's | is escaped
    expect(row.split(/(?<!\\)\|/).length).toBe(9);
  });

  it('no agents: a sentence saying none, not an empty table', () => {
    const db = openTestDb();
    crawlRun(db, 'github', { installs: withScopes(connector('github', 'i-plain', { app_slug: 'plain' }, 'plain'), ['issues:read']) });
    reconcile(db, inventory([]), { now: NOW });
    const m = report(db);
    expect(m.aiAgents.agents).toEqual([]);
    const html = renderHtml(m);
    const section = html.slice(html.indexOf('<h2 id="ai-agents">'), html.indexOf('<h2', html.indexOf('<h2 id="ai-agents">') + 5));
    expect(section).toContain('None: no connector is classified as an AI agent');
    expect(section).not.toContain('<table');
    expect(renderMarkdown(m)).toContain('None: no connector is classified as an AI agent');
  });
});

describe('report: AI agents without a reconciliation', () => {
  it('classifies by the catalogue and says approvals are not known', () => {
    const db = smallGraph({ connectors: [{ ...smallConnector('github:app_installation:1', 'claude'), props: { app_slug: 'claude' } }] });
    const m = buildReportModel(db, { month: '2026-11', organisation: 'Acme', now: new Date('2026-11-12T00:00:00Z') });
    expect(m.aiAgents).toMatchObject({ reconciled: false, agents: [{ name: 'claude', category: 'coding-agent', approval: null }] });
    expect(renderMarkdown(m)).toMatch(/\| claude \(github app installation\) \|.*\| unknown \| none \|/);
  });
});
