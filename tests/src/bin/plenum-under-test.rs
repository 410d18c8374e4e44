//! The `plenum` entry point, built inside the tests package so tests can run it as a separate
//! process (and `kill -9` it) through `CARGO_BIN_EXE_plenum-under-test`.

fn main() -> std::process::ExitCode {
    plenum_server::cli::main()
}
