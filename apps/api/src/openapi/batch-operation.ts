import { errorCatalog, type ErrorCode } from '@avtrz/shared/errors';
import { avatarRequestHeaders } from '../avatar/avatar-definition.ts';
import { BATCH_LIMITS, batchErrorCodes } from '../batch/batch-definition.ts';
import { errorResponseObject, headerObjects } from './_objects.ts';

const RATE_LIMIT_HEADERS = ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'] as const;

/** POST /v1/avatars in the OpenAPI document, from the definitions the handler uses. */
export function batchOperation(): Record<string, unknown> {
  const errors = (status: keyof typeof batchErrorCodes, description: string, extra: readonly string[] = []) => {
    const codes: readonly ErrorCode[] = batchErrorCodes[status];
    const object = errorResponseObject(description, codes) as { headers: Record<string, unknown> };
    object.headers = {
      ...object.headers,
      ...headerObjects([...(extra as ('retry-after' | 'allow')[]), ...RATE_LIMIT_HEADERS], [...RATE_LIMIT_HEADERS]),
    };
    return object;
  };
  return {
    operationId: 'batchAvatars',
    summary: 'Up to 100 profiles in one call (secret keys)',
    description:
      `Each entry is decided exactly as \`GET /v1/avatar\` would decide it and metered the same: one billable request per entry with a \`url\` or a profile status, ` +
      'quotas checked in the order given, one rate-limit token per entry (a batch that does not fit what is left of the minute is refused whole). ' +
      `Unknown profiles are queued for resolution and waited for up to \`wait_ms\`. Bodies are limited to ${BATCH_LIMITS.maxBodyBytes / 1024} KiB. ` +
      `Bad entries are answered inline (\`invalid\`, with the error), as are entries over the quota (\`quota_exceeded\`: ${errorCatalog.quota_exceeded.message})`,
    tags: ['avatar'],
    security: [{ apiKeyHeader: [] }],
    parameters: [
      {
        name: avatarRequestHeaders.apiKey.name,
        in: 'header',
        required: false,
        description: 'A secret key (`sk_live_…`).',
        schema: { type: 'string' },
      },
    ],
    requestBody: {
      required: true,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/BatchRequest' } } },
    },
    responses: {
      200: {
        description: 'One result per entry, in order.',
        headers: headerObjects(['content-type', 'cache-control', ...RATE_LIMIT_HEADERS], [...RATE_LIMIT_HEADERS]),
        content: { 'application/json': { schema: { $ref: '#/components/schemas/BatchResponse' } } },
      },
      400: errors(
        400,
        'The body is not JSON, is larger than 64 KiB, or is shaped wrong; the message names the problem.',
      ),
      401: errors(401, "No key, an unknown or revoked key, or a domain not on the key's allowed list."),
      403: errors(403, 'A publishable key: batch lookups need a secret key.'),
      405: {
        ...errorResponseObject('Only POST is answered.', ['method_not_allowed']),
        headers: headerObjects(['cache-control', 'content-type', 'allow']),
      },
      429: errors(429, 'The batch does not fit what is left of the key’s per-minute budget.', ['retry-after']),
    },
  };
}
