// GitHub provider config block (nhi-census.yaml `providers.github`). Secrets come from the environment.
import { z } from 'zod';
import { envVarName } from '../../src/config/secret-values.ts';

export const githubConfigSchema = z.object({
  /** API root: https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server. */
  baseUrl: z.string().url().default('https://api.github.com'),
  orgs: z.array(z.string().min(1)).min(1, 'list at least one organisation login'),
  /** GitHub App auth (preferred, read-only permissions): the only auth that can list fine-grained PAT grants. */
  app: z.object({
    appId: z.union([z.string(), z.number()]).transform(String),
    installationId: z.union([z.string(), z.number()]).transform(String).optional(),
    privateKeyFile: z.string().optional(),
    privateKeyEnv: envVarName().default('GITHUB_APP_PRIVATE_KEY'),
  }).strict().optional(),
  /** Token auth (classic/fine-grained PAT of an org owner): used alone, or beside an app for user-only endpoints. */
  tokenEnv: envVarName().default('GITHUB_TOKEN'),
  perPage: z.number().int().min(1).max(100).default(100),
  concurrency: z.number().int().min(1).max(100).optional(),
  /**
   * 'graphql' (default): one GraphQL query per 50 repositories says which repositories' deploy keys changed since the
   * last run; only those (and, on full crawls, every repository with keys) are listed through REST. 'rest': every repository.
   */
  deployKeysVia: z.enum(['graphql', 'rest']).default('graphql'),
  /**
   * 'audit-log' (default): on incremental crawls the organisation audit log (GitHub Enterprise Cloud) says which
   * repositories' webhooks changed since the last crawl; only those (and new ones) are listed. Without the log, or on
   * full crawls, every repository is listed with conditional requests. 'rest': every repository, always.
   */
  repoHooksVia: z.enum(['audit-log', 'rest']).default('audit-log'),
}).strict();

export type GithubConfig = z.infer<typeof githubConfigSchema>;
