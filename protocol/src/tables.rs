//! World cafés and breakout tables: a session's **table set**, its **rounds**, and each
//! person's **seat** (which reaches them in their inbox, never anyone else's).

use crate::SessionId;
use serde::{Deserialize, Serialize};

/// How people take part at a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TableMode {
    #[default]
    Online,
    /// At a place in the venue (`place`).
    Onsite,
    /// Both: a place in the venue and the video link.
    Hybrid,
}

/// A table as the organiser sets it up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableSpec {
    /// 1 to 999, unique in the set.
    pub number: u32,
    pub topic: String,
    /// The language the table talks in (`sv`, `en`); absent: any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Seats, the host's included: 2 to 50.
    pub capacity: u32,
    #[serde(default)]
    pub mode: TableMode,
    /// Where in the venue (onsite and hybrid tables).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// The host's person id: they stay at this table every round.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
}

/// At most one person of what at a table (as far as the tables allow), when seating by
/// rotation or at random.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Apart {
    #[default]
    Nobody,
    Organisation,
    Country,
}

impl Apart {
    pub fn is_nobody(&self) -> bool {
        *self == Apart::Nobody
    }
}

/// `set_tables`: a session's whole table set (replacing the one it had).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TablesSetup {
    pub tables: Vec<TableSpec>,
    /// A video link template (`https://…`): `{session}` and `{table}` are replaced by the
    /// session's id and the table's number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video: Option<String>,
    #[serde(default, skip_serializing_if = "Apart::is_nobody")]
    pub apart: Apart,
}

/// A table as the session shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub number: u32,
    pub topic: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    pub capacity: u32,
    #[serde(default)]
    pub mode: TableMode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// Whether the table has a host.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hosted: bool,
    /// The host's person id (staff only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// Seats taken now: the people seated, and the host's seat while they are away (it is kept
    /// for them). Coalesced: see `table_counts`.
    #[serde(default)]
    pub seated: u32,
    /// The table asked for help.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub help: bool,
    /// Its host sits at it now (while a round runs). Coalesced with `seated`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub host_here: bool,
    /// Closed by the organisers: nobody is seated at it until it is opened again.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub closed: bool,
}

/// How a round seats people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeatingMode {
    /// Everyone chooses a table by its topic (`choose_table`); a full table refuses.
    SelfSelect,
    /// Balanced at random: table sizes differ by at most one.
    Random,
    /// As few people who met in an earlier round at one table again as possible.
    #[default]
    Rotation,
    /// As the organiser listed (`assignments`); anyone not listed as if arriving.
    Assigned,
}

/// A round: from its start to its end, everyone taking part sits at a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Round {
    /// 1, 2, 3…
    pub number: u32,
    pub seating: SeatingMode,
    pub started_ms: i64,
    /// When it ends (moved by `extend_round`).
    pub ends_ms: i64,
    /// When the countdown warns: `min(60 s, half the round)` before the end.
    pub warn_ms: i64,
}

impl Round {
    /// When a round from `started_ms` to `ends_ms` warns.
    pub fn warning(started_ms: i64, ends_ms: i64) -> i64 {
        ends_ms - ((ends_ms - started_ms) / 2).min(60_000)
    }
}

/// A message to every table at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TablesMessage {
    pub text: String,
    pub at_ms: i64,
}

/// A session's table set.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TableSet {
    pub tables: Vec<Table>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video: Option<String>,
    #[serde(default, skip_serializing_if = "Apart::is_nobody")]
    pub apart: Apart,
    /// Rounds started so far.
    #[serde(default)]
    pub rounds: u32,
    /// The round running now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round: Option<Round>,
    /// The last message to every table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<TablesMessage>,
}

impl TableSet {
    pub fn table(&self, number: u32) -> Option<&Table> {
        self.tables.iter().find(|t| t.number == number)
    }

    /// Folds one of the round and table events (the others leave the set as it is).
    pub fn apply(&mut self, event: &crate::RoomEvent) {
        use crate::RoomEvent as E;
        match event {
            E::RoundStarted { round } => {
                self.rounds = round.number;
                self.round = Some(round.clone());
                for t in &mut self.tables {
                    t.help = false;
                }
            }
            E::RoundExtended { ends_ms, warn_ms } => {
                if let Some(r) = &mut self.round {
                    r.ends_ms = *ends_ms;
                    r.warn_ms = *warn_ms;
                }
            }
            E::RoundEnded { number } => {
                if self.round.as_ref().is_some_and(|r| r.number == *number) {
                    self.round = None;
                }
                for t in &mut self.tables {
                    t.help = false;
                }
            }
            E::TableClosed { number, closed } => {
                if let Some(t) = self.tables.iter_mut().find(|t| t.number == *number) {
                    t.closed = *closed;
                }
            }
            E::TableCounts { counts } => {
                for c in counts {
                    if let Some(t) = self.tables.iter_mut().find(|t| t.number == c.number) {
                        t.seated = c.seated;
                        t.host_here = c.host_here;
                    }
                }
            }
            E::TableHelp { number, help } => {
                if let Some(t) = self.tables.iter_mut().find(|t| t.number == *number) {
                    t.help = *help;
                }
            }
            E::TablesMessage { message } => self.message = Some(message.clone()),
            _ => {}
        }
    }
}

/// How many sit at a table now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableCount {
    pub number: u32,
    pub seated: u32,
    /// Its host sits at it now.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub host_here: bool,
}

/// Someone taking part at a session's tables, as staff find them (`find_at_tables`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AtTables {
    pub person: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    /// Their table in the running round; absent between rounds or when they have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<u32>,
}

/// Someone at your table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableMember {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub host: bool,
}

/// Your seat in a session's round (in your inbox; the newest per session).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seat {
    pub session: SessionId,
    pub round: u32,
    /// Your table's number; absent: you have no seat this round (every table of yours full,
    /// or you left).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<u32>,
    /// You host the table.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub host: bool,
    /// Who sits there (you too), the host first, then by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<TableMember>,
    /// The table's video link, made from the session's template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video: Option<String>,
}

/// One point of a table's harvest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HarvestPoint {
    /// Unique within its table, never reused.
    pub id: u32,
    /// At most [`crate::limits::MAX_HARVEST_POINT_CHARS`] characters.
    pub text: String,
    /// The round it was written in (0: between rounds).
    #[serde(default)]
    pub round: u32,
}

/// What a table's people wrote together, in the order its host gave it: at most
/// [`crate::limits::MAX_HARVEST_POINTS`] points.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Harvest {
    pub table: u32,
    pub points: Vec<HarvestPoint>,
    /// The id the next point gets.
    #[serde(default)]
    pub next: u32,
}

/// A change to a table's harvest (`harvest`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum HarvestChange {
    /// Adds a point at the end (people seated at the table, its host, staff).
    Add { text: String },
    /// Rewords a point (the table's host, staff).
    Edit { point: u32, text: String },
    /// Removes a point (the table's host, staff).
    Remove { point: u32 },
    /// Moves a point to position `to` (0: first) (the table's host, staff).
    Move { point: u32, to: u32 },
}
