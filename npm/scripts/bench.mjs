// Benchmark: zkos (wasm, through the npm API) against @ethereumjs/evm and against revm 43.0.3
// compiled to wasm at opt-level 3 (tests/revm-wasm, a raw-ABI harness built here) on the shared
// workloads, in the same run, plus the latency of estimateGas for an ERC-20-like transfer, local
// and on a fork of a local anvil (cold and warm; scripts/bench-fork.mjs).
// Usage: npm run bench [-- --runs N] [-- --only name|estimate|fork]
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Common, Hardfork, Mainnet } from '@ethereumjs/common';
import { createEVM } from '@ethereumjs/evm';
import { createAddressFromString, hexToBytes } from '@ethereumjs/util';
import { createEngine } from '../dist/esm/node.js';
import { benchFork } from './bench-fork.mjs';
import { ERC20_RUNTIME, erc20BalanceSlot, erc20TransferCalldata } from '../test/fixtures/erc20.mjs';

const dir = new URL('../../../shared/bench/workloads/', import.meta.url);
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const RUNS = Number(flag('--runs', '5'));
const ONLY = flag('--only', undefined);
const CONTRACT = '0x00000000000000000000000000000000c0de0001';
const CALLER = '0x00000000000000000000000000000000ca11e401';
const GAS_LIMIT = 4_000_000_000n;
const SNAIL_BAR = 50;
// Issue #21's target for snailtracer (its aim is 100×), printed beside the bar.
const SNAIL_TARGET = 80;

// `;` starts a comment; whitespace is ignored (the workload files' format).
const parseHex = (text) => '0x' + text.split('\n').map((l) => l.split(';')[0].replace(/\s+/g, '')).join('');
const word = (n) => BigInt(n).toString(16).padStart(64, '0');
// Calldata conventions from the files' headers (snailtracer: Benchmark() = 0x30627b7c).
const CALLDATA = {
  arith_loop: '0x' + word(1_000_000),
  keccak_loop: '0x' + word(100_000) + word(32),
  storage_loop: '0x' + word(10_000),
  snailtracer: '0x30627b7c',
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// revm on wasm: built with its own release profile (opt-level 3, fat LTO), no imports.
const REVM_DIR = new URL('../../tests/revm-wasm/', import.meta.url);
execFileSync('cargo', ['build', '--release', '--target', 'wasm32-unknown-unknown'], { cwd: REVM_DIR, stdio: ['ignore', 'ignore', 'inherit'] });
const revmWasm = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(new URL('target/wasm32-unknown-unknown/release/zkos_revm_wasm.wasm', REVM_DIR))), {}).exports;

/** Median time of revm-on-wasm running `data` against `code`, and its gas (-1: not a success). */
function timeRevmWasm(code, data) {
  const codeBytes = hexToBytes(code);
  const dataBytes = hexToBytes(data);
  const times = [];
  let gasUsed;
  for (let i = 0; i < RUNS; i++) {
    const at = revmWasm.input(codeBytes.length + dataBytes.length);
    const buffer = new Uint8Array(revmWasm.memory.buffer, at, codeBytes.length + dataBytes.length);
    buffer.set(codeBytes);
    buffer.set(dataBytes, codeBytes.length);
    const t0 = performance.now();
    gasUsed = revmWasm.run(codeBytes.length);
    times.push(performance.now() - t0);
  }
  return { ms: median(times), gasUsed };
}

async function timeZkos(code, data) {
  // The RPC gas cap (50,000,000 by default, as geth's) would cut the heavy workloads short.
  const engine = await createEngine({ chainId: 1, flow: 'ethereum', hardfork: 'cancun', blockGasLimit: GAS_LIMIT, baseFee: 0n, rpcGasCap: GAS_LIMIT });
  const times = [];
  let result;
  for (let i = 0; i < RUNS; i++) {
    engine.setAccount(CONTRACT, { code, nonce: 1 });
    engine.setAccount(CALLER, { balance: 10n ** 30n });
    const t0 = performance.now();
    result = engine.call({ from: CALLER, to: CONTRACT, data, gas: GAS_LIMIT });
    times.push(performance.now() - t0);
  }
  return { ms: median(times), gasUsed: result.gasUsed, status: result.status };
}

async function timeEjs(code, data, runs) {
  const common = new Common({ chain: Mainnet, hardfork: Hardfork.Cancun });
  const times = [];
  let gasUsed;
  for (let i = 0; i < runs; i++) {
    const evm = await createEVM({ common });
    const to = createAddressFromString(CONTRACT);
    await evm.stateManager.putCode(to, hexToBytes(code));
    const t0 = performance.now();
    const res = await evm.runCall({ to, caller: createAddressFromString(CALLER), data: hexToBytes(data), gasLimit: GAS_LIMIT, skipBalance: true });
    times.push(performance.now() - t0);
    if (res.execResult.exceptionError) throw new Error(`ethereumjs: ${res.execResult.exceptionError.error}`);
    // runCall reports execution gas before the refund; the transaction's gas adds the intrinsic
    // 21000 + calldata gas (4 per zero byte, 16 otherwise) and subtracts the refund, capped at a
    // fifth (EIP-3529).
    const bytes = hexToBytes(data);
    const intrinsic = 21000n + bytes.reduce((sum, b) => sum + (b === 0 ? 4n : 16n), 0n);
    const total = res.execResult.executionGasUsed + intrinsic;
    const refund = res.execResult.gasRefund ?? 0n;
    gasUsed = total - (refund < total / 5n ? refund : total / 5n);
  }
  return { ms: median(times), gasUsed };
}

const rows = [];
let failed = false;
for (const file of readdirSync(dir).filter((f) => f.endsWith('.hex')).sort()) {
  const name = file.replace(/\.hex$/, '');
  if (ONLY !== undefined && ONLY !== name) continue;
  const code = parseHex(readFileSync(new URL(file, dir), 'utf8'));
  const data = CALLDATA[name] ?? '0x';
  const z = await timeZkos(code, data);
  // ethereumjs is slow (seconds per run): one run for the slow workloads, up to 3 otherwise.
  const e = await timeEjs(code, data, Math.min(RUNS, name === 'snailtracer' || name === 'arith_loop' ? 1 : 3));
  const r = timeRevmWasm(code, data);
  const ratio = e.ms / z.ms;
  rows.push({ name, zkosMs: z.ms, ejsMs: e.ms, revmMs: r.ms, ratio, zkosGas: z.gasUsed, ejsGas: e.gasUsed, revmGas: BigInt(r.gasUsed), status: z.status });
  if (z.gasUsed !== e.gasUsed || z.gasUsed !== BigInt(r.gasUsed) || z.status !== 'success') failed = true;
  if (name === 'snailtracer' && ratio < SNAIL_BAR) failed = true;
}

const pad = (s, n) => String(s).padStart(n);
console.log(`\n${'workload'.padEnd(14)}${pad('zkos ms', 10)}${pad('ejs ms', 11)}${pad('ejs/zkos', 10)}${pad('revm-wasm ms', 14)}${pad('zkos/revm-wasm', 16)}${pad('zkos gas', 13)}${pad('ejs gas', 13)}`);
for (const r of rows) {
  const same = r.zkosGas === r.ejsGas && r.zkosGas === r.revmGas;
  console.log(`${r.name.padEnd(14)}${pad(r.zkosMs.toFixed(2), 10)}${pad(r.ejsMs.toFixed(1), 11)}${pad(r.ratio.toFixed(1) + '×', 10)}${pad(r.revmMs.toFixed(2), 14)}${pad((r.zkosMs / r.revmMs).toFixed(2), 16)}${pad(r.zkosGas, 13)}${pad(r.ejsGas, 13)}${same ? '' : `  gas differs (revm-wasm ${r.revmGas})!`}`);
}

// estimateGas latency: an ERC-20-like transfer on zkos (zk flow), median of 20 after a warm-up.
if (ONLY === undefined || ONLY === 'estimate') {
  const engine = await createEngine({ chainId: 270, flow: 'zk', hardfork: 'cancun' });
  const token = '0x100000000000000000000000000000000000e20c';
  const holder = '0x1111111111111111111111111111111111111111';
  engine.setAccount(holder, { balance: 10n ** 20n });
  engine.setAccount(token, { code: ERC20_RUNTIME, storage: { [erc20BalanceSlot(holder)]: 10n ** 24n } });
  const tx = { from: holder, to: token, data: erc20TransferCalldata('0x2222222222222222222222222222222222222222', 1000n) };
  try {
    engine.estimateGas(tx);
    const times = [];
    let est;
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      est = engine.estimateGas(tx);
      times.push(performance.now() - t0);
    }
    console.log(`\nestimateGas (ERC-20 transfer, zk flow): median ${median(times).toFixed(3)} ms, gasLimit ${est.gasLimit}, gasUsed ${est.gasUsed}, native ${est.nativeUsed}, pubdata ${est.pubdataBytes}`);
  } catch (err) {
    console.error(`\nestimateGas (ERC-20 transfer, zk flow): failed: ${err.code}: ${err.message}`);
    failed = true;
  }
}

if (ONLY === undefined || ONLY === 'fork') await benchFork();

const snail = rows.find((r) => r.name === 'snailtracer');
if (snail !== undefined) console.log(`\nsnailtracer: zkos-wasm is ${snail.ratio.toFixed(1)}× faster than @ethereumjs/evm (bar ≥ ${SNAIL_BAR}×, target ≥ ${SNAIL_TARGET}×), ${(snail.zkosMs / snail.revmMs).toFixed(2)}× the time of revm-wasm at opt-level 3`);
if (failed) {
  console.error('bench: a gas mismatch or the snailtracer ratio below the bar');
  process.exit(1);
}
