//! Errors of transaction decoding and encoding.

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
