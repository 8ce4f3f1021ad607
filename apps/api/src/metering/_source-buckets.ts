import type { TrafficCounts } from '@avtrz/db/queries/traffic.queries';

export interface SourceCount {
  requests: number;
  blocked: number;
}

/** Where one key-hour's requests came from, as one batch holds them (named hosts are bounded by the counter). */
export interface SourceBuckets {
  readonly hosts: Map<string, SourceCount>;
  readonly none: SourceCount;
  readonly unreadable: SourceCount;
  readonly other: SourceCount;
}

export function newSourceBuckets(): SourceBuckets {
  return {
    hosts: new Map(),
    none: { requests: 0, blocked: 0 },
    unreadable: { requests: 0, blocked: 0 },
    other: { requests: 0, blocked: 0 },
  };
}

/** The buckets that counted anything, as rows of the batch statement. */
export function sourceRows(keyId: string, hour: Date, buckets: SourceBuckets): TrafficCounts[] {
  const rows: TrafficCounts[] = [];
  for (const [host, count] of buckets.hosts) rows.push({ keyId, hour, source: 'host', host, ...count });
  if (buckets.none.requests > 0) rows.push({ keyId, hour, source: 'none', host: null, ...buckets.none });
  if (buckets.unreadable.requests > 0)
    rows.push({ keyId, hour, source: 'unreadable', host: null, ...buckets.unreadable });
  if (buckets.other.requests > 0) rows.push({ keyId, hour, source: 'other', host: null, ...buckets.other });
  return rows;
}
