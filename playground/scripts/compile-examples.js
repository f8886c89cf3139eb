// Dev-time only: compiles examples-src/*.sol with the npm solc package and writes the sources,
// the runtime bytecode, selectors and the mapping slots the examples' pre-states need to
// src/examples/compiled.json, which is committed. The bytecode examples use the compiled
// runtime; the Solidity example takes the source and is compiled in the page (on demand).
// Run: node scripts/compile-examples.js
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const solc = require('solc');
const { keccak256 } = require('js-sha3');

const dir = new URL('../examples-src/', import.meta.url);
const sources = {};
for (const f of readdirSync(dir).filter((f) => f.endsWith('.sol'))) sources[f] = { content: readFileSync(new URL(f, dir), 'utf8') };

const input = {
  language: 'Solidity',
  sources,
  settings: {
    evmVersion: 'cancun',
    optimizer: { enabled: true, runs: 200 },
    outputSelection: { '*': { '*': ['evm.deployedBytecode.object', 'evm.methodIdentifiers'] } },
  },
};
const output = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
if (errors.length) throw new Error(errors.map((e) => e.formattedMessage).join('\n'));

const word = (hex) => hex.replace(/^0x/, '').padStart(64, '0');
/** Slot of `mapping(address => …)` at `slot` for `key`: keccak256(pad32(key) ‖ pad32(slot)). */
const mappingSlot = (key, slot) => '0x' + keccak256(Buffer.from(word(key) + word(slot.toString(16)), 'hex'));

const contracts = {};
for (const [file, byName] of Object.entries(output.contracts)) {
  for (const [name, c] of Object.entries(byName)) {
    contracts[name] = { source: file, runtime: '0x' + c.evm.deployedBytecode.object, selectors: c.evm.methodIdentifiers };
  }
}
const SENDER = '0x1000000000000000000000000000000000000001';
const RECIPIENT = '0x2000000000000000000000000000000000000002';
const result = {
  compiler: `solc ${solc.version()}`,
  sources: Object.fromEntries(Object.entries(sources).map(([f, { content }]) => [f, content])),
  contracts,
  slots: { tokenBalanceOfSender: mappingSlot(SENDER, 0), tokenBalanceOfRecipient: mappingSlot(RECIPIENT, 0) },
  topics: { Transfer: '0x' + keccak256('Transfer(address,address,uint256)') },
};
writeFileSync(new URL('../src/examples/compiled.json', import.meta.url), JSON.stringify(result, null, 2) + '\n');
console.log(`compiled ${Object.keys(contracts).join(', ')} with ${result.compiler}`);
