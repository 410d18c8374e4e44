//! A session as the audience sees it: the stage (status, what is on, who speaks), the stream,
//! the open poll, quiz question or award vote, Q&A, the programme and the materials. Links to
//! the consoles appear for the people whose role opens them.

use leptos::prelude::*;
use plenum_protocol::{
    Contribution, EventCode, EventInfo, OnStage, Role, Session, SessionId, StageState,
};

use super::{EventData, agenda_unavailable, follow_session, interact, qa};
use crate::i18n::{Arg, t, ta};
use crate::live::Room;
use crate::route::{Link, Route};
use crate::text;

#[component]
pub fn SessionPage(code: EventCode, id: SessionId) -> impl IntoView {
    let EventData(info) = expect_context();
    let (live, state, here) = follow_session(&code, &id);
    let title = super::session_title(&id);
    super::page_title(move || title.get());

    let session_code = code.clone();
    let session_id = id.clone();
    let page = move || match info.get() {
        Some(Ok(event)) => session_view(session_code.clone(), &session_id, event, here).into_any(),
        Some(Err(failure)) => agenda_unavailable(info, Some(failure)),
        None => agenda_unavailable(info, None),
    };
    let person_role = move || live.person().map(|p| p.role);
    let consoles = {
        let (code, id) = (code.clone(), id.clone());
        move || {
            let role = person_role()?;
            let moderate = matches!(role, Role::Moderator | Role::Organiser);
            let speak = role != Role::Attendee;
            Some(view! {
                <nav class="consoles" aria-label=move || t("consoles")>
                    {moderate
                        .then(|| {
                            view! {
                                <Link to=Route::Moderate(code.clone(), id.clone())>
                                    {move || t("moderator-console")}
                                </Link>
                            }
                        })}
                    {speak
                        .then(|| {
                            view! {
                                <Link to=Route::Speak(code.clone(), id.clone())>
                                    {move || t("speaker-console")}
                                </Link>
                                <a href=Route::Screen(code.clone(), id.clone()).path() target="_blank">
                                    {move || t("big-screen")}
                                </a>
                            }
                        })}
                </nav>
            })
        }
    };
    view! {
        {consoles}
        {page}
        <div class="session-live">
            <interact::Interact code=code.clone() id=id.clone() state />
            <qa::QaPanel code id state />
        </div>
    }
}

fn session_view(code: EventCode, id: &SessionId, event: EventInfo, here: Memo<Room>) -> AnyView {
    let day = event.agenda.days.iter().find(|d| {
        event
            .agenda
            .sessions
            .iter()
            .any(|s| &s.id == id && s.day == d.number)
    });
    let date = day.map(|d| d.date.clone());
    let Some(session) = event.agenda.sessions.into_iter().find(|s| &s.id == id) else {
        let id = id.to_string();
        return view! {
            <h1>{move || t("no-such-session")}</h1>
            <p>
                {move || ta("no-such-session-text", &[("id", Arg::Str(id.clone()))])} " "
                <Link to=Route::Event(code)>{move || t("see-agenda")}</Link>
            </p>
        }
        .into_any();
    };
    let when = {
        let (start, end) = (session.start.clone(), session.end.clone());
        let zone = event.time_zone.clone();
        move || match &date {
            Some(date) => format!("{} · {start}–{end} ({zone})", crate::time::long_date(date)),
            None => format!("{start}–{end}"),
        }
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
    let spoken = language.clone();
    let meta = move || {
        [
            Some(text::kind_label(kind)),
            track.clone(),
            location.clone(),
            spoken
                .as_ref()
                .map(|l| ta("language-named", &[("language", Arg::Str(l.clone()))])),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ")
    };

    let stage = Memo::new(move |_| here.with(|r| r.state.as_ref().and_then(session_stage)));
    let on_stage_number = Memo::new(move |_| match stage.get().map(|s| s.on_stage) {
        Some(OnStage::Contribution { number }) => Some(number),
        _ => None,
    });
    let programme = StoredValue::new(contributions);

    let missing = Memo::new(move |_| here.with(|r| r.missing));
    let stage_now = move || match (missing.get(), stage.get()) {
        (true, _) => view! { <p class="stage-waiting">{t("no-live-stage")}</p> }.into_any(),
        (false, None) => view! { <p class="stage-waiting">{t("waiting-for-stage")}</p> }.into_any(),
        (false, Some(stage)) => programme
            .with_value(|programme| stage_view(stage, programme))
            .into_any(),
    };
    let presence = move || {
        here.with(|r| r.present).map(|count| {
            view! { <p class="presence">{crate::i18n::tc("here-now", count)}</p> }
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
    let embed = stream_url.as_deref().and_then(text::embed_url);
    let stream = stream_url.as_deref().and_then(text::safe_href);
    let materials: Vec<(String, String)> = materials
        .into_iter()
        .filter_map(|m| text::safe_href(&m.url).map(|href| (m.title, href)))
        .collect();
    let stream_title = title.clone();

    view! {
        <nav class="crumbs" aria-label=move || t("back")>
            <Link to=Route::Event(code)>{move || t("back-to-agenda")}</Link>
        </nav>
        <article class="session-page">
            // Screen readers pronounce the title and description in the session's language.
            <h1 lang=language.clone()>{title}</h1>
            <p class="meta">{when}</p>
            <p class="meta">{meta}</p>
            <section class="stage" aria-labelledby="stage-heading">
                <h2 id="stage-heading">{move || t("on-stage")}</h2>
                <div class="stage-now" aria-live="polite" aria-atomic="true">
                    {stage_now}
                </div>
                {presence}
            </section>
            {embed
                .map(|src| {
                    view! {
                        <div class="stream">
                            <iframe
                                src=src
                                title=move || {
                                    ta("stream-of", &[("title", Arg::Str(stream_title.clone()))])
                                }
                                allow="autoplay; fullscreen; picture-in-picture"
                                allowfullscreen
                                referrerpolicy="strict-origin-when-cross-origin"
                            ></iframe>
                        </div>
                    }
                })}
            {stream
                .map(|href| {
                    view! {
                        <p>
                            <a class="button" href=href target="_blank" rel="noopener noreferrer">
                                {move || t("watch-stream")}
                            </a>
                        </p>
                    }
                })}
            {description.map(|d| view! { <p class="description" lang=language>{d}</p> })}
            {moderator
                .map(|m| {
                    view! {
                        <p class="people">
                            {move || {
                                ta("moderator-named", &[("name", Arg::Str(text::person(&m)))])
                            }}
                        </p>
                    }
                })}
            {has_programme
                .then(|| {
                    view! {
                        <section aria-labelledby="programme-heading">
                            <h2 id="programme-heading">{move || t("programme")}</h2>
                            <ol class="contributions">{items}</ol>
                        </section>
                    }
                })}
            {(!materials.is_empty())
                .then(|| {
                    view! {
                        <section aria-labelledby="materials-heading">
                            <h2 id="materials-heading">{move || t("materials")}</h2>
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

fn session_stage(state: &plenum_protocol::RoomState) -> Option<StageState> {
    match state {
        plenum_protocol::RoomState::Session(s) => Some(s.stage.clone()),
        plenum_protocol::RoomState::Event(_) | plenum_protocol::RoomState::Inbox(_) => None,
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
