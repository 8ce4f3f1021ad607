import { DomainError } from '@avtrz/shared/errors';

/** A validation failure whose message starts with the field it is about, as API users expect. */
export function invalidInput(field: string, problem: string): DomainError {
  return new DomainError('invalid_input', `${field}: ${problem}`);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else cannot name a row, and must not reach PostgreSQL as a cast error. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
