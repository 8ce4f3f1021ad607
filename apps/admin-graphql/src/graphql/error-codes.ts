import { GraphQLError } from 'graphql';
import { type DomainError, type ErrorCode, errorCatalog } from '@avtrz/shared/errors';

/**
 * How a domain error code shows in GraphQL, in one table. Failures to authenticate are answered for the
 * whole request with the contract's code and HTTP status; everything else is a field error with the
 * conventional GraphQL code.
 */
const requestLevel: ReadonlySet<ErrorCode> = new Set([
  'missing_key',
  'invalid_key',
  'publishable_key_not_allowed',
  'invalid_operator_token',
  'operator_unavailable',
]);

const fieldCodes: Partial<Record<ErrorCode, string>> = {
  operator_required: 'FORBIDDEN',
  workspace_required: 'WORKSPACE_REQUIRED',
  workspace_not_found: 'NOT_FOUND',
  api_key_not_found: 'NOT_FOUND',
  signing_secret_not_found: 'NOT_FOUND',
  invalid_input: 'BAD_USER_INPUT',
  invalid_username: 'BAD_USER_INPUT',
  invalid_size: 'BAD_USER_INPUT',
};

export function isRequestLevel(code: ErrorCode): boolean {
  return requestLevel.has(code);
}

export function graphqlCodeOf(code: ErrorCode): string {
  if (requestLevel.has(code)) return code;
  return fieldCodes[code] ?? 'BAD_REQUEST';
}

/** The GraphQL error for a domain error, keeping the path and location of the field that failed. */
export function toGraphQLError(error: DomainError, located?: GraphQLError): GraphQLError {
  const extensions: Record<string, unknown> = { code: graphqlCodeOf(error.code) };
  if (isRequestLevel(error.code)) extensions.http = { status: errorCatalog[error.code].status };
  return new GraphQLError(error.message, {
    ...(located && { nodes: located.nodes, source: located.source, positions: located.positions, path: located.path }),
    extensions,
  });
}
