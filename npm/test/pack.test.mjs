// The packed tarball as a user gets it: installed into an empty project, it loads through
// `require` and `import`, its types compile under NodeNext resolution, and its bin runs. Its
// dependencies come from npm's cache when there, else the registry: `npm ci` caches tarballs but
// not the version lists `--offline` would need to resolve `~1.9.7` on a fresh machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers.mjs';

const npm = (args, cwd) => execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const node = (args, cwd) => execFileSync(process.execPath, args, { cwd, encoding: 'utf8' });

test('npm pack: install, require, import, types, bin', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zkos-pack-'));
  try {
    const tarball = npm(['pack', ROOT, '--pack-destination', dir], dir).trim().split('\n').at(-1);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    npm(['install', '--prefer-offline', join(dir, tarball)], dir);
    assert.equal(node(['-e', "const z = require('zkos'); console.log(String(z.createEngineSync({ chainId: 7 }).chainId))"], dir).trim(), '7');
    assert.equal(node(['--input-type=module', '-e', "import { createEngine } from 'zkos'; console.log(String((await createEngine({ chainId: 8 })).chainId))"], dir).trim(), '8');
    writeFileSync(
      join(dir, 'consumer.ts'),
      "import { createEngine, createProvider, type Engine, type TxResult } from 'zkos';\n" +
        'const engine: Engine = await createEngine({ chainId: 1, flow: "ethereum" });\n' +
        'const n: bigint = engine.blockNumber();\n' +
        'const r: TxResult = engine.call({ to: "0x1000000000000000000000000000000000000001" });\n' +
        'await createProvider(engine).request({ method: "eth_chainId" });\n' +
        'console.log(n, r.status);\n',
    );
    node([join(ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--typeRoots', join(ROOT, 'node_modules/@types'), 'consumer.ts'], dir);
    assert.match(execFileSync(join(dir, 'node_modules/.bin/zkos'), ['--help'], { encoding: 'utf8' }), /usage:/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
