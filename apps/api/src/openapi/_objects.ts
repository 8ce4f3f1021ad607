import type { ErrorCode } from '@avtrz/shared/errors';
import { responseHeaders } from '../avatar/avatar-definition.ts';

/** Pieces of the OpenAPI document several operations use. */

export function headerObjects(names: readonly (keyof typeof responseHeaders)[], optional: readonly string[] = []) {
  return Object.fromEntries(
    names.map((name) => [
      name,
      {
        description: responseHeaders[name].description,
        schema: responseHeaders[name].schema,
        required: !optional.includes(name),
      },
    ]),
  );
}

export function errorResponseObject(description: string, codes: readonly ErrorCode[]) {
  return {
    description: `${description} Codes: ${codes.map((c) => `\`${c}\``).join(', ')}.`,
    headers: headerObjects(['cache-control', 'content-type']),
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  };
}
