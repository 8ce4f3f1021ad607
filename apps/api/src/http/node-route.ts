import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiAnswer } from '../avatar/avatar-responses.ts';
import type { IncomingRequest } from './incoming-request.ts';
import { answersAtEndOfTurn } from './answers-at-end-of-turn.ts';
import type { MaybePromise } from './maybe-promise.ts';
import { viewOfNodeRequest } from './node-request-view.ts';

/** Takes a request off Node's server before h3 sees it: true when it answered (or will answer) it. */
export type NodeInterceptor = (request: IncomingMessage, response: ServerResponse) => boolean;

type Handler = (request: IncomingRequest) => MaybePromise<ApiAnswer>;

const QUESTION_MARK = 63;

/**
 * Answers one exact path (with any query) from Node's request and response, ahead of h3: the path
 * every page's `<img>` requests. Through h3 each request first becomes a web Request with its URL and
 * Headers, an event, a chain of promises and a web Response converted back for Node; a cached 302
 * needs none of that. Here it costs a small view of Node's request (node-request-view.ts) and one
 * write of the answer's parts. Every other request, and this path in any other spelling h3 would
 * route, goes to h3 as before.
 *
 * `fail` answers what the handler threw, or a write Node refused (a bug: the routes answer their own
 * failures).
 */
export function nodeRoute(path: string, handler: Handler, fail: (error: unknown) => ApiAnswer): NodeInterceptor {
  const write = (response: ServerResponse, answer: ApiAnswer) => {
    try {
      writeAnswer(response, answer);
    } catch (error) {
      // A header Node refuses (a bug): the 500 of any failure, or the connection closed when it is too late.
      if (response.headersSent) response.destroy();
      else writeAnswer(response, fail(error));
    }
  };
  const send = answersAtEndOfTurn(write);
  return (request, response) => {
    const url = request.url;
    if (url === undefined || !url.startsWith(path)) return false;
    if (url.length > path.length && url.charCodeAt(path.length) !== QUESTION_MARK) return false;
    let answer: MaybePromise<ApiAnswer>;
    try {
      answer = handler(viewOfNodeRequest(request, path, url.slice(path.length)));
    } catch (error) {
      answer = fail(error);
    }
    if (answer instanceof Promise)
      answer.then(
        (answered) => write(response, answered),
        (error: unknown) => write(response, fail(error)),
      );
    else send(response, answer);
    return true;
  };
}

/** Writes an answer's parts: headers and a string body leave in one write. */
export function writeAnswer(response: ServerResponse, answer: ApiAnswer): void {
  // The caller left while the answer waited (a lookup): nothing to write to.
  if (response.destroyed) return;
  response.writeHead(answer.statusCode, answer.headerList);
  response.end(answer.bodyText ?? undefined);
}
