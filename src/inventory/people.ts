// The optional people mapping an inventory may reference (`people: people.yaml`, relative to the inventory):
// who a principal known only by a login (or an id) is — its e-mail and name — for logins no provider links
// to an e-mail (no verified e-mail, no SSO identity). Identity resolution adds the e-mail to the principal,
// so findings address the person. Validated with zod; every error names file:line:field.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { InputError, parseYamlFile, validateYaml } from '../config/yaml-errors.ts';

const email = z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v),
  z.email({ error: (i) => (i.input === undefined || i.input === '' ? 'required: an e-mail address' : 'must be an e-mail address') }));

export const personMappingSchema = z.strictObject({
  /** A login as the provider shows it (e.g. a code-hosting username), matched case-insensitively. */
  login: z.string().trim().min(1).optional(),
  /** Restricts `login` to one provider's principals. */
  provider: z.string().trim().min(1).optional(),
  /** A graph principal id, exactly. */
  principal: z.string().trim().min(1).optional(),
  email,
  name: z.string().trim().min(1).optional(),
}).refine((m) => !!m.login !== !!m.principal, 'needs exactly one of login or principal');

/** The file is a YAML list of mappings. */
export const peopleFileSchema = z.array(personMappingSchema, { error: 'must be a list of {login | principal, email, name}' });

export type PersonMapping = z.output<typeof personMappingSchema>;

export function parsePeople(file: string, text: string): PersonMapping[] {
  const parsed = parseYamlFile(file, text);
  if (parsed.value === null || parsed.value === undefined) return [];
  return validateYaml(file, parsed, peopleFileSchema);
}

/** Loads the people file an inventory names (relative to the inventory's directory). */
export function loadPeople(inventoryFile: string, ref: string): PersonMapping[] {
  const file = path.resolve(path.dirname(inventoryFile), ref);
  if (!fs.existsSync(file)) throw new InputError(`${inventoryFile}: people: ${ref}: file not found (${file})`);
  return parsePeople(file, fs.readFileSync(file, 'utf8'));
}
