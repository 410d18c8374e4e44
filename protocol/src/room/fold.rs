//! The events of a room and their fold: [`RoomState::apply`], which the server and every
//! client run alike, and [`RoomState::purge`].

use super::{
    Announcement, EventState, InboxState, Note, RoomState, ScreenShows, SessionState, StageState,
    StageStatus,
};
use crate::{
    award::{Award, AwardId, AwardStatus},
    ids::RoomId,
    poll::{Poll, PollId, PollResults, PollStatus},
    qa::{QaCounts, QaSettings, Question, QuestionId, QuestionStatus, VoteTally},
    quiz::{Quiz, QuizId, QuizStatus},
};
use serde::{Deserialize, Serialize};

/// Something that happened in a room. Rooms are the fold of these.
// A `Question` is larger than the other variants; events are built once per change and moved
// (the server keeps serialised frames, not events), so boxing would buy nothing but noise.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RoomEvent {
    /// A session's stage changed: status, what is on stage, or both.
    StageChanged { stage: StageState },
    /// The organisers announced something to the whole event.
    Announced { announcement: Announcement },
    /// The agenda was imported or edited.
    AgendaUpdated { version: u64 },
    /// In the event room: a booth of the exhibition was created, edited, given a logo or
    /// staff, removed, or became staffed or unstaffed by its staff's word. Read the booths
    /// again (`GET /api/events/{code}/booths`).
    BoothsChanged { version: u64 },
    /// In a booth's room: a message of its chat, posted (or shown again by its staff).
    BoothChat { message: crate::ChatMessage },
    /// In a booth's room: a message its staff hid (or its writer's data was deleted).
    BoothChatHidden { id: u64 },
    /// In a visitor's inbox: their "talk now" at a booth, as it stands (replaces the one
    /// held for that booth).
    TalkChanged { talk: crate::Talk },
    /// In a booth staff member's inbox: the booth's queue, as it stands (replaces the one held
    /// for that booth; `gone`: forget it, and the booth's meetings with it).
    BoothQueueChanged { queue: crate::BoothQueue },
    /// A visitor's contact with a booth changed (in the visitor's inbox): it replaces the one
    /// with that booth; `ended` removes it.
    BoothContactChanged { contact: crate::BoothContact },
    /// In the event room: a session's stage status changed (logged right after the session
    /// room's `stage_changed`); `scheduled` also for a session the agenda no longer has.
    SessionStatus {
        session: crate::SessionId,
        status: StageStatus,
    },
    /// A question was asked or changed: add it to your view, or replace it there.
    Question {
        question: Question,
        counts: QaCounts,
    },
    /// A question left your view (dismissed, merged, withdrawn, archived; or not yours to see).
    QuestionHidden { id: QuestionId, counts: QaCounts },
    /// New vote counts. Coalesced: sent at most a few times a second however many people vote.
    Votes { tallies: Vec<VoteTally> },
    /// The question on the big screen changed (`None`: none).
    Highlighted {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<QuestionId>,
    },
    /// The session's Q&A settings changed.
    QaSettingsChanged { settings: QaSettings },
    /// A poll was created or changed (opened, closed, revealed): add or replace it in your view.
    Poll { poll: Poll },
    /// An award vote was created or changed (opened, closed, a place revealed).
    Award { award: Award },
    /// An award vote left your view (drafts are for organisers).
    AwardHidden { id: AwardId },
    /// A quiz left your view (drafts are for speakers).
    QuizHidden { id: QuizId },
    /// How many ballots an open award vote has. Coalesced.
    AwardBallots { id: AwardId, ballots: u64 },
    /// A quiz was created or moved on (a question asked or revealed, finished).
    Quiz { quiz: Quiz },
    /// How many have answered the current quiz question. Coalesced.
    QuizAnswers { id: QuizId, answers: u64 },
    /// The session's stream delay changed.
    StreamDelay { delay_ms: u32 },
    /// Staff put something on the big screen, or cleared it (`present`).
    ScreenChanged { screen: ScreenShows },
    /// A poll left your view (a deleted draft).
    PollHidden { id: PollId },
    /// A note for the inbox's person (inbox rooms only).
    Note { note: Note },
    /// The inbox's person read their notes up to this count (inbox rooms only).
    NotesRead { upto: u64 },
    /// The inbox's person changed their profile (inbox rooms only): the whole of it.
    ProfileChanged { profile: crate::Profile },
    /// The inbox's person starred or unstarred a session (inbox rooms only): every star now.
    StarsChanged { stars: Vec<crate::SessionId> },
    /// The inbox's person's seat in a session's round (inbox rooms only): replaces their seat
    /// in that session.
    Seated { seat: crate::Seat },
    /// In the event room: the meeting plan was set, changed, or removed (`null`).
    MeetingsSet { plan: Option<crate::MeetingPlan> },
    /// One of the inbox's person's meetings is new or changed (inbox rooms only): replaces it.
    MeetingChanged { meeting: crate::Meeting },
    /// One of the inbox's person's meetings starts soon (inbox rooms only): 10 minutes before.
    MeetingSoon { reminder: crate::MeetingReminder },
    /// The inbox's person set when and how they meet (inbox rooms only): the whole of it.
    MeetingPreferencesChanged {
        preferences: crate::MeetingPreferences,
    },
    /// The inbox's person set their contact card (inbox rooms only): the whole of it.
    ContactCardChanged { card: crate::ContactCard },
    /// A contact of the inbox's person is new or changed (inbox rooms only): replaces the one
    /// with the same person; an `ended` one leaves the inbox.
    ContactChanged { contact: crate::Contact },
    /// The inbox's person set their matchmaking profile (inbox rooms only): the whole of it.
    MatchProfileChanged { profile: crate::MatchProfile },
    /// The people the inbox's person blocks (inbox rooms only): all of them now.
    BlocksChanged { blocked: Vec<crate::PersonId> },
    /// The inbox's person is open for a meeting now until `until_ms`, or no longer (absent)
    /// (inbox rooms only).
    OpenNowChanged {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        until_ms: Option<i64>,
    },
    /// The event's retention date passed (or the organisers purged now): what identifies
    /// people is gone from this room. In an inbox, everything; in a session, the questions,
    /// the quiz leaderboards' names and the tables' hosts; an event room keeps all it has
    /// (it holds nobody's data). The room's earlier log is gone from the store too: a client
    /// resuming from before it gets a snapshot.
    PersonalDataPurged,
    /// A session's table set was set up, changed, or removed (`null`).
    TablesSet { tables: Option<crate::TableSet> },
    /// A round began: everyone taking part has their seat in their inbox.
    RoundStarted { round: crate::Round },
    /// The running round ends later.
    RoundExtended { ends_ms: i64, warn_ms: i64 },
    /// The round ended: everyone is back in the session.
    RoundEnded { number: u32 },
    /// How many sit at these tables now (coalesced: at most four times a second).
    TableCounts { counts: Vec<crate::TableCount> },
    /// A table asked for help, or no longer needs it.
    TableHelp { number: u32, help: bool },
    /// A table was closed (its people seated elsewhere), or opened again.
    TableClosed { number: u32, closed: bool },
    /// A message to every table.
    TablesMessage { message: crate::TablesMessage },
    /// A table's harvest changed: the whole of it now.
    HarvestChanged { harvest: crate::Harvest },
    /// New results of a poll. Coalesced while it is open; exact when it closes.
    PollResults {
        id: PollId,
        ballots: u64,
        /// Absent when you may not see the results (yet).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        results: Option<PollResults>,
        /// Whether the audience does not see these results (speakers and moderators do).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        hidden: bool,
    },
}

/// An event that does not belong to the kind of room it was applied to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrongRoom;

impl RoomState {
    /// Drops what identifies people (see [`RoomEvent::PersonalDataPurged`]).
    pub fn purge(&mut self) {
        match self {
            RoomState::Event(_) => {}
            RoomState::Inbox(i) => *i = InboxState::default(),
            RoomState::Booth(b) => b.messages.clear(),
            RoomState::Session(s) => {
                s.qa.questions.clear();
                s.qa.highlighted = None;
                s.qa.counts = Default::default();
                s.omitted.questions = 0;
                s.off_screen(|shown| matches!(shown, ScreenShows::Question { .. }));
                for quiz in &mut s.quizzes {
                    quiz.mine = None;
                    for standing in &mut quiz.leaderboard {
                        standing.name = None;
                    }
                }
                if let Some(set) = &mut s.tables {
                    for table in &mut set.tables {
                        table.host = None;
                        table.host_here = false;
                    }
                }
            }
        }
    }

    /// The state of a room with an empty log.
    pub fn new(room: &RoomId) -> RoomState {
        match room {
            RoomId::Event(_) => RoomState::Event(EventState::default()),
            RoomId::Session(..) => RoomState::Session(SessionState::default()),
            RoomId::Inbox(..) => RoomState::Inbox(InboxState::default()),
            RoomId::Booth(..) => RoomState::Booth(crate::BoothState::default()),
        }
    }

    /// Applies one event. The server never logs an event that does not fit its room, so
    /// `WrongRoom` means a bug or a corrupted log, and leaves the state unchanged.
    pub fn apply(&mut self, event: &RoomEvent) -> Result<(), WrongRoom> {
        match (self, event) {
            (RoomState::Session(s), RoomEvent::StageChanged { stage }) => {
                s.stage = stage.clone();
                Ok(())
            }
            (RoomState::Event(e), RoomEvent::Announced { announcement }) => {
                e.announcements.push(announcement.clone());
                let excess = e
                    .announcements
                    .len()
                    .saturating_sub(EventState::KEEP_ANNOUNCEMENTS);
                e.announcements.drain(..excess);
                Ok(())
            }
            (RoomState::Inbox(i), RoomEvent::NotesRead { upto }) => {
                i.read = (*upto).clamp(i.read, i.total);
                Ok(())
            }
            (RoomState::Inbox(i), RoomEvent::ProfileChanged { profile }) => {
                i.profile = profile.clone();
                Ok(())
            }
            (RoomState::Inbox(i), RoomEvent::StarsChanged { stars }) => {
                i.stars = stars.clone();
                Ok(())
            }
            (RoomState::Inbox(i), RoomEvent::Seated { seat }) => {
                // One seat a session, its latest round's: a round's end can reach an inbox
                // after the next round's seat (decided on another instance), and changes
                // nothing then.
                if i.seats
                    .iter()
                    .any(|s| s.session == seat.session && s.round > seat.round)
                {
                    return Ok(());
                }
                i.seats.retain(|s| s.session != seat.session);
                i.seats.push(seat.clone());
                let excess = i.seats.len().saturating_sub(InboxState::KEEP_SEATS);
                i.seats.drain(..excess);
                Ok(())
            }
            (RoomState::Event(e), RoomEvent::MeetingsSet { plan }) => {
                e.meetings = plan.clone();
                Ok(())
            }
            (RoomState::Inbox(i), RoomEvent::MeetingChanged { meeting }) => {
                i.meeting_changed(meeting);
                Ok(())
            }
            (RoomState::Inbox(i), RoomEvent::MeetingPreferencesChanged { preferences }) => {
                i.meeting_preferences = Some(preferences.clone());
                Ok(())
            }
            (RoomState::Inbox(i), RoomEvent::MeetingSoon { reminder }) => {
                i.reminders.retain(|r| r.meeting != reminder.meeting);
                i.reminders.push(reminder.clone());
                let excess = i.reminders.len().saturating_sub(InboxState::KEEP_REMINDERS);
                i.reminders.drain(..excess);
                Ok(())
            }
            (RoomState::Inbox(i), RoomEvent::MatchProfileChanged { profile }) => {
                i.match_profile = Some(profile.clone());
                Ok(())
            }
            (RoomState::Inbox(i), RoomEvent::BlocksChanged { blocked }) => {
                i.blocked = blocked.clone();
                Ok(())
            }
            (RoomState::Inbox(i), RoomEvent::OpenNowChanged { until_ms }) => {
                i.open_until_ms = *until_ms;
                Ok(())
            }
            (RoomState::Inbox(i), RoomEvent::ContactCardChanged { card }) => {
                i.contact_card = Some(card.clone());
                Ok(())
            }
            (RoomState::Inbox(i), RoomEvent::ContactChanged { contact }) => {
                let at = i
                    .contacts
                    .binary_search_by(|c| c.with.id.cmp(&contact.with.id));
                match (at, contact.status) {
                    (Ok(at), crate::ContactStatus::Ended) => drop(i.contacts.remove(at)),
                    (Err(_), crate::ContactStatus::Ended) => {}
                    (Ok(at), _) => i.contacts[at] = contact.clone(),
                    (Err(at), _) => i.contacts.insert(at, contact.clone()),
                }
                Ok(())
            }
            (state, RoomEvent::PersonalDataPurged) => {
                state.purge();
                Ok(())
            }
            (RoomState::Session(s), RoomEvent::TablesSet { tables }) => {
                s.tables = tables.clone();
                Ok(())
            }
            (RoomState::Session(s), RoomEvent::HarvestChanged { harvest }) => {
                match s.harvests.binary_search_by_key(&harvest.table, |h| h.table) {
                    Ok(at) => s.harvests[at] = harvest.clone(),
                    Err(at) => s.harvests.insert(at, harvest.clone()),
                }
                Ok(())
            }
            (
                RoomState::Session(s),
                event @ (RoomEvent::RoundStarted { .. }
                | RoomEvent::RoundExtended { .. }
                | RoomEvent::RoundEnded { .. }
                | RoomEvent::TableCounts { .. }
                | RoomEvent::TableHelp { .. }
                | RoomEvent::TableClosed { .. }
                | RoomEvent::TablesMessage { .. }),
            ) => {
                if let Some(set) = &mut s.tables {
                    set.apply(event);
                }
                Ok(())
            }
            (RoomState::Inbox(i), RoomEvent::Note { note }) => {
                i.total += 1;
                i.notes.push(note.clone());
                let excess = i.notes.len().saturating_sub(InboxState::KEEP_NOTES);
                i.notes.drain(..excess);
                Ok(())
            }
            (RoomState::Event(e), RoomEvent::AgendaUpdated { version }) => {
                e.agenda_version = *version;
                Ok(())
            }
            (RoomState::Event(e), RoomEvent::BoothsChanged { version }) => {
                e.booths_version = *version;
                Ok(())
            }
            (RoomState::Booth(b), RoomEvent::BoothChat { message }) => {
                b.upsert(message.clone());
                Ok(())
            }
            (RoomState::Booth(b), RoomEvent::BoothChatHidden { id }) => {
                b.messages.retain(|m| m.id != *id);
                Ok(())
            }
            (RoomState::Inbox(i), RoomEvent::TalkChanged { talk }) => {
                i.talks.retain(|t| t.booth != talk.booth);
                i.talks.push(talk.clone());
                let excess = i.talks.len().saturating_sub(InboxState::KEEP_TALKS);
                i.talks.drain(..excess);
                Ok(())
            }
            (RoomState::Inbox(i), RoomEvent::BoothContactChanged { contact }) => {
                i.booth_contacts.retain(|c| c.booth != contact.booth);
                if contact.status != crate::BoothContactStatus::Ended {
                    i.booth_contacts.push(contact.clone());
                    i.booth_contacts.sort_by(|a, b| a.booth.cmp(&b.booth));
                }
                Ok(())
            }
            (RoomState::Inbox(i), RoomEvent::BoothQueueChanged { queue }) => {
                i.queues.retain(|q| q.booth != queue.booth);
                if queue.gone {
                    // Off the booth's staff: its meetings leave the inbox with its queue, and
                    // their reminders with them.
                    let (gone, kept): (Vec<_>, Vec<_>) = std::mem::take(&mut i.meetings)
                        .into_iter()
                        .partition(|m| m.booth.as_ref() == Some(&queue.booth));
                    i.meetings = kept;
                    i.reminders
                        .retain(|r| !gone.iter().any(|m| m.id == r.meeting));
                } else {
                    i.queues.push(queue.clone());
                    i.queues.sort_by(|a, b| a.booth.cmp(&b.booth));
                }
                Ok(())
            }
            (RoomState::Event(e), RoomEvent::SessionStatus { session, status }) => {
                if *status == StageStatus::Scheduled {
                    e.statuses.remove(session);
                } else {
                    e.statuses.insert(session.clone(), *status);
                }
                Ok(())
            }
            (RoomState::Session(s), RoomEvent::Question { question, counts }) => {
                if !matches!(
                    question.status,
                    QuestionStatus::Live | QuestionStatus::Answered
                ) {
                    s.off_screen(|shown| *shown == ScreenShows::Question { id: question.id });
                }
                s.qa.upsert(question.clone());
                s.qa.counts = *counts;
                Ok(())
            }
            (RoomState::Session(s), RoomEvent::QuestionHidden { id, counts }) => {
                s.qa.remove(*id);
                s.qa.counts = *counts;
                s.off_screen(|shown| *shown == ScreenShows::Question { id: *id });
                Ok(())
            }
            (RoomState::Session(s), RoomEvent::Votes { tallies }) => {
                for t in tallies {
                    if let Ok(i) = s.qa.questions.binary_search_by_key(&t.id, |q| q.id) {
                        s.qa.questions[i].votes = t.votes;
                    }
                }
                Ok(())
            }
            (RoomState::Session(s), RoomEvent::Highlighted { id }) => {
                let before = s.qa.highlighted;
                s.qa.highlighted = *id;
                match id {
                    Some(id) => s.screen = ScreenShows::Question { id: *id },
                    // Only the question that was highlighted leaves the screen (not one
                    // presented since).
                    None => s.off_screen(|shown| {
                        before.is_some_and(|b| *shown == ScreenShows::Question { id: b })
                    }),
                }
                Ok(())
            }
            (RoomState::Session(s), RoomEvent::ScreenChanged { screen }) => {
                s.screen = *screen;
                Ok(())
            }
            (RoomState::Session(s), RoomEvent::QaSettingsChanged { settings }) => {
                s.qa.settings = settings.clone();
                Ok(())
            }
            (RoomState::Session(s), RoomEvent::Poll { poll }) => {
                // Opened, or its results revealed: on the big screen.
                let before = s.polls.iter().find(|p| p.id == poll.id);
                let opened = poll.status == PollStatus::Open
                    && before.is_none_or(|p| p.status != PollStatus::Open);
                // A reveal is news only to a client that held the poll unrevealed (one whose
                // snapshot left the poll out must not move its screen).
                let revealed = poll.revealed && before.is_some_and(|p| !p.revealed);
                if opened || revealed {
                    s.screen = ScreenShows::Poll { id: poll.id };
                }
                match s.polls.iter_mut().find(|p| p.id == poll.id) {
                    // Your own answer stays: events never carry it.
                    Some(p) => {
                        let mine = p.mine.take();
                        *p = poll.clone();
                        p.mine = mine;
                    }
                    None => s.polls.push(poll.clone()),
                }
                s.polls.sort_by_key(|p| p.id);
                Ok(())
            }
            (RoomState::Session(s), RoomEvent::Award { award }) => {
                // Opened, or a place revealed: on the big screen.
                let before = s.awards.iter().find(|a| a.id == award.id);
                let opened = award.status == AwardStatus::Open
                    && before.is_none_or(|a| a.status != AwardStatus::Open);
                let revealed = before.is_some_and(|a| award.revealed.len() > a.revealed.len());
                if opened || revealed {
                    s.screen = ScreenShows::Award { id: award.id };
                }
                match s.awards.iter_mut().find(|a| a.id == award.id) {
                    Some(a) => *a = award.clone(),
                    None => s.awards.push(award.clone()),
                }
                s.awards.sort_by_key(|a| a.id);
                Ok(())
            }
            (RoomState::Session(s), RoomEvent::AwardBallots { id, ballots }) => {
                if let Some(a) = s.awards.iter_mut().find(|a| a.id == *id) {
                    a.ballots = *ballots;
                }
                Ok(())
            }
            (RoomState::Session(s), RoomEvent::Quiz { quiz }) => {
                // A question asked: on the big screen.
                let before = s.quizzes.iter().find(|q| q.id == quiz.id);
                let index = |q: &Quiz| q.current.as_ref().map(|c| c.index);
                let asked = quiz.status == QuizStatus::Asking
                    && before
                        .is_none_or(|q| q.status != QuizStatus::Asking || index(q) != index(quiz));
                if asked {
                    s.screen = ScreenShows::Quiz { id: quiz.id };
                }
                match s.quizzes.iter_mut().find(|q| q.id == quiz.id) {
                    // Your own standing stays: events never carry it.
                    Some(q) => {
                        let mine = q.mine.take();
                        *q = quiz.clone();
                        q.mine = mine;
                    }
                    None => s.quizzes.push(quiz.clone()),
                }
                s.quizzes.sort_by_key(|q| q.id);
                Ok(())
            }
            (RoomState::Session(s), RoomEvent::QuizAnswers { id, answers }) => {
                if let Some(c) = s
                    .quizzes
                    .iter_mut()
                    .find(|q| q.id == *id)
                    .and_then(|q| q.current.as_mut())
                {
                    c.answers = *answers;
                }
                Ok(())
            }
            (RoomState::Session(s), RoomEvent::StreamDelay { delay_ms }) => {
                s.stream_delay_ms = *delay_ms;
                Ok(())
            }
            (RoomState::Session(s), RoomEvent::AwardHidden { id }) => {
                s.awards.retain(|a| a.id != *id);
                s.off_screen(|shown| *shown == ScreenShows::Award { id: *id });
                Ok(())
            }
            (RoomState::Session(s), RoomEvent::QuizHidden { id }) => {
                s.quizzes.retain(|q| q.id != *id);
                s.off_screen(|shown| *shown == ScreenShows::Quiz { id: *id });
                Ok(())
            }
            (RoomState::Session(s), RoomEvent::PollHidden { id }) => {
                s.polls.retain(|p| p.id != *id);
                s.off_screen(|shown| *shown == ScreenShows::Poll { id: *id });
                Ok(())
            }
            (
                RoomState::Session(s),
                RoomEvent::PollResults {
                    id,
                    ballots,
                    results,
                    ..
                },
            ) => {
                if let Some(p) = s.polls.iter_mut().find(|p| p.id == *id) {
                    p.ballots = *ballots;
                    p.results = results.clone();
                }
                Ok(())
            }
            _ => Err(WrongRoom),
        }
    }
}
