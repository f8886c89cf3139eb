//! The Ethereum flow's gas rules: limits up to 2^64 − 1 metered exactly, blocks whose gas sums
//! cannot wrap, the EIP-7825 cap from Osaka and the EIP-7623 floor's receipt from Prague. Every
//! figure is derived in the comments from the Yellow Paper schedule and the EIP texts.

use super::super::{execute_transaction, run_block, BlockTransaction, InvalidTransaction};
use crate::config::{ChainConfig, Hardfork};
use crate::context::BlockContext;
use crate::ee::evm::NoopTracer;
use crate::env::BlockEnv;
use crate::io::{InMemoryState, Io};
use crate::primitives::{hex, Address, Bytes, U256};
use crate::resources::native::NativeCostTable;
use crate::tx::{Transaction, EIP1559_TX_TYPE};
use alloc::rc::Rc;
use alloc::vec::Vec;

const SENDER: Address = Address::repeat_byte(0x5e);
const CONTRACT: Address = Address::repeat_byte(0xc0);
const CALLEE: Address = Address::repeat_byte(0xce);

/// Stores the gas left at its `GAS` in slot 0: `GAS PUSH1 0 SSTORE STOP`.
const STORE_GAS: [u8; 5] = hex!("5a60005500");

/// Calls [`CALLEE`] with all the gas it may pass on:
/// `PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH20 <callee> GAS CALL STOP`.
fn call_all_gas() -> Vec<u8> {
    let mut code = hex!("6000600060006000600073").to_vec();
    code.extend_from_slice(CALLEE.as_slice());
    code.extend_from_slice(&hex!("5af100"));
    code
}

/// Slot 0 of `address` as the transaction left it.
fn slot0(io: &mut Io<&mut InMemoryState>, address: &Address) -> U256 {
    io.peek_slot(address, &U256::ZERO).1
}

fn io(state: &mut InMemoryState) -> Io<&mut InMemoryState> {
    Io::new(
        state,
        Rc::new(NativeCostTable::for_version(
            crate::config::ProtocolVersion::V1,
        )),
    )
}

/// A state where [`SENDER`] holds 2^70 wei and [`CONTRACT`] runs `code`.
fn state_with(code: &[u8]) -> InMemoryState {
    let mut state = InMemoryState::new();
    state.set_account(SENDER, 0, U256::from(1u64) << 70, Bytes::new());
    state.set_account(CONTRACT, 1, U256::ZERO, Bytes::copy_from_slice(code));
    state
}

/// A block env with `gas_limit`, a base fee of 1 wei.
fn block(gas_limit: u64) -> BlockEnv {
    BlockEnv {
        number: 1,
        timestamp: 1,
        gas_limit,
        base_fee: U256::from(1u64),
        blob_base_fee: U256::from(1u64),
        ..BlockEnv::default()
    }
}

/// An EIP-1559 call of [`CONTRACT`] at 1 wei per gas.
fn call(nonce: u64, gas_limit: u64, data: &[u8]) -> Transaction {
    let mut tx = Transaction::empty(EIP1559_TX_TYPE);
    tx.chain_id = Some(1);
    tx.nonce = nonce;
    tx.gas_limit = gas_limit;
    tx.max_fee_per_gas = 1;
    tx.to = Some(CONTRACT);
    tx.data = Bytes::copy_from_slice(data);
    tx
}

#[test]
fn gas_limits_above_two_to_the_56_are_exact() {
    // Ergs of 256 per gas cannot hold these limits; the Ethereum flow meters whole gas. The
    // contract stores the gas left at its GAS: the limit − 21,000 intrinsic − 2 (GAS itself).
    for limit in [1u64 << 56, (1 << 63) + 12_345, u64::MAX] {
        let mut state = state_with(&STORE_GAS);
        let mut io = io(&mut state);
        let config = ChainConfig::ethereum(1, Hardfork::Cancun);
        let receipt = execute_transaction(
            &mut io,
            &config,
            &block(u64::MAX),
            &call(0, limit, &[]),
            SENDER,
            &mut NoopTracer,
        )
        .expect("valid");
        assert!(receipt.success, "{limit}");
        assert_eq!(
            slot0(&mut io, &CONTRACT),
            U256::from(limit - 21_000 - 2),
            "{limit}"
        );
        // 21,000 + GAS 2 + PUSH1 3 + SSTORE of a fresh slot (cold 2,100 + set 20,000).
        assert_eq!(receipt.gas_used, 43_105, "{limit}");
        // The sender paid exactly the gas used, at 1 wei per gas.
        let balance = io.account(&SENDER).balance;
        assert_eq!(
            balance,
            (U256::from(1u64) << 70) - U256::from(receipt.gas_used)
        );
    }
}

#[test]
fn all_but_one_64th_of_a_huge_gas_is_passed_on() {
    // EIP-150 in gas: the callee gets g − ⌊g / 64⌋ of the g left after the CALL's own cost.
    let limit = 1u64 << 62;
    let mut state = state_with(&call_all_gas());
    state.set_account(CALLEE, 1, U256::ZERO, Bytes::copy_from_slice(&STORE_GAS));
    let mut io = io(&mut state);
    let receipt = execute_transaction(
        &mut io,
        &ChainConfig::ethereum(1, Hardfork::Cancun),
        &block(u64::MAX),
        &call(0, limit, &[]),
        SENDER,
        &mut NoopTracer,
    )
    .expect("valid");
    assert!(receipt.success);
    // Before the CALL: 21,000 + five PUSH1 (15) + PUSH20 3 + GAS 2; the CALL: warm-up of a
    // cold account 2,600. What is left is g; the callee's GAS costs 2.
    let g = limit - 21_000 - 15 - 3 - 2 - 2_600;
    let callee_gas = g - g / 64;
    assert_eq!(slot0(&mut io, &CALLEE), U256::from(callee_gas - 2));
}

#[test]
fn a_block_of_huge_limits_never_wraps_its_gas_sum() {
    // A block gas limit of 2^64 − 1: each transaction must fit in what the block has left
    // (execution-specs `check_transaction`), so the sum of gas used stays within the limit.
    let mut state = state_with(&STORE_GAS);
    let mut io = io(&mut state);
    let config = ChainConfig::ethereum(1, Hardfork::Cancun);
    let context = BlockContext::from_evm_env(&block(u64::MAX));
    let half = 1u64 << 63;
    let txs = [
        call(0, half, &[]),
        call(1, half + 1, &[]),
        call(2, u64::MAX - 43_105, &[]),
    ];
    let output = run_block(
        &mut io,
        &config,
        &context,
        txs.iter().map(|tx| {
            BlockTransaction::Simulated {
                tx: tx.clone(),
                from: SENDER,
            }
            .decode()
        }),
        &mut NoopTracer,
    );
    // The first sets a fresh slot: 21,000 + GAS 2 + PUSH1 3 + cold 2,100 + set 20,000. The
    // second (one more gas, so another value) changes it, cold again in a new transaction:
    // 21,005 + 2,100 + 2,900.
    let used: Vec<u64> = output
        .results
        .iter()
        .filter_map(|r| r.outcome.as_ref().ok().map(|receipt| receipt.gas_used))
        .collect();
    assert_eq!(used, [43_105, 26_005]);
    // The third asks for more than the 2^64 − 1 − 69,110 left.
    assert_eq!(
        output.results[2].outcome,
        Err(InvalidTransaction::GasLimitAboveBlock {
            limit: u64::MAX - 43_105,
            available: u64::MAX - 69_110,
        })
    );
    assert_eq!(output.gas_used, 69_110);
}

#[test]
fn osaka_caps_the_transaction_gas_limit() {
    // EIP-7825: a gas limit above 2^24 = 16,777,216 is invalid from Osaka; 2^24 itself is not.
    let cap = 1u64 << 24;
    for (hardfork, limit, valid) in [
        (Hardfork::Osaka, cap, true),
        (Hardfork::Osaka, cap + 1, false),
        (Hardfork::Prague, cap + 1, true),
    ] {
        let mut state = state_with(&STORE_GAS);
        let mut io = io(&mut state);
        let result = execute_transaction(
            &mut io,
            &ChainConfig::ethereum(1, hardfork),
            &block(30_000_000),
            &call(0, limit, &[]),
            SENDER,
            &mut NoopTracer,
        );
        match result {
            Ok(receipt) => assert!(valid && receipt.success, "{hardfork:?} {limit}"),
            Err(reason) => {
                assert!(!valid, "{hardfork:?} {limit}: {reason:?}");
                assert_eq!(reason, InvalidTransaction::GasLimitAboveCap { limit });
            }
        }
    }
}

#[test]
fn the_calldata_floor_replaces_the_refund() {
    // EIP-7623 (Prague): gas used = max(execution gas after refund, 21,000 + 10 × tokens).
    // The contract clears slot 0 (`PUSH1 0 PUSH1 0 SSTORE STOP`): 21,000 + calldata + 3 + 3 +
    // SSTORE 1→0 (cold 2,100 + 2,900) with a 4,800 refund, capped at a fifth of the gas used.
    let clear = hex!("600060005500");
    let data = [0xffu8; 200];
    // 200 non-zero bytes: 800 tokens; calldata gas 16 × 200 = 3,200; floor 21,000 + 8,000.
    let execution = 21_000 + 3_200 + 3 + 3 + 2_100 + 2_900;
    let floor = 21_000 + 8_000;
    for (hardfork, gas_used, refunded) in [
        // Cancun has no floor: the refund (4,800 < execution / 5) is taken off.
        (Hardfork::Cancun, execution - 4_800, 4_800),
        // Prague: 24,406 after the refund is below the floor; the floor is charged in full and
        // nothing is reported refunded (revm reports it so too).
        (Hardfork::Prague, floor, 0),
    ] {
        let mut state = state_with(&clear);
        state.set_storage(CONTRACT, U256::ZERO, U256::from(1u64));
        let mut io = io(&mut state);
        let receipt = execute_transaction(
            &mut io,
            &ChainConfig::ethereum(1, hardfork),
            &block(30_000_000),
            &call(0, 100_000, &data),
            SENDER,
            &mut NoopTracer,
        )
        .expect("valid");
        assert_eq!(
            (receipt.gas_used, receipt.gas_refunded),
            (gas_used, refunded),
            "{hardfork:?}"
        );
    }
}

#[test]
fn a_top_level_creation_outputs_the_code_it_deployed() {
    // Init code returning the 3-byte runtime `5f5ff3` (PUSH0 PUSH0 RETURN): PUSH3 5f5ff3 PUSH1 0
    // MSTORE PUSH1 3 PUSH1 29 RETURN. geth's eth_call of it answers the runtime; so does anvil's.
    let init = hex!("625f5ff36000526003601df3");
    for hardfork in [Hardfork::Cancun, Hardfork::Prague, Hardfork::Osaka] {
        let mut state = state_with(&[]);
        let mut io = io(&mut state);
        let mut tx = call(0, 100_000, &init);
        tx.to = None;
        let receipt = execute_transaction(
            &mut io,
            &ChainConfig::ethereum(1, hardfork),
            &block(30_000_000),
            &tx,
            SENDER,
            &mut NoopTracer,
        )
        .expect("valid");
        assert!(receipt.success, "{hardfork:?}");
        let created = receipt.created.expect("a contract");
        assert_eq!(
            io.account(&created).code.bytes(),
            &hex!("5f5ff3"),
            "{hardfork:?}"
        );
        assert_eq!(receipt.output.as_ref(), &hex!("5f5ff3"), "{hardfork:?}");
    }
    // A creation that reverts answers its revert data, and deploys nothing.
    let mut state = state_with(&[]);
    let mut io = io(&mut state);
    let mut tx = call(0, 100_000, &hex!("60ab60005260206000fd"));
    tx.to = None;
    let receipt = execute_transaction(
        &mut io,
        &ChainConfig::ethereum(1, Hardfork::Cancun),
        &block(30_000_000),
        &tx,
        SENDER,
        &mut NoopTracer,
    )
    .expect("valid");
    assert!(!receipt.success);
    assert_eq!(receipt.created, None);
    assert_eq!(receipt.output.len(), 32);
    assert_eq!(receipt.output[31], 0xab);
}
