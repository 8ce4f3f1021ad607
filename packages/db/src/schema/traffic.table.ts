import type { Generated } from 'kysely';

/** Where a key's requests came from: a host by name, neither header, a header naming no host, or the rest. */
export type TrafficSource = 'host' | 'none' | 'unreadable' | 'other';

/** Requests of one key in one UTC hour from one source (migration 0005). */
export interface TrafficHostTable {
  key_id: string;
  hour: Date;
  source: TrafficSource;
  /** Lower-case ASCII host without port; '' unless source is 'host'. */
  host: Generated<string>;
  requests: Generated<number>;
  /** Of those, refused with domain_blocked. */
  blocked: Generated<number>;
}
