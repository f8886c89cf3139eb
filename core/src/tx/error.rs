//! Errors of transaction decoding and encoding.

use core::fmt;

/// Why a byte string is not a well-formed transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxDecodeError {
    /// No bytes at all.
    Empty,
    /// The first byte selects no supported transaction type.
    UnsupportedType(u8),
    /// The input ends inside an item (or a claimed length exceeds the input).
    UnexpectedEnd,
    /// Bytes follow the complete transaction.
    TrailingBytes,
    /// An RLP length uses the long form for a short length or has a leading zero byte.
    NonCanonicalLength,
    /// A single byte below 0x80 is wrapped in a string header.
    NonCanonicalSingleByte,
    /// An RLP integer has a leading zero byte.
    LeadingZero,
    /// An integer does not fit its field.
    IntegerTooWide,
    /// A list was expected where a string is.
    ExpectedList,
    /// A string was expected where a list is.
    ExpectedString,
    /// A list has more or fewer items than its type defines.
    WrongFieldCount,
    /// An address is not 20 bytes long.
    InvalidAddressLength,
    /// A hash or storage key is not 32 bytes long.
    InvalidHashLength,
    /// The type does not allow contract creation but the destination is empty.
    MissingTo,
    /// A legacy `v` is neither 27/28 nor `chain_id * 2 + 35/36`.
    InvalidV,
    /// A typed transaction's signature parity is neither 0 nor 1.
    InvalidYParity,
    /// The ABI type word differs from the envelope type byte.
    AbiTypeMismatch,
    /// An ABI offset does not point right behind the previous field (the layout is tight).
    AbiBadOffset,
    /// The zero padding after ABI `bytes` holds a non-zero byte.
    AbiBadPadding,
    /// An ABI field the chain does not support is set (paymaster, paymaster input, signature,
    /// `reserved[2..4]`, reserved dynamic).
    AbiUnsupportedField,
}

/// A field of [`super::Transaction`] named by [`TxEncodeError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxField {
    /// `chain_id`.
    ChainId,
    /// `to`.
    To,
    /// `signature`.
    Signature,
    /// `access_list`.
    AccessList,
    /// `authorization_list`.
    AuthorizationList,
    /// `max_fee_per_blob_gas` and `blob_versioned_hashes`.
    Blob,
    /// `l1`.
    L1,
    /// `max_priority_fee_per_gas` (must equal the gas price for legacy and EIP-2930).
    PriorityFee,
}

/// Why a [`super::Transaction`] cannot be encoded (or hashed) as its type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxEncodeError {
    /// `tx_type` is not a supported type.
    UnsupportedType(u8),
    /// The type needs this field but it is absent.
    MissingField(TxField),
    /// The type does not carry this field but it is set (or, for the priority fee, differs).
    UnexpectedField(TxField),
}

impl TxDecodeError {
    /// The variant's name (`UnexpectedEnd`, `InvalidV`, ...): a stable identifier of the rule
    /// the bytes break.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Empty => "Empty",
            Self::UnsupportedType(_) => "UnsupportedType",
            Self::UnexpectedEnd => "UnexpectedEnd",
            Self::TrailingBytes => "TrailingBytes",
            Self::NonCanonicalLength => "NonCanonicalLength",
            Self::NonCanonicalSingleByte => "NonCanonicalSingleByte",
            Self::LeadingZero => "LeadingZero",
            Self::IntegerTooWide => "IntegerTooWide",
            Self::ExpectedList => "ExpectedList",
            Self::ExpectedString => "ExpectedString",
            Self::WrongFieldCount => "WrongFieldCount",
            Self::InvalidAddressLength => "InvalidAddressLength",
            Self::InvalidHashLength => "InvalidHashLength",
            Self::MissingTo => "MissingTo",
            Self::InvalidV => "InvalidV",
            Self::InvalidYParity => "InvalidYParity",
            Self::AbiTypeMismatch => "AbiTypeMismatch",
            Self::AbiBadOffset => "AbiBadOffset",
            Self::AbiBadPadding => "AbiBadPadding",
            Self::AbiUnsupportedField => "AbiUnsupportedField",
        }
    }
}

impl fmt::Display for TxDecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("no bytes"),
            Self::UnsupportedType(ty) => write!(f, "unsupported transaction type {ty:#04x}"),
            Self::UnexpectedEnd => f.write_str("the input ends inside an item"),
            Self::TrailingBytes => f.write_str("bytes follow the transaction"),
            Self::NonCanonicalLength => f.write_str("non-canonical RLP length"),
            Self::NonCanonicalSingleByte => f.write_str("a single byte below 0x80 has a header"),
            Self::LeadingZero => f.write_str("an integer has a leading zero byte"),
            Self::IntegerTooWide => f.write_str("an integer does not fit its field"),
            Self::ExpectedList => f.write_str("a list was expected"),
            Self::ExpectedString => f.write_str("a string was expected"),
            Self::WrongFieldCount => f.write_str("wrong number of fields"),
            Self::InvalidAddressLength => f.write_str("an address is not 20 bytes long"),
            Self::InvalidHashLength => f.write_str("a hash is not 32 bytes long"),
            Self::MissingTo => f.write_str("the type cannot create a contract"),
            Self::InvalidV => f.write_str("invalid legacy v"),
            Self::InvalidYParity => f.write_str("signature parity is neither 0 nor 1"),
            Self::AbiTypeMismatch => f.write_str("the ABI type word differs from the type byte"),
            Self::AbiBadOffset => f.write_str("an ABI offset is not tight"),
            Self::AbiBadPadding => f.write_str("non-zero ABI padding"),
            Self::AbiUnsupportedField => f.write_str("an unsupported ABI field is set"),
        }
    }
}

impl core::error::Error for TxDecodeError {}

impl fmt::Display for TxField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::ChainId => "chain_id",
            Self::To => "to",
            Self::Signature => "signature",
            Self::AccessList => "access_list",
            Self::AuthorizationList => "authorization_list",
            Self::Blob => "blob fields",
            Self::L1 => "l1",
            Self::PriorityFee => "max_priority_fee_per_gas",
        })
    }
}

impl fmt::Display for TxEncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnsupportedType(ty) => write!(f, "unsupported transaction type {ty:#04x}"),
            Self::MissingField(field) => write!(f, "the type needs {field}"),
            Self::UnexpectedField(field) => write!(f, "the type does not carry {field}"),
        }
    }
}

impl core::error::Error for TxEncodeError {}
