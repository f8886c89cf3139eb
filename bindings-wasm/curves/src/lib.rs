//! `zkos-curves-wasm`: [`CurveOp::compute`] behind a raw wasm ABI, so the npm package can keep
//! the curve arithmetic (arkworks, most of the engine's size) out of its main module and load
//! it on first use. The main module's curve backend (`bindings-wasm/src/curves.rs`) calls it
//! through JS.
//!
//! The ABI, for one call: `input(len)` returns the address of a zeroed `len`-byte buffer, the
//! caller writes the input there, `run(op)` returns the output length (or [`MALFORMED`],
//! [`UNKNOWN_OP`]), and the output is that many bytes at `output()`. Every pointer crosses as a
//! number; nothing here dereferences one.
//!
//! The module also carries fork mode's checks of what a node sends (core's `state::eth_proof`,
//! too large for the main module's size budget): `verify_header()` and `verify_proof()` check
//! the request in the input buffer and return 0 when it holds, else the length of the failure
//! written to the output (the rule's name, a newline, the message).

use std::cell::RefCell;
use zkos_core::engine::{verify_header_request, verify_proof_request, CurveOp, ProofError};

/// What [`run`] returns for malformed input (the precompile fails).
pub const MALFORMED: i32 = -1;
/// What [`run`] returns for a code that names no operation (the modules do not match).
pub const UNKNOWN_OP: i32 = -2;

thread_local! {
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    static OUTPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Makes the input buffer `len` zero bytes long and returns its address.
#[no_mangle]
pub extern "C" fn input(len: usize) -> *mut u8 {
    INPUT.with_borrow_mut(|buffer| {
        buffer.clear();
        buffer.resize(len, 0);
        buffer.as_mut_ptr()
    })
}

/// Runs operation `op` on the input buffer; returns the output length, [`MALFORMED`] or
/// [`UNKNOWN_OP`].
#[no_mangle]
pub extern "C" fn run(op: u32) -> i32 {
    let Some(op) = u16::try_from(op).ok().and_then(CurveOp::from_code) else {
        return UNKNOWN_OP;
    };
    let answer = INPUT.with_borrow(|input| op.compute(input));
    match answer {
        Some(output) => {
            // Outputs are a G2 point (256 bytes) at most, or a modexp result of the modulus's
            // length, which its gas bounds far below 2^31 bytes.
            let len = i32::try_from(output.len()).unwrap_or(MALFORMED);
            OUTPUT.set(output);
            len
        }
        None => MALFORMED,
    }
}

/// Checks the header request in the input buffer (see the module doc).
#[no_mangle]
pub extern "C" fn verify_header() -> i32 {
    check(verify_header_request)
}

/// Checks the proof request in the input buffer (see the module doc).
#[no_mangle]
pub extern "C" fn verify_proof() -> i32 {
    check(verify_proof_request)
}

/// Generic rather than a function pointer: an indirect call would keep the whole function table
/// (the panic machinery's formatting with it), about 16 KB of gzip.
fn check(verify: impl Fn(&[u8]) -> Result<(), ProofError>) -> i32 {
    match INPUT.with_borrow(|input| verify(input)) {
        Ok(()) => 0,
        Err(error) => {
            let mut failure = Vec::new();
            for part in [error.name(), "\n", error.message()] {
                failure.extend_from_slice(part.as_bytes());
            }
            // A rule's name and message are a few dozen bytes.
            let len = i32::try_from(failure.len()).unwrap_or(MALFORMED);
            OUTPUT.set(failure);
            len
        }
    }
}

/// The address of the last output.
#[no_mangle]
pub extern "C" fn output() -> *const u8 {
    OUTPUT.with_borrow(|output| output.as_ptr())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `bytes` through the ABI, runs `op`, reads the output back.
    fn call(op: u32, bytes: &[u8]) -> Result<Vec<u8>, i32> {
        input(bytes.len());
        INPUT.with_borrow_mut(|buffer| buffer.copy_from_slice(bytes));
        let len = run(op);
        if len < 0 {
            return Err(len);
        }
        Ok(OUTPUT.with_borrow(|output| output[..len as usize].to_vec()))
    }

    #[test]
    fn runs_the_core_arithmetic() {
        // bn254: G + G (EIP-196 vector cdetrio11) = 2G.
        let mut g_plus_g = [0u8; 128];
        g_plus_g[31] = 1;
        g_plus_g[63] = 2;
        g_plus_g[95] = 1;
        g_plus_g[127] = 2;
        let expected = CurveOp::Bn254Add.compute(&g_plus_g).unwrap();
        assert_eq!(call(0x06, &g_plus_g), Ok(expected));
        assert_eq!(&call(0x06, &g_plus_g).unwrap()[..2], &[0x03, 0x06]);
    }

    #[test]
    fn checks_answer_with_the_rule_that_failed() {
        input(3);
        INPUT.with_borrow_mut(|buffer| buffer.copy_from_slice(&[0xc1, 0x80, 0x00]));
        let len = verify_proof();
        let failure = OUTPUT.with_borrow(|output| output[..len as usize].to_vec());
        assert!(failure.starts_with(b"MalformedRequest\n"));
        let len = verify_header();
        assert!(len > 0);
    }

    #[test]
    fn malformed_and_unknown() {
        assert_eq!(call(0x06, &[0u8; 5]), Err(MALFORMED));
        assert_eq!(call(0x09, &[]), Err(UNKNOWN_OP));
        assert_eq!(call(0x106, &[]), Err(UNKNOWN_OP));
        assert_eq!(call(0x1_0006, &[]), Err(UNKNOWN_OP));
        // P256VERIFY has no malformed input: a wrong length is a signature that does not hold.
        assert_eq!(call(0x100, &[0u8; 5]), Ok(Vec::new()));
        // The empty bn254 pairing holds (the empty product is 1).
        let word = call(0x08, &[]).unwrap();
        assert_eq!(word.len(), 32);
        assert_eq!(word[31], 1);
    }
}
