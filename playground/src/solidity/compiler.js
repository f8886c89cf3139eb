// Compiling Solidity in the page: a Web Worker (src/solidity/solc-worker.js) loads the npm
// `solc` package's soljson on the first request and compiles standard JSON. Results are kept
// per source text, so re-running an unchanged contract does not compile it again.

import soljsonUrl from 'solc/soljson.js?url';

/** The file name the playground compiles a source under. */
export const SOURCE_FILE = 'Contract.sol';

/** What is asked of solc for every contract. */
const OUTPUTS = ['abi', 'evm.methodIdentifiers', 'evm.bytecode.object', 'evm.bytecode.sourceMap', 'evm.deployedBytecode.object', 'evm.deployedBytecode.sourceMap'];
/** Compiler settings (shown in the page): Cancun EVM, optimizer on with 200 runs. */
export const SETTINGS = Object.freeze({ evmVersion: 'cancun', optimizer: { enabled: true, runs: 200 } });

let worker = null;
let nextId = 0;
const pending = new Map();
const cache = new Map();

function compilerWorker() {
  if (!worker) {
    worker = new Worker(new URL('./solc-worker.js', import.meta.url));
    worker.onmessage = ({ data }) => {
      const p = pending.get(data.id);
      pending.delete(data.id);
      if (data.error) p?.reject(new Error(`the Solidity compiler failed: ${data.error}`));
      else p?.resolve(data);
    };
    worker.onerror = (e) => {
      for (const p of pending.values()) p.reject(new Error(`the Solidity compiler could not load: ${e.message ?? 'worker error'}`));
      pending.clear();
      worker = null;
    };
  }
  return worker;
}

/**
 * Compiles `source`. Resolves to `{version, loadMs, compileMs, errors, warnings, contracts}`:
 * `errors`/`warnings` are solc's diagnostics (`{message, line, column}`, 1-based, null when
 * solc names no place), `contracts` maps each contract name to `{abi, methods, bytecode,
 * bytecodeMap, runtime, runtimeMap, fileIndex}`. `loadMs` is the time it took to load soljson
 * (0 after the first compile).
 */
export function compileSolidity(source) {
  if (cache.has(source)) return cache.get(source);
  const input = {
    language: 'Solidity',
    sources: { [SOURCE_FILE]: { content: source } },
    settings: { ...SETTINGS, outputSelection: { '*': { '*': OUTPUTS } } },
  };
  const id = ++nextId;
  const result = new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    compilerWorker().postMessage({ id, soljson: new URL(soljsonUrl, location.href).href, input });
  }).then((r) => readOutput(r, source));
  cache.set(source, result);
  result.catch(() => cache.delete(source));
  return result;
}

/** solc's standard-JSON output as the playground uses it. */
function readOutput({ version, loadMs, compileMs, output }, source) {
  const out = JSON.parse(output);
  const diagnostics = (out.errors ?? []).map((e) => diagnostic(e, source));
  const contracts = {};
  const fileIndex = out.sources?.[SOURCE_FILE]?.id ?? 0;
  for (const [name, c] of Object.entries(out.contracts?.[SOURCE_FILE] ?? {})) {
    contracts[name] = {
      abi: c.abi ?? [],
      methods: c.evm?.methodIdentifiers ?? {},
      bytecode: '0x' + (c.evm?.bytecode?.object ?? ''),
      bytecodeMap: c.evm?.bytecode?.sourceMap ?? '',
      runtime: '0x' + (c.evm?.deployedBytecode?.object ?? ''),
      runtimeMap: c.evm?.deployedBytecode?.sourceMap ?? '',
      fileIndex,
    };
  }
  return {
    version, loadMs, compileMs, contracts,
    errors: diagnostics.filter((d) => d.severity === 'error'),
    warnings: diagnostics.filter((d) => d.severity !== 'error'),
  };
}

/** One solc diagnostic: its kind and message, and the 1-based line and column it points at. */
function diagnostic(e, source) {
  let line = null, column = null;
  const start = e.sourceLocation?.start;
  if (typeof start === 'number' && start >= 0) {
    const before = new TextDecoder().decode(new TextEncoder().encode(source).subarray(0, start));
    const lines = before.split('\n');
    line = lines.length;
    column = lines.at(-1).length + 1;
  }
  return { severity: e.severity, kind: e.type, message: e.message, line, column };
}
