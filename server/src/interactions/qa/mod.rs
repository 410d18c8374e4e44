//! Q&A: questions asked, voted up and moderated in a session; askers blocked at an event.
//!
//! The rules are in [`rules`]. Records: `upvote` (key `QUESTION:PERSON`, in a session room: that
//! person votes that question up; tallied as `votes`) and `block` (key `PERSON`, value `n:NAME`
//! with the name the moderator saw, or `1` from before names were kept; in the event room: that
//! person may not ask at the event). Asking reads the event room's block list; moderators list
//! it with [`blocked`].
//! Answering or dismissing a question leaves a note in its asker's inbox room (a follow-up,
//! `Cx::emit_to`).

pub mod rules;

pub use rules::{QaCommand, VoteChange};

use super::{Cx, Interaction, Made, RecordKind, Refusal, Stored, View};
use plenum_protocol::{
    Note, NoteAbout, Person, PersonId, Question, QuestionId, QuestionStatus, RoomEvent, RoomId,
    RoomState, SessionState, VoteTally, limits,
};
use std::{
    collections::{BTreeSet, HashMap, HashSet},
    sync::Arc,
};

/// The Q&A interaction.
pub struct Qa;

#[derive(Debug, Clone)]
pub enum QaRequest {
    /// A request in a session room, by `actor`.
    Session { actor: Person, command: QaCommand },
    /// In the event room: blocks (or unblocks) a person from asking anywhere at the event;
    /// `name` as the moderator saw it, for the list of blocked people.
    Block {
        person: String,
        blocked: bool,
        name: Option<String>,
    },
}

/// Q&A records in one room, as committed.
#[derive(Debug, Default)]
pub struct QaRecords {
    /// Who votes each question up (session rooms).
    upvotes: HashMap<QuestionId, HashSet<Arc<str>>>,
    /// Who may not ask (event rooms), with the name the moderator saw ("" for none).
    blocked: HashMap<String, String>,
}

#[derive(Debug, Clone)]
pub enum QaChange {
    Vote(VoteChange),
    Block {
        person: String,
        blocked: bool,
        name: String,
    },
}

const UPVOTE: &str = "upvote";
const BLOCK: &str = "block";

/// Everyone who votes `question` up, as `view` leaves it.
fn voters(view: &View<'_, Qa>, question: QuestionId) -> HashSet<Arc<str>> {
    view.part(|r| QaRecords {
        upvotes: HashMap::from([(
            question,
            r.upvotes.get(&question).cloned().unwrap_or_default(),
        )]),
        blocked: HashMap::new(),
    })
    .upvotes
    .remove(&question)
    .unwrap_or_default()
}

fn is_blocked(view: &View<'_, Qa>, person: &str) -> bool {
    view.part(|r| QaRecords {
        upvotes: HashMap::new(),
        blocked: r
            .blocked
            .get_key_value(person)
            .map(|(p, n)| (p.clone(), n.clone()))
            .into_iter()
            .collect(),
    })
    .blocked
    .contains_key(person)
}

/// Everyone blocked at an event (its event room's records), by name, for moderators.
pub fn blocked(records: &QaRecords) -> Vec<plenum_protocol::BlockedPerson> {
    let mut out: Vec<_> = records
        .blocked
        .iter()
        .map(|(person, name)| plenum_protocol::BlockedPerson {
            person: person.clone(),
            name: (!name.is_empty()).then(|| name.clone()),
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.person.cmp(&b.person)));
    out
}

/// Notes for askers whose question these events answer or dismiss: to their inbox, on every
/// device they have open. Anonymous questions too (the id stays, only the name goes).
fn notes(cx: &Cx<'_, Qa>, events: &[RoomEvent]) -> Result<Vec<(RoomId, RoomEvent)>, Refusal> {
    let RoomId::Session(code, session) = cx.room() else {
        return Err(super::wrong_room());
    };
    let before = &cx.session()?.qa;
    let mut notes = Vec::new();
    for event in events {
        let RoomEvent::Question { question: q, .. } = event else {
            continue;
        };
        let (about, detail) = match q.status {
            QuestionStatus::Answered => (
                NoteAbout::QuestionAnswered,
                q.reply.as_ref().map(|r| r.text.clone()),
            ),
            QuestionStatus::Dismissed => (NoteAbout::QuestionDismissed, q.dismissed_reason.clone()),
            _ => continue,
        };
        // A new status, or a new written reply to an answered question.
        let was = before.get(q.id);
        let news = was.map(|b| b.status) != Some(q.status)
            || (q.status == QuestionStatus::Answered
                && was.and_then(|b| b.reply.as_ref()).map(|r| &r.text)
                    != q.reply.as_ref().map(|r| &r.text));
        if !news {
            continue;
        }
        let Some(asker) = q.asker.id.as_deref().and_then(|a| PersonId::parse(a).ok()) else {
            continue;
        };
        let note = Note {
            about,
            at_ms: cx.now_ms(),
            session: session.clone(),
            question: q.id,
            text: q.text.clone(),
            detail,
        };
        notes.push((RoomId::Inbox(code.clone(), asker), RoomEvent::Note { note }));
    }
    Ok(notes)
}

impl Interaction for Qa {
    type Command = QaRequest;
    type Records = QaRecords;
    type Change = QaChange;
    const NAME: &'static str = "qa";
    const KINDS: &'static [RecordKind] = &[
        RecordKind {
            name: UPVOTE,
            tallied: true,
            personal: true,
        },
        RecordKind {
            name: BLOCK,
            tallied: false,
            personal: true,
        },
    ];

    fn check(&self, command: &QaRequest) -> Result<(), Refusal> {
        match command {
            QaRequest::Block { person, .. } if person.is_empty() || person.len() > 64 => {
                Err(Refusal::invalid("person", "must be a person's id"))
            }
            QaRequest::Block {
                name: Some(name), ..
            } if name.contains('\n') => Err(Refusal::invalid("name", "must be one line")),
            QaRequest::Block {
                name: Some(name), ..
            } => super::text("name", name, limits::MAX_DISPLAY_NAME_CHARS).map(drop),
            _ => Ok(()),
        }
    }

    fn reads(&self, room: &RoomId, command: &QaRequest) -> Vec<RoomId> {
        match command {
            QaRequest::Session {
                command: QaCommand::Ask { .. },
                ..
            } => vec![RoomId::Event(room.event_code().clone())],
            _ => Vec::new(),
        }
    }

    fn decide(&self, cx: &mut Cx<'_, Self>, command: QaRequest) -> Result<Made, Refusal> {
        match command {
            QaRequest::Session { actor, command } => {
                let blocked = match &command {
                    QaCommand::Ask { .. } => {
                        let event = RoomId::Event(cx.room().event_code().clone());
                        cx.other(&event, |view| is_blocked(&view, &actor.id))?
                    }
                    _ => false,
                };
                // The rules read the state as the batch leaves it and say what changes; the
                // engine folds their events in, once.
                let out = {
                    let qa = &cx.session()?.qa;
                    let view = cx.records();
                    let voters = |q| voters(&view, q);
                    let rules = rules::Context {
                        actor: &actor,
                        blocked,
                        now_ms: cx.now_ms(),
                        voters: &voters,
                    };
                    rules::decide(qa, command, &rules)?
                };
                for (room, note) in notes(cx, &out.events)? {
                    cx.emit_to(room, note);
                }
                cx.emit_all(out.events);
                for vote in out.votes {
                    cx.change(QaChange::Vote(vote));
                }
                Ok(Made {
                    question: out.question,
                    ..Made::default()
                })
            }
            QaRequest::Block {
                person,
                blocked,
                name,
            } => {
                cx.event_room()?;
                if blocked {
                    let already = is_blocked(&cx.records(), &person);
                    let view = cx.records();
                    let count = view.committed.blocked.len()
                        + view
                            .changes
                            .iter()
                            .filter(|c| matches!(c, QaChange::Block { blocked: true, .. }))
                            .count();
                    if !already && count >= limits::MAX_BLOCKED {
                        return Err(Refusal::TooLarge(format!(
                            "at most {} people can be blocked at an event",
                            limits::MAX_BLOCKED
                        )));
                    }
                }
                let name = match name {
                    Some(n) => super::text("name", &n, limits::MAX_DISPLAY_NAME_CHARS)?,
                    None => String::new(),
                };
                cx.change(QaChange::Block {
                    person,
                    blocked,
                    name,
                });
                Ok(Made::default())
            }
        }
    }

    fn load(records: &mut QaRecords, kind: &str, key: &str, value: Option<&str>) {
        match kind {
            UPVOTE => {
                if let Some((q, person)) = key.split_once(':')
                    && let Ok(q) = q.parse()
                {
                    let voters = records.upvotes.entry(q).or_default();
                    if value.is_some() {
                        voters.insert(Arc::from(person));
                    } else {
                        voters.remove(person);
                    }
                }
            }
            BLOCK => match value {
                Some(v) => {
                    let name = v.strip_prefix("n:").unwrap_or_default();
                    records.blocked.insert(key.to_owned(), name.to_owned());
                }
                None => drop(records.blocked.remove(key)),
            },
            _ => {}
        }
    }

    fn apply(records: &mut QaRecords, change: &QaChange) {
        match change {
            QaChange::Vote(v) => {
                let set = records.upvotes.entry(v.question).or_default();
                if v.up {
                    set.insert(v.person.clone());
                } else {
                    set.remove(&v.person);
                }
            }
            QaChange::Block {
                person,
                blocked,
                name,
            } => {
                if *blocked {
                    records.blocked.insert(person.clone(), name.clone());
                } else {
                    records.blocked.remove(person);
                }
            }
        }
    }

    fn store(change: &QaChange) -> Stored {
        match change {
            QaChange::Vote(v) => Stored {
                kind: UPVOTE,
                key: format!("{}:{}", v.question, v.person),
                value: v.up.then(|| "1".to_owned()),
            },
            QaChange::Block {
                person,
                blocked,
                name,
            } => Stored {
                kind: BLOCK,
                key: person.clone(),
                value: blocked.then(|| format!("n:{name}")),
            },
        }
    }

    fn stales(change: &QaChange) -> Option<u64> {
        match change {
            QaChange::Vote(v) => Some(v.question),
            QaChange::Block { .. } => None,
        }
    }

    fn tally(&self, cx: &mut Cx<'_, Self>, stale: &BTreeSet<u64>) {
        let Ok(state) = cx.session() else {
            return;
        };
        let view = cx.records();
        let tallies: Vec<VoteTally> = stale
            .iter()
            .filter_map(|&id| {
                let votes = voters(&view, id).len() as u64;
                let q = state.qa.get(id)?;
                (q.votes != votes).then_some(VoteTally { id, votes })
            })
            .collect();
        // Several events rather than one frame over the limit.
        for chunk in tallies.chunks(limits::MAX_TALLIES_PER_EVENT) {
            cx.emit(RoomEvent::Votes {
                tallies: chunk.to_vec(),
            });
        }
    }

    fn live(&self, state: &RoomState) -> Vec<u64> {
        match state {
            RoomState::Session(s) => s.qa.questions.iter().map(|q| q.id).collect(),
            _ => Vec::new(),
        }
    }
}

/// Every question of a session, whatever its status, with its exact vote count (from the
/// records, not the last published tally) and the asker by name only (no name when asked
/// anonymously): for exports.
pub fn export(state: &SessionState, records: &QaRecords) -> Vec<Question> {
    state
        .qa
        .questions
        .iter()
        .cloned()
        .map(|mut q| {
            q.votes = records.upvotes.get(&q.id).map_or(0, |v| v.len() as u64);
            q.asker.id = None;
            // Asked anonymously: nobody's name in a file that travels.
            if q.anonymous {
                q.asker.name = None;
            }
            q
        })
        .collect()
}
