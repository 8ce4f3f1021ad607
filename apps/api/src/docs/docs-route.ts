import type { H3, H3Event } from 'h3';
import { FastResponse } from 'srvx';
import { errorAnswer } from '../avatar/avatar-responses.ts';
import { createDocsAssets } from './docs-assets.ts';
import {
  DOCS_ASSETS_PATH,
  DOCS_CONTENT_SECURITY_POLICY,
  DOCS_PAGES,
  DOCS_PATH,
  type DocsPageSlug,
} from './docs-definition.ts';
import { referencePage, renderDocsPage } from './docs-pages.ts';

const HTML_TYPE = 'text/html; charset=utf-8';

/** GET /docs (the API reference), /docs/<page> and /docs/assets/<file>: everything from this origin. */
export function registerDocsRoute(app: H3): void {
  const assets = createDocsAssets();
  const pages = new Map<DocsPageSlug, Promise<string>>();
  const reference = referencePage();

  const answer = (event: H3Event, body: string | Buffer, type: string, maxAge: number) =>
    new FastResponse(event.req.method === 'HEAD' ? null : body, {
      headers: [
        ['content-type', type],
        ['cache-control', `public, max-age=${maxAge}`],
        ['content-security-policy', DOCS_CONTENT_SECURITY_POLICY],
        ['x-content-type-options', 'nosniff'],
        ['referrer-policy', 'no-referrer'],
      ],
    });
  const notFound = (event: H3Event) => errorAnswer('not_found', { head: event.req.method === 'HEAD' });

  for (const path of [DOCS_PATH, `${DOCS_PATH}/`, `${DOCS_PATH}/api-reference`]) {
    app.get(path, (event) => answer(event, reference, HTML_TYPE, 300));
  }
  app.get(`${DOCS_ASSETS_PATH}/:file`, async (event) => {
    const asset = await assets.get(event.context.params?.file ?? '');
    return asset ? answer(event, asset.body, asset.type, 3600) : notFound(event);
  });
  app.get(`${DOCS_PATH}/:page`, async (event) => {
    const slug = DOCS_PAGES.find((p) => p.slug === event.context.params?.page)?.slug;
    if (!slug) return notFound(event);
    let page = pages.get(slug);
    if (!page) {
      page = renderDocsPage(slug);
      page.catch(() => pages.delete(slug));
      pages.set(slug, page);
    }
    return answer(event, await page, HTML_TYPE, 300);
  });
}
