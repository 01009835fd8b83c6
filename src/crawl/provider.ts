// The provider spec each connectors/<provider>/index.ts registers: its config schema, how to build
// its SDK client, its HTTP policy (error classification, rate signals), its resources, its risk catalogue and its simulator.
import type { z } from 'zod';
import type { HttpPolicy, HttpRuntime } from './http-call.ts';
import type { RateBudget } from './rate-budget.ts';
import type { ResourceSpec, TenantRef } from './resource.ts';
import type { PermissionNeed, Refusal } from './permissions.ts';
import type { SimulatorHandle } from '../simulator/server.ts';
import type { Fault } from '../simulator/faults.ts';
import { registerSecretPatterns } from '../util/redact.ts';
import { registerCatalogue } from '../catalogue/registry.ts';
import type { ProviderCatalogue } from '../catalogue/types.ts';
import { registerCategories } from '../categories/registry.ts';
import type { ProviderCategories } from '../categories/types.ts';
import { registerTrustIssuer, type TrustIssuer } from '../trust/registry.ts';

export interface ProviderSimulator {
  /** Starts the provider's simulator from the scenario's block for this provider. */
  start(scenario: unknown, opts: { faults?: Fault[]; port?: number }): Promise<SimulatorHandle>;
  /** The provider config block that points the real client at a running simulator. */
  configFor(handle: SimulatorHandle, scenario: unknown): Record<string, unknown>;
  /** Environment a crawl of the simulator needs (fake credentials, CA certificates). */
  envFor?(handle: SimulatorHandle): Record<string, string>;
  /** Validates the provider's block of a scenario file (connectors/<p>/simulator/scenario-schema.ts; src/simulator/scenario-schema.ts). */
  scenarioSchema?: z.ZodType;
}

export interface ProviderSpec<Cfg = any, C = any> {
  name: string;
  description: string;
  configSchema: z.ZodType<Cfg>;
  tenants(cfg: Cfg): TenantRef[];
  httpPolicy: HttpPolicy;
  /** Documented rates to pace by (buckets the provider does not report in headers). */
  declareRates?(budget: RateBudget, cfg: Cfg): void;
  createClient(cfg: Cfg, tenant: TenantRef, http: HttpRuntime, env: NodeJS.ProcessEnv): Promise<C> | C;
  resources: ResourceSpec<C>[];
  simulator?: ProviderSimulator;
  /** Token formats the provider issues (global regular expressions): masked in every log line and error message. */
  secretPatterns?: readonly RegExp[];
  /**
   * Its risk catalogue (connectors/<p>/catalogue.ts, default export): permission grades and credential facts
   * (docs/risk-catalogue.md). The same file is loaded on its own where no connector is (src/catalogue/index.ts).
   */
  catalogue?: ProviderCatalogue;
  /**
   * Its connector-category catalogue (connectors/<p>/categories.ts, default export): which known app each identifier is
   * and what it is for (docs/reconcile.md "Connector categories"); also loaded on its own (src/categories/index.ts).
   */
  categories?: ProviderCategories;
  /** The kinds of grant its resources' `permission` names (GitHub App permission, classic PAT scope…), in table order. */
  permissionKinds?: readonly string[];
  /** Token issuers its workloads are (GitHub Actions…): what other providers' federated trusts in them name (src/trust/registry.ts). */
  trustIssuers?: readonly TrustIssuer[];
  /** Which of those kinds the configured credential uses to list `resource`; [] when the config does not list it. Default: all. */
  grantKindsFor?(cfg: Cfg, resource: ResourceSpec<C>): readonly string[];
  /**
   * Whether an error is the provider refusing the credential a permission — not a rate limit, an outage or a real
   * "not found" (a 404 counts only where the resource's `permission.refusedAs404` says the API hides refusals so).
   */
  refusal?(err: unknown, need: PermissionNeed | undefined): Refusal | null;
}

const registry = new Map<string, ProviderSpec>();

export function registerProvider(spec: ProviderSpec): void {
  registry.set(spec.name, spec);
  if (spec.secretPatterns) registerSecretPatterns(spec.secretPatterns);
  if (spec.catalogue) registerCatalogue(spec.catalogue);
  if (spec.categories) registerCategories(spec.categories);
  for (const t of spec.trustIssuers ?? []) registerTrustIssuer(t);
}

export function getProvider(name: string): ProviderSpec | undefined {
  return registry.get(name);
}

export function allProviders(): ProviderSpec[] {
  return [...registry.values()];
}
