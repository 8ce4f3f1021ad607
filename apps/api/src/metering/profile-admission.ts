import { LRUCache } from 'lru-cache';
import type { Db } from '@avtrz/db/client';
import type { KeyForRequest } from '@avtrz/db/queries/key-lookup.queries';
import { admitWorkspaceProfile } from '@avtrz/db/queries/quotas.queries';
import { monthOf, startOfMonthUtc, startOfNextMonthUtc } from '@avtrz/shared/calendar';
import type { ProfileAdmission } from './metering.ts';
import type { UsageCounter } from './usage-counter.ts';
import { withTimeout } from './_with-timeout.ts';

/** A decision not answered by then fails the request (a 503 from the handler) rather than hang it. */
const DECISION_TIMEOUT_MS = 5_000;

export interface ProfileAdmissionOptions {
  /** (workspace, month, handle) triples remembered as admitted, default 100 000 (~15 MB); a forgotten one costs one query. */
  readonly maxKnown?: number;
  /** Refusals remembered, default 10 000, each for `refusedTtlMs` (default 30 s) or until the plan changes. */
  readonly maxRefused?: number;
  readonly refusedTtlMs?: number;
}

export interface ProfileAdmissions {
  /** The answer from memory, or undefined when the database must decide. */
  admitSync(key: KeyForRequest, handle: string, nowMs: number): ProfileAdmission | undefined;
  /** `reservedRequests`: billable answers admitted but not counted yet, on top of the unwritten ones. */
  admit(key: KeyForRequest, handle: string, nowMs: number, reservedRequests?: number): Promise<ProfileAdmission>;
  /** The workspace's plan changed: its refusals may no longer hold. */
  dropWorkspace(workspaceId: string): void;
  dropAllRefusals(): void;
}

const KNOWN: ProfileAdmission = Object.freeze({ kind: 'admitted', newProfile: false });
const NEW: ProfileAdmission = Object.freeze({ kind: 'admitted', newProfile: true });
const REFUSED: ProfileAdmission = Object.freeze({ kind: 'quota_exceeded' });
const KNOWN_PROMISE = Promise.resolve(KNOWN);
const REFUSED_PROMISE = Promise.resolve(REFUSED);

/**
 * The monthly quotas (CONTRACT §3). A profile the workspace already requested this month is admitted
 * from memory; any other costs one transaction that decides exactly across processes (see
 * admitWorkspaceProfile). The new-profile quota is therefore exact. The request quota counts what
 * the database holds plus this process's unwritten billable answers; other processes' unwritten
 * answers (at most one flush interval of their traffic) are not seen, so new profiles may still be
 * admitted for up to one USAGE_FLUSH_MS after the quota is reached elsewhere. Requests for known
 * profiles go on past the request quota by design: they keep being served.
 */
export function createProfileAdmissions(
  db: Db,
  usage: UsageCounter,
  options: ProfileAdmissionOptions = {},
): ProfileAdmissions {
  const known = new LRUCache<string, true>({ max: options.maxKnown ?? 100_000 });
  const refused = new LRUCache<string, true>({
    max: options.maxRefused ?? 10_000,
    ttl: options.refusedTtlMs ?? 30_000,
  });
  const inFlight = new Map<string, Promise<ProfileAdmission>>();
  let month = { fromMs: 0, toMs: 0, label: '' };

  function monthAt(nowMs: number) {
    if (nowMs < month.fromMs || nowMs >= month.toMs) {
      const at = new Date(nowMs);
      month = { fromMs: startOfMonthUtc(at).getTime(), toMs: startOfNextMonthUtc(at).getTime(), label: monthOf(at) };
    }
    return month;
  }
  // uuid and 'YYYY-MM-01' have fixed lengths, so the handle may hold any character.
  const entryOf = (workspaceId: string, label: string, handle: string) => `${workspaceId}${label}${handle}`;

  function admitSync(key: KeyForRequest, handle: string, nowMs: number): ProfileAdmission | undefined {
    const entry = entryOf(key.workspaceId, monthAt(nowMs).label, handle);
    if (known.get(entry)) return KNOWN;
    if (refused.get(entry)) return REFUSED;
    return undefined;
  }

  async function decide(
    key: KeyForRequest,
    handle: string,
    nowMs: number,
    entry: string,
    reservedRequests: number,
  ): Promise<ProfileAdmission> {
    const { fromMs, toMs, label } = monthAt(nowMs);
    const decision = admitWorkspaceProfile(db, {
      workspaceId: key.workspaceId,
      month: label,
      handle,
      keyId: key.id,
      at: new Date(nowMs),
      monthlyRequestQuota: key.plan.monthlyRequestQuota,
      monthlyNewProfileQuota: key.plan.monthlyNewProfileQuota,
      unwrittenRequests: usage.unwrittenBillable(key.workspaceId, fromMs, toMs) + reservedRequests,
    });
    const result = await withTimeout(decision, DECISION_TIMEOUT_MS, 'profile admission');
    if (result.outcome === 'quota_exceeded') {
      refused.set(entry, true);
      return REFUSED;
    }
    known.set(entry, true);
    refused.delete(entry);
    if (result.outcome === 'known') return KNOWN;
    usage.countNewProfile(key, nowMs);
    return NEW;
  }

  return {
    admitSync,
    admit(key, handle, nowMs, reservedRequests = 0) {
      const now = admitSync(key, handle, nowMs);
      if (now) return now === KNOWN ? KNOWN_PROMISE : REFUSED_PROMISE;
      const entry = entryOf(key.workspaceId, monthAt(nowMs).label, handle);
      const running = inFlight.get(entry);
      // A second request while the first decides shares its answer; only the first is the new one.
      if (running) return running.then((a) => (a.kind === 'admitted' ? KNOWN : a));
      const decision = decide(key, handle, nowMs, entry, reservedRequests).finally(() => inFlight.delete(entry));
      inFlight.set(entry, decision);
      return decision;
    },
    dropWorkspace(workspaceId) {
      const doomed: string[] = [];
      for (const entry of refused.keys()) if (entry.startsWith(workspaceId)) doomed.push(entry);
      for (const entry of doomed) refused.delete(entry);
    },
    dropAllRefusals() {
      refused.clear();
    },
  };
}
