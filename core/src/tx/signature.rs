//! Sender and authority recovery with the Ethereum signature rules.

use super::{Authorization, Signature, Transaction, TxEncodeError};
use alloc::vec::Vec;

use crate::crypto::secp256k1::recovery::Signed;
use crate::crypto::secp256k1::{recover_address, recover_addresses};
use crate::primitives::{Address, B256, U256};
use core::fmt;

/// Order `n` of the secp256k1 group.
pub const SECP256K1_N: U256 = U256::from_limbs([
    0xbfd2_5e8c_d036_4141,
    0xbaae_dce6_af48_a03b,
    0xffff_ffff_ffff_fffe,
    0xffff_ffff_ffff_ffff,
]);

/// `n / 2` (rounded down): the largest `s` a non-malleable signature may have (EIP-2).
pub const SECP256K1_HALF_N: U256 = U256::from_limbs([
    0xdfe9_2f46_681b_20a0,
    0x5d57_6e73_57a4_501d,
    0xffff_ffff_ffff_ffff,
    0x7fff_ffff_ffff_ffff,
]);

/// Why a transaction's sender cannot be recovered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureError {
    /// The transaction carries no signature (unsigned, or an L1 priority/upgrade transaction,
    /// whose sender is `l1.from`).
    MissingSignature,
    /// `r` is zero or not below `n`.
    InvalidR,
    /// `s` is zero or not below `n`.
    InvalidS,
    /// `s > n/2`: the malleable twin of a valid signature (EIP-2).
    HighS,
    /// The scalars are in range but no public key recovers from them.
    RecoveryFailed,
    /// The transaction cannot be hashed as its type.
    Malformed(TxEncodeError),
}

impl SignatureError {
    /// The variant's name (`HighS`, `RecoveryFailed`, ...): a stable identifier of the rule the
    /// signature breaks.
    pub fn name(&self) -> &'static str {
        match self {
            Self::MissingSignature => "MissingSignature",
            Self::InvalidR => "InvalidR",
            Self::InvalidS => "InvalidS",
            Self::HighS => "HighS",
            Self::RecoveryFailed => "RecoveryFailed",
            Self::Malformed(_) => "Malformed",
        }
    }
}

impl fmt::Display for SignatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingSignature => f.write_str("no signature"),
            Self::InvalidR => f.write_str("r is zero or not below n"),
            Self::InvalidS => f.write_str("s is zero or not below n"),
            Self::HighS => f.write_str("s is above n/2"),
            Self::RecoveryFailed => f.write_str("no public key recovers from the signature"),
            Self::Malformed(e) => write!(f, "cannot hash the transaction: {e}"),
        }
    }
}

impl core::error::Error for SignatureError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::Malformed(e) => Some(e),
            _ => None,
        }
    }
}

/// Checks the scalar ranges of `(r, s)`, low-s included.
fn check_scalars(r: &U256, s: &U256) -> Result<(), SignatureError> {
    if r.is_zero() || *r >= SECP256K1_N {
        return Err(SignatureError::InvalidR);
    }
    if s.is_zero() || *s >= SECP256K1_N {
        return Err(SignatureError::InvalidS);
    }
    if *s > SECP256K1_HALF_N {
        return Err(SignatureError::HighS);
    }
    Ok(())
}

fn recover(prehash: &B256, signature: &Signature) -> Result<Address, SignatureError> {
    check_scalars(&signature.r, &signature.s)?;
    recover_address(
        prehash,
        &B256::from(signature.r),
        &B256::from(signature.s),
        signature.y_parity,
    )
    .ok_or(SignatureError::RecoveryFailed)
}

/// Recovers the address that signed `tx` (ecrecover of [`Transaction::signing_hash`]).
/// Rejects r or s outside `1..n` and s above `n/2`.
pub fn recover_sender(tx: &Transaction) -> Result<Address, SignatureError> {
    recover_sender_hashed(tx, None)
}

/// [`recover_sender`], given `tx`'s signing hash when the caller has it already (`Some`: as
/// [`super::SigningPayload::hash`] reads it from the envelope `tx` was decoded from; `None`
/// encodes `tx` to hash it). The checks and errors are the same either way.
pub fn recover_sender_hashed(
    tx: &Transaction,
    signing_hash: Option<B256>,
) -> Result<Address, SignatureError> {
    let (prehash, signature) = signed_prehash(tx, signing_hash)?;
    recover(&prehash, &signature)
}

/// [`recover_sender_hashed`] of each of `txs` (a transaction and its signing hash if known),
/// in order: the same answers, with the signatures that pass the checks recovered together
/// ([`recover_addresses`], two inversions for all of them instead of two each).
pub fn recover_senders(
    txs: &[(&Transaction, Option<B256>)],
) -> Vec<Result<Address, SignatureError>> {
    let checked: Vec<Result<Signed, SignatureError>> = txs
        .iter()
        .map(|(tx, signing_hash)| checked_signature(tx, *signing_hash))
        .collect();
    let signatures: Vec<Signed> = checked.iter().flatten().copied().collect();
    let mut addresses = recover_addresses(&signatures).into_iter();
    checked
        .into_iter()
        .map(|signed| {
            signed.and_then(|_| {
                addresses
                    .next()
                    .flatten()
                    .ok_or(SignatureError::RecoveryFailed)
            })
        })
        .collect()
}

/// `tx`'s signing hash (`known`, or hashed here) and signature: signed, not an L1
/// transaction, hashable.
fn signed_prehash(
    tx: &Transaction,
    known: Option<B256>,
) -> Result<(B256, Signature), SignatureError> {
    let signature = tx.signature.ok_or(SignatureError::MissingSignature)?;
    if tx.is_l1() {
        return Err(SignatureError::MissingSignature);
    }
    let prehash = match known {
        Some(prehash) => prehash,
        None => tx.signing_hash().map_err(SignatureError::Malformed)?,
    };
    Ok((prehash, signature))
}

/// `tx`'s prehash and signature once the checks before the curve arithmetic pass: those of
/// [`signed_prehash`], and scalars in range with low s.
fn checked_signature(tx: &Transaction, known: Option<B256>) -> Result<Signed, SignatureError> {
    let (prehash, signature) = signed_prehash(tx, known)?;
    check_scalars(&signature.r, &signature.s)?;
    Ok((
        prehash,
        B256::from(signature.r),
        B256::from(signature.s),
        signature.y_parity,
    ))
}

impl Authorization {
    /// The authority (signer) of this authorization, or `None` if the signature is invalid:
    /// y_parity not 0/1, r or s zero or >= n, s > n/2, or no point recovers. The bootloader
    /// skips such authorizations.
    pub fn authority(&self) -> Option<Address> {
        let y_parity = match self.y_parity {
            0 => false,
            1 => true,
            _ => return None,
        };
        let signature = Signature {
            y_parity,
            r: self.r,
            s: self.s,
        };
        recover(&self.signing_hash(), &signature).ok()
    }
}
