//! `plenum`: see `plenum --help`.

fn main() -> std::process::ExitCode {
    plenum_server::cli::main()
}
