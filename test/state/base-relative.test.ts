// Issue 20 item 1: the provider-neutral stored form of URL-bearing crawl state (src/crawl/base-relative.ts):
// path and query with the base it was issued for, resolved against the current base, discarded otherwise.
import { describe, expect, it } from 'vitest';
import { decodeStoredUrl, discardNote, encodeStoredUrl, resolveCachedNext, resolveStored, resolveStoredValue, toStored } from '../../src/crawl/base-relative.ts';

describe('URL state relative to the configured base', () => {
  it('keeps path and query with the base, and resolves to the same URL on the same base', () => {
    const s = toStored('https://GHE.example.com:443/api/v3/orgs/x/repos?page=2', { base: 'https://ghe.example.com/api/v3/' });
    expect(s).toEqual({ base: 'https://ghe.example.com/api/v3', rel: '/api/v3/orgs/x/repos?page=2' });
    expect(resolveStored(s, { base: 'https://ghe.example.com/api/v3' })).toBe('https://ghe.example.com/api/v3/orgs/x/repos?page=2');
    expect(decodeStoredUrl(encodeStoredUrl(s))).toEqual(s);
  });

  it('refuses to store a URL of another origin', () => {
    expect(() => toStored('https://evil.example/x', { base: 'https://api.github.com' })).toThrow(/not on the base URL's origin/);
  });

  it('discards state issued for another base or credential, with the ledger line naming where it came from', () => {
    const s = toStored('http://127.0.0.1:4000/v1.0/users/delta?$deltatoken=a', { base: 'http://127.0.0.1:4000/v1.0', cred: 'app-1' });
    const moved = resolveStored(s, { base: 'http://127.0.0.1:4001/v1.0', cred: 'app-1' });
    expect(moved).toEqual({ discard: 'base URL changed', from: 'http://127.0.0.1:4000/v1.0' });
    expect(discardNote(moved as never)).toBe('state from http://127.0.0.1:4000/v1.0 discarded: base URL changed');
    expect(resolveStored(s, { base: 'http://127.0.0.1:4000/v1.0', cred: 'app-2' })).toMatchObject({ discard: 'credential changed' });
    expect(resolveStored(s, { base: 'http://127.0.0.1:4000/v1.0', cred: 'app-1' })).toBe('http://127.0.0.1:4000/v1.0/users/delta?$deltatoken=a');
  });

  it('never resolves to another host, whatever the stored text says', () => {
    const base = { base: 'https://api.github.com' };
    expect(resolveStored({ base: 'https://api.github.com', rel: '//evil.example/x' }, base)).toMatchObject({ discard: 'unreadable' });
    expect(resolveStored({ base: 'https://api.github.com', rel: 'x' }, base)).toMatchObject({ discard: 'unreadable' });
    // a bare absolute URL (an older version's, or planted) counts as issued for its own origin
    expect(resolveCachedNext('https://evil.example/orgs/x?page=2', 'https://api.github.com', base)).toEqual({ discard: 'base URL changed', from: 'https://evil.example' });
    expect(resolveStoredValue('not a url', base)).toMatchObject({ discard: 'unreadable' });
    expect(resolveCachedNext('/orgs/x/repos?page=2', null, base)).toBe('https://api.github.com/orgs/x/repos?page=2');
  });
});
