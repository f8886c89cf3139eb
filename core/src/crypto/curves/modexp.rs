//! modexp's (0x05) arithmetic: `base ^ exp % modulus` on big-endian numbers of any length
//! (EIP-198), through `modexp_word` on the guest when the modulus fits 256 bits. It lives with the curve arithmetic because it is rarely called and its code is
//! large for the npm main module; the precompile (`precompiles::modexp`) prices the call first.

use alloc::vec;
use alloc::vec::Vec;

/// Bytes of one length field; three of them start the input.
const LENGTH_FIELD_BYTES: usize = 32;

/// The result of the precompile's input `base_len ‖ exp_len ‖ mod_len ‖ base ‖ exp ‖ modulus`
/// (zero-padded), left-padded to `mod_len` bytes; `None` when a length does not fit this
/// machine's address space.
pub(super) fn result(input: &[u8]) -> Option<Vec<u8>> {
    let base_len = length(input, 0)?;
    let exp_len = length(input, 1)?;
    let mod_len = length(input, 2)?;
    let base_start = 3 * LENGTH_FIELD_BYTES;
    let exp_start = base_start.checked_add(base_len)?;
    let mod_start = exp_start.checked_add(exp_len)?;
    mod_start.checked_add(mod_len)?;
    let modulus = padded(input, mod_start, mod_len);
    if modulus.iter().all(|&b| b == 0) {
        return Some(vec![0u8; mod_len]);
    }
    let base = padded(input, base_start, base_len);
    let exp = padded(input, exp_start, exp_len);
    // The guest reduces through 256-bit words when the modulus fits one (bigint delegations).
    #[cfg(all(target_arch = "riscv32", feature = "delegation"))]
    if let Some(result) = super::modexp_word::modexp(&base, &exp, &modulus) {
        let bytes = result.to_be_bytes::<32>();
        let mut output = vec![0u8; mod_len];
        let n = mod_len.min(bytes.len());
        output[mod_len - n..].copy_from_slice(&bytes[bytes.len() - n..]);
        return Some(output);
    }
    let result = aurora_engine_modexp::modexp(&base, &exp, &modulus);
    // The result is below the modulus, so it fits; keep only the low `mod_len` bytes regardless.
    let result = &result[result.len().saturating_sub(mod_len)..];
    let mut output = vec![0u8; mod_len];
    output[mod_len - result.len()..].copy_from_slice(result);
    Some(output)
}

/// Length field `index` (big-endian, zero-padded) as a `usize`, if it fits.
fn length(input: &[u8], index: usize) -> Option<usize> {
    let field = padded(input, index * LENGTH_FIELD_BYTES, LENGTH_FIELD_BYTES);
    let (high, low) = field.split_at(LENGTH_FIELD_BYTES - 8);
    if high.iter().any(|&b| b != 0) {
        return None;
    }
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(low);
    usize::try_from(u64::from_be_bytes(bytes)).ok()
}

/// `len` bytes of `input` from `offset`, zero-filled past its end.
fn padded(input: &[u8], offset: usize, len: usize) -> Vec<u8> {
    let mut out = vec![0u8; len];
    if let Some(available) = input.get(offset..) {
        let n = available.len().min(len);
        out[..n].copy_from_slice(&available[..n]);
    }
    out
}
