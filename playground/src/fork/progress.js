// The progress line of a fork replay: what the node was asked and answered so far.

const STAGES = {
  connecting: 'connecting to the node',
  replaying: 'finding the transaction and running the ones before it in its block',
  recording: 'recording the transaction',
};

const plural = (n, one, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/**
 * `{stage, requests, accounts, slots, codes, blockHashes}` (see src/fork/run.js) as a line:
 * "recording the transaction… 4 requests to the node · fetched 3 accounts, 2 storage slots".
 */
export function progressText(p, finished = false) {
  const fetched = [plural(p.accounts, 'account'), plural(p.slots, 'storage slot')];
  if (p.blockHashes) fetched.push(plural(p.blockHashes, 'block hash', 'block hashes'));
  const what = `${plural(p.requests, 'request')} to the node · fetched ${fetched.join(', ')}`;
  return finished ? `Replayed: ${what}.` : `${STAGES[p.stage] ?? p.stage}… ${what}`;
}
