import type { ParseArgsConfig } from 'node:util';
import type { Db } from '@avtrz/db/client';
import type { Config } from '@avtrz/shared/config';

/** One CLI command: its own options and help text, and what it does with the database. */
export interface Command {
  /** e.g. "workspace create" */
  readonly name: string;
  readonly summary: string;
  /** Usage line and option descriptions, shown by --help. */
  readonly help: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  readonly allowPositionals?: boolean;
  run(db: Db, args: ParsedArgs, out: Output, config: Config): Promise<void>;
}

export interface ParsedArgs {
  readonly values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  readonly positionals: readonly string[];
}

export interface Output {
  /** Prints a line on stdout (the result). */
  line(text?: string): void;
  json(value: unknown): void;
}

/** A mistake in how the command was called: exit 2 with a pointer to --help. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const jsonOption = { json: { type: 'boolean', default: false } } as const;

export function stringValue(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

export function requiredString(args: ParsedArgs, name: string): string {
  const value = stringValue(args, name);
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

/** A whole number option (quotas, limits); the service checks the range. */
export function intValue(args: ParsedArgs, name: string): number | undefined {
  const value = stringValue(args, name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a whole number, not "${value}"`);
  return Number(value);
}
