// Validation of scenario files (`nhi-census sim --scenario`), provider-neutral: the document schema built from
// the schemas each provider registers beside its simulator (ProviderSimulator.scenarioSchema), the `faults:`
// list, and the building blocks those schemas use. Scenario-own structures are strict objects (an unknown key is
// an error with the closest known key suggested); a vendor object (an API item the simulator serves) checks the
// fields it lists — required ones required — and passes the vendor's other fields through as the API would
// answer them, except a key one or two edits from a listed field, which is refused as a typo (docs/scenarios.md).
import { z } from 'zod';
import { closest } from '../util/did-you-mean.ts';
import type { Fault } from './faults.ts';

/** `true` when A is assignable to B: `const ok: Assignable<z.output<typeof schema>, VendorTypedScenario> = true` fails to compile otherwise. */
export type Assignable<A, B> = [A] extends [B] ? true : false;

const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A mapping whose inside is the vendor's (typed as V, checked only to be a mapping; not z.custom, which would stop the typo check). */
export const mapping = <V>() => z.looseObject({}, { error: (i) => (i.input === undefined ? 'required: a mapping' : 'must be a mapping') })
  .transform((v) => v as unknown as V);

/** A string that is a date-time the simulator can serve (ISO 8601). */
export const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), { error: 'must be an ISO 8601 date-time' });

/**
 * A vendor object of type T: the `shape` fields are checked (each key must be a field of T and its schema's
 * output that field's type, enforced by the compiler); `also` names other fields of T the simulator serves (passed
 * through unchecked). Any other key passes through too — unless it is a few edits from a listed field, then it is
 * refused as a typo ("unknown key 'permisions' — did you mean 'permissions'?").
 */
export function vendorObject<T>() {
  return <S extends z.ZodRawShape & { [K in keyof S]: K extends keyof T ? z.ZodType<Partial<T>[K]> : never }>(shape: S, also: readonly (keyof T & string)[] = []) => {
    const listed = [...Object.keys(shape), ...also];
    // runs beside the field checks (a typo usually comes with its field missing: both are reported)
    return z.looseObject(shape).check(z.superRefine((v: Record<string, unknown>, ctx) => {
      for (const k of Object.keys(v)) {
        if (listed.includes(k)) continue;
        const guess = closest(k, listed);
        if (guess) ctx.addIssue({ code: 'custom', path: [k], params: { unknownKey: true }, message: `unknown key '${k}' — did you mean '${guess}'?` });
      }
    }, { when: (payload) => isMapping(payload.value) }));
  };
}

/** Map from an id or name (any text) to values of `value`. */
export const keyed = <V extends z.ZodType>(value: V) => z.record(z.string(), value);

const faultSchema = z.strictObject({
  provider: z.string().optional(),
  route: z.string().optional(),
  path: z.string().optional(),
  method: z.string().optional(),
  kind: z.enum(['status', 'reset', 'truncate', 'delay', 'next', 'malformed']),
  status: z.number().int().min(100).max(599).optional(),
  next: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.unknown().optional(),
  delayMs: z.number().int().nonnegative().optional(),
  item: z.string().optional(),
  after: z.number().int().nonnegative().optional(),
  times: z.number().int().positive().optional(),
});
const _faultTyped: Assignable<z.output<typeof faultSchema>, Fault> = true;
void _faultTyped;

/** The document schema: `name`, `faults` and one optional block per provider that registers a scenario schema. */
export function scenarioDocumentSchema(blocks: Record<string, z.ZodType>) {
  return z.strictObject({
    name: z.string().optional(),
    faults: z.array(faultSchema).optional(),
    ...Object.fromEntries(Object.entries(blocks).map(([p, s]) => [p, s.optional()])),
  });
}
