// EIP-712 digests of the dev node (eth_signTypedData_v4) against viem's hashTypedData, over
// the value types, nested structs, dynamic and fixed arrays, and domains with and without fields.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashTypedData, bytesToHex, recoverMessageAddress } from 'viem';
import { typedDataDigest } from '../dist/esm/devnode/typed-data.js';
import { rpc, startNode } from './devnode/spawn.mjs';

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

// Before: each struct value recomputed its type's encodeType (walking every type it refers to)
// and listed dependencies with Array.includes, so the work grew as values × types: 200,000
// struct types took 30.7 s, and the case below (2,000 types under a struct used 200,000 times,
// 1.8 MB of JSON) would have hashed about 8 GB of type strings while the node answered nothing.
test('typed data: a struct type used many times is hashed once (work linear in the input)', { timeout: 120_000 }, () => {
  const wide = (items) => {
    const types = { P: [{ name: 'xs', type: 'T[]' }], T: [{ name: 'x', type: 'V[]' }], V: Array.from({ length: 2_000 }, (_, i) => ({ name: `f${i}`, type: `W${i}` })) };
    for (let i = 0; i < 2_000; i++) types[`W${i}`] = [{ name: 'a', type: 'uint8' }];
    return { types, primaryType: 'P', domain: { name: 'wide' }, message: { xs: Array.from({ length: items }, () => ({ x: [] })) } };
  };
  const small = wide(3);
  assert.equal(bytesToHex(typedDataDigest(JSON.stringify(small))), hashTypedData(small));
  assert.match(bytesToHex(typedDataDigest(JSON.stringify(wide(200_000)))), /^0x[0-9a-f]{64}$/);
});

// Before: each was signed as some other value (uint8 300 and -1 as words above 255, a short
// address left-padded, "yes" as false, a short bytesN right-padded); viem and geth refuse them.
test('typed data: values outside their type are INVALID_ARGUMENT, as viem refuses them', () => {
  const one = (type, value) => ({ types: { X: [{ name: 'a', type }] }, primaryType: 'X', domain: {}, message: { a: value } });
  for (const [type, value] of [['uint8', 256], ['uint8', -1], ['uint8', '-0x1'], ['int8', 128], ['int8', -129], ['int8', '-0x81'], ['uint256', -1], ['int256', '0x' + '8'.padEnd(64, '0')], ['address', '0x12'], ['address', '0x' + '11'.repeat(21)], ['bool', 'yes'], ['bool', 1], ['bytes4', '0x1234'], ['bytes32', '0x' + '11'.repeat(31)], ['bytes1', '0x']]) {
    assert.throws(() => typedDataDigest(JSON.stringify(one(type, value))), (e) => e.code === 'INVALID_ARGUMENT', `${type} ${value}`);
    assert.throws(() => hashTypedData(one(type, value)), undefined, `viem: ${type} ${value}`);
  }
  for (const [type, value] of [['uint8', 255], ['uint8', 0], ['int8', 127], ['int8', -128], ['int256', '-' + (2n ** 255n).toString()], ['bool', false], ['address', '0x' + 'ab'.repeat(20)]]) {
    const c = one(type, value);
    assert.equal(bytesToHex(typedDataDigest(JSON.stringify(c))), hashTypedData({ ...c, message: { a: typeof value === 'string' && /^-?\d+$/.test(value) ? BigInt(value) : value } }), `${type} ${value}`);
  }
});

// Before: a hex message of 4 MiB or more overflowed V8's regexp stack while being read as hex
// (a captured group repeated per byte): eth_sign and personal_sign answered -32603 "Maximum
// call stack size exceeded" for a 5 MiB message, which anvil signs.
test('eth_sign and personal_sign: a 5 MiB hex message is signed as bytes', { timeout: 120_000 }, async () => {
  const node = await startNode();
  try {
    const [account] = (await rpc(node.url, 'eth_accounts')).result;
    const raw = '0x' + 'ab'.repeat(5 * 2 ** 20);
    for (const [method, params] of [['eth_sign', [account, raw]], ['personal_sign', [raw, account]]]) {
      const reply = await rpc(node.url, method, params);
      assert.equal(reply.error, undefined, `${method}: ${JSON.stringify(reply.error)}`);
      assert.equal((await recoverMessageAddress({ message: { raw }, signature: reply.result })).toLowerCase(), account.toLowerCase(), method);
    }
    // Hex with an odd digit is still text, as before.
    const odd = await rpc(node.url, 'eth_sign', [account, raw + 'a']);
    assert.equal((await recoverMessageAddress({ message: raw + 'a', signature: odd.result })).toLowerCase(), account.toLowerCase());
  } finally {
    await node.stop();
  }
});
