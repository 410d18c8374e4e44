//! Validated identifiers. Each is a string on the wire and is checked when parsed,
//! so a value of one of these types is always well formed.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why an identifier was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdError(pub String);

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for IdError {}

/// An event's join code, like `ECC2020`: 3 to 16 characters, `A`–`Z` and `0`–`9`.
/// Codes are typed by people from a projector, so parsing accepts lower case and upper-cases it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EventCode(String);

impl EventCode {
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let s = s.trim();
        let ok_len = (3..=16).contains(&s.len());
        if ok_len && s.bytes().all(|b| b.is_ascii_alphanumeric()) {
            Ok(Self(s.to_ascii_uppercase()))
        } else {
            Err(IdError(format!(
                "event code must be 3 to 16 letters or digits, got {s:?}"
            )))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A session's id within its event, like `keynote` or `breakout-3`:
/// 1 to 64 characters, `a`–`z`, `0`–`9` and `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SessionId(String);

impl SessionId {
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let ok_len = (1..=64).contains(&s.len());
        if ok_len
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            Ok(Self(s.to_owned()))
        } else {
            Err(IdError(format!(
                "session id must be 1 to 64 characters of a-z, 0-9 and '-', got {s:?}"
            )))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A person's id, as their token carries it: 1 to 64 characters, `A`–`Z`, `a`–`z`, `0`–`9`,
/// `-` and `_`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonId(String);

impl PersonId {
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let ok_len = (1..=64).contains(&s.len());
        if ok_len
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            Ok(Self(s.to_owned()))
        } else {
            Err(IdError(format!(
                "person id must be 1 to 64 characters of A-Z, a-z, 0-9, '-' and '_', got {s:?}"
            )))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A booth's id within its event's exhibition, like `porto-cluster`: 1 to 40 characters,
/// `a`–`z`, `0`–`9` and `-`. Made from the organisation's name when a booth is created.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BoothId(String);

impl BoothId {
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let ok_len = (1..=40).contains(&s.len());
        if ok_len
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            Ok(Self(s.to_owned()))
        } else {
            Err(IdError(format!(
                "booth id must be 1 to 40 characters of a-z, 0-9 and '-', got {s:?}"
            )))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for BoothId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A room: the unit of ordering and fan-out. Every room has one ordered log of events.
///
/// On the wire a room is a string: `event:ECC2020` for the event itself (announcements,
/// agenda changes), `session:ECC2020:keynote` for one session of it, and
/// `inbox:ECC2020:PERSON` for one person's inbox at it (what happened to their own things,
/// for them alone, on every device they have open), and `booth:ECC2020:BOOTH` for one booth
/// of its exhibition (its chat).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum RoomId {
    Event(EventCode),
    Session(EventCode, SessionId),
    Inbox(EventCode, PersonId),
    Booth(EventCode, BoothId),
}

impl RoomId {
    pub fn event_code(&self) -> &EventCode {
        match self {
            RoomId::Event(e)
            | RoomId::Session(e, _)
            | RoomId::Inbox(e, _)
            | RoomId::Booth(e, _) => e,
        }
    }
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let mut parts = s.splitn(3, ':');
        match (parts.next(), parts.next(), parts.next()) {
            (Some("event"), Some(code), None) => Ok(RoomId::Event(EventCode::parse(code)?)),
            (Some("session"), Some(code), Some(id)) => Ok(RoomId::Session(
                EventCode::parse(code)?,
                SessionId::parse(id)?,
            )),
            (Some("inbox"), Some(code), Some(id)) => {
                Ok(RoomId::Inbox(EventCode::parse(code)?, PersonId::parse(id)?))
            }
            (Some("booth"), Some(code), Some(id)) => {
                Ok(RoomId::Booth(EventCode::parse(code)?, BoothId::parse(id)?))
            }
            _ => Err(IdError(format!(
                "room must be 'event:CODE', 'session:CODE:ID', 'inbox:CODE:PERSON' or 'booth:CODE:BOOTH', got {s:?}"
            ))),
        }
    }
}

impl fmt::Display for RoomId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RoomId::Event(e) => write!(f, "event:{}", e.0),
            RoomId::Session(e, s) => write!(f, "session:{}:{}", e.0, s.0),
            RoomId::Inbox(e, p) => write!(f, "inbox:{}:{}", e.0, p.0),
            RoomId::Booth(e, b) => write!(f, "booth:{}:{}", e.0, b.0),
        }
    }
}

macro_rules! string_conversions {
    ($($t:ty),*) => {$(
        impl TryFrom<String> for $t {
            type Error = IdError;
            fn try_from(s: String) -> Result<Self, IdError> { <$t>::parse(&s) }
        }
        impl From<$t> for String {
            fn from(v: $t) -> String { v.to_string() }
        }
        impl std::str::FromStr for $t {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, IdError> { <$t>::parse(s) }
        }
    )*};
}
string_conversions!(EventCode, SessionId, PersonId, RoomId, BoothId);

impl fmt::Display for EventCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for PersonId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Correlates a request with its reply. Chosen by the client; echoed by the server.
pub type RequestId = u64;

/// A position in a room's log. The first event of a room has sequence 1;
/// a room with no events is at sequence 0.
pub type Seq = u64;
