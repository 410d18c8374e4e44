//! `plenum`, built with the benchmark suite.

/// mimalloc, not the system's allocator: it gives memory back when it is freed. With glibc's,
/// what connections allocate while they are set up and then free stayed with the process,
/// about half of an idle connection's resident memory (bench/README.md, W0).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
fn main() -> std::process::ExitCode {
    plenum_server::cli::main()
}
