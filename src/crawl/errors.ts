// Error types the engine understands: a resource the plan/token cannot list (unsupported, not failed),
// a response that breaks the provider's published shape, and a provider-level configuration failure.

/** The provider answered that this listing is not available to this token/plan: recorded as unsupported. */
export class UnsupportedResource extends Error {
  constructor(readonly reason: string) { super(reason); this.name = 'UnsupportedResource'; }
}

/** A response that does not match the provider's published shape. Names the field. */
export class MalformedResponse extends Error {
  constructor(readonly field: string, detail: string) { super(`malformed response: ${field}: ${detail}`); this.name = 'MalformedResponse'; }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
