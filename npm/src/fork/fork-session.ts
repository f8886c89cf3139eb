// A stepping session over a forked chain: a step that needs a value the engine does not know
// yet stops before it; the session fetches the keys, hands them to the engine and steps on.
import type { Session } from '../engine.js';
import { ZkosError } from '../errors.js';
import type { Hex } from '../hex.js';
import type { BlockResult, Breakpoint, GasBreakdown, NativeBudget, Phase, RecordedCode, RecordedSteps, RecordedTransaction, SessionLog, SessionMessage, StepReport, TxResult } from '../types.js';
import type { ForkKey } from './types.js';

/** Default step limit of `continue` (the bindings' own). */
const DEFAULT_MAX_STEPS = 10_000_000;

/** The keys a refused step asks for, or undefined for any other error. */
function needsOf(err: unknown): ForkKey[] | undefined {
  return err instanceof ZkosError && err.code === 'STATE_NEEDED' && Array.isArray(err.data) ? (err.data as ForkKey[]) : undefined;
}

/**
 * A transaction, or a block of transactions, being stepped over a forked chain
 * (`forkedEngine.session`, `blockSession`, `replayTransaction`). Stepping returns Promises (a
 * step may wait for the node); everything else answers at once, as `Session` does.
 */
export class ForkSession {
  /** @param inner the session underneath; `supply` fetches keys and hands them to its engine. */
  constructor(
    readonly inner: Session,
    private readonly supply: (keys: ForkKey[]) => Promise<void>,
  ) {}

  /** Runs `attempt` until it is not refused for state, fetching what each refusal asks. */
  async #retrying<T>(attempt: () => T): Promise<T> {
    for (;;) {
      try {
        return attempt();
      } catch (err) {
        const needs = needsOf(err);
        if (needs === undefined) throw err;
        await this.supply(needs);
      }
    }
  }

  /** Takes up to `n` steps (default 1); fewer only when the session ends. */
  async step(n = 1): Promise<StepReport> {
    let taken = 0n;
    for (;;) {
      const left = n - Number(taken);
      const r = await this.#retrying(() => this.inner.step(left));
      taken += r.steps;
      if (r.finished || Number(taken) >= n) return { ...r, steps: taken };
    }
  }

  /** Runs until `breakpoint` matches (as `Session.continue`), the session ends, or `maxSteps` were taken. */
  async continue(breakpoint: Breakpoint = { phase: 'finished' }, maxSteps = DEFAULT_MAX_STEPS): Promise<StepReport> {
    let taken = 0n;
    for (;;) {
      const start = { phase: this.phase, txIndex: this.txIndex };
      const left = maxSteps - Number(taken);
      const r = await this.#retrying(() => this.inner.continue(breakpoint, left));
      taken += r.steps;
      // The bindings stop early for three reasons: the end, the breakpoint, or a step that
      // needs state (the next call is refused with the keys and fetches them).
      if (r.finished || Number(taken) >= maxSteps || this.#matches(breakpoint, start)) return { ...r, steps: taken };
    }
  }

  /** Whether the session stands where `at` stops it (the bindings' rule for a breakpoint). */
  #matches(at: Breakpoint, start: { phase: Phase; txIndex: number }): boolean {
    const { pc, opcode, phase, depth } = at;
    if (pc === undefined && opcode === undefined && phase === undefined && depth === undefined) return this.phase !== start.phase || this.txIndex !== start.txIndex;
    if (phase !== undefined && phase !== this.phase) return false;
    if (pc === undefined && opcode === undefined && depth === undefined) return true;
    const top = this.frames().at(-1) as { pc?: number; opcode?: number; depth?: number } | undefined;
    if (top === undefined) return false;
    return (pc === undefined || Number(pc) === top.pc) && (opcode === undefined || Number(opcode) === top.opcode) && (depth === undefined || Number(depth) === top.depth);
  }

  /**
   * Takes up to `maxSteps` steps and returns them as columns (as `Session.recordSteps`); fewer,
   * not `done`, when a step needs state of the forked chain: the next call fetches it and goes on.
   */
  async recordSteps(maxSteps: number): Promise<RecordedSteps> {
    return this.#retrying(() => this.inner.recordSteps(maxSteps));
  }

  /** The codes the recorded `code` column indexes. */
  recordedCodes(): RecordedCode[] {
    return this.inner.recordedCodes();
  }

  /** Per transaction validated so far while recording (as `Session.recordedTransactions`). */
  recordedTransactions(): RecordedTransaction[] {
    return this.inner.recordedTransactions();
  }

  /** The current phase. */
  get phase(): Phase {
    return this.inner.phase;
  }

  /** Whether the session has ended. */
  get finished(): boolean {
    return this.inner.finished;
  }

  /** Index of the transaction being stepped. */
  get txIndex(): number {
    return this.inner.txIndex;
  }

  /** Number of transactions the session runs. */
  get txCount(): number {
    return this.inner.txCount;
  }

  /** Events so far (see `Session.logs`). */
  logs(): SessionLog[] {
    return this.inner.logs();
  }

  /** L2→L1 messages so far. */
  l2ToL1Messages(): SessionMessage[] {
    return this.inner.l2ToL1Messages();
  }

  /** The pubdata the block would publish if it ended now. */
  pubdata(): Hex {
    return this.inner.pubdata();
  }

  /** The sealed block once a block session took its `blockFinish` step. */
  block(): BlockResult | undefined {
    return this.inner.block();
  }

  /** Live call frames, outermost first. */
  frames(): Record<string, unknown>[] {
    return this.inner.frames();
  }

  /** The innermost frame's stack, top first. */
  stack(): Hex[] {
    return this.inner.stack();
  }

  /** The innermost frame's memory. */
  memory(): Hex {
    return this.inner.memory();
  }

  /** Return data of the innermost frame's last call. */
  returnData(): Hex {
    return this.inner.returnData();
  }

  /** Storage touched so far. */
  storage(): ReturnType<Session['storage']> {
    return this.inner.storage();
  }

  /** Costs so far. */
  costs(): Record<string, bigint | null> {
    return this.inner.costs();
  }

  /** The native budget of the running transaction (ZKsync OS flow). */
  nativeBudget(): NativeBudget | undefined {
    return this.inner.nativeBudget();
  }

  /** How the gas used of the transaction that just ended adds up. */
  gasBreakdown(): GasBreakdown | undefined {
    return this.inner.gasBreakdown();
  }

  /** The outcome of the last transaction that ended. */
  result(): TxResult | undefined {
    return this.inner.result();
  }

  /** Releases the session's wasm memory. */
  free(): void {
    this.inner.free();
  }
}
