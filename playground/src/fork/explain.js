// Fork mode's failures in plain language: a node that cannot be reached, one that refuses the
// page (CORS), one that answers but not as a JSON-RPC node, a transaction it does not know or
// has not mined yet. Each becomes `{message, field}` with the form control to fix.

/** Time the probe of `answersAtAll` waits for an answer. */
const PROBE_TIMEOUT_MS = 5_000;

/**
 * Whether a server answers at `url` at all: a `no-cors` request succeeds (with an opaque
 * response) whenever one does, even when it refuses the page's origin, and fails only when
 * nothing answers. `fetchFn` is the fetch to use (tests pass their own).
 */
export async function answersAtAll(url, fetchFn = fetch) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), PROBE_TIMEOUT_MS);
  try {
    await fetchFn(url, { method: 'POST', mode: 'no-cors', body: '{}', signal: controller.signal });
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** The origin the page runs on, for the CORS advice (the worker's location is the page's). */
const pageOrigin = () => globalThis.location?.origin ?? 'this page';

const short = (hash) => `${hash.slice(0, 10)}…${hash.slice(-8)}`;

/**
 * A failure of fork mode (a zkos error of the fork fetcher or of `replayTransaction`) as
 * `{message, field}`. `target` is the request's `{url, hash}`; a fetch that failed outright is
 * told apart (node down, or CORS refused) by probing the URL with `answersAtAll`.
 */
export async function explainForkError(e, { url, hash }, fetchFn = fetch) {
  const code = e?.code;
  const text = String(e?.message ?? e);
  if (code === 'NOT_FOUND' && e?.data?.pending === true) {
    return { message: `Transaction ${short(hash)} is still pending: it is in no block yet, so there is no state before it to replay it on. Try again once it is mined.`, field: 'forkTx' };
  }
  if (code === 'NOT_FOUND' && /replayTransaction/.test(text)) {
    const later = /after the fork block/.test(text);
    return later
      ? { message: `Transaction ${short(hash)} was mined after the block this replay started from. Run again.`, field: 'forkTx' }
      : { message: `The node at ${url} knows no transaction ${short(hash)}. Check the hash, and that the URL is a node of the chain the transaction was sent on.`, field: 'forkTx' };
  }
  if (code === 'NOT_FOUND') return { message: `The node at ${url} has no such block (${text.replace(/^fork:\s*/, '')}).`, field: 'forkUrl' };
  if (code === 'FORK_BAD_RESPONSE') {
    return { message: `Something answered at ${url}, but not as an Ethereum JSON-RPC node would (${text.replace(/^fork:\s*/, '')}). Check the URL.`, field: 'forkUrl' };
  }
  if (code === 'FORK_PROOF_MISMATCH') {
    return {
      message: `The node at ${url} sent state its block's proofs do not back (${text.replace(/^fork:\s*/, '')}): it is faulty or lying, or the chain is not Ethereum-shaped (a ZKsync chain's blocks and state tree cannot be checked this way, so they cannot be replayed here).`,
      field: 'forkUrl',
    };
  }
  if (code === 'FORK_UNAVAILABLE') {
    const status = e?.data?.status;
    if (status === 401 || status === 403) return { message: `The node at ${url} refused the request (HTTP ${status}): it may need an API key in the URL.`, field: 'forkUrl' };
    if (status !== undefined) return { message: `The node at ${url} answered HTTP ${status} instead of JSON-RPC. Check the URL.`, field: 'forkUrl' };
    if (e?.data?.timeoutMs !== undefined) return { message: `The node at ${url} did not answer within ${e.data.timeoutMs / 1000} s. It may be down or overloaded; try again.`, field: 'forkUrl' };
    if (e?.data?.rpcError) return { message: `The node at ${url} keeps refusing requests (rate limited: ${e.data.rpcError.message ?? e.data.rpcError.code}). Wait a little and try again, or use another node.`, field: 'forkUrl' };
    if (await answersAtAll(url, fetchFn)) {
      return { message: `The node at ${url} answers, but refuses requests from this page (CORS): the browser may only read its answers when it allows the origin ${pageOrigin()}. Start it with CORS allowed (anvil allows every origin unless --no-cors; geth: --http.corsdomain), or use a node that does.`, field: 'forkUrl' };
    }
    return { message: `Nothing answers at ${url}: the node is down, or the address or port is wrong.`, field: 'forkUrl' };
  }
  if (code === 'INVALID_ARGUMENT' && /genesis/.test(text)) return { message: 'That transaction is in the genesis block, which has no state before it to replay on.', field: 'forkTx' };
  if (code === 'INVALID_ARGUMENT' && /fork\.url/.test(text)) return { message: `"${url}" is not an http:// or https:// URL.`, field: 'forkUrl' };
  return { message: `The replay failed: ${text.replace(/^fork:\s*/, '')}.`.replace(/\.\.$/, '.'), field: null };
}
