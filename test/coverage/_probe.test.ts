import { test, expect } from 'vitest';
import { startSimCrawl } from '../helpers/sim-crawl.ts';
import { demoGoogle, fastQuotas } from '../google/fixtures.ts';
test('probe', async () => {
  const s = demoGoogle();
  const c = await startSimCrawl('google', s, { faults: [{ route: 'tokens', kind: 'status', status: 403,
    body: { error: { code: 403, message: 'Not Authorized to access this resource/api', errors: [{ message: 'Not Authorized to access this resource/api', domain: 'global', reason: 'forbidden' }] } } }] });
  const run = await c.crawl({ configPatch: fastQuotas });
  console.log(JSON.stringify(run.resources.map(r => [r.resourceType, r.status, r.listings, r.listingsFailed, r.objects, r.error]), null, 1));
  console.log(c.logs.filter(l => /unsupported|failed/.test(l)).slice(0,5).join('\n'));
  console.log(c.sim.log.filter(e => e.route === 'tokens').length);
  await c.close();
}, 60000);
