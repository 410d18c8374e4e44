//! The browser entry point: wasm-bindgen runs `main` when the module is instantiated.

fn main() {
    plenum_client::start();
}
