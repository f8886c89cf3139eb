// The signed EIP-1559 envelope of a dev account's transaction (EIP-2718 type 2):
// 0x02 ‖ rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gas, to, value, data,
// accessList, yParity, r, s]), signed over keccak(0x02 ‖ rlp(the first nine fields)).
import { type Hex, bytesToHex, hexToBytes } from '../hex.js';
import { keccak, signDigest } from './accounts.js';

/** An RLP item: bytes or a list of items. */
type Rlp = Uint8Array | Rlp[];

/** The fields of a type-2 transaction, filled. */
export interface Eip1559Fields {
  chainId: bigint;
  nonce: bigint;
  maxPriorityFeePerGas: bigint;
  maxFeePerGas: bigint;
  gas: bigint;
  to: Hex | null;
  value: bigint;
  data: Hex;
  accessList: { address: Hex; storageKeys: Hex[] }[];
}

function length(n: number, short: number): Uint8Array {
  if (n < 56) return new Uint8Array([short + n]);
  const digits = n.toString(16);
  const bytes = hexToBytes(`0x${digits.length % 2 ? '0' : ''}${digits}`);
  return new Uint8Array([short + 55 + bytes.length, ...bytes]);
}

function encode(item: Rlp): Uint8Array {
  if (item instanceof Uint8Array) {
    if (item.length === 1 && (item[0] as number) < 0x80) return item;
    return new Uint8Array([...length(item.length, 0x80), ...item]);
  }
  const body = item.map(encode);
  const size = body.reduce((n, b) => n + b.length, 0);
  const out = new Uint8Array([...length(size, 0xc0), ...new Uint8Array(size)]);
  let at = out.length - size;
  for (const b of body) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

/** A quantity as RLP bytes: big-endian, no leading zeros (zero is empty). */
function int(v: bigint): Uint8Array {
  if (v === 0n) return new Uint8Array();
  const digits = v.toString(16);
  return hexToBytes(`0x${digits.length % 2 ? '0' : ''}${digits}`);
}

function fieldList(f: Eip1559Fields): Rlp[] {
  return [
    int(f.chainId),
    int(f.nonce),
    int(f.maxPriorityFeePerGas),
    int(f.maxFeePerGas),
    int(f.gas),
    f.to === null ? new Uint8Array() : hexToBytes(f.to),
    int(f.value),
    hexToBytes(f.data),
    f.accessList.map((e) => [hexToBytes(e.address), e.storageKeys.map(hexToBytes)]),
  ];
}

/** The raw signed envelope of `fields` signed with `privateKey`. */
export function signEip1559(fields: Eip1559Fields, privateKey: Hex): Hex {
  const list = fieldList(fields);
  const digest = keccak(new Uint8Array([0x02, ...encode(list)]));
  const { r, s, yParity } = signDigest(privateKey, digest);
  return bytesToHex(new Uint8Array([0x02, ...encode([...list, int(BigInt(yParity)), int(r), int(s)])]));
}
