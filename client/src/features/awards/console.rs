//! The organiser's award votes: create, open, close, reveal the places one by one.

use crate::components::{feedback::*, follow::*};
use crate::features::stage::screen_control::{present_button, presenter};
use crate::i18n::{t, tc};
use crate::live::Live;
use leptos::{ev::SubmitEvent, prelude::*};
use plenum_protocol::{
    AwardDraft, AwardStatus, AwardStep, AwardVoters, Candidate, ClientMsg, EventCode, ScreenShows,
    SessionId,
};

#[component]
pub fn Awards(
    code: EventCode,
    id: SessionId,
    state: Memo<Option<plenum_protocol::SessionState>>,
) -> impl IntoView {
    let live = expect_context::<Live>();
    let problem = RwSignal::new(None::<String>);
    let title = RwSignal::new(String::new());
    let candidates = RwSignal::new(String::new());
    let registered = RwSignal::new(false);
    let (c1, i1) = (code.clone(), id.clone());
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let list = candidates
            .get_untracked()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| match l.split_once(" - ") {
                Some((name, org)) => Candidate {
                    name: name.trim().to_owned(),
                    organisation: Some(org.trim().to_owned()),
                },
                None => Candidate {
                    name: l.to_owned(),
                    organisation: None,
                },
            })
            .collect();
        let award = AwardDraft {
            title: title.get_untracked().trim().to_owned(),
            candidates: list,
            voters: if registered.get_untracked() {
                AwardVoters::Registered
            } else {
                AwardVoters::Everyone
            },
        };
        act(
            live,
            ClientMsg::CreateAward {
                event: c1.clone(),
                session: i1.clone(),
                award,
            },
            problem,
            move |_| {
                title.set(String::new());
                candidates.set(String::new());
            },
        );
    };
    let present = presenter(code.clone(), id.clone(), problem);
    let step = StoredValue::new(move |award: u64, step: AwardStep| {
        act(
            live,
            ClientMsg::RunAward {
                event: code.clone(),
                session: id.clone(),
                award,
                step,
            },
            problem,
            |_| {},
        );
    });
    let ids = ids_of(state, |s| s.awards.iter().map(|a| a.id).collect());
    view! {
        <h3>{move || t("award-votes")}</h3>
        <For each=move || ids.get() key=|a| *a children=move |aid| view! { <AwardControl aid state step present /> } />
        <form class="stack" on:submit=submit>
            <label for="award-title">{move || t("award-title")}</label>
            <input id="award-title" type="text" required prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev)) />
            <label for="award-candidates">{move || t("award-candidates")}</label>
            <textarea id="award-candidates" rows="4" aria-describedby="award-candidates-hint" prop:value=move || candidates.get() on:input=move |ev| candidates.set(event_target_value(&ev))></textarea>
            <p id="award-candidates-hint" class="hint">{move || t("award-candidates-hint")}</p>
            <label class="check">
                <input type="checkbox" prop:checked=move || registered.get() on:change=move |ev| registered.set(event_target_checked(&ev)) />
                {move || t("award-registered-only")}
            </label>
            <button type="submit" id="create-award">{move || t("create-award")}</button>
            {problem_view(problem)}
        </form>
    }
}

/// One award vote's controls: rebuilt when it moves on; the ballot count changes in place.
#[component]
pub fn AwardControl(
    aid: u64,
    state: Memo<Option<plenum_protocol::SessionState>>,
    step: StoredValue<impl Fn(u64, AwardStep) + Send + Sync + 'static>,
    present: StoredValue<impl Fn(ScreenShows) + Send + Sync + 'static>,
) -> impl IntoView {
    let data = Memo::new(move |_| state.with(|s| s.as_ref().and_then(|s| s.award(aid).cloned())));
    let stage = Memo::new(move |_| {
        data.with(|a| {
            a.as_ref()
                .map(|a| (a.status, a.revealed.len(), a.digest.clone()))
        })
    });
    let ballots = move || data.with(|a| a.as_ref().map_or(0, |a| a.ballots));
    move || {
        stage.get()?;
        let a = data.get_untracked()?;
        // Staged reveals show the top three (fewer with fewer candidates); "all" shows the rest.
        let staged_done = a.revealed.len() >= a.candidates.len().min(3);
        let all_revealed = a.revealed.len() >= a.candidates.len();
        Some(view! {
            <article class="card">
                <h4>{a.title.clone()}</h4>
                <p class="poll-meta">{match a.status { AwardStatus::Draft => t("poll-draft"), AwardStatus::Open => t("poll-open"), AwardStatus::Closed => t("poll-closed") }} " · " {move || tc("ballots-count", ballots())}</p>
                <div class="actions">
                    {(a.status != AwardStatus::Draft).then(|| present_button(ScreenShows::Award { id: aid }, state, present))}
                    {(a.status == AwardStatus::Draft).then(|| view! { <button type="button" class="primary award-open" on:click=move |_| step.with_value(|f| f(aid, AwardStep::Open))>{t("open-voting")}</button> })}
                    {(a.status == AwardStatus::Open).then(|| view! { <button type="button" class="award-close" on:click=move |_| step.with_value(|f| f(aid, AwardStep::Close))>{t("close-voting")}</button> })}
                    {(a.status == AwardStatus::Closed && !staged_done).then(|| view! {
                        <button type="button" class="primary award-reveal-next" on:click=move |_| step.with_value(|f| f(aid, AwardStep::RevealNext))>{t("reveal-next")}</button>
                    })}
                    {(a.status == AwardStatus::Closed && !all_revealed).then(|| view! {
                        <button type="button" class="award-reveal-all" on:click=move |_| step.with_value(|f| f(aid, AwardStep::RevealAll))>{t("reveal-all")}</button>
                    })}
                </div>
                {crate::features::awards::results::award_placings(&a)}
                {a.digest.clone().map(|d| view! { <p class="hint">{t("ballot-digest")} " " <code>{d}</code></p> })}
            </article>
        })
    }
}
