// Deterministic nightly churn of the demo company (bench/year-of-nights.ts, test/reconcile/incremental.test.ts):
// apps tried and removed, permission changes, deploy keys and service-account keys added and rotated, people
// joining and leaving. Mutates the scenario the simulators serve, in place; the same seed gives the same nights.
import type { Scenario } from '../../src/simulator/scenario.ts';

export function demoChurn(scenario: Scenario, seed = 42): (night: number, start: number) => void {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const gh = scenario.github as any; // its shapes are validated by the scenario schema
  const google = scenario.google as any;
  return (night, start) => {
    // An app tried out and removed a few days later.
    if (rnd() < 0.3) {
      const base = gh.installations[Math.floor(rnd() * 6)];
      gh.installations.push({ ...base, id: 20_000 + night, app_id: 2000 + night, app_slug: `trial-${night}`, client_id: `Iv1.t${night}` });
      gh.apps.push({ ...gh.apps[0], id: 2000 + night, slug: `trial-${night}`, name: `trial-${night}` });
    }
    if (gh.installations.length > 14 && rnd() < 0.3) {
      const gone = gh.installations.splice(12, 1)[0];
      gh.apps = gh.apps.filter((a: { id: number }) => a.id !== gone.app_id);
    }
    // A permission change on an existing installation.
    if (rnd() < 0.2) {
      const inst = gh.installations[1 + Math.floor(rnd() * 8)];
      inst.permissions = { ...inst.permissions, pull_requests: inst.permissions.pull_requests === 'write' ? 'read' : 'write' };
    }
    // Deploy keys added and rotated.
    const repos = Object.keys(gh.deployKeys ?? {});
    if (repos.length && rnd() < 0.4) {
      const keys = gh.deployKeys[repos[Math.floor(rnd() * repos.length)]!];
      if (keys.length > 2 && rnd() < 0.5) keys.shift();
      else keys.push({ ...keys[0], id: 700_000 + night, title: `ci-key-${night}`, key: `ssh-ed25519 AAAA${night}`, created_at: new Date(start + night * 86400_000).toISOString() });
    }
    // Service-account keys created and deleted.
    const saKeys = Object.keys(google.keys ?? {});
    if (saKeys.length && rnd() < 0.3) {
      const list = google.keys[saKeys[Math.floor(rnd() * saKeys.length)]!];
      if (list.length > 2 && rnd() < 0.5) list.shift();
      else if (list.length) list.push({ ...list[0], name: `${list[0].name.replace(/[^/]+$/, '')}k${night}` });
    }
    // People join and leave.
    if (rnd() < 0.15) gh.members.push({ ...gh.members[0], login: `new-hire-${night}`, id: 90_000 + night, email: null });
    if (gh.members.length > 60 && rnd() < 0.1) gh.members.splice(gh.members.length - 1, 1);
  };
}
