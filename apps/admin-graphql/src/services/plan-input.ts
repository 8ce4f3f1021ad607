import type { PlanPatch } from '@avtrz/db/queries/workspaces.queries';
import { invalidInput } from './_invalid-input.ts';

export interface PlanInput {
  readonly monthlyRequestQuota?: number | null | undefined;
  readonly monthlyNewProfileQuota?: number | null | undefined;
  readonly rateLimitPerMinute?: number | null | undefined;
}

const INT_MAX = 2_147_483_647;

/** Checks a plan against the data model's rules; `field` prefixes the names in messages (e.g. "plan"). */
export function validatePlan(input: PlanInput | null | undefined, field: string): PlanPatch {
  const plan = input ?? {};
  return {
    monthlyRequestQuota: wholeNumber(plan.monthlyRequestQuota, `${field}.monthlyRequestQuota`, 0),
    monthlyNewProfileQuota: wholeNumber(plan.monthlyNewProfileQuota, `${field}.monthlyNewProfileQuota`, 0),
    rateLimitPerMinute: wholeNumber(plan.rateLimitPerMinute, `${field}.rateLimitPerMinute`, 1),
  };
}

function wholeNumber(value: number | null | undefined, field: string, min: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Number.isInteger(value) || value < min || value > INT_MAX) {
    throw invalidInput(field, `use a whole number from ${min} to ${INT_MAX}`);
  }
  return value;
}
