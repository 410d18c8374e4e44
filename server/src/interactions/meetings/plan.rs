//! An event's meeting plan: checked as the organiser sends it, and the slots it makes.

use crate::interactions::{Refusal, text};
use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use plenum_protocol::{Agenda, EventInfo, MeetingPlan, MeetingTable, limits, minutes};
use std::collections::BTreeSet;

/// One slot of a plan (the protocol's: the client lists the same slots).
pub use plenum_protocol::PlanSlot as Slot;

/// A local day (by its number) and time (`HH:MM`) of `event`, as an instant: in the event's
/// time zone (UTC if it names none we know), the earlier one when a clock change makes the time
/// occur twice. `None` for a day the agenda lacks.
pub fn instant(event: &EventInfo, day: u32, hhmm: &str) -> Option<DateTime<Utc>> {
    let zone: chrono_tz::Tz = event.time_zone.parse().unwrap_or(chrono_tz::UTC);
    let date = event.agenda.days.iter().find(|d| d.number == day)?;
    let date = NaiveDate::parse_from_str(&date.date, "%Y-%m-%d").ok()?;
    let time = NaiveTime::parse_from_str(hhmm, "%H:%M").ok()?;
    zone.from_local_datetime(&date.and_time(time))
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// The slots `plan` makes, in time order.
pub fn slots(plan: &MeetingPlan) -> Vec<Slot> {
    plan.slots()
}

/// `plan` as kept, or why not: each block on a day of the agenda, times `HH:MM`, none
/// overlapping another; every limit of [`limits`]; tables numbered uniquely; the video link
/// an `https://` template.
pub fn check(plan: &MeetingPlan, agenda: &Agenda) -> Result<MeetingPlan, Refusal> {
    let mut plan = plan.clone();
    if plan.blocks.is_empty() {
        return Err(Refusal::invalid("plan.blocks", "name at least one block"));
    }
    if plan.blocks.len() > limits::MAX_MEETING_BLOCKS {
        return Err(Refusal::TooLarge(format!(
            "plan.blocks: at most {}",
            limits::MAX_MEETING_BLOCKS
        )));
    }
    let mut spans: Vec<(u32, u32, u32, usize)> = Vec::new();
    for (i, b) in plan.blocks.iter().enumerate() {
        let field = |f: &str| format!("plan.blocks[{i}].{f}");
        if !agenda.days.iter().any(|d| d.number == b.day) {
            return Err(Refusal::invalid(
                &field("day"),
                format!("the agenda has no day {}", b.day),
            ));
        }
        let start = minutes(&b.start)
            .ok_or_else(|| Refusal::invalid(&field("start"), "must be a time like \"14:00\""))?;
        let end = minutes(&b.end)
            .ok_or_else(|| Refusal::invalid(&field("end"), "must be a time like \"17:00\""))?;
        if end <= start {
            return Err(Refusal::invalid(&field("end"), "must be after start"));
        }
        if !(5..=120).contains(&b.slot_minutes) {
            return Err(Refusal::invalid(
                &field("slot_minutes"),
                "must be 5 to 120 minutes",
            ));
        }
        if b.change_minutes > 60 {
            return Err(Refusal::invalid(
                &field("change_minutes"),
                "must be 0 to 60 minutes",
            ));
        }
        if start + b.slot_minutes > end {
            return Err(Refusal::invalid(
                &field("end"),
                "the block is shorter than one slot",
            ));
        }
        if let Some((_, _, _, j)) = spans
            .iter()
            .find(|(day, s, e, _)| *day == b.day && *s < end && start < *e)
        {
            return Err(Refusal::invalid(
                &field("start"),
                format!("overlaps plan.blocks[{j}]"),
            ));
        }
        spans.push((b.day, start, end, i));
    }
    let made = slots(&plan).len();
    if made > limits::MAX_MEETING_SLOTS {
        return Err(Refusal::TooLarge(format!(
            "plan.blocks: at most {} slots in all (these make {made})",
            limits::MAX_MEETING_SLOTS
        )));
    }
    if plan.tables.len() > limits::MAX_MEETING_TABLES {
        return Err(Refusal::TooLarge(format!(
            "plan.tables: at most {}",
            limits::MAX_MEETING_TABLES
        )));
    }
    let mut numbers = BTreeSet::new();
    let mut tables = Vec::with_capacity(plan.tables.len());
    for (i, t) in plan.tables.iter().enumerate() {
        if !(1..=9999).contains(&t.number) {
            return Err(Refusal::invalid(
                &format!("plan.tables[{i}].number"),
                "must be 1 to 9999",
            ));
        }
        if !numbers.insert(t.number) {
            return Err(Refusal::invalid(
                &format!("plan.tables[{i}].number"),
                format!("table {} is named twice", t.number),
            ));
        }
        let place = match t.place.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(p) => Some(text(
                &format!("plan.tables[{i}].place"),
                p,
                limits::MAX_PLACE_CHARS,
            )?),
        };
        tables.push(MeetingTable {
            number: t.number,
            place,
        });
    }
    tables.sort_by_key(|t| t.number);
    plan.tables = tables;
    plan.video = crate::interactions::video_template("plan.video", plan.video.as_deref())?;
    plan.profiles = super::profiles::rules(&plan.profiles)?;
    if !(1..=720).contains(&plan.expiry_hours) {
        return Err(Refusal::invalid(
            "plan.expiry_hours",
            "must be 1 to 720 hours",
        ));
    }
    if !(1..=limits::MAX_OPEN_MEETING_REQUESTS).contains(&plan.max_open_requests) {
        return Err(Refusal::invalid(
            "plan.max_open_requests",
            format!("must be 1 to {}", limits::MAX_OPEN_MEETING_REQUESTS),
        ));
    }
    let bytes = serde_json::to_vec(&plan).map_or(usize::MAX, |v| v.len());
    if bytes > limits::MAX_MEETING_PLAN_BYTES {
        return Err(Refusal::TooLarge(format!(
            "plan: a meeting plan is at most {} KiB as JSON (this one {} KiB): fewer tables, shorter places or tag lists",
            limits::MAX_MEETING_PLAN_BYTES / 1024,
            bytes.div_ceil(1024)
        )));
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;
    use plenum_protocol::{MeetingBlock, Session};

    fn agenda() -> Agenda {
        serde_json::from_value(serde_json::json!({
            "days": [{"number": 1, "date": "2026-05-12"}, {"number": 2, "date": "2026-05-13"}],
            "sessions": []
        }))
        .unwrap()
    }

    fn block(day: u32, start: &str, end: &str) -> MeetingBlock {
        MeetingBlock {
            day,
            start: start.into(),
            end: end.into(),
            slot_minutes: 20,
            change_minutes: 5,
        }
    }

    fn plan(blocks: Vec<MeetingBlock>) -> MeetingPlan {
        MeetingPlan {
            blocks,
            tables: vec![],
            video: None,
            expiry_hours: 48,
            max_open_requests: 20,
            keep_starred_free: true,
            profiles: Default::default(),
        }
    }

    #[test]
    fn a_block_makes_the_slots_that_fit() {
        // 14:00–17:00 in 20 + 5: 14:00, 14:25, … 16:30 (ends 16:50); 16:55 would end 17:15.
        let p = check(&plan(vec![block(2, "14:00", "17:00")]), &agenda()).unwrap();
        let s = slots(&p);
        assert_eq!(s.len(), 7);
        assert_eq!(s[0].at.start, "14:00");
        assert_eq!(s[1].at.start, "14:25");
        assert_eq!(s[6].at.start, "16:30");
        assert_eq!(s[6].end, "16:50");
        assert!(s.iter().all(|s| s.afternoon() && s.block == 0));
    }

    #[test]
    fn blocks_are_ordered_and_checked() {
        let p = plan(vec![block(2, "09:00", "10:00"), block(1, "14:00", "15:00")]);
        let s = slots(&check(&p, &agenda()).unwrap());
        assert_eq!((s[0].at.day, s[0].block), (1, 0));
        assert_eq!(s.last().unwrap().block, 1);
        assert!(!s.last().unwrap().afternoon());
        let bad = |p: MeetingPlan| check(&p, &agenda()).unwrap_err().to_string();
        assert!(bad(plan(vec![block(3, "09:00", "10:00")])).contains("no day 3"));
        assert!(bad(plan(vec![block(1, "9:00", "10:00")])).contains("blocks[0].start"));
        assert!(bad(plan(vec![block(1, "10:00", "10:10")])).contains("shorter than one slot"));
        assert!(
            bad(plan(vec![
                block(1, "09:00", "11:00"),
                block(1, "10:30", "12:00")
            ]))
            .contains("overlaps plan.blocks[0]")
        );
        assert!(bad(plan(vec![])).contains("at least one"));
        let mut long = plan(vec![block(1, "00:00", "23:59")]);
        long.blocks[0].slot_minutes = 5;
        long.blocks[0].change_minutes = 0;
        assert!(matches!(check(&long, &agenda()), Err(Refusal::TooLarge(_))));
        let mut p = plan(vec![block(1, "09:00", "10:00")]);
        p.video = Some("http://x".into());
        assert!(bad(p.clone()).contains("plan.video"));
        p.video = None;
        p.tables = vec![
            MeetingTable {
                number: 2,
                place: None,
            },
            MeetingTable {
                number: 2,
                place: None,
            },
        ];
        assert!(bad(p).contains("named twice"));
    }

    #[test]
    fn a_session_overlaps_the_slots_it_shares_time_with() {
        let p = check(&plan(vec![block(1, "14:00", "15:00")]), &agenda()).unwrap();
        let s = slots(&p); // 14:00–14:20, 14:25–14:45
        let session = |start: &str, end: &str| -> Session {
            serde_json::from_value(serde_json::json!({
                "id": "s", "title": "S", "kind": "plenary", "day": 1, "start": start, "end": end
            }))
            .unwrap()
        };
        assert!(s[0].overlaps(&session("13:30", "14:10")));
        assert!(!s[0].overlaps(&session("13:30", "14:00")));
        assert!(!s[1].overlaps(&session("14:20", "14:25")));
        assert!(s[1].overlaps(&session("14:44", "16:00")));
    }
}
