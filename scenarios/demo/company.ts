// The simulated company behind the demo scenario: Halcyon Logistics, ~60 people, the repositories
// they work on, and who has left (departed people are gone from GitHub, deleted in Slack, suspended in
// Google and disabled in Entra — each provider's scenario derives its users from this one list).
export interface Person { name: string; email: string; github: string; departed?: boolean; admin?: boolean; dept: string }

const first = ['Maya', 'Ana', 'Jide', 'Linh', 'Dieter', 'Priya', 'Tom', 'Rafal', 'Sofia', 'Kenji', 'Amara', 'Lucas', 'Nora', 'Omar',
  'Ines', 'Felix', 'Grace', 'Hugo', 'Isla', 'Jonas', 'Kira', 'Leo', 'Mira', 'Noah', 'Olga', 'Pablo', 'Quinn', 'Rosa', 'Sami', 'Tara'];
const last = ['Chen', 'Santos', 'Okafor', 'Nguyen', 'Muller', 'Kumar', 'Brooks', 'Kowalski', 'Rossi', 'Tanaka', 'Diallo', 'Martin',
  'Berg', 'Haddad', 'Silva', 'Wagner', 'Lee', 'Moreau', 'Reid', 'Fischer', 'Ivanova', 'Costa', 'Patel', 'Smith', 'Popova', 'Garcia',
  'Walsh', 'Lopez', 'Aziz', 'Singh'];
const depts = ['engineering', 'platform', 'security', 'data', 'finance', 'sales', 'support', 'people'];

function person(i: number): Person {
  const f = first[i % first.length]!;
  const l = last[(i * 7 + Math.floor(i / first.length)) % last.length]!;
  const base = i < 8 ? ['mchen', 'asantos', 'jokafor', 'lnguyen', 'dmuller', 'pkumar', 'tbrooks', 'rkowalski'][i]! : `${f[0]}${l}`.toLowerCase() + (i >= 30 ? i : '');
  const [fn, ln] = i < 8 ? [['Maya', 'Ana', 'Jide', 'Linh', 'Dieter', 'Priya', 'Tom', 'Rafal'][i]!, ['Chen', 'Santos', 'Okafor', 'Nguyen', 'Muller', 'Kumar', 'Brooks', 'Kowalski'][i]!] : [f, l];
  return {
    name: `${fn} ${ln}`, github: base, email: `${fn.toLowerCase()}.${ln.toLowerCase()}${i >= 30 ? i : ''}@halcyon-logistics.com`,
    dept: depts[i % depts.length]!, admin: i < 2, departed: i === 7 || i === 23 || i === 41,
  };
}

const all = Array.from({ length: 60 }, (_, i) => person(i));

export const company = {
  name: 'Halcyon Logistics',
  domain: 'halcyon-logistics.com',
  /** Everyone who works there now (GitHub members are these). */
  people: all.filter((p) => !p.departed),
  /** Everyone, including those who left (Slack, Google and Entra still hold their accounts). */
  everyone: all,
  departed: all.filter((p) => p.departed),
  repos: ['billing-api', 'customer-portal', 'infra-terraform', 'release-tools', 'docs-site', 'design-system', 'sdk-js', 'alerting',
    'route-planner', 'fleet-tracker', 'warehouse-ui', 'pricing-engine', 'data-pipeline', 'ml-forecast', 'auth-service', 'mobile-app',
    'driver-app', 'edi-gateway', 'invoice-renderer', 'customs-docs', 'carrier-api', 'ops-dashboard', 'k8s-manifests', 'helm-charts',
    'terraform-modules', 'security-tools', 'incident-runbooks', 'load-tests', 'event-bus', 'notification-service', 'geo-service',
    'label-printer', 'returns-portal', 'partner-portal', 'reporting', 'etl-jobs', 'feature-flags', 'search-service', 'audit-log',
    'payments-gateway', 'tax-service', 'status-page'],
};

/** The demo's "today": every date in the demo scenarios is relative to it, so the data is the same on every machine. */
export const DEMO_NOW = '2026-11-20T09:00:00Z';
const DAY_MS = 86400_000;
let anchorMs = Date.parse(DEMO_NOW);
/** The instant the scenario's relative dates count from: DEMO_NOW unless the demo command dated it today (today.ts). */
export const demoClock = (): number => anchorMs;
/** Moves the scenario clock (scenarios built afterwards are dated relative to `atMs`); tests keep DEMO_NOW. */
export function setDemoClock(atMs: number): void { anchorMs = atMs; }
export const daysAgo = (d: number): string => new Date(anchorMs - d * DAY_MS).toISOString();
export const daysAhead = (d: number): string => new Date(anchorMs + d * DAY_MS).toISOString();

/** Deterministic PRNG (mulberry32) so scenarios are the same on every machine. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
