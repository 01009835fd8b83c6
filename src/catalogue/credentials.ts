// Credential facts per credential_type (the normalised `credential_type` adapters set): whether the
// provider lets it carry an expiry (so "no expiry" is a choice someone made), which date counts as its
// last rotation, and whether a federated / short-lived alternative exists (static-secret rule). The facts
// of each provider's types live in its catalogue (connectors/<p>/catalogue.ts); the reasons and sources are
// in docs/risk-catalogue.md §4.
import { catalogueOf, registeredCatalogues } from './registry.ts';

export interface CredentialPolicy {
  /** The provider lets this credential carry an expiry date. */
  expirable: boolean;
  /** Props field holding the date the secret value was last set (default created_at). */
  rotatedField?: string;
  /** A federated / short-lived alternative exists: what to use instead. */
  alternative?: string;
  /**
   * Which class of credential it is (multiple-active-secrets counts each class on its own): `secret` — the value
   * itself authenticates (client secrets, user-managed keys, PATs, tokens); `certificate` — a key pair whose public
   * half the provider holds (certificates, SSH keys); `federated` — no stored secret at all. Default `secret`.
   */
  kind?: CredentialKind;
  /** What to call one of them in a title ("client secret"); default "static secret". */
  label?: string;
}

export type CredentialKind = 'secret' | 'certificate' | 'federated';

/**
 * A provider's credential facts as a table (connectors/<p>/catalogue.ts): the first row whose pattern matches the
 * credential type wins; undefined when none does (not one of that provider's types).
 */
export function policyTable(rows: Array<[RegExp, CredentialPolicy]>): (credentialType: string) => CredentialPolicy | undefined {
  return (t) => rows.find(([re]) => re.test(t))?.[1];
}

/**
 * The facts about a credential type, from its provider's catalogue (or, without `provider`, from the first
 * registered catalogue that knows the type). Unknown types: cannot expire, no alternative known.
 */
export function credentialPolicy(credentialType: string | null | undefined, props: Record<string, unknown> = {}, provider?: string): CredentialPolicy {
  const t = (credentialType ?? '').toLowerCase();
  const cats = provider !== undefined ? [catalogueOf(provider)] : registeredCatalogues();
  for (const c of cats) {
    const p = c?.credentialPolicy?.(t, props);
    if (p) return p;
  }
  return { expirable: false };
}

/** The class of a credential and what to call it (defaults: a `secret`, "static secret"). */
export function credentialClass(credentialType: string | null | undefined, props: Record<string, unknown> = {}): { kind: CredentialKind; label: string } {
  const p = credentialPolicy(credentialType, props);
  return { kind: p.kind ?? 'secret', label: p.label ?? 'static secret' };
}
