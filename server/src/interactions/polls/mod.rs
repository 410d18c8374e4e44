//! Polls: the six kinds, their lifecycle and timers, ballots and results.
//!
//! The rules are in [`rules`]. Records, in a session room: `ballot` (key `POLL:PERSON`, the
//! answer as protocol JSON) and `approved` (key `POLL:ANSWER_ID`, an open-text answer a
//! moderator approved); both make the poll's published results stale. A timed poll asks for a
//! timer keyed by its id, and closes when it fires.

pub mod rules;

pub use rules::{ApprovalChange, BallotChange, PollCommand, text_id};

use super::{Cx, Interaction, Made, RecordKind, Refusal, Stored, View};
use plenum_protocol::{
    Answer, Poll, PollId, PollKind, PollResults, PollStatus, RoomEvent, RoomState, SessionState,
};
use std::{
    collections::{BTreeSet, HashMap, HashSet},
    sync::Arc,
};

/// The polls interaction.
pub struct Polls;

/// A poll request, by `person` (a person id; empty for the sequencer's own).
#[derive(Debug, Clone)]
pub struct PollRequest {
    pub person: String,
    pub command: PollCommand,
}

/// Poll records in one room, as committed.
#[derive(Debug, Default)]
pub struct PollRecords {
    /// Each poll's ballots, by person.
    ballots: HashMap<PollId, HashMap<Arc<str>, Answer>>,
    /// Each moderated open-text poll's approved answer ids.
    approved: HashMap<PollId, HashSet<String>>,
}

impl PollRecords {
    /// A poll's ballots and approved answers, as committed.
    pub fn of(&self, poll: PollId) -> (HashMap<Arc<str>, Answer>, HashSet<String>) {
        (
            self.ballots.get(&poll).cloned().unwrap_or_default(),
            self.approved.get(&poll).cloned().unwrap_or_default(),
        )
    }
}

#[derive(Debug, Clone)]
pub enum PollChange {
    Ballot(BallotChange),
    Approval(ApprovalChange),
}

const BALLOT: &str = "ballot";
const APPROVED: &str = "approved";

/// A poll's ballots and approved answers, as `view` leaves them.
fn ballots(view: &View<'_, Polls>, poll: PollId) -> (HashMap<Arc<str>, Answer>, HashSet<String>) {
    let mut r = view.part(|r| {
        let (ballots, approved) = r.of(poll);
        PollRecords {
            ballots: HashMap::from([(poll, ballots)]),
            approved: HashMap::from([(poll, approved)]),
        }
    });
    (
        r.ballots.remove(&poll).unwrap_or_default(),
        r.approved.remove(&poll).unwrap_or_default(),
    )
}

fn open(state: &RoomState) -> impl Iterator<Item = &Poll> {
    let polls = match state {
        RoomState::Session(s) => s.polls.as_slice(),
        _ => &[],
    };
    polls.iter().filter(|p| p.status == PollStatus::Open)
}

impl Interaction for Polls {
    type Command = PollRequest;
    type Records = PollRecords;
    type Change = PollChange;
    const NAME: &'static str = "polls";
    const KINDS: &'static [RecordKind] = &[
        RecordKind {
            name: BALLOT,
            tallied: true,
            personal: true,
        },
        RecordKind {
            name: APPROVED,
            tallied: true,
            personal: false,
        },
    ];

    fn decide(&self, cx: &mut Cx<'_, Self>, request: PollRequest) -> Result<Made, Refusal> {
        let out = {
            let polls = &cx.session()?.polls;
            let view = cx.records();
            let ballots = |poll| ballots(&view, poll);
            let rules = rules::Context {
                person: &request.person,
                now_ms: cx.now_ms(),
                ballots: &ballots,
                key: cx.key(),
            };
            rules::decide(polls, request.command, &rules)?
        };
        cx.emit_all(out.events);
        for b in out.ballots {
            cx.change(PollChange::Ballot(b));
        }
        for a in out.approvals {
            cx.change(PollChange::Approval(a));
        }
        Ok(Made {
            poll: out.poll,
            ..Made::default()
        })
    }

    fn load(records: &mut PollRecords, kind: &str, key: &str, value: Option<&str>) {
        let Some((poll, rest)) = key.split_once(':') else {
            return;
        };
        let Ok(poll) = poll.parse() else {
            return;
        };
        match kind {
            BALLOT => {
                let ballots = records.ballots.entry(poll).or_default();
                match value {
                    None => drop(ballots.remove(rest)),
                    Some(v) => {
                        if let Ok(answer) = serde_json::from_str(v) {
                            ballots.insert(Arc::from(rest), answer);
                        }
                    }
                }
            }
            APPROVED => {
                let approved = records.approved.entry(poll).or_default();
                if value.is_some() {
                    approved.insert(rest.to_owned());
                } else {
                    approved.remove(rest);
                }
            }
            _ => {}
        }
    }

    fn apply(records: &mut PollRecords, change: &PollChange) {
        match change {
            PollChange::Ballot(b) => {
                let ballots = records.ballots.entry(b.poll).or_default();
                match &b.answer {
                    Some(a) => ballots.insert(b.person.clone(), a.clone()),
                    None => ballots.remove(&b.person),
                };
            }
            PollChange::Approval(a) => {
                let approved = records.approved.entry(a.poll).or_default();
                if a.approved {
                    approved.insert(a.answer.clone());
                } else {
                    approved.remove(&a.answer);
                }
            }
        }
    }

    fn store(change: &PollChange) -> Stored {
        match change {
            PollChange::Ballot(b) => Stored {
                kind: BALLOT,
                key: format!("{}:{}", b.poll, b.person),
                value: b
                    .answer
                    .as_ref()
                    .map(|a| serde_json::to_string(a).expect("answers serialise")),
            },
            PollChange::Approval(a) => Stored {
                kind: APPROVED,
                key: format!("{}:{}", a.poll, a.answer),
                value: a.approved.then(|| "1".to_owned()),
            },
        }
    }

    fn stales(change: &PollChange) -> Option<u64> {
        Some(match change {
            PollChange::Ballot(b) => b.poll,
            PollChange::Approval(a) => a.poll,
        })
    }

    fn tally(&self, cx: &mut Cx<'_, Self>, stale: &BTreeSet<u64>) {
        let Ok(state) = cx.session() else {
            return;
        };
        let view = cx.records();
        let mut events = Vec::new();
        // Closed polls already have their exact results, from the close itself.
        for &id in stale {
            if let Some(poll) = state.poll(id).filter(|x| x.status == PollStatus::Open) {
                let (ballots, approved) = ballots(&view, id);
                let event = rules::results_event(poll, &ballots, &approved, cx.key());
                // Results as published already: nothing to say.
                if let RoomEvent::PollResults {
                    ballots, results, ..
                } = &event
                    && *ballots == poll.ballots
                    && *results == poll.results
                {
                    continue;
                }
                events.push(event);
            }
        }
        cx.emit_all(events);
    }

    fn live(&self, state: &RoomState) -> Vec<u64> {
        open(state).map(|p| p.id).collect()
    }

    fn timers(&self, state: &RoomState, _now_ms: i64) -> Vec<(i64, u64)> {
        open(state)
            .filter_map(|p| Some((p.closes_at_ms?, p.id)))
            .collect()
    }

    fn on_timer(&self, poll: u64) -> Option<PollRequest> {
        Some(PollRequest {
            person: String::new(),
            command: PollCommand::TimerExpired { poll },
        })
    }

    fn personalise(
        &self,
        records: &PollRecords,
        _full: &RoomState,
        view: &mut RoomState,
        person: &str,
    ) {
        if let RoomState::Session(s) = view {
            for poll in &mut s.polls {
                poll.mine = records
                    .ballots
                    .get(&poll.id)
                    .and_then(|b| b.get(person))
                    .cloned();
            }
        }
    }
}

/// Every poll of a session with its exact results (hidden ones included): for exports.
pub fn export(state: &SessionState, records: &PollRecords, key: &[u8; 32]) -> Vec<Poll> {
    state
        .polls
        .iter()
        .cloned()
        .map(|mut p| {
            let (ballots, approved) = records.of(p.id);
            p.ballots = ballots.len() as u64;
            p.results = Some(match p.kind {
                // Exports carry every answer; only frames are bounded.
                PollKind::OpenText { .. } => {
                    let answers = rules::all_texts(&p, &ballots, &approved, key);
                    PollResults::Texts {
                        total: answers.len() as u64,
                        approved: answers.iter().filter(|a| a.approved).count() as u64,
                        answers,
                    }
                }
                _ => rules::results(&p, &ballots, &approved, key),
            });
            p
        })
        .collect()
}
