//! `set_block_params`: the base fee, coinbase and gas limit a running chain changes for its
//! next blocks (the dev node's `anvil_setNextBlockBaseFeePerGas`, `anvil_setCoinbase`,
//! `evm_setBlockGasLimit`) reach the block context, the header and the pool's admission, stay
//! until set again, and come back with a rewind.

use super::*;

const COINBASE: Address = address!("00000000000000000000000000000000000c0b05");

fn balance(engine: &Engine, address: &Address) -> U256 {
    engine
        .get_account(address)
        .map(|a| a.balance)
        .unwrap_or_default()
}

#[test]
fn refused_params_change_nothing() {
    let mut engine = engine();
    let before = *engine.fees();
    for params in [
        BlockParams {
            base_fee: Some(U256::from(MAX_SET_BASE_FEE_WEI) + U256::from(1)),
            coinbase: Some(COINBASE),
            ..Default::default()
        },
        BlockParams {
            gas_limit: Some(20_999),
            coinbase: Some(COINBASE),
            ..Default::default()
        },
    ] {
        let err = engine.set_block_params(params).expect_err("refused");
        assert_eq!(err.code(), "ZKOS_BAD_INPUT", "{err:?}");
        assert_eq!(*engine.fees(), before);
    }
    // The bounds themselves are taken.
    engine
        .set_block_params(BlockParams {
            base_fee: Some(U256::from(MAX_SET_BASE_FEE_WEI)),
            gas_limit: Some(21_000),
            ..Default::default()
        })
        .expect("taken");
    assert_eq!(engine.fees().block_gas_limit, 21_000);
}

#[test]
fn set_params_reach_the_next_blocks_and_the_admission_and_a_rewind_undoes_them() {
    for mut engine in [engine(), zk_engine(FeeParams::default())] {
        let before = *engine.fees();
        let checkpoint = engine.checkpoint();
        engine
            .set_block_params(BlockParams {
                base_fee: Some(U256::from(1_500)),
                coinbase: Some(COINBASE),
                gas_limit: Some(50_000),
            })
            .expect("set");
        let context = engine
            .next_block_context(&BlockOverrides::default())
            .expect("context");
        assert_eq!(
            (context.base_fee, context.coinbase, context.gas_limit),
            (U256::from(1_500), COINBASE, 50_000)
        );
        // The pool's admission follows: a gas limit above the block's, a fee cap below the base fee.
        for (edit, rule) in [
            (
                (|t: &mut Transaction| t.gas_limit = 50_001) as fn(&mut Transaction),
                "GasLimitAboveBlock",
            ),
            (|t| t.max_fee_per_gas = 1_499, "FeeCapBelowBaseFee"),
        ] {
            let mut tx = transfer(0, 1);
            edit(&mut tx);
            sign(&mut tx);
            let item = BlockTx::Raw(crate::tx::encode(&tx).expect("encodes").into());
            let err = engine.pending_tx(&item).expect_err(rule);
            assert_eq!(err.reason(), Some(rule));
        }
        let mut tx = transfer(0, 1);
        sign(&mut tx);
        let item = BlockTx::Raw(crate::tx::encode(&tx).expect("encodes").into());
        let report = engine.run_block(&[item], None).expect("block");
        assert!(report.rejected.is_empty(), "{:?}", report.rejected);
        let head = engine.head().clone();
        assert_eq!(
            (head.base_fee, head.coinbase, head.gas_limit),
            (U256::from(1_500), COINBASE, 50_000)
        );
        // The coinbase is paid (in the Ethereum flow the tip: min(10, 2000 - 1500) per gas).
        if engine.config().flow == crate::config::FlowKind::Ethereum {
            assert_eq!(balance(&engine, &COINBASE), U256::from(21_000 * 10));
        } else {
            assert!(balance(&engine, &COINBASE) > U256::ZERO);
        }
        // No EIP-1559 drift: an empty block after it keeps the base fee as set.
        engine.run_block(&[], None).expect("empty block");
        assert_eq!(engine.head().base_fee, U256::from(1_500));
        engine.rewind(&checkpoint).expect("rewound");
        assert_eq!(*engine.fees(), before);
    }
}
