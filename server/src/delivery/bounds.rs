//! Every frame within [`limits::MAX_SERVER_FRAME_BYTES`], however large the room.
//!
//! Events are bounded by construction: each carries one item or a cut list (a question, whose
//! merges stop at [`limits::MAX_MERGED`]; a poll, quiz or award vote, each created in one client
//! frame of at most 16 KiB; open-text results cut to their budget; vote counts split at
//! [`limits::MAX_TALLIES_PER_EVENT`]). Lists are not: a session may hold 5,000 open questions
//! and 200 polls. So a snapshot is filled to [`limits::LIST_BUDGET_BYTES`] in the order of what
//! matters now, and says in `omitted` what it left out; `page` serves the rest, newest first,
//! in the same budget. The event room keeps its newest announcements and an inbox its newest
//! notes, as many as fit.
//!
//! The order of a session snapshot:
//! 1. what is running: open polls, a quiz being played, open award votes, the highlighted question;
//! 2. questions, taken in turn from three lists: the oldest waiting for review (staff; for an
//!    attendee their own waiting ones), the top-voted published ones, and the newest they may see;
//! 3. the other polls, quizzes and award votes, newest first (drafts first for staff);
//! 4. more questions, in the same turn, while room is left;
//! 5. the tables' harvests, the highest-numbered first, while room is left.

use super::audience::{
    Viewer, poll_for_audience, question_for, quiz_for_audience, tables_for_audience,
};
use crate::engine::Personalise;
use plenum_protocol::{
    Award, AwardStatus, Harvest, Listing, Omitted, Poll, PollStatus, QaState, Question,
    QuestionStatus, Quiz, QuizStatus, RoomState, ScreenShows, SessionState, limits,
};
use serde::Serialize;
use std::collections::HashSet;

/// What is left of the budget.
struct Budget(usize);

impl Budget {
    /// Takes `item` if its JSON (and a comma) fits what is left.
    fn take<T: Serialize>(&mut self, item: &T) -> bool {
        let size = json_len(item) + 1;
        let fits = size <= self.0;
        if fits {
            self.0 -= size;
        }
        fits
    }
}

fn json_len<T: Serialize>(item: &T) -> usize {
    serde_json::to_vec(item).map_or(usize::MAX / 2, |v| v.len())
}

/// The lists a viewer may see of a session, other than questions, personalised.
struct Lists {
    polls: Vec<Poll>,
    quizzes: Vec<Quiz>,
    awards: Vec<Award>,
}

fn lists(s: &SessionState, viewer: &Viewer, personalise: Personalise<'_>) -> Lists {
    let staff = *viewer == Viewer::Staff;
    let mut view = SessionState {
        polls: if staff {
            s.polls.clone()
        } else {
            s.polls.iter().filter_map(poll_for_audience).collect()
        },
        quizzes: if staff {
            s.quizzes.clone()
        } else {
            s.quizzes.iter().filter_map(quiz_for_audience).collect()
        },
        awards: s
            .awards
            .iter()
            .filter(|a| staff || a.status != AwardStatus::Draft)
            .cloned()
            .collect(),
        ..SessionState::default()
    };
    let mut room = RoomState::Session(std::mem::take(&mut view));
    personalise(&mut room);
    let RoomState::Session(view) = room else {
        unreachable!("a session view stays a session view")
    };
    Lists {
        polls: view.polls,
        quizzes: view.quizzes,
        awards: view.awards,
    }
}

/// Whether `viewer` may see `q` (without copying it).
fn sees(q: &Question, viewer: &Viewer) -> bool {
    match viewer {
        Viewer::Staff => true,
        Viewer::Person(me) => match q.status {
            QuestionStatus::Live | QuestionStatus::Answered => true,
            QuestionStatus::Pending | QuestionStatus::Dismissed => {
                !me.is_empty() && q.asker.id.as_deref() == Some(me)
            }
            _ => false,
        },
    }
}

/// The questions `viewer` may see, in the turn of the module docs: indexes into `all`.
fn question_order(all: &[Question], viewer: &Viewer) -> Vec<usize> {
    let visible: Vec<usize> = (0..all.len()).filter(|&i| sees(&all[i], viewer)).collect();
    // Oldest waiting first: what a moderator reviews next, or an attendee's own.
    let waiting: Vec<usize> = visible
        .iter()
        .copied()
        .filter(|&i| all[i].status == QuestionStatus::Pending)
        .collect();
    let mut top: Vec<usize> = visible
        .iter()
        .copied()
        .filter(|&i| all[i].status == QuestionStatus::Live)
        .collect();
    top.sort_by(|&a, &b| {
        all[b]
            .votes
            .cmp(&all[a].votes)
            .then(all[b].id.cmp(&all[a].id))
    });
    let newest = visible.iter().rev().copied();
    let mut lists: [Box<dyn Iterator<Item = usize>>; 3] = [
        Box::new(waiting.into_iter()),
        Box::new(top.into_iter()),
        Box::new(newest),
    ];
    let mut seen = HashSet::with_capacity(visible.len());
    let mut order = Vec::with_capacity(visible.len());
    loop {
        let mut any = false;
        for list in &mut lists {
            for i in list.by_ref() {
                any = true;
                if seen.insert(i) {
                    order.push(i);
                    break;
                }
            }
        }
        if !any {
            return order;
        }
    }
}

/// Takes questions from `order` (starting at `*next`) while they fit in `budget` minus `keep`.
/// Stops after a run of misses, so a nearly full budget does not walk 5,000 questions.
fn take_questions(
    all: &[Question],
    order: &[usize],
    next: &mut usize,
    viewer: &Viewer,
    budget: &mut Budget,
    keep: usize,
    into: &mut Vec<Question>,
) {
    let mut misses = 0;
    while *next < order.len() && misses < 32 && budget.0 > keep + 64 {
        let i = order[*next];
        *next += 1;
        let Some(q) = question_for(&all[i], viewer) else {
            continue;
        };
        let mut room = Budget(budget.0 - keep);
        if room.take(&q) {
            budget.0 = room.0 + keep;
            into.push(q);
            misses = 0;
        } else {
            misses += 1;
        }
    }
}

fn active_poll(p: &Poll) -> bool {
    p.status == PollStatus::Open
}

fn active_quiz(q: &Quiz) -> bool {
    matches!(q.status, QuizStatus::Asking | QuizStatus::Revealed)
}

fn active_award(a: &Award) -> bool {
    a.status == AwardStatus::Open
}

/// Newest first, drafts (staff only see them) before the rest.
fn rest_order<T>(items: &[T], id: impl Fn(&T) -> u64, draft: impl Fn(&T) -> bool) -> Vec<usize> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| (!draft(&items[i]), std::cmp::Reverse(id(&items[i]))));
    order
}

/// Takes the items at `order` that fit, marking them taken.
fn take_items<T: Serialize>(
    items: &[T],
    order: impl IntoIterator<Item = usize>,
    taken: &mut [bool],
    budget: &mut Budget,
) {
    for i in order {
        if !taken[i] && budget.take(&items[i]) {
            taken[i] = true;
        }
    }
}

fn keep_taken<T>(items: Vec<T>, taken: &[bool]) -> (Vec<T>, u64) {
    let omitted = taken.iter().filter(|t| !**t).count() as u64;
    let kept = items
        .into_iter()
        .zip(taken)
        .filter_map(|(item, t)| t.then_some(item))
        .collect();
    (kept, omitted)
}

/// `state` as `viewer` sees it, within the frame limit: see the module docs.
pub fn snapshot(state: &RoomState, viewer: &Viewer, personalise: Personalise<'_>) -> RoomState {
    let mut budget = Budget(limits::LIST_BUDGET_BYTES);
    match state {
        RoomState::Session(s) => RoomState::Session(session(s, viewer, personalise, &mut budget)),
        RoomState::Event(e) => {
            let mut e = e.clone();
            // The meeting plan, bounded (limits::MAX_MEETING_PLAN_BYTES), first.
            budget.0 = budget.0.saturating_sub(json_len(&e.meetings));
            // The sessions' statuses first, live and paused ones before ended ones, as many as
            // fit (at most one per session of the agenda: 1,000 of up to 80 bytes), then as
            // many of the newest announcements as fit.
            let mut order: Vec<_> = e.statuses.iter().collect();
            order.sort_by_key(|(_, status)| **status == plenum_protocol::StageStatus::Ended);
            let mut kept = std::collections::BTreeMap::new();
            for (id, status) in order {
                // `"id":"status",`
                if !budget.take(&(id, status)) {
                    break;
                }
                kept.insert(id.clone(), *status);
            }
            e.statuses = kept;
            let keep = newest_that_fit(&e.announcements, &mut budget);
            e.announcements.drain(..e.announcements.len() - keep);
            RoomState::Event(e)
        }
        RoomState::Inbox(i) => RoomState::Inbox(inbox(i, &mut budget)),
        RoomState::Booth(b) => {
            // A booth's chat: as many of the newest messages as fit.
            let mut b = b.clone();
            let keep = newest_that_fit(&b.messages, &mut budget);
            let left = b.messages.len() - keep;
            b.messages.drain(..left);
            b.omitted.messages = left as u64;
            RoomState::Booth(b)
        }
    }
}

/// An inbox's snapshot. What is bounded comes whole: the profile and stars
/// (`limits::MAX_STARS`), the meeting preferences (a slot each at most), the contact card, the
/// matchmaking profile (`limits::MAX_MATCH_PROFILE_BYTES`), the people blocked
/// (`limits::MAX_BLOCKS_PER_PERSON`), the reminders (`InboxState::KEEP_REMINDERS`), the talks
/// at booths (`InboxState::KEEP_TALKS`) and the queues of one's booths (at most
/// `limits::MAX_BOOTHS_PER_PERSON`, each of at most `limits::MAX_TALK_QUEUE` waiting and one
/// talk per staff member). Then, as
/// many as fit, in this order: open meetings
/// (newest first), contacts (agreed ones first), contacts with booths (agreed ones first), the
/// newest seats, the newest notes, closed meetings (newest first). The meetings, contacts and
/// contacts with booths left out are counted in `omitted`.
fn inbox(i: &plenum_protocol::InboxState, budget: &mut Budget) -> plenum_protocol::InboxState {
    let mut i = i.clone();
    budget.0 = budget.0.saturating_sub(
        json_len(&i.profile)
            + json_len(&i.open_until_ms)
            + json_len(&i.stars)
            + json_len(&i.meeting_preferences)
            + json_len(&i.contact_card)
            + json_len(&i.match_profile)
            + json_len(&i.blocked)
            + json_len(&i.reminders)
            + json_len(&i.talks)
            + json_len(&i.queues),
    );
    let meetings = std::mem::take(&mut i.meetings);
    let (open, closed): (Vec<_>, Vec<_>) = meetings.into_iter().partition(|m| m.status.open());
    let open_kept = newest_that_fit(&open, budget);
    let mut contacts = std::mem::take(&mut i.contacts);
    contacts.sort_by_key(|c| c.status != plenum_protocol::ContactStatus::Agreed);
    let contacts_kept = contacts.iter().take_while(|c| budget.take(c)).count();
    let mut booth_contacts = std::mem::take(&mut i.booth_contacts);
    booth_contacts.sort_by_key(|c| c.status != plenum_protocol::BoothContactStatus::Agreed);
    let booth_contacts_kept = booth_contacts.iter().take_while(|c| budget.take(c)).count();
    let seats = newest_that_fit(&i.seats, budget);
    i.seats.drain(..i.seats.len() - seats);
    let keep = newest_that_fit(&i.notes, budget);
    i.notes.drain(..i.notes.len() - keep);
    let closed_kept = newest_that_fit(&closed, budget);
    i.omitted.meetings = (open.len() - open_kept + closed.len() - closed_kept) as u64;
    i.omitted.contacts = (contacts.len() - contacts_kept) as u64;
    i.omitted.booth_contacts = (booth_contacts.len() - booth_contacts_kept) as u64;
    // Kept in the fold's order: meetings by id, contacts by person.
    let mut kept: Vec<_> = open[open.len() - open_kept..]
        .iter()
        .chain(&closed[closed.len() - closed_kept..])
        .cloned()
        .collect();
    kept.sort_by_key(|m| m.id);
    i.meetings = kept;
    contacts.truncate(contacts_kept);
    contacts.sort_by(|a, b| a.with.id.cmp(&b.with.id));
    i.contacts = contacts;
    booth_contacts.truncate(booth_contacts_kept);
    booth_contacts.sort_by(|a, b| a.booth.cmp(&b.booth));
    i.booth_contacts = booth_contacts;
    i
}

/// How many of the last items of `items` fit.
fn newest_that_fit<T: Serialize>(items: &[T], budget: &mut Budget) -> usize {
    items
        .iter()
        .rev()
        .take_while(|item| budget.take(item))
        .count()
}

fn session(
    s: &SessionState,
    viewer: &Viewer,
    personalise: Personalise<'_>,
    budget: &mut Budget,
) -> SessionState {
    let mut out = SessionState {
        stage: s.stage.clone(),
        qa: QaState {
            settings: s.qa.settings.clone(),
            questions: Vec::new(),
            highlighted: s.qa.highlighted,
            counts: s.qa.counts,
        },
        stream_delay_ms: s.stream_delay_ms,
        screen: s.screen,
        // Bounded by itself (limits::MAX_TABLE_SET_BYTES): always whole.
        tables: s.tables.as_ref().map(|t| {
            if *viewer == Viewer::Staff {
                t.clone()
            } else {
                tables_for_audience(t)
            }
        }),
        ..SessionState::default()
    };
    budget.0 = budget.0.saturating_sub(json_len(&out));
    let Lists {
        polls,
        quizzes,
        awards,
    } = lists(s, viewer, personalise);
    let (mut polls_taken, mut quizzes_taken, mut awards_taken) = (
        vec![false; polls.len()],
        vec![false; quizzes.len()],
        vec![false; awards.len()],
    );
    // 0. What the big screen shows (a closed poll shown again, say).
    match s.screen {
        ScreenShows::Poll { id } => {
            let at = polls.iter().position(|p| p.id == id);
            take_items(&polls, at, &mut polls_taken, budget);
        }
        ScreenShows::Quiz { id } => {
            let at = quizzes.iter().position(|q| q.id == id);
            take_items(&quizzes, at, &mut quizzes_taken, budget);
        }
        ScreenShows::Award { id } => {
            let at = awards.iter().position(|a| a.id == id);
            take_items(&awards, at, &mut awards_taken, budget);
        }
        ScreenShows::Question { .. } | ScreenShows::Stage => {}
    }
    // 1. What is running.
    let running = |active: &dyn Fn(usize) -> bool, n: usize| {
        (0..n).rev().filter(|&i| active(i)).collect::<Vec<_>>()
    };
    take_items(
        &polls,
        running(&|i| active_poll(&polls[i]), polls.len()),
        &mut polls_taken,
        budget,
    );
    take_items(
        &quizzes,
        running(&|i| active_quiz(&quizzes[i]), quizzes.len()),
        &mut quizzes_taken,
        budget,
    );
    take_items(
        &awards,
        running(&|i| active_award(&awards[i]), awards.len()),
        &mut awards_taken,
        budget,
    );
    let all = &s.qa.questions;
    let mut questions = Vec::new();
    let on_screen = match s.screen {
        ScreenShows::Question { id } => Some(id),
        _ => None,
    };
    for id in [s.qa.highlighted, on_screen].into_iter().flatten() {
        if let Some(q) = s.qa.get(id).and_then(|q| question_for(q, viewer))
            && !questions.iter().any(|held: &Question| held.id == q.id)
            && budget.take(&q)
        {
            questions.push(q);
        }
    }
    // 2. Questions, keeping back room for the rest of the lists.
    let order = question_order(all, viewer);
    let mut next = 0;
    let keep = budget.0 * 3 / 10;
    take_questions(all, &order, &mut next, viewer, budget, keep, &mut questions);
    // 3. The other polls, quizzes and award votes.
    take_items(
        &polls,
        rest_order(&polls, |p| p.id, |p| p.status == PollStatus::Draft),
        &mut polls_taken,
        budget,
    );
    take_items(
        &quizzes,
        rest_order(&quizzes, |q| q.id, |q| q.status == QuizStatus::Draft),
        &mut quizzes_taken,
        budget,
    );
    take_items(
        &awards,
        rest_order(&awards, |a| a.id, |a| a.status == AwardStatus::Draft),
        &mut awards_taken,
        budget,
    );
    // 4. More questions.
    take_questions(all, &order, &mut next, viewer, budget, 0, &mut questions);
    questions.sort_by_key(|q| q.id);
    questions.dedup_by_key(|q| q.id);
    let visible = all.iter().filter(|q| sees(q, viewer)).count() as u64;
    let omitted_questions = visible.saturating_sub(questions.len() as u64);
    out.qa.questions = questions;
    let (polls, omitted_polls) = keep_taken(polls, &polls_taken);
    let (quizzes, omitted_quizzes) = keep_taken(quizzes, &quizzes_taken);
    let (awards, omitted_awards) = keep_taken(awards, &awards_taken);
    out.polls = polls;
    out.quizzes = quizzes;
    out.awards = awards;
    // 5. The harvests (public: the same for everyone), highest table number first, as many as
    // fit; `page` serves the rest below the lowest held.
    let mut harvests = Vec::new();
    for h in s.harvests.iter().rev() {
        if !budget.take(h) {
            break;
        }
        harvests.push(h.clone());
    }
    harvests.reverse();
    let omitted_harvests = (s.harvests.len() - harvests.len()) as u64;
    out.harvests = harvests;
    out.omitted = Omitted {
        questions: omitted_questions,
        polls: omitted_polls,
        quizzes: omitted_quizzes,
        awards: omitted_awards,
        harvests: omitted_harvests,
        ..Omitted::default()
    };
    out
}

/// One page of a session's list, newest first, with ids below `before`: see [`ServerMsg::Page`].
/// (The lists are empty for a room that is not a session.)
///
/// [`ServerMsg::Page`]: plenum_protocol::ServerMsg::Page
pub struct Page {
    pub questions: Vec<Question>,
    pub polls: Vec<Poll>,
    pub quizzes: Vec<Quiz>,
    pub awards: Vec<Award>,
    pub harvests: Vec<Harvest>,
    pub more: bool,
}

pub fn page(
    state: &RoomState,
    viewer: &Viewer,
    personalise: Personalise<'_>,
    of: Listing,
    before: Option<u64>,
) -> Page {
    let mut page = Page {
        questions: Vec::new(),
        polls: Vec::new(),
        quizzes: Vec::new(),
        awards: Vec::new(),
        harvests: Vec::new(),
        more: false,
    };
    let RoomState::Session(s) = state else {
        return page;
    };
    let below = |id: u64| before.is_none_or(|b| id < b);
    let mut budget = Budget(limits::LIST_BUDGET_BYTES);
    match of {
        Listing::Questions => {
            for q in s.qa.questions.iter().rev().filter(|q| below(q.id)) {
                let Some(q) = question_for(q, viewer) else {
                    continue;
                };
                if !budget.take(&q) {
                    // One that can never fit (none can, by the limits) is skipped, never a
                    // page that is empty and says there is more.
                    if page.questions.is_empty() {
                        continue;
                    }
                    page.more = true;
                    break;
                }
                page.questions.push(q);
            }
        }
        Listing::Harvests => {
            page.more = fill(
                s.harvests.clone(),
                |h| u64::from(h.table),
                &below,
                &mut budget,
                &mut page.harvests,
            );
        }
        Listing::Polls | Listing::Quizzes | Listing::Awards => {
            let lists = lists(s, viewer, personalise);
            page.more = match of {
                Listing::Polls => fill(lists.polls, |p| p.id, &below, &mut budget, &mut page.polls),
                Listing::Quizzes => fill(
                    lists.quizzes,
                    |q| q.id,
                    &below,
                    &mut budget,
                    &mut page.quizzes,
                ),
                _ => fill(
                    lists.awards,
                    |a| a.id,
                    &below,
                    &mut budget,
                    &mut page.awards,
                ),
            };
        }
    }
    page
}

/// Fills `into` with `items` below the cursor, newest first; whether some were left.
fn fill<T: Serialize>(
    items: Vec<T>,
    id: impl Fn(&T) -> u64,
    below: &impl Fn(u64) -> bool,
    budget: &mut Budget,
    into: &mut Vec<T>,
) -> bool {
    for item in items.into_iter().rev().filter(|i| below(id(i))) {
        if !budget.take(&item) {
            // As for questions: an item that can never fit is skipped, not a stall.
            if into.is_empty() {
                continue;
            }
            return true;
        }
        into.push(item);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use plenum_protocol::Asker;

    fn question(id: u64, votes: u64, status: QuestionStatus, asker: &str) -> Question {
        Question {
            id,
            text: "🙂".repeat(limits::MAX_QUESTION_CHARS),
            asker: Asker {
                id: Some(asker.into()),
                name: Some("Name".into()),
            },
            anonymous: false,
            status,
            asked_at_ms: 0,
            votes,
            reply: None,
            dismissed_reason: None,
            merged_into: None,
            merged: Vec::new(),
            edited: false,
        }
    }

    fn big_session() -> SessionState {
        let mut s = SessionState::default();
        for id in 1..=5000 {
            let status = if id % 3 == 0 {
                QuestionStatus::Pending
            } else {
                QuestionStatus::Live
            };
            // Question 17 is the most voted; 4999 is the second.
            let votes = match id {
                17 => 900,
                4999 => 800,
                _ => id % 7,
            };
            s.qa.questions
                .push(question(id, votes, status, &format!("p{}", id % 100)));
        }
        s
    }

    fn none(_: &mut RoomState) {}

    #[test]
    fn a_snapshot_of_5000_questions_fits_and_holds_the_newest_the_top_and_the_queue() {
        let s = big_session();
        let state = RoomState::Session(s);
        for viewer in [Viewer::Staff, Viewer::Person("p3".into()), Viewer::public()] {
            let RoomState::Session(view) = snapshot(&state, &viewer, &none) else {
                panic!()
            };
            let frame = serde_json::to_vec(&view).unwrap().len();
            assert!(
                frame <= limits::LIST_BUDGET_BYTES,
                "{frame} bytes for {viewer:?}"
            );
            let ids: Vec<u64> = view.qa.questions.iter().map(|q| q.id).collect();
            assert!(
                ids.contains(&17) && ids.contains(&4999),
                "top questions: {ids:?}"
            );
            assert!(
                ids.contains(&5000) || ids.contains(&4997),
                "newest: {ids:?}"
            );
            let RoomState::Session(full) = &state else {
                panic!()
            };
            let visible = full
                .qa
                .questions
                .iter()
                .filter(|q| sees(q, &viewer))
                .count();
            assert!(visible > 3000 && ids.len() < 100);
            assert_eq!(view.omitted.questions as usize + ids.len(), visible);
            if viewer == Viewer::Staff {
                assert!(ids.contains(&3), "the oldest waiting one: {ids:?}");
            } else {
                assert!(
                    view.qa
                        .questions
                        .iter()
                        .all(|q| q.status != QuestionStatus::Pending
                            || q.asker.id.as_deref() == Some("p3")),
                    "only one's own waiting questions"
                );
            }
        }
    }

    #[test]
    fn pages_walk_every_visible_question_once_newest_first() {
        let state = RoomState::Session(big_session());
        let viewer = Viewer::public();
        let mut before = None;
        let mut seen = Vec::new();
        loop {
            let page = page(&state, &viewer, &none, Listing::Questions, before);
            let size = serde_json::to_vec(&page.questions).unwrap().len();
            assert!(size <= limits::LIST_BUDGET_BYTES);
            assert!(!page.questions.is_empty());
            seen.extend(page.questions.iter().map(|q| q.id));
            before = page.questions.last().map(|q| q.id);
            if !page.more {
                break;
            }
        }
        let expected: Vec<u64> = (1..=5000).rev().filter(|id| id % 3 != 0).collect();
        assert_eq!(seen, expected);
    }

    #[test]
    fn a_full_inbox_and_announcements_are_cut_to_the_newest_that_fit() {
        let mut inbox = plenum_protocol::InboxState::default();
        for n in 0..plenum_protocol::InboxState::KEEP_NOTES {
            inbox.notes.push(plenum_protocol::Note {
                about: plenum_protocol::NoteAbout::QuestionAnswered,
                at_ms: n as i64,
                session: plenum_protocol::SessionId::parse("s1").unwrap(),
                question: n as u64,
                text: "🙂".repeat(limits::MAX_QUESTION_CHARS),
                detail: Some("🙂".repeat(limits::MAX_REPLY_CHARS)),
            });
        }
        inbox.total = 70;
        let RoomState::Inbox(cut) = snapshot(&RoomState::Inbox(inbox), &Viewer::public(), &none)
        else {
            panic!()
        };
        assert!(serde_json::to_vec(&cut).unwrap().len() <= limits::LIST_BUDGET_BYTES);
        assert!(!cut.notes.is_empty() && cut.notes.len() < 50);
        assert_eq!(cut.notes.last().unwrap().at_ms, 49, "the newest stay");
        assert_eq!(cut.total, 70);
    }

    #[test]
    fn a_full_inbox_keeps_its_open_meetings_and_agreed_contacts_first_and_counts_the_rest() {
        use plenum_protocol::{
            Contact, ContactStatus, InboxState, Meeting, MeetingPerson, MeetingStatus, PersonId,
            Sharing,
        };
        let p = |id: String| MeetingPerson {
            id: PersonId::parse(&id).unwrap(),
            name: Some("N".repeat(60)),
            organisation: Some("O".repeat(120)),
        };
        let mut inbox = InboxState::default();
        for id in 0..150u64 {
            inbox.meetings.push(Meeting {
                id,
                from: p(format!("a{id}")),
                to: p(format!("b{id}")),
                message: Some("é".repeat(limits::MAX_MEETING_MESSAGE_CHARS)),
                status: if id % 3 == 0 {
                    MeetingStatus::Declined
                } else {
                    MeetingStatus::Requested
                },
                proposed: None,
                proposed_by: None,
                slot: None,
                end: None,
                table: None,
                place: None,
                video: None,
                locked: false,
                here: vec![],
                no_show: None,
                held: vec![],
                sequence: 0,
                requested_ms: 0,
                expires_ms: None,
                booth: None,
            });
        }
        for n in 0..limits::MAX_CONTACTS {
            inbox.contacts.push(Contact {
                with: p(format!("c{n:04}")),
                status: if n % 2 == 0 {
                    ContactStatus::Offered
                } else {
                    ContactStatus::Agreed
                },
                mine: Sharing::default(),
                theirs: None,
                why: Some("w".repeat(limits::MAX_CONTACT_NOTE_CHARS)),
                asked_by: PersonId::parse("me").unwrap(),
                asked_ms: 0,
                agreed_ms: None,
            });
        }
        let RoomState::Inbox(cut) =
            snapshot(&RoomState::Inbox(inbox.clone()), &Viewer::public(), &none)
        else {
            unreachable!()
        };
        let bytes = serde_json::to_vec(&cut).unwrap().len();
        assert!(bytes <= limits::LIST_BUDGET_BYTES, "{bytes}");
        // Open meetings first (the newest), then agreed contacts; the rest counted.
        assert!(!cut.meetings.is_empty());
        assert!(cut.meetings.iter().all(|m| m.status.open()));
        assert_eq!(cut.meetings.last().unwrap().id, 149);
        assert!(cut.meetings.windows(2).all(|w| w[0].id < w[1].id));
        assert_eq!(
            cut.omitted.meetings as usize,
            inbox.meetings.len() - cut.meetings.len()
        );
        assert_eq!(
            cut.omitted.contacts as usize,
            inbox.contacts.len() - cut.contacts.len()
        );
        assert!(
            cut.contacts
                .iter()
                .all(|c| c.status == ContactStatus::Agreed)
        );
        assert!(cut.contacts.windows(2).all(|w| w[0].with.id < w[1].with.id));
    }

    #[test]
    fn an_event_room_with_every_session_staged_fits_with_the_live_ones_kept() {
        use plenum_protocol::{Announcement, EventState, SessionId, StageStatus};
        let mut e = EventState::default();
        // Every session of the largest agenda staged, with the longest ids; a few live.
        for n in 0..limits::MAX_SESSIONS {
            let id = SessionId::parse(&format!("{n:0>64}")).unwrap();
            let status = if n % 100 == 7 {
                StageStatus::Live
            } else {
                StageStatus::Ended
            };
            e.statuses.insert(id, status);
        }
        for n in 0..EventState::KEEP_ANNOUNCEMENTS {
            e.announcements.push(Announcement {
                text: "🙂".repeat(limits::MAX_ANNOUNCEMENT_CHARS),
                at_ms: n as i64,
            });
        }
        let RoomState::Event(cut) = snapshot(&RoomState::Event(e), &Viewer::public(), &none) else {
            panic!()
        };
        assert!(serde_json::to_vec(&cut).unwrap().len() <= limits::LIST_BUDGET_BYTES);
        let live = cut
            .statuses
            .values()
            .filter(|s| **s == StageStatus::Live)
            .count();
        assert_eq!(
            live,
            limits::MAX_SESSIONS / 100,
            "every live session is kept"
        );
        assert!(
            cut.statuses.len() < limits::MAX_SESSIONS,
            "ended ones are cut"
        );
    }
}
