//! W13: scheduling one-to-one meetings ("Schedule all": the scheduler in-process, as the server
//! runs it), beside an exact solver (OR-Tools CP-SAT, `bench/exact/meetings.py`) on the same
//! instances.
//!
//! Instances are generated (`scheduler::generate`): people free for 70–85% of the slots (the
//! rest are their starred sessions), 70% onsite, 10% meeting in one half of the day only,
//! requested meetings between random pairs. Reported: the time to schedule (median and spread),
//! the meetings placed against the scheduler's proven bound and the solver's optimum, the
//! smallest share of a person's meetings placed, and the idle gaps.

use anyhow::Context as _;
use plenum_server::interactions::meetings::scheduler::{self, Instance, Options, Schedule};
use std::{fmt::Write as _, io::Write as _, process::Command, time::Instant};

/// The exact solver's answer (see bench/exact/README.md).
#[derive(Debug, serde::Deserialize)]
struct Exact {
    placed: u32,
    placed_status: String,
    min_share_permille: Option<u32>,
    gaps: Option<u32>,
    gaps_status: Option<String>,
    gaps_bound: Option<u32>,
    seconds: f64,
}

/// The solver's python, installed on first use (`bench/exact/setup.sh`).
fn python() -> anyhow::Result<String> {
    let setup = concat!(env!("CARGO_MANIFEST_DIR"), "/exact/setup.sh");
    let out = Command::new("bash")
        .arg(setup)
        .output()
        .context("running bench/exact/setup.sh")?;
    anyhow::ensure!(
        out.status.success(),
        "bench/exact/setup.sh failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)?
        .lines()
        .last()
        .map(str::to_owned)
        .context("bench/exact/setup.sh named no python")
}

fn exact(python: &str, instance: &Instance, args: &[&str]) -> anyhow::Result<Exact> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/exact/meetings.py");
    let mut child = Command::new(python)
        .arg(script)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .context("starting the exact solver")?;
    child
        .stdin
        .take()
        .context("the solver's stdin")?
        .write_all(&serde_json::to_vec(instance)?)?;
    let out = child.wait_with_output()?;
    anyhow::ensure!(out.status.success(), "the exact solver failed");
    Ok(serde_json::from_slice(&out.stdout)?)
}

/// 5500 as "5,500".
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// One instance to generate, and whether the exact solver runs on it too.
struct Size {
    name: &'static str,
    people: usize,
    meetings: usize,
    per_block: u32,
    blocks: u32,
    tables: u32,
    seed: u64,
    solve: bool,
}

/// Schedules `instance` `runs` times: the (identical) schedule and each run's milliseconds,
/// sorted.
fn timed(instance: &Instance, runs: usize) -> (Schedule, Vec<f64>) {
    let mut ms = Vec::new();
    let mut first = None;
    for _ in 0..runs {
        let started = Instant::now();
        let s = scheduler::schedule(instance, &Options::default());
        ms.push(started.elapsed().as_secs_f64() * 1000.0);
        match &first {
            None => first = Some(s),
            Some(f) => assert_eq!(f, &s, "the same input gives the same schedule"),
        }
    }
    ms.sort_by(f64::total_cmp);
    (first.expect("at least one run"), ms)
}

/// Writes W13's section.
pub fn report(md: &mut String, quick: bool) -> anyhow::Result<()> {
    let runs = if quick { 1 } else { 3 };
    let python = python()?;
    writeln!(
        md,
        "## W13 scheduling one-to-one meetings (\"Schedule all\" in-process, default options: seed {}, {} steps a meeting; {runs} runs; the exact optimum by OR-Tools CP-SAT, one worker)\n",
        Options::default().seed,
        Options::default().iterations
    )?;
    writeln!(
        md,
        "| instance | people | meetings | slots | tables | time, median | runs | placed | bound | optimum | smallest share | gaps | optimal gaps |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    )?;
    let ecc = |seed, solve| Size {
        name: "ECC 2022",
        people: 200,
        meetings: 550,
        per_block: 9,
        blocks: 2,
        tables: 36,
        seed,
        solve,
    };
    let mut sizes = vec![ecc(1, !quick)];
    if !quick {
        sizes.push(ecc(2, false));
        sizes.push(ecc(3, false));
    }
    sizes.push(Size {
        name: "ten times",
        people: 2_000,
        meetings: 5_500,
        per_block: 18,
        blocks: 2,
        tables: 200,
        seed: 1,
        solve: false,
    });
    for size in sizes {
        let Size {
            name,
            people,
            meetings,
            per_block,
            blocks,
            tables,
            seed,
            solve,
        } = size;
        let instance = scheduler::generate(people, meetings, per_block, blocks, tables, seed);
        let (s, ms) = timed(&instance, runs);
        let all: Vec<String> = ms.iter().map(|m| format!("{m:.0} ms")).collect();
        // The exact solver on the full size: one worker, bounded by its deterministic time
        // (about 50 s here), so its answer does not depend on the machine's load.
        let solved = if solve {
            let args = ["--workers", "1", "--det-limit", "40", "--time-limit", "600"];
            Some(exact(&python, &instance, &args)?)
        } else {
            None
        };
        let optimum = solved
            .as_ref()
            .map(|e| format!("{} ({}, {:.0} s)", e.placed, e.placed_status, e.seconds))
            .unwrap_or_else(|| "–".into());
        let gaps = solved
            .as_ref()
            .and_then(|e| {
                Some(format!(
                    "{} ({}, bound {})",
                    e.gaps?,
                    e.gaps_status.clone()?,
                    e.gaps_bound?
                ))
            })
            .unwrap_or_else(|| "–".into());
        writeln!(
            md,
            "| {name} (seed {seed}) | {} | {} | {} | {tables} | {:.0} ms | {} | {} | {} | {optimum} | {:.1}% | {} | {gaps} |",
            thousands(people),
            thousands(meetings),
            per_block * blocks,
            ms[ms.len() / 2],
            all.join(", "),
            s.stats.placed,
            s.stats.upper_bound,
            f64::from(s.stats.min_share_permille) / 10.0,
            s.stats.gaps,
        )?;
    }
    // Small instances, tight enough that not everything fits: against the exact optimum.
    let count = if quick { 5 } else { 30 };
    let (mut same_placed, mut same_share, mut gaps_ours, mut gaps_best, mut proven) =
        (0, 0, 0, 0, 0);
    let (mut asked, mut optimum) = (0usize, 0u32);
    let mut worst: Option<(u64, u32, u32)> = None;
    for seed in 0..count {
        let instance = scheduler::generate(12, 36, 4, 2, 1, 100 + seed);
        let s = scheduler::schedule(&instance, &Options::default());
        let e = exact(
            &python,
            &instance,
            &["--workers", "1", "--time-limit", "60"],
        )?;
        asked += instance.meetings.len();
        optimum += e.placed;
        if s.stats.placed == e.placed {
            same_placed += 1;
        } else if worst.is_none_or(|(_, o, b)| e.placed - s.stats.placed > b - o) {
            worst = Some((100 + seed, s.stats.placed, e.placed));
        }
        if Some(s.stats.min_share_permille) == e.min_share_permille {
            same_share += 1;
        }
        if let (Some(g), Some("OPTIMAL")) = (e.gaps, e.gaps_status.as_deref()) {
            proven += 1;
            gaps_ours += s.stats.gaps;
            gaps_best += g;
        }
    }
    writeln!(
        md,
        "\nOn {count} small instances (12 people, 36 meetings, 8 slots in two blocks of 4, 1 table: {optimum} of the {asked} meetings fit at best), the scheduler placed the optimum number of meetings in **{same_placed} of {count}**{}, reached the optimal smallest share in {same_share} of {count}, and where the solver proved the fewest gaps ({proven} instances) left {gaps_ours} gaps against their {gaps_best}.\n",
        match worst {
            Some((seed, ours, best)) => format!(" (the furthest: seed {seed}, {ours} of {best})"),
            None => String::new(),
        }
    )?;
    writeln!(
        md,
        "\"Bound\" is the scheduler's own proof that no schedule places more (people's meetings matched to their free slots); \"optimum\" the solver's, proven when OPTIMAL. Gaps are idle free slots between a person's meetings in a block, summed over people; the solver minimises them after the most meetings and the fairest share, so its gap count is the best possible for a schedule as good as ours on both. Goals: every placeable meeting placed in at most 1 s at ECC 2022's size, and in at most 10 s at ten times that.\n"
    )?;
    Ok(())
}
