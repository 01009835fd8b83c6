// The TRUSTS edge of an Entra federated identity credential (issue 19): the credential accepts tokens whose issuer and
// subject are the ones it names, so it trusts that workload (docs/blast-radius.md). The endpoint comes from the neutral
// trust registry (src/trust/registry.ts), which knows the issuers other connectors register (GitHub Actions…).
// Provider text is hostile: an issuer or subject beyond Graph's documented 600-character limit is clipped before it
// becomes part of a node id (and then reviewed by hand, never parsed), and a token pasted into one is masked, since
// node ids are stored as given.
import type { GraphEdge, GraphNode } from '../../src/graph/model.ts';
import { describeTrust, trustEndpoint, type TrustDescription } from '../../src/trust/registry.ts';
import { maskText } from '../../src/util/redact.ts';

/** Graph's documented limit for issuer and subject is 600 characters; past this, the text is clipped and flagged. */
export const MAX_TRUST_TEXT = 1000;

function clip(s: string): { text: string; clipped: boolean } {
  const masked = maskText(s);
  return masked.length <= MAX_TRUST_TEXT ? { text: masked, clipped: masked !== s }
    : { text: `${masked.slice(0, MAX_TRUST_TEXT)}…[${masked.length} characters]`, clipped: true };
}

/**
 * The endpoint and TRUSTS edge for a credential trusting (issuer, subject), or none when either is missing (the
 * credential node is kept: a federated credential that names no workload trusts nothing we can show).
 */
export function federatedTrust(credentialId: string, issuer: string | null, subject: string | null, audiences: readonly string[]):
  { nodes: GraphNode[]; edges: GraphEdge[] } {
  if (!issuer || !subject) return { nodes: [], edges: [] };
  const i = clip(issuer);
  const s = clip(subject);
  let described: TrustDescription = describeTrust(i.text, s.text);
  if (i.clipped || s.clipped) {
    described = { ...described, workload_key: null, repository: null, environment: null, ref: null, breadth: 'unrecognised',
      breadth_reason: 'the issuer or subject is too long or holds a credential-shaped text: kept clipped and masked, reviewed by hand' };
  }
  const endpoint = trustEndpoint(i.text, s.text, described);
  return {
    nodes: [endpoint],
    edges: [{ type: 'TRUSTS', from: credentialId, to: endpoint.id, props: { via: 'federated_credential', audiences: [...audiences] } }],
  };
}
