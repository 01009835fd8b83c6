// Shared by the paging hardening tests: one paged route per provider paginator (GitHub Link header, Slack
// cursor, Google page token, Graph @odata.nextLink, Graph nextLink after a $batch first page, ARM nextLink),
// and a plain HTTP listener on another origin that records whatever reaches it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildAzureScenario } from '../../scenarios/demo/azure.ts';
import { buildGithubScenario } from '../../scenarios/demo/github.ts';
import { buildGoogleScenario } from '../../scenarios/demo/google.ts';
import { buildSlackScenario } from '../../scenarios/demo/slack.ts';

export interface PagingCase {
  name: string;
  provider: string;
  scenario(): unknown;
  /** Simulator route whose answers the 'next' fault rewrites. */
  route: string;
}

export const PAGING_CASES: PagingCase[] = [
  { name: 'github Link rel="next"', provider: 'github', scenario: () => buildGithubScenario(), route: 'installations' },
  { name: 'slack next_cursor', provider: 'slack', scenario: () => buildSlackScenario(), route: 'users.list' },
  { name: 'google nextPageToken', provider: 'google', scenario: () => buildGoogleScenario(), route: 'users' },
  { name: 'azure Graph @odata.nextLink', provider: 'azure', scenario: () => buildAzureScenario(), route: 'applications-delta' },
  { name: 'azure Graph nextLink after a $batch page', provider: 'azure', scenario: () => buildAzureScenario(), route: 'sp-owners' },
  { name: 'azure ARM nextLink', provider: 'azure', scenario: () => buildAzureScenario(), route: 'arm-role-assignments' },
];

export interface Listener {
  origin: string;
  requests: Array<{ method: string; url: string; authorization: string | undefined }>;
  close(): Promise<void>;
}

/** A plain node:http server on 127.0.0.1 (its own port: another origin than any simulator). */
export async function startListener(): Promise<Listener> {
  const requests: Listener['requests'] = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"value":[],"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
