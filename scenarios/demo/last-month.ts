// The demo company as it was a month earlier, so the demo's report has a previous report to compare
// with. Derived from the current scenario by undoing this month's changes (GitHub only; other providers
// are the same both months):
//  - the `vercel` app was installed this month (new connector);
//  - the webhook on `customer-portal` to collector.data-sync.io was added this month (new connector);
//  - `deployhub-pro` gained organization_administration:write this month (scope change);
//  - an `old-ci-runner` app was still installed last month and uninstalled since (removed connector).
import type { Scenario } from '../../src/simulator/scenario.ts';
import type { GithubScenario } from '../../connectors/github/simulator/scenario.ts';
import { planted } from './github.ts';

export function lastMonthScenario(current: Scenario): Scenario {
  const gh = structuredClone(current.github) as GithubScenario | undefined;
  if (!gh) return current;
  gh.installations = (gh.installations ?? []).filter((i) => i.app_slug !== 'vercel').map((i) => {
    if (i.app_slug !== planted.adminApp) return i;
    const { organization_administration: _added, ...permissions } = i.permissions as Record<string, string>;
    return { ...i, permissions: permissions as never };
  });
  const template = gh.installations[0]!;
  gh.installations.push({ ...template, id: 9900, app_id: 399, app_slug: 'old-ci-runner', client_id: 'Iv1.old0ci',
    permissions: { contents: 'read', statuses: 'write', metadata: 'read' } as never, repository_selection: 'all', suspended_at: null });
  gh.apps = [...(gh.apps ?? []), { ...gh.apps![0]!, id: 399, slug: 'old-ci-runner', name: 'old-ci-runner' }];
  if (gh.repoHooks?.['customer-portal']) {
    gh.repoHooks['customer-portal'] = gh.repoHooks['customer-portal'].filter((h) => !String(h.config.url ?? '').includes(planted.unknownWebhookHost));
  }
  return { ...current, github: gh };
}
