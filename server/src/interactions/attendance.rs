//! Attendance: who came, for the after-event report. Counts only, nobody's identity.
//!
//! Records:
//! - in an event room, `joined`: key `attendees:SERVER`, value the number of attendees who
//!   joined through that server (each join without an invitation makes a new person: a
//!   browser or device once; counted per server, so servers sharing a store never contend for
//!   one counter); and key `inv-ID`, value `1`, for each person an invitation made who joined
//!   (once, however many devices they joined on). Written after the join, in the background.
//! - in a session room, `peak`: key a server's id, value the most connections that server
//!   had following the room at once (sampled at each presence tick, every connection
//!   counted). Written by the presence loop when it rises. A server alone on its embedded
//!   store is `local`; servers sharing a store are named by host name and port, the same
//!   across restarts. A session's peak presence is the sum of theirs: exact on one server,
//!   with several an upper bound (their peaks need not coincide).

use super::{Cx, Interaction, Made, RecordKind, Refusal, Stored};
use std::collections::{HashMap, HashSet};

/// The attendance interaction.
pub struct Attendance;

#[derive(Debug, Clone)]
pub enum AttendanceCommand {
    /// A person joined the event through `server`: an attendee (a new person), or `inv-ID`
    /// of an invitation.
    Joined {
        server: String,
        person: String,
        invited: bool,
    },
    /// A server saw `count` connections following this session room at once.
    Present { server: String, count: u64 },
}

/// Attendance records of one room.
#[derive(Debug, Default)]
pub struct AttendanceRecords {
    /// Attendees who joined, by the server they joined through.
    attendees: HashMap<String, u64>,
    invited: HashSet<String>,
    peaks: HashMap<String, u64>,
}

impl AttendanceRecords {
    /// People who joined the event (an event room's records).
    pub fn joined(&self) -> u64 {
        self.attendees.values().sum::<u64>() + self.invited.len() as u64
    }

    /// Whether the person an invitation made (`inv-ID`) joined (an event room's records).
    pub fn invited(&self, person: &str) -> bool {
        self.invited.contains(person)
    }

    /// The session's peak presence (a session room's records): the sum of each server's peak.
    pub fn peak(&self) -> u64 {
        self.peaks.values().sum()
    }

    /// This server's recorded peak in the room.
    pub fn peak_of(&self, server: &str) -> u64 {
        self.peaks.get(server).copied().unwrap_or(0)
    }
}

#[derive(Debug, Clone)]
pub enum AttendanceChange {
    Attendees(String, u64),
    Invited(String),
    Peak(String, u64),
}

const JOINED: &str = "joined";
const PEAK: &str = "peak";
const ATTENDEES: &str = "attendees:";

impl Interaction for Attendance {
    type Command = AttendanceCommand;
    type Records = AttendanceRecords;
    type Change = AttendanceChange;
    const NAME: &'static str = "attendance";
    const KINDS: &'static [RecordKind] = &[
        RecordKind {
            name: JOINED,
            tallied: false,
            personal: true,
        },
        RecordKind {
            name: PEAK,
            tallied: false,
            personal: false,
        },
    ];

    fn decide(&self, cx: &mut Cx<'_, Self>, command: AttendanceCommand) -> Result<Made, Refusal> {
        match command {
            AttendanceCommand::Joined {
                server,
                person,
                invited,
            } => {
                cx.event_room()?;
                if invited {
                    let known = cx
                        .records()
                        .part(|r| AttendanceRecords {
                            invited: r.invited.get(&person).cloned().into_iter().collect(),
                            ..AttendanceRecords::default()
                        })
                        .invited
                        .contains(&person);
                    if !known {
                        cx.change(AttendanceChange::Invited(person));
                    }
                } else {
                    let now = cx
                        .records()
                        .part(|r| AttendanceRecords {
                            attendees: r
                                .attendees
                                .get(&server)
                                .map(|n| HashMap::from([(server.clone(), *n)]))
                                .unwrap_or_default(),
                            ..AttendanceRecords::default()
                        })
                        .attendees
                        .get(&server)
                        .copied()
                        .unwrap_or(0);
                    cx.change(AttendanceChange::Attendees(server, now + 1));
                }
            }
            AttendanceCommand::Present { server, count } => {
                cx.session()?;
                let was = cx
                    .records()
                    .part(|r| AttendanceRecords {
                        peaks: r
                            .peaks
                            .get(&server)
                            .map(|p| HashMap::from([(server.clone(), *p)]))
                            .unwrap_or_default(),
                        ..AttendanceRecords::default()
                    })
                    .peak_of(&server);
                if count > was {
                    cx.change(AttendanceChange::Peak(server, count));
                }
            }
        }
        Ok(Made::default())
    }

    fn load(records: &mut AttendanceRecords, kind: &str, key: &str, value: Option<&str>) {
        let number = value.and_then(|v| v.parse::<u64>().ok());
        match (kind, key) {
            (JOINED, key) if key.starts_with(ATTENDEES) => {
                let server = key[ATTENDEES.len()..].to_owned();
                match number {
                    Some(n) => drop(records.attendees.insert(server, n)),
                    None => drop(records.attendees.remove(&server)),
                }
            }
            (JOINED, person) => {
                if value.is_some() {
                    records.invited.insert(person.to_owned());
                } else {
                    records.invited.remove(person);
                }
            }
            (PEAK, server) => match number {
                Some(n) => drop(records.peaks.insert(server.to_owned(), n)),
                None => drop(records.peaks.remove(server)),
            },
            _ => {}
        }
    }

    fn apply(records: &mut AttendanceRecords, change: &AttendanceChange) {
        match change {
            AttendanceChange::Attendees(s, n) => drop(records.attendees.insert(s.clone(), *n)),
            AttendanceChange::Invited(p) => drop(records.invited.insert(p.clone())),
            AttendanceChange::Peak(s, n) => drop(records.peaks.insert(s.clone(), *n)),
        }
    }

    fn store(change: &AttendanceChange) -> Stored {
        match change {
            AttendanceChange::Attendees(s, n) => Stored {
                kind: JOINED,
                key: format!("{ATTENDEES}{s}"),
                value: Some(n.to_string()),
            },
            AttendanceChange::Invited(p) => Stored {
                kind: JOINED,
                key: p.clone(),
                value: Some("1".to_owned()),
            },
            AttendanceChange::Peak(s, n) => Stored {
                kind: PEAK,
                key: s.clone(),
                value: Some(n.to_string()),
            },
        }
    }
}
