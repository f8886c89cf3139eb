// Fork mode verifies what the node sends: a proxy in front of a real node (anvil) alters the
// pinned header, a balance, a storage value, code, a proof node, an absent slot. Each ends in
// FORK_PROOF_MISMATCH naming the rule core found broken; nothing of the wave is kept in memory
// or in the persistent cache, and the same fetcher or engine answers the node's true values once
// the node is honest again. `verify: false` trusts the node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keccak256 } from 'viem';
import { createEngine, createForkFetcher } from '../dist/esm/node.js';
import { erc20BalanceSlot } from './fixtures/erc20.mjs';
import { QUICK, editing, faultyNodeAroundTests, isZkosError, proofOf } from './fork/faulty-node.mjs';
import { A, B, BALANCE_A, TOKEN, TRANSFER_KEYS as KEYS, word } from './fork/placed.mjs';

let node;
let proxy;
faultyNodeAroundTests((n, p) => {
  node = n;
  proxy = p;
});

const header = (edit) => editing((call, answer) => call.method === 'eth_getBlockByNumber' && edit(answer.result));
const flip = (hex, at) => hex.slice(0, at) + (hex[at] === '0' ? '1' : '0') + hex.slice(at + 1);

/** A persistent cache in memory that records every write. */
function recordingCache() {
  const stored = new Map();
  const puts = [];
  return {
    puts,
    get: async (scope, ids) => new Map(ids.filter((id) => stored.has(`${scope}/${id}`)).map((id) => [id, stored.get(`${scope}/${id}`)])),
    put: async (scope, entries) => {
      puts.push(entries);
      for (const [id, value] of entries) stored.set(`${scope}/${id}`, value);
    },
  };
}

const ABSENT_SLOT = word(77);
const SLOT_A = erc20BalanceSlot(A);

const TAMPERED = [
  ['a balance', proofOf(B, (p) => (p.balance = '0x' + (BigInt(p.balance) + 1n).toString(16))), 'AccountMismatch'],
  ['a nonce', proofOf(A, (p) => (p.nonce = '0x' + (BigInt(p.nonce) + 1n).toString(16))), 'AccountMismatch'],
  ['a storage value', proofOf(TOKEN, (p) => p.storageProof.forEach((e) => BigInt(e.key) === BigInt(SLOT_A) && (e.value = '0x385'))), 'SlotMismatch'],
  ['an absent slot given a value', proofOf(TOKEN, (p) => p.storageProof.forEach((e) => BigInt(e.key) === 77n && (e.value = '0x1'))), 'SlotMismatch'],
  ['a storage hash', proofOf(TOKEN, (p) => (p.storageHash = flip(p.storageHash, 10))), 'AccountMismatch'],
  [
    'code, with a code hash to match',
    editing((call, answer) => {
      if (call.method === 'eth_getCode' && call.params[0].toLowerCase() === TOKEN) answer.result = '0x6001600055';
      if (call.method === 'eth_getProof' && answer.result.address.toLowerCase() === TOKEN) answer.result.codeHash = keccak256('0x6001600055');
    }),
    'AccountMismatch',
  ],
  ['a node of an account proof', proofOf(B, (p) => (p.accountProof[1] = flip(p.accountProof[1], 40))), 'NodeHashMismatch'],
  ['a node of a storage proof', proofOf(TOKEN, (p) => (p.storageProof[0].proof[0] = flip(p.storageProof[0].proof[0], 40))), 'NodeHashMismatch'],
  ['a truncated account proof', proofOf(A, (p) => p.accountProof.pop()), 'MissingNode'],
  ['a proof node replaced by a byte that is no RLP', proofOf(B, (p) => (p.accountProof[p.accountProof.length - 1] = '0xff')), 'NodeHashMismatch'],
];

for (const [what, fault, reason] of TAMPERED) {
  test(`the node alters ${what}: FORK_PROOF_MISMATCH (${reason}), nothing kept or cached, then the node's values`, async () => {
    proxy.set(undefined);
    const cache = recordingCache();
    const keys = [...KEYS, { kind: 'storage', address: TOKEN, slot: ABSENT_SLOT }];
    const fork = await createForkFetcher({ url: proxy.url, ...QUICK, cache });
    proxy.set(fault);
    try {
      await assert.rejects(
        fork.fetch(keys),
        isZkosError('FORK_PROOF_MISMATCH', (err) => {
          assert.equal(err.reason, reason, err.message);
          assert.match(err.message, new RegExp(`eth_getProof\\(0x[0-9a-f]{40}\\) at block ${fork.block.number}`));
        }),
      );
    } finally {
      proxy.set(undefined);
    }
    for (const key of keys) assert.equal(fork.peek(key), undefined, `${key.kind} ${key.address} ${key.slot ?? ''} kept`);
    assert.equal(cache.puts.length, 0, 'nothing cached');
    const values = await fork.fetch(keys);
    const tag = '0x' + fork.block.number.toString(16);
    assert.equal(values[1].balance, BigInt(await node.rpc('eth_getBalance', [B, tag])));
    assert.equal(BigInt(values[3].value), BALANCE_A);
    assert.equal(BigInt(values[5].value), 0n);
    assert.equal(values[2].code, await node.rpc('eth_getCode', [TOKEN, tag]));
    assert.equal(cache.puts.length, 1, 'the honest wave is cached');
  });
}

test('the pinned header: altered, it is refused at creation; unknown fields matter only when it does not hash', async () => {
  const alter = [
    ['its state root', (h) => (h.stateRoot = flip(h.stateRoot, 20)), 'HeaderHashMismatch'],
    ['its timestamp', (h) => (h.timestamp = '0x' + (BigInt(h.timestamp) + 1n).toString(16)), 'HeaderHashMismatch'],
    ['its hash', (h) => (h.hash = flip(h.hash, 20)), 'HeaderHashMismatch'],
    ['its base fee', (h) => (h.baseFeePerGas = '0x1'), 'HeaderHashMismatch'],
    ['its blob gas, beside a field this engine does not know', (h) => ((h.blobGasUsed = '0x20000'), (h.futureRoot = '0x' + '11'.repeat(32))), 'HeaderUnknownFields'],
    ['its withdrawals root, dropped (a later field then has no earlier one)', (h) => delete h.withdrawalsRoot, 'HeaderFieldGap'],
  ];
  for (const [what, edit, reason] of alter) {
    proxy.set(header(edit));
    await assert.rejects(
      createForkFetcher({ url: proxy.url, ...QUICK }),
      isZkosError('FORK_PROOF_MISMATCH', (err) => {
        assert.equal(err.reason, reason, `${what}: ${err.message}`);
        assert.match(err.message, /the header of block \d+/);
      }),
      what,
    );
  }
  // An unknown field on an honest header: the header still hashes.
  proxy.set(header((h) => (h.futureRoot = '0x' + '11'.repeat(32))));
  const fork = await createForkFetcher({ url: proxy.url, ...QUICK });
  assert.equal(fork.block.hash, (await node.rpc('eth_getBlockByNumber', ['0x' + fork.block.number.toString(16), false])).hash);
  // Trusting the node, an altered header is taken as it comes.
  proxy.set(header((h) => (h.stateRoot = flip(h.stateRoot, 20))));
  const trusting = await createForkFetcher({ url: proxy.url, ...QUICK, verify: false });
  assert.notEqual(trusting.block.stateRoot, fork.block.stateRoot);
  proxy.set(undefined);
});

test('a forked engine: a lying wave fails its operation, the engine goes on with the node\'s values', async () => {
  proxy.set(undefined);
  const engine = await createEngine({ flow: 'ethereum', hardfork: 'cancun', fork: { url: proxy.url, ...QUICK } });
  const balanceOf = { from: A, to: TOKEN, data: '0x70a08231' + A.slice(2).padStart(64, '0') };
  proxy.set(proofOf(TOKEN, (p) => p.storageProof.forEach((e) => (e.value = '0xffff'))));
  try {
    await assert.rejects(engine.call(balanceOf), isZkosError('FORK_PROOF_MISMATCH', (err) => assert.equal(err.reason, 'SlotMismatch')));
    proxy.set(proofOf(B, (p) => (p.balance = '0x1')));
    await assert.rejects(engine.getAccount(B), isZkosError('FORK_PROOF_MISMATCH', (err) => assert.equal(err.reason, 'AccountMismatch')));
  } finally {
    proxy.set(undefined);
  }
  assert.equal(BigInt((await engine.call(balanceOf)).returnData), BALANCE_A);
  assert.equal((await engine.getAccount(B)).balance, BigInt(await node.rpc('eth_getBalance', [B, '0x' + engine.forkBlock.number.toString(16)])));
});

test('verify: false trusts the node: an altered balance is taken, and cached apart from verified values', async () => {
  proxy.set(undefined);
  const cache = recordingCache();
  const fork = await createForkFetcher({ url: proxy.url, ...QUICK, verify: false, cache });
  proxy.set(proofOf(B, (p) => (p.balance = '0x1')));
  try {
    const [account] = await fork.fetch([{ kind: 'account', address: B }]);
    assert.equal(account.balance, 1n);
  } finally {
    proxy.set(undefined);
  }
  assert.equal(cache.puts.length, 1);
  const verifying = await createForkFetcher({ url: proxy.url, ...QUICK, cache });
  verifying.resetStats();
  const [account] = await verifying.fetch([{ kind: 'account', address: B }]);
  assert.equal(verifying.stats().keysFromCache, 0, 'the trusting fetcher\'s entries are not read');
  assert.equal(account.balance, BigInt(await node.rpc('eth_getBalance', [B, '0x' + verifying.block.number.toString(16)])));
});
