// Issue 14, "what happens today" (a): Google answers tokens.list with 403 `forbidden` for every user (the
// scope admin.directory.user.security is not delegated). A fan-out resource whose per-parent listings were
// refused is not complete: the ledger, `runs -f json` and the report's coverage notice all say so, naming the scope.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildReportModel } from '../../reports/model.ts';
import { renderMarkdown } from '../../reports/render-markdown.ts';
import type { CrawlSummary } from '../../src/crawl/engine.ts';
import { inProcess } from '../hardening/cli-in-process.ts';
import { rows, startSimCrawl, type SimCrawl } from '../helpers/sim-crawl.ts';
import { demoGoogle, fastQuotas } from '../google/fixtures.ts';

const FORBIDDEN = { error: { code: 403, message: 'Not Authorized to access this resource/api',
  errors: [{ message: 'Not Authorized to access this resource/api', domain: 'global', reason: 'forbidden' }] } };
const SCOPE = 'admin.directory.user.security';

let c: SimCrawl;
let run: CrawlSummary;
beforeAll(async () => {
  // the demo company as it is: its users include deleted ones, whose grants are not asked for (nothing refuses them)
  c = await startSimCrawl('google', demoGoogle(), { faults: [{ route: 'tokens', kind: 'status', status: 403, body: FORBIDDEN }] });
  run = await c.crawl({ configPatch: fastQuotas });
});
afterAll(async () => { await c?.close(); });

describe('a fan-out listing refused for every parent', () => {
  it('is recorded in the ledger as unsupported, naming the scope — never complete', () => {
    expect(c.sim.log.filter((e) => e.route === 'tokens' && e.status === 403).length).toBeGreaterThan(1);
    const [tok] = rows<{ status: string; error: string | null }>(c.db,
      "SELECT status, error FROM run_resources WHERE run_id = ? AND resource_type = 'google.oauth_tokens'", run.runId);
    expect(tok!.status).toBe('unsupported');
    expect(tok!.error).toContain(SCOPE);
    expect(run.resources.find((r) => r.resourceType === 'google.oauth_tokens')!.status).toBe('unsupported');
  });

  it('`runs --run N -f json` does not say complete', async () => {
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => { out.push(String(s)); return true; });
    try {
      expect((await inProcess(['runs', '--db', c.dbFile, '--run', String(run.runId), '-f', 'json'])).code).toBe(0);
    } finally { spy.mockRestore(); }
    const ledger = JSON.parse(out.join('')) as Array<{ resource_type: string; status: string; error: string | null }>;
    const tok = ledger.find((r) => r.resource_type === 'google.oauth_tokens')!;
    expect(tok.status).not.toBe('complete');
    expect(tok.error).toContain(SCOPE);
  });

  it('the report\'s coverage notice names the listing and the scope to grant', () => {
    const month = new Date().toISOString().slice(0, 7);
    const m = buildReportModel(c.db, { month, organisation: 'Halcyon' });
    const notice = m.warnings.find((w) => w.includes('google.oauth_tokens'));
    expect(notice).toBeDefined();
    expect(notice).toContain(SCOPE);
    const md = renderMarkdown(m);
    const first = md.slice(md.indexOf('Read this first'), md.indexOf('## Crawl runs'));
    expect(first).toContain('google.oauth\\_tokens');
    expect(first).toContain(SCOPE);
  });
});
