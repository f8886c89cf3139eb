//! What an estimate's gas limit pays for (EVM gas, deltaGas, pubdata gas, fee) under either
//! protocol version: the arithmetic by hand, then estimates checked against blocks that run
//! them.

use super::*;
use crate::bootloader::TxReceipt;
use crate::engine::estimate::EstimateBreakdown;

/// A receipt with the given EVM charge, computational native and pubdata bytes (at
/// [`NATIVE_PER_PUBDATA`]; the rest does not enter the breakdown).
fn receipt(evm_gas: u64, computational_native: u64, pubdata_native: u64) -> TxReceipt {
    TxReceipt {
        tx_hash: B256::ZERO,
        tx_type: EIP1559_TX_TYPE,
        success: true,
        gas_used: evm_gas,
        gas_refunded: 0,
        gas_breakdown: GasBreakdown {
            intrinsic_gas: 21_000,
            execution_gas: evm_gas - 21_000,
            ..GasBreakdown::default()
        },
        native_used: computational_native + pubdata_native,
        computational_native_used: computational_native,
        pubdata_used: pubdata_native / NATIVE_PER_PUBDATA,
        output: Bytes::new(),
        halt: None,
        logs: Vec::new(),
        l2_to_l1_messages: Vec::new(),
        created: None,
        gas_price: U256::ZERO,
    }
}

/// Native per pubdata byte of the hand-made receipts.
const NATIVE_PER_PUBDATA: u64 = 1_000;

/// [`EstimateBreakdown::split`] at [`NATIVE_PER_PUBDATA`].
fn split_at(
    gas_limit: u64,
    executed: &TxReceipt,
    native_per_gas: Option<u64>,
) -> EstimateBreakdown {
    EstimateBreakdown::split(gas_limit, executed, (native_per_gas, NATIVE_PER_PUBDATA), 0)
}

#[test]
fn breakdown_arithmetic() {
    // 100 native per gas, EVM charge 40,000 gas. Computation 5,000,000 native = 50,000 gas,
    // pubdata 2,000 bytes × 1,000 = 2,000,000 native = 20,000 gas: the native needs 70,000 gas, 30,000 beyond the
    // EVM's charge; deltaGas is 50,000 − 40,000 = 10,000, pubdata gas the other 20,000, and the
    // EVM keeps 100,000 − 30,000 = 70,000 of a 100,000 limit.
    let split = split_at(100_000, &receipt(40_000, 5_000_000, 2_000_000), Some(100));
    assert_eq!(
        (split.evm_gas, split.delta_gas, split.pubdata_gas),
        (70_000, 10_000, 20_000)
    );
    assert_eq!(split.native_per_gas, 100);
    // EVM charge 60,000 already buys the computation (50,000): no deltaGas; the native needs
    // 70,000, so 10,000 gas is for pubdata; 90,000 + 0 + 10,000 = 100,000.
    let split = split_at(100_000, &receipt(60_000, 5_000_000, 2_000_000), Some(100));
    assert_eq!(
        (split.evm_gas, split.delta_gas, split.pubdata_gas),
        (90_000, 0, 10_000)
    );
    // Rounding: 5,000,001 native is 50,001 gas (rounded up, the allowance must cover it).
    let split = split_at(80_000, &receipt(21_000, 5_000_001, 0), Some(100));
    assert_eq!(
        (split.evm_gas, split.delta_gas, split.pubdata_gas),
        (50_999, 29_001, 0)
    );
    // A reserve of 500,000 native for pubdata: the native needs 75,000 gas, 35,000 beyond the
    // EVM's charge of 40,000; deltaGas stays 10,000 and pubdata gas is 20,000 + 5,000.
    let reserved = EstimateBreakdown::split(
        100_000,
        &receipt(40_000, 5_000_000, 2_000_000),
        (Some(100), NATIVE_PER_PUBDATA),
        500_000,
    );
    assert_eq!(
        (reserved.evm_gas, reserved.delta_gas, reserved.pubdata_gas),
        (65_000, 10_000, 25_000)
    );
    // Unpriced native (the Ethereum flow, or a zero price): the limit is all the EVM's.
    for per_gas in [None, Some(0)] {
        let split = split_at(50_000, &receipt(40_000, 5_000_000, 0), per_gas);
        assert_eq!(
            (split.evm_gas, split.delta_gas, split.pubdata_gas),
            (50_000, 0, 0)
        );
    }
}

/// Base fee 1,000 wei, native 100 wei (10 native per gas), pubdata 10,000 wei (100 native per
/// byte): native decides the limit of a plain transfer under either version.
fn native_priced() -> FeeParams {
    FeeParams {
        native_price: U256::from(100u64),
        pubdata_price: U256::from(10_000u64),
        ..FeeParams::default()
    }
}

/// A transfer of 1 wei to [`OTHER`] (a new account) at the base fee.
fn priced_transfer(gas: Option<u64>) -> TxRequest {
    let mut request = call_to(OTHER, gas);
    request.value = U256::from(1u64);
    request.max_fee_per_gas = Some(1_000);
    request.max_priority_fee_per_gas = Some(0);
    request
}

/// Whether `request` is included and succeeds in the next block of a copy of `engine`.
fn succeeds_on_chain(engine: &Engine, request: TxRequest) -> bool {
    let mut chain = engine.clone();
    let report = chain
        .run_block(&[BlockTx::Request(alloc::boxed::Box::new(request))], None)
        .expect("block");
    report.receipts.first().is_some_and(|r| r.status)
}

#[test]
fn native_bound_estimate_is_exact_under_both_versions() {
    for version in ProtocolVersion::ALL {
        let engine = zk_engine_at(native_priced(), version);
        let estimate = engine
            .estimate_gas(&priced_transfer(None), &StateOverride::new())
            .expect("estimate");
        let split = estimate.breakdown;
        // The parts add up to the limit, and the fee is the limit at the 1,000 wei price.
        assert_eq!(
            split.evm_gas + split.delta_gas + split.pubdata_gas,
            estimate.gas_limit,
            "{version:?} {estimate:?}"
        );
        assert_eq!(estimate.gas_price, U256::from(1_000u64));
        assert_eq!(estimate.max_fee, U256::from(estimate.gas_limit * 1_000));
        // 1,000 / 100 = 10 native per gas; a plain transfer's EVM gas is 21,000, and native
        // decides: the limit is the native used in gas, rounded up, with version 2's reserve
        // for the coinbase's diff (66 bytes at 100 native per byte).
        let reserve = match version {
            ProtocolVersion::V1 => 0,
            ProtocolVersion::V2 => 66,
        };
        assert_eq!(split.native_per_gas, 10);
        assert_eq!(split.evm_gas, 21_000, "{version:?} {estimate:?}");
        assert_eq!(
            estimate.gas_limit,
            (estimate.native_used + reserve * 100).div_ceil(10)
        );
        // Pubdata: 10,000 / 100 = 100 native per byte, 10 gas per byte.
        assert!(estimate.pubdata_used > 0);
        assert_eq!(
            split.pubdata_gas,
            (estimate.pubdata_used + reserve) * 10,
            "{version:?}"
        );
        assert!(split.delta_gas > 0, "{version:?} {estimate:?}");
        // On chain the limit succeeds; without the reserve, one gas less cannot pay for the
        // native.
        let bare = estimate.native_used.div_ceil(10);
        assert!(succeeds_on_chain(
            &engine,
            priced_transfer(Some(estimate.gas_limit))
        ));
        assert!(succeeds_on_chain(&engine, priced_transfer(Some(bare))));
        assert!(!succeeds_on_chain(&engine, priced_transfer(Some(bare - 1))));
    }
}

/// Version 2: an estimate holds for a transaction after another in its block, which pays the
/// diff the first one's fee left on the coinbase (upstream charges every accessed account's
/// diff against the block start); the native the simulation measured alone does not, when
/// pubdata is dear (100,000 native per byte: the diff outweighs the native the warm coinbase
/// saves).
#[test]
fn v2_estimate_holds_after_another_transaction_of_the_block() {
    let fees = FeeParams {
        pubdata_price: U256::from(10_000_000u64),
        coinbase: Address::repeat_byte(0xc0),
        ..native_priced()
    };
    let engine = zk_engine_at(fees, ProtocolVersion::V2);
    let first = priced_transfer(Some(3_000_000));
    let mut after_first = engine.clone();
    after_first
        .run_block(
            &[BlockTx::Request(alloc::boxed::Box::new(first.clone()))],
            None,
        )
        .expect("block");
    let estimate = after_first
        .estimate_gas(&priced_transfer(None), &StateOverride::new())
        .expect("estimate");
    let second = |gas: u64| {
        let mut request = priced_transfer(Some(gas));
        request.nonce = Some(1);
        request
    };
    let block = |gas: u64| {
        let mut chain = engine.clone();
        let report = chain
            .run_block(
                &[
                    BlockTx::Request(alloc::boxed::Box::new(first.clone())),
                    BlockTx::Request(alloc::boxed::Box::new(second(gas))),
                ],
                None,
            )
            .expect("block");
        report.receipts.get(1).is_some_and(|r| r.status)
    };
    assert!(block(estimate.gas_limit), "{estimate:?}");
    assert!(!block(estimate.native_used.div_ceil(10)), "{estimate:?}");
}

#[test]
fn gas_bound_estimate_is_all_evm_gas() {
    // At the default prices (1,000 native per gas) the gas gate's 71,006 gas buys far more
    // native than the call uses: no deltaGas, no pubdata gas.
    for version in ProtocolVersion::ALL {
        let engine = zk_engine_at(FeeParams::default(), version);
        let estimate = engine
            .estimate_gas(&call_to(CONTRACT, None), &StateOverride::new())
            .expect("estimate");
        let split = estimate.breakdown;
        assert_eq!(
            (split.evm_gas, split.delta_gas, split.pubdata_gas),
            (estimate.gas_limit, 0, 0),
            "{version:?}"
        );
        assert_eq!(split.native_per_gas, 1_000);
        assert!(estimate.gas_limit >= 71_006, "{version:?} {estimate:?}");
        // Unpriced, the estimate assumes the base fee.
        assert_eq!(estimate.max_fee, U256::from(estimate.gas_limit * 1_000));
    }
}
