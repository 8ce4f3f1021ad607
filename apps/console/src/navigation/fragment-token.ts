/**
 * The token of a link the installation hands out (`/setup#token=…`, `/invite#token=…`): in the
 * fragment, which browsers never send to a server or put in a Referer.
 */
export function tokenFromFragment(): string {
  return new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
}
