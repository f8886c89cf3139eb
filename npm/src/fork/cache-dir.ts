// The Node persistent cache: a directory with one JSON-lines file per scope (chain and fork
// block), only ever appended to, so a crash can at worst leave one unreadable last line.
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ForkCache } from './types.js';

function fileName(scope: string): string {
  return scope.replace(/[^0-9A-Za-z_.-]/g, '_') + '.jsonl';
}

function parseLines(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.length === 0) continue;
    try {
      const entry: unknown = JSON.parse(line);
      if (Array.isArray(entry) && entry.length === 2 && typeof entry[0] === 'string' && typeof entry[1] === 'string') out.set(entry[0], entry[1]);
    } catch {
      // A torn line from an interrupted write: its entries are simply fetched again.
    }
  }
  return out;
}

/** A persistent cache in the directory `dir` (Node only; created on first write). */
export function directoryCache(dir: string): ForkCache {
  const scopes = new Map<string, Promise<Map<string, string>>>();
  const load = (scope: string): Promise<Map<string, string>> => {
    let entries = scopes.get(scope);
    if (entries === undefined) {
      entries = readFile(join(dir, fileName(scope)), 'utf8').then(parseLines, (err: { code?: unknown }) => {
        if (err?.code === 'ENOENT') return new Map<string, string>();
        throw err;
      });
      entries.catch(() => scopes.delete(scope));
      scopes.set(scope, entries);
    }
    return entries;
  };
  return {
    async get(scope, keys) {
      const entries = await load(scope);
      const out = new Map<string, string>();
      for (const key of keys) {
        const value = entries.get(key);
        if (value !== undefined) out.set(key, value);
      }
      return out;
    },
    async put(scope, entries) {
      const known = await load(scope);
      let lines = '';
      for (const [key, value] of entries) {
        if (known.get(key) === value) continue;
        lines += JSON.stringify([key, value]) + '\n';
      }
      if (lines.length === 0) return;
      await mkdir(dir, { recursive: true });
      await appendFile(join(dir, fileName(scope)), lines);
      for (const [key, value] of entries) known.set(key, value);
    },
  };
}
