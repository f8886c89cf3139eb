//! Protocol version 2 (upstream ZKsync OS) on bytecode preimages. Codes that differ only in
//! zero bytes at the end of their last 8-byte word have one preimage upstream (its cache is
//! keyed by the blake2s hash of the padded code, `api/src/helpers.rs::set_properties_code`),
//! hashed once a block: the oracle charges a call into `0x6001600000` 1,140 native less after a
//! call into `0x60016000` in the same block.
//!
//! Accounts whose code is an EIP-7702 delegation designator (`0xef0100 ‖ address`), which the production build stores as a delegation
//! without a jumpdest bitmap (`pectra` off: a call runs the designator itself, whose 0xef
//! halts). Only a frame that runs such code builds the missing bitmap (6 native per padded
//! byte); reading the code without running it (`EXTCODECOPY`, a call refused before its frame)
//! fetches the preimage alone, as for any other code of that length. The oracle's figures:
//! an `EXTCODECOPY` of 64 bytes of a designator and of 23 bytes of plain code both cost
//! 1,277,436 native in one transaction, and a `CALL` refused for its value costs the same for
//! either callee.

use super::{context, receipt, state, Key, ETHER};
use crate::bootloader::{run_block, BlockTransaction};
use crate::config::{ChainConfig, ProtocolVersion};
use crate::io::{InMemoryState, Io};
use crate::primitives::{Address, Bytes, U256};
use crate::resources::native::NativeCostTable;
use alloc::rc::Rc;
use alloc::vec;
use alloc::vec::Vec;

/// The account the scripts read: a designator, or plain code of the same length.
const TARGET: Address = Address::repeat_byte(0x7d);

/// A designator delegating to 0x7e…7e, or (`plain`) the same bytes with 0xfe in place of 0xef.
fn target_code(plain: bool) -> Bytes {
    let mut code = vec![if plain { 0xfe } else { 0xef }, 0x01, 0x00];
    code.extend_from_slice(Address::repeat_byte(0x7e).as_slice());
    Bytes::from(code)
}

/// The computational native of a transaction calling `script` over a state that holds
/// [`TARGET`] with [`target_code`] (`plain` or a designator).
fn script_native(script: Vec<u8>, plain: bool) -> u64 {
    let alice = Key::new(0x56);
    let outer = Address::repeat_byte(0x7a);
    let mut state = state(&[alice.address], U256::from(ETHER));
    state.set_account(outer, 1, U256::from(100u64), script.into());
    state.set_account(TARGET, 1, U256::from(5u64), target_code(plain));
    let tx = alice.tx(0, Some(outer), U256::ZERO, &[], 300_000);
    v2_block_native(&mut state, vec![tx], 0)
}

/// Runs `txs` (encoded) as one version 2 block over `state`; the computational native of
/// transaction `index`.
fn v2_block_native(state: &mut InMemoryState, txs: Vec<Bytes>, index: usize) -> u64 {
    let mut io = Io::new(
        state,
        Rc::new(NativeCostTable::for_version(ProtocolVersion::V2)),
    );
    let block: Vec<_> = txs.into_iter().map(BlockTransaction::Encoded).collect();
    let output = run_block(
        &mut io,
        &ChainConfig::zk_at(super::CHAIN_ID, ProtocolVersion::V2),
        &context(),
        block.iter().map(BlockTransaction::decode),
        &mut crate::ee::evm::NoopTracer,
    );
    receipt(&output, index).computational_native_used
}

/// `PUSH20 TARGET`.
fn push_target() -> Vec<u8> {
    let mut code = vec![0x73];
    code.extend_from_slice(TARGET.as_slice());
    code
}

/// `EXTCODECOPY(TARGET, 0, 0, 64)` fetches the designator's preimage without analysing it
/// (upstream `evm_interpreter/src/instructions/host.rs::extcodecopy` reads the bytecode
/// through `io_subsystem.rs::get_observable_bytecode`); zkos charged the 144 native of the
/// analysis a frame pays.
#[test]
fn copying_a_designator_does_not_analyse_it() {
    // PUSH1 64, PUSH0, PUSH0, PUSH20 TARGET, EXTCODECOPY, STOP.
    let mut script = vec![0x60, 0x40, 0x5f, 0x5f];
    script.extend(push_target());
    script.extend([0x3c, 0x00]);
    assert_eq!(
        script_native(script.clone(), false),
        script_native(script, true)
    );
}

/// A `CALL` carrying more value than the caller holds is refused after the callee's properties
/// and code were read (upstream `runner.rs::read_callee_account_properties`), with no frame:
/// a designator costs what plain code of its length does.
#[test]
fn a_refused_call_into_a_designator_does_not_analyse_it() {
    // CALL(GAS, TARGET, 1,000, 0, 0, 0, 0) from a script holding 100 wei, then STOP.
    let mut script = vec![0x5f, 0x5f, 0x5f, 0x5f, 0x61, 0x03, 0xe8];
    script.extend(push_target());
    script.extend([0x5a, 0xf1, 0x00]);
    assert_eq!(
        script_native(script.clone(), false),
        script_native(script, true)
    );
}

/// Control: a frame that runs the designator analyses its 24 padded bytes (6 native each),
/// which plain code of its length, stored with its bitmap, does not.
#[test]
fn running_a_designator_still_analyses_it() {
    // CALL(GAS, TARGET, 0, 0, 0, 0, 0), then STOP.
    let mut script = vec![0x5f, 0x5f, 0x5f, 0x5f, 0x5f];
    script.extend(push_target());
    script.extend([0x5a, 0xf1, 0x00]);
    assert_eq!(
        script_native(script.clone(), false) - script_native(script, true),
        6 * 24
    );
}

/// Two contracts whose codes differ by a trailing zero byte inside their last 8-byte word share
/// one preimage: after a call into the first, a call into the second does not pay the blake2s
/// of its preimage again (1,140 native, the oracle's figure for this pair); a zero byte past
/// that word makes another preimage, which does.
#[test]
fn codes_with_the_same_padded_bytes_are_hashed_once_a_block() {
    let alice = Key::new(0x57);
    let second_call_native = |second: &[u8]| {
        let (first_at, second_at) = (Address::repeat_byte(0xc1), Address::repeat_byte(0xc2));
        let mut state = state(&[alice.address], U256::from(ETHER));
        let first = [0x60, 0x01, 0x60, 0x00];
        state.set_account(first_at, 1, U256::ZERO, Bytes::copy_from_slice(&first));
        state.set_account(second_at, 1, U256::ZERO, Bytes::copy_from_slice(second));
        let txs = vec![
            alice.tx(0, Some(first_at), U256::ZERO, &[], 100_000),
            alice.tx(1, Some(second_at), U256::ZERO, &[], 100_000),
        ];
        v2_block_native(&mut state, txs, 1)
    };
    let shared = second_call_native(&[0x60, 0x01, 0x60, 0x00, 0x00]);
    let own = second_call_native(&[0x60, 0x01, 0x60, 0x00, 0, 0, 0, 0, 0]);
    assert_eq!(own - shared, 1_140);
}
