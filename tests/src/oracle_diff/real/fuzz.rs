//! Random operations on the real builds: after the flow's thirteen blocks (every contract
//! deployed, pairs holding liquidity, tokens minted and approved, a Safe funded), blocks of calls
//! drawn at random from the builds' own ABIs — any public function of the tokens, WETH, the
//! NFTs and their holder, the router, the factory, both pairs, the Safe and its factory — with
//! random arguments from pools that make some calls succeed (the flow's signers and contracts,
//! token paths, amounts from 1 wei to 2^256 − 1, deadlines around the block's time, role hashes,
//! interface ids, `v` of 27 and 28) and most revert, ether sent to payable functions, the odd
//! unknown selector and plain ether into the contracts, gas limits from the intrinsic gas up,
//! under the flow's fee regimes. One call in three is signed at a resource boundary zkos finds
//! for it by bisection over its block so far (as [`crate::oracle_diff::edge_bounds`] does for
//! the generated blocks): the lowest gas limit at which it succeeds, one less or one more, or
//! the gas it uses at a generous limit, or one less; a wallet's exact estimate, where an
//! out-of-gas falls deep in the router's, the pair's and the tokens' nested frames. Nothing is
//! expected of a call: only upstream's figures count.

use super::abi::{self, Arg};
use super::builds::{self, Build, Function};
use super::dex::pair_address;
use super::plan::{Expect, Flow, FlowBlock, Plan, Tx, CALL_GAS, HEAVY_CALL_GAS};
use super::state;
use super::tokens::E18;
use super::{flow_plan, Deployed, Regimes, REGIMES, SIGNERS};
use crate::oracle_diff::case::{BlockCase, PreAccount};
use crate::oracle_diff::edge_bounds::lowest;
use crate::oracle_diff::generate::CHAIN_ID;
use crate::oracle_diff::outcome::{Status, TxOutcome};
use crate::oracle_diff::rng::Rng;
use crate::oracle_diff::zkos;
use alloy_primitives::{keccak256, Address, B256, U256};
use std::collections::BTreeMap;
use zkos_core::config::ProtocolVersion;

/// The accounts of a flow, as zkos leaves them.
type State = BTreeMap<Address, PreAccount>;

/// A contract the random calls go to: its label, address and ABI.
struct Target {
    label: &'static str,
    address: Address,
    functions: Vec<Function>,
}

/// The flow followed by `blocks` blocks of random calls drawn from `seed`.
pub fn fuzz_flow(seed: u64, blocks: u64) -> Result<Flow, String> {
    let (mut p, deployed) = flow_plan(&REGIMES)?;
    let targets = targets(&deployed)?;
    let mut rng = Rng::new(seed);
    let regimes: &Regimes = &REGIMES;
    let mut state = p.pre_state().clone();
    for block in p.blocks() {
        state = after(state, block)?;
    }
    for _ in 0..blocks {
        let fees = rng.pick(&[regimes.free, regimes.free, regimes.paid, regimes.dear]);
        p.begin(fees);
        for _ in 0..rng.range(3, 14) {
            random_call(&mut p, &mut rng, &targets, &deployed, &state);
        }
        p.end();
        if let Some(block) = p.blocks().last() {
            state = after(state, block)?;
        }
    }
    Ok(p.finish())
}

/// The accounts after `block` runs on zkos from `before`.
fn after(before: State, block: &FlowBlock) -> Result<State, String> {
    let case = BlockCase {
        seed: block.params.number,
        chain_id: CHAIN_ID,
        params: block.params.clone(),
        pre_state: before,
        txs: block.txs.clone(),
    };
    let (_, engine) = zkos::run_keeping(&case, ProtocolVersion::V2)?;
    Ok(state::after(&case.pre_state, &engine))
}

/// What zkos does with `tx` of `who` at `limit` after the current block's queued
/// transactions.
fn probe(p: &Plan, state: &State, who: usize, tx: &Tx, limit: u64) -> Option<TxOutcome> {
    let mut txs = p.queued();
    txs.push(p.preview(
        who,
        Tx {
            gas_limit: limit,
            ..tx.clone()
        },
    ));
    let case = BlockCase {
        seed: 0,
        chain_id: CHAIN_ID,
        params: p.params(),
        pre_state: state.clone(),
        txs,
    };
    zkos::run(&case).ok()?.txs.last().cloned()
}

/// A resource boundary of `tx` (see the module docs): its name and gas limit, valid on zkos.
fn boundary(
    p: &Plan,
    rng: &mut Rng,
    state: &State,
    who: usize,
    tx: &Tx,
) -> Option<(&'static str, u64)> {
    let at_cap =
        probe(p, state, who, tx, HEAVY_CALL_GAS).filter(|o| o.status != Status::Invalid)?;
    let mut choices = vec![("used", at_cap.gas_used), ("used-1", at_cap.gas_used - 1)];
    if at_cap.status == Status::Success {
        let success = lowest(0, HEAVY_CALL_GAS, |limit| {
            probe(p, state, who, tx, limit).is_some_and(|o| o.status == Status::Success)
        });
        if let Some(s) = success {
            choices.extend([("success-1", s - 1), ("success", s), ("success+1", s + 1)]);
        }
    }
    let (which, limit) = rng.pick(&choices);
    // Left out on zkos (short of gas, or of native for its fee refund, which fails the whole
    // block upstream): the call goes at the gas it used instead.
    let valid = probe(p, state, who, tx, limit).is_some_and(|o| o.status != Status::Invalid);
    Some(if valid { (which, limit) } else { choices[0] })
}

/// The contracts of the flow with their builds' ABIs.
fn targets(d: &Deployed) -> Result<Vec<Target>, String> {
    let t = &d.tokens;
    let pairs = [
        pair_address(d.dex.factory, t.tka, t.tkb)?,
        pair_address(d.dex.factory, t.tka, t.weth)?,
    ];
    let list: [(&'static str, Address, Build); 12] = [
        ("tka", t.tka, builds::OZ_ERC20),
        ("tkb", t.tkb, builds::OZ_ERC20),
        ("weth", t.weth, builds::WETH9),
        ("nft", t.nft, builds::OZ_ERC721),
        ("items", t.items, builds::OZ_ERC1155),
        ("holder", t.holder, builds::OZ_ERC721_HOLDER),
        ("router", d.dex.router, builds::UNISWAP_ROUTER),
        ("factory", d.dex.factory, builds::UNISWAP_FACTORY),
        ("pair-ab", pairs[0], builds::UNISWAP_PAIR),
        ("pair-aw", pairs[1], builds::UNISWAP_PAIR),
        ("safe", d.safe.safe, builds::SAFE_SINGLETON),
        ("safe-factory", d.safe.factory, builds::SAFE_PROXY_FACTORY),
    ];
    list.into_iter()
        .map(|(label, address, build)| {
            let functions = build
                .functions()?
                .into_iter()
                .filter(|f| f.inputs.iter().all(|i| encodable(i)))
                .collect();
            Ok(Target {
                label,
                address,
                functions,
            })
        })
        .collect()
}

/// Whether the random arguments cover ABI type `ty`.
fn encodable(ty: &str) -> bool {
    matches!(
        ty,
        "address" | "bool" | "bytes" | "string" | "address[]" | "uint256[]" | "bytes4" | "bytes32"
    ) || ty.starts_with("uint") && !ty.ends_with(']')
}

/// Queues one random call of a random signer.
fn random_call(p: &mut Plan, rng: &mut Rng, targets: &[Target], d: &Deployed, state: &State) {
    let who = rng.below(SIGNERS) as usize;
    let target = &targets[rng.below(targets.len() as u64) as usize];
    let roll = rng.below(100);
    let (kind, data, payable) = if roll < 3 || target.functions.is_empty() {
        let (selector_len, rest_len) = (rng.range(0, 3) as usize * 4, rng.range(0, 64) as usize);
        let mut data = rng.bytes(selector_len);
        data.extend(rng.bytes(rest_len));
        (format!("fuzz-{}:unknown", target.label), data, true)
    } else if roll < 6 {
        (format!("fuzz-{}:ether", target.label), Vec::new(), true)
    } else {
        let mut f = &target.functions[rng.below(target.functions.len() as u64) as usize];
        if f.view && rng.chance(70) {
            f = &target.functions[rng.below(target.functions.len() as u64) as usize];
        }
        let args: Vec<Arg> = f.inputs.iter().map(|ty| argument(rng, ty, p, d)).collect();
        let data = abi::call(&f.signature(), &args);
        (format!("fuzz-{}:{}", target.label, f.name), data, f.payable)
    };
    let value = if payable && rng.chance(60) {
        U256::from(rng.pick(&[1, 1_000, E18 / 1_000, E18, 3 * E18]))
    } else if rng.chance(3) {
        U256::from(1)
    } else {
        U256::ZERO
    };
    let calldata_gas: u64 = data.iter().map(|b| if *b == 0 { 4 } else { 16 }).sum();
    let gas_limit = match rng.below(5) {
        0 => HEAVY_CALL_GAS,
        1 => 21_000 + calldata_gas + rng.range(30_000, 150_000),
        _ => CALL_GAS,
    };
    let mut tx = Tx {
        to: Some(target.address),
        value,
        data,
        gas_limit,
    };
    let mut kind = kind;
    if rng.chance(33) {
        if let Some((which, limit)) = boundary(p, rng, state, who, &tx) {
            tx.gas_limit = limit;
            kind = format!("{kind}@{which}");
        }
    }
    p.send(who, &kind, tx, Expect::Any);
}

/// A random argument of ABI type `ty`.
fn argument(rng: &mut Rng, ty: &str, p: &Plan, d: &Deployed) -> Arg {
    let t = &d.tokens;
    let tokens = [t.tka, t.tkb, t.weth];
    match ty {
        "address" => Arg::Addr(address(rng, p, d)),
        "bool" => Arg::Uint(U256::from(rng.below(2))),
        "bytes" => {
            let len = if rng.chance(60) { 0 } else { rng.range(1, 100) };
            Arg::Bytes(rng.bytes(len as usize))
        }
        "string" => Arg::Str(rng.pick(&["", "ipfs://x/{id}", "Token"])),
        "address[]" => {
            let len = rng.pick(&[0usize, 1, 2, 2, 2, 3]);
            Arg::Addrs((0..len).map(|_| rng.pick(&tokens)).collect())
        }
        "uint256[]" => {
            let len = rng.range(0, 3) as usize;
            Arg::Uints((0..len).map(|_| amount(rng)).collect())
        }
        "bytes4" => {
            let id: [u8; 4] = rng.pick(&[
                [0x01, 0xff, 0xc9, 0xa7],
                [0x80, 0xac, 0x58, 0xcd],
                [0xd9, 0xb6, 0x7a, 0x26],
                [0xff; 4],
            ]);
            let mut word = [0u8; 32];
            word[..4].copy_from_slice(&id);
            Arg::Uint(U256::from_be_bytes(word))
        }
        "bytes32" => {
            let word = match rng.below(5) {
                0 => B256::ZERO,
                1 => keccak256("MINTER_ROLE"),
                2 => keccak256("PAUSER_ROLE"),
                _ => B256::from(rng.word()),
            };
            Arg::Uint(U256::from_be_bytes(word.0))
        }
        "uint8" => Arg::Uint(U256::from(rng.pick(&[0u64, 1, 27, 28, 255]))),
        _ => Arg::Uint(amount(rng)),
    }
}

/// A random address: a signer, a contract of the flow, zero, or one no one uses.
fn address(rng: &mut Rng, p: &Plan, d: &Deployed) -> Address {
    let t = &d.tokens;
    match rng.below(10) {
        0..=3 => rng.pick(&p.addr),
        4 => rng.pick(&[t.tka, t.tkb, t.weth]),
        5 => rng.pick(&[t.nft, t.items, t.holder]),
        6 => rng.pick(&[d.dex.router, d.dex.factory, d.safe.safe, d.safe.factory]),
        7 => Address::ZERO,
        8 => Address::repeat_byte(0xbe),
        _ => Address::from_slice(&rng.bytes(20)),
    }
}

/// A random amount: 0 to a few, token amounts, deadlines around the flow's times, ids, the
/// top of the range.
fn amount(rng: &mut Rng) -> U256 {
    match rng.below(10) {
        0 => U256::ZERO,
        1 => U256::from(rng.range(1, 4)),
        2 => U256::from(rng.range(1, 1_000_000)),
        3 => U256::from(rng.pick(&[E18 / 1_000, E18, 10 * E18, 1_000 * E18])),
        4 => U256::from(1_700_000_000 + rng.range(0, 600)),
        5 => U256::MAX,
        6 => U256::from(rng.next_u64()),
        7 => U256::from_be_bytes(rng.word()),
        _ => U256::from(rng.below(1_000) as u128 * E18 / 100),
    }
}
