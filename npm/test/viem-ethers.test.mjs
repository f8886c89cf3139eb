// The EIP-1193 provider driven unchanged by viem (custom transport) and ethers v6
// (BrowserProvider): balances, a deployment from a locally signed raw transaction, calls,
// estimation, receipts, reverts with their reason, and traces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BaseError, ContractFunctionRevertedError, createPublicClient, createWalletClient, custom, defineChain, parseEther } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { BrowserProvider, ContractFactory, Wallet, Contract, isCallException } from 'ethers';
import { createEngine, createProvider } from '../dist/esm/node.js';
import { TOKEN_ABI, TOKEN_BYTECODE } from './fixtures/erc20.mjs';
import { KEY_A, KEY_B } from './helpers.mjs';

const CHAIN_ID = 270;
const chain = defineChain({ id: CHAIN_ID, name: 'zkos', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [] } } });
const RECIPIENT = '0x100000000000000000000000000000000000dead';

async function setup() {
  const engine = await createEngine({ chainId: CHAIN_ID });
  const a = privateKeyToAccount(KEY_A);
  const b = privateKeyToAccount(KEY_B);
  engine.setAccount(a.address, { balance: parseEther('100') });
  engine.setAccount(b.address, { balance: parseEther('100') });
  return { engine, provider: createProvider(engine), a, b };
}

test('viem: balance, deploy from a signed raw tx, call, estimate, receipt, revert reason, trace', async () => {
  const { engine, provider, a } = await setup();
  const transport = custom(provider);
  const pub = createPublicClient({ chain, transport, pollingInterval: 20 });
  const wallet = createWalletClient({ chain, transport, account: a, pollingInterval: 20 });

  assert.equal(await pub.getChainId(), CHAIN_ID);
  assert.equal(await pub.getBalance({ address: a.address }), parseEther('100'));

  const hash = await wallet.deployContract({ abi: TOKEN_ABI, bytecode: TOKEN_BYTECODE });
  const receipt = await pub.waitForTransactionReceipt({ hash });
  assert.equal(receipt.status, 'success');
  assert.ok(receipt.contractAddress);
  const token = receipt.contractAddress;
  assert.equal(await pub.getBytecode({ address: token }), engine.getAccount(token).code);
  assert.equal(receipt.logs.length, 1, 'constructor emits one Transfer');

  assert.equal(await pub.readContract({ address: token, abi: TOKEN_ABI, functionName: 'balanceOf', args: [a.address] }), 10n ** 24n);

  const gas = await pub.estimateContractGas({ address: token, abi: TOKEN_ABI, functionName: 'transfer', args: [RECIPIENT, 5n], account: a });
  assert.ok(gas > 21000n && gas < 200000n, `estimate ${gas}`);

  const transferHash = await wallet.writeContract({ address: token, abi: TOKEN_ABI, functionName: 'transfer', args: [RECIPIENT, 5n] });
  const transferReceipt = await pub.waitForTransactionReceipt({ hash: transferHash });
  assert.equal(transferReceipt.status, 'success');
  assert.ok(transferReceipt.gasUsed <= gas, 'the estimate covers the gas used');
  assert.equal(await pub.readContract({ address: token, abi: TOKEN_ABI, functionName: 'balanceOf', args: [RECIPIENT] }), 5n);

  const tx = await pub.getTransaction({ hash: transferHash });
  assert.equal(tx.from.toLowerCase(), a.address.toLowerCase());
  assert.equal(tx.to.toLowerCase(), token.toLowerCase());
  const block = await pub.getBlock({ blockNumber: transferReceipt.blockNumber });
  assert.deepEqual(block.transactions, [transferHash]);

  // A revert surfaces as viem's ContractFunctionRevertedError with the decoded reason.
  await assert.rejects(
    pub.simulateContract({ address: token, abi: TOKEN_ABI, functionName: 'transfer', args: [RECIPIENT, 10n ** 30n], account: a }),
    (err) => {
      assert.ok(err instanceof BaseError);
      const revert = err.walk((e) => e instanceof ContractFunctionRevertedError);
      assert.ok(revert, String(err));
      assert.equal(revert.reason, 'insufficient balance');
      return true;
    },
  );

  const trace = await pub.request({ method: 'debug_traceTransaction', params: [transferHash, { tracer: 'callTracer' }] });
  assert.equal(trace.type, 'CALL');
  assert.equal(trace.to.toLowerCase(), token.toLowerCase());
  assert.equal(BigInt(trace.gasUsed) > 0n, true);
});

test('ethers v6 BrowserProvider: deploy, call, estimate, wait, revert reason, traceCall', async () => {
  const { provider, b } = await setup();
  const ethersProvider = new BrowserProvider(provider, undefined, { polling: true, pollingInterval: 20, cacheTimeout: -1 });
  const wallet = new Wallet(KEY_B, ethersProvider);

  assert.equal((await ethersProvider.getNetwork()).chainId, BigInt(CHAIN_ID));
  assert.equal(await ethersProvider.getBalance(b.address), 100n * 10n ** 18n);

  const factory = new ContractFactory(TOKEN_ABI, TOKEN_BYTECODE, wallet);
  const token = await factory.deploy();
  await token.waitForDeployment();
  const address = await token.getAddress();
  assert.notEqual(await ethersProvider.getCode(address), '0x');

  const asB = new Contract(address, TOKEN_ABI, wallet);
  assert.equal(await asB.balanceOf(b.address), 10n ** 24n);
  const estimate = await asB.transfer.estimateGas(RECIPIENT, 7n);
  assert.ok(estimate > 21000n);
  const sent = await asB.transfer(RECIPIENT, 7n);
  const receipt = await sent.wait();
  assert.equal(receipt.status, 1);
  assert.equal(receipt.logs.length, 1);
  assert.equal(await asB.balanceOf(RECIPIENT), 7n);
  assert.equal(await ethersProvider.getTransactionCount(b.address), 2);

  await assert.rejects(asB.transfer.staticCall(RECIPIENT, 10n ** 30n), (err) => {
    assert.ok(isCallException(err), String(err));
    assert.equal(err.reason, 'insufficient balance');
    return true;
  });
  await assert.rejects(asB.divide(1n, 0n), (err) => {
    assert.ok(isCallException(err), String(err));
    assert.equal(err.revert?.name, 'Panic');
    assert.equal(BigInt(err.revert?.args[0]), 0x12n);
    return true;
  });

  const trace = await ethersProvider.send('debug_traceCall', [{ from: b.address, to: address, data: asB.interface.encodeFunctionData('balanceOf', [b.address]) }, 'latest', { tracer: 'callTracer' }]);
  assert.equal(trace.type, 'CALL');
});
