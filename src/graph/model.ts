// The canonical graph vocabulary (DESIGN.md): node kinds, edge types, and the shapes adapters emit.
// Adapters map provider objects to these; rules, views and reports only ever see these.

export const NODE_KINDS = ['tenant', 'connector', 'credential', 'principal', 'scope', 'resource', 'vendor', 'endpoint'] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

/** edge type -> allowed [from kinds, to kinds] */
export const EDGE_TYPES = {
  IN_TENANT: [['connector', 'credential', 'principal', 'resource', 'tenant'], ['tenant']],
  OWNS: [['principal'], ['connector', 'resource']],
  INSTALLED_BY: [['connector', 'credential'], ['principal']],
  HAS_CREDENTIAL: [['connector', 'principal'], ['credential']],
  HAS_SCOPE: [['connector', 'credential'], ['scope']],
  CAN_ACCESS: [['connector', 'credential', 'principal'], ['resource', 'tenant']],
  PUBLISHED_BY: [['connector'], ['vendor']],
  FORWARDS_TO: [['connector'], ['endpoint']],
  SAME_PERSON: [['principal'], ['principal']],
  /** The source accepts tokens issued for that workload (a federated credential or Workload Identity trust; src/trust/registry.ts). */
  TRUSTS: [['credential', 'connector'], ['resource', 'endpoint']],
} as const satisfies Record<string, readonly [readonly NodeKind[], readonly NodeKind[]]>;
export type EdgeType = keyof typeof EDGE_TYPES;

/** Normalised properties the views and rules rely on, per kind (docs/graph.md). Adapters add native fields beside them. */
export interface PrincipalProps { email?: string | null; emails?: string[]; status?: 'active' | 'disabled' | 'deleted' | 'unknown'; is_admin?: boolean }
export interface ConnectorProps {
  connector_type?: string; app_id?: string | null; enabled?: boolean; created_at?: string | null;
  last_used_at?: string | null; first_party?: boolean;
}
export interface CredentialProps {
  credential_type?: string; created_at?: string | null; expires_at?: string | null; last_used_at?: string | null;
  static?: boolean; enabled?: boolean; access?: string;
}

export type Props = Record<string, unknown>;

/**
 * Props that record recent activity, not configuration: a node always carries their latest value, but a
 * change in them alone is not history (a used credential would otherwise add a 'modified' row every night).
 */
export const OBSERVATION_PROPS: readonly string[] = ['last_used_at', 'last_used_source', 'last_login_at', 'last_response'];

export interface GraphNode {
  id: string;
  kind: NodeKind;
  type: string;
  name: string;
  props: Props;
  /** A reference: create if missing, never overwrite or claim (e.g. a user seen only as a key's creator). */
  ref?: boolean;
  /**
   * Emitted by many listings (an OAuth client every granting user's listing sees, a scope): each upserts
   * it, none owns it, and it is removed once no live edge links it any more (after a listing's removals).
   */
  shared?: boolean;
  /**
   * Only these props change on a node another listing owns, if it exists and is live (e.g. a last use read
   * from an audit log for an object not re-listed this run): never creates, claims, revives or removes it.
   */
  patch?: boolean;
}

export interface GraphEdge {
  type: EdgeType;
  from: string;
  to: string;
  props?: Props;
}

export interface Emitted { nodes: GraphNode[]; edges: GraphEdge[] }

export function nodeId(provider: string, type: string, nativeId: string | number): string {
  return `${provider}:${type}:${nativeId}`;
}

export function edgeId(e: GraphEdge): string {
  return `${e.from}|${e.type}|${e.to}`;
}
