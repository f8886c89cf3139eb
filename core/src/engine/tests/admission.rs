//! What `pending_tx` refuses at once (a pool's admission): a transaction no block could take at
//! the head's state. Before, each of these was admitted, pooled by the dev node with automine
//! off, and dropped without a receipt when the next block refused it.

use super::*;

/// `transfer(nonce, 1)` changed by `edit`, signed, as a raw block transaction.
fn raw_with(nonce: u64, edit: impl FnOnce(&mut Transaction)) -> BlockTx {
    let mut tx = transfer(nonce, 1);
    edit(&mut tx);
    sign(&mut tx);
    BlockTx::Raw(crate::tx::encode(&tx).expect("encodes").into())
}

/// The rule `pending_tx` refuses `item` for (its reason name), `None` when admitted.
fn refusal(engine: &mut Engine, item: &BlockTx) -> Option<&'static str> {
    engine.pending_tx(item).err().map(|e| {
        assert_eq!(e.code(), "ZKOS_TX_INVALID", "{e:?}");
        e.reason().expect("named")
    })
}

#[test]
fn pending_tx_refuses_what_no_block_could_take_and_the_block_agrees() {
    for mut engine in [engine(), zk_engine(FeeParams::default())] {
        let block_gas = engine
            .next_block_context(&BlockOverrides::default())
            .expect("context")
            .gas_limit;
        let base_fee = u128::try_from(engine.fees().base_fee).expect("small");
        let cases: [(BlockTx, &str); 6] = [
            (raw_with(0, |t| t.gas_limit = 20_999), "IntrinsicGasTooLow"),
            (
                raw_with(0, |t| t.gas_limit = block_gas + 1),
                "GasLimitAboveBlock",
            ),
            (
                raw_with(0, |t| t.max_fee_per_gas = base_fee - 1),
                "FeeCapBelowBaseFee",
            ),
            (
                raw_with(0, |t| t.max_priority_fee_per_gas = t.max_fee_per_gas + 1),
                "PriorityFeeAboveFeeCap",
            ),
            (
                raw_with(0, |t| t.value = U256::from(ETHER_WEI)),
                "InsufficientFunds",
            ),
            (raw_with(0, |t| t.chain_id = Some(2)), "ChainIdMismatch"),
        ];
        for (item, rule) in &cases {
            assert_eq!(refusal(&mut engine, item), Some(*rule));
            // The block refuses it for the same rule.
            let report = engine
                .run_block(core::slice::from_ref(item), None)
                .expect("block");
            assert_eq!(report.rejected.len(), 1, "{rule}");
        }
        // A nonce ahead waits (admitted); one behind is refused once the nonce has moved on.
        assert_eq!(refusal(&mut engine, &raw_with(3, |_| ())), None);
        let first = raw_with(0, |_| ());
        assert_eq!(refusal(&mut engine, &first), None);
        engine
            .run_block(core::slice::from_ref(&first), None)
            .expect("block");
        assert_eq!(refusal(&mut engine, &first), Some("NonceTooLow"));
        // Funds are checked at the fee cap: gas limit × fee cap + value, as geth's pool.
        let balance = engine.get_balance(&SENDER);
        let fee = U256::from(21_000u64 * 2_000);
        let spend_all = |value: U256| raw_with(1, move |t| t.value = value);
        assert_eq!(refusal(&mut engine, &spend_all(balance - fee)), None);
        assert_eq!(
            refusal(&mut engine, &spend_all(balance - fee + U256::from(1u64))),
            Some("InsufficientFunds")
        );
    }
}

#[test]
fn pending_tx_of_an_osaka_chain_refuses_gas_above_eip_7825s_cap() {
    let mut engine = funded_engine(Hardfork::Osaka);
    let over = raw_with(0, |t| t.gas_limit = (1 << 24) + 1);
    assert_eq!(refusal(&mut engine, &over), Some("GasLimitAboveCap"));
    assert_eq!(
        refusal(&mut engine, &raw_with(0, |t| t.gas_limit = 1 << 24)),
        None
    );
}
