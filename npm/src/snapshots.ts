// Engine snapshots: a wasm checkpoint (or a whole wasm copy), and what the engine keeps beside
// its wasm chain that a restore must return too, the signed envelopes of mined transactions.
import type { Hex } from './hex.js';
import type { RawEngine } from './instance.js';

/** The signed envelopes of mined transactions by hash (for `v`, `r`, `s`), in the order they came. */
export class Envelopes {
  readonly #byHash = new Map<Hex, Hex>();
  #order: Hex[] = [];

  get(hash: Hex): Hex | undefined {
    return this.#byHash.get(hash);
  }

  set(hash: Hex, raw: Hex): void {
    if (!this.#byHash.has(hash)) this.#order.push(hash);
    this.#byHash.set(hash, raw);
  }

  /** How many are known: `rewind` forgets the ones that came after. */
  mark(): number {
    return this.#order.length;
  }

  /** Forgets the envelopes that came after `mark`, in time proportional to their number. */
  rewind(mark: number): void {
    while (this.#order.length > mark) this.#byHash.delete(this.#order.pop() as Hex);
  }

  /** A copy of every envelope. */
  copy(): Map<Hex, Hex> {
    return new Map(this.#byHash);
  }

  /** Makes the envelopes those of `copy`. */
  replace(copy: Map<Hex, Hex>): void {
    this.#byHash.clear();
    for (const [k, v] of copy) this.#byHash.set(k, v);
    this.#order = [...copy.keys()];
  }
}

/** What a snapshot holds: a wasm checkpoint and an envelope mark, or a wasm copy with its envelopes. */
export type SnapshotState = { engine: object; checkpoint: RawEngine; envelopes: number } | { engine: object; copy: RawEngine; envelopes: Map<Hex, Hex> };

/** The snapshots engines took. */
export const SNAPSHOTS = new WeakMap<EngineSnapshot, SnapshotState>();

/** A point of an engine's chain to `restore` (`engine.snapshot()`); `free()` releases it. */
export class EngineSnapshot {
  /** Releases the snapshot (it can no longer be restored). */
  free(): void {
    const s = SNAPSHOTS.get(this);
    if (s === undefined) return;
    SNAPSHOTS.delete(this);
    ('copy' in s ? s.copy : s.checkpoint).free();
  }
}
