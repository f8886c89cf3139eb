// Prints the raw and gzip size of the two wasm modules and fails above their budgets: the main
// module (the engine, loaded by every user) and the curve module (bn254, KZG, BLS12-381 and
// P256VERIFY arithmetic with RIPEMD-160 and modexp's big numbers, loaded on first use of those
// precompiles).
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

/**
 * Budgets in gzip bytes (level 9), each a little above the last measured size. Issue #21 asks
 * 300 KB for the main module, now its budget (printed as a ratio too): fork mode, protocol version 2 and
 * native charges for code hashing took it to 389,774 bytes over the curve split; one type-erased
 * tracer, no standard-library sort and wasm-opt -Os --converge brought it to 350,080, later
 * features to 363,349; LLVM inliner thresholds below opt-level "s"'s, wasm-opt
 * --low-memory-unused and opt-level 3 for three dependencies to 335,112, 335,273 after the next
 * merge; `eth_createAccessList` (+4.4 KB) and the batched tree update (+0.6 KB) to 340,316;
 * storage listings built without the standard library's stable sort to 337,283; wasm32's own
 * 256-bit arithmetic on 32-bit digits (no ruint ADDMOD/MULMOD) to 328,274; zkos's own secp256k1
 * recovery in 26-bit limbs in place of k256 (+ crypto-bigint) to 311,282, its generator tables
 * at window 7 to 306,274, under issue #21's 300 KB; wasm32's one-limb division and small-`MUL`
 * fast paths (snailtracer 11% less CPU time) to 306,928; version 2's system hooks, sliced
 * jobs, the chunked journal and senders recovered at arrival to 311,757, over the budget; RIPEMD-160
 * and modexp's arithmetic moved to the curve module (rarely called, large) to 303,056
 * (2026-12-05); version 2's hooks, the batched recovery and the oracle fixes to 305,368
 * (2026-12-06), 0.994 of 300 KiB but above 300,000 bytes; the engine's own divisions on wasm32's
 * `DIV` code (no `ruint` division) and SHA-256 with its rounds in a loop to 298,611, so the
 * budget and target are now 300,000 bytes, the reading of "300 KB" under which the issue's bar
 * holds either way (README "Sizes" lists each lever, those measured and rejected, and a
 * breakdown by crate; `make size-breakdown` prints it). The curve module measured 90,273 -> 92,763 with the
 * secp256k1 change (cause not isolated: the curve arithmetic did not change), 102,128 with
 * RIPEMD-160 and modexp (optimised for speed, -O3), 110,940 with fork mode's checks of the node's
 * header and proofs (core's `state::eth_proof`, +8.8 KB; they did not fit the main module's budget).
 */
const MODULES = [
  { file: 'zkos_wasm_bg.wasm', what: 'main module', budgetGzipBytes: 300_000, targetGzipBytes: 300_000 },
  { file: 'zkos_curves.wasm', what: 'curve module, loaded on first use', budgetGzipBytes: 109 * 1024 },
];

const kb = (n) => (n / 1024).toFixed(1) + ' KiB';
let failed = false;
let total = 0;
for (const { file, what, budgetGzipBytes, targetGzipBytes } of MODULES) {
  const raw = readFileSync(new URL(`../dist/esm/wasm/${file}`, import.meta.url));
  const gz = gzipSync(raw, { level: 9 }).length;
  total += gz;
  console.log(`${file} (${what}): ${raw.length} bytes raw (${kb(raw.length)}), ${gz} bytes gzip (${kb(gz)}); budget ${budgetGzipBytes} bytes (${kb(budgetGzipBytes)}) gzip`);
  if (targetGzipBytes !== undefined) console.log(`  ${(gz / targetGzipBytes).toFixed(3)} of issue #21's target of ${targetGzipBytes} bytes gzip`);
  if (gz > budgetGzipBytes) {
    console.error(`size: ${file} is ${gz} bytes gzip, above its budget of ${budgetGzipBytes}`);
    failed = true;
  }
}
console.log(`both modules: ${total} bytes gzip (${kb(total)})`);
if (failed) process.exit(1);
