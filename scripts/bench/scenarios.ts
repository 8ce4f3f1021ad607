import type { BenchSeed } from './seed.ts';

/** One load run: a request repeated by every connection, and the status it must get. */
export interface Scenario {
  readonly name: string;
  /** The API alone, the all-in-one start, API_PROCESSES=2, or the bare h3 server. */
  readonly target: ServerName;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly expectStatus: number;
  /** What the targets compare this scenario with. */
  readonly role?:
    | 'baseline'
    | 'cached-302'
    | 'near-cached-302'
    | 'body-baseline'
    | 'all-in-one-302'
    | 'processes-302'
    | 'distinct-handles'
    | 'after-distinct-handles';
  /** A target against another scenario: at least `ratio`× the req/s of the scenario named `of`. */
  readonly within?: { readonly of: string; readonly ratio: number };
}

export type ServerName = 'api' | 'all-in-one' | 'api-processes' | 'baseline';

const PUBLISHABLE_WITH_REFERER = 'cached 302, publishable key + Referer';

/** The hot path: every answer here comes from memory, no database round trip. */
export function hotPathScenarios(seed: BenchSeed): Scenario[] {
  const photo = `/v1/avatar?username=${seed.resolvedHandle}&size=128`;
  return [
    {
      name: 'bare h3, constant 302 (baseline)',
      target: 'baseline',
      path: '/v1/avatar',
      expectStatus: 302,
      role: 'baseline',
    },
    {
      name: 'cached 302, secret key header',
      target: 'api',
      path: photo,
      headers: { 'x-api-key': seed.secretKey },
      expectStatus: 302,
      role: 'cached-302',
    },
    {
      name: PUBLISHABLE_WITH_REFERER,
      target: 'api',
      path: `/v1/avatar?key=${seed.publishableKey}&linkedin_url=linkedin.com/in/${seed.resolvedHandle}&size=128`,
      headers: { referer: seed.referer },
      expectStatus: 302,
      role: 'near-cached-302',
    },
    // A signed URL (CONTRACT §8) is the same publishable-key request with an HMAC verified instead of the
    // Referer's domain: within 10 % of the unsigned one.
    {
      name: 'cached 302, publishable key, signed URL (no Referer)',
      target: 'api',
      path: seed.signedPath,
      expectStatus: 302,
      within: { of: PUBLISHABLE_WITH_REFERER, ratio: 0.9 },
    },
    {
      name: '304, If-None-Match',
      target: 'api',
      path: photo,
      headers: { 'x-api-key': seed.secretKey, 'if-none-match': seed.resolvedEtag128 },
      expectStatus: 304,
      role: 'near-cached-302',
    },
    {
      name: '200 fallback SVG',
      target: 'api',
      path: `/v1/avatar?username=${seed.noPhotoHandle}&size=128`,
      headers: { 'x-api-key': seed.secretKey },
      expectStatus: 200,
      role: 'near-cached-302',
    },
    {
      name: 'all-in-one start: cached 302, secret key header',
      target: 'all-in-one',
      path: photo,
      headers: { 'x-api-key': seed.secretKey },
      expectStatus: 302,
      role: 'all-in-one-302',
    },
    {
      name: 'API_PROCESSES=2: cached 302, secret key header',
      target: 'api-processes',
      path: photo,
      headers: { 'x-api-key': seed.secretKey },
      expectStatus: 302,
      role: 'processes-302',
    },
    // A body costs the transport and the client more than an empty 302 does, whoever sends it: this
    // row shows what a bare server gets for the same SVG, next to the fallback row.
    {
      name: 'bare h3, constant 200 SVG (same bytes)',
      target: 'baseline',
      path: '/svg',
      expectStatus: 200,
      role: 'body-baseline',
    },
  ];
}
