//! Word operations of the EVM that `ruint` does not provide directly.

use crate::primitives::U256;

/// `SAR`: arithmetic shift right.
pub fn sar(shift: U256, x: U256) -> U256 {
    let negative = x.bit(255);
    if shift >= U256::from(256) {
        return if negative { U256::MAX } else { U256::ZERO };
    }
    let shift = shift.as_limbs()[0] as usize;
    if negative {
        !((!x) >> shift)
    } else {
        x >> shift
    }
}

/// `CLZ` (EIP-7939): number of leading zero bits; 256 for zero.
pub fn clz(x: U256) -> U256 {
    U256::from(x.leading_zeros())
}

/// Number of bytes in the minimal big-endian form of `x` (the `EXP` gas exponent length).
pub fn byte_len(x: U256) -> u64 {
    x.bit_len().div_ceil(8) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn neg(x: u64) -> U256 {
        U256::from(x).wrapping_neg()
    }

    #[test]
    fn shifts() {
        assert_eq!(sar(U256::from(4), neg(16)), neg(1));
        assert_eq!(sar(U256::from(300), neg(16)), U256::MAX);
        assert_eq!(clz(U256::ZERO), U256::from(256));
        assert_eq!(clz(U256::from(1)), U256::from(255));
        assert_eq!(byte_len(U256::from(256)), 2);
    }
}
