// The Solidity compiler's Web Worker. A classic worker (no imports): on its first request it
// loads solc's Emscripten build (soljson.js from the npm `solc` package, whose URL the request
// carries) with importScripts, then compiles standard-JSON input through soljson's exported C
// functions (solidity_version, solidity_compile, solidity_reset).
//   main → worker  {id, soljson: url, input: standard JSON object}
//   worker → main  {id, version, loadMs, compileMs, output: standard JSON text} | {id, error}

let solc = null;

function load(url) {
  const t0 = performance.now();
  importScripts(url);
  const module = self.Module;
  solc = {
    version: module.cwrap('solidity_version', 'string', [])(),
    compile: module.cwrap('solidity_compile', 'string', ['string', 'number', 'number']),
    reset: module.cwrap('solidity_reset', null, []),
    loadMs: performance.now() - t0,
  };
}

onmessage = ({ data }) => {
  const { id } = data;
  try {
    if (!solc) load(data.soljson);
    const t0 = performance.now();
    const output = solc.compile(JSON.stringify(data.input), 0, 0);
    const compileMs = performance.now() - t0;
    solc.reset();
    postMessage({ id, version: solc.version, loadMs: solc.loadMs, compileMs, output });
  } catch (e) {
    postMessage({ id, error: String(e?.message ?? e) });
  }
};
