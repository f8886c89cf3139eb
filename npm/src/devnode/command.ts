// `zkos node`: a local ZKsync OS dev node over HTTP, with funded dev accounts.
import { accessSync, constants, existsSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createEngine, createEngineSync } from '../node.js';
import { forkBlockOption } from '../fork/create.js';
import type { Engine } from '../engine.js';
import { ZkosError } from '../errors.js';
import type { EngineOptions } from '../types.js';
import { DERIVATION_PREFIX, TEST_MNEMONIC, checksum } from './accounts.js';
import { DEFAULT_DEV_ACCOUNTS, DEFAULT_DEV_BALANCE_WEI, DevChain } from './dev-chain.js';
import { createDevProvider } from './methods.js';
import { MAX_BATCH_REQUESTS, MAX_BODY_BYTES, MAX_WS_CONNECTIONS, type NodeServer, serve } from './server.js';
import { connectionProvider } from './subscriptions.js';
import { MAX_STATE_BYTES, dumpStateJson, parseState } from './state-file.js';
import { MAX_SET_STATE_BYTES } from './state-budget.js';
import { readTextFile } from '../text-file.js';
import { blobScheduleOption } from './blob-schedule.js';
import { DEFAULT_EVM_TIMEOUT_MS, goDuration, parseGoDuration } from '../timeout.js';

export const NODE_USAGE = `usage: zkos node [options]   (JSON-RPC over HTTP and WebSocket on one port)
  --host H             interface to listen on (default 127.0.0.1: this machine only)
  --port N             port (default 8545; 0: a free one)
  --chain-id N         chain id (default 270)
  --flow zk|ethereum   fee and execution flow (default zk; ethereum with --fork of mainnet,
                       Sepolia, Hoodi or Holesky)
  --hardfork NAME      cancun | prague | osaka (default: the flow's, cancun for zk, osaka for
                       ethereum; with --fork of mainnet, Sepolia, Hoodi or Holesky in the
                       ethereum flow, the fork block's)
  --blob-schedule FILE the chain's blob schedule (EIP-7840) from a JSON file: a geth genesis,
                       its config, or a blobSchedule object; bpoN entries take bpoNTime
  --protocol-version N ZKsync OS protocol version: 2 (default, upstream ZKsync OS) or 1
  --accounts N         funded dev accounts (default ${DEFAULT_DEV_ACCOUNTS})
  --balance ETH        balance of each dev account in ether (default 10000)
  --block-time S       mine a block every S seconds instead of one per transaction
  --history-blocks N   blocks before the head whose state stays readable (eth_call,
                       eth_getBalance, ... at a block number; debug_traceTransaction)
                       (default 128, as geth; at most 1048576)
  --state FILE         load accounts and the head's number and timestamp from FILE at start
                       (if it exists), save them there on exit
  --fork URL           fork the chain at URL (JSON-RPC over HTTP): its state, read as needed
  --fork-block N|HASH  the block to fork, by number or hash (default: its latest); the chain id is the node's
                       unless --chain-id is given
  --fork-verify on|off verify the node's header and eth_getProof answers (default on); off
                       trusts it (chains whose blocks or state trees are not Ethereum's)
  --rpc-gas-cap N      most gas a simulation may use (eth_call, eth_estimateGas, debug_trace*;
                       eth_simulateV1's calls together) (default 50000000, as geth's --rpc.gascap)
  --evm-timeout D      most time a simulation may run (eth_call, eth_estimateGas,
                       eth_simulateV1, debug_trace*), a duration such as 5s or 200ms
                       (default 5s, as geth's --rpc.evmtimeout; 0: no bound)
  --max-set-state-bytes N  most bytes anvil_/hardhat_ setCode, setStorageAt, setBalance
                       and setNonce may write (default ${MAX_SET_STATE_BYTES}, 1 GiB)`;

const WEI_PER_ETHER = 10n ** 18n;
/** Largest `--blob-schedule` file read (a geth genesis with its allocations fits). */
const MAX_BLOB_SCHEDULE_BYTES = 64 * 1024 * 1024;
/** Blocks before the head whose state a node keeps by default: geth's in-memory window (zkos-core's `DEFAULT_HISTORY_BLOCKS`). */
const DEFAULT_HISTORY_BLOCKS = 128n;
/** Most blocks `--history-blocks` may ask for (zkos-core's `MAX_HISTORY_BLOCKS`, 2^20). */
const MAX_HISTORY_BLOCKS = 1 << 20;

interface NodeFlags {
  host: string;
  port: number;
  engine: EngineOptions;
  accounts: number;
  balanceWei: bigint;
  blockTime: number;
  state: string | undefined;
  fork: string | undefined;
  forkBlock: string | undefined;
  forkVerify: boolean | undefined;
  evmTimeoutMs: number;
  maxSetStateBytes: number;
}

function parse(argv: string[]): NodeFlags {
  const flags: Record<string, string> = {};
  const known = ['host', 'port', 'chain-id', 'flow', 'hardfork', 'protocol-version', 'accounts', 'balance', 'block-time', 'history-blocks', 'state', 'fork', 'fork-block', 'fork-verify', 'evm-timeout', 'rpc-gas-cap', 'max-set-state-bytes', 'blob-schedule'];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${JSON.stringify(a)}`);
    const [name, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
    if (!known.includes(name)) throw new Error(`unknown option --${name}`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`--${name} needs a value`);
    flags[name] = value;
  }
  const int = (name: string, fallback: number, max: number): number => {
    const v = flags[name];
    if (v === undefined) return fallback;
    if (!/^\d+$/.test(v) || Number(v) > max) throw new Error(`--${name}: expected an integer from 0 to ${max}`);
    return Number(v);
  };
  const engine: EngineOptions = {};
  if (flags['chain-id'] !== undefined) {
    if (!/^(\d+|0x[0-9a-fA-F]+)$/.test(flags['chain-id'])) throw new Error('--chain-id: expected an integer');
    engine.chainId = flags['chain-id'];
  }
  if (flags.flow !== undefined) engine.flow = flags.flow as EngineOptions['flow'];
  if (flags.hardfork !== undefined) engine.hardfork = flags.hardfork as EngineOptions['hardfork'];
  if (flags['blob-schedule'] !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(readTextFile(flags['blob-schedule'], MAX_BLOB_SCHEDULE_BYTES));
    } catch (e) {
      throw new Error(`--blob-schedule: cannot read ${flags['blob-schedule']} (${(e as Error).message})`);
    }
    engine.blobSchedule = blobScheduleOption(json);
  }
  if (flags['protocol-version'] !== undefined) {
    if (!/^\d+$/.test(flags['protocol-version'])) throw new Error('--protocol-version: expected 1 or 2');
    engine.protocolVersion = Number(flags['protocol-version']) as EngineOptions['protocolVersion'];
  }
  if (flags['rpc-gas-cap'] !== undefined) {
    if (!/^[1-9]\d{0,19}$/.test(flags['rpc-gas-cap'])) throw new Error('--rpc-gas-cap: expected a positive integer');
    engine.rpcGasCap = flags['rpc-gas-cap'];
  }
  engine.historyBlocks = int('history-blocks', Number(DEFAULT_HISTORY_BLOCKS), MAX_HISTORY_BLOCKS);
  let balanceWei = DEFAULT_DEV_BALANCE_WEI;
  if (flags.balance !== undefined) {
    const m = /^(\d{1,40})(?:\.(\d{1,18}))?$/.exec(flags.balance);
    if (m === null) throw new Error('--balance: expected an amount of ether such as 10000 or 0.5');
    balanceWei = BigInt(m[1] as string) * WEI_PER_ETHER + BigInt((m[2] ?? '').padEnd(18, '0'));
  }
  return {
    host: flags.host ?? '127.0.0.1',
    port: int('port', 8545, 65535),
    engine,
    accounts: int('accounts', DEFAULT_DEV_ACCOUNTS, 1000),
    balanceWei,
    blockTime: int('block-time', 0, 86_400),
    state: flags.state,
    fork: flags.fork,
    forkBlock: flags['fork-block'],
    forkVerify: onOff(flags['fork-verify'], '--fork-verify'),
    maxSetStateBytes: int('max-set-state-bytes', MAX_SET_STATE_BYTES, Number.MAX_SAFE_INTEGER),
    evmTimeoutMs: flags['evm-timeout'] === undefined ? DEFAULT_EVM_TIMEOUT_MS : parseGoDuration(flags['evm-timeout'], '--evm-timeout'),
  };
}

/** `on`, `off` or absent. */
export function onOff(value: string | true | undefined, what: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value !== 'on' && value !== 'off') throw new Error(`${what}: expected on or off`);
  return value === 'on';
}

function ether(wei: bigint): string {
  const whole = wei / WEI_PER_ETHER;
  const frac = (wei % WEI_PER_ETHER).toString().padStart(18, '0').replace(/0+$/, '');
  return frac === '' ? whole.toString() : `${whole}.${frac}`;
}

/** Ends the process with `message`: exit code 2 for a usage error, 1 for one of the environment (a busy port, a state that cannot be loaded). */
function fail(message: string, code = 2): never {
  process.stderr.write(`zkos node: ${message}\n`);
  process.exit(code);
}

/**
 * The engine `make` creates; an option it refuses (INVALID_ARGUMENT: a chain id past 2^64, an
 * unknown hardfork, protocol version 3) ends the process as a usage error, as the flags checked
 * here do. Before: `zkos: INVALID_ARGUMENT: ...` and exit 1, as for a busy port.
 */
async function engineOf<T>(make: () => T | Promise<T>): Promise<T> {
  try {
    return await make();
  } catch (e) {
    if (e instanceof ZkosError && e.code === 'INVALID_ARGUMENT') fail(e.message);
    throw e;
  }
}

/** Runs `zkos node` with `argv` (the arguments after `node`) until SIGINT/SIGTERM. */
export async function runNode(argv: string[]): Promise<void> {
  if (argv.includes('--help')) {
    process.stdout.write(NODE_USAGE + '\n');
    return;
  }
  let flags: NodeFlags;
  try {
    flags = parse(argv);
  } catch (e) {
    process.stderr.write(`zkos node: ${(e as Error).message}\n${NODE_USAGE}\n`);
    process.exit(2);
  }
  const started = performance.now();
  const options = { accounts: flags.accounts, balance: flags.balanceWei, blockTime: flags.blockTime, maxSetStateBytes: flags.maxSetStateBytes };
  let chain: DevChain;
  let local: Engine | undefined;
  if (flags.fork === undefined) {
    if (flags.forkBlock !== undefined) fail('--fork-block needs --fork URL');
    if (flags.forkVerify !== undefined) fail('--fork-verify needs --fork URL');
    local = await engineOf(() => createEngineSync(flags.engine));
    chain = new DevChain(local, options);
    if (flags.state !== undefined) {
      // Checked now: a file that cannot be written would lose the state at exit.
      try {
        accessSync(existsSync(flags.state) ? flags.state : dirname(resolve(flags.state)), constants.W_OK);
      } catch (e) {
        fail(`--state: cannot write ${flags.state} (${(e as Error).message})`);
      }
      if (existsSync(flags.state)) {
        let text: string;
        try {
          text = readTextFile(flags.state, MAX_STATE_BYTES);
        } catch (e) {
          fail(`--state: cannot read ${flags.state} (${(e as Error).message})`);
        }
        // A damaged file or one past the set-state budget: a message, not a stack trace.
        try {
          await chain.loadState(parseState(text));
        } catch (e) {
          fail(`--state: cannot load ${flags.state} (${(e as Error).message})`, 1);
        }
      }
    }
  } else {
    if (flags.state !== undefined) fail('--state is not available with --fork');
    const forked = await engineOf(() => createEngine({ ...flags.engine, fork: { url: flags.fork, ...(flags.forkVerify === undefined ? {} : { verify: flags.forkVerify }) }, ...(flags.forkBlock === undefined ? {} : forkBlockOption(flags.forkBlock)) }));
    chain = await DevChain.fork(forked, options);
  }
  const engine = chain.engine;
  const provider = createDevProvider(chain, { evmTimeoutMs: flags.evmTimeoutMs });
  let server: NodeServer;
  try {
    server = await serve(provider, flags.host, flags.port, { connect: (send) => connectionProvider(chain, provider, send) });
  } catch (e) {
    // Before: Node's stack trace of the uncaught EADDRINUSE / ENOTFOUND.
    const why = e as Error & { code?: unknown };
    fail(`cannot listen on ${flags.host}:${flags.port} (${typeof why.code === 'string' ? `${why.code}: ` : ''}${why.message})`, 1);
  }
  const lines = [
    `zkos node: a local ZKsync OS dev node (chain id ${engine.chainId}, flow ${engine.flow}, hardfork ${engine.hardfork}, protocol version ${engine.protocolVersion})`,
    ...(flags.fork === undefined ? [] : [`Forking ${flags.fork} at block ${engine.getBlock('latest')?.number}`]),
    '',
    `Available accounts (${ether(flags.balanceWei)} ETH each)`,
    ...chain.accounts.map((a, i) => `(${i}) ${checksum(a.address)}`),
    '',
    'Private keys (public test keys: never send real funds to them)',
    ...chain.accounts.map((a, i) => `(${i}) ${a.privateKey}`),
    '',
    `Mnemonic: ${TEST_MNEMONIC}`,
    `Derivation path: ${DERIVATION_PREFIX}/i`,
    '',
    flags.blockTime > 0 ? `Mining a block every ${flags.blockTime} s` : 'Automine: each transaction is mined at once in a block of its own',
    `State kept for the head and the ${flags.engine.historyBlocks} blocks before it (--history-blocks)`,
    flags.evmTimeoutMs === 0 ? 'Simulations run without a time bound (--evm-timeout 0)' : `Simulations stop after ${goDuration(flags.evmTimeoutMs)} (--evm-timeout)`,
    `Limits: request body or WebSocket message ${MAX_BODY_BYTES} bytes, batch ${MAX_BATCH_REQUESTS} requests, ${MAX_WS_CONNECTIONS} WebSocket connections, ${flags.maxSetStateBytes} bytes set by anvil_set* (--max-set-state-bytes)`,
    `WebSocket (eth_subscribe) on ${server.wsUrl}`,
    `Started in ${(performance.now() - started).toFixed(0)} ms`,
    `Listening on ${server.url}${flags.host === '127.0.0.1' || flags.host === 'localhost' || flags.host === '::1' ? ' (this machine only; --host 0.0.0.0 to expose it)' : ''}`,
  ];
  const stop = () => {
    let code = 0;
    if (flags.state !== undefined && local !== undefined) {
      try {
        writeFileSync(flags.state, dumpStateJson(local));
      } catch (e) {
        process.stderr.write(`zkos node: cannot write the state to ${flags.state}: ${(e as Error).message}\n`);
        code = 1;
      }
    }
    chain.close();
    void server.close().then(() => process.exit(code));
  };
  // Before the banner: a caller that stops the node as soon as it reads "Listening on" must not
  // find the default handler (a SIGTERM death without the state written; seen under load).
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.stdout.write(lines.join('\n') + '\n');
}
