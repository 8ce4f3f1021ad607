import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../auth/better-auth-options.ts';
import { invalidInput } from './_invalid-input.ts';

/** Checks on what people type when an account is made (setup, invitations), with the field in each message. */

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_EMAIL_LENGTH = 254;
const MAX_NAME_LENGTH = 100;

/** Lower-case and trimmed, the form Better Auth stores and signs in with. */
export function normalizeEmail(input: string, field = 'email'): string {
  const email = input.trim().toLowerCase();
  if (email.length > MAX_EMAIL_LENGTH || !EMAIL.test(email)) throw invalidInput(field, 'enter an email address');
  return email;
}

/** The password is checked, never trimmed or echoed. */
export function checkPassword(password: string, field = 'password'): string {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    throw invalidInput(field, `use ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`);
  }
  return password;
}

/** A display name; the part of the email before the @ when none is given. */
export function personName(input: string | null | undefined, email: string, field = 'name'): string {
  const name = (input ?? '').trim();
  if (name.length > MAX_NAME_LENGTH) throw invalidInput(field, `use at most ${MAX_NAME_LENGTH} characters`);
  return name === '' ? email.slice(0, email.indexOf('@')) : name;
}
