// The views `query --help` and the interactive prompt name are the ones a migrated database has (either backend).
import { describe, expect, it } from 'vitest';
import { sqlFor } from '../../src/graph/dialect.ts';
import { GRAPH_VIEWS } from '../../src/graph/views.ts';
import { buildProgram } from '../../src/cli/main.ts';
import { describeBackends } from '../helpers/backends.ts';

describeBackends('graph views', ({ openTestDb }) => {
  it('GRAPH_VIEWS is exactly the set of views the migrations create', () => {
    const db = openTestDb();
    const views = (db.prepare(sqlFor(db, { sqlite: "select name from sqlite_master where type = 'view'",
      postgres: 'select table_name AS name from information_schema.views where table_schema = current_schema()' })).all() as Array<{ name: string }>).map((r) => r.name);
    expect([...GRAPH_VIEWS].sort()).toEqual(views.sort());
  });
});

describe('query --help', () => {

  it('query --help names every view, and no view that does not exist', () => {
    const query = buildProgram().commands.find((c) => c.name() === 'query')!;
    const listed = /\(views: ([^)]*)\)/.exec(query.helpInformation())?.[1]?.split(/,\s*/);
    expect(listed).toEqual([...GRAPH_VIEWS]);
  });
});
