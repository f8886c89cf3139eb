// The only module that talks to the zkos npm package. It turns a playground request into
// engine calls and exposes what the worker needs:
//   openRun(request) → { openCursor(), summary(), opcodeStats() }
//   cursor: { position, record(max) → {count, cols, done}, advance(n), snapshot() → detail }

import { createEngine } from 'zkos';

export async function openRun() {
  await createEngine();
  throw new Error('the engine adapter is not connected to the zkos session API yet');
}
