//! Signed EIP-2718 transactions built here, independently of zkos's own transaction codec, so
//! a codec bug in zkos cannot hide behind a shared encoder: legacy (EIP-155), access-list
//! (EIP-2930), fee-market (EIP-1559) and set-code (EIP-7702) envelopes, RLP-encoded by hand and
//! signed with k256.

use super::rlp::Rlp;
use alloy_primitives::{keccak256, Address, B256, U256};
use k256::ecdsa::SigningKey;

/// An EIP-2930 access-list entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessItem {
    /// The warmed account.
    pub address: Address,
    /// The warmed slots of that account.
    pub keys: Vec<B256>,
}

/// An EIP-7702 authorization before signing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authorization {
    /// Chain the authorization is valid on (0: any).
    pub chain_id: u64,
    /// Contract the authority delegates to.
    pub address: Address,
    /// The authority's nonce at the time the authorization is applied.
    pub nonce: u64,
}

/// The fields of a transaction to sign. `tx_type` picks the envelope: 0 (legacy with the
/// EIP-155 chain id, or without one before EIP-155 when `chain_id` is 0), 1, 2 or 4; fields an
/// envelope lacks are ignored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TxRequest {
    /// EIP-2718 type.
    pub tx_type: u8,
    /// Chain id signed over.
    pub chain_id: u64,
    /// Sender nonce.
    pub nonce: u64,
    /// Gas limit.
    pub gas_limit: u64,
    /// Fee cap per gas (the gas price of types 0 and 1), in wei.
    pub max_fee_per_gas: u128,
    /// Tip cap per gas (types 2 and 4), in wei.
    pub max_priority_fee_per_gas: u128,
    /// Recipient; `None` deploys.
    pub to: Option<Address>,
    /// Value in wei.
    pub value: U256,
    /// Calldata or initcode.
    pub data: Vec<u8>,
    /// Access list (types 1, 2 and 4).
    pub access_list: Vec<AccessItem>,
    /// Authorizations (type 4), each with the key that signs it.
    pub authorizations: Vec<(Authorization, SigningKey)>,
}

/// A signed transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedTx {
    /// The EIP-2718 envelope.
    pub raw: Vec<u8>,
    /// keccak256 of the envelope.
    pub hash: B256,
    /// The signer.
    pub from: Address,
}

/// A recoverable secp256k1 signature of `prehash`: (y parity, r, s), low-s.
fn sign_hash(key: &SigningKey, prehash: &B256) -> (bool, U256, U256) {
    let (signature, recovery) = key.sign_prehash_recoverable(prehash.as_slice());
    let bytes = signature.to_bytes();
    (
        recovery.is_y_odd(),
        U256::from_be_slice(&bytes[..32]),
        U256::from_be_slice(&bytes[32..]),
    )
}

/// The Ethereum address of `key`: the last 20 bytes of keccak256 of the public point.
pub fn address_of(key: &SigningKey) -> Address {
    let point = key.verifying_key().to_sec1_point(false);
    Address::from_slice(&keccak256(&point.as_bytes()[1..])[12..])
}

/// The `index`-th test key (secret = index + 1 in the low bytes over a fixed pattern).
pub fn test_key(index: u64) -> SigningKey {
    let mut secret = [0x5au8; 32];
    secret[24..].copy_from_slice(&(index + 1).to_be_bytes());
    SigningKey::from_slice(&secret).expect("a test secret below the curve order")
}

/// The well-known first Hardhat/Anvil account key (address 0xf39F…2266), the signer of the
/// oracle's examples.
pub fn hardhat_key() -> SigningKey {
    let secret =
        alloy_primitives::hex!("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
    SigningKey::from_slice(&secret).expect("a valid secret key")
}

/// The signed RLP list of an EIP-7702 authorization.
fn signed_authorization(auth: &Authorization, key: &SigningKey) -> Rlp {
    let unsigned = Rlp::List(vec![
        Rlp::u64(auth.chain_id),
        Rlp::Str(auth.address.to_vec()),
        Rlp::u64(auth.nonce),
    ]);
    let mut preimage = vec![0x05];
    unsigned.encode(&mut preimage);
    let (parity, r, s) = sign_hash(key, &keccak256(&preimage));
    Rlp::List(vec![
        Rlp::u64(auth.chain_id),
        Rlp::Str(auth.address.to_vec()),
        Rlp::u64(auth.nonce),
        Rlp::u64(u64::from(parity)),
        Rlp::u256(&r),
        Rlp::u256(&s),
    ])
}

/// How [`sign_tweaked`] alters a valid signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tweak {
    /// The other signature of the same key: `s` replaced by `n − s`, the parity flipped.
    HighS,
    /// The parity flipped alone: the signature recovers another address.
    FlippedParity,
}

/// The secp256k1 group order n.
const SECP256K1_N: U256 = U256::from_be_bytes(alloy_primitives::hex!(
    "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"
));

/// Signs `req` with `key`.
pub fn sign(req: &TxRequest, key: &SigningKey) -> SignedTx {
    sign_with(req, key, None)
}

/// Signs `req` with `key`, then alters the signature per `tweak` (`from` stays `key`'s).
pub fn sign_tweaked(req: &TxRequest, key: &SigningKey, tweak: Tweak) -> SignedTx {
    sign_with(req, key, Some(tweak))
}

fn sign_with(req: &TxRequest, key: &SigningKey, tweak: Option<Tweak>) -> SignedTx {
    let mut fields = match req.tx_type {
        0 => vec![
            Rlp::u64(req.nonce),
            Rlp::u128(req.max_fee_per_gas),
            Rlp::u64(req.gas_limit),
            Rlp::to(&req.to),
            Rlp::u256(&req.value),
            Rlp::Str(req.data.clone()),
        ],
        1 => vec![
            Rlp::u64(req.chain_id),
            Rlp::u64(req.nonce),
            Rlp::u128(req.max_fee_per_gas),
            Rlp::u64(req.gas_limit),
            Rlp::to(&req.to),
            Rlp::u256(&req.value),
            Rlp::Str(req.data.clone()),
            Rlp::access_list(&req.access_list),
        ],
        _ => vec![
            Rlp::u64(req.chain_id),
            Rlp::u64(req.nonce),
            Rlp::u128(req.max_priority_fee_per_gas),
            Rlp::u128(req.max_fee_per_gas),
            Rlp::u64(req.gas_limit),
            Rlp::to(&req.to),
            Rlp::u256(&req.value),
            Rlp::Str(req.data.clone()),
            Rlp::access_list(&req.access_list),
        ],
    };
    if req.tx_type == 4 {
        fields.push(Rlp::List(
            req.authorizations
                .iter()
                .map(|(auth, key)| signed_authorization(auth, key))
                .collect(),
        ));
    }
    let envelope = |fields: Vec<Rlp>| -> Vec<u8> {
        let body = Rlp::List(fields).bytes();
        if req.tx_type == 0 {
            body
        } else {
            let mut out = vec![req.tx_type];
            out.extend_from_slice(&body);
            out
        }
    };
    let prehash = if req.tx_type == 0 {
        let mut unsigned = fields.iter().map(Rlp::clone).collect::<Vec<_>>();
        if req.chain_id != 0 {
            unsigned.extend([Rlp::u64(req.chain_id), Rlp::u64(0), Rlp::u64(0)]);
        }
        keccak256(envelope(unsigned))
    } else {
        keccak256(envelope(fields.iter().map(Rlp::clone).collect()))
    };
    let (parity, r, s) = match (sign_hash(key, &prehash), tweak) {
        ((parity, r, s), Some(Tweak::HighS)) => (!parity, r, SECP256K1_N - s),
        ((parity, r, s), Some(Tweak::FlippedParity)) => (!parity, r, s),
        (signature, None) => signature,
    };
    let v = if req.tx_type == 0 && req.chain_id == 0 {
        27 + u64::from(parity)
    } else if req.tx_type == 0 {
        35 + 2 * req.chain_id + u64::from(parity)
    } else {
        u64::from(parity)
    };
    fields.extend([Rlp::u64(v), Rlp::u256(&r), Rlp::u256(&s)]);
    let raw = envelope(fields);
    SignedTx {
        hash: keccak256(&raw),
        from: address_of(key),
        raw,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{address, hex};

    #[test]
    fn address_of_hardhat_key() {
        assert_eq!(
            address_of(&hardhat_key()),
            address!("f39Fd6e51aad88F6F4ce6aB8827279cffFb92266")
        );
    }

    #[test]
    fn type2_transfer_matches_the_oracle_signer() {
        // `zksync-os-oracle --sign` output for the ETH transfer of the oracle's example
        // `sign_a.json`: chain 270, nonce 0, tip 1000, fee cap 1000, gas 100,000, 1 gwei to
        // 0x…dEaD (RFC 6979 signatures are deterministic, so the bytes must agree).
        let req = TxRequest {
            tx_type: 2,
            chain_id: 270,
            nonce: 0,
            gas_limit: 100_000,
            max_fee_per_gas: 1_000,
            max_priority_fee_per_gas: 1_000,
            to: Some(address!("000000000000000000000000000000000000dEaD")),
            value: U256::from(1_000_000_000u64),
            data: Vec::new(),
            access_list: Vec::new(),
            authorizations: Vec::new(),
        };
        let signed = sign(&req, &hardhat_key());
        assert_eq!(
            hex::encode(&signed.raw),
            "02f86d82010e808203e88203e8830186a094000000000000000000000000000000000000dead843b9aca0080c001a00f707d94a945c460b316bb17a96db1053695d3124357299a30d053ec0dddba6aa0704efae8367b0acd4df575ea8f7b2e4ade6445bcf3f700f61c045ba58ddebb00"
        );
        assert_eq!(
            signed.hash,
            B256::from(hex!(
                "b7e1da6be8da17212f329884e6b0836868a9e4d11be8f0ddb31a5a52b558e84a"
            ))
        );
    }

    #[test]
    fn legacy_call_matches_the_oracle_signer() {
        // `zksync-os-oracle --sign` with `"type": 0`: chain 270, nonce 3, gas price 2,000,
        // gas 60,000, 7 wei and calldata 0xdeadbeef to 0x5FbD…0aa3 (EIP-155 v = 2 × 270 + 35 + 1).
        let req = TxRequest {
            tx_type: 0,
            chain_id: 270,
            nonce: 3,
            gas_limit: 60_000,
            max_fee_per_gas: 2_000,
            max_priority_fee_per_gas: 0,
            to: Some(address!("5FbDB2315678afecb367f032d93F642f64180aa3")),
            value: U256::from(7u64),
            data: hex!("deadbeef").to_vec(),
            access_list: Vec::new(),
            authorizations: Vec::new(),
        };
        let signed = sign(&req, &hardhat_key());
        assert_eq!(
            hex::encode(&signed.raw),
            "f867038207d082ea60945fbdb2315678afecb367f032d93f642f64180aa30784deadbeef820240a01751b92448537f0f76c71bf1938b11a041af213689e8fd6916658faf5c4d001ea019469319397a0e1af4345a7c09af96c682df86c7a3a6a3c916bdaa88ae36ff09"
        );
    }
}
