// Builds the package: the wasm bindings for the web and nodejs targets (wasm-pack, no network,
// wasm-opt from the binaryen devDependency), then the TypeScript as ESM and CJS.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const crate = resolve(root, '../bindings-wasm');
const env = { ...process.env, PATH: join(root, 'node_modules', '.bin') + delimiter + process.env.PATH };
const run = (cmd, args, cwd = root) => execFileSync(cmd, args, { cwd, env, stdio: 'inherit' });

const onlyTs = process.argv.includes('--ts-only');
if (!onlyTs) {
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  for (const [target, dir] of [['web', 'dist/esm/wasm'], ['nodejs', 'dist/cjs/wasm']]) {
    const outDir = join(root, dir);
    run('wasm-pack', ['build', '--mode', 'no-install', '--release', '--no-pack', '--target', target, '--out-dir', outDir, '--out-name', 'zkos_wasm', crate]);
    for (const extra of ['package.json', '.gitignore', 'README.md', 'LICENSE']) rmSync(join(outDir, extra), { force: true });
  }
}
if (!existsSync(join(root, 'dist/esm/wasm/zkos_wasm.js'))) throw new Error('dist/esm/wasm is missing: run a full build first');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
run(process.execPath, [tsc, '-p', 'tsconfig.esm.json']);
run(process.execPath, [tsc, '-p', 'tsconfig.cjs.json']);
writeFileSync(join(root, 'dist/cjs/package.json'), '{ "type": "commonjs" }\n');
writeFileSync(join(root, 'dist/esm/package.json'), '{ "type": "module" }\n');
chmodSync(join(root, 'dist/esm/cli.js'), 0o755);
