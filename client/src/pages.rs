//! The screens. [`App`] picks one from the route:
//! - [`join`]     — `/`, and an event's pages before joining it: the join form (and invitations).
//! - [`agenda`]   — `/e/{CODE}`: days, parallel tracks, live now and next, a personal agenda.
//! - [`session`]  — `/e/{CODE}/s/{ID}`: a session's stage, stream, Q&A, polls, quiz and awards.
//! - [`moderate`] — `/e/{CODE}/s/{ID}/moderate`: the moderator console.
//! - [`speak`]    — `/e/{CODE}/s/{ID}/speak`: the speaker console (polls and quizzes).
//! - [`screen`]   — `/e/{CODE}/s/{ID}/screen`: the big screen in the room.
//! - [`organise`] — `/organise`, `/organise/{CODE}`: events, agenda, invitations, the live stage.
//!
//! The consoles, the big screen and the organiser's pages are in the staff build only (cargo
//! feature `staff`): attendees' phones do not download them. In the attendee build their
//! routes load the page again, and `boot.js` starts the staff build for them. The same for
//! the one-to-one meetings page and the exhibition (feature `meet`): their own build, for the
//! people who meet.
//!
//! Pages are thin: they compose the widgets of `crate::features` (one folder per interaction)
//! and `crate::components` for a route. An event's screens share one [`EventShell`]: moving
//! between them keeps the live connection and the fetched agenda.

mod agenda;
#[cfg(feature = "organise")]
mod agenda_editor;
#[cfg(feature = "organise")]
mod badges;
pub mod join;
#[cfg(feature = "staff")]
mod moderate;
#[cfg(feature = "organise")]
mod organise;
#[cfg(feature = "organise")]
mod participants;
#[cfg(feature = "organise")]
mod report;
#[cfg(feature = "organise")]
mod retention;
#[cfg(feature = "staff")]
mod screen;
mod session;
#[cfg(feature = "staff")]
mod speak;
#[cfg(feature = "organise")]
mod team;

use leptos::prelude::*;
use plenum_protocol::{EventCode, EventInfo, RoomId, RoomState, SessionId};

use crate::api::{self, ApiFailure, saved};
use crate::components::{clock::*, feedback::*, follow::*, status::*};
use crate::i18n::{LanguageSwitch, t};
use crate::live::{Credential, Live};
use crate::route::{Link, Route, Router, use_router};
use crate::time;

/// Bumped when the join form keeps a new token, so an event's page that was showing the form
/// shows the event instead. (localStorage itself is not reactive.)
#[derive(Clone, Copy)]
pub(crate) struct Joined(pub(crate) RwSignal<u32>);

/// The event and its agenda, fetched once per event and refetched when the organisers edit it.
#[derive(Clone, Copy)]
pub(crate) struct EventData(pub(crate) LocalResource<Result<EventInfo, ApiFailure>>);

/// What `App` shows: changes only when the event changes, not between an event's pages.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Screen {
    Join,
    Event(EventCode),
    Organise,
    OrganiseEvent(EventCode),
    Report(EventCode),
    Badges(EventCode),
    NotFound,
}

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    crate::i18n::start();
    follow_sign_out();
    let router = Router::start();
    provide_context(router);
    provide_context(Joined(RwSignal::new(0)));
    let said = RwSignal::new(String::new());
    provide_context(Announcer::new(said));

    let screen = Memo::new(move |_| match router.route() {
        Route::Home => Screen::Join,
        Route::NotFound => Screen::NotFound,
        Route::Organise => Screen::Organise,
        Route::OrganiseEvent(code) => Screen::OrganiseEvent(code),
        Route::Report(code) => Screen::Report(code),
        Route::Badges(code) => Screen::Badges(code),
        route => route
            .event()
            .cloned()
            .map_or(Screen::NotFound, Screen::Event),
    });

    // After navigating, move focus to the new screen, as a page load would: keyboard and
    // screen-reader users start reading it from the top.
    Effect::new(move |first_done: Option<()>| {
        router.route();
        if first_done.is_some() {
            request_animation_frame(|| {
                if let Some(main) = document().get_element_by_id("main") {
                    let _ =
                        wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(main).focus();
                }
            });
        }
    });

    view! {
        <a class="skip-link" href="#main">
            {move || t("skip-to-content")}
        </a>
        <main id="main" tabindex="-1">
            {move || match screen.get() {
                Screen::Join => view! { <join::JoinPage code=None /> }.into_any(),
                Screen::Event(code) => view! { <EventGate code /> }.into_any(),
                Screen::Organise => organise_page(),
                Screen::OrganiseEvent(code) => organise_event_page(code),
                Screen::Report(code) => report_page(code),
                Screen::Badges(code) => badges_page(code),
                Screen::NotFound => view! { <NotFound /> }.into_any(),
            }}
        </main>
        <div class="visually-hidden" aria-live="polite" id="announcer">
            {move || said.get()}
        </div>
    }
}

/// An event's pages: the event itself once joined, else the join form with its code filled in.
/// The big screen joins by itself (anonymously): nobody types on it.
#[component]
fn EventGate(code: EventCode) -> impl IntoView {
    let Joined(joined) = expect_context();
    let router = use_router();
    let has_token = {
        let code = code.clone();
        Memo::new(move |_| {
            joined.track();
            saved::token(&code).is_some() || saved::organiser_key().is_some()
        })
    };
    let on_screen = Memo::new(move |_| {
        matches!(
            router.route(),
            Route::Screen(..) | Route::TrackScreen(..) | Route::MeetingsScreen(..)
        )
    });
    let invited =
        crate::i18n::query_param(&window().location().search().unwrap_or_default(), "invite");
    move || {
        if invited.is_none() && (has_token.get() || on_screen.get()) {
            view! { <EventShell code=code.clone() /> }.into_any()
        } else {
            view! { <join::JoinPage code=Some(code.clone()) /> }.into_any()
        }
    }
}

/// What every page of a joined event has: the live connection, the agenda, the header with
/// the connection's state, and the newest announcement.
#[component]
fn EventShell(code: EventCode) -> impl IntoView {
    let router = use_router();
    let credential = match saved::organiser_key() {
        Some(key) => Credential::Organiser(key),
        None => Credential::Event,
    };
    let live = Live::start(code.clone(), credential);
    provide_context(live);
    let event_room = RoomId::Event(code.clone());
    live.follow(event_room.clone());
    crate::features::inbox::follow(live, code.clone());

    let info = {
        let code = code.clone();
        LocalResource::new(move || api::event_info(code.clone()))
    };
    provide_context(EventData(info));

    // The event room tells when the agenda was edited; fetch it again then.
    let agenda_version = {
        let room = event_room.clone();
        Memo::new(move |_| match live.room(&room).state {
            Some(RoomState::Event(event)) => Some(event.agenda_version),
            _ => None,
        })
    };
    Effect::new(move || {
        let Some(live_version) = agenda_version.get() else {
            return;
        };
        let loaded = info
            .get_untracked()
            .and_then(|r| r.ok())
            .map(|e| e.agenda_version);
        if loaded.is_some_and(|loaded| loaded < live_version) {
            info.refetch();
        }
    });

    let route = Memo::new(move |_| router.route());
    let on_screen = Memo::new(move |_| {
        matches!(
            route.get(),
            Route::Screen(..) | Route::TrackScreen(..) | Route::MeetingsScreen(..)
        )
    });
    let header_code = code.to_string();
    let body_code = code.clone();
    view! {
        <Show when=move || !on_screen.get()>
            <header class="bar">
                <Link to=Route::Home class="brand">
                    "Plenum"
                </Link>
                <span class="event-code" aria-label=move || t("event-code")>
                    {header_code.clone()}
                </span>
                <RoleBadge live />
                <LanguageSwitch />
                <ConnectionStatus live />
            </header>
            <Announcements live room=event_room.clone() />
            <crate::features::inbox::Inbox live code=code.clone() />
            <crate::features::meetings::Waiting live code=code.clone() />
            <crate::features::exhibition::ExhibitionLink live code=code.clone() />
        </Show>
        {move || {
            let code = body_code.clone();
            match route.get() {
                Route::Session(_, id) => view! { <session::SessionPage code id /> }.into_any(),
                Route::Moderate(_, id) => moderate_page(code, id),
                Route::Speak(_, id) => speak_page(code, id),
                Route::Screen(_, id) => screen_page(code, id),
                Route::TrackScreen(_) => track_screen_page(code),
                Route::Meetings(_) => meetings_page(code),
                Route::MeetingsScreen(_) => meetings_screen_page(code),
                Route::Exhibition(_) => exhibition_page(code),
                Route::Booth(_, booth) => booth_page(code, booth),
                _ => view! { <agenda::AgendaPage code /> }.into_any(),
            }
        }}
    }
}

#[cfg(feature = "organise")]
fn organise_page() -> AnyView {
    view! { <organise::OrganisePage /> }.into_any()
}
#[cfg(feature = "organise")]
fn organise_event_page(code: EventCode) -> AnyView {
    view! { <organise::OrganiseEventPage code /> }.into_any()
}
#[cfg(feature = "organise")]
fn report_page(code: EventCode) -> AnyView {
    view! { <report::ReportPage code /> }.into_any()
}
#[cfg(feature = "organise")]
fn badges_page(code: EventCode) -> AnyView {
    view! { <badges::BadgesPage code /> }.into_any()
}
#[cfg(feature = "staff")]
fn moderate_page(code: EventCode, id: SessionId) -> AnyView {
    view! { <moderate::ModeratePage code id /> }.into_any()
}
#[cfg(feature = "staff")]
fn speak_page(code: EventCode, id: SessionId) -> AnyView {
    view! { <speak::SpeakPage code id /> }.into_any()
}
#[cfg(feature = "staff")]
fn screen_page(code: EventCode, id: SessionId) -> AnyView {
    view! { <screen::ScreenPage code id /> }.into_any()
}
#[cfg(feature = "staff")]
fn track_screen_page(code: EventCode) -> AnyView {
    view! { <screen::TrackScreenPage code /> }.into_any()
}
#[cfg(feature = "meet")]
fn meetings_page(code: EventCode) -> AnyView {
    view! { <crate::features::meetings::MeetingsPage code /> }.into_any()
}
#[cfg(not(feature = "meet"))]
fn meetings_page(_: EventCode) -> AnyView {
    load_staff_build()
}
#[cfg(feature = "meet")]
fn exhibition_page(code: EventCode) -> AnyView {
    view! { <crate::features::exhibition::HallPage code /> }.into_any()
}
#[cfg(not(feature = "meet"))]
fn exhibition_page(_: EventCode) -> AnyView {
    load_staff_build()
}
#[cfg(feature = "meet")]
fn booth_page(code: EventCode, booth: plenum_protocol::BoothId) -> AnyView {
    view! { <crate::features::exhibition::BoothPage code booth /> }.into_any()
}
#[cfg(not(feature = "meet"))]
fn booth_page(_: EventCode, _: plenum_protocol::BoothId) -> AnyView {
    load_staff_build()
}
#[cfg(feature = "staff")]
fn meetings_screen_page(code: EventCode) -> AnyView {
    view! { <crate::features::meetings::screen::MeetingsScreen code /> }.into_any()
}

#[cfg(not(feature = "organise"))]
fn organise_page() -> AnyView {
    load_staff_build()
}
#[cfg(not(feature = "organise"))]
fn organise_event_page(_: EventCode) -> AnyView {
    load_staff_build()
}
#[cfg(not(feature = "organise"))]
fn report_page(_: EventCode) -> AnyView {
    load_staff_build()
}
#[cfg(not(feature = "organise"))]
fn badges_page(_: EventCode) -> AnyView {
    load_staff_build()
}
#[cfg(not(feature = "staff"))]
fn moderate_page(_: EventCode, _: SessionId) -> AnyView {
    load_staff_build()
}
#[cfg(not(feature = "staff"))]
fn speak_page(_: EventCode, _: SessionId) -> AnyView {
    load_staff_build()
}
#[cfg(not(feature = "staff"))]
fn screen_page(_: EventCode, _: SessionId) -> AnyView {
    load_staff_build()
}
#[cfg(not(feature = "staff"))]
fn track_screen_page(_: EventCode) -> AnyView {
    load_staff_build()
}
#[cfg(not(feature = "staff"))]
fn meetings_screen_page(_: EventCode) -> AnyView {
    load_staff_build()
}

/// A screen of another build reached in this one (a link followed in the page): load the
/// address again, and `boot.js` starts the build it needs (staff, organise or meet).
#[cfg(not(feature = "organise"))]
fn load_staff_build() -> AnyView {
    let _ = window().location().reload();
    view! {
        <p class="loading" role="status">
            {move || t("loading")}
        </p>
    }
    .into_any()
}

/// Signing out in one tab signs out the organiser's pages in the others: each starts again
/// without the sign-in. (Event pages find out at their next connection.)
pub fn follow_sign_out() {
    let listener = window_event_listener(leptos::ev::storage, |e: web_sys::StorageEvent| {
        let organising = window()
            .location()
            .pathname()
            .is_ok_and(|p| p.trim_start_matches('/').starts_with("organise"));
        if organising && e.key().as_deref() == Some("plenum.signed-in") && e.new_value().is_none() {
            let _ = window().location().reload();
        }
    });
    // For the page's life.
    std::mem::forget(listener);
}

/// The newest announcement of the event, read out when it arrives.
#[component]
fn Announcements(live: Live, room: RoomId) -> impl IntoView {
    let latest = Memo::new(move |_| match live.room(&room).state {
        Some(RoomState::Event(event)) => event.announcements.last().cloned(),
        _ => None,
    });
    // In the event's time, as the agenda is, with the person's own beside it.
    let zone = use_context::<EventData>().map(|EventData(info)| {
        Memo::new(move |_| info.get().and_then(|r| r.ok()).map(|e| e.time_zone))
    });
    let when = move |at_ms: i64| match zone.and_then(|z| z.get()) {
        Some(zone) => time::moment(at_ms, &zone),
        None => time::clock(at_ms),
    };
    view! {
        <div class="announcements" aria-live="polite">
            {move || {
                latest
                    .get()
                    .map(|a| {
                        view! {
                            <p class="announcement">
                                <span class="visually-hidden">{t("announcement")} " "</span>
                                <time>{when(a.at_ms)}</time>
                                " "
                                {a.text}
                            </p>
                        }
                    })
            }}
        </div>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    view! {
        <div class="narrow">
            <LanguageSwitch />
            <h1>{move || t("page-not-found")}</h1>
            <p>
                {move || t("page-not-found-text")} " "
                <Link to=Route::Home>{move || t("join-an-event")}</Link>
            </p>
        </div>
    }
}

/// "Loading…" or what went wrong, while the agenda is not there.
pub(crate) fn agenda_unavailable(
    info: LocalResource<Result<EventInfo, ApiFailure>>,
    failure: Option<ApiFailure>,
) -> AnyView {
    match failure {
        None => view! {
            <p class="loading" role="status">
                {move || t("loading-agenda")}
            </p>
        }
        .into_any(),
        Some(failure) => view! {
            <h1>{move || t("agenda-unavailable")}</h1>
            <p class="error" role="alert">
                {move || failure.message()}
            </p>
            <button type="button" on:click=move |_| info.refetch()>
                {move || t("try-again")}
            </button>
        }
        .into_any(),
    }
}
