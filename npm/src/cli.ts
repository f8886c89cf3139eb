#!/usr/bin/env node
// The `zkos` command line: run a block, estimate a transaction, trace a transaction.
import { onOff, runNode } from './devnode/command.js';
import { ZkosError } from './errors.js';
import { toJson } from './json.js';
import { STRUCT_LOG_FLAGS } from './shapes.js';
import { readTextFile } from './text-file.js';
import { createEngine, createEngineSync, type Engine, type EngineOptions, type ForkedEngine, type TraceOptions, type TracerName } from './node.js';
import { forkBlockOption } from './fork/create.js';
import type { AccountInput, BlockInput, StateOverride, TxRequest } from './types.js';

const USAGE = `usage:
  zkos run <block.json>                        run one block (or a list of blocks) and print the results
  zkos estimate <tx.json>                      estimate gas (with native and pubdata breakdown)
  zkos call <tx.json>                          simulate a transaction without changing state
  zkos trace <tx.json> [--tracer NAME] [--tracer-config JSON]
                                               trace: eip3155 | structLogs | callTracer | prestateTracer | opcodeStats;
                                               JSON: the tracer's config, and structLogs' flags
                                               (enableMemory, disableStack, disableStorage, enableReturnData)
  zkos call|estimate|trace <tx.json> --fork URL [--fork-block N|HASH] [--fork-verify on|off]
                                               the same on a fork of the chain at URL (JSON-RPC), at
                                               block N (default: its latest); off trusts the node's
                                               answers (default on: header and proofs verified)
  zkos node [--host H] [--port N] [--accounts N] ...
                                               a local dev node over HTTP (zkos node --help)
options:
  --chain-id N  --flow zk|ethereum  --hardfork cancun|prague|osaka  --protocol-version N
                                               override the file's "chain" section (the hardfork
                                               defaults to the flow's: cancun for zk, osaka for ethereum;
                                               the protocol version to 2, upstream ZKsync OS, in the zk
                                               flow, 1 selects the 2026 cost model; ethereum runs 1)
  --no-progress                                never draw the progress bar
files (JSON; quantities as numbers, decimal strings or 0x-hex; bytes as 0x-hex):
  block.json: { "chain"?: {...}, "preState"?: { addr: { balance, nonce, code, storage } },
                "blocks"?: [block...] | "number"?, "timestamp"?, "baseFee"?, "gasLimit"?, "coinbase"?,
                "transactions": [ "0x<signed raw tx>" | { from, to, data, value, gas, ... } ] }
  tx.json:    { "chain"?: {...}, "preState"?: {...}, "tx": { from, to, data, value, gas, ... },
                "stateOverride"?: {...} }`;

interface ChainFile {
  chain?: EngineOptions;
  preState?: Record<string, AccountInput>;
}

function fail(message: string, code = 2): never {
  process.stderr.write(`zkos: ${message}\n`);
  process.exit(code);
}

function readJson(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readTextFile(path);
  } catch (e) {
    return fail(`cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    const v = JSON.parse(text) as unknown;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(`${path}: expected a JSON object`);
    return v as Record<string, unknown>;
  } catch (e) {
    return fail(`${path}: ${(e as Error).message}`);
  }
}

/** A progress bar on stderr, drawn only when stderr is a TTY. */
class Progress {
  private readonly enabled: boolean;
  private drawn = false;
  constructor(private readonly total: number, private readonly label: string, allowed: boolean) {
    this.enabled = allowed && total > 1 && process.stderr.isTTY === true;
  }
  update(done: number): void {
    if (!this.enabled) return;
    const width = 30;
    const filled = Math.round((done / this.total) * width);
    process.stderr.write(`\r${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${this.total}`);
    this.drawn = true;
  }
  end(): void {
    if (this.drawn) process.stderr.write('\n');
  }
}

/** The options each command takes (any other is refused: a mistyped option silently ignored gave another run than asked). */
const CHAIN_FLAGS = ['chain-id', 'flow', 'hardfork', 'protocol-version', 'no-progress', 'help'];
const FORK_FLAGS = ['fork', 'fork-block', 'fork-verify'];
const COMMAND_FLAGS: Readonly<Record<string, readonly string[]>> = {
  run: CHAIN_FLAGS,
  estimate: [...CHAIN_FLAGS, ...FORK_FLAGS],
  call: [...CHAIN_FLAGS, ...FORK_FLAGS],
  trace: [...CHAIN_FLAGS, ...FORK_FLAGS, 'tracer', 'tracer-config'],
};

function parseArgs(argv: string[]) {
  const positional: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a.startsWith('--')) {
      const [name, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
      if (name === 'no-progress' || name === 'help') flags[name] = true;
      else if (inline !== undefined) flags[name] = inline;
      else {
        const next = argv[++i];
        if (next === undefined) fail(`--${name} needs a value`);
        flags[name] = next;
      }
    } else positional.push(a);
  }
  return { positional, flags };
}

function chainOf(file: ChainFile, flags: Record<string, string | true>, path: string): EngineOptions {
  // Checked: a number or boolean spread as no options (the chain of the defaults, silently), a
  // string or list as options named "0", "1", ...
  const given: unknown = file.chain;
  if (given !== undefined && given !== null && (typeof given !== 'object' || Array.isArray(given))) fail(`${path}: "chain" must be an object of engine options`);
  const chain: EngineOptions = { ...(file.chain ?? {}) };
  if (typeof flags['chain-id'] === 'string') chain.chainId = flags['chain-id'];
  if (typeof flags.flow === 'string') chain.flow = flags.flow as EngineOptions['flow'];
  if (typeof flags.hardfork === 'string') chain.hardfork = flags.hardfork as EngineOptions['hardfork'];
  if (typeof flags['protocol-version'] === 'string') chain.protocolVersion = Number(flags['protocol-version']) as EngineOptions['protocolVersion'];
  return chain;
}

function engineFor(file: ChainFile, flags: Record<string, string | true>, path: string): Engine {
  const engine = createEngineSync(chainOf(file, flags, path));
  for (const [address, account] of preStateOf(file, path)) engine.setAccount(address as `0x${string}`, account);
  return engine;
}

/** The engine of call, estimate and trace: local, or with `--fork URL [--fork-block N]` a fork of that chain. */
async function simulatorFor(file: ChainFile, flags: Record<string, string | true>, path: string): Promise<Engine | ForkedEngine> {
  if (flags.fork === undefined) {
    if (flags['fork-block'] !== undefined) fail('--fork-block needs --fork URL');
    if (flags['fork-verify'] !== undefined) fail('--fork-verify needs --fork URL');
    return engineFor(file, flags, path);
  }
  if (typeof flags.fork !== 'string') fail('--fork needs a URL');
  const block = flags['fork-block'];
  let verify: boolean | undefined;
  try {
    verify = onOff(flags['fork-verify'], '--fork-verify');
  } catch (e) {
    fail((e as Error).message);
  }
  const fork = { url: flags.fork, ...(verify === undefined ? {} : { verify }) };
  const engine = await createEngine({ ...chainOf(file, flags, path), fork, ...(typeof block === 'string' ? forkBlockOption(block) : {}) });
  for (const [address, account] of preStateOf(file, path)) await engine.setAccount(address as `0x${string}`, account);
  return engine;
}

/** The file's `preState` (absent or null: none), checked to be an object of accounts. */
function preStateOf(file: ChainFile, path: string): [string, AccountInput][] {
  const pre: unknown = file.preState;
  if (pre === undefined || pre === null) return [];
  if (typeof pre !== 'object' || Array.isArray(pre)) fail(`${path}: "preState" must be an object of accounts`);
  return Object.entries(pre as Record<string, AccountInput>);
}

function txFile(path: string): ChainFile & { tx: TxRequest; stateOverride?: StateOverride } {
  const file = readJson(path) as ChainFile & { tx?: TxRequest; stateOverride?: StateOverride };
  if (file.tx === undefined || file.tx === null || typeof file.tx !== 'object') fail(`${path}: missing "tx" object`);
  return file as ChainFile & { tx: TxRequest; stateOverride?: StateOverride };
}

async function main(argv: string[]): Promise<void> {
  const { positional, flags } = parseArgs(argv);
  const [command, path] = positional;
  if (flags.help === true || command === undefined || command === 'help') {
    process.stdout.write(USAGE + '\n');
    return;
  }
  const known = Object.hasOwn(COMMAND_FLAGS, command) ? COMMAND_FLAGS[command] : undefined;
  if (known === undefined) fail(`unknown command ${JSON.stringify(command)}\n${USAGE}`);
  for (const name of Object.keys(flags)) if (!known.includes(name)) fail(`${command}: unknown option --${name}\n${USAGE}`);
  if (path === undefined) fail(`${command}: missing file argument\n${USAGE}`);
  if (positional.length > 2) fail(`${command}: one file argument, got ${positional.length - 1}`);
  const progressAllowed = flags['no-progress'] !== true;
  switch (command) {
    case 'run': {
      const file = readJson(path) as unknown as ChainFile & BlockInput & { blocks?: BlockInput[] };
      const engine = engineFor(file, flags, path);
      // "blocks" of another type was run as the file's own block (the blocks it meant: none).
      if (file.blocks !== undefined && file.blocks !== null && !Array.isArray(file.blocks)) fail(`${path}: "blocks" must be a list of blocks`);
      const blocks: BlockInput[] = Array.isArray(file.blocks) ? file.blocks : [file];
      const notBlock = blocks.findIndex((b: unknown) => b === null || typeof b !== 'object' || Array.isArray(b));
      if (notBlock >= 0) fail(`${path}: blocks[${notBlock}] must be an object`);
      const progress = new Progress(blocks.length, 'blocks', progressAllowed);
      const results = [];
      for (const [i, block] of blocks.entries()) {
        const { chain: _c, preState: _p, blocks: _b, ...input } = block as BlockInput & ChainFile & { blocks?: unknown };
        results.push(engine.runBlock(input as BlockInput));
        progress.update(i + 1);
      }
      progress.end();
      process.stdout.write(toJson(Array.isArray(file.blocks) ? results : results[0]) + '\n');
      return;
    }
    case 'estimate': {
      const file = txFile(path);
      const engine = await simulatorFor(file, flags, path);
      process.stdout.write(toJson(await engine.estimateGas(file.tx, { stateOverride: file.stateOverride })) + '\n');
      return;
    }
    case 'call': {
      const file = txFile(path);
      const engine = await simulatorFor(file, flags, path);
      process.stdout.write(toJson(await engine.call(file.tx, { stateOverride: file.stateOverride })) + '\n');
      return;
    }
    case 'trace': {
      const file = txFile(path);
      const engine = await simulatorFor(file, flags, path);
      const tracer = (typeof flags.tracer === 'string' ? flags.tracer : 'callTracer') as TracerName;
      let tracerConfig: Record<string, unknown> | undefined;
      if (typeof flags['tracer-config'] === 'string') {
        try {
          tracerConfig = JSON.parse(flags['tracer-config']) as Record<string, unknown>;
        } catch (e) {
          fail(`--tracer-config: ${(e as Error).message}`);
        }
      }
      // The structLogs flags (enableMemory, ...) have no flag of their own: --tracer-config carries them too.
      const structFlags = tracerConfig !== null && typeof tracerConfig === 'object' ? Object.fromEntries(STRUCT_LOG_FLAGS.filter((k) => k in tracerConfig).map((k) => [k, tracerConfig[k]])) : {};
      const options: TraceOptions = { tracer, tracerConfig, ...structFlags, stateOverride: file.stateOverride };
      const out = await engine.trace(file.tx, options);
      // EIP-3155 is JSON lines; everything else one JSON document.
      if (tracer === 'eip3155' && Array.isArray(out)) process.stdout.write(out.map((l) => toJson(l, 0)).join('\n') + '\n');
      else process.stdout.write(toJson(out) + '\n');
      return;
    }
    default:
      fail(`unknown command ${JSON.stringify(command)}\n${USAGE}`);
  }
}

try {
  const argv = process.argv.slice(2);
  if (argv[0] === 'node') await runNode(argv.slice(1));
  else await main(argv);
} catch (e) {
  if (e instanceof ZkosError) {
    process.stderr.write(`zkos: ${e.code}: ${e.message}\n`);
    if (e.data !== undefined) process.stderr.write(`data: ${toJson(e.data, 0)}\n`);
    process.exit(1);
  }
  throw e;
}
