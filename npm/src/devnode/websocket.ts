// WebSocket (RFC 6455) for the dev node, server side, for JSON-RPC in text messages: the opening
// handshake (§4.2), framing (§5: masked client frames, 7/16/64-bit lengths, fragmentation,
// ping/pong, close), UTF-8 checks (§8.1). No extensions are negotiated, so the reserved bits
// must be clear. Written for Node's `upgrade` event; no dependency.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { HeldBytes, Holder } from './held.js';

/** The GUID a server appends to the client's key before hashing it (RFC 6455 §1.3). */
const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** The only protocol version (RFC 6455 §4.4). */
const WS_VERSION = '13';

/** Frame opcodes (RFC 6455 §5.2). */
const OP_CONTINUATION = 0x0;
const OP_TEXT = 0x1;
const OP_BINARY = 0x2;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;

/** Close status codes (RFC 6455 §7.4.1). */
const CLOSE_NORMAL = 1000;
/** The endpoint is going away (a server shutting down, a client too slow to keep up). */
export const CLOSE_GOING_AWAY = 1001;
const CLOSE_PROTOCOL_ERROR = 1002;
const CLOSE_UNSUPPORTED_DATA = 1003;
const CLOSE_INVALID_DATA = 1007;
const CLOSE_TOO_BIG = 1009;
/** The server is overloaded (IANA WebSocket close code registry): what all clients hold is at its bound. */
const CLOSE_TRY_AGAIN_LATER = 1013;

/** How long a closed connection waits for the client to hang up before it is cut, in milliseconds. */
const CLOSE_GRACE_MS = 5_000;
/** Largest control frame payload, in bytes (RFC 6455 §5.5). */
const MAX_CONTROL_PAYLOAD_BYTES = 125;
/** Payload lengths up to this fit the 7-bit field; up to 0xffff the 16-bit one (§5.2). */
const MAX_SHORT_LENGTH = 125;
const LENGTH_16 = 126;
const LENGTH_64 = 127;

/** The `Sec-WebSocket-Accept` value for a client's `Sec-WebSocket-Key`: base64(SHA-1(key ‖ GUID)). */
export function acceptKey(key: string): string {
  return createHash('sha1').update(key + HANDSHAKE_GUID).digest('base64');
}

/** Limits of one connection. */
export interface WsLimits {
  /** Largest message (all its fragments), in bytes. */
  readonly maxMessageBytes: number;
  /** Most bytes queued for the client before it is dropped as too slow. */
  readonly maxBufferedBytes: number;
  /**
   * The bound of what all connections hold: a connection whose received bytes not yet parsed do
   * not fit it is closed (1013), one that has bytes queued when a reply does not fit is dropped
   * as too slow (a client that reads gets its replies).
   */
  readonly held: HeldBytes;
}

/** A server frame: FIN set, not masked. */
function frame(opcode: number, payload: Uint8Array): Buffer {
  const n = payload.length;
  const head = n <= MAX_SHORT_LENGTH ? 2 : n <= 0xffff ? 4 : 10;
  const out = Buffer.allocUnsafe(head + n);
  out[0] = 0x80 | opcode;
  if (n <= MAX_SHORT_LENGTH) out[1] = n;
  else if (n <= 0xffff) {
    out[1] = LENGTH_16;
    out.writeUInt16BE(n, 2);
  } else {
    out[1] = LENGTH_64;
    out.writeBigUInt64BE(BigInt(n), 2);
  }
  out.set(payload, head);
  return out;
}

/** One WebSocket connection: text messages in, text messages out. */
export class WsConnection {
  readonly #socket: Duplex;
  readonly #limits: WsLimits;
  /** Received bytes not parsed yet, and how many there are. */
  #chunks: Buffer[] = [];
  #size = 0;
  /** Bytes the next frame needs before it can be parsed (so long frames are joined once). */
  #needed = 2;
  /**
   * The message being received: its fragments joined into one buffer grown by doubling (so it
   * holds at most about twice maxMessageBytes whatever the count of fragments: a list of them
   * let a client queue millions of empty fragments), its length, and its opcode.
   */
  #message = Buffer.alloc(0);
  #fragmentBytes = 0;
  #fragmentOpcode: number | undefined;
  #closed = false;
  /** Whether frames are not parsed for now (`pause`): what was received waits, and the socket is not read. */
  #paused = false;
  /** What this connection holds of `limits.held`: bytes received and not parsed, bytes queued for the client. */
  readonly #in: Holder;
  readonly #out: Holder;
  readonly #decoder = new TextDecoder('utf-8', { fatal: true });
  /** Called with each complete text message. */
  onMessage: (text: string) => void = () => undefined;
  /** Called once when the connection ends (either side). */
  onClose: () => void = () => undefined;

  constructor(socket: Duplex, limits: WsLimits) {
    this.#socket = socket;
    this.#limits = limits;
    this.#in = limits.held.holder();
    this.#out = limits.held.holder();
  }

  /** Starts reading (call it once `onMessage` and `onClose` are set): `head` holds the bytes that came with the handshake. */
  start(head: Buffer): void {
    this.#socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    this.#socket.on('error', () => this.#end());
    // What is queued for the client stays held until the socket is gone (a closed connection
    // still sends it, for up to CLOSE_GRACE_MS).
    this.#socket.on('close', () => {
      this.#out.release();
      this.#end();
    });
    // The client hung up without a close frame (a process that exited, a dropped tab): Node's HTTP
    // server keeps sockets half-open, so without this the connection stayed counted against
    // MAX_WS_CONNECTIONS for good; after 1,000 such clients every new one was refused (503).
    this.#socket.on('end', () => {
      this.#socket.destroy();
      this.#end();
    });
    if (head.length > 0) this.#receive(head);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Stops parsing frames (the rest of what was received waits) and reading the socket, so the
   * client's sends wait in TCP's buffers, until `resume`.
   */
  pause(): void {
    if (this.#paused || this.#closed) return;
    this.#paused = true;
    this.#socket.pause();
  }

  /** Parses what waited since `pause`, and reads the socket again. */
  resume(): void {
    if (!this.#paused || this.#closed) return;
    this.#paused = false;
    this.#socket.resume();
    this.#parse();
  }

  /** Sends a text message; a client that lets too much pile up is disconnected. */
  send(text: string): void {
    if (this.#closed) return;
    this.#queue(frame(OP_TEXT, Buffer.from(text, 'utf8')));
  }

  /**
   * Writes a frame, counted against the bound of all connections until written out (pongs as
   * replies: before, they were not counted, so each client that pinged without reading could
   * queue 64 MiB of pongs while the bound of all clients counted none of them).
   */
  #queue(f: Buffer): void {
    const queued = this.#socket.writableLength;
    const fits = queued <= this.#limits.maxBufferedBytes && this.#out.hold(this.#out.bytes + f.length);
    if (!fits && queued > 0) {
      this.close(CLOSE_GOING_AWAY, 'client too slow');
      return;
    }
    // Nothing queued: the client takes what it is sent, so it gets the reply whatever the bound.
    if (!fits) this.#out.add(f.length);
    this.#socket.write(f, () => this.#out.give(f.length));
  }

  /** Sends a close frame with `code` and ends the connection. */
  close(code = CLOSE_NORMAL, reason = ''): void {
    if (this.#closed) return;
    const r = Buffer.from(reason.slice(0, 100), 'utf8').subarray(0, MAX_CONTROL_PAYLOAD_BYTES - 2);
    const payload = Buffer.alloc(2 + r.length);
    payload.writeUInt16BE(code, 0);
    payload.set(r, 2);
    this.#socket.end(frame(OP_CLOSE, payload));
    setTimeout(() => this.#socket.destroy(), CLOSE_GRACE_MS).unref();
    this.#end();
  }

  #end(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#chunks = [];
    this.#message = Buffer.alloc(0);
    this.#in.release();
    this.onClose();
  }

  #receive(chunk: Buffer): void {
    if (this.#closed) return;
    this.#chunks.push(chunk);
    this.#size += chunk.length;
    this.#parse();
  }

  /** Handles the whole frames received (until paused or closed), and keeps the rest. */
  #parse(): void {
    if (this.#paused || this.#size < this.#needed) {
      this.#holdReceived();
      return;
    }
    let b = this.#chunks.length === 1 ? (this.#chunks[0] as Buffer) : Buffer.concat(this.#chunks, this.#size);
    while (!this.#closed && !this.#paused) {
      const { consumed, needed } = this.#parseFrame(b);
      if (consumed === 0) {
        this.#needed = needed;
        break;
      }
      b = b.subarray(consumed);
    }
    this.#chunks = b.length === 0 || this.#closed ? [] : [b];
    this.#size = this.#closed ? 0 : b.length;
    this.#holdReceived();
  }

  /** Counts the received bytes kept (unparsed, and the message being joined) against the bound; closes the connection when they do not fit. */
  #holdReceived(): void {
    if (!this.#closed && !this.#in.hold(this.#size + this.#message.length)) this.close(CLOSE_TRY_AGAIN_LATER, 'server busy');
  }

  /** Handles the first frame of `b` when it is whole: the bytes it took, else (0) how many it needs. */
  #parseFrame(b: Buffer): { consumed: number; needed: number } {
    const wait = (needed: number) => ({ consumed: 0, needed });
    if (b.length < 2) return wait(2);
    const fin = (b[0] as number) & 0x80;
    const reserved = (b[0] as number) & 0x70;
    const opcode = (b[0] as number) & 0x0f;
    const masked = (b[1] as number) & 0x80;
    let length = (b[1] as number) & 0x7f;
    let at = 2;
    if (reserved !== 0) return this.#fail(CLOSE_PROTOCOL_ERROR, 'reserved bits set');
    if (masked === 0) return this.#fail(CLOSE_PROTOCOL_ERROR, 'client frames must be masked');
    if (length === LENGTH_16) {
      if (b.length < at + 2) return wait(at + 2);
      length = b.readUInt16BE(at);
      at += 2;
    } else if (length === LENGTH_64) {
      if (b.length < at + 8) return wait(at + 8);
      const long = b.readBigUInt64BE(at);
      if (long > BigInt(this.#limits.maxMessageBytes)) return this.#fail(CLOSE_TOO_BIG, 'message too big');
      length = Number(long);
      at += 8;
    }
    const control = opcode >= OP_CLOSE;
    if (control && (fin === 0 || length > MAX_CONTROL_PAYLOAD_BYTES)) return this.#fail(CLOSE_PROTOCOL_ERROR, 'bad control frame');
    if (!control && this.#fragmentBytes + length > this.#limits.maxMessageBytes) return this.#fail(CLOSE_TOO_BIG, 'message too big');
    if (b.length < at + 4 + length) return wait(at + 4 + length);
    const mask = b.subarray(at, at + 4);
    at += 4;
    const payload = Buffer.from(b.subarray(at, at + length));
    for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] as number) ^ (mask[i & 3] as number);
    this.#handle(opcode, fin !== 0, payload);
    return { consumed: at + length, needed: 2 };
  }

  #handle(opcode: number, fin: boolean, payload: Buffer): void {
    switch (opcode) {
      case OP_PING:
        // A client that pings without reading the pongs is dropped as one that does not read replies.
        this.#queue(frame(OP_PONG, payload));
        return;
      case OP_PONG:
        return;
      case OP_CLOSE: {
        const code = payload.length >= 2 ? payload.readUInt16BE(0) : CLOSE_NORMAL;
        this.close(code === CLOSE_NORMAL || code === CLOSE_GOING_AWAY ? code : CLOSE_NORMAL);
        return;
      }
      case OP_TEXT:
      case OP_BINARY:
        if (this.#fragmentOpcode !== undefined) {
          this.#fail(CLOSE_PROTOCOL_ERROR, 'a new message inside a fragmented one');
          return;
        }
        this.#fragmentOpcode = opcode;
        break;
      case OP_CONTINUATION:
        if (this.#fragmentOpcode === undefined) {
          this.#fail(CLOSE_PROTOCOL_ERROR, 'continuation without a message');
          return;
        }
        break;
      default:
        this.#fail(CLOSE_PROTOCOL_ERROR, 'unknown opcode');
        return;
    }
    let whole = payload;
    if (!fin || this.#fragmentBytes > 0) {
      this.#append(payload);
      if (!fin) return;
      whole = this.#message.subarray(0, this.#fragmentBytes);
      this.#message = Buffer.alloc(0);
    }
    const kind = this.#fragmentOpcode;
    this.#fragmentBytes = 0;
    this.#fragmentOpcode = undefined;
    if (kind === OP_BINARY) {
      this.#fail(CLOSE_UNSUPPORTED_DATA, 'JSON-RPC messages are text');
      return;
    }
    let text: string;
    try {
      text = this.#decoder.decode(whole);
    } catch {
      this.#fail(CLOSE_INVALID_DATA, 'text is not UTF-8');
      return;
    }
    this.onMessage(text);
  }

  /** Appends a fragment to the message being received (the caller has checked the total against maxMessageBytes). */
  #append(payload: Buffer): void {
    const total = this.#fragmentBytes + payload.length;
    if (total > this.#message.length) {
      const grown = Buffer.allocUnsafe(Math.min(Math.max(total, 2 * this.#message.length, 1024), this.#limits.maxMessageBytes));
      this.#message.copy(grown, 0, 0, this.#fragmentBytes);
      this.#message = grown;
    }
    payload.copy(this.#message, this.#fragmentBytes);
    this.#fragmentBytes = total;
  }

  /** Closes with `code` after a protocol violation (nothing more is parsed). */
  #fail(code: number, reason: string): { consumed: 0; needed: 0 } {
    this.close(code, reason);
    return { consumed: 0, needed: 0 };
  }
}

/** Rejects an upgrade request with an HTTP status. */
function refuse(socket: Duplex, status: string, headers: Record<string, string> = {}): void {
  const lines = [`HTTP/1.1 ${status}`, 'connection: close', 'content-length: 0', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  socket.end(lines.join('\r\n') + '\r\n\r\n');
}

/** Completes the opening handshake of `req` (RFC 6455 §4.2.2); the connection (not reading yet), or undefined when refused. */
export function accept(req: IncomingMessage, socket: Duplex, limits: WsLimits): WsConnection | undefined {
  const key = req.headers['sec-websocket-key'];
  const upgrade = req.headers.upgrade;
  if (req.method !== 'GET' || typeof upgrade !== 'string' || upgrade.toLowerCase() !== 'websocket' || typeof key !== 'string' || Buffer.from(key, 'base64').length !== 16) {
    refuse(socket, '400 Bad Request');
    return undefined;
  }
  if (req.headers['sec-websocket-version'] !== WS_VERSION) {
    refuse(socket, '426 Upgrade Required', { 'sec-websocket-version': WS_VERSION });
    return undefined;
  }
  socket.write(['HTTP/1.1 101 Switching Protocols', 'upgrade: websocket', 'connection: Upgrade', `sec-websocket-accept: ${acceptKey(key)}`].join('\r\n') + '\r\n\r\n');
  if ('setNoDelay' in socket && typeof socket.setNoDelay === 'function') socket.setNoDelay(true);
  return new WsConnection(socket, limits);
}
