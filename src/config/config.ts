// The nhi-census.yaml config: database path, defaults, and one block per provider (validated by the
// provider's own zod schema). Credentials never live in the file: it names environment variables, and a
// token-shaped value anywhere is refused (src/config/secret-values.ts). Unknown keys are errors everywhere,
// with the closest known key suggested: a typo never silently turns a feature off.
import fs from 'node:fs';
import { z } from 'zod';
import { InputError, issuePath, parseYamlFile, parseWithHints, formatIssues, type ParsedYaml } from './yaml-errors.ts';
import { envVarName, secretIssues } from './secret-values.ts';
import type { ProviderSpec } from '../crawl/provider.ts';
import { unknownMessage } from '../util/did-you-mean.ts';
import { redactSecrets } from '../util/redact.ts';

const SEVERITY = z.enum(['critical', 'high', 'medium', 'low', 'info']);
const ENV_NAME = envVarName();

/** `schedule:` — incremental crawls by default, a full one when the last full crawl is older than this. */
export const scheduleConfigSchema = z.object({
  fullCrawlEveryDays: z.number().min(0).default(7),
}).strict();

/** `alerts:` — one digest per run to each configured channel. Secrets are named env vars, never values. */
export const alertsConfigSchema = z.object({
  minSeverity: SEVERITY.default('high'),
  announceResolved: z.boolean().default(false),
  /** Alert when a provider crawl failed or went partial. */
  crawlProblems: z.boolean().default(true),
  retry: z.object({ attempts: z.number().int().min(1).max(10).default(4), baseDelayMs: z.number().int().min(0).default(1000) }).strict().default({ attempts: 4, baseDelayMs: 1000 }),
  timeoutMs: z.number().int().min(100).default(10_000),
  slack: z.object({ webhookUrlEnv: ENV_NAME }).strict().optional(),
  webhook: z.object({ urlEnv: ENV_NAME, secretEnv: ENV_NAME }).strict().optional(),
  email: z.object({
    host: z.string(),
    port: z.number().int().min(1).max(65535).default(587),
    secure: z.boolean().default(false),
    from: z.string(),
    to: z.array(z.string()).min(1),
    user: z.string().optional(),
    passwordEnv: ENV_NAME.optional(),
    /** Accept self-signed certificates (test servers only). */
    allowInsecureTls: z.boolean().default(false),
  }).strict().optional(),
}).strict();

export const reportConfigSchema = z.object({
  /** Reports are written to <dir>/<YYYY-MM>/. */
  dir: z.string().default('reports-out'),
}).strict();

export const lockConfigSchema = z.object({
  /** A lock whose holder has not refreshed it for this long is taken over (any host). */
  staleAfterSeconds: z.number().int().min(10).default(3600),
}).strict();

export type AlertsConfig = z.infer<typeof alertsConfigSchema>;

export const baseConfigSchema = z.object({
  database: z.string().default('nhi-census.db'),
  /** The organisation's name in reports and alerts; never invented (the report falls back to the inventory's, else refuses). */
  organisation: z.string().trim().min(1).optional(),
  concurrency: z.number().int().min(1).max(64).default(8),
  inventory: z.string().optional(),
  /** Longest wait for a provider's rate-limit reset before the call fails (seconds). */
  maxRateWaitSeconds: z.number().int().min(0).default(3600),
  /** Most pages one listing may read; past it the listing fails as a paging loop (src/crawl/page-guard.ts). */
  maxPagesPerListing: z.number().int().min(1).default(100_000),
  /** Retries of a failed API call (5xx, network, rate limits) and the backoff base. */
  retry: z.object({
    maxRetries: z.number().int().min(0).max(20).optional(),
    baseDelayMs: z.number().int().min(0).optional(),
    maxDelayMs: z.number().int().min(0).optional(),
  }).strict().default({}),
  providers: z.record(z.string(), z.unknown()).default({}),
  // Scheduled operation (`nhi-census run`, docs/operations.md).
  schedule: scheduleConfigSchema.default({ fullCrawlEveryDays: 7 }),
  alerts: alertsConfigSchema.optional(),
  report: reportConfigSchema.default({ dir: 'reports-out' }),
  lock: lockConfigSchema.default({ staleAfterSeconds: 3600 }),
  // Federated trust (issue 19, docs/blast-radius.md): the token issuers a cloud identity may trust. Each entry is an
  // issuer URL or a registered issuer kind ('github-actions'); absent: every issuer of a registered kind is trusted.
  trust: z.object({ issuers: z.array(z.string().trim().min(1)).optional() }).strict().optional(),
}).strict();

export type BaseConfig = z.infer<typeof baseConfigSchema>;

export interface LoadedConfig {
  file: string | null;
  base: BaseConfig;
  /**
   * provider name -> validated provider config: `config` is the first enabled block, `configs` every enabled block
   * (`providers.<name>` may be one block or a list of blocks; src/crawl/targets.ts lists their tenants).
   */
  providers: Map<string, { spec: ProviderSpec; config: any; configs: any[] }>;
  raw: Record<string, unknown>;
}

export function loadConfig(file: string | null, specs: ProviderSpec[], overrides: Record<string, unknown> = {}): LoadedConfig {
  let parsed: ParsedYaml | null = null;
  let value: unknown = {};
  const name = file ?? '(defaults)';
  if (file) {
    if (!fs.existsSync(file)) throw new InputError(`${file}: config file not found`);
    parsed = parseYamlFile(file, fs.readFileSync(file, 'utf8'));
    value = parsed.value ?? {};
  }
  const merged = { ...(value as object), ...overrides };
  return configFromObject(merged, specs, name, parsed);
}

export function configFromObject(value: unknown, specs: ProviderSpec[], name = '(config)', parsed: ParsedYaml | null = null): LoadedConfig {
  // (masked once more: no message may repeat a credential, even one inside a key or a path)
  const fmt = (issues: z.core.$ZodIssue[], prefix: PropertyKey[] = []) =>
    (parsed ? formatIssues(name, parsed, issues.map((i) => ({ ...i, path: [...prefix, ...i.path] })))
      : issues.map((i) => `${name}: ${[...prefix, ...issuePath(i)].map(String).join('.') || '(document)'}: ${i.message}`)).map((m) => redactSecrets(m));
  const invalid = (errors: string[]) => new InputError(`${name}: invalid config:\n  ${errors.join('\n  ')}`, errors);
  const secrets = secretIssues(value) as z.core.$ZodIssue[];
  if (secrets.length) throw invalid(fmt(secrets));
  const r = parseWithHints(baseConfigSchema, value);
  const errors: string[] = r.success ? [] : fmt(r.error.issues);
  // provider blocks are checked even when the rest is wrong, so one pass lists every error
  const blocks = r.success ? r.data.providers : providersOf(value);
  const providers = new Map<string, { spec: ProviderSpec; config: any; configs: any[] }>();
  for (const [pname, block] of Object.entries(blocks)) {
    const spec = specs.find((s) => s.name === pname);
    if (!spec) {
      errors.push(...fmt([{ code: 'custom', path: [], message: unknownMessage('provider', pname, specs.map((s) => s.name)), input: block } as z.core.$ZodIssue], ['providers', pname]));
      continue;
    }
    // a provider block may be a list of blocks (one per set of credentials/tenants), each validated on its own
    const list = Array.isArray(block) ? block : [block];
    const configs: any[] = [];
    const seen = new Map<string, number>(); // tenant id -> the block (index) that yields it
    for (const [i, item] of list.entries()) {
      const at = Array.isArray(block) ? ['providers', pname, i] : ['providers', pname];
      const where = Array.isArray(block) ? `providers.${pname}[${i}]` : `providers.${pname}`;
      // `enabled: false` switches a configured block off; `enabled` is not part of the provider's own schema
      let settings = item ?? {};
      if (settings && typeof settings === 'object' && typeof (settings as { enabled?: unknown }).enabled === 'boolean') {
        const { enabled, ...rest } = settings as { enabled: boolean };
        if (!enabled) continue;
        settings = rest;
      }
      const pr = parseWithHints(spec.configSchema, settings);
      if (!pr.success) { errors.push(...fmt(pr.error.issues, at)); continue; }
      // two blocks crawling the same tenant would overwrite each other's evidence
      for (const t of spec.tenants(pr.data)) {
        const id = t.id.toLowerCase();
        const other = seen.get(id);
        if (other !== undefined && other !== i) {
          errors.push(...fmt([{ code: 'custom', path: [], message: `tenant ${t.id} is configured twice: in providers.${pname}[${other}] and ${where}`, input: item } as z.core.$ZodIssue], at));
        } else seen.set(id, i);
      }
      configs.push(pr.data);
    }
    if (configs.length) providers.set(pname, { spec, config: configs[0], configs });
  }
  if (errors.length || !r.success) throw invalid(errors);
  const base = r.data;
  return { file: parsed ? name : null, base, providers, raw: value as Record<string, unknown> };
}

function providersOf(value: unknown): Record<string, unknown> {
  const p = value && typeof value === 'object' ? (value as { providers?: unknown }).providers : undefined;
  return p && typeof p === 'object' && !Array.isArray(p) ? p as Record<string, unknown> : {};
}

/** Reads a credential from the environment variable the config names; never from the file. */
export function envSecret(env: NodeJS.ProcessEnv, varName: string | undefined, what: string): string {
  if (!varName) throw new InputError(`${what}: no environment variable configured`);
  const v = env[varName];
  if (!v) throw new InputError(`${what}: environment variable ${varName} is not set`);
  return v;
}
