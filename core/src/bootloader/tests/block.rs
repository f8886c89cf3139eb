//! Whole blocks: several flows in one block, stepping, simulation, upgrades, the genesis
//! system contracts, and the computational native cap.

use super::flows::{
    deposit, send_to_l1, token_initcode, transfer_call, MESSAGE_SENDER_CODE, TOKEN_TRANSFER_GAS,
};
use super::*;
use crate::bootloader::{ChainFlow, InvalidTransaction, TxExecution, TxPhase, TxProgress};
use crate::primitives::{hex, keccak256_concat, B256};
use crate::state::l2_logs::L2ToL1Log;
use crate::tx::UPGRADE_TX_TYPE;

#[test]
fn one_block_of_every_flow() {
    let alice = Key::new(1);
    let bob = Address::repeat_byte(0xb0);
    let reverter = Address::repeat_byte(0x4e);
    let burner = Address::repeat_byte(0xbb);
    let sender = Address::repeat_byte(0x5e);
    let mut state = state(&[alice.address], U256::from(ETHER) * U256::from(10u64));
    state.set_account(
        reverter,
        1,
        U256::ZERO,
        Bytes::from_static(&hex!("60006000fd")),
    );
    state.set_account(
        burner,
        1,
        U256::ZERO,
        Bytes::from_static(&hex!("5b600060006080600060015afa50600056")),
    );
    state.set_account(
        sender,
        1,
        U256::ZERO,
        Bytes::from_static(&MESSAGE_SENDER_CODE),
    );
    let mut io = io(&mut state);
    let token = crate::ee::evm::frame::create_address(&alice.address, 1);
    let deposit_tx = deposit(
        Address::repeat_byte(0xd0),
        Address::repeat_byte(0xd1),
        Address::repeat_byte(0xca),
        U256::from(ETHER),
        300_000,
    );
    let deposit_hash = deposit_tx.tx_hash().expect("hashable");
    let txs = vec![
        encoded(alice.tx(0, Some(bob), U256::from(ETHER), &[], 21_000)),
        encoded(alice.tx(1, None, U256::ZERO, &token_initcode(), 200_000)),
        encoded(alice.tx(
            2,
            Some(token),
            U256::ZERO,
            &transfer_call(bob, 100),
            100_000,
        )),
        encoded(alice.tx(3, Some(reverter), U256::ZERO, &[], 50_000)),
        encoded(alice.tx(4, Some(burner), U256::ZERO, &[], 100_000)),
        encoded(Bytes::from(encode(&deposit_tx).expect("encodes"))),
        encoded(alice.tx(5, Some(sender), U256::ZERO, &send_to_l1(b"hi"), 200_000)),
    ];
    let output = run(&mut io, txs);
    let receipts: Vec<&TxReceipt> = (0..7).map(|i| receipt(&output, i)).collect();
    let statuses: Vec<bool> = receipts.iter().map(|r| r.success).collect();
    assert_eq!(statuses, [true, true, true, false, false, true, true]);
    // Gas does not depend on block-level caching (warmth is per transaction).
    assert_eq!(receipts[0].gas_used, 21_000);
    assert_eq!(receipts[2].gas_used, TOKEN_TRANSFER_GAS);
    assert_eq!(receipts[3].gas_used, 21_006);
    assert_eq!(receipts[4].gas_used, 100_000);
    // Pubdata is the net diff of the block so far: Alice's token slot was created by the
    // deployment in this block (0 → 10,000); the transfer moves it to 9,900, which publishes
    // as many bytes (subtract from 0: transform 0x26ac, 1 + 2), so only Bob's new slot adds
    // 34.
    assert_eq!(receipts[2].pubdata_used, 134 + 34);
    // Block totals are the sums over the included transactions.
    let sum = |f: fn(&TxReceipt) -> u64| receipts.iter().map(|r| f(r)).sum::<u64>();
    assert_eq!(output.gas_used, sum(|r| r.gas_used));
    assert_eq!(output.pubdata_used, sum(|r| r.pubdata_used));
    assert_eq!(
        output.computational_native_used,
        sum(|r| r.computational_native_used)
    );
    // Every transaction paid gas used × 1,000 to the coinbase.
    assert_eq!(
        io.account(&COINBASE).balance,
        U256::from(output.gas_used * GAS_PRICE)
    );
    // Logs: the priority log of transaction 5, the message log of transaction 6.
    assert_eq!(output.l1_tx_count, 1);
    assert_eq!(
        output.logs,
        vec![
            L2ToL1Log {
                is_service: true,
                tx_number: 5,
                sender: crate::system::BOOTLOADER_FORMAL_ADDRESS,
                key: deposit_hash,
                value: B256::with_last_byte(1),
            },
            L2ToL1Log {
                is_service: true,
                tx_number: 6,
                sender: crate::system::L1_MESSENGER_ADDRESS,
                key: sender.into_word(),
                value: keccak256(b"hi"),
            },
        ]
    );
    assert_eq!(output.messages.len(), 1);
    assert_eq!(output.messages[0].tx_number, 6);
    let rolling = output.tx_hashes.iter().fold(B256::ZERO, |h, tx| {
        keccak256_concat(&[h.as_slice(), tx.as_slice()])
    });
    assert_eq!(output.tx_rolling_hash, rolling);
    assert_eq!(output.tx_hashes.len(), 7);
    assert_eq!(output.upgrade_tx_hash, B256::ZERO);
}

#[test]
fn stepping_one_opcode_at_a_time_gives_the_same_receipt() {
    let alice = Key::new(1);
    let token = Address::repeat_byte(0x70);
    let raw = alice.tx(
        0,
        Some(token),
        U256::ZERO,
        &transfer_call(Address::repeat_byte(0xb0), 100),
        100_000,
    );
    let token_state = || {
        let mut state = state(&[alice.address], U256::from(ETHER));
        state.set_account(
            token,
            1,
            U256::ZERO,
            Bytes::from(super::flows::token_runtime()),
        );
        state.set_storage(
            token,
            U256::from_be_slice(alice.address.as_slice()),
            U256::from(10_000u64),
        );
        state
    };
    let mut whole_state = token_state();
    let mut whole_io = io(&mut whole_state);
    let whole = run(&mut whole_io, vec![encoded(raw.clone())]);

    let mut stepped_state = token_state();
    let mut stepped_io = io(&mut stepped_state);
    let config = ChainConfig::zk_at(CHAIN_ID, ProtocolVersion::V1);
    let mut execution = TxExecution::start(
        &mut stepped_io,
        &ChainFlow::of(&config),
        &context(),
        encoded(raw).decode().expect("decodes"),
    )
    .expect("valid");
    assert_eq!(execution.phase(), TxPhase::FeeCharge);
    assert_eq!(execution.advance(&mut stepped_io), TxPhase::Execution);
    let mut pauses = 0;
    while execution.run(&mut stepped_io, &mut NoopTracer, 1) == TxProgress::Paused {
        pauses += 1;
    }
    assert_eq!(execution.phase(), TxPhase::Pubdata);
    assert_eq!(execution.pubdata_used(), None);
    assert_eq!(execution.advance(&mut stepped_io), TxPhase::Refund);
    assert_eq!(
        execution.pubdata_used(),
        Some(receipt(&whole, 0).pubdata_used)
    );
    assert_eq!(execution.gas_refunded(), None);
    assert_eq!(execution.advance(&mut stepped_io), TxPhase::Finished);
    assert_eq!(
        execution.gas_refunded(),
        Some(receipt(&whole, 0).gas_refunded)
    );
    // The runtime runs 37 opcodes up to RETURN; each budget of one step pauses after it.
    assert!(pauses >= 36, "paused {pauses} times");
    let stepped = execution.finish(&mut stepped_io);
    assert_eq!(&stepped, receipt(&whole, 0));
}

#[test]
fn simulation_skips_nonce_and_prices_native_at_the_base_fee() {
    let alice = Key::new(1);
    let bob = Address::repeat_byte(0xb0);
    let mut state = state(&[alice.address], U256::from(ETHER) * U256::from(10u64));
    let mut io = io(&mut state);
    let mut tx = Transaction::empty(EIP1559_TX_TYPE);
    tx.chain_id = Some(CHAIN_ID);
    tx.nonce = 7; // Alice's nonce is 0: not checked in simulation.
    tx.gas_limit = 21_000;
    tx.to = Some(bob);
    tx.value = U256::from(ETHER);
    let output = run(
        &mut io,
        vec![BlockTransaction::Simulated {
            tx,
            from: alice.address,
        }],
    );
    let r = receipt(&output, 0);
    assert!(r.success);
    // Gas price 0: native per gas = ceil(base fee 1,000 / 10) = 100, as in `eth_transfer`.
    assert_eq!(r.native_used, 947_960);
    assert_eq!(r.gas_used, 21_000);
    assert_eq!(io.account(&COINBASE).balance, U256::ZERO);
    assert_eq!(io.account(&alice.address).nonce, 1);
}

/// An upgrade transaction from the complex upgrader 0x800f to `to`.
fn upgrade(to: Address) -> BlockTransaction {
    let mut tx = Transaction::empty(UPGRADE_TX_TYPE);
    tx.to = Some(to);
    tx.gas_limit = 100_000;
    tx.l1 = Some(crate::tx::L1Fields {
        from: crate::system::kernel_address(0x800f),
        mint: U256::ZERO,
        refund_recipient: Address::ZERO,
        gas_per_pubdata_limit: 0,
        factory_deps: Vec::new(),
    });
    encoded(Bytes::from(encode(&tx).expect("encodes")))
}

#[test]
fn upgrade_transactions_come_first_and_must_succeed() {
    let reverter = Address::repeat_byte(0x4e);
    let mut state = state(&[], U256::ZERO);
    state.set_account(
        reverter,
        1,
        U256::ZERO,
        Bytes::from_static(&hex!("60006000fd")),
    );
    let mut io = io(&mut state);
    let output = run(&mut io, vec![upgrade(Address::repeat_byte(0xb0))]);
    let r = receipt(&output, 0);
    assert!(r.success);
    assert_eq!(output.upgrade_tx_hash, r.tx_hash);
    // Native per gas 10,000: intrinsic pubdata 351 × 100 + 2,875,420; the call to an empty
    // account runs nothing. 2,910,520 / 10,000 = 291 < 21,000: gasUsed 21,000, at price 0.
    assert_eq!(r.native_used, 35_100 + 2_875_420);
    assert_eq!(r.gas_used, 21_000);
    assert_eq!(io.account(&COINBASE).balance, U256::ZERO);

    let mut state = state_with_reverter(reverter);
    let mut io = super::io(&mut state);
    let output = run(&mut io, vec![upgrade(reverter)]);
    assert_eq!(
        output.results[0].outcome,
        Err(InvalidTransaction::UpgradeTxFailed)
    );
    assert_eq!(output.upgrade_tx_hash, B256::ZERO);
    assert!(output.tx_hashes.is_empty());
}

fn state_with_reverter(reverter: Address) -> InMemoryState {
    let mut state = state(&[], U256::ZERO);
    state.set_account(
        reverter,
        1,
        U256::ZERO,
        Bytes::from_static(&hex!("60006000fd")),
    );
    state
}

#[test]
fn genesis_system_contracts_reach_their_hooks() {
    let alice = Key::new(1);
    let mut state = state(&[alice.address], U256::from(ETHER));
    // At 0x800a: PUSH32 1 ether; PUSH1 0 MSTORE; CALL(gas, 0x7100, 0, 0, 32, 0, 0); STOP.
    let mut mint_code = vec![0x7f];
    mint_code.extend_from_slice(&U256::from(ETHER).to_be_bytes::<32>());
    mint_code.extend_from_slice(&hex!("600052600060006020600060006171005af100"));
    state.set_account(
        crate::system::BASE_TOKEN_ADDRESS,
        1,
        U256::ZERO,
        Bytes::from(mint_code),
    );
    // At 0x8006: forward the calldata to 0x7002.
    state.set_account(
        crate::system::CONTRACT_DEPLOYER_ADDRESS,
        1,
        U256::ZERO,
        Bytes::from_static(&hex!("3660006000376000600036600060006170025af100")),
    );
    let mut io = io(&mut state);
    let target = Address::repeat_byte(0x7a);
    let new_code = hex!("600160005260206000f3");
    let mut set_code_call = target.into_word().to_vec();
    set_code_call.extend_from_slice(&new_code);
    let output = run(
        &mut io,
        vec![
            encoded(alice.tx(
                0,
                Some(crate::system::BASE_TOKEN_ADDRESS),
                U256::ZERO,
                &[],
                100_000,
            )),
            encoded(alice.tx(
                1,
                Some(crate::system::CONTRACT_DEPLOYER_ADDRESS),
                U256::ZERO,
                &set_code_call,
                100_000,
            )),
        ],
    );
    assert!(receipt(&output, 0).success);
    assert!(receipt(&output, 1).success);
    assert_eq!(
        io.account(&crate::system::BASE_TOKEN_ADDRESS).balance,
        U256::from(ETHER)
    );
    assert_eq!(io.account(&target).code.bytes(), &new_code[..]);
}

#[test]
fn native_above_the_computational_cap_is_withheld_and_reclaimed() {
    let alice = Key::new(1);
    let bob = Address::repeat_byte(0xb0);
    let mut state = state(&[alice.address], U256::from(ETHER) * U256::from(10u64));
    let mut io = io(&mut state);
    // 400,000,000 gas × 100 = 4 × 10^10 native > 2^35 (≈ 3.44 × 10^10): the excess is withheld.
    let gas_limit = 400_000_000;
    let context = BlockContext {
        gas_limit,
        ..context()
    };
    let output = run_block(
        &mut io,
        &ChainConfig::zk_at(CHAIN_ID, ProtocolVersion::V1),
        &context,
        [encoded(alice.tx(0, Some(bob), U256::from(ETHER), &[], gas_limit)).decode()],
        &mut NoopTracer,
    );
    let r = receipt(&output, 0);
    assert!(r.success);
    // The withheld native comes back: the same figures as `eth_transfer`.
    assert_eq!(r.native_used, 947_960);
    assert_eq!(r.gas_used, 21_000);
}
