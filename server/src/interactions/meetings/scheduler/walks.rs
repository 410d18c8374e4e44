//! The scheduler's walks (steps 3 and 4 of the search in the parent module's docs): the tabu
//! ejection walk that puts waiting meetings in, and the polishing walk with its three moves.

use super::{Best, Board, CANDIDATES, CHAIN, Kick, NONE, Role, SLOTS_WEIGHED, Score, UPHILL, pick};
use rand::Rng;

impl Board {
    /// The tabu ejection walk (step 3 of the module's notes), for at most `budget` steps,
    /// while fewer than `bound` are placed, and until an eighth of `budget` passes without a
    /// new best count. Returns the steps taken.
    pub(super) fn climb(&mut self, budget: u64, bound: u32, best: &mut Best) -> u64 {
        let patience = (budget / 8).max(1);
        let (mut step, mut last) = (0, 0);
        while step < budget
            && step - last < patience
            && self.placed < bound
            && !self.waiting.is_empty()
        {
            step += 1;
            let record = best.score.placed;
            self.tabu_step(step, record);
            best.offer(self);
            if best.score.placed > record {
                last = step;
            }
        }
        step
    }

    /// One step of the tabu walk: of the slots of a few waiting meetings, the placement that
    /// loses the fewest meetings (those taken out that have no open slot), ties at random.
    pub(super) fn tabu_step(&mut self, step: u64, record: u32) {
        let mut choice: Option<(i64, usize, usize, Kick)> = None;
        let mut ties = 0u32;
        let mut weighed = 0;
        for _ in 0..CANDIDATES.min(self.waiting.len()) {
            if weighed >= SLOTS_WEIGHED {
                break;
            }
            let u = self.waiting[pick(&mut self.rng, self.waiting.len())] as usize;
            weighed += self.items[u].options.len();
            for k in 0..self.items[u].options.len() {
                let s = self.items[u].options[k] as usize;
                let Some(kick) = self.kick(u, s) else {
                    continue;
                };
                let lost = kick.iter().filter(|&e| !self.can_rehome(e, s)).count() as i64;
                let tabu = self.items[u].tabu[k] > step;
                if tabu && i64::from(self.placed) + 1 - lost <= i64::from(record) {
                    continue;
                }
                match choice {
                    Some((best, ..)) if lost > best => continue,
                    Some((best, ..)) if lost == best => {
                        ties += 1;
                        if pick(&mut self.rng, ties as usize) != 0 {
                            continue;
                        }
                    }
                    _ => ties = 1,
                }
                choice = Some((lost, u, s, kick));
            }
        }
        let Some((_, u, s, kick)) = choice else {
            return;
        };
        let tenure = 1 + self.waiting.len() as u64 / 5 + pick(&mut self.rng, 4) as u64;
        self.insert(u, s, &kick, step + tenure);
    }

    /// The polishing walk (step 4 of the module's notes), for at most `budget` steps, and
    /// until the best schedule scores `optimum` (nothing can score more).
    pub(super) fn polish(&mut self, budget: u64, optimum: Score, best: &mut Best) {
        self.recording = true;
        for _ in 0..budget {
            let perfect = self.waiting.is_empty();
            if (perfect && self.total_gaps == 0) || best.score >= optimum {
                break;
            }
            self.journal.clear();
            match pick(&mut self.rng, if perfect { 2 } else { 3 }) {
                0 => self.shift(),
                1 => self.kempe(),
                _ => self.exchange(),
            }
            best.offer(self);
        }
        self.recording = false;
        self.journal.clear();
    }

    /// A meeting the search placed, at random: three times in four, one of a person with idle
    /// gaps in its block, if any.
    pub(super) fn gappy(&mut self) -> Option<usize> {
        if !self.gappy.is_empty() && pick(&mut self.rng, 2) != 0 {
            let i = self.gappy[pick(&mut self.rng, self.gappy.len())] as usize;
            let (p, blk) = (i / self.blocks.len(), i % self.blocks.len());
            let theirs = &self.of[p];
            let start = pick(&mut self.rng, theirs.len());
            for k in 0..theirs.len() {
                let m = theirs[(start + k) % theirs.len()] as usize;
                let s = self.at[m];
                if self.items[m].role == Role::Free && s != NONE && self.block[s as usize] == blk {
                    return Some(m);
                }
            }
        }
        for _ in 0..8 {
            let Some(&m) = self.movable.get(pick(&mut self.rng, self.movable.len())) else {
                break;
            };
            let m = m as usize;
            if self.at[m] != NONE {
                return Some(m);
            }
        }
        None
    }

    /// Moves a meeting to the open slot that cuts the most gaps (ties at random), if that adds
    /// none, or one time in [`UPHILL`] a single one.
    pub(super) fn shift(&mut self) {
        let Some(m) = self.gappy() else { return };
        let here = self.at[m] as usize;
        let mut best: Option<(i64, usize)> = None;
        let mut ties = 0;
        for k in 0..self.items[m].options.len() {
            let t = self.items[m].options[k] as usize;
            if t == here || !self.fits(m, t) {
                continue;
            }
            let delta = self.move_delta(m, t);
            match best {
                Some((d, _)) if delta > d => continue,
                Some((d, _)) if delta == d => {
                    ties += 1;
                    if pick(&mut self.rng, ties) != 0 {
                        continue;
                    }
                }
                _ => ties = 1,
            }
            best = Some((delta, t));
        }
        if let Some((delta, t)) = best
            && (delta <= 0 || (delta == 1 && pick(&mut self.rng, UPHILL) == 0))
        {
            self.unplace(m);
            self.place(m, t);
        }
    }

    /// Moves a meeting to another of its slots, and with it what is in its way there to the
    /// meeting's slot, as a chain (a Kempe chain): the meetings of its people in the other
    /// slot, theirs back in the first, and so on, and an onsite meeting at random where a slot
    /// would have more onsite meetings than tables. Kept if every meeting of the chain may take
    /// its new slot and the gaps do not grow; none kept with more than [`CHAIN`] meetings.
    pub(super) fn kempe(&mut self) {
        let Some(m1) = self.gappy() else { return };
        let s1 = self.at[m1] as usize;
        let options = self.items[m1].options.len();
        let s2 = self.items[m1].options[pick(&mut self.rng, options)] as usize;
        if s2 == s1 {
            return;
        }
        let mut chain = vec![m1 as u32];
        let mut next = 0;
        loop {
            // The closure over people.
            while next < chain.len() {
                let m = chain[next] as usize;
                next += 1;
                let to = if self.at[m] as usize == s1 { s2 } else { s1 };
                let item = &self.items[m];
                if item.role != Role::Free || item.options.binary_search(&(to as u32)).is_err() {
                    return;
                }
                for p in [item.a, item.b] {
                    let x = self.busy[p * self.slots + to];
                    if x != NONE && !chain.contains(&x) {
                        if chain.len() >= CHAIN {
                            return;
                        }
                        chain.push(x);
                    }
                }
            }
            // Tables: onsite meetings into each slot less those out of it.
            let onsite_in = |slot: usize| {
                chain
                    .iter()
                    .filter(|&&m| self.items[m as usize].onsite)
                    .map(|&m| {
                        if self.at[m as usize] as usize == slot {
                            -1
                        } else {
                            1
                        }
                    })
                    .sum::<i64>()
            };
            let over = [s1, s2].into_iter().find(|&slot| {
                i64::from(self.used[slot]) + onsite_in(slot) > i64::from(self.cap[slot])
            });
            let Some(full) = over else { break };
            let there = self.onsite_at[full].len();
            if there == 0 || chain.len() >= CHAIN {
                return;
            }
            let v = self.onsite_at[full][pick(&mut self.rng, there)];
            if chain.contains(&v) {
                return;
            }
            chain.push(v);
        }
        let before = self.total_gaps;
        let moves: Vec<(usize, usize)> = chain
            .iter()
            .map(|&m| {
                let m = m as usize;
                (m, if self.at[m] as usize == s1 { s2 } else { s1 })
            })
            .collect();
        for &(m, _) in &moves {
            self.unplace(m);
        }
        for &(m, to) in &moves {
            if !self.fits(m, to) {
                self.revert(0);
                return;
            }
            self.place(m, to);
        }
        if self.total_gaps > before {
            self.revert(0);
        }
    }

    /// Puts a waiting meeting in one of its slots at random, taking out what is in the way
    /// and rehoming it where it can; kept if the schedule is no worse by [`Guide`].
    pub(super) fn exchange(&mut self) {
        let Some(u) = self.lowest() else { return };
        let k = pick(&mut self.rng, self.items[u].options.len());
        let s = self.items[u].options[k] as usize;
        let Some(kick) = self.kick(u, s) else { return };
        let before = self.guide();
        self.insert(u, s, &kick, 0);
        if self.guide() < before {
            self.revert(0);
        }
    }

    /// A waiting meeting: half of the time one of a person with the smallest share, if any.
    pub(super) fn lowest(&mut self) -> Option<usize> {
        let n = self.waiting.len();
        if n == 0 {
            return None;
        }
        let start = pick(&mut self.rng, n);
        if self.rng.random_bool(0.5) {
            let low = self.min_share();
            for i in 0..n {
                let u = self.waiting[(start + i) % n] as usize;
                let item = &self.items[u];
                if self.share_of(item.a) == low || self.share_of(item.b) == low {
                    return Some(u);
                }
            }
        }
        Some(self.waiting[start] as usize)
    }
}
