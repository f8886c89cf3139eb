// eth_simulateV1's traceTransfers: every ether transfer of a call (its own value, and each inner
// CALL, CREATE or SELFDESTRUCT that moves value; DELEGATECALL moves none) reported as an ERC-20
// Transfer log from 0xEeee…EEeE, in execution order among the call's own logs; frames that
// reverted keep neither. (go-ethereum internal/ethapi/logtracer.go has the same convention.)
import type { Engine } from '../engine.js';
import type { Hex } from '../hex.js';
import type { Deadline } from '../timeout.js';
import type { Log } from '../types.js';

/** The pseudo-address transfer logs come from (the ERC-7528 native asset address). */
const TRANSFER_LOG_ADDRESS: Hex = '0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee';
/** keccak256("Transfer(address,address,uint256)"), the ERC-20 Transfer event's topic. */
const TRANSFER_TOPIC: Hex = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';

/** A frame of the callTracer with logs. */
interface Frame {
  type: string;
  from: Hex;
  to?: Hex;
  value?: Hex;
  error?: string;
  calls?: Frame[];
  logs?: (Log & { position?: Hex | number })[];
}

const word = (address: Hex): Hex => `0x${address.slice(2).toLowerCase().padStart(64, '0')}`;

function transfer(from: Hex, to: Hex, value: bigint): Log {
  return { address: TRANSFER_LOG_ADDRESS, topics: [TRANSFER_TOPIC, word(from), word(to)], data: `0x${value.toString(16).padStart(64, '0')}` };
}

/** Appends the logs of `frame` and its subcalls in execution order (a log at `position` p came after p subcalls). */
function walk(frame: Frame, out: Log[]): void {
  if (frame.error !== undefined) return;
  const value = frame.value === undefined ? 0n : BigInt(frame.value);
  if (value > 0n && frame.type !== 'DELEGATECALL' && frame.to !== undefined) out.push(transfer(frame.from, frame.to, value));
  const calls = frame.calls ?? [];
  const logs = frame.logs ?? [];
  let next = 0;
  const logsUpTo = (position: number) => {
    while (next < logs.length && Number((logs[next] as { position?: Hex | number }).position ?? 0) <= position) {
      const { address, topics, data } = logs[next] as Log;
      out.push({ address, topics, data });
      next++;
    }
  };
  calls.forEach((sub, i) => {
    logsUpTo(i);
    walk(sub, out);
  });
  logsUpTo(Number.MAX_SAFE_INTEGER);
}

/**
 * The logs of mined transaction `hash` with its ether transfers among them, in execution order;
 * the trace spends from the simulation's `deadline` (before, it ran unbounded: 1,000 calls of one
 * block, each traced again after the calls before it, held the node for 25.8 s past a 5 s bound).
 */
export function transferLogs(engine: Engine, hash: Hex, deadline: Deadline | undefined): Log[] {
  const root = engine.traceTransaction(hash, { tracer: 'callTracer', tracerConfig: { withLog: true }, deadline }) as Frame;
  const out: Log[] = [];
  walk(root, out);
  return out;
}
