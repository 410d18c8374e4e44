//! A booth's staff: its staff link (an HMAC of the event, the booth, when it was made and the
//! link's generation), joining with it, leaving, being taken off by the organisers, and what
//! goes when a person is forgotten.

use super::{
    BoothRecord, Editor, Exhibition, ExhibitionChange, ExhibitionRecords, StaffMember, booth_view,
    leads, no_booth, talk, visits,
};
use crate::interactions::{
    Cx, Refusal,
    meetings::{self, Meetings},
};
use base64::Engine as _;
use hmac::{Hmac, Mac};
use plenum_protocol::{BoothId, EventCode, limits};
use sha2::Sha256;

/// How many bytes of the HMAC a staff link's code keeps (16 characters).
const CODE_BYTES: usize = 12;

/// The MAC of a staff link: of the event, the booth, when the booth was made (a booth removed
/// and made again under the same id has other links) and the link's generation.
fn code_mac(key: &[u8; 32], event: &EventCode, booth: &str, r: &BoothRecord) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    mac.update(format!("booth-staff:{event}:{booth}:{}:{}", r.made_ms, r.link).as_bytes());
    mac
}

/// The code of `booth`'s current staff link.
pub fn staff_code(key: &[u8; 32], event: &EventCode, booth: &str, r: &BoothRecord) -> String {
    let tag = code_mac(key, event, booth, r).finalize().into_bytes();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&tag[..CODE_BYTES])
}

/// Whether `code` is `booth`'s current staff link's (compared in constant time).
fn code_holds(key: &[u8; 32], event: &EventCode, booth: &str, r: &BoothRecord, code: &str) -> bool {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(code.trim())
        .ok()
        .filter(|t| t.len() == CODE_BYTES)
        .is_some_and(|t| {
            code_mac(key, event, booth, r)
                .verify_truncated_left(&t)
                .is_ok()
        })
}

/// Makes `booth`'s staff link anew: the old one stops working (the staff stay).
pub(super) fn renew_link(cx: &mut Cx<'_, Exhibition>, booth: &BoothId) -> Result<(), Refusal> {
    let records = booth_view(cx, booth.as_str());
    let record = records
        .booths
        .get(booth.as_str())
        .cloned()
        .ok_or_else(|| no_booth(booth))?;
    cx.change(ExhibitionChange::Booth(
        booth.to_string(),
        BoothRecord {
            link: record.link + 1,
            ..record
        },
    ));
    Ok(())
}

/// `person` joins `booth`'s staff with the staff link's `code`. Whether they joined (false:
/// they were on its staff already).
pub(super) fn join(
    cx: &mut Cx<'_, Exhibition>,
    booth: &BoothId,
    person: &str,
    name: Option<String>,
    organisation: Option<String>,
    code: &str,
) -> Result<bool, Refusal> {
    let records = booth_view(cx, booth.as_str());
    let record = records
        .booths
        .get(booth.as_str())
        .ok_or_else(|| no_booth(booth))?;
    let event = cx.room().event_code().clone();
    if !code_holds(cx.key(), &event, booth.as_str(), record, code) {
        return Err(Refusal::Forbidden(
            "this staff link does not work (any more): ask the organisers for the booth's current one".into(),
        ));
    }
    let Some(name) = name else {
        return Err(Refusal::Forbidden(
            "a booth's staff are shown by name: choose a display name first".into(),
        ));
    };
    if records.staffs(booth.as_str(), person) {
        return Ok(false);
    }
    let theirs = booths_of(cx, person).len();
    if theirs >= limits::MAX_BOOTHS_PER_PERSON {
        return Err(Refusal::TooLarge(format!(
            "one person is on the staff of at most {} booths",
            limits::MAX_BOOTHS_PER_PERSON
        )));
    }
    let room = cx.room().clone();
    if cx.other_of::<Meetings, _>(&room, |view| meetings::booths::asks(&view, person, booth))? {
        return Err(Refusal::Conflict(
            "your meeting with this booth waits for an answer: cancel it, or let it \
             be answered, before joining its staff"
                .into(),
        ));
    }
    if records.staff_of(booth.as_str()).count() >= limits::MAX_BOOTH_STAFF {
        return Err(Refusal::TooLarge(format!(
            "a booth has at most {} staff",
            limits::MAX_BOOTH_STAFF
        )));
    }
    cx.change(ExhibitionChange::Staff(
        booth.to_string(),
        person.to_owned(),
        StaffMember {
            name,
            organisation,
            joined_ms: cx.now_ms(),
        },
    ));
    talk::tell_queue(cx, booth);
    Ok(true)
}

/// The booths whose staff `person` is on, as the batch leaves them.
fn booths_of(cx: &Cx<'_, Exhibition>, person: &str) -> Vec<String> {
    cx.records()
        .part(|r| ExhibitionRecords {
            staff: r
                .staff
                .iter()
                .filter(|((_, p), _)| *p == person)
                .map(|(k, m)| (k.clone(), m.clone()))
                .collect(),
            ..ExhibitionRecords::default()
        })
        .staff
        .keys()
        .filter(|(_, p)| *p == person)
        .map(|(b, _)| b.clone())
        .collect()
}

/// Forgets `person` in the exhibition: off every booth's staff, and their talks, contacts and
/// visits gone. Whether they were on a booth's staff (what the hall shows changed).
pub(super) fn forget(cx: &mut Cx<'_, Exhibition>, person: &str) -> bool {
    let theirs = booths_of(cx, person);
    for booth in &theirs {
        take_off(cx, booth, person);
    }
    talk::forget(cx, person);
    leads::forget(cx, person);
    visits::forget(cx, person);
    !theirs.is_empty()
}

/// `person` leaves `booth`'s staff, or (`by` the organisers) is taken off it. Whether they
/// were on it.
pub(super) fn leave(
    cx: &mut Cx<'_, Exhibition>,
    booth: &BoothId,
    person: &str,
    by: &Editor,
) -> Result<bool, Refusal> {
    if matches!(by, Editor::Person(p) if p != person) {
        return Err(Refusal::Forbidden(
            "only the organisers take someone else off a booth's staff".into(),
        ));
    }
    let records = booth_view(cx, booth.as_str());
    if !records.booths.contains_key(booth.as_str()) {
        return Err(no_booth(booth));
    }
    if !records.staffs(booth.as_str(), person) {
        return Ok(false);
    }
    take_off(cx, booth.as_str(), person);
    // Taken off by the organisers: the link they joined with stops working, so
    // they cannot join again with it (the others stay).
    if *by == Editor::Organiser
        && let Some(record) = records.booths.get(booth.as_str())
    {
        cx.change(ExhibitionChange::Booth(
            booth.to_string(),
            BoothRecord {
                link: record.link + 1,
                ..record.clone()
            },
        ));
    }
    Ok(true)
}

/// Takes `person` off `booth`'s staff: their presence goes, and their queue leaves their inbox.
fn take_off(cx: &mut Cx<'_, Exhibition>, booth: &str, person: &str) {
    cx.change(ExhibitionChange::NoStaff(
        booth.to_owned(),
        person.to_owned(),
    ));
    let here = booth_view(cx, booth)
        .here
        .contains_key(&(booth.to_owned(), person.to_owned()));
    if here {
        cx.change(ExhibitionChange::NotHere(
            booth.to_owned(),
            person.to_owned(),
        ));
    }
    if let Ok(b) = BoothId::parse(booth) {
        talk::gone(cx, &b, person);
        talk::staff_left(cx, &b, person);
        leads::staff_left(cx, &b, person);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plenum_protocol::BoothDraft;

    #[test]
    fn a_staff_link_works_for_its_booth_and_generation_only() {
        let key = [3u8; 32];
        let event = EventCode::parse("ECC2026").unwrap();
        let r = |made_ms: i64, link: u32| BoothRecord {
            about: BoothDraft::default(),
            made_ms,
            link,
            logo: None,
        };
        let code = staff_code(&key, &event, "porto", &r(7, 0));
        assert!(code_holds(&key, &event, "porto", &r(7, 0), &code));
        // Renewed, or the booth removed and made again: another link.
        assert!(!code_holds(&key, &event, "porto", &r(7, 1), &code));
        assert!(!code_holds(&key, &event, "porto", &r(8, 0), &code));
        assert!(!code_holds(&key, &event, "lund", &r(7, 0), &code));
        assert!(!code_holds(&[4u8; 32], &event, "porto", &r(7, 0), &code));
        let other = EventCode::parse("OTHER").unwrap();
        assert!(!code_holds(&key, &other, "porto", &r(7, 0), &code));
        assert!(!code_holds(
            &key,
            &event,
            "porto",
            &r(7, 0),
            &code[..code.len() - 1]
        ));
        assert!(!code_holds(&key, &event, "porto", &r(7, 0), ""));
    }
}
