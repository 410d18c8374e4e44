//! Seating's rules as properties over random instances (seeded: a failure names its seed), and
//! the repeated pairs of rotation against constructions known to have none.

use super::*;

const LANGUAGES: [&str; 3] = ["en", "sv", "de"];

fn guest(id: usize, languages: &[&str], organisation: Option<String>) -> Guest {
    Guest {
        id: format!("p{id:05}"),
        languages: languages.iter().map(|l| (*l).to_owned()).collect(),
        organisation,
        country: None,
    }
}

fn table(capacity: u32, language: Option<&str>) -> Table {
    Table {
        capacity,
        language: language.map(str::to_owned),
        host: None,
    }
}

/// A random instance: tables (some hosted, some with a language), guests (some speaking one
/// or two of the languages), and whether languages are in play at all.
fn instance(seed: u64) -> (Vec<Table>, Vec<Guest>, bool) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let count = rng.random_range(1..40);
    let languages = rng.random_bool(0.4);
    let mut next = 0;
    let tables: Vec<Table> = (0..count)
        .map(|_| {
            let language = (languages && rng.random_bool(0.7))
                .then(|| LANGUAGES[rng.random_range(0..LANGUAGES.len())]);
            let mut t = table(rng.random_range(2..12), language);
            if rng.random_bool(0.3) {
                next += 1;
                t.host = Some(guest(90_000 + next, &[], None));
            }
            t
        })
        .collect();
    let seats: u32 = tables.iter().map(|t| t.capacity).sum();
    let people = rng.random_range(0..seats as usize + 10);
    let guests = (0..people)
        .map(|i| {
            let speaks: Vec<&str> = if languages && rng.random_bool(0.8) {
                LANGUAGES
                    .iter()
                    .copied()
                    .filter(|_| rng.random_bool(0.5))
                    .collect()
            } else {
                Vec::new()
            };
            let org = Some(format!("org{}", rng.random_range(0..8)));
            guest(i, &speaks, org)
        })
        .collect();
    (tables, guests, languages)
}

/// The rules every seating holds, whatever its way.
fn holds(tables: &[Table], guests: &[Guest], s: &Seating, seed: u64) {
    let mut size = vec![0u32; tables.len()];
    for (t, table) in tables.iter().enumerate() {
        if let Some(h) = &table.host {
            assert_eq!(
                s.placement.get(&h.id),
                Some(&t),
                "seed {seed}: the host stays"
            );
        }
    }
    for t in s.placement.values() {
        size[*t] += 1;
    }
    for (t, table) in tables.iter().enumerate() {
        assert!(
            size[t] <= table.capacity,
            "seed {seed}: table {t} over capacity"
        );
    }
    for g in guests {
        let placed = s.placement.get(&g.id);
        let waiting = s.unseated.contains(&g.id);
        assert!(
            placed.is_some() != waiting,
            "seed {seed}: {} seated once or waiting",
            g.id
        );
        let theirs: Vec<usize> = (0..tables.len())
            .filter(|t| speaks(g, &tables[*t]))
            .collect();
        match placed {
            Some(t) if !theirs.is_empty() => {
                assert!(
                    speaks(g, &tables[*t]),
                    "seed {seed}: {} in a language they speak",
                    g.id
                )
            }
            Some(_) => {}
            // Nobody waits while a table of theirs has a seat.
            None => {
                let open = if theirs.is_empty() {
                    (0..tables.len()).collect()
                } else {
                    theirs
                };
                assert!(
                    open.iter().all(|t| size[*t] >= tables[*t].capacity),
                    "seed {seed}: {} waits beside an open table",
                    g.id
                );
            }
        }
    }
    let hosts = tables.iter().filter(|t| t.host.is_some()).count();
    assert_eq!(
        s.placement.len(),
        guests.len() - s.unseated.len() + hosts,
        "seed {seed}"
    );
}

/// Table sizes (hosts included) differ by at most one, except where the smaller is full.
fn balanced(tables: &[Table], s: &Seating, seed: u64) {
    let mut size = vec![0u32; tables.len()];
    for t in s.placement.values() {
        size[*t] += 1;
    }
    for a in 0..tables.len() {
        for b in 0..tables.len() {
            assert!(
                size[a] <= size[b] + 1 || size[b] >= tables[b].capacity,
                "seed {seed}: sizes {size:?}"
            );
        }
    }
}

#[test]
fn every_way_holds_the_rules_on_random_instances() {
    for seed in 0..200 {
        let (tables, guests, languages) = instance(seed);
        let rules = Rules {
            distinct: Distinct::Nobody,
            seed,
        };
        let first = random(&tables, &guests, &rules);
        holds(&tables, &guests, &first, seed);
        if !languages {
            balanced(&tables, &first, seed);
        }
        let mut past = vec![first.placement.clone()];
        for round in 1..4 {
            let rules = Rules {
                seed: seed * 10 + round,
                ..rules
            };
            let rotated = rotation(&tables, &guests, &past, &rules);
            holds(&tables, &guests, &rotated, seed);
            if !languages {
                balanced(&tables, &rotated, seed);
            }
            assert_eq!(rotated.repeats, repeats(&past, &rotated.placement, &tables));
            // Chance: the mean of five balanced random seatings with other seeds (rotation
            // weighs random seatings of its own seeds, so those would prove nothing).
            let by_chance: usize = (1..=5)
                .map(|k| {
                    let chance = random(
                        &tables,
                        &guests,
                        &Rules {
                            seed: rules.seed + 7_919 * k,
                            ..rules
                        },
                    );
                    repeats(&past, &chance.placement, &tables)
                })
                .sum();
            // (Where everyone fits: with more people than seats, who waits is another matter.)
            assert!(
                !rotated.unseated.is_empty() || rotated.repeats * 5 <= by_chance,
                "seed {seed} round {round}: rotation {} repeats, chance {} on average",
                rotated.repeats,
                by_chance as f64 / 5.0
            );
            past.push(rotated.placement);
        }
    }
}

#[test]
fn the_same_seed_seats_alike() {
    let (tables, guests, _) = instance(7);
    let rules = Rules {
        distinct: Distinct::Organisation,
        seed: 99,
    };
    let past = vec![random(&tables, &guests, &rules).placement];
    assert_eq!(
        rotation(&tables, &guests, &past, &rules),
        rotation(&tables, &guests, &past, &rules)
    );
    let other = Rules { seed: 100, ..rules };
    assert_ne!(
        random(&tables, &guests, &rules),
        random(&tables, &guests, &other)
    );
}

/// `T` tables (`T` prime) of `k ≤ T` guests: `T` rounds in which nobody meets anyone twice.
#[test]
fn rotation_repeats_nobody_where_a_construction_does_not() {
    for (count, k) in [(5, 5), (7, 7), (7, 4), (11, 6), (13, 13)] {
        let tables: Vec<Table> = (0..count).map(|_| table(k as u32, None)).collect();
        let guests: Vec<Guest> = (0..count * k).map(|i| guest(i, &[], None)).collect();
        let rules = Rules::default();
        let mut past = vec![random(&tables, &guests, &rules).placement];
        for round in 1..count {
            let s = rotation(
                &tables,
                &guests,
                &past,
                &Rules {
                    seed: round as u64,
                    ..rules
                },
            );
            holds(&tables, &guests, &s, round as u64);
            assert_eq!(s.repeats, 0, "{count} tables of {k}, round {round}");
            assert_eq!(repeats(&past, &s.placement, &tables), 0);
            past.push(s.placement);
        }
    }
}

/// The ECC's world café: 1,000 people at 104 tables, in two languages, with hosts, three rounds.
#[test]
fn a_thousand_people_rotate_three_rounds_without_meeting_twice() {
    let mut tables: Vec<Table> = (0..104)
        .map(|t| {
            let mut table = table(12, Some(if t % 4 == 0 { "sv" } else { "en" }));
            table.host = Some(guest(50_000 + t, &["en", "sv"], None));
            table
        })
        .collect();
    tables[103].host = None;
    let guests: Vec<Guest> = (0..1000)
        .map(|i| {
            let speaks: &[&str] = match i % 5 {
                0 => &["sv"],
                1 => &["en", "sv"],
                _ => &["en"],
            };
            guest(i, speaks, Some(format!("org{}", i % 150)))
        })
        .collect();
    let rules = Rules {
        distinct: Distinct::Organisation,
        seed: 1,
    };
    let mut past: Vec<Placement> = Vec::new();
    for round in 0..3 {
        let s = rotation(
            &tables,
            &guests,
            &past,
            &Rules {
                seed: round,
                ..rules
            },
        );
        holds(&tables, &guests, &s, round);
        assert!(s.unseated.is_empty());
        assert_eq!((s.repeats, s.clashes), (0, 0), "round {round}");
        past.push(s.placement);
    }
}

#[test]
fn at_most_one_of_an_organisation_where_the_tables_allow() {
    // 8 organisations of 8 people at 8 tables of 8: a table per person of each organisation.
    let tables: Vec<Table> = (0..8).map(|_| table(8, None)).collect();
    let guests: Vec<Guest> = (0..64)
        .map(|i| guest(i, &[], Some(format!("org{}", i % 8))))
        .collect();
    let rules = Rules {
        distinct: Distinct::Organisation,
        seed: 3,
    };
    let first = rotation(&tables, &guests, &[], &rules);
    assert_eq!(first.clashes, 0);
    let second = rotation(
        &tables,
        &guests,
        std::slice::from_ref(&first.placement),
        &rules,
    );
    assert_eq!(second.clashes, 0);
}

#[test]
fn an_arrival_sits_at_the_emptiest_table_of_their_language() {
    let tables = vec![
        table(3, Some("sv")),
        table(3, Some("en")),
        table(3, Some("en")),
    ];
    let eva = guest(1, &["en"], None);
    assert_eq!(arrival(&tables, &[0, 2, 1], &eva), Some(2));
    assert_eq!(
        arrival(&tables, &[0, 1, 1], &eva),
        Some(1),
        "the lowest of equals"
    );
    // Every table of theirs full: another with a seat; every table full: none.
    assert_eq!(arrival(&tables, &[0, 3, 3], &eva), Some(0));
    assert_eq!(arrival(&tables, &[3, 3, 3], &eva), None);
    let anyone = guest(2, &[], None);
    assert_eq!(arrival(&tables, &[2, 1, 2], &anyone), Some(1));
}
