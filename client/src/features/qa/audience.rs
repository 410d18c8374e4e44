//! The audience's Q&A: ask (named or anonymous), vote questions up, sort by votes or by time,
//! see replies and what was answered. New questions are announced to screen readers without
//! moving focus; the list updates in place, so a focused button stays focused.

use crate::components::feedback::*;
use crate::i18n::{Arg, t, ta, tc};
use crate::live::Live;
use crate::time;
use leptos::{ev::SubmitEvent, prelude::*};
use plenum_protocol::{
    ClientMsg, EventCode, Moderation, QaSettings, QuestionId, QuestionStatus, ServerMsg, SessionId,
    SessionState, limits,
};
use std::collections::BTreeSet;
use wasm_bindgen::JsCast;

/// Published, mine waiting or dismissed, answered.
type Lists = (Vec<QuestionId>, Vec<QuestionId>, Vec<QuestionId>);

/// My upvotes in this session, kept in the browser (the server counts each person once
/// whatever the browser remembers).
pub fn upvotes_key(code: &EventCode, id: &SessionId) -> String {
    format!("plenum.up.{code}.{id}")
}

pub fn load_upvotes(key: &str) -> BTreeSet<QuestionId> {
    window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(key).ok().flatten())
        .map(|v| v.split(',').filter_map(|x| x.parse().ok()).collect())
        .unwrap_or_default()
}

pub fn keep_upvotes(key: &str, ids: &BTreeSet<QuestionId>) {
    if let Some(s) = window().local_storage().ok().flatten() {
        let list: Vec<String> = ids.iter().map(|i| i.to_string()).collect();
        let _ = s.set_item(key, &list.join(","));
    }
}

#[component]
pub fn QaPanel(code: EventCode, id: SessionId, state: Memo<Option<SessionState>>) -> impl IntoView {
    let live = expect_context::<Live>();
    let me = Memo::new(move |_| live.person().map(|p| p.id));
    let settings = Memo::new(move |_| state.with(|s| s.as_ref().map(|s| s.qa.settings.clone())));
    let problem = RwSignal::new(None::<String>);
    let popular = RwSignal::new(true);
    let key = upvotes_key(&code, &id);
    let upvoted = RwSignal::new(load_upvotes(&key));
    let upvotes_key = StoredValue::new(key);

    announce_new_questions(state, me);

    // While the focus is in the list, its order holds still (new questions go at the end):
    // a list that re-sorts under a keyboard or screen-reader user moves what they are on.
    let holding = RwSignal::new(false);
    let list = NodeRef::<leptos::html::Ul>::new();
    let questions = Memo::new(move |previous: Option<&Lists>| {
        let popular = popular.get();
        let mine = me.get();
        let held = super::held(holding, list, previous.map(|p| &p.0));
        state.with(|s| {
            let Some(s) = s else {
                return (Vec::new(), Vec::new(), Vec::new());
            };
            // Mine waiting for review, or dismissed (only I see those, with the reason).
            let waiting = super::questions_where(s, |q| {
                matches!(
                    q.status,
                    QuestionStatus::Pending | QuestionStatus::Dismissed
                ) && mine.is_some()
                    && q.asker.id == mine
            });
            let answered = super::questions_where(s, |q| q.status == QuestionStatus::Answered);
            let open = super::hold_order(held, super::published(s, popular));
            (open, waiting, answered)
        })
    });
    let item = {
        let (code, id) = (code.clone(), id.clone());
        move |qid: QuestionId| {
            view! { <QuestionItem qid state upvoted upvotes_key code=code.clone() id=id.clone() problem me /> }
        }
    };
    let item2 = item.clone();
    let item3 = item.clone();

    view! {
        <section class="qa panel" aria-labelledby="qa-heading">
            <h2 id="qa-heading" tabindex="-1">{move || t("questions")}</h2>
            <AskForm code=code.clone() id=id.clone() settings problem state />
            <SortToggle popular holding />
            <Show when=move || !questions.with(|q| q.1.is_empty())>
                <h3>{move || t("your-questions-waiting")}</h3>
                <ul class="questions waiting">
                    <For each=move || questions.get().1 key=|q| *q children=item2.clone() />
                </ul>
            </Show>
            <ul
                class="questions"
                id="questions"
                node_ref=list
                on:focusin=move |_| holding.set(true)
                on:focusout=move |_| holding.set(false)
            >
                <For each=move || questions.get().0 key=|q| *q children=item.clone() />
            </ul>
            <Show when=move || questions.with(|q| q.0.is_empty())>
                <p class="empty">{move || t("no-questions-yet")}</p>
            </Show>
            <super::EarlierQuestions code=code.clone() id=id.clone() state />
            <Show when=move || !questions.with(|q| q.2.is_empty())>
                <details class="answered">
                    <summary>{move || tc("answered-count", questions.with(|q| q.2.len() as u64))}</summary>
                    <ul class="questions">
                        <For each=move || questions.get().2 key=|q| *q children=item3.clone() />
                    </ul>
                </details>
            </Show>
        </section>
    }
}

/// Announces questions that appear while the person is here (not those of the first load, nor
/// their own), without moving focus.
fn announce_new_questions(state: Memo<Option<SessionState>>, me: Memo<Option<String>>) {
    let seen = StoredValue::new(None::<BTreeSet<QuestionId>>);
    Effect::new(move || {
        let live_ids: Vec<(QuestionId, String, Option<String>)> = state.with(|s| {
            s.as_ref()
                .map(|s| {
                    s.qa.questions
                        .iter()
                        .filter(|q| q.status == QuestionStatus::Live)
                        .map(|q| (q.id, q.text.clone(), q.asker.id.clone()))
                        .collect()
                })
                .unwrap_or_default()
        });
        let mine = me.get_untracked();
        let fresh: Vec<String> = seen.with_value(|seen| match seen {
            None => Vec::new(),
            Some(seen) => live_ids
                .iter()
                .filter(|(id, _, asker)| !seen.contains(id) && (asker.is_none() || *asker != mine))
                .map(|(_, text, _)| text.clone())
                .collect(),
        });
        seen.set_value(Some(live_ids.iter().map(|(id, ..)| *id).collect()));
        if let Some(text) = fresh.last() {
            announcer().say(ta("new-question", &[("text", Arg::Str(text.clone()))]));
        }
    });
}

/// Asking: the question, what is left of its length, anonymously where the session allows it;
/// what became of it (published, or waiting for review).
#[component]
fn AskForm(
    code: EventCode,
    id: SessionId,
    settings: Memo<Option<QaSettings>>,
    problem: RwSignal<Option<String>>,
    state: Memo<Option<SessionState>>,
) -> impl IntoView {
    let live = expect_context::<Live>();
    let text = RwSignal::new(String::new());
    let anonymous = RwSignal::new(false);
    let sent = RwSignal::new(None::<&'static str>);
    // The question just sent, while its message stands: "a moderator will review" gives way to
    // what became of it.
    let just_sent = RwSignal::new(None::<QuestionId>);
    let message = move || {
        let key = sent.get()?;
        let now = just_sent
            .get()
            .and_then(|q| state.with(|s| s.as_ref().and_then(|s| s.qa.get(q)).map(|q| q.status)));
        Some(match (key, now) {
            ("question-waiting-review", Some(QuestionStatus::Live | QuestionStatus::Answered)) => {
                t("question-approved")
            }
            ("question-waiting-review", Some(QuestionStatus::Dismissed)) => t("question-not-shown"),
            (
                "question-waiting-review",
                Some(QuestionStatus::Archived | QuestionStatus::Merged | QuestionStatus::Withdrawn),
            ) => t("question-handled"),
            _ => t(key),
        })
    };
    let submit = {
        let (code, id) = (code.clone(), id.clone());
        move |ev: SubmitEvent| {
            ev.prevent_default();
            let question = text.get_untracked().trim().to_owned();
            if question.is_empty() {
                problem.set(Some(t("question-empty")));
                return;
            }
            if question.chars().count() > limits::MAX_QUESTION_CHARS {
                problem.set(Some(tc(
                    "question-too-long",
                    limits::MAX_QUESTION_CHARS as u64,
                )));
                return;
            }
            let reviewed = settings
                .get_untracked()
                .is_some_and(|s| s.moderation == Moderation::Reviewed);
            act(
                live,
                ClientMsg::Ask {
                    event: code.clone(),
                    session: id.clone(),
                    text: question,
                    // Only while the session allows it: the box may have been ticked before a
                    // moderator turned anonymous questions off (and is hidden since).
                    anonymous: anonymous.get_untracked()
                        && settings
                            .get_untracked()
                            .is_some_and(|s| s.anonymous_allowed),
                },
                problem,
                move |reply| {
                    text.set(String::new());
                    if let ServerMsg::Ok { question, .. } = reply {
                        just_sent.set(question);
                    }
                    sent.set(Some(if reviewed {
                        "question-waiting-review"
                    } else {
                        "question-published"
                    }));
                },
            );
        }
    };

    let accepting = move || settings.get().is_none_or(|s| s.accepting);
    let anonymous_allowed = move || settings.get().is_none_or(|s| s.anonymous_allowed);
    let left = move || limits::MAX_QUESTION_CHARS as i64 - text.with(|t| t.chars().count() as i64);
    view! {
            <Show
                when=accepting
                fallback=move || view! { <p class="hint">{t("questions-closed")}</p> }
            >
                <form
                    class="ask"
                    on:submit=submit.clone()
                    data-moderation=move || {
                        settings.get().map(|s| match s.moderation {
                            Moderation::Reviewed => "reviewed",
                            Moderation::Open => "open",
                        })
                    }
                >
                    <label for="ask-text">{move || t("ask-a-question")}</label>
                    <textarea
                        id="ask-text"
                        rows="3"
                        maxlength=limits::MAX_QUESTION_CHARS.to_string()
                        aria-describedby="ask-left"
                        prop:value=move || text.get()
                        on:input=move |ev| {
                            text.set(event_target_value(&ev));
                            sent.set(None);
                        }
                    ></textarea>
                    <p id="ask-left" class="hint">
                        {move || tc("characters-left", left().max(0) as u64)}
                    </p>
                    <Show when=anonymous_allowed>
                        <label class="check">
                            <input
                                type="checkbox"
                                id="ask-anonymous"
                                prop:checked=move || anonymous.get()
                                on:change=move |ev| anonymous.set(event_target_checked(&ev))
                            />
                            {move || t("ask-anonymously")}
                        </label>
                    </Show>
                    <button type="submit" class="primary" id="ask-send">
                        {move || t("send-question")}
                    </button>
                    {problem_view(problem)}
                    <p class="sent" role="status">
                        {message}
                    </p>
                </form>
            </Show>
    }
}

/// Most votes first, or newest first. Choosing lets go of a held order.
#[component]
fn SortToggle(popular: RwSignal<bool>, holding: RwSignal<bool>) -> impl IntoView {
    view! {
            <div class="sort" role="group" aria-label=move || t("sort-questions")>
                <button
                    type="button"
                    aria-pressed=move || if popular.get() { "true" } else { "false" }
                    on:click=move |_| {
                        holding.set(false);
                        popular.set(true)
                    }
                >
                    {move || t("sort-popular")}
                </button>
                <button
                    type="button"
                    aria-pressed=move || if popular.get() { "false" } else { "true" }
                    on:click=move |_| {
                        holding.set(false);
                        popular.set(false)
                    }
                >
                    {move || t("sort-recent")}
                </button>
            </div>
    }
}

#[component]
pub fn QuestionItem(
    qid: QuestionId,
    state: Memo<Option<SessionState>>,
    upvoted: RwSignal<BTreeSet<QuestionId>>,
    upvotes_key: StoredValue<String>,
    code: EventCode,
    id: SessionId,
    problem: RwSignal<Option<String>>,
    me: Memo<Option<String>>,
) -> impl IntoView {
    let live = expect_context::<Live>();
    let (question, votes) = super::question_and_votes(state, qid);
    let highlighted =
        Memo::new(move |_| state.with(|s| s.as_ref().and_then(|s| s.qa.highlighted)) == Some(qid));
    let pressed = Memo::new(move |_| upvoted.with(|u| u.contains(&qid)));
    let mine = Memo::new(move |_| {
        question
            .with(|q| q.as_ref().and_then(|q| q.asker.id.clone()))
            .is_some_and(|a| Some(a) == me.get())
    });
    let vote = {
        let (code, id) = (code.clone(), id.clone());
        move |_| {
            let up = !pressed.get_untracked();
            act(
                live,
                ClientMsg::Upvote {
                    event: code.clone(),
                    session: id.clone(),
                    question: qid,
                    up,
                },
                problem,
                move |_| {
                    // The panel may be gone by the time the answer comes.
                    upvoted.try_update(|u| {
                        if up {
                            u.insert(qid);
                        } else {
                            u.remove(&qid);
                        }
                    });
                    if let Some(ids) = upvoted.try_get_untracked() {
                        upvotes_key.try_with_value(|k| keep_upvotes(k, &ids));
                    }
                    // Sorting by votes may have moved this question, and the focus with it.
                    request_animation_frame(move || {
                        let lost = document()
                            .active_element()
                            .is_none_or(|e| e.tag_name() == "BODY");
                        let selector = format!("#questions [data-question='{qid}'] .upvote");
                        if lost && let Ok(Some(button)) = document().query_selector(&selector) {
                            let _ = button.unchecked_into::<web_sys::HtmlElement>().focus();
                        }
                    });
                },
            );
        }
    };
    let withdraw = move |_| {
        act(
            live,
            ClientMsg::WithdrawQuestion {
                event: code.clone(),
                session: id.clone(),
                question: qid,
            },
            problem,
            |_| {},
        );
    };
    // Rebuilt when the question itself changes, not when its votes are counted: the vote
    // button keeps its focus after a press.
    move || {
        let q = question.get()?;
        let who = super::asker(&q);
        let answered = q.status == QuestionStatus::Answered;
        let pending = q.status == QuestionStatus::Pending;
        let dismissed = q.status == QuestionStatus::Dismissed;
        let reason = q.dismissed_reason.clone().filter(|r| !r.is_empty());
        let text_for_label = q.text.clone();
        Some(view! {
            <li
                class="question"
                class:highlighted=move || highlighted.get()
                class:answered=answered
                data-question=qid
            >
                <p class="question-text">{q.text.clone()}</p>
                <p class="question-meta">
                    {who} " · " <time>{time::clock(q.asked_at_ms)}</time>
                    {q.edited.then(|| view! { " · " {t("edited")} })}
                    {answered.then(|| view! { " · " <span class="badge">{t("answered")}</span> })}
                    {move || highlighted.get().then(|| view! { " · " <span class="badge live">{t("on-screen")}</span> })}
                    {pending.then(|| view! { " · " <span class="badge">{t("waiting-review")}</span> })}
                    {dismissed.then(|| view! { " · " <span class="badge">{t("not-published")}</span> })}
                </p>
                {reason.map(|r| view! { <p class="reply"><span class="reply-label">{t("dismiss-reason-shown")} ": "</span>{r}</p> })}
                {q.reply.clone().map(|r| view! {
                    <p class="reply">
                        <span class="reply-label">{t("reply")} ": "</span>
                        {r.text}
                    </p>
                })}
                <div class="question-actions">
                    // Votes are for published questions (the server refuses others).
                    {(q.status == QuestionStatus::Live)
                        .then(|| view! {
                            <button
                                type="button"
                                class="upvote"
                                aria-pressed=move || if pressed.get() { "true" } else { "false" }
                                aria-label=move || ta("upvote-question", &[("text", Arg::Str(text_for_label.clone())), ("count", Arg::Count(votes.get()))])
                                on:click=vote.clone()
                            >
                                <span aria-hidden="true">"▲ "</span>
                                <span class="votes">{move || crate::i18n::number(votes.get() as f64)}</span>
                            </button>
                        })}
                    {(mine.get() && !answered && !dismissed)
                        .then(|| view! {
                            <button type="button" class="link-button" on:click=withdraw.clone()>
                                {t("withdraw")}
                            </button>
                        })}
                </div>
            </li>
        })
    }
}
