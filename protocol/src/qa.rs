//! Q&A: questions asked in a session, voted up by the audience, run by its moderators.
//!
//! What a person sees depends on who they are: moderators (and the event's speakers and
//! organisers) see every question, the review queue included; an asker also sees their own
//! pending and dismissed questions; everyone else sees the published ones. The server sends
//! each person their own view of each change, so a [`crate::RoomState`] folded by a client is
//! always that client's view.

use serde::{Deserialize, Serialize};

/// A question's number within its session: 1, 2, 3… in the order asked.
pub type QuestionId = u64;

/// Where a question stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionStatus {
    /// Waiting in the review queue (reviewed sessions): seen by moderators and its asker.
    Pending,
    /// Published: everyone sees it and may vote it up.
    Live,
    /// Answered: shown in the answered list.
    Answered,
    /// Dismissed by a moderator, with a reason its asker sees.
    Dismissed,
    /// Merged into another question (its votes went there).
    Merged,
    /// Taken back by its asker.
    Withdrawn,
    /// Put away by a moderator: moderators still see it.
    Archived,
}

/// Who asked. Anonymous questions show no name to anyone but moderators; `id` is shown only
/// to the asker (so their client knows the question is theirs) and to moderators.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Asker {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A moderator's written answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionReply {
    pub text: String,
    /// The moderator's display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    pub at_ms: i64,
}

/// One question, as one viewer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub id: QuestionId,
    pub text: String,
    pub asker: Asker,
    pub anonymous: bool,
    pub status: QuestionStatus,
    pub asked_at_ms: i64,
    /// Distinct people who voted it up (merged questions' voters included, each once).
    pub votes: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<QuestionReply>,
    /// Why it was dismissed: shown to its asker and moderators.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dismissed_reason: Option<String>,
    /// For a merged question, the question it went into.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<QuestionId>,
    /// Questions merged into this one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged: Vec<QuestionId>,
    /// Whether its asker edited it after asking.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub edited: bool,
}

/// How questions reach the audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Moderation {
    /// Questions appear at once.
    #[default]
    Open,
    /// Questions wait in a queue until a moderator approves them.
    Reviewed,
}

/// A session's Q&A settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QaSettings {
    pub moderation: Moderation,
    /// Whether people may ask without showing their name.
    pub anonymous_allowed: bool,
    /// Whether new questions are taken.
    pub accepting: bool,
}

impl Default for QaSettings {
    fn default() -> Self {
        QaSettings {
            moderation: Moderation::Open,
            anonymous_allowed: true,
            accepting: true,
        }
    }
}

/// Moderation made visible: everyone sees how many questions wait and how many were dismissed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct QaCounts {
    pub waiting: u64,
    pub dismissed: u64,
}

/// A session's Q&A, as one viewer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct QaState {
    pub settings: QaSettings,
    /// The questions this viewer may see, by id.
    pub questions: Vec<Question>,
    /// The question on the big screen, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub highlighted: Option<QuestionId>,
    pub counts: QaCounts,
}

/// A new vote count of one question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoteTally {
    pub id: QuestionId,
    pub votes: u64,
}

/// What a moderator does to one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Moderate {
    /// Publishes a pending question (or restores an archived or dismissed one).
    Approve,
    /// Dismisses it, with a reason its asker sees.
    Dismiss { reason: String },
    /// Marks it answered.
    Answer,
    /// Replies in writing (and marks it answered).
    Reply { text: String },
    /// Merges it into `into`: its voters count there, each person once.
    Merge { into: QuestionId },
    /// Puts it away.
    Archive,
}

impl QaState {
    /// Inserts or replaces a question, keeping the list ordered by id.
    pub fn upsert(&mut self, question: Question) {
        match self.questions.binary_search_by_key(&question.id, |q| q.id) {
            Ok(i) => self.questions[i] = question,
            Err(i) => self.questions.insert(i, question),
        }
    }

    /// Removes a question from this view, if it is there.
    pub fn remove(&mut self, id: QuestionId) {
        if let Ok(i) = self.questions.binary_search_by_key(&id, |q| q.id) {
            self.questions.remove(i);
        }
        if self.highlighted == Some(id) {
            self.highlighted = None;
        }
    }

    pub fn get(&self, id: QuestionId) -> Option<&Question> {
        self.questions
            .binary_search_by_key(&id, |q| q.id)
            .ok()
            .map(|i| &self.questions[i])
    }
}
