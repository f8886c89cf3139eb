//! The ZKsync OS flow on valid transactions, one scenario per block.

use super::*;
use crate::bootloader::flow::zk::rules::L2_TX_INTRINSIC_NATIVE;
use crate::io::L2ToL1Message;
use crate::primitives::{hex, keccak256, B256};
use crate::state::l2_logs::L2ToL1Log;

/// Native of one account write (cache access 4,000 + write 1,000).
const ACCOUNT_WRITE_NATIVE: u64 = 5_000;

#[test]
fn eth_transfer() {
    let alice = Key::new(1);
    let bob = Address::repeat_byte(0xb0);
    let mut state = state(&[alice.address], U256::from(ETHER) * U256::from(10u64));
    let mut io = io(&mut state);
    let value = U256::from(ETHER);
    let output = run(
        &mut io,
        vec![encoded(alice.tx(0, Some(bob), value, &[], 21_000))],
    );
    let r = receipt(&output, 0);
    assert!(r.success);
    // Native budget: 21,000 gas × 100 = 2,100,000. Intrinsic pubdata 134 × 100 = 13,400;
    // intrinsic computational 920,360 (no calldata). Execution: one value transfer = two
    // account writes = 10,000. Pubdata of execution: Bob's new account diff = key 32 +
    // metadata 1 + balance compressed (metadata 1 + 8 bytes for 10^18 < 2^64) = 42 bytes
    // (Alice's and the coinbase's diffs are covered by the intrinsic 134) → 4,200 native.
    assert_eq!(L2_TX_INTRINSIC_NATIVE, 920_360);
    assert_eq!(r.pubdata_used, 134 + 42);
    let native = 13_400 + 920_360 + 2 * ACCOUNT_WRITE_NATIVE + 42 * NATIVE_PER_PUBDATA;
    assert_eq!(r.native_used, native);
    assert_eq!(r.native_used, 947_960);
    assert_eq!(r.computational_native_used, 920_360 + 10_000);
    // gasUsed = 21,000; native / native per gas = 9,479 < 21,000, so no deltaGas.
    assert_eq!(r.gas_used, 21_000);
    let fee = U256::from(21_000 * GAS_PRICE);
    assert_eq!(io.account(&COINBASE).balance, fee);
    assert_eq!(io.account(&bob).balance, value);
    assert_eq!(
        io.account(&alice.address).balance,
        U256::from(ETHER) * U256::from(10u64) - value - fee
    );
    assert_eq!(io.account(&alice.address).nonce, 1);
    assert_eq!(output.gas_used, 21_000);
    assert_eq!(output.pubdata_used, 176);
    assert_eq!(output.computational_native_used, 930_360);
    assert_eq!(output.tx_hashes, vec![r.tx_hash]);
    assert!(output.logs.is_empty());
}

/// `Transfer(address,address,uint256)` topic.
const TRANSFER_TOPIC: [u8; 32] =
    hex!("ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");

/// A minimal ERC-20-like token, hand-assembled: any call is `transfer(to, amount)` with `to` at
/// calldata offset 4 and `amount` at 0x24; balances live at slot = holder address. It reverts
/// when the caller's balance is short, else moves the amount, emits `Transfer(caller, to,
/// amount)` and returns 1.
pub(super) fn token_runtime() -> Vec<u8> {
    let mut code = Vec::new();
    code.extend_from_slice(&hex!("602435")); // 00 PUSH1 0x24 CALLDATALOAD      amount
    code.extend_from_slice(&hex!("3354")); // 03 CALLER SLOAD                  from balance
    code.extend_from_slice(&hex!("818110")); // 05 DUP2 DUP2 LT                 balance < amount
    code.extend_from_slice(&hex!("605057")); // 08 PUSH1 0x50 JUMPI
    code.extend_from_slice(&hex!("819003")); // 0b DUP2 SWAP1 SUB               balance - amount
    code.extend_from_slice(&hex!("3355")); // 0e CALLER SSTORE
    code.extend_from_slice(&hex!("600435")); // 10 PUSH1 4 CALLDATALOAD         to
    code.extend_from_slice(&hex!("8054")); // 13 DUP1 SLOAD                    to balance
    code.extend_from_slice(&hex!("8201")); // 15 DUP3 ADD
    code.extend_from_slice(&hex!("9055")); // 17 SWAP1 SSTORE
    code.extend_from_slice(&hex!("600052")); // 19 PUSH1 0 MSTORE               mem[0] = amount
    code.extend_from_slice(&hex!("60043533")); // 1c PUSH1 4 CALLDATALOAD CALLER
    code.push(0x7f); // 20 PUSH32 topic
    code.extend_from_slice(&TRANSFER_TOPIC);
    code.extend_from_slice(&hex!("60206000a3")); // 41 PUSH1 32 PUSH1 0 LOG3
    code.extend_from_slice(&hex!("600160005260206000f3")); // 46 mem[0] = 1; RETURN(0, 32)
    code.extend_from_slice(&hex!("5b60006000fd")); // 50 JUMPDEST REVERT(0, 0)
    code
}

/// Initcode: `balance[CALLER] = 10,000`, then return the runtime (which follows at 0x11).
/// Gas of the first `transfer(bob, 100)` from a holder of 10,000 to an empty balance:
/// intrinsic 21,000 + 4 × 143 tokens, then execution: PUSH1 CALLDATALOAD CALLER 8; SLOAD cold
/// 2,100; DUP2 DUP2 LT PUSH1 12; JUMPI 10; DUP2 SWAP1 SUB CALLER 11; SSTORE warm
/// non-zero→non-zero 2,900; PUSH1 CALLDATALOAD DUP1 9; SLOAD cold 2,100; DUP3 ADD SWAP1 9;
/// SSTORE warm zero→non-zero 20,000; PUSH1 MSTORE + 1 word 9; PUSH1 CALLDATALOAD CALLER PUSH32
/// PUSH1 PUSH1 17; LOG3 375 + 3 × 375 + 8 × 32 = 1,756; PUSH1 PUSH1 MSTORE PUSH1 PUSH1 RETURN 15.
pub(super) const TOKEN_TRANSFER_GAS: u64 =
    21_572 + 8 + 2_100 + 12 + 10 + 11 + 2_900 + 9 + 2_100 + 9 + 20_000 + 9 + 17 + 1_756 + 15;

pub(super) fn token_initcode() -> Vec<u8> {
    // PUSH2 10000 CALLER SSTORE; PUSH1 86 PUSH1 0x11 PUSH1 0 CODECOPY; PUSH1 86 PUSH1 0 RETURN
    let mut code = hex!("61271033556056601160003960566000f3").to_vec();
    code.extend_from_slice(&token_runtime());
    code
}

/// Calldata of `transfer(to, amount)`.
pub(super) fn transfer_call(to: Address, amount: u64) -> Vec<u8> {
    let mut data = hex!("a9059cbb").to_vec();
    data.extend_from_slice(to.into_word().as_slice());
    data.extend_from_slice(&U256::from(amount).to_be_bytes::<32>());
    data
}

/// Calldata tokens (spec §3): one per zero byte, four per non-zero byte.
pub(super) fn tokens(data: &[u8]) -> u64 {
    data.iter().map(|b| if *b == 0 { 1 } else { 4 }).sum()
}

#[test]
fn erc20_deployment() {
    let alice = Key::new(1);
    let mut state = state(&[alice.address], U256::from(ETHER));
    let mut io = io(&mut state);
    let initcode = token_initcode();
    assert_eq!(token_runtime().len(), 86);
    assert_eq!(initcode.len(), 17 + 86);
    let output = run(
        &mut io,
        vec![encoded(alice.tx(0, None, U256::ZERO, &initcode, 200_000))],
    );
    let r = receipt(&output, 0);
    assert!(r.success);
    let token = crate::ee::evm::frame::create_address(&alice.address, 0);
    assert_eq!(r.created, Some(token));
    // Intrinsic gas: 21,000 + 32,000 + 4 × tokens + 2 × ceil(103 / 32) = 53,008 + 4 × tokens.
    let intrinsic = 21_000 + 32_000 + 4 * tokens(&initcode) + 2 * 4;
    // Initcode: PUSH2 3, CALLER 2, SSTORE of a cold zero slot 2,100 + 20,000, three PUSH1 9,
    // CODECOPY 3 + 3 × 3 words + memory 3 × 3 = 21, two PUSH1 6, RETURN 0; code deposit
    // 200 × 86 = 17,200.
    let execution = 3 + 2 + 22_100 + 9 + 21 + 6 + 17_200;
    assert_eq!(r.gas_used, intrinsic + execution);
    // Pubdata: the token account is new with code, a full account diff: key 32 + flags 1 +
    // versioning 8 + nonce 0→1 (1 + 1) + balance 0→0 (1) + code length 4 + the 86 code bytes +
    // artifacts length 4 + observable length 4 = 142; its slot 0 → 10,000 (0x2710): key 32 +
    // (1 + 2) = 35.
    assert_eq!(r.pubdata_used, 134 + 142 + 35);
    // Native: intrinsic 13,400 + 920,360 + 259 × 103; execution: the new contract's nonce
    // write 5,000, initcode decommit 500 + 6 × 103 (the initcode is the whole calldata), opcodes (PUSH2 80, CALLER 60, SSTORE 120,
    // five PUSH1 350, CODECOPY 120, RETURN 90 = 820), SSTORE IO on an absent slot 4,000 +
    // 1,000 + 242,240 + 363,360, CODECOPY copy 80 + 86, memory 35 + 3 × 32, code install
    // 5,000 + 500 plus what deploying the 86 bytes computes: keccak 2,500 + 1 round × 17,500,
    // analysis 6 × 86 and blake2s of the 99-byte preimage (86 + 2 padding + an 11-byte
    // bitmap) 800 + 2 chunks × 340; pubdata 177 × 100.
    let intrinsic_native = 13_400 + 920_360 + 259 * 103;
    let deploy_hashing = 20_000 + 6 * 86 + 1_480;
    let execution_native = 5_000 + 1_118 + 820 + 610_600 + 166 + 131 + 5_500 + deploy_hashing;
    assert_eq!(
        r.native_used,
        intrinsic_native + execution_native + 177 * NATIVE_PER_PUBDATA
    );
    assert_eq!(r.native_used, 1_623_468);
    assert_eq!(io.account(&token).code.bytes(), &token_runtime()[..]);
    assert_eq!(
        io.sload(&token, &U256::from_be_slice(alice.address.as_slice()))
            .map(|s| s.value),
        Ok(U256::from(10_000u64))
    );
}

/// A state with the token at `token` holding 10,000 for `holder`.
fn token_state(holder: Address, token: Address) -> InMemoryState {
    let mut state = state(&[holder], U256::from(ETHER));
    state.set_account(token, 1, U256::ZERO, Bytes::from(token_runtime()));
    state.set_storage(
        token,
        U256::from_be_slice(holder.as_slice()),
        U256::from(10_000u64),
    );
    state
}

#[test]
fn erc20_transfers() {
    let alice = Key::new(1);
    let bob = Address::repeat_byte(0xb0);
    let token = Address::repeat_byte(0x70);
    let mut state = token_state(alice.address, token);
    let mut io = io(&mut state);
    let data = transfer_call(bob, 100);
    let output = run(
        &mut io,
        vec![
            encoded(alice.tx(0, Some(token), U256::ZERO, &data, 100_000)),
            // Second transfer asks for more than is left: the token reverts.
            encoded(alice.tx(
                1,
                Some(token),
                U256::ZERO,
                &transfer_call(bob, 10_000),
                100_000,
            )),
        ],
    );
    let r = receipt(&output, 0);
    assert!(r.success);
    assert_eq!(r.output.as_ref(), U256::from(1u64).to_be_bytes::<32>());
    // Calldata: selector 4 non-zero (16 tokens), `to` 12 zero + 20 non-zero (92), amount 31
    // zero + 1 non-zero (35): 143 tokens → intrinsic 21,000 + 572.
    assert_eq!(tokens(&data), 143);
    assert_eq!(r.gas_used, TOKEN_TRANSFER_GAS);
    // Pubdata: Alice's slot 10,000 → 9,900 (subtract 100: 1 + 1) and Bob's 0 → 100 (1 + 1),
    // each with its 32-byte key: 68.
    assert_eq!(r.pubdata_used, 134 + 68);
    // Native: intrinsic 13,400 + 920,360 + 259 × 68; decommit 500 + 6 × 86; opcodes 4,240
    // (11 PUSH1 × 70, 3 CALLDATALOAD × 320, 3 CALLER × 60, 2 SLOAD × 120, 5 DUP × 70, LT 100,
    // JUMPI 110, 2 SWAP × 80, SUB 60, ADD 60, 2 SSTORE × 120, 2 MSTORE × 270, PUSH32 310, LOG3
    // 70, RETURN 90); IO: SLOAD of an existing slot 121,120, SSTORE on it 4,000 + 1,000 +
    // 121,120, SLOAD of an absent slot 242,240, SSTORE on it 4,000 + 1,000 + 363,360, memory
    // 35 + 32, event 6,000 + 3 × 200 + 2 × 32; pubdata 68 × 100.
    let io_native = 121_120 + 126_120 + 242_240 + 368_360 + 67 + 6_664;
    let native = 13_400 + 920_360 + 259 * 68 + 500 + 6 * 86 + 4_240 + io_native + 6_800;
    assert_eq!(r.native_used, native);
    assert_eq!(r.logs.len(), 1);
    assert_eq!(r.logs[0].address, token);
    assert_eq!(
        r.logs[0].topics,
        vec![
            B256::from(TRANSFER_TOPIC),
            alice.address.into_word(),
            bob.into_word()
        ]
    );
    assert_eq!(
        r.logs[0].data.as_ref(),
        U256::from(100u64).to_be_bytes::<32>()
    );

    let reverted = receipt(&output, 1);
    assert!(!reverted.success);
    assert!(reverted.logs.is_empty());
    // Same calldata shape (10,000 = 0x2710: 30 zero + 2 non-zero bytes → 146 tokens);
    // execution up to the taken JUMPI: 8 + 2,100 (SLOAD: cold again, warmth is per
    // transaction) + 12 + 10, then JUMPDEST 1, PUSH1 PUSH1 6, REVERT 0.
    let reverted_data = transfer_call(bob, 10_000);
    assert_eq!(tokens(&reverted_data), 146);
    assert_eq!(
        reverted.gas_used,
        21_000 + 4 * 146 + 8 + 2_100 + 12 + 10 + 1 + 6
    );
    // Nothing of the reverted execution is published.
    assert_eq!(reverted.pubdata_used, 134);
    let balance_of = |io: &mut Io<&mut InMemoryState>, who: Address| {
        io.sload(&token, &U256::from_be_slice(who.as_slice()))
            .map(|s| s.value)
    };
    assert_eq!(balance_of(&mut io, alice.address), Ok(U256::from(9_900u64)));
    assert_eq!(balance_of(&mut io, bob), Ok(U256::from(100u64)));
    assert_eq!(output.gas_used, r.gas_used + reverted.gas_used);
}

#[test]
fn revert_keeps_only_the_fee() {
    let alice = Key::new(1);
    let reverter = Address::repeat_byte(0x4e);
    let mut state = state(&[alice.address], U256::from(ETHER) * U256::from(2u64));
    // PUSH1 0 PUSH1 0 REVERT
    state.set_account(
        reverter,
        1,
        U256::ZERO,
        Bytes::from_static(&hex!("60006000fd")),
    );
    let mut io = io(&mut state);
    let value = U256::from(ETHER);
    let output = run(
        &mut io,
        vec![encoded(alice.tx(0, Some(reverter), value, &[], 50_000))],
    );
    let r = receipt(&output, 0);
    assert!(!r.success);
    assert_eq!(r.halt, None);
    // 21,000 + PUSH1 PUSH1 6 + REVERT 0.
    assert_eq!(r.gas_used, 21_006);
    assert_eq!(r.pubdata_used, 134);
    // Native: intrinsic 13,400 + 920,360; the value transfer (two account writes, 10,000) is
    // charged before the frame runs and stays charged when it is rolled back; decommit 500 +
    // 6 × 5; opcodes 70 + 70 + 200.
    assert_eq!(r.native_used, 13_400 + 920_360 + 10_000 + 530 + 340);
    assert_eq!(io.account(&reverter).balance, U256::ZERO);
    assert_eq!(
        io.account(&alice.address).balance,
        U256::from(ETHER) * U256::from(2u64) - U256::from(21_006 * GAS_PRICE)
    );
}

#[test]
fn out_of_native_reverts_and_pays_everything() {
    let alice = Key::new(1);
    let burner = Address::repeat_byte(0xbb);
    let mut state = state(&[alice.address], U256::from(ETHER));
    // Loop forever: STATICCALL ecrecover (3,000 gas, 522,000 native: 174 native per gas, more
    // than the 100 per gas the transaction buys), so native runs out before gas does.
    // 00 JUMPDEST; PUSH1 0 PUSH1 0 PUSH1 0x80 PUSH1 0 PUSH1 1 GAS STATICCALL POP; PUSH1 0 JUMP
    state.set_account(
        burner,
        1,
        U256::ZERO,
        Bytes::from_static(&hex!("5b600060006080600060015afa50600056")),
    );
    let mut io = io(&mut state);
    let gas_limit = 100_000;
    let output = run(
        &mut io,
        vec![encoded(alice.tx(
            0,
            Some(burner),
            U256::ZERO,
            &[],
            gas_limit,
        ))],
    );
    let r = receipt(&output, 0);
    assert!(!r.success);
    assert_eq!(r.halt, Some(crate::ee::evm::Halt::OutOfNative));
    // All native is used: 100,000 × 100 = 10,000,000; deltaGas makes gasUsed the full limit.
    assert_eq!(r.native_used, 10_000_000);
    assert_eq!(r.gas_used, gas_limit);
    assert_eq!(r.pubdata_used, 134);
    assert_eq!(
        r.computational_native_used,
        10_000_000 - 134 * NATIVE_PER_PUBDATA
    );
    assert_eq!(
        io.account(&COINBASE).balance,
        U256::from(gas_limit * GAS_PRICE)
    );
    assert_eq!(io.account(&alice.address).nonce, 1);
}

/// An L1 priority transaction depositing `value` to `to`, minting exactly value + gas limit ×
/// gas price.
pub(super) fn deposit(
    from: Address,
    refund_recipient: Address,
    to: Address,
    value: U256,
    gas_limit: u64,
) -> Transaction {
    let mut tx = Transaction::empty(crate::tx::L1_PRIORITY_TX_TYPE);
    tx.to = Some(to);
    tx.gas_limit = gas_limit;
    tx.max_fee_per_gas = u128::from(GAS_PRICE);
    tx.value = value;
    tx.l1 = Some(crate::tx::L1Fields {
        from,
        mint: value + U256::from(gas_limit * GAS_PRICE),
        refund_recipient,
        gas_per_pubdata_limit: 800,
        factory_deps: Vec::new(),
    });
    tx
}

#[test]
fn l1_deposit() {
    let from = Address::repeat_byte(0xd0);
    let refund_recipient = Address::repeat_byte(0xd1);
    let bob = Address::repeat_byte(0xb0);
    let mut state = state(&[], U256::ZERO);
    let mut io = io(&mut state);
    let gas_limit = 300_000u64;
    let value = U256::from(ETHER);
    let mint = value + U256::from(gas_limit * GAS_PRICE);
    let tx = deposit(from, refund_recipient, bob, value, gas_limit);
    assert_eq!(tx.l1.as_ref().map(|l1| l1.mint), Some(mint));
    let tx_hash = tx.tx_hash().expect("hashable");
    let output = run(
        &mut io,
        vec![encoded(Bytes::from(encode(&tx).expect("encodes")))],
    );
    let r = receipt(&output, 0);
    assert!(r.success);
    // Native: 300,000 × 100 = 30,000,000 budget; intrinsic pubdata 351 × 100 = 35,100;
    // intrinsic computational 2,875,420; the value transfer 10,000; Bob's new account diff
    // 42 bytes (as in `eth_transfer`) → 4,200.
    assert_eq!(r.native_used, 35_100 + 2_875_420 + 10_000 + 4_200);
    assert_eq!(r.pubdata_used, 351 + 42);
    assert_eq!(r.computational_native_used, 2_875_420 + 10_000);
    // EVM gas is 21,000, but native / native per gas = 2,924,720 / 100 = 29,247: deltaGas
    // raises gasUsed to 29,247.
    assert_eq!(r.gas_used, 29_247);
    assert_eq!(io.account(&bob).balance, value);
    assert_eq!(io.account(&from).balance, U256::ZERO);
    assert_eq!(
        io.account(&refund_recipient).balance,
        U256::from((gas_limit - 29_247) * GAS_PRICE)
    );
    assert_eq!(
        io.account(&COINBASE).balance,
        U256::from(29_247 * GAS_PRICE)
    );
    assert_eq!(output.l1_tx_count, 1);
    assert_eq!(
        output.priority_rolling_hash,
        crate::primitives::keccak256_concat(&[
            crate::primitives::KECCAK_EMPTY.as_slice(),
            tx_hash.as_slice()
        ])
    );
    assert_eq!(
        output.logs,
        vec![L2ToL1Log {
            is_service: true,
            tx_number: 0,
            sender: crate::system::BOOTLOADER_FORMAL_ADDRESS,
            key: tx_hash,
            value: B256::with_last_byte(1),
        }]
    );
}

/// A contract that forwards its calldata to the L1 messenger and returns the first 32 bytes
/// the messenger returns:
/// `CALLDATASIZE PUSH1 0 PUSH1 0 CALLDATACOPY; PUSH1 32 PUSH1 0 CALLDATASIZE PUSH1 0 PUSH1 0
/// PUSH2 0x8008 GAS CALL POP; PUSH1 32 PUSH1 0 RETURN`.
pub(super) const MESSAGE_SENDER_CODE: [u8; 26] =
    hex!("3660006000376020600036600060006180085af15060206000f3");

/// Calldata of `sendToL1(message)`.
pub(super) fn send_to_l1(message: &[u8]) -> Vec<u8> {
    let mut data = hex!("62f84b24").to_vec();
    data.extend_from_slice(&U256::from(32u64).to_be_bytes::<32>());
    data.extend_from_slice(&U256::from(message.len()).to_be_bytes::<32>());
    data.extend_from_slice(message);
    data.resize(4 + 64 + message.len().div_ceil(32) * 32, 0);
    data
}

#[test]
fn contract_sends_l2_to_l1_message() {
    let alice = Key::new(1);
    let sender = Address::repeat_byte(0x5e);
    let mut state = state(&[alice.address], U256::from(ETHER));
    state.set_account(
        sender,
        1,
        U256::ZERO,
        Bytes::from_static(&MESSAGE_SENDER_CODE),
    );
    let mut io = io(&mut state);
    let message = b"hello zkos";
    let data = send_to_l1(message);
    let output = run(
        &mut io,
        vec![encoded(alice.tx(
            0,
            Some(sender),
            U256::ZERO,
            &data,
            200_000,
        ))],
    );
    let r = receipt(&output, 0);
    assert!(r.success);
    let hash = keccak256(message);
    assert_eq!(r.output.as_ref(), hash.as_slice());
    // Gas. Calldata: selector 16 + offset word 35 + length word 35 + 10 non-zero bytes and 22
    // zero padding 62 = 148 tokens. The messenger frame: CALLER PUSH1 MSTORE(+1 word) 11,
    // CALLDATASIZE PUSH1 PUSH1 8, CALLDATACOPY 3 + 3 × 4 words + memory 1 → 5 words 12 = 27,
    // PUSH1 PUSH1 CALLDATASIZE PUSH1 ADD PUSH1 PUSH1 PUSH2 GAS 25, CALL to cold 0x7001 2,600 +
    // hook (KECCAK256 30 + 6 × 1 word, LOG3 375 + 3 × 375 + 8 × 96 bytes = 2,304),
    // RETURNDATASIZE PUSH1 PUSH1 8, RETURNDATACOPY 3 + 3 = 6, PUSH1 JUMPI 13, JUMPDEST
    // RETURNDATASIZE PUSH1 RETURN 6: 5,008. The sender: CALLDATASIZE PUSH1 PUSH1 8,
    // CALLDATACOPY 3 + 12 + memory 4 words 12 = 27, six pushes and CALLDATASIZE 17, GAS 2,
    // CALL to cold 0x8008 2,600 + 5,008, POP 2, PUSH1 PUSH1 RETURN 6: 7,670.
    assert_eq!(tokens(&data), 148);
    assert_eq!(r.gas_used, 21_000 + 4 * 148 + 7_670);
    // Pubdata: the message's 88-byte log, its 4-byte length and its 10 bytes.
    assert_eq!(r.pubdata_used, 134 + 88 + 4 + 10);
    assert_eq!(
        r.native_used,
        r.computational_native_used + r.pubdata_used * NATIVE_PER_PUBDATA
    );
    let expected_message = L2ToL1Message {
        tx_number: 0,
        sender,
        data: Bytes::copy_from_slice(message),
    };
    assert_eq!(r.l2_to_l1_messages, vec![expected_message.clone()]);
    assert_eq!(output.messages, vec![expected_message]);
    assert_eq!(
        output.logs,
        vec![L2ToL1Log {
            is_service: true,
            tx_number: 0,
            sender: crate::system::L1_MESSENGER_ADDRESS,
            key: sender.into_word(),
            value: hash,
        }]
    );
    // The L1MessageSent event, from the messenger.
    assert_eq!(r.logs.len(), 1);
    assert_eq!(r.logs[0].address, crate::system::L1_MESSENGER_ADDRESS);
    assert_eq!(
        r.logs[0].topics,
        vec![
            keccak256(b"L1MessageSent(address,bytes32,bytes)"),
            sender.into_word(),
            hash
        ]
    );
    assert_eq!(r.logs[0].data.as_ref(), &send_to_l1(message)[4..]);
}

#[test]
fn hooks_refuse_other_callers() {
    let alice = Key::new(1);
    let mut state = state(&[alice.address], U256::from(ETHER));
    let mut io = io(&mut state);
    let messenger_hook = crate::system::hooks::SystemHook::L1Messenger.address();
    let mint_hook = crate::system::hooks::SystemHook::MintBaseToken.address();
    let mut call = alice.address.into_word().to_vec();
    call.extend_from_slice(&send_to_l1(b"forged"));
    let output = run(
        &mut io,
        vec![
            // An EOA calling the messenger hook directly (only 0x8008 may).
            encoded(alice.tx(0, Some(messenger_hook), U256::ZERO, &call, 100_000)),
            // An EOA asking the mint hook for 1 ether (only 0x800a may).
            encoded(alice.tx(
                1,
                Some(mint_hook),
                U256::ZERO,
                &U256::from(ETHER).to_be_bytes::<32>(),
                100_000,
            )),
            // Value into kernel space (not 0x8001) is refused.
            encoded(alice.tx(
                2,
                Some(crate::system::kernel_address(0x8005)),
                U256::from(1u64),
                &[],
                100_000,
            )),
        ],
    );
    for index in 0..3 {
        assert!(!receipt(&output, index).success, "tx {index}");
    }
    assert!(output.messages.is_empty());
    assert!(output.logs.is_empty());
    assert_eq!(io.account(&alice.address).balance, {
        let gas: u64 = (0..3).map(|i| receipt(&output, i).gas_used).sum();
        U256::from(ETHER) - U256::from(gas * GAS_PRICE)
    });
}

#[test]
fn failed_l1_deposit_refunds_value_and_unused_gas() {
    let from = Address::repeat_byte(0xd0);
    let refund_recipient = Address::repeat_byte(0xd1);
    let reverter = Address::repeat_byte(0x4e);
    let mut state = state(&[], U256::ZERO);
    state.set_account(
        reverter,
        1,
        U256::ZERO,
        Bytes::from_static(&hex!("60006000fd")),
    );
    let mut io = io(&mut state);
    let value = U256::from(ETHER);
    let tx = deposit(from, refund_recipient, reverter, value, 300_000);
    let tx_hash = tx.tx_hash().expect("hashable");
    let output = run(
        &mut io,
        vec![encoded(Bytes::from(encode(&tx).expect("encodes")))],
    );
    let r = receipt(&output, 0);
    assert!(!r.success);
    // Native: 35,100 + 2,875,420 intrinsic; the value transfer 10,000 (rolled back, still
    // charged), decommit 500 + 6 × 5, opcodes 70 + 70 + 200; no net pubdata.
    assert_eq!(r.native_used, 35_100 + 2_875_420 + 10_000 + 530 + 340);
    assert_eq!(r.pubdata_used, 351);
    // EVM gas 21,006; native / 100 = 29,213 is more: deltaGas.
    assert_eq!(r.gas_used, 29_213);
    assert_eq!(io.account(&from).balance, U256::ZERO);
    assert_eq!(io.account(&reverter).balance, U256::ZERO);
    assert_eq!(
        io.account(&refund_recipient).balance,
        value + U256::from((300_000 - 29_213) * GAS_PRICE)
    );
    assert_eq!(
        io.account(&COINBASE).balance,
        U256::from(29_213 * GAS_PRICE)
    );
    assert_eq!(output.logs.len(), 1);
    assert_eq!(output.logs[0].key, tx_hash);
    assert_eq!(output.logs[0].value, B256::ZERO);
}

#[test]
fn unpayable_pubdata_reverts_execution_but_is_paid() {
    let alice = Key::new(1);
    let writer = Address::repeat_byte(0x77);
    let mut state = state(&[alice.address], U256::from(ETHER));
    // PUSH1 1 PUSH1 1 SSTORE; PUSH1 1 PUSH1 2 SSTORE; STOP: two new slots.
    state.set_account(
        writer,
        1,
        U256::ZERO,
        Bytes::from_static(&hex!("6001600155600160025500")),
    );
    let mut io = io(&mut state);
    // Pubdata at 1,000,000 wei: native per pubdata = 100,000.
    let context = BlockContext {
        pubdata_price: U256::from(1_000_000u64),
        ..context()
    };
    let output = run_block(
        &mut io,
        &ChainConfig::zk_at(CHAIN_ID, ProtocolVersion::V1),
        &context,
        [encoded(alice.tx(0, Some(writer), U256::ZERO, &[], 200_000)).decode()],
        &mut NoopTracer,
    );
    let r = receipt(&output, 0);
    assert!(!r.success);
    // Budget 200,000 × 100 = 20,000,000: intrinsic pubdata 134 × 100,000 = 13,400,000,
    // intrinsic 920,360; execution: decommit 500 + 6 × 11, opcodes 4 × 70 + 2 × 120 + 20, two
    // SSTOREs on absent slots 2 × 610,600 = 1,222,306. Left: 4,457,334 < the 68 bytes of the
    // two slots (2 × (32 + 2)) × 100,000 = 6,800,000, so execution is rolled back.
    assert_eq!(r.pubdata_used, 134);
    assert_eq!(r.native_used, 13_400_000 + 920_360 + 1_222_306);
    assert_eq!(r.computational_native_used, 920_360 + 1_222_306);
    // EVM gas 21,000 + 4 × 3 + 2 × 22,100 = 65,212; native / 100 = 155,426 is more.
    assert_eq!(r.gas_used, 155_426);
    assert_eq!(
        io.sload(&writer, &U256::from(1u64)).map(|s| s.value),
        Ok(U256::ZERO)
    );
    assert_eq!(
        io.account(&COINBASE).balance,
        U256::from(155_426 * GAS_PRICE)
    );
}

#[test]
fn l1_transaction_short_of_native_fails_but_is_included() {
    let from = Address::repeat_byte(0xd0);
    let refund_recipient = Address::repeat_byte(0xd1);
    let bob = Address::repeat_byte(0xb0);
    let mut state = state(&[], U256::ZERO);
    let mut io = io(&mut state);
    let value = U256::from(ETHER);
    // 25,000 gas × 100 = 2,500,000 native cannot cover 35,100 + 2,875,420 intrinsic: the
    // transaction does not run, fails, and uses all its gas and native.
    let tx = deposit(from, refund_recipient, bob, value, 25_000);
    let output = run(
        &mut io,
        vec![encoded(Bytes::from(encode(&tx).expect("encodes")))],
    );
    let r = receipt(&output, 0);
    assert!(!r.success);
    assert_eq!(r.gas_used, 25_000);
    assert_eq!(r.native_used, 2_500_000);
    assert_eq!(r.pubdata_used, 351);
    assert_eq!(io.account(&bob).balance, U256::ZERO);
    assert_eq!(io.account(&refund_recipient).balance, value);
    assert_eq!(
        io.account(&COINBASE).balance,
        U256::from(25_000 * GAS_PRICE)
    );
    assert_eq!(output.logs[0].value, B256::ZERO);
}

/// Protocol version 2 prices an L1 deposit as the snapshot's `process_l1_transaction` does
/// (the oracle cannot run L1 transactions): native per gas ⌈gas price / 10⌉ = 100 whatever
/// the block's native price (1 here, which version 1 would turn into 1,000 per gas), native
/// per pubdata byte = the transaction's gas per pubdata (800) × 100 = 80,000, intrinsic
/// native 130,000 and intrinsic pubdata 88 (the priority log).
#[test]
fn l1_deposit_under_version_2_uses_its_own_native_price() {
    let version = crate::config::ProtocolVersion::V2;
    let from = Address::repeat_byte(0xd0);
    let bob = Address::repeat_byte(0xb0);
    let mut state = state(&[], U256::ZERO);
    let mut io = Io::new(&mut state, Rc::new(NativeCostTable::for_version(version)));
    let tx = deposit(
        from,
        Address::repeat_byte(0xd1),
        bob,
        U256::from(ETHER),
        300_000,
    );
    let block = BlockContext {
        native_price: U256::from(1u64),
        ..context()
    };
    let output = run_block(
        &mut io,
        &ChainConfig::zk_at(CHAIN_ID, version),
        &block,
        [BlockTransaction::Encoded(Bytes::from(
            encode(&tx).expect("encodes"),
        ))]
        .iter()
        .map(BlockTransaction::decode),
        &mut NoopTracer,
    );
    let r = receipt(&output, 0);
    assert!(r.success);
    // 88 intrinsic + Bob's new account: key 32, flags 1, balance add of 10^18 (8 bytes) 9.
    assert_eq!(r.pubdata_used, 88 + 42);
    assert_eq!(r.native_used - r.computational_native_used, 130 * 80_000);
    assert!(r.computational_native_used > 130_000);
    // The value transfer and Bob's first access cost far less than version 1's fixed figure.
    assert!(r.computational_native_used < 1_000_000);
    // deltaGas at 100 native per gas.
    assert_eq!(r.gas_used, (r.native_used / 100).max(21_000));
}
