//! Safe (smart account 1.5.0) blocks of the real-contract flow: the singleton and proxy
//! factory deployed, a 2-of-3 Safe created through the factory and funded, then
//! `execTransaction` with owners' EIP-712 signatures (ether out, a token transfer out) and two
//! failures: too few signatures (`GS020`) and signatures over another nonce (`GS026`).

use super::abi::{call, encode, uint, Arg};
use super::builds;
use super::plan::{Expect, Plan, Tx, HEAVY_CALL_GAS};
use super::tokens::{transfer, Tokens, ALICE, BOB, CAROL, DAVE, E18, ERIN};
use crate::oracle_diff::generate::CHAIN_ID;
use alloy_primitives::{keccak256, Address, B256, U256};
use k256::ecdsa::SigningKey;

/// Gas limit of an `execTransaction`.
const EXEC_GAS: u64 = 500_000;
/// Salt nonce of the Safe's creation.
const SALT_NONCE: u64 = 42;

/// One Safe transaction (a call, no refund).
struct SafeTx {
    to: Address,
    value: u128,
    data: Vec<u8>,
    nonce: u64,
}

fn word(hash: B256) -> Arg {
    Arg::Uint(U256::from_be_bytes(hash.0))
}

/// The EIP-712 hash the owners sign (`Safe.getTransactionHash`): domain
/// `(chainId, verifyingContract)`, struct `SafeTx` with operation, gas and refund fields zero.
fn safe_tx_hash(safe: Address, tx: &SafeTx) -> B256 {
    let domain_type = keccak256("EIP712Domain(uint256 chainId,address verifyingContract)");
    let domain = keccak256(encode(&[
        word(domain_type),
        uint(u128::from(CHAIN_ID)),
        Arg::Addr(safe),
    ]));
    let tx_type = keccak256(
        "SafeTx(address to,uint256 value,bytes data,uint8 operation,uint256 safeTxGas,uint256 baseGas,\
         uint256 gasPrice,address gasToken,address refundReceiver,uint256 nonce)",
    );
    let fields = encode(&[
        word(tx_type),
        Arg::Addr(tx.to),
        uint(tx.value),
        word(keccak256(&tx.data)),
        uint(0),
        uint(0),
        uint(0),
        uint(0),
        Arg::Addr(Address::ZERO),
        Arg::Addr(Address::ZERO),
        uint(u128::from(tx.nonce)),
    ]);
    let mut message = vec![0x19, 0x01];
    message.extend_from_slice(domain.as_slice());
    message.extend_from_slice(keccak256(fields).as_slice());
    keccak256(message)
}

/// The owners' signatures of `hash`, `r ‖ s ‖ v` (v = 27 + y parity), ordered by owner
/// address as `checkNSignatures` requires.
fn signatures(hash: B256, owners: &[(Address, &SigningKey)]) -> Vec<u8> {
    let mut owners = owners.to_vec();
    owners.sort_by_key(|(address, _)| *address);
    let mut out = Vec::new();
    for (_, key) in owners {
        let (signature, recovery) = key.sign_prehash_recoverable(hash.as_slice());
        out.extend_from_slice(&signature.to_bytes());
        out.push(27 + u8::from(recovery.is_y_odd()));
    }
    out
}

/// The transaction calling `safe.execTransaction` for `tx` with `signatures` (no refund: gas
/// values, gas token and refund receiver all zero).
fn exec(safe: Address, tx: &SafeTx, signatures: Vec<u8>) -> Tx {
    let data = call(
        "execTransaction(address,uint256,bytes,uint8,uint256,uint256,uint256,address,address,bytes)",
        &[
            Arg::Addr(tx.to),
            uint(tx.value),
            Arg::Bytes(tx.data.clone()),
            uint(0),
            uint(0),
            uint(0),
            uint(0),
            Arg::Addr(Address::ZERO),
            Arg::Addr(Address::ZERO),
            Arg::Bytes(signatures),
        ],
    );
    Tx {
        to: Some(safe),
        value: U256::ZERO,
        data,
        gas_limit: EXEC_GAS,
    }
}

/// The deployed Safe.
#[derive(Clone, Debug)]
pub struct SafeDeployment {
    /// The Safe (a proxy).
    pub safe: Address,
    /// The proxy factory.
    pub factory: Address,
    /// The calldata that created the Safe (sent again, its CREATE2 address is taken).
    pub create: Vec<u8>,
}

/// Deploys the singleton and factory, creates the 2-of-3 Safe (owners: the first three
/// signers) and funds it with ether and tokens.
pub fn create_block(p: &mut Plan, t: &Tokens) -> Result<SafeDeployment, String> {
    let singleton = p.deploy(ERIN, "safe-singleton-deploy", &builds::SAFE_SINGLETON, &[])?;
    let factory = p.deploy(
        ERIN,
        "safe-factory-deploy",
        &builds::SAFE_PROXY_FACTORY,
        &[],
    )?;
    let owners = vec![p.addr[ALICE], p.addr[BOB], p.addr[CAROL]];
    let setup = call(
        "setup(address[],uint256,address,bytes,address,address,uint256,address)",
        &[
            Arg::Addrs(owners),
            uint(2),
            Arg::Addr(Address::ZERO),
            Arg::Bytes(Vec::new()),
            Arg::Addr(Address::ZERO),
            Arg::Addr(Address::ZERO),
            uint(0),
            Arg::Addr(Address::ZERO),
        ],
    );
    // SafeProxyFactory.createProxyWithNonce: salt keccak256(keccak256(initializer) ‖ saltNonce),
    // code the proxy's creation code with the singleton appended as one word.
    let mut salt_preimage = keccak256(&setup).to_vec();
    salt_preimage.extend(encode(&[uint(u128::from(SALT_NONCE))]));
    let mut proxy_code = builds::SAFE_PROXY.creation_code()?;
    proxy_code.extend(encode(&[Arg::Addr(singleton)]));
    let safe = factory.create2(keccak256(salt_preimage), keccak256(proxy_code));
    let create = call(
        "createProxyWithNonce(address,bytes,uint256)",
        &[
            Arg::Addr(singleton),
            Arg::Bytes(setup),
            uint(u128::from(SALT_NONCE)),
        ],
    );
    p.send(
        ALICE,
        "safe-create",
        Tx {
            to: Some(factory),
            value: U256::ZERO,
            data: create.clone(),
            gas_limit: HEAVY_CALL_GAS,
        },
        Expect::Success,
    );
    // Ether into the new Safe touches the singleton, deployed earlier in the block: upstream
    // counts a transaction's pubdata over the accounts it touched, each with its whole diff
    // since the block began (`calculate_pubdata_used_by_tx`, basic_system/src/
    // system_implementation/flat_storage_model/account_cache.rs), so this call pays for the
    // singleton's code again; 300,000 gas cannot at this block's pubdata price.
    for (kind, gas_limit, expect) in [
        ("safe-fund-pubdata-short", 300_000, Expect::RevertBare),
        ("safe-fund", 4_000_000, Expect::Success),
    ] {
        let fund = Tx {
            to: Some(safe),
            value: U256::from(3 * E18),
            data: Vec::new(),
            gas_limit,
        };
        p.send(BOB, kind, fund, expect);
    }
    p.call(ALICE, "oz-erc20-transfer", t.tka, transfer(safe, 500 * E18));
    p.transfer(DAVE, p.addr[ERIN], E18);
    Ok(SafeDeployment {
        safe,
        factory,
        create,
    })
}

/// `execTransaction`s on `safe`: ether out, tokens out, then the two failures.
pub fn exec_block(p: &mut Plan, t: &Tokens, safe: Address) {
    let a = p.addr.clone();
    let (ka, kb, kc) = (
        p.key(ALICE).clone(),
        p.key(BOB).clone(),
        p.key(CAROL).clone(),
    );
    let pay = SafeTx {
        to: a[DAVE],
        value: E18,
        data: Vec::new(),
        nonce: 0,
    };
    let sigs = signatures(safe_tx_hash(safe, &pay), &[(a[ALICE], &ka), (a[BOB], &kb)]);
    p.send(
        DAVE,
        "safe-exec-ether",
        exec(safe, &pay, sigs),
        Expect::Success,
    );
    let tokens = SafeTx {
        to: t.tka,
        value: 0,
        data: transfer(a[ERIN], 100 * E18),
        nonce: 1,
    };
    let sigs = signatures(
        safe_tx_hash(safe, &tokens),
        &[(a[BOB], &kb), (a[CAROL], &kc)],
    );
    p.send(
        ALICE,
        "safe-exec-token",
        exec(safe, &tokens, sigs),
        Expect::Success,
    );
    let next = SafeTx {
        to: a[ERIN],
        value: E18,
        data: Vec::new(),
        nonce: 2,
    };
    let one = signatures(safe_tx_hash(safe, &next), &[(a[ALICE], &ka)]);
    p.send(
        BOB,
        "safe-exec-one-signature",
        exec(safe, &next, one),
        Expect::Revert("GS020"),
    );
    let stale = SafeTx { nonce: 5, ..next };
    let wrong = signatures(
        safe_tx_hash(safe, &stale),
        &[(a[ALICE], &ka), (a[CAROL], &kc)],
    );
    let sent = SafeTx { nonce: 2, ..stale };
    p.send(
        CAROL,
        "safe-exec-bad-signature",
        exec(safe, &sent, wrong),
        Expect::Revert("GS026"),
    );
    p.transfer(ERIN, a[ALICE], 777);
}

/// A Safe transaction whose inner call fails (more tokens than the Safe holds): with neither
/// `safeTxGas` nor a gas price the Safe bubbles the inner revert up; then a valid one at the
/// same nonce.
pub fn failing_exec_block(p: &mut Plan, t: &Tokens, safe: Address) {
    let a = p.addr.clone();
    let (ka, kc) = (p.key(ALICE).clone(), p.key(CAROL).clone());
    let greedy = SafeTx {
        to: t.tka,
        value: 0,
        data: transfer(a[ERIN], 1_000_000 * E18),
        nonce: 2,
    };
    let sigs = signatures(
        safe_tx_hash(safe, &greedy),
        &[(a[ALICE], &ka), (a[CAROL], &kc)],
    );
    let tx = exec(safe, &greedy, sigs);
    p.send(
        ERIN,
        "safe-exec-inner-failure",
        tx,
        Expect::Revert("ERC20: transfer amount exceeds balance"),
    );
    let modest = SafeTx {
        to: t.tka,
        value: 0,
        data: transfer(a[ERIN], 10 * E18),
        nonce: 2,
    };
    let sigs = signatures(
        safe_tx_hash(safe, &modest),
        &[(a[ALICE], &ka), (a[CAROL], &kc)],
    );
    let tx = exec(safe, &modest, sigs);
    p.send(ERIN, "safe-exec-token", tx, Expect::Success);
}
