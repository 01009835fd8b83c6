// `nhi-census sim`: start the provider simulators from a scenario file (or the bundled demo), print
// their base URLs and a config that points nhi-census at them, and stay up until interrupted.
import type { Command } from 'commander';
import YAML from 'yaml';
import { loadConnectors } from '../crawl/load-connectors.ts';
import { loadScenarioFile } from '../simulator/scenario.ts';
import { faultsFromEnv } from '../simulator/faults.ts';
import { startScenario } from '../simulator/start-all.ts';
import { buildDemoScenario } from '../../scenarios/demo/index.ts';
import { out } from './common.ts';

export function registerSim(program: Command): void {
  program.command('sim')
    .description('start the provider simulators on 127.0.0.1 and stay up (Ctrl-C to stop)')
    .option('-s, --scenario <file>', 'scenario file (YAML or JSON); default: the bundled demo company')
    .option('--dump-scenario', 'print the bundled demo scenario as YAML and exit (a starting point for your own)')
    .addHelpText('after', '\nFaults can be injected with NHI_SIM_FAULTS=\'[{"route":"deploy-keys","kind":"status","status":500}]\'.\nThe scenario format is documented in docs/scenarios.md.')
    .action(async (opts: { scenario?: string; dumpScenario?: boolean }) => {
      const specs = await loadConnectors();
      const scenario = opts.scenario ? loadScenarioFile(opts.scenario, specs) : buildDemoScenario();
      if (opts.dumpScenario) { out(YAML.stringify(scenario)); return; }
      const sims = await startScenario(scenario, specs, { faults: faultsFromEnv() });
      for (const [name, h] of sims.handles) out(`${name}: ${h.url}`);
      out('\n# nhi-census.yaml for these simulators:\n' + YAML.stringify({ database: 'nhi-census.db', providers: sims.providers }));
      out('# environment (simulated credentials, no real secrets):\n' + Object.entries(sims.env).map(([k, v]) => `export ${k}=${JSON.stringify(v)}`).join('\n'));
      await new Promise<void>((resolve) => { process.once('SIGINT', resolve); process.once('SIGTERM', resolve); });
      await sims.close();
    });
}
