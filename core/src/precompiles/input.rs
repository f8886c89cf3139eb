//! Reading a precompile's input: fixed-size fields zero-padded past its end, and its length in
//! words.

/// Number of 32-byte words needed to hold `len` bytes.
pub(super) fn words(len: usize) -> u64 {
    (len as u64).div_ceil(32)
}

/// `N` bytes of `input` from `offset`, zero-filled where `input` ends (EVM calldata semantics).
pub(super) fn read_padded<const N: usize>(input: &[u8], offset: usize) -> [u8; N] {
    let mut out = [0u8; N];
    if let Some(available) = input.get(offset..) {
        let len = available.len().min(N);
        out[..len].copy_from_slice(&available[..len]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_padded_fills_with_zeros() {
        assert_eq!(read_padded::<4>(&[1, 2, 3], 1), [2, 3, 0, 0]);
        assert_eq!(read_padded::<2>(&[1, 2, 3], 7), [0, 0]);
        assert_eq!(read_padded::<2>(&[1, 2, 3], 0), [1, 2]);
    }

    #[test]
    fn words_round_up() {
        assert_eq!(words(0), 0);
        assert_eq!(words(1), 1);
        assert_eq!(words(32), 1);
        assert_eq!(words(33), 2);
    }
}
