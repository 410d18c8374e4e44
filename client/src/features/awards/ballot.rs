//! An award vote as the audience casts it: the candidates, a receipt kept by the browser.

use crate::components::feedback::*;
use crate::i18n::{t, tc};
use crate::live::Live;
use leptos::{ev::SubmitEvent, prelude::*};
use plenum_protocol::{
    Award, AwardStatus, ClientMsg, EventCode, ServerMsg, SessionId, SessionState,
};

pub fn receipt_key(code: &EventCode, id: &SessionId, award: u64) -> String {
    format!("plenum.receipt.{code}.{id}.{award}")
}

#[component]
pub fn AwardCard(
    award: u64,
    code: EventCode,
    id: SessionId,
    state: Memo<Option<SessionState>>,
) -> impl IntoView {
    let live = expect_context::<Live>();
    let data = Memo::new(move |_| state.with(|s| s.as_ref().and_then(|s| s.award(award).cloned())));
    let problem = RwSignal::new(None::<String>);
    let key = receipt_key(&code, &id, award);
    let storage = window().local_storage().ok().flatten();
    let receipt = RwSignal::new(
        storage
            .as_ref()
            .and_then(|s| s.get_item(&key).ok().flatten()),
    );
    let chosen = RwSignal::new(None::<u32>);
    let cast = StoredValue::new(move |candidate: u32| {
        let key = key.clone();
        act(
            live,
            ClientMsg::CastAward {
                event: code.clone(),
                session: id.clone(),
                award,
                candidate,
            },
            problem,
            move |reply| {
                if let ServerMsg::Ok {
                    receipt: Some(r), ..
                } = reply
                {
                    if let Some(s) = window().local_storage().ok().flatten() {
                        let _ = s.set_item(&key, &r);
                    }
                    receipt.set(Some(r));
                }
            },
        );
    });
    // Rebuilt when the vote opens, closes or reveals a place; the ballot count alone only
    // changes its own text, so a focused choice keeps its focus.
    let stage = Memo::new(move |_| data.with(|a| a.as_ref().map(|a| (a.status, a.revealed.len()))));
    let ballots = move || data.with(|a| a.as_ref().map_or(0, |a| a.ballots));
    move || {
        stage.get()?;
        let a: Award = data.get_untracked()?;
        let heading_id = format!("award-{award}");
        let labelled_by = heading_id.clone();
        let open = a.status == AwardStatus::Open;
        let cands = a.candidates.clone();
        let submit = move |ev: SubmitEvent| {
            ev.prevent_default();
            if let Some(c) = chosen.get_untracked() {
                cast.with_value(|f| f(c));
            }
        };
        Some(view! {
            <article class="award card" aria-labelledby=labelled_by>
                <h3 id=heading_id>{a.title.clone()}</h3>
                <p class="poll-meta">{move || tc("ballots-count", ballots())}</p>
                <p class="sent" role="status">{move || receipt.get().map(|_| t("vote-counted"))}</p>
                {move || match (open, receipt.get()) {
                    (true, None) => view! {
                        <form class="ballot" on:submit=submit>
                            <fieldset>
                                <legend>{t("award-choose")}</legend>
                                {candidate_inputs(&cands, chosen, award)}
                            </fieldset>
                            <p class="hint">{t("award-secret")}</p>
                            <button type="submit" class="primary" disabled=move || chosen.get().is_none()>
                                {t("cast-vote")}
                            </button>
                        </form>
                    }.into_any(),
                    (_, Some(r)) => view! {
                        <p class="receipt">{t("your-receipt")} " " <code>{r}</code></p>
                    }.into_any(),
                    (false, None) => view! { <p class="hint">{t("voting-closed")}</p> }.into_any(),
                }}
                {(!a.revealed.is_empty()).then(|| crate::features::awards::results::award_placings(&a))}
                {problem_view(problem)}
            </article>
        })
    }
}

pub fn candidate_inputs(
    candidates: &[plenum_protocol::Candidate],
    chosen: RwSignal<Option<u32>>,
    award: u64,
) -> AnyView {
    candidates
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let i = i as u32;
            let label = match &c.organisation {
                Some(o) => format!("{} · {o}", c.name),
                None => c.name.clone(),
            };
            view! {
                <label class="choice">
                    <input
                        type="radio"
                        name=format!("award-{award}")
                        prop:checked=move || chosen.get() == Some(i)
                        on:change=move |_| chosen.set(Some(i))
                    />
                    {label}
                </label>
            }
        })
        .collect_view()
        .into_any()
}
