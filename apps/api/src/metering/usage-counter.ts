import { randomUUID } from 'node:crypto';
import type { Db } from '@avtrz/db/client';
import type { KeyForRequest } from '@avtrz/db/queries/key-lookup.queries';
import { trafficHostsPerKeyHour } from '@avtrz/db/queries/traffic.queries';
import { addUsageBatch, type UsageCounts } from '@avtrz/db/queries/usage.queries';
import type { Logger } from '@avtrz/shared/logger';
import type { UsageEvent } from './metering.ts';
import { newSourceBuckets, type SourceBuckets, type SourceCount, sourceRows } from './_source-buckets.ts';
import { throttledLog } from './_throttled-log.ts';
import { withTimeout } from './_with-timeout.ts';

const HOUR_MS = 3_600_000;
/** A batch statement not answered by then is given up and sent again (same id: counted once). */
const WRITE_TIMEOUT_MS = 5_000;

export interface UsageCounterOptions {
  /**
   * Most (key, hour) rows held unwritten, default 100 000 (~20 MB): about 1 000 busy keys through four
   * days of database outage. Past it, counts for rows not yet held are dropped and logged as errors;
   * rows already held keep counting, so the oldest hours are kept.
   */
  readonly maxPendingRows?: number;
  /** Most rows per statement, default 10 000, so one batch stays a quick statement. */
  readonly maxBatchRows?: number;
  /**
   * Most hosts held by name across all rows, default 200 000 (~30 MB). Past it, requests from hosts not
   * yet held count in their key-hour's 'other' bucket: totals stay exact, only names are lost.
   */
  readonly maxPendingHosts?: number;
}

/** Counts per key and hour in memory; written in batches of one statement each. */
export interface UsageCounter {
  /** O(1), no I/O. */
  count(key: KeyForRequest, event: UsageEvent, nowMs: number): void;
  countNewProfile(key: KeyForRequest, nowMs: number): void;
  /**
   * O(1), no I/O: one request of the key from `host` (requestSourceHost's answer: undefined for neither
   * header, null for a header naming no host); `blocked` when it was refused with domain_blocked.
   */
  countSource(key: KeyForRequest, host: string | null | undefined, blocked: boolean, nowMs: number): void;
  /** Billable answers of the workspace within [fromMs, toMs) counted here and not yet written. */
  unwrittenBillable(workspaceId: string, fromMs: number, toMs: number): number;
  /** Writes everything held; rejects (keeping the counts) when the database cannot take them. */
  flush(): Promise<void>;
  /** Rows held, written or not yet confirmed. */
  readonly pendingRows: number;
  /** Plain counters for the metrics. */
  readonly stats: UsageWriteStats;
}

export interface UsageWriteStats {
  rowsWritten: number;
  batchesWritten: number;
  writeFailures: number;
}

interface Row {
  readonly keyId: string;
  readonly workspaceId: string;
  readonly hourMs: number;
  billable: number;
  notModified: number;
  fallbacks: number;
  newProfiles: number;
  rejected: number;
  lastUsedMs: number;
  readonly sources: SourceBuckets;
}

/** Longest host a DNS name can have; longer "hosts" count as unreadable. */
const MAX_HOST_LENGTH = 253;

/**
 * Exactly-once writing: a batch keeps its id until the database confirms it, and is sent again as it
 * was (same id, same rows) after any failure; the statement records the id, so a batch whose first
 * commit went through unconfirmed adds nothing the second time. Counts arriving meanwhile wait in
 * the next batch.
 */
export function createUsageCounter(db: Db, logger: Logger, options: UsageCounterOptions = {}): UsageCounter {
  const maxPendingRows = options.maxPendingRows ?? 100_000;
  const maxBatchRows = options.maxBatchRows ?? 10_000;
  const maxPendingHosts = options.maxPendingHosts ?? 200_000;
  /** Hosts held by name, over every row held. */
  let hostCount = 0;
  const stats: UsageWriteStats = { rowsWritten: 0, batchesWritten: 0, writeFailures: 0 };
  let pending = new Map<string, Map<number, Row>>();
  /** Rows held (pending and in the unconfirmed batch), by workspace, for the request-quota check. */
  const byWorkspace = new Map<string, Set<Row>>();
  let rowCount = 0;
  let batch: { id: string; rows: Row[] } | undefined;
  let dropped = 0;
  let chain: Promise<void> = Promise.resolve();
  const logDropped = throttledLog(10_000);
  const logFailure = throttledLog(10_000);

  function rowFor(key: KeyForRequest, nowMs: number): Row | undefined {
    const hourMs = nowMs - (nowMs % HOUR_MS);
    let hours = pending.get(key.id);
    let row = hours?.get(hourMs);
    if (row) return row;
    if (rowCount >= maxPendingRows) {
      dropped++;
      logDropped(() =>
        logger.error(
          { dropped, pendingRows: rowCount },
          'usage counts dropped: too many unwritten rows (is the database away?)',
        ),
      );
      return undefined;
    }
    if (!hours) pending.set(key.id, (hours = new Map()));
    row = {
      keyId: key.id,
      workspaceId: key.workspaceId,
      hourMs,
      billable: 0,
      notModified: 0,
      fallbacks: 0,
      newProfiles: 0,
      rejected: 0,
      lastUsedMs: nowMs,
      sources: newSourceBuckets(),
    };
    hours.set(hourMs, row);
    rowCount++;
    let rows = byWorkspace.get(key.workspaceId);
    if (!rows) byWorkspace.set(key.workspaceId, (rows = new Set()));
    rows.add(row);
    return row;
  }

  function takeBatch(): { id: string; rows: Row[] } | undefined {
    if (pending.size === 0) return undefined;
    const rows: Row[] = [];
    // Hosts are bounded per statement too: a batch of busy rows can name up to 20 hosts each.
    let hosts = 0;
    const full = () => rows.length >= maxBatchRows || hosts >= maxBatchRows * 4;
    for (const [keyId, hours] of pending) {
      for (const [hourMs, row] of hours) {
        if (full()) break;
        rows.push(row);
        hosts += row.sources.hosts.size;
        hours.delete(hourMs);
      }
      if (hours.size === 0) pending.delete(keyId);
      if (full()) break;
    }
    if (pending.size === 0) pending = new Map();
    return { id: randomUUID(), rows };
  }

  function settled(rows: readonly Row[]): void {
    rowCount -= rows.length;
    for (const row of rows) {
      hostCount -= row.sources.hosts.size;
      const set = byWorkspace.get(row.workspaceId);
      set?.delete(row);
      if (set?.size === 0) byWorkspace.delete(row.workspaceId);
    }
  }

  async function writeAll(): Promise<void> {
    // Bounded: only what was held when the flush began (plus stragglers of this instant) goes now.
    for (let round = Math.ceil(rowCount / maxBatchRows) + 1; round > 0; round--) {
      batch ??= takeBatch();
      if (!batch) return;
      try {
        const { id, rows } = batch;
        const traffic = rows.flatMap((row) => sourceRows(row.keyId, new Date(row.hourMs), row.sources));
        await withTimeout(addUsageBatch(db, id, rows.map(toCounts), traffic), WRITE_TIMEOUT_MS, 'usage batch');
      } catch (error) {
        stats.writeFailures++;
        logFailure(() => logger.warn({ err: error, pendingRows: rowCount }, 'usage not written yet: will retry'));
        throw error;
      }
      stats.rowsWritten += batch.rows.length;
      stats.batchesWritten++;
      settled(batch.rows);
      batch = undefined;
    }
  }

  return {
    count(key, event, nowMs) {
      const row = rowFor(key, nowMs);
      if (!row) return;
      if (event === 'billable_redirect') row.billable++;
      else if (event === 'billable_fallback') {
        row.billable++;
        row.fallbacks++;
      } else if (event === 'not_modified') row.notModified++;
      else row.rejected++;
      if (nowMs > row.lastUsedMs) row.lastUsedMs = nowMs;
    },
    countNewProfile(key, nowMs) {
      const row = rowFor(key, nowMs);
      if (row) row.newProfiles++;
    },
    countSource(key, host, blocked, nowMs) {
      const row = rowFor(key, nowMs);
      if (!row) return;
      const { sources } = row;
      let bucket: SourceCount | undefined;
      if (host === undefined) bucket = sources.none;
      else if (host === null || host.length > MAX_HOST_LENGTH) bucket = sources.unreadable;
      else {
        bucket = sources.hosts.get(host);
        if (bucket === undefined) {
          if (sources.hosts.size < trafficHostsPerKeyHour && hostCount < maxPendingHosts) {
            sources.hosts.set(host, (bucket = { requests: 0, blocked: 0 }));
            hostCount++;
          } else {
            bucket = sources.other;
          }
        }
      }
      bucket.requests++;
      if (blocked) bucket.blocked++;
    },
    unwrittenBillable(workspaceId, fromMs, toMs) {
      let sum = 0;
      for (const row of byWorkspace.get(workspaceId) ?? []) {
        if (row.hourMs >= fromMs && row.hourMs < toMs) sum += row.billable;
      }
      return sum;
    },
    flush() {
      const run = chain.then(writeAll);
      chain = run.catch(() => {});
      return run;
    },
    get pendingRows() {
      return rowCount;
    },
    stats,
  };
}

function toCounts(row: Row): UsageCounts {
  return {
    keyId: row.keyId,
    hour: new Date(row.hourMs),
    billable: row.billable,
    notModified: row.notModified,
    fallbacks: row.fallbacks,
    newProfiles: row.newProfiles,
    rejected: row.rejected,
    lastUsedAt: new Date(row.lastUsedMs),
  };
}
