import type { Db } from '@avtrz/db/client';
import { touchApiKeyLastUsed } from '@avtrz/db/queries/api-keys.queries';
import { findKeyForRequestByHash, isKeyActive } from '@avtrz/db/queries/key-lookup.queries';
import { hashApiKey, looksLikeApiKey, parseApiKey } from '@avtrz/shared/api-key';
import { DomainError } from '@avtrz/shared/errors';
import type { Actor } from './actor.ts';
import { operatorTokenMatches } from './operator-token.ts';

/** Request headers that carry credentials (CONTRACT §4). */
export const API_KEY_HEADER = 'x-api-key';
export const WORKSPACE_HEADER = 'x-avtrz-workspace';

export interface AuthDeps {
  readonly db: Db;
  /** Unset when the app runs alone without OPERATOR_TOKEN: operator calls are then refused. */
  readonly operatorToken: string | undefined;
}

/**
 * Works out the caller from the headers, or throws the contract's error: no credential →
 * `missing_key`; unknown, malformed or revoked key → `invalid_key`; publishable key →
 * `publishable_key_not_allowed`. `x-api-key` wins when both kinds of credential are sent.
 * Keys are looked up on every call (no cache), so a revocation holds here at once.
 */
export async function authenticate(deps: AuthDeps, headers: Headers, now: Date): Promise<Actor> {
  const apiKey = headers.get(API_KEY_HEADER)?.trim();
  if (apiKey) return authenticateKey(deps.db, apiKey, now);
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers.get('authorization') ?? '')?.[1];
  if (bearer) return authenticateOperator(deps, bearer, headers.get(WORKSPACE_HEADER)?.trim() || undefined);
  throw new DomainError(
    'missing_key',
    'Send a secret key in the x-api-key header, or the operator token as Authorization: Bearer <OPERATOR_TOKEN>.',
  );
}

async function authenticateKey(db: Db, candidate: string, now: Date): Promise<Actor> {
  // Shape and checksum first: a mistyped key never costs a database round trip.
  const parsed = parseApiKey(candidate);
  if (!parsed) throw new DomainError('invalid_key');
  const key = await findKeyForRequestByHash(db, hashApiKey(parsed.key));
  if (!key || !isKeyActive(key, now.getTime())) throw new DomainError('invalid_key');
  if (key.type !== 'secret') throw new DomainError('publishable_key_not_allowed');
  await touchApiKeyLastUsed(db, key.id, now);
  return { kind: 'key', keyId: key.id, workspaceId: key.workspaceId };
}

function authenticateOperator(deps: AuthDeps, token: string, workspaceId: string | undefined): Actor {
  if (looksLikeApiKey(token)) {
    throw new DomainError(
      'invalid_operator_token',
      'API keys go in the x-api-key header, not in Authorization: Bearer.',
    );
  }
  if (deps.operatorToken === undefined) throw new DomainError('operator_unavailable');
  if (!operatorTokenMatches(token, deps.operatorToken)) throw new DomainError('invalid_operator_token');
  return { kind: 'operator', workspaceId };
}
