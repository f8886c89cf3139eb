//! Under protocol version 2 validation takes gas limit × fee cap and returns the excess over
//! the gas price; when the transaction's native cannot pay that return, upstream ZKsync OS fails
//! the whole block (seed 318's block in the oracle differential), so zkos leaves the transaction
//! out and keeps nothing of it (`InvalidTransaction::OutOfNativeInFeeRefund`).

use super::*;
use crate::config::ProtocolVersion;

const COINBASE: Address = address!("00000000000000000000000000000000c0ffee00");

/// Base fee 7 wei and native at 1 wei: [`transfer`]'s fee cap of 2,000 leaves a gas price of 17
/// (priority fee 10), so native is 17 a gas and the excess is 1,983 a gas.
fn fees() -> FeeParams {
    FeeParams {
        base_fee: U256::from(7u64),
        native_price: U256::from(1u64),
        pubdata_price: U256::from(10u64),
        coinbase: COINBASE,
        ..FeeParams::default()
    }
}

/// The reason `gas_limit`'s transfer is rejected for in a fresh block, with the engine after it
/// (`None` when it is included).
fn rejection_at(gas_limit: u64) -> (Option<&'static str>, Engine) {
    let mut engine = zk_engine_at(fees(), ProtocolVersion::V2);
    let mut tx = transfer(0, 1);
    tx.gas_limit = gas_limit;
    sign(&mut tx);
    let raw = crate::tx::encode(&tx).expect("encodes");
    let report = engine
        .run_block(&[BlockTx::Raw(raw.into())], None)
        .expect("block");
    let reason = report.rejected.first().map(|r| {
        assert_eq!(r.position, 0);
        r.error.reason().expect("a rejection reason")
    });
    assert_eq!(report.receipts.len(), usize::from(reason.is_none()));
    (reason, engine)
}

#[test]
fn fee_refund_out_of_native_leaves_the_transaction_out() {
    // Raise the gas limit (and with it the native) through validation's steps: the first limit
    // that pays for taking the fee but not for returning its excess is left out whole.
    let mut reasons = Vec::new();
    let mut left_out = None;
    for gas_limit in (54_000..80_000).step_by(25) {
        let (reason, engine) = rejection_at(gas_limit);
        if reasons.last() != Some(&reason) {
            reasons.push(reason);
        }
        if reason == Some("OutOfNativeInFeeRefund") && left_out.is_none() {
            left_out = Some(gas_limit);
            assert_eq!(engine.get_balance(&SENDER), U256::from(ETHER_WEI));
            assert_eq!(engine.get_nonce(&SENDER), 0);
            assert_eq!(engine.get_balance(&COINBASE), U256::ZERO);
            assert_eq!(engine.get_balance(&OTHER), U256::ZERO);
        }
        if reason.is_none() {
            break;
        }
    }
    // Below the window native runs out in validation; above it, paying the validation's
    // pubdata, until the transfer is included.
    assert_eq!(
        reasons,
        [
            Some("OutOfNativeInValidation"),
            Some("OutOfNativeInFeeRefund"),
            Some("OutOfNativeInValidation"),
            None
        ],
        "rejections as the gas limit grows"
    );
    let gas_limit = left_out.expect("a limit in the window");
    let (reason, engine) = rejection_at(gas_limit - 25);
    assert_eq!(reason, Some("OutOfNativeInValidation"));
    // Out of native once the fee is taken (upstream keeps the nonce bump and the fee).
    assert_eq!(engine.get_nonce(&SENDER), 1);
}

/// Whether the sender's transfer with `gas_limit`, fee cap `fee_cap` and no tip succeeds on
/// `engine` (included and not reverted).
fn succeeds(engine: &mut Engine, gas_limit: u64, fee_cap: u128) -> bool {
    let mut tx = transfer(0, 1);
    tx.gas_limit = gas_limit;
    tx.max_fee_per_gas = fee_cap;
    tx.max_priority_fee_per_gas = 0;
    sign(&mut tx);
    let raw = crate::tx::encode(&tx).expect("encodes");
    let report = engine
        .run_block(&[BlockTx::Raw(raw.into())], None)
        .expect("block");
    report.rejected.is_empty() && report.receipts[0].status
}

#[test]
fn an_estimate_without_a_fee_cap_holds_for_any_cap() {
    // At 7 native a gas the transfer's native decides its gas. Returning an excess costs two
    // account writes (10,000 native, 1,428 gas): a simulation without a cap used to pay none
    // and estimated 180,655 gas, which the same transfer sent with a cap above the base fee
    // (as wallets send it) runs out of native at.
    let fees = FeeParams {
        pubdata_price: U256::ZERO,
        ..fees()
    };
    let mut engine = zk_engine_at(fees, ProtocolVersion::V2);
    let request = TxRequest {
        from: Some(SENDER),
        to: Some(OTHER),
        value: U256::from(1u64),
        ..Default::default()
    };
    let estimate = engine
        .estimate_gas(&request, &StateOverride::default())
        .expect("estimate")
        .gas_limit;
    for fee_cap in [7, 8, 2_000, 1_000_000] {
        let mut sent = engine.clone();
        assert!(
            succeeds(&mut sent, estimate, fee_cap),
            "estimate {estimate} with fee cap {fee_cap}"
        );
    }
    // The estimate is no looser than the capped transfer needs.
    assert!(!succeeds(&mut engine, estimate - 1, 2_000));
}
