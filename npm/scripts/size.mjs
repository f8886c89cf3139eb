// Prints the raw and gzip size of the two wasm modules and fails above their budgets: the main
// module (the engine, loaded by every user) and the curve module (bn254, KZG, BLS12-381 and
// P256VERIFY arithmetic, loaded on first use of those precompiles).
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

/**
 * Budgets in gzip bytes (level 9). Issue #21 asks 300 KB for the main module; its guard is 355 KB
 * since 2026-12-05: fork mode (the versioned state store, resumable jobs and their wasm API),
 * protocol version 2 and native charges for code hashing merged over the curve split and took
 * it to 389,774 bytes; one type-erased tracer for every collecting tracer, no standard-library
 * sort and wasm-opt -Os --converge brought it back to 350,080; state at recent blocks, held-state
 * listing over a fork and the fork replay's recorder fixes then added about 10 KB (README "Sizes" lists each lever
 * and a breakdown by crate; `make size-breakdown` prints it). What is left to win is in the README.
 */
const MODULES = [
  { file: 'zkos_wasm_bg.wasm', what: 'main module', budgetGzipBytes: 355 * 1024 },
  { file: 'zkos_curves.wasm', what: 'curve module, loaded on first use', budgetGzipBytes: 110 * 1024 },
];

const kb = (n) => (n / 1024).toFixed(1) + ' KB';
let failed = false;
let total = 0;
for (const { file, what, budgetGzipBytes } of MODULES) {
  const raw = readFileSync(new URL(`../dist/esm/wasm/${file}`, import.meta.url));
  const gz = gzipSync(raw, { level: 9 }).length;
  total += gz;
  console.log(`${file} (${what}): ${raw.length} bytes raw (${kb(raw.length)}), ${gz} bytes gzip (${kb(gz)}); budget ${kb(budgetGzipBytes)} gzip`);
  if (gz > budgetGzipBytes) {
    console.error(`size: ${file} is ${kb(gz)} gzip, above its budget of ${kb(budgetGzipBytes)}`);
    failed = true;
  }
}
console.log(`both modules: ${total} bytes gzip (${kb(total)})`);
if (failed) process.exit(1);
