//! Mode PROVE: prove one block from its recorded oracle word stream with
//! `zkos_core::driver::prove_block` and output its public inputs. Nothing in the stream is
//! trusted: any answer that does not check out against the previous state commitment makes the
//! run fail (a non-zero exit), so a tampered input can never produce a public input.
//!
//! Input (after the mode word), little-endian: the chain configuration — `chain_id: u64`,
//! `flow: u8` (0 Zk, 1 Ethereum), `hardfork: u8` (0 Cancun, 1 Prague, 2 Osaka),
//! `protocol_version: u8` (1 or 2) — then `word_count: u32` and that many `u32` words (the stream
//! `zkos_core::oracle::Recorder` writes).
//!
//! Output: `block_public_input: [u8; 32]` then `batch_public_input: [u8; 32]`.

use crate::input::{InputError, Reader};
use alloc::vec::Vec;
use zkos_core::config::{ChainConfig, FlowKind, Hardfork, ProtocolVersion};
use zkos_core::driver::prove_block;
use zkos_core::oracle::{ProvingError, Replay};

/// Why a PROVE run produced no public input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProveFailure {
    /// The input blob is malformed.
    Input(InputError),
    /// A configuration byte has no meaning.
    BadConfig,
    /// The block does not prove.
    Proving(ProvingError),
}

impl From<InputError> for ProveFailure {
    fn from(error: InputError) -> Self {
        ProveFailure::Input(error)
    }
}

fn chain_config(input: &mut Reader<'_>) -> Result<ChainConfig, ProveFailure> {
    let chain_id = input.u64()?;
    let [flow, hardfork, protocol_version] = input.array::<3>()?;
    let flow = match flow {
        0 => FlowKind::Zk,
        1 => FlowKind::Ethereum,
        _ => return Err(ProveFailure::BadConfig),
    };
    let hardfork = match hardfork {
        0 => Hardfork::Cancun,
        1 => Hardfork::Prague,
        2 => Hardfork::Osaka,
        _ => return Err(ProveFailure::BadConfig),
    };
    let protocol_version =
        ProtocolVersion::from_number(u64::from(protocol_version)).ok_or(ProveFailure::BadConfig)?;
    Ok(ChainConfig {
        chain_id,
        flow,
        hardfork,
        protocol_version,
    })
}

/// Proves the block the input describes and returns the output bytes.
pub fn run(mut input: Reader<'_>) -> Result<Vec<u8>, ProveFailure> {
    let config = chain_config(&mut input)?;
    let count = input.u32()? as usize;
    let bytes = input.take(count.checked_mul(4).ok_or(InputError::Truncated)?)?;
    input.finish()?;
    let words: Vec<u32> = bytes
        .chunks_exact(4)
        .map(|word| u32::from_le_bytes([word[0], word[1], word[2], word[3]]))
        .collect();
    let oracle = Replay::new(&words).map_err(|e| ProveFailure::Proving(ProvingError::Oracle(e)))?;
    let block = prove_block(&config, oracle).map_err(ProveFailure::Proving)?;
    let mut out = Vec::with_capacity(64);
    out.extend_from_slice(block.commitments.block_public_input.as_slice());
    out.extend_from_slice(block.commitments.batch_public_input.as_slice());
    Ok(out)
}
