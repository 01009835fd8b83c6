// What a Workload Identity principal in an IAM binding trusts (issue 19, TRUSTS edges): for each provider of the
// member's pool, the issuer it accepts tokens from and the token claim the member's selector reads through the
// provider's attribute mapping (attribute.repository = assertion.repository → claim `repository`; google.subject =
// assertion.sub → a `subject/` selector is the `sub` claim). A mapping that is not a plain `assertion.X` is not
// interpreted: the trust is kept, breadth 'unrecognised'. A provider attribute condition made of `assertion.X == '…'`
// terms joined by && narrows it (an `environment` or `ref` pin on a one-repository trust makes it 'pinned'); any
// other condition is kept on the edge for review. Pure: the providers come from wif-providers.ts.
import type { GraphNode } from '../../src/graph/model.ts';
import { describeClaimTrust, describeTrust, trustEndpoint, trustIssuerFor, type TrustDescription } from '../../src/trust/registry.ts';
import type { WifMember, WifSelector } from './wif-member.ts';
import type { PoolProvidersLookup, WifProvider } from './wif-providers.ts';

/** Google caps a condition at 4096 characters and a mapped subject at 127 bytes: anything longer is not Google's. */
export const MAX_CONDITION = 4096;
const MAX_MEMBER = 1024;

export interface ProviderFacts {
  name: string;
  /** oidc.issuerUri; for AWS the account id; null when the provider names none (SAML, X.509). */
  issuer: string | null;
  protocol: 'oidc' | 'aws' | 'saml' | 'x509' | null;
  mapping: Record<string, string>;
  condition: string | null;
  disabled: boolean;
  state: string | null;
}

/** AWS providers without a mapping use Google's default (google.subject = assertion.arn). */
const AWS_DEFAULT_MAPPING = { 'google.subject': 'assertion.arn' };

const text = (v: unknown, max: number): string | null => (typeof v === 'string' && v !== '' ? v.slice(0, max) : null);

export function providerFacts(p: WifProvider, name: string): ProviderFacts {
  const protocol = p.oidc ? 'oidc' : p.aws ? 'aws' : p.saml ? 'saml' : p.x509 ? 'x509' : null;
  const mapping: Record<string, string> = {};
  const raw = p.attributeMapping && typeof p.attributeMapping === 'object' ? p.attributeMapping : {};
  for (const [k, v] of Object.entries(raw).slice(0, 60)) if (typeof v === 'string') mapping[k.slice(0, 120)] = v.slice(0, 2048);
  return {
    name, protocol,
    issuer: protocol === 'oidc' ? text(p.oidc?.issuerUri, 2048) : protocol === 'aws' ? text(p.aws?.accountId, 64) : null,
    mapping: protocol === 'aws' && !Object.keys(mapping).length ? { ...AWS_DEFAULT_MAPPING } : mapping,
    condition: text(p.attributeCondition, MAX_CONDITION),
    disabled: p.disabled === true,
    state: text(p.state, 40),
  };
}

/** Why a listed provider cannot be read as documented (null when it can): a trust read from it would be a guess. */
export function providerProblem(p: unknown): string | null {
  if (!p || typeof p !== 'object' || Array.isArray(p)) return 'not an object';
  const v = p as Record<string, unknown>;
  const obj = (x: unknown) => x === undefined || x === null || (typeof x === 'object' && !Array.isArray(x));
  const str = (x: unknown) => x === undefined || x === null || typeof x === 'string';
  if (typeof v.name !== 'string' || !v.name) return 'name: expected a string';
  if (!obj(v.attributeMapping) || Object.values((v.attributeMapping ?? {}) as object).some((x) => typeof x !== 'string')) return 'attributeMapping: expected strings';
  if (!str(v.attributeCondition)) return 'attributeCondition: expected a string';
  if (!(v.disabled === undefined || v.disabled === null || typeof v.disabled === 'boolean')) return 'disabled: expected a boolean';
  if (!obj(v.oidc) || !str((v.oidc as { issuerUri?: unknown } | null)?.issuerUri)) return 'oidc.issuerUri: expected a string';
  if (!obj(v.aws) || !str((v.aws as { accountId?: unknown } | null)?.accountId)) return 'aws.accountId: expected a string';
  return null;
}

/** The kind of issuer a provider names: a registered one ('github-actions'), else its protocol, else 'unknown'. */
export function providerIssuerKind(f: ProviderFacts): string {
  if (f.protocol === 'oidc') return trustIssuerFor(f.issuer)?.kind ?? 'oidc';
  return f.protocol ?? 'unknown';
}

/** The issuer string a trust endpoint carries: the OIDC issuer; `aws:account:<id>`; else the provider's own name. */
function endpointIssuer(f: ProviderFacts): string {
  if (f.protocol === 'aws' && f.issuer) return `aws:account:${f.issuer}`;
  return f.issuer ?? `//iam.googleapis.com/${f.name}`;
}

/** `assertion.X` → X; anything else (an expression, a function call, a literal) → null. */
export function claimOf(expr: string | undefined | null): string | null {
  const m = /^\s*assertion\.([A-Za-z_][A-Za-z0-9_]{0,99})\s*$/.exec(expr ?? '');
  return m ? m[1]! : null;
}

/**
 * The claims a provider's attribute condition requires, when it is only `assertion.X == 'v'` (or a mapped
 * `attribute.X` / `google.subject`) terms joined by &&; null for any other condition.
 */
export function conditionPins(condition: string, mapping: Record<string, string>): Record<string, string> | null {
  const pins: Record<string, string> = {};
  for (const term of condition.split('&&')) {
    const m = /^\s*\(?\s*(assertion|attribute|google)\.([A-Za-z_][A-Za-z0-9_]{0,99})\s*==\s*(?:'([^'"\\]*)'|"([^'"\\]*)")\s*\)?\s*$/.exec(term);
    if (!m) return null;
    const claim = m[1] === 'assertion' ? m[2]! : claimOf(mapping[`${m[1]}.${m[2]}`]);
    if (!claim) return null;
    pins[claim] = m[3] ?? m[4] ?? '';
  }
  return Object.keys(pins).length ? pins : null;
}

/** How the member's selector reads in a subject: `attribute.repository/acme/app`, `subject/…`, `group/…`, `*`. */
export function selectorText(s: WifSelector): string {
  switch (s.kind) {
    case 'subject': return `subject/${s.subject}`;
    case 'group': return `group/${s.group}`;
    case 'attribute': return `attribute.${s.attribute}/${s.value}`;
    case 'all': return '*';
  }
}

/** The mapping key a selector matches against, and the value it asks for. */
function selectorKey(s: WifSelector): { key: string; value: string } | null {
  switch (s.kind) {
    case 'subject': return { key: 'google.subject', value: s.subject };
    case 'group': return { key: 'google.groups', value: s.group };
    case 'attribute': return { key: `attribute.${s.attribute}`, value: s.value };
    case 'all': return null;
  }
}

const WORKLOAD_CLAIMS = ['sub', 'repository', 'repository_id', 'repository_owner', 'repository_owner_id'];
const NARROWING_CLAIMS = ['environment', 'ref'];

const claimSubject = (claim: string, value: string) => (claim === 'sub' ? value : `${claim}=${value}`);

/** What one provider admits for the member's selector: the endpoint's subject (as this adapter spells it) and description. */
export function describeForProvider(s: WifSelector, f: ProviderFacts): { issuer: string; subject: string; described: TrustDescription } {
  const issuer = endpointIssuer(f);
  const sel = selectorKey(s);
  let subject = selectorText(s);
  let d: TrustDescription | null = null;
  const used = new Set<string>();
  if (sel) {
    const claim = claimOf(f.mapping[sel.key]);
    if (claim) {
      d = describeClaimTrust(issuer, claim, sel.value);
      subject = claimSubject(claim, sel.value);
      used.add(claim);
    } else {
      const how = f.mapping[sel.key] === undefined ? 'is not mapped by the provider' : `is mapped by an expression nhi-census does not interpret (${f.mapping[sel.key]!.slice(0, 160)})`;
      d = { ...describeTrust(issuer, null), workload_key: null, breadth: 'unrecognised', breadth_reason: `${sel.key} ${how}` };
    }
  }
  const pins = f.condition ? conditionPins(f.condition, f.mapping) : null;
  if (pins) {
    // a whole-pool member (or a claim naming no workload) is narrowed by a condition naming one
    if (!d || d.workload_key === null) {
      for (const c of WORKLOAD_CLAIMS) {
        if (pins[c] === undefined || used.has(c)) continue;
        const p = describeClaimTrust(issuer, c, pins[c]!);
        if (p.workload_key === null) continue;
        d = p;
        subject = claimSubject(c, pins[c]!);
        used.add(c);
        break;
      }
    }
    const narrowing = NARROWING_CLAIMS.filter((c) => pins[c] !== undefined && !used.has(c));
    if (d && narrowing.length) {
      const words = narrowing.map((c) => `${c} ${pins[c]}`).join(' and ');
      d = { ...d, environment: pins.environment ?? d.environment, ref: pins.ref ?? d.ref,
        ...(d.breadth === 'any-ref' ? { breadth: 'pinned' as const, breadth_reason: `${d.breadth_reason}, narrowed by the provider's condition to ${words}` }
          : { breadth_reason: `${d.breadth_reason}; the provider's condition also requires ${words}` }) };
    }
    const rest = Object.keys(pins).filter((c) => !used.has(c)).sort();
    if (rest.length) subject = `${subject} & ${rest.map((c) => `${c}=${pins[c]}`).join(' & ')}`;
  } else if (f.condition) {
    subject = `${subject} [conditional]`;
    if (d) d = { ...d, breadth_reason: `${d.breadth_reason}; the provider's attribute condition is not interpreted: see the trust's condition` };
  }
  if (!d) {
    d = { ...describeTrust(issuer, null), workload_key: null, breadth: 'unrecognised',
      breadth_reason: `every identity of the pool: any token ${f.issuer ?? 'the provider'} issues${f.condition ? ' that passes the provider\'s condition' : ''}` };
  }
  return { issuer, subject, described: d };
}

export interface WifTrust {
  endpoint: GraphNode;
  /** The provider's resource name, or null when the pool's providers are not known. */
  provider: string | null;
  providerCondition: string | null;
  /** False when the provider (it exchanges no new token until re-enabled) or its pool (no token grants anything) is disabled. */
  enabled: boolean;
}

/**
 * The trusts of one WIF member: one per provider of its pool; one with the issuer unknown when the pool's providers
 * could not be read; none when the pool has no provider (nothing is exchanged).
 */
export function wifTrusts(m: WifMember, lookup: PoolProvidersLookup | undefined): WifTrust[] {
  if (!lookup || !lookup.ok) {
    const reason = lookup && !lookup.ok ? lookup.reason : 'the pool\'s providers were not read';
    const described: TrustDescription = { issuer_kind: 'unknown', workload_key: null, repository: null, environment: null, ref: null,
      breadth: 'unrecognised', breadth_reason: `the providers of pool ${m.poolId} are not known (${reason}): the issuer is unknown` };
    return [{ endpoint: trustEndpoint(`//iam.googleapis.com/${m.pool}`, selectorText(m.selector), described), provider: null, providerCondition: null, enabled: true }];
  }
  const out: WifTrust[] = [];
  for (const p of lookup.providers) {
    if (typeof p?.name !== 'string' || !p.name) continue;
    const f = providerFacts(p, p.name);
    const { issuer, subject, described } = describeForProvider(m.selector, f);
    out.push({ endpoint: trustEndpoint(issuer, subject, described), provider: f.name, providerCondition: f.condition, enabled: !f.disabled && lookup.poolDisabled !== true });
  }
  return out;
}

/**
 * Why a member that names a Workload Identity pool cannot be read (null when it can, or names no such pool): too long
 * for Google to have written it, or not one of the documented forms.
 */
export function wifMemberProblem(member: string, parsed: WifMember | null): string | null {
  if (!/^(principal|principalSet):\/\//.test(member) || !member.includes('/workloadIdentityPools/')) return null;
  if (member.length > MAX_MEMBER) return `bindings[].members[]: expected a Workload Identity principal of at most ${MAX_MEMBER} characters, got ${member.length}`;
  return parsed ? null : `bindings[].members[]: expected principal(Set)://iam.googleapis.com/projects/N/locations/global/workloadIdentityPools/POOL/…, got ${JSON.stringify(member.slice(0, 120))}`;
}
