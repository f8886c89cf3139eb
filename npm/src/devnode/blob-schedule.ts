// `--blob-schedule FILE`: a chain's blob schedule from a geth genesis (its `config`), a chain
// config, or a bare EIP-7840 `blobSchedule` object, as `createEngine`'s `blobSchedule` option.
import type { BlobParams } from '../types.js';

const HARDFORK_ENTRIES = ['cancun', 'prague', 'osaka'];

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The `blobSchedule` option from parsed JSON: a blob-parameter-only fork's entry (`bpo1`, …)
 * takes its `timestamp` from the entry, else from the config's `<name>Time` (geth's `bpo1Time`).
 * The engine checks the values.
 */
export function blobScheduleOption(json: unknown): Record<string, BlobParams> {
  const config = isObject(json) && isObject(json.config) ? json.config : json;
  if (!isObject(config)) throw new Error('--blob-schedule: expected a JSON object');
  const schedule = isObject(config.blobSchedule) ? config.blobSchedule : config;
  const out: Record<string, BlobParams> = {};
  for (const [name, entry] of Object.entries(schedule)) {
    if (!isObject(entry)) throw new Error(`--blob-schedule: ${name}: expected an object`);
    const timestamp = entry.timestamp ?? config[`${name}Time`];
    if (!HARDFORK_ENTRIES.includes(name) && timestamp === undefined) throw new Error(`--blob-schedule: ${name}: no timestamp (nor ${name}Time)`);
    out[name] = { ...entry, ...(timestamp === undefined ? {} : { timestamp }) } as unknown as BlobParams;
  }
  return out;
}
