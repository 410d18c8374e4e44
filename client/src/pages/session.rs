//! A session: its details, its numbered programme and its live stage (status, what is on
//! stage now, how many people are here), updated as the organisers change it.

use leptos::prelude::*;
use plenum_protocol::{
    Contribution, EventCode, EventInfo, OnStage, RoomId, RoomState, Session, SessionId, StageState,
};

use super::{EventData, agenda_unavailable};
use crate::live::{Live, Room};
use crate::route::{Link, Route};
use crate::text;

#[component]
pub fn SessionPage(code: EventCode, id: SessionId) -> impl IntoView {
    let live = expect_context::<Live>();
    let EventData(info) = expect_context();

    let room = RoomId::Session(code.clone(), id.clone());
    live.follow(room.clone());
    {
        let room = room.clone();
        on_cleanup(move || live.unfollow(&room));
    }
    let here = Memo::new(move |_| live.room(&room));

    move || match info.get() {
        Some(Ok(event)) => session_view(code.clone(), &id, event, here).into_any(),
        Some(Err(failure)) => agenda_unavailable(info, Some(failure)),
        None => agenda_unavailable(info, None),
    }
}

fn session_view(code: EventCode, id: &SessionId, event: EventInfo, here: Memo<Room>) -> AnyView {
    let Some(session) = event.agenda.sessions.into_iter().find(|s| &s.id == id) else {
        return view! {
            <h1>"No such session"</h1>
            <p>
                "This event has no session “" {id.to_string()} "”. "
                <Link to=Route::Event(code)>"See the agenda"</Link>
            </p>
        }
        .into_any();
    };
    let day = event.agenda.days.iter().find(|d| d.number == session.day);
    let when = match day {
        Some(day) => format!(
            "{} · {}–{}",
            text::date(&day.date),
            session.start,
            session.end
        ),
        None => format!("{}–{}", session.start, session.end),
    };
    let Session {
        title,
        kind,
        track,
        location,
        language,
        description,
        stream_url,
        materials,
        moderator,
        contributions,
        ..
    } = session;
    let meta = [
        Some(text::kind_label(kind).to_owned()),
        track,
        location,
        language.as_ref().map(|l| format!("Language: {l}")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");

    let stage = Memo::new(move |_| here.with(|r| r.state.as_ref().and_then(session_stage)));
    let on_stage_number = Memo::new(move |_| match stage.get().map(|s| s.on_stage) {
        Some(OnStage::Contribution { number }) => Some(number),
        _ => None,
    });
    let programme = StoredValue::new(contributions);

    let stage_now = move || match (here.with(|r| r.missing), stage.get()) {
        (true, _) => {
            view! { <p class="stage-waiting">"This session has no live stage."</p> }.into_any()
        }
        (false, None) => {
            view! { <p class="stage-waiting">"Waiting for the live stage…"</p> }.into_any()
        }
        (false, Some(stage)) => programme
            .with_value(|programme| stage_view(stage, programme))
            .into_any(),
    };
    let presence = move || {
        here.with(|r| r.present).map(|count| {
            view! {
                <p class="presence">
                    <span class="count">{count}</span>
                    " here now"
                </p>
            }
        })
    };
    let items = programme.with_value(|programme| {
        programme
            .iter()
            .map(|c| {
                let number = c.number;
                let is_on = move || on_stage_number.get() == Some(number);
                view! {
                    <li
                        class="contribution"
                        class:on-stage=is_on
                        aria-current=move || is_on().then_some("true")
                        value=number.to_string()
                    >
                        <p class="contribution-title">{format!("{number}. {}", c.title)}</p>
                        {(!c.speakers.is_empty())
                            .then(|| {
                                view! {
                                    <ul class="speakers">
                                        {c
                                            .speakers
                                            .iter()
                                            .map(|p| view! { <li>{text::person(p)}</li> })
                                            .collect_view()}
                                    </ul>
                                }
                            })}
                    </li>
                }
            })
            .collect_view()
    });
    let has_programme = programme.with_value(|p| !p.is_empty());
    let stream = stream_url.as_deref().and_then(text::safe_href);
    let materials: Vec<(String, String)> = materials
        .into_iter()
        .filter_map(|m| text::safe_href(&m.url).map(|href| (m.title, href)))
        .collect();

    view! {
        <nav class="crumbs" aria-label="Back">
            <Link to=Route::Event(code)>"← Agenda"</Link>
        </nav>
        <article class="session-page">
            // Screen readers pronounce the title and description in the session's language.
            <h1 lang=language.clone()>{title}</h1>
            <p class="meta">{when}</p>
            <p class="meta">{meta}</p>
            <section class="stage" aria-labelledby="stage-heading">
                <h2 id="stage-heading">"On stage"</h2>
                <div class="stage-now" aria-live="polite" aria-atomic="true">
                    {stage_now}
                </div>
                {presence}
            </section>
            {stream
                .map(|href| {
                    view! {
                        <p>
                            <a class="button" href=href target="_blank" rel="noopener noreferrer">
                                "Watch the stream"
                            </a>
                        </p>
                    }
                })}
            {description.map(|d| view! { <p class="description" lang=language>{d}</p> })}
            {moderator.map(|m| view! { <p class="people">"Moderator: " {text::person(&m)}</p> })}
            {has_programme
                .then(|| {
                    view! {
                        <section aria-labelledby="programme-heading">
                            <h2 id="programme-heading">"Programme"</h2>
                            <ol class="contributions">{items}</ol>
                        </section>
                    }
                })}
            {(!materials.is_empty())
                .then(|| {
                    view! {
                        <section aria-labelledby="materials-heading">
                            <h2 id="materials-heading">"Materials"</h2>
                            <ul class="materials">
                                {materials
                                    .into_iter()
                                    .map(|(title, href)| {
                                        view! {
                                            <li>
                                                <a href=href target="_blank" rel="noopener noreferrer">
                                                    {title}
                                                </a>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        </section>
                    }
                })}
        </article>
    }
    .into_any()
}

fn session_stage(state: &RoomState) -> Option<StageState> {
    match state {
        RoomState::Session(s) => Some(s.stage.clone()),
        RoomState::Event(_) => None,
    }
}

/// The status and what is on stage. `#stage-status[data-status]` and `#on-stage` are stable
/// hooks for tests and the big-screen styles.
fn stage_view(stage: StageState, programme: &[Contribution]) -> impl IntoView + use<> {
    let key = text::status_key(stage.status);
    let now = match stage.on_stage {
        OnStage::Nothing => None,
        OnStage::Contribution { number } => {
            Some(match programme.iter().find(|c| c.number == number) {
                Some(c) => {
                    let speakers = text::names(&c.speakers);
                    view! {
                    <p class="on-stage-title">{format!("{number}. {}", c.title)}</p>
                    {(!speakers.is_empty()).then(|| view! { <p class="on-stage-people">{speakers}</p> })}
                }
                .into_any()
                }
                None => view! { <p class="on-stage-title">{format!("Contribution {number}")}</p> }
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
                {text::status_label(stage.status)}
            </span>
        </p>
        <div id="on-stage" data-kind=kind>{now}</div>
    }
}
