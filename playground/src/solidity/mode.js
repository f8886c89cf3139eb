// The Solidity form: the source, the compiler's status, the contract and what to step (the
// constructor, or a function called on the deployed contract) with their arguments from the
// ABI. It turns a Solidity input into the deployment and call data a request needs
// (src/input.js) and keeps what source-level stepping needs (bytecode, source maps).

import { compileSolidity, SETTINGS } from './compiler.js';
import { encodeArguments, AbiError } from './abi.js';

/** A compile failure: solc's errors (see src/solidity/compiler.js). */
export class CompileError extends Error {
  constructor(errors) {
    super('the contract does not compile');
    this.name = 'CompileError';
    this.errors = errors;
  }
}

/** A Solidity input that cannot be turned into a request; `field` names the control to fix. */
export class SolidityInputError extends Error {
  constructor(message, field) {
    super(message);
    this.name = 'SolidityInputError';
    this.field = field;
  }
}

/** The value of the "Step" selector for stepping the deployment itself. */
export const CONSTRUCTOR = '';

const $ = (id) => document.getElementById(id);
const fmtMs = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);

/** The ABI entry of `signature` ("transfer(address,uint256)") in `abi`, or undefined. */
function abiFunction(abi, signature) {
  return abi.find((f) => f.type === 'function' && `${f.name}(${f.inputs.map((i) => i.type).join(',')})` === signature);
}

/** Label of a function in the "Step" selector. */
function functionLabel(f) {
  const args = f.inputs.map((i) => `${i.type}${i.name ? ' ' + i.name : ''}`).join(', ');
  const view = f.stateMutability === 'view' || f.stateMutability === 'pure' ? ' (view)' : '';
  return `${f.name}(${args})${view}`;
}

/** Fills an argument fieldset with one labelled input per ABI parameter. */
function renderArgs(fieldset, inputs, values, legend) {
  fieldset.hidden = inputs.length === 0;
  fieldset.querySelector('legend').textContent = legend;
  const list = fieldset.querySelector('.arg-list');
  list.replaceChildren(...inputs.map((p, i) => {
    const label = document.createElement('label');
    label.className = 'stack';
    label.textContent = `${p.name || `argument ${i + 1}`} (${p.type})`;
    const input = document.createElement('input');
    input.spellcheck = false;
    input.dataset.arg = String(i);
    input.value = values?.[i] ?? '';
    input.placeholder = p.type.startsWith('uint') || p.type.startsWith('int') ? 'e.g. 100e18 or 0x64' : p.type === 'address' ? '0x…' : p.type.endsWith(']') ? 'JSON array' : '';
    label.append(input);
    return label;
  }));
}

const argValues = (fieldset) => [...fieldset.querySelectorAll('input[data-arg]')].map((i) => i.value);

/** The Solidity side of the form; `onEdit()` is called when the user changes a Solidity field. */
export function createSolidityMode(onEdit) {
  let compiled = null, compiledSource = null;

  const setStatus = (text) => { $('solc-status').textContent = text; };

  const contractOf = (name) => compiled?.contracts[name];

  /** Refills the contract and function selectors and the argument fields for `input`. */
  function renderSelectors(input) {
    const names = Object.keys(compiled?.contracts ?? {}).filter((n) => contractOf(n).bytecode.length > 2);
    const contract = names.includes(input.contract) ? input.contract : names.at(-1) ?? '';
    $('sol-contract').replaceChildren(...names.map((n) => new Option(n, n, false, n === contract)));
    const c = contractOf(contract);
    const fns = (c?.abi ?? []).filter((f) => f.type === 'function');
    const signatures = fns.map((f) => `${f.name}(${f.inputs.map((i) => i.type).join(',')})`);
    const fn = input.fn === CONSTRUCTOR || signatures.includes(input.fn) ? input.fn : signatures[0] ?? CONSTRUCTOR;
    $('sol-function').replaceChildren(
      new Option('constructor (step the deployment)', CONSTRUCTOR, false, fn === CONSTRUCTOR),
      ...fns.map((f, i) => new Option(functionLabel(f), signatures[i], false, signatures[i] === fn)),
    );
    const ctor = c?.abi.find((f) => f.type === 'constructor');
    renderArgs($('sol-ctor-args'), ctor?.inputs ?? [], input.ctorArgs, 'Constructor arguments');
    const f = abiFunction(c?.abi ?? [], fn);
    renderArgs($('sol-args'), f?.inputs ?? [], input.args, f ? `Arguments of ${f.name}` : 'Arguments');
  }

  /** Compiles `source` (cached per text) and shows the compiler's status. */
  async function compile(source) {
    if (compiledSource === source && compiled) return compiled;
    setStatus('loading the Solidity compiler and compiling…');
    const result = await compileSolidity(source);
    compiled = result;
    compiledSource = source;
    const load = result.loadMs > 0 ? ` · loaded in ${fmtMs(result.loadMs)}` : '';
    const warn = result.warnings.length ? ` · ${result.warnings.length} warning${result.warnings.length > 1 ? 's' : ''}` : '';
    setStatus(`solc ${result.version.replace(/\+commit.*$/, '')}${load} · compiled in ${fmtMs(result.compileMs)} · evmVersion ${SETTINGS.evmVersion}, optimizer ${SETTINGS.optimizer.runs} runs${warn}`);
    return result;
  }

  return {
    /** The last compile result (null before one). */
    get compiled() { return compiled; },

    /** Shows `input`'s Solidity fields (selectors wait for a compile of its source). */
    write(input) {
      $('source').value = input.source ?? '';
      if (compiled && compiledSource === input.source) renderSelectors(input);
      else {
        $('sol-contract').replaceChildren(...(input.contract ? [new Option(input.contract, input.contract, false, true)] : []));
        $('sol-function').replaceChildren(new Option(input.fn || 'constructor', input.fn ?? CONSTRUCTOR, false, true));
        $('sol-ctor-args').hidden = true;
        $('sol-args').hidden = true;
      }
    },

    /** The Solidity fields of the form. */
    read() {
      return {
        source: $('source').value, contract: $('sol-contract').value, fn: $('sol-function').value,
        ctorArgs: argValues($('sol-ctor-args')), args: argValues($('sol-args')),
      };
    },

    /** Compiles the form's source and refills the selectors, keeping what was chosen. */
    async compileForm(input) {
      await compile(input.source);
      renderSelectors(input);
      return compiled;
    },

    /**
     * Compiles `input.source` and builds what its request needs: `{solidity: {deployData,
     * callData}, contract: {name, bytecode, bytecodeMap, runtime, runtimeMap, fileIndex, abi},
     * fn}`. Throws CompileError or SolidityInputError.
     */
    async prepare(input) {
      const result = await compile(input.source);
      if (result.errors.length) throw new CompileError(result.errors);
      renderSelectors(input);
      const name = $('sol-contract').value;
      const c = contractOf(name);
      if (!c) throw new SolidityInputError('The source has no contract to deploy (an interface or abstract contract has no bytecode).', 'source');
      const ctor = c.abi.find((f) => f.type === 'constructor');
      let deployArgs;
      try { deployArgs = encodeArguments(ctor?.inputs ?? [], input.ctorArgs ?? []); } catch (e) {
        throw new SolidityInputError(`Constructor argument ${e instanceof AbiError ? e.message : e}.`, 'sol-ctor-args');
      }
      const fn = $('sol-function').value;
      let callData = null;
      if (fn !== CONSTRUCTOR) {
        const f = abiFunction(c.abi, fn);
        const selector = c.methods[fn];
        if (!f || !selector) throw new SolidityInputError(`${name} has no function ${fn}.`, 'sol-function');
        try { callData = '0x' + selector + encodeArguments(f.inputs, input.args ?? []); } catch (e) {
          throw new SolidityInputError(`Argument ${e instanceof AbiError ? e.message : e}.`, 'sol-args');
        }
      }
      return {
        solidity: { deployData: c.bytecode + deployArgs, callData },
        contract: { name, ...c },
        fn: fn === CONSTRUCTOR ? null : abiFunction(c.abi, fn),
      };
    },

    /** Wires the form's Solidity controls. */
    bind() {
      $('compile').onclick = async () => {
        try {
          const r = await this.compileForm({ ...this.read() });
          if (r.errors.length) throw new CompileError(r.errors);
          onEdit({ compiled: true });
        } catch (e) { onEdit({ error: e }); }
      };
      $('sol-contract').onchange = () => { renderSelectors({ ...this.read(), fn: null, ctorArgs: [], args: [] }); onEdit({}); };
      $('sol-function').onchange = () => { renderSelectors({ ...this.read(), args: [] }); onEdit({}); };
      for (const id of ['sol-ctor-args', 'sol-args']) $(id).addEventListener('input', () => onEdit({}));
    },
  };
}
