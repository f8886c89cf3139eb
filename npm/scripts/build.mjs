// Builds the package: the wasm bindings (wasm-pack, no network, wasm-opt from the binaryen
// devDependency) with their glue turned into a factory, then the TypeScript as ESM and CJS.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bindingsFactory } from './bindings-factory.mjs';
import { CURVES_WASM_OPT, MAIN_WASM_OPT, mainBindgenWasm } from './wasm-opt.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const crate = resolve(root, process.env.ZKOS_BINDINGS_DIR ?? '../bindings-wasm');
/**
 * Compiler flags of both wasm builds, after any RUSTFLAGS of the caller: thresholds for LLVM's
 * inliner (LLVM InlineCost.cpp) below opt-level "s"'s own, 5 instead of 75 for a call and 50
 * instead of 325 for a callee marked `#[inline]`. The main module measured 363,349 bytes gzip
 * without them, 352,048 with the first (together with wasm-opt's --low-memory-unused and the
 * profile's opt-level 3 for ruint, alloy-primitives and tiny-keccak) and 335,112 with both; the
 * hint threshold at 100 gave 341,699. snailtracer ran as fast each time (0.78 of revm-wasm's time;
 * README "Sizes", 2026-12-05). Lower hint thresholds shrink it further but slow snailtracer: at 35
 * 6,946 bytes less and 0.84-1.10 of revm-wasm's time, at 25 7,955 less and 0.90-0.96, against
 * 0.75-0.86 at 50 in the same runs (2026-12-05).
 *
 * SIMD (`simd128`: Node 20, Chrome 91+, Firefox 89+, Safari 16.4+) lets LLVM move and compare the
 * 32-byte words in 16-byte vectors: the main module measured 299,131 bytes gzip without it and
 * 285,747 with it, and snailtracer 0.97-0.99 of the time without (2026-12-06, 11 interleaved calls
 * each in one process, both orders).
 */
const WASM_RUSTFLAGS = ['-C target-feature=+simd128', '-Cllvm-args=-inlinehint-threshold=50', '-Cllvm-args=-inline-threshold=5'];
const rustflags = [process.env.RUSTFLAGS, ...WASM_RUSTFLAGS].filter((f) => f !== undefined && f !== '').join(' ');
const env = { ...process.env, RUSTFLAGS: rustflags, PATH: join(root, 'node_modules', '.bin') + delimiter + process.env.PATH };
const run = (cmd, args, cwd = root) => execFileSync(cmd, args, { cwd, env, stdio: 'inherit' });

const onlyTs = process.argv.includes('--ts-only');
// Cargo profile of the wasm build: the bindings' size-conscious `wasm-release` unless overridden.
const PROFILE = process.env.ZKOS_WASM_PROFILE ?? 'wasm-release';
if (!onlyTs) {
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  // One wasm-bindgen build (web target, then wasm-opt here); its glue becomes a factory (one
  // instance per engine) for ESM and for CJS, and the wasm is shared by both.
  const esmDir = join(root, 'dist/esm/wasm');
  const cjsDir = join(root, 'dist/cjs/wasm');
  run('wasm-pack', ['build', '--mode', 'no-install', '--profile', PROFILE, '--no-pack', '--no-opt', '--target', 'web', '--out-dir', esmDir, '--out-name', 'zkos_wasm', crate]);
  // wasm-bindgen's output is kept beside the cargo build for `make size-breakdown`.
  const mainWasm = join(esmDir, 'zkos_wasm_bg.wasm');
  const metadata = JSON.parse(execFileSync('cargo', ['metadata', '--format-version', '1', '--no-deps'], { cwd: crate, env, encoding: 'utf8' }));
  const bindgenWasm = mainBindgenWasm(metadata.target_directory, PROFILE);
  copyFileSync(mainWasm, bindgenWasm);
  run('wasm-opt', [...MAIN_WASM_OPT, bindgenWasm, '-o', mainWasm]);
  const factory = bindingsFactory(readFileSync(join(esmDir, 'zkos_wasm.js'), 'utf8'));
  for (const extra of ['zkos_wasm.js', 'zkos_wasm.d.ts', 'zkos_wasm_bg.wasm.d.ts', 'package.json', '.gitignore', 'README.md', 'LICENSE']) rmSync(join(esmDir, extra), { force: true });
  mkdirSync(cjsDir, { recursive: true });
  writeFileSync(join(esmDir, 'zkos_bindings.js'), factory.esm);
  writeFileSync(join(cjsDir, 'zkos_bindings.js'), factory.cjs);
  for (const dir of [esmDir, cjsDir]) writeFileSync(join(dir, 'zkos_bindings.d.ts'), factory.dts);
  copyFileSync(join(esmDir, 'zkos_wasm_bg.wasm'), join(cjsDir, 'zkos_wasm_bg.wasm'));
  // The curve module (bindings-wasm/curves), loaded on first use: a plain cargo build (no glue,
  // raw exports) in a build of its own, so the main module's engine stays without the curves.
  run('cargo', ['build', '--package', 'zkos-curves-wasm', '--target', 'wasm32-unknown-unknown', '--profile', PROFILE], crate);
  const built = join(metadata.target_directory, 'wasm32-unknown-unknown', PROFILE, 'zkos_curves_wasm.wasm');
  run('wasm-opt', [...CURVES_WASM_OPT, built, '-o', join(esmDir, 'zkos_curves.wasm')]);
  copyFileSync(join(esmDir, 'zkos_curves.wasm'), join(cjsDir, 'zkos_curves.wasm'));
}
if (!existsSync(join(root, 'dist/esm/wasm/zkos_bindings.js'))) throw new Error('dist/esm/wasm is missing: run a full build first');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
run(process.execPath, [tsc, '-p', 'tsconfig.esm.json']);
run(process.execPath, [tsc, '-p', 'tsconfig.cjs.json']);
writeFileSync(join(root, 'dist/cjs/package.json'), '{ "type": "commonjs" }\n');
writeFileSync(join(root, 'dist/esm/package.json'), '{ "type": "module" }\n');
chmodSync(join(root, 'dist/esm/cli.js'), 0o755);
