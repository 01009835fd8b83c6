// Which half of Google a resource belongs to: a half switched off in the config is unsupported, never empty.
import { UnsupportedResource } from '../../src/crawl/errors.ts';
import { errorInfo, statusOf } from './client.ts';
import type { GoogleClient } from './client.ts';

export function requireWorkspace(client: GoogleClient): void {
  if (!client.cfg.workspace) throw new UnsupportedResource('Workspace crawling is off (providers.google.workspace: false)');
}

export function requireCloud(client: GoogleClient): void {
  if (!client.cfg.cloud) throw new UnsupportedResource('Cloud crawling is off (providers.google.cloud: false)');
}

/** A 403 that is not a quota signal: the crawl identity lacks a scope, admin privilege or IAM role. */
export function permissionDenied(needs: string): (err: unknown) => string | null {
  return (err) => {
    if (statusOf(err) !== 403) return null;
    const info = errorInfo((err as { response?: { data?: unknown } }).response);
    if (/rate|quota/i.test(info.reason ?? '')) return null;
    return `permission denied (${info.reason ?? info.status ?? '403'}): needs ${needs}`;
  };
}
