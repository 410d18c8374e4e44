//! Control of a session's big screen from the consoles: what it shows now, "show on the big
//! screen" on each poll, quiz and award vote, and "clear" back to the stage. The screen itself
//! follows the room's `screen` (see `pages::screen`); these send `present`.

use crate::components::feedback::*;
use crate::i18n::{Arg, t, ta};
use crate::live::Live;
use crate::route::Route;
use leptos::prelude::*;
use plenum_protocol::{ClientMsg, EventCode, ScreenShows, SessionId, SessionState};

/// The request that puts something on the session's big screen (or the stage back on it);
/// a refusal shows in `problem`.
pub fn presenter(
    code: EventCode,
    id: SessionId,
    problem: RwSignal<Option<String>>,
) -> StoredValue<impl Fn(ScreenShows) + Send + Sync + 'static> {
    let live = expect_context::<Live>();
    StoredValue::new(move |screen: ScreenShows| {
        act(
            live,
            ClientMsg::Present {
                event: code.clone(),
                session: id.clone(),
                screen,
            },
            problem,
            |_| {},
        );
    })
}

/// "Show on the big screen", pressed while it is there.
pub fn present_button<F: Fn(ScreenShows) + Send + Sync + 'static>(
    show: ScreenShows,
    state: Memo<Option<SessionState>>,
    present: StoredValue<F>,
) -> impl IntoView + use<F> {
    let on = Memo::new(move |_| state.with(|s| s.as_ref().is_some_and(|s| s.screen == show)));
    view! {
        <button type="button" class="present" aria-pressed=move || if on.get() { "true" } else { "false" }
            on:click=move |_| present.with_value(|f| f(show))>
            {move || if on.get() { t("on-big-screen") } else { t("show-on-big-screen") }}
        </button>
    }
}

/// What the big screen shows now, in words.
fn describe(s: &SessionState) -> String {
    let named = |key: &str, title: String| ta(key, &[("title", Arg::Str(title))]);
    match s.screen {
        ScreenShows::Stage => t("screen-shows-stage"),
        ScreenShows::Poll { id } => named(
            "screen-shows-poll",
            s.poll(id).map(|p| p.question.clone()).unwrap_or_default(),
        ),
        ScreenShows::Quiz { id } => named(
            "screen-shows-quiz",
            s.quiz(id).map(|q| q.title.clone()).unwrap_or_default(),
        ),
        ScreenShows::Award { id } => named(
            "screen-shows-award",
            s.award(id).map(|a| a.title.clone()).unwrap_or_default(),
        ),
        ScreenShows::Question { id } => named(
            "screen-shows-question",
            s.qa.get(id).map(|q| q.text.clone()).unwrap_or_default(),
        ),
    }
}

/// The big screen's panel on a console: what it shows, clear, and a link to open it.
#[component]
pub fn BigScreenPanel(
    code: EventCode,
    id: SessionId,
    state: Memo<Option<SessionState>>,
) -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    let screen_path = Route::Screen(code.clone(), id.clone()).path();
    // The room's screen, which follows whichever of its sessions is live (where the event's
    // agenda is at hand and names the session's track or room).
    let room_screen = use_context::<crate::pages::EventData>().map(|crate::pages::EventData(info)| {
        let (code, id) = (code.clone(), id.clone());
        move || {
            let track = info
                .get()
                .and_then(|r| r.ok())
                .and_then(|e| e.agenda.sessions.into_iter().find(|s| s.id == id))
                .and_then(|s| s.track)?;
            let path = format!(
                "{}?track={}",
                Route::TrackScreen(code.clone()).path(),
                js_sys::encode_uri_component(&track)
            );
            Some(view! {
                <a href=path target="_blank">{ta("open-room-screen", &[("track", Arg::Str(track))])}</a>
            })
        }
    });
    let present = presenter(code, id, problem);
    let showing = move || state.with(|s| s.as_ref().map(describe).unwrap_or_default());
    let on_stage = Memo::new(move |_| {
        state.with(|s| s.as_ref().is_none_or(|s| s.screen == ScreenShows::Stage))
    });
    view! {
        <section class="panel big-screen-panel" aria-labelledby="big-screen-heading">
            <h2 id="big-screen-heading">{move || t("big-screen")}</h2>
            <p id="screen-now" aria-live="polite">{showing}</p>
            <div class="actions">
                <button type="button" class="clear-screen" prop:disabled=move || on_stage.get()
                    on:click=move |_| present.with_value(|f| f(ScreenShows::Stage))>
                    {move || t("clear-big-screen")}
                </button>
                <a href=screen_path target="_blank">{move || t("open-big-screen")}</a>
                {room_screen}
            </div>
            {problem_view(problem)}
        </section>
    }
}
