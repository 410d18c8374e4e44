//! Award votes: the audience elects one of a few shortlisted candidates.
//!
//! One ballot per eligible person, and it cannot be changed. Ballots are secret: no result and
//! no message says who voted for whom. They are verifiable: each voter gets a random
//! **receipt**; once the vote is closed, the server publishes every ballot as a
//! (receipt, candidate) pair with no voter attached (`GET …/awards/{id}/ballots`), the number
//! of ballots, and a **digest** over them: SHA-256 of the lines `RECEIPT:CANDIDATE\n`, sorted
//! by receipt, in hexadecimal. Anyone can recount the pairs and recompute the digest; a voter
//! finds their receipt with the candidate they chose. The organiser reveals the result in
//! stages (third place, second, winner) or all at once.
//!
//! Places go by votes, most first; a tie is broken by the candidates' order on the ballot, and
//! the published counts show it.

use serde::{Deserialize, Serialize};

/// An award vote's number within its session.
pub type AwardId = u64;

/// A shortlisted candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Candidate {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
}

/// Who may vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AwardVoters {
    /// Everyone at the event.
    #[default]
    Everyone,
    /// Only registered attendees: people who joined through a registration (attendee)
    /// invitation from the organisers.
    Registered,
}

/// An award vote as the organiser writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwardDraft {
    pub title: String,
    pub candidates: Vec<Candidate>,
    #[serde(default)]
    pub voters: AwardVoters,
}

/// Where an award vote stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AwardStatus {
    #[default]
    Draft,
    Open,
    Closed,
}

/// A revealed place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placing {
    /// 1 for the winner.
    pub place: u32,
    /// The candidate's index in `candidates`.
    pub candidate: u32,
    pub votes: u64,
}

/// An award vote as everyone sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Award {
    pub id: AwardId,
    pub title: String,
    pub candidates: Vec<Candidate>,
    pub voters: AwardVoters,
    pub status: AwardStatus,
    /// How many ballots were cast (published coalesced while open).
    pub ballots: u64,
    /// The places revealed so far, best last revealed: third, then second, then the winner.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub revealed: Vec<Placing>,
    /// The digest over all ballots, once closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
}

/// A step in an award vote's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AwardStep {
    Open,
    Close,
    /// Reveals the next place: third (of the top three), then second, then the winner.
    RevealNext,
    /// Reveals every remaining place.
    RevealAll,
}

/// One published ballot: no voter attached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedBallot {
    pub receipt: String,
    pub candidate: u32,
}

/// The bulletin board of a closed award vote (`GET /api/events/{code}/sessions/{id}/awards/{award}/ballots`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwardBallots {
    pub award: AwardId,
    /// Sorted by receipt.
    pub ballots: Vec<PublishedBallot>,
    /// Votes per candidate.
    pub counts: Vec<u64>,
    pub digest: String,
}
