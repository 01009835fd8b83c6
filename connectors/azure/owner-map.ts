// Shared by the owner listings of app registrations and service principals: owners that are users
// become OWNS edges (the user node is a reference until the users listing fills it in); owners that are
// service principals are kept as a count on nothing — OWNS runs from principals only.
import type { DirectoryObject, User } from '@microsoft/microsoft-graph-types';
import type { Emitted } from '../../src/graph/model.ts';
import { userRef } from './map-helpers.ts';

export type Owner = DirectoryObject & Pick<User, 'userPrincipalName' | 'displayName'> & { '@odata.type'?: string };

export const OWNER_SELECT = '$select=id,displayName,userPrincipalName';

export function mapOwner(o: Owner, connectorId: string, on: string): Emitted {
  if (!o.id || (o['@odata.type'] && o['@odata.type'] !== '#microsoft.graph.user')) return { nodes: [], edges: [] };
  const ref = userRef(o.id, o.userPrincipalName ?? o.displayName ?? null);
  return { nodes: [ref], edges: [{ type: 'OWNS', from: ref.id, to: connectorId, props: { on } }] };
}
