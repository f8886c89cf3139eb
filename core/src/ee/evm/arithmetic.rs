//! Word operations of the EVM that `ruint` does not provide directly.

use crate::primitives::U256;

/// `SDIV`: signed division, truncating toward zero; division by zero gives zero.
pub fn sdiv(a: U256, b: U256) -> U256 {
    if b.is_zero() {
        return U256::ZERO;
    }
    let a_neg = a.bit(255);
    let b_neg = b.bit(255);
    let quotient = abs(a) / abs(b);
    if a_neg != b_neg {
        quotient.wrapping_neg()
    } else {
        quotient
    }
}

/// `SMOD`: signed remainder with the sign of the dividend; modulo zero gives zero.
pub fn smod(a: U256, b: U256) -> U256 {
    if b.is_zero() {
        return U256::ZERO;
    }
    let remainder = abs(a) % abs(b);
    if a.bit(255) {
        remainder.wrapping_neg()
    } else {
        remainder
    }
}

fn abs(x: U256) -> U256 {
    if x.bit(255) {
        x.wrapping_neg()
    } else {
        x
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

/// `ADDMOD`: (a + b) mod n without overflow; zero when n is zero.
pub fn addmod(a: U256, b: U256, n: U256) -> U256 {
    if n.is_zero() {
        U256::ZERO
    } else {
        a.add_mod(b, n)
    }
}

/// `MULMOD`: (a · b) mod n without overflow; zero when n is zero.
pub fn mulmod(a: U256, b: U256, n: U256) -> U256 {
    if n.is_zero() {
        U256::ZERO
    } else {
        a.mul_mod(b, n)
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
    fn signed_division_truncates_toward_zero() {
        assert_eq!(sdiv(neg(7), U256::from(2)), neg(3));
        assert_eq!(sdiv(U256::from(7), neg(2)), neg(3));
        assert_eq!(smod(neg(7), U256::from(2)), neg(1));
        assert_eq!(smod(U256::from(7), neg(2)), U256::from(1));
        // -2^255 / -1 overflows back to -2^255.
        let min = U256::from(1) << 255;
        assert_eq!(sdiv(min, neg(1)), min);
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
