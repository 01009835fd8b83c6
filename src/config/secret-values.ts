// Credentials never live in the config file: it names environment variables. A value that matches a
// declared token format (src/util/redact.ts: the shared formats plus each connector's secretPatterns) is
// refused wherever it appears — most likely pasted into a `*Env` field — and `*Env` fields must hold a
// valid variable NAME. Messages name file:line:field and never repeat the value.
import { z } from 'zod';
import { redactSecrets } from '../util/redact.ts';

/** The text contains something shaped like a registered token format. */
export function looksLikeSecret(text: string): boolean {
  return redactSecrets(text) !== text;
}

const ENV_VAR = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SECRET_IN_FILE = 'looks like a credential (it matches a token format; the value is not shown): the config file holds the NAME of an ' +
  'environment variable, never a secret — put the value in an environment variable, write that name here, and revoke the credential if ' +
  'the file was shared';

/** A `*Env` field: the NAME of an environment variable (the value is never echoed in the message). */
export const envVarName = () => z.string()
  .refine((s) => !looksLikeSecret(s), SECRET_IN_FILE)
  .refine((s) => ENV_VAR.test(s), 'must be the NAME of an environment variable (letters, digits and _), not its value');

export interface SecretIssue { code: 'custom'; path: (string | number)[]; message: string; input?: unknown }

/** Every string (and key) in a parsed config that looks like a credential, by path. */
export function secretIssues(value: unknown, path: (string | number)[] = []): SecretIssue[] {
  if (typeof value === 'string') return looksLikeSecret(value) ? [{ code: 'custom', path, message: SECRET_IN_FILE }] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => secretIssues(v, [...path, i]));
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => (looksLikeSecret(k)
      ? [{ code: 'custom' as const, path, message: `a key here ${SECRET_IN_FILE}` }]
      : secretIssues(v, [...path, k])));
  }
  return [];
}
