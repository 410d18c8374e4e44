//! A booth's chat, in the booth's own room (`booth:CODE:BOOTH`): whoever has the booth's page
//! open follows it, so a message reaches those looking at that booth and nobody else.
//!
//! Kept as `booth_chat` (key: the message's id; who wrote it, with the name and organisation
//! they wrote it with, the text, when, whether they were the booth's staff, whether it is
//! hidden, and whether by the event's moderators), and `booth_chat_last` (the highest id given,
//! so ids are never reused, and how many messages are kept). A booth keeps at most
//! [`limits::MAX_BOOTH_CHAT`] messages (hidden ones too), [`limits::MAX_CHAT_PER_PERSON`] of
//! one person. The room's state holds the newest
//! [`plenum_protocol::BoothState::KEEP`] that are not hidden; the
//! booth's staff read them all, hidden ones too, over HTTP (and as CSV).
//!
//! **Who may do what** (checked here, against the event room's records):
//! - anyone of the event with a display name writes, unless one of the booth's staff blocks
//!   them (the booth's staff keep someone out of its chat by blocking them);
//! - the booth's staff, and the event's organisers and moderators, hide a message and show it
//!   again; the staff of another booth may not.

use super::{Exhibition, ExhibitionRecords, no_booth};
use crate::interactions::contacts::{Contacts, blocked_by};
use crate::interactions::{Cx, Interaction, Made, RecordKind, Refusal, Stored};
use plenum_protocol::{
    BoothId, ChatMessage, MeetingPerson, PersonId, RoomEvent, RoomId, RoomState, limits,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The booth chat interaction.
pub struct BoothChat;

#[derive(Debug, Clone)]
pub enum ChatCommand {
    /// `person` writes `text`, with the name (and organisation) they have now.
    Post {
        person: String,
        name: Option<String>,
        text: String,
    },
    /// Hides message `id` (`hidden: false`: shows it again). `moderator`: the one asking is
    /// an organiser or moderator of the event (checked by the transport); else they must be
    /// the booth's staff.
    Hide {
        id: u64,
        person: String,
        moderator: bool,
        hidden: bool,
    },
    /// Deletes `person`'s messages ("delete my data").
    Forget { person: String },
    /// Deletes every message written before `before_ms`: the booth is being removed, or was
    /// made (again) under its id and starts with an empty chat. Ids go on from where they were.
    Clear { before_ms: i64 },
}

/// A message as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatRecord {
    pub by: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    pub text: String,
    pub at_ms: i64,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub staff: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hidden: bool,
    /// Hidden by the event's organisers or moderators: the booth's staff cannot show it again.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub moderated: bool,
}

impl ChatRecord {
    /// As the protocol shows it (message `id`).
    pub fn message(&self, id: u64) -> Option<ChatMessage> {
        Some(ChatMessage {
            id,
            by: MeetingPerson {
                id: PersonId::parse(&self.by).ok()?,
                name: Some(self.name.clone()),
                organisation: self.organisation.clone(),
            },
            text: self.text.clone(),
            at_ms: self.at_ms,
            staff: self.staff,
            hidden: self.hidden,
        })
    }
}

/// A booth's messages, by id, and its counter.
#[derive(Debug, Default, Clone)]
pub struct ChatRecords {
    pub messages: BTreeMap<u64, ChatRecord>,
    pub counter: Counter,
}

/// The highest id given, and how many messages are kept.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counter {
    pub last: u64,
    pub kept: u64,
}

impl ChatRecords {
    /// Only the messages `keep` keeps (and the highest id).
    fn only(&self, keep: impl Fn(u64, &ChatRecord) -> bool) -> ChatRecords {
        ChatRecords {
            messages: self
                .messages
                .iter()
                .filter(|(id, m)| keep(**id, m))
                .map(|(id, m)| (*id, m.clone()))
                .collect(),
            counter: self.counter,
        }
    }
}

#[derive(Debug, Clone)]
pub enum ChatChange {
    Message(u64, ChatRecord),
    NoMessage(u64),
    Counter(Counter),
}

const CHAT: &str = "booth_chat";
const LAST: &str = "booth_chat_last";

/// The booth of a booth's room.
fn booth_of(room: &RoomId) -> Result<BoothId, Refusal> {
    match room {
        RoomId::Booth(_, booth) => Ok(booth.clone()),
        _ => Err(crate::interactions::wrong_room()),
    }
}

/// What concerns `booth` in the event room's exhibition, as the batch leaves it.
fn exhibition(cx: &Cx<'_, BoothChat>, booth: &BoothId) -> Result<ExhibitionRecords, Refusal> {
    let event = RoomId::Event(cx.room().event_code().clone());
    cx.other_of::<Exhibition, _>(&event, |view| super::booth_part(&view, booth.as_str()))
}

/// `person`'s messages (and the highest id), as the batch leaves them.
fn of_person(cx: &Cx<'_, BoothChat>, person: &str) -> ChatRecords {
    let mut r = cx.records().part(|r| r.only(|_, m| m.by == person));
    r.messages.retain(|_, m| m.by == person);
    r
}

impl Interaction for BoothChat {
    type Command = ChatCommand;
    type Records = ChatRecords;
    type Change = ChatChange;
    const NAME: &'static str = "booth_chat";
    const KINDS: &'static [RecordKind] = &[
        RecordKind {
            name: CHAT,
            tallied: false,
            personal: true,
        },
        RecordKind {
            name: LAST,
            tallied: false,
            personal: false,
        },
    ];

    fn check(&self, command: &ChatCommand) -> Result<(), Refusal> {
        match command {
            ChatCommand::Post { text, .. } => {
                crate::interactions::text("text", text, limits::MAX_CHAT_CHARS).map(drop)
            }
            _ => Ok(()),
        }
    }

    fn reads(&self, room: &RoomId, command: &ChatCommand) -> Vec<RoomId> {
        match command {
            ChatCommand::Forget { .. } | ChatCommand::Clear { .. } => Vec::new(),
            _ => vec![RoomId::Event(room.event_code().clone())],
        }
    }

    fn decide(&self, cx: &mut Cx<'_, Self>, command: ChatCommand) -> Result<Made, Refusal> {
        let booth = booth_of(cx.room())?;
        match command {
            ChatCommand::Post { person, name, text } => {
                let text = crate::interactions::text("text", &text, limits::MAX_CHAT_CHARS)?;
                let r = exhibition(cx, &booth)?;
                if !r.booths.contains_key(booth.as_str()) {
                    return Err(no_booth(&booth));
                }
                let Some(name) = name else {
                    return Err(Refusal::Forbidden(
                        "a booth's chat shows who writes: choose a display name first".into(),
                    ));
                };
                let staff: Vec<String> = r
                    .staff_of(booth.as_str())
                    .map(|(p, _)| p.to_owned())
                    .collect();
                let event = RoomId::Event(cx.room().event_code().clone());
                let kept_out = cx
                    .other_of::<Contacts, _>(&event, |view| {
                        staff.iter().any(|s| blocked_by(&view, s, &person))
                    })
                    // Blocks unreadable: refused rather than let someone blocked in.
                    .unwrap_or(true);
                if kept_out {
                    return Err(Refusal::Forbidden(format!(
                        "you cannot write in {booth}'s chat"
                    )));
                }
                let mine = of_person(cx, &person);
                if mine.counter.kept >= limits::MAX_BOOTH_CHAT as u64 {
                    return Err(Refusal::TooLarge(format!(
                        "a booth's chat keeps at most {} messages",
                        limits::MAX_BOOTH_CHAT
                    )));
                }
                if mine.messages.len() >= limits::MAX_CHAT_PER_PERSON {
                    return Err(Refusal::TooLarge(format!(
                        "one person writes at most {} messages in a booth's chat",
                        limits::MAX_CHAT_PER_PERSON
                    )));
                }
                let organisation = r
                    .staff
                    .get(&(booth.to_string(), person.clone()))
                    .and_then(|m| m.organisation.clone());
                let record = ChatRecord {
                    staff: staff.contains(&person),
                    by: person,
                    name,
                    organisation,
                    text,
                    at_ms: cx.now_ms(),
                    hidden: false,
                    moderated: false,
                };
                // Ids never come back: the next after the highest ever given.
                let id = mine.counter.last + 1;
                let message = record
                    .message(id)
                    .ok_or_else(|| Refusal::invalid("person", "not a person's id"))?;
                cx.change(ChatChange::Message(id, record));
                cx.change(ChatChange::Counter(Counter {
                    last: id,
                    kept: mine.counter.kept + 1,
                }));
                cx.emit(RoomEvent::BoothChat { message });
            }
            ChatCommand::Hide {
                id,
                person,
                moderator,
                hidden,
            } => {
                if !moderator && !exhibition(cx, &booth)?.staffs(booth.as_str(), &person) {
                    return Err(Refusal::Forbidden(format!(
                        "only {booth}'s staff and the event's moderators hide its messages"
                    )));
                }
                let records = cx.records().part(|r| r.only(|i, _| i == id));
                let Some(record) = records.messages.get(&id) else {
                    return Err(Refusal::NotFound(format!(
                        "no message {id} in {booth}'s chat"
                    )));
                };
                if record.hidden == hidden {
                    if hidden && moderator && !record.moderated {
                        // Hidden by the staff, now by the moderators too: only they show it.
                        let record = ChatRecord {
                            moderated: true,
                            ..record.clone()
                        };
                        cx.change(ChatChange::Message(id, record));
                    }
                    return Ok(Made::default());
                }
                if !hidden && record.moderated && !moderator {
                    return Err(Refusal::Forbidden(
                        "the event's moderators hid this message: only they show it again".into(),
                    ));
                }
                let record = ChatRecord {
                    hidden,
                    moderated: hidden && moderator,
                    ..record.clone()
                };
                if hidden {
                    cx.emit(RoomEvent::BoothChatHidden { id });
                } else if let Some(message) = record.message(id) {
                    cx.emit(RoomEvent::BoothChat { message });
                }
                cx.change(ChatChange::Message(id, record));
            }
            ChatCommand::Forget { .. } | ChatCommand::Clear { .. } => {
                let gone: Vec<u64> = match &command {
                    ChatCommand::Forget { person } => of_person(cx, person).messages,
                    ChatCommand::Clear { before_ms } => {
                        let before = *before_ms;
                        cx.records()
                            .part(|r| r.only(|_, m| m.at_ms < before))
                            .messages
                            .into_iter()
                            .filter(|(_, m)| m.at_ms < before)
                            .collect()
                    }
                    _ => BTreeMap::new(),
                }
                .into_keys()
                .collect();
                if gone.is_empty() {
                    return Ok(Made::default());
                }
                // Only those the room shows leave the screens (at most `BoothState::KEEP`).
                let shown: Vec<u64> = match cx.state() {
                    RoomState::Booth(b) => b.messages.iter().map(|m| m.id).collect(),
                    _ => Vec::new(),
                };
                let mut told = false;
                for id in &gone {
                    if shown.contains(id) {
                        cx.emit(RoomEvent::BoothChatHidden { id: *id });
                        told = true;
                    }
                    cx.change(ChatChange::NoMessage(*id));
                }
                if !told && let Some(id) = gone.last() {
                    // None was shown, but earlier events may carry them: one event, which
                    // changes no screen, keeps them from being replayed (`cuts_replay`).
                    cx.emit(RoomEvent::BoothChatHidden { id: *id });
                }
                let counter = cx.records().part(|r| r.only(|_, _| false)).counter;
                cx.change(ChatChange::Counter(Counter {
                    kept: counter.kept.saturating_sub(gone.len() as u64),
                    ..counter
                }));
            }
        }
        Ok(Made::default())
    }

    fn load(records: &mut ChatRecords, kind: &str, key: &str, value: Option<&str>) {
        if kind == LAST {
            match value.map(counter_of) {
                Some(Some(c)) => Self::apply(records, &ChatChange::Counter(c)),
                None => Self::apply(records, &ChatChange::Counter(Counter::default())),
                Some(None) => tracing::error!(key, "an unreadable chat counter"),
            }
            return;
        }
        if kind != CHAT {
            return;
        }
        let Ok(id) = key.parse::<u64>() else {
            return tracing::error!(key, "an unreadable chat message id");
        };
        let change = match value {
            None => ChatChange::NoMessage(id),
            Some(v) => match serde_json::from_str(v) {
                Ok(m) => ChatChange::Message(id, m),
                Err(e) => return tracing::error!(key, error = %e, "an unreadable chat message"),
            },
        };
        Self::apply(records, &change);
    }

    /// A purge deletes every message (they are personal): none is kept any more; ids go on.
    fn purged(kind: &str, _key: &str, value: &str) -> Option<String> {
        if kind != LAST {
            return None;
        }
        let counter = counter_of(value)?;
        // Nothing to purge when nothing is kept: the room is left as it is.
        (counter.kept > 0).then(|| {
            serde_json::to_string(&Counter { kept: 0, ..counter }).expect("a counter serialises")
        })
    }

    fn apply(records: &mut ChatRecords, change: &ChatChange) {
        match change {
            ChatChange::Message(id, m) => drop(records.messages.insert(*id, m.clone())),
            ChatChange::NoMessage(id) => drop(records.messages.remove(id)),
            ChatChange::Counter(c) => records.counter = *c,
        }
    }

    fn store(change: &ChatChange) -> Stored {
        match change {
            ChatChange::Message(id, m) => Stored {
                kind: CHAT,
                key: id.to_string(),
                value: Some(serde_json::to_string(m).expect("a message serialises")),
            },
            ChatChange::NoMessage(id) => Stored {
                kind: CHAT,
                key: id.to_string(),
                value: None,
            },
            ChatChange::Counter(c) => Stored {
                kind: LAST,
                key: "last".to_owned(),
                value: Some(serde_json::to_string(c).expect("a counter serialises")),
            },
        }
    }
}

/// A counter as stored: `{"last": N, "kept": K}`, or (as first written) the highest id alone.
fn counter_of(value: &str) -> Option<Counter> {
    serde_json::from_str(value).ok().or_else(|| {
        let last = value.trim().parse().ok()?;
        Some(Counter { last, kept: last })
    })
}

/// A booth's messages, hidden ones too, oldest first (for its staff and the moderators).
pub fn all(records: &ChatRecords) -> Vec<ChatMessage> {
    records
        .messages
        .iter()
        .filter_map(|(id, m)| m.message(*id))
        .collect()
}
