// The recorded execution on the main thread: per-step columns that arrive from the worker in
// chunks (typed arrays, transferred, never copied per step), with the queries the UI needs.

/**
 * Bootloader phases in order (a block ends with its block finish); a step's `phase` column is an
 * index into this list.
 */
export const PHASES = ['validation', 'fee charge', 'execution', 'pubdata', 'refund', 'block finish', 'finished'];
/** `op` column value of a step that is a bootloader action, not an EVM opcode. */
export const NO_OPCODE = 0x100;
/** The per-step columns and their array types (`tx`: index of the step's transaction in the block). */
export const COLUMNS = {
  pc: Uint32Array, op: Uint16Array, depth: Uint16Array, phase: Uint8Array, tx: Uint16Array, frame: Uint32Array,
  ergs: Float64Array, ergsCost: Float64Array, native: Float64Array, nativeCost: Float64Array,
};

/** Steps recorded so far, stored as equal-sized chunks of columns. */
export class TraceStore {
  constructor() {
    this.chunks = [];
    this.chunkSize = 0;
    this.length = 0;
    this.opTotals = new Map(); // op → {count, ergs, native}
  }

  /** Appends a chunk `{start, count, cols}`; chunks arrive in order. */
  append({ start, count, cols }) {
    if (start !== this.length) throw new Error(`chunk at ${start}, expected ${this.length}`);
    if (this.chunks.length === 0) this.chunkSize = count;
    this.chunks.push({ count, cols });
    this.length += count;
    const { op, ergsCost, nativeCost } = cols;
    for (let i = 0; i < count; i++) {
      if (op[i] === NO_OPCODE) continue;
      let t = this.opTotals.get(op[i]);
      if (!t) this.opTotals.set(op[i], (t = { count: 0, ergs: 0, native: 0 }));
      t.count++;
      t.ergs += ergsCost[i];
      t.native += nativeCost[i];
    }
  }

  /** Value of column `name` at step `i`. */
  get(name, i) {
    const c = this.chunks[Math.floor(i / this.chunkSize)];
    return c.cols[name][i % this.chunkSize];
  }

  /** All columns of step `i` as an object. */
  step(i) {
    const c = this.chunks[Math.floor(i / this.chunkSize)];
    const k = i % this.chunkSize;
    const out = {};
    for (const name of Object.keys(COLUMNS)) out[name] = c.cols[name][k];
    return out;
  }

  /** First step index in [from, length) for which `pred(chunkCols, k)` holds, or -1. */
  find(from, pred) {
    for (let ci = Math.floor(from / this.chunkSize); ci < this.chunks.length; ci++) {
      const { count, cols } = this.chunks[ci];
      for (let k = ci === Math.floor(from / this.chunkSize) ? from % this.chunkSize : 0; k < count; k++) {
        if (pred(cols, k)) return ci * this.chunkSize + k;
      }
    }
    return -1;
  }

  /**
   * The call-frame tree of the recorded execution, derived from the depth column: a frame starts
   * where the depth rises and ends where it falls back (or its transaction ends). Each frame is `{id, parent, depth, start,
   * end, via, ergs, native}`: `via` is the opcode byte of the step that entered it (null for the top
   * frame), `ergs` what it was given, `native` the transaction's native used when it began (native
   * is one counter, passed to callees in full).
   */
  frameTree() {
    const frames = [];
    const open = [];
    let prevOp = null, prevTx = 0;
    for (let i = 0, ci = 0; ci < this.chunks.length; ci++) {
      const { count, cols } = this.chunks[ci];
      for (let k = 0; k < count; k++, i++) {
        if (cols.op[k] === NO_OPCODE) continue;
        if (cols.tx[k] !== prevTx) {
          while (open.length) open.pop().end = i;
          prevTx = cols.tx[k];
        }
        const d = cols.depth[k];
        while (open.length && open[open.length - 1].depth > d) open.pop().end = i;
        if (!open.length || open[open.length - 1].depth < d) {
          const f = {
            id: frames.length, parent: open.length ? open[open.length - 1].id : null, depth: d, start: i, end: this.length,
            via: open.length ? prevOp : null, ergs: cols.ergs[k], native: cols.native[k],
          };
          frames.push(f);
          open.push(f);
        }
        prevOp = cols.op[k];
      }
    }
    return frames;
  }

  /**
   * Ergs and native per step reduced to at most `buckets` points (sums per bucket), and the
   * cumulative totals at each bucket end; for the charts.
   */
  series(buckets) {
    const per = Math.max(1, Math.ceil(this.length / buckets));
    const x = [], ergs = [], native = [], cumErgs = [], cumNative = [];
    let e = 0, n = 0, ce = 0, cn = 0, start = 0, seen = 0;
    for (const { count, cols } of this.chunks) {
      for (let k = 0; k < count; k++) {
        e += cols.ergsCost[k]; n += cols.nativeCost[k];
        if (++seen % per === 0) {
          ce += e; cn += n;
          x.push(start); ergs.push(e); native.push(n); cumErgs.push(ce); cumNative.push(cn);
          e = 0; n = 0; start = seen;
        }
      }
    }
    if (seen % per !== 0) { ce += e; cn += n; x.push(start); ergs.push(e); native.push(n); cumErgs.push(ce); cumNative.push(cn); }
    return { per, x, ergs, native, cumErgs, cumNative };
  }
}
