import { errorCatalog, type ErrorCode } from '@avtrz/shared/errors';
import {
  AVATAR_PATH,
  type ParameterDefinition,
  type ResponseDefinition,
  avatarErrorCodes,
  avatarJsonSchema,
  avatarQuery,
  avatarRequestHeaders,
  avatarResponses,
} from '../avatar/avatar-definition.ts';
import { BATCH_PATH, batchErrorCodes, batchRequestSchema, batchResponseSchema } from '../batch/batch-definition.ts';
import { batchOperation } from './batch-operation.ts';
import { docsPaths } from './docs-paths.ts';
import { errorResponseObject, headerObjects } from './_objects.ts';

export const OPENAPI_PATH = '/api/docs/openapi';

/** Codes any path of this API may answer besides the avatar's own. */
const GENERAL_ERROR_CODES = ['not_found', 'method_not_allowed'] as const satisfies readonly ErrorCode[];

/** The OpenAPI 3.1 document, built from the definitions the handlers use. */
export function buildOpenApiDocument(options: { cdnPath: string }): Record<string, unknown> {
  const avatarCodes = Object.values(avatarErrorCodes).flat();
  const batchCodes = Object.values(batchErrorCodes).flat();
  const allCodes = [...new Set<ErrorCode>([...avatarCodes, ...batchCodes, ...GENERAL_ERROR_CODES])];
  const avatarOperation = (method: 'get' | 'head') => ({
    operationId: method === 'get' ? 'getAvatar' : 'headAvatar',
    summary:
      method === 'get' ? "A person's LinkedIn photo, or an SVG with their initials" : 'The same answer without a body',
    description:
      'Name exactly one profile (`linkedin_url` or `username`). A profile with a stored photo is answered with a `302` to the CDN; ' +
      'one without (or not resolved within the wait) with a deterministic SVG. Image callers (`Sec-Fetch-Dest: image`, or an ' +
      '`Accept` asking for an image and not for JSON) get every error as that SVG too, with the code in `X-Avtrz-Error`.',
    tags: ['avatar'],
    security: [{ apiKeyHeader: [] }, { apiKeyQuery: [] }],
    parameters: [...Object.values(avatarQuery), ...Object.values(avatarRequestHeaders)].map(parameter),
    responses: Object.fromEntries(
      Object.entries(avatarResponses).map(([status, definition]) => [
        status,
        response(Number(status), definition, method),
      ]),
    ),
  });
  return {
    openapi: '3.1.0',
    info: {
      title: 'avtrz public API',
      version: '1.0.0',
      description:
        'LinkedIn profile photos behind one endpoint, with keys, quotas and usage. Errors never break a page.',
    },
    // Relative: every installation documents itself.
    servers: [{ url: '/', description: 'This installation' }],
    tags: [
      { name: 'avatar', description: 'Photos by LinkedIn profile: one at a time, as JSON, or in batches.' },
      { name: 'cdn', description: 'The CDN origin every photo URL points at.' },
      { name: 'docs', description: 'This document, the API reference and the product documentation.' },
    ],
    paths: {
      [AVATAR_PATH]: { get: avatarOperation('get'), head: avatarOperation('head') },
      [BATCH_PATH]: { post: batchOperation() },
      [`${options.cdnPath}/{storageKey}`]: {
        get: {
          operationId: 'getImage',
          summary: 'A stored image (the CDN origin every `Location` points at)',
          tags: ['cdn'],
          security: [],
          parameters: [
            {
              name: 'storageKey',
              in: 'path',
              required: true,
              description: 'The SHA-256 of the image bytes and its extension.',
              schema: { type: 'string', pattern: '^[0-9a-f]{64}\\.(webp|png)$' },
            },
            parameter(avatarRequestHeaders.ifNoneMatch),
          ],
          responses: {
            200: {
              description: 'The image; immutable, cached for a year.',
              headers: headerObjects(['etag', 'cache-control', 'content-type']),
              content: { 'image/webp': { schema: binary }, 'image/png': { schema: binary } },
            },
            304: { description: 'The client has this image.', headers: headerObjects(['etag', 'cache-control']) },
            404: errorResponseObject('No such image.', ['not_found']),
          },
        },
      },
      [OPENAPI_PATH]: {
        get: {
          operationId: 'getOpenApiDocument',
          summary: 'This document',
          tags: ['docs'],
          security: [],
          responses: {
            200: { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } },
          },
        },
      },
      ...docsPaths(),
    },
    components: {
      securitySchemes: {
        apiKeyHeader: { type: 'apiKey', in: 'header', name: avatarRequestHeaders.apiKey.name },
        apiKeyQuery: { type: 'apiKey', in: 'query', name: avatarQuery.key.name },
      },
      schemas: {
        AvatarDecision: avatarJsonSchema,
        BatchRequest: batchRequestSchema,
        BatchResponse: batchResponseSchema,
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['type', 'code', 'message'],
              properties: {
                type: { type: 'string', enum: [...new Set(allCodes.map((code) => errorCatalog[code].type))] },
                code: { type: 'string', enum: allCodes, description: 'Stable and machine-readable.' },
                message: { type: 'string', description: 'One human sentence saying what to do; may change.' },
              },
            },
          },
        },
      },
    },
  };
}

const binary = { type: 'string', contentMediaType: 'application/octet-stream' };
const svg = { type: 'string', contentMediaType: 'image/svg+xml' };

function parameter(definition: ParameterDefinition): Record<string, unknown> {
  const { name, description, schema } = definition;
  return {
    name,
    in: definition.in,
    required: false,
    description,
    schema,
    ...(definition.deprecated ? { deprecated: true } : {}),
    ...(definition.example ? { example: definition.example } : {}),
  };
}

function response(status: number, definition: ResponseDefinition, method: 'get' | 'head'): Record<string, unknown> {
  const codes =
    (avatarErrorCodes as Record<number, readonly ErrorCode[]>)[status] ??
    (status === 405 ? ['method_not_allowed'] : []);
  const description =
    codes.length > 0
      ? `${definition.description} Codes: ${codes.map((c) => `\`${c}\``).join(', ')}.`
      : definition.description;
  const headers = headerObjects([...definition.headers, ...definition.optionalHeaders], definition.optionalHeaders);
  const out: Record<string, unknown> = { description, headers };
  if (method === 'head' || definition.body === 'none') return out;
  if (definition.body === 'svg') out.content = { 'image/svg+xml': { schema: svg } };
  else if (definition.body === 'svg-or-json') {
    out.content = {
      'image/svg+xml': { schema: svg },
      'application/json': { schema: { $ref: '#/components/schemas/AvatarDecision' } },
    };
  } else {
    out.content = {
      'application/json': { schema: { $ref: '#/components/schemas/Error' } },
      ...(status === 405 ? {} : { 'image/svg+xml': { schema: svg } }),
    };
  }
  return out;
}
