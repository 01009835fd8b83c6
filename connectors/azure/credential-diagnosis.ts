// Makes @azure/identity's token failures say what happened. MSAL reports a failed token or metadata request
// as "network_error: See https://aka.ms/…" or "endpoints_resolution_error" with the Node error dropped, so a
// pipeline policy on the credential's own HTTP pipeline records the last transport failure (errno, or a
// non-2xx answer) and the wrapped credential rethrows with it: the authority host, the errno or HTTP status,
// and the OAuth error (invalid_client…). The client's policy then decides: a rejection or an unresolvable /
// untrusted authority fails the provider at once; a reset or a 5xx is retried like any call.
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import { annotateHost, hostOfUrl } from '../../src/crawl/permanent-errors.ts';

interface Observed { url: string; status?: number; oauthError?: string; error?: unknown }

/** A token request that failed, with what the transport saw. */
export class TokenRequestError extends Error {
  constructor(message: string, readonly status: number | undefined, readonly oauthError: string | undefined, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TokenRequestError';
  }
}

/** Records the credential pipeline's last failure; add `policy` to the credential's additionalPolicies. */
export class TokenTransport {
  last: Observed | undefined;
  readonly policy = {
    name: 'nhi-census-token-diagnosis',
    sendRequest: async (req: { url: string }, next: (r: never) => Promise<{ status: number; bodyAsText?: string | null }>) => {
      try {
        const res = await next(req as never);
        if (res.status >= 400) this.last = { url: req.url, status: res.status, oauthError: oauthErrorOf(res.bodyAsText) };
        return res;
      } catch (err) {
        this.last = { url: req.url, error: err };
        throw err;
      }
    },
  };
}

function oauthErrorOf(body: string | null | undefined): string | undefined {
  if (!body) return undefined;
  try {
    const e = (JSON.parse(body) as { error?: unknown }).error;
    return typeof e === 'string' && /^[a-z_]{1,60}$/.test(e) ? e : undefined;
  } catch { return undefined; }
}

/** `inner` whose failures carry the authority host and what its transport saw (as `cause`). */
export function diagnosedCredential(inner: TokenCredential, transport: TokenTransport): TokenCredential {
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      transport.last = undefined;
      try {
        return await inner.getToken(scopes, options);
      } catch (err) {
        throw explain(err, transport.last);
      }
    },
  };
}

function explain(err: unknown, seen: Observed | undefined): unknown {
  const message = err instanceof Error ? err.message : String(err);
  if (!seen) return err;
  const host = hostOfUrl(seen.url);
  if (seen.error !== undefined) {
    return annotateHost(new TokenRequestError(`token request to ${host} failed: ${message}`, undefined, undefined, { cause: seen.error }), host);
  }
  const what = `HTTP ${seen.status}${seen.oauthError ? ` ${seen.oauthError}` : ''}`;
  return annotateHost(new TokenRequestError(`token request to ${host} answered ${what}: ${message}`, seen.status, seen.oauthError, { cause: err }), host);
}
