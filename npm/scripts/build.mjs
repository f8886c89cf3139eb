// Builds the package: the wasm bindings for the web and nodejs targets (wasm-pack, no network,
// wasm-opt from the binaryen devDependency), then the TypeScript as ESM and CJS.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const crate = resolve(root, process.env.ZKOS_BINDINGS_DIR ?? '../bindings-wasm');
const env = { ...process.env, PATH: join(root, 'node_modules', '.bin') + delimiter + process.env.PATH };
const run = (cmd, args, cwd = root) => execFileSync(cmd, args, { cwd, env, stdio: 'inherit' });

const onlyTs = process.argv.includes('--ts-only');
// Cargo profile of the wasm build: the bindings' size-conscious `wasm-release` unless overridden.
const PROFILE = process.env.ZKOS_WASM_PROFILE ?? 'wasm-release';
if (!onlyTs) {
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  // Both targets produce the same wasm binary; only the JS glue differs. wasm-opt (slow) runs
  // once, for the web target, and its output is shared.
  for (const [target, dir, opt] of [['web', 'dist/esm/wasm', true], ['nodejs', 'dist/cjs/wasm', false]]) {
    const outDir = join(root, dir);
    const args = ['build', '--mode', 'no-install', '--profile', PROFILE, '--no-pack', '--target', target, '--out-dir', outDir, '--out-name', 'zkos_wasm'];
    if (!opt) args.push('--no-opt');
    run('wasm-pack', [...args, crate]);
    for (const extra of ['package.json', '.gitignore', 'README.md', 'LICENSE']) rmSync(join(outDir, extra), { force: true });
  }
  copyFileSync(join(root, 'dist/esm/wasm/zkos_wasm_bg.wasm'), join(root, 'dist/cjs/wasm/zkos_wasm_bg.wasm'));
}
if (!existsSync(join(root, 'dist/esm/wasm/zkos_wasm.js'))) throw new Error('dist/esm/wasm is missing: run a full build first');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
run(process.execPath, [tsc, '-p', 'tsconfig.esm.json']);
run(process.execPath, [tsc, '-p', 'tsconfig.cjs.json']);
writeFileSync(join(root, 'dist/cjs/package.json'), '{ "type": "commonjs" }\n');
writeFileSync(join(root, 'dist/esm/package.json'), '{ "type": "module" }\n');
chmodSync(join(root, 'dist/esm/cli.js'), 0o755);
