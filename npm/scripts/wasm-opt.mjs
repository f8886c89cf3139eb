// wasm-opt flags of the two modules, and where the build keeps the main module as wasm-bindgen
// wrote it (before wasm-opt), for scripts/size-breakdown.mjs.
import { join } from 'node:path';

const FEATURES = ['--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext', '--enable-mutable-globals', '--enable-simd'];

/**
 * The main module is optimised for size: -Os repeated until nothing shrinks (--converge) gave
 * the smallest gzip of the flags tried (2026-12-05: -Os 352,274 bytes, -Os --converge 350,080,
 * -Oz --converge 350,457; -Oz alone is smaller raw but larger gzipped). --low-memory-unused lets
 * wasm-opt fold a constant added to an address into the access's offset, which differs only when
 * the addition wraps below 1 KiB; Rust never computes such addresses (the stack sits below 1 MiB,
 * the data above): 3,465 bytes less gzip on 2026-12-05.
 *
 * `--no-inline` (a pass that marks the matching functions, so it comes before -Os) keeps the
 * interpreter's cold opcodes (`step_cold`, one per tracer kind, ~10 KB each) out of the loop
 * function, which wasm-opt otherwise inlines into it as their only caller: 1,224 bytes less
 * gzip, and snailtracer as fast (1.00-1.01 of the time in one process, 2026-12-06). It matches
 * the name section wasm-bindgen keeps; without names it marks nothing.
 */
export const MAIN_WASM_OPT = ['--no-inline=*step_cold*', '-Os', '--converge', '--low-memory-unused', ...FEATURES, '--enable-reference-types'];

/** The curve module is optimised for speed. */
export const CURVES_WASM_OPT = ['-O3', ...FEATURES];

/** The main module as wasm-bindgen wrote it, in cargo's target directory. */
export const mainBindgenWasm = (targetDirectory, profile) =>
  join(targetDirectory, 'wasm32-unknown-unknown', profile, 'zkos_wasm_bindgen.wasm');
