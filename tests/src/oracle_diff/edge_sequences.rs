//! Transaction sequences over one block: transient storage a transaction leaves for the next
//! (EIP-1153 clears it at each transaction's end), and a `CREATE2` child that self-destructs in
//! the transaction that created it (EIP-6780: the account goes, so a later transaction can
//! create it again) or in a later one (only its balance goes, so creating it again collides).

use super::asm::{assemble, op, Item};
use super::case::CaseTx;
use super::contracts;
use super::edge_contracts::create2_address;
use super::generate::{Builder, Draft};
use alloy_primitives::{Address, B256};

/// `CREATE2` the child ([`FACTORY_CREATE`]).
const FACTORY_CREATE: u64 = 1;
/// Call the child ([`FACTORY_CALL`]).
const FACTORY_CALL: u64 = 2;
/// Memory offset of the factory's answer.
const ANSWER_AT: u64 = 0x400;

/// Returns `TLOAD(0)` after `TSTORE(0, TLOAD(0) + 1)`, and `TLOAD(0)` once more after calling
/// itself with one byte of calldata (the inner frame only increments).
pub fn transient_counter() -> Vec<u8> {
    use Item::*;
    let bump = [
        Push(0),
        Op(op::TLOAD),
        Push(1),
        Op(op::ADD),
        Push(0),
        Op(op::TSTORE),
    ];
    let mut items = vec![Op(op::CALLDATASIZE), Label("inner"), Op(op::JUMPI)];
    items.extend([Push(0), Op(op::TLOAD), Push(0), Op(op::MSTORE)]);
    items.extend(bump.clone());
    items.extend([
        Push(0),
        Push(0),
        Push(1),
        Push(0),
        Push(0),
        Op(op::ADDRESS),
        Op(op::GAS),
        Op(op::CALL),
        Op(op::POP),
        Push(0),
        Op(op::TLOAD),
        Push(32),
        Op(op::MSTORE),
        Push(64),
        Push(0),
        Op(op::RETURN),
        Dest("inner"),
    ]);
    items.extend(bump);
    items.push(Op(op::STOP));
    assemble(&items)
}

/// `calldata = flags`: with [`FACTORY_CREATE`] creates `initcode` by `CREATE2` with `salt`,
/// endowing `value`; with [`FACTORY_CALL`] calls `child`; then returns `[created address, call
/// ok, EXTCODESIZE(child), BALANCE(child)]`.
pub fn factory(initcode: &[u8], salt: B256, value: u64, child: &Address) -> Vec<u8> {
    use Item::*;
    let mut items = Vec::new();
    for (i, chunk) in initcode.chunks(32).enumerate() {
        let mut word = [0u8; 32];
        word[..chunk.len()].copy_from_slice(chunk);
        items.extend([Word(word), Push(i as u64 * 32), Op(op::MSTORE)]);
    }
    let flag = |bit: u64, skip: &'static str| {
        [
            Push(0),
            Op(op::CALLDATALOAD),
            Push(bit),
            Op(op::AND),
            Op(op::ISZERO),
            Label(skip),
            Op(op::JUMPI),
        ]
    };
    items.extend(flag(FACTORY_CREATE, "no-create"));
    items.extend([
        Word(salt.0),
        Push(initcode.len() as u64),
        Push(0),
        Push(value),
        Op(op::CREATE2),
        Push(ANSWER_AT),
        Op(op::MSTORE),
        Dest("no-create"),
    ]);
    items.extend(flag(FACTORY_CALL, "no-call"));
    items.extend([
        Push(0),
        Push(0),
        Push(0),
        Push(0),
        Push(0),
        Word(child.into_word().0),
        Op(op::GAS),
        Op(op::CALL),
        Push(ANSWER_AT + 32),
        Op(op::MSTORE),
        Dest("no-call"),
    ]);
    for (slot, read) in [(2, op::EXTCODESIZE), (3, op::BALANCE)] {
        items.extend([
            Word(child.into_word().0),
            Op(read),
            Push(ANSWER_AT + slot * 32),
            Op(op::MSTORE),
        ]);
    }
    items.extend([Push(128), Push(ANSWER_AT), Op(op::RETURN)]);
    assemble(&items)
}

impl Builder<'_> {
    /// The transactions of the sequence edge scenario.
    pub(super) fn sequence_edge(&mut self) -> Vec<CaseTx> {
        if self.rng.chance(35) {
            let counter = self.install(transient_counter(), 0);
            let count = self.rng.range(2, 3);
            return (0..count)
                .map(|_| {
                    let sender = self.rng.below(4) as usize;
                    let d = Draft::call("sequence:transient-next-tx", counter, Vec::new())
                        .costs(60_000, 10_000_000, 150);
                    self.finish(d, sender)
                })
                .collect();
        }
        let beneficiary = if self.rng.chance(50) {
            self.fresh_address()
        } else {
            Address::ZERO
        };
        let mut runtime = vec![op::PUSH20];
        runtime.extend_from_slice(beneficiary.as_slice());
        runtime.push(op::SELFDESTRUCT);
        let initcode = contracts::deployer(&runtime);
        let salt = B256::from(self.rng.word());
        let value = self.rng.pick(&[0, 0, 1_000]);
        let factory_at = self.fresh_address();
        let child = create2_address(&factory_at, &salt, &initcode);
        let code = factory(&initcode, salt, value, &child);
        self.install_at(factory_at, code, 10_000);
        let (name, steps): (&str, &[u64]) = if self.rng.chance(50) {
            (
                "destroyed-at-birth",
                &[FACTORY_CREATE | FACTORY_CALL, FACTORY_CREATE, FACTORY_CALL],
            )
        } else {
            (
                "destroyed-later",
                &[FACTORY_CREATE, FACTORY_CALL, FACTORY_CREATE | FACTORY_CALL],
            )
        };
        steps
            .iter()
            .map(|flags| {
                let sender = self.rng.below(4) as usize;
                let d = Draft::call(
                    &format!("sequence:selfdestruct-{name}-{flags}"),
                    factory_at,
                    contracts::words(&[*flags]),
                )
                .costs(150_000, 40_000_000, 500);
                self.finish(d, sender)
            })
            .collect()
    }
}
