// Issue 13 item 1, defence in depth: whatever a paginator or a resource asks for, each provider's client sends
// requests (and so its token) only to its configured origin — checked where the request leaves the client.
// A request built for another origin (an absolute Slack method URL, a per-call Google URL or GitHub baseUrl,
// an absolute Graph/ARM link) is refused before anything is sent: the listener on that origin sees nothing.
import http from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGithubClient } from '../../connectors/github/client.ts';
import { githubConfigSchema } from '../../connectors/github/config.ts';
import { createGoogleClient, engineAdapter } from '../../connectors/google/client.ts';
import { googleConfigSchema } from '../../connectors/google/config.ts';
import { createSlackClient } from '../../connectors/slack/client.ts';
import { slackConfigSchema } from '../../connectors/slack/config.ts';
import { RestApi } from '../../connectors/azure/rest.ts';
import { HttpRuntime } from '../../src/crawl/http-call.ts';
import { RateBudget } from '../../src/crawl/rate-budget.ts';
import { createLogger } from '../../src/util/log.ts';
import { startListener, type Listener } from './paging-cases.ts';

let foreign: Listener;
let home: Listener;
beforeEach(async () => { foreign = await startListener(); home = await startListener(); });
afterEach(async () => { await foreign.close(); await home.close(); });

const runtime = (provider: string) => new HttpRuntime({ provider, maxRetries: 2, baseDelayMs: 1, maxDelayMs: 1, classify: () => ({ retry: true }) },
  new RateBudget(), createLogger({ write: () => {} }));
const refused = () => new RegExp(`request to a different origin \\(${foreign.origin.replace(/[.]/g, '\\.')}\\) refused`);

describe('clients send requests only to their configured origin', () => {
  it('github: a request whose URL is on another origin is refused', async () => {
    const cfg = githubConfigSchema.parse({ orgs: ['acme'], baseUrl: home.origin, tokenEnv: 'T' });
    const { octokit } = createGithubClient(cfg, 'acme', runtime('github'), { T: 'ghp_notarealtokennotarealtokennotarealtok' });
    await expect(octokit.request('GET /orgs/{org}/repos', { org: 'acme', baseUrl: foreign.origin })).rejects.toThrow(refused());
    await expect(octokit.request({ method: 'GET', url: `${foreign.origin}/orgs/acme/repos` })).rejects.toThrow(refused());
    expect(foreign.requests).toEqual([]);
  });

  it('slack: an absolute method URL on another origin is refused', async () => {
    const cfg = slackConfigSchema.parse({ teamId: 'T1', slackApiUrl: `${home.origin}/api/`, tokenEnv: 'S' });
    const client = createSlackClient(cfg, runtime('slack'), { S: 'xoxp-1-2-3-notarealtoken' });
    await expect(client.web.apiCall(`${foreign.origin}/api/users.list`, {})).rejects.toThrow(refused());
    expect(foreign.requests).toEqual([]);
    // its own origin still works
    await expect(client.web.apiCall('users.list', {})).resolves.toMatchObject({ ok: true });
    expect(home.requests).toHaveLength(1);
  });

  it('google: the request adapter refuses a URL on another origin than its API root; per-call roots are overridden', async () => {
    let sent = 0;
    const send = (async () => { sent++; return { status: 200, headers: {}, data: {} }; }) as never;
    const adapter = engineAdapter(runtime('google'), 'directory', `${home.origin}/`) as unknown as (o: unknown, d: unknown) => Promise<unknown>;
    await expect(adapter({ url: `${foreign.origin}/admin/directory/v1/users`, method: 'GET' }, send)).rejects.toThrow(refused());
    expect(sent).toBe(0);
    await adapter({ url: `${home.origin}/admin/directory/v1/users`, method: 'GET' }, send);
    expect(sent).toBe(1);
    // Through the SDK: a per-call rootUrl cannot move a request off the configured root.
    const cfg = googleConfigSchema.parse({ domain: 'x.com', rootUrl: `${home.origin}/`, auth: { accessTokenEnv: 'G' } });
    const client = createGoogleClient(cfg, runtime('google'), { G: 'ya29.notarealtoken' });
    await client.directory.users.list({ customer: 'my_customer' }, { rootUrl: `${foreign.origin}/` }).catch(() => {});
    expect(foreign.requests).toEqual([]);
    expect(home.requests).toHaveLength(1);
  });

  it('azure: an absolute Graph or ARM link on another origin is refused', async () => {
    const credential = { getToken: async () => ({ token: 'eyJ.notarealtoken', expiresOnTimestamp: Date.now() + 3600_000 }) };
    const api = new RestApi({ baseUrl: `${home.origin}/v1.0`, credential, scope: `${home.origin}/.default`, http: runtime('azure'),
      agent: new http.Agent(), bucket: () => 'graph' });
    await expect(api.get(`${foreign.origin}/v1.0/applications`)).rejects.toThrow(refused());
    await expect(api.send('GET', `${foreign.origin}/v1.0/applications`)).rejects.toThrow(refused());
    expect(foreign.requests).toEqual([]);
    await expect(api.get('/applications')).resolves.toMatchObject({ value: [] });
    expect(home.requests).toHaveLength(1);
  });
});
