//! Award votes: one secret, verifiable ballot per eligible person; a staged reveal; a public
//! bulletin board once the winner is revealed.
//!
//! The rules are in [`rules`]. Records, in a session room: `award_ballot` (key
//! `AWARD:PERSON`, value `CANDIDATE:RECEIPT`); a ballot makes the award's published count of
//! ballots stale. Nothing published links a person to a ballot.

pub mod rules;

pub use rules::{AwardCommand, Ballot, BallotCast};

use super::{Cx, Interaction, Made, RecordKind, Refusal, Stored, View};
use plenum_protocol::{
    AwardBallots, AwardExport, AwardId, AwardStatus, RoomEvent, RoomState, SessionState,
};
use std::{
    collections::{BTreeSet, HashMap},
    sync::Arc,
};

/// The award votes interaction.
pub struct Awards;

/// An award request, by `person` (a person id).
#[derive(Debug, Clone)]
pub struct AwardRequest {
    pub person: String,
    pub command: AwardCommand,
}

/// Award records in one room, as committed: each award's ballots, by person.
#[derive(Debug, Default)]
pub struct AwardRecords(HashMap<AwardId, HashMap<Arc<str>, Ballot>>);

impl AwardRecords {
    fn of(&self, award: AwardId) -> HashMap<Arc<str>, Ballot> {
        self.0.get(&award).cloned().unwrap_or_default()
    }
}

const AWARD_BALLOT: &str = "award_ballot";

/// An award's ballots, as `view` leaves them.
fn ballots(view: &View<'_, Awards>, award: AwardId) -> HashMap<Arc<str>, Ballot> {
    view.part(|r| AwardRecords(HashMap::from([(award, r.of(award))])))
        .0
        .remove(&award)
        .unwrap_or_default()
}

/// Whether `person` has a ballot in `award`, as `view` leaves it (a point lookup: no copy).
fn voted(view: &View<'_, Awards>, award: AwardId, person: &str) -> bool {
    view.committed
        .0
        .get(&award)
        .is_some_and(|b| b.contains_key(person))
        || view
            .changes
            .iter()
            .any(|b| b.award == award && &*b.person == person)
}

impl Interaction for Awards {
    type Command = AwardRequest;
    type Records = AwardRecords;
    type Change = BallotCast;
    const NAME: &'static str = "awards";
    const KINDS: &'static [RecordKind] = &[RecordKind {
        name: AWARD_BALLOT,
        tallied: true,
        personal: true,
    }];

    fn decide(&self, cx: &mut Cx<'_, Self>, request: AwardRequest) -> Result<Made, Refusal> {
        let out = {
            let all = &cx.session()?.awards;
            let view = cx.records();
            let person = request.person.as_str();
            let ballots = |award| ballots(&view, award);
            let voted = |award| voted(&view, award, person);
            let rules = rules::Context {
                person,
                ballots: &ballots,
                voted: &voted,
            };
            rules::decide(all, request.command, &rules)?
        };
        cx.emit_all(out.events);
        for b in out.ballots {
            cx.change(b);
        }
        Ok(Made {
            award: out.award,
            receipt: out.receipt,
            ..Made::default()
        })
    }

    fn load(records: &mut AwardRecords, kind: &str, key: &str, value: Option<&str>) {
        if kind != AWARD_BALLOT {
            return;
        }
        let ballot = value.and_then(|v| {
            let (c, receipt) = v.split_once(':')?;
            Some(Ballot {
                candidate: c.parse().ok()?,
                receipt: receipt.to_owned(),
            })
        });
        if let Some((award, person)) = key.split_once(':')
            && let Ok(award) = award.parse()
        {
            let ballots = records.0.entry(award).or_default();
            match ballot {
                Some(b) => drop(ballots.insert(Arc::from(person), b)),
                None => drop(ballots.remove(person)),
            }
        }
    }

    fn apply(records: &mut AwardRecords, b: &BallotCast) {
        records
            .0
            .entry(b.award)
            .or_default()
            .insert(b.person.clone(), b.ballot.clone());
    }

    fn store(b: &BallotCast) -> Stored {
        Stored {
            kind: AWARD_BALLOT,
            key: format!("{}:{}", b.award, b.person),
            value: Some(format!("{}:{}", b.ballot.candidate, b.ballot.receipt)),
        }
    }

    fn stales(b: &BallotCast) -> Option<u64> {
        Some(b.award)
    }

    fn tally(&self, cx: &mut Cx<'_, Self>, stale: &BTreeSet<u64>) {
        let Ok(state) = cx.session() else {
            return;
        };
        let view = cx.records();
        let mut events = Vec::new();
        for &id in stale {
            if let Some(a) = state.award(id).filter(|a| a.status == AwardStatus::Open) {
                let ballots = ballots(&view, id).len() as u64;
                if ballots != a.ballots {
                    events.push(RoomEvent::AwardBallots { id, ballots });
                }
            }
        }
        cx.emit_all(events);
    }

    fn live(&self, state: &RoomState) -> Vec<u64> {
        match state {
            RoomState::Session(s) => s
                .awards
                .iter()
                .filter(|a| a.status == AwardStatus::Open)
                .map(|a| a.id)
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// The bulletin board of award `id` in a session, once its winner is revealed.
pub fn bulletin(
    state: &RoomState,
    records: &AwardRecords,
    id: AwardId,
) -> Result<AwardBallots, Refusal> {
    let RoomState::Session(s) = state else {
        return Err(super::wrong_room());
    };
    let a = s
        .award(id)
        .ok_or_else(|| Refusal::NotFound(format!("no award vote {id} in this session")))?;
    if !rules::board_public(a) {
        return Err(Refusal::Conflict(
            "the ballots are published once the winner is revealed".into(),
        ));
    }
    Ok(rules::bulletin(a, &records.of(id)))
}

/// Every award vote of a session, with its counts once it is closed: for exports.
pub fn export(
    state: &SessionState,
    records: &AwardRecords,
    before_reveal: bool,
) -> Vec<AwardExport> {
    state
        .awards
        .iter()
        .cloned()
        .map(|award| {
            // Counts name the winner: before the reveal, for organisers only.
            let counts = (award.status == AwardStatus::Closed
                && (before_reveal || rules::board_public(&award)))
            .then(|| rules::bulletin(&award, &records.of(award.id)).counts);
            AwardExport { award, counts }
        })
        .collect()
}
