// The guided tour of the ERC-20 example: a few stops, each moving the view to a step and
// pointing at the part of the page that explains it. The figures in the text are read from
// the run (the engine's), never written into the tour.

const $ = (id) => document.getElementById(id);
const fmt = (n) => Number(n).toLocaleString('en-US', { maximumFractionDigits: 1 });

/**
 * The stops, given the page's hooks `ctx`: `{goTo(step) → Promise, findStep(pred), stepCost(p)
 * → {op, gas, native}, rate(), summary(), total(), sourceLine(p) → text}`. Each stop is
 * `{title, target (element id), go?: async () => void, text: () => string}`.
 */
export function erc20Tour(ctx) {
  const SSTORE = 0x55;
  let sstore = -1;
  return [
    {
      title: 'Token.sol, compiled here',
      target: 'source-panel',
      go: () => ctx.goTo(0),
      text: () => 'This is the ERC-20 token, compiled in your browser by solc (its version is under the source). The playground deployed it with 1,000 tokens for the sender and now steps transfer(recipient, 100 tokens). Each line shows the gas and the native it cost over the whole transaction.',
    },
    {
      title: 'The fee charge',
      target: 'step-cost',
      go: () => ctx.goTo(1),
      text: () => {
        const v = ctx.stepCost(0), f = ctx.stepCost(1);
        const gas = v.gas + f.gas, native = v.native + f.native;
        return `Before any code runs, validation fixes the native budget and the fee charge takes the intrinsic costs: ${fmt(gas)} gas and ${fmt(native)} native (the signature check, the sender's account, the fee transfers, the calldata). At ${fmt(ctx.rate())} native per gas that native is worth ${fmt(native / ctx.rate())} gas${native / ctx.rate() < gas ? ' — less than the gas paid' : ' — more than the gas paid'}.`;
      },
    },
    {
      title: 'A storage write',
      target: 'step-cost',
      go: async () => {
        const first = ctx.findStep((c, k) => c.op[k] === SSTORE, 0);
        sstore = first >= 0 ? Math.max(first, ctx.findStep((c, k) => c.op[k] === SSTORE, first + 1)) : -1;
        if (sstore >= 0) await ctx.goTo(sstore);
      },
      text: () => {
        if (sstore < 0) return 'This run writes no storage.';
        const c = ctx.stepCost(sstore);
        return `This SSTORE (${ctx.sourceLine(sstore)}) writes the recipient's balance, a slot that did not exist: ${fmt(c.gas)} gas, but ${fmt(c.native)} native — the state tree has to be updated, which is what proving pays for. That is ${fmt(c.native / Math.max(1, c.gas))} native per gas against the ${fmt(ctx.rate())} you pay. Hover an opcode in the Code panel for its rules.`;
      },
    },
    {
      title: 'Where the cost is, line by line',
      target: 'source-panel',
      text: () => 'The heatmap sums every step by the source line it came from: blue for gas, red for native. The rows under the source are the code the compiler added and the bootloader\'s phases; together they add up to what the transaction was charged.',
    },
    {
      title: 'Gas against native, on one axis',
      target: 'chart-pane',
      text: () => 'Native is drawn as gas: native ÷ native per gas. Where the red line is above the blue one (shaded red) the steps cost more to prove than they pay; the labels mark the fee charge, pubdata and the refund.',
    },
    {
      title: 'The receipt',
      target: 'receipt-panel',
      go: () => ctx.goTo(ctx.total()),
      text: () => {
        const s = ctx.summary();
        return `Gas used ${fmt(s?.gasUsed)} breaks down into intrinsic gas, execution, pubdata (paid in native, so no gas), the refund and deltaGas — the extra gas charged when the native used (${fmt(s?.nativeUsed)}) is worth more gas than the opcodes charged. The gauge shows the native used against the native limit and how that limit follows from the gas limit.`;
      },
    },
  ];
}

/** Runs a tour over `stops`; resolves when it is closed. */
export function startTour(stops) {
  const box = $('tour');
  let at = 0;
  let target = null;
  const show = async () => {
    const stop = stops[at];
    target?.classList.remove('tour-target');
    await stop.go?.();
    target = $(stop.target);
    target?.classList.add('tour-target');
    target?.scrollIntoView({ block: 'nearest' });
    $('tour-title').textContent = stop.title;
    $('tour-text').textContent = stop.text();
    $('tour-count').textContent = `${at + 1} / ${stops.length}`;
    $('tour-back').disabled = at === 0;
    $('tour-next').textContent = at === stops.length - 1 ? 'Done' : 'Next';
  };
  return new Promise((resolve) => {
    const close = () => {
      target?.classList.remove('tour-target');
      box.hidden = true;
      document.removeEventListener('keydown', onKey);
      resolve();
    };
    const onKey = (e) => { if (e.key === 'Escape') close(); };
    $('tour-back').onclick = () => { if (at > 0) { at--; show(); } };
    $('tour-next').onclick = () => { if (at < stops.length - 1) { at++; show(); } else close(); };
    $('tour-close').onclick = close;
    document.addEventListener('keydown', onKey);
    box.hidden = false;
    show().then(() => $('tour-next').focus());
  });
}
