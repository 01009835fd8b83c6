// Which half of Google a resource belongs to: a half switched off in the config is unsupported, never empty.
// (A 403 refusal names the scope or role to grant: permission-hints.ts and each resource's `permission`.)
import { UnsupportedResource } from '../../src/crawl/errors.ts';
import type { GoogleClient } from './client.ts';

export function requireWorkspace(client: GoogleClient): void {
  if (!client.cfg.workspace) throw new UnsupportedResource('Workspace crawling is off (providers.google.workspace: false)');
}

export function requireCloud(client: GoogleClient): void {
  if (!client.cfg.cloud) throw new UnsupportedResource('Cloud crawling is off (providers.google.cloud: false)');
}
