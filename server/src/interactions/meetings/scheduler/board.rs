//! The board a schedule is made on: people, slots and meetings by index, with what each
//! placement changes kept up to date (tables used, shares, idle gaps), and a journal to undo
//! a step. The search's moves (`walks`, `matcher`, the greedy fill) change it only through
//! `place` and `unplace`.

use super::{Guide, Half, Instance, Item, NO, NONE, Reason, Role, Score, Share};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::collections::{BTreeMap, BTreeSet};

/// A schedule being made: people, slots and meetings by index.
pub(super) struct Board {
    /// The number of slots.
    pub(super) slots: usize,
    pub(super) items: Vec<Item>,
    /// Each meeting's slot, or [`NONE`].
    pub(super) at: Vec<u32>,
    /// Person × slot: free for it.
    pub(super) free: Vec<bool>,
    /// Person × slot: the meeting they have there, or [`NONE`].
    pub(super) busy: Vec<u32>,
    /// Each slot's tables.
    pub(super) cap: Vec<u32>,
    /// Each slot's onsite meetings, pins included.
    pub(super) used: Vec<u32>,
    /// Each slot's onsite meetings the search placed, and each such meeting's position there.
    pub(super) onsite_at: Vec<Vec<u32>>,
    pub(super) onsite_pos: Vec<u32>,
    /// The meetings the search may place, in meeting order.
    pub(super) movable: Vec<u32>,
    /// Those not placed, and each one's position here.
    pub(super) waiting: Vec<u32>,
    pub(super) waiting_pos: Vec<u32>,
    /// Each slot's block (a dense index), and each block's slots in order.
    pub(super) block: Vec<usize>,
    pub(super) blocks: Vec<Vec<usize>>,
    /// Person × block: idle gaps.
    pub(super) gaps: Vec<u32>,
    pub(super) total_gaps: u64,
    /// The person × block entries with gaps, and each one's position here.
    pub(super) gappy: Vec<u32>,
    pub(super) gappy_pos: Vec<u32>,
    /// Each person's meetings that are not invalid, and those placed.
    pub(super) requested: Vec<u32>,
    pub(super) count: Vec<u32>,
    /// How many people (with a request) have each share.
    pub(super) shares: BTreeMap<Share, u32>,
    pub(super) placed: u32,
    /// Each person's kept pins and meetings the search may place.
    pub(super) of: Vec<Vec<u32>>,
    /// Changes since a mark, to undo a step: (meeting, slot it was at or [`NONE`]).
    pub(super) journal: Vec<(u32, u32)>,
    pub(super) recording: bool,
    pub(super) rng: ChaCha8Rng,
}

impl Board {
    pub(super) fn new(instance: &Instance, seed: u64) -> Self {
        let slots = instance.slots.len();
        let people = instance.people.len();
        let mut free = vec![false; people * slots];
        for (p, person) in instance.people.iter().enumerate() {
            for &s in &person.free {
                if (s as usize) < slots {
                    free[p * slots + s as usize] = true;
                }
            }
        }
        let mut ids: Vec<u32> = instance.slots.iter().map(|s| s.block).collect();
        ids.sort_unstable();
        ids.dedup();
        let block: Vec<usize> = instance
            .slots
            .iter()
            .map(|s| ids.binary_search(&s.block).unwrap_or(0))
            .collect();
        let mut blocks = vec![Vec::new(); ids.len()];
        for (s, &b) in block.iter().enumerate() {
            blocks[b].push(s);
        }
        let cap: Vec<u32> = instance.slots.iter().map(|s| s.tables).collect();

        let items: Vec<Item> = instance
            .meetings
            .iter()
            .map(|m| {
                let (a, b) = (m.a as usize, m.b as usize);
                let mut item = Item {
                    a: 0,
                    b: 0,
                    onsite: false,
                    role: Role::Out(Reason::Invalid),
                    common: false,
                    options: Vec::new(),
                    tabu: Vec::new(),
                };
                if a == b || a >= people || b >= people {
                    return item;
                }
                let onsite = instance.people[a].onsite && instance.people[b].onsite;
                if let Some(pin) = m.pinned {
                    let Some(slot) = instance.slots.get(pin.slot as usize) else {
                        return item;
                    };
                    if onsite && pin.table.is_some_and(|t| t >= slot.tables) {
                        return item;
                    }
                }
                item.a = a;
                item.b = b;
                item.onsite = onsite;
                item.role = Role::Free;
                item
            })
            .collect();
        let mut requested = vec![0u32; people];
        for item in &items {
            if item.role != Role::Out(Reason::Invalid) {
                requested[item.a] += 1;
                requested[item.b] += 1;
            }
        }
        let mut shares = BTreeMap::new();
        for &r in requested.iter().filter(|r| **r > 0) {
            *shares.entry(Share { num: 0, den: r }).or_insert(0) += 1;
        }
        let count = items.len();
        let mut board = Board {
            slots,
            items,
            at: vec![NONE; count],
            free,
            busy: vec![NONE; people * slots],
            cap,
            used: vec![0; slots],
            onsite_at: vec![Vec::new(); slots],
            onsite_pos: vec![NONE; count],
            movable: Vec::new(),
            waiting: Vec::new(),
            waiting_pos: vec![NONE; count],
            gaps: vec![0; people * blocks.len()],
            gappy: Vec::new(),
            gappy_pos: vec![NONE; people * blocks.len()],
            block,
            blocks,
            total_gaps: 0,
            requested,
            count: vec![0; people],
            shares,
            placed: 0,
            of: vec![Vec::new(); people],
            journal: Vec::new(),
            recording: false,
            rng: ChaCha8Rng::seed_from_u64(seed),
        };

        // The pins, in meeting order: each kept unless it clashes with one kept before.
        let mut pinned_tables: Vec<BTreeSet<u32>> = vec![BTreeSet::new(); slots];
        for (m, meeting) in instance.meetings.iter().enumerate() {
            let Some(pin) = meeting.pinned else { continue };
            if board.items[m].role != Role::Free {
                continue;
            }
            let s = pin.slot as usize;
            let (a, b, onsite) = (board.items[m].a, board.items[m].b, board.items[m].onsite);
            let table = pin.table.filter(|_| onsite);
            let clash = board.busy[a * slots + s] != NONE
                || board.busy[b * slots + s] != NONE
                || (onsite && board.used[s] >= board.cap[s])
                || table.is_some_and(|t| pinned_tables[s].contains(&t));
            if clash {
                board.items[m].role = Role::Out(Reason::PinClash);
                continue;
            }
            if let Some(t) = table {
                pinned_tables[s].insert(t);
            }
            board.items[m].role = Role::Fixed;
            board.place(m, s);
        }

        // Where each other meeting may go.
        for (m, meeting) in instance.meetings.iter().enumerate() {
            if board.items[m].role == Role::Out(Reason::Invalid) {
                continue;
            }
            let (a, b) = (board.items[m].a, board.items[m].b);
            board.of[a].push(m as u32);
            board.of[b].push(m as u32);
            if board.items[m].role != Role::Free {
                continue;
            }
            let mut forbidden = meeting.forbidden.clone();
            forbidden.sort_unstable();
            let halves = [instance.people[a].half, instance.people[b].half];
            let onsite = board.items[m].onsite;
            let mut common = false;
            let mut options = Vec::new();
            for (s, slot) in instance.slots.iter().enumerate() {
                let half = if slot.afternoon {
                    Half::Afternoon
                } else {
                    Half::Morning
                };
                let fits = board.free[a * slots + s]
                    && board.free[b * slots + s]
                    && forbidden.binary_search(&(s as u32)).is_err()
                    && halves.iter().all(|h| h.is_none_or(|h| h == half))
                    && (!onsite || slot.tables > 0);
                if !fits {
                    continue;
                }
                common = true;
                let open = board.busy[a * slots + s] == NONE
                    && board.busy[b * slots + s] == NONE
                    && (!onsite || board.used[s] < board.cap[s]);
                if open {
                    options.push(s as u32);
                }
            }
            let item = &mut board.items[m];
            item.common = common;
            item.tabu = vec![0; options.len()];
            item.options = options;
            if !item.options.is_empty() {
                board.movable.push(m as u32);
                board.waiting_pos[m] = board.waiting.len() as u32;
                board.waiting.push(m as u32);
            }
        }
        board
    }

    pub(super) fn score(&self) -> Score {
        Score {
            placed: self.placed,
            share: self.min_share(),
            gaps: self.total_gaps,
        }
    }

    pub(super) fn guide(&self) -> Guide {
        let (share, crowd) = self
            .shares
            .iter()
            .next()
            .map_or((Share { num: 1, den: 1 }, 0), |(s, n)| (*s, *n));
        Guide {
            placed: self.placed,
            share,
            crowd,
            gaps: self.total_gaps,
        }
    }

    pub(super) fn min_share(&self) -> Share {
        self.shares
            .keys()
            .next()
            .copied()
            .unwrap_or(Share { num: 1, den: 1 })
    }

    pub(super) fn share_of(&self, p: usize) -> Share {
        Share {
            num: self.count[p],
            den: self.requested[p].max(1),
        }
    }

    /// Whether meeting `m`, not placed, fits in slot `s` as the schedule stands.
    pub(super) fn fits(&self, m: usize, s: usize) -> bool {
        let item = &self.items[m];
        self.busy[item.a * self.slots + s] == NONE
            && self.busy[item.b * self.slots + s] == NONE
            && (!item.onsite || self.used[s] < self.cap[s])
    }

    pub(super) fn place(&mut self, m: usize, s: usize) {
        let (a, b, onsite, role) = {
            let item = &self.items[m];
            (item.a, item.b, item.onsite, item.role)
        };
        self.busy[a * self.slots + s] = m as u32;
        self.busy[b * self.slots + s] = m as u32;
        self.at[m] = s as u32;
        if onsite {
            self.used[s] += 1;
        }
        if role == Role::Free {
            if onsite {
                self.onsite_pos[m] = self.onsite_at[s].len() as u32;
                self.onsite_at[s].push(m as u32);
            }
            let pos = self.waiting_pos[m] as usize;
            self.waiting.swap_remove(pos);
            if let Some(&moved) = self.waiting.get(pos) {
                self.waiting_pos[moved as usize] = pos as u32;
            }
            self.waiting_pos[m] = NONE;
        }
        self.placed += 1;
        self.recount(a, 1);
        self.recount(b, 1);
        self.regap(a, self.block[s]);
        self.regap(b, self.block[s]);
        if self.recording {
            self.journal.push((m as u32, NONE));
        }
    }

    /// Takes out meeting `m`, which the search placed.
    pub(super) fn unplace(&mut self, m: usize) {
        let s = self.at[m] as usize;
        let (a, b, onsite) = {
            let item = &self.items[m];
            (item.a, item.b, item.onsite)
        };
        self.busy[a * self.slots + s] = NONE;
        self.busy[b * self.slots + s] = NONE;
        self.at[m] = NONE;
        if onsite {
            self.used[s] -= 1;
            let pos = self.onsite_pos[m] as usize;
            self.onsite_at[s].swap_remove(pos);
            if let Some(&moved) = self.onsite_at[s].get(pos) {
                self.onsite_pos[moved as usize] = pos as u32;
            }
            self.onsite_pos[m] = NONE;
        }
        self.waiting_pos[m] = self.waiting.len() as u32;
        self.waiting.push(m as u32);
        self.placed -= 1;
        self.recount(a, -1);
        self.recount(b, -1);
        self.regap(a, self.block[s]);
        self.regap(b, self.block[s]);
        if self.recording {
            self.journal.push((m as u32, s as u32));
        }
    }

    /// Undoes the changes journalled since `mark`.
    pub(super) fn revert(&mut self, mark: usize) {
        let recording = std::mem::replace(&mut self.recording, false);
        while self.journal.len() > mark {
            let Some((m, was)) = self.journal.pop() else {
                break;
            };
            if was == NONE {
                self.unplace(m as usize);
            } else {
                self.place(m as usize, was as usize);
            }
        }
        self.recording = recording;
    }

    /// Puts back the search's meetings as `at` has them.
    pub(super) fn restore(&mut self, at: &[u32]) {
        for &m in &self.movable.clone() {
            if self.at[m as usize] != NONE && self.at[m as usize] != at[m as usize] {
                self.unplace(m as usize);
            }
        }
        for &m in &self.movable.clone() {
            let (m, s) = (m as usize, at[m as usize]);
            if s != NONE && self.at[m] == NONE {
                self.place(m, s as usize);
            }
        }
    }

    pub(super) fn recount(&mut self, p: usize, by: i32) {
        let old = self.share_of(p);
        if let Some(n) = self.shares.get_mut(&old) {
            *n -= 1;
            if *n == 0 {
                self.shares.remove(&old);
            }
        }
        self.count[p] = self.count[p].saturating_add_signed(by);
        *self.shares.entry(self.share_of(p)).or_insert(0) += 1;
    }

    pub(super) fn regap(&mut self, p: usize, blk: usize) {
        let new = self.gaps_with(p, blk, NO, NO);
        let i = p * self.blocks.len() + blk;
        let old = std::mem::replace(&mut self.gaps[i], new);
        self.total_gaps = self.total_gaps + u64::from(new) - u64::from(old);
        if old == 0 && new > 0 {
            self.gappy_pos[i] = self.gappy.len() as u32;
            self.gappy.push(i as u32);
        } else if old > 0 && new == 0 {
            let pos = self.gappy_pos[i] as usize;
            self.gappy.swap_remove(pos);
            if let Some(&moved) = self.gappy.get(pos) {
                self.gappy_pos[moved as usize] = pos as u32;
            }
            self.gappy_pos[i] = NONE;
        }
    }

    /// Person `p`'s idle gaps in block `blk`, were they also to meet in slot `add` and not in
    /// slot `drop` ([`NO`] for neither).
    pub(super) fn gaps_with(&self, p: usize, blk: usize, add: usize, drop: usize) -> u32 {
        let (mut total, mut pending, mut seen) = (0, 0, false);
        for &s in &self.blocks[blk] {
            let i = p * self.slots + s;
            if s == add || (s != drop && self.busy[i] != NONE) {
                if seen {
                    total += pending;
                }
                pending = 0;
                seen = true;
            } else if self.free[i] {
                pending += 1;
            }
        }
        total
    }

    pub(super) fn gaps_of(&self, p: usize, blk: usize) -> i64 {
        i64::from(self.gaps[p * self.blocks.len() + blk])
    }

    /// How the gaps change if meeting `m`, not placed, goes in slot `t`.
    pub(super) fn add_delta(&self, m: usize, t: usize) -> i64 {
        let item = &self.items[m];
        let blk = self.block[t];
        [item.a, item.b]
            .iter()
            .map(|&p| i64::from(self.gaps_with(p, blk, t, NO)) - self.gaps_of(p, blk))
            .sum()
    }

    /// How the gaps change if meeting `m`, placed, moves to slot `t`.
    pub(super) fn move_delta(&self, m: usize, t: usize) -> i64 {
        let item = &self.items[m];
        let c = self.at[m] as usize;
        let (from, to) = (self.block[c], self.block[t]);
        [item.a, item.b]
            .iter()
            .map(|&p| {
                if from == to {
                    i64::from(self.gaps_with(p, to, t, c)) - self.gaps_of(p, to)
                } else {
                    i64::from(self.gaps_with(p, from, NO, c)) - self.gaps_of(p, from)
                        + i64::from(self.gaps_with(p, to, t, NO))
                        - self.gaps_of(p, to)
                }
            })
            .sum()
    }
}
