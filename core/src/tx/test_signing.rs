//! Test-only: signing a transaction with a known secret key, as a client would (k256, the
//! dev-dependency that is also the recovery's test oracle).

use super::{Signature, Transaction};
use crate::primitives::U256;
use k256::ecdsa::SigningKey;

/// Signs `tx`'s signing hash with the secret key `secret` and sets its signature.
pub(crate) fn sign_with(secret: &[u8; 32], tx: &mut Transaction) {
    sign_with_key(
        &SigningKey::from_slice(secret).expect("valid secret key"),
        tx,
    );
}

/// Signs `tx`'s signing hash with `key` and sets its signature.
pub(crate) fn sign_with_key(key: &SigningKey, tx: &mut Transaction) {
    let prehash = tx.signing_hash().expect("hashable");
    let (signature, recovery_id) = key.sign_prehash_recoverable(prehash.as_slice());
    let bytes = signature.to_bytes();
    tx.signature = Some(Signature {
        y_parity: recovery_id.is_y_odd(),
        r: U256::from_be_slice(&bytes[..32]),
        s: U256::from_be_slice(&bytes[32..]),
    });
}
