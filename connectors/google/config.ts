// Google provider config block (nhi-census.yaml `providers.google`): one Workspace customer and the Cloud
// projects its crawl credential can see. Key material comes from a file or the environment, never the config.
import { z } from 'zod';
import { envVarName } from '../../src/config/secret-values.ts';

const perMinute = (def: number) => z.number().int().min(1).default(def);

export const googleConfigSchema = z.object({
  /** The Workspace primary domain: the tenant id in node ids and the run ledger. */
  domain: z.string().min(1).transform((d) => d.toLowerCase()),
  /** Directory customer key: `my_customer` (the impersonated admin's) or the customer id (C0…). */
  customer: z.string().min(1).default('my_customer'),
  /** API origin for every Google API (a private endpoint, or the simulator). Only the origin is used. */
  rootUrl: z.string().url().optional(),
  auth: z.object({
    /** Service-account key file (JSON) of the crawl identity. */
    keyFile: z.string().optional(),
    /** …or the same JSON in this environment variable. */
    keyEnv: envVarName().default('GOOGLE_SERVICE_ACCOUNT_KEY'),
    /** The admin that domain-wide delegation impersonates for the Admin SDK (required for Workspace). */
    subject: z.string().email().optional(),
    /** A ready OAuth access token in this environment variable (short-lived tokens minted elsewhere; the simulator). */
    accessTokenEnv: envVarName().optional(),
  }).strict().prefault({}),
  /** Crawl Workspace (users, OAuth grants) and/or Cloud (projects, service accounts, keys, IAM). */
  workspace: z.boolean().default(true),
  cloud: z.boolean().default(true),
  /** `projects.search` query (e.g. `parent:organizations/123`); empty = every project the credential can see. */
  projectQuery: z.string().default(''),
  pageSize: z.object({
    users: z.number().int().min(1).max(500).default(500),
    activities: z.number().int().min(1).max(1000).default(1000),
    projects: z.number().int().min(1).max(1000).default(500),
    serviceAccounts: z.number().int().min(1).max(100).default(100),
    workloadIdentityPools: z.number().int().min(1).max(1000).default(1000),
    workloadIdentityPoolProviders: z.number().int().min(1).max(100).default(100),
  }).strict().prefault({}),
  /** Per-minute quotas to pace by (Google only answers 429 / 403 rateLimitExceeded; raise them if yours are higher). */
  quotas: z.object({
    directory: perMinute(2400),
    reports: perMinute(2400),
    iam: perMinute(6000),
    resourceManager: perMinute(600),
    logging: perMinute(60),
  }).strict().prefault({}),
  /** Incremental crawls re-read this much of the Cloud Admin Activity audit log before each listing's watermark. */
  cloudAuditOverlapMinutes: z.number().int().min(0).default(60),
  /** A listing whose watermark is older than this is read in full instead of from the audit log (which keeps 400 days). */
  cloudAuditMaxAgeDays: z.number().int().min(1).max(400).default(30),
  /** Incremental crawls re-read this much of the token audit log before the last watermark (events arrive late). */
  tokenEventsOverlapMinutes: z.number().int().min(0).default(1440),
  /** A full crawl reads this many days of authorize events to date each grant (the audit log keeps about 180). */
  tokenEventsLookbackDays: z.number().int().min(0).max(400).default(180),
  /** Days of `activity` events a full crawl reads to estimate each grant's last use (high volume; 0 = never read them). */
  tokenUsageLookbackDays: z.number().int().min(0).max(180).default(30),
  concurrency: z.number().int().min(1).max(100).optional(),
}).strict();

export type GoogleConfig = z.infer<typeof googleConfigSchema>;
