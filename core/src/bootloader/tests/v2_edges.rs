//! Protocol version 2 (upstream ZKsync OS) at the edges the oracle differential found: a zero
//! base fee (the tip is still charged), a deployment from the transaction onto an address that
//! already has a nonce or code (the code and, with value, the sender's balance are read before
//! the collision), a sender whose code is an EIP-7702 delegation (it may send, and pays a warm
//! access's gas for each of its four validation accesses), a `SELFDESTRUCT` short of its cold
//! access, a `CALL` short of its callee's cold access, a frame running a delegation
//! designator, a block gas limit past the ergs bound, access-list keys naming account hash
//! slots under 0x8003, and a credit past 2^256 − 1.
//! The figures were measured on the oracle (`tests/oracle-vectors/` holds such blocks).

use super::{context, encoded, receipt, state, Key, CHAIN_ID, ETHER};
use crate::bootloader::invalid::InvalidTransaction;
use crate::bootloader::{run_block, BlockOutput, BlockTransaction};
use crate::config::{ChainConfig, ProtocolVersion};
use crate::context::BlockContext;
use crate::ee::evm::frame::create_address;
use crate::ee::evm::NoopTracer;
use crate::io::{InMemoryState, Io};
use crate::primitives::{Address, Bytes, U256};
use crate::resources::native::NativeCostTable;
use crate::tx::{encode, AccessListItem, Transaction, EIP1559_TX_TYPE};
use alloc::rc::Rc;
use alloc::vec;
use alloc::vec::Vec;

/// Runs `txs` as one block of protocol `version` at `block`'s prices over `state`.
fn run_at(
    state: &mut InMemoryState,
    version: ProtocolVersion,
    block: &BlockContext,
    txs: Vec<Bytes>,
) -> (BlockOutput, U256) {
    let mut io = Io::new(state, Rc::new(NativeCostTable::for_version(version)));
    let txs: Vec<BlockTransaction> = txs.into_iter().map(encoded).collect();
    let output = run_block(
        &mut io,
        &ChainConfig::zk_at(CHAIN_ID, version),
        block,
        txs.iter().map(BlockTransaction::decode),
        &mut NoopTracer,
    );
    let coinbase = io.account(&block.coinbase).balance;
    (output, coinbase)
}

/// A signed EIP-1559 transfer of 1,000 wei with fee cap `max_fee` and tip cap `tip`.
fn priced_transfer(key: &Key, nonce: u64, max_fee: u128, tip: u128) -> Bytes {
    let mut tx = Transaction::empty(EIP1559_TX_TYPE);
    tx.chain_id = Some(CHAIN_ID);
    tx.nonce = nonce;
    tx.gas_limit = 2_000_000;
    tx.max_fee_per_gas = max_fee;
    tx.max_priority_fee_per_gas = tip;
    tx.to = Some(Address::repeat_byte(0x77));
    tx.value = U256::from(1_000u64);
    key.sign(&mut tx);
    Bytes::from(encode(&tx).expect("encodes"))
}

/// Base fee 0, native price 10: a tip of 1 wei is the gas price under version 2 (upstream
/// `process_transaction.rs::get_gas_price` adds the tip to any base fee), so native per gas is
/// ⌈1 / 10⌉ = 1 and the gas used covers all the native used; version 1 ignores the tip (spec
/// §3). A transaction at price 0 has unlimited native and reports none used under version 2.
#[test]
fn a_zero_base_fee_still_charges_the_tip_under_version_2() {
    let alice = Key::new(0x51);
    let block = BlockContext {
        base_fee: U256::ZERO,
        ..context()
    };
    let txs = vec![
        priced_transfer(&alice, 0, 1, 1),
        priced_transfer(&alice, 1, 0, 0),
    ];
    let mut v2_state = state(&[alice.address], U256::from(ETHER));
    let (v2, v2_coinbase) = run_at(&mut v2_state, ProtocolVersion::V2, &block, txs.clone());
    let tipped = receipt(&v2, 0);
    assert!(tipped.success);
    assert!(tipped.native_used > 21_000);
    assert_eq!(tipped.gas_used, tipped.native_used);
    assert_eq!(v2_coinbase, U256::from(tipped.gas_used));
    let free = receipt(&v2, 1);
    assert!(free.success);
    assert_eq!((free.gas_used, free.native_used), (21_000, 0));
    assert!(free.computational_native_used > 0);

    let mut v1_state = state(&[alice.address], U256::from(ETHER));
    let (v1, v1_coinbase) = run_at(&mut v1_state, ProtocolVersion::V1, &block, txs);
    assert_eq!(receipt(&v1, 0).gas_used, 21_000);
    assert_eq!(v1_coinbase, U256::ZERO);
}

/// A deployment transaction onto `taken` (an account with `code` and nonce 1 when `code` is
/// empty) carrying `value`: the failed deployment's computational native.
fn collision_native(code: &[u8], value: u64) -> u64 {
    let alice = Key::new(0x52);
    let mut state = state(&[alice.address], U256::from(ETHER));
    let taken = create_address(&alice.address, 0);
    let nonce = u64::from(code.is_empty());
    state.set_account(taken, nonce, U256::ZERO, Bytes::copy_from_slice(code));
    let deploy = alice.tx(0, None, U256::from(value), &[0x00], 500_000);
    let (output, _) = run_at(&mut state, ProtocolVersion::V2, &context(), vec![deploy]);
    let r = receipt(&output, 0);
    assert!(!r.success);
    assert_eq!(r.gas_used, 500_000);
    r.computational_native_used
}

/// Upstream reads the deployee's properties with its code, then for a deployment with value
/// the sender's balance, before it finds the collision (`runner.rs::
/// read_callee_account_properties`, `ee_trait_impl.rs::before_executing_frame`): a one-byte
/// code costs 1,640 native more than none, the balance read 4,000 (the oracle's figures).
#[test]
fn a_top_level_deployment_collision_reads_code_and_balance_under_version_2() {
    let nonce_only = collision_native(&[], 0);
    assert_eq!(collision_native(&[], 5_000) - nonce_only, 4_000);
    assert_eq!(collision_native(&[0x00], 0) - nonce_only, 1_640);
    assert_eq!(collision_native(&[0x00], 5_000) - nonce_only, 5_640);
}

/// A transfer from a sender holding `code`: its outcome and gas used.
fn transfer_from_code(code: &[u8]) -> Result<u64, InvalidTransaction> {
    let alice = Key::new(0x53);
    let mut state = state(&[], U256::ZERO);
    state.set_account(
        alice.address,
        0,
        U256::from(ETHER),
        Bytes::copy_from_slice(code),
    );
    let tx = alice.tx(0, Some(Address::repeat_byte(0x78)), U256::ONE, &[], 100_000);
    let (output, _) = run_at(&mut state, ProtocolVersion::V2, &context(), vec![tx]);
    output.results[0]
        .outcome
        .clone()
        .map(|receipt| receipt.gas_used)
}

/// Upstream stores code beginning with 0xef0100 as a delegation and lets its owner send
/// (`api/src/helpers.rs::set_properties_code`, `zk_ee/src/system/io.rs::is_contract`); the
/// account is an EVM account, so the balance check, the nonce bump and the fee transfer's two
/// accesses cost 100 gas each. Any other code refuses the sender (EIP-3607).
#[test]
fn a_delegated_sender_may_send_under_version_2() {
    let mut delegation = vec![0xef, 0x01, 0x00];
    delegation.extend_from_slice(Address::repeat_byte(0x79).as_slice());
    assert_eq!(transfer_from_code(&[]), Ok(21_000));
    assert_eq!(transfer_from_code(&delegation), Ok(21_400));
    assert_eq!(
        transfer_from_code(&[0xef, 0x01]),
        Err(InvalidTransaction::SenderHasCode)
    );
    assert_eq!(
        transfer_from_code(&[0x60, 0x00]),
        Err(InvalidTransaction::SenderHasCode)
    );
}

/// A contract calling `callee` with `gas` (no value, no data), then stopping.
fn caller_code(callee: Address, gas: u16) -> Vec<u8> {
    let mut code = vec![0x60, 0, 0x60, 0, 0x60, 0, 0x60, 0, 0x60, 0, 0x73];
    code.extend_from_slice(callee.as_slice());
    code.push(0x61);
    code.extend_from_slice(&gas.to_be_bytes());
    code.extend_from_slice(&[0xf1, 0x00]);
    code
}

/// The computational native of a transaction calling a caller contract that calls an account
/// holding `callee_code` with `gas`.
pub(super) fn nested_call_native(callee_code: &[u8], gas: u16) -> u64 {
    nested_call_native_beside(callee_code, gas, &[])
}

/// [`nested_call_native`] over a state that also holds a contract (code `STOP`, 1 wei) at
/// each of `others`, which nothing reads before the callee.
fn nested_call_native_beside(callee_code: &[u8], gas: u16, others: &[Address]) -> u64 {
    let alice = Key::new(0x54);
    let (outer, callee) = (Address::repeat_byte(0x7a), Address::repeat_byte(0x7b));
    let mut state = state(&[alice.address], U256::from(ETHER));
    state.set_account(outer, 1, U256::ZERO, caller_code(callee, gas).into());
    state.set_account(callee, 1, U256::ZERO, Bytes::copy_from_slice(callee_code));
    for other in others {
        state.set_account(*other, 1, U256::from(1), Bytes::from_static(&[0x00]));
    }
    let tx = alice.tx(0, Some(outer), U256::ZERO, &[], 300_000);
    let (output, _) = run_at(&mut state, ProtocolVersion::V2, &context(), vec![tx]);
    receipt(&output, 0).computational_native_used
}

/// `SELFDESTRUCT` to a cold beneficiary with gas for its 5,000 but not the 2,600 of the access
/// has spent, upstream, the originator's read and write twice and the beneficiary's cache
/// access (2 × (4,000 + 1,000) + 4,000 = 14,000 native, the oracle's figure) before the gas
/// runs out; short of the 5,000 it has spent none of them.
#[test]
fn a_selfdestruct_short_of_the_cold_access_spends_upstreams_native() {
    let mut victim = vec![0x73];
    victim.extend_from_slice(Address::repeat_byte(0x7c).as_slice());
    victim.push(0xff);
    // PUSH20 costs 3: 7,599 leaves 2,596 after the 5,000; 4,999 leaves 4,996.
    let short_of_access = nested_call_native(&victim, 7_599);
    let short_of_static = nested_call_native(&victim, 4_999);
    assert_eq!(short_of_access - short_of_static, 14_000);
}

/// A `CALL` (with or without value) whose frame lacks the 2,600 gas of its callee's cold
/// access has spent that access's cache native alone, upstream: `runner.rs::
/// read_callee_account_properties` reads the callee through `account_cache.rs::
/// materialize_element`, whose cold gas fails before the account is read. So the callee's
/// existence changes nothing; zkos read it first, 127,100 native more for an existing contract
/// and 246,240 for an absent account (the oracle's figures, block 11423425234602734336 of the
/// vectors). With the access's gas the read is charged, and the absent account costs more.
#[test]
fn a_call_short_of_the_cold_access_reads_no_callee() {
    let (absent, existing) = (Address::repeat_byte(0x7e), Address::repeat_byte(0x7f));
    let call_to = |target: Address, value: u8| {
        let mut code = vec![0x5f, 0x5f, 0x5f, 0x5f, 0x60, value, 0x73];
        code.extend_from_slice(target.as_slice());
        code.extend_from_slice(&[0x5f, 0xf1, 0x00]);
        code
    };
    // The pushes cost 17: 2,000 leaves 1,983, 3,000 leaves 2,983.
    let native =
        |target, value, gas| nested_call_native_beside(&call_to(target, value), gas, &[existing]);
    for value in [0, 7] {
        assert_eq!(
            native(absent, value, 2_000),
            native(existing, value, 2_000),
            "value {value}"
        );
    }
    assert!(native(absent, 0, 3_000) > native(existing, 0, 3_000));
}

/// Code beginning with 0xef0100 is a delegation upstream, stored without its jumpdest bitmap,
/// so each frame that runs it analyses its 24 padded bytes at 6 native a byte (the oracle's
/// 144); other code of the same length reads the stored bitmap. Both halt at once (0xef and
/// 0xfe are invalid).
#[test]
fn running_a_delegation_designator_analyses_it_under_version_2() {
    let mut delegation = vec![0xef, 0x01, 0x00];
    delegation.extend_from_slice(Address::repeat_byte(0x7d).as_slice());
    let mut plain = delegation.clone();
    plain[0] = 0xfe;
    let delta = nested_call_native(&delegation, 10_000) - nested_call_native(&plain, 10_000);
    assert_eq!(delta, 6 * 24);
}

/// Upstream refuses every L2 transaction of a block whose gas limit's ergs overflow a u64
/// (`process_l2_transaction`, `BlockGasLimitTooHigh`); at the bound the block is fine.
#[test]
fn a_block_gas_limit_past_the_ergs_bound_refuses_transactions_under_version_2() {
    let alice = Key::new(0x55);
    let outcome = |gas_limit: u64| {
        let mut state = state(&[alice.address], U256::from(ETHER));
        let block = BlockContext {
            gas_limit,
            ..context()
        };
        let tx = alice.tx(0, Some(Address::repeat_byte(0x7e)), U256::ONE, &[], 100_000);
        let (output, _) = run_at(&mut state, ProtocolVersion::V2, &block, vec![tx]);
        output.results[0].outcome.clone().map(|r| r.gas_used)
    };
    assert_eq!(outcome(u64::MAX / 256), Ok(21_000));
    assert_eq!(
        outcome(u64::MAX / 256 + 1),
        Err(InvalidTransaction::BlockGasLimitTooHigh)
    );
    assert_eq!(
        outcome(u64::MAX),
        Err(InvalidTransaction::BlockGasLimitTooHigh)
    );
}

/// A transfer of 1 wei to `to` whose access list names the account-properties slots of
/// `owners` under 0x8003: its computational native.
fn hash_slot_list_native(to: Address, owners: &[Address]) -> u64 {
    let alice = Key::new(0x56);
    let existing = Address::repeat_byte(0x81);
    let mut state = state(&[alice.address, to, existing], U256::from(ETHER));
    let mut tx = Transaction::empty(EIP1559_TX_TYPE);
    tx.chain_id = Some(CHAIN_ID);
    tx.gas_limit = 2_000_000;
    tx.max_fee_per_gas = 1_000;
    tx.to = Some(to);
    tx.value = U256::ONE;
    tx.access_list = vec![AccessListItem {
        address: Address::left_padding_from(&[0x80, 0x03]),
        storage_keys: owners.iter().map(|owner| owner.into_word()).collect(),
    }];
    alice.sign(&mut tx);
    let raw = Bytes::from(encode(&tx).expect("encodes"));
    let (output, _) = run_at(&mut state, ProtocolVersion::V2, &context(), vec![raw]);
    receipt(&output, 0).computational_native_used
}

/// Upstream keeps each account's properties hash as slot `address` of 0x8003 in its storage
/// cache (`storage_cache.rs::read_special_account_property`), so an access-list key naming it
/// reads that element: warm once the transaction has materialised the account (the sender,
/// before the list), a cold read of an existing slot for an existing account, which the
/// transfer's later read of it then finds warm; only an absent account's slot is a new one.
/// The oracle's figures for a transfer: the recipient's or the sender's slot 242,240 native
/// under an absent account's, an untouched existing account's 121,120.
#[test]
fn access_list_keys_of_0x8003_read_account_hash_slots_under_version_2() {
    let to = Address::repeat_byte(0x80);
    let absent = hash_slot_list_native(to, &[Address::repeat_byte(0x82)]);
    let recipient = hash_slot_list_native(to, &[to]);
    let sender = hash_slot_list_native(to, &[Key::new(0x56).address]);
    let untouched = hash_slot_list_native(to, &[Address::repeat_byte(0x81)]);
    assert_eq!(absent - recipient, 242_240);
    assert_eq!(absent - sender, 242_240);
    assert_eq!(absent - untouched, 121_120);
}

/// A contract sending 1 wei to `callee` (holding `code` and 2^256 − 1 − `headroom` wei) by
/// `CALL`, returning the call's result: (result, computational native).
fn call_into_full_balance(code: &[u8], headroom: u64) -> (U256, u64) {
    let alice = Key::new(0x57);
    let (outer, callee) = (Address::repeat_byte(0x83), Address::repeat_byte(0x84));
    let mut state = state(&[alice.address], U256::from(ETHER));
    let mut caller = vec![0x60, 0, 0x60, 0, 0x60, 0, 0x60, 0, 0x60, 1, 0x73];
    caller.extend_from_slice(callee.as_slice());
    // GAS, CALL, PUSH1 0, MSTORE, PUSH1 32, PUSH1 0, RETURN
    caller.extend_from_slice(&[0x5a, 0xf1, 0x60, 0, 0x52, 0x60, 32, 0x60, 0, 0xf3]);
    state.set_account(outer, 1, U256::from(10u64), caller.into());
    let balance = U256::MAX - U256::from(headroom);
    let nonce = u64::from(!code.is_empty());
    state.set_account(callee, nonce, balance, Bytes::copy_from_slice(code));
    let tx = alice.tx(0, Some(outer), U256::ZERO, &[], 300_000);
    let (output, _) = run_at(&mut state, ProtocolVersion::V2, &context(), vec![tx]);
    let r = receipt(&output, 0);
    assert!(r.success);
    (U256::from_be_slice(&r.output), r.computational_native_used)
}

/// A value call that would carry the callee's balance past 2^256 − 1 fails as a call short of
/// balance does (upstream `account_cache.rs::transfer_nominal_token_value_inner`,
/// `BalanceError::Overflow`), after both sides' writes were charged and, the callee's
/// properties having been read with its code first, its code fetched (the oracle's 1,640
/// native for one byte of code).
#[test]
fn a_credit_past_the_top_of_the_balance_range_fails_the_call_under_version_2() {
    let (fits, _) = call_into_full_balance(&[], 1);
    assert_eq!(fits, U256::ONE);
    let (account, account_native) = call_into_full_balance(&[], 0);
    let (contract, contract_native) = call_into_full_balance(&[0x00], 0);
    assert_eq!((account, contract), (U256::ZERO, U256::ZERO));
    assert_eq!(contract_native - account_native, 1_640);
}
