/** Stable error codes of the zkos package. */
export type ZkosErrorCode =
  | 'INVALID_HEX'
  | 'INVALID_ARGUMENT'
  | 'INVALID_RLP'
  | 'INVALID_TRANSACTION'
  | 'EXECUTION_REVERTED'
  | 'EXECUTION_HALTED'
  | 'METHOD_NOT_FOUND'
  | 'NOT_FOUND'
  | 'ENGINE_ERROR'
  | 'FORK_UNAVAILABLE'
  | 'FORK_BAD_RESPONSE'
  | 'FORK_PROOF_MISMATCH'
  | 'FORK_BLOCK_GONE'
  | 'CURVES_NOT_LOADED'
  | 'ENGINE_POISONED'
  | 'ENGINE_FREED'
  | 'SESSION_MISMATCH'
  | 'SESSION_FINISHED'
  | 'BLOCK_COMMITMENT'
  | 'SYSTEM_TRANSACTION_NOT_ALLOWED'
  | 'INTERNAL_ERROR'
  | 'TRACE_LIMIT'
  | 'TIMEOUT'
  | 'BLOCK_OVERFLOW'
  | 'STATE_NEEDED'
  | 'HISTORY_UNAVAILABLE'
  | 'PROOF_UNAVAILABLE'
  | (string & {});

/**
 * An error raised by zkos: `code` is stable, `message` is for humans, `data` carries details,
 * `cause` the underlying error when there is one (a wasm trap for `ENGINE_POISONED`).
 */
export class ZkosError extends Error {
  /** Stable machine-readable code. */
  readonly code: ZkosErrorCode;
  /** Extra data (for reverts: the revert data as 0x-hex). */
  readonly data?: unknown;
  /** For invalid transactions: the rule that refused it (e.g. `NonceTooLow`). */
  readonly reason?: string;

  constructor(code: ZkosErrorCode, message: string, data?: unknown, reason?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ZkosError';
    this.code = code;
    if (data !== undefined) this.data = data;
    if (reason !== undefined) this.reason = reason;
  }
}

/** Wraps anything thrown by the wasm engine into a `ZkosError`, keeping its `code` when it has one. */
export function fromEngineError(err: unknown): ZkosError {
  if (err instanceof ZkosError) return err;
  if (err !== null && typeof err === 'object') {
    const e = err as { code?: unknown; message?: unknown; data?: unknown; reason?: unknown };
    const message = typeof e.message === 'string' ? e.message : String(err);
    const code = typeof e.code === 'string' && e.code.length > 0 ? e.code : 'ENGINE_ERROR';
    return new ZkosError(code, message, e.data, typeof e.reason === 'string' ? e.reason : undefined);
  }
  return new ZkosError('ENGINE_ERROR', String(err));
}
