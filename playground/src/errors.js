// Errors in plain language: what the engine refused (by its stable reason), what solc
// reported, and what the form holds, each as a sentence with the form control to fix.

/** Labels of the form controls errors point at. */
const LABELS = {
  sender: 'Sender', to: 'To', value: 'Value', gasLimit: 'Gas limit', gasPrice: 'Gas price', calldata: 'Calldata',
  code: 'Code', accounts: 'Pre-state', env: 'Block environment', block: 'Transactions of the block', source: 'Solidity source',
  forkUrl: 'RPC URL', forkTx: 'Transaction hash', 'sol-args': 'Arguments', 'sol-ctor-args': 'Constructor arguments', protocolVersion: 'Protocol', flow: 'Flow', hardfork: 'Hardfork',
};

/** The form control an input error's field names (`tx.gasLimit`, `block[2].sender` → `gasLimit`, `block`). */
export function controlOf(field) {
  if (!field) return null;
  if (field.startsWith('block[')) return 'block';
  return field.replace(/^tx\./, '');
}

/** The label of a form control, for messages. */
export function labelOf(control) {
  return LABELS[control] ?? control;
}

const fmt = (n) => Number(n).toLocaleString('en-US');
/** The numbers in an engine message, in order. */
const numbers = (message) => [...String(message).matchAll(/\d+/g)].map((m) => m[0]);

/**
 * Why the engine refused a transaction, by its reason (the rule's stable name), as
 * `{message, field}`. The engine's own message supplies the figures where the sentence needs
 * them; an unknown reason falls back to that message.
 */
const INVALID = {
  IntrinsicGasTooLow: (m) => {
    const [limit, intrinsic] = numbers(m);
    return intrinsic
      ? [`The gas limit (${fmt(limit)}) does not cover the transaction's intrinsic gas (${fmt(intrinsic)}: the base cost of every transaction plus its calldata). Raise the gas limit to at least ${fmt(intrinsic)}.`, 'gasLimit']
      : ['The gas limit does not cover the transaction\'s intrinsic gas (the base cost of every transaction plus its calldata). Raise the gas limit.', 'gasLimit'];
  },
  FloorGasTooLow: (m) => {
    const [limit, floor] = numbers(m);
    return [`The gas limit${limit ? ` (${fmt(limit)})` : ''} is below the calldata floor${floor ? ` of ${fmt(floor)}` : ''} (EIP-7623, from Prague). Raise the gas limit.`, 'gasLimit'];
  },
  GasLimitAboveBlock: (m) => {
    const [limit, available] = numbers(m);
    return [`The gas limit${limit ? ` (${fmt(limit)})` : ''} is more than the block allows${available ? ` (${fmt(available)})` : ''}. Lower the gas limit, or raise gasLimit in the block environment.`, 'gasLimit'];
  },
  GasLimitAboveCap: () => ['The gas limit is above the per-transaction cap of EIP-7825. Lower the gas limit.', 'gasLimit'],
  NonceTooLow: () => ['The transaction\'s nonce is below the sender\'s nonce. Lower the sender\'s nonce in the pre-state.', 'accounts'],
  NonceTooHigh: () => ['The transaction\'s nonce is above the sender\'s nonce. Raise the sender\'s nonce in the pre-state.', 'accounts'],
  NonceMax: () => ['The sender\'s nonce is at its maximum. Lower it in the pre-state.', 'accounts'],
  SenderHasCode: () => ['The sender has code, and only accounts without code can send transactions (EIP-3607). Pick another sender, or remove its code from the pre-state.', 'sender'],
  InsufficientFunds: () => ['The sender cannot pay gas limit × gas price plus the value. Lower the value, the gas limit or the gas price, or give the sender more balance in the pre-state.', 'value'],
  FeeCapBelowBaseFee: () => ['The gas price is below the block\'s base fee. Raise the gas price to at least baseFee in the block environment.', 'gasPrice'],
  PriorityFeeAboveFeeCap: () => ['The priority fee is above the fee cap. Lower the priority fee.', 'gasPrice'],
  InitcodeTooLarge: () => ['The deployment\'s init code is larger than EIP-3860 allows. Make the contract smaller.', 'code'],
  OutOfNativeInValidation: () => ['What the transaction buys in native (gas limit × native per gas) does not even cover its intrinsic native and pubdata. Raise the gas limit or the gas price.', 'gasLimit'],
  BlockGasLimitReached: () => ['The block has no gas left for this transaction. Raise gasLimit in the block environment, or lower the transactions\' gas limits.', 'env'],
  BlockNativeLimitReached: () => ['The block\'s computational native limit would be exceeded. Move work to another block.', 'block'],
  BlockPubdataLimitReached: () => ['The block\'s pubdata limit would be exceeded. Move state changes to another block.', 'block'],
  BlockL2ToL1LogLimitReached: () => ['The block holds no more L2→L1 logs. Send fewer messages in this block.', 'block'],
  ChainIdMismatch: () => ['The transaction is signed for another chain id.', 'block'],
  TypeNotSupported: () => ['This transaction type is not enabled under the chosen hardfork. Pick another hardfork.', 'hardfork'],
};

/**
 * An engine error (`{code, reason, message}`) as `{message, field}`. `tx` is the transaction's
 * index in a block (null for a single transaction): the field is then the block's JSON.
 */
export function explainEngineError(error, tx = null) {
  const rule = error?.reason ? INVALID[error.reason] : null;
  let [message, field] = rule ? rule(error.message ?? '') : [`The engine refused the transaction: ${stripPrefix(error?.message)}.`, null];
  if (tx !== null) {
    message = `Transaction ${tx}: ${message}`;
    field = field && ['env', 'accounts', 'hardfork'].includes(field) ? field : 'block';
  }
  return { message, field };
}

/** An engine message without its "invalid transaction:" prefix. */
function stripPrefix(message) {
  return String(message ?? 'unknown error').replace(/^invalid transaction:\s*/i, '').replace(/\.$/, '');
}

/** Kinds of solc diagnostics in words. */
const SOLC_KINDS = {
  ParserError: 'syntax error', DocstringParsingError: 'comment error', SyntaxError: 'syntax error',
  DeclarationError: 'unknown or duplicate name', TypeError: 'type error', UnimplementedFeatureError: 'not supported by solc',
  CompilerError: 'compiler error', InternalCompilerError: 'compiler error', JSONError: 'input error', IOError: 'input error',
};

/** solc's errors (see src/solidity/compiler.js) as `{message, field: 'source', line}`. */
export function explainCompileErrors(errors) {
  const lines = errors.slice(0, 3).map((e) => {
    const where = e.line ? `Line ${e.line}, column ${e.column}` : 'Contract';
    return `${where}: ${e.message.replace(/\.$/, '')} (${SOLC_KINDS[e.kind] ?? e.kind}).`;
  });
  if (errors.length > 3) lines.push(`… and ${errors.length - 3} more.`);
  return { message: `The contract does not compile. ${lines.join(' ')}`, field: 'source', line: errors[0]?.line ?? null };
}

/** An input error (src/input.js InputError: "field: message") as `{message, field}`. */
export function explainInputError(e) {
  const control = controlOf(e.field);
  const where = e.field?.startsWith('block[') ? `Transaction ${e.field.slice(6, e.field.indexOf(']'))} of the block` : labelOf(control);
  const text = String(e.message).replace(/^[^:]*:\s*/, '');
  return { message: `${where}: ${text}.`.replace(/\.\.$/, '.'), field: control };
}
