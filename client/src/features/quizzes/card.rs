//! The current quiz question as a player answers it, with its countdown (from the stream delay
//! for people watching the stream), their score and the leaderboard.

use crate::components::{clock::*, feedback::*};
use crate::i18n::{Arg, percent, t, ta, tc};
use crate::live::Live;
use leptos::prelude::*;
use plenum_protocol::{
    ClientMsg, EventCode, Quiz, QuizStatus, ServerMsg, SessionId, SessionState, Watching,
};

#[component]
pub fn QuizCard(
    quiz: u64,
    code: EventCode,
    id: SessionId,
    state: Memo<Option<SessionState>>,
) -> impl IntoView {
    let live = expect_context::<Live>();
    let data = Memo::new(move |_| state.with(|s| s.as_ref().and_then(|s| s.quiz(quiz).cloned())));
    let problem = RwSignal::new(None::<String>);
    // What I answered, per question index (the server keeps it too; this is for showing).
    let answered = RwSignal::new(std::collections::BTreeMap::<u32, u32>::new());
    let on_stream = RwSignal::new(false);
    // Someone watching the stream sees the question later, by the session's stream delay:
    // their time runs from then, as the server counts it.
    let delay = Memo::new(move |_| state.with(|s| s.as_ref().map_or(0, |s| s.stream_delay_ms)));
    let left = countdown(move || {
        let behind = if on_stream.get() {
            i64::from(delay.get())
        } else {
            0
        };
        data.with(|q| {
            q.as_ref()
                .filter(|q| q.status == QuizStatus::Asking)
                .and_then(|q| q.current.as_ref())
                .map(|c| c.started_at_ms + behind + i64::from(c.seconds) * 1000)
        })
    });
    // My score: in the snapshot, then asked for after each reveal (events carry no one's own).
    let standing = RwSignal::new(None::<plenum_protocol::MyStanding>);
    // What the server says I chose (in the snapshot after a reload or on another device, in my
    // standing after a reveal) is answered here too.
    Effect::new(move |_| {
        let chosen = [
            standing.get().and_then(|m| m.chose),
            data.with(|q| {
                q.as_ref()
                    .and_then(|q| q.mine.as_ref())
                    .and_then(|m| m.chose)
            }),
        ];
        for c in chosen.into_iter().flatten() {
            if answered.with_untracked(|a| !a.contains_key(&c.question)) {
                answered.update(|a| {
                    a.insert(c.question, c.option);
                });
            }
        }
    });
    let (code2, id2) = (code.clone(), id.clone());
    let answer = StoredValue::new(move |index: u32, option: u32| {
        let watching = if on_stream.get_untracked() {
            Watching::Stream { adjust_ms: 0 }
        } else {
            Watching::Onsite
        };
        act(
            live,
            ClientMsg::AnswerQuiz {
                event: code.clone(),
                session: id.clone(),
                quiz,
                question: index,
                option,
                watching,
            },
            problem,
            move |reply| {
                answered.update(|a| {
                    a.insert(index, option);
                });
                if let ServerMsg::Ok {
                    standing: Some(mine),
                    ..
                } = reply
                {
                    standing.set(Some(mine));
                }
            },
        );
    });
    // Rebuilt when the quiz moves on (a new question, a reveal), not when answers are counted:
    // a focused button keeps its focus.
    let stage = Memo::new(move |_| {
        data.with(|q| {
            q.as_ref()
                .map(|q| (q.status, q.current.as_ref().map(|c| c.index)))
        })
    });
    ask_standing_after_reveals(live, code2, id2, quiz, stage, standing, problem);
    let standing = move || {
        standing
            .get()
            .or_else(|| data.with(|q| q.as_ref().and_then(|q| q.mine.clone())))
    };
    move || {
        stage.get()?;
        let q: Quiz = data.get_untracked()?;
        let heading_id = format!("quiz-{quiz}");
        let labelled_by = heading_id.clone();
        let body = match (&q.status, q.current.clone()) {
            (QuizStatus::Asking | QuizStatus::Revealed, Some(current)) => {
                let index = current.index;
                let revealed = q.status == QuizStatus::Revealed;
                let correct = current.correct;
                let chosen = current.chosen.clone();
                let options = option_buttons(
                    &current.options,
                    index,
                    revealed,
                    correct,
                    chosen.as_deref(),
                    answered,
                    answer,
                );
                // Once revealed, the person hears how they did, not only their score.
                let verdict = move || {
                    let right = correct?;
                    if !revealed {
                        return None;
                    }
                    let mine = answered.with(|a| a.get(&index).copied());
                    let (class, text) = match mine {
                        Some(m) if m == right => ("verdict right", t("quiz-you-were-right")),
                        Some(_) => (
                            "verdict wrong",
                            ta(
                                "quiz-you-were-wrong",
                                &[("answer", Arg::Str(letter(right)))],
                            ),
                        ),
                        None => ("verdict", t("quiz-no-answer")),
                    };
                    Some(view! { <p class=class role="status">{text}</p> })
                };
                view! {
                    <p class="quiz-progress">
                        {ta("question-of", &[("index", Arg::Str((index + 1).to_string())), ("length", Arg::Str(q.length.to_string()))])}
                        {move || (!revealed).then(|| left.get().map(|s| view! { " · " <span class="countdown" role="timer">{tc("seconds-left", s as u64)}</span> }))}
                    </p>
                    <p class="quiz-question">{current.text.clone()}</p>
                    <div class="quiz-options">{options}</div>
                    {verdict}
                    <label class="check">
                        <input type="checkbox" prop:checked=move || on_stream.get() on:change=move |ev| on_stream.set(event_target_checked(&ev)) />
                        {t("watching-stream")}
                    </label>
                    {move || standing().map(standing_line)}
                }
                .into_any()
            }
            (QuizStatus::Finished, _) => view! {
                <p>{t("quiz-finished")}</p>
                {move || standing().map(standing_line)}
                {crate::features::quizzes::results::leaderboard(&q)}
            }
            .into_any(),
            _ => view! { <p class="hint">{t("quiz-starting")}</p> }.into_any(),
        };
        Some(view! {
            <article class="quiz card" aria-labelledby=labelled_by>
                <h3 id=heading_id>{q.title.clone()}</h3>
                {body}
                {problem_view(problem)}
            </article>
        })
    }
}

/// Asks the server for the person's standing each time the quiz reveals an answer (events carry
/// no one's own score).
fn ask_standing_after_reveals(
    live: Live,
    code: EventCode,
    id: SessionId,
    quiz: u64,
    stage: Memo<Option<(QuizStatus, Option<u32>)>>,
    standing: RwSignal<Option<plenum_protocol::MyStanding>>,
    problem: RwSignal<Option<String>>,
) {
    let ask_standing = StoredValue::new({
        move || {
            act(
                live,
                ClientMsg::QuizStanding {
                    event: code.clone(),
                    session: id.clone(),
                    quiz,
                },
                problem,
                move |reply| {
                    if let ServerMsg::Ok {
                        standing: Some(mine),
                        ..
                    } = reply
                    {
                        standing.set(Some(mine));
                    }
                },
            );
        }
    });
    Effect::new(move |_| {
        if let Some((QuizStatus::Revealed | QuizStatus::Finished, _)) = stage.get() {
            ask_standing.with_value(|f| f());
        }
    });
}

/// The answer options of question `index`: pressed when chosen, the correct one marked once
/// revealed, all disabled after answering.
fn option_buttons<F: Fn(u32, u32) + Send + Sync + 'static>(
    options: &[String],
    index: u32,
    revealed: bool,
    correct: Option<u32>,
    chosen: Option<&[u64]>,
    answered: RwSignal<std::collections::BTreeMap<u32, u32>>,
    answer: StoredValue<F>,
) -> impl IntoView + use<F> {
    let whole: u64 = chosen.map_or(0, |c| c.iter().sum());
    options
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let count = chosen.and_then(|c| c.get(i)).copied();
            let i = i as u32;
            let is_correct = revealed && correct == Some(i);
            let share = count.map(|n| {
                view! { <span class="chosen">{move || format!("{} · {}", tc("chose-this", n), percent(n, whole))}</span> }
            });
            view! {
                <button
                    type="button"
                    class="quiz-option"
                    class:correct=is_correct
                    aria-pressed=move || if answered.with(|a| a.get(&index) == Some(&i)) { "true" } else { "false" }
                    disabled=move || revealed || answered.with(|a| a.contains_key(&index))
                    on:click=move |_| answer.with_value(|f| f(index, i))
                >
                    <span class="letter">{letter(i)}</span>
                    " " {label.clone()}
                    {is_correct.then(|| view! { " " <span class="badge">{t("correct-answer")}</span> })}
                    {share}
                </button>
            }
        })
        .collect_view()
}

/// "Your score: N (of M players)".
fn standing_line(m: plenum_protocol::MyStanding) -> impl IntoView {
    view! {
        <p class="standing">{ta("my-score", &[("score", Arg::Count(m.score)), ("players", Arg::Count(m.players))])}</p>
    }
}

/// An option's letter: A for the first.
pub fn letter(i: u32) -> String {
    char::from(b'A' + (i.min(25) as u8)).to_string()
}
