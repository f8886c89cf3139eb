//! Uniswap V2 as the npm package's tests deploy it (`npm/test/fork/scenario.mjs`): v2-core 1.0.1
//! and v2-periphery 1.1.0-beta.0 from their published builds in `npm/node_modules` (a dev
//! dependency of the npm package, installed by `make setup`; not part of this repository). Two
//! test ERC-20s, the factory and its pair, WETH9 and Router02, with liquidity added, for the
//! transaction calibration's swap row.

use super::blocks::Sender;
use zkos_core::ee::evm::frame::create_address;
use zkos_core::primitives::{hex, keccak256, Address, Bytes, U256};

/// Gas limit of each set-up transaction (the router's deployment is the largest, about 5 M).
const SETUP_GAS_LIMIT: u64 = 15_000_000;
/// Supply of each test token, minted to the deployer (10^24 = one million tokens).
const TOKEN_SUPPLY_UNITS: u128 = 1_000_000_000_000_000_000_000_000;
/// Liquidity of each side of the pair (10^22 = ten thousand tokens).
const LIQUIDITY_UNITS: u128 = 10_000_000_000_000_000_000_000;
/// Tokens sold by the measured swap (10^20 = a hundred tokens).
const SWAP_IN_UNITS: u128 = 100_000_000_000_000_000_000;

/// Creation code of one published build, or why it cannot be read.
fn artifact(path: &str) -> Result<Vec<u8>, String> {
    let file = format!(
        "{}/../npm/node_modules/@uniswap/{path}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&file).map_err(|e| format!("{file}: {e}"))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{file}: {e}"))?;
    let code = json["bytecode"]
        .as_str()
        .ok_or_else(|| format!("{file}: no bytecode"))?;
    hex::decode(code.trim_start_matches("0x")).map_err(|e| format!("{file}: {e}"))
}

/// The ABI selector of `signature`.
fn selector(signature: &str) -> [u8; 4] {
    let hash = keccak256(signature.as_bytes());
    [hash[0], hash[1], hash[2], hash[3]]
}

/// One ABI head word of an address.
fn word_address(address: Address) -> [u8; 32] {
    address.into_word().0
}

/// One ABI head word of an integer.
fn word_u256(value: U256) -> [u8; 32] {
    value.to_be_bytes::<32>()
}

/// `selector(signature) ‖ words`.
fn call_data(signature: &str, words: &[[u8; 32]]) -> Vec<u8> {
    let mut out = selector(signature).to_vec();
    for word in words {
        out.extend_from_slice(word);
    }
    out
}

/// The set-up transactions (one per block, in order) and the measured swap.
pub(crate) struct Plan {
    /// Deploys, pair creation, approvals and liquidity.
    pub setup: Vec<Bytes>,
    /// `swapExactTokensForTokens` of [`SWAP_IN_UNITS`] through the router, to `recipient`.
    pub swap: Bytes,
}

/// Signs the set-up and the swap for `sender` (its nonce advances past the set-up; the swap
/// takes the next nonce without advancing it). Fails when the npm builds are not installed.
pub(crate) fn plan(sender: &mut Sender, recipient: Address) -> Result<Plan, String> {
    let erc20 = artifact("v2-core/build/ERC20.json")?;
    let factory_code = artifact("v2-core/build/UniswapV2Factory.json")?;
    let weth_code = artifact("v2-periphery/build/WETH9.json")?;
    let router_code = artifact("v2-periphery/build/UniswapV2Router02.json")?;
    let me = sender.address;
    let mut setup = Vec::new();
    let mut deploy = |sender: &mut Sender, code: &[u8], args: &[[u8; 32]]| {
        let address = create_address(&me, sender.nonce());
        let mut initcode = code.to_vec();
        for word in args {
            initcode.extend_from_slice(word);
        }
        setup.push(sender.tx_with_gas(SETUP_GAS_LIMIT, None, 0, &initcode));
        address
    };
    let supply = word_u256(U256::from(TOKEN_SUPPLY_UNITS));
    let token_x = deploy(sender, &erc20, &[supply]);
    let token_y = deploy(sender, &erc20, &[supply]);
    let factory = deploy(sender, &factory_code, &[word_address(me)]);
    let weth = deploy(sender, &weth_code, &[]);
    let router = deploy(
        sender,
        &router_code,
        &[word_address(factory), word_address(weth)],
    );
    let mut call = |sender: &mut Sender, to: Address, data: Vec<u8>| {
        setup.push(sender.tx_with_gas(SETUP_GAS_LIMIT, Some(to), 0, &data));
    };
    call(
        sender,
        factory,
        call_data(
            "createPair(address,address)",
            &[word_address(token_x), word_address(token_y)],
        ),
    );
    for token in [token_x, token_y] {
        call(
            sender,
            token,
            call_data(
                "approve(address,uint256)",
                &[word_address(router), word_u256(U256::MAX)],
            ),
        );
    }
    let liquidity = word_u256(U256::from(LIQUIDITY_UNITS));
    let deadline = word_u256(U256::MAX);
    call(
        sender,
        router,
        call_data(
            "addLiquidity(address,address,uint256,uint256,uint256,uint256,address,uint256)",
            &[
                word_address(token_x),
                word_address(token_y),
                liquidity,
                liquidity,
                word_u256(U256::ZERO),
                word_u256(U256::ZERO),
                word_address(me),
                deadline,
            ],
        ),
    );
    // Head: amountIn, amountOutMin, offset of path (5 head words = 0xa0), to, deadline; tail:
    // the path's length and its two tokens.
    let swap = call_data(
        "swapExactTokensForTokens(uint256,uint256,address[],address,uint256)",
        &[
            word_u256(U256::from(SWAP_IN_UNITS)),
            word_u256(U256::ZERO),
            word_u256(U256::from(0xa0u64)),
            word_address(recipient),
            deadline,
            word_u256(U256::from(2u64)),
            word_address(token_x),
            word_address(token_y),
        ],
    );
    let swap = sender
        .clone()
        .tx_with_gas(SETUP_GAS_LIMIT, Some(router), 0, &swap);
    Ok(Plan { setup, swap })
}
