//! The ZKsync OS transaction flow (spec §3 "Deriving the native limit" and §4): gas and native
//! are both metered, pubdata is paid from native, the whole fee goes to the coinbase, and
//! L1→L2 priority and upgrade transactions run without validation.

use super::execution::Charged;
use super::pubdata::net_pubdata_bytes;
use super::validation::{check_chain_id, check_intrinsic, max_blobs_per_block, InvalidTransaction};
use crate::config::{ChainConfig, Hardfork};
use crate::env::BlockEnv;
use crate::io::{Checkpoint, Io, L2ToL1Message, StateSource};
use crate::precompiles::PRECOMPILE_NATIVE_COSTS_V1;
use crate::primitives::{Address, U256};
use crate::resources::gas::{self, GAS_PER_BLOB};
use crate::resources::native::MERKLE_PATH_NATIVE;
use crate::resources::MAX_GAS_LIMIT;
use crate::tx::intrinsic::IntrinsicGas;
use crate::tx::{Transaction, UPGRADE_TX_TYPE};

/// Most computational native one transaction (and one block) may use: 2^35.
pub const MAX_NATIVE_COMPUTATIONAL: u64 = 1 << 35;
/// The native limit of a transaction whose native per gas is zero ("unlimited").
pub const UNLIMITED_NATIVE: u64 = u64::MAX - 1;

/// Native of verifying the signature: one ecrecover.
pub const SIGNATURE_VERIFICATION_NATIVE: u64 = PRECOMPILE_NATIVE_COSTS_V1.ecrecover_native;
/// Native of reading the sender's account, worst case (absent from the tree: two paths).
pub const SENDER_COLD_READ_NATIVE: u64 = 2 * MERKLE_PATH_NATIVE;
/// Native of persisting the sender's nonce update (one path of an existing account).
pub const NONCE_UPDATE_NATIVE: u64 = MERKLE_PATH_NATIVE;
/// Native of the fixed part of the two keccak passes over the transaction (signing hash and
/// transaction hash); the per-byte part is [`CALLDATA_BYTE_NATIVE`].
pub const TX_HASHES_BASE_NATIVE: u64 = 2 * 2_500;
/// Native of the fee debit from the sender and the credit to the coinbase: two account writes
/// (cache access 4,000 + write 1,000 each).
pub const FEE_TRANSFERS_NATIVE: u64 = 2 * (4_000 + 1_000);
/// Native of folding the transaction hash into the block's rolling hash: keccak of 64 bytes
/// (2,500 + one 17,500 round).
pub const ROLLING_HASH_NATIVE: u64 = 2_500 + 17_500;
/// Intrinsic computational native of an L2 transaction: 522,000 + 242,240 + 121,120 + 5,000 +
/// 10,000 + 20,000 = 920,360 (the spec's "about 922k").
pub const L2_TX_INTRINSIC_NATIVE: u64 = SIGNATURE_VERIFICATION_NATIVE
    + SENDER_COLD_READ_NATIVE
    + NONCE_UPDATE_NATIVE
    + TX_HASHES_BASE_NATIVE
    + FEE_TRANSFERS_NATIVE
    + ROLLING_HASH_NATIVE;
/// Native per calldata byte: one copy (1) plus two keccak passes (17,500 / 136 each),
/// ceil(1 + 257.35) = 259.
pub const CALLDATA_BYTE_NATIVE: u64 = 259;
/// Native per access-list address (ours, spec ≈ 260k): 2,000 handling + a cold read of an
/// absent account (242,240) + one keccak (20,000).
pub const ACCESS_LIST_ADDRESS_NATIVE: u64 = 2_000 + 2 * MERKLE_PATH_NATIVE + 20_000;
/// Native per access-list storage key (ours, spec ≈ 253k): 2,000 handling + a cold read of an
/// absent slot (242,240) + the blake2s flat-key derivation of one 64-byte block (1,140).
pub const ACCESS_LIST_STORAGE_KEY_NATIVE: u64 = 2_000 + 2 * MERKLE_PATH_NATIVE + 1_140;
/// Native per EIP-7702 authorization (ours, spec ≈ 0.86M): 2,000 handling + ecrecover +
/// keccak of the authorization (20,000) + a cold read of an absent authority (242,240) + nonce
/// and code writes (2 × 5,000) + the code preimage (500).
pub const AUTHORIZATION_NATIVE: u64 =
    2_000 + SIGNATURE_VERIFICATION_NATIVE + 20_000 + 2 * MERKLE_PATH_NATIVE + 10_000 + 500;

/// Intrinsic pubdata of the sender's diff: key 32 + metadata 1 + nonce (1 + 1) + balance
/// (1 + 32).
pub const SENDER_DIFF_PUBDATA: u64 = 68;
/// Intrinsic pubdata of the coinbase's diff: key 32 + metadata 1 + balance (1 + 32).
pub const COINBASE_DIFF_PUBDATA: u64 = 66;
/// Intrinsic pubdata of an L2 transaction: 68 + 66 = 134 bytes.
pub const L2_TX_INTRINSIC_PUBDATA: u64 = SENDER_DIFF_PUBDATA + COINBASE_DIFF_PUBDATA;
/// Intrinsic pubdata per EIP-7702 authorization.
pub const AUTHORIZATION_PUBDATA: u64 = 80;

/// Intrinsic computational native of an L1 priority or upgrade transaction.
pub const L1_TX_INTRINSIC_NATIVE: u64 = 2_875_420;
/// Intrinsic pubdata of an L1 transaction: its priority log (88) + three balance diffs (3 × 66)
/// + 65.
pub const L1_TX_INTRINSIC_PUBDATA: u64 = 351;
/// Native per gas of upgrade transactions (they pay no fee).
pub const UPGRADE_TX_NATIVE_PER_GAS: u64 = 10_000;

/// Capacity of the block's L2→L1 log tree (height 14).
pub const MAX_L2_TO_L1_LOGS_PER_BLOCK: u64 = 1 << 14;
/// Pubdata of a user message besides its bytes: its 88-byte log and a 4-byte length.
pub const MESSAGE_OVERHEAD_PUBDATA: u64 = 88 + 4;

/// Prices of the block the transaction runs in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pricing {
    /// Wei per native unit.
    pub native_price: U256,
    /// Wei per pubdata byte.
    pub pubdata_price: U256,
}

/// A transaction's native budget, fixed before execution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NativeBudget {
    /// Native per gas (0 = unlimited native).
    pub native_per_gas: u64,
    /// Native per pubdata byte.
    pub native_per_pubdata: u64,
    /// gas limit × native per gas (or [`UNLIMITED_NATIVE`]).
    pub total: u64,
    /// Native above the computational cap, usable for pubdata only.
    pub withheld: u64,
    /// Intrinsic pubdata bytes.
    pub intrinsic_pubdata: u64,
    /// Intrinsic computational native.
    pub intrinsic_native: u64,
    /// Native left for execution.
    pub execution: u64,
}

/// `ceil(a / b)` as `u64`, saturating; 0 when `b` is 0.
fn div_ceil_u64(a: U256, b: U256) -> u64 {
    if b.is_zero() {
        return 0;
    }
    u64::try_from(a.div_ceil(b)).unwrap_or(u64::MAX)
}

/// `a / b` as `u64`, saturating; 0 when `b` is 0.
fn div_u64(a: U256, b: U256) -> u64 {
    if b.is_zero() {
        return 0;
    }
    u64::try_from(a / b).unwrap_or(u64::MAX)
}

impl NativeBudget {
    /// Derives the budget (spec §3 steps 2-4); `None` when the native cannot cover the intrinsic
    /// pubdata and computation.
    pub fn derive(
        gas_limit: u64,
        native_per_gas: u64,
        native_per_pubdata: u64,
        intrinsic_pubdata: u64,
        intrinsic_native: u64,
    ) -> Option<Self> {
        let total = if native_per_gas == 0 {
            UNLIMITED_NATIVE
        } else {
            gas_limit
                .saturating_mul(native_per_gas)
                .min(UNLIMITED_NATIVE)
        };
        let pubdata_native = intrinsic_pubdata.checked_mul(native_per_pubdata)?;
        let after_pubdata = total.checked_sub(pubdata_native)?;
        let computational = after_pubdata.min(MAX_NATIVE_COMPUTATIONAL);
        let withheld = after_pubdata - computational;
        let execution = computational.checked_sub(intrinsic_native)?;
        Some(Self {
            native_per_gas,
            native_per_pubdata,
            total,
            withheld,
            intrinsic_pubdata,
            intrinsic_native,
            execution,
        })
    }
}

/// `gasPrice = min(maxFee, baseFee + min(maxPrio, maxFee − baseFee))`, 0 when the base fee is 0.
pub fn effective_gas_price(tx: &Transaction, base_fee: U256) -> U256 {
    if base_fee.is_zero() {
        return U256::ZERO;
    }
    let max_fee = U256::from(tx.max_fee_per_gas);
    let tip = U256::from(tx.max_priority_fee_per_gas).min(max_fee.saturating_sub(base_fee));
    max_fee.min(base_fee + tip)
}

/// Intrinsic computational native of an L2 transaction (spec §3).
fn l2_intrinsic_native(tx: &Transaction) -> u64 {
    let keys: u64 = tx
        .access_list
        .iter()
        .map(|item| item.storage_keys.len() as u64)
        .sum();
    L2_TX_INTRINSIC_NATIVE
        .saturating_add((tx.data.len() as u64).saturating_mul(CALLDATA_BYTE_NATIVE))
        .saturating_add((tx.access_list.len() as u64).saturating_mul(ACCESS_LIST_ADDRESS_NATIVE))
        .saturating_add(keys.saturating_mul(ACCESS_LIST_STORAGE_KEY_NATIVE))
        .saturating_add((tx.authorization_list.len() as u64).saturating_mul(AUTHORIZATION_NATIVE))
}

/// Validation of an L2 transaction in the order of spec §4, fixing its fee charge. `simulated` skips
/// the nonce check (the signature was never checked). Types 0x00-0x02 are accepted, 0x04 from
/// Prague; EIP-4844 transactions are not (ZKsync OS production disables them). On error the
/// state is untouched: the charge is applied by [`super::execution::charge_fee`].
#[allow(clippy::too_many_arguments)]
pub(crate) fn validate_l2<S: StateSource>(
    io: &mut Io<S>,
    config: &ChainConfig,
    block: &BlockEnv,
    pricing: &Pricing,
    tx: &Transaction,
    sender: &Address,
    intrinsic: &IntrinsicGas,
    simulated: bool,
) -> Result<Charged, InvalidTransaction> {
    let hardfork = config.hardfork;
    match tx.tx_type {
        0..=2 => {}
        4 if hardfork >= Hardfork::Prague => {}
        other => return Err(InvalidTransaction::TypeNotSupported(other)),
    }
    check_chain_id(config, tx)?;
    // 1. Gas limit within the block's (and within what ergs can hold).
    let available = block.gas_limit.min(MAX_GAS_LIMIT);
    if tx.gas_limit > available {
        return Err(InvalidTransaction::GasLimitAboveBlock {
            limit: tx.gas_limit,
            available,
        });
    }
    // 2. Intrinsic gas and the EIP-7623 minimum.
    check_intrinsic(tx, intrinsic)?;
    if hardfork >= Hardfork::Osaka && tx.gas_limit > gas::MAX_TX_GAS_LIMIT_OSAKA {
        return Err(InvalidTransaction::GasLimitAboveCap {
            limit: tx.gas_limit,
        });
    }
    if tx.is_create() && tx.data.len() > gas::MAX_INITCODE_SIZE {
        return Err(InvalidTransaction::InitcodeTooLarge);
    }
    if tx.tx_type == 4 {
        if tx.is_create() {
            return Err(InvalidTransaction::AuthorizationCreate);
        }
        if tx.authorization_list.is_empty() {
            return Err(InvalidTransaction::EmptyAuthorizationList);
        }
    }
    // 3. Gas price, native per gas and per pubdata, and the native budget. A simulation may
    // ask for gas price 0 (fee checks skipped); its native is then priced at the base fee.
    let free_simulation = simulated && tx.max_fee_per_gas == 0;
    let gas_price = if free_simulation {
        U256::ZERO
    } else {
        let max_fee = U256::from(tx.max_fee_per_gas);
        if max_fee < U256::from(tx.max_priority_fee_per_gas) {
            return Err(InvalidTransaction::PriorityFeeAboveFeeCap);
        }
        if max_fee < block.base_fee {
            return Err(InvalidTransaction::FeeCapBelowBaseFee);
        }
        effective_gas_price(tx, block.base_fee)
    };
    let priced = if free_simulation {
        block.base_fee
    } else {
        gas_price
    };
    let native_per_gas = div_ceil_u64(priced, pricing.native_price);
    let native_per_pubdata = div_u64(pricing.pubdata_price, pricing.native_price);
    let intrinsic_pubdata = L2_TX_INTRINSIC_PUBDATA
        .saturating_add((tx.authorization_list.len() as u64).saturating_mul(AUTHORIZATION_PUBDATA));
    let budget = NativeBudget::derive(
        tx.gas_limit,
        native_per_gas,
        native_per_pubdata,
        intrinsic_pubdata,
        l2_intrinsic_native(tx),
    )
    .ok_or(InvalidTransaction::OutOfNativeInValidation)?;
    // 6. The sender: EIP-3607, allowing an EIP-7702 delegation.
    let account = io.account(sender);
    let (nonce, has_code, delegated) = (
        account.nonce,
        !account.code.is_empty(),
        account.code.delegation_target().is_some(),
    );
    if has_code && !(delegated && hardfork >= Hardfork::Prague) {
        return Err(InvalidTransaction::SenderHasCode);
    }
    // 7. The nonce (bumped first).
    if nonce == u64::MAX {
        return Err(InvalidTransaction::NonceMax);
    }
    if !simulated && tx.nonce != nonce {
        return Err(if tx.nonce < nonce {
            InvalidTransaction::NonceTooLow {
                expected: nonce,
                got: tx.nonce,
            }
        } else {
            InvalidTransaction::NonceTooHigh {
                expected: nonce,
                got: tx.nonce,
            }
        });
    }
    // 8-9. The access list is warmed and authorizations applied after the charge (both are
    // intrinsic, so the order changes no outcome).
    // 10. Balance covers gas limit × gas price + value (the nonce bump leaves it unchanged).
    let fee = U256::from(tx.gas_limit) * gas_price;
    let balance = io.account(sender).balance;
    if fee
        .checked_add(tx.value)
        .and_then(|cost| balance.checked_sub(cost))
        .is_none()
    {
        return Err(InvalidTransaction::InsufficientFunds);
    }
    // 11. The fee charge: bump the nonce, pre-charge the fee.
    Ok(Charged {
        gas_price,
        sender_nonce: nonce,
        budget: Some(budget),
        payer: *sender,
        mint: U256::ZERO,
        fee,
        bump_nonce: true,
        refund_recipient: *sender,
        skip_execution: false,
    })
}

/// The fee charge of an L1 priority (0xFF) or upgrade (0xFE) transaction, which has no
/// validation: the deposit is to be minted to `from` and the fee taken from it. Native that cannot cover the
/// intrinsic costs makes the transaction fail, never invalid. The only rejection: a deposit that
/// does not cover gas limit × gas price + value (L1 guarantees it does).
pub(crate) fn plan_l1<S: StateSource>(
    io: &mut Io<S>,
    pricing: &Pricing,
    tx: &Transaction,
    intrinsic: &IntrinsicGas,
) -> Result<Charged, InvalidTransaction> {
    let l1 = tx.l1.as_ref().ok_or(InvalidTransaction::L1FieldsMissing)?;
    if tx.tx_type == UPGRADE_TX_TYPE && io.tx_number() != 0 {
        return Err(InvalidTransaction::UpgradeTxNotFirst);
    }
    let gas_price = U256::from(tx.max_fee_per_gas);
    let fee = U256::from(tx.gas_limit) * gas_price;
    if fee.checked_add(tx.value).is_none_or(|cost| cost > l1.mint) {
        return Err(InvalidTransaction::L1DepositTooLow);
    }
    let native_per_gas = if tx.tx_type == UPGRADE_TX_TYPE {
        UPGRADE_TX_NATIVE_PER_GAS
    } else {
        div_ceil_u64(gas_price, pricing.native_price)
    };
    let native_per_pubdata = div_u64(pricing.pubdata_price, pricing.native_price);
    let derived = NativeBudget::derive(
        tx.gas_limit.min(MAX_GAS_LIMIT),
        native_per_gas,
        native_per_pubdata,
        L1_TX_INTRINSIC_PUBDATA,
        L1_TX_INTRINSIC_NATIVE,
    );
    let skip_execution = derived.is_none() || intrinsic.gas > tx.gas_limit;
    let budget = derived.unwrap_or(NativeBudget {
        native_per_gas,
        native_per_pubdata,
        total: tx.gas_limit.saturating_mul(native_per_gas),
        withheld: 0,
        intrinsic_pubdata: L1_TX_INTRINSIC_PUBDATA,
        intrinsic_native: L1_TX_INTRINSIC_NATIVE,
        execution: 0,
    });
    // A deployment from L1 uses `from`'s nonce for the address and bumps it, as an L2 one does.
    Ok(Charged {
        gas_price,
        sender_nonce: io.account(&l1.from).nonce,
        budget: Some(budget),
        payer: l1.from,
        mint: l1.mint,
        fee,
        bump_nonce: tx.is_create(),
        refund_recipient: l1.refund_recipient,
        skip_execution,
    })
}

/// Pubdata bytes of the messages sent since `messages_before`.
pub(crate) fn messages_pubdata(messages: &[L2ToL1Message]) -> u64 {
    messages
        .iter()
        .map(|message| MESSAGE_OVERHEAD_PUBDATA + message.data.len() as u64)
        .sum()
}

/// Net pubdata bytes of execution: state diffs since `exec_start` plus the messages sent. The
/// account diffs of `covered` (the payer, the coinbase, an L1 refund recipient) are paid by the
/// intrinsic pubdata and not counted again.
pub(crate) fn execution_pubdata<S: StateSource>(
    io: &Io<S>,
    exec_start: Checkpoint,
    messages_before: usize,
    covered: &[Address],
) -> u64 {
    let mut changes = io.changes_since(exec_start);
    changes
        .accounts
        .retain(|change| !covered.contains(&change.address));
    let diffs = net_pubdata_bytes(&changes).max(0) as u64;
    let messages = io.messages().get(messages_before..).unwrap_or_default();
    diffs + messages_pubdata(messages)
}

/// Gas and native figures of a settled ZKsync OS transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ZkSettled {
    pub gas_used: u64,
    pub gas_refunded: u64,
    pub native_used: u64,
    pub computational_native_used: u64,
    pub pubdata_used: u64,
    /// False when the pubdata check failed (execution was reverted).
    pub pubdata_paid: bool,
}

/// Inputs of [`settle`].
pub(crate) struct Settlement<'a> {
    pub tx: &'a Transaction,
    pub hardfork: Hardfork,
    pub intrinsic: &'a IntrinsicGas,
    pub budget: &'a NativeBudget,
    pub gas_price: U256,
    pub coinbase: Address,
    pub refund_recipient: Address,
    pub ergs_left: u64,
    pub refund: i64,
    pub exec_start: Checkpoint,
    pub messages_before: usize,
    /// Accounts whose diffs the intrinsic pubdata pays for.
    pub covered: [Address; 3],
}

/// What the pubdata phase settled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PubdataCharge {
    /// Native left after paying for pubdata (the withheld native reclaimed).
    pub native_remaining: u64,
    /// Net pubdata bytes of execution (after a rollback, of what is left).
    pub net_pubdata: u64,
    /// False when native could not pay the pubdata and execution was reverted.
    pub paid: bool,
}

/// The pubdata phase (spec §3 step 6): reclaim the withheld native, measure the net pubdata and
/// charge it in native, reverting execution when native cannot pay it.
pub(crate) fn charge_pubdata<S: StateSource>(io: &mut Io<S>, s: &Settlement<'_>) -> PubdataCharge {
    let budget = s.budget;
    let native_remaining = io.native_remaining().saturating_add(budget.withheld);
    let mut net_pubdata = execution_pubdata(io, s.exec_start, s.messages_before, &s.covered);
    let mut paid = true;
    if net_pubdata.saturating_mul(budget.native_per_pubdata) > native_remaining {
        io.rollback(s.exec_start);
        paid = false;
        net_pubdata = execution_pubdata(io, s.exec_start, s.messages_before, &s.covered);
    }
    PubdataCharge {
        native_remaining: native_remaining
            .saturating_sub(net_pubdata.saturating_mul(budget.native_per_pubdata)),
        net_pubdata,
        paid,
    }
}

/// The refund phase: cap the refund (none when the pubdata was not paid), apply the EIP-7623
/// floor, add deltaGas for native, return unused gas and pay the whole fee to the coinbase.
pub(crate) fn refund<S: StateSource>(
    io: &mut Io<S>,
    s: &Settlement<'_>,
    pubdata: &PubdataCharge,
) -> ZkSettled {
    let budget = s.budget;
    let refund = if pubdata.paid { s.refund } else { 0 };
    let gas_limit = s.tx.gas_limit;
    let gas_used_before_refund = gas_limit - crate::resources::ergs_to_gas(s.ergs_left);
    let gas_refunded = (refund.max(0) as u64).min(gas_used_before_refund / 5);
    let mut gas_used = gas_used_before_refund - gas_refunded;
    if s.hardfork >= Hardfork::Prague {
        gas_used = gas_used.max(s.intrinsic.floor_gas);
    }
    let native_used = budget.total.saturating_sub(pubdata.native_remaining);
    if let Some(native_gas) = native_used.checked_div(budget.native_per_gas) {
        gas_used = gas_used.max(native_gas);
    }
    gas_used = gas_used.min(gas_limit);
    let pubdata_used = budget.intrinsic_pubdata + pubdata.net_pubdata;
    let computational_native_used =
        native_used.saturating_sub(pubdata_used.saturating_mul(budget.native_per_pubdata));

    // Bookkeeping transfers are intrinsic: unmetered.
    io.reset_native(u64::MAX);
    let returned = U256::from(gas_limit - gas_used) * s.gas_price;
    let balance = io.account(&s.refund_recipient).balance;
    let _ = io.set_balance(&s.refund_recipient, balance.saturating_add(returned));
    let fee = U256::from(gas_used) * s.gas_price;
    if !fee.is_zero() {
        let balance = io.account(&s.coinbase).balance;
        let _ = io.set_balance(&s.coinbase, balance.saturating_add(fee));
    }
    ZkSettled {
        gas_used,
        gas_refunded,
        native_used,
        computational_native_used,
        pubdata_used,
        pubdata_paid: pubdata.paid,
    }
}

/// Blob gas of a transaction.
pub(crate) fn blob_gas(tx: &Transaction) -> u64 {
    GAS_PER_BLOB * tx.blob_versioned_hashes.len() as u64
}

/// Blob gas a block may hold under `hardfork`.
pub(crate) fn max_blob_gas_per_block(hardfork: Hardfork) -> u64 {
    GAS_PER_BLOB * max_blobs_per_block(hardfork) as u64
}
