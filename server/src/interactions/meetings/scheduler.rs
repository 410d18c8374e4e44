//! Placing accepted one-to-one meeting requests in time slots: the pure rules and the search
//! behind a conference's meeting schedule.
//!
//! The hard rules, which every [`Schedule`] holds:
//! 1. a person has at most one meeting per slot;
//! 2. a meeting that is not pinned goes only in a slot both its people are free for
//!    ([`Person::free`]), that is not in its [`Meeting::forbidden`] list, and that matches each
//!    person's [`Person::half`] (a morning slot is one that is not [`Slot::afternoon`]);
//! 3. a meeting is onsite when both its people are onsite, and then it takes a table (numbered
//!    `0..tables` in its slot, one meeting per table); an online meeting takes none, so a slot
//!    without tables takes online meetings only;
//! 4. a pinned meeting stays at its slot (and at its table, when the pin names one; an onsite
//!    meeting pinned without a table gets one), whatever its people's availability says. Pins
//!    are kept in meeting order: a pin that clashes with one kept before it (a person twice in
//!    the slot, the same table, or no table left) is not placed at all ([`Reason::PinClash`]).
//!    A table pinned for an online meeting is ignored. Nothing moves a kept pin;
//! 5. a meeting of a person with themselves, or naming a person, a slot or a table that does
//!    not exist, is not placed ([`Reason::Invalid`]). Free slots and forbidden slots that do
//!    not exist are ignored.
//!
//! Among the schedules that hold them, the best has, in this order of importance: the most
//! meetings placed; the highest smallest share of their meetings placed over the people who
//! asked for any ([`Stats::min_share_permille`]); the fewest idle gaps ([`Stats::gaps`]).
//!
//! [`schedule`] searches in five steps, deterministic given the instance and [`Options::seed`]
//! (no clock, no hash order), and bounded by [`Options::iterations`]:
//! 1. the pins are placed, in meeting order;
//! 2. a **greedy placement** takes the other meetings, those with the fewest usable slots first,
//!    each into the open slot that adds the fewest idle gaps for its two people (the earliest of
//!    equals);
//! 3. while a meeting waits and fewer are placed than [`Stats::upper_bound`], a **tabu ejection
//!    walk** (at most half the steps; it gives up when an eighth of them bring no new best
//!    count): each step weighs the slots of a few waiting meetings, drawn at random. Putting a
//!    meeting in a slot takes out what is in its way there (its people's meetings, and an
//!    onsite meeting at random when no table is left), then puts each of those straight into
//!    an open slot of theirs, where one is left. The step takes the placement that loses the
//!    fewest meetings (ties at random), even one that loses some; a meeting taken out of a slot
//!    may not go back to it for a few steps (unless that would beat the best count yet), which
//!    is what carries the walk out of local optima. It ends on the best schedule it saw;
//! 4. a **polishing walk** for the rest of the steps, with three moves: moving a meeting to the
//!    open slot that cuts its people's gaps the most; swapping a meeting into another of its
//!    slots along with everything in its way (a Kempe chain: the meetings of its people there
//!    move to its slot, theirs back, and so on, with an onsite meeting added where a slot would
//!    run out of tables); and putting a waiting meeting in, as in step 3 (half of the time one
//!    of someone with the smallest share). Moves are tried on people with idle gaps half of the
//!    time. A move is kept when the schedule is no worse by count, then smallest share, then
//!    how many people have that share (fewer is better: that is what lets the smallest share
//!    rise later), then gaps; one move in twenty that adds a single gap is kept too, to leave
//!    a local optimum. The walk ends on the best schedule it saw, and stops early once that is
//!    provably optimal: as many placed as [`Stats::upper_bound`], the smallest share as high as
//!    each person's matching allows (see there) and no gaps;
//! 5. any waiting meeting with an open slot is placed (there should be none), tables are given
//!    out (pinned tables, then the lowest free numbers, pins first, then in meeting order), and
//!    each meeting left out gets its [`Reason`], against the final schedule.
//!
//! Limits: it is a heuristic. The count is optimal when it reaches [`Stats::upper_bound`];
//! otherwise it may not be, though the bound is often out of reach too (it is loose where
//! tables are scarce). Fairness and gaps have no such check. On small instances (up to 9
//! meetings, 5 slots), brute force finds no better count or smallest share, and fewer gaps in
//! about one instance in 200. Time grows with [`Options::iterations`] × meetings × slots;
//! memory with people × slots and meetings × slots.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

mod board;
mod generate;
mod matcher;
mod walks;

use board::Board;
pub use generate::generate;
use matcher::Matcher;

/// What to schedule: slots, people and the meetings between them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct Instance {
    /// The slots, in time order; a meeting names one by its index here.
    pub slots: Vec<Slot>,
    /// A meeting names a person by their index here.
    pub people: Vec<Person>,
    pub meetings: Vec<Meeting>,
}

/// A time slot in which meetings happen side by side.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct Slot {
    /// The meeting block (one half-day) the slot belongs to; idle gaps are counted within a
    /// block.
    pub block: u32,
    /// Whether the slot is in the afternoon (for [`Person::half`]).
    pub afternoon: bool,
    /// The onsite tables in the slot.
    pub tables: u32,
}

/// A person who meets others.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct Person {
    /// Whether they are at the venue (a meeting between two onsite people takes a table).
    pub onsite: bool,
    /// The slots (indices) they are available for: the meeting blocks less their starred
    /// sessions and the slots they blocked.
    pub free: Vec<u32>,
    /// They meet only in the morning, or only in the afternoon.
    #[serde(default)]
    pub half: Option<Half>,
}

/// A half of the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Half {
    Morning,
    Afternoon,
}

/// An accepted request for a meeting between two people.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct Meeting {
    /// One person (an index into [`Instance::people`]).
    pub a: u32,
    /// The other.
    pub b: u32,
    /// Slots this meeting may not take.
    #[serde(default)]
    pub forbidden: Vec<u32>,
    /// Where the meeting must be, when the organisers locked it or it was announced.
    #[serde(default)]
    pub pinned: Option<Pin>,
}

/// A meeting's fixed place.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct Pin {
    pub slot: u32,
    /// Its table, for an onsite meeting; without one an onsite meeting gets a free table.
    #[serde(default)]
    pub table: Option<u32>,
}

/// How [`schedule`] searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", default)]
pub struct Options {
    /// The same instance and seed give the same schedule, on every machine.
    pub seed: u64,
    /// Search steps per meeting to place (counting at least [`MIN_MEETINGS`] meetings), for the
    /// two walks together; 0 keeps the greedy placement.
    pub iterations: u32,
}

impl Default for Options {
    /// Seed 1 and [`DEFAULT_ITERATIONS`] steps per meeting.
    fn default() -> Self {
        Options {
            seed: 1,
            iterations: DEFAULT_ITERATIONS,
        }
    }
}

/// The default search steps per meeting. On one core of a small server, in a release build:
/// 550 meetings (200 people, 18 slots) take under 0.05 s; 5,500 meetings (2,000 people, 36
/// slots) from 0.05 s with plenty of tables to about 4 s when tables are scarce.
pub const DEFAULT_ITERATIONS: u32 = 400;

/// Small instances are searched as if they had this many meetings: a step is cheap there, and
/// a few hundred steps are not always enough.
pub const MIN_MEETINGS: u32 = 64;

/// Where each meeting is, and why the others are not placed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct Schedule {
    /// Each meeting's slot (by the meeting's index), `None` when it is not placed.
    pub slots: Vec<Option<u32>>,
    /// Each meeting's table: for onsite meetings placed, `None` for the others.
    pub tables: Vec<Option<u32>>,
    /// The meetings not placed, in meeting order.
    pub unplaced: Vec<Unplaced>,
    pub stats: Stats,
}

/// A meeting not placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct Unplaced {
    pub meeting: u32,
    pub reason: Reason,
}

/// Why a meeting is not placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// No slot passes rule 2 for both people (for an onsite meeting, none with tables).
    NoCommonSlot,
    /// There are such slots, but in each of them one of the two meets someone else, or (onsite)
    /// every table is taken: it would only fit by moving another meeting.
    Taken,
    /// Pinned to a slot where an earlier pinned meeting holds one of its people or its table,
    /// or where no table was left.
    PinClash,
    /// A meeting of someone with themselves, or naming a person, slot or table that does not
    /// exist.
    Invalid,
}

/// What a schedule achieves.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct Stats {
    /// Meetings placed, pins included.
    pub placed: u32,
    /// The smallest share of their meetings placed, in thousandths rounded down, over the
    /// people in at least one meeting that is not [`Reason::Invalid`] (1000 when there is
    /// nobody).
    pub min_share_permille: u32,
    /// Idle gaps: for each person and block, the slots strictly between their first and their
    /// last meeting in that block where they have no meeting and are free.
    pub gaps: u32,
    /// No schedule places more meetings than this: the kept pins plus the smaller of two bounds
    /// on the other meetings that have a usable slot (a common slot no pin takes).
    /// - By people: each placed meeting of a person has a slot of its own, so a maximum
    ///   matching between their meetings and the slots those could use tells how many of
    ///   theirs stay out at least. A meeting left out is one of two people's, so at least half
    ///   the sum of these stays out, and the whole sum over people no meeting joins (a set
    ///   chosen greedily, the most short first).
    /// - By tables: the online meetings, plus a maximum matching of the onsite meetings into
    ///   the tables the pins leave in each slot.
    pub upper_bound: u32,
}

/// Places `instance`'s meetings; see the module's notes for the rules, the objective and how.
pub fn schedule(instance: &Instance, options: &Options) -> Schedule {
    let mut board = Board::new(instance, options.seed);
    let (upper_bound, fairest) = board.bounds();
    board.greedy();
    let meetings = u64::try_from(board.movable.len())
        .unwrap_or(u64::MAX)
        .max(u64::from(MIN_MEETINGS));
    let budget = u64::from(options.iterations).saturating_mul(meetings);
    let mut best = Best::new(&board);
    let spent = board.climb(budget / 2, upper_bound, &mut best);
    board.restore(&best.at);
    let optimum = Score {
        placed: upper_bound,
        share: fairest,
        gaps: 0,
    };
    board.polish(budget - spent, optimum, &mut best);
    board.restore(&best.at);
    board.fill();
    board.finish(instance, upper_bound)
}

/// "Nothing": no meeting, no slot.
const NONE: u32 = u32::MAX;
/// No slot, as an index.
const NO: usize = usize::MAX;
/// Waiting meetings a tabu step weighs at most ...
const CANDIDATES: usize = 8;
/// ... and it stops drawing more once it has weighed this many slots.
const SLOTS_WEIGHED: usize = 40;
/// The most meetings a chain of the polishing walk moves.
const CHAIN: usize = 12;
/// One move in this many that adds a single gap is kept.
const UPHILL: usize = 20;

/// What a meeting is to the search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Never placed: invalid, or a pin that clashes.
    Out(Reason),
    /// A kept pin: placed first, never moved.
    Fixed,
    /// Placed by the search, if at all.
    Free,
}

/// A meeting as the search sees it.
#[derive(Debug, Clone)]
struct Item {
    a: usize,
    b: usize,
    onsite: bool,
    role: Role,
    /// Whether some slot passes rule 2 for both (and has tables, for an onsite meeting).
    common: bool,
    /// The slots the search may use: the common slots no pin of either person takes and, for
    /// an onsite meeting, where the pins leave a table. In slot order.
    options: Vec<u32>,
    /// For each option, the step until which the meeting may not go back there.
    tabu: Vec<u64>,
}

/// A share of one's meetings placed, `num / den` (`den > 0`), compared as a fraction.
#[derive(Debug, Clone, Copy)]
struct Share {
    num: u32,
    den: u32,
}

impl Ord for Share {
    fn cmp(&self, other: &Self) -> Ordering {
        (u64::from(self.num) * u64::from(other.den))
            .cmp(&(u64::from(other.num) * u64::from(self.den)))
    }
}

impl PartialOrd for Share {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Share {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Share {}

/// The objective: greater is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Score {
    placed: u32,
    share: Share,
    gaps: u64,
}

impl Ord for Score {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.placed, self.share, other.gaps).cmp(&(other.placed, other.share, self.gaps))
    }
}

impl PartialOrd for Score {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// What the polishing walk keeps a step by: the objective with, between the smallest share and
/// the gaps, how many people have that share (fewer is better). Greater is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Guide {
    placed: u32,
    share: Share,
    crowd: u32,
    gaps: u64,
}

impl Ord for Guide {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.placed, self.share, other.crowd, other.gaps).cmp(&(
            other.placed,
            other.share,
            self.crowd,
            self.gaps,
        ))
    }
}

impl PartialOrd for Guide {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The best schedule seen: its score and each meeting's slot.
struct Best {
    score: Score,
    at: Vec<u32>,
}

impl Best {
    fn new(board: &Board) -> Self {
        Best {
            score: board.score(),
            at: board.at.clone(),
        }
    }

    fn offer(&mut self, board: &Board) {
        let score = board.score();
        if score > self.score {
            self.score = score;
            self.at.clone_from(&board.at);
        }
    }
}

/// The meetings in the way of one placement (at most three: one per person, one for a table).
#[derive(Debug, Clone, Copy, Default)]
struct Kick {
    list: [u32; 3],
    len: usize,
}

impl Kick {
    fn push(&mut self, m: u32) {
        if !self.contains(m) && self.len < self.list.len() {
            self.list[self.len] = m;
            self.len += 1;
        }
    }

    fn contains(&self, m: u32) -> bool {
        self.list[..self.len].contains(&m)
    }

    fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.list[..self.len].iter().map(|&m| m as usize)
    }
}

/// A uniform index below `n` (`n > 0`), the same on every platform.
fn pick(rng: &mut ChaCha8Rng, n: usize) -> usize {
    let n = u32::try_from(n).unwrap_or(u32::MAX).max(1);
    rng.random_range(0..n) as usize
}

impl Board {
    /// The open slot for meeting `m` that adds the fewest gaps (the earliest of equals).
    fn best_home(&self, m: usize) -> Option<usize> {
        let mut best: Option<(i64, usize)> = None;
        for &t in &self.items[m].options {
            let t = t as usize;
            if !self.fits(m, t) {
                continue;
            }
            let delta = self.add_delta(m, t);
            if best.is_none_or(|(d, _)| delta < d) {
                best = Some((delta, t));
            }
        }
        best.map(|(_, t)| t)
    }

    /// Whether meeting `e` fits in one of its slots other than `s`.
    fn can_rehome(&self, e: usize, s: usize) -> bool {
        self.items[e]
            .options
            .iter()
            .any(|&t| t as usize != s && self.fits(e, t as usize))
    }

    /// The meetings to take out for meeting `m` to go in slot `s`: its people's meetings there
    /// and, if it needs a table and none is left, an onsite meeting there at random. `None` when
    /// a pin is in the way.
    fn kick(&mut self, m: usize, s: usize) -> Option<Kick> {
        let mut kick = Kick::default();
        let (a, b, onsite) = {
            let item = &self.items[m];
            (item.a, item.b, item.onsite)
        };
        let mut freed = 0;
        for p in [a, b] {
            let x = self.busy[p * self.slots + s];
            if x == NONE {
                continue;
            }
            if self.items[x as usize].role != Role::Free {
                return None;
            }
            if !kick.contains(x) && self.items[x as usize].onsite {
                freed += 1;
            }
            kick.push(x);
        }
        if onsite && self.used[s] - freed >= self.cap[s] {
            // (One not in the way already: that would have freed a table.)
            let there = self.onsite_at[s].len();
            if there == 0 {
                return None;
            }
            let v = self.onsite_at[s][pick(&mut self.rng, there)];
            if kick.contains(v) {
                return None;
            }
            kick.push(v);
        }
        Some(kick)
    }

    /// Puts meeting `m` in slot `s`, taking out `kick` first and then putting each of those in
    /// its best open slot, if any. Each taken out may not go back to `s` before step `until`.
    fn insert(&mut self, m: usize, s: usize, kick: &Kick, until: u64) {
        for e in kick.iter() {
            self.unplace(e);
            let item = &mut self.items[e];
            if let Ok(k) = item.options.binary_search(&(s as u32)) {
                item.tabu[k] = item.tabu[k].max(until);
            }
        }
        self.place(m, s);
        for e in kick.iter() {
            if let Some(t) = self.best_home(e) {
                self.place(e, t);
            }
        }
    }

    /// Places the meetings the search may place, the most constrained first, each in its best
    /// open slot.
    fn greedy(&mut self) {
        let mut order = self.movable.clone();
        order.sort_by_key(|&m| (self.items[m as usize].options.len(), m));
        for m in order {
            if let Some(t) = self.best_home(m as usize) {
                self.place(m as usize, t);
            }
        }
    }

    /// Places whatever still fits.
    fn fill(&mut self) {
        for m in self.waiting.clone() {
            if let Some(t) = self.best_home(m as usize) {
                self.place(m as usize, t);
            }
        }
    }

    /// [`Stats::upper_bound`], and a bound on the smallest share: each person's pins plus
    /// their matching, over what they asked for, at the least.
    fn bounds(&self) -> (u32, Share) {
        let pins = self.placed;
        let mut matcher = Matcher::new(self.slots);
        // Per person: how many of their meetings with a usable slot must stay out at least.
        let mut short = vec![0u32; self.of.len()];
        let mut share = Share { num: 1, den: 1 };
        for (p, theirs) in self.of.iter().enumerate() {
            let lists: Vec<&[u32]> = theirs
                .iter()
                .map(|&m| self.items[m as usize].options.as_slice())
                .filter(|o| !o.is_empty())
                .collect();
            let matched = matcher.run(&lists, |_| 1);
            short[p] = lists.len() as u32 - matched;
            if self.requested[p] > 0 {
                share = share.min(Share {
                    num: self.count[p] + matched,
                    den: self.requested[p],
                });
            }
        }
        // A meeting left out is short for both its people: at least half the sum is left out,
        // and, over people no meeting joins, the whole sum (taken greedily, the shortest
        // first: any such set will do).
        let total: u64 = short.iter().map(|&d| u64::from(d)).sum();
        let mut order: Vec<usize> = (0..short.len()).filter(|&p| short[p] > 0).collect();
        order.sort_by_key(|&p| (std::cmp::Reverse(short[p]), p));
        let mut chosen = vec![false; short.len()];
        let mut apart = 0u64;
        for p in order {
            let joined = self.of[p].iter().any(|&m| {
                let item = &self.items[m as usize];
                !item.options.is_empty() && (chosen[item.a] || chosen[item.b])
            });
            if !joined {
                chosen[p] = true;
                apart += u64::from(short[p]);
            }
        }
        let movable = self.movable.len() as u64;
        let people = movable - apart.max(total.div_ceil(2)).min(movable);
        let online = self
            .movable
            .iter()
            .filter(|&&m| !self.items[m as usize].onsite)
            .count() as u64;
        let onsite: Vec<&[u32]> = self
            .movable
            .iter()
            .map(|&m| &self.items[m as usize])
            .filter(|item| item.onsite)
            .map(|item| item.options.as_slice())
            .collect();
        let tables =
            online + u64::from(matcher.run(&onsite, |s| self.cap[s].saturating_sub(self.used[s])));
        let bound = people.min(tables);
        (
            pins.saturating_add(u32::try_from(bound).unwrap_or(u32::MAX)),
            share,
        )
    }

    /// The schedule as it stands: tables given out, reasons and stats.
    fn finish(&self, instance: &Instance, upper_bound: u32) -> Schedule {
        let count = self.items.len();
        let slots: Vec<Option<u32>> = self.at.iter().map(|&s| (s != NONE).then_some(s)).collect();
        let mut tables = vec![None; count];
        // Per slot: the tables pinned, then the others in meeting order, pins first.
        let mut pinned: Vec<Vec<u32>> = vec![Vec::new(); self.slots];
        let mut rest: Vec<Vec<usize>> = vec![Vec::new(); self.slots];
        for (m, item) in self.items.iter().enumerate() {
            if self.at[m] == NONE || !item.onsite {
                continue;
            }
            let s = self.at[m] as usize;
            let pin = instance.meetings[m].pinned.and_then(|p| p.table);
            match pin {
                Some(t) if item.role == Role::Fixed => {
                    pinned[s].push(t);
                    tables[m] = Some(t);
                }
                _ => rest[s].push(m),
            }
        }
        for s in 0..self.slots {
            pinned[s].sort_unstable();
            rest[s].sort_by_key(|&m| (self.items[m].role != Role::Fixed, m));
            let (mut next, mut skip) = (0u32, 0usize);
            for &m in &rest[s] {
                while pinned[s].get(skip).is_some_and(|&t| t <= next) {
                    if pinned[s][skip] == next {
                        next += 1;
                    }
                    skip += 1;
                }
                tables[m] = Some(next);
                next += 1;
            }
        }
        let unplaced = self
            .items
            .iter()
            .enumerate()
            .filter(|(m, _)| self.at[*m] == NONE)
            .map(|(m, item)| Unplaced {
                meeting: m as u32,
                reason: match item.role {
                    Role::Out(reason) => reason,
                    _ if item.common => Reason::Taken,
                    _ => Reason::NoCommonSlot,
                },
            })
            .collect();
        let share = self.min_share();
        Schedule {
            slots,
            tables,
            unplaced,
            stats: Stats {
                placed: self.placed,
                min_share_permille: (u64::from(share.num) * 1000 / u64::from(share.den)) as u32,
                gaps: u32::try_from(self.total_gaps).unwrap_or(u32::MAX),
                upper_bound,
            },
        }
    }
}

#[cfg(test)]
mod tests;
