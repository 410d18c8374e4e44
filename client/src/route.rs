//! Where a person is: the path, parsed into a [`Route`].
//!
//! History `pushState` routing by hand rather than leptos_router: a dozen routes do not pay
//! for a router in the download. The server answers every `/e/...` path with index.html, so each
//! route is also a link that can be shared, bookmarked and reloaded.

use leptos::{ev, prelude::*};
use plenum_protocol::{BoothId, EventCode, SessionId};
use wasm_bindgen::JsValue;
use web_sys::MouseEvent;

/// A screen of the app, as addressed by its path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `/`: the join form.
    Home,
    /// `/e/{CODE}`: the event's agenda (after joining it).
    Event(EventCode),
    /// `/e/{CODE}/s/{SESSION}`: one session and its live stage.
    Session(EventCode, SessionId),
    /// `/e/{CODE}/s/{SESSION}/moderate`: the moderator console.
    Moderate(EventCode, SessionId),
    /// `/e/{CODE}/s/{SESSION}/speak`: the speaker console (polls and quizzes).
    Speak(EventCode, SessionId),
    /// `/e/{CODE}/s/{SESSION}/screen`: the big screen in the room.
    Screen(EventCode, SessionId),
    /// `/e/{CODE}/screen[?track=…]`: the big screen of a room or track, following its live
    /// session.
    TrackScreen(EventCode),
    /// `/e/{CODE}/meetings`: one-to-one meetings: requests, the day's meetings, finding
    /// people, contacts.
    Meetings(EventCode),
    /// `/e/{CODE}/meetings/screen`: the big screen of the meeting area: the tables' plan and
    /// the slot now.
    MeetingsScreen(EventCode),
    /// `/e/{CODE}/exhibition`: the exhibition hall, every booth.
    Exhibition(EventCode),
    /// `/e/{CODE}/exhibition/{BOOTH}`: one booth.
    Booth(EventCode, BoothId),
    /// `/organise`: the organiser's sign-in and their events.
    Organise,
    /// `/organise/{CODE}`: one event's organiser console.
    OrganiseEvent(EventCode),
    /// `/organise/{CODE}/report`: the after-event report.
    Report(EventCode),
    /// `/organise/{CODE}/badges`: the badge sheet, to print.
    Badges(EventCode),
    /// Anything else.
    NotFound,
}

impl Route {
    /// Parses a path. Event codes are accepted in any case, as people type them.
    pub fn parse(path: &str) -> Route {
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        match parts.as_slice() {
            [""] => Route::Home,
            ["e", code] => EventCode::parse(code).map_or(Route::NotFound, Route::Event),
            ["e", code, "screen"] => {
                EventCode::parse(code).map_or(Route::NotFound, Route::TrackScreen)
            }
            ["e", code, "meetings"] => {
                EventCode::parse(code).map_or(Route::NotFound, Route::Meetings)
            }
            ["e", code, "meetings", "screen"] => {
                EventCode::parse(code).map_or(Route::NotFound, Route::MeetingsScreen)
            }
            ["e", code, "exhibition"] => {
                EventCode::parse(code).map_or(Route::NotFound, Route::Exhibition)
            }
            ["e", code, "exhibition", booth] => {
                match (EventCode::parse(code), BoothId::parse(booth)) {
                    (Ok(code), Ok(booth)) => Route::Booth(code, booth),
                    _ => Route::NotFound,
                }
            }
            ["e", code, "s", session, rest @ ..] => {
                match (EventCode::parse(code), SessionId::parse(session), rest) {
                    (Ok(code), Ok(session), []) => Route::Session(code, session),
                    (Ok(code), Ok(session), ["moderate"]) => Route::Moderate(code, session),
                    (Ok(code), Ok(session), ["speak"]) => Route::Speak(code, session),
                    (Ok(code), Ok(session), ["screen"]) => Route::Screen(code, session),
                    _ => Route::NotFound,
                }
            }
            ["organise"] => Route::Organise,
            ["organise", code] => {
                EventCode::parse(code).map_or(Route::NotFound, Route::OrganiseEvent)
            }
            ["organise", code, "report"] => {
                EventCode::parse(code).map_or(Route::NotFound, Route::Report)
            }
            ["organise", code, "badges"] => {
                EventCode::parse(code).map_or(Route::NotFound, Route::Badges)
            }
            _ => Route::NotFound,
        }
    }

    /// The canonical path of this route.
    pub fn path(&self) -> String {
        match self {
            Route::Home | Route::NotFound => "/".to_owned(),
            Route::Event(code) => format!("/e/{code}"),
            Route::Session(code, session) => format!("/e/{code}/s/{session}"),
            Route::Moderate(code, session) => format!("/e/{code}/s/{session}/moderate"),
            Route::Speak(code, session) => format!("/e/{code}/s/{session}/speak"),
            Route::Screen(code, session) => format!("/e/{code}/s/{session}/screen"),
            Route::TrackScreen(code) => format!("/e/{code}/screen"),
            Route::Meetings(code) => format!("/e/{code}/meetings"),
            Route::MeetingsScreen(code) => format!("/e/{code}/meetings/screen"),
            Route::Exhibition(code) => format!("/e/{code}/exhibition"),
            Route::Booth(code, booth) => format!("/e/{code}/exhibition/{booth}"),
            Route::Organise => "/organise".to_owned(),
            Route::OrganiseEvent(code) => format!("/organise/{code}"),
            Route::Report(code) => format!("/organise/{code}/report"),
            Route::Badges(code) => format!("/organise/{code}/badges"),
        }
    }

    /// The event this route is inside of, if any.
    pub fn event(&self) -> Option<&EventCode> {
        match self {
            Route::Event(code)
            | Route::Session(code, _)
            | Route::Moderate(code, _)
            | Route::Speak(code, _)
            | Route::Screen(code, _)
            | Route::TrackScreen(code)
            | Route::Meetings(code)
            | Route::MeetingsScreen(code)
            | Route::Exhibition(code)
            | Route::Booth(code, _) => Some(code),
            Route::Home
            | Route::NotFound
            | Route::Organise
            | Route::OrganiseEvent(_)
            | Route::Report(_)
            | Route::Badges(_) => None,
        }
    }
}

/// The address links and QR codes are made with: the server's `--public-url` (a meta tag of
/// the page), else the address this browser used.
pub fn public_origin() -> String {
    document()
        .query_selector("meta[name=plenum-public-url]")
        .ok()
        .flatten()
        .and_then(|m| m.get_attribute("content"))
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
        .unwrap_or_else(|| window().location().origin().unwrap_or_default())
}

/// The current route, shared through context. Cheap to copy.
#[derive(Debug, Clone, Copy)]
pub struct Router {
    route: RwSignal<Route>,
}

impl Router {
    /// Reads the route from the address bar and follows the back and forward buttons.
    pub fn start() -> Router {
        let route = RwSignal::new(current());
        // The agenda links to `/e/ECC2026`; someone who typed `/e/ecc2026/` lands on the same
        // page, so show the canonical path without adding a history entry.
        let canonical = route.get_untracked().path();
        if route.get_untracked() != Route::NotFound
            && location_pathname().as_deref() != Some(canonical.as_str())
        {
            // The query (an invitation, `?lang=`) is kept: the page still reads it.
            let search = window().location().search().unwrap_or_default();
            let url = format!("{canonical}{search}");
            let _ = window()
                .history()
                .and_then(|h| h.replace_state_with_url(&JsValue::NULL, "", Some(&url)));
        }
        // The handle is not kept: the app lives as long as the page, and so does this listener.
        let _ = window_event_listener(ev::popstate, move |_| route.set(current()));
        Router { route }
    }

    /// The current route (tracked).
    pub fn route(&self) -> Route {
        self.route.get()
    }

    /// The current route, without subscribing to changes.
    pub fn route_untracked(&self) -> Route {
        self.route.get_untracked()
    }

    /// Goes to a route, adding a history entry, as following a link does.
    pub fn go(&self, to: Route) {
        if let Ok(history) = window().history() {
            let _ = history.push_state_with_url(&JsValue::NULL, "", Some(&to.path()));
        }
        self.route.set(to);
        window().scroll_to_with_x_and_y(0.0, 0.0);
    }
}

fn current() -> Route {
    Route::parse(&location_pathname().unwrap_or_default())
}

/// The router of this app. Panics outside [`crate::pages::App`], which provides it.
pub fn use_router() -> Router {
    expect_context::<Router>()
}

/// An `<a>` that navigates within the app, and still opens in a new tab with a modifier key or
/// the middle button, as every link should.
#[component]
pub fn Link(to: Route, #[prop(optional)] class: &'static str, children: Children) -> impl IntoView {
    let router = use_router();
    let href = to.path();
    let follow = move |ev: MouseEvent| {
        let modified = ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key();
        if ev.default_prevented() || ev.button() != 0 || modified {
            return;
        }
        ev.prevent_default();
        router.go(to.clone());
    };
    view! {
        <a href=href class=class on:click=follow>
            {children()}
        </a>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_route() {
        let ecc = EventCode::parse("ECC2026").unwrap();
        assert_eq!(Route::parse("/"), Route::Home);
        assert_eq!(Route::parse(""), Route::Home);
        assert_eq!(Route::parse("/e/ecc2026/"), Route::Event(ecc.clone()));
        assert_eq!(
            Route::parse("/e/ECC2026/s/opening"),
            Route::Session(ecc.clone(), SessionId::parse("opening").unwrap())
        );
        assert_eq!(
            Route::parse("/e/ECC2026/meetings"),
            Route::Meetings(ecc.clone())
        );
        assert_eq!(
            Route::parse("/e/ECC2026/meetings/screen"),
            Route::MeetingsScreen(ecc.clone())
        );
        assert_eq!(Route::parse("/e/ECC2026/meetings/x"), Route::NotFound);
        assert_eq!(
            Route::parse("/e/ECC2026/exhibition/porto-cluster"),
            Route::Booth(ecc.clone(), BoothId::parse("porto-cluster").unwrap())
        );
        assert_eq!(Route::parse("/e/ECC2026/exhibition/Porto"), Route::NotFound);
        assert_eq!(
            Route::parse("/organise/ECC2026/badges"),
            Route::Badges(ecc.clone())
        );
        assert_eq!(Route::parse("/e/x"), Route::NotFound);
        assert_eq!(Route::parse("/e/ECC2026/s/Bad_Id"), Route::NotFound);
        assert_eq!(Route::parse("/admin"), Route::NotFound);
        assert_eq!(Route::parse("/e/ECC2026/s/opening/delete"), Route::NotFound);
    }

    #[test]
    fn paths_round_trip() {
        for path in [
            "/",
            "/e/ECC2026",
            "/e/ECC2026/s/opening",
            "/e/ECC2026/meetings",
            "/e/ECC2026/meetings/screen",
            "/e/ECC2026/exhibition",
            "/e/ECC2026/exhibition/porto-cluster",
            "/e/ECC2026/s/opening/moderate",
            "/e/ECC2026/s/opening/speak",
            "/e/ECC2026/s/opening/screen",
            "/e/ECC2026/screen",
            "/organise",
            "/organise/ECC2026",
            "/organise/ECC2026/report",
            "/organise/ECC2026/badges",
        ] {
            assert_eq!(Route::parse(path).path(), path);
        }
    }
}
