// Error types the engine understands: a resource the token cannot list (unsupported, not failed), one the
// plan or edition does not have (not applicable),
// a response that breaks the provider's published shape, and a provider-level configuration failure.
import { networkDetail } from './permanent-errors.ts';

/** The provider answered that this listing is not available to this token/plan: recorded as unsupported. */
export class UnsupportedResource extends Error {
  constructor(readonly reason: string) { super(reason); this.name = 'UnsupportedResource'; }
}

/**
 * The plan or edition does not have this feature (a Grid-only method on a standalone workspace, an Enterprise
 * Cloud endpoint on another plan): recorded as not_applicable — nothing of it can exist, no permission is missing.
 */
export class NotApplicable extends Error {
  constructor(readonly reason: string) { super(reason); this.name = 'NotApplicable'; }
}

/** A response that does not match the provider's published shape. Names the field. */
export class MalformedResponse extends Error {
  constructor(readonly field: string, detail: string) { super(`malformed response: ${field}: ${detail}`); this.name = 'MalformedResponse'; }
}

/** An error's message; a network error's also names its errno and host when the message does not ("fetch failed"). */
export function errorMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const detail = networkDetail(err, message);
  return detail ? `${message} (${detail})` : message;
}
