// Redirects from the fork URL. fetch's own following hands the user's `headers` (API keys) on to
// whatever host a redirect names: undici drops only `Authorization` when the origin changes (the
// Fetch standard's rule), so a node answering 307 to another host received an `x-api-key` given
// for the fork URL. Here redirects are followed by hand: to the same origin (or the same host
// moving from http to https), with the same POST and headers; to any other origin they are
// refused, as a typed error naming where the node pointed.
import { ZkosError } from '../errors.js';

/** Most redirects one request follows (fetch's own limit is 20; a node needs one or two). */
export const MAX_REDIRECTS = 5;

/** HTTP statuses that redirect; each is followed with the same POST (JSON-RPC has no GET). */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Where a response redirects to: the next URL to POST to, undefined when it is not a redirect. */
export function redirectTarget(res: Response, from: string): string | undefined {
  // A browser hides a redirect's target from `redirect: 'manual'` (an opaque response).
  if (res.type === 'opaqueredirect') {
    throw new ZkosError('FORK_UNAVAILABLE', 'fork: the node redirected the request and the browser does not say where; give the fork the URL it redirects to', { url: from });
  }
  if (!REDIRECTS.has(res.status)) return undefined;
  const location = res.headers.get('location');
  if (location === null) return undefined;
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw new ZkosError('FORK_UNAVAILABLE', `fork: the node redirected to a location that is not a URL: ${JSON.stringify(location.slice(0, 200))}`, { url: from, status: res.status });
  }
  if (!followable(new URL(from), next)) {
    throw new ZkosError(
      'FORK_UNAVAILABLE',
      `fork: the node at ${new URL(from).origin} redirected (HTTP ${res.status}) to another origin, ${next.origin}: not followed, as the fork's headers would go with it; give the fork that URL if you trust it`,
      { url: from, status: res.status, location: next.href },
    );
  }
  return next.href;
}

/** Whether a redirect from `from` to `to` keeps the request where its headers were meant to go. */
function followable(from: URL, to: URL): boolean {
  if (to.origin === from.origin) return true;
  // http → https on the same host name and default port: the same server, now over TLS.
  return from.protocol === 'http:' && to.protocol === 'https:' && to.hostname === from.hostname && to.port === '' && (from.port === '' || from.port === '80');
}
