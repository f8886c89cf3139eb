// Module worker: runs the fork scenario (no window, no process).
import { forkRun } from '/test/browser/fork-scenario.js';

self.onmessage = async (e) => {
  try {
    self.postMessage({ result: await forkRun(e.data) });
  } catch (err) {
    self.postMessage({ error: String(err && err.stack ? err.stack : err) });
  }
};
