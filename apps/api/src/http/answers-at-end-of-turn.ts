import type { H3Event } from 'h3';
import type { MaybePromise } from './maybe-promise.ts';

type Handler = (event: H3Event) => MaybePromise<Response>;

/**
 * Sends the answers a route decides synchronously at the end of the event-loop turn, together, rather
 * than each between the reading of the next requests.
 *
 * Under load one turn reads a request from every connection that has one. Written as each is decided,
 * every answer's write wakes the peer (a CDN's edge, a proxy, a load generator) on its own, and the
 * process alternates between deciding and writing. Written together, the peer wakes once for the group
 * and sends its next requests together, and the process runs the deciding code for the whole group,
 * then the writing code, each while it is hot in the CPU's caches. In `pnpm bench` this took a cached
 * 302 from about 0.6 to about 0.85 of the bare h3 server (system time per answer down by a third).
 *
 * Under light load a turn holds one request, whose answer waits only for the check phase of the same
 * turn (a few microseconds). Answers that already had to wait (a promise) are not held again.
 */
export function answersAtEndOfTurn(handler: Handler): Handler {
  // Parallel arrays, not one closure per answer: this runs on every request of the hot path.
  let answers: Response[] = [];
  let sends: ((answer: Response) => void)[] = [];
  const sendAll = () => {
    const held = answers;
    const resolve = sends;
    answers = [];
    sends = [];
    for (let i = 0; i < held.length; i++) (resolve[i] as (answer: Response) => void)(held[i] as Response);
  };
  return (event) => {
    const answer = handler(event);
    if (answer instanceof Promise) return answer;
    return new Promise<Response>((resolve) => {
      if (answers.length === 0) setImmediate(sendAll);
      answers.push(answer);
      sends.push(resolve);
    });
  };
}
