// Real contracts on the test node, by locally signed raw transactions: the ERC-20 fixture
// (deploy, transfer) and Uniswap V2 from its published npm builds (factory, two ERC-20s, a pair,
// WETH9, Router02; liquidity added; a router swap and a direct pair swap). Each transaction's raw
// bytes, receipt (status, gas used, logs) and block are recorded: forked execution is later
// compared against exactly these, in the environment of the block each landed in.
import { createRequire } from 'node:module';
import { createPublicClient, createWalletClient, decodeEventLog, defineChain, encodeDeployData, encodeFunctionData, http, maxUint256 } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { TOKEN_ABI, TOKEN_BYTECODE } from '../fixtures/erc20.mjs';

const require = createRequire(import.meta.url);
const artifact = (path) => {
  const { abi, bytecode } = require(path);
  return { abi, bytecode: bytecode.startsWith('0x') ? bytecode : `0x${bytecode}` };
};
/** Uniswap V2 as published: v2-core 1.0.1 and v2-periphery 1.1.0-beta.0 (solc 0.5.16 / 0.6.6 builds). */
export const UNI = {
  erc20: artifact('@uniswap/v2-core/build/ERC20.json'),
  factory: artifact('@uniswap/v2-core/build/UniswapV2Factory.json'),
  pair: artifact('@uniswap/v2-core/build/UniswapV2Pair.json'),
  weth: artifact('@uniswap/v2-periphery/build/WETH9.json'),
  router: artifact('@uniswap/v2-periphery/build/UniswapV2Router02.json'),
};

/** anvil's first two dev accounts (from its published test mnemonic; never to hold real funds). */
export const DEV_KEYS = ['0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80', '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d'];

const E18 = 10n ** 18n;
/** Amounts of the scenario. */
export const AMOUNTS = {
  tokenTransfer: 1000n * E18,
  erc20Supply: 1_000_000n * E18,
  liquidityX: 10_000n * E18,
  liquidityY: 40_000n * E18,
  routerSwapIn: 100n * E18,
  pairSwapIn: 50n * E18,
};
const DEADLINE = 2n ** 40n;

/** Uniswap V2's output for an input (0.3% fee): amountIn·997·reserveOut / (reserveIn·1000 + amountIn·997). */
export function amountOut(amountIn, reserveIn, reserveOut) {
  return (amountIn * 997n * reserveOut) / (reserveIn * 1000n + amountIn * 997n);
}

/** viem clients for the node at `url` (chain id from the node). */
export async function clients(url) {
  const probe = createPublicClient({ transport: http(url) });
  const id = await probe.getChainId();
  const chain = defineChain({ id, name: 'node', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [url] } } });
  const pub = createPublicClient({ chain, transport: http(url), pollingInterval: 20 });
  const wallet = (key) => createWalletClient({ chain, transport: http(url), account: privateKeyToAccount(key) });
  return { chain, pub, wallet };
}

/** Signs and sends one transaction, waits for its receipt and returns the record; throws if it reverted. */
async function send(pub, wallet, name, request) {
  const prepared = await wallet.prepareTransactionRequest(request);
  // The estimate runs in a pending block whose timestamp can be a second before the one the
  // transaction is mined in, and Uniswap's pair writes its price accumulators only when time
  // has passed (two first writes, 44,200 gas): without a margin a slow run goes out of gas.
  prepared.gas += 100_000n;
  const raw = await wallet.signTransaction(prepared);
  const hash = await pub.sendRawTransaction({ serializedTransaction: raw });
  const receipt = await pub.waitForTransactionReceipt({ hash, pollingInterval: 20 });
  if (receipt.status !== 'success') throw new Error(`${name}: reverted in block ${receipt.blockNumber}`);
  const block = await pub.getBlock({ blockNumber: receipt.blockNumber });
  return {
    name,
    hash,
    raw,
    from: wallet.account.address,
    to: request.to ?? null,
    data: request.data,
    blockNumber: receipt.blockNumber,
    blockHash: receipt.blockHash,
    transactionIndex: receipt.transactionIndex,
    /** The environment the transaction ran in (what a replay's block must reproduce). */
    block: { timestamp: block.timestamp, baseFeePerGas: block.baseFeePerGas, miner: block.miner.toLowerCase(), mixHash: block.mixHash, gasLimit: block.gasLimit },
    effectiveGasPrice: receipt.effectiveGasPrice,
    status: receipt.status,
    gasUsed: receipt.gasUsed,
    contractAddress: receipt.contractAddress ?? null,
    logs: receipt.logs.map((l) => ({ address: l.address.toLowerCase(), topics: l.topics, data: l.data })),
  };
}

/** Sends as anvil's first two dev accounts (`a`, `b`) to the node at `url`, recording each transaction in `txs`. */
async function driver(url) {
  const { pub, wallet } = await clients(url);
  const a = wallet(DEV_KEYS[0]);
  const b = wallet(DEV_KEYS[1]);
  const txs = [];
  const run = async (w, name, request) => {
    const record = await send(pub, w, name, request);
    txs.push(record);
    return record;
  };
  const deploy = async (name, { abi, bytecode }, args = []) => (await run(a, name, { data: encodeDeployData({ abi, bytecode, args }) })).contractAddress;
  const call = (w, name, to, abi, functionName, args) => run(w, name, { to, data: encodeFunctionData({ abi, functionName, args }) });
  return { pub, a, b, txs, deploy, call };
}

/** The ERC-20 fixture deployed by `a`, then `token.transfer` of AMOUNTS.tokenTransfer to `b`; its address. */
async function tokenSteps({ a, b, deploy, call }) {
  const token = await deploy('token.deploy', { abi: TOKEN_ABI, bytecode: TOKEN_BYTECODE });
  await call(a, 'token.transfer', token, TOKEN_ABI, 'transfer', [b.account.address, AMOUNTS.tokenTransfer]);
  return token;
}

/** The ERC-20 part of the scenario alone: `{a, b, token, txs, tx}` as `deployScenario` returns them. */
export async function deployToken(url) {
  const d = await driver(url);
  const token = await tokenSteps(d);
  const lower = (x) => x.toLowerCase();
  return { a: lower(d.a.account.address), b: lower(d.b.account.address), token: lower(token), txs: d.txs, tx: Object.fromEntries(d.txs.map((t) => [t.name, t])) };
}

/**
 * Deploys and drives the contracts. Returns the addresses, the accounts and `txs` (records in
 * order, by name).
 */
export async function deployScenario(url) {
  const d = await driver(url);
  const { pub, a, b, txs, deploy, call } = d;
  const token = await tokenSteps(d);

  const tokenX = await deploy('x.deploy', UNI.erc20, [AMOUNTS.erc20Supply]);
  const tokenY = await deploy('y.deploy', UNI.erc20, [AMOUNTS.erc20Supply]);
  const factory = await deploy('factory.deploy', UNI.factory, [a.account.address]);
  await call(a, 'factory.createPair', factory, UNI.factory.abi, 'createPair', [tokenX, tokenY]);
  const pair = (await pub.readContract({ address: factory, abi: UNI.factory.abi, functionName: 'getPair', args: [tokenX, tokenY] })).toLowerCase();
  const weth = await deploy('weth.deploy', UNI.weth);
  const router = await deploy('router.deploy', UNI.router, [factory, weth]);

  await call(a, 'x.approve', tokenX, UNI.erc20.abi, 'approve', [router, maxUint256]);
  await call(a, 'y.approve', tokenY, UNI.erc20.abi, 'approve', [router, maxUint256]);
  await call(a, 'router.addLiquidity', router, UNI.router.abi, 'addLiquidity', [tokenX, tokenY, AMOUNTS.liquidityX, AMOUNTS.liquidityY, 0n, 0n, a.account.address, DEADLINE]);
  await call(a, 'router.swap', router, UNI.router.abi, 'swapExactTokensForTokens', [AMOUNTS.routerSwapIn, 0n, [tokenX, tokenY], b.account.address, DEADLINE]);

  // A direct swap: send X into the pair, then ask for the Y its reserves allow.
  const [reserve0, reserve1] = await pub.readContract({ address: pair, abi: UNI.pair.abi, functionName: 'getReserves' });
  const xIsToken0 = BigInt(tokenX) < BigInt(tokenY);
  const [reserveX, reserveY] = xIsToken0 ? [reserve0, reserve1] : [reserve1, reserve0];
  const out = amountOut(AMOUNTS.pairSwapIn, reserveX, reserveY);
  await call(a, 'x.transferToPair', tokenX, UNI.erc20.abi, 'transfer', [pair, AMOUNTS.pairSwapIn]);
  await call(a, 'pair.swap', pair, UNI.pair.abi, 'swap', [xIsToken0 ? 0n : out, xIsToken0 ? out : 0n, b.account.address, '0x']);

  const lower = (x) => x.toLowerCase();
  return {
    a: lower(a.account.address),
    b: lower(b.account.address),
    token: lower(token),
    tokenX: lower(tokenX),
    tokenY: lower(tokenY),
    factory: lower(factory),
    pair,
    weth: lower(weth),
    router: lower(router),
    xIsToken0,
    pairSwapOut: out,
    txs,
    tx: Object.fromEntries(txs.map((t) => [t.name, t])),
  };
}

/** The event a log holds, decoded with `abi` (undefined when it is not one of the ABI's). */
export function decodeLog(abi, log) {
  try {
    return decodeEventLog({ abi, data: log.data, topics: log.topics });
  } catch {
    return undefined;
  }
}
