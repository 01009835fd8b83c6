// Issue 19: an Entra federated credential's TRUSTS edge (connectors/azure/federated-trust.ts) from hostile input —
// no issuer or subject: no edge (the credential node is kept by its mapper); a subject past Graph's 600-character
// limit is clipped, flagged unrecognised and never resolved; a pasted token is masked out of the node id; control
// characters are kept as given (the writer makes NUL storable), and nothing throws.
import { beforeAll, describe, expect, it } from 'vitest';
import { federatedTrust, MAX_TRUST_TEXT } from '../../connectors/azure/federated-trust.ts';
import { GITHUB_ACTIONS_ISSUER } from '../../connectors/github/trust-issuers.ts';
import { registerTrustIssuer } from '../../src/trust/registry.ts';
import { loadConnectors } from '../../src/crawl/load-connectors.ts';

const GH = 'https://token.actions.githubusercontent.com';

beforeAll(async () => { await loadConnectors(); registerTrustIssuer(GITHUB_ACTIONS_ISSUER); });

describe('federatedTrust', () => {
  it('a pinned subject: one shared endpoint and one TRUSTS edge with via and audiences', () => {
    const t = federatedTrust('azure:federated_credential:1', GH, 'repo:acme/api:environment:prod', ['api://AzureADTokenExchange']);
    expect(t.nodes).toHaveLength(1);
    expect(t.nodes[0]).toMatchObject({ id: `trust:${GH}#repo:acme/api:environment:prod`, kind: 'endpoint', type: 'trust.workload', shared: true,
      props: { issuer_kind: 'github-actions', breadth: 'pinned', environment: 'prod', workload_key: 'github:repo:acme/api' } });
    expect(t.edges).toEqual([{ type: 'TRUSTS', from: 'azure:federated_credential:1', to: t.nodes[0]!.id, props: { via: 'federated_credential', audiences: ['api://AzureADTokenExchange'] } }]);
  });

  it('no issuer or no subject: no endpoint, no edge', () => {
    expect(federatedTrust('c', null, 'repo:a/b:ref:refs/heads/main', [])).toEqual({ nodes: [], edges: [] });
    expect(federatedTrust('c', GH, null, [])).toEqual({ nodes: [], edges: [] });
    expect(federatedTrust('c', GH, '', [])).toEqual({ nodes: [], edges: [] });
  });

  it('a huge subject is clipped into the id and flagged unrecognised, never resolved to a repository', () => {
    const subject = `repo:acme/api:ref:refs/heads/${'x'.repeat(1_000_000)}`;
    const t = federatedTrust('c', GH, subject, []);
    const n = t.nodes[0]!;
    expect(n.id.length).toBeLessThan(MAX_TRUST_TEXT + GH.length + 40);
    expect(n.props).toMatchObject({ breadth: 'unrecognised', workload_key: null, repository: null });
    expect(String(n.props.subject).endsWith(`…[${subject.length} characters]`)).toBe(true);
  });

  it('a token pasted into a subject is masked out of the id and props; control characters do not throw', () => {
    const token = `ghp_${'A1b2C3d4E5'.repeat(4).slice(0, 36)}`;
    const t = federatedTrust('c', GH, `repo:acme/api:ref:${token}`, []);
    expect(t.nodes[0]!.id).not.toContain(token);
    expect(JSON.stringify(t.nodes[0]!.props)).not.toContain(token);
    expect(t.nodes[0]!.props.breadth).toBe('unrecognised');
    const ctl = federatedTrust('c', `${GH}/\u0000x`, 'repo:acme/api:ref:refs/heads/main\u001b[31m', []);
    expect(ctl.edges).toHaveLength(1);
    expect(ctl.nodes[0]!.props).toMatchObject({ issuer_kind: 'unknown', subject: 'repo:acme/api:ref:refs/heads/main\u001b[31m' });
  });
});
