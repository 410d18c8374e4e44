//! Quizzes: questions asked in turn, answers timed fairly across stream delays, scores and
//! leaderboards.
//!
//! The rules are in [`rules`]. Records, in a session room: `quiz_answer` (key
//! `QUIZ:QUESTION:PERSON`, value `OPTION:T_MS:NAME`); an answer makes the count of answers to
//! the quiz's current question stale. Scores are always recomputed from the answers.

pub mod rules;

pub use rules::{AnswerGiven, Answers, QuizAnswer, QuizCommand};

use super::{Cx, Interaction, Made, RecordKind, Refusal, Stored, View};
use plenum_protocol::{
    MyStanding, Quiz, QuizExport, QuizId, QuizStatus, RoomEvent, RoomState, SessionState,
};
use std::{
    collections::{BTreeSet, HashMap},
    sync::Arc,
};

/// The quizzes interaction.
pub struct Quizzes;

/// A quiz request, by `person` (a person id).
#[derive(Debug, Clone)]
pub struct QuizRequest {
    pub person: String,
    pub command: QuizCommand,
}

/// Quiz records in one room, as committed: each quiz's answers.
#[derive(Debug, Default)]
pub struct QuizRecords(HashMap<QuizId, Answers>);

const QUIZ_ANSWER: &str = "quiz_answer";

/// A quiz's answers, as `view` leaves them.
fn answers(view: &View<'_, Quizzes>, quiz: QuizId) -> Answers {
    view.part(|r| {
        QuizRecords(HashMap::from([(
            quiz,
            r.0.get(&quiz).cloned().unwrap_or_default(),
        )]))
    })
    .0
    .remove(&quiz)
    .unwrap_or_default()
}

/// Whether `person` answered `question` of `quiz`, as `view` leaves it (a point lookup).
fn answered(view: &View<'_, Quizzes>, quiz: QuizId, question: u32, person: &str) -> bool {
    view.committed
        .0
        .get(&quiz)
        .is_some_and(|a| a.contains_key(&(question, Arc::from(person))))
        || view
            .changes
            .iter()
            .any(|a| a.quiz == quiz && a.question == question && &*a.person == person)
}

impl Interaction for Quizzes {
    type Command = QuizRequest;
    type Records = QuizRecords;
    type Change = AnswerGiven;
    const NAME: &'static str = "quizzes";
    const KINDS: &'static [RecordKind] = &[RecordKind {
        name: QUIZ_ANSWER,
        tallied: true,
        personal: true,
    }];

    fn decide(&self, cx: &mut Cx<'_, Self>, request: QuizRequest) -> Result<Made, Refusal> {
        let state = cx.session()?;
        let stream_delay_ms = state.stream_delay_ms;
        let out = {
            let all = &cx.session()?.quizzes;
            let view = cx.records();
            let person = request.person.as_str();
            let answers = |quiz| answers(&view, quiz);
            let answered = |quiz, question| answered(&view, quiz, question, person);
            let rules = rules::Context {
                person,
                now_ms: cx.now_ms(),
                stream_delay_ms,
                answers: &answers,
                answered: &answered,
            };
            rules::decide(all, request.command, &rules)?
        };
        cx.emit_all(out.events);
        for a in out.answers {
            cx.change(a);
        }
        Ok(Made {
            quiz: out.quiz,
            ..Made::default()
        })
    }

    fn load(records: &mut QuizRecords, kind: &str, key: &str, value: Option<&str>) {
        if kind != QUIZ_ANSWER {
            return;
        }
        let mut key = key.splitn(3, ':');
        let (Some(quiz), Some(question), Some(person)) = (key.next(), key.next(), key.next())
        else {
            return;
        };
        let (Ok(quiz), Ok(question)) = (quiz.parse(), question.parse()) else {
            return;
        };
        let answers = records.0.entry(quiz).or_default();
        let answer = value.and_then(|value| {
            let mut v = value.splitn(3, ':');
            let option = v.next()?.parse().ok()?;
            let t_ms = v.next()?.parse().ok()?;
            let name = v.next().filter(|n| !n.is_empty()).map(str::to_owned);
            Some(QuizAnswer { option, t_ms, name })
        });
        match answer {
            Some(a) => drop(answers.insert((question, Arc::from(person)), a)),
            None => drop(answers.remove(&(question, Arc::from(person)))),
        }
    }

    fn apply(records: &mut QuizRecords, a: &AnswerGiven) {
        records
            .0
            .entry(a.quiz)
            .or_default()
            .insert((a.question, a.person.clone()), a.answer.clone());
    }

    fn store(a: &AnswerGiven) -> Stored {
        Stored {
            kind: QUIZ_ANSWER,
            key: format!("{}:{}:{}", a.quiz, a.question, a.person),
            value: Some(format!(
                "{}:{}:{}",
                a.answer.option,
                a.answer.t_ms,
                a.answer.name.as_deref().unwrap_or("")
            )),
        }
    }

    fn stales(a: &AnswerGiven) -> Option<u64> {
        Some(a.quiz)
    }

    fn tally(&self, cx: &mut Cx<'_, Self>, stale: &BTreeSet<u64>) {
        let Ok(state) = cx.session() else {
            return;
        };
        let view = cx.records();
        let mut events = Vec::new();
        for &id in stale {
            if let Some(q) = state.quiz(id).filter(|q| q.status == QuizStatus::Asking) {
                let answers = rules::answered(q, &answers(&view, id));
                if q.current.as_ref().is_some_and(|c| c.answers != answers) {
                    events.push(RoomEvent::QuizAnswers { id, answers });
                }
            }
        }
        cx.emit_all(events);
    }

    fn live(&self, state: &RoomState) -> Vec<u64> {
        match state {
            RoomState::Session(s) => s
                .quizzes
                .iter()
                .filter(|q| q.status == QuizStatus::Asking)
                .map(|q| q.id)
                .collect(),
            _ => Vec::new(),
        }
    }

    fn personalise(
        &self,
        records: &QuizRecords,
        full: &RoomState,
        view: &mut RoomState,
        person: &str,
    ) {
        let (RoomState::Session(full), RoomState::Session(view)) = (full, view) else {
            return;
        };
        for quiz in &mut view.quizzes {
            // Scored over the full quiz: the viewer's copy has no questions to come.
            quiz.mine = full.quiz(quiz.id).map(|q| standing_in(records, q, person));
        }
    }
}

/// `person`'s standing in `quiz`, from the committed answers.
fn standing_in(records: &QuizRecords, quiz: &plenum_protocol::Quiz, person: &str) -> MyStanding {
    let none = Answers::new();
    rules::standing(quiz, records.0.get(&quiz.id).unwrap_or(&none), person)
}

/// `person`'s standing in quiz `id` of a session, if it has one.
pub fn standing(
    state: &RoomState,
    records: &QuizRecords,
    id: QuizId,
    person: &str,
) -> Result<MyStanding, Refusal> {
    match state {
        RoomState::Session(s) => s.quiz(id).map(|q| standing_in(records, q, person)),
        _ => None,
    }
    .ok_or_else(|| Refusal::NotFound(format!("no quiz {id} in this session")))
}

/// Every quiz of a session for an export: all questions with their answers, how many chose
/// each option, and everyone's score (exact, from the records).
pub fn export(state: &SessionState, records: &QuizRecords) -> Vec<QuizExport> {
    state
        .quizzes
        .iter()
        .map(|quiz| {
            let none = Answers::default();
            let answers = records.0.get(&quiz.id).unwrap_or(&none);
            let chosen = quiz
                .questions
                .iter()
                .enumerate()
                .map(|(i, q)| rules::chosen(answers, i as u32, q.options.len()))
                .collect();
            QuizExport {
                ranking: rules::ranking(quiz, answers),
                chosen,
                quiz: Quiz {
                    mine: None,
                    ..quiz.clone()
                },
            }
        })
        .collect()
}
