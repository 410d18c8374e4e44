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
//! routes load the page again, and `boot.js` starts the staff build for them.
//!
//! Shared pieces: [`qa`] (the audience's Q&A), [`interact`] (voting, quiz, award ballots),
//! [`results`] (results as charts and as text). An event's screens share one [`EventShell`]:
//! moving between them keeps the live connection and the fetched agenda.

mod agenda;
mod interact;
mod join;
#[cfg(feature = "staff")]
mod moderate;
#[cfg(feature = "staff")]
mod organise;
mod qa;
mod results;
#[cfg(feature = "staff")]
mod screen;
mod session;
#[cfg(feature = "staff")]
mod speak;

use leptos::prelude::*;
use leptos::task::spawn_local;
use plenum_protocol::{
    ClientMsg, ErrorCode, EventCode, EventInfo, Role, RoomId, RoomState, ServerMsg, SessionId,
    SessionState,
};

use crate::api::{self, ApiFailure, saved};
use crate::i18n::{Arg, LanguageSwitch, t, ta};
use crate::live::{Connection, Credential, Live, Refusal};
use crate::route::{Link, Route, Router, use_router};
use crate::time;

/// Bumped when the join form keeps a new token, so an event's page that was showing the form
/// shows the event instead. (localStorage itself is not reactive.)
#[derive(Clone, Copy)]
struct Joined(RwSignal<u32>);

/// The event and its agenda, fetched once per event and refetched when the organisers edit it.
#[derive(Clone, Copy)]
struct EventData(LocalResource<Result<EventInfo, ApiFailure>>);

/// A polite live region for what happens without the person doing anything (a new question,
/// a poll opening): read out by screen readers without moving focus.
#[derive(Clone, Copy)]
pub struct Announcer(RwSignal<String>);

impl Announcer {
    pub fn say(&self, text: String) {
        // The same words twice in a row would not be read again: a zero-width space differs.
        self.0.update(|current| {
            *current = if *current == text {
                format!("{text}\u{200b}")
            } else {
                text
            };
        });
    }
}

pub fn announcer() -> Announcer {
    expect_context()
}

/// What `App` shows: changes only when the event changes, not between an event's pages.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Screen {
    Join,
    Event(EventCode),
    Organise,
    OrganiseEvent(EventCode),
    NotFound,
}

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    crate::i18n::start();
    let router = Router::start();
    provide_context(router);
    provide_context(Joined(RwSignal::new(0)));
    let said = RwSignal::new(String::new());
    provide_context(Announcer(said));

    let screen = Memo::new(move |_| match router.route() {
        Route::Home => Screen::Join,
        Route::NotFound => Screen::NotFound,
        Route::Organise => Screen::Organise,
        Route::OrganiseEvent(code) => Screen::OrganiseEvent(code),
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
    let on_screen = Memo::new(move |_| matches!(router.route(), Route::Screen(..)));
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
    let on_screen = Memo::new(move |_| matches!(route.get(), Route::Screen(..)));
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
        </Show>
        {move || {
            let code = body_code.clone();
            match route.get() {
                Route::Session(_, id) => view! { <session::SessionPage code id /> }.into_any(),
                Route::Moderate(_, id) => moderate_page(code, id),
                Route::Speak(_, id) => speak_page(code, id),
                Route::Screen(_, id) => screen_page(code, id),
                _ => view! { <agenda::AgendaPage code /> }.into_any(),
            }
        }}
    }
}

#[cfg(feature = "staff")]
fn organise_page() -> AnyView {
    view! { <organise::OrganisePage /> }.into_any()
}
#[cfg(feature = "staff")]
fn organise_event_page(code: EventCode) -> AnyView {
    view! { <organise::OrganiseEventPage code /> }.into_any()
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

#[cfg(not(feature = "staff"))]
fn organise_page() -> AnyView {
    load_staff_build()
}
#[cfg(not(feature = "staff"))]
fn organise_event_page(_: EventCode) -> AnyView {
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

/// A staff screen reached in the attendee build (a link followed in the page): load the
/// address again, and `boot.js` starts the staff build for it.
#[cfg(not(feature = "staff"))]
fn load_staff_build() -> AnyView {
    let _ = window().location().reload();
    view! {
        <p class="loading" role="status">
            {move || t("loading")}
        </p>
    }
    .into_any()
}

/// "Moderator", "Speaker", "Organiser": who this browser is at the event.
#[component]
fn RoleBadge(live: Live) -> impl IntoView {
    move || {
        live.person()
            .filter(|p| p.role != Role::Attendee)
            .map(|p| view! { <span class="role-badge">{role_label(p.role)}</span> })
    }
}

#[cfg_attr(not(feature = "staff"), allow(dead_code))]
pub fn role_label(role: Role) -> String {
    t(match role {
        Role::Attendee => "role-attendee",
        Role::Speaker => "role-speaker",
        Role::Moderator => "role-moderator",
        Role::Organiser => "role-organiser",
    })
}

/// The connection's state, announced politely when it changes, with a way to retry now.
#[component]
pub fn ConnectionStatus(live: Live) -> impl IntoView {
    let connection = Memo::new(move |_| live.connection());
    let state = move || match connection.get() {
        Connection::Connecting => "connecting",
        Connection::Open => "open",
        Connection::Reconnecting => "reconnecting",
        Connection::Stopped(_) => "stopped",
    };
    let words = move || match connection.get() {
        Connection::Connecting => t("connecting"),
        Connection::Open => t("connection-live"),
        Connection::Reconnecting => t("reconnecting"),
        Connection::Stopped(why) => t(why),
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
                    {move || t("retry-now")}
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
                                <span class="visually-hidden">{t("announcement")} " "</span>
                                <time>{time::clock(a.at_ms)}</time>
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
fn agenda_unavailable(
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

// ---- Shared by the session screens ----------------------------------------------------------

/// Follows a session's room while the calling screen lives, and gives its state (tracked).
pub fn follow_session(
    code: &EventCode,
    id: &SessionId,
) -> (Live, Memo<Option<SessionState>>, Memo<crate::live::Room>) {
    let live = expect_context::<Live>();
    let room = RoomId::Session(code.clone(), id.clone());
    live.follow(room.clone());
    {
        let room = room.clone();
        on_cleanup(move || live.unfollow(&room));
    }
    let here = Memo::new(move |_| live.room(&room));
    let state = Memo::new(move |_| {
        here.with(|r| match &r.state {
            Some(RoomState::Session(s)) => Some(s.clone()),
            _ => None,
        })
    });
    (live, state, here)
}

/// The ids of a session's polls, quizzes or awards that `pick` chooses (tracked).
pub fn ids_of(
    state: Memo<Option<SessionState>>,
    pick: fn(&SessionState) -> Vec<u64>,
) -> Memo<Vec<u64>> {
    Memo::new(move |_| state.with(|s| s.as_ref().map(pick).unwrap_or_default()))
}

/// One question of the session, without its vote count, and the count on its own: a view built
/// from the first is rebuilt when the question changes, not each time someone votes, so a
/// focused button in it keeps its focus.
pub fn question_and_votes(
    state: Memo<Option<SessionState>>,
    id: plenum_protocol::QuestionId,
) -> (Memo<Option<plenum_protocol::Question>>, Memo<u64>) {
    let question =
        Memo::new(move |_| state.with(|s| s.as_ref().and_then(|s| s.qa.get(id).cloned())));
    let shape = Memo::new(move |_| {
        question.with(|q| {
            q.as_ref().map(|q| plenum_protocol::Question {
                votes: 0,
                ..q.clone()
            })
        })
    });
    let votes = Memo::new(move |_| question.with(|q| q.as_ref().map_or(0, |q| q.votes)));
    (shape, votes)
}

/// The ids of the session's questions that `keep` chooses, in the order they were asked.
pub fn questions_where(
    s: &SessionState,
    keep: impl Fn(&plenum_protocol::Question) -> bool,
) -> Vec<plenum_protocol::QuestionId> {
    // Ids are given in the order questions are asked, and the list is kept by id.
    s.qa.questions
        .iter()
        .filter(|q| keep(q))
        .map(|q| q.id)
        .collect()
}

/// The published questions, most votes first (ties: first asked first), or newest first.
pub fn published(s: &SessionState, popular: bool) -> Vec<plenum_protocol::QuestionId> {
    let mut open: Vec<&plenum_protocol::Question> =
        s.qa.questions
            .iter()
            .filter(|q| q.status == plenum_protocol::QuestionStatus::Live)
            .collect();
    if popular {
        open.sort_by(|a, b| {
            b.votes
                .cmp(&a.votes)
                .then(a.asked_at_ms.cmp(&b.asked_at_ms))
        });
    } else {
        open.sort_by_key(|q| std::cmp::Reverse(q.asked_at_ms));
    }
    open.iter().map(|q| q.id).collect()
}

/// The order a list showed last, while a keyboard user's focus is in it (see [`hold_order`]).
pub fn held(
    holding: RwSignal<bool>,
    list: NodeRef<leptos::html::Ul>,
    shown: Option<&Vec<plenum_protocol::QuestionId>>,
) -> Option<Vec<plenum_protocol::QuestionId>> {
    (holding.get() && keyboard_focus_in(list))
        .then(|| shown.cloned())
        .flatten()
}

/// Whether a keyboard user's focus is inside `list`: a list under it should not re-sort.
/// Read when the list's order is computed, so a focus that left without an event (its element
/// was removed) or a mouse click (no visible focus) does not hold it.
pub fn keyboard_focus_in(list: NodeRef<leptos::html::Ul>) -> bool {
    let Some(list) = list.get_untracked() else {
        return false;
    };
    document().active_element().is_some_and(|active| {
        list.contains(Some(&active)) && active.matches(":focus-visible").unwrap_or(false)
    })
}

/// The order to show: `fresh`, or while `held` is given (the focus is in the list), the held
/// order with what left removed and what is new at the end.
pub fn hold_order(
    held: Option<Vec<plenum_protocol::QuestionId>>,
    fresh: Vec<plenum_protocol::QuestionId>,
) -> Vec<plenum_protocol::QuestionId> {
    let Some(held) = held else {
        return fresh;
    };
    let mut kept: Vec<_> = held.into_iter().filter(|id| fresh.contains(id)).collect();
    let new: Vec<_> = fresh
        .iter()
        .filter(|id| !kept.contains(id))
        .copied()
        .collect();
    kept.extend(new);
    kept
}

/// Who asked, as the audience sees it: the name, or "Anonymous".
pub fn asker(q: &plenum_protocol::Question) -> String {
    match (&q.asker.name, q.anonymous) {
        (Some(name), false) => name.clone(),
        _ => t("anonymous"),
    }
}

/// The time now, updated every `period` while the calling screen lives.
pub fn ticking_now(period: std::time::Duration) -> RwSignal<i64> {
    let now = RwSignal::new(time::now_ms());
    let handle = set_interval_with_handle(
        move || {
            let _ = now.try_set(time::now_ms());
        },
        period,
    )
    .ok();
    on_cleanup(move || {
        if let Some(h) = handle {
            h.clear();
        }
    });
    now
}

/// Sends a request and puts what went wrong (or nothing) into `problem`; `done` runs on success.
pub fn act(
    live: Live,
    msg: ClientMsg,
    problem: RwSignal<Option<String>>,
    done: impl FnOnce(ServerMsg) + 'static,
) {
    act_or(live, msg, problem, done, || {});
}

#[cfg_attr(not(feature = "staff"), allow(dead_code))]
/// [`act`], with `failed` run when the request was refused (to undo what the screen showed).
pub fn act_or(
    live: Live,
    msg: ClientMsg,
    problem: RwSignal<Option<String>>,
    done: impl FnOnce(ServerMsg) + 'static,
    failed: impl FnOnce() + 'static,
) {
    spawn_local(async move {
        match live.request(msg).await {
            Ok(reply) => {
                problem.try_set(None);
                done(reply);
            }
            Err(refusal) => {
                problem.try_set(Some(refusal_text(&refusal)));
                failed();
            }
        }
    });
}

/// Why a request was refused, in the person's language.
pub fn refusal_text(refusal: &Refusal) -> String {
    match refusal.code {
        None => t("not-sent-offline"),
        Some(ErrorCode::BadRequest | ErrorCode::Conflict | ErrorCode::TooLarge) => ta(
            "refused-because",
            &[("detail", Arg::Str(refusal.message.clone()))],
        ),
        Some(ErrorCode::Forbidden) => t("error-forbidden"),
        Some(ErrorCode::RateLimited) => t("error-rate-limited"),
        Some(ErrorCode::NotFound) => t("error-not-found"),
        Some(ErrorCode::Unauthenticated) => t("error-unauthenticated"),
        Some(ErrorCode::UnsupportedVersion) => t("page-out-of-date"),
        Some(ErrorCode::Unavailable | ErrorCode::Internal) => t("server-busy"),
    }
}

/// A problem, shown and announced (role="alert"), or nothing.
pub fn problem_view(problem: RwSignal<Option<String>>) -> impl IntoView {
    move || {
        problem.get().map(|message| {
            view! {
                <p class="error" role="alert">
                    {message}
                </p>
            }
        })
    }
}

/// The session's title from the agenda (or its id while the agenda loads).
pub fn session_title(id: &SessionId) -> Memo<String> {
    let EventData(info) = expect_context();
    let id = id.clone();
    Memo::new(move |_| {
        info.get()
            .and_then(|r| r.ok())
            .and_then(|e| e.agenda.sessions.into_iter().find(|s| s.id == id))
            .map(|s| s.title)
            .unwrap_or_else(|| id.to_string())
    })
}

#[cfg_attr(not(feature = "staff"), allow(dead_code))]
/// Whether the person may use a console: checked here only to show the right page; the
/// server checks every action itself.
pub fn may(live: Live, roles: &'static [Role]) -> Memo<Option<bool>> {
    Memo::new(move |_| live.person().map(|p| roles.contains(&p.role)))
}

#[cfg_attr(not(feature = "staff"), allow(dead_code))]
/// "This console is for moderators" while the person is someone else.
pub fn not_for_you(key: &'static str) -> impl IntoView {
    view! {
        <div class="narrow">
            <h1>{move || t("not-for-you")}</h1>
            <p>{move || t(key)}</p>
        </div>
    }
}

/// Sets the page's title: "what · event · Plenum".
pub fn page_title(what: impl Fn() -> String + 'static) {
    Effect::new(move || {
        document().set_title(&format!("{} · Plenum", what()));
    });
}

#[cfg_attr(not(feature = "staff"), allow(dead_code))]
/// A countdown in whole seconds to `until_ms`, ticking while the screen lives.
pub fn countdown(
    until_ms: impl Fn() -> Option<i64> + Send + Sync + 'static,
) -> Signal<Option<i64>> {
    let now = ticking_now(std::time::Duration::from_millis(250));
    Signal::derive(move || {
        until_ms().map(|until| ((until - now.get()) as f64 / 1000.0).ceil().max(0.0) as i64)
    })
}

#[cfg(test)]
mod tests {
    use super::hold_order;

    #[test]
    fn a_held_order_keeps_its_places_and_adds_new_at_the_end() {
        assert_eq!(hold_order(None, vec![3, 1, 2]), vec![3, 1, 2]);
        // 2 gained votes and would move up; 4 is new; 1 left the list.
        assert_eq!(
            hold_order(Some(vec![1, 3, 2]), vec![2, 3, 4]),
            vec![3, 2, 4]
        );
    }
}
