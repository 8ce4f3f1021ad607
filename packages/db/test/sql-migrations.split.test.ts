import { expect, test } from 'vitest';
import { splitStatements } from '../src/sql-migrations.ts';

test('a migration file is split at the semicolons that end lines, never inside a $$ body', () => {
  const text = [
    '-- a comment; with a semicolon;',
    'create table t (a int);',
    'create function f() returns trigger language plpgsql as $$',
    'begin',
    '  -- kept: inside the body',
    '  insert into t values (1);',
    '  return null;',
    'end',
    '$$;',
    "select 'a;b', $$x;$$ as y;",
    'create index t_a on t (a)',
  ].join('\n');
  expect(splitStatements(text)).toEqual([
    'create table t (a int)',
    'create function f() returns trigger language plpgsql as $$\nbegin\n  -- kept: inside the body\n  insert into t values (1);\n  return null;\nend\n$$',
    "select 'a;b', $$x;$$ as y",
    'create index t_a on t (a)',
  ]);
});
