import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { HeaderReader, IncomingRequest, RequestTarget } from './incoming-request.ts';

/** Node's parsed headers read like a web `Headers` (names in lower case, as Node keeps them). */
class NodeHeaders implements HeaderReader {
  readonly #headers: IncomingHttpHeaders;
  constructor(headers: IncomingHttpHeaders) {
    this.#headers = headers;
  }
  get(name: string): string | null {
    const value = this.#headers[name];
    if (value === undefined) return null;
    return typeof value === 'string' ? value : value.join(', ');
  }
}

/** The path and query as sent (no normalisation, as h3's own URL reads them); parameters parsed on demand. */
class NodeTarget implements RequestTarget {
  readonly pathname: string;
  readonly search: string;
  #params: URLSearchParams | undefined;
  constructor(pathname: string, search: string) {
    this.pathname = pathname;
    this.search = search;
  }
  get searchParams(): URLSearchParams {
    return (this.#params ??= new URLSearchParams(this.search));
  }
}

class NodeRequestView implements IncomingRequest {
  readonly req: { readonly method: string; readonly headers: HeaderReader };
  readonly url: RequestTarget;
  constructor(request: IncomingMessage, pathname: string, search: string) {
    this.req = { method: request.method ?? 'GET', headers: new NodeHeaders(request.headers) };
    this.url = new NodeTarget(pathname, search);
  }
}

/** A Node request seen as the routes read one, its URL already split by the caller that matched its path. */
export function viewOfNodeRequest(request: IncomingMessage, pathname: string, search: string): IncomingRequest {
  return new NodeRequestView(request, pathname, search);
}
