// Issue 19 item 4: the connector-category catalogue kept beside each connector (connectors/<p>/categories.ts) — every
// entry has a public source URL, a known category and either a verified identifier or the names it matches by — and
// the pieces the AI-agent rules rest on: whole-word matching and the risk catalogue's agency flags (§5.10).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogueCategory, classifyConnector, isCategory, registeredCategories } from '../../src/categories/index.ts';
import { containsPhrase, wordsOf } from '../../src/categories/words.ts';
import { scopeAgency } from '../../src/catalogue/index.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('connector-category catalogue', () => {
  it('every provider folder has one, registered through its spec; every entry has a source URL, a known category and a key', async () => {
    const providers = fs.readdirSync(path.join(ROOT, 'connectors'), { withFileTypes: true })
      .filter((d) => d.isDirectory() && fs.existsSync(path.join(ROOT, 'connectors', d.name, 'index.ts'))).map((d) => d.name).sort();
    expect(registeredCategories().map((c) => c.provider)).toEqual(providers);
    let total = 0;
    for (const c of registeredCategories()) {
      expect(c.keyFields.length, c.provider).toBeGreaterThan(0);
      const ids = new Set<string>();
      for (const e of c.entries) {
        total++;
        const what = `${c.provider}: ${e.product}`;
        expect(isCategory(e.category), what).toBe(true);
        expect(new URL(e.source).protocol, what).toBe('https:');
        expect(e.publisher, what).toBeTruthy();
        if ((e.match ?? 'id') === 'id') {
          expect(e.id, what).toBeTruthy();
          expect(ids.has(e.id!.toLowerCase()), `${what}: duplicate id`).toBe(false);
          ids.add(e.id!.toLowerCase());
        } else {
          expect(e.names?.length, what).toBeGreaterThan(0);
          expect(e.id, what).toBeUndefined();
        }
      }
    }
    expect(total).toBeGreaterThanOrEqual(10);
    expect(total).toBeLessThanOrEqual(25);
    const { loadConnectors } = await import('../../src/crawl/load-connectors.ts');
    for (const spec of await loadConnectors()) expect(spec.categories, spec.name).toBe(registeredCategories().find((c) => c.provider === spec.name));
  });

  it('classifies by key (case-insensitive), else by whole-word name, and the inventory category wins', () => {
    expect(catalogueCategory({ provider: 'github', name: 'x', props: { app_slug: 'CodeRabbitAI' } })).toMatchObject({ category: 'coding-agent', match: 'id', source: 'https://github.com/apps/coderabbitai' });
    expect(catalogueCategory({ provider: 'slack', name: 'OtterPilot for Slack', props: { app_id: 'A0X' } })).toMatchObject({ category: 'meeting-recorder', match: 'name', matched: 'OtterPilot' });
    expect(catalogueCategory({ provider: 'slack', name: 'Hotter AI', props: {} })).toBeNull();
    expect(catalogueCategory({ provider: 'google', name: 'Calendar sync', props: {}, vendor: 'Otter.ai' })).toMatchObject({ field: 'vendor', match: 'name' });
    expect(classifyConnector({ provider: 'github', name: 'claude', props: { app_slug: 'claude' } }, { id: 'e', category: 'security' })).toMatchObject({ category: 'security', via: 'inventory' });
    expect(classifyConnector({ provider: 'github', name: 'unknown', props: { app_slug: 'unknown' } }, { id: 'e' })).toBeNull();
  });

  it('matches whole words only', () => {
    expect(wordsOf('ChatGPT-4o MCPServer ci_agent')).toEqual(['chat', 'gpt', '4', 'o', 'mcp', 'server', 'ci', 'agent']);
    for (const t of ['magenta', 'management', 'reagent', 'Agentless']) expect(wordsOf(t)).not.toContain('agent');
    expect(containsPhrase('Otter.ai Notetaker', 'Otter.ai')).toBe(true);
    expect(containsPhrase('Potter.ai', 'Otter.ai')).toBe(false);
  });

  it('the risk catalogue says what a permission lets an agent do (§5.10)', () => {
    expect(scopeAgency('slack', 'files:read')).toEqual({ access: 'read', broad: 'all files' });
    expect(scopeAgency('slack', 'chat:write')).toEqual({ access: 'write' });
    expect(scopeAgency('slack', 'admin.users:write')).toEqual({ access: 'admin' });
    expect(scopeAgency('github', 'contents:read')).toEqual({ access: 'read' });
    expect(scopeAgency('github', 'administration:write')).toEqual({ access: 'admin' });
    expect(scopeAgency('github', 'repo')).toEqual({ access: 'write' });
    expect(scopeAgency('google', 'https://www.googleapis.com/auth/gmail.readonly')).toEqual({ access: 'read', broad: 'all mail' });
    expect(scopeAgency('google', 'drive')).toEqual({ access: 'write', broad: 'all files' });
    expect(scopeAgency('google', 'roles/viewer')).toEqual({ access: 'read', broad: 'every resource of the project' });
    expect(scopeAgency('azure', 'Mail.Read (application)')).toEqual({ access: 'read', broad: 'all mail' });
    expect(scopeAgency('azure', 'Directory.ReadWrite.All')).toEqual({ access: 'admin', broad: 'the directory' });
    expect(scopeAgency('azure', 'Owner')).toEqual({ access: 'admin' });
    expect(scopeAgency('azure', 'Files.Read.All (delegated)')).toEqual({ access: 'read', broad: 'all files' });
    // hostile scope names are just unknown scopes
    for (const p of ['slack', 'google', 'github']) for (const s of ['constructor', '__proto__', 'toString']) expect(scopeAgency(p, s), `${p} ${s}`).toBeUndefined();
  });
});
