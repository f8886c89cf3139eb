//! Token blocks of the real-contract flow: OpenZeppelin ERC-20 presets (mints, transfers,
//! approvals, `transferFrom`, role and balance failures), WETH9 deposits and withdrawals, and
//! ERC-721 and ERC-1155 presets (mints, transfers, safe transfers to a receiver contract and to
//! contracts that are not receivers).

use super::abi::{call, uint, Arg};
use super::builds;
use super::plan::{Expect, Plan, Tx, CALL_GAS};
use alloy_primitives::{Address, U256};

/// 10^18: one whole token of 18 decimals, or one ether in wei.
pub const E18: u128 = 1_000_000_000_000_000_000;

/// Signer indices of the flow.
pub const ALICE: usize = 0;
/// Second signer.
pub const BOB: usize = 1;
/// Third signer.
pub const CAROL: usize = 2;
/// Fourth signer.
pub const DAVE: usize = 3;
/// Fifth signer.
pub const ERIN: usize = 4;

/// Addresses of the token contracts the flow deploys.
#[derive(Clone, Copy, Debug)]
pub struct Tokens {
    /// ERC-20 preset "Token A".
    pub tka: Address,
    /// ERC-20 preset "Token B".
    pub tkb: Address,
    /// WETH9.
    pub weth: Address,
    /// ERC-721 preset with auto ids.
    pub nft: Address,
    /// ERC-1155 preset.
    pub items: Address,
    /// OpenZeppelin's `ERC721Holder`.
    pub holder: Address,
}

/// `transfer(to, amount)`.
pub fn transfer(to: Address, amount: u128) -> Vec<u8> {
    call("transfer(address,uint256)", &[Arg::Addr(to), uint(amount)])
}

/// `approve(spender, amount)`.
pub fn approve(spender: Address, amount: U256) -> Vec<u8> {
    call(
        "approve(address,uint256)",
        &[Arg::Addr(spender), Arg::Uint(amount)],
    )
}

fn mint(to: Address, amount: u128) -> Vec<u8> {
    call("mint(address,uint256)", &[Arg::Addr(to), uint(amount)])
}

fn transfer_from(from: Address, to: Address, amount: u128) -> Vec<u8> {
    call(
        "transferFrom(address,address,uint256)",
        &[Arg::Addr(from), Arg::Addr(to), uint(amount)],
    )
}

/// Deploys the ERC-20s and WETH9 (the first block's share).
pub fn deploy_fungibles(p: &mut Plan) -> Result<(Address, Address, Address), String> {
    let tka = p.deploy(
        ALICE,
        "oz-erc20-deploy",
        &builds::OZ_ERC20,
        &[Arg::Str("Token A"), Arg::Str("TKA")],
    )?;
    let tkb = p.deploy(
        ALICE,
        "oz-erc20-deploy",
        &builds::OZ_ERC20,
        &[Arg::Str("Token B"), Arg::Str("TKB")],
    )?;
    let weth = p.deploy(ALICE, "weth-deploy", &builds::WETH9, &[])?;
    Ok((tka, tkb, weth))
}

/// Deploys the ERC-721 and ERC-1155 presets and the receiver contract.
pub fn deploy_collectibles(p: &mut Plan) -> Result<(Address, Address, Address), String> {
    let nft = p.deploy(
        CAROL,
        "oz-erc721-deploy",
        &builds::OZ_ERC721,
        &[
            Arg::Str("Real Art"),
            Arg::Str("ART"),
            Arg::Str("ipfs://art/"),
        ],
    )?;
    let items = p.deploy(
        CAROL,
        "oz-erc1155-deploy",
        &builds::OZ_ERC1155,
        &[Arg::Str("ipfs://items/{id}")],
    )?;
    let holder = p.deploy(DAVE, "oz-holder-deploy", &builds::OZ_ERC721_HOLDER, &[])?;
    Ok((nft, items, holder))
}

/// Mints, transfers, approvals and `transferFrom` on the ERC-20s, with their failures, and a
/// WETH deposit.
pub fn erc20_block(p: &mut Plan, t: &Tokens) {
    let a = p.addr.clone();
    p.call(
        ALICE,
        "oz-erc20-mint",
        t.tka,
        mint(a[ALICE], 1_000_000 * E18),
    );
    p.call(
        ALICE,
        "oz-erc20-mint",
        t.tkb,
        mint(a[ALICE], 1_000_000 * E18),
    );
    p.call(ALICE, "oz-erc20-mint", t.tka, mint(a[BOB], 5_000 * E18));
    p.fail(
        BOB,
        "oz-erc20-mint-denied",
        t.tka,
        mint(a[BOB], 1),
        "ERC20PresetMinterPauser: must have minter role to mint",
    );
    p.call(
        ALICE,
        "oz-erc20-transfer",
        t.tka,
        transfer(a[CAROL], 1_000 * E18),
    );
    p.fail(
        CAROL,
        "oz-erc20-transfer-short",
        t.tka,
        transfer(a[DAVE], 2_000 * E18),
        "ERC20: transfer amount exceeds balance",
    );
    p.call(
        CAROL,
        "oz-erc20-approve",
        t.tka,
        approve(a[DAVE], U256::from(300 * E18)),
    );
    p.call(
        DAVE,
        "oz-erc20-transfer-from",
        t.tka,
        transfer_from(a[CAROL], a[DAVE], 200 * E18),
    );
    p.fail(
        DAVE,
        "oz-erc20-allowance-short",
        t.tka,
        transfer_from(a[CAROL], a[ERIN], 200 * E18),
        "ERC20: insufficient allowance",
    );
    let deposit = call("deposit()", &[]);
    p.send(
        BOB,
        "weth-deposit",
        Tx {
            to: Some(t.weth),
            value: U256::from(5 * E18),
            data: deposit,
            gas_limit: CALL_GAS,
        },
        Expect::Success,
    );
    p.transfer(ERIN, a[BOB], E18 / 3);
}

/// WETH withdrawals (one beyond the balance: this WETH9 build's `require` with an empty
/// reason) and a WETH transfer.
pub fn weth_block(p: &mut Plan, t: &Tokens) {
    let a = p.addr.clone();
    p.call(
        BOB,
        "weth-withdraw",
        t.weth,
        call("withdraw(uint256)", &[uint(2 * E18)]),
    );
    let too_much = call("withdraw(uint256)", &[uint(100 * E18)]);
    p.fail(BOB, "weth-withdraw-short", t.weth, too_much, "");
    p.call(BOB, "weth-transfer", t.weth, transfer(a[CAROL], E18));
}

fn safe_transfer(from: Address, to: Address, id: u128) -> Vec<u8> {
    call(
        "safeTransferFrom(address,address,uint256)",
        &[Arg::Addr(from), Arg::Addr(to), uint(id)],
    )
}

/// ERC-721 mints (ids 0, 1, 2), a transfer, safe transfers to a receiver, to a contract that
/// is not one and with data through an operator; ERC-1155 mints and transfers.
pub fn collectibles_block(p: &mut Plan, t: &Tokens) {
    let a = p.addr.clone();
    let mint_to = |to: Address| call("mint(address)", &[Arg::Addr(to)]);
    p.call(CAROL, "oz-erc721-mint", t.nft, mint_to(a[BOB]));
    p.call(CAROL, "oz-erc721-mint", t.nft, mint_to(a[CAROL]));
    p.call(CAROL, "oz-erc721-mint", t.nft, mint_to(a[DAVE]));
    p.fail(
        ERIN,
        "oz-erc721-mint-denied",
        t.nft,
        mint_to(a[ERIN]),
        "ERC721PresetMinterPauserAutoId: must have minter role to mint",
    );
    p.call(
        BOB,
        "oz-erc721-transfer",
        t.nft,
        transfer_from(a[BOB], a[DAVE], 0),
    );
    p.call(
        CAROL,
        "oz-erc721-safe-to-holder",
        t.nft,
        safe_transfer(a[CAROL], t.holder, 1),
    );
    p.fail(
        DAVE,
        "oz-erc721-safe-to-nonreceiver",
        t.nft,
        safe_transfer(a[DAVE], t.tka, 2),
        "ERC721: transfer to non ERC721Receiver implementer",
    );
    let approve_all = call(
        "setApprovalForAll(address,bool)",
        &[Arg::Addr(a[BOB]), uint(1)],
    );
    p.call(DAVE, "oz-erc721-approve-all", t.nft, approve_all);
    let with_data = call(
        "safeTransferFrom(address,address,uint256,bytes)",
        &[
            Arg::Addr(a[DAVE]),
            Arg::Addr(a[BOB]),
            uint(0),
            Arg::Bytes(vec![0x12, 0x34]),
        ],
    );
    p.call(BOB, "oz-erc721-operator-transfer", t.nft, with_data);
    p.fail(
        ERIN,
        "oz-erc721-not-owner",
        t.nft,
        transfer_from(a[BOB], a[ERIN], 0),
        "ERC721: caller is not token owner or approved",
    );
    let mint_1155 = call(
        "mint(address,uint256,uint256,bytes)",
        &[
            Arg::Addr(a[ALICE]),
            uint(7),
            uint(100),
            Arg::Bytes(Vec::new()),
        ],
    );
    p.call(CAROL, "oz-erc1155-mint", t.items, mint_1155);
    let ids = Arg::Uints([1u64, 2, 3].map(U256::from).to_vec());
    let amounts = Arg::Uints([10u64, 20, 30].map(U256::from).to_vec());
    let batch = call(
        "mintBatch(address,uint256[],uint256[],bytes)",
        &[Arg::Addr(a[BOB]), ids, amounts, Arg::Bytes(Vec::new())],
    );
    p.call(CAROL, "oz-erc1155-mint-batch", t.items, batch);
    let move_1155 = |to: Address, amount: u128| {
        call(
            "safeTransferFrom(address,address,uint256,uint256,bytes)",
            &[
                Arg::Addr(a[ALICE]),
                Arg::Addr(to),
                uint(7),
                uint(amount),
                Arg::Bytes(Vec::new()),
            ],
        )
    };
    p.call(
        ALICE,
        "oz-erc1155-transfer",
        t.items,
        move_1155(a[CAROL], 40),
    );
    p.fail(
        ALICE,
        "oz-erc1155-to-nonreceiver",
        t.items,
        move_1155(t.holder, 1),
        "ERC1155: transfer to non-ERC1155Receiver implementer",
    );
}

/// Pausing: transfers of a paused ERC-20 fail with the preset's reason until it is unpaused;
/// ether sent plainly to this WETH9 build is refused (its payable fallback is commented out).
pub fn pause_block(p: &mut Plan, t: &Tokens) {
    let a = p.addr.clone();
    p.call(ALICE, "oz-erc20-pause", t.tkb, call("pause()", &[]));
    p.fail(
        BOB,
        "oz-erc20-paused-transfer",
        t.tkb,
        transfer(a[CAROL], E18),
        "ERC20Pausable: token transfer while paused",
    );
    p.fail(
        BOB,
        "oz-erc20-pause-denied",
        t.tkb,
        call("unpause()", &[]),
        "ERC20PresetMinterPauser: must have pauser role to unpause",
    );
    p.call(ALICE, "oz-erc20-unpause", t.tkb, call("unpause()", &[]));
    p.call(BOB, "oz-erc20-transfer", t.tkb, transfer(a[CAROL], E18));
    let wrap = Tx {
        to: Some(t.weth),
        value: U256::from(E18 / 2),
        data: Vec::new(),
        gas_limit: CALL_GAS,
    };
    p.send(
        CAROL,
        "weth-plain-transfer-refused",
        wrap,
        Expect::RevertBare,
    );
}
