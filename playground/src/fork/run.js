// Fork mode: a transaction of a real chain re-executed on the state before it. The engine forks
// the chain through a JSON-RPC URL (zkos `createEngine({ fork })`, `replayTransaction`), and the
// worker gets the same run interface as for the playground's own inputs (see
// src/engine-adapter.js openRun), so every view steps it alike. What the node is asked is
// counted as it happens, for the progress line.

import { createEngine } from 'zkos';
import { openCursor, plainResult, rulesOf } from '../engine-adapter.js';

/** Time allowed for one request to the node, and times a failed one is sent again. */
const TIMEOUT_MS = 15_000;
const RETRIES = 1;
/** Fork blocks whose values the worker keeps (oldest dropped first). */
const CACHED_SCOPES = 4;

/**
 * Values the node answered, per fork block (the fetcher's persistent-cache scope: chain id,
 * block number and hash), shared by every forked engine of this worker: running the same
 * transaction again (under another flow, say) asks the node only what it has not answered yet.
 */
const answered = new Map();

/** Kinds of fetched values by the prefix of their cache key (see npm/src/fork/fetcher.ts persist). */
const KINDS = { a: 'accounts', s: 'slots', c: 'codes', h: 'blockHashes' };

/** The counters the progress line shows, reported on every change. */
function newCounts() {
  return { stage: 'connecting', requests: 0, accounts: 0, slots: 0, codes: 0, blockHashes: 0 };
}

/** A ForkCache in memory (see `answered`) that counts what the node answered. */
function countingCache(counts, report) {
  return {
    async get(scope, keys) {
      const values = answered.get(scope);
      const out = new Map();
      for (const key of keys) if (values?.has(key)) out.set(key, values.get(key));
      return out;
    },
    async put(scope, entries) {
      let values = answered.get(scope);
      if (!values) {
        if (answered.size >= CACHED_SCOPES) answered.delete(answered.keys().next().value);
        answered.set(scope, (values = new Map()));
      }
      for (const [key, value] of entries) {
        values.set(key, value);
        const kind = KINDS[key[0]];
        if (kind) counts[kind]++;
      }
      report();
    },
  };
}

/** `fetch` counting each request to the node (one JSON-RPC batch each). */
function countingFetch(counts, report) {
  return (url, init) => {
    counts.requests++;
    report();
    return fetch(url, init);
  };
}

/** A transaction of the node, its receipt and its block: what the replay is compared against. */
async function chainRecords(engine, hash) {
  const [tx, receipt] = await engine.fork.rpc([
    { method: 'eth_getTransactionByHash', params: [hash] },
    { method: 'eth_getTransactionReceipt', params: [hash] },
  ]);
  const [block] = await engine.fork.rpc([{ method: 'eth_getBlockByNumber', params: [tx.blockNumber, false] }]);
  return { tx, receipt, block };
}

const big = (hex) => (hex === undefined || hex === null ? 0n : BigInt(hex));

/**
 * Opens the replay of `request.fork` (`{url, hash}`) under the selected rules. `onProgress`
 * gets `{stage, requests, accounts, slots, codes, blockHashes}` whenever the node is asked or
 * answers. Failures are the engine's errors (see src/fork/explain.js for their wording).
 */
export async function openForkRun(request, onProgress) {
  const { url, hash } = request.fork;
  const counts = newCounts();
  const report = () => onProgress({ ...counts });
  const fork = { url, fetch: countingFetch(counts, report), cache: countingCache(counts, report), timeoutMs: TIMEOUT_MS, retries: RETRIES };
  const head = await createEngine({ ...rulesOf(request.config), fork });
  counts.stage = 'replaying';
  report();
  let replay;
  try {
    replay = await head.replayTransaction(hash);
  } finally {
    head.free();
  }
  const { engine, index } = replay;
  const { tx, receipt, block } = await chainRecords(engine, hash);
  counts.stage = 'recording';
  report();

  // The replayed transaction is the last of its block session: its result once recorded.
  let recorded = replay.session;
  const opener = async () => {
    const session = recorded ?? (await replay.reopen());
    recorded = null;
    return {
      session,
      codeOf: async (address) => (await engine.getAccount(address))?.code ?? '0x',
      initCode: (i) => (i === index && !tx.to ? tx.input : null),
    };
  };
  const first = replay.session;
  const number = big(tx.blockNumber);
  const info = {
    url, hash, index, chainId: Number(engine.chainId), blockNumber: Number(number), forkBlock: Number(engine.forkBlock.number),
    chainGasUsed: Number(big(receipt?.gasUsed)), chainStatus: big(receipt?.status) === 1n ? 'success' : 'reverted',
    // What the receipt panel derives the native limit from: the transaction's gas limit and
    // price, the block's base fee and the engine's native price.
    tx: { gasLimit: big(tx.gas), gasPrice: big(receipt?.effectiveGasPrice ?? tx.gasPrice) },
    env: { baseFee: big(block?.baseFeePerGas), nativePrice: engine.fees().nativePrice },
  };
  return {
    deployed: null,
    fork: info,
    summary: () => forkSummary(first, engine, info),
    opcodeStats: () => ({}),
    openCursor: () => openCursor(opener),
  };
}

/** The replayed transaction's result next to what the chain's receipt says. */
function forkSummary(session, engine, info) {
  const result = plainResult(session.result() ?? {});
  return {
    protocolVersion: `v${engine.protocolVersion}`,
    replayed: `transaction ${info.index} of block ${info.blockNumber} (chain ${info.chainId}), on the state after block ${info.forkBlock}`,
    ...result,
    chainGasUsed: info.chainGasUsed,
    chainStatus: info.chainStatus,
  };
}
