// Shared by the page and the worker: fetch keys from the test node through the browser build, cold
// (into IndexedDB) and then with a second fetcher on the same database; plain JSON back.
import { createForkFetcher, indexedDbCache } from '/dist/esm/browser.js';

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
