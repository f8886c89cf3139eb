//! Gas estimation in both flows: the search, its tolerance, native cover, fees and errors.

use super::*;

#[test]
fn estimate_finds_the_gas_gate_within_tolerance() {
    let engine = engine();
    let estimate = engine
        .estimate_gas(&call_to(CONTRACT, None), &StateOverride::new())
        .expect("estimate");
    // The gate passes iff gas left after GAS (limit − 21000 − 3 − 2) exceeds 50,000, so the
    // smallest working limit is 71,006.
    assert!(estimate.gas_limit >= 71_006, "{estimate:?}");
    assert!(estimate.gas_limit <= 71_006 * 1015 / 1000, "{estimate:?}");
    assert_eq!(estimate.gas_used, 43_128);
    let run = |gas| {
        engine
            .call(&call_to(CONTRACT, Some(gas)), &StateOverride::new(), None)
            .expect("call")
            .success
    };
    assert!(run(estimate.gas_limit));
    assert!(!run(estimate.gas_limit * 985 / 1000));
    assert!(!run(71_005));
}

#[test]
fn estimate_of_a_plain_transfer_is_21000() {
    let engine = engine();
    let mut request = call_to(OTHER, None);
    request.value = U256::from(1u64);
    let estimate = engine
        .estimate_gas(&request, &StateOverride::new())
        .expect("estimate");
    assert_eq!(estimate.gas_limit, 21_000);
}

#[test]
fn estimate_reports_reverts_and_invalid_requests() {
    let mut engine = engine();
    engine
        .set_account(
            OTHER,
            AccountInput {
                code: Bytes::copy_from_slice(&REVERTER),
                ..Default::default()
            },
        )
        .expect("stored");
    let err = engine
        .estimate_gas(&call_to(OTHER, None), &StateOverride::new())
        .expect_err("reverts");
    assert_eq!(
        err,
        EstimateError::Reverted {
            data: Bytes::from_static(&hex!("deadbeef"))
        }
    );
    assert_eq!(err.code(), "ZKOS_ESTIMATE_REVERTED");
    let mut request = call_to(CONTRACT, None);
    request.gas_price = Some(1);
    request.max_fee_per_gas = Some(1);
    let err = engine
        .estimate_gas(&request, &StateOverride::new())
        .expect_err("contradiction");
    assert_eq!(err.code(), "ZKOS_BAD_INPUT");
    let err = engine
        .estimate_gas(&call_to(CONTRACT, Some(30_000)), &StateOverride::new())
        .expect_err("gate closed at 30,000");
    assert_eq!(err.code(), "ZKOS_ESTIMATE_REVERTED");
}

#[test]
fn zk_estimate_covers_native_and_holds_on_chain() {
    // Native priced at the base fee: 1000 / 1000 = 1 native per gas, so native decides.
    let fees = FeeParams {
        native_price: U256::from(1_000u64),
        ..FeeParams::default()
    };
    let mut engine = zk_engine(fees);
    let mut request = call_to(OTHER, None);
    request.value = U256::from(1u64);
    let estimate = engine
        .estimate_gas(&request, &StateOverride::new())
        .expect("estimate");
    assert_eq!(estimate.native_cover_gas, estimate.native_used);
    assert!(estimate.native_used > 21_000, "{estimate:?}");
    assert!(estimate.gas_limit >= estimate.native_cover_gas);
    // Sent with that limit at the base fee, the transfer is included and succeeds.
    request.gas = Some(estimate.gas_limit);
    let report = engine
        .run_block(
            &[BlockTx::Request(alloc::boxed::Box::new(request.clone()))],
            None,
        )
        .expect("block");
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    assert!(report.receipts[0].status);
    // Far below the cover the transaction cannot buy its intrinsic native.
    request.gas = Some(estimate.native_cover_gas / 2);
    let report = engine
        .run_block(&[BlockTx::Request(alloc::boxed::Box::new(request))], None)
        .expect("block");
    assert!(report.receipts.first().is_none_or(|r| !r.status));
}

#[test]
fn zk_estimate_of_gas_gate_holds_on_chain() {
    let mut engine = zk_engine(FeeParams::default());
    let estimate = engine
        .estimate_gas(&call_to(CONTRACT, None), &StateOverride::new())
        .expect("estimate");
    assert!(estimate.gas_limit >= 71_006, "{estimate:?}");
    assert!(estimate.pubdata_used > 0, "{estimate:?}");
    let report = engine
        .run_block(
            &[BlockTx::Request(alloc::boxed::Box::new(call_to(
                CONTRACT,
                Some(estimate.gas_limit),
            )))],
            None,
        )
        .expect("block");
    assert!(report.receipts[0].status, "{report:?}");
    assert_eq!(engine.get_storage(&CONTRACT, &U256::ZERO), U256::from(1u64));
}

#[test]
fn estimate_names_out_of_gas_and_halts() {
    let mut engine = engine();
    // `JUMPDEST PUSH1 0 JUMP`: loops until the gas runs out.
    engine
        .set_account(
            OTHER,
            AccountInput {
                code: Bytes::from_static(&hex!("5b600056")),
                ..Default::default()
            },
        )
        .expect("stored");
    let err = engine
        .estimate_gas(&call_to(OTHER, None), &StateOverride::new())
        .expect_err("never enough");
    // The search stops at the RPC gas cap (50,000,000), below the block's 100,000,000.
    assert_eq!(
        err,
        EstimateError::OutOfGasAtCap {
            cap: DEFAULT_RPC_GAS_CAP_GAS
        }
    );
    // `INVALID`.
    let invalid = Address::repeat_byte(0xfe);
    engine
        .set_account(
            invalid,
            AccountInput {
                code: Bytes::from_static(&[0xfe]),
                ..Default::default()
            },
        )
        .expect("stored");
    let err = engine
        .estimate_gas(&call_to(invalid, None), &StateOverride::new())
        .expect_err("halts");
    assert_eq!(
        err,
        EstimateError::Halted(crate::ee::evm::Halt::InvalidOpcode(0xfe))
    );
    assert_eq!(err.code(), "ZKOS_ESTIMATE_HALTED");
}

#[test]
fn zk_estimate_fee_at_prices() {
    let engine = zk_engine(FeeParams::default());
    let estimate = engine
        .estimate_gas(&call_to(CONTRACT, None), &StateOverride::new())
        .expect("estimate");
    // Price 0 counts as the base fee (1000 wei); native and pubdata cost 1 wei each, so the
    // gas side (43,128 × 1000 wei) dominates.
    assert_eq!(estimate.fee, U256::from(estimate.gas_used * 1_000));
    assert!(estimate.gas_used >= 43_128);
}
