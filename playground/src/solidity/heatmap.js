// The per-line heatmap: every step's ergs and native summed by where it ran — a source line,
// code of the contract without a source range, other code, or a bootloader phase — so the
// rows add up exactly to what the transaction was charged (gas used × 256 and native used).

/** `op` column value of a bootloader step (as src/trace-store.js). */
const NO_OPCODE = 0x100;

/**
 * Sums of the recorded steps: `{lines: Map<line, {ergs, native, steps}>, generated, other,
 * phases: Map<phase index, {ergs, native, steps}>, total}`, where `lines` come from
 * stepLines (src/solidity/lines.js). `generated`: steps in mapped code without a line;
 * `other`: steps in code without a source map.
 */
export function lineHeat(store, lines) {
  const cell = () => ({ ergs: 0, native: 0, steps: 0 });
  const out = { lines: new Map(), generated: cell(), other: cell(), phases: new Map(), total: cell() };
  const add = (c, e, n) => { c.ergs += e; c.native += n; c.steps++; };
  let i = 0;
  for (const { count, cols } of store.chunks) {
    for (let k = 0; k < count; k++, i++) {
      const e = cols.ergsCost[k], n = cols.nativeCost[k];
      add(out.total, e, n);
      if (cols.op[k] === NO_OPCODE) {
        const p = cols.phase[k];
        if (!out.phases.has(p)) out.phases.set(p, cell());
        add(out.phases.get(p), e, n);
      } else if (lines.line[i] >= 0) {
        const l = lines.line[i];
        if (!out.lines.has(l)) out.lines.set(l, cell());
        add(out.lines.get(l), e, n);
      } else if (lines.mapped[i]) {
        add(out.generated, e, n);
      } else {
        add(out.other, e, n);
      }
    }
  }
  return out;
}
