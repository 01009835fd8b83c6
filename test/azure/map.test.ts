// The pure mappers, with fixtures: no API, no database. Secrets never reach a node; statuses, ownership and
// scope identities follow the normalised vocabulary.
import { describe, expect, it } from 'vitest';
import { applications } from '../../connectors/azure/resources/applications.ts';
import { servicePrincipals } from '../../connectors/azure/resources/service-principals.ts';
import { users } from '../../connectors/azure/resources/users.ts';
import { credentialNodes, keyMeta, passwordMeta, scopeNode } from '../../connectors/azure/map-helpers.ts';
import { mapOwner } from '../../connectors/azure/owner-map.ts';

const ctx = { tenant: { provider: 'azure', id: 'contoso.example', config: {} }, parent: undefined, provider: 'azure' };
const T = '11111111-1111-1111-1111-111111111111';

describe('azure map functions', () => {
  it('keeps credential metadata only: no secret text, no key blob', () => {
    const secret = passwordMeta({ keyId: 'k1', displayName: 'GitHub Actions', hint: 'Abc', secretText: 'Abc~super-secret', startDateTime: '2026-01-01T00:00:00Z', endDateTime: '2027-01-01T00:00:00Z' });
    const cert = keyMeta({ keyId: 'k2', displayName: 'cert', type: 'AsymmetricX509Cert', usage: 'Verify', key: 'MIIBlob==', startDateTime: null, endDateTime: '2030-01-01T00:00:00Z' });
    const out = [secret, cert].map((m) => credentialNodes(m, { id: 'azure:application:a', name: 'deploy', kind: 'application', hasFederated: false }, T));
    const text = JSON.stringify(out);
    expect(text).not.toContain('super-secret');
    expect(text).not.toContain('MIIBlob');
    expect(out[0]!.nodes[0]!.props).toMatchObject({ credential_type: 'client_secret', expires_at: '2027-01-01T00:00:00Z', static: true, federation_available: true });
    expect(out[1]!.nodes[0]!.props).toMatchObject({ credential_type: 'certificate', federation_available: false });
    // The parent reference handed to the credentials listing carries metadata only as well.
    const ref = applications.ref!({ id: 'a', appId: 'x', displayName: 'deploy', passwordCredentials: [{ keyId: 'k1', secretText: 'Abc~super-secret' }] }, ctx as never);
    expect(JSON.stringify(ref)).not.toContain('super-secret');
  });

  it('maps user status: disabled, deleted, active, unknown', () => {
    const status = (u: Record<string, unknown>) => users.map({ id: 'u', userPrincipalName: 'u@x', ...u } as never, ctx as never).nodes[0]!.props.status;
    expect(status({ accountEnabled: false })).toBe('disabled');
    expect(status({ accountEnabled: true })).toBe('active');
    expect(status({})).toBe('unknown');
    expect(status({ accountEnabled: false, _deleted: true })).toBe('deleted');
  });

  it('tells ownership from appOwnerOrganizationId and publishes vendors', () => {
    const map = (sp: Record<string, unknown>) => servicePrincipals.map({ id: 's', appId: 'app', displayName: 'x', _tenantGuid: T, ...sp } as never, ctx as never);
    expect(map({ appOwnerOrganizationId: T }).nodes[0]!.props.ownership).toBe('internal');
    expect(map({ appOwnerOrganizationId: 'f8cdef31-a31e-4b4a-93e4-5f571e91255a' }).nodes[0]!.props.ownership).toBe('microsoft');
    const third = map({ appOwnerOrganizationId: '22222222-2222-2222-2222-222222222222', verifiedPublisher: { displayName: 'Vendor Ltd', verifiedPublisherId: '42' } });
    expect(third.nodes[0]!.props).toMatchObject({ ownership: 'third_party', app_id: 'app' });
    expect(third.nodes[1]).toMatchObject({ kind: 'vendor', name: 'Vendor Ltd' });
    expect(third.edges).toContainEqual({ type: 'PUBLISHED_BY', from: 'azure:service_principal:s', to: 'azure:vendor:22222222-2222-2222-2222-222222222222', props: { verified: true } });
    expect(map({ servicePrincipalType: 'ManagedIdentity' }).nodes[0]!.props).toMatchObject({ connector_type: 'managed_identity', ownership: 'managed_identity' });
  });

  it('keys scopes by resource, type and value; names them by value', () => {
    const app = scopeNode({ key: 'graph', name: 'Microsoft Graph' }, 'Application', 'Mail.Read');
    const del = scopeNode({ key: 'graph', name: 'Microsoft Graph' }, 'Delegated', 'Mail.Read');
    expect(app.id).not.toBe(del.id);
    expect([app.name, del.name]).toEqual(['Mail.Read', 'Mail.Read']);
  });

  it('maps user owners to OWNS and skips service-principal owners', () => {
    expect(mapOwner({ id: 'u1', '@odata.type': '#microsoft.graph.user', userPrincipalName: 'a@x' }, 'azure:application:a', 'application').edges)
      .toEqual([{ type: 'OWNS', from: 'azure:user:u1', to: 'azure:application:a', props: { on: 'application' } }]);
    expect(mapOwner({ id: 's1', '@odata.type': '#microsoft.graph.servicePrincipal' }, 'azure:application:a', 'application')).toEqual({ nodes: [], edges: [] });
  });
});
