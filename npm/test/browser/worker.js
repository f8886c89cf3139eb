// Module worker: loads the package's browser build and runs the scenario (no window, no process).
import { createEngine } from '/dist/esm/browser.js';
import { runScenario } from '/test/browser/scenario.js';

self.onmessage = async (e) => {
  try {
    const result = await runScenario(await createEngine(e.data.chain), e.data);
    self.postMessage({ result, hasWindow: typeof window !== 'undefined' });
  } catch (err) {
    self.postMessage({ error: String(err && err.stack ? err.stack : err) });
  }
};
