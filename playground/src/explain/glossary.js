// "?" pop-ups: a short explanation of every term the page uses, opened from a "?" button after
// each element marked `data-term="<key>"` (native popovers: keyboard and screen-reader
// friendly, dismissed with Escape or a click elsewhere).

import { ERGS_PER_GAS } from '../evm/opcodes.js';

/** The terms, by key: a title and a paragraph or two. */
export const TERMS = {
  ergs: {
    title: 'Ergs',
    text: [`Ergs are EVM gas × ${ERGS_PER_GAS}: the unit the engine meters gas in. Every gas rule of Ethereum applies unchanged (a frame runs out of gas when its ergs run out); receipts report gas = ergs ÷ ${ERGS_PER_GAS}.`],
  },
  native: {
    title: 'Native',
    text: ['Native is what a step costs to prove: the RISC-V cycles the ZKsync OS prover spends on it, including the state-tree paths a storage access walks and the hashing it needs.',
      'Every opcode has a native price besides its gas (see the opcode cards in the Code panel). Native is one counter for the whole transaction: callees get all of it (no 63/64 rule), and running out of native reverts the whole transaction.'],
  },
  nativePerGas: {
    title: 'Native per gas',
    text: ['How much native one unit of gas buys: ⌈gas price ÷ native price⌉. It is the transaction\'s exchange rate between what it pays (gas) and what it costs to prove (native).',
      'A step whose native ÷ gas is above this rate costs more to prove than it pays; the charts draw native as gas (native ÷ native per gas) so the two can be compared on one axis.'],
  },
  nativeLimit: {
    title: 'Native limit',
    text: ['Gas limit × native per gas. From it, the intrinsic pubdata is set aside first; computation may use at most a fixed cap of the rest (the excess is withheld native); the intrinsic native (signature check, nonce, fee transfers) is taken next, and execution gets what is left.',
      'The receipt panel shows each of these figures for the run.'],
  },
  withheld: {
    title: 'Withheld native',
    text: ['The part of the native limit above the computational cap. Execution cannot spend it; the pubdata phase can, so a transaction with a large gas limit can still pay for a lot of pubdata.'],
  },
  pubdata: {
    title: 'Pubdata',
    text: ['The bytes a block publishes to L1 so that anyone can rebuild the state: the compressed diff of every storage slot and account that changed, and every L2→L1 message.',
      'A transaction pays for its pubdata in native (pubdata price ÷ native price per byte) in the pubdata phase, after execution, for the net changes it made. Pubdata costs no gas directly: it counts in the native used, which deltaGas covers when it is worth more than the gas charged.'],
  },
  deltaGas: {
    title: 'deltaGas',
    text: ['The extra gas charged when the native a transaction used is worth more gas than its opcodes charged: gas used = max(gas after refunds, native used ÷ native per gas), capped at the gas limit.',
      'It is added in the refund phase, so it shows up as the last step\'s jump in the cumulative chart. On Ethereum it does not exist.'],
  },
  phases: {
    title: 'Phases of a transaction',
    text: ['Validation: the checks (gas limit, balance, fee cap) and the native budget; nothing changes yet. Fee charge: the nonce is bumped and gas limit × gas price taken; intrinsic gas and native are charged.',
      'Execution: the EVM runs, opcode by opcode. Pubdata: the net state changes and messages are measured and paid from native. Refund: the refund counter is capped, deltaGas added, unused gas returned and the fee paid. Block finish (block mode): the block is sealed.'],
  },
  intrinsic: {
    title: 'Intrinsic gas and native',
    text: ['What a transaction costs before any code runs: in gas, the base cost plus its calldata (and access list); in native, the signature check, the sender\'s account read and nonce update, the transaction hashes, the fee transfers, plus a per-byte cost of its calldata.'],
  },
  refund: {
    title: 'Refund',
    text: ['Gas given back for clearing storage (EIP-3529), at most a fifth of the gas used. It lowers the gas charged, not the native used.'],
  },
};

let popoverCount = 0;

/** Adds a "?" button after every `[data-term]` element under `root` that has none yet. */
export function attachTerms(root = document) {
  for (const el of root.querySelectorAll('[data-term]')) {
    if (el.querySelector(':scope > button.q')) continue;
    const term = TERMS[el.dataset.term];
    if (!term) continue;
    const id = `term-${el.dataset.term}`;
    if (!document.getElementById(id)) document.body.append(popover(id, term));
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'q';
    button.textContent = '?';
    button.setAttribute('popovertarget', id);
    button.setAttribute('aria-label', `What is ${term.title.toLowerCase()}?`);
    button.id = `q-${el.dataset.term}-${++popoverCount}`;
    button.addEventListener('click', () => place(document.getElementById(id), button));
    el.append(' ', button);
  }
}

function popover(id, term) {
  const pop = document.createElement('div');
  pop.id = id;
  pop.className = 'term-pop';
  pop.setAttribute('popover', 'auto');
  pop.setAttribute('role', 'dialog');
  pop.setAttribute('aria-label', term.title);
  const h = document.createElement('h3');
  h.textContent = term.title;
  pop.append(h, ...term.text.map((t) => Object.assign(document.createElement('p'), { textContent: t })));
  return pop;
}

/** Puts the pop-up under its button, kept inside the viewport. */
function place(pop, button) {
  const r = button.getBoundingClientRect();
  const width = Math.min(360, window.innerWidth - 16);
  pop.style.width = `${width}px`;
  pop.style.left = `${Math.max(8, Math.min(r.left, window.innerWidth - width - 8))}px`;
  pop.style.top = `${Math.min(r.bottom + 6, window.innerHeight - 120)}px`;
}
