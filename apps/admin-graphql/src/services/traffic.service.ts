import type { Db } from '@avtrz/db/client';
import { trafficPerKey, trafficRetentionDays } from '@avtrz/db/queries/traffic.queries';
import type { ApiKeyRow, TrafficSource } from '@avtrz/db/schema';
import { hostMatchesAllowedDomains } from '@avtrz/shared/domains';
import { invalidInput } from './_invalid-input.ts';
import { getApiKey } from './api-keys.service.ts';

/**
 * Where each key's requests came from, for auditing a key and writing its allow-list from what is
 * really seen. Whether a host is on the list is decided now, against the key's list as it is now.
 */

const HOUR_MS = 3_600_000;
export const DEFAULT_TRAFFIC_DAYS = 7;
export const MAX_TRAFFIC_DAYS = trafficRetentionDays;

export interface TrafficHost {
  readonly source: TrafficSource;
  /** The host (lower-case ASCII, no port); null for requests without Origin/Referer, unreadable ones and 'other'. */
  readonly host: string | null;
  /** Hosts not counted by name (trafficHostsPerKeyHour per key-hour), and past trafficHostsListedPerKey, added up. */
  readonly other: boolean;
  readonly requests: number;
  /** Refused with domain_blocked (under the list of the time). */
  readonly blocked: number;
  /** Whether the host matches the key's current allow-list; null when the row is not one host. */
  readonly onList: boolean | null;
}

export interface KeyTrafficView {
  readonly key: ApiKeyRow;
  readonly requests: number;
  readonly blocked: number;
  /** Busiest first. */
  readonly hosts: TrafficHost[];
}

export interface TrafficQuery {
  readonly days?: number | null | undefined;
  readonly keyId?: string | null | undefined;
  readonly now: Date;
}

/** Per key of the workspace (active keys, and revoked ones with traffic), the hosts of the last `days` days. */
export async function trafficHosts(db: Db, workspaceId: string, query: TrafficQuery): Promise<KeyTrafficView[]> {
  const days = query.days ?? DEFAULT_TRAFFIC_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > MAX_TRAFFIC_DAYS) {
    throw invalidInput('days', `must be a whole number of days from 1 to ${MAX_TRAFFIC_DAYS}`);
  }
  let keyId: string | undefined;
  if (query.keyId !== undefined && query.keyId !== null) {
    // Another workspace's key is "not found", exactly like a key that never existed.
    keyId = (await getApiKey(db, workspaceId, query.keyId)).id;
  }
  // `days` × 24 whole hours, the current one included.
  const nowMs = query.now.getTime();
  const since = new Date(nowMs - (nowMs % HOUR_MS) - (days * 24 - 1) * HOUR_MS);
  const perKey = await trafficPerKey(db, { workspaceId, since, now: query.now, keyId });
  return perKey.map(({ key, sources }) => {
    const hosts = sources.map((s) => ({
      source: s.source,
      host: s.host,
      other: s.source === 'other',
      requests: s.requests,
      blocked: s.blocked,
      onList: s.host === null ? null : hostMatchesAllowedDomains(s.host, key.allowed_domains),
    }));
    return {
      key,
      requests: hosts.reduce((sum, h) => sum + h.requests, 0),
      blocked: hosts.reduce((sum, h) => sum + h.blocked, 0),
      hosts,
    };
  });
}
