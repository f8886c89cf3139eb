//! Calls: the engine never changes, state overrides, L2→L1 messages in results.

use super::*;

#[test]
fn call_never_changes_the_engine() {
    let engine = engine();
    let result = engine
        .call(&call_to(CONTRACT, None), &StateOverride::new(), None)
        .expect("call");
    assert!(result.success);
    // 21000 + PUSH3 3 + GAS 2 + GT 3 + PUSH1 3 + JUMPI 10 + JUMPDEST 1 + PUSH1 3 + PUSH1 3
    // + SSTORE (cold 2100 + set 20000) = 43,128.
    assert_eq!(result.gas_used, 43_128);
    assert_eq!(engine.get_storage(&CONTRACT, &U256::ZERO), U256::ZERO);
    assert_eq!(engine.get_nonce(&SENDER), 0);
    assert_eq!(engine.head().number, 0);
}

#[test]
fn call_applies_state_overrides() {
    let engine = engine();
    let mut overrides = StateOverride::new();
    let mut diff = alloc::collections::BTreeMap::new();
    diff.insert(U256::ZERO, U256::from(0x2au64));
    overrides.insert(
        OTHER,
        AccountOverride {
            code: Some(Bytes::copy_from_slice(&READ_SLOT0)),
            state_diff: diff,
            ..Default::default()
        },
    );
    let result = engine
        .call(&call_to(OTHER, None), &overrides, None)
        .expect("call");
    assert_eq!(U256::from_be_slice(&result.output), U256::from(0x2au64));
    // Without overrides the account has no code: empty output.
    let plain = engine
        .call(&call_to(OTHER, None), &StateOverride::new(), None)
        .expect("call");
    assert!(plain.output.is_empty());
    // A balance override lets a poor sender send value.
    let poor = Address::repeat_byte(0x55);
    let mut request = call_to(OTHER, None);
    request.from = Some(poor);
    request.value = U256::from(10u64);
    let err = engine
        .call(&request, &StateOverride::new(), None)
        .expect_err("no funds");
    assert_eq!(err.code(), "ZKOS_TX_INVALID");
    let mut rich = StateOverride::new();
    rich.insert(
        poor,
        AccountOverride {
            balance: Some(U256::from(10u64)),
            ..Default::default()
        },
    );
    assert!(engine.call(&request, &rich, None).expect("funded").success);
    // `state` together with `stateDiff` is refused.
    let mut both = overrides.clone();
    if let Some(o) = both.get_mut(&OTHER) {
        o.state = Some(alloc::collections::BTreeMap::new());
    }
    let err = engine
        .call(&call_to(OTHER, None), &both, None)
        .expect_err("contradiction");
    assert_eq!(err.code(), "ZKOS_BAD_INPUT");
}

#[test]
fn call_results_carry_l2_to_l1_messages() {
    let engine = token_engine();
    let request = TxRequest {
        from: Some(SENDER),
        to: Some(crate::system::L1_MESSENGER_ADDRESS),
        data: send_to_l1_call().into(),
        ..Default::default()
    };
    let result = engine
        .call(&request, &StateOverride::new(), None)
        .expect("call");
    assert!(result.success);
    assert_eq!(result.l2_to_l1_messages.len(), 1);
    assert_eq!(result.l2_to_l1_messages[0].sender, SENDER);
    assert_eq!(result.l2_to_l1_messages[0].data.as_ref(), MESSAGE);
}

/// A simulation and an impersonated transaction may come from an account with code (geth's
/// calls skip EIP-3607, so a wallet can simulate its smart account; anvil lets a dev node send
/// from a contract); a signed transaction from an account with code is still refused.
#[test]
fn accounts_with_code_may_call_and_be_impersonated_but_not_sign() {
    let engines = [
        engine(),
        zk_engine(FeeParams::default()),
        zk_engine_at(FeeParams::default(), ProtocolVersion::V2),
    ];
    for mut engine in engines {
        let smart_account = AccountInput {
            code: Bytes::copy_from_slice(&GAS_GATED),
            balance: U256::from(ETHER_WEI),
            ..Default::default()
        };
        engine.set_account(CONTRACT, smart_account).expect("stored");
        let mut request = call_to(OTHER, Some(100_000));
        request.from = Some(CONTRACT);
        request.value = U256::from(7u64);
        assert!(
            engine
                .call(&request, &StateOverride::new(), None)
                .expect("a call from an account with code")
                .success
        );
        let report = engine
            .run_block(&[BlockTx::Request(alloc::boxed::Box::new(request))], None)
            .expect("block");
        assert!(report.rejected.is_empty(), "{:?}", report.rejected);
        assert_eq!(engine.get_balance(&OTHER), U256::from(7u64));
        assert_eq!(engine.get_nonce(&CONTRACT), 1);

        let signer_with_code = AccountInput {
            code: Bytes::copy_from_slice(&READ_SLOT0),
            balance: U256::from(ETHER_WEI),
            ..Default::default()
        };
        engine
            .set_account(SENDER, signer_with_code)
            .expect("stored");
        let raw = signed_raw(0, Some(OTHER), 100_000, &[]);
        let report = engine.run_block(&[BlockTx::Raw(raw)], None).expect("block");
        assert_eq!(report.rejected.len(), 1);
        assert_eq!(report.rejected[0].error.reason(), Some("SenderHasCode"));
    }
}

/// A request with an authorization list runs as a type-4 transaction (geth's `TransactionArgs`):
/// the sender's account delegates to the contract for the call, and nothing stays. Before, the
/// request had no such field and clients' `eth_estimateGas` of a 7702 transaction was refused.
#[test]
fn a_request_with_authorizations_runs_delegated_and_changes_nothing() {
    let mut engine = funded_engine(Hardfork::Prague);
    engine
        .set_account(
            CONTRACT,
            AccountInput {
                code: Bytes::copy_from_slice(&READ_SLOT0),
                storage: [(U256::ZERO, U256::from(7u8))].to_vec(),
                ..Default::default()
            },
        )
        .expect("stored");
    engine
        .set_account(
            SENDER,
            AccountInput {
                balance: U256::from(ETHER_WEI),
                storage: [(U256::ZERO, U256::from(0x2au8))].to_vec(),
                ..Default::default()
            },
        )
        .expect("stored");
    // The sender's own nonce is used by the transaction: its authorization carries nonce + 1.
    let mut authorization = crate::tx::Authorization {
        chain_id: U256::from(1u8),
        address: CONTRACT,
        nonce: 1,
        y_parity: 0,
        r: U256::ZERO,
        s: U256::ZERO,
    };
    crate::tx::test_signing::sign_authorization(&SECRET_KEY, &mut authorization);
    let request = TxRequest {
        authorization_list: [authorization].to_vec(),
        ..call_to(SENDER, Some(100_000))
    };
    let result = engine
        .call(&request, &StateOverride::new(), None)
        .expect("call");
    assert!(result.success);
    // The delegated code reads the sender's own slot 0, not the contract's.
    assert_eq!(U256::from_be_slice(&result.output), U256::from(0x2au8));
    // EIP-7702: 21,000 + 25,000 per authorization, 12,500 of it refunded as the authority
    // exists; the call itself (SLOAD cold 2,100 and the rest) comes on top.
    assert!(result.gas_used > 21_000 + 12_500, "{}", result.gas_used);
    let estimate = engine
        .estimate_gas(&request, &StateOverride::new())
        .expect("estimate");
    assert!(estimate.gas_limit >= result.gas_used);
    assert!(engine.get_code(&SENDER).is_empty());
    assert_eq!(engine.get_nonce(&SENDER), 0);
    assert_eq!(engine.head().number, 0);
    // Without the list the sender has no code: empty output.
    let plain = engine
        .call(&call_to(SENDER, Some(100_000)), &StateOverride::new(), None)
        .expect("call");
    assert!(plain.output.is_empty());
}

/// `BASEFEE PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN`.
const READ_BASE_FEE: [u8; 9] = hex!("4860005260206000f3");

#[test]
fn an_unpriced_call_runs_at_base_fee_zero_under_a_base_fee_override() {
    let mut overrides = StateOverride::new();
    overrides.insert(
        OTHER,
        AccountOverride {
            code: Some(Bytes::copy_from_slice(&READ_BASE_FEE)),
            ..Default::default()
        },
    );
    let block = BlockOverrides {
        base_fee: Some(U256::from(0x1234u64)),
        ..Default::default()
    };
    let poor = Address::repeat_byte(0x55);
    for engine in [engine(), zk_engine(FeeParams::default())] {
        // A sender without funds and no fee field: geth lowers the base fee to zero and runs it
        // (BASEFEE reads 0); before, the override priced it and it was refused.
        let unpriced = TxRequest {
            from: Some(poor),
            ..call_to(OTHER, None)
        };
        let result = engine
            .call(&unpriced, &overrides, Some(&block))
            .expect("runs unpriced");
        assert_eq!(U256::from_be_slice(&result.output), U256::ZERO);
        // Priced, the override is the block's base fee.
        let priced = TxRequest {
            gas_price: Some(0x1234),
            ..call_to(OTHER, None)
        };
        let result = engine
            .call(&priced, &overrides, Some(&block))
            .expect("runs priced");
        assert_eq!(U256::from_be_slice(&result.output), U256::from(0x1234u64));
    }
}
