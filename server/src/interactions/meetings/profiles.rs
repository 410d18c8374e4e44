//! Matchmaking profiles: checked against the event's rules, found, and recommended.

use super::MeetingsRecords;
use crate::interactions::people::PeopleRecords;
use crate::interactions::{Refusal, text};
use plenum_protocol::{
    Found, Listed, MatchCard, MatchProfile, PersonId, ProfileRules, Recommended, limits,
};
use std::collections::BTreeSet;

/// A tag as kept: from the event's list (in its spelling) when it has one, else the person's
/// own, trimmed and in lower case.
fn tag(field: &str, value: &str, list: &[String]) -> Result<String, Refusal> {
    let value = value.trim();
    if list.is_empty() {
        return Ok(text(field, value, limits::MAX_TAG_CHARS)?.to_lowercase());
    }
    list.iter()
        .find(|t| t.eq_ignore_ascii_case(value) || t.to_lowercase() == value.to_lowercase())
        .cloned()
        .ok_or_else(|| Refusal::invalid(field, format!("{value:?} is not one of the event's")))
}

/// `tags` as kept: each checked, no repeats, at most `max`.
fn tags(
    field: &str,
    given: &[String],
    list: &[String],
    max: usize,
) -> Result<Vec<String>, Refusal> {
    if given.len() > max {
        return Err(Refusal::TooLarge(format!("{field}: at most {max}")));
    }
    let mut out: Vec<String> = Vec::new();
    for (i, t) in given.iter().enumerate() {
        let t = tag(&format!("{field}[{i}]"), t, list)?;
        if !out.contains(&t) {
            out.push(t);
        }
    }
    Ok(out)
}

/// The event's tag lists as kept: each tag a short text, no repeats, at most 200.
pub fn rules(rules: &ProfileRules) -> Result<ProfileRules, Refusal> {
    let list = |field: &str, given: &[String]| -> Result<Vec<String>, Refusal> {
        if given.len() > limits::MAX_TAG_LIST {
            return Err(Refusal::TooLarge(format!(
                "{field}: at most {}",
                limits::MAX_TAG_LIST
            )));
        }
        let mut out: Vec<String> = Vec::new();
        for (i, t) in given.iter().enumerate() {
            let t = text(&format!("{field}[{i}]"), t, limits::MAX_TAG_CHARS)?;
            if out.iter().any(|o| o.to_lowercase() == t.to_lowercase()) {
                return Err(Refusal::invalid(&format!("{field}[{i}]"), "named twice"));
            }
            out.push(t);
        }
        Ok(out)
    };
    Ok(ProfileRules {
        sectors: list("plan.profiles.sectors", &rules.sectors)?,
        tags: list("plan.profiles.tags", &rules.tags)?,
        no_role: rules.no_role,
        open: rules.open,
    })
}

/// `profile` as kept under the event's `rules`, or why not.
pub fn check(profile: &MatchProfile, rules: &ProfileRules) -> Result<MatchProfile, Refusal> {
    let role = match profile.role.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(_) if rules.no_role => {
            return Err(Refusal::invalid(
                "profile.role",
                "this event's profiles have no role",
            ));
        }
        Some(r) => Some(text("profile.role", r, limits::MAX_ROLE_CHARS)?),
    };
    if !profile.sectors.is_empty() && rules.sectors.is_empty() {
        return Err(Refusal::invalid(
            "profile.sectors",
            "this event's profiles have no sectors",
        ));
    }
    let sectors = tags(
        "profile.sectors",
        &profile.sectors,
        &rules.sectors,
        limits::MAX_PROFILE_SECTORS,
    )?;
    if profile.cards.len() > limits::MAX_MATCH_CARDS {
        return Err(Refusal::TooLarge(format!(
            "profile.cards: at most {}",
            limits::MAX_MATCH_CARDS
        )));
    }
    let mut cards = Vec::new();
    for (i, c) in profile.cards.iter().enumerate() {
        let field = |f: &str| format!("profile.cards[{i}].{f}");
        cards.push(MatchCard {
            kind: c.kind,
            title: text(&field("title"), &c.title, limits::MAX_CARD_TITLE_CHARS)?,
            text: match c.text.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(t) => Some(text(&field("text"), t, limits::MAX_CARD_TEXT_CHARS)?),
            },
            tags: tags(&field("tags"), &c.tags, &rules.tags, limits::MAX_CARD_TAGS)?,
        });
    }
    let kept = MatchProfile {
        listed: profile.listed,
        role,
        sectors,
        cards,
    };
    let bytes = serde_json::to_vec(&kept).map_or(usize::MAX, |v| v.len());
    if bytes > limits::MAX_MATCH_PROFILE_BYTES {
        return Err(Refusal::TooLarge(format!(
            "profile: a matchmaking profile is at most {} KiB as JSON (this one {} KiB)",
            limits::MAX_MATCH_PROFILE_BYTES / 1024,
            bytes.div_ceil(1024)
        )));
    }
    Ok(kept)
}

/// A `find_people` query.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// Part of a name, organisation, role, card or tag; any case.
    pub text: String,
    /// People with a card of each of these tags.
    pub tags: Vec<String>,
    pub country: Option<String>,
    pub sector: Option<String>,
    /// Only people open for a meeting now and free in this slot.
    pub free_now_at: Option<plenum_protocol::SlotAt>,
    /// The page after this cursor (a previous answer's `next`).
    pub after: Option<String>,
    /// Now (ms): who is open for a meeting now.
    pub now_ms: i64,
}

/// `id` as the others find them, if listed.
fn listed(
    records: &MeetingsRecords,
    people: &PeopleRecords,
    id: &str,
    now_ms: i64,
) -> Option<Listed> {
    let profile = records.profiles.get(id).filter(|p| p.listed)?;
    let someone = people.people.get(id).cloned().unwrap_or_default();
    Some(Listed {
        id: PersonId::parse(id).ok()?,
        name: someone.name,
        organisation: someone.profile.organisation,
        country: someone.profile.country,
        languages: someone.profile.languages,
        role: profile.role.clone(),
        sectors: profile.sectors.clone(),
        cards: profile.cards.clone(),
        online: records.prefs.get(id).is_some_and(|p| p.online),
        open_now: records
            .open_now
            .get(id)
            .is_some_and(|until| *until > now_ms),
    })
}

/// The sort key of a listed person, which is also the paging cursor: by name (the nameless
/// last), then id.
fn key(l: &Listed) -> String {
    match &l.name {
        Some(n) => format!("0{}\u{0}{}", n.to_lowercase(), l.id),
        None => format!("1\u{0}{}", l.id),
    }
}

/// A page of the listed people `query` finds (`me` aside), sorted by name.
pub fn find(records: &MeetingsRecords, people: &PeopleRecords, query: &Query, me: &str) -> Found {
    let text = query.text.trim().to_lowercase();
    let has = |s: &str| s.to_lowercase().contains(&text);
    let tags: Vec<String> = query.tags.iter().map(|t| t.trim().to_lowercase()).collect();
    let mut found: Vec<(String, Listed)> = records
        .profiles
        .iter()
        .filter(|(id, p)| p.listed && id.as_str() != me)
        .filter_map(|(id, _)| listed(records, people, id, query.now_ms))
        .filter(|l| {
            text.is_empty()
                || l.name.as_deref().is_some_and(has)
                || l.organisation.as_deref().is_some_and(has)
                || l.role.as_deref().is_some_and(has)
                || l.sectors.iter().any(|s| has(s))
                || l.cards.iter().any(|c| {
                    has(&c.title)
                        || c.text.as_deref().is_some_and(has)
                        || c.tags.iter().any(|t| has(t))
                })
        })
        .filter(|l| {
            tags.iter().all(|t| {
                l.cards
                    .iter()
                    .any(|c| c.tags.iter().any(|x| x.to_lowercase() == *t))
            })
        })
        .filter(|l| {
            query.country.as_deref().is_none_or(|c| {
                l.country
                    .as_deref()
                    .is_some_and(|x| x.eq_ignore_ascii_case(c))
            })
        })
        .filter(|l| {
            query
                .sector
                .as_deref()
                .is_none_or(|s| l.sectors.iter().any(|x| x.eq_ignore_ascii_case(s)))
        })
        .filter(|l| {
            query.free_now_at.as_ref().is_none_or(|at| {
                l.open_now
                    && !records.mine(l.id.as_str()).any(|m| {
                        m.status == plenum_protocol::MeetingStatus::Accepted
                            && m.slot.as_ref() == Some(at)
                    })
            })
        })
        .map(|l| (key(&l), l))
        .filter(|(k, _)| query.after.as_ref().is_none_or(|a| k > a))
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    // At most 30, within the frame's budget (a profile is at most 12 KiB).
    let fit = fitting(found.iter().map(|(_, l)| l), limits::MAX_FOUND_PEOPLE);
    let more = found.len() > fit;
    found.truncate(fit);
    Found {
        next: more.then(|| found.last().map(|(k, _)| k.clone())).flatten(),
        people: found.into_iter().map(|(_, l)| l).collect(),
    }
}

/// How many of `items`, at most `max`, fit in a frame's list budget (one at least).
fn fitting<'a, T: serde::Serialize + 'a>(items: impl Iterator<Item = &'a T>, max: usize) -> usize {
    let mut left = limits::LIST_BUDGET_BYTES;
    let mut n = 0;
    for item in items.take(max) {
        let size = serde_json::to_vec(item).map_or(usize::MAX, |v| v.len()) + 1;
        if size > left && n > 0 {
            break;
        }
        left = left.saturating_sub(size);
        n += 1;
    }
    n
}

/// The listed people whose requests meet `me`'s offers and whose offers meet `me`'s requests
/// (by a tag in common), best first, each with the reasons in words.
pub fn recommend(
    records: &MeetingsRecords,
    people: &PeopleRecords,
    me: &str,
    now_ms: i64,
) -> Vec<Recommended> {
    let Some(mine) = records.profiles.get(me) else {
        return Vec::new();
    };
    let lower =
        |c: &MatchCard| -> BTreeSet<String> { c.tags.iter().map(|t| t.to_lowercase()).collect() };
    let mut scored: Vec<(usize, String, Recommended)> = Vec::new();
    for (id, theirs) in records
        .profiles
        .iter()
        .filter(|(id, p)| p.listed && id.as_str() != me)
    {
        let mut reasons = Vec::new();
        let mut score = 0;
        for a in &mine.cards {
            for b in theirs.cards.iter().filter(|b| b.kind != a.kind) {
                let common: Vec<String> = lower(a).intersection(&lower(b)).cloned().collect();
                if common.is_empty() {
                    continue;
                }
                score += 2 * common.len();
                let (their_kind, my_kind) = match b.kind {
                    plenum_protocol::CardKind::Request => ("request", "offer"),
                    plenum_protocol::CardKind::Offer => ("offer", "request"),
                };
                reasons.push(format!(
                    "Their {their_kind} “{}” matches your {my_kind} “{}”: {}",
                    b.title,
                    a.title,
                    common.join(", ")
                ));
            }
        }
        if reasons.is_empty() {
            continue;
        }
        let sectors: Vec<&String> = theirs
            .sectors
            .iter()
            .filter(|s| mine.sectors.iter().any(|m| m.eq_ignore_ascii_case(s)))
            .collect();
        if !sectors.is_empty() {
            score += sectors.len();
            reasons.push(format!(
                "You share the sector{} {}",
                if sectors.len() > 1 { "s" } else { "" },
                sectors
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        reasons.truncate(4);
        if let Some(person) = listed(records, people, id, now_ms) {
            scored.push((score, key(&person), Recommended { person, reasons }));
        }
    }
    scored.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let fit = fitting(scored.iter().map(|(_, _, r)| r), limits::MAX_RECOMMENDED);
    scored.into_iter().take(fit).map(|(_, _, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interactions::people::{PeopleRecords, Someone};
    use plenum_protocol::{CardKind, Profile};

    /// `n` listed people with the largest profiles allowed, each offering what `me` asks for.
    fn crowd(n: usize) -> (MeetingsRecords, PeopleRecords) {
        let mut records = MeetingsRecords::default();
        let mut people = PeopleRecords::default();
        let card = |kind, i: usize| MatchCard {
            kind,
            title: format!("{i}").repeat(limits::MAX_CARD_TITLE_CHARS)
                [..limits::MAX_CARD_TITLE_CHARS]
                .to_owned(),
            text: Some("é".repeat(limits::MAX_CARD_TEXT_CHARS / 2)),
            tags: vec!["hydrogen".into()],
        };
        for i in 0..n {
            let id = format!("p{i:03}");
            let profile = MatchProfile {
                listed: true,
                role: Some("r".repeat(limits::MAX_ROLE_CHARS)),
                sectors: vec![],
                cards: (0..limits::MAX_MATCH_CARDS)
                    .map(|c| card(CardKind::Offer, c))
                    .collect(),
            };
            assert!(check(&profile, &ProfileRules::default()).is_ok());
            records.profiles.insert(id.clone(), profile);
            people.people.insert(
                id,
                Someone {
                    name: Some(format!("Person {i:03}")),
                    profile: Profile::default(),
                    stars: Default::default(),
                },
            );
        }
        records.profiles.insert(
            "me".into(),
            MatchProfile {
                listed: true,
                cards: vec![card(CardKind::Request, 1)],
                ..MatchProfile::default()
            },
        );
        (records, people)
    }

    #[test]
    fn a_page_of_large_profiles_fits_a_frame_and_pages_reach_everyone_once() {
        let (records, people) = crowd(40);
        let mut seen = Vec::new();
        let mut after = None;
        loop {
            let page = find(
                &records,
                &people,
                &Query {
                    after: after.clone(),
                    ..Query::default()
                },
                "me",
            );
            let bytes = serde_json::to_vec(&page).unwrap().len();
            assert!(bytes <= limits::LIST_BUDGET_BYTES, "{bytes}");
            assert!(!page.people.is_empty());
            seen.extend(page.people.iter().map(|l| l.id.to_string()));
            match page.next {
                Some(n) => after = Some(n),
                None => break,
            }
        }
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!((seen.len(), unique.len()), (40, 40));
        let recommended = recommend(&records, &people, "me", 0);
        let bytes = serde_json::to_vec(&recommended).unwrap().len();
        assert!(bytes <= limits::LIST_BUDGET_BYTES, "{bytes}");
        assert!(!recommended.is_empty());
    }
}
