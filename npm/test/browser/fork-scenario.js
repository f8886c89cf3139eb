// Shared by the page and the worker: fetch keys from the test node through the browser build, cold
// (into IndexedDB) and then with a second fetcher on the same database; plain JSON back.
import { createEngine, createForkFetcher, indexedDbCache } from '/dist/esm/browser.js';

const plain = (value) => JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));

export async function forkRun({ url, blockNumber, keys, dbName }) {
  const first = await createForkFetcher({ url, blockNumber, cache: indexedDbCache(dbName) });
  first.resetStats();
  const values = await first.fetch(keys);
  const firstStats = first.stats();
  const second = await createForkFetcher({ url, blockNumber, cache: indexedDbCache(dbName) });
  second.resetStats();
  const again = await second.fetch(keys);
  return { values: plain(values), again: plain(again), firstStats, secondStats: second.stats(), hasProcess: typeof process !== 'undefined' };
}

/**
 * A forked engine on the page: a call and an estimate on the test node's state, with the round
 * trips; then a modexp call by a local engine's synchronous API (refused while the curve module
 * is not loaded; the fetchers before, verifying the node's proofs, loaded it) and by the forked engine.
 */
export async function forkEngineRun({ url, blockNumber, call, transfer, modexp }) {
  const engine = await createEngine({ flow: 'ethereum', hardfork: 'cancun', fork: { url }, blockNumber });
  engine.fork.resetStats();
  const result = await engine.call(call);
  const estimate = await engine.estimateGas(transfer);
  const cold = engine.fork.stats().roundTrips;
  engine.fork.resetStats();
  await engine.estimateGas(transfer);
  const out = { returnData: result.returnData, gasLimit: estimate.gasLimit.toString(), cold, warm: engine.fork.stats().roundTrips, forkBlock: engine.forkBlock.number.toString() };
  const local = await createEngine({ flow: 'ethereum', hardfork: 'cancun' });
  try {
    local.call(modexp);
  } catch (err) {
    out.refused = err.code;
  }
  local.free();
  out.modexp = (await engine.call(modexp)).returnData;
  engine.free();
  return out;
}
