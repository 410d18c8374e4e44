//! W11: seating a world café (no servers: the rules themselves, as the server runs them).
//!
//! An ECC-like café: people speaking Swedish, English or both, at tables of 12 with a host
//! (a quarter of them Swedish-speaking), at most one person of an organisation a table; three
//! rounds of rotation. Reported: the time to seat each round (median and spread over runs) and
//! the pairs who meet again, beside what balanced random seating gives in the same run.

use plenum_server::interactions::tables::seating::{
    self, Distinct, Guest, Placement, Rules, Table,
};
use std::{fmt::Write as _, time::Instant};

fn cafe(people: usize, tables: usize) -> (Vec<Table>, Vec<Guest>) {
    // Tables of 12, or as large as the people need (the largest a table set allows is 50).
    let capacity = (people.div_ceil(tables) as u32 + 2).max(12);
    let tables = (0..tables)
        .map(|t| Table {
            capacity,
            language: Some(if t % 4 == 0 { "sv" } else { "en" }.to_owned()),
            host: Some(Guest {
                id: format!("host{t:05}"),
                languages: vec!["en".into(), "sv".into()],
                ..Guest::default()
            }),
        })
        .collect();
    let guests = (0..people)
        .map(|i| Guest {
            id: format!("p{i:06}"),
            languages: match i % 5 {
                0 => vec!["sv".into()],
                1 => vec!["en".into(), "sv".into()],
                _ => vec!["en".into()],
            },
            organisation: Some(format!("org{}", i % (people / 7).max(1))),
            country: None,
        })
        .collect();
    (tables, guests)
}

struct Round {
    ms: Vec<f64>,
    repeats: usize,
    clashes: usize,
    by_chance: usize,
}

fn measure(people: usize, count: usize, runs: usize) -> Vec<Round> {
    let (tables, guests) = cafe(people, count);
    let mut rounds: Vec<Round> = Vec::new();
    for run in 0..runs {
        let mut past: Vec<Placement> = Vec::new();
        for r in 0..3 {
            let rules = Rules {
                distinct: Distinct::Organisation,
                seed: r as u64,
            };
            let started = Instant::now();
            let s = seating::rotation(&tables, &guests, &past, &rules);
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            let chance = seating::random(&tables, &guests, &rules);
            let by_chance = seating::repeats(&past, &chance.placement, &tables);
            if run == 0 {
                rounds.push(Round {
                    ms: vec![ms],
                    repeats: s.repeats,
                    clashes: s.clashes,
                    by_chance,
                });
            } else {
                rounds[r].ms.push(ms);
            }
            past.push(s.placement);
        }
    }
    for r in &mut rounds {
        r.ms.sort_by(f64::total_cmp);
    }
    rounds
}

/// Writes W11's section.
pub fn report(md: &mut String, quick: bool) -> std::fmt::Result {
    let runs = if quick { 1 } else { 3 };
    let sizes: &[(usize, usize)] = if quick {
        &[(200, 21), (1_000, 104)]
    } else {
        &[(1_000, 104), (10_000, 1_040), (9_600, 200)]
    };
    writeln!(
        md,
        "## W11 seating a world café (the rules in-process; tables of 12 with a host (of 50 for 9,600 at 200, the largest a table set allows), a quarter Swedish; people speak Swedish, English or both; at most one per organisation a table; {runs} runs)\n"
    )?;
    writeln!(
        md,
        "| people | tables | round | time, median | runs (fastest to slowest) | repeated pairs | by chance | organisation clashes |\n|---|---|---|---|---|---|---|---|"
    )?;
    for &(people, tables) in sizes {
        for (r, round) in measure(people, tables, runs).iter().enumerate() {
            let all: Vec<String> = round.ms.iter().map(|ms| format!("{ms:.1} ms")).collect();
            writeln!(
                md,
                "| {people} | {tables} | {} | {:.1} ms | {} | {} | {} | {} |",
                r + 1,
                round.ms[round.ms.len() / 2],
                all.join(", "),
                round.repeats,
                round.by_chance,
                round.clashes
            )?;
        }
    }
    writeln!(
        md,
        "\nRepeated pairs count guests (hosts aside) who sat together in an earlier round; \"by chance\" is balanced random seating of the same round. The goal: 1,000 at 104 tables seated in at most 100 ms, with no repeated pairs in three rounds.\n"
    )
}
