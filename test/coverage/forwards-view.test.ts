// The forwards view (migration 010): network hosts in `host`, chat channels in `channel` / `channel_id` — also for
// channel endpoints written before 010, which carry no endpoint_type (the migration marks them).
import { describe, expect, it } from 'vitest';
import * as m010 from '../../src/graph/migrations/010-forward-channels.ts';
import { connector, crawlRun, endpoint, memDb } from '../reconcile/helpers.ts';

describe('forwards view', () => {
  it('lists a chat channel apart from network hosts, including channel endpoints stored before the migration', () => {
    const db = memDb();
    const hook = connector('p', 'hook');
    const relay = connector('p', 'relay');
    const old = { id: 'p:endpoint:T1:C0OLD0001', kind: 'endpoint' as const, type: 'p.channel', name: '#old-alerts', props: { channel: 'C0OLD0001', team_id: 'T1', host: 'hooks.example.com' } };
    crawlRun(db, 'p', { hooks: { nodes: [hook, relay, old, endpoint('p', 'collector.example.net')], edges: [
      { type: 'FORWARDS_TO', from: hook.id, to: old.id }, { type: 'FORWARDS_TO', from: relay.id, to: 'p:endpoint:collector.example.net' }] } });
    // as a database written before 010 holds it: the channel endpoint without endpoint_type
    db.prepare("UPDATE nodes SET props = json_remove(props, '$.endpoint_type') WHERE id = ?").run(old.id);
    db.exec(m010.sql);
    const rows = db.prepare('SELECT connector_id, host, channel, channel_id FROM forwards ORDER BY connector_id').all();
    expect(rows).toEqual([
      { connector_id: hook.id, host: null, channel: '#old-alerts', channel_id: null },
      { connector_id: relay.id, host: 'collector.example.net', channel: null, channel_id: null },
    ]);
    expect(JSON.parse((db.prepare('SELECT props FROM nodes WHERE id = ?').get(old.id) as { props: string }).props)).toMatchObject({ endpoint_type: 'channel' });
  });
});
