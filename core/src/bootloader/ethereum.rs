//! The Ethereum transaction flow: Ethereum's validation and fee rules (base fee burnt, tip to
//! the coinbase, no pubdata, unlimited native, EIP-161 clean-up), on the same EVM and IO as the
//! ZKsync OS flow. This is what the Ethereum state tests check.

use super::validation::{self, InvalidTransaction};
use crate::config::{ChainConfig, Hardfork};
use crate::ee::evm::{CallKind, CallRequest, CreateRequest, Env, FrameEnd, Halt};
use crate::env::{BlockEnv, TxEnv};
use crate::io::{Io, Log, StateSource};
use crate::precompiles::Precompile;
use crate::primitives::{Address, Bytes, U256};
use crate::resources::gas::StaticErgsTable;
use crate::resources::{ergs_to_gas, gas_to_ergs};
use crate::runner::{Message, RunStatus, Runner};
use crate::trace::Tracer;
use crate::tx::intrinsic::intrinsic_gas;
use crate::tx::Transaction;
use alloc::vec::Vec;

/// EIP-7702: refund for an authorization whose authority already exists.
const AUTHORIZATION_EXISTING_ACCOUNT_REFUND_GAS: i64 = 25_000 - 12_500;

/// The result of an executed (included) transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TxReceipt {
    /// Whether the top-level frame succeeded.
    pub success: bool,
    /// Gas charged to the sender (after refund and floor).
    pub gas_used: u64,
    /// Gas refunded by the refund counter (EIP-3529 cap applied).
    pub gas_refunded: u64,
    /// Native used.
    pub native_used: u64,
    /// Output (return or revert data).
    pub output: Bytes,
    /// Halt reason when the top-level frame halted.
    pub halt: Option<Halt>,
    /// Events emitted (empty when the transaction failed).
    pub logs: Vec<Log>,
    /// Address of the deployed contract for a successful deployment.
    pub created: Option<Address>,
}

/// Executes one signed-and-recovered transaction from `sender` in the Ethereum flow.
/// An invalid transaction leaves the state untouched.
pub fn execute_transaction<S: StateSource, T: Tracer>(
    io: &mut Io<S>,
    config: &ChainConfig,
    block: &BlockEnv,
    tx: &Transaction,
    sender: Address,
    tracer: &mut T,
) -> Result<TxReceipt, InvalidTransaction> {
    let hardfork = config.hardfork;
    let intrinsic = intrinsic_gas(tx, hardfork);
    let checked = validation::check_ethereum(io, config, block, tx, &sender, &intrinsic)?;
    let start = io.checkpoint();
    let logs_before = io.logs().len();
    io.reset_native(u64::MAX);

    // Buy gas and bump the nonce.
    let sender_nonce = io.account(&sender).nonce;
    let sender_balance = io.account(&sender).balance;
    if io
        .set_balance(&sender, sender_balance - checked.upfront_fee)
        .and_then(|()| io.set_nonce(&sender, sender_nonce + 1))
        .is_err()
    {
        io.rollback(start);
        return Err(InvalidTransaction::OutOfNativeInValidation);
    }

    // EIP-2929 / EIP-3651 warm set.
    io.warm_account(&sender);
    io.warm_account(&block.coinbase);
    for precompile in Precompile::active(hardfork, config.flow) {
        io.warm_account(&precompile);
    }
    for item in &tx.access_list {
        io.warm_account(&item.address);
        for key in &item.storage_keys {
            io.warm_slot(&item.address, &U256::from_be_bytes(key.0));
        }
    }

    let mut refund: i64 = 0;
    if hardfork >= Hardfork::Prague && !tx.authorization_list.is_empty() {
        refund += apply_authorizations(io, config, tx);
    }

    let env = Env {
        hardfork,
        flow: config.flow,
        chain_id: config.chain_id,
        block: block.clone(),
        tx: TxEnv {
            origin: sender,
            gas_price: checked.effective_gas_price,
            blob_hashes: tx.blob_versioned_hashes.clone(),
        },
        ergs_table: StaticErgsTable::for_hardfork(hardfork),
    };
    let ergs = gas_to_ergs(tx.gas_limit - intrinsic.gas);
    let message = match tx.to {
        Some(to) => {
            io.warm_account(&to);
            let mut code_address = to;
            let mut delegated = false;
            if hardfork >= Hardfork::Prague {
                if let Some(target) = io.account(&to).code.delegation_target() {
                    io.warm_account(&target);
                    code_address = target;
                    delegated = true;
                }
            }
            Some(Message::Call(CallRequest {
                kind: CallKind::Call,
                target: to,
                code_address,
                delegated,
                caller: sender,
                transfer_value: tx.value,
                apparent_value: tx.value,
                input: tx.data.clone(),
                ergs,
                is_static: false,
                return_memory: (0, 0),
            }))
        }
        None => {
            let address = crate::ee::evm::frame::create_address(&sender, sender_nonce);
            io.warm_account(&address);
            let target = io.account(&address);
            let collision = target.nonce != 0 || !target.code.is_empty();
            if collision || io.has_storage(&address) {
                None
            } else {
                Some(Message::Create(CreateRequest {
                    kind: CallKind::Create,
                    caller: sender,
                    address,
                    value: tx.value,
                    init_code: tx.data.clone(),
                    ergs,
                }))
            }
        }
    };

    let outcome = match message {
        Some(message) => {
            let mut runner = Runner::new(message);
            match runner.run(io, &env, tracer, u64::MAX) {
                RunStatus::Done(outcome) => Some(outcome),
                RunStatus::Paused => None,
            }
        }
        None => None,
    };
    let (end, ergs_left, exec_refund, created) = match outcome {
        Some(o) => (o.end, o.ergs_left, o.refund, o.created),
        None => (FrameEnd::Halt(Halt::OutOfGas), 0, 0, None),
    };
    refund += exec_refund;

    let gas_left = ergs_to_gas(ergs_left);
    let gas_used_before_refund = tx.gas_limit - gas_left;
    let gas_refunded = (refund.max(0) as u64).min(gas_used_before_refund / 5);
    let mut gas_used = gas_used_before_refund - gas_refunded;
    if hardfork >= Hardfork::Prague {
        gas_used = gas_used.max(intrinsic.floor_gas);
    }

    // Pay back unused gas, tip the coinbase.
    let price = checked.effective_gas_price;
    let returned = U256::from(tx.gas_limit - gas_used) * price;
    let sender_balance = io.account(&sender).balance;
    let _ = io.set_balance(&sender, sender_balance + returned);
    let tip = U256::from(gas_used) * (price - block.base_fee);
    let coinbase = io.account(&block.coinbase);
    let (coinbase_balance, coinbase_empty) =
        (coinbase.balance, coinbase.exists && coinbase.is_empty());
    if !tip.is_zero() {
        let _ = io.set_balance(&block.coinbase, coinbase_balance + tip);
    } else if coinbase_empty {
        io.touch(&block.coinbase);
    }

    let success = matches!(end, FrameEnd::Success(_));
    let logs = io.logs_since(logs_before).to_vec();
    let native_used = io.native_used();
    io.finish_tx(true);
    let (output, halt) = match end {
        FrameEnd::Success(out) | FrameEnd::Revert(out) => (out, None),
        FrameEnd::Halt(h) => (Bytes::new(), Some(h)),
    };
    Ok(TxReceipt {
        success,
        gas_used,
        gas_refunded,
        native_used,
        output,
        halt,
        logs,
        created: if success { created } else { None },
    })
}

/// Applies EIP-7702 authorizations; returns the refund earned for existing authorities.
fn apply_authorizations<S: StateSource>(
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
            designator.extend_from_slice(&[0xef, 0x01, 0x00]);
            designator.extend_from_slice(authorization.address.as_slice());
            designator
        };
        let nonce = authorization.nonce + 1;
        let _ = io.set_code(&authority, &code);
        let _ = io.set_nonce(&authority, nonce);
    }
    refund
}
