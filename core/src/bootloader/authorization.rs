//! EIP-7702 authorizations, applied after the nonce bump and before execution in both flows.

use crate::bytecode::DELEGATION_PREFIX;
use crate::config::ChainConfig;
use crate::io::{Io, StateSource};
use crate::primitives::{Address, U256};
use crate::tx::Transaction;
use alloc::vec::Vec;

/// EIP-7702: refund for an authorization whose authority already exists.
const AUTHORIZATION_EXISTING_ACCOUNT_REFUND_GAS: i64 = 25_000 - 12_500;

/// Applies EIP-7702 authorizations; returns the refund earned for existing authorities.
/// Invalid authorizations are skipped, as EIP-7702 requires.
pub(crate) fn apply_authorizations<S: StateSource>(
    io: &mut Io<S>,
    config: &ChainConfig,
    tx: &Transaction,
) -> i64 {
    let mut refund = 0;
    for authorization in &tx.authorization_list {
        if !authorization.chain_id.is_zero()
            && authorization.chain_id != U256::from(config.chain_id)
        {
            continue;
        }
        if authorization.nonce == u64::MAX {
            continue;
        }
        let Some(authority) = authorization.authority() else {
            continue;
        };
        io.warm_account(&authority);
        let account = io.account(&authority);
        if !account.code.is_empty() && account.code.delegation_target().is_none() {
            continue;
        }
        if account.nonce != authorization.nonce {
            continue;
        }
        if account.exists {
            refund += AUTHORIZATION_EXISTING_ACCOUNT_REFUND_GAS;
        }
        let code: Vec<u8> = if authorization.address == Address::ZERO {
            Vec::new()
        } else {
            let mut designator = Vec::with_capacity(23);
            designator.extend_from_slice(&DELEGATION_PREFIX);
            designator.extend_from_slice(authorization.address.as_slice());
            designator
        };
        let nonce = authorization.nonce + 1;
        let _ = io.set_code(&authority, &code);
        let _ = io.set_nonce(&authority, nonce);
    }
    refund
}
