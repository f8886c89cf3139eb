// Benchmark of the playground's recorder (issue 21, item 4): the worker's bulk recording (the
// engine fills typed columns, 16,384 steps a call, as src/worker.js asks) against the former
// per-step recording (test/unit/per-step-record.js: one step and a read of the frame and the
// counters through the bindings per step), on the 1,000,006-opcode loop of the browser suite, in
// the same run. Prints µs per step of each, their ratio and the time to record the whole loop in
// bulk. A benchmark: it asserts nothing about time. Usage: npm run bench [-- <runs>]

import { performance } from 'node:perf_hooks';
import { openSession, bulkRecorder } from '../src/engine-adapter.js';
import { compileInput } from '../src/input.js';
import { EXAMPLES } from '../src/examples/index.js';
import { recordPerStep } from '../test/unit/per-step-record.js';

/** Steps per bulk call, as the worker records. */
const CHUNK_STEPS = 16384;
/** Steps of the per-step reference (it takes tens of µs a step; the first steps of the loop). */
const PER_STEP_SAMPLE = 50_000;
/** 142,858 iterations of 7 opcodes: 1,000,006 opcode steps plus 4 bootloader steps. */
const LOOP = 'PUSH3 142858 loop: JUMPDEST PUSH1 1 SWAP1 SUB DUP1 PUSH @loop JUMPI STOP';

const request = compileInput({ ...EXAMPLES.find((e) => e.id === 'storage-loop').input, code: LOOP, calldata: '0x', gasLimit: '10000000' });

async function bulk() {
  const { session } = await openSession(request);
  const recorder = bulkRecorder(session);
  const t0 = performance.now();
  let steps = 0;
  for (;;) {
    const { count, done } = await recorder.record(CHUNK_STEPS);
    steps += count;
    if (done) break;
  }
  return { steps, ms: performance.now() - t0 };
}

/** The loop stopped by running out of gas after about PER_STEP_SAMPLE steps (21,000 intrinsic gas, 26 a loop). */
const sample = { ...request, txs: [{ ...request.txs[0], gasLimit: BigInt(21_000 + Math.ceil(PER_STEP_SAMPLE / 7) * 26) }] };

async function perStep() {
  const { session } = await openSession(sample);
  const t0 = performance.now();
  const { cols } = recordPerStep(session);
  return { steps: cols.pc.length, ms: performance.now() - t0 };
}

const runs = Number(process.argv[2] ?? 3);
for (let run = 1; run <= runs; run++) {
  const b = await bulk();
  const p = await perStep();
  const bulkUs = (b.ms * 1000) / b.steps, perStepUs = (p.ms * 1000) / p.steps;
  console.log(`run ${run}: bulk ${bulkUs.toFixed(3)} µs/step (${b.steps.toLocaleString('en')} steps in ${(b.ms / 1000).toFixed(2)} s); ` +
    `per-step ${perStepUs.toFixed(2)} µs/step (${p.steps.toLocaleString('en')} steps); per-step/bulk ${(perStepUs / bulkUs).toFixed(1)}×`);
}
