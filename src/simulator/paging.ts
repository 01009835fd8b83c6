// Paging helpers shared by the simulators: every provider slices a list the same way and only the
// wire shape differs (Link header, cursor, page token, @odata.nextLink).

export interface Slice<T> { items: T[]; nextOffset: number | null }

export function slice<T>(all: T[], offset: number, size: number): Slice<T> {
  const items = all.slice(offset, offset + size);
  return { items, nextOffset: offset + size < all.length ? offset + size : null };
}

/** Page size from a request value, clamped to the provider's maximum. */
export function pageSize(raw: string | null | undefined | unknown, def: number, max: number): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) return def;
  return Math.min(Math.floor(n), max);
}

/** Opaque cursors (Slack cursors, Google page tokens, Graph skip tokens) that encode an offset. */
export function encodeCursor(offset: number, tag = 'o', salt?: number): string {
  return Buffer.from(`${tag}:${offset}${salt === undefined ? '' : `:${salt}`}`).toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined, tag = 'o'): number | null {
  if (!cursor) return 0;
  const s = Buffer.from(cursor, 'base64url').toString('utf8');
  const [t, n] = s.split(':');
  const v = Number(n);
  return t === tag && Number.isInteger(v) && v >= 0 ? v : null;
}

/** The cursor of the page a request asked for (the first page without one), optionally salted to be distinct. */
export function selfCursor(cursor: string | null | undefined, tag = 'o', salt?: number): string {
  return encodeCursor(decodeCursor(cursor, tag) ?? 0, tag, salt);
}

/** A request's own URL, optionally with a counter parameter so that it is distinct but serves the same page. */
export function selfUrl(url: URL, salt?: number): string {
  if (salt === undefined) return url.toString();
  const u = new URL(url.toString());
  u.searchParams.set('loop', String(salt));
  return u.toString();
}

/** GitHub-style Link header for page/per_page paging (absolute URLs on the request's origin). */
export function linkHeader(url: URL, page: number, perPage: number, total: number): string | undefined {
  const last = Math.max(1, Math.ceil(total / perPage));
  const mk = (p: number, rel: string) => {
    const u = new URL(url.toString());
    u.searchParams.set('page', String(p));
    u.searchParams.set('per_page', String(perPage));
    return `<${u.toString()}>; rel="${rel}"`;
  };
  const parts: string[] = [];
  if (page < last) parts.push(mk(page + 1, 'next'), mk(last, 'last'));
  if (page > 1) parts.push(mk(1, 'first'), mk(page - 1, 'prev'));
  return parts.length ? parts.join(', ') : undefined;
}
