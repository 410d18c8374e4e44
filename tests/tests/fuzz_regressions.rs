//! Replays what the fuzzers kept (`fuzz/corpus/`) and every crash they found
//! (`fuzz/regressions/`, one file per crash, named for what it broke) through the same entry
//! points the fuzz targets run (`plenum_server::fuzzing`). A crash found once never comes back.

use std::path::PathBuf;

fn inputs(dir: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let root = plenum_tests::workspace_root().join("fuzz").join(dir);
    let mut out = Vec::new();
    for target in std::fs::read_dir(&root).unwrap_or_else(|e| panic!("{}: {e}", root.display())) {
        let target = target.unwrap().path();
        for file in std::fs::read_dir(&target).unwrap() {
            let file = file.unwrap().path();
            if file.file_name().is_some_and(|n| n == ".gitkeep") {
                continue;
            }
            let bytes = std::fs::read(&file).unwrap();
            out.push((file, bytes));
        }
    }
    out
}

fn run(path: &std::path::Path, data: &[u8]) {
    let target = path
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    match target {
        "ws_frame" => plenum_server::fuzzing::ws_frame(data),
        "agenda" => plenum_server::fuzzing::agenda(data),
        other => panic!("no fuzz target {other} ({})", path.display()),
    }
}

#[test]
fn every_crash_the_fuzzers_found_stays_fixed() {
    // No run has crashed yet: what is here are the inputs issue 12 found by hand, and the
    // classic ways to break a JSON reader (nesting past its limit, numbers past u64).
    let all = inputs("regressions");
    assert!(all.len() >= 9, "{} regression inputs", all.len());
    for (path, data) in all {
        run(&path, &data);
    }
}

#[test]
fn the_fuzzers_corpus_replays_cleanly() {
    let all = inputs("corpus");
    assert!(all.len() > 50, "the corpus is kept in the repository");
    for (path, data) in all {
        run(&path, &data);
    }
}
