// Trust issuers: who issues the tokens a cloud identity accepts, and what workload a trusted subject or claim names
// (issue 19, TRUSTS edges). Each provider whose workloads mint such tokens registers its issuers through its spec
// (connectors/<p>/trust-issuers.ts, e.g. GitHub Actions); adapters of the accepting side (an Entra federated
// credential, a Google Workload Identity provider) describe what they trust through describeTrust / trustEndpoint,
// so no connector imports another and src/ names none. An issuer nobody registered stays 'unknown', its subject raw.
import type { GraphNode } from '../graph/model.ts';
import { keyedRegistry } from '../util/keyed-registry.ts';

/** How much a trusted subject admits: every value but 'pinned' is a broad trust to review. */
export type TrustBreadth = 'pinned' | 'any-ref' | 'pull-request' | 'organisation' | 'unrecognised';

export interface TrustDescription {
  /** The registered issuer's kind ('github-actions'), or 'unknown'. */
  issuer_kind: string;
  /** The key a workload resource carries in its `workload_keys` prop (lower case), or null when none is named. */
  workload_key: string | null;
  repository: string | null;
  environment: string | null;
  ref: string | null;
  breadth: TrustBreadth;
  /** Why the breadth is what it is, in words for a finding's evidence. */
  breadth_reason: string;
}

export type WorkloadFacts = Omit<TrustDescription, 'issuer_kind'>;

export interface TrustIssuer {
  kind: string;
  /** Whether this issuer URL is this kind's (exact hosts and paths; look-alikes are not). */
  matches(issuer: string): boolean;
  /** What a trusted `sub` claim names. */
  describeSubject(subject: string): WorkloadFacts;
  /** What a trusted value of another token claim names (e.g. `repository` = ORG/REPO), or null when it names nothing we resolve. */
  describeClaim?(claim: string, value: string): WorkloadFacts | null;
}

const issuers = keyedRegistry<TrustIssuer>((i) => i.kind, (kind) => `two trust issuers of kind ${kind}`);

export function registerTrustIssuer(i: TrustIssuer): void {
  issuers.register(i);
}

export function trustIssuerFor(issuer: string | null | undefined): TrustIssuer | undefined {
  if (!issuer) return undefined;
  return issuers.values().find((i) => i.matches(issuer));
}

function unknown(why: string): TrustDescription {
  return { issuer_kind: 'unknown', workload_key: null, repository: null, environment: null, ref: null, breadth: 'unrecognised', breadth_reason: why };
}

/** What a trust in (issuer, subject) admits. */
export function describeTrust(issuer: string | null | undefined, subject: string | null | undefined): TrustDescription {
  const i = trustIssuerFor(issuer);
  if (!i) return unknown(`issuer ${issuer ?? '(none)'} is not one nhi-census knows: its subject is kept as given`);
  if (!subject) return { ...unknown('no subject'), issuer_kind: i.kind };
  return { issuer_kind: i.kind, ...i.describeSubject(subject) };
}

/** What a trust in a token claim's value admits (a Workload Identity attribute mapped from `assertion.<claim>`). */
export function describeClaimTrust(issuer: string | null | undefined, claim: string, value: string): TrustDescription {
  const i = trustIssuerFor(issuer);
  if (!i) return unknown(`issuer ${issuer ?? '(none)'} is not one nhi-census knows: ${claim}=${value} is kept as given`);
  if (claim === 'sub') return { issuer_kind: i.kind, ...i.describeSubject(value) };
  const d = i.describeClaim?.(claim, value);
  return d ? { issuer_kind: i.kind, ...d } : { ...unknown(`claim ${claim} names no workload nhi-census resolves`), issuer_kind: i.kind };
}

/** The node id of the workload a trust admits: opaque, one per (issuer, subject as given). */
export function trustEndpointId(issuer: string, subject: string): string {
  return `trust:${issuer}#${subject}`;
}

/** Whether a node id is a trust endpoint's (the one id namespace no provider owns; the crawl engine admits it). */
export function isTrustEndpointId(id: string): boolean {
  return id.startsWith('trust:');
}

/** The shared endpoint node for a trusted (issuer, subject); `subject` may be a claim=value the caller spells. */
export function trustEndpoint(issuer: string, subject: string, described: TrustDescription = describeTrust(issuer, subject)): GraphNode {
  return {
    id: trustEndpointId(issuer, subject), kind: 'endpoint', type: 'trust.workload', shared: true,
    name: described.repository ? `${described.repository} (${subject})` : subject,
    props: { issuer, subject, ...described },
  };
}

/** Registered kinds, for docs and `--help`. */
export function registeredTrustIssuers(): string[] {
  return issuers.keys().sort();
}
