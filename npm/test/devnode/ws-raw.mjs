// A bare WebSocket client over a TCP socket for protocol tests: it writes frames exactly as a
// test builds them (masked or not, fragmented, control frames) and parses the server's frames.
import { connect } from 'node:net';
import { randomBytes } from 'node:crypto';

/** A client frame (RFC 6455 §5.2): `fin`, `opcode`, `payload`, masked unless `mask === false`. */
export function clientFrame(opcode, payload, { fin = true, mask = true, rsv = 0 } = {}) {
  const data = Buffer.from(payload);
  const n = data.length;
  const len = n <= 125 ? [n] : n <= 0xffff ? [126, n >> 8, n & 0xff] : [127, ...Buffer.from(BigInt(n).toString(16).padStart(16, '0'), 'hex')];
  const head = Buffer.from([(fin ? 0x80 : 0) | rsv | opcode, (mask ? 0x80 : 0) | len[0], ...len.slice(1)]);
  if (!mask) return Buffer.concat([head, data]);
  const key = randomBytes(4);
  const masked = Buffer.from(data.map((b, i) => b ^ key[i & 3]));
  return Buffer.concat([head, key, masked]);
}

/**
 * Opens a raw connection to `url` (http://host:port) with an upgrade request; `headers` replace
 * the defaults; `early` bytes go in the same write; `onFrame` sees each server frame as it comes.
 */
export function rawConnect(url, headers = {}, early = Buffer.alloc(0), onFrame = () => undefined) {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  const all = { host: `${hostname}:${port}`, upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-key': randomBytes(16).toString('base64'), 'sec-websocket-version': '13', ...headers };
  const lines = ['GET / HTTP/1.1', ...Object.entries(all).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}: ${v}`)];
  socket.write(Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), early]));
  let buffer = Buffer.alloc(0);
  let response;
  const frames = [];
  const waiters = [];
  let closed = false;
  const wake = () => {
    for (const w of waiters.splice(0)) w();
  };
  socket.on('data', (d) => {
    buffer = Buffer.concat([buffer, d]);
    if (response === undefined) {
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      response = buffer.subarray(0, end).toString('latin1');
      buffer = buffer.subarray(end + 4);
    }
    for (;;) {
      if (buffer.length < 2) break;
      let len = buffer[1] & 0x7f;
      let at = 2;
      if (len === 126) {
        if (buffer.length < 4) break;
        len = buffer.readUInt16BE(2);
        at = 4;
      } else if (len === 127) {
        if (buffer.length < 10) break;
        len = Number(buffer.readBigUInt64BE(2));
        at = 10;
      }
      if (buffer.length < at + len) break;
      const frame = { fin: (buffer[0] & 0x80) !== 0, opcode: buffer[0] & 0x0f, masked: (buffer[1] & 0x80) !== 0, payload: buffer.subarray(at, at + len) };
      frames.push(frame);
      onFrame(frame);
      buffer = buffer.subarray(at + len);
    }
    wake();
  });
  socket.on('close', () => {
    closed = true;
    wake();
  });
  socket.on('error', () => undefined);
  /** Waits until `test()` holds (or the socket closed); fails after 5 s. */
  const until = async (test) => {
    const deadline = Date.now() + 5000;
    while (!test()) {
      if (closed || Date.now() > deadline) break;
      await new Promise((r) => {
        waiters.push(r);
        setTimeout(r, 50);
      });
    }
    return test();
  };
  return {
    socket,
    frames,
    get response() {
      return response;
    },
    get closed() {
      return closed;
    },
    until,
    send: (buf) => socket.write(buf),
    /** The next text frame parsed as JSON (waits for it). */
    async nextJson(from = 0) {
      await until(() => frames.slice(from).some((f) => f.opcode === 1));
      const f = frames.slice(from).find((x) => x.opcode === 1);
      return f === undefined ? undefined : JSON.parse(f.payload.toString('utf8'));
    },
    end: () => socket.destroy(),
  };
}
