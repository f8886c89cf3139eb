//! Intrinsic gas, checked against hand-computed figures.

use super::super::intrinsic::{calldata_tokens, intrinsic_gas, IntrinsicGas};
use super::super::Transaction;
use super::vectors::eip7702_vector;
use crate::config::Hardfork;
use crate::primitives::{Address, Bytes};

fn call_with_data(data: &[u8]) -> Transaction {
    let mut tx = Transaction::empty(0x02);
    tx.to = Some(Address::repeat_byte(1));
    tx.data = Bytes::copy_from_slice(data);
    tx
}

#[test]
fn plain_transfer() {
    let tx = call_with_data(&[]);
    // No calldata: base cost only; the floor (Prague+) is the base cost too.
    assert_eq!(
        intrinsic_gas(&tx, Hardfork::Cancun),
        IntrinsicGas {
            gas: 21_000,
            floor_gas: 0
        }
    );
    assert_eq!(
        intrinsic_gas(&tx, Hardfork::Prague),
        IntrinsicGas {
            gas: 21_000,
            floor_gas: 21_000
        }
    );
}

#[test]
fn calldata_and_floor() {
    // 2 zero bytes + 2 non-zero: tokens = 2 + 2*4 = 10; gas = 21,000 + 2*4 + 2*16 = 21,040;
    // floor = 21,000 + 10*10 = 21,100 (above the standard cost).
    let tx = call_with_data(&[0, 0, 1, 0xff]);
    assert_eq!(calldata_tokens(&tx.data), 10);
    assert_eq!(
        intrinsic_gas(&tx, Hardfork::Osaka),
        IntrinsicGas {
            gas: 21_040,
            floor_gas: 21_100
        }
    );
}

#[test]
fn contract_creation() {
    // 33 non-zero initcode bytes: 132 tokens = 528 gas, 2 words = 4 gas (EIP-3860):
    // 21,000 + 32,000 + 528 + 4 = 53,532. The floor has no creation part: 21,000 + 1,320.
    let mut tx = call_with_data(&[0x60; 33]);
    tx.to = None;
    assert_eq!(
        intrinsic_gas(&tx, Hardfork::Prague),
        IntrinsicGas {
            gas: 53_532,
            floor_gas: 22_320
        }
    );
}

#[test]
fn access_list_and_authorizations() {
    // The EIP-7702 vector: data 00 ff 01 = 9 tokens (36 gas), 1 address + 1 key
    // (2,400 + 1,900), 2 authorizations (2 * 25,000): 21,000 + 36 + 4,300 + 50,000 = 75,336.
    let tx = eip7702_vector();
    assert_eq!(
        intrinsic_gas(&tx, Hardfork::Prague),
        IntrinsicGas {
            gas: 75_336,
            floor_gas: 21_090
        }
    );
}
