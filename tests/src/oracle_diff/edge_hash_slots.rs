//! Account hash slot sequences: upstream keeps each account's properties hash as slot
//! `address` of 0x8003 in its storage cache, so an access list naming such a slot reads the
//! account's record hash. A transaction lists the slot of an account (absent, existing, a
//! contract, the sender or the coinbase), valid or refused for its nonce after its list was
//! read, and may pay that account itself; then the next transactions reach that account (a
//! value transfer, a token call) and list its slot again.

use super::case::CaseTx;
use super::contracts;
use super::generate::{at, Builder, Draft};
use super::sign::AccessItem;
use alloy_primitives::{Address, U256};

/// The account-properties storage address.
fn properties_address() -> Address {
    Address::left_padding_from(&[0x80, 0x03])
}

impl Builder<'_> {
    /// The hash slot sequence of `sender`.
    pub(super) fn hash_slot_sequence(&mut self, sender: usize) -> Vec<CaseTx> {
        let (name, owner) = match self.rng.below(5) {
            0 => ("absent", self.fresh_address()),
            1 => ("holder", at::HOLDERS[2]),
            2 => ("token", at::TOKEN),
            3 => ("sender", self.senders[sender]),
            _ => ("coinbase", self.params.coinbase),
        };
        let list = |owner: Address| {
            vec![AccessItem {
                address: properties_address(),
                keys: vec![owner.into_word()],
            }]
        };
        let mut txs = Vec::new();
        let refused = self.rng.chance(30);
        // The listing transaction pays the account itself one time in two.
        let pays = owner != at::TOKEN && self.rng.chance(50);
        let mut first = Draft::call(
            &format!(
                "{}hash-slot:list-{name}{}",
                if refused { "invalid-nonce-high:" } else { "" },
                if pays { "+pays-it" } else { "" }
            ),
            if pays { owner } else { at::HOLDERS[1] },
            Vec::new(),
        )
        .costs(30_000, 3_000_000, 150);
        if pays {
            first.value = U256::from(self.rng.range(1, 1_000));
        }
        first.access_list = list(owner);
        if refused {
            self.nonces[sender] += 1;
        }
        txs.push(self.finish(first, sender));
        let other = (sender + 1) % super::generate::SENDERS as usize;
        let mut reach = if owner == at::TOKEN {
            let to = self.fresh_address();
            Draft::call(
                &format!("hash-slot:then-call-{name}"),
                at::TOKEN,
                contracts::transfer_call(&to, U256::from(1u64)),
            )
            .costs(60_000, 3_000_000, 250)
        } else {
            let mut d = Draft::call(&format!("hash-slot:then-pay-{name}"), owner, Vec::new())
                .costs(30_000, 3_000_000, 150);
            d.value = U256::from(self.rng.range(1, 1_000));
            d
        };
        if self.rng.chance(40) {
            reach.access_list = list(owner);
            reach.kind.push_str("+listed");
        }
        txs.push(self.finish(reach, other));
        if self.rng.chance(50) {
            let mut again = Draft::call(
                &format!("hash-slot:list-again-{name}"),
                at::HOLDERS[0],
                Vec::new(),
            )
            .costs(30_000, 3_000_000, 150);
            again.access_list = list(owner);
            txs.push(self.finish(again, sender));
        }
        txs
    }
}
