//! Maximum matchings of meetings into slots, behind the scheduler's proven bounds: on the
//! meetings placed ([`super::Stats::upper_bound`]) and on each person's share.

use super::NONE;

/// Maximum matchings of items into slots with capacities, by augmenting paths found breadth
/// first; its buffers are kept between runs.
pub(super) struct Matcher {
    /// Per slot: the items in it; when it was last seen (by run and search), and from where.
    holders: Vec<Vec<u32>>,
    seen: Vec<u64>,
    from: Vec<(u32, u32)>,
    stamp: u64,
    queue: Vec<u32>,
}

impl Matcher {
    pub(super) fn new(slots: usize) -> Self {
        Matcher {
            holders: vec![Vec::new(); slots],
            seen: vec![0; slots],
            from: vec![(NONE, NONE); slots],
            stamp: 0,
            queue: Vec::new(),
        }
    }

    /// The size of a maximum matching of `items` (each the slots it may take) into slots of
    /// capacity `capacity(slot)`.
    pub(super) fn run(&mut self, items: &[&[u32]], capacity: impl Fn(usize) -> u32) -> u32 {
        let mut size = 0;
        let mut touched: Vec<usize> = Vec::new();
        for (i, options) in items.iter().enumerate() {
            self.stamp += 1;
            self.queue.clear();
            for &t in options.iter() {
                let t = t as usize;
                if self.seen[t] != self.stamp {
                    self.seen[t] = self.stamp;
                    self.from[t] = (NONE, NONE);
                    self.queue.push(t as u32);
                }
            }
            let mut head = 0;
            let mut end = None;
            while head < self.queue.len() {
                let t = self.queue[head] as usize;
                head += 1;
                if (self.holders[t].len() as u32) < capacity(t) {
                    end = Some(t);
                    break;
                }
                for k in 0..self.holders[t].len() {
                    let w = self.holders[t][k];
                    for &t2 in items[w as usize].iter() {
                        let t2 = t2 as usize;
                        if self.seen[t2] != self.stamp {
                            self.seen[t2] = self.stamp;
                            self.from[t2] = (t as u32, w);
                            self.queue.push(t2 as u32);
                        }
                    }
                }
            }
            let Some(mut t) = end else { continue };
            size += 1;
            touched.push(t);
            // Along the path back: each item moves into the slot after its own.
            while let (prev, w) = self.from[t]
                && prev != NONE
            {
                let prev = prev as usize;
                if let Some(k) = self.holders[prev].iter().position(|&x| x == w) {
                    self.holders[prev].swap_remove(k);
                }
                self.holders[t].push(w);
                t = prev;
            }
            self.holders[t].push(i as u32);
        }
        for t in touched {
            self.holders[t].clear();
        }
        size
    }
}
