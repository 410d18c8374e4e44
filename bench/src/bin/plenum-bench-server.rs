//! `plenum`, built with the benchmark suite.
fn main() -> std::process::ExitCode {
    plenum_server::cli::main()
}
