import { type GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from '../builder.ts';
import './api-key.ts';
import './api-key-connection.ts';
import './profile.ts';
import './signing-secret.ts';
import './usage.ts';
import './workspace.ts';

builder.queryType({});
builder.mutationType({});

/** The admin schema; GET requests may run queries, mutations need POST. */
// Fields and arguments keep the order they are declared in (introspection shows them so); the file is sorted.
export const schema: GraphQLSchema = builder.toSchema({ sortSchema: false });

/** The sorted SDL committed as apps/admin-graphql/schema.graphql. */
export function printSortedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
