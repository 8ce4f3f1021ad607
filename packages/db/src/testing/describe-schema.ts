import type postgres from 'postgres';

/**
 * A stable text description of the public schema (tables with their storage parameters, columns,
 * constraints, indexes, triggers and functions), compared with the committed `schema.snapshot.sql` so that a migration changing the
 * schema is noticed.
 */
export async function describeSchema(sql: postgres.Sql): Promise<string> {
  const tables = await sql<{ table_name: string }[]>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like 'kysely_%'
    order by table_name`;
  const out: string[] = [];
  for (const { table_name } of tables) {
    const columns = await sql<{ line: string }[]>`
      select format('  %s %s%s%s', column_name, format_type(a.atttypid, a.atttypmod),
        case when c.is_nullable = 'NO' then ' not null' else '' end,
        coalesce(' default ' || c.column_default, '')) as line
      from information_schema.columns c
      join pg_attribute a on a.attrelid = ('public.' || quote_ident(c.table_name))::regclass and a.attname = c.column_name
      where c.table_schema = 'public' and c.table_name = ${table_name}
      order by c.ordinal_position`;
    const constraints = await sql<{ line: string }[]>`
      select format('  constraint %s', pg_get_constraintdef(oid)) as line
      from pg_constraint where conrelid = ('public.' || quote_ident(${table_name}))::regclass
      order by contype, pg_get_constraintdef(oid)`;
    const indexes = await sql<{ line: string }[]>`
      select indexdef as line from pg_indexes where schemaname = 'public' and tablename = ${table_name}
      order by indexname`;
    const triggers = await sql<{ line: string }[]>`
      select pg_get_triggerdef(oid) as line from pg_trigger
      where tgrelid = ('public.' || quote_ident(${table_name}))::regclass and not tgisinternal
      order by tgname`;
    // Storage parameters (a fillfactor) shape how the table behaves under updates: part of the schema.
    const [storage] = await sql<{ options: string | null }[]>`
      select array_to_string(reloptions, ', ') as options from pg_class
      where oid = ('public.' || quote_ident(${table_name}))::regclass`;
    const closing = storage?.options ? `) with (${storage.options})` : ')';
    out.push(`table ${table_name} (`, ...columns.map((r) => r.line), ...constraints.map((r) => r.line), closing);
    out.push(...indexes.map((r) => r.line), ...triggers.map((r) => r.line), '');
  }
  // Functions by signature: a changed body is the migrations' business, a new or dropped one is noticed.
  const functions = await sql<{ line: string }[]>`
    select format('function %s(%s) returns %s', p.proname, pg_get_function_identity_arguments(p.oid), pg_get_function_result(p.oid)) as line
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'public'
    order by 1`;
  out.push(...functions.map((r) => r.line), '');
  return out.join('\n');
}
