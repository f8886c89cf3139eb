//! Word operations of the EVM that `ruint` does not provide directly.

use crate::primitives::U256;

/// `SIGNEXTEND`: extends the sign of byte `b` (0 = least significant) of `x`.
pub fn signextend(b: U256, x: U256) -> U256 {
    if b >= U256::from(31) {
        return x;
    }
    let bit = b.as_limbs()[0] as usize * 8 + 7;
    let mask = (U256::from(1) << bit) - U256::from(1);
    if x.bit(bit) {
        x | !mask
    } else {
        x & mask
    }
}

/// `BYTE`: byte `i` of `x`, counting from the most significant.
pub fn byte(i: U256, x: U256) -> U256 {
    if i >= U256::from(32) {
        return U256::ZERO;
    }
    let i = i.as_limbs()[0] as usize;
    U256::from(x.byte(31 - i))
}

/// `SHL`.
pub fn shl(shift: U256, x: U256) -> U256 {
    if shift >= U256::from(256) {
        U256::ZERO
    } else {
        x << shift.as_limbs()[0] as usize
    }
}

/// `SHR`.
pub fn shr(shift: U256, x: U256) -> U256 {
    if shift >= U256::from(256) {
        U256::ZERO
    } else {
        x >> shift.as_limbs()[0] as usize
    }
}

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
    fn signextend_and_byte() {
        assert_eq!(signextend(U256::ZERO, U256::from(0xff)), U256::MAX);
        assert_eq!(signextend(U256::ZERO, U256::from(0x7f)), U256::from(0x7f));
        assert_eq!(
            signextend(U256::from(1), U256::from(0x12_80_00)),
            U256::from(0x80_00) | !U256::from(0xffff)
        );
        assert_eq!(byte(U256::from(31), U256::from(0xab)), U256::from(0xab));
        assert_eq!(byte(U256::from(32), U256::MAX), U256::ZERO);
    }

    #[test]
    fn shifts() {
        assert_eq!(sar(U256::from(4), neg(16)), neg(1));
        assert_eq!(sar(U256::from(300), neg(16)), U256::MAX);
        assert_eq!(shl(U256::from(256), U256::from(1)), U256::ZERO);
        assert_eq!(shr(U256::from(1), U256::from(4)), U256::from(2));
        assert_eq!(clz(U256::ZERO), U256::from(256));
        assert_eq!(clz(U256::from(1)), U256::from(255));
        assert_eq!(byte_len(U256::from(256)), 2);
    }
}
