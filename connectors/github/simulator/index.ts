// Starts the GitHub simulator: the routes above plus GitHub's rate-limit signals — x-ratelimit-* headers
// from a per-token budget, 403 with Retry-After when it is exhausted, 304s that cost nothing — and ETags.
// A 'next' fault rewrites the Link header's rel="next".
import crypto from 'node:crypto';
import { startSimulator, type SimulatorHandle } from '../../../src/simulator/server.ts';
import type { Fault } from '../../../src/simulator/faults.ts';
import { selfUrl } from '../../../src/simulator/paging.ts';
import { githubRoutes } from './routes.ts';
import type { GithubScenario } from './scenario.ts';

export async function startGithubSimulator(s: GithubScenario, opts: { faults?: Fault[]; port?: number } = {}): Promise<SimulatorHandle> {
  const rate = s.rateLimit ?? { limit: 5000, windowMs: 3600_000 };
  return startSimulator({
    name: 'github',
    routes: githubRoutes(s),
    faults: opts.faults,
    port: opts.port,
    etag: true,
    nextPage: {
      self: (req, salt) => selfUrl(req.url, salt),
      set: (out, next) => ({ ...out, headers: { ...(out.headers ?? {}), link: `<${next}>; rel="next"` } }),
    },
    rateLimit: {
      countNotModified: false,
      // GraphQL draws on its own budget (points; every query the simulator answers costs 1), REST on core
      bucket: (req) => ({ key: (req.path === '/graphql' ? 'graphql:' : 'core:') + crypto.createHash('sha1').update(String(req.headers.authorization ?? 'anonymous')).digest('hex').slice(0, 8), limit: rate.limit, windowMs: rate.windowMs }),
      headers: (st) => ({
        'x-ratelimit-limit': String(st.limit), 'x-ratelimit-remaining': String(st.remaining),
        'x-ratelimit-used': String(st.used), 'x-ratelimit-reset': String(Math.ceil(st.resetMs / 1000)), 'x-ratelimit-resource': st.key.split(':')[0]!,
      }),
      exceeded: (st, _req, retryAfterS) => ({
        status: 403,
        headers: { 'retry-after': String(retryAfterS), 'x-ratelimit-limit': String(st.limit), 'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(Math.ceil(st.resetMs / 1000)), 'x-ratelimit-resource': st.key.split(':')[0]! },
        body: { message: 'API rate limit exceeded', documentation_url: 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api' },
      }),
    },
  });
}
