import type { HeaderReader } from '@avtrz/shared/http/request-logging';

export type { HeaderReader } from '@avtrz/shared/http/request-logging';

/** What a route reads of a request's URL: the path and the query string as sent. */
export interface RequestTarget {
  readonly pathname: string;
  /** The query string as sent, with its `?` (or empty): a signature is checked over it. */
  readonly search: string;
  readonly searchParams: URLSearchParams;
}

/**
 * What the public API's routes read of a request. h3's event is one; the view of a Node request that
 * /v1/avatar is answered from (node-request-view.ts) is the other.
 */
export interface IncomingRequest {
  readonly req: { readonly method: string; readonly headers: HeaderReader };
  readonly url: RequestTarget;
}
