//! The moderator console: the review queue and the live list side by side, the counts at a
//! glance, the session's Q&A settings. Every action is a button, and a key on the focused
//! question: A approve, D dismiss, M mark answered, R reply, H highlight, B block, X archive,
//! J/K or the arrows to move. The server checks the moderator's role on every action.

use crate::components::feedback::*;
use crate::i18n::{Arg, t, ta, tc};
use crate::live::Live;
use crate::route::{Link, Route};
use crate::time;
use leptos::{ev::KeyboardEvent, prelude::*};
use plenum_protocol::{
    ClientMsg, EventCode, Moderate, Moderation, QaSettings, QuestionId, QuestionStatus, SessionId,
    SessionState, limits,
};
use wasm_bindgen::JsCast;

/// The review queue, the live list, the answered questions.
type Lists = (Vec<QuestionId>, Vec<QuestionId>, Vec<QuestionId>);

/// Builds a request for this session.
type MakeMsg = Box<dyn FnOnce(EventCode, SessionId) -> ClientMsg>;

impl Form {
    fn question(self) -> QuestionId {
        match self {
            Form::Dismiss(q) | Form::Reply(q) | Form::Merge(q) | Form::Block(q) => q,
        }
    }
}

/// Sends a request for this session, reporting problems on the console.
type Sender = StoredValue<Box<dyn Fn(MakeMsg, After)>, LocalStorage>;

/// The inline form open on a question: a dismissal reason, a reply, a merge target, or the
/// confirmation of blocking its asker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Dismiss(QuestionId),
    Reply(QuestionId),
    Merge(QuestionId),
    Block(QuestionId),
}

/// What the last action can be undone by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Undo {
    /// Back to the live list (after a dismissal or archiving).
    Restore(QuestionId),
    /// Allowed to ask again (after a block).
    Unblock { person: String, name: String },
}

#[component]
pub fn Console(
    code: EventCode,
    id: SessionId,
    state: Memo<Option<SessionState>>,
    title: Memo<String>,
) -> impl IntoView {
    let live = expect_context::<Live>();
    let problem = RwSignal::new(None::<String>);
    let form = RwSignal::new(None::<Form>);
    // While the focus is in a list, the live list's order holds still (see `hold_order`).
    let holding = RwSignal::new(false);
    let live_list = NodeRef::<leptos::html::Ul>::new();
    let lists = Memo::new(move |previous: Option<&Lists>| {
        let held = super::held(holding, live_list, previous.map(|p| &p.1));
        state.with(|s| {
            let Some(s) = s else {
                return (Vec::new(), Vec::new(), Vec::new());
            };
            (
                super::questions_where(s, |q| q.status == QuestionStatus::Pending),
                super::hold_order(held, super::published(s, true)),
                super::questions_where(s, |q| q.status == QuestionStatus::Answered),
            )
        })
    });
    let counts = Memo::new(move |_| state.with(|s| s.as_ref().map(|s| s.qa.counts)));

    // A new question in the queue is announced; those already waiting when the console
    // loads are not news.
    Effect::new(move |before: Option<Option<usize>>| {
        let loaded = state.with(Option::is_some);
        let n = lists.with(|l| l.0.len());
        if let Some(Some(b)) = before
            && n > b
        {
            announcer().say(tc("queue-count", n as u64));
        }
        loaded.then_some(n)
    });
    // The last action that can be undone, and the list of blocked people's freshness.
    let last = RwSignal::new(None::<(String, Undo)>);
    let blocks_changed = RwSignal::new(0u32);

    let send: Sender = {
        let (code, id) = (code.clone(), id.clone());
        StoredValue::new_local(Box::new(move |msg: MakeMsg, after: After| {
            let undo = after.undo.clone();
            let refresh = after.refresh_blocks;
            act(live, msg(code.clone(), id.clone()), problem, move |_| {
                if refresh {
                    blocks_changed.update(|n| *n += 1);
                }
                if let Some(undo) = undo {
                    last.set(Some(undo));
                }
                // Close the form of the question acted on (not another one being written).
                if let Some(owner) = after.owner {
                    form.update(|f| {
                        if f.is_some_and(|f| f.question() == owner) {
                            *f = None;
                        }
                    });
                }
                // A question that left its list hands the focus to its neighbour.
                if let Some(next) = after.focus {
                    request_animation_frame(move || {
                        if let Some(el) = document().get_element_by_id(&format!("q-{next}")) {
                            let _ = el.unchecked_into::<web_sys::HtmlElement>().focus();
                        }
                    });
                }
            });
        }))
    };
    let undo_now = move |undo: Undo| {
        let msg: MakeMsg = match undo {
            Undo::Restore(qid) => Box::new(move |event, session| ClientMsg::Moderate {
                event,
                session,
                question: qid,
                change: Moderate::Approve,
            }),
            Undo::Unblock { person, name } => {
                blocks_changed.update(|n| *n += 1);
                Box::new(move |event, _| ClientMsg::Block {
                    event,
                    person,
                    blocked: false,
                    name: (!name.is_empty()).then_some(name),
                })
            }
        };
        send.with_value(|f| {
            f(
                msg,
                After {
                    refresh_blocks: true,
                    ..After::default()
                },
            )
        });
    };
    // Blocking is event-wide: for moderators whose invitation covers every session.
    let may_block = live.person().is_some_and(|p| p.sessions.is_empty());
    let settings = Memo::new(move |_| state.with(|s| s.as_ref().map(|s| s.qa.settings.clone())));
    // Bumped when a change of settings is refused, so the boxes show the settings in force.
    let epoch = RwSignal::new(0u32);
    let set_settings = {
        let (code, id) = (code.clone(), id.clone());
        move |change: Box<dyn Fn(&mut QaSettings)>| {
            if let Some(mut s) = settings.get_untracked() {
                change(&mut s);
                act_or(
                    live,
                    ClientMsg::SetQaSettings {
                        event: code.clone(),
                        session: id.clone(),
                        settings: s,
                    },
                    problem,
                    |_| {},
                    move || epoch.update(|n| *n += 1),
                );
            }
        }
    };
    let set1 = set_settings.clone();
    let set2 = set_settings.clone();
    let set3 = set_settings;

    let item = move |qid: QuestionId| view! { <ModItem qid state send form lists /> };
    let item2 = item;
    let (back_code, back_id) = (code.clone(), id.clone());

    view! {
        <nav class="crumbs" aria-label=move || t("back")>
            <Link to=Route::Session(back_code.clone(), back_id.clone())>{move || t("back-to-session")}</Link>
        </nav>
        <h1>{move || ta("moderating", &[("title", Arg::Str(title.get()))])}</h1>
        <dl class="counts" aria-label=move || t("counts")>
            <div><dt>{move || t("count-waiting")}</dt><dd id="count-waiting">{move || lists.with(|l| l.0.len())}</dd></div>
            <div><dt>{move || t("count-live")}</dt><dd id="count-live">{move || lists.with(|l| l.1.len())}</dd></div>
            <div><dt>{move || t("count-answered")}</dt><dd>{move || lists.with(|l| l.2.len())}</dd></div>
            <div><dt>{move || t("count-dismissed")}</dt><dd>{move || counts.get().map_or(0, |c| c.dismissed)}</dd></div>
        </dl>
        <fieldset
            class="settings"
            data-moderation=move || {
                settings.get().map(|s| match s.moderation {
                    Moderation::Reviewed => "reviewed",
                    Moderation::Open => "open",
                })
            }
        >
            <legend>{move || t("qa-settings")}</legend>
            <label class="check">
                <input type="checkbox" id="setting-review" disabled=move || settings.with(Option::is_none)
                    prop:checked=move || { epoch.track(); settings.get() }.is_some_and(|s| s.moderation == Moderation::Reviewed)
                    on:change=move |ev| { let on = event_target_checked(&ev); set1(Box::new(move |s| s.moderation = if on { Moderation::Reviewed } else { Moderation::Open })) }
                />
                {move || t("setting-review")}
            </label>
            <label class="check">
                <input type="checkbox" disabled=move || settings.with(Option::is_none)
                    prop:checked=move || { epoch.track(); settings.get() }.is_some_and(|s| s.anonymous_allowed)
                    on:change=move |ev| { let on = event_target_checked(&ev); set2(Box::new(move |s| s.anonymous_allowed = on)) }
                />
                {move || t("setting-anonymous")}
            </label>
            <label class="check">
                <input type="checkbox" disabled=move || settings.with(Option::is_none)
                    prop:checked=move || { epoch.track(); settings.get() }.is_some_and(|s| s.accepting)
                    on:change=move |ev| { let on = event_target_checked(&ev); set3(Box::new(move |s| s.accepting = on)) }
                />
                {move || t("setting-accepting")}
            </label>
        </fieldset>
        {problem_view(problem)}
        {move || last.get().map(|(text, undo)| view! {
            <p class="undo-bar" role="status">
                {text} " "
                <button type="button" class="undo" on:click=move |_| {
                    last.set(None);
                    undo_now(undo.clone());
                }>{t("undo")}</button>
            </p>
        })}
        <p class="hint keys">{move || t("moderator-keys")}</p>
        <div class="columns">
            <section class="panel" aria-labelledby="queue-heading">
                <h2 id="queue-heading">{move || tc("review-queue", lists.with(|l| l.0.len() as u64))}</h2>
                <ul class="questions mod-list" id="review-queue">
                    <For each=move || lists.get().0 key=|q| *q children=item />
                </ul>
                <Show when=move || lists.with(|l| l.0.is_empty())>
                    <p class="empty">{move || t("queue-empty")}</p>
                </Show>
            </section>
            <section class="panel" aria-labelledby="live-heading">
                <h2 id="live-heading">{move || tc("live-list", lists.with(|l| l.1.len() as u64))}</h2>
                <ul
                    class="questions mod-list"
                    id="live-list"
                    node_ref=live_list
                    on:focusin=move |_| holding.set(true)
                    on:focusout=move |_| holding.set(false)
                >
                    <For each=move || lists.get().1 key=|q| *q children=item2 />
                </ul>
                <Show when=move || lists.with(|l| l.1.is_empty())>
                    <p class="empty">{move || t("no-questions-yet")}</p>
                </Show>
                <super::EarlierQuestions code=code.clone() id=id.clone() state />
            </section>
        </div>
        <Handled state send />
        {may_block.then(|| view! { <BlockedPeople code=code.clone() send changed=blocks_changed /> })}
    }
}

/// The questions a moderator has handled, by what became of them, each restorable to the live
/// list (but a merged one, whose votes went to another).
#[component]
fn Handled(state: Memo<Option<SessionState>>, send: Sender) -> impl IntoView {
    const KINDS: [(QuestionStatus, &str); 4] = [
        (QuestionStatus::Answered, "count-answered"),
        (QuestionStatus::Dismissed, "count-dismissed"),
        (QuestionStatus::Archived, "count-archived"),
        (QuestionStatus::Merged, "count-merged"),
    ];
    let restore = move |qid: QuestionId| {
        send.with_value(|f| {
            f(
                Box::new(move |event, session| ClientMsg::Moderate {
                    event,
                    session,
                    question: qid,
                    change: Moderate::Approve,
                }),
                // Back in the live list, where the focus follows it.
                After {
                    focus: Some(qid),
                    ..After::default()
                },
            )
        })
    };
    let lists = KINDS
        .into_iter()
        .map(|(status, key)| {
            let items = Memo::new(move |_| {
                state.with(|s| {
                    s.as_ref()
                        .map(|s| {
                            s.qa.questions
                                .iter()
                                .filter(|q| q.status == status)
                                .map(|q| (q.id, q.text.clone(), q.dismissed_reason.clone(), q.merged_into))
                                .collect::<Vec<_>>()
                        })
                        .unwrap_or_default()
                })
            });
            let name = format!("{status:?}").to_lowercase();
            view! {
                <details class="handled-list" data-status=name>
                    <summary>{move || t(key)} " (" {move || items.with(Vec::len)} ")"</summary>
                    <ul class="questions">
                        {move || items.get().into_iter().map(|(qid, text, reason, into)| view! {
                            <li class="question">
                                <p class="question-text">{text}</p>
                                {reason.map(|r| view! { <p class="question-meta">{t("dismiss-reason")} ": " {r}</p> })}
                                {into.map(|i| view! { <p class="question-meta">{ta("merged-into-number", &[("number", Arg::Str(i.to_string()))])}</p> })}
                                {(status != QuestionStatus::Merged).then(|| view! {
                                    <button type="button" class="restore" on:click=move |_| restore(qid)>{t("restore")}</button>
                                })}
                            </li>
                        }).collect_view()}
                    </ul>
                </details>
            }
        })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="handled-heading">
            <h2 id="handled-heading">{move || t("handled-questions")}</h2>
            {lists}
        </section>
    }
}

/// Everyone blocked from asking at the event, each with "Allow again".
#[component]
fn BlockedPeople(code: EventCode, send: Sender, changed: RwSignal<u32>) -> impl IntoView {
    let key = crate::components::exports::staff_credential(&code);
    let people = LocalResource::new(move || {
        changed.track();
        let (key, code) = (key.clone(), code.clone());
        async move { crate::api::organiser::blocked(&key, &code).await }
    });
    let unblock = move |person: String, name: Option<String>| {
        send.with_value(|f| {
            f(
                Box::new(move |event, _| ClientMsg::Block {
                    event,
                    person,
                    blocked: false,
                    name,
                }),
                After {
                    refresh_blocks: true,
                    ..After::default()
                },
            )
        });
    };
    view! {
        <section class="panel" aria-labelledby="blocked-heading">
            <h2 id="blocked-heading">{move || t("blocked-people")}</h2>
            {move || match people.get() {
                None => view! { <p class="hint">{t("loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error">{e.message()}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="empty">{t("nobody-blocked")}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="blocked-list">
                        {list.into_iter().map(|b| {
                            let shown = b.name.clone().unwrap_or_else(|| t("anonymous"));
                            let label = ta("unblock-person", &[("name", Arg::Str(shown.clone()))]);
                            view! {
                                <li>
                                    <span>{shown}</span> " "
                                    <button type="button" class="unblock" aria-label=label
                                        on:click=move |_| unblock(b.person.clone(), b.name.clone())>{t("unblock")}</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

/// What to do once a request about a question succeeded.
#[derive(Debug, Clone, Default)]
pub struct After {
    /// Close this question's form.
    owner: Option<QuestionId>,
    /// Move the focus to this question (the acted-on one left its list).
    focus: Option<QuestionId>,
    /// What was done, and how to undo it.
    undo: Option<(String, Undo)>,
    /// Ask for the list of blocked people again.
    refresh_blocks: bool,
}

#[component]
pub fn ModItem(
    qid: QuestionId,
    state: Memo<Option<SessionState>>,
    send: Sender,
    form: RwSignal<Option<Form>>,
    lists: Memo<Lists>,
) -> impl IntoView {
    let (question, votes) = super::question_and_votes(state, qid);
    let highlighted =
        Memo::new(move |_| state.with(|s| s.as_ref().and_then(|s| s.qa.highlighted)) == Some(qid));
    // This question's open form: rebuilt when it opens, closes or changes kind, not when
    // another question's form does (which would empty what the moderator is typing here).
    let open = Memo::new(move |_| form.get().filter(|f| f.question() == qid));
    // Blocking is event-wide: for moderators whose invitation covers every session.
    let live = expect_context::<Live>();
    let may_block = Memo::new(move |_| live.person().is_some_and(|p| p.sessions.is_empty()));
    let run = move |m: Moderate| {
        // Every action but a reply takes the question out of the list it is in.
        let leaves = !matches!(m, Moderate::Reply { .. });
        let text: String = question
            .with_untracked(|q| q.as_ref().map(|q| q.text.chars().take(60).collect()))
            .unwrap_or_default();
        // Undone by restoring to the live list: offered for a question that was live (one
        // waiting for review would be published by it, not put back in the queue).
        let was_live =
            question.with_untracked(|q| q.as_ref().map(|q| q.status)) == Some(QuestionStatus::Live);
        let done = |key: &str| {
            was_live.then(|| {
                (
                    ta(key, &[("text", Arg::Str(text.clone()))]),
                    Undo::Restore(qid),
                )
            })
        };
        let undo = match &m {
            Moderate::Dismiss { .. } => done("dismissed-question"),
            Moderate::Archive => done("archived-question"),
            Moderate::Answer => done("answered-question"),
            _ => None,
        };
        let after = After {
            owner: Some(qid),
            focus: leaves.then(|| neighbour(qid, lists)).flatten(),
            undo,
            refresh_blocks: false,
        };
        send.with_value(|f| {
            f(
                Box::new(move |event, session| ClientMsg::Moderate {
                    event,
                    session,
                    question: qid,
                    change: m,
                }),
                after,
            )
        })
    };
    let highlight = move || {
        let on = highlighted.get_untracked();
        send.with_value(|f| {
            f(
                Box::new(move |event, session| ClientMsg::Highlight {
                    event,
                    session,
                    question: (!on).then_some(qid),
                }),
                After::default(),
            )
        })
    };
    let block = move || {
        let Some(q) = question.get_untracked() else {
            return;
        };
        let Some(person) = q.asker.id.clone() else {
            return;
        };
        let name = q.asker.name.clone().unwrap_or_default();
        let shown = if name.is_empty() {
            t("anonymous")
        } else {
            name.clone()
        };
        let undo = Some((
            ta("blocked-person", &[("name", Arg::Str(shown))]),
            Undo::Unblock {
                person: person.clone(),
                name: name.clone(),
            },
        ));
        send.with_value(|f| {
            f(
                Box::new(move |event, _| ClientMsg::Block {
                    event,
                    person,
                    blocked: true,
                    name: (!name.is_empty()).then_some(name),
                }),
                After {
                    owner: Some(qid),
                    // The question stays; the focus goes back to it from the closed form.
                    focus: Some(qid),
                    undo,
                    refresh_blocks: true,
                },
            )
        })
    };
    let open_form = move |f: Form| {
        form.set(Some(f));
        focus_later(format!("form-{qid}"));
    };
    let keys = move |ev: KeyboardEvent| {
        // Only keys pressed on the question itself, not while typing in its form.
        let on_item = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
            .is_some_and(|el| el.class_list().contains("mod-question"));
        if !on_item || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let status = question.with_untracked(|q| q.as_ref().map(|q| q.status));
        let pending = status == Some(QuestionStatus::Pending);
        let mut handled = true;
        match ev.key().as_str() {
            "a" if pending => run(Moderate::Approve),
            "d" => open_form(Form::Dismiss(qid)),
            "m" if !pending => run(Moderate::Answer),
            "r" => open_form(Form::Reply(qid)),
            "h" if !pending => highlight(),
            // Blocking asks first: one stray key must not silence someone.
            "b" if may_block.get_untracked() => open_form(Form::Block(qid)),
            "x" => run(Moderate::Archive),
            "j" | "ArrowDown" => move_focus(qid, 1, lists),
            "k" | "ArrowUp" => move_focus(qid, -1, lists),
            _ => handled = false,
        }
        if handled {
            ev.prevent_default();
        }
    };
    // Rebuilt when the question itself changes, not when its votes are counted: the focused
    // question keeps its focus while people vote.
    move || {
        let q = question.get()?;
        let pending = q.status == QuestionStatus::Pending;
        let who = match (&q.asker.name, q.anonymous) {
            (Some(name), false) => name.clone(),
            (Some(name), true) => ta("anonymous-to-audience", &[("name", Arg::Str(name.clone()))]),
            _ => t("anonymous"),
        };
        let form_view = move || {
            let f = open.get()?;
            Some(
                view! { <ActionForm qid kind=f form state run=Callback::new(run) block=Callback::new(move |_| block()) /> },
            )
        };
        let label = ta(
            "question-by",
            &[
                ("text", Arg::Str(q.text.clone())),
                ("name", Arg::Str(who.clone())),
            ],
        );
        Some(view! {
            <li class="question mod-question" class:highlighted=move || highlighted.get()
                tabindex="0" id=format!("q-{qid}") data-question=qid aria-label=label on:keydown=keys>
                <p class="question-text">{q.text.clone()}</p>
                <p class="question-meta">
                    {who} " · " <time>{time::clock(q.asked_at_ms)}</time> " · " {move || tc("votes", votes.get())}
                    {(!q.merged.is_empty()).then(|| view! { " · " {tc("merged-count", q.merged.len() as u64)} })}
                </p>
                {q.reply.clone().map(|r| view! { <p class="reply"><span class="reply-label">{t("reply")} ": "</span>{r.text}</p> })}
                <div class="question-actions">
                    {pending.then(|| view! {
                        <button type="button" class="primary approve" on:click=move |_| run(Moderate::Approve)>{t("approve")} <kbd aria-hidden="true">"A"</kbd></button>
                    })}
                    <button type="button" class="dismiss" on:click=move |_| open_form(Form::Dismiss(qid))>{t("dismiss")} <kbd aria-hidden="true">"D"</kbd></button>
                    {(!pending).then(|| view! {
                        <button type="button" on:click=move |_| run(Moderate::Answer)>{t("mark-answered")} <kbd aria-hidden="true">"M"</kbd></button>
                        <button type="button" class="highlight" aria-pressed=move || if highlighted.get() { "true" } else { "false" } on:click=move |_| highlight()>{t("highlight")} <kbd aria-hidden="true">"H"</kbd></button>
                    })}
                    <button type="button" on:click=move |_| open_form(Form::Reply(qid))>{t("reply")} <kbd aria-hidden="true">"R"</kbd></button>
                    <button type="button" on:click=move |_| open_form(Form::Merge(qid))>{t("merge")}</button>
                    {(q.asker.id.is_some() && may_block.get_untracked()).then(|| view! {
                        <button type="button" class="danger block" on:click=move |_| open_form(Form::Block(qid))>{t("block")} <kbd aria-hidden="true">"B"</kbd></button>
                    })}
                    <button type="button" on:click=move |_| run(Moderate::Archive)>{t("archive")} <kbd aria-hidden="true">"X"</kbd></button>
                </div>
                {form_view}
            </li>
        })
    }
}

/// Focuses the element with this id once the page has drawn it.
fn focus_later(id: String) {
    request_animation_frame(move || {
        if let Some(el) = document().get_element_by_id(&id) {
            let _ = el.unchecked_into::<web_sys::HtmlElement>().focus();
        }
    });
}

/// The form a question action needs (a dismissal's reason, a reply, the question to merge
/// into), under its question. Built afresh each time it opens; closing it gives the focus back
/// to the question.
#[component]
fn ActionForm(
    qid: QuestionId,
    kind: Form,
    form: RwSignal<Option<Form>>,
    state: Memo<Option<SessionState>>,
    run: Callback<Moderate>,
    block: Callback<()>,
) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let merge_into = RwSignal::new(None::<QuestionId>);
    let local_problem = RwSignal::new(None::<String>);
    let close_form = move || {
        form.set(None);
        focus_later(format!("q-{qid}"));
    };
    let submit_now = move || {
        let value = text.get_untracked().trim().to_owned();
        match kind {
            Form::Dismiss(_) if value.is_empty() => local_problem.set(Some(t("give-a-reason"))),
            Form::Dismiss(_) => {
                local_problem.set(None);
                run.run(Moderate::Dismiss { reason: value })
            }
            Form::Reply(_) if !value.is_empty() => run.run(Moderate::Reply { text: value }),
            Form::Merge(_) => {
                if let Some(into) = merge_into.get_untracked() {
                    run.run(Moderate::Merge { into });
                }
            }
            Form::Block(_) => block.run(()),
            _ => {}
        }
    };
    let submit_form = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submit_now();
    };
    // Escape closes the form from any of its fields.
    let escape = move |ev: KeyboardEvent| {
        if ev.key() == "Escape" {
            close_form();
        }
    };
    // Read once when the form opens: a list rebuilt on every vote would lose the choice.
    let others = move || -> Vec<(QuestionId, String)> {
        state.with_untracked(|s| {
            s.as_ref()
                .map(|s| {
                    s.qa.questions
                        .iter()
                        .filter(|o| o.id != qid && o.status == QuestionStatus::Live)
                        .map(|o| (o.id, o.text.chars().take(80).collect()))
                        .collect()
                })
                .unwrap_or_default()
        })
    };
    let (label, max) = match kind {
        Form::Dismiss(_) => (t("dismiss-reason"), limits::MAX_REPLY_CHARS),
        Form::Reply(_) => (t("reply-text"), limits::MAX_REPLY_CHARS),
        Form::Merge(_) => (t("merge-into"), 0),
        Form::Block(_) => (t("block"), 0),
    };
    let field_id = format!("form-{qid}");
    let asker = state.with_untracked(|s| {
        s.as_ref()
            .and_then(|s| s.qa.get(qid))
            .and_then(|q| q.asker.name.clone())
            .unwrap_or_else(|| t("anonymous"))
    });
    let field = if matches!(kind, Form::Block(_)) {
        view! { <p class="confirm-text">{ta("block-confirm", &[("name", Arg::Str(asker))])}</p> }
            .into_any()
    } else if matches!(kind, Form::Merge(_)) {
        let options = others()
            .into_iter()
            .map(|(id, text)| view! { <option value=id.to_string()>{text}</option> })
            .collect_view();
        view! {
            <select id=field_id.clone() prop:value=move || merge_into.get().map(|q| q.to_string()).unwrap_or_default() on:change=move |ev| merge_into.set(event_target_value(&ev).parse().ok())>
                <option value="">{t("choose")}</option>
                {options}
            </select>
        }
        .into_any()
    } else {
        view! {
            <textarea id=field_id.clone() rows="2" maxlength=max.to_string()
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
                on:keydown=move |ev: KeyboardEvent| {
                    // Enter confirms; Shift+Enter starts a new line.
                    if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
                        ev.prevent_default();
                        submit_now();
                    }
                }
            ></textarea>
        }
        .into_any()
    };
    let is_block = matches!(kind, Form::Block(_));
    // The confirmation of a block has no field: its button takes the focus.
    let confirm_id = is_block.then(|| field_id.clone());
    view! {
        <form class="inline-form" on:submit=submit_form on:keydown=escape>
            {(!is_block).then(|| view! { <label for=field_id.clone()>{label}</label> })}
            {field}
            <button type="submit" class="primary" id=confirm_id>{if is_block { t("block") } else { t("confirm") }}</button>
            {problem_view(local_problem)}
            <button type="button" on:click=move |_| close_form()>{t("cancel")}</button>
        </form>
    }
}

/// The question after this one across both lists (or before it, for the last).
pub fn neighbour(qid: QuestionId, lists: Memo<Lists>) -> Option<QuestionId> {
    let all: Vec<QuestionId> =
        lists.with_untracked(|l| l.0.iter().chain(l.1.iter()).copied().collect());
    let pos = all.iter().position(|q| *q == qid)?;
    all.get(pos + 1)
        .or_else(|| pos.checked_sub(1).and_then(|p| all.get(p)))
        .copied()
}

/// Moves focus to the next (or previous) question across both lists.
pub fn move_focus(from: QuestionId, step: i32, lists: Memo<Lists>) {
    let all: Vec<QuestionId> =
        lists.with_untracked(|l| l.0.iter().chain(l.1.iter()).copied().collect());
    let Some(pos) = all.iter().position(|q| *q == from) else {
        return;
    };
    let next = pos as i32 + step;
    if next < 0 || next as usize >= all.len() {
        return;
    }
    if let Some(el) = document().get_element_by_id(&format!("q-{}", all[next as usize])) {
        let _ = el.unchecked_into::<web_sys::HtmlElement>().focus();
    }
}
