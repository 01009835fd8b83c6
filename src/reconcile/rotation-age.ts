// How old a static credential is for its rotation policy: counted from the date its value was last set (the
// provider catalogue's rotatedField, e.g. a CI secret's updated_at), else created_at. Shared by the
// credential-rotation-overdue rule and the report's hygiene figure, so both judge a credential the same way.
import { credentialPolicy } from '../catalogue/index.ts';

export interface RotationAge { age: number | null; field: string }

/** The field a credential's age counts from: the catalogue's rotatedField when the credential has it, else created_at. */
export function rotationField(credentialType: unknown, props: Record<string, unknown>): string {
  const policy = credentialPolicy(typeof credentialType === 'string' ? credentialType : null, props);
  return policy.rotatedField && props[policy.rotatedField] ? policy.rotatedField : 'created_at';
}

/** Whole days since the value was last set, judged at `now` (null: no readable date), and which field that is. */
export function rotationAge(credentialType: unknown, props: Record<string, unknown>, now: Date): RotationAge {
  const field = rotationField(credentialType, props);
  const v = props[field];
  const t = typeof v === 'string' && v ? Date.parse(v) : NaN;
  return { age: Number.isNaN(t) ? null : Math.floor((now.getTime() - t) / 86_400_000), field };
}
