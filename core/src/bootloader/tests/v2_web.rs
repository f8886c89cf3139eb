//! Protocol version 2 (upstream ZKsync OS) on what the oracle differential's contract webs
//! (`tests/src/oracle_diff/edge_web.rs`: contracts calling one another, most frames short of
//! gas after a failed child took 63/64 of it) found. Each test compares two transactions that
//! differ in one operand, so the figure is upstream's alone; the oracle gives the same for the
//! same frames (`tests/oracle-vectors/` holds the blocks).

use super::{context, encoded, receipt, state, Key, CHAIN_ID, ETHER};
use crate::bootloader::{run_block, BlockOutput, BlockTransaction};
use crate::config::{ChainConfig, ProtocolVersion};
use crate::ee::evm::NoopTracer;
use crate::io::{InMemoryState, Io};
use crate::primitives::{Address, Bytes, U256};
use crate::resources::native::NativeCostTable;
use alloc::rc::Rc;
use alloc::vec;
use alloc::vec::Vec;

/// A contract that calls `callee` once per `(word, gas)` of `calls`, with the word as calldata
/// and that gas, then stops.
fn calling_code(callee: Address, calls: &[(u8, u16)]) -> Vec<u8> {
    let mut code = Vec::new();
    for (word, gas) in calls {
        // PUSH1 word, PUSH0, MSTORE; CALL(gas, callee, 0, 0, 32, 0, 0); POP.
        code.extend_from_slice(&[0x60, *word, 0x5f, 0x52, 0x5f, 0x5f, 0x60, 0x20, 0x5f, 0x5f]);
        code.push(0x73);
        code.extend_from_slice(callee.as_slice());
        code.push(0x61);
        code.extend_from_slice(&gas.to_be_bytes());
        code.extend_from_slice(&[0xf1, 0x50]);
    }
    code.push(0x00);
    code
}

/// Runs `txs` as one block of protocol version 2 over `state`.
fn run_v2_block(state: &mut InMemoryState, txs: Vec<Bytes>) -> BlockOutput {
    let mut io = Io::new(
        state,
        Rc::new(NativeCostTable::for_version(ProtocolVersion::V2)),
    );
    let txs: Vec<BlockTransaction> = txs.into_iter().map(encoded).collect();
    run_block(
        &mut io,
        &ChainConfig::zk_at(CHAIN_ID, ProtocolVersion::V2),
        &context(),
        txs.iter().map(BlockTransaction::decode),
        &mut NoopTracer,
    )
}

/// The computational native of a transaction calling a contract that makes `calls` into a
/// contract holding `callee_code` (and no storage).
fn calls_native(callee_code: &[u8], calls: &[(u8, u16)]) -> u64 {
    let alice = Key::new(0x61);
    let (outer, callee) = (Address::repeat_byte(0x6a), Address::repeat_byte(0x6b));
    let mut state = state(&[alice.address], U256::from(ETHER));
    state.set_account(outer, 1, U256::ZERO, calling_code(callee, calls).into());
    state.set_account(callee, 1, U256::ZERO, Bytes::copy_from_slice(callee_code));
    let tx = alice.tx(0, Some(outer), U256::ZERO, &[], 1_000_000);
    let output = run_v2_block(&mut state, vec![tx]);
    let r = receipt(&output, 0);
    assert!(r.success);
    r.computational_native_used
}

/// `SLOAD` of an absent slot in a frame with gas for the warm read but not the cold one:
/// upstream (`storage_cache.rs::materialize_element`) has charged the whole read's native, but
/// the slot never entered the block's cache, so reading it again with gas pays the absent
/// slot's first read again (242,240), as reading any other absent slot would. zkos had kept the
/// slot as read and charged the second read 121,120 (block 11568602306927549559 of seed 103's
/// contract webs: 121,120 native short, and 242,240 for two such slots).
#[test]
fn an_sload_short_of_the_cold_gas_leaves_the_slot_unread() {
    // PUSH0, CALLDATALOAD, SLOAD, STOP: 1,000 gas pays the pushes and the warm read only.
    let reader = [0x5f, 0x35, 0x54, 0x00];
    let same = calls_native(&reader, &[(1, 1_000), (1, 50_000)]);
    let other = calls_native(&reader, &[(2, 1_000), (1, 50_000)]);
    assert_eq!(same, other);
}

/// A factory that creates, with `CREATE2` (salt 0) and the calldata word as value, a child
/// whose constructor sets slot `CALLVALUE` to 1 and whose code self-destructs to its caller,
/// then calls the child: the child goes at the end of the transaction that made it.
const REBORN_FACTORY: [u8; 41] = [
    0x5f, 0x35, 0x60, 0x11, 0x60, 0x18, 0x5f, 0x39, 0x5f, 0x60, 0x11, 0x5f, 0x83, 0xf5, 0x5f, 0x5f,
    0x5f, 0x5f, 0x5f, 0x85, 0x5a, 0xf1, 0x50, 0x00, // initcode from here (24)
    0x60, 0x01, 0x34, 0x55, 0x60, 0x02, 0x80, 0x60, 0x0f, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3, 0x33,
    0xff,
];

/// The computational native of the second of two transactions calling [`REBORN_FACTORY`] with
/// the words `first` and `second`.
fn reborn_native(first: u8, second: u8) -> u64 {
    let alice = Key::new(0x62);
    let factory = Address::repeat_byte(0x6c);
    let mut state = state(&[alice.address], U256::from(ETHER));
    state.set_account(
        factory,
        1,
        U256::from(10),
        Bytes::from_static(&REBORN_FACTORY),
    );
    let word = |w: u8| {
        let mut data = [0u8; 32];
        data[31] = w;
        data
    };
    let txs = [
        alice.tx(0, Some(factory), U256::ZERO, &word(first), 1_000_000),
        alice.tx(1, Some(factory), U256::ZERO, &word(second), 1_000_000),
    ];
    let output = run_v2_block(&mut state, txs.into());
    assert!(receipt(&output, 0).success && receipt(&output, 1).success);
    receipt(&output, 1).computational_native_used
}

/// A child created and self-destructed in one transaction, then created again at the same
/// address in the next: upstream zeroes and unsets every cached slot of the deleted account
/// (`account_cache.rs::finish_tx`, `storage_cache.rs::clear_state_impl`), so the reborn
/// constructor's write of a slot the first life wrote pays a new slot's write extra (120,800),
/// as a write of a slot it never wrote does; only the read differs, 121,120 for the slot still
/// in the block's cache against 242,240 for one never read. zkos had priced the write as an
/// existing slot's (50,560): 70,240 native short (block 14300391730145342032 of seed 103's
/// contract webs).
#[test]
fn a_slot_of_an_account_deleted_at_birth_is_new_again() {
    assert_eq!(reborn_native(2, 1) - reborn_native(1, 1), 242_240 - 121_120);
}
