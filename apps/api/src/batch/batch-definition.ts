import { AVATAR_SIZES, DEFAULT_AVATAR_SIZE } from '@avtrz/shared/avatar-sizes';
import type { ErrorCode } from '@avtrz/shared/errors';

/**
 * What POST /v1/avatars takes and answers (CONTRACT §8), once: the body reader checks against these
 * bounds and the OpenAPI document is built from the same objects.
 */
export const BATCH_PATH = '/v1/avatars';

export const BATCH_LIMITS = {
  /** Bodies larger than this are refused before they are parsed. */
  maxBodyBytes: 64 * 1024,
  maxProfiles: 100,
  maxWaitMs: 5000,
  defaultWaitMs: 0,
} as const;

export const batchErrorCodes = {
  400: ['invalid_body'],
  401: ['missing_key', 'invalid_key', 'domain_blocked'],
  403: ['secret_key_required'],
  429: ['rate_limited'],
} as const satisfies Record<number, readonly ErrorCode[]>;

/** A batch entry's status: a profile's, or why the entry was not served. */
export const BATCH_ENTRY_STATUSES = ['resolved', 'no_photo', 'pending', 'failed', 'invalid', 'quota_exceeded'] as const;
export type BatchEntryStatus = (typeof BATCH_ENTRY_STATUSES)[number];

export const batchRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['profiles'],
  properties: {
    profiles: {
      type: 'array',
      minItems: 1,
      maxItems: BATCH_LIMITS.maxProfiles,
      description: 'LinkedIn handles or profile URLs (any form `linkedin_url` accepts).',
      items: { type: 'string' },
      example: ['alex-rivera', 'https://www.linkedin.com/in/jane-doe'],
    },
    size: { type: 'integer', enum: [...AVATAR_SIZES], default: DEFAULT_AVATAR_SIZE },
    wait_ms: {
      type: 'integer',
      minimum: 0,
      maximum: BATCH_LIMITS.maxWaitMs,
      default: BATCH_LIMITS.defaultWaitMs,
      description: 'How long unknown profiles (queued for resolution) are waited for.',
    },
  },
} as const;

export const batchResponseSchema = {
  type: 'object',
  required: ['results'],
  properties: {
    results: {
      type: 'array',
      description: 'One result per entry, in the order given.',
      items: {
        type: 'object',
        required: ['input', 'username', 'status', 'url'],
        properties: {
          input: { type: 'string', description: 'The entry as sent.' },
          username: { type: ['string', 'null'], description: 'The canonical handle; null for an invalid entry.' },
          status: { type: 'string', enum: [...BATCH_ENTRY_STATUSES] },
          url: {
            type: ['string', 'null'],
            format: 'uri',
            description: 'The photo on the CDN at the size; null without one.',
          },
          error: {
            type: 'object',
            description: 'Why an `invalid` or `quota_exceeded` entry was not served.',
            required: ['code', 'message'],
            properties: { code: { type: 'string' }, message: { type: 'string' } },
          },
        },
      },
    },
  },
} as const;
