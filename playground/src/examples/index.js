// The examples library. Each example is a complete playground input (see src/input.js).
// The ERC-20 example is Solidity source, compiled in the page; the other contract examples use
// bytecode compiled at dev time (scripts/compile-examples.js → compiled.json); the loops are
// hand-written in the playground's assembly.

import compiled from './compiled.json' with { type: 'json' };

/** The default sender (an EOA with 10 ETH in every example). */
export const SENDER = '0x1000000000000000000000000000000000000001';
/** The default recipient of transfers. */
export const RECIPIENT = '0x2000000000000000000000000000000000000002';
/** Where the example's code is placed. */
export const CONTRACT = '0x3000000000000000000000000000000000000003';

const ETHER = 10n ** 18n;
const word = (v) => BigInt(v).toString(16).padStart(64, '0');
const addrWord = (a) => a.slice(2).toLowerCase().padStart(64, '0');
const call = (selector, ...words) => '0x' + selector + words.join('');
/** ABI encoding of a single `bytes` argument. */
const bytesArg = (text) => {
  const hex = [...new TextEncoder().encode(text)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return word(32) + word(hex.length / 2) + hex.padEnd(Math.ceil(hex.length / 64) * 64, '0');
};

const senderAccount = { balance: (10n * ETHER).toString() };
const preState = (contract) => JSON.stringify({ [SENDER]: senderAccount, ...contract }, null, 2);
const tokenState = preState({
  [CONTRACT]: { storage: { [compiled.slots.tokenBalanceOfSender]: '0x' + word(1000n * ETHER) } },
});

/**
 * The L1 messenger forwarder zkos installs at 0x8008 at genesis under protocol version 1
 * (core/src/system/genesis.rs: L1_MESSENGER_CODE); the engine's fresh state does not hold it
 * yet, so the example puts it in the pre-state. Under version 2 0x8008 is a system hook and this
 * code never runs.
 */
const L1_MESSENGER = '0x0000000000000000000000000000000000008008';
const L1_MESSENGER_CODE = '0x336000523660006020376000600036602001600060006170015af13d600060003e6028573d6000fd5b3d6000f3';

const STORAGE_LOOP = `; Writes s[i] = i for i = N..1 (N = calldata word 0): one cold SSTORE to a new slot per
; iteration, which is cheap in gas next to what it costs to prove (tree paths).
    PUSH0 CALLDATALOAD        ; [i]
loop:
    JUMPDEST
    DUP1 DUP1 SSTORE          ; s[i] = i
    PUSH1 1 SWAP1 SUB         ; [i-1]
    DUP1 PUSH @loop JUMPI     ; loop while i != 0
    STOP
`;

const KECCAK_LOOP = `; h = keccak256(mem[0..32]); mem[0..32] = h; repeated N times (N = calldata word 0).
    PUSH0 CALLDATALOAD        ; [i]
loop:
    JUMPDEST
    PUSH1 32 PUSH0 KECCAK256  ; [i, h]
    PUSH0 MSTORE              ; mem[0..32] = h
    PUSH1 1 SWAP1 SUB         ; [i-1]
    DUP1 PUSH @loop JUMPI
    PUSH1 32 PUSH0 RETURN     ; return the last hash
`;

/** Default block environment shared by the examples. */
/** Default block environment: at a gas price equal to the base fee, 100 native per gas and 100 native per pubdata byte. */
export const DEFAULT_BLOCK_ENV = {
  number: 1, timestamp: 1_700_000_000, baseFee: '100000000', nativePrice: '1000000',
  pubdataPrice: '100000000', coinbase: '0x0000000000000000000000000000000000c0ffee', gasLimit: '100000000',
};

function example(id, title, about, fields) {
  return {
    id, title, about,
    input: {
      mode: 'tx', code: '', calldata: '0x', value: '0', sender: SENDER, to: CONTRACT,
      gasLimit: '1000000', gasPrice: DEFAULT_BLOCK_ENV.baseFee, accounts: preState({}), block: '',
      source: '', contract: '', fn: '', ctorArgs: [], args: [],
      env: { ...DEFAULT_BLOCK_ENV }, ...fields,
    },
  };
}

/**
 * The block mode's starting point: an ETH transfer and the ERC-20 transfer of the bytecode
 * examples, as one block (the token's account is added to the pre-state when missing).
 */
export const DEFAULT_BLOCK = {
  transactions: [
    { sender: SENDER, to: RECIPIENT, calldata: '0x', value: ETHER.toString(), gasLimit: '21000', gasPrice: DEFAULT_BLOCK_ENV.baseFee },
    { sender: SENDER, to: CONTRACT, calldata: call(compiled.contracts.Token.selectors['transfer(address,uint256)'], addrWord(RECIPIENT), word(100n * ETHER)), value: '0', gasLimit: '200000', gasPrice: DEFAULT_BLOCK_ENV.baseFee },
  ],
  accounts: { [CONTRACT]: { code: compiled.contracts.Token.runtime, storage: { [compiled.slots.tokenBalanceOfSender]: '0x' + word(1000n * ETHER) } } },
};

/** All examples, in menu order; the first is the default. */
export const EXAMPLES = [
  example('erc20', 'ERC-20 transfer (Solidity)', 'Token.sol, compiled in your browser: deployed with 1,000 tokens for the sender, then transfer(recipient, 100 tokens) stepped line by line — two balance slots and a Transfer event.', {
    mode: 'solidity', source: compiled.sources['Token.sol'], contract: 'Token', fn: 'transfer(address,uint256)',
    ctorArgs: ['1000e18'], args: [RECIPIENT, '100e18'], to: '',
  }),
  example('transfer', 'Plain transfer', '1 ETH from an EOA to an EOA: no code runs, only the bootloader phases.', {
    to: RECIPIENT, value: ETHER.toString(), gasLimit: '21000',
  }),
  example('storage-loop', 'Storage-heavy loop', '40 new storage slots written: 22,100 gas each, but three tree paths of native each.', {
    code: STORAGE_LOOP, calldata: '0x' + word(40),
  }),
  example('keccak-loop', 'Keccak loop', '500 chained KECCAK256 of 32 bytes: cheap in gas, a keccak delegation each in native.', {
    code: KECCAK_LOOP, calldata: '0x' + word(500),
  }),
  example('out-of-native', 'Out of native', 'The keccak loop 100,000 times with 1M gas: at 100 native per gas (gas price / native price) the native limit of about 100M runs out long before the gas (each KECCAK256 proves for ~20,000 native but pays 36 gas), and the whole transaction reverts.', {
    code: KECCAK_LOOP, calldata: '0x' + word(100_000),
  }),
  example('l2-l1-message', 'L2→L1 message', 'Messenger.send("hello L1") calls the L1 messenger (0x8008) sendToL1(bytes).', {
    code: compiled.contracts.Messenger.runtime,
    calldata: call(compiled.contracts.Messenger.selectors['send(bytes)'], bytesArg('hello L1')),
    accounts: preState({ [L1_MESSENGER]: { code: L1_MESSENGER_CODE } }),
  }),
  example('erc20-bytecode', 'ERC-20 transfer (bytecode)', 'The same Token.transfer(recipient, 100e18) as deployed bytecode (solc 0.8.37 at dev time), with the balance set in the pre-state.', {
    code: compiled.contracts.Token.runtime,
    calldata: call(compiled.contracts.Token.selectors['transfer(address,uint256)'], addrWord(RECIPIENT), word(100n * ETHER)),
    accounts: tokenState,
  }),
  example('revert', 'Failing call (revert reason)', 'Token.transfer of more than the balance: REVERT with Error("Token: transfer amount exceeds balance").', {
    code: compiled.contracts.Token.runtime,
    calldata: call(compiled.contracts.Token.selectors['transfer(address,uint256)'], addrWord(RECIPIENT), word(2000n * ETHER)),
    accounts: tokenState,
  }),
];

/** The example with `id`, or undefined. */
export function findExample(id) {
  return EXAMPLES.find((e) => e.id === id);
}
