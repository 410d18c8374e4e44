//! The independent checks the scheduler is tested against: every rule re-read from the raw
//! instance and the schedule only (`validate`), and the optimum of a small instance by trying
//! every assignment (`brute_force`). Neither uses the scheduler's own bookkeeping.

use super::super::*;
use std::collections::{BTreeMap, BTreeSet};

/// Whether both people of valid meeting `m` are onsite.
fn is_onsite(instance: &Instance, m: &Meeting) -> bool {
    instance.people[m.a as usize].onsite && instance.people[m.b as usize].onsite
}

/// Rule 5: a meeting of someone with themselves, or naming what does not exist.
fn is_invalid(instance: &Instance, m: &Meeting) -> bool {
    let people = instance.people.len() as u32;
    if m.a == m.b || m.a >= people || m.b >= people {
        return true;
    }
    match m.pinned {
        None => false,
        Some(pin) => match instance.slots.get(pin.slot as usize) {
            None => true,
            Some(slot) => is_onsite(instance, m) && pin.table.is_some_and(|t| t >= slot.tables),
        },
    }
}

/// Rule 2 for valid meeting `m` in slot `s`, and a table in it if the meeting is onsite.
fn usable(instance: &Instance, m: &Meeting, s: usize) -> bool {
    let slot = &instance.slots[s];
    let s = s as u32;
    let suits = |p: &Person| {
        p.free.contains(&s)
            && match p.half {
                None => true,
                Some(Half::Morning) => !slot.afternoon,
                Some(Half::Afternoon) => slot.afternoon,
            }
    };
    suits(&instance.people[m.a as usize])
        && suits(&instance.people[m.b as usize])
        && !m.forbidden.contains(&s)
        && (!is_onsite(instance, m) || slot.tables > 0)
}

/// Idle gaps of an assignment of slots to meetings, from the definition.
fn gaps_of(instance: &Instance, slots: &[Option<u32>]) -> u32 {
    let mut total = 0;
    for p in 0..instance.people.len() as u32 {
        let meets = |s: usize| {
            instance.meetings.iter().zip(slots).any(|(m, at)| {
                *at == Some(s as u32) && !is_invalid(instance, m) && (m.a == p || m.b == p)
            })
        };
        let mut blocks: Vec<u32> = instance.slots.iter().map(|s| s.block).collect();
        blocks.sort_unstable();
        blocks.dedup();
        for block in blocks {
            let in_block: Vec<usize> = (0..instance.slots.len())
                .filter(|&s| instance.slots[s].block == block)
                .collect();
            let held: Vec<usize> = (0..in_block.len())
                .filter(|&k| meets(in_block[k]))
                .collect();
            if let (Some(&first), Some(&last)) = (held.first(), held.last()) {
                total += (first + 1..last)
                    .filter(|&k| {
                        !meets(in_block[k])
                            && instance.people[p as usize]
                                .free
                                .contains(&(in_block[k] as u32))
                    })
                    .count() as u32;
            }
        }
    }
    total
}

/// Each person's valid meetings asked for and placed.
fn counts(instance: &Instance, slots: &[Option<u32>]) -> Vec<(u32, u32)> {
    let mut counts = vec![(0, 0); instance.people.len()];
    for (m, at) in instance.meetings.iter().zip(slots) {
        if is_invalid(instance, m) {
            continue;
        }
        for p in [m.a, m.b] {
            counts[p as usize].0 += 1;
            counts[p as usize].1 += u32::from(at.is_some());
        }
    }
    counts
}

/// The smallest share placed as a fraction (placed, asked), (1, 1) when nobody asked.
pub(super) fn min_share(instance: &Instance, slots: &[Option<u32>]) -> (u32, u32) {
    counts(instance, slots)
        .into_iter()
        .filter(|(asked, _)| *asked > 0)
        .map(|(asked, placed)| (placed, asked))
        .min_by(|x, y| (x.0 * y.1).cmp(&(y.0 * x.1)))
        .unwrap_or((1, 1))
}

/// A share in thousandths, rounded down.
fn permille((placed, asked): (u32, u32)) -> u32 {
    placed * 1000 / asked
}

/// Every rule of the module's notes, checked from the raw instance and the schedule only.
pub(super) fn validate(instance: &Instance, schedule: &Schedule) -> Result<(), String> {
    let n = instance.meetings.len();
    if schedule.slots.len() != n || schedule.tables.len() != n {
        return Err("a slot and a table entry per meeting".into());
    }
    // Placed, or listed unplaced exactly once (in meeting order).
    let mut listed = vec![None; n];
    for (k, u) in schedule.unplaced.iter().enumerate() {
        let m = u.meeting as usize;
        if m >= n || listed[m].is_some() {
            return Err(format!(
                "unplaced entry {k}: meeting {m} unknown or listed twice"
            ));
        }
        if k > 0 && schedule.unplaced[k - 1].meeting >= u.meeting {
            return Err("unplaced not in meeting order".into());
        }
        listed[m] = Some(u.reason);
    }
    for (m, reason) in listed.iter().enumerate() {
        if schedule.slots[m].is_some() == reason.is_some() {
            return Err(format!("meeting {m}: placed and listed, or neither"));
        }
    }
    // Hard rules for the placed meetings.
    let mut person_at: BTreeMap<(u32, u32), usize> = BTreeMap::new();
    let mut table_at: BTreeMap<(u32, u32), usize> = BTreeMap::new();
    let mut onsite_in = vec![0u32; instance.slots.len()];
    for (m, meeting) in instance.meetings.iter().enumerate() {
        let Some(s) = schedule.slots[m] else {
            if schedule.tables[m].is_some() {
                return Err(format!("meeting {m}: a table but no slot"));
            }
            continue;
        };
        if is_invalid(instance, meeting) {
            return Err(format!("meeting {m}: invalid, yet placed"));
        }
        if s as usize >= instance.slots.len() {
            return Err(format!("meeting {m}: slot {s} does not exist"));
        }
        match meeting.pinned {
            Some(pin) if pin.slot != s => return Err(format!("meeting {m}: pin moved")),
            Some(_) => {}
            None if !usable(instance, meeting, s as usize) => {
                return Err(format!(
                    "meeting {m}: slot {s} breaks rule 2 or has no table"
                ));
            }
            None => {}
        }
        for p in [meeting.a, meeting.b] {
            if let Some(other) = person_at.insert((p, s), m) {
                return Err(format!("person {p} twice in slot {s}: {other} and {m}"));
            }
        }
        let onsite = is_onsite(instance, meeting);
        match (onsite, schedule.tables[m]) {
            (false, None) => {}
            (false, Some(_)) => return Err(format!("meeting {m}: online with a table")),
            (true, None) => return Err(format!("meeting {m}: onsite without a table")),
            (true, Some(t)) => {
                if t >= instance.slots[s as usize].tables {
                    return Err(format!("meeting {m}: table {t} does not exist in slot {s}"));
                }
                if let Some(other) = table_at.insert((s, t), m) {
                    return Err(format!("table {t} of slot {s}: {other} and {m}"));
                }
                if let Some(pinned) = meeting.pinned.and_then(|p| p.table)
                    && pinned != t
                {
                    return Err(format!("meeting {m}: pinned table {pinned}, given {t}"));
                }
                onsite_in[s as usize] += 1;
            }
        }
    }
    // The pins, replayed in meeting order: each kept unless it clashes with one kept before.
    let mut kept_person: BTreeSet<(u32, u32)> = BTreeSet::new();
    let mut kept_table: BTreeSet<(u32, u32)> = BTreeSet::new();
    let mut kept_onsite = vec![0u32; instance.slots.len()];
    for (m, meeting) in instance.meetings.iter().enumerate() {
        let Some(pin) = meeting.pinned else { continue };
        if is_invalid(instance, meeting) {
            continue;
        }
        let onsite = is_onsite(instance, meeting);
        let table = pin.table.filter(|_| onsite);
        let clash = kept_person.contains(&(meeting.a, pin.slot))
            || kept_person.contains(&(meeting.b, pin.slot))
            || (onsite
                && kept_onsite[pin.slot as usize] >= instance.slots[pin.slot as usize].tables)
            || table.is_some_and(|t| kept_table.contains(&(pin.slot, t)));
        if clash {
            if listed[m] != Some(Reason::PinClash) {
                return Err(format!("meeting {m}: a pin clash, not listed as one"));
            }
            continue;
        }
        if schedule.slots[m] != Some(pin.slot) {
            return Err(format!(
                "meeting {m}: a pin that clashes with none, not kept"
            ));
        }
        kept_person.insert((meeting.a, pin.slot));
        kept_person.insert((meeting.b, pin.slot));
        if let Some(t) = table {
            kept_table.insert((pin.slot, t));
        }
        if onsite {
            kept_onsite[pin.slot as usize] += 1;
        }
    }
    // Each reason, confirmed.
    for (m, meeting) in instance.meetings.iter().enumerate() {
        let Some(reason) = listed[m] else { continue };
        if is_invalid(instance, meeting) != (reason == Reason::Invalid) {
            return Err(format!(
                "meeting {m}: listed {reason:?}, yet invalid is {}",
                is_invalid(instance, meeting)
            ));
        }
        if meeting.pinned.is_none() && reason == Reason::PinClash {
            return Err(format!("meeting {m}: a pin clash without a pin"));
        }
        if meeting.pinned.is_some() && matches!(reason, Reason::NoCommonSlot | Reason::Taken) {
            return Err(format!("meeting {m}: pinned, yet {reason:?}"));
        }
        let common: Vec<usize> = if reason == Reason::Invalid {
            Vec::new()
        } else {
            (0..instance.slots.len())
                .filter(|&s| usable(instance, meeting, s))
                .collect()
        };
        match reason {
            Reason::NoCommonSlot if !common.is_empty() => {
                return Err(format!("meeting {m}: no common slot, yet {common:?}"));
            }
            Reason::Taken if common.is_empty() => {
                return Err(format!("meeting {m}: taken, yet no common slot"));
            }
            Reason::Taken => {
                for &s in &common {
                    let s32 = s as u32;
                    let busy = person_at.contains_key(&(meeting.a, s32))
                        || person_at.contains_key(&(meeting.b, s32));
                    let full =
                        is_onsite(instance, meeting) && onsite_in[s] >= instance.slots[s].tables;
                    if !busy && !full {
                        return Err(format!("meeting {m}: taken, yet slot {s} is open"));
                    }
                }
            }
            _ => {}
        }
    }
    // The stats, from scratch.
    let placed = schedule.slots.iter().flatten().count() as u32;
    let stats = Stats {
        placed,
        min_share_permille: permille(min_share(instance, &schedule.slots)),
        gaps: gaps_of(instance, &schedule.slots),
        upper_bound: schedule.stats.upper_bound,
    };
    if stats != schedule.stats {
        return Err(format!("stats {:?}, recomputed {stats:?}", schedule.stats));
    }
    if placed > schedule.stats.upper_bound {
        return Err(format!(
            "{placed} placed over the bound {}",
            stats.upper_bound
        ));
    }
    Ok(())
}

/// The most meetings placeable, then the highest smallest share among those, then the fewest
/// gaps among those, by trying every assignment (each meeting in a usable slot, or none).
pub(super) fn brute_force(instance: &Instance) -> (u32, (u32, u32), u32) {
    struct Search<'a> {
        instance: &'a Instance,
        usable: Vec<Vec<u32>>,
        at: Vec<Option<u32>>,
        busy: BTreeSet<(u32, u32)>,
        onsite: Vec<u32>,
        best: Option<(u32, (u32, u32), u32)>,
    }
    impl Search<'_> {
        fn go(&mut self, m: usize, placed: u32) {
            let left = (self.at.len() - m) as u32;
            if self.best.is_some_and(|b| placed + left < b.0) {
                return;
            }
            if m == self.at.len() {
                let share = min_share(self.instance, &self.at);
                let gaps = gaps_of(self.instance, &self.at);
                let better = match self.best {
                    None => true,
                    Some((p, s, g)) => {
                        placed > p
                            || (placed == p
                                && (share.0 * s.1 > s.0 * share.1
                                    || (share.0 * s.1 == s.0 * share.1 && gaps < g)))
                    }
                };
                if better {
                    self.best = Some((placed, share, gaps));
                }
                return;
            }
            let meeting = &self.instance.meetings[m];
            let onsite = is_onsite(self.instance, meeting);
            for s in self.usable[m].clone() {
                let tables = self.instance.slots[s as usize].tables;
                if self.busy.contains(&(meeting.a, s))
                    || self.busy.contains(&(meeting.b, s))
                    || (onsite && self.onsite[s as usize] >= tables)
                {
                    continue;
                }
                self.busy.insert((meeting.a, s));
                self.busy.insert((meeting.b, s));
                self.onsite[s as usize] += u32::from(onsite);
                self.at[m] = Some(s);
                self.go(m + 1, placed + 1);
                self.at[m] = None;
                self.onsite[s as usize] -= u32::from(onsite);
                self.busy.remove(&(meeting.a, s));
                self.busy.remove(&(meeting.b, s));
            }
            self.go(m + 1, placed);
        }
    }
    let mut search = Search {
        instance,
        usable: instance
            .meetings
            .iter()
            .map(|m| {
                (0..instance.slots.len())
                    .filter(|&s| usable(instance, m, s))
                    .map(|s| s as u32)
                    .collect()
            })
            .collect(),
        at: vec![None; instance.meetings.len()],
        busy: BTreeSet::new(),
        onsite: vec![0; instance.slots.len()],
        best: None,
    };
    search.go(0, 0);
    search.best.unwrap_or((0, (1, 1), 0))
}
