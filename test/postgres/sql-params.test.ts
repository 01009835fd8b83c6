// The PostgreSQL driver's parameter translation (src/graph/pg/sql-params.ts), without a server: better-sqlite3-style
// `?`, `?NNN`, `@name`, `:name`, `$name` become $1..$n; literals, quoted identifiers, comments and casts stay as
// written; values bind as better-sqlite3 binds them; and the statement analysis the driver relies on.
import { describe, expect, it } from 'vitest';
import { bindValues, translateSql } from '../../src/graph/pg/sql-params.ts';

describe('translateSql', () => {
  it('numbers positional parameters and leaves string literals, identifiers, comments and casts alone', () => {
    const t = translateSql(`SELECT ?, '?' AS "a?b", x::int, E'it\\'s ?' -- why?\n, ? /* :no @no */ FROM t WHERE y = $$?$$`);
    expect(t.text).toBe(`SELECT $1, '?' AS "a?b", x::int, E'it\\'s ?' -- why?\n, $2 /* :no @no */ FROM t WHERE y = $$?$$`);
    expect(t.positionalCount).toBe(2);
  });

  it('gives each name one number whatever its prefix and however often it is used', () => {
    const t = translateSql('SELECT * FROM t WHERE a = @x AND b = :y AND c = $x AND d = @x::text AND e = ?');
    expect(t.text).toBe('SELECT * FROM t WHERE a = $1 AND b = $2 AND c = $1 AND d = $1::text AND e = $3');
    expect(t.slots).toEqual([{ kind: 'named', name: 'x' }, { kind: 'named', name: 'y' }, { kind: 'positional', index: 1 }]);
  });

  it('leaves operators that look like prefixes alone: <@, @>, :=, array slices, $tag$ quotes', () => {
    const t = translateSql("SELECT a <@ b, a @> b, f(x := 1), arr[1:2], $fn$ select @x $fn$, a@b");
    expect(t.text).toBe("SELECT a <@ b, a @> b, f(x := 1), arr[1:2], $fn$ select @x $fn$, a@b");
    expect(t.slots).toEqual([]);
  });

  it('says which statements return rows and which can run behind a cursor', () => {
    expect(translateSql('select 1').reader).toBe(true);
    expect(translateSql('WITH x AS (SELECT 1) SELECT * FROM x').cursorable).toBe(true);
    expect(translateSql('UPDATE t SET a = 1').reader).toBe(false);
    expect(translateSql('DELETE FROM t RETURNING id')).toMatchObject({ reader: true, cursorable: false });
    expect(translateSql('WITH d AS (DELETE FROM t RETURNING id) SELECT * FROM d')).toMatchObject({ reader: true, cursorable: false });
    expect(translateSql('SELECT * FROM t FOR UPDATE').cursorable).toBe(false);
  });

  it('recognises a one-row INSERT … VALUES, where RETURNING id can go before a trailing semicolon and comment', () => {
    const t = translateSql('INSERT INTO Runs (a, b) VALUES (?, (SELECT 1)) ON CONFLICT DO NOTHING; -- end');
    expect(t.insertTable).toBe('runs');
    expect(t.body).toBe('INSERT INTO Runs (a, b) VALUES ($1, (SELECT 1)) ON CONFLICT DO NOTHING');
    expect(translateSql('INSERT INTO "S".t VALUES (1)').insertTable).toBe('"S".t');
    expect(translateSql('INSERT INTO t VALUES (1), (2)').insertTable).toBeNull();
    expect(translateSql('INSERT INTO t SELECT 1').insertTable).toBeNull();
    expect(translateSql('INSERT INTO t VALUES (1) RETURNING id').insertTable).toBeNull();
  });
});

describe('bindValues', () => {
  const t = (sql: string) => translateSql(sql);
  it('binds positional values, spread arrays and one object of names (with or without prefix), as better-sqlite3', () => {
    expect(bindValues(t('SELECT ?, @a, ?'), [1, { a: 'x' }, 2])).toEqual([1, 'x', 2]);
    expect(bindValues(t('SELECT ?, ?'), [[1, 2]])).toEqual([1, 2]);
    expect(bindValues(t('SELECT :a'), [{ ':a': 3 }])).toEqual([3]);
    expect(bindValues(t('SELECT ?'), [undefined])).toEqual([null]);
    expect(bindValues(t('SELECT ?'), [12n])).toEqual(['12']);
  });

  it('refuses what better-sqlite3 refuses, in its words', () => {
    expect(() => bindValues(t('SELECT ?'), [])).toThrow('Too few parameter values were provided');
    expect(() => bindValues(t('SELECT ?'), [1, 2])).toThrow('Too many parameter values were provided');
    expect(() => bindValues(t('SELECT @x'), [{}])).toThrow('Missing named parameter "x"');
    expect(() => bindValues(t('SELECT ?'), [true])).toThrow(TypeError);
  });
});
