import { AllowedDomainError, normalizeAllowedDomains } from '@avtrz/shared/domains';
import { invalidInput } from './_invalid-input.ts';

const MAX_NAME_LENGTH = 200;
const MAX_ALLOWED_DOMAINS = 100;

/** A key's display name: trimmed; empty means none. */
export function normalizeKeyName(name: string | null | undefined, field = 'name'): string | null {
  if (name === null || name === undefined) return null;
  const trimmed = name.trim();
  if (trimmed.length > MAX_NAME_LENGTH) throw invalidInput(field, `use at most ${MAX_NAME_LENGTH} characters`);
  return trimmed === '' ? null : trimmed;
}

/** Admin input (URLs, upper case, IDN) to stored hostnames; a bad entry is refused naming the field. */
export function normalizeDomainsInput(inputs: readonly string[], field = 'allowedDomains'): string[] {
  if (inputs.length > MAX_ALLOWED_DOMAINS) throw invalidInput(field, `list at most ${MAX_ALLOWED_DOMAINS} domains`);
  try {
    return normalizeAllowedDomains(inputs);
  } catch (error) {
    if (error instanceof AllowedDomainError) throw invalidInput(field, error.message);
    throw error;
  }
}
