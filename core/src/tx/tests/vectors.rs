//! Published and independently generated transactions: decoding, re-encoding, hashes, senders.
//!
//! Sources: the EIP-155 example; `txbytes` + `sender` of ethereum/tests GeneralStateTests
//! (Cancun); and vectors produced with the Python `eth-account` 0.14 / `eth_abi` 6.0 packages
//! (an independent implementation), with the secret keys named next to them.

use super::super::*;
use crate::primitives::{address, b256, hex, keccak256, Address, B256, U256};
use alloc::vec::Vec;

/// Decodes `raw`, checks that re-encoding gives `raw` back, and returns the transaction.
pub(super) fn decode_round_trip(raw: &[u8]) -> Transaction {
    let tx = decode(raw).expect("vector decodes");
    assert_eq!(encode(&tx).expect("vector re-encodes"), raw);
    tx
}

// EIP-155 example: nonce 9, gas price 20 gwei, gas 21000, to 0x3535..35, 1 ether, chain id 1,
// signed with private key 0x4646..46.
const EIP155_SIGNING_DATA: [u8; 45] = hex!(
    "ec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080"
);
const EIP155_SIGNED: [u8; 110] = hex!(
    "f86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83"
);

// Vectors whose sources are named in the tests that use them.
const LEGACY_PRE155_RAW: [u8; 98] = hex!("f860010a83030d4094c305c901078781c232a2a521c2af7980f8385ee980801ca0602b800f0949f6e02c640db7952151b77666d04650acacc85bac5b60e26bd8d0a008126c5779b4f10e04f9a76fefdf77fbb279e6efe9019747ee85979bd103c2ca");
const LEGACY_EIP155_CREATE_RAW: [u8; 90] = hex!("f85881ff07830186a0808085600060005586020000000023a0f30948165751170c23e796a1da274cd7666c158b5a9ec2d138919e459bb9360fa0090594458a8befc8eb4a405c6fed0738bc12dba5e6dc976ef52338f6076d21ce");
const EIP2930_RAW: [u8; 161] = hex!("01f89e01010a83061a808080975a3031505a90036001555a60ff6000555a900360005500f838f794ec0e71ad0a90ffe1909d27dac207f7680abba42de1a0000000000000000000000000000000000000000000000000000000000000000080a0624806136601d18806233d5ec831f6926ff892c3fbdd32b0a0a694501036127da0638a01db82a445461cf2ab4b2876ffbcd55ab145c93efff82fbfcff0ec59fa25");
const EIP1559_RAW: [u8; 126] = hex!("02f87b0101648203e8825b6894cccccccccccccccccccccccccccccccccccccccc8080d7d694f00000000000000000000000000000000000f101c001a04856b66c35fbde860a112efc4985df5fcabcdb466840ebf14c2c1e566946f0d4a0148b349e4dc3f3c06ce0930e6c43dfdb30a2e4a5d66ea9172c3bb1fb3641473b");
const EIP4844_RAW: [u8; 137] = hex!("03f8860180800e8307a1209400000000000000000000000000000000000001008080c001e1a0010000000000000000000000000000000000000000000000000000000000000001a0239352141ddae24b0faa7ab1f1695b5025ca03c6dcd33206a97304f8687d0124a077e13041550d572b159b2aafe1e26b4fea37309f83858b3a1ab7dfb8825d8cf5");

#[test]
fn eip155_example() {
    let expected_hash = b256!("daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53");
    assert_eq!(keccak256(&EIP155_SIGNING_DATA), expected_hash);
    let tx = decode_round_trip(&EIP155_SIGNED);
    assert_eq!(tx.tx_type, LEGACY_TX_TYPE);
    assert_eq!(tx.chain_id, Some(1));
    assert_eq!(tx.nonce, 9);
    assert_eq!(tx.max_fee_per_gas, 20_000_000_000);
    assert_eq!(tx.max_priority_fee_per_gas, 20_000_000_000);
    assert_eq!(tx.gas_limit, 21_000);
    assert_eq!(tx.to, Some(Address::repeat_byte(0x35)));
    assert_eq!(tx.value, U256::from(10u64.pow(18)));
    assert!(tx.data.is_empty());
    let signature = tx.signature.expect("signed");
    assert!(!signature.y_parity, "v = 37 = 1 * 2 + 35 + 0");
    assert_eq!(tx.signing_hash(), Ok(expected_hash));
    assert_eq!(
        recover_sender(&tx),
        Ok(address!("9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F"))
    );
    assert_eq!(tx.tx_hash(), Ok(keccak256(&EIP155_SIGNED)));
}

#[test]
fn legacy_pre_eip155_state_test_vector() {
    // stPreCompiledContracts/identity_to_bigger.json (Cancun), v = 0x1c.
    let raw = LEGACY_PRE155_RAW;
    let tx = decode_round_trip(&raw);
    assert_eq!(tx.chain_id, None);
    assert_eq!(tx.nonce, 1);
    assert_eq!(tx.max_fee_per_gas, 10);
    assert_eq!(tx.gas_limit, 200_000);
    assert_eq!(
        tx.to,
        Some(address!("c305c901078781c232a2a521c2af7980f8385ee9"))
    );
    assert!(tx.signature.expect("signed").y_parity);
    assert_eq!(
        recover_sender(&tx),
        Ok(address!("82a978b3f5962a5b0957d9ee9eef472ee55b42f1"))
    );
}

#[test]
fn legacy_eip155_create_with_wide_chain_id() {
    // eth-account, key 0x33..33, chain id 2^40, create with initcode 6000600055;
    // v = 2 * 2^40 + 35 = 0x020000000023.
    let raw = LEGACY_EIP155_CREATE_RAW;
    let tx = decode_round_trip(&raw);
    assert_eq!(tx.chain_id, Some(1 << 40));
    assert_eq!(tx.nonce, 255);
    assert!(tx.is_create());
    assert_eq!(tx.data.as_ref(), &hex!("6000600055"));
    assert_eq!(
        tx.tx_hash(),
        Ok(b256!(
            "095f0b9ad0f52decc81e897f3328d6f3f540fd73f6dedcafd6aa7b6f8d3251ba"
        ))
    );
    assert_eq!(
        recover_sender(&tx),
        Ok(address!("5CbDd86a2FA8Dc4bDdd8a8f69dBa48572EeC07FB"))
    );
}

/// Sender of the ethereum/tests vectors (secret key 0x45a915e4...2d8).
const TEST_SENDER: Address = address!("a94f5374fce5edbc8e2a8697c15331677e6ebf0b");

#[test]
fn eip2930_create_with_access_list() {
    // stEIP2930/manualCreate.json (Cancun).
    let raw = EIP2930_RAW;
    let tx = decode_round_trip(&raw);
    assert_eq!(tx.tx_type, EIP2930_TX_TYPE);
    assert_eq!(tx.chain_id, Some(1));
    assert_eq!(tx.nonce, 1);
    assert_eq!(tx.max_fee_per_gas, 10);
    assert_eq!(tx.max_priority_fee_per_gas, 10);
    assert_eq!(tx.gas_limit, 400_000);
    assert!(tx.is_create());
    assert_eq!(tx.data.len(), 23);
    assert_eq!(
        tx.access_list,
        [AccessListItem {
            address: address!("ec0e71ad0a90ffe1909d27dac207f7680abba42d"),
            storage_keys: [B256::ZERO].to_vec(),
        }]
    );
    assert_eq!(recover_sender(&tx), Ok(TEST_SENDER));
}

#[test]
fn eip1559_with_access_list() {
    // stEIP1559/intrinsic.json (Cancun): gas limit 23,400 = 21,000 + 2,400 (one address).
    let raw = EIP1559_RAW;
    let tx = decode_round_trip(&raw);
    assert_eq!(tx.tx_type, EIP1559_TX_TYPE);
    assert_eq!(tx.max_priority_fee_per_gas, 100);
    assert_eq!(tx.max_fee_per_gas, 1000);
    assert_eq!(tx.gas_limit, 23_400);
    assert_eq!(tx.access_list.len(), 1);
    assert!(tx.access_list[0].storage_keys.is_empty());
    assert_eq!(recover_sender(&tx), Ok(TEST_SENDER));
    let gas = intrinsic::intrinsic_gas(&tx, crate::config::Hardfork::Cancun);
    assert_eq!(gas.gas, tx.gas_limit);
}

#[test]
fn eip4844_blob_transaction() {
    // Pyspecs cancun/eip4844_blobs/blob_gas_subtraction_tx.json, one blob.
    let raw = EIP4844_RAW;
    let tx = decode_round_trip(&raw);
    assert_eq!(tx.tx_type, EIP4844_TX_TYPE);
    assert_eq!(tx.max_priority_fee_per_gas, 0);
    assert_eq!(tx.max_fee_per_gas, 14);
    assert_eq!(tx.gas_limit, 500_000);
    assert_eq!(tx.max_fee_per_blob_gas, 1);
    assert_eq!(
        tx.blob_versioned_hashes,
        [b256!(
            "0100000000000000000000000000000000000000000000000000000000000000"
        )]
    );
    assert_eq!(recover_sender(&tx), Ok(TEST_SENDER));
}

// eth-account 0.14: type 0x04 signed with key 0x45a915e4...2d8, chain id 1, nonce 3, fees 2 /
// 1 gwei, gas 200000, to 0x..cccc, value 5, data 00ff01, access list [0x..dddd: [slot 1]],
// authorizations (chain 0, 0x..aaaa, nonce 7) by key 0x11..11 and (chain 1, 0x..bbbb, nonce 0)
// by key 0x22..22.
const EIP7702_RAW: [u8; 353] = hex!("04f9015d010302843b9aca0083030d4094000000000000000000000000000000000000cccc058300ff01f838f794000000000000000000000000000000000000dddde1a00000000000000000000000000000000000000000000000000000000000000001f8b8f85a8094000000000000000000000000000000000000aaaa0701a03e698e107af85837ad0f04d2d90d27f77b5f0b5e7d2a76295fdd566e92b0a68ba00ecaeefcfb032d7b5d9d1be189f12c664ac70eaf23cbc8101f66138d3580e06df85a0194000000000000000000000000000000000000bbbb8080a0a7b54212da3916b34bdcf000e95e25bd56bbccec790074f8839b026b6d47e092a03d66600eb92770c36ad2e9ac95a3de6a19af8592441113314493edf4062afd2180a0d4945f32892f44d157c8606f21dd4874b4a6df1ad8c33a26969513baa2b26aefa015d5d280b4a91a96be4393858006bf494aa8fada2392ec55bbed7ac486e8862e");

pub(super) fn eip7702_vector() -> Transaction {
    decode_round_trip(&EIP7702_RAW)
}

#[test]
fn eip7702_set_code_transaction() {
    let tx = eip7702_vector();
    assert_eq!(tx.tx_type, EIP7702_TX_TYPE);
    assert_eq!(tx.chain_id, Some(1));
    assert_eq!(tx.nonce, 3);
    assert_eq!(tx.max_priority_fee_per_gas, 2);
    assert_eq!(tx.max_fee_per_gas, 1_000_000_000);
    assert_eq!(tx.gas_limit, 200_000);
    assert_eq!(
        tx.to,
        Some(address!("000000000000000000000000000000000000cccc"))
    );
    assert_eq!(tx.value, U256::from(5));
    assert_eq!(tx.data.as_ref(), &hex!("00ff01"));
    assert_eq!(tx.access_list[0].storage_keys, [B256::with_last_byte(1)]);
    assert_eq!(
        tx.tx_hash(),
        Ok(b256!(
            "e86c9577925d893b2a7695a5802748bb697314d8f1c946cf0ab2126e54a27ae5"
        ))
    );
    assert_eq!(recover_sender(&tx), Ok(TEST_SENDER));

    let [first, second] = tx.authorization_list.as_slice() else {
        panic!("two authorizations expected");
    };
    assert_eq!(first.chain_id, U256::ZERO);
    assert_eq!(
        first.address,
        address!("000000000000000000000000000000000000aaaa")
    );
    assert_eq!(first.nonce, 7);
    assert_eq!(first.y_parity, 1);
    assert_eq!(
        first.signing_hash(),
        b256!("34e112f12bdb3542f721f84af198c2d2facd2a02cfa6ac62e9a08cda9d09f0c2")
    );
    assert_eq!(
        first.authority(),
        Some(address!("19E7E376E7C213B7E7e7e46cc70A5dD086DAff2A"))
    );
    assert_eq!(second.chain_id, U256::from(1));
    assert_eq!(
        second.authority(),
        Some(address!("1563915e194D8CfBA1943570603F7606A3115508"))
    );
}

// eth_abi 6.0: abi.encode((uint256 type, from, to, gasLimit, gasPerPubdataByteLimit,
// maxFeePerGas, maxPriorityFeePerGas, paymaster, nonce, value, uint256[4] reserved, bytes data,
// bytes signature, uint256[] factoryDeps, bytes paymasterInput, bytes reservedDynamic)) of an
// L1 priority transaction; the vector is that encoding without its leading 0x20 word.
const L1_ABI_ENCODE_HEX: &str = "000000000000000000000000000000000000000000000000000000000000002000000000000000000000000000000000000000000000000000000000000000ff0000000000000000000000001111111111111111111111111111111111111111000000000000000000000000222222222222222222222222222222222222222200000000000000000000000000000000000000000000000000000000000493e00000000000000000000000000000000000000000000000000000000000000320000000000000000000000000000000000000000000000000000000000ee6b28000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000002a0000000000000000000000000000000000000000000000000de0b6b3a76400000000000000000000000000000000000000000000000000000de0fae9f3bfb000000000000000000000000000333333333333333333333333333333333333333300000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000026000000000000000000000000000000000000000000000000000000000000002a000000000000000000000000000000000000000000000000000000000000002c0000000000000000000000000000000000000000000000000000000000000032000000000000000000000000000000000000000000000000000000000000003400000000000000000000000000000000000000000000000000000000000000009a9059cbb0102030405000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000002000000000000000000000000000000000000000000000000000000000000abcd000000000000000000000000000000000000000000000000000000000000123400000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";

/// The L1 vector as an envelope: 0xFF followed by the ABI body.
pub(super) fn l1_vector_envelope() -> Vec<u8> {
    let full = hex::decode(L1_ABI_ENCODE_HEX).expect("valid hex");
    let mut envelope = [L1_PRIORITY_TX_TYPE].to_vec();
    envelope.extend_from_slice(&full[32..]);
    envelope
}

#[test]
fn l1_priority_transaction_abi_layout() {
    let envelope = l1_vector_envelope();
    let tx = decode_round_trip(&envelope);
    assert_eq!(tx.tx_type, L1_PRIORITY_TX_TYPE);
    assert!(tx.is_l1());
    assert_eq!(tx.chain_id, None);
    assert_eq!(tx.to, Some(Address::repeat_byte(0x22)));
    assert_eq!(tx.gas_limit, 300_000);
    assert_eq!(tx.max_fee_per_gas, 250_000_000);
    assert_eq!(tx.max_priority_fee_per_gas, 0);
    assert_eq!(tx.nonce, 42);
    assert_eq!(tx.value, U256::from(10u64.pow(18)));
    assert_eq!(tx.data.as_ref(), &hex!("a9059cbb0102030405"));
    assert_eq!(tx.signature, None);
    assert_eq!(
        tx.l1,
        Some(L1Fields {
            from: Address::repeat_byte(0x11),
            mint: U256::from(10u64.pow(18) + 300_000 * 250_000_000),
            refund_recipient: Address::repeat_byte(0x33),
            gas_per_pubdata_limit: 800,
            factory_deps: [
                B256::left_padding_from(&[0xab, 0xcd]),
                B256::left_padding_from(&[0x12, 0x34]),
            ]
            .to_vec(),
        })
    );
    // keccak256 of the full abi.encode output, computed by eth-utils.
    let expected = b256!("3ae1e1be75c59a2a8a7ae509bd1451cc3a506d8a447265acb6473234d7166e39");
    assert_eq!(tx.tx_hash(), Ok(expected));
    assert_eq!(tx.signing_hash(), Ok(expected));
    assert_eq!(
        keccak256(&hex::decode(L1_ABI_ENCODE_HEX).expect("valid hex")),
        expected
    );
    assert_eq!(recover_sender(&tx), Err(SignatureError::MissingSignature));
}

#[test]
fn upgrade_transaction_uses_the_same_layout() {
    let mut envelope = l1_vector_envelope();
    envelope[0] = UPGRADE_TX_TYPE;
    envelope[32] = UPGRADE_TX_TYPE;
    let tx = decode_round_trip(&envelope);
    assert_eq!(tx.tx_type, UPGRADE_TX_TYPE);
    assert_eq!(tx.nonce, 42);
}

#[test]
fn unsigned_l2_transaction_has_a_signing_hash_but_no_encoding() {
    let mut tx = decode(&EIP155_SIGNED).expect("vector decodes");
    tx.signature = None;
    assert_eq!(
        tx.signing_hash(),
        Ok(b256!(
            "daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53"
        ))
    );
    assert_eq!(
        encode(&tx),
        Err(TxEncodeError::MissingField(TxField::Signature))
    );
    assert_eq!(recover_sender(&tx), Err(SignatureError::MissingSignature));
}

#[test]
fn envelope_hash_of_the_bytes_equals_the_hash_of_the_decoded_transaction() {
    for raw in all_vectors() {
        let tx = decode(&raw).expect("vector decodes");
        assert_eq!(Ok(envelope_hash(&raw)), tx.tx_hash());
    }
}

/// Every valid vector above, as raw envelopes.
pub(super) fn all_vectors() -> Vec<Vec<u8>> {
    let mut upgrade = l1_vector_envelope();
    upgrade[0] = UPGRADE_TX_TYPE;
    upgrade[32] = UPGRADE_TX_TYPE;
    [
        EIP155_SIGNED.to_vec(),
        LEGACY_PRE155_RAW.to_vec(),
        LEGACY_EIP155_CREATE_RAW.to_vec(),
        EIP2930_RAW.to_vec(),
        EIP1559_RAW.to_vec(),
        EIP4844_RAW.to_vec(),
        EIP7702_RAW.to_vec(),
        l1_vector_envelope(),
        upgrade,
    ]
    .to_vec()
}
