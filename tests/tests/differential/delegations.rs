//! EIP-7702 material for the differential test: authority keys, their pre-state (absent, a
//! plain account, already delegated, or a contract that may not delegate) and signed
//! authorization lists, valid and invalid in every way the EIP names.

use super::generator::Rng;
use k256::ecdsa::SigningKey;
use zkos_core::primitives::{keccak256, Address, U256};
use zkos_core::tx::Authorization;
use zkos_core::tx::SECP256K1_N;

/// Secret keys of the authorities (any non-zero scalars below the group order).
const AUTHORITY_KEYS: [[u8; 32]; 3] = [[0x11; 32], [0x22; 32], [0x33; 32]];

/// Prefix of an EIP-7702 delegation designator.
const DESIGNATOR_PREFIX: [u8; 3] = [0xef, 0x01, 0x00];

fn key(index: usize) -> SigningKey {
    SigningKey::from_slice(&AUTHORITY_KEYS[index]).expect("valid scalar")
}

/// The address of the authority with key `index` (keccak of the uncompressed public key).
fn address_of(index: usize) -> Address {
    let point = key(index).verifying_key().to_sec1_point(false);
    Address::from_slice(&keccak256(&point.as_bytes()[1..])[12..])
}

/// The authorities' addresses.
pub fn authorities() -> Vec<Address> {
    (0..AUTHORITY_KEYS.len()).map(address_of).collect()
}

/// The 23-byte code that delegates to `target`.
pub fn designator(target: Address) -> Vec<u8> {
    let mut code = DESIGNATOR_PREFIX.to_vec();
    code.extend_from_slice(target.as_slice());
    code
}

/// Where a delegation points: a generated contract, an authority, a precompile, an account
/// without code, or (to clear a delegation) the zero address.
pub fn delegation_target(rng: &mut Rng, contracts: &[Address]) -> Address {
    match rng.below(10) {
        0 => Address::ZERO,
        1 => Address::with_last_byte(1 + rng.below(10) as u8),
        2 => address_of(rng.below(AUTHORITY_KEYS.len() as u64) as usize),
        3 => Address::repeat_byte(0xbe),
        _ => rng.pick(contracts),
    }
}

/// An authority's pre-state: `None` (absent), or nonce, balance and code (empty, a designator
/// when `delegated` ones may exist, or a contract's code, which makes every authorization of it
/// invalid).
pub fn authority_account(
    rng: &mut Rng,
    contracts: &[Address],
    delegated: bool,
) -> Option<(u64, U256, Vec<u8>)> {
    let nonce = rng.below(3);
    let balance = U256::from(rng.pick(&[0u64, 0, 5]));
    match rng.below(6) {
        0 => None,
        1 if delegated => Some((
            nonce,
            balance,
            designator(delegation_target(rng, contracts)),
        )),
        2 if rng.chance(30) => Some((nonce.max(1), balance, vec![0x60, 0x01, 0x60, 0x00, 0x55])),
        _ => Some((nonce, balance.max(U256::from(1u64)), Vec::new())),
    }
}

/// A signed authorization by authority `index` (whose nonce is `nonce`, 0 when absent): mostly
/// valid, sometimes for another chain, with a stale or future nonce, the maximal nonce, a high
/// `s`, a bad `y_parity`, or a tampered message.
pub fn authorization(
    rng: &mut Rng,
    index: usize,
    nonce: u64,
    contracts: &[Address],
    chain_id: u64,
) -> Authorization {
    let mut auth = Authorization {
        chain_id: U256::from(rng.pick(&[0, chain_id, chain_id, chain_id + 1])),
        address: delegation_target(rng, contracts),
        nonce: match rng.below(10) {
            0 => nonce + 1,
            1 => nonce.saturating_sub(1),
            2 if rng.chance(20) => u64::MAX,
            _ => nonce,
        },
        y_parity: 0,
        r: U256::ZERO,
        s: U256::ZERO,
    };
    let (signature, recovery) = key(index).sign_prehash_recoverable(auth.signing_hash().as_slice());
    let bytes = signature.to_bytes();
    auth.y_parity = u8::from(recovery.is_y_odd());
    auth.r = U256::from_be_slice(&bytes[..32]);
    auth.s = U256::from_be_slice(&bytes[32..]);
    match rng.below(25) {
        0 => {
            // The malleable twin: valid ECDSA, rejected by EIP-2's low-s rule.
            auth.s = SECP256K1_N - auth.s;
            auth.y_parity ^= 1;
        }
        1 => auth.y_parity = 2,
        2 => auth.nonce = auth.nonce.wrapping_add(7),
        _ => {}
    }
    auth
}
