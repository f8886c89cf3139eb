//! Links the wasm32 library with an imported linear memory: the JS package creates the memory
//! of each instance itself (one instance per engine), so it can give it a maximum.

fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-cdylib=--import-memory");
    }
}
