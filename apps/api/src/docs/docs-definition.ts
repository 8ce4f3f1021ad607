/** The docs the API serves at /docs (CONTRACT §1's OpenAPI document rendered, and the product's pages). */
export const DOCS_PATH = '/docs';
export const DOCS_ASSETS_PATH = `${DOCS_PATH}/assets`;

/** The pages, in the order of the navigation; the API reference is /docs itself. */
export const DOCS_PAGES = [
  { slug: 'overview', title: 'Overview' },
  { slug: 'quickstart', title: 'Quickstart' },
  { slug: 'authentication', title: 'Authentication' },
  { slug: 'how-it-works', title: 'How it works' },
] as const;

export type DocsPageSlug = (typeof DOCS_PAGES)[number]['slug'];

/** Nothing from another origin, no inline script; Swagger UI sets inline style attributes. */
export const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
