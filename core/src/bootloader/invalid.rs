//! Why a transaction cannot be included: one variant per rule, each with a stable name
//! ([`InvalidTransaction::name`]) that hosts pass on as the reason.

use crate::tx::{SignatureError, TxDecodeError};
use core::fmt;

/// Why a transaction cannot be included. The state is left as it was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InvalidTransaction {
    /// The transaction type is not enabled under the chain's hardfork.
    TypeNotSupported(u8),
    /// The transaction is signed for another chain.
    ChainIdMismatch {
        /// Chain id of the chain.
        expected: u64,
        /// Chain id in the transaction.
        got: u64,
    },
    /// The gas limit does not cover the intrinsic gas.
    IntrinsicGasTooLow {
        /// Intrinsic gas.
        intrinsic: u64,
        /// Gas limit.
        limit: u64,
    },
    /// The gas limit does not cover the EIP-7623 calldata floor.
    FloorGasTooLow {
        /// Floor gas.
        floor: u64,
        /// Gas limit.
        limit: u64,
    },
    /// The gas limit exceeds what the block has left.
    GasLimitAboveBlock {
        /// Gas limit.
        limit: u64,
        /// Gas available in the block.
        available: u64,
    },
    /// The gas limit exceeds the EIP-7825 cap.
    GasLimitAboveCap {
        /// Gas limit.
        limit: u64,
    },
    /// The sender's nonce is at its maximum (EIP-2681).
    NonceMax,
    /// The nonce is below the sender's.
    NonceTooLow {
        /// Sender's nonce.
        expected: u64,
        /// Transaction nonce.
        got: u64,
    },
    /// The nonce is above the sender's.
    NonceTooHigh {
        /// Sender's nonce.
        expected: u64,
        /// Transaction nonce.
        got: u64,
    },
    /// The sender has code (EIP-3607).
    SenderHasCode,
    /// The sender cannot pay gas limit × fee cap + value (+ blob fee).
    InsufficientFunds,
    /// The fee cap is below the block's base fee.
    FeeCapBelowBaseFee,
    /// The priority fee exceeds the fee cap.
    PriorityFeeAboveFeeCap,
    /// The initcode exceeds 49,152 bytes (EIP-3860).
    InitcodeTooLarge,
    /// A blob transaction cannot create a contract.
    BlobCreate,
    /// A blob transaction carries no blob.
    NoBlobs,
    /// A blob versioned hash does not start with 0x01.
    BlobVersion,
    /// More blobs than a block may hold.
    TooManyBlobs,
    /// The blob fee cap is below the blob base fee.
    BlobFeeCapTooLow,
    /// An EIP-7702 transaction with no authorization.
    EmptyAuthorizationList,
    /// An EIP-7702 transaction cannot create a contract.
    AuthorizationCreate,
    /// Native ran out while validating (ZKsync OS flow). Under protocol version 2, running out
    /// once the fee was taken keeps what validation changed, as upstream does: the nonce is
    /// bumped and the fee paid to the coinbase.
    OutOfNativeInValidation,
    /// Native ran out returning the fee cap's excess over the gas price to the sender (protocol
    /// version 2). Upstream fails the whole block here (`process_transaction.rs::ensure_payment`
    /// maps it to an internal error), so no block holding the transaction can be proven: zkos
    /// leaves it out and keeps nothing of it, as for a rejection before the fee.
    OutOfNativeInFeeRefund,
    /// The block's native price is zero, which protocol version 2 cannot divide by (upstream
    /// fails the whole block).
    NativePriceZero,
    /// The bytes are not a well-formed transaction envelope.
    Malformed(TxDecodeError),
    /// The signature is invalid or no sender recovers from it.
    InvalidSignature(SignatureError),
    /// An L1 priority or upgrade transaction without its L1 fields (sender, mint, refund
    /// recipient).
    L1FieldsMissing,
    /// The block's gas limit is past what ergs count in 64 bits (2^64 / 256 gas): ZKsync OS
    /// version 2 refuses every L2 transaction of such a block.
    BlockGasLimitTooHigh,
    /// The block's gas would exceed its gas limit; the transaction was rolled back.
    BlockGasLimitReached,
    /// The block's computational native would exceed 2^35; the transaction was rolled back.
    BlockNativeLimitReached,
    /// The block's pubdata would exceed its pubdata limit; the transaction was rolled back.
    BlockPubdataLimitReached,
    /// The block's L2→L1 logs would exceed the logs tree capacity; the transaction was rolled
    /// back.
    BlockL2ToL1LogLimitReached,
    /// The block's blob gas would exceed its limit; the transaction was rolled back.
    BlockBlobGasLimitReached,
    /// An upgrade transaction that is not the first transaction of the block.
    UpgradeTxNotFirst,
    /// An upgrade transaction that did not succeed (it must); the transaction was rolled back.
    UpgradeTxFailed,
    /// The deposit of an L1 transaction does not cover gas limit × gas price + value.
    L1DepositTooLow,
}

impl InvalidTransaction {
    /// The variant's name (`NonceTooLow`, `InsufficientFunds`, ...): a stable identifier of the
    /// rule that failed.
    pub fn name(&self) -> &'static str {
        match self {
            Self::TypeNotSupported(_) => "TypeNotSupported",
            Self::ChainIdMismatch { .. } => "ChainIdMismatch",
            Self::IntrinsicGasTooLow { .. } => "IntrinsicGasTooLow",
            Self::FloorGasTooLow { .. } => "FloorGasTooLow",
            Self::GasLimitAboveBlock { .. } => "GasLimitAboveBlock",
            Self::GasLimitAboveCap { .. } => "GasLimitAboveCap",
            Self::NonceMax => "NonceMax",
            Self::NonceTooLow { .. } => "NonceTooLow",
            Self::NonceTooHigh { .. } => "NonceTooHigh",
            Self::SenderHasCode => "SenderHasCode",
            Self::InsufficientFunds => "InsufficientFunds",
            Self::FeeCapBelowBaseFee => "FeeCapBelowBaseFee",
            Self::PriorityFeeAboveFeeCap => "PriorityFeeAboveFeeCap",
            Self::InitcodeTooLarge => "InitcodeTooLarge",
            Self::BlobCreate => "BlobCreate",
            Self::NoBlobs => "NoBlobs",
            Self::BlobVersion => "BlobVersion",
            Self::TooManyBlobs => "TooManyBlobs",
            Self::BlobFeeCapTooLow => "BlobFeeCapTooLow",
            Self::EmptyAuthorizationList => "EmptyAuthorizationList",
            Self::AuthorizationCreate => "AuthorizationCreate",
            Self::OutOfNativeInValidation => "OutOfNativeInValidation",
            Self::OutOfNativeInFeeRefund => "OutOfNativeInFeeRefund",
            Self::NativePriceZero => "NativePriceZero",
            Self::Malformed(_) => "Malformed",
            Self::InvalidSignature(_) => "InvalidSignature",
            Self::L1FieldsMissing => "L1FieldsMissing",
            Self::BlockGasLimitTooHigh => "BlockGasLimitTooHigh",
            Self::BlockGasLimitReached => "BlockGasLimitReached",
            Self::BlockNativeLimitReached => "BlockNativeLimitReached",
            Self::BlockPubdataLimitReached => "BlockPubdataLimitReached",
            Self::BlockL2ToL1LogLimitReached => "BlockL2ToL1LogLimitReached",
            Self::BlockBlobGasLimitReached => "BlockBlobGasLimitReached",
            Self::UpgradeTxNotFirst => "UpgradeTxNotFirst",
            Self::UpgradeTxFailed => "UpgradeTxFailed",
            Self::L1DepositTooLow => "L1DepositTooLow",
        }
    }
}

impl fmt::Display for InvalidTransaction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TypeNotSupported(ty) => write!(f, "transaction type {ty:#04x} is not supported"),
            Self::ChainIdMismatch { expected, got } => {
                write!(f, "chain id {got} does not match the chain's {expected}")
            }
            Self::IntrinsicGasTooLow { intrinsic, limit } => {
                write!(
                    f,
                    "gas limit {limit} is below the intrinsic gas {intrinsic}"
                )
            }
            Self::FloorGasTooLow { floor, limit } => {
                write!(f, "gas limit {limit} is below the calldata floor {floor}")
            }
            Self::GasLimitAboveBlock { limit, available } => {
                write!(
                    f,
                    "gas limit {limit} exceeds the {available} the block allows"
                )
            }
            Self::GasLimitAboveCap { limit } => {
                write!(f, "gas limit {limit} exceeds the EIP-7825 cap")
            }
            Self::NonceMax => f.write_str("the sender's nonce is at its maximum"),
            Self::NonceTooLow { expected, got } => {
                write!(f, "nonce {got} is below the sender's nonce {expected}")
            }
            Self::NonceTooHigh { expected, got } => {
                write!(f, "nonce {got} is above the sender's nonce {expected}")
            }
            Self::SenderHasCode => f.write_str("the sender has code"),
            Self::InsufficientFunds => {
                f.write_str("the sender cannot pay gas limit × fee cap plus value")
            }
            Self::FeeCapBelowBaseFee => f.write_str("the fee cap is below the base fee"),
            Self::PriorityFeeAboveFeeCap => f.write_str("the priority fee exceeds the fee cap"),
            Self::InitcodeTooLarge => f.write_str("the initcode exceeds 49,152 bytes"),
            Self::BlobCreate => f.write_str("a blob transaction cannot create a contract"),
            Self::NoBlobs => f.write_str("a blob transaction carries no blob"),
            Self::BlobVersion => f.write_str("a blob versioned hash does not start with 0x01"),
            Self::TooManyBlobs => f.write_str("more blobs than a block may hold"),
            Self::BlobFeeCapTooLow => f.write_str("the blob fee cap is below the blob base fee"),
            Self::EmptyAuthorizationList => {
                f.write_str("an EIP-7702 transaction without authorizations")
            }
            Self::AuthorizationCreate => {
                f.write_str("an EIP-7702 transaction cannot create a contract")
            }
            Self::OutOfNativeInValidation => f.write_str("native ran out during validation"),
            Self::OutOfNativeInFeeRefund => {
                f.write_str("native ran out returning the fee cap's excess to the sender")
            }
            Self::NativePriceZero => f.write_str("the block's native price is zero"),
            Self::Malformed(e) => write!(f, "malformed envelope: {e}"),
            Self::InvalidSignature(e) => write!(f, "invalid signature: {e}"),
            Self::L1FieldsMissing => f.write_str("an L1 transaction without its L1 fields"),
            Self::BlockGasLimitTooHigh => {
                f.write_str("the block's gas limit is past what ergs can count")
            }
            Self::BlockGasLimitReached => f.write_str("the block's gas limit would be exceeded"),
            Self::BlockNativeLimitReached => {
                f.write_str("the block's computational native limit would be exceeded")
            }
            Self::BlockPubdataLimitReached => {
                f.write_str("the block's pubdata limit would be exceeded")
            }
            Self::BlockL2ToL1LogLimitReached => {
                f.write_str("the block's L2→L1 log capacity would be exceeded")
            }
            Self::BlockBlobGasLimitReached => {
                f.write_str("the block's blob gas limit would be exceeded")
            }
            Self::UpgradeTxNotFirst => {
                f.write_str("an upgrade transaction must be the first of its block")
            }
            Self::UpgradeTxFailed => f.write_str("the upgrade transaction failed"),
            Self::L1DepositTooLow => {
                f.write_str("the deposit does not cover gas limit × gas price plus value")
            }
        }
    }
}

impl core::error::Error for InvalidTransaction {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::Malformed(e) => Some(e),
            Self::InvalidSignature(e) => Some(e),
            _ => None,
        }
    }
}
