// Starts the Google simulator: the routes above plus Google's per-minute quotas per API (Directory and
// Reports answer 403 rateLimitExceeded, IAM and Resource Manager 429 RESOURCE_EXHAUSTED, each with
// Retry-After), bearer auth that accepts any token, and the framework's faults ('next' rewrites nextPageToken).
import { startSimulator, type SimResponse, type SimulatorHandle } from '../../../src/simulator/server.ts';
import type { Fault } from '../../../src/simulator/faults.ts';
import { selfCursor } from '../../../src/simulator/paging.ts';
import { googleError, googleRoutes } from './routes.ts';
import type { GoogleScenario, SimQuota } from './scenario.ts';

const DEFAULT_QUOTAS: Record<'directory' | 'reports' | 'iam' | 'resourceManager' | 'logging', SimQuota> = {
  directory: { limit: 2400, windowMs: 60_000, answer: 403 },
  reports: { limit: 2400, windowMs: 60_000, answer: 403 },
  iam: { limit: 6000, windowMs: 60_000, answer: 429 },
  resourceManager: { limit: 600, windowMs: 60_000, answer: 429 },
  logging: { limit: 60, windowMs: 60_000, answer: 429 },
};

export function apiOf(path: string): keyof typeof DEFAULT_QUOTAS | null {
  if (path.startsWith('/admin/directory/')) return 'directory';
  if (path.startsWith('/admin/reports/')) return 'reports';
  if (path.startsWith('/v1/projects/')) return 'iam';
  if (path.startsWith('/v3/')) return 'resourceManager';
  if (path.startsWith('/v2/entries')) return 'logging';
  return null;
}

export async function startGoogleSimulator(s: GoogleScenario, opts: { faults?: Fault[]; port?: number } = {}): Promise<SimulatorHandle> {
  const quotas = { ...DEFAULT_QUOTAS, ...(s.quotas ?? {}) };
  const routes = googleRoutes(s).map((r) => ({ ...r, handler: (req: Parameters<typeof r.handler>[0]): SimResponse | Promise<SimResponse> =>
    (/^Bearer \S+/i.test(String(req.headers.authorization ?? '')) ? r.handler(req)
      : googleError(401, 'Request is missing required authentication credential.', 'required', 'UNAUTHENTICATED')) }));
  return startSimulator({
    name: 'google',
    routes,
    faults: opts.faults,
    port: opts.port,
    nextPage: {
      self: (req, salt) => selfCursor(req.query.get('pageToken'), 'g', salt),
      set: (out, next) => ({ ...out, body: { ...((out.body ?? {}) as object), nextPageToken: next } }),
    },
    rateLimit: {
      bucket: (req) => {
        const api = apiOf(req.path);
        if (!api) return null;
        const q = quotas[api];
        return { key: api, limit: q.limit, windowMs: q.windowMs };
      },
      exceeded: (st, _req, retryAfterS) => {
        const q = quotas[st.key as keyof typeof quotas];
        const headers = { 'retry-after': String(retryAfterS) };
        return q.answer === 403
          ? { ...googleError(403, 'Rate Limit Exceeded', 'rateLimitExceeded'), headers }
          : { ...googleError(429, `Quota exceeded for quota metric '${st.key} requests' and limit 'per minute' of service.`, 'rateLimitExceeded', 'RESOURCE_EXHAUSTED'), headers };
      },
    },
  });
}
