//! Test-only: signing a transaction with a known secret key, as a client would (k256, the
//! dev-dependency that is also the recovery's test oracle).

use super::{Authorization, Signature, Transaction};
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
    tx.signature = Some(sign_prehash(key, prehash.as_slice()));
}

/// Signs `authorization`'s signing hash with the secret key `secret` and sets its signature.
pub(crate) fn sign_authorization(secret: &[u8; 32], authorization: &mut Authorization) {
    let key = SigningKey::from_slice(secret).expect("valid secret key");
    let signature = sign_prehash(&key, authorization.signing_hash().as_slice());
    authorization.y_parity = u8::from(signature.y_parity);
    authorization.r = signature.r;
    authorization.s = signature.s;
}

/// `key`'s recoverable signature of `prehash`.
fn sign_prehash(key: &SigningKey, prehash: &[u8]) -> Signature {
    let (signature, recovery_id) = key.sign_prehash_recoverable(prehash);
    let bytes = signature.to_bytes();
    Signature {
        y_parity: recovery_id.is_y_odd(),
        r: U256::from_be_slice(&bytes[..32]),
        s: U256::from_be_slice(&bytes[32..]),
    }
}
