//! The speaker's quizzes: a builder, and next, reveal, finish, with answer counts and the
//! leaderboard.

use crate::components::{feedback::*, follow::*};
use crate::features::polls::console::lines;
use crate::features::stage::screen_control::{present_button, presenter};
use crate::i18n::{Arg, t, ta, tc};
use crate::live::Live;
use leptos::{ev::SubmitEvent, prelude::*};
use plenum_protocol::{
    ClientMsg, EventCode, QuizDraft, QuizQuestion, QuizStatus, QuizStep, ScreenShows, SessionId,
    SessionState, limits,
};

/// One question being written in the quiz builder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionDraft {
    text: String,
    options: String,
    correct: u32,
    seconds: u32,
}

#[component]
pub fn QuizBuilder(code: EventCode, id: SessionId) -> impl IntoView {
    let live = expect_context::<Live>();
    let title = RwSignal::new(String::new());
    let questions = RwSignal::new(vec![QuestionDraft::default()]);
    let problem = RwSignal::new(None::<String>);
    let created = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let draft = QuizDraft {
            title: title.get_untracked().trim().to_owned(),
            questions: questions
                .get_untracked()
                .into_iter()
                .map(|q| QuizQuestion {
                    text: q.text.trim().to_owned(),
                    options: lines(&q.options),
                    correct: q.correct.saturating_sub(1),
                    seconds: q.seconds,
                })
                .collect(),
        };
        act(
            live,
            ClientMsg::CreateQuiz {
                event: code.clone(),
                session: id.clone(),
                quiz: draft,
            },
            problem,
            move |_| {
                title.set(String::new());
                questions.set(vec![QuestionDraft::default()]);
                created.set(true);
            },
        );
    };
    // Rebuilt only when a question is added: editing one changes values in place.
    let count = Memo::new(move |_| questions.with(Vec::len));
    let editors = move || {
        let n = count.get();
        (0..n)
            .map(|i| {
                let get = move || questions.with(|q| q.get(i).cloned().unwrap_or_default());
                let set = move |f: Box<dyn Fn(&mut QuestionDraft)>| questions.update(|q| { if let Some(d) = q.get_mut(i) { f(d) } });
                view! {
                    <fieldset class="quiz-question-editor">
                        <legend>{ta("question-number", &[("number", Arg::Str((i + 1).to_string()))])}</legend>
                        <label for=format!("quiz-q-{i}")>{t("quiz-question-text")}</label>
                        <input id=format!("quiz-q-{i}") type="text" prop:value=move || get().text
                            on:change=move |ev| { let v = event_target_value(&ev); set(Box::new(move |d| d.text = v.clone())) } />
                        <label for=format!("quiz-o-{i}")>{t("poll-options")}</label>
                        <textarea id=format!("quiz-o-{i}") rows="4" prop:value=move || get().options
                            on:input=move |ev| {
                                let v = event_target_value(&ev);
                                // The correct option stays one of those written.
                                set(Box::new(move |d| {
                                    d.options = v.clone();
                                    d.correct = d.correct.clamp(1, lines(&d.options).len().max(1) as u32);
                                }))
                            }></textarea>
                        <label for=format!("quiz-c-{i}")>{t("correct-option")}</label>
                        // Chosen among the options as written, not typed as a number.
                        <select id=format!("quiz-c-{i}") prop:disabled=move || lines(&get().options).is_empty()
                            on:change=move |ev| { let v = event_target_value(&ev).parse().unwrap_or(1); set(Box::new(move |d| d.correct = v)) }>
                            {move || {
                                let d = get();
                                let options = lines(&d.options);
                                if options.is_empty() {
                                    return view! { <option value="1">{t("write-options-first")}</option> }.into_any();
                                }
                                options.into_iter().enumerate().map(|(n, o)| {
                                    let number = n as u32 + 1;
                                    view! { <option value=number.to_string() selected=d.correct == number>{format!("{number}. {o}")}</option> }
                                }).collect_view().into_any()
                            }}
                        </select>
                        <label for=format!("quiz-s-{i}")>{t("seconds-to-answer")}</label>
                        <input id=format!("quiz-s-{i}") type="number" min="5" max="300" prop:value=move || get().seconds.to_string()
                            on:change=move |ev| { let v = event_target_value(&ev).parse().unwrap_or(20); set(Box::new(move |d| d.seconds = v)) } />
                    </fieldset>
                }
            })
            .collect_view()
    };
    view! {
        <section class="panel" aria-labelledby="new-quiz-heading">
            <h2 id="new-quiz-heading">{move || t("new-quiz")}</h2>
            <form class="stack" on:submit=submit>
                <label for="quiz-title">{move || t("quiz-title")}</label>
                <input id="quiz-title" type="text" required prop:value=move || title.get()
                    on:input=move |ev| { title.set(event_target_value(&ev)); created.set(false) } />
                {editors}
                <button type="button" disabled=move || questions.with(|q| q.len() >= limits::MAX_QUIZ_QUESTIONS)
                    on:click=move |_| questions.update(|q| q.push(QuestionDraft::default()))>{move || t("add-question")}</button>
                <button type="submit" class="primary" id="create-quiz">{move || t("create-quiz")}</button>
                {problem_view(problem)}
                <p role="status" class="sent">{move || created.get().then(|| t("quiz-created"))}</p>
            </form>
        </section>
    }
}

#[component]
pub fn QuizList(
    code: EventCode,
    id: SessionId,
    state: Memo<Option<SessionState>>,
) -> impl IntoView {
    let live = expect_context::<Live>();
    let problem = RwSignal::new(None::<String>);
    let present = presenter(code.clone(), id.clone(), problem);
    let step = StoredValue::new(move |quiz: u64, step: QuizStep| {
        act(
            live,
            ClientMsg::RunQuiz {
                event: code.clone(),
                session: id.clone(),
                quiz,
                step,
            },
            problem,
            |_| {},
        );
    });
    let ids = ids_of(state, |s| s.quizzes.iter().map(|q| q.id).collect());
    view! {
        <section class="panel" aria-labelledby="quizzes-heading">
            <h2 id="quizzes-heading">{move || t("quizzes")}</h2>
            {problem_view(problem)}
            <Show when=move || ids.with(Vec::is_empty)>
                <p class="empty">{move || t("no-quizzes")}</p>
            </Show>
            <For each=move || ids.get() key=|q| *q children=move |qid| view! { <QuizControl qid state step present /> } />
        </section>
    }
}

/// One quiz's controls: rebuilt when it moves on, while answer counts and the leaderboard
/// change in place (a focused button keeps its focus).
#[component]
pub fn QuizControl(
    qid: u64,
    state: Memo<Option<SessionState>>,
    step: StoredValue<impl Fn(u64, QuizStep) + Send + Sync + 'static>,
    present: StoredValue<impl Fn(ScreenShows) + Send + Sync + 'static>,
) -> impl IntoView {
    let data = Memo::new(move |_| state.with(|s| s.as_ref().and_then(|s| s.quiz(qid).cloned())));
    let stage = Memo::new(move |_| {
        data.with(|q| {
            q.as_ref()
                .map(|q| (q.status, q.current.as_ref().map(|c| c.index)))
        })
    });
    let answers = move || {
        data.with(|q| {
            q.as_ref()
                .and_then(|q| q.current.as_ref())
                .map_or(0, |c| c.answers)
        })
    };
    let board = move || {
        data.with(|q| {
            q.as_ref()
                .filter(|q| q.status != QuizStatus::Draft)
                .map(crate::features::quizzes::results::leaderboard)
        })
    };
    move || {
        stage.get()?;
        let q = data.get_untracked()?;
        let current = q.current.clone();
        let more = current.as_ref().map_or(0, |c| c.index + 1) < q.length;
        let status = match q.status {
            QuizStatus::Draft => t("poll-draft"),
            QuizStatus::Asking => t("quiz-asking"),
            QuizStatus::Revealed => t("quiz-revealed"),
            QuizStatus::Finished => t("quiz-finished"),
        };
        Some(view! {
            <article class="card">
                <h3>{q.title.clone()}</h3>
                <p class="poll-meta">{status}
                    {current.as_ref().map(|c| view! { " · " {ta("question-of", &[("index", Arg::Str((c.index + 1).to_string())), ("length", Arg::Str(q.length.to_string()))])} " · " {move || tc("answers-count", answers())} })}
                </p>
                {current.map(|c| view! { <p class="quiz-question">{c.text}</p> })}
                <div class="actions">
                    {(q.status != QuizStatus::Draft).then(|| present_button(ScreenShows::Quiz { id: qid }, state, present))}
                    {(q.status == QuizStatus::Asking).then(|| view! {
                        <button type="button" class="primary quiz-reveal" on:click=move |_| step.with_value(|f| f(qid, QuizStep::Reveal))>{t("reveal-answer")}</button>
                    })}
                    {(matches!(q.status, QuizStatus::Draft | QuizStatus::Revealed) && more).then(|| view! {
                        <button type="button" class="primary quiz-next" on:click=move |_| step.with_value(|f| f(qid, QuizStep::Next))>{t("next-question")}</button>
                    })}
                    // The server finishes a quiz only after a question's answer was shown.
                    {(q.status == QuizStatus::Revealed).then(|| view! {
                        <button type="button" class="quiz-finish" on:click=move |_| step.with_value(|f| f(qid, QuizStep::Finish))>{t("finish-quiz")}</button>
                    })}
                </div>
                {board}
            </article>
        })
    }
}

impl Default for QuestionDraft {
    fn default() -> Self {
        QuestionDraft {
            text: String::new(),
            options: String::new(),
            correct: 1,
            seconds: 20,
        }
    }
}
