//! The stage: what a session's audience sees of it (status, what is on, who speaks), and the
//! organiser's control of it ([`console`], staff build), and the big screen's control from every
//! console ([`screen_control`], staff build).

#[cfg(feature = "staff")]
pub mod console;
#[cfg(feature = "staff")]
pub mod screen_control;

use crate::i18n::{Arg, ta};
use crate::text;
use leptos::prelude::*;
use plenum_protocol::{Contribution, OnStage, StageState};

pub fn session_stage(state: &plenum_protocol::RoomState) -> Option<StageState> {
    match state {
        plenum_protocol::RoomState::Session(s) => Some(s.stage.clone()),
        plenum_protocol::RoomState::Event(_)
        | plenum_protocol::RoomState::Inbox(_)
        | plenum_protocol::RoomState::Booth(_) => None,
    }
}

/// The status and what is on stage. `#stage-status[data-status]` and `#on-stage` are stable
/// hooks for tests and the big-screen styles.
pub fn stage_view(stage: StageState, programme: &[Contribution]) -> impl IntoView + use<> {
    let key = text::status_key(stage.status);
    let status = stage.status;
    let now = match stage.on_stage {
        OnStage::Nothing => None,
        OnStage::Contribution { number } => {
            Some(match programme.iter().find(|c| c.number == number) {
                Some(c) => {
                    let speakers = text::names(&c.speakers);
                    view! {
                        <p class="on-stage-title">{format!("{number}. {}", c.title)}</p>
                        {(!speakers.is_empty())
                            .then(|| view! { <p class="on-stage-people">{speakers}</p> })}
                    }
                    .into_any()
                }
                None => view! {
                    <p class="on-stage-title">
                        {move || ta("contribution-number", &[("number", Arg::Str(number.to_string()))])}
                    </p>
                }
                .into_any(),
            })
        }
        OnStage::Text { text } => Some(view! { <p class="on-stage-text">{text}</p> }.into_any()),
    };
    let kind = if now.is_some() {
        "something"
    } else {
        "nothing"
    };
    view! {
        <p class="status-line">
            <span id="stage-status" class=format!("status status-{key}") data-status=key>
                {move || text::status_label(status)}
            </span>
        </p>
        <div id="on-stage" data-kind=kind>
            {now}
        </div>
    }
}
