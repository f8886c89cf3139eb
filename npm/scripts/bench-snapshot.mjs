// evm_snapshot / evm_revert through the dev node's provider after 100, 1,000 and 3,000 blocks
// (one ERC-20 transfer each), with one more block between the two as a test would mine; the
// baseline in the same run is the whole copy of the engine they took before
// (`engine.snapshot({ copy: true })` and `restore`, which now only `reset` uses). Medians of 11
// rounds, the two alternating.
import { performance } from 'node:perf_hooks';
import { DevChain, createDevProvider, createEngine } from '../dist/esm/node.js';
import { ERC20_RUNTIME, erc20BalanceSlot, erc20TransferCalldata } from '../test/fixtures/erc20.mjs';

const SIZES = [100, 1_000, 3_000];
const ROUNDS = 11;
const TOKEN = '0x100000000000000000000000000000000000e20c';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const timed = async (f) => {
  const t0 = performance.now();
  const value = await f();
  return [value, performance.now() - t0];
};

export async function benchSnapshots() {
  const engine = await createEngine({ chainId: 270 });
  const chain = new DevChain(engine, { accounts: 1 });
  const provider = createDevProvider(chain);
  const holder = chain.accounts[0].address;
  engine.setAccount(TOKEN, { code: ERC20_RUNTIME, storage: { [erc20BalanceSlot(holder)]: 10n ** 30n } });
  const block = (i) => engine.runBlock({ transactions: [{ from: holder, to: TOKEN, data: erc20TransferCalldata(`0x${(i % 1000 + 1).toString(16).padStart(40, '0')}`, BigInt(i + 1)) }] }, { strict: true });
  console.log(`\nevm_snapshot / evm_revert after N blocks (one block between), median of ${ROUNDS}, ms: checkpoint (now) vs whole copy (before)`);
  console.log(`${'blocks'.padStart(7)}${'snapshot'.padStart(10)}${'revert'.padStart(9)}${'copy snap'.padStart(11)}${'copy rev'.padStart(10)}${'snap x'.padStart(9)}${'revert x'.padStart(10)}`);
  let mined = 0;
  for (const size of SIZES) {
    while (mined < size) block(mined++);
    const times = [[], [], [], []];
    for (let r = 0; r < ROUNDS; r++) {
      const head = engine.blockNumber();
      const [id, snap] = await timed(() => provider.request({ method: 'evm_snapshot' }));
      block(mined);
      const [reverted, revert] = await timed(() => provider.request({ method: 'evm_revert', params: [id] }));
      if (reverted !== true || engine.blockNumber() !== head) throw new Error('evm_revert did not return to the snapshot');
      const [copy, copySnap] = await timed(() => engine.snapshot({ copy: true }));
      block(mined);
      const [, copyRevert] = await timed(() => engine.restore(copy));
      copy.free();
      if (engine.blockNumber() !== head) throw new Error('restore did not return to the copy');
      [snap, revert, copySnap, copyRevert].forEach((t, i) => times[i].push(t));
    }
    const [s, v, cs, cv] = times.map(median);
    console.log(`${String(size).padStart(7)}${s.toFixed(3).padStart(10)}${v.toFixed(3).padStart(9)}${cs.toFixed(2).padStart(11)}${cv.toFixed(2).padStart(10)}${(cs / s).toFixed(0).padStart(8)}×${(cv / v).toFixed(0).padStart(9)}×`);
  }
  chain.close();
}

// Run alone: `node scripts/bench-snapshot.mjs` (the full `npm run bench` needs the revm-wasm harness built).
if (import.meta.url === new URL(`file://${process.argv[1]}`).href) await benchSnapshots();
