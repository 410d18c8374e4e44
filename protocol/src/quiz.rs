//! Quizzes: a sequence of questions with one correct option and a time limit each.
//!
//! **Fair for people watching a delayed stream.** Each person's clock for a question starts
//! when the question reaches *them*: at its start plus their stream delay. Onsite people have
//! no delay; online people have the session's stream delay (set by the organiser), which each
//! of them may adjust by up to ±10 seconds to match what they see. An answer is timed on that
//! clock, accepted from 0 to the question's limit (plus half a second for the network), and
//! refused before it (that is earlier than the person's own stream could have shown it). How a
//! person watches is their own statement, so what someone can gain by claiming more delay than
//! they have is bounded by the session's delay plus the ten-second adjustment: that long
//! looking at a question before their clock starts.
//!
//! **Points.** A correct answer scores `500 + round(500 × (1 − t / limit))` for an answer `t`
//! milliseconds into a `limit`-millisecond window, plus a streak bonus of `50 × (streak − 1)`,
//! at most 250, where `streak` counts consecutive correct answers including this one. A wrong
//! or missing answer scores 0 and ends the streak. One answer per person and question. Ranks
//! go by total score, highest first; equal scores share a rank.

use serde::{Deserialize, Serialize};

/// A quiz's number within its session.
pub type QuizId = u64;

/// How far a person may adjust the session's stream delay, either way.
pub const MAX_DELAY_ADJUST_MS: i64 = 10_000;
/// Network allowance either side of a question's window: an answer is taken from this long
/// before a person's clock starts (timed as at 0) to this long after the limit.
pub const ANSWER_GRACE_MS: i64 = 500;

/// One question as the speaker writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuizQuestion {
    pub text: String,
    pub options: Vec<String>,
    /// The index of the correct option.
    pub correct: u32,
    /// The time limit, 5 to 300 seconds.
    pub seconds: u32,
}

/// A quiz as the speaker writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuizDraft {
    pub title: String,
    pub questions: Vec<QuizQuestion>,
}

/// Where a quiz stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuizStatus {
    /// Being prepared: speakers only.
    #[default]
    Draft,
    /// A question is being answered.
    Asking,
    /// The current question's answer and the leaderboard are shown.
    Revealed,
    /// All done; the final leaderboard is shown.
    Finished,
}

/// The question being asked (or just revealed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentQuestion {
    /// 0 for the first question.
    pub index: u32,
    pub text: String,
    pub options: Vec<String>,
    pub seconds: u32,
    /// When the question started, server time (milliseconds since the Unix epoch); each
    /// person's clock starts at this plus their stream delay.
    pub started_at_ms: i64,
    /// The correct option, once revealed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correct: Option<u32>,
    /// How many have answered (coalesced while asking).
    pub answers: u64,
    /// How many chose each option, in the options' order: once revealed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chosen: Option<Vec<u64>>,
}

/// A row of the leaderboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standing {
    pub rank: u32,
    /// The display name, or absent for anonymous players.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub score: u64,
}

/// One person's own place in a quiz.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyStanding {
    /// Absent before their first answer is scored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank: Option<u32>,
    pub score: u64,
    pub streak: u32,
    /// How many take part.
    pub players: u64,
    /// What this person chose for the current question, if they answered it (so every
    /// device, after a reload too, shows it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chose: Option<Chosen>,
}

/// An option a person chose for a question (0 for the first of each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chosen {
    pub question: u32,
    pub option: u32,
}

/// A quiz, as one viewer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quiz {
    pub id: QuizId,
    pub title: String,
    /// How many questions it has.
    pub length: u32,
    pub status: QuizStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<CurrentQuestion>,
    /// The top ten after the last reveal.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub leaderboard: Vec<Standing>,
    /// Every question with its answer: speakers and moderators only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<QuizQuestion>,
    /// This viewer's own standing, in snapshots.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mine: Option<MyStanding>,
}

/// How a person watches, for the fairness of their clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Watching {
    /// In the room: no delay.
    Onsite,
    /// On the stream: the session's delay, adjusted by `adjust_ms` (at most ±10 s).
    Stream {
        #[serde(default)]
        adjust_ms: i64,
    },
}

/// A step in a quiz's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuizStep {
    /// Ask the next question (the first one from a draft).
    Next,
    /// Show the current question's answer and the leaderboard.
    Reveal,
    /// End the quiz.
    Finish,
}
