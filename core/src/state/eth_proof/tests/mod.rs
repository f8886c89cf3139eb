//! Header hashes and `eth_getProof` answers of a real node (anvil), altered one value at a time;
//! trie shapes from an independent builder (alloy-trie); malformed nodes.

mod anvil;
mod shapes;
mod wire;

use super::{verify_answer, AccountClaim, EthHeader, ProofAnswer, ProofError, SlotClaim};
use crate::primitives::{b256, hex, Address, B256, U256};
use alloc::vec::Vec;
use anvil::{Answer, Fields};

fn bytes(text: &str) -> Vec<u8> {
    hex::decode(text).expect("hex")
}

fn word(text: &str) -> B256 {
    B256::from_slice(&bytes(text))
}

fn quantity(text: &str) -> U256 {
    U256::from_str_radix(text.trim_start_matches("0x"), 16).expect("quantity")
}

fn small(text: &str) -> u64 {
    quantity(text).to::<u64>()
}

fn header(fields: Fields) -> (EthHeader, B256) {
    let get = |name: &str| fields.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
    let need = |name: &str| get(name).expect(name);
    let h = EthHeader {
        parent_hash: word(need("parentHash")),
        ommers_hash: word(need("sha3Uncles")),
        beneficiary: Address::from_slice(&bytes(need("miner"))),
        state_root: word(need("stateRoot")),
        transactions_root: word(need("transactionsRoot")),
        receipts_root: word(need("receiptsRoot")),
        logs_bloom: bytes(need("logsBloom")),
        difficulty: quantity(need("difficulty")),
        number: small(need("number")),
        gas_limit: small(need("gasLimit")),
        gas_used: small(need("gasUsed")),
        timestamp: small(need("timestamp")),
        extra_data: bytes(need("extraData")),
        mix_hash: word(need("mixHash")),
        nonce: bytes(need("nonce")),
        base_fee: get("baseFeePerGas").map(quantity),
        withdrawals_root: get("withdrawalsRoot").map(word),
        blob_gas_used: get("blobGasUsed").map(small),
        excess_blob_gas: get("excessBlobGas").map(small),
        parent_beacon_block_root: get("parentBeaconBlockRoot").map(word),
        requests_hash: get("requestsHash").map(word),
    };
    (h, word(need("hash")))
}

fn answer(a: &Answer, code: Option<&str>) -> ProofAnswer {
    ProofAnswer {
        address: Address::from_slice(&bytes(a.address)),
        account: AccountClaim {
            nonce: small(a.nonce),
            balance: quantity(a.balance),
            storage_hash: word(a.storage_hash),
            code_hash: word(a.code_hash),
        },
        account_proof: a.account_proof.iter().map(|n| bytes(n)).collect(),
        slots: a
            .slots
            .iter()
            .map(|(slot, value, proof)| SlotClaim {
                slot: quantity(slot),
                value: quantity(value),
                proof: proof.iter().map(|n| bytes(n)).collect(),
            })
            .collect(),
        code: code.map(bytes),
    }
}

fn root() -> B256 {
    word(anvil::STATE_ROOT)
}

#[test]
fn headers_of_every_fork_hash_to_their_block_hash() {
    for fields in [
        anvil::LONDON_HEADER,
        anvil::SHANGHAI_HEADER,
        anvil::CANCUN_HEADER,
        anvil::PRAGUE_HEADER,
    ] {
        let (h, hash) = header(fields);
        assert_eq!(h.verify(&hash, false), Ok(()));
        assert_eq!(
            h.verify(&hash, true),
            Ok(()),
            "unknown fields do not matter when it hashes"
        );
    }
}

/// Mainnet's genesis (before London: no base fee), from its published fields; its hash is
/// mainnet's block 0 hash.
#[test]
fn mainnet_genesis_header_hashes_to_its_hash() {
    let genesis = EthHeader {
        ommers_hash: b256!("1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347"),
        state_root: b256!("d7f8974fb5ac78d9ac099b9ad5018bedc2ce0a72dad1827a1709da30580f0544"),
        transactions_root: super::EMPTY_TRIE_ROOT,
        receipts_root: super::EMPTY_TRIE_ROOT,
        logs_bloom: alloc::vec![0u8; 256],
        difficulty: U256::from(0x4_0000_0000u64),
        gas_limit: 5000,
        extra_data: bytes("0x11bbe8db4e347b4e8c937c1c8370e4b5ed33adb3db69cbdb7a38e1e50b1b82fa"),
        nonce: bytes("0x0000000000000042"),
        ..EthHeader::default()
    };
    let hash = b256!("d4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3");
    assert_eq!(genesis.verify(&hash, false), Ok(()));
}

#[test]
fn an_altered_header_field_fails() {
    let (h, hash) = header(anvil::PRAGUE_HEADER);
    let mut altered = [h.clone(), h.clone(), h.clone(), h.clone(), h.clone()];
    altered[0].state_root.0[31] ^= 1;
    altered[1].number += 1;
    altered[2].requests_hash = None;
    altered[3].extra_data = bytes("0x01");
    altered[4].base_fee = h.base_fee.map(|f| f + U256::from(1));
    for a in &altered {
        assert_eq!(a.verify(&hash, false), Err(ProofError::HeaderHashMismatch));
        assert_eq!(a.verify(&hash, true), Err(ProofError::HeaderUnknownFields));
    }
    let mut other = hash;
    other.0[0] ^= 0x80;
    assert_eq!(h.verify(&other, false), Err(ProofError::HeaderHashMismatch));
}

#[test]
fn a_later_field_without_an_earlier_one_is_a_gap() {
    let (mut h, hash) = header(anvil::CANCUN_HEADER);
    h.withdrawals_root = None;
    assert_eq!(h.verify(&hash, false), Err(ProofError::HeaderFieldGap));
    let (mut h, _) = header(anvil::LONDON_HEADER);
    h.base_fee = None;
    h.requests_hash = Some(B256::ZERO);
    assert_eq!(h.rlp(), Err(ProofError::HeaderFieldGap));
}

#[test]
fn real_answers_verify() {
    let code = Some(anvil::CONTRACT_CODE);
    assert_eq!(
        verify_answer(&root(), &answer(&anvil::CONTRACT, code)),
        Ok(())
    );
    assert_eq!(
        verify_answer(&root(), &answer(&anvil::EOA, Some("0x"))),
        Ok(())
    );
    assert_eq!(
        verify_answer(&root(), &answer(&anvil::ABSENT, Some("0x"))),
        Ok(())
    );
    // Slots present (1, 2, 123, 300) and absent (301, 0xdead) alike.
    let contract = answer(&anvil::CONTRACT, None);
    let zeros = contract.slots.iter().filter(|s| s.value.is_zero()).count();
    assert_eq!((contract.slots.len(), zeros), (6, 2));
}

#[test]
fn altered_account_values_fail() {
    type Edit = fn(&mut ProofAnswer);
    let edits: [(Edit, ProofError); 6] = [
        (
            |a| a.account.balance += U256::from(1),
            ProofError::AccountMismatch,
        ),
        (|a| a.account.nonce += 1, ProofError::AccountMismatch),
        (
            |a| a.account.storage_hash.0[5] ^= 1,
            ProofError::AccountMismatch,
        ),
        (
            |a| a.account.code_hash.0[5] ^= 1,
            ProofError::AccountMismatch,
        ),
        (
            |a| a.code = Some(bytes("0x6001600056")),
            ProofError::CodeMismatch,
        ),
        (|a| a.code = Some(Vec::new()), ProofError::CodeMismatch),
    ];
    for (edit, error) in edits {
        let mut a = answer(&anvil::CONTRACT, Some(anvil::CONTRACT_CODE));
        edit(&mut a);
        assert_eq!(verify_answer(&root(), &a), Err(error));
    }
    let mut absent = answer(&anvil::ABSENT, Some("0x"));
    absent.account.balance = U256::from(1);
    assert_eq!(
        verify_answer(&root(), &absent),
        Err(ProofError::AccountMismatch)
    );
    let mut absent = answer(&anvil::ABSENT, Some("0x6000"));
    absent.account.code_hash = B256::ZERO;
    assert_eq!(
        verify_answer(&root(), &absent),
        Err(ProofError::CodeMismatch)
    );
    // The contract's proof given for another address proves nothing about it.
    let mut moved = answer(&anvil::CONTRACT, None);
    moved.address = Address::from_slice(&bytes(anvil::EOA.address));
    assert!(verify_answer(&root(), &moved).is_err());
}

#[test]
fn altered_slot_values_fail() {
    for (index, value) in [(0, 8u64), (0, 0), (4, 1), (5, 7)] {
        let mut a = answer(&anvil::CONTRACT, None);
        a.slots[index].value = U256::from(value);
        assert_eq!(
            verify_answer(&root(), &a),
            Err(ProofError::SlotMismatch),
            "slot {index}"
        );
    }
    let mut a = answer(&anvil::ABSENT, None);
    a.slots[0].value = U256::from(1);
    assert_eq!(verify_answer(&root(), &a), Err(ProofError::SlotMismatch));
    // Slot 2's proof offered for slot 1.
    let mut a = answer(&anvil::CONTRACT, None);
    a.slots[0].proof = a.slots[1].proof.clone();
    assert!(verify_answer(&root(), &a).is_err());
}

#[test]
fn altered_proofs_and_roots_fail() {
    let good = answer(&anvil::CONTRACT, None);
    let mut wrong_root = root();
    wrong_root.0[0] ^= 1;
    assert_eq!(
        verify_answer(&wrong_root, &good),
        Err(ProofError::NodeHashMismatch)
    );
    for node in 0..good.account_proof.len() {
        let mut a = good.clone();
        let mut raw = a.account_proof[node].to_vec();
        let at = raw.len() / 2;
        raw[at] ^= 0x10;
        a.account_proof[node] = raw;
        assert_eq!(
            verify_answer(&root(), &a),
            Err(ProofError::NodeHashMismatch),
            "node {node}"
        );
    }
    let mut a = good.clone();
    let last = a.slots[2].proof.len() - 1;
    let mut raw = a.slots[2].proof[last].to_vec();
    let end = raw.len() - 1;
    raw[end] ^= 1;
    a.slots[2].proof[last] = raw;
    assert_eq!(
        verify_answer(&root(), &a),
        Err(ProofError::NodeHashMismatch)
    );
    let mut short = good.clone();
    short.account_proof.pop();
    assert_eq!(verify_answer(&root(), &short), Err(ProofError::MissingNode));
    let mut short = good.clone();
    short.slots[0].proof.pop();
    assert_eq!(verify_answer(&root(), &short), Err(ProofError::MissingNode));
    let mut long = good.clone();
    let first = long.slots[4].proof[0].clone();
    long.slots[4].proof.push(first);
    assert_eq!(verify_answer(&root(), &long), Err(ProofError::ExtraNode));
    let mut empty = good;
    empty.account_proof = Vec::new();
    assert_eq!(verify_answer(&root(), &empty), Err(ProofError::MissingNode));
}
