// The contract machinery itself (test/helpers/contract.ts): a contract names only fields the vendor type has,
// with kinds it allows (the `@ts-expect-error` lines fail `tsc` if a wrong shape stops being an error); reads are
// recorded through arrays, optional links, `in` checks and whole-object reads; served JSON is judged by kind.
import { describe, expect, it } from 'vitest';
import type { UsersListResponse } from '@slack/web-api';
import type { components } from '@octokit/openapi-types';
import { covered, fields, ReadRecorder, servedProblems, valuesAt } from '../helpers/contract.ts';

type Member = NonNullable<UsersListResponse['members']>[number];
type Installation = components['schemas']['installation'];

describe('contract fields are checked against the vendor type at compile time', () => {
  it('accepts paths and kinds the vendor type has', () => {
    const f = fields<Member>()({ id: 'string', 'profile.email': 'string', deleted: 'boolean', updated: 'number', 'enterprise_user.teams': 'array', 'enterprise_user.teams[]': 'string' });
    expect(Object.keys(f)).toHaveLength(6);
    // unions of object types (an installation's account is a user or an enterprise)
    expect(Object.keys(fields<Installation>()({ 'account.login': 'string', 'account.slug': 'string', events: 'array' }))).toHaveLength(3);
    // a key holding a dot is one field; '?' marks one the vendor may leave out
    expect(fields<{ id: string; '@odata.type'?: string }>()({ '@odata.type': 'string?' })).toEqual({ '@odata.type': 'string?' });
  });

  it('rejects a field the vendor type does not have, and a kind it does not allow', () => {
    // @ts-expect-error: Slack's member has no `email` at the top level (it is profile.email)
    fields<Member>()({ email: 'string' });
    // @ts-expect-error: `deleted` is a boolean in Slack's type
    fields<Member>()({ deleted: 'string' });
    // @ts-expect-error: an installation id is a number
    fields<Installation>()({ id: 'string' });
    expect(true).toBe(true);
  });
});

describe('read recorder', () => {
  it('records the fields a mapper reads, arrays as [], `in` checks, and whole objects walked as one field', () => {
    const rec = new ReadRecorder();
    const item = rec.wrap({ id: 'W1', steps: [{ function_id: 'A#/f' }, { function_id: 'slack#/g' }], owner: { login: 'x' }, permissions: { contents: 'write' } } as Record<string, any>);
    const fns = (item.steps as Array<{ function_id: string }>).map((s) => s.function_id);
    void ('login' in item.owner);
    void Object.entries(item.permissions);
    void item.profile?.email; // absent: still a read
    expect(fns).toEqual(['A#/f', 'slack#/g']);
    expect([...rec.fields()].sort()).toEqual(['owner', 'owner.login', 'permissions', 'profile', 'steps', 'steps[]', 'steps[].function_id']);
    expect([...covered({ 'steps[].function_id': 'string' })].sort()).toEqual(['steps', 'steps[]', 'steps[].function_id']);
  });

  it('finds values by path, a dotted key whole', () => {
    expect(valuesAt({ '@odata.type': '#microsoft.graph.user', steps: [{ f: 'a' }, { f: 'b' }] }, '@odata.type')).toEqual(['#microsoft.graph.user']);
    expect(valuesAt({ steps: [{ f: 'a' }, {}, { f: 'b' }] }, 'steps[].f')).toEqual(['a', 'b']);
  });

  it('judges served items by kind; null is "no value"; a field never served is named', () => {
    const c = { id: 'string', 'profile.email': 'string', deleted: 'boolean' } as const;
    expect(servedProblems('t', [{ id: 'U1', profile: { email: null }, deleted: false }, { id: 'U2', profile: { email: 'a@b' } }], c)).toEqual([]);
    expect(servedProblems('t', [{ id: 7, deleted: 'no' }], c)).toEqual([
      't: id is number (7), the vendor\'s type says string',
      't: profile.email is never served (the adapter reads it; the simulator should serve it)',
      't: deleted is string ("no"), the vendor\'s type says boolean',
    ]);
  });
});
