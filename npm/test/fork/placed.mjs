// The ERC-20 fixture placed on the test node through its own API (no deployment): two balances
// for anvil's first two dev accounts, then a mined block. Shared by the fault and browser tests.
import { ERC20_RUNTIME, erc20BalanceSlot } from '../fixtures/erc20.mjs';

/** anvil's first two dev accounts. */
export const A = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';
export const B = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8';
/** Where the token is placed. */
export const TOKEN = '0x100000000000000000000000000000000000e20c';
/** Token balances placed for A and B. */
export const BALANCE_A = 900n;
export const BALANCE_B = 100n;

/** A quantity as a 32-byte word. */
export const word = (n) => '0x' + BigInt(n).toString(16).padStart(64, '0');

/** An ERC-20 transfer's working set: sender, recipient, token, the two balance slots. */
export const TRANSFER_KEYS = [
  { kind: 'account', address: A },
  { kind: 'account', address: B },
  { kind: 'account', address: TOKEN },
  { kind: 'storage', address: TOKEN, slot: erc20BalanceSlot(A) },
  { kind: 'storage', address: TOKEN, slot: erc20BalanceSlot(B) },
];

/** Places the token on `node` and mines `blocks` blocks over it. */
export async function placeToken(node, blocks = 1) {
  await node.rpc('anvil_setCode', [TOKEN, ERC20_RUNTIME]);
  await node.rpc('anvil_setStorageAt', [TOKEN, erc20BalanceSlot(A), word(BALANCE_A)]);
  await node.rpc('anvil_setStorageAt', [TOKEN, erc20BalanceSlot(B), word(BALANCE_B)]);
  await node.rpc('anvil_mine', ['0x' + blocks.toString(16)]);
}
