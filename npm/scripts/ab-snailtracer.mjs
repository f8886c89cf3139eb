// Compares two builds of the package on snailtracer in one process: `npm run ab -- <distA>
// <distB> [calls]`, each a copy of `dist/esm` (e.g. `cp -r dist/esm /tmp/before` before a change,
// rebuild, then `npm run ab -- /tmp/before dist/esm`). After an untimed call of each (the wasm
// tiers up), the two run alternately, `calls` times each (default 21), each call timed in the
// process's CPU time after a garbage collection; it prints both medians and B's as a fraction of
// A's. Both builds must charge the same gas. On a shared machine only such same-process,
// interleaved ratios resolve changes of a few percent (README, "snailtracer in wasm"); run it
// again with the builds swapped to see the noise.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dirA, dirB, callsArg] = process.argv.slice(2);
if (dirA === undefined || dirB === undefined) throw new Error('usage: npm run ab -- <distA> <distB> [calls]');
const CALLS = Number(callsArg ?? 21);
const CONTRACT = '0x00000000000000000000000000000000c0de0001';
const CALLER = '0x00000000000000000000000000000000ca11e401';
const GAS_LIMIT = 4_000_000_000n;
// The workload file's format: `;` starts a comment, whitespace is ignored.
const text = readFileSync(new URL('../../../shared/bench/workloads/snailtracer.hex', import.meta.url), 'utf8');
const code = '0x' + text.split('\n').map((l) => l.split(';')[0].replace(/\s+/g, '')).join('');

/** A function that runs snailtracer's Benchmark() once on the build in `dir`, returning its gas. */
async function snailtracer(dir) {
  const { createEngine } = await import(pathToFileURL(resolve(dir, 'node.js')).href);
  const engine = await createEngine({ chainId: 1, flow: 'ethereum', hardfork: 'cancun', blockGasLimit: GAS_LIMIT, baseFee: 0n, rpcGasCap: GAS_LIMIT });
  engine.setAccount(CONTRACT, { code, nonce: 1 });
  engine.setAccount(CALLER, { balance: 10n ** 30n });
  return () => engine.call({ from: CALLER, to: CONTRACT, data: '0x30627b7c', gas: GAS_LIMIT }).gasUsed;
}

const collect = globalThis.gc ?? (() => {});
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const timed = (run) => {
  collect();
  const start = cpuMs();
  run();
  return cpuMs() - start;
};
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

const a = await snailtracer(dirA);
const b = await snailtracer(dirB);
const [gasA, gasB] = [a(), b()];
if (gasA !== gasB) throw new Error(`the builds charge different gas: ${gasA} and ${gasB}`);
const [timesA, timesB] = [[], []];
for (let i = 0; i < CALLS; i++) {
  timesA.push(timed(a));
  timesB.push(timed(b));
}
const [msA, msB] = [median(timesA), median(timesB)];
console.log(`A ${msA.toFixed(1)} ms, B ${msB.toFixed(1)} ms (CPU time, medians of ${CALLS} interleaved calls): B/A ${(msB / msA).toFixed(3)}`);
