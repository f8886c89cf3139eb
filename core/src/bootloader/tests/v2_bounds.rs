//! Protocol version 2 (upstream ZKsync OS) at the resource boundaries the oracle differential's
//! boundary transactions (`tests/src/oracle_diff/edge_bounds.rs`: gas limits at exactly what a
//! transaction needs, one less, one more) found. The figures were measured on the oracle
//! (`tests/oracle-vectors/` holds the block).

use super::{context, encoded, receipt, state, Key, CHAIN_ID, ETHER};
use crate::bootloader::{run_block, BlockOutput, BlockTransaction};
use crate::config::{ChainConfig, ProtocolVersion};
use crate::context::BlockContext;
use crate::ee::evm::NoopTracer;
use crate::io::{InMemoryState, Io};
use crate::primitives::{Address, Bytes, U256};
use crate::resources::native::NativeCostTable;
use alloc::rc::Rc;
use alloc::vec;
use alloc::vec::Vec;

/// Runs `txs` as one block of protocol version 2 at native price 100 (10 native per gas at the
/// test transactions' price of 1,000) with free pubdata, over `state`.
fn run_v2(state: &mut InMemoryState, txs: Vec<Bytes>) -> BlockOutput {
    let mut io = Io::new(
        state,
        Rc::new(NativeCostTable::for_version(ProtocolVersion::V2)),
    );
    let block = BlockContext {
        native_price: U256::from(100u64),
        pubdata_price: U256::ZERO,
        ..context()
    };
    let txs: Vec<BlockTransaction> = txs.into_iter().map(encoded).collect();
    run_block(
        &mut io,
        &ChainConfig::zk_at(CHAIN_ID, ProtocolVersion::V2),
        &block,
        txs.iter().map(BlockTransaction::decode),
        &mut NoopTracer,
    )
}

/// modexp's input of 1-byte base and exponent and a 1-byte modulus: 200 gas, whose native with
/// the modulus rounded up to 32 bytes is 200 × 300 = 60,000.
fn small_modexp_input() -> Vec<u8> {
    let mut input = vec![0u8; 96];
    input[31] = 1;
    input[63] = 1;
    input[95] = 1;
    input.extend_from_slice(&[3, 5, 7]);
    input
}

/// The native used and success of `bob`'s transaction to `to` with `data` at `gas`, after a
/// transfer of `alice`'s (so the coinbase is warm), in a fresh state holding `code` at `to`.
fn second_tx(to: Address, code: &[u8], data: &[u8], gas: u64) -> (u64, bool) {
    let (alice, bob) = (Key::new(0x71), Key::new(0x72));
    let mut state = state(&[alice.address, bob.address], U256::from(ETHER));
    if !code.is_empty() {
        state.set_account(to, 1, U256::ZERO, Bytes::copy_from_slice(code));
    }
    let transfer = alice.tx(
        0,
        Some(Address::repeat_byte(0x77)),
        U256::from(1u64),
        &[],
        100_000,
    );
    let call = bob.tx(0, Some(to), U256::ZERO, data, gas);
    let output = run_v2(&mut state, vec![transfer, call]);
    let r = receipt(&output, 1);
    (r.native_used, r.success)
}

/// modexp first checks that its call holds its minimal cost, 200 gas and that gas's native
/// (60,000), and answers out of gas when either is short (upstream
/// `basic_system/src/system_functions/modexp/mod.rs`: `has_enough(&minimal_resources)` returns
/// an out-of-ergs error, which the precompile hook turns into a failed call,
/// `system_hooks/src/precompiles.rs`). It is not out of native: the transaction keeps the native
/// it spent, the callee's read included, where zkos had dropped all of execution's native
/// (block 5852013101684473704: 254,240 native short).
#[test]
fn modexp_short_of_its_minimal_native_fails_out_of_gas() {
    let precompile = Address::with_last_byte(0x05);
    let input = small_modexp_input();
    let (full, ok) = second_tx(precompile, &[], &input, 500_000);
    assert!(ok);
    // 30,000 native left at modexp: short of its 60,000.
    let (short, ok) = second_tx(precompile, &[], &input, (full - 30_000) / 10);
    assert!(!ok);
    assert_eq!(short, full - 60_000);
    // Left with less than the callee's read, the transaction runs out of native before the
    // call and drops execution's native (the read's 254,240 with it).
    let (starved, ok) = second_tx(precompile, &[], &input, (full - 300_000) / 10);
    assert!(!ok);
    assert!(starved < short - 250_000, "{starved} {short}");
}

/// From a frame, the same short modexp is a failed call that consumed the gas it was given
/// (63/64 of the frame's), and the frame goes on: here it then runs out of gas in its
/// `SSTORE`, a revert that keeps the native spent. zkos had ended the transaction out of
/// native, dropping it.
#[test]
fn a_frame_goes_on_after_a_modexp_short_of_its_minimal_native() {
    let caller = Address::repeat_byte(0x6c);
    // CALLDATACOPY the input; CALL(gas, 0x05, 0, 0, size, 0, 0); SSTORE(1, result + 1).
    let code = [
        0x36, 0x5f, 0x5f, 0x37, 0x5f, 0x5f, 0x36, 0x5f, 0x5f, 0x60, 0x05, 0x5a, 0xf1, 0x60, 0x01,
        0x01, 0x60, 0x01, 0x55, 0x00,
    ];
    let input = small_modexp_input();
    let (full, ok) = second_tx(caller, &code, &input, 500_000);
    assert!(ok);
    // Short of everything: out of native before the call, execution's native dropped.
    let (starved, ok) = second_tx(caller, &code, &input, 90_000);
    assert!(!ok);
    // Between, every limit fails; those that leave modexp short of its native keep what the
    // transaction spent (upstream: 1,173,957 of 1,601,017 for the same frames, 783,771 when
    // starved), the others drop it.
    let failed: Vec<u64> = (90_000..full / 10)
        .step_by(1_000)
        .map(|gas| second_tx(caller, &code, &input, gas))
        .filter(|(_, ok)| !ok)
        .map(|(native, _)| native)
        .collect();
    let kept = failed.iter().filter(|n| **n > starved).count();
    assert!(kept >= 3, "{kept} of {} failures kept native", failed.len());
    assert!(failed
        .iter()
        .all(|n| *n == starved || *n > starved + 250_000));
}
