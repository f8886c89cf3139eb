// The recorded execution on the main thread: per-step columns that arrive from the worker in
// chunks (typed arrays, transferred, never copied per step), with the queries the UI needs.

/**
 * Bootloader phases in order (a block ends with its block finish); a step's `phase` column is an
 * index into this list.
 */
export const PHASES = ['validation', 'fee charge', 'execution', 'pubdata', 'refund', 'block finish', 'finished'];
/** `op` column value of a step that is a bootloader action, not an EVM opcode. */
export const NO_OPCODE = 0x100;
/** Steps per running sum of the charts' data (see `TraceStore.series`). */
export const FINE_STEPS = 64;
const VALIDATION = PHASES.indexOf('validation');
/**
 * Most steps a run records (src/worker.js stops there; the summary still covers the whole run):
 * the columns take 51 bytes a step, 204 MB at the bound. Before, every step was kept: a block
 * of three 50,000,000-gas loops recorded 40.9 million steps, 2.1 GB of columns on the page, and
 * a link with ten of them took the tab's memory (gas is what bounded a run, and a block may hold
 * any number of transactions).
 */
export const MAX_RECORDED_STEPS = 4_000_000;
/** `code` column value of a step that runs no EVM code. */
export const NO_CODE = 0xffff;
/**
 * The per-step columns and their array types (`tx`: index of the step's transaction in the
 * block; `code`: index of the code the step runs in the run's code list, see src/worker.js).
 */
export const COLUMNS = {
  pc: Uint32Array, op: Uint16Array, depth: Uint16Array, phase: Uint8Array, tx: Uint32Array, frame: Uint32Array,
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
    /** Native per gas of each transaction, as given with the chunks (0 or missing: not priced). */
    this.rates = [];
    /** Gas, native and native as gas summed over every FINE_STEPS steps (the charts' raw data). */
    this.fine = { gas: [], native: [], nativeGas: [] };
    /** The bootloader steps: `{step, phase}`. */
    this.bootSteps = [];
    /** Per transaction, the step where its native as gas overtakes its gas (`{tx, step}`). */
    this.overtakes = [];
    this.race = { tx: -1, gas: 0, nativeGas: 0, crossed: false };
  }

  /**
   * Appends a chunk `{start, count, cols}`; chunks arrive in order. `rates[tx]` is each
   * transaction's native per gas so far (a transaction's rate is known from its validation,
   * its first step, so every step of a chunk has its rate).
   */
  append({ start, count, cols }, rates = []) {
    if (start !== this.length) throw new Error(`chunk at ${start}, expected ${this.length}`);
    if (this.chunks.length === 0) this.chunkSize = count;
    this.chunks.push({ count, cols });
    this.rates = rates;
    const { op, tx, phase, ergsCost, nativeCost } = cols;
    const add = (totals, i) => {
      let t = totals.get(op[i]);
      if (!t) totals.set(op[i], (t = { count: 0, ergs: 0, native: 0 }));
      t.count++;
      t.ergs += ergsCost[i];
      t.native += nativeCost[i];
    };
    const { fine, race } = this;
    for (let i = 0, step = start; i < count; i++, step++) {
      const gas = ergsCost[i] / 256, native = nativeCost[i], rate = rates[tx[i]] ?? 0;
      const nativeGas = rate > 0 ? native / rate : 0;
      const f = Math.floor(step / FINE_STEPS);
      if (f === fine.gas.length) { fine.gas.push(0); fine.native.push(0); fine.nativeGas.push(0); }
      fine.gas[f] += gas; fine.native[f] += native; fine.nativeGas[f] += nativeGas;
      if (tx[i] !== race.tx) Object.assign(race, { tx: tx[i], gas: 0, nativeGas: 0, crossed: false });
      race.gas += gas; race.nativeGas += nativeGas;
      // Validation reports the intrinsic native before the fee charge charges the intrinsic
      // gas, so it is not judged on its own.
      if (!race.crossed && rate > 0 && phase[i] !== VALIDATION && race.nativeGas > race.gas) {
        race.crossed = true;
        this.overtakes.push({ tx: tx[i], step });
      }
      if (op[i] === NO_OPCODE) { this.bootSteps.push({ step, phase: phase[i] }); continue; }
      add(this.opTotals, i);
      if (!this.opTotalsByTx.has(tx[i])) this.opTotalsByTx.set(tx[i], new Map());
      add(this.opTotalsByTx.get(tx[i]), i);
    }
    this.length += count;
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
   * Runs of consecutive steps in one phase of one transaction, in order: `{start, end, tx,
   * phase}` (`end` exclusive); read from the columns, chunk by chunk.
   */
  segments() {
    const out = [];
    let run = null;
    for (let ci = 0, i = 0; ci < this.chunks.length; ci++) {
      const { count, cols: { tx, phase } } = this.chunks[ci];
      for (let k = 0; k < count; k++, i++) {
        if (run && phase[k] === run.phase && tx[k] === run.tx) continue;
        if (run) run.end = i;
        run = { start: i, end: this.length, tx: tx[k], phase: phase[k] };
        out.push(run);
      }
    }
    return out;
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
   * Gas and native per step reduced to at most `buckets` points (sums per bucket of `per`
   * steps), with native also as gas (native ÷ the native per gas of the step's transaction, 0
   * when native is not priced), and the cumulative totals at each bucket end; for the charts.
   * Once buckets span FINE_STEPS steps or more, `per` is a multiple of FINE_STEPS and the sums
   * come from the running per-FINE_STEPS sums, so a redraw does not read every step. `x` is each
   * bucket's first step, `marks` the buckets' bootloader steps (`{bucket, step, phase}`).
   */
  series(buckets) {
    let per = Math.max(1, Math.ceil(this.length / buckets));
    const coarse = per >= FINE_STEPS;
    if (coarse) per = Math.ceil(per / FINE_STEPS) * FINE_STEPS;
    const x = [], gas = [], native = [], nativeGas = [], cumGas = [], cumNative = [], cumNativeGas = [];
    let g = 0, n = 0, ng = 0, cg = 0, cn = 0, cng = 0;
    const close = (start) => {
      cg += g; cn += n; cng += ng;
      x.push(start); gas.push(g); native.push(n); nativeGas.push(ng); cumGas.push(cg); cumNative.push(cn); cumNativeGas.push(cng);
      g = 0; n = 0; ng = 0;
    };
    if (coarse) {
      const { fine } = this, group = per / FINE_STEPS;
      for (let f = 0; f < fine.gas.length; f++) {
        g += fine.gas[f]; n += fine.native[f]; ng += fine.nativeGas[f];
        if ((f + 1) % group === 0 || f === fine.gas.length - 1) close((f - (f % group)) * FINE_STEPS);
      }
    } else {
      let seen = 0;
      for (const { count, cols } of this.chunks) {
        for (let k = 0; k < count; k++) {
          const rate = this.rates[cols.tx[k]] ?? 0;
          g += cols.ergsCost[k] / 256; n += cols.nativeCost[k]; ng += rate > 0 ? cols.nativeCost[k] / rate : 0;
          if (++seen % per === 0 || seen === this.length) close(seen - 1 - ((seen - 1) % per));
        }
      }
    }
    const marks = this.bootSteps.map(({ step, phase }) => ({ bucket: Math.floor(step / per), step, phase }));
    return { per, x, gas, native, nativeGas, cumGas, cumNative, cumNativeGas, marks };
  }
}
