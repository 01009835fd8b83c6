// The field guards mappers read provider items through (src/crawl/malformed-item.ts), and the simulators'
// 'malformed' fault: messages name the field and the types, never the hostile value; nullable fields read as
// null; a key holding a dot ('@odata.type') is one key.
import { describe, expect, it } from 'vitest';
import { fieldsOf, MalformedItem, nativeIdOf } from '../../src/crawl/malformed-item.ts';
import { malformItem } from '../../src/simulator/faults.ts';

const thrown = (fn: () => unknown): MalformedItem => {
  try { fn(); } catch (err) { if (err instanceof MalformedItem) return err; throw err; }
  throw new Error('no MalformedItem thrown');
};

describe('fieldsOf', () => {
  it('names the field, the expected and the actual type, and the item by its id — never the value', () => {
    const item = { id: 'obj-1', login: { evil: 'ghp_0123456789abcdef0123456789abcdef0123' } };
    const err = thrown(() => fieldsOf(item, 'members[]').string('login'));
    expect(err.message).toBe('members[].login: expected a string, got an object');
    expect(err.record()).toEqual({ id: 'obj-1', problem: 'members[].login: expected a string, got an object' });
    expect(JSON.stringify(err.record())).not.toContain('ghp_');
  });

  it('an item without its id is named by the next key given, as field=value', () => {
    expect(nativeIdOf({ app_slug: 'zapier' }, ['id', 'app_slug'])).toBe('app_slug=zapier');
    expect(thrown(() => fieldsOf({ app_slug: 'zapier' }, 'installations[]', ['id', 'app_slug']).key('id')).itemId).toBe('app_slug=zapier');
  });

  it('nullable fields read as null when absent, and are malformed only with another type', () => {
    const f = fieldsOf({ id: 1, appId: null, tags: ['a'], '@odata.type': '#microsoft.graph.user', label: 7 }, 'x[]');
    expect(f.optionalString('appId')).toBeNull();
    expect(f.optionalString('notes')).toBeNull();
    expect(f.strings('tags')).toEqual(['a']);
    expect(f.strings('missing')).toEqual([]);
    expect(f.key('id')).toBe('1');
    expect(f.optionalString('@odata.type')).toBe('#microsoft.graph.user');
    expect(f.label('label')).toBeNull();
    expect(thrown(() => f.strings('id')).message).toBe('x[].id: expected a list of strings, got a number');
  });
});

describe("the simulators' malformed fault", () => {
  it('breaks every primitive of the first listed object, leaves the rest and the scenario alone', () => {
    const body = { '@odata.context': 'ctx', value: [{ id: 'a', nested: { n: 1, list: ['x'] } }, { id: 'b' }] };
    const out = malformItem(body) as typeof body;
    expect(out.value[0]).toEqual({ id: { malformed: true }, nested: { n: { malformed: true }, list: [{ malformed: true }] } });
    expect(out.value[1]).toEqual({ id: 'b' });
    expect(out['@odata.context']).toBe('ctx');
    expect(body.value[0]!.id).toBe('a');
  });

  it('breaks the object a path names in a single-object answer', () => {
    expect(malformItem({ ok: true, bot: { id: 'B1' } }, 'bot')).toEqual({ ok: true, bot: { id: { malformed: true } } });
    expect(malformItem({ login: 'org' }, '.')).toEqual({ login: { malformed: true } });
  });
});
