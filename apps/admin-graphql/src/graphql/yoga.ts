import { useDepthLimit } from '@envelop/depth-limit';
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { GraphQLError } from 'graphql';
import { createYoga, type YogaServerInstance, maskError as yogaMaskError } from 'graphql-yoga';
import { isDomainError } from '@avtrz/shared/errors';
import type { Logger } from '@avtrz/shared/logger';
import type { AdminContext } from '../builder.ts';
import { schema } from '../schema/index.ts';
import { toGraphQLError } from './error-codes.ts';
import { useStructureFirst } from './structure-first.ts';

/**
 * Limits that stop abusive documents before they run. The deepest legitimate query
 * (apiKeysConnection → edges → node → field) is 4 levels; a full page of 100 keys with every field costs
 * about 4,700.
 */
export const queryLimits = { maxDepth: 8, maxCost: 5000, maxAliases: 15, maxTokens: 1000 } as const;

// Everything resolvers need arrives as the server context of each request (see route.ts).
export type AdminYoga = YogaServerInstance<AdminContext, object>;

export function createAdminYoga(logger: Logger): AdminYoga {
  return createYoga<AdminContext, object>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: false,
    landingPage: false,
    // Secret keys belong on servers: browsers on other origins get no CORS grant.
    cors: false,
    // h3 answers with what the handler returns; it must be the runtime's own Response class.
    fetchAPI: { Response },
    logging: {
      debug: (...args) => logger.debug({ args }, 'graphql'),
      info: (...args) => logger.info({ args }, 'graphql'),
      warn: (...args) => logger.warn({ args }, 'graphql'),
      // Yoga logs every error it masks or rewrites, refusals included: only the unexpected are errors.
      error: (...args) =>
        isExpectedRefusal(args[0])
          ? logger.debug({ err: args[0] }, 'request refused')
          : logger.error({ err: args[0] }, 'unexpected error in the admin API'),
    },
    maskedErrors: {
      maskError(error, message, isDev) {
        // Domain errors are expected answers (with our codes); everything else is masked and logged.
        const original =
          error instanceof Error && 'originalError' in error ? (error.originalError as unknown) : undefined;
        if (isDomainError(original)) return toGraphQLError(original, error as never);
        if (isDomainError(error)) return toGraphQLError(error);
        // Documents refused by parsing, validation or the limits above: give clients a code to branch on.
        if (error instanceof GraphQLError && !error.originalError && error.extensions.code === undefined) {
          return new GraphQLError(error.message, {
            nodes: error.nodes,
            extensions: { ...error.extensions, code: 'GRAPHQL_VALIDATION_FAILED' },
          });
        }
        return yogaMaskError(error, message, isDev);
      },
    },
    plugins: [
      useStructureFirst(),
      maxTokensPlugin({ n: queryLimits.maxTokens }),
      useDepthLimit({ maxDepth: queryLimits.maxDepth }),
      maxAliasesPlugin({ n: queryLimits.maxAliases }),
      costLimitPlugin({ maxCost: queryLimits.maxCost }),
    ],
  });
}

/** A domain error (our codes: bad input, forbidden, …) or a document refused by parsing, validation or a limit. */
function isExpectedRefusal(error: unknown): boolean {
  if (isDomainError(error)) return true;
  if (!(error instanceof GraphQLError)) return false;
  return error.originalError === undefined || error.originalError === null || isDomainError(error.originalError);
}
