// The SHA-256 precompile (0x02) in the main wasm module, which has its own compression loop
// (core/src/hash/sha256_rolled.rs; native builds use the sha2 crate): its output must be
// @noble/hashes' digest at every padding boundary, and its gas 60 + 12 per 32-byte word.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sha256 } from '@noble/hashes/sha2.js';
import { createEngine } from '../dist/esm/node.js';

const CALLER = '0x00000000000000000000000000000000ca11e401';
const SHA256 = '0x0000000000000000000000000000000000000002';
const hex = (bytes) => '0x' + Buffer.from(bytes).toString('hex');

test('SHA-256 (0x02): digests of 0-130 bytes and long inputs match @noble/hashes, gas by words', async () => {
  const engine = await createEngine({ chainId: 1, flow: 'ethereum', hardfork: 'cancun', baseFee: 0n });
  engine.setAccount(CALLER, { balance: 10n ** 24n });
  // Lengths around the 55/56-byte tail (one or two padding blocks) and block multiples.
  const lengths = [...Array(131).keys(), 1000, 4095, 4096, 4097];
  for (const len of lengths) {
    const data = Uint8Array.from({ length: len }, (_, i) => (i * 131 + len) & 0xff);
    const r = engine.call({ from: CALLER, to: SHA256, data: hex(data), gas: 1_000_000n });
    assert.equal(r.status, 'success', `length ${len}`);
    assert.equal(r.returnData, hex(sha256(data)), `length ${len}`);
  }
  const estimate = (len) => engine.call({ from: CALLER, to: SHA256, data: hex(new Uint8Array(len)), gas: 1_000_000n }).gasUsed;
  // A second input word: 12 more precompile gas beside 32 more zero calldata bytes (4 each).
  assert.equal(estimate(64) - estimate(32), 12n + 32n * 4n);
});
