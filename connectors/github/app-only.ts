// Endpoints GitHub serves only to a GitHub App installation token (the fine-grained PAT listings).
import { UnsupportedResource } from '../../src/crawl/errors.ts';
import type { GithubClient } from './client.ts';

const REASON = 'GitHub serves this only to a GitHub App installation token; configure providers.github.app';

export function requireAppAuth(client: GithubClient, what: string): void {
  if (client.authKind !== 'app') throw new UnsupportedResource(`${what}: ${REASON}`);
}

/** A 403 naming the GitHub-App-only rule is unsupported, not a failure. */
export function appOnly(err: unknown): string | null {
  const e = err as { status?: number; message?: string };
  if (e.status === 403 && /github apps?/i.test(e.message ?? '')) return REASON;
  return null;
}
