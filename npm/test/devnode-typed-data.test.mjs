// EIP-712 digests of the dev node (eth_signTypedData_v4) against viem's hashTypedData, over
// the value types, nested structs, dynamic and fixed arrays, and domains with and without fields.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashTypedData, bytesToHex } from 'viem';
import { typedDataDigest } from '../dist/esm/devnode/typed-data.js';

const CASES = [
  {
    domain: { name: 'Ether Mail', version: '1', chainId: 1, verifyingContract: '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC' },
    types: { Person: [{ name: 'name', type: 'string' }, { name: 'wallet', type: 'address' }], Mail: [{ name: 'from', type: 'Person' }, { name: 'to', type: 'Person' }, { name: 'contents', type: 'string' }] },
    primaryType: 'Mail',
    message: { from: { name: 'Cow', wallet: '0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826' }, to: { name: 'Bob', wallet: '0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB' }, contents: 'Hello, Bob!' },
  },
  {
    domain: { name: 'Types', salt: '0x' + '5a'.repeat(32) },
    types: {
      Leaf: [{ name: 'flag', type: 'bool' }, { name: 'blob', type: 'bytes' }, { name: 'small', type: 'int8' }, { name: 'neg', type: 'int256' }, { name: 'b4', type: 'bytes4' }],
      Tree: [{ name: 'leaves', type: 'Leaf[]' }, { name: 'grid', type: 'uint16[2][]' }, { name: 'ids', type: 'uint256[3]' }, { name: 'root', type: 'Leaf' }],
    },
    primaryType: 'Tree',
    message: {
      leaves: [{ flag: true, blob: '0x0102', small: -5, neg: -(2n ** 200n), b4: '0xdeadbeef' }, { flag: false, blob: '0x', small: 7, neg: 0n, b4: '0x00000001' }],
      grid: [[1, 2], [3, 65535]],
      ids: [1n, 2n ** 255n, 3n],
      root: { flag: false, blob: '0x' + 'ff'.repeat(70), small: 127, neg: -1n, b4: '0x12345678' },
    },
  },
  { domain: {}, types: { Empty: [] }, primaryType: 'Empty', message: {} },
];

// JSON as a wallet sends it: bigints as decimal strings.
const wire = (data) => JSON.stringify(data, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));

test('typed data digests equal viem hashTypedData', () => {
  for (const c of CASES) assert.equal(bytesToHex(typedDataDigest(wire(c))), hashTypedData(c), c.primaryType);
});

test('typed data: malformed input is an INVALID_ARGUMENT error', () => {
  for (const bad of ['{', '[]', JSON.stringify({ types: {}, primaryType: 'X', message: {} }), JSON.stringify({ types: { X: [{ name: 'a', type: 'uint7x' }] }, primaryType: 'X', message: { a: 1 } })]) {
    assert.throws(() => typedDataDigest(bad), (e) => e.code === 'INVALID_ARGUMENT');
  }
});

// Before: uint9 and int300 were signed as if valid, bytes33 threw a RangeError (an internal
// -32603), and a long chain of struct types overflowed the stack while listing dependencies.
test('typed data: sizes EIP-712 has no type for, and deep type chains, are INVALID_ARGUMENT', () => {
  const one = (type, value) => JSON.stringify({ types: { X: [{ name: 'a', type }] }, primaryType: 'X', domain: {}, message: { a: value } });
  for (const [type, value] of [['uint9', 1], ['int300', 1], ['uint0', 0], ['uint264', 1], ['uint', 1], ['int', 1], ['bytes33', '0x' + '11'.repeat(33)], ['bytes0', '0x']]) {
    assert.throws(() => typedDataDigest(one(type, value)), (e) => e.code === 'INVALID_ARGUMENT', type);
  }
  const chain = {};
  for (let i = 0; i < 20_000; i++) chain[`T${i}`] = [{ name: 'a', type: `T${i + 1}` }];
  chain.T20000 = [];
  assert.throws(() => typedDataDigest(JSON.stringify({ types: chain, primaryType: 'T0', domain: {}, message: { a: {} } })), (e) => e.code === 'INVALID_ARGUMENT');
  // The sizes EIP-712 has still match viem.
  for (const type of ['uint8', 'uint256', 'int16', 'int256', 'bytes1', 'bytes32']) {
    const c = { types: { X: [{ name: 'a', type }] }, primaryType: 'X', domain: {}, message: { a: type.startsWith('bytes') ? '0x' + '07'.repeat(Number(type.slice(5))) : 7 } };
    assert.equal(bytesToHex(typedDataDigest(JSON.stringify(c))), hashTypedData(c), type);
  }
});
