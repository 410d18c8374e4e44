//! Random instances of the scheduling problem, for tests and benchmarks.

use super::{Half, Instance, Meeting, Person, Slot, pick};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeSet;

/// A random instance, for tests and benchmarks: `blocks` blocks (alternately morning and
/// afternoon) of `slots_per_block` slots with `tables` tables each; people free for 70–85% of
/// the slots (the rest in runs of one or two, like starred sessions), 70% of them onsite, 10%
/// meeting only in one half of the day; `meetings` between distinct pairs (as many as there are
/// pairs, at most), one in twenty with a forbidden slot.
pub fn generate(
    people: usize,
    meetings: usize,
    slots_per_block: u32,
    blocks: u32,
    tables: u32,
    seed: u64,
) -> Instance {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let slots: Vec<Slot> = (0..blocks)
        .flat_map(|block| {
            (0..slots_per_block).map(move |_| Slot {
                block,
                afternoon: block % 2 == 1,
                tables,
            })
        })
        .collect();
    let count = slots.len();
    let people: Vec<Person> = (0..people)
        .map(|_| {
            let onsite = rng.random_bool(0.7);
            let half = rng.random_bool(0.1).then(|| {
                if rng.random_bool(0.5) {
                    Half::Morning
                } else {
                    Half::Afternoon
                }
            });
            let mut free = vec![true; count];
            let keep = (count as f64 * rng.random_range(0.70..0.85)).round() as usize;
            let mut left = count;
            while left > keep {
                let start = pick(&mut rng, count);
                let run = 1 + pick(&mut rng, 2);
                for slot in free.iter_mut().skip(start).take(run) {
                    if *slot && left > keep {
                        *slot = false;
                        left -= 1;
                    }
                }
            }
            Person {
                onsite,
                free: (0..count as u32).filter(|&s| free[s as usize]).collect(),
                half,
            }
        })
        .collect();
    let n = people.len() as u64;
    let target = (meetings as u64).min(n * n.saturating_sub(1) / 2);
    let mut pairs = BTreeSet::new();
    let mut list = Vec::new();
    while (list.len() as u64) < target {
        let a = pick(&mut rng, people.len()) as u32;
        let b = pick(&mut rng, people.len()) as u32;
        if a == b || !pairs.insert((a.min(b), a.max(b))) {
            continue;
        }
        let forbidden = if count > 0 && rng.random_bool(0.05) {
            vec![pick(&mut rng, count) as u32]
        } else {
            Vec::new()
        };
        list.push(Meeting {
            a,
            b,
            forbidden,
            pinned: None,
        });
    }
    Instance {
        slots,
        people,
        meetings: list,
    }
}
