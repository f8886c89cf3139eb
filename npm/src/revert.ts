import type { Hex } from './hex.js';

/** A decoded revert reason. */
export type RevertReason =
  | { kind: 'Error'; message: string }
  | { kind: 'Panic'; code: bigint; message: string }
  | { kind: 'Custom'; selector: Hex; data: Hex };

const ERROR_SELECTOR = '08c379a0'; // keccak256("Error(string)")[0..4]
const PANIC_SELECTOR = '4e487b71'; // keccak256("Panic(uint256)")[0..4]

const PANIC_MESSAGES: Record<number, string> = {
  0x00: 'generic panic',
  0x01: 'assertion failed',
  0x11: 'arithmetic underflow or overflow',
  0x12: 'division or modulo by zero',
  0x21: 'invalid enum value',
  0x22: 'invalid storage byte array encoding',
  0x31: 'pop on empty array',
  0x32: 'array index out of bounds',
  0x41: 'out of memory',
  0x51: 'call to a zero-initialized function pointer',
};

/** Decodes Solidity revert data: `Error(string)`, `Panic(uint256)`, or any other selector as `Custom`. */
export function decodeRevert(data: Hex): RevertReason | undefined {
  const body = data.slice(2);
  if (body.length < 8) return undefined;
  const selector = body.slice(0, 8);
  const args = body.slice(8);
  if (selector === ERROR_SELECTOR) {
    const message = decodeAbiString(args);
    if (message !== undefined) return { kind: 'Error', message };
  } else if (selector === PANIC_SELECTOR && args.length === 64) {
    const code = BigInt('0x' + args);
    const known = code < 0x100n ? PANIC_MESSAGES[Number(code)] : undefined;
    return { kind: 'Panic', code, message: known ?? `panic 0x${code.toString(16)}` };
  }
  return { kind: 'Custom', selector: ('0x' + selector) as Hex, data };
}

/** A one-line text for a revert: `reverted: <message>`, `panic: …`, or the raw selector. */
export function revertMessage(data: Hex): string {
  const r = decodeRevert(data);
  if (r === undefined) return 'execution reverted';
  if (r.kind === 'Error') return `execution reverted: ${r.message}`;
  if (r.kind === 'Panic') return `execution reverted: panic: ${r.message} (0x${r.code.toString(16)})`;
  return `execution reverted: custom error ${r.selector}`;
}

function decodeAbiString(args: string): string | undefined {
  if (args.length < 128) return undefined;
  const offset = BigInt('0x' + args.slice(0, 64));
  if (offset > BigInt(args.length / 2)) return undefined;
  const at = Number(offset) * 2;
  if (args.length < at + 64) return undefined;
  const len = BigInt('0x' + args.slice(at, at + 64));
  if (len > BigInt((args.length - at - 64) / 2)) return undefined;
  const hex = args.slice(at + 64, at + 64 + Number(len) * 2);
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}
