//! The speaker console: build polls of every kind and quizzes, open, close and reveal them,
//! and watch results and participation live (speakers see results the audience does not yet).

use leptos::{ev::SubmitEvent, prelude::*};
use plenum_protocol::{
    ClientMsg, EventCode, PollDraft, PollKind, PollResults, PollStatus, PollStep, QuizDraft,
    QuizQuestion, QuizStatus, QuizStep, ResultsVisibility, Role, SessionId, SessionState, limits,
};

use super::{act, follow_session, may, not_for_you, problem_view, results};
use crate::i18n::{Arg, t, ta, tc};
use crate::live::{Live, Room};
use crate::route::{Link, Route};

#[component]
pub fn SpeakPage(code: EventCode, id: SessionId) -> impl IntoView {
    let (live, state, here) = follow_session(&code, &id);
    let title = super::session_title(&id);
    super::page_title(move || ta("speaker-console-for", &[("title", Arg::Str(title.get()))]));
    let allowed = may(live, &[Role::Speaker, Role::Moderator, Role::Organiser]);
    let (c, i) = (code.clone(), id.clone());
    move || match allowed.get() {
        Some(false) => not_for_you("for-speakers").into_any(),
        _ => view! {
            <nav class="crumbs" aria-label=move || t("back")>
                <Link to=Route::Session(c.clone(), i.clone())>{move || t("back-to-session")}</Link>
            </nav>
            <h1>{move || ta("speaker-console-for", &[("title", Arg::Str(title.get()))])}</h1>
            <div class="columns">
                <div>
                    <PollBuilder code=c.clone() id=i.clone() />
                    <QuizBuilder code=c.clone() id=i.clone() />
                </div>
                <div>
                    <PollList code=c.clone() id=i.clone() state here />
                    <QuizList code=c.clone() id=i.clone() state />
                </div>
            </div>
        }
        .into_any(),
    }
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

#[component]
fn PollBuilder(code: EventCode, id: SessionId) -> impl IntoView {
    let live = expect_context::<Live>();
    let kind = RwSignal::new("single".to_owned());
    let question = RwSignal::new(String::new());
    let options = RwSignal::new(String::new());
    let max = RwSignal::new(2u32);
    let scale = RwSignal::new(5u32);
    let moderated = RwSignal::new(false);
    let visibility = RwSignal::new("live".to_owned());
    let duration = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let created = RwSignal::new(false);
    let needs_options =
        move || kind.with(|k| matches!(k.as_str(), "single" | "multiple" | "ranking"));
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let opts = lines(&options.get_untracked());
        let kind = match kind.get_untracked().as_str() {
            "single" => PollKind::Single { options: opts },
            "multiple" => PollKind::Multiple {
                options: opts,
                max: max.get_untracked(),
            },
            "rating" => PollKind::Rating {
                scale: scale.get_untracked(),
            },
            "word_cloud" => PollKind::WordCloud,
            "open_text" => PollKind::OpenText {
                moderated: moderated.get_untracked(),
            },
            _ => PollKind::Ranking { options: opts },
        };
        let visibility = match visibility.get_untracked().as_str() {
            "on_reveal" => ResultsVisibility::OnReveal,
            "never" => ResultsVisibility::Never,
            _ => ResultsVisibility::Live,
        };
        let draft = PollDraft {
            question: question.get_untracked().trim().to_owned(),
            kind,
            visibility,
            duration_s: duration
                .get_untracked()
                .trim()
                .parse()
                .ok()
                .filter(|d| *d > 0),
        };
        act(
            live,
            ClientMsg::CreatePoll {
                event: code.clone(),
                session: id.clone(),
                poll: draft,
            },
            problem,
            move |_| {
                question.set(String::new());
                options.set(String::new());
                created.set(true);
            },
        );
    };
    view! {
        <section class="panel" aria-labelledby="new-poll-heading">
            <h2 id="new-poll-heading">{move || t("new-poll")}</h2>
            <form class="stack" on:submit=submit>
                <label for="poll-question">{move || t("poll-question")}</label>
                <input id="poll-question" type="text" maxlength=limits::MAX_QUESTION_CHARS.to_string() required
                    prop:value=move || question.get() on:input=move |ev| { question.set(event_target_value(&ev)); created.set(false) } />
                <label for="poll-kind">{move || t("poll-kind")}</label>
                <select id="poll-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                    <option value="single" selected>{move || t("kind-single")}</option>
                    <option value="multiple">{move || t("kind-multiple")}</option>
                    <option value="rating">{move || t("kind-rating")}</option>
                    <option value="word_cloud">{move || t("kind-word-cloud")}</option>
                    <option value="open_text">{move || t("kind-open-text")}</option>
                    <option value="ranking">{move || t("kind-ranking")}</option>
                </select>
                <Show when=needs_options>
                    <label for="poll-options">{move || t("poll-options")}</label>
                    <textarea id="poll-options" rows="4" aria-describedby="poll-options-hint"
                        prop:value=move || options.get() on:input=move |ev| options.set(event_target_value(&ev))></textarea>
                    <p id="poll-options-hint" class="hint">{move || tc("options-hint", limits::MAX_POLL_OPTIONS as u64)}</p>
                </Show>
                <Show when=move || kind.with(|k| k == "multiple")>
                    <label for="poll-max">{move || t("poll-max")}</label>
                    <input id="poll-max" type="number" min="1" max="20" prop:value=move || max.get().to_string()
                        on:input=move |ev| max.set(event_target_value(&ev).parse().unwrap_or(1)) />
                </Show>
                <Show when=move || kind.with(|k| k == "rating")>
                    <label for="poll-scale">{move || t("poll-scale")}</label>
                    <input id="poll-scale" type="number" min="2" max="10" prop:value=move || scale.get().to_string()
                        on:input=move |ev| scale.set(event_target_value(&ev).parse().unwrap_or(5)) />
                </Show>
                <Show when=move || kind.with(|k| k == "open_text")>
                    <label class="check">
                        <input type="checkbox" prop:checked=move || moderated.get() on:change=move |ev| moderated.set(event_target_checked(&ev)) />
                        {move || t("poll-moderated")}
                    </label>
                </Show>
                <label for="poll-visibility">{move || t("poll-visibility")}</label>
                <select id="poll-visibility" on:change=move |ev| visibility.set(event_target_value(&ev))>
                    <option value="live" selected>{move || t("visibility-live")}</option>
                    <option value="on_reveal">{move || t("visibility-on-reveal")}</option>
                    <option value="never">{move || t("visibility-never")}</option>
                </select>
                <label for="poll-duration">{move || t("poll-duration")}</label>
                <input id="poll-duration" type="number" min="0" max=limits::MAX_POLL_SECONDS.to_string()
                    prop:value=move || duration.get() on:input=move |ev| duration.set(event_target_value(&ev)) />
                <button type="submit" class="primary" id="create-poll">{move || t("create-poll")}</button>
                {problem_view(problem)}
                <p role="status" class="sent">{move || created.get().then(|| t("poll-created"))}</p>
            </form>
        </section>
    }
}

#[component]
fn PollList(
    code: EventCode,
    id: SessionId,
    state: Memo<Option<SessionState>>,
    here: Memo<Room>,
) -> impl IntoView {
    let ids = Memo::new(move |_| {
        state.with(|s| {
            s.as_ref()
                .map(|s| s.polls.iter().rev().map(|p| p.id).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    view! {
        <section class="panel" aria-labelledby="polls-heading">
            <h2 id="polls-heading">{move || t("polls")}</h2>
            <Show when=move || ids.with(Vec::is_empty)>
                <p class="empty">{move || t("no-polls")}</p>
            </Show>
            <For each=move || ids.get() key=|p| *p
                children=move |poll| view! { <PollControl poll code=code.clone() id=id.clone() state here /> } />
        </section>
    }
}

#[component]
fn PollControl(
    poll: u64,
    code: EventCode,
    id: SessionId,
    state: Memo<Option<SessionState>>,
    here: Memo<Room>,
) -> impl IntoView {
    let live = expect_context::<Live>();
    let data = Memo::new(move |_| state.with(|s| s.as_ref().and_then(|s| s.poll(poll).cloned())));
    let problem = RwSignal::new(None::<String>);
    let (c2, i2) = (code.clone(), id.clone());
    let step = StoredValue::new(move |step: PollStep| {
        act(
            live,
            ClientMsg::RunPoll {
                event: code.clone(),
                session: id.clone(),
                poll,
                step,
            },
            problem,
            |_| {},
        );
    });
    let approve = StoredValue::new(move |answer: String, approved: bool| {
        act(
            live,
            ClientMsg::ApproveText {
                event: c2.clone(),
                session: i2.clone(),
                poll,
                answer,
                approved,
            },
            problem,
            |_| {},
        );
    });
    // The controls are rebuilt when the poll moves on (opened, closed, revealed); counts and
    // results change in place, so a focused button keeps its focus while votes arrive.
    let stage = Memo::new(move |_| data.with(|p| p.as_ref().map(|p| (p.status, p.revealed))));
    let participation = move || {
        let present = here.with(|r| r.present).unwrap_or(0);
        let ballots = data.with(|p| p.as_ref().map_or(0, |p| p.ballots));
        ta(
            "participation",
            &[
                ("count", Arg::Count(ballots)),
                ("present", Arg::Count(present)),
            ],
        )
    };
    let results_view = move || {
        data.with(|p| {
            p.as_ref()
                .filter(|p| p.status != PollStatus::Draft)
                .map(|p| view! { <div class="results">{results::poll_results(p)}</div> })
        })
    };
    let moderation = move || {
        let texts = data.with(|p| match p.as_ref().map(|p| (&p.kind, &p.results)) {
            Some((
                PollKind::OpenText { moderated: true },
                Some(PollResults::Texts { answers }),
            )) => answers.clone(),
            _ => Vec::new(),
        });
        // Approving answers is a moderator's decision (the server checks it too).
        let moderates = live
            .person()
            .is_some_and(|p| matches!(p.role, Role::Moderator | Role::Organiser));
        (moderates && !texts.is_empty()).then(|| {
            let rows = texts
                .into_iter()
                .map(|a| {
                    let (id1, id2) = (a.id.clone(), a.id.clone());
                    view! {
                        <li>
                            {a.text} " "
                            {if a.approved {
                                view! { <button type="button" class="small" on:click=move |_| approve.with_value(|f| f(id1.clone(), false))>{t("hide")}</button> }.into_any()
                            } else {
                                view! { <button type="button" class="small primary" on:click=move |_| approve.with_value(|f| f(id2.clone(), true))>{t("show")}</button> }.into_any()
                            }}
                        </li>
                    }
                })
                .collect_view();
            view! { <h4>{t("answers-to-review")}</h4><ul class="text-review">{rows}</ul> }
        })
    };
    move || {
        stage.get()?;
        let p = data.get_untracked()?;
        let status = p.status;
        let can_reveal = status == PollStatus::Closed
            && p.visibility == ResultsVisibility::OnReveal
            && !p.revealed;
        Some(view! {
            <article class="card poll-control" data-poll=poll data-status=match status { PollStatus::Draft => "draft", PollStatus::Open => "open", PollStatus::Closed => "closed" }>
                <h3>{p.question.clone()}</h3>
                <p class="poll-meta">
                    {match status { PollStatus::Draft => t("poll-draft"), PollStatus::Open => t("poll-open"), PollStatus::Closed => t("poll-closed") }}
                    " · "
                    <span class="participation">{participation}</span>
                </p>
                <div class="actions">
                    {(status == PollStatus::Draft).then(|| view! {
                        <button type="button" class="primary open-poll" on:click=move |_| step.with_value(|f| f(PollStep::Open))>{t("open-poll")}</button>
                        <button type="button" class="danger" on:click=move |_| step.with_value(|f| f(PollStep::Delete))>{t("delete")}</button>
                    })}
                    {(status == PollStatus::Open).then(|| view! {
                        <button type="button" class="close-poll" on:click=move |_| step.with_value(|f| f(PollStep::Close))>{t("close-poll")}</button>
                    })}
                    {can_reveal.then(|| view! {
                        <button type="button" class="primary" on:click=move |_| step.with_value(|f| f(PollStep::Reveal))>{t("reveal-results")}</button>
                    })}
                </div>
                {problem_view(problem)}
                {results_view}
                {moderation}
            </article>
        })
    }
}

/// One question being written in the quiz builder.
#[derive(Debug, Clone, PartialEq, Eq)]
struct QuestionDraft {
    text: String,
    options: String,
    correct: u32,
    seconds: u32,
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

#[component]
fn QuizBuilder(code: EventCode, id: SessionId) -> impl IntoView {
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
                            on:change=move |ev| { let v = event_target_value(&ev); set(Box::new(move |d| d.options = v.clone())) }></textarea>
                        <label for=format!("quiz-c-{i}")>{t("correct-option-number")}</label>
                        <input id=format!("quiz-c-{i}") type="number" min="1" max=limits::MAX_POLL_OPTIONS.to_string() prop:value=move || get().correct.to_string()
                            on:change=move |ev| { let v = event_target_value(&ev).parse().unwrap_or(1); set(Box::new(move |d| d.correct = v)) } />
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
fn QuizList(code: EventCode, id: SessionId, state: Memo<Option<SessionState>>) -> impl IntoView {
    let live = expect_context::<Live>();
    let problem = RwSignal::new(None::<String>);
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
    let ids = super::ids_of(state, |s| s.quizzes.iter().map(|q| q.id).collect());
    view! {
        <section class="panel" aria-labelledby="quizzes-heading">
            <h2 id="quizzes-heading">{move || t("quizzes")}</h2>
            {problem_view(problem)}
            <Show when=move || ids.with(Vec::is_empty)>
                <p class="empty">{move || t("no-quizzes")}</p>
            </Show>
            <For each=move || ids.get() key=|q| *q children=move |qid| view! { <QuizControl qid state step /> } />
        </section>
    }
}

/// One quiz's controls: rebuilt when it moves on, while answer counts and the leaderboard
/// change in place (a focused button keeps its focus).
#[component]
fn QuizControl(
    qid: u64,
    state: Memo<Option<SessionState>>,
    step: StoredValue<impl Fn(u64, QuizStep) + Send + Sync + 'static>,
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
                .map(results::leaderboard)
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
