//! Poll rules: creating, opening, closing and revealing polls; checking answers; counting
//! results. Pure functions over a session's polls, called by the sequencer like `qa.rs`.
//!
//! Ballots are private records (one per person and poll, replaced when they change their
//! answer); results are always computed from all ballots, never counted incrementally, so a
//! changed answer can never be counted twice.

use crate::interactions::{Refusal, text};
use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD as B64};
use hmac::{Hmac, Mac};
use plenum_protocol::{
    Answer, Poll, PollDraft, PollId, PollKind, PollResults, PollStatus, RoomEvent, TextAnswer,
    WordCount, limits, normalise_word,
};
use sha2::Sha256;
use std::{
    collections::{HashMap, HashSet},
    sync::Arc,
};

/// A poll request.
#[derive(Debug, Clone)]
pub enum PollCommand {
    Create(PollDraft),
    /// Rewrites a draft.
    Edit {
        poll: PollId,
        draft: PollDraft,
    },
    Step {
        poll: PollId,
        step: plenum_protocol::PollStep,
    },
    Vote {
        poll: PollId,
        answer: Answer,
    },
    ApproveText {
        poll: PollId,
        answer: String,
        approved: bool,
    },
    /// The sequencer's own: a poll's timer ran out.
    TimerExpired {
        poll: PollId,
    },
}

/// A ballot set (or, with `None`, removed).
#[derive(Debug, Clone)]
pub struct BallotChange {
    pub poll: PollId,
    pub person: Arc<str>,
    pub answer: Option<Answer>,
}

/// An open-text answer approved (or hidden again).
#[derive(Debug, Clone)]
pub struct ApprovalChange {
    pub poll: PollId,
    pub answer: String,
    pub approved: bool,
}

/// What a poll request does.
#[derive(Debug, Default)]
pub struct Outcome {
    pub events: Vec<RoomEvent>,
    pub ballots: Vec<BallotChange>,
    pub approvals: Vec<ApprovalChange>,
    pub poll: Option<PollId>,
}

/// What the rules need besides the session's polls.
pub struct Context<'a> {
    pub person: &'a str,
    pub now_ms: i64,
    /// A poll's ballots and approved text answers, as the batch leaves them.
    pub ballots: &'a dyn Fn(PollId) -> (HashMap<Arc<str>, Answer>, HashSet<String>),
    /// The server's key for open-text answer ids.
    pub key: &'a [u8; 32],
}

fn invalid(field: &str, message: impl Into<String>) -> Refusal {
    Refusal::invalid(field, message)
}

fn options(field: &str, options: &[String]) -> Result<Vec<String>, Refusal> {
    if !(2..=limits::MAX_POLL_OPTIONS).contains(&options.len()) {
        return Err(invalid(
            field,
            format!("needs 2 to {} options", limits::MAX_POLL_OPTIONS),
        ));
    }
    options
        .iter()
        .enumerate()
        .map(|(i, o)| text(&format!("{field}[{i}]"), o, limits::MAX_OPTION_CHARS))
        .collect()
}

/// Checks a draft and returns it cleaned up.
fn check_draft(d: PollDraft) -> Result<PollDraft, Refusal> {
    let question = text("poll.question", &d.question, limits::MAX_QUESTION_CHARS)?;
    let kind = match d.kind {
        PollKind::Single { options: o } => PollKind::Single {
            options: options("poll.options", &o)?,
        },
        PollKind::Multiple { options: o, max } => {
            let o = options("poll.options", &o)?;
            if max == 0 || max as usize > o.len() {
                return Err(invalid("poll.max", format!("must be 1 to {}", o.len())));
            }
            PollKind::Multiple { options: o, max }
        }
        PollKind::Rating { scale } => {
            if !(2..=10).contains(&scale) {
                return Err(invalid("poll.scale", "must be 2 to 10"));
            }
            PollKind::Rating { scale }
        }
        PollKind::Ranking { options: o } => PollKind::Ranking {
            options: options("poll.options", &o)?,
        },
        k @ (PollKind::WordCloud | PollKind::OpenText { .. }) => k,
    };
    if let Some(s) = d.duration_s
        && (s == 0 || s > limits::MAX_POLL_SECONDS)
    {
        return Err(invalid(
            "poll.duration_s",
            format!("must be 1 to {}", limits::MAX_POLL_SECONDS),
        ));
    }
    Ok(PollDraft {
        question,
        kind,
        ..d
    })
}

/// Checks an answer against its poll and returns it normalised.
pub fn check_answer(kind: &PollKind, answer: Answer) -> Result<Answer, Refusal> {
    let in_range = |o: u32, n: usize| (o as usize) < n;
    match (kind, answer) {
        (PollKind::Single { options }, Answer::Single { option })
            if in_range(option, options.len()) =>
        {
            Ok(Answer::Single { option })
        }
        (
            PollKind::Multiple { options, max },
            Answer::Multiple {
                options: mut picked,
            },
        ) => {
            picked.sort_unstable();
            picked.dedup();
            if picked.is_empty()
                || picked.len() > *max as usize
                || !picked.iter().all(|o| in_range(*o, options.len()))
            {
                return Err(invalid(
                    "answer.options",
                    format!("pick 1 to {max} of the {} options", options.len()),
                ));
            }
            Ok(Answer::Multiple { options: picked })
        }
        (PollKind::Rating { scale }, Answer::Rating { value }) if (1..=*scale).contains(&value) => {
            Ok(Answer::Rating { value })
        }
        (PollKind::WordCloud, Answer::Words { words }) => {
            let mut seen = Vec::new();
            for (i, w) in words.iter().enumerate() {
                let field = format!("answer.words[{i}]");
                // Shown on the big screen: nothing invisible, one form per word (NFC).
                let w = if w.trim().is_empty() {
                    String::new()
                } else {
                    normalise_word(
                        &crate::interactions::visible(w).map_err(|m| invalid(&field, m))?,
                    )
                };
                if w.chars().count() > limits::MAX_WORD_CHARS {
                    return Err(Refusal::too_long(&field, limits::MAX_WORD_CHARS));
                }
                if w.is_empty() || w.chars().any(char::is_control) {
                    return Err(invalid(
                        &field,
                        format!("must be 1 to {} characters", limits::MAX_WORD_CHARS),
                    ));
                }
                if !seen.contains(&w) {
                    seen.push(w);
                }
            }
            if seen.is_empty() || seen.len() > 3 {
                return Err(invalid("answer.words", "give 1 to 3 words"));
            }
            Ok(Answer::Words { words: seen })
        }
        (PollKind::OpenText { .. }, Answer::Text { text: t }) => Ok(Answer::Text {
            text: text("answer.text", &t, limits::MAX_QUESTION_CHARS)?,
        }),
        (PollKind::Ranking { options }, Answer::Ranking { order }) => {
            let mut sorted = order.clone();
            sorted.sort_unstable();
            if sorted != (0..options.len() as u32).collect::<Vec<_>>() {
                return Err(invalid(
                    "answer.order",
                    format!("must order all {} options, each once", options.len()),
                ));
            }
            Ok(Answer::Ranking { order })
        }
        _ => Err(invalid("answer", "does not fit this poll")),
    }
}

/// The stable, anonymous id of a person's open-text answer to a poll: keyed with a secret of
/// the server's, so knowing someone's person id (moderators do) does not find their answer.
pub fn text_id(key: &[u8; 32], poll: PollId, person: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(format!("{poll}:{person}").as_bytes());
    B64.encode(&mac.finalize().into_bytes()[..9])
}

/// A poll's results from all its ballots.
pub fn results(
    poll: &Poll,
    ballots: &HashMap<Arc<str>, Answer>,
    approved: &HashSet<String>,
    key: &[u8; 32],
) -> PollResults {
    match &poll.kind {
        PollKind::Single { options } | PollKind::Multiple { options, .. } => {
            let mut counts = vec![0u64; options.len()];
            for a in ballots.values() {
                match a {
                    Answer::Single { option } => counts[*option as usize] += 1,
                    Answer::Multiple { options } => {
                        options.iter().for_each(|o| counts[*o as usize] += 1)
                    }
                    _ => {}
                }
            }
            PollResults::Choices { counts }
        }
        PollKind::Rating { scale } => {
            let mut counts = vec![0u64; *scale as usize];
            for a in ballots.values() {
                if let Answer::Rating { value } = a {
                    counts[*value as usize - 1] += 1;
                }
            }
            PollResults::Rating { counts }
        }
        PollKind::WordCloud => {
            let mut tally: HashMap<&str, u64> = HashMap::new();
            for a in ballots.values() {
                if let Answer::Words { words } = a {
                    words.iter().for_each(|w| *tally.entry(w).or_default() += 1);
                }
            }
            let mut words: Vec<WordCount> = tally
                .into_iter()
                .map(|(word, count)| WordCount {
                    word: word.to_owned(),
                    count,
                })
                .collect();
            words.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.word.cmp(&b.word)));
            words.truncate(100);
            PollResults::Words { words }
        }
        PollKind::OpenText { .. } => bounded_texts(all_texts(poll, ballots, approved, key)),
        PollKind::Ranking { options } => {
            let n = options.len() as u64;
            let mut scores = vec![0u64; options.len()];
            for a in ballots.values() {
                if let Answer::Ranking { order } = a {
                    for (place, option) in order.iter().enumerate() {
                        scores[*option as usize] += n - 1 - place as u64;
                    }
                }
            }
            PollResults::Ranking { scores }
        }
    }
}

/// Open-text results within the frame limit: every answer counted, a stable selection (by
/// answer id) of the approved ones and of those waiting, each list within
/// [`limits::TEXT_ANSWERS_BUDGET_BYTES`].
pub fn bounded_texts(answers: Vec<TextAnswer>) -> PollResults {
    let total = answers.len() as u64;
    let approved = answers.iter().filter(|a| a.approved).count() as u64;
    let mut spent = [0usize; 2];
    let answers = answers
        .into_iter()
        .filter(|a| {
            let list = &mut spent[usize::from(a.approved)];
            let size = text_answer_bytes(a);
            let fits = *list + size <= limits::TEXT_ANSWERS_BUDGET_BYTES;
            if fits {
                *list += size;
            }
            fits
        })
        .collect();
    PollResults::Texts {
        answers,
        total,
        approved,
    }
}

/// An upper bound of one answer's size in JSON (its text may need escapes).
fn text_answer_bytes(a: &TextAnswer) -> usize {
    serde_json::to_string(a).map_or(usize::MAX / 4, |s| s.len() + 1)
}

/// Every open-text answer of `poll` (for exports): the same answers as [`results`], unbounded.
pub fn all_texts(
    poll: &Poll,
    ballots: &HashMap<Arc<str>, Answer>,
    approved: &HashSet<String>,
    key: &[u8; 32],
) -> Vec<TextAnswer> {
    let PollKind::OpenText { moderated } = poll.kind else {
        return Vec::new();
    };
    let mut answers: Vec<TextAnswer> = ballots
        .iter()
        .filter_map(|(person, a)| match a {
            Answer::Text { text } => {
                let id = text_id(key, poll.id, person);
                let approved = !moderated || approved.contains(&id);
                Some(TextAnswer {
                    id,
                    text: text.clone(),
                    approved,
                })
            }
            _ => None,
        })
        .collect();
    answers.sort_by(|a, b| a.id.cmp(&b.id));
    answers
}

/// The results event of `poll` now.
pub fn results_event(
    poll: &Poll,
    ballots: &HashMap<Arc<str>, Answer>,
    approved: &HashSet<String>,
    key: &[u8; 32],
) -> RoomEvent {
    RoomEvent::PollResults {
        id: poll.id,
        ballots: ballots.len() as u64,
        results: Some(results(poll, ballots, approved, key)),
        hidden: !poll.results_public(),
    }
}

fn find(polls: &[Poll], id: PollId) -> Result<&Poll, Refusal> {
    polls
        .iter()
        .find(|p| p.id == id)
        .ok_or_else(|| Refusal::NotFound(format!("no poll {id} in this session")))
}

fn changed(out: &mut Outcome, poll: Poll) {
    out.events.push(RoomEvent::Poll { poll });
}

fn close(out: &mut Outcome, poll: Poll, cx: &Context) {
    let (ballots, approved) = (cx.ballots)(poll.id);
    let closed = Poll {
        status: PollStatus::Closed,
        closes_at_ms: None,
        ballots: ballots.len() as u64,
        ..poll
    };
    let final_results = results_event(&closed, &ballots, &approved, cx.key);
    changed(out, closed);
    // Exact at close: computed from every ballot, in the same transaction as the close.
    out.events.push(final_results);
}

/// Decides a poll request against the session's polls (the full view); the events say what
/// changes (the sequencer folds them in).
pub fn decide(polls: &[Poll], command: PollCommand, cx: &Context) -> Result<Outcome, Refusal> {
    use plenum_protocol::PollStep;
    let mut out = Outcome::default();
    match command {
        PollCommand::Create(draft) => {
            if polls.len() >= limits::MAX_POLLS_PER_SESSION {
                return Err(Refusal::TooLarge(
                    "this session has as many polls as it can take".into(),
                ));
            }
            let d = check_draft(draft)?;
            let id = polls.iter().map(|p| p.id).max().unwrap_or(0) + 1;
            changed(
                &mut out,
                Poll {
                    id,
                    question: d.question,
                    kind: d.kind,
                    status: PollStatus::Draft,
                    visibility: d.visibility,
                    revealed: false,
                    duration_s: d.duration_s,
                    closes_at_ms: None,
                    ballots: 0,
                    results: None,
                    mine: None,
                },
            );
            out.poll = Some(id);
        }
        PollCommand::Edit { poll, draft } => {
            let current = find(polls, poll)?;
            if current.status != PollStatus::Draft {
                return Err(Refusal::Conflict(
                    "only a draft can be edited: people have seen this poll".into(),
                ));
            }
            let d = check_draft(draft)?;
            changed(
                &mut out,
                Poll {
                    question: d.question,
                    kind: d.kind,
                    visibility: d.visibility,
                    duration_s: d.duration_s,
                    ..current.clone()
                },
            );
            out.poll = Some(poll);
        }
        PollCommand::Step { poll, step } => {
            let p = find(polls, poll)?.clone();
            match (step, p.status) {
                (PollStep::Open, PollStatus::Draft) => {
                    let closes_at_ms = p.duration_s.map(|s| cx.now_ms + i64::from(s) * 1000);
                    changed(
                        &mut out,
                        Poll {
                            status: PollStatus::Open,
                            closes_at_ms,
                            ..p
                        },
                    );
                }
                (PollStep::Close, PollStatus::Open) => close(&mut out, p, cx),
                (PollStep::Reveal, PollStatus::Open | PollStatus::Closed) => {
                    if p.revealed {
                        return Ok(out);
                    }
                    let (ballots, approved) = (cx.ballots)(poll);
                    let revealed = Poll {
                        revealed: true,
                        ..p
                    };
                    let now = results_event(&revealed, &ballots, &approved, cx.key);
                    changed(&mut out, revealed);
                    out.events.push(now);
                }
                (PollStep::Delete, PollStatus::Draft) => {
                    out.events.push(RoomEvent::PollHidden { id: poll });
                }
                (step, status) => {
                    return Err(Refusal::Conflict(format!(
                        "a {} poll cannot be {}",
                        format!("{status:?}").to_lowercase(),
                        match step {
                            PollStep::Open => "opened",
                            PollStep::Close => "closed",
                            PollStep::Reveal => "revealed",
                            PollStep::Delete => "deleted",
                        }
                    )));
                }
            }
        }
        PollCommand::Vote { poll, answer } => {
            let p = find(polls, poll)?;
            if p.status != PollStatus::Open || p.closes_at_ms.is_some_and(|t| t <= cx.now_ms) {
                return Err(Refusal::Conflict("this poll is not open".into()));
            }
            let answer = check_answer(&p.kind, answer)?;
            out.ballots.push(BallotChange {
                poll,
                person: Arc::from(cx.person),
                answer: Some(answer),
            });
        }
        PollCommand::ApproveText {
            poll,
            answer,
            approved,
        } => {
            let p = find(polls, poll)?.clone();
            if !matches!(p.kind, PollKind::OpenText { moderated: true })
                || p.status == PollStatus::Draft
            {
                return Err(Refusal::Conflict(
                    "only answers to moderated open-text polls are approved".into(),
                ));
            }
            let (ballots, mut shown) = (cx.ballots)(poll);
            if !ballots
                .keys()
                .any(|person| text_id(cx.key, poll, person) == answer)
            {
                return Err(Refusal::NotFound(format!(
                    "no answer {answer} in poll {poll}"
                )));
            }
            if approved {
                shown.insert(answer.clone());
            } else {
                shown.remove(&answer);
            }
            out.approvals.push(ApprovalChange {
                poll,
                answer,
                approved,
            });
            // An open poll's results follow with the next tally; a closed one's would never
            // change again, so they are published now.
            if p.status == PollStatus::Closed {
                out.events.push(results_event(&p, &ballots, &shown, cx.key));
            }
        }
        PollCommand::TimerExpired { poll } => {
            if let Ok(p) = find(polls, poll)
                && p.status == PollStatus::Open
                && p.closes_at_ms.is_some_and(|t| t <= cx.now_ms)
            {
                let p = p.clone();
                close(&mut out, p, cx);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: [u8; 32] = [7; 32];

    fn poll(kind: PollKind) -> Poll {
        Poll {
            id: 1,
            question: "Q".into(),
            kind,
            status: PollStatus::Open,
            visibility: Default::default(),
            revealed: false,
            duration_s: None,
            closes_at_ms: None,
            ballots: 0,
            results: None,
            mine: None,
        }
    }

    fn ballots(answers: Vec<Answer>) -> HashMap<Arc<str>, Answer> {
        answers
            .into_iter()
            .enumerate()
            .map(|(i, a)| (Arc::from(format!("p{i}").as_str()), a))
            .collect()
    }

    #[test]
    fn ranking_uses_the_borda_count() {
        let p = poll(PollKind::Ranking {
            options: vec!["a".into(), "b".into(), "c".into()],
        });
        let b = ballots(vec![
            Answer::Ranking {
                order: vec![0, 1, 2],
            },
            Answer::Ranking {
                order: vec![1, 0, 2],
            },
            Answer::Ranking {
                order: vec![1, 2, 0],
            },
        ]);
        assert_eq!(
            results(&p, &b, &HashSet::new(), &KEY),
            PollResults::Ranking {
                scores: vec![3, 5, 1]
            }
        );
    }

    #[test]
    fn word_cloud_entries_are_normalised_and_limited() {
        let kind = PollKind::WordCloud;
        let a = check_answer(
            &kind,
            Answer::Words {
                words: vec!["  Green   Deal ".into(), "green deal".into(), "AI".into()],
            },
        )
        .unwrap();
        assert_eq!(
            a,
            Answer::Words {
                words: vec!["green deal".into(), "ai".into()]
            }
        );
        assert!(
            check_answer(
                &kind,
                Answer::Words {
                    words: vec!["a".into(), "b".into(), "c".into(), "d".into()]
                }
            )
            .is_err()
        );
        assert!(
            check_answer(
                &kind,
                Answer::Words {
                    words: vec!["  ".into()]
                }
            )
            .is_err()
        );
        let p = poll(kind);
        let r = results(
            &p,
            &ballots(vec![
                a.clone(),
                Answer::Words {
                    words: vec!["ai".into()],
                },
            ]),
            &HashSet::new(),
            &KEY,
        );
        assert_eq!(
            r,
            PollResults::Words {
                words: vec![
                    WordCount {
                        word: "ai".into(),
                        count: 2
                    },
                    WordCount {
                        word: "green deal".into(),
                        count: 1
                    }
                ]
            }
        );
    }

    #[test]
    fn answers_must_fit_their_poll() {
        let options = vec!["a".into(), "b".into(), "c".into()];
        assert!(
            check_answer(
                &PollKind::Single {
                    options: options.clone()
                },
                Answer::Single { option: 3 }
            )
            .is_err()
        );
        assert!(
            check_answer(
                &PollKind::Multiple {
                    options: options.clone(),
                    max: 2
                },
                Answer::Multiple {
                    options: vec![0, 1, 2]
                }
            )
            .is_err()
        );
        assert_eq!(
            check_answer(
                &PollKind::Multiple {
                    options: options.clone(),
                    max: 2
                },
                Answer::Multiple {
                    options: vec![2, 0, 2]
                }
            )
            .unwrap(),
            Answer::Multiple {
                options: vec![0, 2]
            }
        );
        assert!(check_answer(&PollKind::Rating { scale: 5 }, Answer::Rating { value: 0 }).is_err());
        assert!(
            check_answer(
                &PollKind::Ranking {
                    options: options.clone()
                },
                Answer::Ranking {
                    order: vec![0, 0, 1]
                }
            )
            .is_err()
        );
        assert!(check_answer(&PollKind::Single { options }, Answer::Rating { value: 1 }).is_err());
    }

    #[test]
    fn moderated_texts_are_approved_one_by_one() {
        let p = poll(PollKind::OpenText { moderated: true });
        let b = ballots(vec![
            Answer::Text { text: "One".into() },
            Answer::Text { text: "Two".into() },
        ]);
        let approved = HashSet::from([text_id(&KEY, 1, "p1")]);
        let PollResults::Texts { answers, .. } = results(&p, &b, &approved, &KEY) else {
            panic!()
        };
        let shown: Vec<_> = answers
            .iter()
            .filter(|a| a.approved)
            .map(|a| a.text.as_str())
            .collect();
        assert_eq!(shown, vec!["Two"]);
        assert_ne!(
            text_id(&KEY, 1, "p1"),
            text_id(&KEY, 2, "p1"),
            "ids differ per poll, so answers cannot be linked"
        );
    }

    #[test]
    fn texts_results_stay_within_their_budget_and_count_every_answer() {
        let p = poll(PollKind::OpenText { moderated: true });
        let long = "é".repeat(limits::MAX_QUESTION_CHARS);
        let b: HashMap<Arc<str>, Answer> = (0..2000)
            .map(|i| {
                (
                    Arc::from(format!("p{i}")),
                    Answer::Text {
                        text: format!("{i} {long}"),
                    },
                )
            })
            .collect();
        let approved: HashSet<String> = (0..700)
            .map(|i| text_id(&KEY, 1, &format!("p{i}")))
            .collect();
        let PollResults::Texts {
            answers,
            total,
            approved: approved_count,
        } = results(&p, &b, &approved, &KEY)
        else {
            panic!()
        };
        assert_eq!((total, approved_count), (2000, 700));
        for approved in [true, false] {
            let list: Vec<_> = answers.iter().filter(|a| a.approved == approved).collect();
            assert!(!list.is_empty());
            let bytes: usize = list
                .iter()
                .map(|a| serde_json::to_string(a).unwrap().len() + 1)
                .sum();
            assert!(bytes <= limits::TEXT_ANSWERS_BUDGET_BYTES, "{bytes}");
        }
        assert!(answers.windows(2).all(|w| w[0].id < w[1].id));
        let all = all_texts(&p, &b, &approved, &KEY);
        assert_eq!(all.len(), 2000);
    }
}
