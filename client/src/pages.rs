//! The screens. [`App`] picks one from the route:
//! - [`join`]    — `/`, and an event's pages before joining it: the join form.
//! - [`agenda`]  — `/e/{CODE}`: the event's days and sessions.
//! - [`session`] — `/e/{CODE}/s/{ID}`: a session, its programme and its live stage.
//!
//! An event's screens share one [`EventShell`]: moving between the agenda and a session keeps
//! the live connection and the fetched agenda.

mod agenda;
mod join;
mod session;

use leptos::prelude::*;
use plenum_protocol::{EventCode, EventInfo, RoomId, RoomState};

use crate::api::{self, ApiFailure, saved};
use crate::live::{Connection, Live};
use crate::route::{Link, Route, Router, use_router};
use crate::text;

/// Bumped when the join form keeps a new token, so an event's page that was showing the form
/// shows the event instead. (localStorage itself is not reactive.)
#[derive(Clone, Copy)]
struct Joined(RwSignal<u32>);

/// The event and its agenda, fetched once per event and refetched when the organisers edit it.
#[derive(Clone, Copy)]
struct EventData(LocalResource<Result<EventInfo, ApiFailure>>);

/// What `App` shows: changes only when the event changes, not between an event's pages.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Screen {
    Join,
    Event(EventCode),
    NotFound,
}

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let router = Router::start();
    provide_context(router);
    provide_context(Joined(RwSignal::new(0)));

    let screen = Memo::new(move |_| match router.route() {
        Route::Home => Screen::Join,
        Route::NotFound => Screen::NotFound,
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
        <main id="main" tabindex="-1">
            {move || match screen.get() {
                Screen::Join => view! { <join::JoinPage code=None /> }.into_any(),
                Screen::Event(code) => view! { <EventGate code /> }.into_any(),
                Screen::NotFound => view! { <NotFound /> }.into_any(),
            }}
        </main>
    }
}

/// An event's pages: the event itself once joined, else the join form with its code filled in.
#[component]
fn EventGate(code: EventCode) -> impl IntoView {
    let Joined(joined) = expect_context();
    let has_token = {
        let code = code.clone();
        Memo::new(move |_| {
            joined.track();
            saved::token(&code).is_some()
        })
    };
    move || {
        if has_token.get() {
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
    let live = Live::start(code.clone());
    provide_context(live);
    let event_room = RoomId::Event(code.clone());
    live.follow(event_room.clone());

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
    Effect::new(move || {
        if let Some(Ok(event)) = info.get() {
            document().set_title(&format!("{} · Plenum", event.title));
        }
    });

    let session = Memo::new(move |_| match router.route() {
        Route::Session(_, id) => Some(id),
        _ => None,
    });
    let header_code = code.to_string();
    view! {
        <header class="bar">
            <Link to=Route::Home class="brand">
                "Plenum"
            </Link>
            <span class="event-code" aria-label="Event code">
                {header_code}
            </span>
            <ConnectionStatus live />
        </header>
        <Announcements live room=event_room />
        {move || match session.get() {
            Some(id) => view! { <session::SessionPage code=code.clone() id /> }.into_any(),
            None => view! { <agenda::AgendaPage code=code.clone() /> }.into_any(),
        }}
    }
}

/// The connection's state, announced politely when it changes, with a way to retry now.
#[component]
fn ConnectionStatus(live: Live) -> impl IntoView {
    let connection = Memo::new(move |_| live.connection());
    let state = move || match connection.get() {
        Connection::Connecting => "connecting",
        Connection::Open => "open",
        Connection::Reconnecting => "reconnecting",
        Connection::Stopped(_) => "stopped",
    };
    let words = move || match connection.get() {
        Connection::Connecting => "Connecting…".to_owned(),
        Connection::Open => "Live".to_owned(),
        Connection::Reconnecting => "Reconnecting…".to_owned(),
        Connection::Stopped(why) => why,
    };
    let can_retry = move || {
        matches!(
            connection.get(),
            Connection::Reconnecting | Connection::Stopped(_)
        )
    };
    view! {
        <div class="connection" data-state=state>
            <span class="dot" aria-hidden="true"></span>
            <span id="connection-status" role="status" aria-live="polite">
                {words}
            </span>
            <Show when=can_retry>
                <button type="button" class="link-button" on:click=move |_| live.retry_now()>
                    "Retry now"
                </button>
            </Show>
        </div>
    }
}

/// The newest announcement of the event, read out when it arrives.
#[component]
fn Announcements(live: Live, room: RoomId) -> impl IntoView {
    let latest = Memo::new(move |_| match live.room(&room).state {
        Some(RoomState::Event(event)) => event.announcements.last().cloned(),
        _ => None,
    });
    view! {
        <div class="announcements" aria-live="polite">
            {move || {
                latest
                    .get()
                    .map(|a| {
                        view! {
                            <p class="announcement">
                                <span class="visually-hidden">"Announcement "</span>
                                <time>{text::clock(a.at_ms)}</time>
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
        <h1>"Page not found"</h1>
        <p>
            "This address is not a page of Plenum. " <Link to=Route::Home>"Join an event"</Link>
        </p>
    }
}

/// "Loading…" or what went wrong, while the agenda is not there.
fn agenda_unavailable(
    info: LocalResource<Result<EventInfo, ApiFailure>>,
    failure: Option<ApiFailure>,
) -> AnyView {
    match failure {
        None => view! {
            <p class="loading" role="status">
                "Loading the agenda…"
            </p>
        }
        .into_any(),
        Some(failure) => view! {
            <h1>"The agenda could not be loaded"</h1>
            <p class="error" role="alert">
                {failure.message()}
            </p>
            <button type="button" on:click=move |_| info.refetch()>
                "Try again"
            </button>
        }
        .into_any(),
    }
}
