//! The contracts the generated blocks call: the Solidity ERC-20 fixture of the npm package and
//! small hand-assembled helpers, each doing one kind of heavy work chosen by calldata.

use super::asm::{assemble, op, Item};
use alloy_primitives::{hex, keccak256, Address, B256, U256};

/// The compiled Solidity fixture `npm/test/fixtures/Token.sol` (solc output in
/// `contracts.json`): its initcode (the constructor mints 10^24 to the deployer) and runtime.
pub struct TokenCode {
    /// Creation code.
    pub initcode: Vec<u8>,
    /// Deployed code.
    pub runtime: Vec<u8>,
}

/// Reads the Token fixture from the npm package.
pub fn token() -> Result<TokenCode, String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../npm/test/fixtures/contracts.json"
    );
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
    let field = |name: &str| -> Result<Vec<u8>, String> {
        let text = json["Token"][name]
            .as_str()
            .ok_or_else(|| format!("{path}: Token.{name} missing"))?;
        hex::decode(text).map_err(|e| format!("{path}: Token.{name}: {e}"))
    };
    Ok(TokenCode {
        initcode: field("bytecode")?,
        runtime: field("deployedBytecode")?,
    })
}

/// Slot of `balanceOf[holder]` in the Token (the mapping sits at slot 0).
pub fn token_balance_slot(holder: &Address) -> B256 {
    let mut preimage = [0u8; 64];
    preimage[12..32].copy_from_slice(holder.as_slice());
    keccak256(preimage)
}

/// Slot of the Token's `totalSupply`.
pub const TOKEN_TOTAL_SUPPLY_SLOT: u64 = 1;

/// ABI selector of `transfer(address,uint256)`.
const TRANSFER_SELECTOR: [u8; 4] = hex!("a9059cbb");
/// ABI selector of `divide(uint256,uint256)`.
const DIVIDE_SELECTOR: [u8; 4] = hex!("f88e9fbf");
/// ABI selector of `balanceVia(address,address)`.
const BALANCE_VIA_SELECTOR: [u8; 4] = hex!("f67ba3ed");

/// Calldata of `transfer(to, amount)`.
pub fn transfer_call(to: &Address, amount: U256) -> Vec<u8> {
    let mut data = TRANSFER_SELECTOR.to_vec();
    data.extend_from_slice(to.into_word().as_slice());
    data.extend_from_slice(&amount.to_be_bytes::<32>());
    data
}

/// Calldata of `divide(a, b)` (a zero `b` panics with code 0x12).
pub fn divide_call(a: u64, b: u64) -> Vec<u8> {
    let mut data = DIVIDE_SELECTOR.to_vec();
    data.extend_from_slice(&U256::from(a).to_be_bytes::<32>());
    data.extend_from_slice(&U256::from(b).to_be_bytes::<32>());
    data
}

/// Calldata of `balanceVia(other, who)`: a nested call into `other`.
pub fn balance_via_call(other: &Address, who: &Address) -> Vec<u8> {
    let mut data = BALANCE_VIA_SELECTOR.to_vec();
    data.extend_from_slice(other.into_word().as_slice());
    data.extend_from_slice(who.into_word().as_slice());
    data
}

/// A 32-byte big-endian word.
pub fn word(value: u64) -> [u8; 32] {
    U256::from(value).to_be_bytes::<32>()
}

/// Calldata made of whole words.
pub fn words(values: &[u64]) -> Vec<u8> {
    values.iter().flat_map(|v| word(*v)).collect()
}

/// Code that runs `body` for each `i` in `i .. end`, then `after`. `bounds` leaves
/// `[i, end]` on the stack; `body` sees `[i, end]` on top and must leave it so.
fn counted_loop(bounds: &[Item], body: &[Item], after: &[Item]) -> Vec<u8> {
    use Item::*;
    let mut items = bounds.to_vec();
    items.extend([
        Dest("loop"),
        Op(op::DUP2),
        Op(op::DUP2),
        Op(op::LT),
        Op(op::ISZERO),
        Label("end"),
        Op(op::JUMPI),
    ]);
    items.extend_from_slice(body);
    items.extend([
        Push(1),
        Op(op::ADD),
        Label("loop"),
        Op(op::JUMP),
        Dest("end"),
    ]);
    items.extend_from_slice(after);
    assemble(&items)
}

/// Loop bounds `[start, start + count]` from calldata words 0 and 1.
fn calldata_range() -> Vec<Item> {
    use Item::*;
    vec![
        Push(0),
        Op(op::CALLDATALOAD),
        Op(op::DUP1),
        Push(32),
        Op(op::CALLDATALOAD),
        Op(op::ADD),
        Op(op::SWAP1),
    ]
}

/// Returns the 32-byte word at memory 0.
const RETURN_WORD_AT_ZERO: [Item; 3] = [Item::Push(32), Item::Push(0), Item::Op(op::RETURN)];

/// `calldata = (start, count, value)`: stores `value` into slots `start .. start + count`.
pub fn storage_writer() -> Vec<u8> {
    use Item::*;
    counted_loop(
        &calldata_range(),
        &[Push(64), Op(op::CALLDATALOAD), Op(op::DUP2), Op(op::SSTORE)],
        &[Op(op::STOP)],
    )
}

/// `calldata = (start, count)`: returns the sum of slots `start .. start + count`.
pub fn storage_reader() -> Vec<u8> {
    use Item::*;
    counted_loop(
        &calldata_range(),
        &[
            Op(op::DUP1),
            Op(op::SLOAD),
            Push(0),
            Op(op::MLOAD),
            Op(op::ADD),
            Push(0),
            Op(op::MSTORE),
        ],
        &RETURN_WORD_AT_ZERO,
    )
}

/// `calldata = (iterations, length)`: hashes memory `0 .. length` `iterations` times, each hash
/// stored at 0 for the next, and returns the last.
pub fn keccak_loop() -> Vec<u8> {
    use Item::*;
    counted_loop(
        &[Push(0), Op(op::CALLDATALOAD), Push(0)],
        &[
            Push(32),
            Op(op::CALLDATALOAD),
            Push(0),
            Op(op::KECCAK256),
            Push(0),
            Op(op::MSTORE),
        ],
        &RETURN_WORD_AT_ZERO,
    )
}

/// `calldata = target (a word) ++ input`: calls `target` with `input` and all gas, and returns
/// (or, when the call failed, reverts with) what it returned.
pub fn call_proxy() -> Vec<u8> {
    use Item::*;
    assemble(&[
        Push(32),
        Op(op::CALLDATASIZE),
        Op(op::SUB), // [len]
        Op(op::DUP1),
        Push(32),
        Push(0),
        Op(op::CALLDATACOPY),
        Push(0),
        Push(0),
        Op(op::DUP3),
        Push(0),
        Push(0),
        Push(0),
        Op(op::CALLDATALOAD),
        Op(op::GAS),
        Op(op::CALL), // [ok, len]
        Op(op::RETURNDATASIZE),
        Push(0),
        Push(0),
        Op(op::RETURNDATACOPY),
        Label("ok"),
        Op(op::JUMPI),
        Op(op::RETURNDATASIZE),
        Push(0),
        Op(op::REVERT),
        Dest("ok"),
        Op(op::RETURNDATASIZE),
        Push(0),
        Op(op::RETURN),
    ])
}

/// `calldata = topic1 ++ topic2 ++ data`: emits LOG2 with the rest of the calldata as data.
pub fn logger() -> Vec<u8> {
    use Item::*;
    assemble(&[
        Push(32),
        Op(op::CALLDATALOAD),
        Push(0),
        Op(op::CALLDATALOAD), // [t1, t2]
        Push(64),
        Op(op::CALLDATASIZE),
        Op(op::SUB), // [len, t1, t2]
        Op(op::DUP1),
        Push(64),
        Push(0),
        Op(op::CALLDATACOPY),
        Push(0),
        Op(op::LOG2),
        Op(op::STOP),
    ])
}

/// Reverts with its calldata as revert data.
pub fn reverter() -> Vec<u8> {
    use Item::*;
    assemble(&[
        Op(op::CALLDATASIZE),
        Push(0),
        Push(0),
        Op(op::CALLDATACOPY),
        Op(op::CALLDATASIZE),
        Push(0),
        Op(op::REVERT),
    ])
}

/// Loops until its gas runs out.
pub fn burner() -> Vec<u8> {
    use Item::*;
    assemble(&[Dest("loop"), Label("loop"), Op(op::JUMP)])
}

/// Initcode that deploys `runtime` as is.
pub fn deployer(runtime: &[u8]) -> Vec<u8> {
    deployer_at(runtime, 0)
}

/// The deploying tail of an initcode whose first `before` bytes are other code: copies
/// `runtime` (which follows this tail) to memory and returns it.
pub fn deployer_at(runtime: &[u8], before: u64) -> Vec<u8> {
    use Item::*;
    let len = runtime.len() as u64;
    let header = |offset: u64| {
        assemble(&[
            Push(len),
            Op(op::DUP1),
            Push(offset),
            Push(0),
            Op(op::CODECOPY),
            Push(0),
            Op(op::RETURN),
        ])
    };
    // The header's own length fixes the code offset and the offset's PUSH width changes that
    // length: iterate to the fixed point (two rounds at most).
    let mut offset = before;
    loop {
        let next = before + header(offset).len() as u64;
        if next == offset {
            break;
        }
        offset = next;
    }
    let mut code = header(offset);
    code.extend_from_slice(runtime);
    code
}

/// A valid bn254 G2 point: the generator of EIP-197, encoded (x.im, x.re, y.im, y.re).
pub const BN254_G2_GENERATOR: [u8; 128] = hex!(
    "198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2"
    "1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed"
    "090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b"
    "12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa"
);

/// The bn254 G1 generator (1, 2).
pub const BN254_G1_GENERATOR: [u8; 64] = hex!(
    "0000000000000000000000000000000000000000000000000000000000000001"
    "0000000000000000000000000000000000000000000000000000000000000002"
);

/// −G1 = (1, p − 2) on bn254.
pub const BN254_G1_NEG_GENERATOR: [u8; 64] = hex!(
    "0000000000000000000000000000000000000000000000000000000000000001"
    "30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd45"
);

/// geth `p256Verify.json` "CallP256Verify": a valid secp256r1 signature.
pub const P256_VALID_INPUT: [u8; 160] = hex!(
    "4cee90eb86eaa050036147a12d49004b6b9c72bd725d39d4785011fe190f0b4d"
    "a73bd4903f0ce3b639bbbf6e8e80d16931ff4bcf5993d58468e8fb19086e8cac"
    "36dbcd03009df8c59286b162af3bd7fcc0450c9aa81be5d10d312af6c66b1d60"
    "4aebd3099c618202fcfe16ae7770b0c49ab5eadf74b754204a3bb6060e44eff3"
    "7618b065f9832de4ca6ca971a7a1adc826d0f7c00181a5fb2ddf79ae00b4e10e"
);

/// geth `pointEvaluation.json` "pointEvaluation1": a valid KZG opening.
pub const POINT_EVALUATION_VALID_INPUT: [u8; 192] = hex!(
    "01e798154708fe7789429634053cbf9f99b619f9f084048927333fce637f549b"
    "564c0a11a0f704f4fc3e8acfe0f8245f0ad1347b378fbf96e206da11a5d36306"
    "24d25032e67a7e6a4910df5834b8fe70e6bcfeeac0352434196bdf4b2485d5a1"
    "8f59a8d2a1a625a17f3fea0fe5eb8c896db3764f3185481bc22f91b4aaffcca25f26936857bc3a7c2539ea8ec3a952b7"
    "873033e038326e87ed3e1276fd140253fa08e9fc25fb2d9a98527fc22a2c9612fbeafdad446cbc7bcdbdcd780af2c16a"
);

/// EIP-152 test vector 5: 12 rounds of BLAKE2b F over "abc".
pub const BLAKE2F_VALID_INPUT: [u8; 213] = hex!(
    "0000000c"
    "48c9bdf267e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5"
    "d182e6ad7f520e511f6c3e2b8c68059b6bbd41fbabd9831f79217e1319cde05b"
    "6162630000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000"
    "0300000000000000"
    "0000000000000000"
    "01"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_fixture_loads() {
        let token = token().expect("the npm fixture is readable");
        assert!(token.initcode.len() > token.runtime.len());
        // A Solidity runtime starts with the free-memory-pointer set-up 0x6080604052.
        assert_eq!(&token.runtime[..5], &hex!("6080604052"));
    }

    #[test]
    fn deployer_offset_points_at_the_runtime() {
        let runtime = vec![0xaa; 300];
        let code = deployer(&runtime);
        // PUSH2 0x012c (3), DUP1 (1), PUSH1 offset (2), PUSH1 0 (2), CODECOPY (1), PUSH1 0 (2),
        // RETURN (1): 12 bytes.
        assert_eq!(code[5], 12);
        assert_eq!(&code[12..], runtime.as_slice());
    }

    #[test]
    fn selectors_match_their_signatures() {
        assert_eq!(
            &keccak256("transfer(address,uint256)")[..4],
            &TRANSFER_SELECTOR
        );
        assert_eq!(&keccak256("divide(uint256,uint256)")[..4], &DIVIDE_SELECTOR);
        assert_eq!(
            &keccak256("balanceVia(address,address)")[..4],
            &BALANCE_VIA_SELECTOR
        );
    }
}
