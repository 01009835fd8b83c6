// Shared by the owner listings of app registrations and service principals: owners that are users
// become OWNS edges (the user node is a reference until the users listing fills it in); owners that are
// service principals are kept as a count on nothing — OWNS runs from principals only. Owners are told apart
// by '@odata.type' when Graph annotates them, else by the userPrincipalName only users have.
import type { DirectoryObject, User } from '@microsoft/microsoft-graph-types';
import type { Emitted } from '../../src/graph/model.ts';
import { fieldsOf } from '../../src/crawl/malformed-item.ts';
import { userRef } from './map-helpers.ts';

export type Owner = DirectoryObject & Pick<User, 'userPrincipalName' | 'displayName'> & { '@odata.type'?: string };

export const OWNER_SELECT = '$select=id,displayName,userPrincipalName';

export function mapOwner(o: Owner, connectorId: string, on: string): Emitted {
  const f = fieldsOf(o, 'owners[]');
  // '@odata.type' names the derived type (read as one key: the name holds a dot). Graph may leave it out: then
  // only a user has a userPrincipalName (selected above), so an owner without one is not taken for a person.
  // Either one present with another type is a malformed owner (skipped and named: the listing is partial), never
  // an owner silently taken for a non-person — that would drop its OWNS edge as if the owner had gone.
  const annotated = f.optionalString('@odata.type');
  const upn = f.optionalString('userPrincipalName');
  const type = annotated || (upn ? '#microsoft.graph.user' : null);
  if (type !== '#microsoft.graph.user') return { nodes: [], edges: [] };
  const ref = userRef(f.string('id'), upn || f.label('displayName'));
  return { nodes: [ref], edges: [{ type: 'OWNS', from: ref.id, to: connectorId, props: { on } }] };
}
