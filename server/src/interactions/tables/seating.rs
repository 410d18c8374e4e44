//! Seating people at tables: the pure rules of a world café's rounds.
//!
//! Four ways to seat a round, chosen per round by whoever starts it:
//! - [`random`]: balanced (within a language, table sizes differ by at most one), in a random
//!   order from a seed;
//! - [`rotation`]: as few repeated pairs as possible across the rounds so far (people who sat
//!   together before), with the same balance;
//! - self-selection by topic and pre-assignment, which are the interaction's (a table's
//!   capacity is all they need), with [`arrival`] for whoever comes mid-round.
//!
//! Every way holds the same hard rules: nobody at two tables; no table over its capacity (its
//! host takes a seat); a host stays at their table; each person at a table in a language they
//! speak (a table with no language suits everyone; a person who names no language, or none of
//! the tables', may sit anywhere); and, when asked, at most one person of an organisation (or a
//! country) at a table, as far as the tables allow.
//!
//! [`rotation`] tries, in turn, and keeps the best (fewest clashes, then fewest repeats):
//! 1. the **affine construction**: with a prime number `T` of tables and the people of the first
//!    round all present, seat `i` (people ordered by id) of table `t` in the first round sits
//!    at table `(t + i·r) mod T` in round `r`. Two people meet in at most one of the first `T`
//!    rounds (`t₁ + i₁r ≡ t₂ + i₂r` has one solution `r` when `i₁ ≠ i₂`, none when `i₁ = i₂`
//!    and `t₁ ≠ t₂`): zero repeats where this construction applies and fits the languages;
//! 2. a **greedy placement** (the most constrained people first, each at the open table of the
//!    lowest level where they know the fewest), and a few balanced random seatings, each then
//!    improved by a **local search** of swaps between tables that lowers the repeats, bounded
//!    by passes and by people looked at (never by the clock), so the same input and seed give the
//!    same seating; a random seating improved is never worse than that seating.

use rand::{Rng, SeedableRng, seq::SliceRandom};
use rand_chacha::ChaCha8Rng;
use std::collections::{BTreeMap, HashMap};

/// A table as seating sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// Seats, the host's included.
    pub capacity: u32,
    /// The language the table talks in (lower case); `None` suits everyone.
    pub language: Option<String>,
    /// The host, who stays at this table every round.
    pub host: Option<Guest>,
}

/// A person to seat.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Guest {
    pub id: String,
    /// The languages they speak (lower case); empty: any.
    pub languages: Vec<String>,
    pub organisation: Option<String>,
    pub country: Option<String>,
}

/// At most one person of what at a table, when the tables allow.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Distinct {
    #[default]
    Nobody,
    Organisation,
    Country,
}

/// How a round is seated, besides its tables and people.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rules {
    pub distinct: Distinct,
    /// The same seed, tables and people give the same seating.
    pub seed: u64,
}

/// A round's seating: each person's table (an index into the tables), hosts included.
pub type Placement = BTreeMap<String, usize>;

/// A computed seating.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Seating {
    pub placement: Placement,
    /// People for whom no table of theirs had a seat left.
    pub unseated: Vec<String>,
    /// Pairs of guests (hosts aside) who sat together in an earlier round and do again.
    pub repeats: usize,
    /// Pairs at one table sharing what [`Rules::distinct`] asks to keep apart.
    pub clashes: usize,
}

/// Random seatings [`rotation`]'s local search starts from, besides the greedy placement.
const RANDOM_STARTS: usize = 3;
/// How many passes [`rotation`]'s local search makes at most.
const SEARCH_PASSES: usize = 200;
/// It stops sooner after this many passes in a row without a better swap.
const FRUITLESS_PASSES: usize = 8;
/// And once it has looked at this many people at tables (weighing a swap looks at both
/// tables), whatever the size: the search runs on the sequencer.
const SEARCH_BUDGET: usize = 40_000_000;

/// Balanced random seating.
pub fn random(tables: &[Table], guests: &[Guest], rules: &Rules) -> Seating {
    let mut plan = Plan::new(tables, guests, &[], rules);
    plan.greedy(false);
    plan.finish()
}

/// Seating that avoids pairs who met in `past` rounds (each a [`Placement`], oldest first).
pub fn rotation(tables: &[Table], guests: &[Guest], past: &[Placement], rules: &Rules) -> Seating {
    let affine = affine(tables, guests, past, rules);
    if let Some(perfect) = affine
        .as_ref()
        .filter(|a| (a.unseated.len(), a.clashes, a.repeats) == (0, 0, 0))
    {
        return perfect.clone();
    }
    // The greedy placement, and balanced random seatings, each improved by the local search;
    // the best of them (fewer starts for large cafés: each costs a search).
    let starts = if guests.len() > 2_000 {
        1
    } else {
        RANDOM_STARTS
    };
    let mut best: Option<Seating> = None;
    for start in 0..=starts {
        let mut plan = Plan::new(
            tables,
            guests,
            past,
            &Rules {
                seed: rules.seed.wrapping_add(start as u64),
                ..*rules
            },
        );
        if start == 0 {
            plan.greedy(true);
        } else {
            plan.greedy(false);
        }
        plan.search(SEARCH_PASSES);
        let candidate = plan.finish();
        if best.as_ref().is_none_or(|b| better(&candidate, b)) {
            best = Some(candidate);
        }
    }
    let mut best = best.expect("at least one start");
    if let Some(affine) = affine
        && !better(&best, &affine)
    {
        best = affine;
    }
    best
}

/// Fewer unseated people, then clashes, then repeats.
fn better(a: &Seating, b: &Seating) -> bool {
    (a.unseated.len(), a.clashes, a.repeats) < (b.unseated.len(), b.clashes, b.repeats)
}

/// Where someone arriving mid-round sits: the emptiest table in a language they speak with a
/// seat left (the lowest-numbered of equals), else the emptiest with a seat left; `None` when
/// every table is full. `seated[t]` counts who sits at table `t`, its host included.
pub fn arrival(tables: &[Table], seated: &[u32], guest: &Guest) -> Option<usize> {
    let open = |t: &usize| seated.get(*t).copied().unwrap_or(0) < tables[*t].capacity;
    let emptiest = |ts: &mut dyn Iterator<Item = usize>| {
        ts.filter(open)
            .min_by_key(|t| (seated.get(*t).copied().unwrap_or(0), *t))
    };
    emptiest(&mut (0..tables.len()).filter(|t| speaks(guest, &tables[*t])))
        .or_else(|| emptiest(&mut (0..tables.len())))
}

/// Whether `guest` speaks `table`'s language (or either has none).
pub fn speaks(guest: &Guest, table: &Table) -> bool {
    match &table.language {
        None => true,
        Some(l) => guest.languages.is_empty() || guest.languages.iter().any(|g| g == l),
    }
}

/// Pairs of guests (hosts aside) seated together in `now` who were together in a `past` round;
/// each pair counted once however often they met before.
pub fn repeats(past: &[Placement], now: &Placement, tables: &[Table]) -> usize {
    let hosts: std::collections::HashSet<&str> = tables
        .iter()
        .filter_map(|t| t.host.as_ref().map(|h| h.id.as_str()))
        .collect();
    let met = acquaintances(past, &hosts);
    let mut at: HashMap<usize, Vec<&str>> = HashMap::new();
    for (id, t) in now {
        if !hosts.contains(id.as_str()) {
            at.entry(*t).or_default().push(id);
        }
    }
    at.values()
        .flat_map(|people| {
            people
                .iter()
                .enumerate()
                .flat_map(move |(i, a)| people[i + 1..].iter().map(move |b| pair(a, b)))
        })
        .filter(|p| met.contains(p))
        .count()
}

fn pair<'a>(a: &'a str, b: &'a str) -> (&'a str, &'a str) {
    if a < b { (a, b) } else { (b, a) }
}

/// Every pair of guests who shared a table in `past`.
fn acquaintances<'a>(
    past: &'a [Placement],
    hosts: &std::collections::HashSet<&str>,
) -> std::collections::HashSet<(&'a str, &'a str)> {
    let mut met = std::collections::HashSet::new();
    for round in past {
        let mut at: HashMap<usize, Vec<&str>> = HashMap::new();
        for (id, t) in round {
            if !hosts.contains(id.as_str()) {
                at.entry(*t).or_default().push(id);
            }
        }
        for people in at.values() {
            for (i, a) in people.iter().enumerate() {
                for b in &people[i + 1..] {
                    met.insert(pair(a, b));
                }
            }
        }
    }
    met
}

/// The affine construction (see the module's notes), when it applies and holds every rule.
fn affine(
    tables: &[Table],
    guests: &[Guest],
    past: &[Placement],
    rules: &Rules,
) -> Option<Seating> {
    let count = tables.len();
    let first = past.first()?;
    let round = past.len();
    if !is_prime(count) || round >= count {
        return None;
    }
    let hosts: Vec<&str> = tables
        .iter()
        .filter_map(|t| t.host.as_ref().map(|h| h.id.as_str()))
        .collect();
    // Each table's first-round guests, in id order (a placement iterates in id order).
    let mut base: Vec<Vec<&str>> = vec![Vec::new(); count];
    for (id, t) in first {
        if !hosts.contains(&id.as_str()) && *t < count {
            base[*t].push(id);
        }
    }
    let mut coordinate: HashMap<&str, (usize, usize)> = HashMap::new();
    for (t, people) in base.iter().enumerate() {
        if people.len() > count {
            return None;
        }
        for (i, id) in people.iter().enumerate() {
            coordinate.insert(id, (t, i));
        }
    }
    let mut placement = Placement::new();
    for (t, table) in tables.iter().enumerate() {
        if let Some(h) = &table.host {
            placement.insert(h.id.clone(), t);
        }
    }
    let mut seated = vec![0u32; count];
    for (t, table) in tables.iter().enumerate() {
        seated[t] = u32::from(table.host.is_some());
    }
    for g in guests {
        let &(t, i) = coordinate.get(g.id.as_str())?;
        let to = (t + i * round) % count;
        if !speaks(g, &tables[to]) {
            return None;
        }
        seated[to] += 1;
        placement.insert(g.id.clone(), to);
    }
    if seated.iter().zip(tables).any(|(s, t)| *s > t.capacity) {
        return None;
    }
    // As balanced as the other ways: sizes within one, but where the smaller table is full.
    let open_min = seated
        .iter()
        .zip(tables)
        .filter(|(s, t)| **s < t.capacity)
        .map(|(s, _)| *s)
        .min();
    if open_min.is_some_and(|low| seated.iter().any(|s| *s > low + 1)) {
        return None;
    }
    let plan = Plan::new(tables, guests, past, rules);
    let clashes = plan.clashes_of(&placement);
    Some(Seating {
        repeats: repeats(past, &placement, tables),
        placement,
        unseated: Vec::new(),
        clashes,
    })
}

fn is_prime(n: usize) -> bool {
    n >= 2
        && (2..)
            .take_while(|d| d * d <= n)
            .all(|d| !n.is_multiple_of(d))
}

/// A seating being made: guests by index, tables by index.
struct Plan<'a> {
    tables: &'a [Table],
    guests: &'a [Guest],
    rng: ChaCha8Rng,
    /// The tables each guest may sit at (shared by everyone with the same languages).
    class: Vec<usize>,
    classes: Vec<Vec<usize>>,
    /// Guests each guest sat with before (by index).
    met: Vec<Vec<usize>>,
    /// What each guest shares with others to keep apart (an interned organisation or country).
    key: Vec<Option<u32>>,
    /// The host's key at each table.
    host_key: Vec<Option<u32>>,
    /// How many more people at tables the local search may look at.
    budget: usize,
    seat: Vec<Option<usize>>,
    /// The guests at each table.
    at: Vec<Vec<usize>>,
    size: Vec<u32>,
    /// Per table: key → people with it (host included).
    keys_at: Vec<HashMap<u32, u32>>,
}

impl<'a> Plan<'a> {
    fn new(tables: &'a [Table], guests: &'a [Guest], past: &[Placement], rules: &Rules) -> Self {
        let mut classes: Vec<Vec<usize>> = Vec::new();
        let mut class_of: HashMap<Vec<usize>, usize> = HashMap::new();
        let class = guests
            .iter()
            .map(|g| {
                let mut ts: Vec<usize> = (0..tables.len())
                    .filter(|t| speaks(g, &tables[*t]))
                    .collect();
                if ts.is_empty() {
                    ts = (0..tables.len()).collect();
                }
                let next = classes.len();
                *class_of.entry(ts.clone()).or_insert_with(|| {
                    classes.push(ts);
                    next
                })
            })
            .collect();
        let index: HashMap<&str, usize> = guests
            .iter()
            .enumerate()
            .map(|(i, g)| (g.id.as_str(), i))
            .collect();
        let mut met = vec![Vec::new(); guests.len()];
        for round in past {
            let mut at: HashMap<usize, Vec<usize>> = HashMap::new();
            for (id, t) in round {
                if let Some(&i) = index.get(id.as_str()) {
                    at.entry(*t).or_default().push(i);
                }
            }
            for people in at.values() {
                for &a in people {
                    for &b in people {
                        if a != b {
                            met[a].push(b);
                        }
                    }
                }
            }
        }
        for m in &mut met {
            m.sort_unstable();
            m.dedup();
        }
        let mut interned: HashMap<&str, u32> = HashMap::new();
        let mut intern = |person: &'a Guest| -> Option<u32> {
            let value = match rules.distinct {
                Distinct::Nobody => None,
                Distinct::Organisation => person.organisation.as_deref(),
                Distinct::Country => person.country.as_deref(),
            }?;
            let next = interned.len() as u32;
            Some(*interned.entry(value).or_insert(next))
        };
        let key = guests.iter().map(&mut intern).collect();
        let host_key: Vec<Option<u32>> = tables
            .iter()
            .map(|t| t.host.as_ref().and_then(&mut intern))
            .collect();
        let mut keys_at = vec![HashMap::new(); tables.len()];
        for (t, k) in host_key.iter().enumerate() {
            if let Some(k) = k {
                keys_at[t].insert(*k, 1);
            }
        }
        Plan {
            tables,
            guests,
            rng: ChaCha8Rng::seed_from_u64(rules.seed),
            budget: SEARCH_BUDGET,
            class,
            classes,
            met,
            key,
            host_key,
            seat: vec![None; guests.len()],
            at: vec![Vec::new(); tables.len()],
            size: tables.iter().map(|t| u32::from(t.host.is_some())).collect(),
            keys_at,
        }
    }

    fn open(&self, t: usize) -> bool {
        self.size[t] < self.tables[t].capacity
    }

    /// Guests of `g`'s acquaintance at table `t`, besides `except`.
    fn known_at(&self, g: usize, t: usize, except: Option<usize>) -> u32 {
        // A table holds fewer people than someone has met after a few rounds.
        self.at[t]
            .iter()
            .filter(|&&q| Some(q) != except && self.met[g].binary_search(&q).is_ok())
            .count() as u32
    }

    /// Others at `t` (besides `except`) sharing `g`'s key.
    fn clash_at(&self, g: usize, t: usize, except: Option<usize>) -> u32 {
        let Some(k) = self.key[g] else { return 0 };
        let here = self.keys_at[t].get(&k).copied().unwrap_or(0);
        let minus = except.is_some_and(|e| self.key[e] == Some(k) && self.seat[e] == Some(t));
        // Not counting themselves, when they sit there.
        let own = self.seat[g] == Some(t);
        here - u32::from(minus) - u32::from(own)
    }

    fn sit(&mut self, g: usize, t: usize) {
        self.seat[g] = Some(t);
        self.at[t].push(g);
        self.size[t] += 1;
        if let Some(k) = self.key[g] {
            *self.keys_at[t].entry(k).or_insert(0) += 1;
        }
    }

    fn stand(&mut self, g: usize) {
        let Some(t) = self.seat[g].take() else { return };
        self.at[t].retain(|&q| q != g);
        self.size[t] -= 1;
        if let Some(k) = self.key[g]
            && let Some(n) = self.keys_at[t].get_mut(&k)
        {
            *n -= 1;
        }
    }

    /// Seats everyone: the most constrained first (fewest tables), in a random order among
    /// equals; each at an open table of the lowest level in their class (sizes stay within
    /// one), avoiding clashes, then (with `avoid`) acquaintances.
    fn greedy(&mut self, avoid: bool) {
        let mut order: Vec<usize> = (0..self.guests.len()).collect();
        order.shuffle(&mut self.rng);
        order.sort_by_key(|&g| self.classes[self.class[g]].len());
        for g in order {
            let class = self.class[g];
            let count = self.classes[class].len();
            let level = self.classes[class]
                .iter()
                .filter(|&&t| self.open(t))
                .map(|&t| self.size[t])
                .min();
            let Some(level) = level else { continue };
            let offset = self.rng.random_range(0..count);
            let mut best: Option<((u32, u32, u32), usize)> = None;
            for k in 0..count {
                let t = self.classes[class][(offset + k) % count];
                if self.size[t] != level || !self.open(t) {
                    continue;
                }
                let known = if avoid { self.known_at(g, t, None) } else { 0 };
                let score = (self.clash_at(g, t, None), known, 0);
                if best.is_none_or(|(b, _)| score < b) {
                    best = Some((score, t));
                    if score == (0, 0, 0) {
                        break;
                    }
                }
            }
            if let Some((_, t)) = best {
                self.sit(g, t);
            }
        }
    }

    /// What `g` costs at `t` (besides `except`): a clash outweighs any number of repeats.
    fn cost(&self, g: usize, t: usize, except: Option<usize>) -> u32 {
        1000 * self.clash_at(g, t, except) + self.known_at(g, t, except)
    }

    /// Swaps guests between tables while that lowers clashes and repeats (sizes stay): up to
    /// `passes` passes over the guests who know someone at their table, or clash there, each
    /// taking for one of them the first swap that lowers the total (tables in a random order);
    /// a pass that finds none makes the least bad swap for one of them at random, to leave a
    /// local optimum, and [`FRUITLESS_PASSES`] such passes in a row end it. Bounded by passes
    /// and by [`SEARCH_BUDGET`] people looked at, never by the clock.
    fn search(&mut self, passes: usize) {
        let mut fruitless = 0;
        // The best seating seen, to go back to: a swap out of a local optimum may lead nowhere.
        let mut best = (self.total(), self.seat.clone());
        for _ in 0..passes {
            let total = self.total();
            if total < best.0 {
                best = (total, self.seat.clone());
            }
            if fruitless >= FRUITLESS_PASSES || self.budget == 0 {
                break;
            }
            let mut stuck: Vec<usize> = (0..self.guests.len())
                .filter(|&g| self.seat[g].is_some_and(|t| self.cost(g, t, None) > 0))
                .collect();
            if stuck.is_empty() {
                break;
            }
            stuck.shuffle(&mut self.rng);
            let mut improved = false;
            for &g in &stuck {
                if let Some((h, _)) = self.best_swap(g, true) {
                    self.swap(g, h);
                    improved = true;
                }
            }
            fruitless = if improved { 0 } else { fruitless + 1 };
            if !improved {
                let g = stuck[self.rng.random_range(0..stuck.len())];
                if let Some((h, _)) = self.best_swap(g, false) {
                    self.swap(g, h);
                }
            }
        }
        if self.total() > best.0 {
            for g in 0..self.guests.len() {
                self.stand(g);
            }
            for (g, t) in best.1.into_iter().enumerate() {
                if let Some(t) = t {
                    self.sit(g, t);
                }
            }
        }
    }

    /// The cost of the seating as it is: every guest's at their table (each pair twice).
    fn total(&mut self) -> u64 {
        self.budget = self.budget.saturating_sub(self.guests.len() * 8);
        (0..self.guests.len())
            .filter_map(|g| self.seat[g].map(|t| u64::from(self.cost(g, t, None))))
            .sum()
    }

    /// A guest to swap `g` with: with `improving`, the first whose swap lowers the total cost;
    /// otherwise the one whose swap costs the least.
    fn best_swap(&mut self, g: usize, improving: bool) -> Option<(usize, i64)> {
        let t = self.seat[g]?;
        let here = i64::from(self.cost(g, t, None));
        if improving && here == 0 {
            return None;
        }
        let class = self.class[g];
        let count = self.classes[class].len();
        let offset = self.rng.random_range(0..count);
        let mut best: Option<(usize, i64)> = None;
        for k in 0..count {
            let u = self.classes[class][(offset + k) % count];
            if u == t {
                continue;
            }
            if self.budget == 0 {
                break;
            }
            let looked = self.at[u].len() * (self.at[u].len() + self.at[t].len());
            self.budget = self.budget.saturating_sub(looked);
            for &h in &self.at[u] {
                if !self.classes[self.class[h]].contains(&t) {
                    continue;
                }
                let before = here + i64::from(self.cost(h, u, None));
                let after = i64::from(self.cost(g, u, Some(h)) + self.cost(h, t, Some(g)));
                let delta = after - before;
                if improving && delta < 0 {
                    return Some((h, delta));
                }
                if !improving && best.is_none_or(|(_, d)| delta < d) {
                    best = Some((h, delta));
                }
            }
        }
        if improving { None } else { best }
    }

    fn swap(&mut self, g: usize, h: usize) {
        let (Some(t), Some(u)) = (self.seat[g], self.seat[h]) else {
            return;
        };
        self.stand(g);
        self.stand(h);
        self.sit(g, u);
        self.sit(h, t);
    }

    /// Pairs at one table sharing a key, in `placement` (guests and hosts).
    fn clashes_of(&self, placement: &Placement) -> usize {
        let mut at: HashMap<usize, HashMap<u32, usize>> = HashMap::new();
        for (t, k) in self.host_key.iter().enumerate() {
            if let Some(k) = k {
                *at.entry(t).or_default().entry(*k).or_insert(0) += 1;
            }
        }
        for (g, guest) in self.guests.iter().enumerate() {
            if let (Some(k), Some(t)) = (self.key[g], placement.get(&guest.id)) {
                *at.entry(*t).or_default().entry(k).or_insert(0) += 1;
            }
        }
        at.values()
            .flat_map(HashMap::values)
            .map(|n| n * n.saturating_sub(1) / 2)
            .sum()
    }

    fn finish(self) -> Seating {
        let mut placement = Placement::new();
        for (t, table) in self.tables.iter().enumerate() {
            if let Some(h) = &table.host {
                placement.insert(h.id.clone(), t);
            }
        }
        let mut unseated = Vec::new();
        let mut repeats = 0;
        for (g, guest) in self.guests.iter().enumerate() {
            match self.seat[g] {
                Some(t) => {
                    repeats += self.met[g]
                        .iter()
                        .filter(|&&q| q > g && self.seat[q] == Some(t))
                        .count();
                    placement.insert(guest.id.clone(), t);
                }
                None => unseated.push(guest.id.clone()),
            }
        }
        let clashes = self.clashes_of(&placement);
        Seating {
            placement,
            unseated,
            repeats,
            clashes,
        }
    }
}

#[cfg(test)]
mod tests;
