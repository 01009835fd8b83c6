// The views `query --help` and the interactive prompt name are the ones a migrated database has.
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/graph/db.ts';
import { GRAPH_VIEWS } from '../../src/graph/views.ts';
import { buildProgram } from '../../src/cli/main.ts';

describe('graph views', () => {
  it('GRAPH_VIEWS is exactly the set of views the migrations create', () => {
    const db = openDb(':memory:', { noBackup: true });
    try {
      const views = (db.prepare("select name from sqlite_master where type = 'view' order by name").all() as Array<{ name: string }>).map((r) => r.name);
      expect([...GRAPH_VIEWS].sort()).toEqual(views);
    } finally { db.close(); }
  });

  it('query --help names every view, and no view that does not exist', () => {
    const query = buildProgram().commands.find((c) => c.name() === 'query')!;
    const listed = /\(views: ([^)]*)\)/.exec(query.helpInformation())?.[1]?.split(/,\s*/);
    expect(listed).toEqual([...GRAPH_VIEWS]);
  });
});
