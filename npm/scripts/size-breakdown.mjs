// What the main wasm module holds, by crate (and by module of zkos-core): the module as the last
// build's wasm-bindgen wrote it, optimised with the build's own wasm-opt flags but keeping its
// function names (-g), measured with twiggy. Run by `make size-breakdown` (which installs twiggy).
// Generic code is counted where it was defined (a BTreeMap of engine types is `alloc`).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAIN_WASM_OPT, mainBindgenWasm } from './wasm-opt.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const crate = resolve(root, process.env.ZKOS_BINDINGS_DIR ?? '../bindings-wasm');
const PROFILE = process.env.ZKOS_WASM_PROFILE ?? 'wasm-release';
const env = { ...process.env, PATH: join(root, 'node_modules', '.bin') + delimiter + process.env.PATH };
const metadata = JSON.parse(execFileSync('cargo', ['metadata', '--format-version', '1', '--no-deps'], { cwd: crate, env, encoding: 'utf8' }));
const bindgenWasm = mainBindgenWasm(metadata.target_directory, PROFILE);
if (!existsSync(bindgenWasm)) throw new Error(`${bindgenWasm} is missing: run npm run build first`);
const named = bindgenWasm.replace(/\.wasm$/, '_named.wasm');
execFileSync('wasm-opt', [...MAIN_WASM_OPT, '-g', bindgenWasm, '-o', named], { env, stdio: 'inherit' });
const csv = execFileSync('twiggy', ['top', '-n', '1000000', '--format', 'csv', named], { encoding: 'utf8', maxBuffer: 1 << 28 });

/** The group an item of twiggy's list counts in, or `undefined` for the name section. */
function group(name) {
  if (name.startsWith('"function names"') || name.startsWith('"local names"') || name.startsWith('"names"') || name.startsWith('custom section')) return undefined;
  if (name.startsWith('data segment')) return 'data (constant tables, strings)';
  if (/ shim$/.test(name)) return 'bindings: export glue (wasm-bindgen shims, with what they inline)';
  const path = /([a-z_][a-z0-9_]*)(?:\[[0-9a-f]+\])?::([a-z_][a-z0-9_]*)?/.exec(name);
  if (!path) return 'other (wasm-bindgen intrinsics, tables, imports)';
  if (path[1] === 'zkos_core') return `zkos_core::${path[2] ?? ''}`;
  if (path[1] === 'zkos_wasm' || path[1] === 'wasm_bindgen' || path[1] === 'js_sys') return 'bindings: zkos_wasm, wasm_bindgen, js_sys';
  return path[1];
}

const totals = new Map();
let counted = 0;
for (const line of csv.trim().split('\n').slice(1)) {
  // Name,ShallowSize,ShallowSizePercent,...: the name may itself hold commas, inside quotes.
  const match = /^(?:"((?:[^"]|"")*)"|([^,]*)),(\d+),/.exec(line);
  if (!match) continue;
  const name = match[1] !== undefined ? match[1].replace(/""/g, '"') : match[2];
  const key = group(name);
  if (key === undefined) continue;
  const bytes = Number(match[3]);
  totals.set(key, (totals.get(key) ?? 0) + bytes);
  counted += bytes;
}
console.log(`main module, code and data: ${counted} bytes (wasm-opt ${MAIN_WASM_OPT.slice(0, 3).join(' ')}, names kept for twiggy)`);
console.log('| crate or module | bytes | share |\n|---|---:|---:|');
for (const [key, bytes] of [...totals].sort((a, b) => b[1] - a[1])) {
  if (bytes / counted < 0.003) continue;
  console.log(`| \`${key}\` | ${bytes.toLocaleString('en-US')} | ${((100 * bytes) / counted).toFixed(1)}% |`);
}
const small = [...totals.values()].filter((b) => b / counted < 0.003).reduce((a, b) => a + b, 0);
console.log(`| the rest (each below 0.3%) | ${small.toLocaleString('en-US')} | ${((100 * small) / counted).toFixed(1)}% |`);
