//! Visits to a booth's page: the booth's staff see counts (visits, unique visitors, visitors
//! now), never who.
//!
//! A visitor's page says they are there when it opens and again every minute
//! (`visit_booth`), and that they left when it closes. Kept as `booth_visit` (key
//! `BOOTH|VISITOR`: how many visits, the first and the last moment, and whether the page is
//! open): one per booth a person looked at, so at most [`limits::MAX_BOOTHS`] per person. A
//! visit is new when the person had not been at the booth's page within [`VISIT_GAP_MS`]; a
//! person is a visitor now while their page said so within [`PRESENT_MS`]. The
//! booth's staff are never counted at their own booth.

use super::{Exhibition, ExhibitionChange, ExhibitionRecords, no_booth, talk};
use crate::interactions::{Cx, Refusal};
use plenum_protocol::{BoothId, BoothVisit};
use serde::{Deserialize, Serialize};

/// A return to the page after this long is a new visit.
pub const VISIT_GAP_MS: i64 = 30 * 60_000;
/// A visitor is here for this long after their page last said so (it says so every minute).
pub const PRESENT_MS: i64 = 150_000;
/// An unchanged visit is written at most this often: one write a minute per open page.
pub const RENEW_MS: i64 = 50_000;

/// A person's visits to a booth's page, as kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitRecord {
    pub visits: u32,
    pub first_ms: i64,
    /// When their page last said they are there (or that they left).
    pub last_ms: i64,
    /// Whether their page is open (it has not said they left).
    pub here: bool,
}

/// How many people (the booth's staff aside) have `booth`'s page open at `now`.
pub fn visitors_now(r: &ExhibitionRecords, booth: &str, now: i64) -> u32 {
    let n = r
        .visits
        .range((booth.to_owned(), String::new())..)
        .take_while(|((b, _), _)| b == booth)
        .filter(|((_, p), v)| v.here && now - v.last_ms <= PRESENT_MS && !r.staffs(booth, p))
        .count();
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// `person` says they are at `booth`'s page (`here`), or that they left it.
pub fn visit(
    cx: &mut Cx<'_, Exhibition>,
    booth: &BoothId,
    person: &str,
    here: bool,
) -> Result<(), Refusal> {
    let r = super::booth_view(cx, booth.as_str());
    if !r.booths.contains_key(booth.as_str()) {
        return Err(no_booth(booth));
    }
    if r.staffs(booth.as_str(), person) {
        // Its own staff are not its visitors.
        return Ok(());
    }
    let now = cx.now_ms();
    let key = (booth.to_string(), person.to_owned());
    let seen = r.visits.get(&key).copied();
    let Some((record, new)) = next(seen, here, now) else {
        return Ok(());
    };
    if new {
        let first = seen.is_none();
        talk::count(cx, booth, |c| {
            c.visits = c.visits.saturating_add(1);
            if first {
                c.visitors = c.visitors.saturating_add(1);
            }
        });
    }
    cx.change(ExhibitionChange::Visit(key.0, key.1, record));
    if new {
        // The staff's counts changed.
        talk::tell_staff(cx, booth);
    }
    Ok(())
}

/// What a page saying `here` (or not) at `now` makes of the visits `seen`: the record to keep
/// and whether it is a new visit, or `None` when nothing changes.
fn next(seen: Option<VisitRecord>, here: bool, now: i64) -> Option<(VisitRecord, bool)> {
    match (here, seen) {
        (false, Some(v)) if v.here => Some((
            VisitRecord {
                last_ms: now,
                here: false,
                ..v
            },
            false,
        )),
        (false, _) => None,
        (true, Some(v)) if v.here && now - v.last_ms < RENEW_MS => None,
        (true, Some(v)) if now - v.last_ms <= VISIT_GAP_MS => Some((
            VisitRecord {
                last_ms: now,
                here: true,
                ..v
            },
            false,
        )),
        (true, _) => Some((
            VisitRecord {
                visits: seen.map_or(0, |v| v.visits).saturating_add(1),
                first_ms: seen.map_or(now, |v| v.first_ms),
                last_ms: now,
                here: true,
            },
            true,
        )),
    }
}

/// `person`'s visits, as they see them (their own data).
pub fn visits_of(r: &ExhibitionRecords, person: &str) -> Vec<BoothVisit> {
    r.visits
        .iter()
        .filter(|((_, p), _)| p == person)
        .filter_map(|((b, _), v)| {
            Some(BoothVisit {
                booth: BoothId::parse(b).ok()?,
                visits: v.visits,
                first_ms: v.first_ms,
                last_ms: v.last_ms,
            })
        })
        .collect()
}

/// Deletes `person`'s visits ("delete my data"): the booths' counts stay, as counts.
pub fn forget(cx: &mut Cx<'_, Exhibition>, person: &str) {
    let theirs: Vec<String> = cx
        .records()
        .part(|r| ExhibitionRecords {
            visits: r
                .visits
                .iter()
                .filter(|((_, p), _)| p == person)
                .map(|(k, v)| (k.clone(), *v))
                .collect(),
            ..ExhibitionRecords::default()
        })
        .visits
        .keys()
        .filter(|(_, p)| p == person)
        .map(|(b, _)| b.clone())
        .collect();
    for booth in theirs {
        cx.change(ExhibitionChange::NoVisit(booth, person.to_owned()));
    }
}

/// Deletes every visit to a booth being removed.
pub fn booth_removed(cx: &mut Cx<'_, Exhibition>, booth: &BoothId) {
    let r = super::booth_view(cx, booth.as_str());
    for (b, p) in r.visits.keys() {
        cx.change(ExhibitionChange::NoVisit(b.clone(), p.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interactions::Interaction;

    fn with(visits: &[(&str, &str, VisitRecord)], staff: &[(&str, &str)]) -> ExhibitionRecords {
        let mut r = ExhibitionRecords::default();
        for (b, p, v) in visits {
            Exhibition::apply(
                &mut r,
                &ExhibitionChange::Visit((*b).into(), (*p).into(), *v),
            );
        }
        for (b, p) in staff {
            let m = super::super::StaffMember {
                name: (*p).into(),
                organisation: None,
                joined_ms: 0,
            };
            Exhibition::apply(
                &mut r,
                &ExhibitionChange::Staff((*b).into(), (*p).into(), m),
            );
        }
        r
    }

    #[test]
    fn a_visit_is_new_after_a_gap_and_renewed_at_most_every_so_often() {
        let t0 = 5_000_000;
        // The first look: a visit, and a visitor.
        let (v, new) = next(None, true, t0).unwrap();
        assert!(new && v.visits == 1 && v.first_ms == t0 && v.here);
        // Said again soon: nothing written; later: renewed, the same visit.
        assert_eq!(next(Some(v), true, t0 + 1_000), None);
        let (v, new) = next(Some(v), true, t0 + RENEW_MS).unwrap();
        assert!(!new && v.visits == 1 && v.last_ms == t0 + RENEW_MS);
        // Leaving, once; leaving again changes nothing.
        let (v, new) = next(Some(v), false, t0 + 60_000).unwrap();
        assert!(!new && !v.here && v.last_ms == t0 + 60_000);
        assert_eq!(next(Some(v), false, t0 + 61_000), None);
        assert_eq!(next(None, false, t0), None);
        // Back within the gap: the same visit; after it, a new one.
        let (back, new) = next(Some(v), true, t0 + 60_000 + VISIT_GAP_MS).unwrap();
        assert!(!new && back.visits == 1 && back.here);
        let (later, new) = next(Some(v), true, t0 + 60_001 + VISIT_GAP_MS).unwrap();
        assert!(new && later.visits == 2 && later.first_ms == t0);
    }

    #[test]
    fn visitors_now_are_open_recent_pages_of_that_booth_without_its_staff() {
        let v = |last_ms: i64, here: bool| VisitRecord {
            visits: 1,
            first_ms: 0,
            last_ms,
            here,
        };
        let now = 1_000_000;
        let r = with(
            &[
                ("porto", "a", v(now - 1_000, true)),
                ("porto", "b", v(now - PRESENT_MS - 1, true)),
                ("porto", "c", v(now - 1_000, false)),
                ("porto", "d", v(now, true)),
                ("porto-2", "e", v(now, true)),
                ("portob", "f", v(now, true)),
            ],
            &[("porto", "d")],
        );
        // a only: b's page went quiet, c left, d is staff; e and f are other booths'.
        assert_eq!(visitors_now(&r, "porto", now), 1);
        assert_eq!(visitors_now(&r, "porto-2", now), 1);
        assert_eq!(visitors_now(&r, "lund", now), 0);
        let mine = visits_of(&r, "a");
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].booth.as_str(), "porto");
    }
}
