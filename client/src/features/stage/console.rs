//! The organiser's control of one session: live or paused, what is on stage, the stream delay.

use crate::api::organiser;
use crate::components::feedback::*;
use crate::features::awards::console::Awards;
use crate::i18n::{Arg, t, ta};
use crate::live::Live;
use crate::route::{Link, Route};
use crate::text;
use leptos::task::spawn_local;
use leptos::{ev::SubmitEvent, prelude::*};
use plenum_protocol::{
    ClientMsg, EventCode, OnStage, RoomId, RoomState, SessionId, StageStatus, StageUpdate, limits,
};

#[component]
pub fn SessionControl(
    code: EventCode,
    id: SessionId,
    sessions: Memo<Vec<plenum_protocol::Session>>,
    key: StoredValue<String>,
) -> impl IntoView {
    let live = expect_context::<Live>();
    let room = RoomId::Session(code.clone(), id.clone());
    live.follow(room.clone());
    {
        let room = room.clone();
        on_cleanup(move || live.unfollow(&room));
    }
    let state = Memo::new(move |_| match live.room(&room).state {
        Some(RoomState::Session(s)) => Some(s),
        _ => None,
    });
    let problem = RwSignal::new(None::<String>);
    let contributions = sessions.with_untracked(|all| {
        all.iter()
            .find(|s| s.id == id)
            .map(|s| s.contributions.clone())
            .unwrap_or_default()
    });
    let stage_text = RwSignal::new(String::new());
    let delay = RwSignal::new(String::new());
    let set_stage = {
        let (code, id) = (code.clone(), id.clone());
        StoredValue::new(move |update: StageUpdate| {
            let (code, id, key) = (code.clone(), id.clone(), key.get_value());
            spawn_local(async move {
                match organiser::set_stage(&key, &code, &id, &update).await {
                    Ok(_) => problem.set(None),
                    Err(e) => problem.set(Some(e.message())),
                }
            });
        })
    };
    let statuses = StageStatus::ALL
        .into_iter()
        .map(|s| {
            let key = text::status_key(s);
            view! {
                <button type="button" data-set-status=key
                    aria-pressed=move || if state.with(|st| st.as_ref().map(|st| st.stage.status)) == Some(s) { "true" } else { "false" }
                    on:click=move |_| set_stage.with_value(|f| f(StageUpdate { status: Some(s), on_stage: None }))>
                    {move || text::status_label(s)}
                </button>
            }
        })
        .collect_view();
    let on_stage_buttons = contributions
        .into_iter()
        .map(|c| {
            let number = c.number;
            view! {
                <li>
                    <button type="button"
                        aria-pressed=move || if state.with(|st| st.as_ref().map(|st| st.stage.on_stage.clone())) == Some(OnStage::Contribution { number }) { "true" } else { "false" }
                        on:click=move |_| set_stage.with_value(|f| f(StageUpdate { status: None, on_stage: Some(OnStage::Contribution { number }) }))>
                        {format!("{number}. {}", c.title)}
                    </button>
                </li>
            }
        })
        .collect_view();
    let stage_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let text = stage_text.get_untracked().trim().to_owned();
        let on_stage = if text.is_empty() {
            OnStage::Nothing
        } else {
            OnStage::Text { text }
        };
        set_stage.with_value(|f| {
            f(StageUpdate {
                status: None,
                on_stage: Some(on_stage),
            })
        });
    };
    let (c2, i2) = (code.clone(), id.clone());
    let delay_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let seconds: f64 = delay
            .get_untracked()
            .trim()
            .replace(',', ".")
            .parse()
            .unwrap_or(0.0);
        let delay_ms = (seconds * 1000.0)
            .round()
            .clamp(0.0, limits::MAX_STREAM_DELAY_MS as f64) as u32;
        act(
            live,
            ClientMsg::SetStreamDelay {
                event: c2.clone(),
                session: i2.clone(),
                delay_ms,
            },
            problem,
            |_| {},
        );
    };
    let (lc, li) = (code.clone(), id.clone());
    view! {
        <div class="session-control">
            <p class="links">
                <Link to=Route::Moderate(lc.clone(), li.clone())>{move || t("moderator-console")}</Link>
                " · " <Link to=Route::Speak(lc.clone(), li.clone())>{move || t("speaker-console")}</Link>
                " · " <a href=Route::Screen(lc.clone(), li.clone()).path() target="_blank">{move || t("big-screen")}</a>
            </p>
            <div class="actions" role="group" aria-label=move || t("stage-status")>{statuses}</div>
            <h3>{move || t("put-on-stage")}</h3>
            <ul class="stage-picks">
                <li>
                    <button type="button" on:click=move |_| set_stage.with_value(|f| f(StageUpdate { status: None, on_stage: Some(OnStage::Nothing) }))>{move || t("nothing-on-stage")}</button>
                </li>
                {on_stage_buttons}
            </ul>
            <form class="inline-form" on:submit=stage_submit>
                <label for="stage-text">{move || t("stage-text")}</label>
                <input id="stage-text" type="text" maxlength=limits::MAX_STAGE_TEXT_CHARS.to_string() prop:value=move || stage_text.get() on:input=move |ev| stage_text.set(event_target_value(&ev)) />
                <button type="submit">{move || t("show-text")}</button>
            </form>
            <form class="inline-form" on:submit=delay_submit>
                <label for="stream-delay">{move || t("stream-delay")}</label>
                <input id="stream-delay" type="number" min="0" max="120" step="0.5" prop:value=move || delay.get() on:input=move |ev| delay.set(event_target_value(&ev)) />
                <button type="submit">{move || t("set-delay")}</button>
                <span class="hint">{move || ta("current-delay", &[("seconds", Arg::Num(state.with(|s| s.as_ref().map_or(0, |s| s.stream_delay_ms)) as f64 / 1000.0))])}</span>
            </form>
            {problem_view(problem)}
            <super::screen_control::BigScreenPanel code=code.clone() id=id.clone() state />
            <Awards code id state />
        </div>
    }
}
