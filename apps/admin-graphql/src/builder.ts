import SchemaBuilder from '@pothos/core';
import type { Db } from '@avtrz/db/client';
import type { Config } from '@avtrz/shared/config';
import type { Actor } from './auth/actor.ts';

/** What every resolver gets: the authenticated caller and the app's dependencies. */
export interface AdminContext {
  readonly actor: Actor;
  readonly db: Db;
  readonly config: Config;
  /** The console's URL, the base of invitation links. */
  readonly consoleUrl: string;
  /** The request's clock reading: one "now" for everything a request decides. */
  readonly now: Date;
}

export const builder = new SchemaBuilder<{
  Context: AdminContext;
  DefaultFieldNullability: false;
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date };
  };
}>({
  defaultFieldNullability: false,
});
