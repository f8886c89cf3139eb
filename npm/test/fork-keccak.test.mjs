// The fork fetcher's own Keccak-256 (it checks fetched code against its hash) against viem's
// (@noble/hashes), on every length around the 136-byte rate and on random data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { keccak256 as reference } from 'viem';
import { keccak256 } from '../dist/esm/fork/keccak.js';

test('keccak256 equals the reference for lengths 0..600 and random inputs', () => {
  assert.equal(keccak256(new Uint8Array()), '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
  for (let length = 0; length <= 600; length++) {
    const data = Uint8Array.from({ length }, (_, i) => (i * 131 + length) & 0xff);
    assert.equal(keccak256(data), reference(data), `length ${length}`);
  }
  for (let i = 0; i < 50; i++) {
    const data = new Uint8Array(randomBytes(1 + ((i * 977) % 30000)));
    assert.equal(keccak256(data), reference(data));
  }
});
