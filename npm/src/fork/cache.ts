// Persistent caches of fetched fork state. Entries are strings under a scope naming the chain and
// the fork block, so a cache never mixes chains or blocks; values are checked again when read.
import type { ForkCache } from './types.js';

/** IndexedDB object store holding every scope's entries, keyed by `[scope, key]`. */
const STORE = 'entries';
const DB_VERSION = 1;

function promised<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

/** A persistent cache in IndexedDB (browsers and Web Workers), in the database `name`. */
export function indexedDbCache(name = 'zkos-fork'): ForkCache {
  let db: Promise<IDBDatabase> | undefined;
  const open = (): Promise<IDBDatabase> => {
    db ??= new Promise<IDBDatabase>((resolve, reject) => {
      if (typeof indexedDB === 'undefined') {
        reject(new Error('IndexedDB is not available here'));
        return;
      }
      const request = indexedDB.open(name, DB_VERSION);
      request.onupgradeneeded = () => {
        request.result.createObjectStore(STORE);
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    }).catch((err: unknown) => {
      db = undefined;
      throw err;
    });
    return db;
  };
  return {
    async get(scope, keys) {
      const tx = (await open()).transaction(STORE, 'readonly');
      const store = tx.objectStore(STORE);
      const values = await Promise.all(keys.map((key) => promised(store.get([scope, key]))));
      const out = new Map<string, string>();
      keys.forEach((key, i) => {
        const value: unknown = values[i];
        if (typeof value === 'string') out.set(key, value);
      });
      return out;
    },
    async put(scope, entries) {
      const tx = (await open()).transaction(STORE, 'readwrite');
      const store = tx.objectStore(STORE);
      for (const [key, value] of entries) store.put(value, [scope, key]);
      await done(tx);
    },
  };
}
