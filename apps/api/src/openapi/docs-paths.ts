import { DOCS_ASSETS_PATH, DOCS_PAGES, DOCS_PATH } from '../docs/docs-definition.ts';

const html = { 'text/html': { schema: { type: 'string' } } };
const notFound = {
  description: 'No such page or file.',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};

/** The docs the API serves, in the OpenAPI document. */
export function docsPaths(): Record<string, unknown> {
  return {
    [DOCS_PATH]: {
      get: {
        operationId: 'getApiReference',
        summary: 'This API reference, rendered from this document (Swagger UI, served from this origin)',
        tags: ['docs'],
        security: [],
        responses: { 200: { description: 'An HTML page.', content: html } },
      },
    },
    [`${DOCS_PATH}/{page}`]: {
      get: {
        operationId: 'getDocsPage',
        summary: 'A page of the product documentation',
        tags: ['docs'],
        security: [],
        parameters: [
          {
            name: 'page',
            in: 'path',
            required: true,
            schema: { type: 'string', enum: [...DOCS_PAGES.map((p) => p.slug), 'api-reference'] },
          },
        ],
        responses: { 200: { description: 'An HTML page.', content: html }, 404: notFound },
      },
    },
    [`${DOCS_ASSETS_PATH}/{file}`]: {
      get: {
        operationId: 'getDocsAsset',
        summary: 'A stylesheet or script of the docs pages',
        tags: ['docs'],
        security: [],
        parameters: [{ name: 'file', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          200: {
            description: 'The file.',
            content: { 'text/css': { schema: { type: 'string' } }, 'text/javascript': { schema: { type: 'string' } } },
          },
          404: notFound,
        },
      },
    },
  };
}
