import { readFile } from 'node:fs/promises';
import { marked } from 'marked';
import { DOCS_ASSETS_PATH, DOCS_PAGES, DOCS_PATH, type DocsPageSlug } from './docs-definition.ts';

/**
 * The docs as HTML pages: the product's pages from Markdown (pages/*.md, ours, rendered once), and the
 * API reference, a shell that Swagger UI fills from the OpenAPI document.
 */

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

function navigation(current: DocsPageSlug | 'reference'): string {
  const link = (href: string, title: string, here: boolean) =>
    `<a href="${href}"${here ? ' aria-current="page"' : ''}>${escapeHtml(title)}</a>`;
  const pages = DOCS_PAGES.map((page) => link(`${DOCS_PATH}/${page.slug}`, page.title, page.slug === current));
  return `<nav class="docs-nav" aria-label="Documentation"><strong>avtrz docs</strong>${pages.join('')}${link(DOCS_PATH, 'API reference', current === 'reference')}</nav>`;
}

function layout(title: string, head: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · avtrz</title>
${head}<link rel="stylesheet" href="${DOCS_ASSETS_PATH}/docs.css">
</head>
<body>
${body}
</body>
</html>
`;
}

export function referencePage(): string {
  return layout(
    'API reference',
    `<link rel="stylesheet" href="${DOCS_ASSETS_PATH}/swagger-ui.css">\n`,
    `${navigation('reference')}
<main id="reference" aria-label="API reference"><noscript><p class="docs-page">The API reference needs JavaScript; the document itself is at <a href="/api/docs/openapi">/api/docs/openapi</a>.</p></noscript></main>
<script src="${DOCS_ASSETS_PATH}/swagger-ui-bundle.js"></script>
<script src="${DOCS_ASSETS_PATH}/reference.js"></script>`,
  );
}

export async function renderDocsPage(slug: DocsPageSlug): Promise<string> {
  const page = DOCS_PAGES.find((p) => p.slug === slug);
  const markdown = await readFile(new URL(`./pages/${slug}.md`, import.meta.url), 'utf8');
  const html = await marked.parse(markdown, { gfm: true });
  return layout(page?.title ?? slug, '', `${navigation(slug)}\n<main class="docs-page">\n${html}</main>`);
}
