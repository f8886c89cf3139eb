// Fork-mode latency: an ERC-20 transfer estimate on an engine forking a local anvil (started
// here, the scenario of the fork tests deployed on it). Cold: a new engine each run (pinning the
// block, then every account and slot fetched; with and without the access-list hint); warm cache: a new engine whose persistent cache
// already holds them; warm: the same engine again. Printed with the fetcher's round trips; cold
// runs alternate with ones that trust the node (`verify: false`), for the cost of the checks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { encodeFunctionData } from 'viem';
import { createEngine, directoryCache } from '../dist/esm/node.js';
import { TOKEN_ABI } from '../test/fixtures/erc20.mjs';
import { startNode } from '../test/fork/node.mjs';
import { deployScenario } from '../test/fork/scenario.mjs';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs the fork benchmark (`runs` samples of each); returns the medians in ms. */
export async function benchFork(runs = 10) {
  const node = await startNode();
  const dir = mkdtempSync(join(tmpdir(), 'zkos-bench-fork-'));
  try {
    await node.rpc('anvil_setBlockTimestampInterval', [1]);
    const s = await deployScenario(node.url);
    const tx = { from: s.a, to: s.token, data: encodeFunctionData({ abi: TOKEN_ABI, functionName: 'transfer', args: [s.b, 1000n] }) };
    const options = (extra = {}) => ({ flow: 'ethereum', hardfork: 'cancun', fork: { url: node.url, ...extra } });
    const sample = async (make) => {
      const t0 = performance.now();
      const engine = await make();
      const t1 = performance.now();
      const est = await engine.estimateGas(tx);
      const t2 = performance.now();
      const stats = engine.fork.stats();
      return { engine, est, total: t2 - t0, estimate: t2 - t1, roundTrips: stats.roundTrips };
    };
    const cold = [];
    const plain = [];
    const trusting = [];
    const cached = [];
    const cache = directoryCache(dir);
    for (let i = 0; i < runs; i++) {
      const c = await sample(() => createEngine(options()));
      cold.push(c);
      const p = await sample(() => createEngine({ ...options(), accessListHint: false }));
      plain.push(p);
      p.engine.free();
      const t = await sample(() => createEngine(options({ verify: false })));
      trusting.push(t);
      t.engine.free();
      const w = await sample(() => createEngine(options({ cache })));
      cached.push(w);
      c.engine.free();
      w.engine.free();
    }
    const engine = await createEngine(options());
    await engine.estimateGas(tx);
    engine.fork.resetStats();
    const warm = [];
    for (let i = 0; i < runs * 5; i++) {
      const t0 = performance.now();
      await engine.estimateGas(tx);
      warm.push(performance.now() - t0);
    }
    const warmTrips = engine.fork.stats().roundTrips;
    engine.free();
    const last = cold.at(-1);
    const row = (name, xs, key, trips) => console.log(`${name.padEnd(44)}${median(xs.map((x) => (typeof x === 'number' ? x : x[key]))).toFixed(2).padStart(9)} ms   ${trips}`);
    console.log(`\nfork mode (anvil on 127.0.0.1, ERC-20 transfer estimate, Ethereum flow, gasLimit ${last.est.gasLimit}), medians of ${runs}:`);
    row('cold: new engine + estimate', cold, 'total', `${last.roundTrips} round trips (1 pins the block)`);
    row('cold: the estimate alone', cold, 'estimate', `${last.roundTrips - 1} round trips`);
    row('cold, no access-list hint: the estimate alone', plain, 'estimate', `${plain.at(-1).roundTrips - 1} round trips`);
    row('cold, trusting the node (verify: false)', trusting, 'total', `${trusting.at(-1).roundTrips} round trips`);
    row('warm cache: new engine + estimate', cached.slice(1), 'total', `${cached.at(-1).roundTrips} round trip(s) (1 pins the block)`);
    row('warm: the same engine again', warm, undefined, `${warmTrips} round trips`);
    return { coldMs: median(cold.map((c) => c.total)), warmMs: median(warm) };
  } finally {
    await node.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
