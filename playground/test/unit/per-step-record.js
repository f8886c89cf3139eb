// The reference the bulk recorder is checked against: the playground's former recorder, which
// stepped the session one step at a time through the package's API and read the innermost frame
// before each step and the session's cost counters after it (src/engine-adapter.js before the
// engine recorded columns itself). Kept here, in test code only, as the independent truth of
// what the playground showed per step.

import { COLUMNS, NO_CODE, NO_OPCODE, PHASES } from '../../src/trace-store.js';

const hexOf = (v) => (typeof v === 'bigint' || typeof v === 'number' ? '0x' + v.toString(16) : String(v ?? '0x').toLowerCase());
const num = (v) => (v === undefined || v === null ? 0 : Number(v));
const phaseIndex = (p) => PHASES.indexOf(String(p).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase());
const plain = (r) => JSON.parse(JSON.stringify(r, (_, v) => (typeof v === 'bigint' ? Number(v) : v)));

/** Records every step of `session` as `{cols, codes, txInfo}` (cols as in src/trace-store.js). */
export function recordPerStep(session) {
  const VALIDATION = PHASES.indexOf('validation');
  const EXECUTION = PHASES.indexOf('execution');
  const REFUND = PHASES.indexOf('refund');
  const BLOCK_FINISH = PHASES.indexOf('block finish');
  const codes = [], codeIndex = new Map(), txInfo = [];
  const codeOf = (top) => {
    const key = top.type === 'CREATE' || top.type === 'CREATE2' ? `init:${hexOf(top.codeAddress)}` : hexOf(top.codeAddress);
    if (!codeIndex.has(key)) { codeIndex.set(key, codes.length); codes.push(key); }
    return codeIndex.get(key);
  };
  let phase = phaseIndex(session.phase), tx = session.txIndex, finished = session.finished;
  let prevErgs = 0, prevNative = 0;
  const charged = () => {
    const c = session.costs();
    if (c.gasUsed !== null && c.gasUsed !== undefined) return { ergs: num(c.gasUsed) * 256, native: num(c.nativeUsed) };
    const native = num(c.intrinsicNative) + num(c.executionNative) + num(c.pubdataUsed) * num(txInfo[tx]?.budget?.nativePerPubdata);
    if (phase !== EXECUTION && prevErgs > 0) return { ergs: prevErgs, native };
    return { ergs: num(c.intrinsicGas) * 256 + num(c.executionErgs), native };
  };
  const rows = [];
  while (!finished) {
    const before = phase, txBefore = tx;
    const top = before === EXECUTION ? session.frames().at(-1) : undefined;
    const report = session.step(1);
    phase = phaseIndex(report.phase); tx = report.txIndex; finished = report.finished;
    if (before === VALIDATION) {
      const info = { budget: plain(session.nativeBudget() ?? null), gas: null, error: null };
      if (phase !== PHASES.indexOf('fee charge') || tx !== txBefore) {
        try { session.result(); } catch (e) { info.error = { code: String(e.code), reason: e.reason ?? null, message: String(e.message) }; }
      }
      txInfo[txBefore] = info;
    } else if (before === REFUND) txInfo[txBefore].gas = plain(session.gasBreakdown() ?? null);
    const now = before === BLOCK_FINISH ? { ergs: prevErgs, native: prevNative } : charged();
    rows.push({
      phase: before, tx: txBefore, pc: top ? num(top.pc) : 0, op: top ? num(top.opcode) : NO_OPCODE, depth: top ? num(top.depth) : 0,
      frame: top ? num(top.depth) : 0, code: top ? codeOf(top) : NO_CODE,
      ergs: top ? num(top.ergs) : 0, ergsCost: now.ergs - prevErgs, native: prevNative, nativeCost: now.native - prevNative,
    });
    const ended = tx !== txBefore;
    prevErgs = ended ? 0 : now.ergs;
    prevNative = ended ? 0 : now.native;
  }
  const cols = Object.fromEntries(Object.entries(COLUMNS).map(([k, T]) => [k, T.from(rows, (r) => r[k])]));
  return { cols, codes, txInfo };
}
