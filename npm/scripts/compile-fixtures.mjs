// Compiles test/fixtures/Token.sol with the solc devDependency into test/fixtures/contracts.json
// (committed, so tests do not need the compiler). Run after changing the source.
import { readFileSync, writeFileSync } from 'node:fs';
import solc from 'solc';

const source = readFileSync(new URL('../test/fixtures/Token.sol', import.meta.url), 'utf8');
const input = {
  language: 'Solidity',
  sources: { 'Token.sol': { content: source } },
  settings: { evmVersion: 'cancun', optimizer: { enabled: true, runs: 200 }, outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } } },
};
const out = JSON.parse(solc.compile(JSON.stringify(input)));
for (const e of out.errors ?? []) if (e.severity === 'error') throw new Error(e.formattedMessage);
const c = out.contracts['Token.sol'].Token;
const json = { compiler: solc.version(), Token: { abi: c.abi, bytecode: '0x' + c.evm.bytecode.object, deployedBytecode: '0x' + c.evm.deployedBytecode.object } };
writeFileSync(new URL('../test/fixtures/contracts.json', import.meta.url), JSON.stringify(json, null, 1) + '\n');
console.log(`compiled Token with ${json.compiler}`);
