//! Balances never wrap: every credit stops at 2^256 − 1, in both flows.

use super::*;

const FEE_RECIPIENT: Address = address!("00000000000000000000000000000000000c0ffe");
const DONOR: Address = address!("00000000000000000000000000000000000d0d0e");

fn set(engine: &mut Engine, address: Address, balance: U256, code: &[u8]) {
    engine
        .set_account(
            address,
            AccountInput {
                balance,
                code: Bytes::copy_from_slice(code),
                ..Default::default()
            },
        )
        .expect("stored");
}

/// A request from the sender paying 1,001 wei per gas (a tip of 1 over the base fee of 1,000).
fn priced(to: Address, gas: u64) -> BlockTx {
    BlockTx::Request(alloc::boxed::Box::new(TxRequest {
        gas_price: Some(1_001),
        ..call_to(to, Some(gas))
    }))
}

fn both_flows() -> [Engine; 2] {
    let fees = FeeParams {
        coinbase: FEE_RECIPIENT,
        ..FeeParams::default()
    };
    let mut ethereum = engine();
    ethereum.set_fees(fees);
    [ethereum, zk_engine(fees)]
}

#[test]
fn fees_to_a_full_coinbase_stop_at_the_top() {
    for mut engine in both_flows() {
        set(&mut engine, FEE_RECIPIENT, U256::MAX, &[]);
        let report = engine
            .run_block(&[priced(OTHER, 100_000)], None)
            .expect("block");
        assert!(report.receipts[0].status, "{:?}", engine.config().flow);
        // Ethereum credits the tip (21,000 × 1), ZKsync OS the whole fee: both would wrap.
        assert_eq!(engine.get_balance(&FEE_RECIPIENT), U256::MAX);
    }
}

#[test]
fn refunds_and_selfdestruct_credits_stop_at_the_top() {
    // The donor holds 2^256 − 1 and gives it all to the sender with SELFDESTRUCT (PUSH20
    // sender, SELFDESTRUCT); the sender's unused gas then comes back on top of that.
    let mut code = alloc::vec![0x73];
    code.extend_from_slice(SENDER.as_slice());
    code.push(0xff);
    for mut engine in both_flows() {
        set(&mut engine, DONOR, U256::MAX, &code);
        let report = engine
            .run_block(&[priced(DONOR, 100_000)], None)
            .expect("block");
        let receipt = &report.receipts[0];
        assert!(receipt.status && receipt.gas_used < 100_000, "{receipt:?}");
        assert_eq!(engine.get_balance(&SENDER), U256::MAX);
        assert_eq!(engine.get_balance(&DONOR), U256::ZERO);
    }
}

#[test]
fn a_mint_onto_a_full_balance_succeeds_and_stops_at_the_top() {
    // At the base token (0x800a): PUSH1 1 PUSH1 0 MSTORE; CALL(gas, 0x7100, 0, 0, 32, 0, 0)
    // mints 1 wei; PUSH1 0 SSTORE keeps the call's success flag in slot 0; STOP.
    let code = hex!("6001600052" "60006000602060006000617100 5af1" "600055" "00");
    let mut engine = zk_engine(FeeParams::default());
    let token = crate::system::BASE_TOKEN_ADDRESS;
    set(&mut engine, token, U256::MAX, &code);
    let report = engine
        .run_block(&[priced(token, 200_000)], None)
        .expect("block");
    assert!(report.receipts[0].status);
    assert_eq!(engine.get_storage(&token, &U256::ZERO), U256::from(1u8));
    assert_eq!(engine.get_balance(&token), U256::MAX);
}
