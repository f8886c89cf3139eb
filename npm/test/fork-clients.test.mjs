// A dapp's clients on a fork, end to end: viem (`createPublicClient`, `createWalletClient`) and
// ethers (`JsonRpcProvider`) against `zkos node --fork` and against anvil forking the same node at
// the same block (the Ethereum flow, which anvil runs). The node holds the ERC-20 fixture, deployed
// and a transfer made; both forks are driven alike and what the clients read must be equal: the
// fork block with its transactions, a transaction and receipt of the chain's past, proofs,
// an impersonated holder's transfer after anvil_setBalance / anvil_setStorageAt, a deployment,
// evm_snapshot / evm_revert back to the fork block, and a deployless call (viem's `call` with
// init code and no `to`, which its ERC-6492 signature checks and deployless multicall use).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicClient, createTestClient, createWalletClient, defineChain, encodeFunctionData, http } from 'viem';
import { JsonRpcProvider } from 'ethers';
import { startNode as startAnvil } from './fork/node.mjs';
import { startNode as startZkos } from './devnode/spawn.mjs';
import { deployToken } from './fork/scenario.mjs';
import { TOKEN_ABI, TOKEN_BYTECODE, erc20BalanceSlot } from './fixtures/erc20.mjs';

const hex = (n) => '0x' + n.toString(16);
/** JSON with bigints as decimal strings, for deep comparison of what the clients decoded. */
const plain = (x) => JSON.parse(JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
/** An address holding nothing on the node. */
const HOLDER = '0x000000000000000000000000000000000000beef';
/** Init code returning a runtime of 10 bytes (CALLDATALOAD 0, BLOCKHASH, return it): CODECOPY of the tail, RETURN. */
const DEPLOYLESS = '0x600a600c600039600a6000f3' + '5f35405f5260205ff300';

let node, s, pin, anvilFork, zkos;
before(async () => {
  node = await startAnvil();
  s = await deployToken(node.url);
  pin = BigInt(await node.rpc('eth_blockNumber'));
  anvilFork = await startAnvil({ extraArgs: ['--fork-url', node.url, '--fork-block-number', String(pin)] });
  zkos = await startZkos(['--fork', node.url, '--fork-block', String(pin), '--flow', 'ethereum']);
});
after(async () => {
  await zkos?.stop();
  await anvilFork?.stop();
  await node?.stop();
});

/** viem's clients and ethers' provider on `url`. */
function clientsOf(url) {
  const chain = defineChain({ id: 31337, name: 'fork', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [url] } } });
  return {
    pub: createPublicClient({ chain, transport: http(url), cacheTime: 0 }),
    wallet: createWalletClient({ chain, transport: http(url), account: HOLDER }),
    ethers: new JsonRpcProvider(url, 31337, { staticNetwork: true, cacheTimeout: -1 }),
  };
}

/** What a dapp reads and does on the fork at `url`, each step's outcome by name. */
async function drive(url) {
  const { pub, wallet, ethers } = clientsOf(url);
  const out = {};
  const transfer = s.tx['token.transfer'].hash;
  try {
    out.block = await pub.getBlock({ blockNumber: pin, includeTransactions: true });
    out.receipt = await pub.getTransactionReceipt({ hash: transfer });
    out.transaction = await pub.getTransaction({ hash: transfer });
    out.proof = await pub.getProof({ address: s.token, storageKeys: [erc20BalanceSlot(s.b)], blockNumber: pin });
    out.ethersBlock = (await ethers.getBlock(Number(pin), true)).prefetchedTransactions.map((t) => t.toJSON());
    out.ethersReceipt = (await ethers.getTransactionReceipt(transfer)).toJSON();
    out.deployless = await pub.call({ data: DEPLOYLESS });
    await pub.request({ method: 'anvil_setBalance', params: [HOLDER, hex(10n ** 18n)] });
    await pub.request({ method: 'anvil_setStorageAt', params: [s.token, erc20BalanceSlot(HOLDER), '0x' + (1000).toString(16).padStart(64, '0')] });
    await pub.request({ method: 'anvil_impersonateAccount', params: [HOLDER] });
    const snapshot = await pub.request({ method: 'evm_snapshot', params: [] });
    const sent = await wallet.writeContract({ address: s.token, abi: TOKEN_ABI, functionName: 'transfer', args: [s.a, 10n] });
    const sentReceipt = await pub.waitForTransactionReceipt({ hash: sent, pollingInterval: 20 });
    out.sent = { status: sentReceipt.status, gasUsed: sentReceipt.gasUsed, from: sentReceipt.from, logs: sentReceipt.logs.map((l) => l.topics) };
    out.holderTokens = await pub.readContract({ address: s.token, abi: TOKEN_ABI, functionName: 'balanceOf', args: [HOLDER] });
    const deployed = await pub.waitForTransactionReceipt({ hash: await wallet.deployContract({ abi: TOKEN_ABI, bytecode: TOKEN_BYTECODE }), pollingInterval: 20 });
    out.deployed = { status: deployed.status, gasUsed: deployed.gasUsed, address: deployed.contractAddress, code: await pub.getCode({ address: deployed.contractAddress }) };
    out.reverted = await pub.request({ method: 'evm_revert', params: [snapshot] });
    out.afterRevert = {
      head: await pub.getBlockNumber(),
      holderTokens: await pub.readContract({ address: s.token, abi: TOKEN_ABI, functionName: 'balanceOf', args: [HOLDER] }),
      holderNonce: await pub.getTransactionCount({ address: HOLDER }),
      code: await pub.getCode({ address: deployed.contractAddress }),
      ethersCall: await ethers.call({ to: s.token, data: encodeFunctionData({ abi: TOKEN_ABI, functionName: 'balanceOf', args: [s.b] }) }),
    };
  } finally {
    ethers.destroy();
  }
  return plain(out);
}

// Before: the deployless call answered `0x` (a top-level creation in the Ethereum flow returned no
// output), where anvil and geth answer the init code's return data; the rest was equal already.
test('viem and ethers read and drive the fork as they do a forking anvil', async () => {
  const theirs = await drive(anvilFork.url);
  const ours = await drive(zkos.url);
  assert.equal(theirs.deployless.data, '0x5f35405f5260205ff300');
  assert.equal(theirs.afterRevert.head, String(pin));
  for (const key of Object.keys(theirs)) assert.deepEqual(ours[key], theirs[key], key);
});

// Before: viem's `testClient.reset({ blockNumber })` naming the block the node forks was refused
// ("forking another block is not available"), where anvil forks that block again; a test suite
// resetting before each test could not run. Another block stays refused (anvil re-forks there).
test('testClient.reset to the fork block starts the fork again, as on the forking anvil', async () => {
  const chain = defineChain({ id: 31337, name: 'fork', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [zkos.url] } } });
  const heads = [];
  for (const url of [anvilFork.url, zkos.url]) {
    const t = createTestClient({ chain, mode: 'anvil', transport: http(url), cacheTime: 0 });
    const pub = createPublicClient({ chain, transport: http(url), cacheTime: 0 });
    await t.mine({ blocks: 3 });
    await t.setBalance({ address: HOLDER, value: 5n });
    await t.reset({ blockNumber: pin });
    heads.push([await pub.getBlockNumber(), await pub.getBalance({ address: HOLDER })]);
  }
  assert.deepEqual(heads, [[pin, 0n], [pin, 0n]]);
  const t = createTestClient({ chain, mode: 'anvil', transport: http(zkos.url) });
  await assert.rejects(t.reset({ blockNumber: pin - 1n }), (err) => /forking another block is not available \(restart the node with --fork-block; this node forks block \d+\)/.test(err.details));
});
