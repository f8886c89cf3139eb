// JSON-RPC 2.0 over HTTP and WebSocket on one port for a dev node (node's `http` module):
// single requests and batches, CORS for browsers, bounded bodies, batches and connections. A
// request that fails gets a JSON-RPC error; nothing a client sends stops the server.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { MAX_JSON_DEPTH, nestsDeeperThan, toJson } from '../json.js';
import { timeoutMs } from '../timeout.js';
import type { Eip1193Provider } from '../provider.js';
import { HeldBytes, type Holder, MAX_HELD_BYTES } from './held.js';
import { clientProvider } from './turns.js';
import { CLOSE_GOING_AWAY, type WsConnection, accept } from './websocket.js';

/** Largest request body accepted, in bytes (larger: HTTP 413 with a JSON-RPC error). */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** Most requests in one batch (more: one JSON-RPC error for the batch). */
export const MAX_BATCH_REQUESTS = 1_000;
/**
 * Most characters of JSON a batch's replies may add up to; the requests after the reply that
 * passes it are not run and get `-32003` "response too large" (geth's batch response limit).
 * Without it the replies of one batch (1,000 × `eth_getCode` of 7 MiB) outgrew the longest string
 * V8 makes and the server process died.
 */
export const MAX_BATCH_RESPONSE_CHARS = 128 * 1024 * 1024;
/**
 * Most ms a batch's requests run, by default (geth bounds a request, a batch included, by its HTTP
 * write timeout, 30 s): the requests not started by then answer `-32002` "request timed out"
 * (geth's rpc errcodeTimeout) without running. Before, a batch of 1,000 calls that each ran to the
 * 5 s simulation bound held the node for 83 minutes.
 */
export const DEFAULT_BATCH_TIMEOUT_MS = 30_000;
/**
 * How long an idle keep-alive connection stays open, in ms (geth's HTTP IdleTimeout, 120 s). Node's
 * default, 5 s, is shorter than one simulation may run: its timer fires first when the event loop
 * comes back, so a request sent on an idle connection meanwhile was reset (ECONNRESET).
 */
export const KEEP_ALIVE_TIMEOUT_MS = 120_000;
/**
 * Most ms a client may take to send a request's headers and body, by default (geth's HTTP
 * ReadHeaderTimeout and ReadTimeout, 30 s); past it the request is answered 408 and its
 * connection closed. Node's own bound is 300 s: 300 clients trickling a body a byte every 2 s
 * held a node whose descriptors they filled for 331 s, every other client refused meanwhile.
 * A request being answered is not bound by it (a batch may run `DEFAULT_BATCH_TIMEOUT_MS`).
 */
export const DEFAULT_READ_TIMEOUT_MS = 30_000;
/** How often, in ms, connections are checked against the read bound (Node's default: 30 s). */
const READ_CHECK_MS = 1_000;
/** Most WebSocket connections open at once (more: HTTP 503). */
export const MAX_WS_CONNECTIONS = 1_000;
/** Most bytes queued for a WebSocket client that does not read; beyond it the client is dropped. */
export const MAX_WS_BUFFERED_BYTES = 64 * 1024 * 1024;
/**
 * Most messages of one WebSocket connection being answered at once; at the bound the connection is
 * not read until one is answered (its further messages wait in TCP's buffers; the chain runs one
 * request at a time, so more gain nothing). Before, every pipelined message was taken at once:
 * 200,000 gas-bound `eth_call`s (22 MB sent) added 587 MiB to the node, and after the client had
 * gone they ran on: another client's `eth_blockNumber` was not answered within 120 s (now 1.3 s).
 */
export const MAX_WS_ANSWERING = 16;

/** JSON-RPC 2.0 error codes of the transport. */
const PARSE_ERROR = -32700;
const INVALID_REQUEST = -32600;
const INTERNAL_ERROR = -32603;
/** geth's code for a reply above its response limit (rpc/errors.go). */
const RESPONSE_TOO_LARGE = -32003;
/** geth's code for a request not run within its time (rpc/errors.go, errcodeTimeout). */
const REQUEST_TIMED_OUT = -32002;
/** EIP-1474's "limit exceeded": what all clients hold is at its bound (HTTP 503). */
const LIMIT_EXCEEDED = -32005;
const SERVER_BUSY = 'server busy: the replies and requests of all clients hold too much memory; read your replies, or try again later';

type Id = string | number | null;

function errorReply(id: Id, code: number, message: string, data?: unknown): Record<string, unknown> {
  const error: Record<string, unknown> = { code, message };
  if (data !== undefined) error.data = data;
  return { jsonrpc: '2.0', id, error };
}

function validId(v: unknown): v is Id {
  return v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
}

/** Answers one JSON-RPC request object; `undefined` for a notification (no id). */
async function answer(provider: Eip1193Provider, request: unknown): Promise<Record<string, unknown> | undefined> {
  if (request === null || typeof request !== 'object' || Array.isArray(request)) return errorReply(null, INVALID_REQUEST, 'invalid request: expected an object');
  const r = request as { jsonrpc?: unknown; id?: unknown; method?: unknown; params?: unknown };
  const id: Id = validId(r.id) ? r.id : null;
  if (r.jsonrpc !== '2.0' || typeof r.method !== 'string' || (r.id !== undefined && !validId(r.id))) {
    return errorReply(id, INVALID_REQUEST, 'invalid request: expected { jsonrpc: "2.0", id, method: string, params? }');
  }
  if (r.params !== undefined && r.params !== null && typeof r.params !== 'object') return errorReply(id, INVALID_REQUEST, 'invalid request: params must be an array');
  try {
    const result = await provider.request({ method: r.method, params: (r.params ?? []) as unknown[] });
    return r.id === undefined ? undefined : { jsonrpc: '2.0', id, result: result === undefined ? null : result };
  } catch (err) {
    if (r.id === undefined) return undefined;
    const e = err as { code?: unknown; message?: unknown; data?: unknown };
    const code = typeof e.code === 'number' ? e.code : INTERNAL_ERROR;
    return errorReply(id, code, typeof e.message === 'string' ? e.message : 'internal error', e.data);
  }
}

/** A reply's JSON text; a reply too long for a string (V8's limit) is `-32003` instead. */
function replyText(reply: Record<string, unknown>): string {
  try {
    return toJson(reply, 0);
  } catch {
    return toJson(errorReply(validId(reply.id) ? reply.id : null, RESPONSE_TOO_LARGE, 'response too large'), 0);
  }
}

/** The id of a batch item that is a request object, else null. */
function idOf(request: unknown): Id {
  const id = request !== null && typeof request === 'object' ? (request as { id?: unknown }).id : undefined;
  return validId(id) ? id : null;
}

/** Whether a batch item is a notification (an object without an id: it gets no reply). */
function isNotification(r: unknown): boolean {
  return r !== null && typeof r === 'object' && !Array.isArray(r) && (r as { id?: unknown }).id === undefined;
}

/**
 * The JSON text answering a request body (a request or a batch); `undefined` when nothing is to be
 * sent. A batch's requests start within `batchTimeoutMs` of the first (0: no bound), and none
 * starts once `gone()` says the client has left (no one would read its reply). The replies a batch
 * has built are counted in `building` as they come, and while its bound is reached the batch's
 * further requests are not run (`-32005`): batches being answered side by side (they take turns
 * every 20 ms) pass the bound by one request's reply each at most.
 */
export async function handleBody(
  provider: Eip1193Provider,
  body: string,
  batchTimeoutMs = DEFAULT_BATCH_TIMEOUT_MS,
  gone: () => boolean = () => false,
  building?: Holder,
): Promise<string | undefined> {
  // Before, 1,000,000 nested arrays (2 MB) held the node 4.8 s (parsed, then copied level by level).
  if (nestsDeeperThan(body, MAX_JSON_DEPTH)) return replyText(errorReply(null, PARSE_ERROR, `parse error: the body nests arrays and objects more than ${MAX_JSON_DEPTH} deep`));
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return replyText(errorReply(null, PARSE_ERROR, 'parse error: the body is not valid JSON'));
  }
  if (!Array.isArray(parsed)) {
    const reply = await answer(provider, parsed);
    return reply === undefined ? undefined : replyText(reply);
  }
  if (parsed.length === 0) return replyText(errorReply(null, INVALID_REQUEST, 'invalid request: empty batch'));
  if (parsed.length > MAX_BATCH_REQUESTS) return replyText(errorReply(null, INVALID_REQUEST, `invalid request: a batch holds at most ${MAX_BATCH_REQUESTS} requests, got ${parsed.length}`));
  // Each reply becomes text at once (the objects are not kept), and the texts are bounded.
  const replies: string[] = [];
  let chars = 0;
  const push = (text: string): void => {
    chars += text.length + 1;
    building?.add(Buffer.byteLength(text));
    replies.push(text);
  };
  const deadline = batchTimeoutMs === 0 ? Infinity : Date.now() + batchTimeoutMs;
  for (const r of parsed) {
    if (gone()) return undefined;
    const refusal: [number, string] | undefined =
      chars > MAX_BATCH_RESPONSE_CHARS
        ? [RESPONSE_TOO_LARGE, 'response too large']
        : Date.now() >= deadline
          ? [REQUEST_TIMED_OUT, 'request timed out']
          : building?.full === true
            ? [LIMIT_EXCEEDED, SERVER_BUSY]
            : undefined;
    if (refusal !== undefined) {
      if (!isNotification(r)) push(replyText(errorReply(idOf(r), ...refusal)));
      continue;
    }
    const reply = await answer(provider, r);
    if (reply !== undefined) push(replyText(reply));
  }
  return replies.length === 0 ? undefined : `[${replies.join(',')}]`;
}

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, GET, OPTIONS',
  'access-control-allow-headers': '*',
  'access-control-max-age': '86400',
};

function send(res: ServerResponse, status: number, text: string | undefined): void {
  if (res.headersSent || res.destroyed) return;
  text ??= '';
  res.writeHead(status, { ...CORS_HEADERS, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Sends a reply counted against `held` until the client has taken it (or the connection ends). */
function sendHeld(res: ServerResponse, held: HeldBytes, text: string | undefined): void {
  const holder = held.holder();
  holder.add(text === undefined ? 0 : Buffer.byteLength(text));
  res.once('finish', () => holder.release());
  res.once('close', () => holder.release());
  send(res, 200, text);
}

function handle(provider: Eip1193Provider, batchTimeoutMs: number, held: HeldBytes, req: IncomingMessage, res: ServerResponse): void {
  if (req.method === 'OPTIONS') {
    res.writeHead(204, CORS_HEADERS).end();
    return;
  }
  if (req.method !== 'POST') {
    send(res, 405, replyText(errorReply(null, INVALID_REQUEST, 'JSON-RPC requests are POSTed')));
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let refused = false;
  const body = held.holder();
  const refuse = (status: number, reply: Record<string, unknown>): void => {
    refused = true;
    chunks.length = 0;
    body.release();
    send(res, status, replyText(reply));
    req.resume();
  };
  req.on('data', (chunk: Buffer) => {
    if (refused) return;
    size += chunk.length;
    if (size > MAX_BODY_BYTES) refuse(413, errorReply(null, INVALID_REQUEST, `request body above ${MAX_BODY_BYTES} bytes`));
    else if (!body.hold(size)) refuse(503, errorReply(null, LIMIT_EXCEEDED, SERVER_BUSY));
    else chunks.push(chunk);
  });
  req.on('error', () => undefined);
  req.on('close', () => body.release());
  req.on('end', () => {
    if (refused) return;
    const text = Buffer.concat(chunks).toString('utf8');
    chunks.length = 0;
    body.release();
    // While the bound is reached nothing is run: a request that runs gets its whole reply (it may
    // have changed the chain), and a batch stops running its requests once the bound is reached.
    if (held.full) {
      send(res, 503, replyText(errorReply(null, LIMIT_EXCEEDED, SERVER_BUSY)));
      return;
    }
    let left = false;
    const building = held.holder();
    res.once('close', () => {
      left = true;
      building.release();
    });
    // Each connection is a client: its requests take turns with other connections' (a dev provider's).
    handleBody(clientProvider(provider, req.socket), text, batchTimeoutMs, () => left, building)
      .then(
        (reply) => sendHeld(res, held, reply),
        () => send(res, 500, replyText(errorReply(null, INTERNAL_ERROR, 'internal error'))),
      )
      .finally(() => building.release());
  });
}

/** A listening dev node server. */
export interface NodeServer {
  readonly server: Server;
  /** `http://host:port`. */
  readonly url: string;
  /** `ws://host:port` (the same port). */
  readonly wsUrl: string;
  readonly port: number;
  /** Bytes all clients hold now (bodies and messages being received, replies not yet taken), against `ServeOptions.maxHeldBytes`. */
  readonly heldBytes: number;
  close(): Promise<void>;
}

/** What a WebSocket connection talks to: its provider, and what to release when it closes. */
export interface WsSession {
  readonly provider: Eip1193Provider;
  close(): void;
}

/** Server options. */
export interface ServeOptions {
  /** Opens the session of a new WebSocket connection (`send` pushes a text message to it); default: `provider`, no subscriptions. */
  connect?: (send: (text: string) => void) => WsSession;
  /** Most ms a batch's requests run (HTTP and WebSocket); default `DEFAULT_BATCH_TIMEOUT_MS`, 0: no bound. */
  batchTimeoutMs?: number;
  /** Most bytes all clients hold at once (bodies and messages being received, replies not yet taken); default `MAX_HELD_BYTES`. */
  maxHeldBytes?: number;
  /** Most ms a client may take to send a request (headers and body); default `DEFAULT_READ_TIMEOUT_MS`, 0: no bound. */
  readTimeoutMs?: number;
}

/** Takes a WebSocket upgrade on `socket`: each text message is a request or batch, answered on the connection. */
function upgrade(provider: Eip1193Provider, options: ServeOptions, held: HeldBytes, open: Map<Duplex, WsConnection>, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  socket.on('error', () => undefined);
  if (open.size >= MAX_WS_CONNECTIONS) {
    socket.end('HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    return;
  }
  const conn = accept(req, socket, { maxMessageBytes: MAX_BODY_BYTES, maxBufferedBytes: MAX_WS_BUFFERED_BYTES, held });
  if (conn === undefined) return;
  const session = options.connect?.((text) => conn.send(text)) ?? { provider: clientProvider(provider, socket), close: () => undefined };
  open.set(socket, conn);
  let answering = 0;
  conn.onMessage = (text) => {
    if (++answering >= MAX_WS_ANSWERING) conn.pause();
    const building = held.holder();
    handleBody(session.provider, text, batchTimeoutOf(options), () => conn.closed, building)
      .then(
        (reply) => reply !== undefined && conn.send(reply),
        () => conn.send(replyText(errorReply(null, INTERNAL_ERROR, 'internal error'))),
      )
      .finally(() => {
        building.release();
        if (answering-- === MAX_WS_ANSWERING) conn.resume();
      });
  };
  conn.onClose = () => {
    open.delete(socket);
    session.close();
  };
  conn.start(head);
}

/** The batch bound of `options`, checked. */
function batchTimeoutOf(options: ServeOptions): number {
  return timeoutMs(options.batchTimeoutMs, 'batchTimeoutMs') ?? DEFAULT_BATCH_TIMEOUT_MS;
}

/** Serves `provider` over HTTP and WebSocket on `host:port` (port 0: a free one). */
export function serve(provider: Eip1193Provider, host = '127.0.0.1', port = 8545, options: ServeOptions = {}): Promise<NodeServer> {
  const batchTimeoutMs = batchTimeoutOf(options);
  const held = new HeldBytes(options.maxHeldBytes ?? MAX_HELD_BYTES);
  const readTimeout = timeoutMs(options.readTimeoutMs, 'readTimeoutMs') ?? DEFAULT_READ_TIMEOUT_MS;
  const server = createServer({ requestTimeout: readTimeout, headersTimeout: readTimeout, connectionsCheckingInterval: READ_CHECK_MS }, (req, res) => {
    try {
      handle(provider, batchTimeoutMs, held, req, res);
    } catch {
      send(res, 500, replyText(errorReply(null, INTERNAL_ERROR, 'internal error')));
    }
  });
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  const sockets = new Map<Duplex, WsConnection>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    try {
      upgrade(provider, options, held, sockets, req, socket, head);
    } catch {
      socket.destroy();
    }
  });
  // No 'clientError' listener: Node's own answers a request it cannot read (400, 431 for headers
  // too large, 408 past the read bound) when no reply is under way, then closes the connection;
  // before, a listener closed it without a word.
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const bound = (server.address() as AddressInfo).port;
      const shown = host.includes(':') ? `[${host}]` : host;
      resolve({
        server,
        url: `http://${shown}:${bound}`,
        wsUrl: `ws://${shown}:${bound}`,
        port: bound,
        get heldBytes() {
          return held.held;
        },
        close: () =>
          new Promise<void>((r) => {
            server.close(() => r());
            server.closeAllConnections();
            // WebSocket clients learn why (RFC 6455 §7.4.1: 1001, the server is going away)
            // before the connection ends, rather than seeing it drop (1006).
            for (const conn of sockets.values()) conn.close(CLOSE_GOING_AWAY, 'server shutting down');
          }),
      });
    });
  });
}
