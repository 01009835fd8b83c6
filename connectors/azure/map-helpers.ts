// Pure mapping helpers shared by the Azure resources: node ids, tenant links, user references,
// permission scope nodes and the credential shapes (password, certificate, federated) of apps and SPs.
import type { KeyCredential, PasswordCredential } from '@microsoft/microsoft-graph-types';
import { nodeId, type Emitted, type GraphEdge, type GraphNode } from '../../src/graph/model.ts';
import { describeValue, fieldsOf, MalformedItem, readOrSkip, type SkippedItem } from '../../src/crawl/malformed-item.ts';

export const P = 'azure';
/** Microsoft's own tenant: first-party (Microsoft) applications carry it as appOwnerOrganizationId. */
export const MICROSOFT_TENANT = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';

export const ids = {
  tenant: (id: string) => nodeId(P, 'tenant', id.toLowerCase()),
  user: (id: string) => nodeId(P, 'user', id),
  application: (id: string) => nodeId(P, 'application', id),
  servicePrincipal: (id: string) => nodeId(P, 'service_principal', id),
  secret: (keyId: string) => nodeId(P, 'client_secret', keyId),
  certificate: (keyId: string) => nodeId(P, 'certificate', keyId),
  federated: (id: string) => nodeId(P, 'federated_credential', id),
  scope: (resource: string, type: 'Application' | 'Delegated', value: string) => nodeId(P, 'scope', `${resource}/${type.toLowerCase()}/${value}`),
  vendor: (orgId: string) => nodeId(P, 'vendor', orgId.toLowerCase()),
  subscription: (id: string) => nodeId(P, 'subscription', id.toLowerCase()),
};

export function inTenant(from: string, tenant: string): GraphEdge {
  return { type: 'IN_TENANT', from, to: ids.tenant(tenant) };
}

/** A user referenced by another object (owner, consenting user): created if unknown, never overwrites the user's node. */
export function userRef(id: string, upn?: string | null): GraphNode {
  return { id: ids.user(id), kind: 'principal', type: 'azure.user', name: upn ?? id, ref: true, props: { object_id: id, status: 'unknown' } };
}

/** A permission held by a connector: scope node named by the permission value ('Mail.Read'). */
export function scopeNode(resource: { key: string; name: string | null }, type: 'Application' | 'Delegated', value: string, resolved = true): GraphNode {
  return { id: ids.scope(resource.key, type, value), kind: 'scope', type: 'azure.permission', name: value,
    props: { permission: value, type, resource: resource.name, resource_id: resource.key, resolved } };
}

export function need<T>(value: T | null | undefined, field: string): T {
  if (value === null || value === undefined) throw new MalformedItem(field, 'a value', describeValue(value));
  return value;
}

/** Credential metadata only: the secret text and the key blob are never part of it. */
export interface CredentialMeta {
  kind: 'password' | 'key';
  keyId: string;
  displayName: string | null;
  hint: string | null;
  type: string | null;
  usage: string | null;
  start: string | null;
  end: string | null;
}

export function passwordMeta(c: PasswordCredential, holderId: string | null = null): CredentialMeta {
  const f = fieldsOf(c, 'passwordCredentials[]', 'keyId', holderId);
  return { kind: 'password', keyId: f.string('keyId'), displayName: f.label('displayName'), hint: f.label('hint'),
    type: null, usage: null, start: f.optionalString('startDateTime'), end: f.optionalString('endDateTime') };
}

export function keyMeta(c: KeyCredential, holderId: string | null = null): CredentialMeta {
  const f = fieldsOf(c, 'keyCredentials[]', 'keyId', holderId);
  return { kind: 'key', keyId: f.string('keyId'), displayName: f.label('displayName'), hint: null,
    type: f.label('type'), usage: f.label('usage'), start: f.optionalString('startDateTime'), end: f.optionalString('endDateTime') };
}

/**
 * The secrets and certificates an application or service principal carries, as metadata. keyId is nullable in
 * Graph's schema: a credential without one (or otherwise malformed) is left out alone and reported, named by its
 * holder's object id, so the credential listing is partial while the holder and its other credentials stand.
 */
export function credentialMetas(holder: { passwordCredentials?: unknown; keyCredentials?: unknown }, holderId: string):
    { credentials: CredentialMeta[]; malformed: SkippedItem[] } {
  const credentials: CredentialMeta[] = [];
  const malformed: SkippedItem[] = [];
  const f = fieldsOf(holder, 'credentials', 'id', holderId);
  const each = (list: unknown[], meta: (c: never) => CredentialMeta) => {
    for (const c of list) {
      const m = readOrSkip(malformed, () => meta(c as never));
      if (m) credentials.push(m);
    }
  };
  each(f.list('passwordCredentials'), (c: PasswordCredential) => passwordMeta(c, holderId));
  each(f.list('keyCredentials'), (c: KeyCredential) => keyMeta(c, holderId));
  return { credentials, malformed };
}

/** CI/CD systems that can present an OIDC token to Entra (workload identity federation) instead of a secret. */
const FEDERATION_CAPABLE = /github|gitlab|azure ?devops|\bado\b|pipelines?|terraform ?cloud|circleci|bitbucket|kubernetes|\baks\b|\bci\b|\bcd\b/i;

/** A password or certificate credential held by an application or service principal. */
export function credentialNodes(meta: CredentialMeta, holder: { id: string; name: string; kind: 'application' | 'service_principal'; hasFederated: boolean }, tenant: string): Emitted {
  const id = meta.kind === 'password' ? ids.secret(meta.keyId) : ids.certificate(meta.keyId);
  const label = meta.displayName ?? (meta.kind === 'password' ? 'client secret' : 'certificate');
  const federationAvailable = meta.kind === 'password' && (FEDERATION_CAPABLE.test(meta.displayName ?? '') || FEDERATION_CAPABLE.test(holder.name));
  const node: GraphNode = { id, kind: 'credential', type: meta.kind === 'password' ? 'azure.client_secret' : 'azure.certificate',
    name: `${label} (${holder.name})`, props: {
      credential_type: meta.kind === 'password' ? 'client_secret' : 'certificate', key_id: meta.keyId, display_name: meta.displayName,
      hint: meta.hint, key_type: meta.type, key_usage: meta.usage, created_at: meta.start, expires_at: meta.end,
      last_used_at: null, static: true, enabled: true, holder_kind: holder.kind,
      federation_available: federationAvailable, holder_has_federated_credential: holder.hasFederated,
    } };
  return { nodes: [node], edges: [inTenant(id, tenant), { type: 'HAS_CREDENTIAL', from: holder.id, to: id, props: { on: holder.kind } }] };
}
