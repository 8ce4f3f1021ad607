import { createHash } from 'node:crypto';
import type { Db } from '@avtrz/db/client';
import {
  clearSignInFailures,
  findActiveLock,
  type LockPolicy,
  pruneSignInFailures,
  recordSignInFailure,
} from '@avtrz/db/queries/sign-in-failures.queries';

/**
 * Failed sign-ins are counted per email and per client address (in PostgreSQL, so every admin process
 * agrees). A few failures cost nothing; after that each failure locks the subject for twice as long as
 * the one before (slowing guessing down), up to 15 minutes, during which attempts are refused with 429
 * and Retry-After. An address gets more free failures than an email, since people share addresses.
 */

export const EMAIL_POLICY: LockPolicy = {
  freeFailures: 5,
  windowSeconds: 900,
  baseLockSeconds: 30,
  maxLockSeconds: 900,
};
export const ADDRESS_POLICY: LockPolicy = {
  freeFailures: 20,
  windowSeconds: 900,
  baseLockSeconds: 30,
  maxLockSeconds: 900,
};

/** Emails are hashed: the table holds nothing that names a person. */
export function emailSubject(email: string): string {
  return `email:${createHash('sha256').update(email.trim().toLowerCase()).digest('hex')}`;
}

export function addressSubject(address: string): string {
  return `address:${address}`;
}

/** Seconds until the subjects may try again; 0 when none is locked. */
export async function secondsLocked(db: Db, subjects: readonly string[], now: Date): Promise<number> {
  const until = await findActiveLock(db, subjects, now);
  return until ? Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000)) : 0;
}

export async function recordFailedSignIn(
  db: Db,
  subjects: { email: string | undefined; address: string },
  now: Date,
): Promise<void> {
  if (subjects.email !== undefined) await recordSignInFailure(db, subjects.email, now, EMAIL_POLICY);
  await recordSignInFailure(db, subjects.address, now, ADDRESS_POLICY);
  // The table holds only the last window's counters (and running locks): it stays small under a spray.
  await pruneSignInFailures(db, now, Math.max(EMAIL_POLICY.windowSeconds, ADDRESS_POLICY.windowSeconds));
}

/** A successful sign-in clears its email's count (the address keeps its own, so spraying stays slow). */
export async function recordSuccessfulSignIn(db: Db, emailSubjectKey: string): Promise<void> {
  await clearSignInFailures(db, emailSubjectKey);
}
