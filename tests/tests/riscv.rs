//! The RISC-V proving build under the emulator: the guest ELF is built inside the test
//! (`target/riscv-build`), run on rrs-lib, and its results are checked against hand-derived
//! numbers and against the same core run natively.

use std::sync::OnceLock;
use zkos_tests::riscv::calibrate;
use zkos_tests::riscv::emulator::Emulator;
use zkos_tests::riscv::guest::{self, CalibrateCall, CalibrateError, CallStatus};

fn emulator() -> &'static Emulator {
    static EMULATOR: OnceLock<Emulator> = OnceLock::new();
    EMULATOR.get_or_init(|| match guest::emulator() {
        Ok(emulator) => emulator,
        Err(e) => panic!("{e}"),
    })
}

fn run_raw(input: &[u8]) -> zkos_tests::riscv::emulator::Run {
    emulator().run(input, guest::MAX_STEPS).unwrap()
}

#[test]
fn calibrate_add_and_return_matches_hand_count() {
    // PUSH1 2 PUSH1 3 ADD PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN (13 bytes): returns 5.
    let code = vec![
        0x60, 0x02, 0x60, 0x03, 0x01, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3,
    ];
    let call = CalibrateCall {
        gas_limit: 100_000,
        code,
        ..CalibrateCall::default()
    };
    let result = guest::calibrate(emulator(), &call).unwrap();
    assert_eq!(result.status, CallStatus::Success);
    let mut five = [0u8; 32];
    five[31] = 5;
    assert_eq!(result.return_data, five);
    // Gas: 5 × PUSH1 (3) + ADD (3) + MSTORE (3 + 3 for the first memory word) + RETURN (0) = 24.
    assert_eq!(result.ergs_used, 24 * 256);
    // Native (spec §3 [new], each opcode + step 20): decommit 500 + 6 × 13 bytes = 578;
    // 5 × PUSH1 70 = 350; ADD 60; MSTORE 270 + expansion 35 + 32 bytes = 337; RETURN 90.
    assert_eq!(result.native_used, 578 + 350 + 60 + 337 + 90);
    assert!(result.instructions > 1_000, "{}", result.instructions);
}

#[test]
fn revert_and_storage_preset_reach_the_guest() {
    // PUSH1 1 SLOAD PUSH1 0 MSTORE PUSH1 32 PUSH1 0 REVERT: reverts with the value of slot 1.
    let code = vec![
        0x60, 0x01, 0x54, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xfd,
    ];
    let mut key = [0u8; 32];
    key[31] = 1;
    let value = [0xab; 32];
    let call = CalibrateCall {
        gas_limit: 100_000,
        code,
        calldata: vec![1, 2, 3],
        storage: vec![(key, value)],
    };
    let result = guest::calibrate(emulator(), &call).unwrap();
    assert_eq!(result.status, CallStatus::Revert);
    assert_eq!(result.return_data, value);
    // Gas: PUSH1 3 + SLOAD cold 2100 + PUSH1 3 + MSTORE 6 + 2 × PUSH1 6 = 2118.
    assert_eq!(result.ergs_used, 2_118 * 256);
}

/// Every calibration program gives the same status, ergs, native and return data in the guest
/// as on the host: one core, two targets.
#[test]
fn guest_and_host_agree_on_every_calibration_program() {
    for case in calibrate::cases() {
        for program in [&case.measured, &case.baseline] {
            let in_guest = guest::calibrate(emulator(), program).unwrap();
            let on_host = program.run_on_host();
            assert_eq!(in_guest.status, CallStatus::Success, "{}", case.name);
            assert_eq!(
                (
                    in_guest.status,
                    in_guest.ergs_used,
                    in_guest.native_used,
                    &in_guest.return_data
                ),
                (
                    on_host.status,
                    on_host.ergs_used,
                    on_host.native_used,
                    &on_host.return_data
                ),
                "{}",
                case.name
            );
        }
    }
}

/// The dead-code method isolates exactly one body: the native difference per repetition is the
/// table's price of the measured op (spec §3 [new], step 20 included).
#[test]
fn calibration_difference_isolates_the_op() {
    let cases = calibrate::cases();
    let rows = calibrate::measure_all(emulator(), &cases[..11]).unwrap();
    let native = |name: &str| {
        rows.iter()
            .find(|row| row.name == name)
            .map(|row| row.native)
            .unwrap()
    };
    assert_eq!(native("POP"), 50.0);
    assert_eq!(native("PUSH32"), 310.0);
    assert_eq!(native("SWAP16"), 80.0);
    assert_eq!(native("JUMPDEST"), 50.0);
    // ADD then POP, with POP's own figures subtracted.
    assert_eq!(native("ADD"), 60.0);
    for row in &rows {
        assert!(row.instructions > 0.0, "{}: {}", row.name, row.instructions);
    }
}

#[test]
fn malformed_input_exits_with_bad_input() {
    let full = CalibrateCall {
        gas_limit: 1,
        code: vec![0x00],
        ..CalibrateCall::default()
    }
    .encode();
    // Every strict prefix is truncated; one extra byte is trailing garbage.
    for cut in [0, 3, 4, 11, 12, full.len() - 1] {
        let run = run_raw(&full[..cut]);
        assert_eq!(run.exit_code, guest::EXIT_BAD_INPUT, "cut at {cut}");
        assert!(run.output.is_empty());
    }
    let mut long = full.clone();
    long.push(0);
    assert_eq!(run_raw(&long).exit_code, guest::EXIT_BAD_INPUT);
    assert_eq!(run_raw(&full).exit_code, guest::EXIT_OK);
}

#[test]
fn unknown_mode_exits_with_its_code() {
    let run = run_raw(&0xdead_beefu32.to_le_bytes());
    assert_eq!(run.exit_code, guest::EXIT_UNKNOWN_MODE);
}

#[test]
fn heap_exhaustion_panics_with_a_nonzero_exit() {
    // PUSH1 1 PUSH4 0x02000000 MSTORE: 32 MiB of EVM memory, more than the guest's 24 MiB heap.
    // Gas: 3 + 3 + 3 + 3 × 1,048,577 + 1,048,577² / 512 ≈ 2.15 × 10^9, within the limit.
    let call = CalibrateCall {
        gas_limit: 10_000_000_000,
        code: vec![0x60, 0x01, 0x63, 0x02, 0x00, 0x00, 0x00, 0x52],
        ..CalibrateCall::default()
    };
    match guest::calibrate(emulator(), &call) {
        Err(CalibrateError::Exit(code, message)) => {
            assert_eq!(code, guest::EXIT_PANIC);
            assert!(message.starts_with("panic: "), "{message}");
        }
        other => panic!("expected a panic exit, got {other:?}"),
    }
    // The host, with enough memory, runs it to completion.
    assert_eq!(call.run_on_host().status, CallStatus::Success);
}

mod prove {
    //! PROVE mode: blocks run forward on the host, their oracle streams replayed in the guest.

    use super::*;
    use zkos_tests::riscv::blocks::{self, RecordedBlock};

    fn chain() -> &'static [RecordedBlock] {
        static CHAIN: OnceLock<Vec<RecordedBlock>> = OnceLock::new();
        CHAIN.get_or_init(|| blocks::chain().unwrap())
    }

    fn prove_in_guest(words: &[u32]) -> zkos_tests::riscv::emulator::Run {
        run_raw(&guest::prove_input(&blocks::config(), words))
    }

    fn receipt(recorded: &RecordedBlock, index: usize) -> &zkos_core::bootloader::TxReceipt {
        match &recorded.block.output.results[index].outcome {
            Ok(receipt) => receipt,
            Err(invalid) => panic!("{} tx {index} invalid: {invalid:?}", recorded.name),
        }
    }

    /// The forward blocks do what their names say.
    #[test]
    fn the_chain_holds_what_it_claims() {
        let chain = chain();
        let block = |name: &str| chain.iter().find(|b| b.name == name).unwrap();
        for recorded in chain {
            for index in 0..recorded.txs.len() {
                receipt(recorded, index);
            }
        }
        assert!(receipt(block("ETH transfer"), 0).success);
        assert!(receipt(block("ERC-20 deployment"), 0).created.is_some());
        let transfers = block("ERC-20 transfers");
        assert!(receipt(transfers, 0).success && receipt(transfers, 1).success);
        assert_eq!(receipt(transfers, 0).logs.len(), 1);
        assert!(!receipt(block("reverting call"), 0).success);
        assert_eq!(block("L1→L2 deposit").block.output.l1_tx_count, 1);
        let messages = &block("L2→L1 message").block.output.messages;
        assert_eq!(messages.len(), 1);
        assert_eq!(messages[0].data.as_ref(), blocks::MESSAGE);
        let mix = block("mix");
        assert_eq!(mix.block.output.l1_tx_count, 1);
        assert_eq!(mix.block.output.messages.len(), 1);
        let successes: Vec<bool> = (0..6).map(|i| receipt(mix, i).success).collect();
        assert_eq!(successes, [true, true, true, true, false, true]);
    }

    #[test]
    fn every_block_proves_to_the_forward_public_inputs() {
        let chain = chain();
        assert!(chain.len() >= 6);
        for recorded in chain {
            let run = prove_in_guest(&recorded.words);
            assert_eq!(
                run.exit_code,
                guest::EXIT_OK,
                "{}: {:?}",
                recorded.name,
                String::from_utf8_lossy(&run.output)
            );
            assert_eq!(
                run.output,
                guest::public_inputs(&recorded.block),
                "{}",
                recorded.name
            );
            // Every block hashes tree nodes with Blake2s (ten round delegations per compression)
            // and transactions or commitments with keccak, all on the delegations.
            assert!(run.blake_delegations > 0, "{}", recorded.name);
            assert_eq!(run.blake_delegations % 10, 0, "{}", recorded.name);
            assert!(run.keccak_delegations > 0, "{}", recorded.name);
            println!(
                "{}: {} txs, {} instructions, {} Blake2s rounds, {} Keccak-f",
                recorded.name,
                recorded.txs.len(),
                run.instructions,
                run.blake_delegations,
                run.keccak_delegations
            );
        }
    }
}

mod tamper {
    //! A tampered oracle stream never yields a public input: the guest exits non-zero.

    use super::*;
    use zkos_core::driver::prove_block;
    use zkos_core::oracle::Replay;
    use zkos_tests::riscv::blocks;
    use zkos_tests::riscv::emulator::HashLie;

    /// `(tag, first payload word, payload length)` of every record of a word stream
    /// (`zkos_core::oracle` words format: 3 header words, then `tag ‖ length ‖ payload`).
    fn records(words: &[u32]) -> Vec<(u32, usize, usize)> {
        let mut out = Vec::new();
        let mut at = 3;
        while at + 1 < words.len() {
            let (tag, len) = (words[at], words[at + 1] as usize);
            out.push((tag, at + 2, len));
            at += 2 + len;
        }
        out
    }

    #[test]
    fn tampered_values_proofs_and_transactions_exit_nonzero() {
        let chain = blocks::chain().unwrap();
        let recorded = chain
            .iter()
            .find(|block| block.name == "ERC-20 transfers")
            .unwrap();
        let words = &recorded.words;
        let records = records(words);
        let first = |tag: u32, present_only: bool| {
            records
                .iter()
                .find(|(t, start, _)| *t == tag && (!present_only || words[start + 8] == 1))
                .map(|(_, start, len)| (*start, *len))
                .unwrap()
        };
        // Storage read (tag 4) of a slot that exists: key 8 words, flag, then the value.
        let (read, _) = first(4, true);
        // Account record preimage (tag 5): hash 8 words, byte length, bytes.
        let (account, account_len) = first(5, false);
        // Batch proof (tag 7): byte length, then the proof bytes.
        let (proof, proof_len) = first(7, false);
        // Transaction (tag 2): byte length, then the transaction bytes.
        let (tx, tx_len) = first(2, false);
        let positions = [
            ("storage value", read + 9),
            ("account record byte", account + 9 + (account_len - 9) / 2),
            ("proof node", proof + 1 + proof_len / 2),
            ("transaction byte", tx + 1 + (tx_len - 1) / 2),
        ];
        let expected = guest::public_inputs(&recorded.block);
        for (what, position) in positions {
            let mut tampered = words.clone();
            tampered[position] ^= 0x0000_0100;
            let host = Replay::new(&tampered)
                .map_err(zkos_core::oracle::ProvingError::Oracle)
                .and_then(|oracle| prove_block(&blocks::config(), oracle));
            assert!(host.is_err(), "{what}: the host proved it");
            let run = run_raw(&guest::prove_input(&blocks::config(), &tampered));
            assert_eq!(run.exit_code, guest::EXIT_PROVING_FAILED, "{what}");
            assert_ne!(run.output, expected, "{what}");
            assert!(run.output.is_empty(), "{what}: {:?}", run.output);
        }
        // The fee inputs of the block input record (native price, pubdata price, pubdata
        // limit, blob base fee; their last bytes at 107, 139, 147 and 211 of its byte string,
        // see `zkos_core::oracle` words format): a flipped bit proves to another public input
        // or to none, on the host and in the guest.
        let (input, _) = first(1, false);
        for (field, byte) in [
            ("native price", 107),
            ("pubdata price", 139),
            ("pubdata limit", 147),
            ("blob base fee", 211),
        ] {
            let mut tampered = words.clone();
            tampered[input + 1 + byte / 4] ^= 1 << (8 * (byte % 4));
            let host = Replay::new(&tampered)
                .map_err(zkos_core::oracle::ProvingError::Oracle)
                .and_then(|oracle| prove_block(&blocks::config(), oracle));
            if let Ok(proven) = host {
                assert_ne!(guest::public_inputs(&proven), expected, "{field}: host");
            }
            let run = run_raw(&guest::prove_input(&blocks::config(), &tampered));
            assert_ne!(run.output, expected, "{field}: guest");
        }
        // A malformed configuration byte is refused before anything runs.
        let mut input = guest::prove_input(&blocks::config(), words);
        input[4 + 8] = 9; // flow
        assert_eq!(run_raw(&input).exit_code, guest::EXIT_PROVING_FAILED);
        // A stream cut short is malformed input.
        let full = guest::prove_input(&blocks::config(), words);
        assert_eq!(
            run_raw(&full[..full.len() - 4]).exit_code,
            guest::EXIT_BAD_INPUT
        );
    }

    /// The hash delegations are pure functions the prover computes (here the emulator): a host
    /// that answers one falsely changes what the guest computes, and the proof does not come
    /// out. A false Blake2s compression breaks the Merkle check of the state reads; a false
    /// Keccak-f changes the transaction's signed hash (so the recovered sender) and every
    /// keccak after it. Either way the guest exits 3 with no public input.
    #[test]
    fn a_host_that_lies_about_a_hash_is_caught() {
        let chain = blocks::chain().unwrap();
        let recorded = chain
            .iter()
            .find(|block| block.name == "ETH transfer")
            .unwrap();
        let input = guest::prove_input(&blocks::config(), &recorded.words);
        let expected = guest::public_inputs(&recorded.block);
        let honest = run_raw(&input);
        assert_eq!(
            (honest.exit_code, &honest.output),
            (guest::EXIT_OK, &expected)
        );
        for lie in [HashLie::Blake2s, HashLie::Keccak] {
            let liar = guest::emulator().unwrap().with_hash_lie(lie);
            let run = liar.run(&input, guest::MAX_STEPS).unwrap();
            assert_eq!(run.exit_code, guest::EXIT_PROVING_FAILED, "{lie:?}");
            assert!(run.output.is_empty(), "{lie:?}: {:?}", run.output);
        }
    }
}

mod tamper_proof {
    //! Every part of the folded batch proof is bound: a flipped bit in any proven leaf's index,
    //! key, value or next, or in any hash, fails on the host, and a sample of them in the guest.

    use super::*;
    use zkos_core::driver::prove_block;
    use zkos_core::oracle::Replay;
    use zkos_core::state::proof::{BatchProof, PROVEN_LEAF_LEN_BYTES};
    use zkos_tests::riscv::blocks;

    /// Batch proof record (tag 7) of a stream: the word of its byte length, and the proof.
    fn proof_record(words: &[u32]) -> (usize, BatchProof) {
        let mut at = 3;
        while words[at] != 7 {
            at += 2 + words[at + 1] as usize;
        }
        let start = at + 2;
        let len = words[start] as usize;
        let bytes: Vec<u8> = words[start + 1..]
            .iter()
            .flat_map(|word| word.to_le_bytes())
            .take(len)
            .collect();
        (start, BatchProof::from_bytes(&bytes).unwrap())
    }

    /// `(what, byte offset in the proof)` of one bit to flip in every leaf field and hash.
    fn targets(proof: &BatchProof) -> Vec<(String, usize)> {
        let mut out = Vec::new();
        for (i, (index, _)) in proof.leaves.iter().enumerate() {
            let leaf = 4 + PROVEN_LEAF_LEN_BYTES * i;
            for (field, offset) in [
                ("index", 0),
                ("key", 8 + 31),
                ("value", 40 + 31),
                ("next", 72),
            ] {
                out.push((format!("leaf {index} {field}"), leaf + offset));
            }
        }
        let hashes = 8 + PROVEN_LEAF_LEN_BYTES * proof.leaves.len();
        for j in 0..proof.hashes.len() {
            out.push((format!("hash {j}"), hashes + 32 * j + 7));
        }
        out
    }

    fn flipped(words: &[u32], start: usize, byte: usize) -> Vec<u32> {
        let mut tampered = words.to_vec();
        tampered[start + 1 + byte / 4] ^= 1 << (8 * (byte % 4));
        tampered
    }

    #[test]
    fn every_leaf_field_and_hash_of_the_proof_is_bound() {
        let chain = blocks::chain().unwrap();
        for name in ["ERC-20 transfers", "mix"] {
            let recorded = chain.iter().find(|block| block.name == name).unwrap();
            let (start, proof) = proof_record(&recorded.words);
            assert!(proof.leaves.len() > 4 && proof.hashes.len() > 60, "{name}");
            let targets = targets(&proof);
            for (what, byte) in &targets {
                let tampered = flipped(&recorded.words, start, *byte);
                let host = Replay::new(&tampered)
                    .map_err(zkos_core::oracle::ProvingError::Oracle)
                    .and_then(|oracle| prove_block(&blocks::config(), oracle));
                assert!(host.is_err(), "{name}: {what}: the host proved it");
            }
            if name != "mix" {
                continue;
            }
            // In the guest: the first and last leaf's fields and the first, a middle and the
            // last hash.
            let leaf_fields = 4 * proof.leaves.len();
            let sample = [0, 1, 2, 3, leaf_fields - 2, leaf_fields - 1, leaf_fields]
                .into_iter()
                .chain([leaf_fields + proof.hashes.len() / 2, targets.len() - 1]);
            for at in sample {
                let (what, byte) = &targets[at];
                let tampered = flipped(&recorded.words, start, *byte);
                let run = run_raw(&guest::prove_input(&blocks::config(), &tampered));
                assert_eq!(run.exit_code, guest::EXIT_PROVING_FAILED, "{name}: {what}");
                assert!(run.output.is_empty(), "{name}: {what}");
            }
        }
    }
}

mod delegation {
    //! The bigint delegation and division advice: edge values of every delegated opcode give
    //! the host's (plain `ruint`) results in the guest, and advice that lies stops the run.

    use super::*;
    use zkos_core::bytecode::opcode as op;
    use zkos_core::primitives::U256;
    use zkos_tests::riscv::emulator::Advice;

    fn word(x: U256) -> [u8; 32] {
        x.to_be_bytes::<32>()
    }

    fn neg(x: u64) -> U256 {
        U256::from(x).wrapping_neg()
    }

    /// Operands with edges for every op: 0, 1, small, −1 (MAX), −2²⁵⁵ (MIN), MIN − 1,
    /// one-limb and carry-across-limbs patterns, and unstructured 256- and 128-bit words.
    fn values() -> Vec<U256> {
        let min = U256::from(1) << 255;
        vec![
            U256::ZERO,
            U256::from(1),
            U256::from(3),
            U256::from(7),
            neg(1),
            neg(7),
            min,
            min - U256::from(1),
            U256::from(u64::MAX),
            (U256::from(1) << 192) - U256::from(1),
            U256::from_be_bytes([0x8f; 32]) ^ (U256::from(0x1234_5678u64) << 100),
            U256::from(0xc2f5_e8d1_b4a7_c0f3u64) << 64 | U256::from(0xe6d9_b2a5u64),
        ]
    }

    /// Code that applies `opcode` to every operand tuple (first operand on top) and returns all
    /// results, one word each.
    fn program(opcode: u8, tuples: &[Vec<U256>]) -> CalibrateCall {
        let mut code = Vec::new();
        for (i, tuple) in tuples.iter().enumerate() {
            for operand in tuple.iter().rev() {
                code.push(op::PUSH32);
                code.extend_from_slice(&word(*operand));
            }
            code.push(opcode);
            code.push(op::PUSH4);
            code.extend_from_slice(&((i * 32) as u32).to_be_bytes());
            code.push(op::MSTORE);
        }
        code.push(op::PUSH4);
        code.extend_from_slice(&((tuples.len() * 32) as u32).to_be_bytes());
        code.extend_from_slice(&[op::PUSH0, op::RETURN]);
        CalibrateCall {
            gas_limit: 100_000_000,
            code,
            ..CalibrateCall::default()
        }
    }

    fn pairs() -> Vec<Vec<U256>> {
        let values = values();
        let mut out = Vec::new();
        for &a in &values {
            for &b in &values {
                out.push(vec![a, b]);
            }
        }
        out
    }

    fn triples() -> Vec<Vec<U256>> {
        let moduli = [
            U256::ZERO,
            U256::from(1),
            U256::from(7),
            neg(1),
            (U256::from(1) << 255) - U256::from(19),
        ];
        let values = values();
        let mut out = Vec::new();
        for &n in &moduli {
            for &a in &values {
                for &b in &values {
                    out.push(vec![a, b, n]);
                }
            }
        }
        out
    }

    fn results(call: &CalibrateCall, emulator: &Emulator) -> (Vec<u8>, u64) {
        let run = guest::calibrate(emulator, call).unwrap();
        assert_eq!(run.status, CallStatus::Success);
        (run.return_data, run.bigint_delegations)
    }

    /// The result word `index` of a program's return data.
    fn at(data: &[u8], index: usize) -> U256 {
        U256::from_be_slice(&data[index * 32..index * 32 + 32])
    }

    #[test]
    fn every_delegated_op_matches_the_host_on_edge_values() {
        let binary = [
            ("ADD", op::ADD),
            ("SUB", op::SUB),
            ("MUL", op::MUL),
            ("DIV", op::DIV),
            ("SDIV", op::SDIV),
            ("MOD", op::MOD),
            ("SMOD", op::SMOD),
            ("EXP", op::EXP),
            ("LT", op::LT),
            ("GT", op::GT),
            ("SLT", op::SLT),
            ("SGT", op::SGT),
            ("EQ", op::EQ),
        ];
        let pairs = pairs();
        let triples = triples();
        let programs = binary
            .iter()
            .map(|&(name, opcode)| (name, program(opcode, &pairs)))
            .chain([
                ("ADDMOD", program(op::ADDMOD, &triples)),
                ("MULMOD", program(op::MULMOD, &triples)),
            ]);
        for (name, call) in programs {
            let (in_guest, delegations) = results(&call, emulator());
            assert_eq!(in_guest, call.run_on_host().return_data, "{name}");
            // The guest really went through the coprocessor (SLT and SGT skip it when the signs
            // differ, in 2 · 4 · 8 of the 144 pairs).
            assert!(delegations >= 80, "{name}: {delegations}");
        }
    }

    /// Hand-checked EVM edge cases, so the agreement above is not with a shared mistake.
    #[test]
    fn edge_cases_have_their_evm_values() {
        let min = U256::from(1) << 255;
        let seven = U256::from(7);
        let one = U256::from(1);
        let cases: [(u8, Vec<U256>, U256); 19] = [
            (op::DIV, vec![seven, U256::ZERO], U256::ZERO),
            (op::MOD, vec![seven, U256::ZERO], U256::ZERO),
            (op::SDIV, vec![min, neg(1)], min),
            (op::SDIV, vec![neg(7), U256::from(2)], neg(3)),
            (op::SMOD, vec![neg(7), U256::from(2)], neg(1)),
            (op::SMOD, vec![seven, neg(2)], U256::from(1)),
            (
                op::ADDMOD,
                vec![neg(1), U256::from(3), seven],
                U256::from(4),
            ),
            (op::ADDMOD, vec![seven, seven, U256::ZERO], U256::ZERO),
            (op::ADDMOD, vec![neg(1), neg(1), U256::from(1)], U256::ZERO),
            // (2^256 − 1)² mod (2^256 − 1) = 0; 10 · 10 mod 7 = 2.
            (op::MULMOD, vec![neg(1), neg(1), neg(1)], U256::ZERO),
            (
                op::MULMOD,
                vec![U256::from(10), U256::from(10), seven],
                U256::from(2),
            ),
            // 3^5 = 243.
            (op::EXP, vec![U256::from(3), U256::from(5)], U256::from(243)),
            // Signed order: MIN < 0 < MAX_POSITIVE and −1 > MIN; unsigned it is the reverse.
            (op::SLT, vec![min, U256::ZERO], one),
            (op::SGT, vec![neg(1), min], one),
            (op::SLT, vec![min - one, min], U256::ZERO),
            (op::LT, vec![min - one, min], one),
            (op::GT, vec![neg(1), min], one),
            (op::EQ, vec![neg(1), U256::MAX], one),
            (op::EQ, vec![min, U256::ZERO], U256::ZERO),
        ];
        // 2^256 ≡ 2 (mod 7), so (2^256 − 1) + 3 ≡ 4: the ADDMOD row above.
        for (opcode, operands, expected) in cases {
            let (data, _) = results(
                &program(opcode, std::slice::from_ref(&operands)),
                emulator(),
            );
            assert_eq!(at(&data, 0), expected, "{opcode:#x} {operands:?}");
        }
    }

    /// Every path that takes advice: the host lies so that q·d + r ≡ n (mod 2²⁵⁶) still
    /// holds (or even holds exactly with r ≥ d), and the guest panics instead of returning a
    /// different result.
    #[test]
    fn lying_division_advice_stops_the_guest() {
        let big = U256::from_be_bytes([0x8f; 32]);
        let divisor = U256::from(0xc2f5_e8d1_b4a7_c0f3u64) << 64;
        let modulus = (U256::from(1) << 255) - U256::from(19);
        let programs = [
            program(op::DIV, &[vec![big, divisor]]),
            program(op::MOD, &[vec![big, divisor]]),
            program(op::SDIV, &[vec![big, neg(3)]]),
            program(op::SMOD, &[vec![big, divisor]]),
            // a ≥ n: the wide reduction.
            program(op::ADDMOD, &[vec![neg(1), neg(2), modulus]]),
            // Operands below n: only the 512-bit reduction takes advice.
            program(op::MULMOD, &[vec![big >> 1, big >> 2, modulus]]),
        ];
        for lie in [Advice::QuotientPlusOne, Advice::QuotientMinusOne] {
            let liar = guest::emulator().unwrap().with_advice(lie);
            for call in &programs {
                let host = call.run_on_host();
                match guest::calibrate(&liar, call) {
                    Err(CalibrateError::Exit(code, message)) => {
                        assert_eq!(code, guest::EXIT_PANIC, "{lie:?}");
                        assert!(message.contains("advice"), "{message}");
                    }
                    other => panic!("{lie:?}: expected a panic exit, got {other:?}"),
                }
                let (honest, _) = results(call, emulator());
                assert_eq!(honest, host.return_data);
            }
        }
    }
}

/// The guest's own `memcpy`, `memmove` and `memset` (riscv-build/src/mem.rs) move bytes exactly
/// as the host's do: copies at every alignment of source and destination, lengths around the
/// word and block sizes, and `MCOPY`s that overlap in both directions, then the whole memory is
/// returned and compared.
#[test]
fn guest_copies_match_the_host_at_every_alignment() {
    fn push(value: usize) -> [u8; 3] {
        let [hi, lo] = (value as u16).to_be_bytes();
        [0x61, hi, lo]
    }
    fn copy(code: &mut Vec<u8>, opcode: u8, dest: usize, src: usize, len: usize) {
        code.extend(push(len));
        code.extend(push(src));
        code.extend(push(dest));
        code.push(opcode);
    }
    const CALLDATACOPY: u8 = 0x37;
    const CODECOPY: u8 = 0x39;
    const MCOPY: u8 = 0x5e;
    const MEMORY: usize = 1024;
    let mut code = Vec::new();
    copy(&mut code, CALLDATACOPY, 0, 0, 256);
    let lens = [1, 3, 4, 15, 16, 17, 31, 32, 33, 40, 64, 65, 100];
    for (i, len) in lens.into_iter().enumerate() {
        for dest_offset in 0..4 {
            for src_offset in 0..4 {
                let dest = 300 + 8 * i + dest_offset;
                copy(&mut code, CALLDATACOPY, dest, src_offset + i, len);
                copy(&mut code, CODECOPY, dest + 200, src_offset + 3 * i, len);
                copy(&mut code, MCOPY, dest + 400, src_offset + 5 * i, len);
            }
        }
        for shift in [1, 2, 3, 4, 5, 8, 31, 32, 33] {
            copy(&mut code, MCOPY, 64 + shift, 64, len);
            copy(&mut code, MCOPY, 128, 128 + shift, len);
        }
    }
    code.extend(push(MEMORY));
    code.push(0x5f);
    code.push(0xf3);
    let call = CalibrateCall {
        gas_limit: 10_000_000,
        code,
        calldata: (0..=255u8)
            .map(|b| b.wrapping_mul(37).wrapping_add(11))
            .collect(),
        ..CalibrateCall::default()
    };
    let in_guest = guest::calibrate(emulator(), &call).unwrap();
    let on_host = call.run_on_host();
    assert_eq!(in_guest.status, CallStatus::Success);
    assert_eq!(in_guest.return_data.len(), MEMORY);
    assert_eq!(in_guest.return_data, on_host.return_data);
    assert_eq!(
        (in_guest.ergs_used, in_guest.native_used),
        (on_host.ergs_used, on_host.native_used)
    );
}

mod secp256k1 {
    //! The guest recovers secp256k1 keys over the bigint delegation, the host with `k256`: the
    //! ecrecover precompile returns the same bytes in both on valid signatures, their other
    //! parity and high-s twins, out-of-range and zero scalars, `x` off the curve, a recovered
    //! point at infinity and additions that meet equal points.

    use super::*;
    use k256::ecdsa::SigningKey;
    use k256::elliptic_curve::ff::PrimeField;
    use k256::elliptic_curve::sec1::ToSec1Point;
    use k256::{ProjectivePoint, Scalar};
    use zkos_core::bytecode::opcode as op;
    use zkos_core::primitives::{keccak256, U256};

    /// secp256k1's group order `n` (SEC 2 v2, section 2.4.1).
    fn order() -> U256 {
        "0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"
            .parse()
            .unwrap()
    }

    /// secp256k1's field prime `p = 2²⁵⁶ − 2³² − 977`.
    fn prime() -> U256 {
        U256::MAX - U256::from((1u64 << 32) + 977 - 1)
    }

    /// An ecrecover input: `hash`, `v`, `r`, `s`.
    type Input = [U256; 4];

    fn v(odd: bool) -> U256 {
        U256::from(27 + u64::from(odd))
    }

    /// `(x, y odd)` of `k·G`.
    fn multiple(k: &Scalar) -> (U256, bool) {
        let point = (ProjectivePoint::GENERATOR * k)
            .to_affine()
            .to_sec1_point(false);
        let bytes = point.as_bytes();
        (U256::from_be_slice(&bytes[1..33]), bytes[64] & 1 == 1)
    }

    fn inputs() -> Vec<Input> {
        let (n, p) = (order(), prime());
        let mut inputs = Vec::new();
        for seed in 1u8..=4 {
            let key = SigningKey::from_slice(&[seed; 32]).unwrap();
            let hash = keccak256([seed].as_slice());
            let (signature, id) = key.sign_prehash_recoverable(hash.as_slice());
            let bytes = signature.to_bytes();
            let r = U256::from_be_slice(&bytes[..32]);
            let s = U256::from_be_slice(&bytes[32..]);
            let (z, odd) = (U256::from_be_bytes(hash.0), id.is_y_odd());
            inputs.extend([
                [z, v(odd), r, s],
                [z, v(!odd), r, s],
                [z, v(!odd), r, n - s],
                [z, U256::from(29), r, s],
            ]);
            if seed == 1 {
                // A hash of n + 5 is the scalar 5: both recover the same key.
                inputs.push([U256::from(5), v(odd), r, s]);
                inputs.push([n + U256::from(5), v(odd), r, s]);
            }
        }
        let z = U256::from(0x1234_5678u64);
        for (r, s) in [
            (U256::ZERO, U256::from(5)),
            (U256::from(5), U256::ZERO),
            (n, U256::from(5)),
            (U256::from(5), n),
            (n - U256::from(1), n - U256::from(1)),
            (p - n, U256::from(5)),
            (U256::MAX, U256::from(5)),
        ] {
            inputs.push([z, v(false), r, s]);
        }
        // Small x on and off the curve.
        for x in 1u64..=8 {
            inputs.push([z, v(x % 2 == 1), U256::from(x), U256::from(5)]);
        }
        // R = k·G with s = z·k⁻¹ recovers the point at infinity.
        let k = Scalar::from(0xdead_beefu64);
        let (r, odd) = multiple(&k);
        let s = Scalar::from(0x1234_5678u64) * k.invert().unwrap();
        inputs.push([z, v(odd), r, U256::from_be_slice(&s.to_repr())]);
        // R = ±G with s = n − z: equal digit strings meet equal or opposite points.
        let (g_x, g_odd) = multiple(&Scalar::ONE);
        inputs.push([z, v(g_odd), g_x, n - z]);
        inputs.push([z, v(!g_odd), g_x, n - z]);
        inputs
    }

    /// Calls ecrecover on every input and returns the 32-byte outputs side by side (zero where
    /// the precompile returned nothing).
    fn program(inputs: &[Input]) -> CalibrateCall {
        let output = |i: usize| (128 + 32 * i) as u32;
        let mut code = Vec::new();
        for (i, input) in inputs.iter().enumerate() {
            for (slot, word) in input.iter().enumerate() {
                code.push(op::PUSH32);
                code.extend_from_slice(&word.to_be_bytes::<32>());
                code.extend_from_slice(&[op::PUSH1, 32 * slot as u8, op::MSTORE]);
            }
            code.extend_from_slice(&[op::PUSH1, 32, op::PUSH4]);
            code.extend_from_slice(&output(i).to_be_bytes());
            code.extend_from_slice(&[op::PUSH1, 128, op::PUSH0, op::PUSH1, 1, op::GAS]);
            code.extend_from_slice(&[op::STATICCALL, op::POP]);
        }
        code.push(op::PUSH4);
        code.extend_from_slice(&(32 * inputs.len() as u32).to_be_bytes());
        code.push(op::PUSH1);
        code.push(128);
        code.push(op::RETURN);
        CalibrateCall {
            gas_limit: 100_000_000,
            code,
            ..CalibrateCall::default()
        }
    }

    #[test]
    fn ecrecover_matches_k256_on_valid_and_invalid_signatures() {
        let inputs = inputs();
        let call = program(&inputs);
        let run = guest::calibrate(emulator(), &call).unwrap();
        assert_eq!(run.status, CallStatus::Success);
        let host = call.run_on_host();
        assert_eq!(run.return_data, host.return_data);
        let recovered = run
            .return_data
            .chunks(32)
            .filter(|word| word.iter().any(|&b| b != 0))
            .count();
        // At least the 4 signatures, their high-s twins and other parities (another key), the
        // two hashes equal mod n and R = G; nothing from v = 29, the zero and out-of-range
        // scalars, the point at infinity and R = −G (−(s + z)·G = −n·G).
        assert!(
            recovered >= 15 && recovered <= inputs.len() - 11,
            "{recovered}"
        );
        let lines: Vec<&[u8]> = run.return_data.chunks(32).collect();
        // Inputs 4 and 5: the hashes 5 and n + 5.
        assert_eq!(lines[4], lines[5]);
        assert!(lines[4].iter().any(|&b| b != 0));
        assert!(run.bigint_delegations > 20_000 * recovered as u64);
    }
}
