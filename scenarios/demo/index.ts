// The bundled demo scenario: one block per provider, all describing the same company.
import type { Scenario } from '../../src/simulator/scenario.ts';
import { buildGithubScenario } from './github.ts';
import { buildGoogleScenario } from './google.ts';
import { buildSlackScenario } from './slack.ts';
import { buildAzureScenario } from './azure.ts';

export function buildDemoScenario(): Scenario {
  return {
    name: 'Halcyon Logistics',
    github: buildGithubScenario(),
    google: buildGoogleScenario(),
    slack: buildSlackScenario(),
    azure: buildAzureScenario(),
  };
}
