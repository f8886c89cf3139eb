//! Scripts for the edge scenarios: small contracts assembled per transaction, each exercising one
//! corner of the EVM (call kinds and their gas, depth, contract creation, SELFDESTRUCT, transient
//! storage, memory, environment reads, storage write patterns, logs). Most return what they saw
//! (success flags, return data sizes, gas left, values read), so the comparison of return data
//! checks the semantics as well as the cost.

use super::asm::{assemble, op, Item};
use alloy_primitives::{keccak256, Address, B256};

/// A word push of an address.
fn address_word(address: &Address) -> Item {
    Item::Word(address.into_word().0)
}

/// Stores the top of the stack at memory `slot × 32`.
fn save(slot: u64) -> [Item; 2] {
    [Item::Push(slot * 32), Item::Op(op::MSTORE)]
}

/// Returns memory `0 .. words × 32`.
fn return_words(words: u64) -> [Item; 3] {
    [Item::Push(words * 32), Item::Push(0), Item::Op(op::RETURN)]
}

/// Copies the whole calldata to memory `at`.
fn calldata_to(at: u64) -> [Item; 4] {
    [
        Item::Op(op::CALLDATASIZE),
        Item::Push(0),
        Item::Push(at),
        Item::Op(op::CALLDATACOPY),
    ]
}

/// Memory offset where the call scripts place the callee's return data.
const CALL_RETURN_AT: u64 = 128;

/// How a call script calls.
#[derive(Clone, Debug)]
pub struct CallPlan {
    /// `CALL`, `CALLCODE`, `DELEGATECALL` or `STATICCALL`.
    pub opcode: u8,
    /// The callee.
    pub target: Address,
    /// Wei sent (`CALL` and `CALLCODE` only).
    pub value: u64,
    /// Gas passed on; `None` passes `GAS` (all but 1/64 by EIP-150).
    pub gas: Option<u64>,
    /// Bytes of return data copied by the call itself.
    pub ret_size: u64,
    /// A `RETURNDATACOPY` of (offset, length) after the call (past the end halts the frame).
    pub copy: Option<(u64, u64)>,
}

/// Calls per `plan` with the script's calldata as input and returns `[ok, RETURNDATASIZE, GAS
/// after the call, 0]` followed by the copied return data and the `RETURNDATACOPY` bytes.
pub fn caller(plan: &CallPlan) -> Vec<u8> {
    use Item::*;
    let mut items = calldata_to(0).to_vec();
    items.extend([
        Push(plan.ret_size),
        Push(CALL_RETURN_AT),
        Op(op::CALLDATASIZE),
        Push(0),
    ]);
    if matches!(plan.opcode, op::CALL | op::CALLCODE) {
        items.push(Push(plan.value));
    }
    items.push(address_word(&plan.target));
    items.push(match plan.gas {
        Some(gas) => Push(gas),
        None => Op(op::GAS),
    });
    items.push(Op(plan.opcode));
    items.extend(save(0));
    items.push(Op(op::RETURNDATASIZE));
    items.extend(save(1));
    items.push(Op(op::GAS));
    items.extend(save(2));
    let mut end = CALL_RETURN_AT + plan.ret_size;
    if let Some((offset, len)) = plan.copy {
        items.extend([Push(len), Push(offset), Push(end), Op(op::RETURNDATACOPY)]);
        end += len;
    }
    items.extend([Push(end), Push(0), Op(op::RETURN)]);
    assemble(&items)
}

/// `calldata = depth`: calls itself with `depth − 1` and all gas until depth 0, which returns
/// 0xbeef; each frame returns `[child's first word, ok]`. The bottom first writes 0xbeef to
/// slot 0, which runs out of gas in a deep recursion (its storage native spent all the same).
pub fn recursive() -> Vec<u8> {
    use Item::*;
    let mut items = vec![
        Push(0),
        Op(op::CALLDATALOAD),
        Op(op::DUP1),
        Op(op::ISZERO),
        Label("bottom"),
        Op(op::JUMPI),
        Push(1),
        Op(op::SWAP1),
        Op(op::SUB),
    ];
    items.extend(save(0));
    items.extend([
        Push(32),
        Push(0),
        Push(32),
        Push(0),
        Push(0),
        Op(op::ADDRESS),
        Op(op::GAS),
        Op(op::CALL),
    ]);
    items.extend(save(1));
    items.extend(return_words(2));
    items.extend([
        Dest("bottom"),
        Push(0xbeef),
        Push(0),
        Op(op::SSTORE),
        Push(0xbeef),
    ]);
    items.extend(save(0));
    items.extend(return_words(2));
    assemble(&items)
}

/// How a create script creates.
#[derive(Clone, Debug)]
pub struct CreatePlan {
    /// `Some(salt)` for `CREATE2`, `None` for `CREATE`.
    pub salt: Option<B256>,
    /// Wei endowed.
    pub value: u64,
    /// Create twice with the same initcode (for `CREATE2`, a collision).
    pub twice: bool,
}

/// Memory offset where the create script keeps the initcode, above the words it returns (so
/// a second `CREATE` runs the same initcode).
const INITCODE_AT: u64 = 7 * 32;

fn create_items(plan: &CreatePlan, first_slot: u64) -> Vec<Item> {
    use Item::*;
    let mut items = Vec::new();
    if let Some(salt) = plan.salt {
        items.push(Word(salt.0));
    }
    items.extend([Op(op::CALLDATASIZE), Push(INITCODE_AT), Push(plan.value)]);
    items.push(Op(if plan.salt.is_some() {
        op::CREATE2
    } else {
        op::CREATE
    }));
    items.extend(save(first_slot));
    items.push(Op(op::RETURNDATASIZE));
    items.extend(save(first_slot + 1));
    items
}

/// `calldata = initcode`: creates per `plan` and returns `[address, RETURNDATASIZE]` (twice
/// when it creates twice, the same initcode each time; else followed by `[0, 0]`), then the
/// code size and code hash of the first address and its own balance.
pub fn creator(plan: &CreatePlan) -> Vec<u8> {
    use Item::*;
    let mut items = calldata_to(INITCODE_AT).to_vec();
    items.extend(create_items(plan, 0));
    if plan.twice {
        items.extend(create_items(plan, 2));
    }
    items.extend([Push(0), Op(op::MLOAD), Op(op::EXTCODESIZE)]);
    items.extend(save(4));
    items.extend([Push(0), Op(op::MLOAD), Op(op::EXTCODEHASH)]);
    items.extend(save(5));
    items.push(Op(op::SELFBALANCE));
    items.extend(save(6));
    items.extend(return_words(7));
    assemble(&items)
}

/// The address `CREATE2` from `deployer` with `salt` and `initcode` yields (EIP-1014).
pub fn create2_address(deployer: &Address, salt: &B256, initcode: &[u8]) -> Address {
    let mut preimage = vec![0xff];
    preimage.extend_from_slice(deployer.as_slice());
    preimage.extend_from_slice(salt.as_slice());
    preimage.extend_from_slice(keccak256(initcode).as_slice());
    Address::from_slice(&keccak256(preimage)[12..])
}

/// Initcode that reverts with `data_len` bytes of memory.
pub fn reverting_initcode(data_len: u64) -> Vec<u8> {
    use Item::*;
    assemble(&[Push(data_len), Push(0), Op(op::REVERT)])
}

/// Initcode that writes `slots` slots, emits one log, then deploys `runtime`.
pub fn writing_initcode(slots: u64, runtime: &[u8]) -> Vec<u8> {
    use Item::*;
    let mut items = Vec::new();
    for slot in 0..slots {
        items.extend([Push(slot + 1), Push(slot), Op(op::SSTORE)]);
    }
    items.extend([Op(op::CALLER), Push(0), Push(0), Op(op::LOG1)]);
    let mut code = assemble(&items);
    let prefix_len = code.len() as u64;
    code.extend(super::contracts::deployer_at(runtime, prefix_len));
    code
}

/// Initcode that creates a child deploying `runtime` and then deploys a one-byte `STOP`.
pub fn nesting_initcode(runtime: &[u8]) -> Vec<u8> {
    use Item::*;
    let child = super::contracts::deployer(runtime);
    let mut items = Vec::new();
    for (i, chunk) in child.chunks(32).enumerate() {
        let mut word = [0u8; 32];
        word[..chunk.len()].copy_from_slice(chunk);
        items.extend([Word(word), Push(i as u64 * 32), Op(op::MSTORE)]);
    }
    items.extend([
        Push(child.len() as u64),
        Push(0),
        Push(0),
        Op(op::CREATE),
        Op(op::POP),
        Push(1),
        Push(0),
        Op(op::RETURN),
    ]);
    assemble(&items)
}

/// Self-destructs to `beneficiary`.
pub fn selfdestructor(beneficiary: &Address) -> Vec<u8> {
    assemble(&[address_word(beneficiary), Item::Op(op::SELFDESTRUCT)])
}

/// Calls `victim` (which self-destructs) with `gas` (`None`: all) and returns `[ok,
/// EXTCODESIZE(victim), BALANCE(victim), EXTCODEHASH(victim), SELFBALANCE]`.
pub fn selfdestruct_prober(victim: &Address, gas: Option<u64>) -> Vec<u8> {
    use Item::*;
    let mut items = vec![
        Push(0),
        Push(0),
        Push(0),
        Push(0),
        Push(0),
        address_word(victim),
        gas.map_or(Op(op::GAS), Push),
        Op(op::CALL),
    ];
    items.extend(save(0));
    for (slot, read) in [(1, op::EXTCODESIZE), (2, op::BALANCE), (3, op::EXTCODEHASH)] {
        items.extend([address_word(victim), Op(read)]);
        items.extend(save(slot));
    }
    items.push(Op(op::SELFBALANCE));
    items.extend(save(4));
    items.extend(return_words(5));
    assemble(&items)
}

/// With empty calldata: `TSTORE(1, a)`, calls itself (`sub_reverts` picks whether the sub-frame
/// reverts), then returns `[ok, returned word, TLOAD(1), TLOAD(2)]`; with calldata (the
/// sub-frame): returns or reverts with `TLOAD(1)` after `TSTORE(1, b)` and `TSTORE(2, c)`. A
/// `static_sub` sub-call is a `STATICCALL`, where `TSTORE` halts.
pub fn transient(sub_reverts: bool, static_sub: bool) -> Vec<u8> {
    use Item::*;
    let mut items = vec![
        Op(op::CALLDATASIZE),
        Label("sub"),
        Op(op::JUMPI),
        Push(0xaa),
        Push(1),
        Op(op::TSTORE),
        Push(1),
        Push(0),
        Op(op::MSTORE8),
        Push(32),
        Push(32),
        Push(1),
        Push(0),
    ];
    if !static_sub {
        items.push(Push(0));
    }
    items.extend([
        Op(op::ADDRESS),
        Op(op::GAS),
        Op(if static_sub { op::STATICCALL } else { op::CALL }),
    ]);
    items.extend(save(0));
    items.extend([Push(1), Op(op::TLOAD)]);
    items.extend(save(2));
    items.extend([Push(2), Op(op::TLOAD)]);
    items.extend(save(3));
    items.extend(return_words(4));
    items.extend([Dest("sub"), Push(1), Op(op::TLOAD)]);
    items.extend(save(0));
    items.extend([
        Push(0xbb),
        Push(1),
        Op(op::TSTORE),
        Push(0xcc),
        Push(2),
        Op(op::TSTORE),
        Push(32),
        Push(0),
        Op(if sub_reverts { op::REVERT } else { op::RETURN }),
    ]);
    assemble(&items)
}

/// Writes byte 1 at memory `far`, `MCOPY`s `len` bytes from `src` to `dst`, and returns the
/// memory size and the keccak of memory `0 .. 64`.
pub fn memory(far: u64, dst: u64, src: u64, len: u64) -> Vec<u8> {
    use Item::*;
    let mut items = calldata_to(0).to_vec();
    items.extend([
        Push(1),
        Push(far),
        Op(op::MSTORE8),
        Push(len),
        Push(src),
        Push(dst),
        Op(op::MCOPY),
        Push(64),
        Push(0),
        Op(op::KECCAK256),
        Op(op::MSIZE),
    ]);
    items.extend(save(1));
    items.extend(save(0));
    items.extend(return_words(2));
    assemble(&items)
}

/// Returns the environment (block, transaction and frame values, `BLOCKHASH` of the current,
/// the next, the first and a too old block, blob opcodes) and `BALANCE`, `EXTCODESIZE`, `EXTCODEHASH` and the keccak of 64
/// bytes of `EXTCODECOPY` of each of `probes`.
pub fn environment(probes: &[Address]) -> Vec<u8> {
    use Item::*;
    let mut reads: Vec<Vec<Item>> = [
        op::ADDRESS,
        op::ORIGIN,
        op::CALLER,
        op::CALLVALUE,
        op::GASPRICE,
        op::COINBASE,
        op::TIMESTAMP,
        op::NUMBER,
        op::PREVRANDAO,
        op::GASLIMIT,
        op::CHAINID,
        op::SELFBALANCE,
        op::BASEFEE,
        op::BLOBBASEFEE,
        op::CODESIZE,
        op::CALLDATASIZE,
    ]
    .iter()
    .map(|code| vec![Op(*code)])
    .collect();
    reads.push(vec![Push(0), Op(op::BLOBHASH)]);
    reads.push(vec![
        Push(1),
        Op(op::NUMBER),
        Op(op::ADD),
        Op(op::BLOCKHASH),
    ]);
    reads.push(vec![Op(op::NUMBER), Op(op::BLOCKHASH)]);
    reads.push(vec![Push(0), Op(op::BLOCKHASH)]);
    reads.push(vec![
        Push(257),
        Op(op::NUMBER),
        Op(op::SUB),
        Op(op::BLOCKHASH),
    ]);
    for probe in probes {
        for read in [op::BALANCE, op::EXTCODESIZE, op::EXTCODEHASH] {
            reads.push(vec![address_word(probe), Op(read)]);
        }
        reads.push(vec![
            Push(64),
            Push(0),
            Push(0x10000),
            address_word(probe),
            Op(op::EXTCODECOPY),
            Push(64),
            Push(0x10000),
            Op(op::KECCAK256),
        ]);
    }
    let mut items = Vec::new();
    let count = reads.len() as u64;
    for (slot, read) in reads.into_iter().enumerate() {
        items.extend(read);
        items.extend(save(slot as u64));
    }
    items.extend(return_words(count));
    assemble(&items)
}

/// One storage operation of [`storage_plan`].
#[derive(Clone, Copy, Debug)]
pub struct Write {
    /// Slot written.
    pub slot: u64,
    /// Value written.
    pub value: u64,
}

/// With empty calldata: applies `before`, calls itself with one byte of calldata (the sub-frame
/// applies `inner`, then reverts when `inner_reverts`), applies `after`, and returns
/// `[ok, SLOAD(0)]`.
pub fn storage_plan(
    before: &[Write],
    inner: &[Write],
    inner_reverts: bool,
    after: &[Write],
) -> Vec<u8> {
    use Item::*;
    let writes = |list: &[Write]| -> Vec<Item> {
        list.iter()
            .flat_map(|w| [Push(w.value), Push(w.slot), Op(op::SSTORE)])
            .collect()
    };
    let mut items = vec![Op(op::CALLDATASIZE), Label("sub"), Op(op::JUMPI)];
    items.extend(writes(before));
    items.extend([
        Push(0),
        Push(0),
        Push(1),
        Push(0),
        Push(0),
        Op(op::ADDRESS),
        Op(op::GAS),
        Op(op::CALL),
    ]);
    items.extend(save(0));
    items.extend(writes(after));
    items.extend([Push(0), Op(op::SLOAD)]);
    items.extend(save(1));
    items.extend(return_words(2));
    items.push(Dest("sub"));
    items.extend(writes(inner));
    items.extend([
        Push(0),
        Push(0),
        Op(if inner_reverts {
            op::REVERT
        } else {
            op::RETURN
        }),
    ]);
    assemble(&items)
}

/// One log of [`many_logs`]: its topic count (0..=4) and data length.
#[derive(Clone, Copy, Debug)]
pub struct LogShape {
    /// Topics.
    pub topics: u8,
    /// Data bytes (taken from memory, which holds the calldata).
    pub len: u64,
}

/// Emits one log per shape, topics derived from the shape's index, data from the calldata.
pub fn many_logs(shapes: &[LogShape]) -> Vec<u8> {
    use Item::*;
    let mut items = calldata_to(0).to_vec();
    for (i, shape) in shapes.iter().enumerate() {
        for t in 0..shape.topics {
            items.push(Push(((i as u64) << 8) | u64::from(t)));
        }
        items.extend([Push(shape.len), Push(0), Op(op::LOG0 + shape.topics)]);
    }
    items.push(Op(op::STOP));
    assemble(&items)
}
