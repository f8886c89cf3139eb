//! `cargo run -p zkos-tests --bin playground-opcodes`: writes the playground's opcode list
//! (`playground/src/evm/opcodes.js`) from zkos-core's opcode table.

use zkos_tests::playground;

fn main() {
    let path = playground::opcodes_js_path();
    if let Err(e) = std::fs::write(&path, playground::opcodes_js()) {
        eprintln!("error: {}: {e}", path.display());
        std::process::exit(1);
    }
    println!("wrote {}", path.display());
}
