import { sql as rawSql } from 'kysely';
import type postgres from 'postgres';
import type { Db } from './client.ts';

/**
 * Channels on which writers announce changes, so that every API process drops or refreshes what it
 * holds in memory at once. Payloads are small identifiers, never secrets.
 */
export const channels = {
  /** payload: api key id */
  apiKeys: 'avtrz_api_keys',
  /** payload: canonical handle */
  profiles: 'avtrz_profiles',
  /** payload: workspace id (plan or quota state changed) */
  workspaces: 'avtrz_workspaces',
} as const;
export type Channel = (typeof channels)[keyof typeof channels];

/**
 * Announces a change: a row in change_log, whose trigger sends the notification. Inside a transaction
 * both happen only if it commits. The row lets a listener that lost its connection re-read what it
 * missed (change-log.queries.ts).
 */
export async function notify(db: Db, channel: Channel, payload: string): Promise<void> {
  await rawSql`insert into change_log (channel, payload) values (${channel}, ${payload})`.execute(db);
}

/**
 * Listens on a channel. postgres.js re-establishes the listening connection by itself after an outage;
 * `onReconnect` runs each time it (re)subscribes, so callers can drop state that may have missed news.
 */
export async function listen(
  sql: postgres.Sql,
  channel: Channel,
  onMessage: (payload: string) => void,
  onReconnect?: () => void,
): Promise<{ unlisten(): Promise<void> }> {
  const subscription = await sql.listen(channel, onMessage, onReconnect);
  return { unlisten: () => subscription.unlisten() };
}
