//! Contract webs: two to five contracts of the pre-state, each a random straight-line program
//! of actions, that call one another (and themselves: reentrancy) by every call kind down to a
//! depth the transaction's calldata sets. An action writes or reads a slot (of an existing
//! value, to zero, back to its original), writes or reads transient storage, logs up to 2 kB,
//! probes an account (`BALANCE`, `EXTCODESIZE`, `EXTCODEHASH`), calls another contract of the
//! web or a precompile, pays a new account with the stipend alone, sends an L2→L1 message of
//! up to 4 kB through the messenger hook, creates a child (`CREATE` or `CREATE2`, a salt used
//! twice collides; a constructor that writes and logs, reverts, halts or self-destructs) and
//! calls or probes it (a child whose code self-destructs goes in the transaction that made
//! it). Each program ends returning or reverting what it saw, halting on `INVALID`, running out
//! of gas, stopping, or self-destructing, so everything a frame did is kept or rolled back
//! across frames that kept or rolled back theirs. A web runs in one to three transactions of
//! the block (storage originals, warm accounts and children met again), under generous gas
//! limits, limits from EVM gas alone (native runs out deep in the web) or random ones.
//!
//! Every frame stores what it observed (success flags, return data sizes and their keccak,
//! values read, created addresses), so the return data checks the semantics as well as the
//! cost.

use super::asm::{assemble, op, Item};
use super::case::{CaseTx, PreAccount};
use super::contracts::{deployer, deployer_at, words};
use super::edge_hooks::SEND_TO_L1;
use super::generate::{address_from, at, Builder, Draft};
use alloy_primitives::{Address, B256, U256};
use std::collections::BTreeMap;

/// Where the calldata of a call to the web (the depth left) is built.
const CALL_ARG: u64 = 0x1000;
/// Where a callee's return data is copied (to hash it).
const RETURN_COPY: u64 = 0x1100;
/// Where the last created child's address is kept.
const CHILD: u64 = 0x1f00;
/// Where initcode is built.
const INITCODE: u64 = 0x2000;
/// Where an L2→L1 message call is built.
const MESSAGE: u64 = 0x3000;
/// Start of the memory a log publishes.
const LOG_DATA: u64 = 0x400;
/// The L1 messenger hook.
const MESSENGER: u64 = 0x8008;

/// Whom an action calls or probes.
#[derive(Clone, Copy, Debug)]
enum Target {
    /// Contract `i` of the web (depth-guarded when called).
    Web(usize),
    /// Any other account.
    Other(Address),
}

/// One step of a web contract's program.
#[derive(Clone, Debug)]
enum Act {
    Sstore(u64, [u8; 32]),
    Sload(u64),
    Tstore(u64, u64),
    Tload(u64),
    Log(u8, u64),
    Probe(u8, Target),
    Call(u8, Target, u64, Option<u64>),
    Create(Option<[u8; 32]>, u64, Vec<u8>),
    CallChild(u8, u64),
    ProbeChild(u8),
    Send(Vec<u8>),
}

/// How a web contract's program ends.
#[derive(Clone, Copy, Debug)]
enum End {
    Return,
    Revert,
    Invalid,
    Stop,
    Burn,
    SelfDestruct(Target),
}

impl End {
    fn name(self) -> &'static str {
        match self {
            End::Return => "return",
            End::Revert => "revert",
            End::Invalid => "invalid",
            End::Stop => "stop",
            End::Burn => "out-of-gas",
            End::SelfDestruct(_) => "selfdestruct",
        }
    }
}

fn word_of(address: &Address) -> [u8; 32] {
    B256::left_padding_from(address.as_slice()).0
}

/// Items storing `bytes` (zero-padded to words) at memory `offset`.
fn store_bytes(items: &mut Vec<Item>, offset: u64, bytes: &[u8]) {
    for (i, chunk) in bytes.chunks(32).enumerate() {
        let mut word = [0u8; 32];
        word[..chunk.len()].copy_from_slice(chunk);
        items.extend([
            Item::Word(word),
            Item::Push(offset + 32 * i as u64),
            Item::Op(op::MSTORE),
        ]);
    }
}

/// A unique label for the web's generated code (the assembler takes `&'static str`).
fn label(name: String) -> &'static str {
    Box::leak(name.into_boxed_str())
}

/// The program of one web contract. `web` holds the web's addresses; the stack holds the depth
/// left (calldata word 0) between actions; observation `k` is stored at `32 k`.
fn program(acts: &[Act], end: End, web: &[Address], tag: &str) -> Vec<u8> {
    use Item::*;
    let address = |t: Target| match t {
        Target::Web(i) => word_of(&web[i]),
        Target::Other(a) => word_of(&a),
    };
    let mut items = vec![Push(0), Op(op::CALLDATALOAD)];
    let mut k = 0u64;
    let mut observe = |items: &mut Vec<Item>| {
        items.extend([Push(32 * k), Op(op::MSTORE)]);
        k += 1;
    };
    for (n, act) in acts.iter().enumerate() {
        match act {
            Act::Sstore(slot, value) => items.extend([Word(*value), Push(*slot), Op(op::SSTORE)]),
            Act::Sload(slot) => {
                items.extend([Push(*slot), Op(op::SLOAD)]);
                observe(&mut items);
            }
            Act::Tstore(slot, value) => items.extend([Push(*value), Push(*slot), Op(op::TSTORE)]),
            Act::Tload(slot) => {
                items.extend([Push(*slot), Op(op::TLOAD)]);
                observe(&mut items);
            }
            Act::Log(topics, len) => {
                for t in 0..*topics {
                    items.push(Push(0x70_0000 + u64::from(t)));
                }
                items.extend([Push(*len), Push(LOG_DATA), Op(op::LOG0 + topics)]);
            }
            Act::Probe(opcode, target) => {
                items.extend([Word(address(*target)), Op(*opcode)]);
                observe(&mut items);
            }
            Act::Call(opcode, target, value, gas) => {
                let skip = label(format!("{tag}-skip-{n}"));
                let guarded = matches!(target, Target::Web(_));
                if guarded {
                    items.extend([Op(op::DUP1), Op(op::ISZERO), Label(skip), Op(op::JUMPI)]);
                }
                items.extend([
                    Push(1),
                    Op(op::DUP2),
                    Op(op::SUB),
                    Push(CALL_ARG),
                    Op(op::MSTORE),
                    Push(0),
                    Push(0),
                    Push(32),
                    Push(CALL_ARG),
                ]);
                if matches!(*opcode, op::CALL | op::CALLCODE) {
                    items.push(Push(*value));
                }
                items.push(Word(address(*target)));
                items.push(match gas {
                    Some(g) => Push(*g),
                    None => Op(op::GAS),
                });
                items.push(Op(*opcode));
                observe(&mut items);
                items.extend([Op(op::RETURNDATASIZE)]);
                observe(&mut items);
                items.extend([
                    Op(op::RETURNDATASIZE),
                    Push(0),
                    Push(RETURN_COPY),
                    Op(op::RETURNDATACOPY),
                    Op(op::RETURNDATASIZE),
                    Push(RETURN_COPY),
                    Op(op::KECCAK256),
                ]);
                observe(&mut items);
                if guarded {
                    // An unguarded call leaves the three words as they were.
                    items.push(Dest(skip));
                }
            }
            Act::Create(salt, value, initcode) => {
                store_bytes(&mut items, INITCODE, initcode);
                if let Some(salt) = salt {
                    items.push(Word(*salt));
                }
                items.extend([Push(initcode.len() as u64), Push(INITCODE), Push(*value)]);
                items.push(Op(if salt.is_some() {
                    op::CREATE2
                } else {
                    op::CREATE
                }));
                items.extend([Op(op::DUP1), Push(CHILD), Op(op::MSTORE)]);
                observe(&mut items);
            }
            Act::CallChild(opcode, value) => {
                items.extend([Push(0), Push(0), Push(0), Push(0)]);
                if matches!(*opcode, op::CALL | op::CALLCODE) {
                    items.push(Push(*value));
                }
                items.extend([Push(CHILD), Op(op::MLOAD), Op(op::GAS), Op(*opcode)]);
                observe(&mut items);
            }
            Act::ProbeChild(opcode) => {
                items.extend([Push(CHILD), Op(op::MLOAD), Op(*opcode)]);
                observe(&mut items);
            }
            Act::Send(message) => {
                let mut data = SEND_TO_L1.to_vec();
                data.extend(U256::from(32).to_be_bytes::<32>());
                data.extend(U256::from(message.len()).to_be_bytes::<32>());
                data.extend(message);
                data.resize(4 + 64 + message.len().div_ceil(32) * 32, 0);
                store_bytes(&mut items, MESSAGE, &data);
                items.extend([
                    Push(0),
                    Push(0),
                    Push(data.len() as u64),
                    Push(MESSAGE),
                    Push(0),
                    Push(MESSENGER),
                    Op(op::GAS),
                    Op(op::CALL),
                ]);
                observe(&mut items);
            }
        }
    }
    let size = 32 * k;
    match end {
        End::Return => items.extend([Push(size), Push(0), Op(op::RETURN)]),
        End::Revert => items.extend([Push(size), Push(0), Op(op::REVERT)]),
        End::Invalid => items.push(Op(op::INVALID)),
        End::Stop => items.push(Op(op::STOP)),
        End::Burn => {
            let spin = label(format!("{tag}-spin"));
            items.extend([Dest(spin), Label(spin), Op(op::JUMP)]);
        }
        End::SelfDestruct(to) => items.extend([Word(address(to)), Op(op::SELFDESTRUCT)]),
    }
    assemble(&items)
}

impl Builder<'_> {
    fn web_target(&mut self, web: usize) -> Target {
        match self.rng.below(10) {
            0..=5 => Target::Web(self.rng.below(web as u64) as usize),
            6 => Target::Other(self.fresh_address()),
            7 => Target::Other(address_from(self.rng.range(1, 9))),
            8 => Target::Other(self.rng.pick(&at::HOLDERS)),
            _ => Target::Other(self.params.coinbase),
        }
    }

    /// A child's initcode: a constructor that deploys one of four runtimes (after writing and
    /// logging, or not), reverts, halts, self-destructs or is empty.
    fn web_initcode(&mut self) -> Vec<u8> {
        use Item::*;
        let runtime = match self.rng.below(4) {
            0 => vec![op::STOP],
            1 => vec![op::CALLER, op::SELFDESTRUCT],
            2 => assemble(&[Push(1), Push(0), Op(op::SSTORE)]),
            _ => assemble(&[
                Push(0),
                Op(op::SLOAD),
                Push(0),
                Op(op::MSTORE),
                Push(32),
                Push(0),
            ])
            .into_iter()
            .chain([op::RETURN])
            .collect(),
        };
        match self.rng.below(6) {
            0 => deployer(&runtime),
            1 => {
                let prefix = assemble(&[
                    Push(self.rng.range(1, 5)),
                    Push(0),
                    Op(op::SSTORE),
                    Push(0x77),
                    Push(0),
                    Push(0),
                    Op(op::LOG1),
                ]);
                let mut code = prefix.clone();
                code.extend(deployer_at(&runtime, prefix.len() as u64));
                code
            }
            2 => assemble(&[
                Push(1),
                Push(0),
                Op(op::SSTORE),
                Push(0),
                Push(0),
                Op(op::REVERT),
            ]),
            3 => vec![op::INVALID],
            4 => vec![op::CALLER, op::SELFDESTRUCT],
            _ => Vec::new(),
        }
    }

    fn web_act(&mut self, web: usize, salts: &mut Vec<[u8; 32]>) -> Act {
        let slot = self.rng.below(6);
        match self.rng.below(20) {
            0..=2 => {
                let value = match self.rng.below(4) {
                    0 => [0u8; 32],
                    1 => U256::from(1).to_be_bytes(),
                    _ => self.rng.word(),
                };
                Act::Sstore(slot, value)
            }
            3 => Act::Sload(slot),
            4 => Act::Tstore(slot, self.rng.range(0, 3)),
            5 => Act::Tload(slot),
            6 => Act::Log(self.rng.below(5) as u8, self.rng.pick(&[0, 32, 100, 2_000])),
            7 => {
                let opcode = self
                    .rng
                    .pick(&[op::BALANCE, op::EXTCODESIZE, op::EXTCODEHASH]);
                Act::Probe(opcode, self.web_target(web))
            }
            8..=12 => {
                let opcode = self.rng.pick(&[
                    op::CALL,
                    op::CALL,
                    op::DELEGATECALL,
                    op::STATICCALL,
                    op::CALLCODE,
                ]);
                let value = self.rng.pick(&[0, 0, 1, 1_000_000]);
                let gas = if self.rng.chance(60) {
                    None
                } else {
                    Some(self.rng.pick(&[0, 2_300, 5_000, 30_000, 200_000]))
                };
                Act::Call(
                    opcode,
                    Target::Web(self.rng.below(web as u64) as usize),
                    value,
                    gas,
                )
            }
            13 => {
                let opcode = self.rng.pick(&[op::CALL, op::STATICCALL]);
                Act::Call(opcode, self.web_target(web), self.rng.pick(&[0, 7]), None)
            }
            14 => Act::Call(
                op::CALL,
                Target::Other(self.fresh_address()),
                self.rng.range(1, 100),
                Some(0),
            ),
            15 | 16 => {
                let salt = if self.rng.chance(50) {
                    None
                } else if !salts.is_empty() && self.rng.chance(30) {
                    Some(self.rng.pick(salts))
                } else {
                    let salt = self.rng.word();
                    salts.push(salt);
                    Some(salt)
                };
                let initcode = self.web_initcode();
                Act::Create(salt, self.rng.pick(&[0, 0, 5]), initcode)
            }
            17 => Act::CallChild(
                self.rng.pick(&[op::CALL, op::DELEGATECALL, op::STATICCALL]),
                self.rng.pick(&[0, 3]),
            ),
            18 => Act::ProbeChild(
                self.rng
                    .pick(&[op::EXTCODESIZE, op::EXTCODEHASH, op::BALANCE]),
            ),
            _ => {
                let len = self.rng.pick(&[0, 1, 32, 100, 1_000, 4_000]) as usize;
                Act::Send(self.rng.bytes(len))
            }
        }
    }

    fn web_end(&mut self, web: usize) -> End {
        match self.rng.below(14) {
            0..=5 => End::Return,
            6 | 7 => End::Revert,
            8 => End::Invalid,
            9 => End::Stop,
            10 => End::Burn,
            _ => End::SelfDestruct(self.web_target(web)),
        }
    }

    /// A contract web in the pre-state and one to three transactions calling into it.
    pub(super) fn contract_web(&mut self) -> Vec<CaseTx> {
        let size = self.rng.range(2, 5) as usize;
        let web: Vec<Address> = (0..size).map(|_| self.fresh_address()).collect();
        let mut ends = Vec::new();
        for (i, address) in web.iter().enumerate() {
            let mut salts = Vec::new();
            let count = self.rng.range(2, 8);
            let acts: Vec<Act> = (0..count).map(|_| self.web_act(size, &mut salts)).collect();
            let end = self.web_end(size);
            ends.push(end);
            let code = program(&acts, end, &web, &format!("w{i}"));
            let mut storage = BTreeMap::new();
            for slot in 0..6u64 {
                if self.rng.chance(40) {
                    let value = U256::from(self.rng.range(1, 3));
                    storage.insert(B256::from(U256::from(slot)), B256::from(value));
                }
            }
            let balance = self.rng.pick(&[0u64, 1_000, 1_000_000_000_000]);
            self.pre_state.insert(
                *address,
                PreAccount {
                    balance: U256::from(balance),
                    nonce: 1,
                    code,
                    storage,
                },
            );
        }
        let txs = self.rng.range(1, 3);
        (0..txs)
            .map(|_| {
                let sender = self.rng.below(super::generate::SENDERS) as usize;
                let root = self.rng.below(size as u64) as usize;
                let depth = self.rng.range(0, 4);
                let kind = format!("web:{}-d{depth}", ends[root].name());
                let mut d = Draft::call(&kind, web[root], words(&[depth])).costs(
                    2_000_000,
                    250_000_000,
                    3_000,
                );
                if self.rng.chance(20) {
                    d.value = U256::from(self.rng.range(1, 1_000));
                }
                match self.rng.below(6) {
                    0 => d.gas_only = true,
                    1 => {
                        d.kind.push_str("+random-gas");
                        d.gas_limit = Some(self.rng.range(40_000, 2_000_000));
                    }
                    _ => {}
                }
                self.finish(d, sender)
            })
            .collect()
    }
}
