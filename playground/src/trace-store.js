// The recorded execution on the main thread: per-step columns that arrive from the worker in
// chunks (typed arrays, transferred, never copied per step), with the queries the UI needs.

/**
 * Bootloader phases in order (a block ends with its block finish); a step's `phase` column is an
 * index into this list.
 */
export const PHASES = ['validation', 'fee charge', 'execution', 'pubdata', 'refund', 'block finish', 'finished'];
/** `op` column value of a step that is a bootloader action, not an EVM opcode. */
export const NO_OPCODE = 0x100;
/** `code` column value of a step that runs no EVM code. */
export const NO_CODE = 0xffff;
/**
 * The per-step columns and their array types (`tx`: index of the step's transaction in the
 * block; `code`: index of the code the step runs in the run's code list, see src/worker.js).
 */
export const COLUMNS = {
  pc: Uint32Array, op: Uint16Array, depth: Uint16Array, phase: Uint8Array, tx: Uint16Array, frame: Uint32Array,
  code: Uint16Array, ergs: Float64Array, ergsCost: Float64Array, native: Float64Array, nativeCost: Float64Array,
};

/** Steps recorded so far, stored as equal-sized chunks of columns. */
export class TraceStore {
  constructor() {
    this.chunks = [];
    this.chunkSize = 0;
    this.length = 0;
    this.opTotals = new Map(); // op → {count, ergs, native}
    this.opTotalsByTx = new Map(); // tx → (op → {count, ergs, native})
  }

  /** Appends a chunk `{start, count, cols}`; chunks arrive in order. */
  append({ start, count, cols }) {
    if (start !== this.length) throw new Error(`chunk at ${start}, expected ${this.length}`);
    if (this.chunks.length === 0) this.chunkSize = count;
    this.chunks.push({ count, cols });
    this.length += count;
    const { op, tx, ergsCost, nativeCost } = cols;
    const add = (totals, i) => {
      let t = totals.get(op[i]);
      if (!t) totals.set(op[i], (t = { count: 0, ergs: 0, native: 0 }));
      t.count++;
      t.ergs += ergsCost[i];
      t.native += nativeCost[i];
    };
    for (let i = 0; i < count; i++) {
      if (op[i] === NO_OPCODE) continue;
      add(this.opTotals, i);
      if (!this.opTotalsByTx.has(tx[i])) this.opTotalsByTx.set(tx[i], new Map());
      add(this.opTotalsByTx.get(tx[i]), i);
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
   * Gas and native per step reduced to at most `buckets` points (sums per bucket), with native
   * also as gas: native ÷ `nativePerGas(tx)` of the step's transaction (0 when native is not
   * priced), and the cumulative totals at each bucket end; for the charts. `x` is each bucket's
   * first step, `marks` the buckets' bootloader steps (`{bucket, step, phase}`).
   */
  series(buckets, nativePerGas = () => 0) {
    const per = Math.max(1, Math.ceil(this.length / buckets));
    const x = [], gas = [], native = [], nativeGas = [], cumGas = [], cumNative = [], cumNativeGas = [], marks = [];
    let g = 0, n = 0, ng = 0, cg = 0, cn = 0, cng = 0, start = 0, seen = 0;
    const close = () => {
      cg += g; cn += n; cng += ng;
      x.push(start); gas.push(g); native.push(n); nativeGas.push(ng); cumGas.push(cg); cumNative.push(cn); cumNativeGas.push(cng);
      g = 0; n = 0; ng = 0; start = seen;
    };
    for (const { count, cols } of this.chunks) {
      for (let k = 0; k < count; k++) {
        const rate = nativePerGas(cols.tx[k]);
        g += cols.ergsCost[k] / 256; n += cols.nativeCost[k]; ng += rate > 0 ? cols.nativeCost[k] / rate : 0;
        if (cols.op[k] === NO_OPCODE) marks.push({ bucket: x.length, step: seen, phase: cols.phase[k] });
        if (++seen % per === 0) close();
      }
    }
    if (seen % per !== 0) close();
    return { per, x, gas, native, nativeGas, cumGas, cumNative, cumNativeGas, marks };
  }
}
