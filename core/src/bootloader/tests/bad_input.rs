//! Transactions the block rejects: each gets a typed reason, the block goes on, and the state
//! is what the valid transactions alone make it.

use super::*;
use crate::bootloader::InvalidTransaction;
use crate::tx::{decode, SignatureError, TxDecodeError, SECP256K1_N, UPGRADE_TX_TYPE};

fn rejection(output: &BlockOutput, index: usize) -> &InvalidTransaction {
    match &output.results[index].outcome {
        Ok(_) => panic!("transaction {index} was included"),
        Err(reason) => reason,
    }
}

#[test]
fn invalid_transactions_are_reported_and_leave_no_trace() {
    let alice = Key::new(1);
    let poor = Key::new(2);
    let bob = Address::repeat_byte(0xb0);
    let start_balance = U256::from(ETHER) * U256::from(10u64);
    let mut state = state(&[alice.address], start_balance);
    state.set_account(poor.address, 0, U256::from(1_000u64), Bytes::new());
    let mut io = io(&mut state);
    let value = U256::from(ETHER);

    let malformed = Bytes::from_static(&[0x02, 0xf8]);
    let wrong_chain = {
        let mut tx = decode(&alice.tx(0, Some(bob), value, &[], 21_000)).expect("decodes");
        tx.chain_id = Some(1);
        alice.sign(&mut tx);
        Bytes::from(encode(&tx).expect("encodes"))
    };
    let high_s = {
        let mut tx = decode(&alice.tx(0, Some(bob), value, &[], 21_000)).expect("decodes");
        let signature = tx.signature.as_mut().expect("signed");
        signature.s = SECP256K1_N - signature.s;
        signature.y_parity = !signature.y_parity;
        Bytes::from(encode(&tx).expect("encodes"))
    };
    let upgrade = {
        let mut tx = Transaction::empty(UPGRADE_TX_TYPE);
        tx.to = Some(bob);
        tx.gas_limit = 100_000;
        tx.l1 = Some(crate::tx::L1Fields {
            from: crate::system::kernel_address(0x8007),
            mint: U256::ZERO,
            refund_recipient: Address::ZERO,
            gas_per_pubdata_limit: 0,
            factory_deps: Vec::new(),
        });
        Bytes::from(encode(&tx).expect("encodes"))
    };
    let txs = vec![
        encoded(malformed.clone()),
        encoded(wrong_chain),
        encoded(high_s),
        encoded(alice.tx(5, Some(bob), value, &[], 21_000)),
        encoded(alice.tx(0, Some(bob), value, &[], BLOCK_GAS_LIMIT + 1)),
        encoded(alice.tx(0, Some(bob), value, &[], 20_999)),
        encoded(alice.tx(0, Some(bob), value, &[], 21_000)),
        encoded(poor.tx(0, Some(bob), U256::ZERO, &[], 21_000)),
        encoded(upgrade),
    ];
    let output = run(&mut io, txs);

    assert_eq!(
        rejection(&output, 0),
        &InvalidTransaction::Malformed(TxDecodeError::UnexpectedEnd)
    );
    assert_eq!(output.results[0].tx_hash, keccak256(&malformed));
    assert_eq!(
        rejection(&output, 1),
        &InvalidTransaction::ChainIdMismatch {
            expected: CHAIN_ID,
            got: 1
        }
    );
    assert_eq!(
        rejection(&output, 2),
        &InvalidTransaction::InvalidSignature(SignatureError::HighS)
    );
    assert_eq!(
        rejection(&output, 3),
        &InvalidTransaction::NonceTooHigh {
            expected: 0,
            got: 5
        }
    );
    assert_eq!(
        rejection(&output, 4),
        &InvalidTransaction::GasLimitAboveBlock {
            limit: BLOCK_GAS_LIMIT + 1,
            available: BLOCK_GAS_LIMIT
        }
    );
    assert_eq!(
        rejection(&output, 5),
        &InvalidTransaction::IntrinsicGasTooLow {
            intrinsic: 21_000,
            limit: 20_999
        }
    );
    assert!(receipt(&output, 6).success);
    // 1,000 wei cannot pay 21,000 × 1,000.
    assert_eq!(
        rejection(&output, 7),
        &InvalidTransaction::InsufficientFunds
    );
    assert_eq!(
        rejection(&output, 8),
        &InvalidTransaction::UpgradeTxNotFirst
    );

    // Only the valid transfer changed anything.
    assert_eq!(output.tx_hashes.len(), 1);
    let fee = U256::from(21_000 * GAS_PRICE);
    assert_eq!(io.account(&alice.address).nonce, 1);
    assert_eq!(
        io.account(&alice.address).balance,
        start_balance - value - fee
    );
    assert_eq!(io.account(&bob).balance, value);
    assert_eq!(io.account(&COINBASE).balance, fee);
    assert_eq!(io.account(&poor.address).nonce, 0);
    assert_eq!(io.account(&poor.address).balance, U256::from(1_000u64));
    assert_eq!(output.gas_used, 21_000);
    assert_eq!(output.pubdata_used, 176);
}

#[test]
fn a_transaction_over_a_block_limit_is_rolled_back() {
    let alice = Key::new(1);
    let start_balance = U256::from(ETHER) * U256::from(10u64);
    let value = U256::from(ETHER);
    let fee = U256::from(21_000 * GAS_PRICE);
    let transfers = |alice: &Key| {
        vec![
            encoded(alice.tx(0, Some(Address::repeat_byte(0xb0)), value, &[], 21_000)),
            encoded(alice.tx(1, Some(Address::repeat_byte(0xb1)), value, &[], 21_000)),
        ]
    };
    // Gas: 21,000 + 21,000 > 30,000.
    let mut gas_state = state(&[alice.address], start_balance);
    let mut io = io(&mut gas_state);
    let context = BlockContext {
        gas_limit: 30_000,
        ..context()
    };
    let output = run_block(
        &mut io,
        &ChainConfig::zk_at(CHAIN_ID, ProtocolVersion::V1),
        &context,
        transfers(&alice).iter().map(BlockTransaction::decode),
        &mut NoopTracer,
    );
    assert!(receipt(&output, 0).success);
    assert_eq!(
        rejection(&output, 1),
        &InvalidTransaction::BlockGasLimitReached
    );
    assert_eq!(io.account(&alice.address).nonce, 1);
    assert_eq!(
        io.account(&alice.address).balance,
        start_balance - value - fee
    );
    assert_eq!(io.account(&Address::repeat_byte(0xb1)).balance, U256::ZERO);
    assert_eq!(io.account(&COINBASE).balance, fee);

    // Pubdata: 176 + 176 > 300.
    let mut pubdata_state = state(&[alice.address], start_balance);
    let mut io = super::io(&mut pubdata_state);
    let context = BlockContext {
        pubdata_limit: 300,
        ..super::context()
    };
    let output = run_block(
        &mut io,
        &ChainConfig::zk_at(CHAIN_ID, ProtocolVersion::V1),
        &context,
        transfers(&alice).iter().map(BlockTransaction::decode),
        &mut NoopTracer,
    );
    assert_eq!(receipt(&output, 0).pubdata_used, 176);
    assert_eq!(
        rejection(&output, 1),
        &InvalidTransaction::BlockPubdataLimitReached
    );
    assert_eq!(io.account(&alice.address).nonce, 1);
    assert_eq!(io.account(&Address::repeat_byte(0xb1)).balance, U256::ZERO);
    assert_eq!(output.pubdata_used, 176);
}
