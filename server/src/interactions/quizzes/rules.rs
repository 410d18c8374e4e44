//! Quiz rules: asking, timing answers fairly across stream delays, scoring, ranking.
//! The formulas are in `plenum_protocol::quiz`; scores are always recomputed from the answer
//! records, so a reconnect (or a restart) changes nothing.

use crate::interactions::Refusal;
use plenum_protocol::{
    ANSWER_GRACE_MS, CurrentQuestion, MAX_DELAY_ADJUST_MS, MyStanding, Quiz, QuizDraft, QuizId,
    QuizQuestion, QuizStatus, QuizStep, RoomEvent, Standing, Watching, limits,
};
use std::{collections::HashMap, sync::Arc};

/// One recorded answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuizAnswer {
    pub option: u32,
    /// Milliseconds into the person's own window.
    pub t_ms: i64,
    /// The display name at the time, for the leaderboard.
    pub name: Option<String>,
}

/// All answers of one quiz: by (question index, person).
pub type Answers = HashMap<(u32, Arc<str>), QuizAnswer>;

#[derive(Debug, Clone)]
pub enum QuizCommand {
    Create(QuizDraft),
    Step {
        quiz: QuizId,
        step: QuizStep,
    },
    Answer {
        quiz: QuizId,
        question: u32,
        option: u32,
        watching: Watching,
        name: Option<String>,
    },
}

/// An answer to record.
#[derive(Debug, Clone)]
pub struct AnswerGiven {
    pub quiz: QuizId,
    pub question: u32,
    pub person: Arc<str>,
    pub answer: QuizAnswer,
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub events: Vec<RoomEvent>,
    pub answers: Vec<AnswerGiven>,
    pub quiz: Option<QuizId>,
}

pub struct Context<'a> {
    pub person: &'a str,
    pub now_ms: i64,
    pub stream_delay_ms: u32,
    /// A quiz's answers, as the batch leaves them (for reveals and leaderboards).
    pub answers: &'a dyn Fn(QuizId) -> Answers,
    /// Whether this person answered a question (a point lookup, for every answer given).
    pub answered: &'a dyn Fn(QuizId, u32) -> bool,
}

/// Points for a correct answer `t` ms into a `limit` ms window, with `streak` correct in a row.
pub fn points(t_ms: i64, limit_ms: i64, streak: u32) -> u64 {
    let t = t_ms.clamp(0, limit_ms) as f64;
    let speed = (500.0 * (1.0 - t / limit_ms as f64)).round() as u64;
    500 + speed + u64::from((streak.saturating_sub(1) * 50).min(250))
}

/// Everyone's score and current streak over questions `0..=upto`.
fn totals(
    questions: &[QuizQuestion],
    upto: Option<u32>,
    answers: &Answers,
) -> HashMap<Arc<str>, (u64, u32, Option<String>)> {
    let mut by_person: HashMap<Arc<str>, Vec<(u32, &QuizAnswer)>> = HashMap::new();
    for ((q, person), a) in answers {
        by_person.entry(person.clone()).or_default().push((*q, a));
    }
    let mut out = HashMap::new();
    for (person, mut given) in by_person {
        given.sort_by_key(|(q, _)| *q);
        let name = given.last().and_then(|(_, a)| a.name.clone());
        let (mut score, mut streak) = (0u64, 0u32);
        if let Some(upto) = upto {
            for (i, question) in questions.iter().enumerate().take(upto as usize + 1) {
                match given.iter().find(|(q, _)| *q as usize == i) {
                    Some((_, a)) if a.option == question.correct => {
                        streak += 1;
                        score += points(a.t_ms, i64::from(question.seconds) * 1000, streak);
                    }
                    _ => streak = 0,
                }
            }
        }
        out.insert(person, (score, streak, name));
    }
    out
}

/// Ranks, highest score first; equal scores share a rank (1, 1, 3…).
fn ranked(
    totals: &HashMap<Arc<str>, (u64, u32, Option<String>)>,
) -> Vec<(Arc<str>, u32, u64, Option<String>)> {
    let mut rows: Vec<_> = totals
        .iter()
        .map(|(p, (s, _, n))| (p.clone(), *s, n.clone()))
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut out = Vec::with_capacity(rows.len());
    let mut rank = 0;
    let mut last = None;
    for (i, (p, score, name)) in rows.into_iter().enumerate() {
        if last != Some(score) {
            rank = i as u32 + 1;
            last = Some(score);
        }
        out.push((p, rank, score, name));
    }
    out
}

/// The last question whose answer is revealed.
fn revealed_upto(quiz: &Quiz) -> Option<u32> {
    let current = quiz.current.as_ref()?;
    match quiz.status {
        QuizStatus::Revealed | QuizStatus::Finished => Some(current.index),
        QuizStatus::Asking => current.index.checked_sub(1),
        QuizStatus::Draft => None,
    }
}

fn leaderboard(quiz: &Quiz, answers: &Answers) -> Vec<Standing> {
    ranked(&totals(&quiz.questions, revealed_upto(quiz), answers))
        .into_iter()
        .take(10)
        .map(|(_, rank, score, name)| Standing { rank, name, score })
        .collect()
}

/// Everyone who answered `quiz`, best first, scored over its revealed questions.
pub fn ranking(quiz: &Quiz, answers: &Answers) -> Vec<Standing> {
    ranked(&totals(&quiz.questions, revealed_upto(quiz), answers))
        .into_iter()
        .map(|(_, rank, score, name)| Standing { rank, name, score })
        .collect()
}

/// How many chose each of a question's `options` options.
pub fn chosen(answers: &Answers, question: u32, options: usize) -> Vec<u64> {
    let mut counts = vec![0; options];
    for ((q, _), a) in answers {
        if *q == question
            && let Some(c) = counts.get_mut(a.option as usize)
        {
            *c += 1;
        }
    }
    counts
}

/// `person`'s own standing in `quiz`.
pub fn standing(quiz: &Quiz, answers: &Answers, person: &str) -> MyStanding {
    let t = totals(&quiz.questions, revealed_upto(quiz), answers);
    let players = t.len() as u64;
    let streak = t.get(person).map_or(0, |(_, s, _)| *s);
    let mine = ranked(&t).into_iter().find(|(p, ..)| p.as_ref() == person);
    MyStanding {
        rank: mine
            .as_ref()
            .map(|(_, r, ..)| *r)
            .filter(|_| revealed_upto(quiz).is_some()),
        score: mine.map_or(0, |(_, _, s, _)| s),
        streak,
        players,
        chose: quiz.current.as_ref().and_then(|c| {
            answers
                .get(&(c.index, Arc::from(person)))
                .map(|a| plenum_protocol::Chosen {
                    question: c.index,
                    option: a.option,
                })
        }),
    }
}

/// How many have answered the current question.
pub fn answered(quiz: &Quiz, answers: &Answers) -> u64 {
    let Some(c) = &quiz.current else { return 0 };
    answers.keys().filter(|(q, _)| *q == c.index).count() as u64
}

fn find(quizzes: &[Quiz], id: QuizId) -> Result<&Quiz, Refusal> {
    quizzes
        .iter()
        .find(|q| q.id == id)
        .ok_or_else(|| Refusal::NotFound(format!("no quiz {id} in this session")))
}

fn changed(out: &mut Outcome, quiz: Quiz) {
    out.events.push(RoomEvent::Quiz { quiz });
}

fn check_draft(d: &QuizDraft) -> Result<(), Refusal> {
    if d.title.trim().is_empty() {
        return Err(Refusal::invalid("quiz.title", "must not be empty"));
    }
    if d.title.chars().count() > limits::MAX_TITLE_CHARS {
        return Err(Refusal::too_long("quiz.title", limits::MAX_TITLE_CHARS));
    }
    if d.questions.is_empty() || d.questions.len() > limits::MAX_QUIZ_QUESTIONS {
        return Err(Refusal::invalid(
            "quiz.questions",
            format!("needs 1 to {} questions", limits::MAX_QUIZ_QUESTIONS),
        ));
    }
    for (i, q) in d.questions.iter().enumerate() {
        let f = format!("quiz.questions[{i}]");
        if q.text.trim().is_empty() {
            return Err(Refusal::invalid(&format!("{f}.text"), "must not be empty"));
        }
        if q.text.chars().count() > limits::MAX_QUESTION_CHARS {
            return Err(Refusal::too_long(
                &format!("{f}.text"),
                limits::MAX_QUESTION_CHARS,
            ));
        }
        if let Some(o) = q
            .options
            .iter()
            .position(|o| o.chars().count() > limits::MAX_OPTION_CHARS)
        {
            return Err(Refusal::too_long(
                &format!("{f}.options[{o}]"),
                limits::MAX_OPTION_CHARS,
            ));
        }
        if !(2..=limits::MAX_POLL_OPTIONS).contains(&q.options.len())
            || q.options.iter().any(|o| o.trim().is_empty())
        {
            return Err(Refusal::invalid(
                &format!("{f}.options"),
                "needs 2 to 20 options of 1 to 120 characters",
            ));
        }
        if q.correct as usize >= q.options.len() {
            return Err(Refusal::invalid(
                &format!("{f}.correct"),
                "must be one of the options",
            ));
        }
        if !(5..=300).contains(&q.seconds) {
            return Err(Refusal::invalid(
                &format!("{f}.seconds"),
                "must be 5 to 300",
            ));
        }
    }
    Ok(())
}

/// Decides a request against the session's quizzes (the full view); the events say what
/// changes (the sequencer folds them in).
pub fn decide(quizzes: &[Quiz], command: QuizCommand, cx: &Context) -> Result<Outcome, Refusal> {
    let mut out = Outcome::default();
    match command {
        QuizCommand::Create(d) => {
            check_draft(&d)?;
            let id = quizzes.iter().map(|q| q.id).max().unwrap_or(0) + 1;
            changed(
                &mut out,
                Quiz {
                    id,
                    title: d.title.trim().to_owned(),
                    length: d.questions.len() as u32,
                    status: QuizStatus::Draft,
                    current: None,
                    leaderboard: Vec::new(),
                    questions: d.questions,
                    mine: None,
                },
            );
            out.quiz = Some(id);
        }
        QuizCommand::Step { quiz, step } => {
            let q = find(quizzes, quiz)?.clone();
            let conflict = |m: &str| Err(Refusal::Conflict(m.to_owned()));
            match (step, q.status) {
                (QuizStep::Next, QuizStatus::Draft | QuizStatus::Revealed) => {
                    let index = q.current.as_ref().map_or(0, |c| c.index + 1);
                    let Some(question) = q.questions.get(index as usize) else {
                        return conflict("that was the last question: finish the quiz");
                    };
                    let current = CurrentQuestion {
                        index,
                        text: question.text.clone(),
                        options: question.options.clone(),
                        seconds: question.seconds,
                        started_at_ms: cx.now_ms,
                        correct: None,
                        answers: 0,
                        chosen: None,
                    };
                    changed(
                        &mut out,
                        Quiz {
                            status: QuizStatus::Asking,
                            current: Some(current),
                            ..q
                        },
                    );
                }
                (QuizStep::Reveal, QuizStatus::Asking) => {
                    let answers = (cx.answers)(quiz);
                    let mut revealed = Quiz {
                        status: QuizStatus::Revealed,
                        ..q
                    };
                    let count = answered(&revealed, &answers);
                    if let Some(c) = revealed.current.as_mut() {
                        c.correct = revealed.questions.get(c.index as usize).map(|q| q.correct);
                        c.answers = count;
                        c.chosen = Some(chosen(&answers, c.index, c.options.len()));
                    }
                    revealed.leaderboard = leaderboard(&revealed, &answers);
                    changed(&mut out, revealed);
                }
                (QuizStep::Finish, QuizStatus::Revealed) => {
                    let answers = (cx.answers)(quiz);
                    let mut finished = Quiz {
                        status: QuizStatus::Finished,
                        ..q
                    };
                    finished.leaderboard = leaderboard(&finished, &answers);
                    changed(&mut out, finished);
                }
                (QuizStep::Next, _) => {
                    return conflict("ask the next question after revealing this one");
                }
                (QuizStep::Reveal, _) => return conflict("no question is being asked"),
                (QuizStep::Finish, _) => {
                    return conflict("reveal the current question before finishing");
                }
            }
        }
        QuizCommand::Answer {
            quiz,
            question,
            option,
            watching,
            name,
        } => {
            let q = find(quizzes, quiz)?;
            let current = match (&q.current, q.status) {
                (Some(c), QuizStatus::Asking) if c.index == question => c,
                _ => {
                    return Err(Refusal::Conflict("that question is not being asked".into()));
                }
            };
            if option as usize >= current.options.len() {
                return Err(Refusal::invalid(
                    "option",
                    format!("must be 0 to {}", current.options.len() - 1),
                ));
            }
            let delay = match watching {
                Watching::Onsite => 0,
                Watching::Stream { adjust_ms } => (i64::from(cx.stream_delay_ms)
                    + adjust_ms.clamp(-MAX_DELAY_ADJUST_MS, MAX_DELAY_ADJUST_MS))
                .max(0),
            };
            let t = cx.now_ms - (current.started_at_ms + delay);
            let limit = i64::from(current.seconds) * 1000;
            if t < -ANSWER_GRACE_MS {
                return Err(Refusal::Conflict(
                    "too early: your stream has not shown this question yet".into(),
                ));
            }
            if t > limit + ANSWER_GRACE_MS {
                return Err(Refusal::Conflict("time is up for this question".into()));
            }
            let person: Arc<str> = Arc::from(cx.person);
            if (cx.answered)(quiz, question) {
                return Err(Refusal::Conflict(
                    "you have already answered this question".into(),
                ));
            }
            out.answers.push(AnswerGiven {
                quiz,
                question,
                person,
                answer: QuizAnswer {
                    option,
                    t_ms: t.clamp(0, limit),
                    name,
                },
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_reward_speed_and_streaks() {
        assert_eq!(points(0, 10_000, 1), 1000);
        assert_eq!(points(5_000, 10_000, 1), 750);
        assert_eq!(points(10_000, 10_000, 1), 500);
        assert_eq!(points(-300, 10_000, 1), 1000, "clamped");
        assert_eq!(points(10_000, 10_000, 3), 600);
        assert_eq!(points(10_000, 10_000, 20), 750, "the bonus stops at 250");
    }

    #[test]
    fn equal_scores_share_a_rank() {
        let t: HashMap<Arc<str>, (u64, u32, Option<String>)> = [("a", 900), ("b", 900), ("c", 500)]
            .into_iter()
            .map(|(p, s)| (Arc::from(p), (s, 1, None)))
            .collect();
        let ranks: Vec<(String, u32)> = ranked(&t)
            .into_iter()
            .map(|(p, r, ..)| (p.to_string(), r))
            .collect();
        assert_eq!(
            ranks,
            vec![("a".into(), 1), ("b".into(), 1), ("c".into(), 3)]
        );
    }
}
