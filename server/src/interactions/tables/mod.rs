//! World cafés and breakout tables: a session's table set, its rounds and who sits where.
//!
//! - [`seating`] — the pure rules that seat a round (random, rotation, arrivals).
//! - [`setup`]   — checking a table set as the organiser sends it.
//! - `harvest`   — the points a table's people write together, kept across rounds.
//! - `rounds`    — a round's seats: seating everyone at its start, arrivals and moves, telling
//!   each person their seat.
//!
//! The table set is part of the session's state (one room per session, however many tables),
//! so everyone following the session sees the tables, the round and its countdown. Who sits
//! where is not: seats are private records of the session room (`table_seat`, key: the person),
//! and each person's seat reaches them in their own inbox as a follow-up (`seated`), with who
//! sits at their table; the tables' counts are published coalesced (`table_counts`, at most
//! four times a second), never an event per seat per viewer. Who takes part (`take_part`) is
//! recorded with their name and profile (`table_here`), and each round's seating is kept
//! (`table_round`) so the next rotation avoids the pairs who met.
//!
//! A round ends at its end time by the sequencer's timer, on whichever instance runs it first
//! (the timer is part of the state: it survives a restart).

mod find;
mod harvest;
mod rounds;
pub mod seating;
pub mod setup;

pub use find::find;
use rounds::{arrival_table, occupied, seat, start};

use super::people::People;
use super::{Cx, Interaction, Made, RecordKind, Refusal, Stored};
use plenum_protocol::{
    Assignment, RoomEvent, RoomId, RoomState, Round, SeatingMode, SessionKind, TableCount,
    TableSet, TablesMessage, TablesSetup, limits,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The tables interaction.
pub struct Tables;

/// Who asks, as the tables need them.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: String,
    pub name: Option<String>,
    /// Organisers and the session's moderators.
    pub staff: bool,
}

#[derive(Debug, Clone)]
pub enum TablesCommand {
    Setup(Option<TablesSetup>),
    Start {
        seconds: u32,
        seating: SeatingMode,
        assignments: Vec<Assignment>,
    },
    Extend {
        seconds: u32,
    },
    /// Ends the running round; from the timer, only round `number`.
    End {
        number: Option<u32>,
    },
    TakePart {
        actor: Actor,
        here: bool,
    },
    Choose {
        actor: Actor,
        table: u32,
    },
    Move {
        person: String,
        table: Option<u32>,
    },
    /// Closes table `table` (or opens it again).
    Close {
        table: u32,
        closed: bool,
    },
    Help {
        actor: Actor,
        table: u32,
        help: bool,
    },
    Message {
        text: String,
    },
    /// Frees the seats of people away too long (the sweep timer, while a round runs).
    Sweep,
    Harvest {
        actor: Actor,
        table: u32,
        change: plenum_protocol::HarvestChange,
    },
}

/// Someone taking part, as seating and their tablemates see them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    /// When they last said they are here (ms): a round seats only people seen lately.
    #[serde(default)]
    pub seen_ms: i64,
}

/// A round seats the people who said they are here within this long (their open connection
/// says so with each heartbeat, every 20 seconds: `transport/taking_part.rs`), and everyone
/// seated as the round before ended.
pub const PRESENT_MS: i64 = 120_000;
/// How often a `take_part` that changes nothing but the time is written.
const SEEN_EVERY_MS: i64 = 45_000;
/// The same, for someone seated in the running round, whose seat is freed when they are away:
/// every `take_part` of theirs is written (their connection says it every 20 seconds), but one
/// said within this long of the last (a second tab, their page) is not.
const SEEN_SEATED_EVERY_MS: i64 = 10_000;
/// A seat is freed when its person has said nothing for this long (since the round began, at
/// the earliest)...
pub const AWAY_MS: i64 = 60_000;
/// ...checked this often while a round runs: a seat is freed 60–75 s after the last word.
const SWEEP_EVERY_MS: i64 = 15_000;
/// The sweep timer's key (round ends use the round's number).
const SWEEP_KEY: u64 = 1 << 32;

/// A session's tables, privately: who takes part, who sits where, and each round's seating.
#[derive(Debug, Default, Clone)]
pub struct TablesRecords {
    pub here: HashMap<String, Participant>,
    /// The running round's seats: person → table number.
    pub seats: HashMap<String, u32>,
    /// Each round's seating (person → table number), hosts included.
    pub rounds: BTreeMap<u32, BTreeMap<String, u32>>,
}

impl TablesRecords {
    /// Only what is `person`'s: whether they take part, and their seat.
    fn of(&self, person: &str) -> TablesRecords {
        TablesRecords {
            here: self
                .here
                .get_key_value(person)
                .map(|(k, p)| (k.clone(), p.clone()))
                .into_iter()
                .collect(),
            seats: self
                .seats
                .get_key_value(person)
                .map(|(k, t)| (k.clone(), *t))
                .into_iter()
                .collect(),
            rounds: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone)]
pub enum TablesChange {
    Here(String, Option<Participant>),
    Seat(String, Option<u32>, Option<u32>),
    Round(u32, BTreeMap<String, u32>),
}

const HERE: &str = "table_here";
const SEAT: &str = "table_seat";
const ROUND: &str = "table_round";

impl Interaction for Tables {
    type Command = TablesCommand;
    type Records = TablesRecords;
    type Change = TablesChange;
    const NAME: &'static str = "tables";
    const KINDS: &'static [RecordKind] = &[
        RecordKind {
            name: HERE,
            tallied: false,
            personal: true,
        },
        RecordKind {
            name: SEAT,
            tallied: true,
            personal: true,
        },
        RecordKind {
            name: ROUND,
            tallied: false,
            personal: true,
        },
    ];

    fn check(&self, command: &TablesCommand) -> Result<(), Refusal> {
        match command {
            TablesCommand::Setup(Some(setup)) => setup::table_set(setup, None).map(drop),
            TablesCommand::Start { assignments, .. }
                if assignments.len() > limits::MAX_TABLE_PEOPLE =>
            {
                Err(Refusal::TooLarge(format!(
                    "assignments: at most {}",
                    limits::MAX_TABLE_PEOPLE
                )))
            }
            TablesCommand::Start { seconds, .. } => round_length("seconds", *seconds),
            TablesCommand::Extend { seconds } => round_length("seconds", *seconds),
            TablesCommand::Message { text } => {
                super::text("text", text, limits::MAX_TABLES_MESSAGE_CHARS).map(drop)
            }
            _ => Ok(()),
        }
    }

    fn reads(&self, room: &RoomId, command: &TablesCommand) -> Vec<RoomId> {
        match command {
            // A newcomer's profile, from the event room.
            TablesCommand::TakePart { here: true, .. } | TablesCommand::Choose { .. } => {
                vec![RoomId::Event(room.event_code().clone())]
            }
            _ => Vec::new(),
        }
    }

    fn decide(&self, cx: &mut Cx<'_, Self>, command: TablesCommand) -> Result<Made, Refusal> {
        let RoomId::Session(_, session) = cx.room().clone() else {
            return Err(super::wrong_room());
        };
        let set = cx.session()?.tables.clone();
        match command {
            TablesCommand::Setup(setup) => {
                let doc = cx.event_doc()?;
                let kind = doc
                    .agenda
                    .sessions
                    .iter()
                    .find(|s| s.id == session)
                    .map(|s| s.kind)
                    .ok_or_else(|| Refusal::NotFound(format!("no session {session}")))?;
                if setup.is_some()
                    && !matches!(
                        kind,
                        SessionKind::WorldCafe | SessionKind::Breakout | SessionKind::Workshop
                    )
                {
                    return Err(Refusal::invalid(
                        "session",
                        "only a world café, breakout or workshop session holds tables",
                    ));
                }
                if set.as_ref().is_some_and(|s| s.round.is_some()) {
                    return Err(Refusal::Conflict(
                        "a round is running: end it before changing the tables".into(),
                    ));
                }
                let tables = match setup {
                    Some(setup) => Some(setup::table_set(&setup, set.as_ref())?),
                    None => None,
                };
                let held = cx.records().part(|r| TablesRecords {
                    here: r.here.clone(),
                    rounds: r
                        .rounds
                        .iter()
                        .next_back()
                        .map(|(n, _)| (*n, BTreeMap::new()))
                        .into_iter()
                        .collect(),
                    ..TablesRecords::default()
                });
                // Rounds are numbered on across a removed set (seats in inboxes name them).
                let tables = tables.map(|mut t| {
                    t.rounds = t
                        .rounds
                        .max(held.rounds.keys().next_back().copied().unwrap_or(0));
                    t
                });
                if tables.is_none() && set.is_some() {
                    // Who took part goes with the set; its rounds stay, for rotation.
                    for id in held.here.into_keys() {
                        cx.change(TablesChange::Here(id, None));
                    }
                }
                if tables != set {
                    cx.emit(RoomEvent::TablesSet { tables });
                }
            }
            TablesCommand::Start {
                seconds,
                seating,
                assignments,
            } => {
                let set = running_set(set, false)?;
                if set.rounds >= limits::MAX_ROUNDS {
                    return Err(Refusal::TooLarge(format!(
                        "a table set runs at most {} rounds",
                        limits::MAX_ROUNDS
                    )));
                }
                start(cx, &set, session.as_str(), seconds, seating, &assignments)?;
            }
            TablesCommand::Extend { seconds } => {
                let set = running_set(set, true)?;
                let round = set.round.expect("running");
                let ends_ms = round.ends_ms + i64::from(seconds) * 1000;
                if ends_ms - round.started_ms > 2 * i64::from(limits::MAX_ROUND_SECONDS) * 1000 {
                    return Err(Refusal::invalid(
                        "seconds",
                        format!(
                            "a round lasts at most {} seconds in all",
                            2 * limits::MAX_ROUND_SECONDS
                        ),
                    ));
                }
                cx.emit(RoomEvent::RoundExtended {
                    ends_ms,
                    warn_ms: Round::warning(round.started_ms, ends_ms),
                });
            }
            TablesCommand::End { number } => {
                let Some(round) = set.as_ref().and_then(|s| s.round.clone()) else {
                    return match number {
                        // A timer for a round already ended: nothing to do.
                        Some(_) => Ok(Made::default()),
                        None => Err(Refusal::Conflict("no round is running".into())),
                    };
                };
                // A timer ends only its own round, and only once its end time has come (an
                // extended round's earlier timer still fires, and is ignored).
                if number.is_some_and(|n| n != round.number || cx.now_ms() < round.ends_ms) {
                    return Ok(Made::default());
                }
                let seats = cx.records().part(|r| TablesRecords {
                    seats: r.seats.clone(),
                    ..TablesRecords::default()
                });
                // The round's record becomes where people sat at its end (chosen, moved,
                // arrived; not who left, was away or never came): the harvest between rounds,
                // who the next round counts as here, and the next rotation go by it.
                let sat: BTreeMap<String, u32> =
                    seats.seats.iter().map(|(p, t)| (p.clone(), *t)).collect();
                cx.change(TablesChange::Round(round.number, sat));
                // Everyone is back in the session: their inboxes say so too (an agenda shows a
                // seat only while its round runs).
                for (person, table) in seats.seats {
                    let back = plenum_protocol::Seat {
                        session: session.clone(),
                        round: round.number,
                        table: None,
                        host: false,
                        members: Vec::new(),
                        video: None,
                    };
                    rounds::notify(cx, &person, back)?;
                    cx.change(TablesChange::Seat(person, Some(table), None));
                }
                cx.emit(RoomEvent::RoundEnded {
                    number: round.number,
                });
            }
            TablesCommand::TakePart { actor, here } => {
                let set = set.ok_or_else(no_tables)?;
                // Only this person's part (a page says it every 30 seconds: no copies of all).
                let view = cx.records();
                let people = view.committed.here.len();
                let records = view.part(|r| r.of(&actor.id));
                if here {
                    let me = participant(cx, &actor)?;
                    let was = records.here.get(&actor.id);
                    let seated = records.seats.contains_key(&actor.id);
                    // Arriving: new (or freed as away), or not seen lately (a heartbeat is not
                    // an arrival).
                    let arriving = was.is_none_or(|w| me.seen_ms - w.seen_ms > PRESENT_MS);
                    let every = if seated && set.round.is_some() {
                        SEEN_SEATED_EVERY_MS
                    } else {
                        SEEN_EVERY_MS
                    };
                    let unchanged = was.is_some_and(|was| {
                        Participant {
                            seen_ms: me.seen_ms,
                            ..was.clone()
                        } == me
                            && me.seen_ms - was.seen_ms < every
                    });
                    if !unchanged {
                        if was.is_none() && people >= limits::MAX_TABLE_PEOPLE {
                            return Err(too_many_people());
                        }
                        cx.change(TablesChange::Here(actor.id.clone(), Some(me)));
                    }
                    let hosts = hosts_open(&set, &actor.id).is_some();
                    // Hosts sit at their tables in every round; the others are seated as they
                    // arrive, unless the round has them choose (or someone moved them out); back
                    // from away, at the table they had, in every kind of round.
                    let had_table = |round: &Round| {
                        cx.records()
                            .part(|r| TablesRecords {
                                rounds: r
                                    .rounds
                                    .get(&round.number)
                                    .and_then(|m| m.get_key_value(&actor.id))
                                    .map(|(p, t)| (round.number, BTreeMap::from([(p.clone(), *t)])))
                                    .into_iter()
                                    .collect(),
                                ..TablesRecords::default()
                            })
                            .rounds
                            .contains_key(&round.number)
                    };
                    if let Some(round) = &set.round
                        && !seated
                        && (hosts
                            || (arriving
                                && (round.seating != SeatingMode::SelfSelect || had_table(round))))
                    {
                        let records = cx.records().part(Clone::clone);
                        let table = arrival_table(&set, &records, round, &actor.id);
                        seat(cx, &set, session.as_str(), round, &actor.id, table)?;
                    }
                } else {
                    if let Some(round) = &set.round
                        && records.seats.contains_key(&actor.id)
                    {
                        seat(cx, &set, session.as_str(), round, &actor.id, None)?;
                    }
                    if records.here.contains_key(&actor.id) {
                        cx.change(TablesChange::Here(actor.id.clone(), None));
                    }
                    // Leaving on purpose: the table they had is not kept for their return.
                    if let Some(round) = &set.round
                        && hosts_open(&set, &actor.id).is_none()
                    {
                        let mut record = round_record(cx, round.number);
                        if record.remove(&actor.id).is_some() {
                            cx.change(TablesChange::Round(round.number, record));
                        }
                    }
                }
            }
            TablesCommand::Choose { actor, table } => {
                let set = running_set(set, true)?;
                let round = set.round.clone().expect("running");
                if round.seating != SeatingMode::SelfSelect {
                    return Err(Refusal::Conflict(
                        "this round seats people itself: tables are not chosen".into(),
                    ));
                }
                let records = cx.records().part(Clone::clone);
                if records.seats.get(&actor.id) == Some(&table) {
                    return Ok(Made::default());
                }
                if hosts_open(&set, &actor.id).is_some_and(|n| n != table) {
                    return Err(Refusal::Conflict("a host stays at their table".into()));
                }
                if !records.here.contains_key(&actor.id)
                    && records.here.len() >= limits::MAX_TABLE_PEOPLE
                {
                    return Err(too_many_people());
                }
                let me = participant(cx, &actor)?;
                cx.change(TablesChange::Here(actor.id.clone(), Some(me)));
                seat(cx, &set, session.as_str(), &round, &actor.id, Some(table))?;
            }
            TablesCommand::Sweep => {
                let Some(round) = set.as_ref().and_then(|s| s.round.clone()) else {
                    return Ok(Made::default());
                };
                let set = set.expect("a round runs");
                let now = cx.now_ms();
                let seated = cx.records().part(|r| TablesRecords {
                    seats: r.seats.clone(),
                    here: r
                        .here
                        .iter()
                        .filter(|(p, _)| r.seats.contains_key(*p))
                        .map(|(p, h)| (p.clone(), h.clone()))
                        .collect(),
                    ..TablesRecords::default()
                });
                let mut away: Vec<String> = seated
                    .seats
                    .keys()
                    .filter(|p| {
                        let seen = seated.here.get(*p).map_or(0, |h| h.seen_ms);
                        now - seen.max(round.started_ms) > AWAY_MS
                    })
                    .cloned()
                    .collect();
                away.sort();
                if away.is_empty() {
                    return Ok(Made::default());
                }
                // The round's record keeps the table each had (back, they sit there again while
                // it has a seat, in every kind of round).
                let mut record = round_record(cx, round.number);
                for person in &away {
                    if let Some(t) = seated.seats.get(person) {
                        record.insert(person.clone(), *t);
                    }
                }
                cx.change(TablesChange::Round(round.number, record));
                // Away: their seat goes, and they no longer take part (back, they arrive).
                for person in away {
                    seat(cx, &set, session.as_str(), &round, &person, None)?;
                    cx.change(TablesChange::Here(person, None));
                }
            }
            TablesCommand::Move { person, table } => {
                let set = running_set(set, true)?;
                let round = set.round.clone().expect("running");
                let records = cx.records().part(Clone::clone);
                if !records.here.contains_key(&person) {
                    return Err(Refusal::NotFound(format!(
                        "{person} does not take part at these tables"
                    )));
                }
                if hosts_open(&set, &person).is_some() {
                    return Err(Refusal::Conflict("a host stays at their table".into()));
                }
                if records.seats.get(&person).copied() != table {
                    seat(cx, &set, session.as_str(), &round, &person, table)?;
                }
            }
            TablesCommand::Close { table, closed } => {
                let mut set = set.ok_or_else(no_tables)?;
                let i = set
                    .tables
                    .iter()
                    .position(|t| t.number == table)
                    .ok_or_else(|| Refusal::NotFound(format!("no table {table}")))?;
                if set.tables[i].closed == closed {
                    return Ok(Made::default());
                }
                cx.emit(RoomEvent::TableClosed {
                    number: table,
                    closed,
                });
                // Nobody is left at a closed table to be helped.
                if closed && set.tables[i].help {
                    cx.emit(RoomEvent::TableHelp {
                        number: table,
                        help: false,
                    });
                }
                set.tables[i].closed = closed;
                // Closed while a round runs: its people (its host too) arrive elsewhere.
                if let Some(round) = set.round.clone()
                    && closed
                {
                    let mut there: Vec<String> = cx
                        .records()
                        .part(|r| TablesRecords {
                            seats: r
                                .seats
                                .iter()
                                .filter(|(_, t)| **t == table)
                                .map(|(p, t)| (p.clone(), *t))
                                .collect(),
                            ..TablesRecords::default()
                        })
                        .seats
                        .into_keys()
                        .collect();
                    there.sort();
                    for person in there {
                        let records = cx.records().part(Clone::clone);
                        let to = arrival_table(&set, &records, &round, &person);
                        seat(cx, &set, session.as_str(), &round, &person, to)?;
                    }
                }
                // Opened again while a round runs: its host, if here, sits at it again.
                let now = cx.now_ms();
                if let Some(round) = set.round.clone()
                    && !closed
                    && let Some(host) = set.tables[i].host.clone()
                    && cx
                        .records()
                        .part(|r| r.of(&host))
                        .here
                        .get(&host)
                        .is_some_and(|h| now - h.seen_ms <= PRESENT_MS)
                {
                    seat(cx, &set, session.as_str(), &round, &host, Some(table))?;
                }
                // The grid's counts at once (a hosted table's kept seat comes and goes with
                // it, whether or not anyone moved).
                let seats = cx.records().part(|r| TablesRecords {
                    seats: r.seats.clone(),
                    ..TablesRecords::default()
                });
                if let Some(counts) = recount(&set, &seats.seats) {
                    cx.emit(counts);
                }
            }
            TablesCommand::Help { actor, table, help } => {
                let set = running_set(set, true)?;
                let t = set
                    .table(table)
                    .ok_or_else(|| Refusal::NotFound(format!("no table {table}")))?;
                let mine = cx
                    .records()
                    .part(|r| r.of(&actor.id))
                    .seats
                    .get(&actor.id)
                    .copied();
                if !actor.staff && mine != Some(table) {
                    return Err(Refusal::Forbidden(
                        "only the people at a table ask for help there".into(),
                    ));
                }
                if t.help != help {
                    cx.emit(RoomEvent::TableHelp {
                        number: table,
                        help,
                    });
                }
            }
            TablesCommand::Harvest {
                actor,
                table,
                change,
            } => {
                let set = set.ok_or_else(no_tables)?;
                harvest::change(cx, &set, &actor, table, change)?;
            }
            TablesCommand::Message { text } => {
                set.ok_or_else(no_tables)?;
                let text = super::text("text", &text, limits::MAX_TABLES_MESSAGE_CHARS)?;
                let at_ms = cx.now_ms();
                cx.emit(RoomEvent::TablesMessage {
                    message: TablesMessage { text, at_ms },
                });
            }
        }
        Ok(Made::default())
    }

    fn load(records: &mut TablesRecords, kind: &str, key: &str, value: Option<&str>) {
        let change = match (kind, value) {
            (HERE, None) => TablesChange::Here(key.to_owned(), None),
            (HERE, Some(v)) => match serde_json::from_str(v) {
                Ok(p) => TablesChange::Here(key.to_owned(), Some(p)),
                Err(e) => return tracing::error!(key, error = %e, "an unreadable participant"),
            },
            (SEAT, v) => TablesChange::Seat(key.to_owned(), None, v.and_then(|v| v.parse().ok())),
            (ROUND, Some(v)) => match (key.parse(), serde_json::from_str(v)) {
                (Ok(n), Ok(seats)) => TablesChange::Round(n, seats),
                _ => return tracing::error!(key, "an unreadable round"),
            },
            (ROUND, None) => {
                if let Ok(n) = key.parse::<u32>() {
                    records.rounds.remove(&n);
                }
                return;
            }
            _ => return,
        };
        Self::apply(records, &change);
    }

    fn apply(records: &mut TablesRecords, change: &TablesChange) {
        match change {
            TablesChange::Here(id, Some(p)) => drop(records.here.insert(id.clone(), p.clone())),
            TablesChange::Here(id, None) => drop(records.here.remove(id)),
            TablesChange::Seat(id, _, Some(t)) => drop(records.seats.insert(id.clone(), *t)),
            TablesChange::Seat(id, _, None) => drop(records.seats.remove(id)),
            TablesChange::Round(n, seats) => drop(records.rounds.insert(*n, seats.clone())),
        }
    }

    fn store(change: &TablesChange) -> Stored {
        match change {
            TablesChange::Here(id, p) => Stored {
                kind: HERE,
                key: id.clone(),
                value: p
                    .as_ref()
                    .map(|p| serde_json::to_string(p).expect("a participant serialises")),
            },
            TablesChange::Seat(id, _, t) => Stored {
                kind: SEAT,
                key: id.clone(),
                value: t.map(|t| t.to_string()),
            },
            TablesChange::Round(n, seats) => Stored {
                kind: ROUND,
                key: n.to_string(),
                value: Some(serde_json::to_string(seats).expect("a round serialises")),
            },
        }
    }

    /// A seat change makes the counts of the table left and the table taken stale: the key is
    /// the table's number (0: none).
    fn stales(change: &TablesChange) -> Option<u64> {
        match change {
            TablesChange::Seat(_, from, to) => to.or(*from).map(u64::from),
            _ => None,
        }
    }

    fn tally(&self, cx: &mut Cx<'_, Self>, _stale: &BTreeSet<u64>) {
        let Ok(Some(set)) = cx.session().map(|s| s.tables.clone()) else {
            return;
        };
        // Seats taken: a host's counts while they are away too (it is kept for them).
        let seats = cx.records().part(|r| TablesRecords {
            seats: r.seats.clone(),
            ..TablesRecords::default()
        });
        if let Some(counts) = recount(&set, &seats.seats) {
            cx.emit(counts);
        }
    }

    fn live(&self, state: &RoomState) -> Vec<u64> {
        match state {
            RoomState::Session(s) if s.tables.is_some() => vec![0],
            _ => Vec::new(),
        }
    }

    fn timers(&self, state: &RoomState, now_ms: i64) -> Vec<(i64, u64)> {
        match state {
            RoomState::Session(s) => s
                .tables
                .as_ref()
                .and_then(|t| t.round.as_ref())
                .map(|r| {
                    // The round's end; and, while it runs, the next sweep for people away.
                    let mut timers = vec![(r.ends_ms, u64::from(r.number))];
                    let next = r.started_ms
                        + SWEEP_EVERY_MS * ((now_ms - r.started_ms).max(0) / SWEEP_EVERY_MS + 1);
                    if next < r.ends_ms {
                        timers.push((next, SWEEP_KEY));
                    }
                    timers
                })
                .into_iter()
                .flatten()
                .collect(),
            _ => Vec::new(),
        }
    }

    fn on_timer(&self, key: u64) -> Option<TablesCommand> {
        Some(match key {
            SWEEP_KEY => TablesCommand::Sweep,
            _ => TablesCommand::End {
                number: u32::try_from(key).ok(),
            },
        })
    }
}

/// The counts of every table whose published count is off, as one event (a move makes two
/// tables stale, and the change names one of them).
fn recount(set: &TableSet, seats: &HashMap<String, u32>) -> Option<RoomEvent> {
    let counts = occupied(set, seats);
    let counts: Vec<TableCount> = set
        .tables
        .iter()
        .filter_map(|t| {
            let seated = counts.get(&t.number).copied().unwrap_or(0);
            let host_here = t
                .host
                .as_ref()
                .is_some_and(|h| seats.get(h) == Some(&t.number));
            (seated != t.seated || host_here != t.host_here).then_some(TableCount {
                number: t.number,
                seated,
                host_here,
            })
        })
        .collect();
    (!counts.is_empty()).then_some(RoomEvent::TableCounts { counts })
}

/// Round `number`'s record (person → table), as the batch leaves it.
fn round_record(cx: &Cx<'_, Tables>, number: u32) -> BTreeMap<String, u32> {
    cx.records()
        .part(|r| TablesRecords {
            rounds: r
                .rounds
                .get_key_value(&number)
                .map(|(n, s)| (*n, s.clone()))
                .into_iter()
                .collect(),
            ..TablesRecords::default()
        })
        .rounds
        .remove(&number)
        .unwrap_or_default()
}

/// The open table `person` hosts, if any (a closed table's host sits elsewhere as a guest).
fn hosts_open(set: &TableSet, person: &str) -> Option<u32> {
    set.tables
        .iter()
        .find(|t| !t.closed && t.host.as_deref() == Some(person))
        .map(|t| t.number)
}

fn too_many_people() -> Refusal {
    Refusal::TooLarge(format!(
        "at most {} people take part at a session's tables",
        limits::MAX_TABLE_PEOPLE
    ))
}

fn no_tables() -> Refusal {
    Refusal::Conflict("this session has no tables".into())
}

fn round_length(field: &str, seconds: u32) -> Result<(), Refusal> {
    if (limits::MIN_ROUND_SECONDS..=limits::MAX_ROUND_SECONDS).contains(&seconds) {
        Ok(())
    } else {
        Err(Refusal::invalid(
            field,
            format!(
                "must be {} to {} seconds",
                limits::MIN_ROUND_SECONDS,
                limits::MAX_ROUND_SECONDS
            ),
        ))
    }
}

/// The table set, with a round running (`running`) or not.
fn running_set(set: Option<TableSet>, running: bool) -> Result<TableSet, Refusal> {
    let set = set.ok_or_else(no_tables)?;
    match (running, set.round.is_some()) {
        (true, false) => Err(Refusal::Conflict("no round is running".into())),
        (false, true) => Err(Refusal::Conflict("a round is running already".into())),
        _ => Ok(set),
    }
}

/// `actor` as their tablemates and seating see them: their name, their profile at the event,
/// seen now.
fn participant(cx: &Cx<'_, Tables>, actor: &Actor) -> Result<Participant, Refusal> {
    let event = RoomId::Event(cx.room().event_code().clone());
    let profile = cx.other_of::<People, _>(&event, |view| {
        view.part(|r| super::people::PeopleRecords {
            people: r
                .people
                .get(&actor.id)
                .map(|s| (actor.id.clone(), s.clone()))
                .into_iter()
                .collect(),
        })
        .people
        .remove(&actor.id)
        .map(|s| s.profile)
        .unwrap_or_default()
    })?;
    Ok(Participant {
        name: actor.name.clone(),
        organisation: profile.organisation,
        country: profile.country,
        languages: profile.languages,
        seen_ms: cx.now_ms(),
    })
}
