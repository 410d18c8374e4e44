//! Polls: what a speaker asks the room, and what the room answers.
//!
//! Kinds: single choice, multiple choice (up to N), rating on a scale, word cloud (up to three
//! short entries per person, compared without case and extra spaces), open text (optionally
//! approved by a moderator before it shows), and ranking. A poll is a draft (speakers only),
//! open (optionally with a timer), or closed. Each person has one ballot per poll, which they
//! may change while the poll is open. Results are live, shown on reveal, or never shown to the
//! audience; while a poll is open they are published at most four times a second, and at close
//! they are exact.
//!
//! **Ranking score (Borda count):** with `n` options, a ballot gives `n − 1` points to its first
//! choice, `n − 2` to its second, … and 0 to its last; an option's score is the sum over all
//! ballots. The highest score ranks first.

use serde::{Deserialize, Serialize};

/// A poll's number within its session: 1, 2, 3… in the order created.
pub type PollId = u64;

/// What is asked, and how people answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PollKind {
    /// Pick one option.
    Single { options: Vec<String> },
    /// Pick between one and `max` options.
    Multiple { options: Vec<String>, max: u32 },
    /// Pick a value from 1 to `scale` (2 to 10).
    Rating { scale: u32 },
    /// Up to three words or short phrases per person.
    WordCloud,
    /// A short text answer; with `moderated`, answers show once a moderator approves them.
    OpenText { moderated: bool },
    /// Put every option in order, best first.
    Ranking { options: Vec<String> },
}

/// Where a poll stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PollStatus {
    /// Being prepared: only speakers and moderators see it.
    #[default]
    Draft,
    /// Taking answers.
    Open,
    /// No more answers; results are final.
    Closed,
}

/// Who sees the results, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResultsVisibility {
    /// Everyone sees them as they come in.
    #[default]
    Live,
    /// The audience sees them once the speaker reveals them.
    OnReveal,
    /// Only speakers and moderators see them.
    Never,
}

/// A poll as a speaker writes it (`create_poll`). (serde cannot refuse unknown fields next to
/// a flattened field, so unknown fields here are ignored.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PollDraft {
    pub question: String,
    #[serde(flatten)]
    pub kind: PollKind,
    #[serde(default)]
    pub visibility: ResultsVisibility,
    /// Close automatically this many seconds after opening.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_s: Option<u32>,
}

/// A word and how many people gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WordCount {
    pub word: String,
    pub count: u64,
}

/// One open-text answer. Its id is stable for the poll and reveals nobody.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextAnswer {
    pub id: String,
    pub text: String,
    /// Whether it shows to the audience (always true in unmoderated polls).
    pub approved: bool,
}

/// A poll's results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PollResults {
    /// Single and multiple choice: how many ballots picked each option.
    Choices { counts: Vec<u64> },
    /// Rating: how many ballots gave each value; `counts[0]` is for 1.
    Rating { counts: Vec<u64> },
    /// Word cloud: the most given words, most first (at most 100).
    Words { words: Vec<WordCount> },
    /// Open text: a bounded selection of the answers, in answer-id order (a stable order that
    /// favours nobody): the approved ones, and for moderators also those waiting, each list
    /// within [`crate::limits::TEXT_ANSWERS_BUDGET_BYTES`]. Every answer is in the export.
    Texts {
        answers: Vec<TextAnswer>,
        /// How many answers this viewer may see in all (the audience: the approved ones).
        #[serde(default)]
        total: u64,
        /// How many of them are approved (always `total` in unmoderated polls).
        #[serde(default)]
        approved: u64,
    },
    /// Ranking: each option's Borda score (see the module docs).
    Ranking { scores: Vec<u64> },
}

/// A person's answer to a poll.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Answer {
    Single { option: u32 },
    Multiple { options: Vec<u32> },
    Rating { value: u32 },
    Words { words: Vec<String> },
    Text { text: String },
    Ranking { order: Vec<u32> },
}

/// A poll, as one viewer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Poll {
    pub id: PollId,
    pub question: String,
    pub kind: PollKind,
    pub status: PollStatus,
    pub visibility: ResultsVisibility,
    /// Whether the speaker revealed the results (for `on_reveal`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub revealed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_s: Option<u32>,
    /// When an open poll with a timer closes, in milliseconds since the Unix epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closes_at_ms: Option<i64>,
    /// How many people answered. Everyone sees it.
    pub ballots: u64,
    /// Absent when this viewer may not see the results (yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub results: Option<PollResults>,
    /// This viewer's own answer, in snapshots.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mine: Option<Answer>,
}

impl Poll {
    /// Whether the audience may see the results now.
    pub fn results_public(&self) -> bool {
        match self.visibility {
            ResultsVisibility::Live => true,
            ResultsVisibility::OnReveal => self.revealed,
            ResultsVisibility::Never => false,
        }
    }
}

/// Normalises a word-cloud entry: trimmed, inner spaces collapsed, lower case.
pub fn normalise_word(word: &str) -> String {
    word.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}
