//! Q&A rules: what each request does to a session's questions.
//!
//! Pure functions over the session's full (moderators') view of [`QaState`]: the sequencer
//! calls [`decide`] with the state as its batch leaves it, and the rules return events without
//! changing it; the sequencer logs them and folds them into the state, once. A request that
//! changes several questions (a merge) keeps the counts and the highlight as its own events
//! leave them. The vote changes go to the room's private records. Who sees which event is
//! `audience.rs`'s business; who may ask for what was checked before (`auth::allowed`).

use crate::interactions::{Refusal, text as question_text};
use plenum_protocol::{
    Asker, Moderate, Person, QaCounts, QaSettings, QaState, Question, QuestionId, QuestionReply,
    QuestionStatus, RoomEvent, limits,
};
use std::{collections::HashSet, sync::Arc};

/// A Q&A request, with who makes it.
#[derive(Debug, Clone)]
pub enum QaCommand {
    Ask {
        text: String,
        anonymous: bool,
    },
    Edit {
        question: QuestionId,
        text: String,
    },
    Withdraw {
        question: QuestionId,
    },
    Upvote {
        question: QuestionId,
        up: bool,
    },
    Moderate {
        question: QuestionId,
        change: Moderate,
    },
    Highlight {
        question: Option<QuestionId>,
    },
    Settings(QaSettings),
}

/// One person's vote on one question, set or taken back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoteChange {
    pub question: QuestionId,
    pub person: Arc<str>,
    pub up: bool,
}

/// What a request does.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Logged and broadcast, in order.
    pub events: Vec<RoomEvent>,
    /// Written to the room's private records; tallies are published coalesced.
    pub votes: Vec<VoteChange>,
    /// The new question's id, for `ask`.
    pub question: Option<QuestionId>,
    /// The counts and the highlighted question as this request's own events leave them.
    counts: Option<QaCounts>,
    highlighted: Option<Option<QuestionId>>,
}

/// What the rules need to know besides the Q&A state.
pub struct Context<'a> {
    pub actor: &'a Person,
    /// Whether the actor is blocked from asking at this event.
    pub blocked: bool,
    pub now_ms: i64,
    /// Everyone who votes a question up now (records as the batch leaves them).
    pub voters: &'a dyn Fn(QuestionId) -> HashSet<Arc<str>>,
}

fn invalid(field: &str, message: impl Into<String>) -> Refusal {
    Refusal::invalid(field, message)
}

fn find(qa: &QaState, id: QuestionId) -> Result<&Question, Refusal> {
    qa.get(id)
        .ok_or_else(|| Refusal::NotFound(format!("no question {id} in this session")))
}

fn is_own(q: &Question, actor: &Person) -> bool {
    q.asker.id.as_deref() == Some(actor.id.as_str())
}

/// The counts after `q` moves from `from` (absent: new) to its current status.
fn recount(mut counts: QaCounts, from: Option<QuestionStatus>, to: QuestionStatus) -> QaCounts {
    let tally = |counts: &mut QaCounts, status: QuestionStatus, delta: i64| match status {
        QuestionStatus::Pending => counts.waiting = (counts.waiting as i64 + delta) as u64,
        QuestionStatus::Dismissed => counts.dismissed = (counts.dismissed as i64 + delta) as u64,
        _ => {}
    };
    if let Some(from) = from {
        tally(&mut counts, from, -1);
    }
    tally(&mut counts, to, 1);
    counts
}

/// The event for a question changed from status `from`, with the counts after it (and after
/// this request's earlier events).
fn changed(qa: &QaState, out: &mut Outcome, from: Option<QuestionStatus>, q: Question) {
    let counts = recount(out.counts.unwrap_or(qa.counts), from, q.status);
    out.counts = Some(counts);
    out.events.push(RoomEvent::Question {
        question: q,
        counts,
    });
}

/// Takes question `id` off the big screen, if this request's events leave it there.
fn unhighlight(qa: &QaState, out: &mut Outcome, id: QuestionId) {
    if out.highlighted.unwrap_or(qa.highlighted) == Some(id) {
        out.highlighted = Some(None);
        out.events.push(RoomEvent::Highlighted { id: None });
    }
}

/// Decides a request against `qa` (the moderators' view); the events say what changes.
pub fn decide(qa: &QaState, command: QaCommand, cx: &Context) -> Result<Outcome, Refusal> {
    let mut out = Outcome::default();
    match command {
        QaCommand::Ask { text, anonymous } => {
            if !qa.settings.accepting {
                return Err(Refusal::Conflict(
                    "this session takes no questions now".into(),
                ));
            }
            if anonymous && !qa.settings.anonymous_allowed {
                return Err(invalid(
                    "anonymous",
                    "this session does not take anonymous questions",
                ));
            }
            if cx.blocked {
                return Err(Refusal::Forbidden(
                    "you may not ask questions at this event".into(),
                ));
            }
            // The full view keeps every question ever asked (withdrawn and merged ones too), so
            // the last one's id is the last id given out.
            let last_id = qa.questions.last().map_or(0, |q| q.id);
            if last_id >= limits::MAX_QUESTIONS_PER_SESSION {
                return Err(Refusal::TooLarge(
                    "this session has taken all the questions it can".into(),
                ));
            }
            // Only open questions count: a moderator who answers, dismisses or archives
            // questions makes room for more.
            let open = qa
                .questions
                .iter()
                .filter(|q| matches!(q.status, QuestionStatus::Pending | QuestionStatus::Live))
                .count();
            if open >= limits::MAX_OPEN_QUESTIONS {
                return Err(Refusal::TooLarge(format!(
                    "this session has {} open questions, the most it holds; try again when the \
                     moderators have answered some",
                    limits::MAX_OPEN_QUESTIONS
                )));
            }
            let text = question_text("text", &text, limits::MAX_QUESTION_CHARS)?;
            let id = last_id + 1;
            let status = match qa.settings.moderation {
                plenum_protocol::Moderation::Open => QuestionStatus::Live,
                plenum_protocol::Moderation::Reviewed => QuestionStatus::Pending,
            };
            let question = Question {
                id,
                text,
                asker: Asker {
                    id: Some(cx.actor.id.clone()),
                    // Anonymous means anonymous to moderators too; the id stays, so the asker
                    // recognises their question and a moderator can block a troll.
                    name: if anonymous {
                        None
                    } else {
                        cx.actor.name.clone()
                    },
                },
                anonymous,
                status,
                asked_at_ms: cx.now_ms,
                votes: 0,
                reply: None,
                dismissed_reason: None,
                merged_into: None,
                merged: Vec::new(),
                edited: false,
            };
            changed(qa, &mut out, None, question);
            out.question = Some(id);
        }
        QaCommand::Edit { question, text } => {
            let q = find(qa, question)?.clone();
            if !is_own(&q, cx.actor) {
                return Err(Refusal::Forbidden(
                    "only its asker may edit a question".into(),
                ));
            }
            let editable = q.status == QuestionStatus::Pending
                || (q.status == QuestionStatus::Live && (cx.voters)(q.id).is_empty());
            if !editable {
                return Err(Refusal::Conflict(
                    "a question can be edited while it waits for review, or before anyone votes for it".into(),
                ));
            }
            let text = question_text("text", &text, limits::MAX_QUESTION_CHARS)?;
            let from = q.status;
            changed(
                qa,
                &mut out,
                Some(from),
                Question {
                    text,
                    edited: true,
                    ..q
                },
            );
        }
        QaCommand::Withdraw { question } => {
            let q = find(qa, question)?.clone();
            if !is_own(&q, cx.actor) {
                return Err(Refusal::Forbidden(
                    "only its asker may withdraw a question".into(),
                ));
            }
            if !matches!(q.status, QuestionStatus::Pending | QuestionStatus::Live) {
                return Err(Refusal::Conflict(
                    "only a waiting or published question can be withdrawn".into(),
                ));
            }
            let from = q.status;
            changed(
                qa,
                &mut out,
                Some(from),
                Question {
                    status: QuestionStatus::Withdrawn,
                    ..q
                },
            );
            unhighlight(qa, &mut out, question);
        }
        QaCommand::Upvote { question, up } => {
            let q = find(qa, question)?;
            // Votes go to open questions; taking one back is fine once it is answered too.
            let open =
                q.status == QuestionStatus::Live || (!up && q.status == QuestionStatus::Answered);
            if !open {
                return Err(Refusal::Conflict(
                    "only published, unanswered questions take votes".into(),
                ));
            }
            out.votes.push(VoteChange {
                question,
                person: Arc::from(cx.actor.id.as_str()),
                up,
            });
        }
        QaCommand::Moderate { question, change } => moderate(qa, &mut out, question, change, cx)?,
        QaCommand::Highlight { question } => {
            if let Some(id) = question {
                let q = find(qa, id)?;
                if !matches!(q.status, QuestionStatus::Live | QuestionStatus::Answered) {
                    return Err(Refusal::Conflict(
                        "only a published question can go on the big screen".into(),
                    ));
                }
            }
            if qa.highlighted != question {
                out.events.push(RoomEvent::Highlighted { id: question });
            }
        }
        QaCommand::Settings(settings) => {
            if qa.settings != settings {
                out.events.push(RoomEvent::QaSettingsChanged { settings });
            }
        }
    }
    Ok(out)
}

fn moderate(
    qa: &QaState,
    out: &mut Outcome,
    id: QuestionId,
    change: Moderate,
    cx: &Context,
) -> Result<(), Refusal> {
    use QuestionStatus::*;
    let q = find(qa, id)?.clone();
    let from = q.status;
    let refuse = |what: &str| {
        let status = format!("{from:?}").to_lowercase();
        let article = if status.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        Err(Refusal::Conflict(format!(
            "{article} {status} question cannot be {what}"
        )))
    };
    match change {
        Moderate::Approve => {
            // Publishes a pending question, or restores one handled (answered, dismissed or
            // archived) to the live list.
            if !matches!(from, Pending | Dismissed | Archived | Answered) {
                return refuse("approved");
            }
            changed(
                qa,
                out,
                Some(from),
                Question {
                    status: Live,
                    dismissed_reason: None,
                    ..q
                },
            );
        }
        Moderate::Dismiss { reason } => {
            if !matches!(from, Pending | Live) {
                return refuse("dismissed");
            }
            let reason = question_text("change.reason", &reason, limits::MAX_REPLY_CHARS)?;
            changed(
                qa,
                out,
                Some(from),
                Question {
                    status: Dismissed,
                    dismissed_reason: Some(reason),
                    ..q
                },
            );
            unhighlight(qa, out, id);
        }
        Moderate::Answer => {
            if !matches!(from, Pending | Live) {
                return refuse("marked answered");
            }
            changed(
                qa,
                out,
                Some(from),
                Question {
                    status: Answered,
                    ..q
                },
            );
        }
        Moderate::Reply { text } => {
            if !matches!(from, Pending | Live | Answered) {
                return refuse("replied to");
            }
            let text = question_text("change.text", &text, limits::MAX_REPLY_CHARS)?;
            let reply = QuestionReply {
                text,
                by: cx.actor.name.clone(),
                at_ms: cx.now_ms,
            };
            changed(
                qa,
                out,
                Some(from),
                Question {
                    status: Answered,
                    reply: Some(reply),
                    ..q
                },
            );
        }
        Moderate::Merge { into } => {
            if into == id {
                return Err(invalid(
                    "change.into",
                    "a question cannot be merged into itself",
                ));
            }
            if !matches!(from, Pending | Live) {
                return refuse("merged");
            }
            let target = find(qa, into)?.clone();
            if !matches!(target.status, Pending | Live | Answered) {
                return Err(Refusal::Conflict(
                    "merge into a waiting, published or answered question".into(),
                ));
            }
            if target.merged.len() >= limits::MAX_MERGED {
                return Err(Refusal::TooLarge(format!(
                    "at most {} questions can be merged into one",
                    limits::MAX_MERGED
                )));
            }
            // Every voter of the duplicate now votes for the target, each person once.
            let already = (cx.voters)(into);
            for person in (cx.voters)(id) {
                out.votes.push(VoteChange {
                    question: id,
                    person: person.clone(),
                    up: false,
                });
                if !already.contains(&person) {
                    out.votes.push(VoteChange {
                        question: into,
                        person,
                        up: true,
                    });
                }
            }
            changed(
                qa,
                out,
                Some(from),
                Question {
                    status: Merged,
                    merged_into: Some(into),
                    ..q
                },
            );
            let mut merged = target.merged.clone();
            merged.push(id);
            let target_from = target.status;
            changed(qa, out, Some(target_from), Question { merged, ..target });
            unhighlight(qa, out, id);
        }
        Moderate::Archive => {
            if matches!(from, Merged | Withdrawn | Archived) {
                return refuse("archived");
            }
            changed(
                qa,
                out,
                Some(from),
                Question {
                    status: Archived,
                    ..q
                },
            );
            unhighlight(qa, out, id);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use plenum_protocol::{EventCode, Moderation, Role};

    fn person(id: &str, role: Role) -> Person {
        Person {
            id: id.into(),
            name: Some(id.to_uppercase()),
            role,
            event: Some(EventCode::parse("QA1").unwrap()),
            sessions: Vec::new(),
            registered: false,
            link: 0,
        }
    }

    fn run(qa: &mut QaState, actor: &Person, command: QaCommand) -> Result<Outcome, Refusal> {
        let none = |_| HashSet::new();
        let cx = Context {
            actor,
            blocked: false,
            now_ms: 1,
            voters: &none,
        };
        decide_and_fold(qa, command, &cx)
    }

    /// Decides, then folds the events into `qa` as the sequencer does.
    fn decide_and_fold(
        qa: &mut QaState,
        command: QaCommand,
        cx: &Context,
    ) -> Result<Outcome, Refusal> {
        let out = decide(qa, command, cx)?;
        let state = plenum_protocol::SessionState {
            qa: std::mem::take(qa),
            ..Default::default()
        };
        *qa = crate::interactions::folded(state, &out.events).qa;
        Ok(out)
    }

    #[test]
    fn reviewed_questions_wait_and_the_counts_follow_them() {
        let mut qa = QaState::default();
        qa.settings.moderation = Moderation::Reviewed;
        let eva = person("eva", Role::Attendee);
        let mod_ = person("maria", Role::Moderator);
        for _ in 0..3 {
            run(
                &mut qa,
                &eva,
                QaCommand::Ask {
                    text: " Why? ".into(),
                    anonymous: false,
                },
            )
            .unwrap();
        }
        assert_eq!(
            qa.counts,
            QaCounts {
                waiting: 3,
                dismissed: 0
            }
        );
        assert_eq!(qa.get(1).unwrap().text, "Why?");
        run(
            &mut qa,
            &mod_,
            QaCommand::Moderate {
                question: 1,
                change: Moderate::Approve,
            },
        )
        .unwrap();
        run(
            &mut qa,
            &mod_,
            QaCommand::Moderate {
                question: 2,
                change: Moderate::Dismiss {
                    reason: "Off topic".into(),
                },
            },
        )
        .unwrap();
        assert_eq!(
            qa.counts,
            QaCounts {
                waiting: 1,
                dismissed: 1
            }
        );
        // Dismissed → approved moves it out of the dismissed count.
        run(
            &mut qa,
            &mod_,
            QaCommand::Moderate {
                question: 2,
                change: Moderate::Approve,
            },
        )
        .unwrap();
        assert_eq!(
            qa.counts,
            QaCounts {
                waiting: 1,
                dismissed: 0
            }
        );
        assert_eq!(qa.get(2).unwrap().dismissed_reason, None);
        let err = run(
            &mut qa,
            &mod_,
            QaCommand::Moderate {
                question: 1,
                change: Moderate::Approve,
            },
        )
        .unwrap_err();
        assert!(matches!(err, Refusal::Conflict(_)), "{err:?}");
    }

    #[test]
    fn only_the_asker_edits_and_only_before_votes() {
        let mut qa = QaState::default();
        let eva = person("eva", Role::Attendee);
        let bo = person("bo", Role::Attendee);
        run(
            &mut qa,
            &eva,
            QaCommand::Ask {
                text: "Q".into(),
                anonymous: true,
            },
        )
        .unwrap();
        assert_eq!(qa.get(1).unwrap().asker.name, None);
        assert!(matches!(
            run(
                &mut qa,
                &bo,
                QaCommand::Edit {
                    question: 1,
                    text: "X".into()
                }
            ),
            Err(Refusal::Forbidden(_))
        ));
        run(
            &mut qa,
            &eva,
            QaCommand::Edit {
                question: 1,
                text: "Q2".into(),
            },
        )
        .unwrap();
        assert!(qa.get(1).unwrap().edited);
        let voted = |_| HashSet::from([Arc::from("bo")]);
        let cx = Context {
            actor: &eva,
            blocked: false,
            now_ms: 1,
            voters: &voted,
        };
        assert!(matches!(
            decide_and_fold(
                &mut qa,
                QaCommand::Edit {
                    question: 1,
                    text: "Q3".into()
                },
                &cx
            ),
            Err(Refusal::Conflict(_))
        ));
    }

    #[test]
    fn merging_moves_voters_once() {
        let mut qa = QaState::default();
        let eva = person("eva", Role::Attendee);
        let m = person("m", Role::Moderator);
        run(
            &mut qa,
            &eva,
            QaCommand::Ask {
                text: "A".into(),
                anonymous: false,
            },
        )
        .unwrap();
        run(
            &mut qa,
            &eva,
            QaCommand::Ask {
                text: "A again".into(),
                anonymous: false,
            },
        )
        .unwrap();
        let voters = |q: QuestionId| -> HashSet<Arc<str>> {
            match q {
                1 => HashSet::from([Arc::from("a"), Arc::from("b")]),
                _ => HashSet::from([Arc::from("b"), Arc::from("c")]),
            }
        };
        let cx = Context {
            actor: &m,
            blocked: false,
            now_ms: 1,
            voters: &voters,
        };
        let out = decide_and_fold(
            &mut qa,
            QaCommand::Moderate {
                question: 2,
                change: Moderate::Merge { into: 1 },
            },
            &cx,
        )
        .unwrap();
        let mut added: Vec<_> = out
            .votes
            .iter()
            .filter(|v| v.up)
            .map(|v| (v.question, v.person.to_string()))
            .collect();
        added.sort();
        assert_eq!(added, vec![(1, "c".to_string())], "b already votes for 1");
        assert_eq!(
            out.votes
                .iter()
                .filter(|v| !v.up && v.question == 2)
                .count(),
            2
        );
        assert_eq!(qa.get(2).unwrap().status, QuestionStatus::Merged);
        assert_eq!(qa.get(1).unwrap().merged, vec![2]);
    }

    #[test]
    fn blocked_people_and_closed_sessions_take_no_questions() {
        let mut qa = QaState::default();
        let eva = person("eva", Role::Attendee);
        let none = |_| HashSet::new();
        let cx = Context {
            actor: &eva,
            blocked: true,
            now_ms: 1,
            voters: &none,
        };
        assert!(matches!(
            decide_and_fold(
                &mut qa,
                QaCommand::Ask {
                    text: "Q".into(),
                    anonymous: false
                },
                &cx
            ),
            Err(Refusal::Forbidden(_))
        ));
        qa.settings.accepting = false;
        assert!(matches!(
            run(
                &mut qa,
                &eva,
                QaCommand::Ask {
                    text: "Q".into(),
                    anonymous: false
                }
            ),
            Err(Refusal::Conflict(_))
        ));
        qa.settings = QaSettings {
            anonymous_allowed: false,
            ..QaSettings::default()
        };
        assert!(matches!(
            run(
                &mut qa,
                &eva,
                QaCommand::Ask {
                    text: "Q".into(),
                    anonymous: true
                }
            ),
            Err(Refusal::Invalid { .. })
        ));
        let long = "x".repeat(limits::MAX_QUESTION_CHARS + 1);
        assert!(matches!(
            run(
                &mut qa,
                &eva,
                QaCommand::Ask {
                    text: long,
                    anonymous: false
                }
            ),
            Err(Refusal::TooLong { .. })
        ));
        assert!(
            qa.questions.is_empty(),
            "a refused question leaves nothing behind"
        );
    }
}
