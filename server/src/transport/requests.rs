//! The one table of requests: each WebSocket message that changes a room ([`route`]; the HTTP
//! routes for the stage and announcements send the same message), and each document only the
//! HTTP API takes ([`document`]), maps here to who may make it, the per-person limit it spends,
//! the room it goes to and the interaction's command. Every request's permission is checked
//! against what this table says ([`Routed::permitted`]), on the server.

use crate::{
    auth::{self, Action},
    engine::Command,
    interactions::{
        agenda::{AgendaCommand, EventAgenda},
        awards::{AwardCommand, AwardRequest, Awards},
        inbox::{Inbox, InboxCommand},
        meetings,
        people::{People, PeopleCommand},
        polls::{PollCommand, PollRequest, Polls},
        qa::{Qa, QaCommand, QaRequest},
        quizzes::{QuizCommand, QuizRequest, Quizzes},
        stage::{Stage, StageCommand},
        tables::{Actor, Tables, TablesCommand},
    },
};
use plenum_protocol::{
    Agenda, ClientMsg, CreateEvent, EventCode, EventInfo, Person, PersonId, RoomId, Session,
    SessionId,
};
use std::time::Instant;

mod networking;

/// A request, routed: who may make it, what limit it spends, where it goes, what it asks.
pub struct Routed {
    pub action: Action,
    pub limit: Option<PersonLimit>,
    pub room: RoomId,
    pub command: Command,
}

/// A request in an event's own room.
fn event_room(
    action: Action,
    limit: Option<PersonLimit>,
    event: EventCode,
    command: Command,
) -> Routed {
    Routed {
        action,
        limit,
        room: RoomId::Event(event),
        command,
    }
}

/// `person` as the meetings see them: an organiser of `event` may cancel any meeting.
fn meeting_actor(person: &Person, event: &EventCode) -> meetings::Actor {
    meetings::Actor {
        id: person.id.clone(),
        name: person.name.clone(),
        organiser: auth::allowed(person, Action::ManageEvent, &RoomId::Event(event.clone())),
        staff: None,
    }
}

/// Maps a message that changes a room to its permission, its rate limit, its room and its
/// command; `None` for messages that change no room (hello, join, ping…), and for
/// `schedule_meetings`, which is computed off the sequencer first (organisers only, in the
/// event room: `transport::meetings::schedule_all`).
pub fn route(person: &Person, msg: ClientMsg) -> Option<Routed> {
    use Action::{Follow, ManageEvent, Moderate, RunPolls};
    use PersonLimit::{Ask, Vote};
    let qa = |command| {
        Command::to::<Qa>(QaRequest::Session {
            actor: person.clone(),
            command,
        })
    };
    let poll = |command| {
        Command::to::<Polls>(PollRequest {
            person: person.id.clone(),
            command,
        })
    };
    let award = |command| {
        Command::to::<Awards>(AwardRequest {
            person: person.id.clone(),
            command,
        })
    };
    let quiz = |command| {
        Command::to::<Quizzes>(QuizRequest {
            person: person.id.clone(),
            command,
        })
    };
    let stage = Command::to::<Stage>;
    let in_session = |event: EventCode, session: SessionId| RoomId::Session(event, session);
    // The networking half's requests, in the event's own room.
    let msg = match networking::route(person, msg) {
        Ok(routed) => return Some(routed),
        Err(msg) => msg,
    };
    // Other requests in an event's own room.
    match msg {
        ClientMsg::Announce { event, text } => {
            return Some(Routed {
                action: Action::Announce,
                limit: None,
                room: RoomId::Event(event),
                command: Command::to::<EventAgenda>(AgendaCommand::Announce(text)),
            });
        }
        ClientMsg::ReadNotes { event, upto } => {
            // Always the sender's own inbox: nobody names another's.
            let me = PersonId::parse(&person.id).ok()?;
            return Some(Routed {
                action: Action::Follow,
                limit: None,
                room: RoomId::Inbox(event, me),
                command: Command::to::<Inbox>(InboxCommand::Read { upto }),
            });
        }
        ClientMsg::SetProfile { event, profile } => {
            // Always the sender's own: nobody sets another's.
            return Some(Routed {
                action: Action::Follow,
                limit: Some(PersonLimit::Profile),
                room: RoomId::Event(event),
                command: Command::to::<People>(PeopleCommand::SetProfile {
                    person: person.id.clone(),
                    name: person.name.clone(),
                    profile,
                }),
            });
        }
        ClientMsg::Star {
            event,
            session,
            starred,
        } => {
            return Some(Routed {
                action: Action::Follow,
                limit: Some(PersonLimit::Profile),
                room: RoomId::Event(event),
                command: Command::to::<People>(PeopleCommand::Star {
                    person: person.id.clone(),
                    name: person.name.clone(),
                    session,
                    starred,
                }),
            });
        }
        ClientMsg::Block {
            event,
            person: who,
            blocked,
            name,
        } => {
            return Some(Routed {
                action: Moderate,
                limit: None,
                room: RoomId::Event(event),
                command: Command::to::<Qa>(QaRequest::Block {
                    person: who,
                    blocked,
                    name,
                }),
            });
        }
        _ => {}
    }
    let tables = Command::to::<Tables>;
    let actor = |room: &RoomId| Actor {
        id: person.id.clone(),
        name: person.name.clone(),
        staff: auth::allowed(person, Moderate, room),
    };
    // Requests in a session's room.
    let (action, limit, event, session, command) = match msg {
        ClientMsg::SetTables {
            event,
            session,
            setup,
        } => (
            Moderate,
            None,
            event,
            session,
            tables(TablesCommand::Setup(setup)),
        ),
        ClientMsg::StartRound {
            event,
            session,
            seconds,
            seating,
            assignments,
        } => (
            Moderate,
            None,
            event,
            session,
            tables(TablesCommand::Start {
                seconds,
                seating,
                assignments,
            }),
        ),
        ClientMsg::ExtendRound {
            event,
            session,
            seconds,
        } => (
            Moderate,
            None,
            event,
            session,
            tables(TablesCommand::Extend { seconds }),
        ),
        ClientMsg::EndRound { event, session } => (
            Moderate,
            None,
            event,
            session,
            tables(TablesCommand::End { number: None }),
        ),
        ClientMsg::MoveToTable {
            event,
            session,
            person: who,
            table,
        } => (
            Moderate,
            None,
            event,
            session,
            tables(TablesCommand::Move { person: who, table }),
        ),
        ClientMsg::CloseTable {
            event,
            session,
            table,
            closed,
        } => (
            Moderate,
            None,
            event,
            session,
            tables(TablesCommand::Close { table, closed }),
        ),
        ClientMsg::MessageTables {
            event,
            session,
            text,
        } => (
            Moderate,
            None,
            event,
            session,
            tables(TablesCommand::Message { text }),
        ),
        ClientMsg::TakePart {
            event,
            session,
            here,
        } => {
            let actor = actor(&in_session(event.clone(), session.clone()));
            (
                Follow,
                Some(Vote),
                event,
                session,
                tables(TablesCommand::TakePart { actor, here }),
            )
        }
        ClientMsg::ChooseTable {
            event,
            session,
            table,
        } => {
            let actor = actor(&in_session(event.clone(), session.clone()));
            (
                Follow,
                Some(Vote),
                event,
                session,
                tables(TablesCommand::Choose { actor, table }),
            )
        }
        ClientMsg::Harvest {
            event,
            session,
            table,
            change,
        } => {
            let actor = actor(&in_session(event.clone(), session.clone()));
            (
                Follow,
                Some(PersonLimit::Write),
                event,
                session,
                tables(TablesCommand::Harvest {
                    actor,
                    table,
                    change,
                }),
            )
        }
        ClientMsg::TableHelp {
            event,
            session,
            table,
            help,
        } => {
            let actor = actor(&in_session(event.clone(), session.clone()));
            (
                Follow,
                Some(Vote),
                event,
                session,
                tables(TablesCommand::Help { actor, table, help }),
            )
        }
        ClientMsg::SetStage {
            event,
            session,
            update,
        } => (
            Action::SetStage,
            None,
            event,
            session,
            stage(StageCommand::Set(update)),
        ),
        ClientMsg::Ask {
            event,
            session,
            text,
            anonymous,
        } => (
            Follow,
            Some(Ask),
            event,
            session,
            qa(QaCommand::Ask { text, anonymous }),
        ),
        ClientMsg::EditQuestion {
            event,
            session,
            question,
            text,
        } => (
            Follow,
            Some(Ask),
            event,
            session,
            qa(QaCommand::Edit { question, text }),
        ),
        ClientMsg::WithdrawQuestion {
            event,
            session,
            question,
        } => (
            Follow,
            None,
            event,
            session,
            qa(QaCommand::Withdraw { question }),
        ),
        ClientMsg::Upvote {
            event,
            session,
            question,
            up,
        } => (
            Follow,
            Some(Vote),
            event,
            session,
            qa(QaCommand::Upvote { question, up }),
        ),
        ClientMsg::Moderate {
            event,
            session,
            question,
            change,
        } => (
            Moderate,
            None,
            event,
            session,
            qa(QaCommand::Moderate { question, change }),
        ),
        ClientMsg::Highlight {
            event,
            session,
            question,
        } => (
            Moderate,
            None,
            event,
            session,
            qa(QaCommand::Highlight { question }),
        ),
        ClientMsg::SetQaSettings {
            event,
            session,
            settings,
        } => (
            Moderate,
            None,
            event,
            session,
            qa(QaCommand::Settings(settings)),
        ),
        ClientMsg::CreatePoll {
            event,
            session,
            poll: p,
        } => (RunPolls, None, event, session, poll(PollCommand::Create(p))),
        ClientMsg::EditPoll {
            event,
            session,
            poll: p,
            draft,
        } => (
            RunPolls,
            None,
            event,
            session,
            poll(PollCommand::Edit { poll: p, draft }),
        ),
        ClientMsg::RunPoll {
            event,
            session,
            poll: p,
            step,
        } => (
            RunPolls,
            None,
            event,
            session,
            poll(PollCommand::Step { poll: p, step }),
        ),
        ClientMsg::Vote {
            event,
            session,
            poll: p,
            answer,
        } => (
            Follow,
            Some(Vote),
            event,
            session,
            poll(PollCommand::Vote { poll: p, answer }),
        ),
        ClientMsg::ApproveText {
            event,
            session,
            poll: p,
            answer,
            approved,
        } => (
            // The session's speakers too: their polls' answers are theirs to show.
            RunPolls,
            None,
            event,
            session,
            poll(PollCommand::ApproveText {
                poll: p,
                answer,
                approved,
            }),
        ),
        ClientMsg::CreateAward {
            event,
            session,
            award: a,
        } => (
            ManageEvent,
            None,
            event,
            session,
            award(AwardCommand::Create(a)),
        ),
        ClientMsg::RunAward {
            event,
            session,
            award: a,
            step,
        } => (
            ManageEvent,
            None,
            event,
            session,
            award(AwardCommand::Step { award: a, step }),
        ),
        ClientMsg::CastAward {
            event,
            session,
            award: a,
            candidate,
        } => {
            let registered = auth::registered(person);
            (
                Follow,
                Some(Vote),
                event,
                session,
                award(AwardCommand::Cast {
                    award: a,
                    candidate,
                    registered,
                }),
            )
        }
        ClientMsg::CreateQuiz {
            event,
            session,
            quiz: q,
        } => (RunPolls, None, event, session, quiz(QuizCommand::Create(q))),
        ClientMsg::RunQuiz {
            event,
            session,
            quiz: q,
            step,
        } => (
            RunPolls,
            None,
            event,
            session,
            quiz(QuizCommand::Step { quiz: q, step }),
        ),
        ClientMsg::AnswerQuiz {
            event,
            session,
            quiz: q,
            question,
            option,
            watching,
        } => {
            let name = person.name.clone();
            (
                Follow,
                Some(Vote),
                event,
                session,
                quiz(QuizCommand::Answer {
                    quiz: q,
                    question,
                    option,
                    watching,
                    name,
                }),
            )
        }
        ClientMsg::SetStreamDelay {
            event,
            session,
            delay_ms,
        } => (
            ManageEvent,
            None,
            event,
            session,
            stage(StageCommand::StreamDelay(delay_ms)),
        ),
        ClientMsg::Present {
            event,
            session,
            screen,
        } => (
            Action::SetStage,
            None,
            event,
            session,
            stage(StageCommand::Present(screen)),
        ),
        _ => return None,
    };
    Some(Routed {
        action,
        limit,
        room: in_session(event, session),
        command,
    })
}

/// What only the HTTP API sends: whole documents, larger than a WebSocket frame. Checked whole
/// (`interactions::agenda::check_*`) before they are routed.
pub enum Document {
    /// A new event with its agenda.
    NewEvent(CreateEvent),
    /// An event's whole agenda, replacing the one it has.
    Agenda(EventCode, Agenda),
    /// One session of an event's agenda, added or replacing the one with its id.
    Session(EventCode, Box<Session>),
}

/// The kinds of [`Document`]: who may send one is known before its body is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    NewEvent,
    Agenda,
    Session,
}

impl DocumentKind {
    /// Who may send a document of this kind.
    pub fn action(self) -> Action {
        match self {
            DocumentKind::NewEvent => Action::CreateEvent,
            DocumentKind::Agenda | DocumentKind::Session => Action::ManageEvent,
        }
    }
}

/// Maps a document to its permission, its room (the event's) and its command.
pub fn document(doc: Document) -> Routed {
    let (kind, code, command) = match doc {
        Document::NewEvent(new) => {
            let code = new.code.clone();
            let info = EventInfo {
                code: new.code,
                title: new.title,
                time_zone: new.time_zone,
                languages: new.languages,
                venue: new.venue,
                description: new.description,
                agenda: new.agenda,
                agenda_version: 0,
                personal_data_until: None,
                purged_at_ms: None,
            };
            (
                DocumentKind::NewEvent,
                code,
                AgendaCommand::Create(Box::new(info)),
            )
        }
        Document::Agenda(code, agenda) => {
            (DocumentKind::Agenda, code, AgendaCommand::Replace(agenda))
        }
        Document::Session(code, session) => (
            DocumentKind::Session,
            code,
            AgendaCommand::PutSession(session),
        ),
    };
    Routed {
        action: kind.action(),
        limit: None,
        room: RoomId::Event(code),
        command: Command::to::<EventAgenda>(command),
    }
}

impl Routed {
    /// Whether `person` may make this request (its role, at this room's event).
    pub fn permitted(&self, person: &Person) -> bool {
        auth::allowed(person, self.action, &self.room)
    }
}

/// A per-person rate limit: counted across all of one person's connections and devices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PersonLimit {
    /// Asking and editing questions: 5 at once, then one every 12 seconds.
    Ask,
    /// Voting: 30 at once, then 5 a second.
    Vote,
    /// Changing one's profile or stars: 30 at once, then 2 a second.
    Profile,
    /// Writing a table's harvest: 20 at once, then one a second.
    Write,
}

impl PersonLimit {
    fn bucket(self) -> (f64, f64) {
        match self {
            PersonLimit::Ask => (5.0, 1.0 / 12.0),
            PersonLimit::Vote => (30.0, 5.0),
            PersonLimit::Profile => (30.0, 2.0),
            PersonLimit::Write => (20.0, 1.0),
        }
    }

    pub fn refusal(self) -> &'static str {
        match self {
            PersonLimit::Ask => "you are asking too fast; wait a little",
            PersonLimit::Vote => "you are voting too fast; wait a little",
            PersonLimit::Profile => "you are changing your profile too fast; wait a little",
            PersonLimit::Write => "you are writing too fast; wait a little",
        }
    }
}

/// Token buckets per person and limit: one per person who asked or voted lately. A bucket that
/// has filled up again says nothing a fresh one would not, so [`PersonLimits::sweep`] drops it:
/// the table holds the people active in the last minutes, not everyone who ever voted.
#[derive(Default)]
pub struct PersonLimits(dashmap::DashMap<(String, PersonLimit), Bucket>);

impl PersonLimits {
    /// Spends one token of `person`'s `limit`; false when there is none.
    pub fn take(&self, person: &str, limit: PersonLimit) -> bool {
        let (burst, rate) = limit.bucket();
        let mut bucket = self
            .0
            .entry((person.to_owned(), limit))
            .or_insert_with(|| Bucket::new(rate, burst));
        bucket.take()
    }

    /// Drops the buckets that are full again and were last used more than `idle` ago.
    pub fn sweep(&self, idle: std::time::Duration) {
        self.0.retain(|_, b| !b.idle_and_full(idle));
    }

    /// How many buckets are held.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A token bucket: `rate` per second, at most `burst` at once.
pub struct Bucket {
    tokens: f64,
    rate: f64,
    burst: f64,
    at: Instant,
}

impl Bucket {
    /// Whether it was last used more than `idle` ago and is full again.
    pub fn idle_and_full(&self, idle: std::time::Duration) -> bool {
        self.at.elapsed() > idle && self.full_now()
    }

    /// Whether the bucket would be full if used now.
    fn full_now(&self) -> bool {
        self.tokens + self.at.elapsed().as_secs_f64() * self.rate >= self.burst
    }

    /// A full bucket.
    pub fn new(rate: f64, burst: f64) -> Bucket {
        Bucket {
            tokens: burst,
            rate,
            burst,
            at: Instant::now(),
        }
    }
}

impl Bucket {
    pub fn take(&mut self) -> bool {
        let now = Instant::now();
        self.tokens =
            (self.tokens + now.duration_since(self.at).as_secs_f64() * self.rate).min(self.burst);
        self.at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{PersonLimit, PersonLimits};
    use std::time::Duration;

    #[test]
    fn idle_full_buckets_are_dropped_and_busy_ones_kept() {
        let limits = PersonLimits::default();
        for i in 0..1000 {
            assert!(limits.take(&format!("p{i}"), PersonLimit::Vote));
        }
        // Someone who used up their burst keeps their bucket: the limit still holds for them.
        while limits.take("busy", PersonLimit::Ask) {}
        assert_eq!(limits.len(), 1001);
        std::thread::sleep(Duration::from_millis(300));
        // Votes refill 5 a second: after 0.3 s one token is back, so every voter's is full.
        limits.sweep(Duration::from_millis(100));
        assert_eq!(limits.len(), 1, "only the one still limited is kept");
        assert!(!limits.take("busy", PersonLimit::Ask), "and still limits");
    }
}
