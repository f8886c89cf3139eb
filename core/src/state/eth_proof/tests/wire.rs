//! Requests in bytes, as the npm package sends them: the node's JSON fields carried over.

use super::super::{verify_header_request, verify_proof_request, ProofError};
use super::anvil::{self, Answer};
use crate::primitives::hex;
use crate::tx::rlp::{write_bytes, write_list};
use alloc::vec::Vec;

/// The bytes of a hex string, an odd number of digits padded with a leading zero.
fn hex_bytes(text: &str) -> Vec<u8> {
    let digits = text.trim_start_matches("0x");
    let padded = if digits.len() % 2 == 1 {
        alloc::format!("0{digits}")
    } else {
        digits.into()
    };
    hex::decode(padded).expect("hex")
}

fn string(out: &mut Vec<u8>, text: &str) {
    write_bytes(out, &hex_bytes(text));
}

fn list(out: &mut Vec<u8>, items: &[Vec<u8>]) {
    write_list(out, &items.concat());
}

fn header_request(fields: &[(&str, &str)], extra: &[(&str, Option<&str>)]) -> Vec<u8> {
    let hash = fields.iter().find(|(k, _)| *k == "hash").expect("hash").1;
    let mut pairs = Vec::new();
    let mut all: Vec<(&str, Option<&str>)> = fields.iter().map(|(k, v)| (*k, Some(*v))).collect();
    all.extend_from_slice(extra);
    for (name, value) in all {
        let mut pair = Vec::new();
        write_bytes(&mut pair, name.as_bytes());
        match value {
            Some(v) => string(&mut pair, v),
            None => list(&mut pair, &[]),
        }
        let mut encoded = Vec::new();
        write_list(&mut encoded, &pair);
        pairs.push(encoded);
    }
    let mut payload = Vec::new();
    string(&mut payload, hash);
    list(&mut payload, &pairs);
    let mut out = Vec::new();
    write_list(&mut out, &payload);
    out
}

fn proof_request(a: &Answer, code: Option<&str>) -> Vec<u8> {
    let mut payload = Vec::new();
    for text in [
        anvil::STATE_ROOT,
        a.address,
        a.nonce,
        a.balance,
        a.storage_hash,
        a.code_hash,
    ] {
        string(&mut payload, text);
    }
    let nodes = |proof: &[&str]| {
        let mut out = Vec::new();
        list(
            &mut out,
            &proof
                .iter()
                .map(|n| {
                    let mut node = Vec::new();
                    string(&mut node, n);
                    node
                })
                .collect::<Vec<_>>(),
        );
        out
    };
    payload.extend(nodes(a.account_proof));
    let slots: Vec<Vec<u8>> = a
        .slots
        .iter()
        .map(|(key, value, proof)| {
            let mut entry = Vec::new();
            string(&mut entry, key);
            string(&mut entry, value);
            entry.extend(nodes(proof));
            let mut out = Vec::new();
            write_list(&mut out, &entry);
            out
        })
        .collect();
    list(&mut payload, &slots);
    let mut code_list = Vec::new();
    if let Some(code) = code {
        string(&mut code_list, code);
    }
    let mut wrapped = Vec::new();
    write_list(&mut wrapped, &code_list);
    payload.extend(wrapped);
    let mut out = Vec::new();
    write_list(&mut out, &payload);
    out
}

#[test]
fn header_requests_of_every_fork() {
    let non_header = [
        ("totalDifficulty", Some("0x0")),
        ("size", Some("0x26f")),
        ("uncles", None),
        ("transactions", None),
    ];
    for fields in [
        anvil::LONDON_HEADER,
        anvil::SHANGHAI_HEADER,
        anvil::CANCUN_HEADER,
        anvil::PRAGUE_HEADER,
    ] {
        assert_eq!(
            verify_header_request(&header_request(fields, &non_header)),
            Ok(())
        );
        // A field unknown to this engine does not matter while the header hashes.
        assert_eq!(
            verify_header_request(&header_request(fields, &[("futureRoot", Some("0x01"))])),
            Ok(())
        );
    }
}

#[test]
fn altered_header_requests_fail() {
    let mut fields: Vec<(&str, &str)> = anvil::CANCUN_HEADER.to_vec();
    let at = fields
        .iter()
        .position(|(k, _)| *k == "gasUsed")
        .expect("gasUsed");
    fields[at].1 = "0x1";
    assert_eq!(
        verify_header_request(&header_request(&fields, &[])),
        Err(ProofError::HeaderHashMismatch)
    );
    assert_eq!(
        verify_header_request(&header_request(&fields, &[("futureRoot", Some("0x01"))])),
        Err(ProofError::HeaderUnknownFields)
    );
    // A header field that is `null` counts as absent: here it leaves a gap.
    let gap = header_request(anvil::CANCUN_HEADER, &[("withdrawalsRoot", None)]);
    assert_eq!(verify_header_request(&gap), Err(ProofError::HeaderFieldGap));
    let without_root: Vec<(&str, &str)> = anvil::CANCUN_HEADER
        .iter()
        .copied()
        .filter(|(k, _)| *k != "stateRoot")
        .collect();
    assert_eq!(
        verify_header_request(&header_request(&without_root, &[])),
        Err(ProofError::MalformedRequest)
    );
    let short_hash = header_request(anvil::CANCUN_HEADER, &[("mixHash", Some("0x01"))]);
    assert_eq!(
        verify_header_request(&short_hash),
        Err(ProofError::MalformedRequest)
    );
}

#[test]
fn proof_requests() {
    assert_eq!(
        verify_proof_request(&proof_request(&anvil::CONTRACT, Some(anvil::CONTRACT_CODE))),
        Ok(())
    );
    assert_eq!(
        verify_proof_request(&proof_request(&anvil::CONTRACT, None)),
        Ok(())
    );
    assert_eq!(
        verify_proof_request(&proof_request(&anvil::ABSENT, Some("0x"))),
        Ok(())
    );
    let richer = Answer {
        balance: "0x1234567891",
        ..anvil::CONTRACT
    };
    assert_eq!(
        verify_proof_request(&proof_request(&richer, None)),
        Err(ProofError::AccountMismatch)
    );
    assert_eq!(
        verify_proof_request(&proof_request(&anvil::CONTRACT, Some("0x00"))),
        Err(ProofError::CodeMismatch)
    );
}

#[test]
fn malformed_requests_are_typed_errors() {
    let good = proof_request(&anvil::CONTRACT, Some(anvil::CONTRACT_CODE));
    for request in [
        Vec::new(),
        alloc::vec![0xc0],
        alloc::vec![0x80],
        good[..good.len() - 1].to_vec(),
        [good.as_slice(), &[0]].concat(),
    ] {
        assert_eq!(
            verify_proof_request(&request),
            Err(ProofError::MalformedRequest)
        );
        assert_eq!(
            verify_header_request(&request),
            Err(ProofError::MalformedRequest)
        );
    }
    // Every cut of a good request is refused, never a panic.
    for end in 0..good.len() {
        assert!(verify_proof_request(&good[..end]).is_err());
    }
}
