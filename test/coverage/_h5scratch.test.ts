import { test } from 'vitest';
import { buildDemoScenario } from '../../scenarios/demo/index.ts';
import { runContract } from '../helpers/contract.ts';
test('x', async () => {
  const demo = buildDemoScenario() as Record<string, unknown>;
  for (const p of ['github', 'google', 'azure']) {
    const r = await runContract(p, demo[p]);
    for (const [t, f] of r.reads) console.log('READS', p, t, r.summary.resources.find((x) => x.resourceType === t)?.status, (r.served.get(t) ?? []).length, JSON.stringify([...f].sort()));
    await r.close();
  }
}, 300000);
