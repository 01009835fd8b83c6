// Starts one simulator per provider block in a scenario (providers that register a simulator), and
// returns the config and environment that point the real clients at them.
import type { ProviderSpec } from '../crawl/provider.ts';
import type { Fault } from './faults.ts';
import type { Scenario } from './scenario.ts';
import type { SimulatorHandle } from './server.ts';

export interface RunningSimulators {
  handles: Map<string, SimulatorHandle>;
  /** `providers:` block for the config. */
  providers: Record<string, Record<string, unknown>>;
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startScenario(scenario: Scenario, specs: ProviderSpec[], opts: { faults?: Fault[]; only?: string[] } = {}): Promise<RunningSimulators> {
  const handles = new Map<string, SimulatorHandle>();
  const providers: Record<string, Record<string, unknown>> = {};
  const env: Record<string, string> = {};
  const faults = [...(scenario.faults ?? []), ...(opts.faults ?? [])];
  try {
    for (const spec of specs) {
      const block = scenario[spec.name];
      if (!block || !spec.simulator || (opts.only && !opts.only.includes(spec.name))) continue;
      const mine = faults.filter((f) => !(f as Fault & { provider?: string }).provider || (f as Fault & { provider?: string }).provider === spec.name);
      const handle = await spec.simulator.start(block, { faults: mine });
      handles.set(spec.name, handle);
      providers[spec.name] = spec.simulator.configFor(handle, block);
      Object.assign(env, spec.simulator.envFor?.(handle) ?? {});
    }
  } catch (err) {
    await Promise.all([...handles.values()].map((h) => h.close()));
    throw err;
  }
  return { handles, providers, env, close: async () => { await Promise.all([...handles.values()].map((h) => h.close())); } };
}
