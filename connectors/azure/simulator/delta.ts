// Delta rounds for the Azure simulator: a round is the list a delta request answers (everything, or the
// changes since a snapshot), served in pages of `deltaPageSize` with `$skiptoken` nextLinks; its last page
// carries a deltaLink whose `$deltatoken` names a snapshot of what the client has now seen (one short hash
// per object, so 50,000 users stay small). Changes = objects whose selected fields differ, plus `@removed`.
import crypto from 'node:crypto';

type Obj = Record<string, unknown> & { id?: string };
interface Round { items: Obj[]; hashes: Map<string, string>; select: string | null }

export class DeltaRounds {
  private rounds = new Map<string, Round>();
  private snapshots = new Map<string, { hashes: Map<string, string>; select: string | null }>();
  private seq = 0;

  /** Starts a full round (no token) or a changes round (token); null when the token is unknown. */
  start(current: Obj[], select: string | null, token: string | null, removedReason: (id: string) => string): string | null {
    const pick = (o: Obj) => project(o, select);
    if (!token) {
      const items = current.map(pick);
      return this.add({ items, hashes: hashAll(items), select });
    }
    const snap = this.snapshots.get(token);
    if (!snap) return null;
    const items = current.map((o) => project(o, snap.select));
    const hashes = hashAll(items);
    const changes: Obj[] = items.filter((o) => snap.hashes.get(o.id!) !== hashes.get(o.id!));
    for (const id of snap.hashes.keys()) if (!hashes.has(id)) changes.push({ id, '@removed': { reason: removedReason(id) } });
    return this.add({ items: changes, hashes, select: snap.select });
  }

  /** One page of a round: its items and either the next offset or the new delta token. */
  page(roundId: string, offset: number, size: number): { items: Obj[]; next: number | null; deltaToken: string | null } | null {
    const round = this.rounds.get(roundId);
    if (!round) return null;
    const items = round.items.slice(offset, offset + size);
    if (offset + size < round.items.length) return { items, next: offset + size, deltaToken: null };
    const token = `d${++this.seq}${crypto.randomBytes(6).toString('hex')}`;
    this.snapshots.set(token, { hashes: round.hashes, select: round.select });
    this.rounds.delete(roundId);
    return { items, next: null, deltaToken: token };
  }

  private add(r: Round): string {
    const id = `r${++this.seq}`;
    this.rounds.set(id, r);
    return id;
  }
}

/** $select: only the named fields (and id); without it every field but keyCredentials' key blobs. */
export function project(o: Obj, select: string | null): Obj {
  if (!select) {
    const { keyCredentials, ...rest } = o as Obj & { keyCredentials?: Array<Record<string, unknown>> };
    return keyCredentials ? { ...rest, keyCredentials: keyCredentials.map(({ key: _k, ...k }) => k) } : rest;
  }
  const out: Obj = { id: o.id };
  // Annotations ('@odata.type' of a derived type in a directoryObject collection) are not properties: $select keeps them.
  for (const k of Object.keys(o)) if (k.startsWith('@odata.')) out[k] = o[k];
  for (const f of select.split(',').map((x) => x.trim()).filter(Boolean)) if (f in o) out[f] = o[f];
  return out;
}

function hashAll(items: Obj[]): Map<string, string> {
  return new Map(items.map((o) => [o.id!, crypto.createHash('sha1').update(JSON.stringify(o)).digest('base64').slice(0, 12)]));
}
