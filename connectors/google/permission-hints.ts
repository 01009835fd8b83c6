// Google's side of the permission hints (src/crawl/permissions.ts): Workspace scopes granted through
// domain-wide delegation (with the delegated admin's privileges) and Cloud IAM roles, which of them the config
// uses (`workspace:` / `cloud:`), and which answers are a refusal: a 403 that is not a quota signal
// (insufficientPermissions, forbidden, PERMISSION_DENIED), and the token endpoint's `unauthorized_client`
// (delegation does not grant the scopes asked for). https://developers.google.com/workspace/admin/directory/v1/limits
import type { PermissionNeed, Refusal } from '../../src/crawl/permissions.ts';
import { errorChain } from '../../src/crawl/permanent-errors.ts';
import type { ResourceSpec } from '../../src/crawl/resource.ts';
import { errorInfo, statusOf } from './client.ts';
import type { GoogleConfig } from './config.ts';

/** An Admin SDK OAuth scope (https://www.googleapis.com/auth/…) delegated to the service account, with the admin privilege it needs. */
export const DWD = 'domain-wide delegation scope';
/** A Cloud IAM role of the service account (organisation or folder level). */
export const IAM = 'IAM role';
export const GOOGLE_PERMISSION_KINDS = [DWD, IAM] as const;

export function googleGrantKinds(cfg: GoogleConfig, _resource: ResourceSpec): readonly string[] {
  return [...(cfg.workspace ? [DWD] : []), ...(cfg.cloud ? [IAM] : [])];
}

/** Quota answers Google gives as 403: paced and retried, never a permission problem. */
const QUOTA = /rate|quota|dailyLimit|backendError/i;

export function googleRefusal(err: unknown, _need: PermissionNeed | undefined): Refusal | null {
  for (const e of errorChain(err)) {
    const data = (e as { response?: { data?: { error?: unknown; error_description?: unknown } } }).response?.data;
    if (data?.error === 'unauthorized_client') {
      return { said: 'Google refused to mint a token for the delegated scopes (unauthorized_client)', kinds: [DWD], credentialWide: true };
    }
  }
  if (statusOf(err) !== 403) return null;
  const info = errorInfo((err as { response?: { data?: unknown } }).response);
  if (QUOTA.test(info.reason ?? '')) return null;
  return { said: `Google answered 403 ${info.reason ?? info.status ?? 'forbidden'}${info.message ? ` (${info.message.slice(0, 160)})` : ''}` };
}
