// JSON-RPC to the forked node: batches over HTTP, or single calls through an EIP-1193 provider;
// timeouts, retries with exponential backoff, and a strict check of every envelope.
import { ZkosError } from '../errors.js';
import { badResponse, excerpt, jsonText } from './decode.js';
import { MAX_REDIRECTS, redirectTarget } from './redirects.js';
import type { ForkProvider } from './types.js';

/** One JSON-RPC call. */
export interface RpcCall {
  method: string;
  params: readonly unknown[];
}

/** A JSON-RPC error object as the node sent it. */
export interface RpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

/** The node's answer to one call: a result (possibly null) or its error object. */
export type RpcOutcome = { result: unknown } | { error: RpcErrorObject };

/** Sends JSON-RPC calls. Failures of the transport throw `ZkosError`; a call's own error comes back as its outcome. */
export interface RpcTransport {
  /** Sends the calls at once (batched where the transport batches); one outcome per call, in order. */
  send(calls: readonly RpcCall[]): Promise<RpcOutcome[]>;
}

/** Counters the transports add to. */
export interface TransportCounters {
  requests: number;
  calls: number;
  retries: number;
  bytesReceived: number;
}

/** Timeouts, retries and limits shared by both transports. */
export interface TransportPolicy {
  timeoutMs: number;
  retries: number;
  retryDelayMs: number;
  maxRetryDelayMs: number;
  maxBatchSize: number;
  maxConcurrency: number;
}

/** EIP-1474 "limit exceeded", the JSON-RPC code of rate limits. */
const RPC_LIMIT_EXCEEDED = -32005;
/** HTTP statuses worth another try: request timeout, too many requests, server errors. */
const HTTP_TOO_MANY_REQUESTS = 429;
const HTTP_REQUEST_TIMEOUT = 408;
const HTTP_SERVER_ERROR_MIN = 500;
/** EIP-1193 "disconnected" and "chain disconnected". */
const PROVIDER_DISCONNECTED = [4900, 4901];
const MS_PER_SECOND = 1000;
/**
 * Most characters of one answer of the node (a batch of proofs, or a block with its
 * transactions, is a few MiB); a longer one is FORK_BAD_RESPONSE, and the rest is not read.
 * Unbounded, a node streaming without end filled about 3 GB of memory before the timeout.
 */
export const MAX_RESPONSE_CHARS = 128 * 1024 * 1024;

/**
 * Most characters of the node's own words (an error's message, its data as JSON) an error keeps;
 * the rest is cut. A node answering a 100 MiB message made every error carry it.
 */
const MAX_NODE_TEXT_CHARS = 1024;

/** `text` cut to MAX_NODE_TEXT_CHARS characters (an ellipsis marks the cut). */
function clipped(text: string): string {
  return text.length > MAX_NODE_TEXT_CHARS ? text.slice(0, MAX_NODE_TEXT_CHARS) + '…' : text;
}

/** An error's data as the node sent it when short, else its JSON text, cut. */
function clippedData(data: unknown): unknown {
  if (typeof data === 'string') return clipped(data);
  const json = jsonText(data);
  return json.length > MAX_NODE_TEXT_CHARS ? clipped(json) : data;
}

/**
 * Most levels of lists and objects an answer may nest (a block's access lists take 5). An answer
 * nested 2,000,000 deep parsed, then overflowed the stack of every JSON.stringify after it (a
 * RangeError out of the fork, untyped).
 */
const MAX_NESTING = 64;

/** The characters the nesting scan reads. */
const [QUOTE, BACKSLASH, OPEN_LIST, CLOSE_LIST, OPEN_OBJECT, CLOSE_OBJECT] = Array.from('"\\[]{}', (c) => c.charCodeAt(0));

/** Whether JSON `text` nests lists and objects deeper than MAX_NESTING (brackets in strings not counted). */
function nestsTooDeep(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_LIST || c === OPEN_OBJECT) {
      if (++depth > MAX_NESTING) return true;
    } else if (c === CLOSE_LIST || c === CLOSE_OBJECT) depth--;
  }
  return false;
}

/** The body of `res` as text, or undefined once it passes MAX_RESPONSE_CHARS (then the rest is cancelled). */
async function boundedText(res: Response): Promise<string | undefined> {
  const reader = res.body?.getReader();
  if (reader === undefined) {
    const text = await res.text();
    return text.length > MAX_RESPONSE_CHARS ? undefined : text;
  }
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    text += decoder.decode(value, { stream: true });
    if (text.length > MAX_RESPONSE_CHARS) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
  }
}

/** A failure another try may cure. */
class Transient {
  constructor(
    readonly detail: string,
    readonly cause: unknown,
    readonly extra: Record<string, unknown> = {},
    readonly retryAfterMs?: number,
  ) {}
}

function isRateLimit(error: RpcErrorObject): boolean {
  return error.code === RPC_LIMIT_EXCEEDED || error.code === HTTP_TOO_MANY_REQUESTS;
}

/** Checks a JSON-RPC error object. */
function errorObject(value: unknown, what: string): RpcErrorObject {
  if (value === null || typeof value !== 'object') throw badResponse(what, `error is not an object: ${excerpt(value)}`);
  const e = value as { code?: unknown; message?: unknown; data?: unknown };
  if (typeof e.code !== 'number' || !Number.isInteger(e.code)) throw badResponse(what, `error without an integer code: ${excerpt(value)}`);
  const out: RpcErrorObject = { code: e.code, message: typeof e.message === 'string' ? clipped(e.message) : '' };
  if (e.data !== undefined) out.data = clippedData(e.data);
  return out;
}

/** Checks one response envelope and returns its outcome. */
function outcomeOf(value: unknown, id: number, what: string): RpcOutcome {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw badResponse(what, `expected a JSON-RPC response object, got ${excerpt(value)}`);
  const r = value as { id?: unknown; result?: unknown; error?: unknown };
  if (r.id !== id) throw badResponse(what, `response id ${excerpt(r.id)} does not match request id ${id}`);
  if (r.error !== undefined && r.error !== null) return { error: errorObject(r.error, what) };
  if (!('result' in r)) throw badResponse(what, 'response has neither result nor error');
  return { result: r.result };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs `f` over `items` with at most `limit` at once; results in input order. */
async function inPool<T, R>(items: readonly T[], limit: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Sends `pending` calls again while they fail transiently, with exponential backoff, then gives up. */
abstract class RetryingTransport implements RpcTransport {
  constructor(
    protected readonly policy: TransportPolicy,
    protected readonly counters: TransportCounters,
    private readonly where: Record<string, unknown>,
  ) {}

  abstract send(calls: readonly RpcCall[]): Promise<RpcOutcome[]>;

  /** One try: outcomes of all `calls`, or a `Transient` thrown. */
  protected abstract attempt(calls: readonly RpcCall[]): Promise<RpcOutcome[]>;

  /** Sends `calls`, re-sending the transiently failed ones (whole request, or rate-limited calls). */
  protected async withRetries(calls: readonly RpcCall[]): Promise<RpcOutcome[]> {
    const out = new Array<RpcOutcome>(calls.length);
    let pending = calls.map((_, i) => i);
    for (let attempt = 0; ; attempt++) {
      let failure: Transient;
      try {
        const answers = await this.attempt(pending.map((i) => calls[i]));
        const limited: number[] = [];
        answers.forEach((answer, j) => {
          const i = pending[j];
          if ('error' in answer && isRateLimit(answer.error)) limited.push(i);
          else out[i] = answer;
        });
        if (limited.length === 0) return out;
        const first = answers.find((a) => 'error' in a && isRateLimit(a.error)) as { error: RpcErrorObject };
        failure = new Transient(`rate limited (JSON-RPC ${first.error.code}: ${first.error.message})`, first.error, { rpcError: first.error });
        pending = limited;
      } catch (err) {
        if (!(err instanceof Transient)) throw err;
        failure = err;
      }
      if (attempt >= this.policy.retries) throw this.unavailable(failure, attempt + 1);
      this.counters.retries++;
      await delay(this.backoffMs(attempt, failure.retryAfterMs));
    }
  }

  /** Delay before retry number `attempt` + 1: base·2^attempt with equal jitter, at least a `Retry-After`, capped. */
  private backoffMs(attempt: number, retryAfterMs?: number): number {
    const exp = Math.min(this.policy.maxRetryDelayMs, this.policy.retryDelayMs * 2 ** attempt);
    const jittered = exp / 2 + (Math.random() * exp) / 2;
    return Math.min(this.policy.maxRetryDelayMs, Math.max(jittered, retryAfterMs ?? 0));
  }

  private unavailable(failure: Transient, attempts: number): ZkosError {
    const err = new ZkosError('FORK_UNAVAILABLE', `fork: node unavailable: ${failure.detail} (${attempts} attempt${attempts === 1 ? '' : 's'})`, {
      ...this.where,
      attempts,
      ...failure.extra,
    });
    err.cause = failure.cause;
    return err;
  }
}

/** Options of the HTTP transport. */
export interface HttpTransportOptions {
  headers?: Record<string, string>;
  fetch?: typeof globalThis.fetch;
}

/** JSON-RPC over HTTP: one POST per batch of up to `maxBatchSize` calls. */
export class HttpTransport extends RetryingTransport {
  private nextId = 1;
  /** Cleared when the node answers a batch with a single error (it does not take batches). */
  private batching = true;
  private readonly fetchFn: typeof globalThis.fetch;
  private readonly headers: Record<string, string>;

  constructor(
    private readonly url: string,
    policy: TransportPolicy,
    counters: TransportCounters,
    options: HttpTransportOptions = {},
  ) {
    super(policy, counters, { url });
    if (options.fetch === undefined && typeof globalThis.fetch !== 'function') throw new ZkosError('INVALID_ARGUMENT', 'fork: no fetch in this environment; pass `fetch` or a `provider`');
    // Browsers refuse `fetch` called on another object than the global one: bind it.
    this.fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.headers = { 'content-type': 'application/json', ...options.headers };
  }

  async send(calls: readonly RpcCall[]): Promise<RpcOutcome[]> {
    const size = this.batching ? this.policy.maxBatchSize : 1;
    const chunks: RpcCall[][] = [];
    for (let i = 0; i < calls.length; i += size) chunks.push(calls.slice(i, i + size));
    const answers = await inPool(chunks, this.policy.maxConcurrency, (chunk) => this.withRetries(chunk));
    return answers.flat();
  }

  protected async attempt(calls: readonly RpcCall[]): Promise<RpcOutcome[]> {
    if (calls.length > 1 && !this.batching) {
      const singles = await inPool(calls, this.policy.maxConcurrency, (call) => this.attempt([call]));
      return singles.flat();
    }
    const ids = calls.map(() => this.nextId++);
    const envelopes = calls.map((c, i) => ({ jsonrpc: '2.0', id: ids[i], method: c.method, params: c.params }));
    const batch = calls.length > 1;
    const what = batch ? `a batch of ${calls.length} calls (${calls[0]?.method}, …)` : (calls[0]?.method ?? 'a call');
    const body = await this.post(JSON.stringify(batch ? envelopes : envelopes[0]), calls.length, what);
    if (!batch) return [outcomeOf(body, ids[0] as number, what)];
    if (!Array.isArray(body)) {
      if (body !== null && typeof body === 'object' && 'error' in body) {
        const error = errorObject((body as { error: unknown }).error, what);
        if (isRateLimit(error)) throw new Transient(`rate limited (JSON-RPC ${error.code}: ${error.message})`, error, { rpcError: error });
        // The node refuses batches: send the calls one by one from now on.
        this.batching = false;
        return this.attempt(calls);
      }
      throw badResponse(what, `expected a batch (array) response, got ${excerpt(body)}`);
    }
    if (body.length !== calls.length) throw badResponse(what, `batch of ${calls.length} calls answered with ${body.length} responses`);
    const byId = new Map<unknown, unknown>();
    for (const item of body) {
      const id = item !== null && typeof item === 'object' ? (item as { id?: unknown }).id : undefined;
      if (byId.has(id)) throw badResponse(what, `response id ${excerpt(id)} appears twice`);
      byId.set(id, item);
    }
    return ids.map((id) => {
      if (!byId.has(id)) throw badResponse(what, `no response for request id ${id}`);
      return outcomeOf(byId.get(id), id, what);
    });
  }

  /** POSTs `body` to the fork URL, following redirects to the same origin only (redirects.ts). */
  private async postFollowing(body: string, signal: AbortSignal): Promise<Response> {
    let url = this.url;
    for (let hop = 0; ; hop++) {
      const res = await this.fetchFn(url, { method: 'POST', headers: this.headers, body, signal, redirect: 'manual' });
      const next = redirectTarget(res, url);
      if (next === undefined) return res;
      await res.body?.cancel().catch(() => undefined);
      if (hop >= MAX_REDIRECTS) throw new Transient(`more than ${MAX_REDIRECTS} redirects`, new Error(`redirect loop at ${url}`));
      url = next;
    }
  }

  /** One POST under the timeout; the parsed JSON body. */
  private async post(body: string, callCount: number, what: string): Promise<unknown> {
    this.counters.requests++;
    this.counters.calls += callCount;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.policy.timeoutMs);
    let text: string | undefined;
    let status: number;
    let retryAfter: string | null;
    try {
      const res = await this.postFollowing(body, controller.signal);
      status = res.status;
      retryAfter = res.headers.get('retry-after');
      text = await boundedText(res);
    } catch (err) {
      if (err instanceof ZkosError || err instanceof Transient) throw err;
      if (controller.signal.aborted) {
        const timeout = new Error(`no answer within ${this.policy.timeoutMs} ms`);
        timeout.name = 'TimeoutError';
        throw new Transient(`timed out after ${this.policy.timeoutMs} ms`, timeout, { timeoutMs: this.policy.timeoutMs });
      }
      throw new Transient(`request failed (${describeCause(err)})`, err);
    } finally {
      clearTimeout(timer);
    }
    if (text === undefined) throw badResponse(what, `an answer longer than ${MAX_RESPONSE_CHARS} characters`);
    this.counters.bytesReceived += text.length;
    if (status === HTTP_TOO_MANY_REQUESTS || status === HTTP_REQUEST_TIMEOUT || status >= HTTP_SERVER_ERROR_MIN) {
      throw new Transient(`HTTP ${status}`, new Error(`HTTP ${status}: ${excerpt(text)}`), { status }, parseRetryAfterMs(retryAfter));
    }
    if (status < 200 || status >= 300) {
      throw new ZkosError('FORK_UNAVAILABLE', `fork: node refused the request: HTTP ${status}: ${excerpt(text)}`, { url: this.url, status });
    }
    if (nestsTooDeep(text)) throw badResponse(what, `nested deeper than ${MAX_NESTING} levels: ${excerpt(text)}`);
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw badResponse(what, `not JSON: ${excerpt(text)}`, err);
    }
  }
}

/** The delay a `Retry-After` header asks for (seconds or an HTTP date), in ms. */
function parseRetryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * MS_PER_SECOND;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function describeCause(err: unknown): string {
  const e = err as { message?: unknown; cause?: { code?: unknown; message?: unknown } };
  const inner = e?.cause?.code ?? e?.cause?.message;
  const outer = typeof e?.message === 'string' ? e.message : String(err);
  return clipped(inner === undefined ? outer : `${outer}: ${String(inner)}`);
}

/** JSON-RPC through an EIP-1193 provider: one `request` per call, up to `maxConcurrency` at once. */
export class ProviderTransport extends RetryingTransport {
  constructor(
    private readonly provider: ForkProvider,
    policy: TransportPolicy,
    counters: TransportCounters,
  ) {
    super(policy, counters, { provider: true });
  }

  async send(calls: readonly RpcCall[]): Promise<RpcOutcome[]> {
    return inPool(calls, this.policy.maxConcurrency, async (call) => (await this.withRetries([call]))[0]);
  }

  protected async attempt(calls: readonly RpcCall[]): Promise<RpcOutcome[]> {
    return Promise.all(calls.map((call) => this.request(call)));
  }

  private async request(call: RpcCall): Promise<RpcOutcome> {
    this.counters.requests++;
    this.counters.calls++;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const err = new Error(`no answer within ${this.policy.timeoutMs} ms`);
        err.name = 'TimeoutError';
        reject(new Transient(`timed out after ${this.policy.timeoutMs} ms`, err, { timeoutMs: this.policy.timeoutMs }));
      }, this.policy.timeoutMs);
    });
    try {
      const result = await Promise.race([this.provider.request({ method: call.method, params: call.params }), timeout]);
      return { result: result === undefined ? null : result };
    } catch (err) {
      if (err instanceof Transient) throw err;
      const code = (err as { code?: unknown } | null)?.code;
      if (typeof code !== 'number' || !Number.isInteger(code)) throw new Transient(`provider request failed (${describeCause(err)})`, err);
      if (PROVIDER_DISCONNECTED.includes(code)) throw new Transient(`provider disconnected (${code})`, err, { rpcError: { code } });
      const e = err as { message?: unknown; data?: unknown };
      const out: RpcErrorObject = { code, message: typeof e.message === 'string' ? clipped(e.message) : '' };
      if (e.data !== undefined) out.data = clippedData(e.data);
      return { error: out };
    } finally {
      clearTimeout(timer);
    }
  }
}
