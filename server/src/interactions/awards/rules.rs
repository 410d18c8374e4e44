//! Award vote rules: one secret, verifiable ballot per eligible person; a staged reveal.
//! See `plenum_protocol::award` for the receipt and digest scheme.

use crate::interactions::Refusal;
use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD as B64};
use plenum_protocol::{
    Award, AwardBallots, AwardDraft, AwardId, AwardStatus, AwardStep, AwardVoters, Placing,
    PublishedBallot, RoomEvent, limits,
};
use sha2::{Digest, Sha256};
use std::{collections::HashMap, fmt::Write as _, sync::Arc};

/// A cast ballot: who (kept private), for whom, and the receipt they were given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ballot {
    pub candidate: u32,
    pub receipt: String,
}

/// An award request.
#[derive(Debug, Clone)]
pub enum AwardCommand {
    Create(AwardDraft),
    Step {
        award: AwardId,
        step: AwardStep,
    },
    Cast {
        award: AwardId,
        candidate: u32,
        registered: bool,
    },
}

/// A ballot to record.
#[derive(Debug, Clone)]
pub struct BallotCast {
    pub award: AwardId,
    pub person: Arc<str>,
    pub ballot: Ballot,
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub events: Vec<RoomEvent>,
    pub ballots: Vec<BallotCast>,
    pub award: Option<AwardId>,
    pub receipt: Option<String>,
}

pub struct Context<'a> {
    pub person: &'a str,
    /// An award's ballots by person, as the batch leaves them (for closing and revealing).
    pub ballots: &'a dyn Fn(AwardId) -> HashMap<Arc<str>, Ballot>,
    /// Whether this person has voted in an award (a point lookup, for every ballot cast).
    pub voted: &'a dyn Fn(AwardId) -> bool,
}

fn find(awards: &[Award], id: AwardId) -> Result<&Award, Refusal> {
    awards
        .iter()
        .find(|a| a.id == id)
        .ok_or_else(|| Refusal::NotFound(format!("no award vote {id} in this session")))
}

fn changed(out: &mut Outcome, award: Award) {
    out.events.push(RoomEvent::Award { award });
}

/// The bulletin board of an award: ballots without voters, sorted by receipt, counts, digest.
pub fn bulletin(award: &Award, ballots: &HashMap<Arc<str>, Ballot>) -> AwardBallots {
    let mut published: Vec<PublishedBallot> = ballots
        .values()
        .map(|b| PublishedBallot {
            receipt: b.receipt.clone(),
            candidate: b.candidate,
        })
        .collect();
    published.sort_by(|a, b| a.receipt.cmp(&b.receipt));
    let mut counts = vec![0u64; award.candidates.len()];
    let mut hasher = Sha256::new();
    for b in &published {
        counts[b.candidate as usize] += 1;
        hasher.update(format!("{}:{}\n", b.receipt, b.candidate).as_bytes());
    }
    let mut digest = String::with_capacity(64);
    for byte in hasher.finalize() {
        let _ = write!(digest, "{byte:02x}");
    }
    AwardBallots {
        award: award.id,
        ballots: published,
        counts,
        digest,
    }
}

/// Whether the bulletin board (and so the counts) may be published: once the winner is
/// revealed, so the board never gets ahead of the staged reveal.
pub fn board_public(award: &Award) -> bool {
    award.status == AwardStatus::Closed && award.revealed.iter().any(|p| p.place == 1)
}

/// Places by votes, most first; ties keep the ballot order.
fn standings(counts: &[u64]) -> Vec<Placing> {
    let mut order: Vec<usize> = (0..counts.len()).collect();
    order.sort_by(|a, b| counts[*b].cmp(&counts[*a]).then(a.cmp(b)));
    order
        .into_iter()
        .enumerate()
        .map(|(i, c)| Placing {
            place: i as u32 + 1,
            candidate: c as u32,
            votes: counts[c],
        })
        .collect()
}

fn new_receipt() -> String {
    let mut b = [0u8; 12];
    getrandom::fill(&mut b).expect("the operating system's random source");
    B64.encode(b)
}

/// Decides a request against the session's awards (the full view); the events say what
/// changes (the sequencer folds them in).
pub fn decide(awards: &[Award], command: AwardCommand, cx: &Context) -> Result<Outcome, Refusal> {
    let mut out = Outcome::default();
    match command {
        AwardCommand::Create(d) => {
            let title = d.title.trim();
            if title.is_empty() {
                return Err(Refusal::invalid("award.title", "must not be empty"));
            }
            if title.chars().count() > limits::MAX_TITLE_CHARS {
                return Err(Refusal::too_long("award.title", limits::MAX_TITLE_CHARS));
            }
            if !(2..=limits::MAX_CANDIDATES).contains(&d.candidates.len()) {
                return Err(Refusal::invalid(
                    "award.candidates",
                    format!("needs 2 to {} candidates", limits::MAX_CANDIDATES),
                ));
            }
            for (i, c) in d.candidates.iter().enumerate() {
                let field = format!("award.candidates[{i}].name");
                if c.name.trim().is_empty() {
                    return Err(Refusal::invalid(&field, "must not be empty"));
                }
                if c.name.chars().count() > limits::MAX_TITLE_CHARS {
                    return Err(Refusal::too_long(&field, limits::MAX_TITLE_CHARS));
                }
                if let Some(org) = &c.organisation {
                    let field = format!("award.candidates[{i}].organisation");
                    if org.chars().count() > limits::MAX_TITLE_CHARS {
                        return Err(Refusal::too_long(&field, limits::MAX_TITLE_CHARS));
                    }
                    if org.chars().any(char::is_control) {
                        return Err(Refusal::invalid(&field, "contains control characters"));
                    }
                }
            }
            let id = awards.iter().map(|a| a.id).max().unwrap_or(0) + 1;
            changed(
                &mut out,
                Award {
                    id,
                    title: title.to_owned(),
                    candidates: d.candidates,
                    voters: d.voters,
                    status: AwardStatus::Draft,
                    ballots: 0,
                    revealed: Vec::new(),
                    digest: None,
                },
            );
            out.award = Some(id);
        }
        AwardCommand::Step { award, step } => {
            let a = find(awards, award)?.clone();
            let refuse = |what: &str| {
                Err(Refusal::Conflict(
                    format!("this award vote cannot be {what} now ({:?})", a.status).to_lowercase(),
                ))
            };
            match step {
                AwardStep::Open if a.status == AwardStatus::Draft => changed(
                    &mut out,
                    Award {
                        status: AwardStatus::Open,
                        ..a
                    },
                ),
                AwardStep::Close if a.status == AwardStatus::Open => {
                    let ballots = (cx.ballots)(award);
                    let board = bulletin(&a, &ballots);
                    changed(
                        &mut out,
                        Award {
                            status: AwardStatus::Closed,
                            ballots: ballots.len() as u64,
                            digest: Some(board.digest),
                            ..a
                        },
                    );
                }
                AwardStep::RevealNext | AwardStep::RevealAll if a.status == AwardStatus::Closed => {
                    let board = bulletin(&a, &(cx.ballots)(award));
                    let places = standings(&board.counts);
                    // Staged: the top three (fewer with fewer candidates), worst first; all at
                    // once reveals every place not yet shown, worst first.
                    let top = if step == AwardStep::RevealAll {
                        places.len()
                    } else {
                        places.len().min(3)
                    };
                    let hidden: Vec<&Placing> = places[..top]
                        .iter()
                        .rev()
                        .filter(|p| !a.revealed.iter().any(|r| r.place == p.place))
                        .collect();
                    if hidden.is_empty() {
                        return refuse("revealed further");
                    }
                    let count = if step == AwardStep::RevealAll {
                        hidden.len()
                    } else {
                        1
                    };
                    let mut revealed = a.revealed.clone();
                    revealed.extend(hidden.into_iter().take(count).cloned());
                    changed(&mut out, Award { revealed, ..a });
                }
                AwardStep::Open => return refuse("opened"),
                AwardStep::Close => return refuse("closed"),
                AwardStep::RevealNext | AwardStep::RevealAll => return refuse("revealed"),
            }
        }
        AwardCommand::Cast {
            award,
            candidate,
            registered,
        } => {
            let a = find(awards, award)?;
            if a.status != AwardStatus::Open {
                return Err(Refusal::Conflict("this award vote is not open".into()));
            }
            if a.voters == AwardVoters::Registered && !registered {
                return Err(Refusal::Forbidden(
                    "only registered attendees vote in this award".into(),
                ));
            }
            if candidate as usize >= a.candidates.len() {
                return Err(Refusal::invalid(
                    "candidate",
                    format!("must be 0 to {}", a.candidates.len() - 1),
                ));
            }
            if (cx.voted)(award) {
                return Err(Refusal::Conflict(
                    "you have already voted in this award".into(),
                ));
            }
            let receipt = new_receipt();
            out.ballots.push(BallotCast {
                award,
                person: Arc::from(cx.person),
                ballot: Ballot {
                    candidate,
                    receipt: receipt.clone(),
                },
            });
            out.receipt = Some(receipt);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    /// Decides, then folds the events into `awards` as the sequencer does.
    fn decide_and_fold(
        awards: &mut Vec<Award>,
        command: AwardCommand,
        cx: &Context,
    ) -> Result<Outcome, Refusal> {
        let out = decide(awards, command, cx)?;
        let state = plenum_protocol::SessionState {
            awards: std::mem::take(awards),
            ..Default::default()
        };
        *awards = crate::interactions::folded(state, &out.events).awards;
        Ok(out)
    }

    use super::*;
    use plenum_protocol::Candidate;

    /// A closed award vote with `n` candidates and nothing revealed yet.
    fn closed_award(n: usize) -> Award {
        Award {
            id: 1,
            title: "T".into(),
            candidates: (0..n)
                .map(|i| Candidate {
                    name: format!("C{i}"),
                    organisation: None,
                })
                .collect(),
            voters: AwardVoters::Everyone,
            status: AwardStatus::Closed,
            ballots: 0,
            revealed: vec![],
            digest: None,
        }
    }

    #[test]
    fn the_reveal_goes_third_second_winner_and_ties_keep_ballot_order() {
        let counts = [5, 9, 9, 1];
        let s = standings(&counts);
        assert_eq!(
            s.iter().map(|p| p.candidate).collect::<Vec<_>>(),
            vec![1, 2, 0, 3]
        );
        let mut awards = vec![closed_award(4)];
        let ballots = move |_| -> HashMap<Arc<str>, Ballot> {
            let mut m = HashMap::new();
            let mut n = 0;
            for (c, k) in counts.iter().enumerate() {
                for _ in 0..*k {
                    m.insert(
                        Arc::from(format!("p{n}").as_str()),
                        Ballot {
                            candidate: c as u32,
                            receipt: format!("r{n}"),
                        },
                    );
                    n += 1;
                }
            }
            m
        };
        let no = |_| false;
        let cx = Context {
            person: "organiser",
            ballots: &ballots,
            voted: &no,
        };
        let places: Vec<u32> = (0..3)
            .map(|_| {
                decide_and_fold(
                    &mut awards,
                    AwardCommand::Step {
                        award: 1,
                        step: AwardStep::RevealNext,
                    },
                    &cx,
                )
                .unwrap();
                awards[0].revealed.last().unwrap().place
            })
            .collect();
        assert_eq!(places, vec![3, 2, 1]);
        assert!(
            decide_and_fold(
                &mut awards,
                AwardCommand::Step {
                    award: 1,
                    step: AwardStep::RevealNext
                },
                &cx
            )
            .is_err()
        );
    }

    #[test]
    fn the_digest_is_over_sorted_receipts() {
        let award = closed_award(2);
        let ballots: HashMap<Arc<str>, Ballot> = [
            (
                Arc::from("p1"),
                Ballot {
                    candidate: 1,
                    receipt: "zz".into(),
                },
            ),
            (
                Arc::from("p2"),
                Ballot {
                    candidate: 0,
                    receipt: "aa".into(),
                },
            ),
        ]
        .into_iter()
        .collect();
        let board = bulletin(&award, &ballots);
        assert_eq!(board.ballots[0].receipt, "aa");
        assert_eq!(board.counts, vec![1, 1]);
        let expected: String = Sha256::digest(b"aa:0\nzz:1\n")
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(board.digest, expected);
    }

    #[test]
    fn reveal_all_after_reveal_next_shows_each_place_once() {
        let mut awards = vec![closed_award(5)];
        let ballots = |_| -> HashMap<Arc<str>, Ballot> {
            (0..15u32)
                .map(|n| {
                    (
                        Arc::from(format!("p{n}").as_str()),
                        Ballot {
                            candidate: n % 5,
                            receipt: format!("r{n}"),
                        },
                    )
                })
                .collect()
        };
        let no = |_| false;
        let cx = Context {
            person: "o",
            ballots: &ballots,
            voted: &no,
        };
        decide_and_fold(
            &mut awards,
            AwardCommand::Step {
                award: 1,
                step: AwardStep::RevealNext,
            },
            &cx,
        )
        .unwrap();
        decide_and_fold(
            &mut awards,
            AwardCommand::Step {
                award: 1,
                step: AwardStep::RevealAll,
            },
            &cx,
        )
        .unwrap();
        let mut places: Vec<u32> = awards[0].revealed.iter().map(|p| p.place).collect();
        assert_eq!(places[0], 3, "reveal_next shows third place first");
        places.sort();
        assert_eq!(places, vec![1, 2, 3, 4, 5], "every place once");
        assert!(board_public(&awards[0]));
    }
}
