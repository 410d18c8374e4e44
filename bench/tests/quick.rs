//! The benchmark suite in its quick mode, as a smoke test, so the tool never rots: every
//! workload against every system, with small numbers. Timings are not checked (they are not
//! results, and this is not a timed test); that every workload completes, that Plenum loses
//! nothing, and that the vote storm's tally is exact, are.

use std::process::Command;

#[test]
fn the_quick_suite_runs_every_workload_and_plenum_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("BENCHMARKS.md");
    let status = Command::new(env!("CARGO_BIN_EXE_plenum-bench"))
        .args(["suite", "--quick", "--out"])
        .arg(&out)
        .arg("--plenum")
        .arg(env!("CARGO_BIN_EXE_plenum-bench-server"))
        .status()
        .expect("the suite runs");
    assert!(status.success(), "the quick suite failed: {status}");
    let report = std::fs::read_to_string(&out).unwrap();
    for w in [
        "W0", "W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "W9", "W10", "W11", "W12", "W13",
    ] {
        assert!(
            report.contains(&format!("## {w} ")),
            "{w} is missing:\n{report}"
        );
    }
    assert!(
        report.contains("- Updates missed by a receiver, all workloads: Plenum 0;"),
        "{report}"
    );
    assert!(
        report.contains("| yes |"),
        "W3's final tally is exact:\n{report}"
    );
}
