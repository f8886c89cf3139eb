//! What the block loop takes in: a transaction as received ([`BlockTransaction`]), decoded
//! once into a [`DecodedTx`] — envelope decoded, sender recovered, hash taken from the bytes —
//! or turned into a [`Rejection`] when it cannot be.

use alloc::vec::Vec;

use super::invalid::InvalidTransaction;
use crate::primitives::{keccak256, Address, Bytes, B256, KECCAK_EMPTY};
use crate::tx::{self, Transaction};

/// A transaction as the block receives it.
// A block holds few simulated transactions and they are built by hosts by value; boxing would
// only make that construction noisier.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BlockTransaction {
    /// An EIP-2718 envelope, or `0xFF ‖ abi` (L1 priority) / `0xFE ‖ abi` (upgrade).
    Encoded(Bytes),
    /// Simulation (`eth_call`, gas estimation): `tx` runs as sent by `from` without a
    /// signature check. In the ZKsync OS flow the nonce is not checked either and a gas price
    /// of 0 is allowed (native is then priced at the base fee); the Ethereum flow validates
    /// the rest as usual.
    Simulated {
        /// The transaction (its signature is ignored).
        tx: Transaction,
        /// The sender.
        from: Address,
    },
}

/// A transaction ready for validation: decoded, with its sender and its hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodedTx {
    /// The transaction.
    pub tx: Transaction,
    /// The sender: recovered from the signature, `l1.from` for an L1 priority or upgrade
    /// transaction, or the simulation's `from`.
    pub sender: Address,
    /// The transaction hash (see [`DecodedTx::from_envelope`] and [`DecodedTx::simulation`]).
    pub hash: B256,
    /// Whether it runs without a signature check (a simulation or an impersonated sender).
    pub simulated: bool,
    /// Whether the ZKsync OS flow skips its nonce check (a simulation; an impersonated
    /// transaction in a block is checked like a signed one). The Ethereum flow always checks.
    pub skip_nonce: bool,
    /// Whether the Ethereum flow leaves the EIP-7825 cap on the gas limit unchecked: a
    /// simulation (`eth_call`, `debug_traceCall`), as geth and reth skip their transaction
    /// checks for one (go-ethereum `core/state_transition.go` `preCheck`, under
    /// `SkipTransactionChecks`, which `internal/ethapi` sets for calls). Blocks keep the cap.
    pub skip_gas_cap: bool,
    /// Whether the sender may have code (EIP-3607 unchecked): a simulation, as geth's calls
    /// (go-ethereum `core/state_transition.go` `preCheck`, the sender-is-EOA check under
    /// `SkipTransactionChecks`), so a wallet can simulate a smart account's (a Safe's) call; and
    /// an impersonated transaction, as anvil and Hardhat let a dev node send from a contract.
    pub skip_sender_code: bool,
}

/// A transaction the block leaves out: its hash and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    /// Transaction hash (keccak of the bytes received when they do not decode).
    pub tx_hash: B256,
    /// Why it is left out.
    pub reason: InvalidTransaction,
}

impl DecodedTx {
    /// Decodes an envelope and recovers its sender; the hash is taken from `bytes` as received
    /// ([`tx::envelope_hash`]).
    pub fn from_envelope(bytes: &[u8]) -> Result<Self, InvalidTransaction> {
        Self::from_envelope_known(bytes, |_| None)
    }

    /// [`DecodedTx::from_envelope`], except that a signed envelope whose hash (keccak of
    /// exactly `bytes`) `known` maps to a sender takes that sender instead of recovering it
    /// again. `known` must only answer with a sender zkos recovered itself from the same bytes
    /// (see [`super::RecoveredSenders`]).
    pub(super) fn from_envelope_known(
        bytes: &[u8],
        known: impl FnOnce(&B256) -> Option<Address>,
    ) -> Result<Self, InvalidTransaction> {
        let decoded = Decoded::of(bytes, known)?;
        let sender = match decoded.sender {
            Some(sender) => sender,
            None => tx::recover_sender_hashed(&decoded.tx, decoded.signing_hash)
                .map_err(InvalidTransaction::InvalidSignature)?,
        };
        Ok(Self::signed(decoded.tx, decoded.hash, sender))
    }

    /// A decoded envelope with its sender.
    fn signed(tx: Transaction, hash: B256, sender: Address) -> Self {
        Self {
            hash,
            tx,
            sender,
            simulated: false,
            skip_nonce: false,
            skip_gas_cap: false,
            skip_sender_code: false,
        }
    }

    /// `tx` sent by `from` without a signature check; its hash is that of its envelope when it
    /// is signed, else of its signing payload.
    pub fn simulation(tx: Transaction, from: Address) -> Self {
        Self {
            hash: hash_of(&tx),
            tx,
            sender: from,
            simulated: true,
            skip_nonce: true,
            skip_gas_cap: true,
            skip_sender_code: true,
        }
    }

    /// `tx` sent by `from` in a block without a signature check (impersonation): hashed as
    /// [`DecodedTx::simulation`], its nonce and gas cap checked as a signed transaction's are;
    /// its sender may have code.
    pub fn impersonated(tx: Transaction, from: Address) -> Self {
        Self {
            skip_nonce: false,
            skip_gas_cap: false,
            ..Self::simulation(tx, from)
        }
    }

    /// `tx`, whose sender the caller recovered as `sender`, hashed from its encoding.
    pub fn recovered(tx: Transaction, sender: Address) -> Self {
        Self {
            hash: hash_of(&tx),
            tx,
            sender,
            simulated: false,
            skip_nonce: false,
            skip_gas_cap: false,
            skip_sender_code: false,
        }
    }
}

/// An envelope decoded and hashed, its sender known or still to recover.
struct Decoded {
    tx: Transaction,
    /// The transaction hash, of the bytes received.
    hash: B256,
    /// The sender unless it is to be recovered (`None`): an L1 transaction's `from`, or what
    /// the caller's `known` answered for the hash.
    sender: Option<Address>,
    /// For a sender to recover, the signing hash, read from the bytes received (see
    /// [`tx::SigningPayload`]).
    signing_hash: Option<B256>,
}

impl Decoded {
    /// `bytes` decoded and hashed, the sender looked up in `known`.
    fn of(
        bytes: &[u8],
        known: impl FnOnce(&B256) -> Option<Address>,
    ) -> Result<Self, InvalidTransaction> {
        let (tx, payload) =
            tx::decode_with_signing_payload(bytes).map_err(InvalidTransaction::Malformed)?;
        let hash = tx::envelope_hash(bytes);
        let sender = if tx.is_l1() {
            Some(
                tx.l1
                    .as_ref()
                    .map(|l1| l1.from)
                    .ok_or(InvalidTransaction::L1FieldsMissing)?,
            )
        } else {
            known(&hash)
        };
        let signing_hash = match sender {
            Some(_) => None,
            None => payload.and_then(|payload| payload.hash()),
        };
        Ok(Self {
            tx,
            hash,
            sender,
            signing_hash,
        })
    }
}

impl BlockTransaction {
    /// Decodes the transaction once (see [`decode_envelope`]).
    pub fn decode(&self) -> Result<DecodedTx, Rejection> {
        match self {
            Self::Encoded(bytes) => decode_envelope(bytes),
            Self::Simulated { tx, from } => Ok(DecodedTx::simulation(tx.clone(), *from)),
        }
    }
}

/// Decodes envelope `bytes` once (see [`DecodedTx::from_envelope`]); bytes that do not decode,
/// or whose sender does not recover, are rejected under keccak of the bytes.
pub fn decode_envelope(bytes: &[u8]) -> Result<DecodedTx, Rejection> {
    decode_envelope_known(bytes, |_| None)
}

/// [`decode_envelope`] through [`DecodedTx::from_envelope_known`].
pub(super) fn decode_envelope_known(
    bytes: &[u8],
    known: impl FnOnce(&B256) -> Option<Address>,
) -> Result<DecodedTx, Rejection> {
    DecodedTx::from_envelope_known(bytes, known).map_err(|reason| Rejection {
        tx_hash: keccak256(bytes),
        reason,
    })
}

/// [`decode_envelope_known`] of each of `envelopes`, in order: the same answers, with the
/// senders to recover recovered together ([`tx::recover_senders`]).
pub(super) fn decode_envelopes_known<'a>(
    envelopes: impl IntoIterator<Item = &'a [u8]>,
    known: impl Fn(&B256) -> Option<Address>,
) -> Vec<Result<DecodedTx, Rejection>> {
    let parts: Vec<(&[u8], Result<Decoded, InvalidTransaction>)> = envelopes
        .into_iter()
        .map(|bytes| (bytes, Decoded::of(bytes, &known)))
        .collect();
    let unrecovered: Vec<(&Transaction, Option<B256>)> = parts
        .iter()
        .filter_map(|(_, part)| match part {
            Ok(decoded) if decoded.sender.is_none() => Some((&decoded.tx, decoded.signing_hash)),
            _ => None,
        })
        .collect();
    let mut recovered = tx::recover_senders(&unrecovered).into_iter();
    parts
        .into_iter()
        .map(|(bytes, part)| {
            part.and_then(|decoded| {
                let sender = match decoded.sender {
                    Some(sender) => sender,
                    None => recovered
                        .next()
                        .unwrap_or(Err(tx::SignatureError::RecoveryFailed))
                        .map_err(InvalidTransaction::InvalidSignature)?,
                };
                Ok(DecodedTx::signed(decoded.tx, decoded.hash, sender))
            })
            .map_err(|reason| Rejection {
                tx_hash: keccak256(bytes),
                reason,
            })
        })
        .collect()
}

/// The hash of a decoded transaction: of its envelope when it has one, of its signing payload
/// for an unsigned one.
fn hash_of(tx: &Transaction) -> B256 {
    tx.tx_hash()
        .or_else(|_| tx.signing_hash())
        .unwrap_or(KECCAK_EMPTY)
}
