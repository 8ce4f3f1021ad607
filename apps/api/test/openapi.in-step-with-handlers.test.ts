import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { useTestDatabase } from '@avtrz/db/testing';
import { errorCatalog } from '@avtrz/shared/errors';
import { type ApiUnderTest, startApiUnderTest } from './support/api-under-test.ts';
import { seedKey, seedProfileWithoutPhoto, seedResolvedProfile, seedWorkspace } from './support/seed.ts';

interface HeaderDoc {
  readonly required?: boolean;
}
interface ResponseDoc {
  readonly description: string;
  readonly headers?: Record<string, HeaderDoc>;
  readonly content?: Record<string, unknown>;
}
interface OperationDoc {
  readonly parameters: { name: string; in: string }[];
  readonly responses: Record<string, ResponseDoc>;
}
interface Document {
  readonly openapi: string;
  readonly paths: Record<string, Record<string, OperationDoc>>;
  readonly components: {
    schemas: {
      Error: { properties: { error: { properties: { code: { enum: string[] }; type: { enum: string[] } } } } };
    };
  };
}

const database = useTestDatabase();
let api: ApiUnderTest;
let doc: Document;
const keys: Record<string, string> = {};

beforeAll(async () => {
  api = await startApiUnderTest(database);
  const mainWorkspace = await seedWorkspace(database.db);
  keys.main = (await seedKey(database.db, mainWorkspace, 'secret')).key;
  keys.publishable = (await seedKey(database.db, mainWorkspace, 'publishable')).key;
  keys.limited = (
    await seedKey(database.db, await seedWorkspace(database.db, { rateLimitPerMinute: 1 }), 'secret')
  ).key;
  keys.noQuota = (
    await seedKey(
      database.db,
      await seedWorkspace(database.db, { monthlyNewProfileQuota: 0, monthlyRequestQuota: 0 }),
      'secret',
    )
  ).key;
  const photo = await seedResolvedProfile(database.db, api.storage, 'alex-rivera');
  keys.etag = `"${photo.variants.get(128)?.contentHash}"`;
  await seedProfileWithoutPhoto(database.db, 'no-photo-person');
  const res = await api.request('/api/docs/openapi');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/json');
  doc = (await res.json()) as Document;
});
afterAll(async () => {
  await api?.close();
});

/** One real request per documented answer of /v1/avatar. */
const producers: Record<string, () => Promise<Response>> = {
  302: () => api.request('/v1/avatar?username=alex-rivera', { headers: { 'x-api-key': keys.main as string } }),
  200: () => api.request('/v1/avatar?username=no-photo-person', { headers: { 'x-api-key': keys.main as string } }),
  304: () =>
    api.request('/v1/avatar?username=alex-rivera', {
      headers: { 'x-api-key': keys.main as string, 'if-none-match': keys.etag as string },
    }),
  400: () => api.request('/v1/avatar?username=alex-rivera&size=7', { headers: { 'x-api-key': keys.main as string } }),
  401: () => api.request('/v1/avatar?username=alex-rivera'),
  402: () =>
    api.request('/v1/avatar?username=never-requested-here', { headers: { 'x-api-key': keys.noQuota as string } }),
  405: () =>
    api.request('/v1/avatar?username=alex-rivera', { method: 'POST', headers: { 'x-api-key': keys.main as string } }),
  429: async () => {
    await api.request('/v1/avatar?username=alex-rivera', { headers: { 'x-api-key': keys.limited as string } });
    return api.request('/v1/avatar?username=alex-rivera', { headers: { 'x-api-key': keys.limited as string } });
  },
};

/** Headers every answer may carry that the document leaves to HTTP itself. */
const TRANSPORT = new Set([
  'content-length',
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'x-content-type-options',
  'access-control-allow-origin',
  'content-security-policy',
]);

describe('the OpenAPI document', () => {
  test('is OpenAPI 3.1 and names every path the API answers', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/docs/openapi',
      '/cdn/{storageKey}',
      '/docs',
      '/docs/assets/{file}',
      '/docs/{page}',
      '/v1/avatar',
      '/v1/avatars',
    ]);
    expect(Object.keys(doc.paths['/v1/avatar'] ?? {}).sort()).toEqual(['get', 'head']);
  });

  test('documents exactly the statuses there are producers for', () => {
    expect(Object.keys(doc.paths['/v1/avatar']?.get?.responses ?? {}).sort()).toEqual(Object.keys(producers).sort());
  });

  test.each(Object.keys(producers))(
    '%s: the real answer has the documented headers, and nothing undocumented',
    async (status) => {
      const documented = doc.paths['/v1/avatar']?.get?.responses[status];
      expect(documented).toBeDefined();
      const res = await (producers[status] as () => Promise<Response>)();
      expect(res.status).toBe(Number(status));
      const sent = [...res.headers.keys()];
      for (const [name, header] of Object.entries(documented?.headers ?? {})) {
        if (header.required) expect(sent, `${status} lacks ${name}`).toContain(name);
      }
      for (const name of sent) {
        if (!TRANSPORT.has(name))
          expect(Object.keys(documented?.headers ?? {}), `${status} sends undocumented ${name}`).toContain(name);
      }
      const type = res.headers.get('content-type');
      if (type) expect(Object.keys(documented?.content ?? {})).toContain(type);
      if (type === 'application/json') {
        const body = (await res.json()) as { error: { code: string; type: string } };
        const errorSchema = doc.components.schemas.Error.properties.error.properties;
        expect(errorSchema.code.enum).toContain(body.error.code);
        expect(errorSchema.type.enum).toContain(body.error.type);
        expect(documented?.description).toContain(`\`${body.error.code}\``);
      } else {
        await res.arrayBuffer();
      }
    },
  );

  test('every error code in the document is a code of the shared catalog, with its status', () => {
    const operations = [doc.paths['/v1/avatar']?.get, doc.paths['/v1/avatars']?.post];
    for (const code of doc.components.schemas.Error.properties.error.properties.code.enum) {
      const spec = errorCatalog[code as keyof typeof errorCatalog];
      expect(spec, code).toBeDefined();
      if (spec.status === 404) continue;
      const documented = operations.some((op) =>
        op?.responses[String(spec.status)]?.description.includes(`\`${code}\``),
      );
      expect(documented, `${code} is documented under ${spec.status}`).toBe(true);
    }
  });

  test('format=json answers what the AvatarDecision schema says', async () => {
    const schema = (doc.components.schemas as unknown as Record<string, { required: string[] }>).AvatarDecision;
    const documented = doc.paths['/v1/avatar']?.get?.responses['200']?.content ?? {};
    expect(Object.keys(documented)).toContain('application/json');
    const res = await api.request('/v1/avatar?username=alex-rivera&format=json', {
      headers: { 'x-api-key': keys.main as string },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(Object.keys((await res.json()) as object).sort()).toEqual([...(schema?.required ?? [])].sort());
  });

  test('documents the parameters the handler reads', async () => {
    const names = (doc.paths['/v1/avatar']?.get?.parameters ?? []).map((p) => `${p.in}:${p.name}`).sort();
    expect(names).toEqual(
      [
        'query:key',
        'query:linkedin_url',
        'query:username',
        'query:size',
        'query:refresh',
        'query:format',
        'query:sig',
        'query:exp',
        'header:x-api-key',
        'header:if-none-match',
        'header:origin',
        'header:referer',
        'header:sec-fetch-dest',
        'header:accept',
      ].sort(),
    );
    // And the handler reads them under those names: each one changes the answer.
    const key = { 'x-api-key': keys.main as string };
    expect((await api.request(`/v1/avatar?key=${keys.main}&username=alex-rivera`)).status).toBe(302);
    expect((await api.request('/v1/avatar?linkedin_url=linkedin.com/in/alex-rivera', { headers: key })).status).toBe(
      302,
    );
    expect((await api.request('/v1/avatar?username=alex-rivera&size=9', { headers: key })).status).toBe(400);
    expect(
      (await api.request('/v1/avatar', { headers: { ...key, 'sec-fetch-dest': 'image' } })).headers.get(
        'x-avtrz-error',
      ),
    ).toBe('missing_profile');
    expect(
      (await api.request('/v1/avatar', { headers: { ...key, accept: 'image/webp' } })).headers.get('x-avtrz-error'),
    ).toBe('missing_profile');
  });
});

/** One real request per documented answer of POST /v1/avatars. */
const batchProducers: Record<string, () => Promise<Response>> = {
  200: () => batch(keys.main as string, { profiles: ['alex-rivera'] }),
  400: () => batch(keys.main as string, { profiles: [] }),
  401: () => batch(undefined, { profiles: ['alex-rivera'] }),
  403: () => batch(keys.publishable as string, { profiles: ['alex-rivera'] }),
  405: () => api.request('/v1/avatars', { headers: { 'x-api-key': keys.main as string } }),
  429: async () => {
    await batch(keys.limited as string, { profiles: ['alex-rivera'] });
    return batch(keys.limited as string, { profiles: ['alex-rivera'] });
  },
};

function batch(key: string | undefined, body: unknown): Promise<Response> {
  return api.request('/v1/avatars', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) },
    body: JSON.stringify(body),
  });
}

describe('the OpenAPI document of POST /v1/avatars', () => {
  test('documents exactly the statuses there are producers for', () => {
    expect(Object.keys(doc.paths['/v1/avatars']?.post?.responses ?? {}).sort()).toEqual(
      Object.keys(batchProducers).sort(),
    );
  });

  test.each(Object.keys(batchProducers))(
    '%s: the real answer has the documented headers and content',
    async (status) => {
      const documented = doc.paths['/v1/avatars']?.post?.responses[status];
      const res = await (batchProducers[status] as () => Promise<Response>)();
      expect(res.status).toBe(Number(status));
      const sent = [...res.headers.keys()];
      for (const [name, header] of Object.entries(documented?.headers ?? {})) {
        if (header.required) expect(sent, `${status} lacks ${name}`).toContain(name);
      }
      for (const name of sent) {
        if (!TRANSPORT.has(name))
          expect(Object.keys(documented?.headers ?? {}), `${status} sends undocumented ${name}`).toContain(name);
      }
      expect(Object.keys(documented?.content ?? {})).toContain(res.headers.get('content-type'));
      const body = (await res.json()) as { error?: { code: string } };
      if (body.error) expect(documented?.description).toContain(`\`${body.error.code}\``);
    },
  );
});
