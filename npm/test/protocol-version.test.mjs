// Protocol versions: the default, selecting one, and what an estimate's gas limit pays for under
// each (EVM gas, deltaGas, pubdata gas, fee), checked against blocks that run the estimate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine, createProvider, ZkosError } from '../dist/esm/node.js';

const FROM = '0x10000000000000000000000000000000000000f0';
const NEW_ACCOUNT = '0x10000000000000000000000000000000000000aa';

const refused = (code) => (e) => e instanceof ZkosError && e.code === code;

test('protocolVersion: 2 by default on zk, 1 on ethereum, 1 selectable, others refused', async () => {
  assert.equal((await createEngine()).protocolVersion, 2);
  assert.equal((await createEngine({ flow: 'ethereum' })).protocolVersion, 1);
  assert.equal((await createEngine({ protocolVersion: 1 })).protocolVersion, 1);
  assert.equal((await createEngine({ protocolVersion: 2 })).protocolVersion, 2);
  await assert.rejects(createEngine({ protocolVersion: 3 }), refused('INVALID_ARGUMENT'));
  await assert.rejects(createEngine({ protocolVersion: '2' }), refused('INVALID_ARGUMENT'));
  await assert.rejects(createEngine({ flow: 'ethereum', protocolVersion: 2 }), refused('INVALID_ARGUMENT'));
});

test('protocol versions charge differently: version 2 is not version 1', async () => {
  const used = async (protocolVersion) => {
    const engine = await createEngine({ protocolVersion });
    engine.setAccount(FROM, { balance: 10n ** 18n });
    const tx = { from: FROM, to: NEW_ACCOUNT, value: 1n, gas: 100_000n, maxFeePerGas: 1000n, maxPriorityFeePerGas: 0n };
    const r = engine.runBlock({ transactions: [tx] }).transactions[0];
    assert.equal(r.status, 'success');
    return r.nativeUsed;
  };
  assert.notEqual(await used(1), await used(2));
});

// Base fee 1,000 wei and native 100 wei: 10 native per gas, so native decides a transfer's
// limit; pubdata 10,000 wei: 100 native, 10 gas per byte.
const PRICED = { baseFee: 1000n, nativePrice: 100n, pubdataPrice: 10_000n };

for (const protocolVersion of [1, 2]) {
  test(`estimateGas breakdown under protocol version ${protocolVersion}: parts add up, limit holds, the native cover − 1 does not`, async () => {
    const engine = await createEngine({ ...PRICED, protocolVersion });
    engine.setAccount(FROM, { balance: 10n ** 18n });
    const tx = { from: FROM, to: NEW_ACCOUNT, value: 1n, maxFeePerGas: 1000n, maxPriorityFeePerGas: 0n };
    const est = engine.estimateGas(tx);
    assert.equal(est.evmGas + est.deltaGas + est.pubdataGas, est.gasLimit);
    assert.equal(est.gasPrice, 1000n);
    assert.equal(est.maxFee, est.gasLimit * 1000n);
    assert.equal(est.nativePerGas, 10n);
    // A plain transfer's EVM gas is 21,000; the rest buys native.
    assert.equal(est.evmGas, 21_000n);
    assert.ok(est.deltaGas > 0n);
    // Version 2 keeps 66 bytes for the coinbase's diff, which a transaction after others in
    // its block pays (upstream charges each accessed account's diff against the block start).
    const reserve = protocolVersion === 2 ? 66n : 0n;
    assert.equal(est.pubdataGas, (est.pubdataBytes + reserve) * 10n);
    assert.equal(est.gasLimit, (est.nativeUsed + reserve * 100n + 9n) / 10n);
    const cover = (est.nativeUsed + 9n) / 10n;
    const run = (gas) => {
      const copy = engine.snapshot();
      const status = engine.runBlock({ transactions: [{ ...tx, gas }] }).transactions[0]?.status;
      engine.restore(copy);
      return status;
    };
    assert.equal(run(est.gasLimit), 'success');
    assert.equal(run(cover), 'success');
    assert.notEqual(run(cover - 1n), 'success');

    // zkos_estimateFee carries the same breakdown, as hex quantities.
    const provider = createProvider(engine);
    const fee = await provider.request({ method: 'zkos_estimateFee', params: [tx] });
    for (const k of ['gasLimit', 'evmGas', 'deltaGas', 'pubdataGas', 'maxFee']) assert.equal(BigInt(fee[k]), est[k], k);
  });
}
