//! A slot written to zero keeps its leaf in the state tree, so a later block reads and writes it
//! as an existing slot, as upstream does: its tree has no deletion (the snapshot's
//! `tests/rig/src/chain.rs` inserts every block's storage write into `cold_storage` and the
//! tree, zeros included) and its forward source answers `is_new_storage_slot` by whether the
//! key has a leaf (`forward_system/src/run/oracle.rs`, `InitialStorageSlotDataIterator`), not
//! by the value.

use super::*;

/// `calldata = slot ‖ value`: `SSTORE(slot, value)`; `calldata = slot`: returns `SLOAD(slot)`.
/// `CALLDATASIZE PUSH1 64 EQ PUSH1 16 JUMPI PUSH0 CALLDATALOAD SLOAD PUSH0 MSTORE PUSH1 32
/// PUSH0 RETURN JUMPDEST PUSH1 32 CALLDATALOAD PUSH0 CALLDATALOAD SSTORE STOP`.
const STORE_OR_LOAD: [u8; 24] = hex!("366040146010575f35545f5260205ff35b6020355f355500");

/// Native of a cold read of a slot absent from the tree less that of one present (two Merkle
/// paths against one: `MERKLE_PATH_NATIVE`).
const ABSENT_READ_EXTRA: u64 = 121_120;

fn word(value: u64) -> [u8; 32] {
    U256::from(value).to_be_bytes()
}

/// Runs one transaction from the sender (nonce `nonce`) to [`CONTRACT`] with `data` as a block
/// of its own and returns its computational native.
fn block_native(engine: &mut Engine, nonce: u64, data: &[u8]) -> u64 {
    let raw = signed_raw(nonce, Some(CONTRACT), 200_000, data);
    let report = engine
        .run_block(&[BlockTx::Raw(raw)], None)
        .expect("the block runs");
    let receipt = &report.receipts[0];
    assert!(receipt.status, "transaction {nonce} succeeds");
    receipt.computational_native_used
}

fn store(engine: &mut Engine, nonce: u64, slot: u64, value: u64) -> u64 {
    let mut data = word(slot).to_vec();
    data.extend_from_slice(&word(value));
    block_native(engine, nonce, &data)
}

fn load(engine: &mut Engine, nonce: u64, slot: u64) -> u64 {
    block_native(engine, nonce, &word(slot))
}

fn engine_with_store_or_load() -> Engine {
    let mut engine = zk_engine_at(FeeParams::default(), ProtocolVersion::V2);
    engine
        .set_account(
            CONTRACT,
            AccountInput {
                code: Bytes::from_static(&STORE_OR_LOAD),
                ..Default::default()
            },
        )
        .expect("stored");
    engine
}

/// Slot 3 is written to 5 and then to zero in two blocks; a third block's read of it costs
/// what a read of slot 4 (written to 5, still 5) costs, not what a never-written slot 9 costs;
/// and writing it again costs what writing slot 4 again costs. zkos had dropped the zeroed
/// slot from its state, so it read as absent: 121,120 native more for the read.
#[test]
fn a_slot_zeroed_in_an_earlier_block_reads_as_present() {
    let mut engine = engine_with_store_or_load();
    store(&mut engine, 0, 3, 5);
    store(&mut engine, 1, 4, 5);
    store(&mut engine, 2, 3, 0);
    assert_eq!(engine.get_storage(&CONTRACT, &U256::from(3u64)), U256::ZERO);
    let zeroed = load(&mut engine, 3, 3);
    let present = load(&mut engine, 4, 4);
    let never = load(&mut engine, 5, 9);
    assert_eq!(zeroed, present);
    assert_eq!(never - present, ABSENT_READ_EXTRA);
    let rewrite_zeroed = store(&mut engine, 6, 3, 7);
    let rewrite_present = store(&mut engine, 7, 4, 7);
    assert_eq!(rewrite_zeroed, rewrite_present);
}

/// A zero set through `set_storage` on a slot without a leaf stores nothing: the slot stays
/// absent (the tree inserts no leaf for a zero), as one never written.
#[test]
fn a_zero_set_on_an_absent_slot_stays_absent() {
    let mut engine = engine_with_store_or_load();
    engine.set_storage(CONTRACT, U256::from(3u64), U256::ZERO);
    let zero_set = load(&mut engine, 0, 3);
    let never = load(&mut engine, 1, 9);
    assert_eq!(zero_set, never);
}
