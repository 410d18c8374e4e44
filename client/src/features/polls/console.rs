//! The speaker's polls: a builder for every kind (visibility, timer), and open, close, reveal,
//! delete a draft, approve open-text answers; results and participation live.

use crate::components::feedback::*;
use crate::features::stage::screen_control::{present_button, presenter};
use crate::i18n::{Arg, t, ta, tc};
use crate::live::{Live, Room};
use leptos::{ev::SubmitEvent, prelude::*};
use plenum_protocol::{
    ClientMsg, EventCode, Poll, PollDraft, PollId, PollKind, PollResults, PollStatus, PollStep,
    ResultsVisibility, Role, ScreenShows, SessionId, SessionState, limits,
};

pub fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A poll to write again in the builder: a draft to edit (with its id), or any poll to
/// duplicate (without). Provided by the speaker console.
#[derive(Clone, Copy)]
pub struct Prefill(pub RwSignal<Option<(Option<PollId>, PollDraft)>>);

/// What a poll was written as, to write it again.
fn draft_of(p: &Poll) -> PollDraft {
    PollDraft {
        question: p.question.clone(),
        kind: p.kind.clone(),
        visibility: p.visibility,
        duration_s: p.duration_s,
    }
}

#[component]
pub fn PollBuilder(code: EventCode, id: SessionId) -> impl IntoView {
    let live = expect_context::<Live>();
    // The draft being edited, if any (else a new poll is made).
    let editing = RwSignal::new(None::<PollId>);
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
    // A poll to edit or duplicate fills the form, which takes the focus.
    if let Some(Prefill(prefill)) = use_context::<Prefill>() {
        Effect::new(move |_| {
            let Some((edit, d)) = prefill.get() else {
                return;
            };
            prefill.set(None);
            question.set(d.question.clone());
            let (k, opts) = match &d.kind {
                PollKind::Single { options } => ("single", options.join("\n")),
                PollKind::Multiple { options, max: m } => {
                    max.set(*m);
                    ("multiple", options.join("\n"))
                }
                PollKind::Rating { scale: sc } => {
                    scale.set(*sc);
                    ("rating", String::new())
                }
                PollKind::WordCloud => ("word_cloud", String::new()),
                PollKind::OpenText { moderated: m } => {
                    moderated.set(*m);
                    ("open_text", String::new())
                }
                PollKind::Ranking { options } => ("ranking", options.join("\n")),
            };
            kind.set(k.to_owned());
            options.set(opts);
            visibility.set(
                match d.visibility {
                    ResultsVisibility::Live => "live",
                    ResultsVisibility::OnReveal => "on_reveal",
                    ResultsVisibility::Never => "never",
                }
                .to_owned(),
            );
            duration.set(d.duration_s.map(|s| s.to_string()).unwrap_or_default());
            editing.set(edit);
            created.set(false);
            request_animation_frame(|| {
                if let Some(el) = document().get_element_by_id("poll-question") {
                    let el: web_sys::HtmlElement = wasm_bindgen::JsCast::unchecked_into(el);
                    let _ = el.focus();
                }
            });
        });
    }
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
        let msg = match editing.get_untracked() {
            Some(poll) => ClientMsg::EditPoll {
                event: code.clone(),
                session: id.clone(),
                poll,
                draft,
            },
            None => ClientMsg::CreatePoll {
                event: code.clone(),
                session: id.clone(),
                poll: draft,
            },
        };
        act(live, msg, problem, move |_| {
            question.set(String::new());
            options.set(String::new());
            editing.set(None);
            created.set(true);
        });
    };
    view! {
        <section class="panel" aria-labelledby="new-poll-heading">
            <h2 id="new-poll-heading">{move || t("new-poll")}</h2>
            <form class="stack" on:submit=submit>
                <label for="poll-question">{move || t("poll-question")}</label>
                <input id="poll-question" type="text" maxlength=limits::MAX_QUESTION_CHARS.to_string() required
                    prop:value=move || question.get() on:input=move |ev| { question.set(event_target_value(&ev)); created.set(false) } />
                <label for="poll-kind">{move || t("poll-kind")}</label>
                <select id="poll-kind" prop:value=move || kind.get() on:change=move |ev| kind.set(event_target_value(&ev))>
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
                <select id="poll-visibility" prop:value=move || visibility.get() on:change=move |ev| visibility.set(event_target_value(&ev))>
                    <option value="live" selected>{move || t("visibility-live")}</option>
                    <option value="on_reveal">{move || t("visibility-on-reveal")}</option>
                    <option value="never">{move || t("visibility-never")}</option>
                </select>
                <label for="poll-duration">{move || t("poll-duration")}</label>
                <input id="poll-duration" type="number" min="0" max=limits::MAX_POLL_SECONDS.to_string()
                    prop:value=move || duration.get() on:input=move |ev| duration.set(event_target_value(&ev)) />
                {move || editing.get().map(|_| view! { <p class="hint" id="editing-poll">{t("editing-draft")}</p> })}
                <button type="submit" class="primary" id="create-poll">
                    {move || if editing.get().is_some() { t("save-draft") } else { t("create-poll") }}
                </button>
                {move || editing.get().map(|_| view! {
                    <button type="button" on:click=move |_| {
                        editing.set(None);
                        question.set(String::new());
                        options.set(String::new());
                    }>{t("cancel")}</button>
                })}
                {problem_view(problem)}
                <p role="status" class="sent">{move || created.get().then(|| t("poll-created"))}</p>
            </form>
        </section>
    }
}

#[component]
pub fn PollList(
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
pub fn PollControl(
    poll: u64,
    code: EventCode,
    id: SessionId,
    state: Memo<Option<SessionState>>,
    here: Memo<Room>,
) -> impl IntoView {
    let live = expect_context::<Live>();
    let data = Memo::new(move |_| state.with(|s| s.as_ref().and_then(|s| s.poll(poll).cloned())));
    let problem = RwSignal::new(None::<String>);
    let present = presenter(code.clone(), id.clone(), problem);
    // Edit a draft, or duplicate any poll, in the builder.
    let builder = use_context::<Prefill>();
    let prefill = move |edit: Option<PollId>| {
        // The poll as it is now (a draft edited since this card was drawn too).
        if let (Some(Prefill(p)), Some(d)) =
            (builder, data.with_untracked(|p| p.as_ref().map(draft_of)))
        {
            p.set(Some((edit, d)));
        }
    };
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
        let ballots = data.with(|p| p.as_ref().map_or(0, |p| p.ballots));
        // People who answered and left make "3 answered of 2 here": then only the count.
        let present = here
            .with(|r| r.present)
            .filter(|p| *p >= ballots)
            .unwrap_or(0);
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
                .map(|p| view! { <div class="results">{crate::features::polls::results::poll_results(p)}</div> })
        })
    };
    let moderation = move || {
        let texts = data.with(|p| match p.as_ref().map(|p| (&p.kind, &p.results)) {
            Some((
                PollKind::OpenText { moderated: true },
                Some(PollResults::Texts { answers, .. }),
            )) => answers.clone(),
            _ => Vec::new(),
        });
        // The session's moderators and speakers show answers (the server checks it too).
        let moderates = live
            .person()
            .is_some_and(|p| matches!(p.role, Role::Moderator | Role::Speaker | Role::Organiser));
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
                // A draft's question changes when it is edited.
                <h3>{move || data.with(|p| p.as_ref().map(|p| p.question.clone()))}</h3>
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
                    {(status != PollStatus::Draft).then(|| present_button(ScreenShows::Poll { id: poll }, state, present))}
                    {(status == PollStatus::Draft).then(|| view! {
                        <button type="button" class="edit-poll" on:click=move |_| prefill(Some(poll))>{t("edit")}</button>
                    })}
                    <button type="button" class="duplicate-poll" on:click=move |_| prefill(None)>{t("duplicate")}</button>
                </div>
                {problem_view(problem)}
                {results_view}
                {moderation}
            </article>
        })
    }
}
