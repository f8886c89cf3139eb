//! Uniswap V2 blocks of the real-contract flow: the router's deployment, liquidity added (each
//! pair created on the way by the factory), swaps in the three shapes the router offers (with
//! a slippage and a deadline failure), and liquidity removed.

use super::abi::{call, encode, uint, Arg};
use super::builds;
use super::plan::{Expect, Plan, Tx, HEAVY_CALL_GAS, TRANSFER_GAS};
use super::tokens::{approve, Tokens, ALICE, BOB, CAROL, DAVE, E18, ERIN};
use crate::oracle_diff::generate::CHAIN_ID;
use alloy_primitives::{keccak256, Address, B256, U256};

/// Addresses of the exchange.
#[derive(Clone, Copy, Debug)]
pub struct Dex {
    /// `UniswapV2Factory`.
    pub factory: Address,
    /// `UniswapV2Router02`.
    pub router: Address,
}

/// The pair of `a` and `b` as the factory creates it: CREATE2 with salt
/// `keccak256(token0 ‖ token1)` (sorted) over the pair's creation code.
pub fn pair_address(factory: Address, a: Address, b: Address) -> Result<Address, String> {
    let (t0, t1) = if a < b { (a, b) } else { (b, a) };
    let mut packed = t0.to_vec();
    packed.extend_from_slice(t1.as_slice());
    let code_hash = keccak256(builds::UNISWAP_PAIR.creation_code()?);
    Ok(factory.create2(keccak256(packed), code_hash))
}

fn max() -> Arg {
    Arg::Uint(U256::MAX)
}

fn swap(
    signature: &str,
    amount: u128,
    limit: Arg,
    path: &[Address],
    to: Address,
    deadline: Arg,
) -> Vec<u8> {
    call(
        signature,
        &[
            uint(amount),
            limit,
            Arg::Addrs(path.to_vec()),
            Arg::Addr(to),
            deadline,
        ],
    )
}

const EXACT_IN: &str = "swapExactTokensForTokens(uint256,uint256,address[],address,uint256)";

/// Approvals, then liquidity for TKA/TKB and TKA/WETH (creating both pairs), a swap of ether
/// for tokens and a plain transfer.
pub fn liquidity_block(p: &mut Plan, t: &Tokens, d: &Dex) {
    let a = p.addr.clone();
    p.call(
        ALICE,
        "oz-erc20-approve",
        t.tka,
        approve(d.router, U256::MAX),
    );
    p.call(
        ALICE,
        "oz-erc20-approve",
        t.tkb,
        approve(d.router, U256::MAX),
    );
    let add = call(
        "addLiquidity(address,address,uint256,uint256,uint256,uint256,address,uint256)",
        &[
            Arg::Addr(t.tka),
            Arg::Addr(t.tkb),
            uint(10_000 * E18),
            uint(20_000 * E18),
            uint(0),
            uint(0),
            Arg::Addr(a[ALICE]),
            max(),
        ],
    );
    p.send(
        ALICE,
        "uniswap-add-liquidity",
        Tx {
            to: Some(d.router),
            value: U256::ZERO,
            data: add,
            gas_limit: HEAVY_CALL_GAS,
        },
        Expect::Success,
    );
    let add_eth = call(
        "addLiquidityETH(address,uint256,uint256,uint256,address,uint256)",
        &[
            Arg::Addr(t.tka),
            uint(5_000 * E18),
            uint(0),
            uint(0),
            Arg::Addr(a[ALICE]),
            max(),
        ],
    );
    p.send(
        ALICE,
        "uniswap-add-liquidity-eth",
        Tx {
            to: Some(d.router),
            value: U256::from(10 * E18),
            data: add_eth,
            gas_limit: HEAVY_CALL_GAS,
        },
        Expect::Success,
    );
    let eth_in = call(
        "swapExactETHForTokens(uint256,address[],address,uint256)",
        &[
            uint(0),
            Arg::Addrs(vec![t.weth, t.tka]),
            Arg::Addr(a[BOB]),
            max(),
        ],
    );
    p.send(
        BOB,
        "uniswap-swap-eth-in",
        Tx {
            to: Some(d.router),
            value: U256::from(E18),
            data: eth_in,
            gas_limit: HEAVY_CALL_GAS,
        },
        Expect::Success,
    );
    p.transfer(CAROL, a[BOB], 12_345);
    // 21,000 gas pays the transfer's computation but not its pubdata at this block's price.
    let short = Expect::RevertBare;
    p.send_at_base_fee(
        DAVE,
        "transfer-pubdata-short",
        a[ERIN],
        U256::from(E18),
        TRANSFER_GAS,
        short,
    );
}

/// Swaps: tokens for tokens, tokens for ether, exact output; too little output and an expired
/// deadline.
pub fn swap_block(p: &mut Plan, t: &Tokens, d: &Dex) {
    let a = p.addr.clone();
    let send = |p: &mut Plan, who: usize, kind: &str, data: Vec<u8>, expect: Expect| {
        p.send(
            who,
            kind,
            Tx {
                to: Some(d.router),
                value: U256::ZERO,
                data,
                gas_limit: HEAVY_CALL_GAS,
            },
            expect,
        );
    };
    p.call(BOB, "oz-erc20-approve", t.tka, approve(d.router, U256::MAX));
    let ab = [t.tka, t.tkb];
    send(
        p,
        BOB,
        "uniswap-swap",
        swap(EXACT_IN, 100 * E18, uint(0), &ab, a[BOB], max()),
        Expect::Success,
    );
    let to_eth = "swapExactTokensForETH(uint256,uint256,address[],address,uint256)";
    send(
        p,
        BOB,
        "uniswap-swap-eth-out",
        swap(to_eth, 100 * E18, uint(0), &[t.tka, t.weth], a[BOB], max()),
        Expect::Success,
    );
    p.call(
        CAROL,
        "oz-erc20-approve",
        t.tka,
        approve(d.router, U256::MAX),
    );
    let greedy = swap(
        EXACT_IN,
        10 * E18,
        uint(1_000_000 * E18),
        &ab,
        a[CAROL],
        max(),
    );
    send(
        p,
        CAROL,
        "uniswap-swap-slippage",
        greedy,
        Expect::Revert("UniswapV2Router: INSUFFICIENT_OUTPUT_AMOUNT"),
    );
    let late = swap(EXACT_IN, 10 * E18, uint(0), &ab, a[CAROL], uint(1));
    send(
        p,
        CAROL,
        "uniswap-swap-expired",
        late,
        Expect::Revert("UniswapV2Router: EXPIRED"),
    );
    let exact_out = "swapTokensForExactTokens(uint256,uint256,address[],address,uint256)";
    send(
        p,
        ALICE,
        "uniswap-swap-exact-out",
        swap(exact_out, 50 * E18, max(), &[t.tkb, t.tka], a[ALICE], max()),
        Expect::Success,
    );
}

/// Liquidity removed from TKA/TKB after approving the pair's LP token.
pub fn remove_block(p: &mut Plan, t: &Tokens, d: &Dex) -> Result<(), String> {
    let a = p.addr.clone();
    let pair = pair_address(d.factory, t.tka, t.tkb)?;
    p.call(
        ALICE,
        "uniswap-lp-approve",
        pair,
        approve(d.router, U256::MAX),
    );
    let remove = call(
        "removeLiquidity(address,address,uint256,uint256,uint256,address,uint256)",
        &[
            Arg::Addr(t.tka),
            Arg::Addr(t.tkb),
            uint(1_000 * E18),
            uint(0),
            uint(0),
            Arg::Addr(a[ALICE]),
            max(),
        ],
    );
    p.send(
        ALICE,
        "uniswap-remove-liquidity",
        Tx {
            to: Some(d.router),
            value: U256::ZERO,
            data: remove,
            gas_limit: HEAVY_CALL_GAS,
        },
        Expect::Success,
    );
    Ok(())
}

/// Deploys the factory (fee setter: the first signer) and the router.
pub fn deploy(p: &mut Plan, weth: Address) -> Result<Dex, String> {
    let me = p.addr[ALICE];
    let factory = p.deploy(
        ALICE,
        "uniswap-factory-deploy",
        &builds::UNISWAP_FACTORY,
        &[Arg::Addr(me)],
    )?;
    let router = p.deploy(
        ALICE,
        "uniswap-router-deploy",
        &builds::UNISWAP_ROUTER,
        &[Arg::Addr(factory), Arg::Addr(weth)],
    )?;
    Ok(Dex { factory, router })
}

/// The pair's EIP-2612 digest of `permit(owner, spender, value, nonce, deadline)`: domain
/// `("Uniswap V2", "1", chainId, pair)` as `UniswapV2ERC20`'s constructor builds it.
fn permit_digest(
    pair: Address,
    owner: Address,
    spender: Address,
    value: u128,
    nonce: u128,
) -> B256 {
    let domain_type = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)",
    );
    let domain = keccak256(encode(&[
        word(domain_type),
        word(keccak256("Uniswap V2")),
        word(keccak256("1")),
        uint(u128::from(CHAIN_ID)),
        Arg::Addr(pair),
    ]));
    let permit_type = keccak256(
        "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)",
    );
    let data = encode(&[
        word(permit_type),
        Arg::Addr(owner),
        Arg::Addr(spender),
        uint(value),
        uint(nonce),
        max(),
    ]);
    let mut message = vec![0x19, 0x01];
    message.extend_from_slice(domain.as_slice());
    message.extend_from_slice(keccak256(data).as_slice());
    keccak256(message)
}

fn word(hash: B256) -> Arg {
    Arg::Uint(U256::from_be_bytes(hash.0))
}

/// Liquidity removed with a permit instead of an approval: LP tokens handed to the third
/// signer, who removes them with its own signed permit; a permit signed by someone else fails.
pub fn permit_block(p: &mut Plan, t: &Tokens, d: &Dex) -> Result<(), String> {
    let a = p.addr.clone();
    let pair = pair_address(d.factory, t.tka, t.tkb)?;
    p.call(
        ALICE,
        "uniswap-lp-transfer",
        pair,
        super::tokens::transfer(a[CAROL], 300 * E18),
    );
    let remove = |p: &Plan, signer: usize| {
        let digest = permit_digest(pair, a[CAROL], d.router, 200 * E18, 0);
        let (signature, recovery) = p.key(signer).sign_prehash_recoverable(digest.as_slice());
        let bytes = signature.to_bytes();
        call(
            "removeLiquidityWithPermit(address,address,uint256,uint256,uint256,address,uint256,bool,uint8,bytes32,bytes32)",
            &[
                Arg::Addr(t.tka),
                Arg::Addr(t.tkb),
                uint(200 * E18),
                uint(0),
                uint(0),
                Arg::Addr(a[CAROL]),
                max(),
                uint(0),
                uint(27 + u128::from(recovery.is_y_odd())),
                Arg::Uint(U256::from_be_slice(&bytes[..32])),
                Arg::Uint(U256::from_be_slice(&bytes[32..])),
            ],
        )
    };
    let forged = remove(p, BOB);
    let tx = Tx {
        to: Some(d.router),
        value: U256::ZERO,
        data: forged,
        gas_limit: HEAVY_CALL_GAS,
    };
    p.send(
        CAROL,
        "uniswap-remove-permit-forged",
        tx,
        Expect::Revert("UniswapV2: INVALID_SIGNATURE"),
    );
    let signed = remove(p, CAROL);
    let tx = Tx {
        to: Some(d.router),
        value: U256::ZERO,
        data: signed,
        gas_limit: HEAVY_CALL_GAS,
    };
    p.send(CAROL, "uniswap-remove-permit", tx, Expect::Success);
    Ok(())
}
