//! The organiser: sign in with the organiser key, create an event, import and edit its
//! agenda, invite moderators, speakers and co-organisers (`team`), switch sessions live and
//! set what is on stage, set a stream's delay, announce, run award votes, and export results.
//! Signing in gives the browser an HttpOnly cookie (every tab is signed in; no page keeps the
//! key); the server checks it on every request. A co-organiser's console signs with their
//! event token.

use leptos::task::spawn_local;
use leptos::{ev::SubmitEvent, prelude::*};
use plenum_protocol::{
    Agenda, CreateEvent, EventCode, EventInfo, RoomId, RoomState, SessionId, limits,
};

use crate::api::{self, ApiFailure, organiser, saved};
use crate::components::{feedback::*, status::*};
use crate::features::stage::console::SessionControl;
use crate::i18n::{LanguageSwitch, t, tc};
use crate::live::{Credential, Live};
use crate::route::{Link, Route, use_router};
use crate::time;

/// Signed in: the key. Bumped on sign-in and sign-out.
fn key_signal() -> RwSignal<Option<String>> {
    RwSignal::new(saved::organiser_key())
}

#[component]
pub fn OrganisePage() -> impl IntoView {
    super::page_title(|| t("organiser"));
    let key = key_signal();
    view! {
        <div class="organise">
            <header class="bar">
                <Link to=Route::Home class="brand">"Plenum"</Link>
                <span class="role-badge">{move || t("role-organiser")}</span>
                <LanguageSwitch />
                <Show when=move || key.get().is_some()>
                    <button type="button" class="link-button" on:click=move |_| {
                        spawn_local(async move {
                            // Signed out here at once; the cookie goes when the server answers.
                            let _ = organiser::sign_out().await;
                        });
                        saved::forget_organiser_key();
                        key.set(None)
                    }>
                        {move || t("sign-out")}
                    </button>
                </Show>
            </header>
            {move || match key.get() {
                None => view! { <SignIn key /> }.into_any(),
                Some(k) => view! { <Events key=k signed_in=key /> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn SignIn(key: RwSignal<Option<String>>) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let k = typed.get_untracked().trim().to_owned();
        spawn_local(async move {
            match organiser::sign_in(&k).await {
                Ok(_) => {
                    saved::keep_signed_in();
                    key.set(saved::organiser_key());
                }
                Err(ApiFailure::Refused { status: 401, .. }) => {
                    problem.set(Some(t("organiser-key-wrong")))
                }
                Err(e) => problem.set(Some(e.message())),
            }
        });
    };
    view! {
        <div class="narrow">
            <h1>{move || t("organiser-sign-in")}</h1>
            <form class="stack" on:submit=submit>
                <label for="organiser-key">{move || t("organiser-key")}</label>
                <input id="organiser-key" type="password" autocomplete="current-password" required
                    aria-describedby="organiser-key-hint"
                    prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev)) />
                <p id="organiser-key-hint" class="hint">{move || t("organiser-key-hint")}</p>
                <button type="submit" class="primary">{move || t("sign-in")}</button>
                {problem_view(problem)}
            </form>
        </div>
    }
}

#[component]
fn Events(key: String, signed_in: RwSignal<Option<String>>) -> impl IntoView {
    let router = use_router();
    let k = key.clone();
    let events = LocalResource::new(move || {
        let k = k.clone();
        async move { organiser::events(&k).await }
    });
    let code = RwSignal::new(String::new());
    let title = RwSignal::new(String::new());
    let zone = RwSignal::new(time::viewer_zone());
    let venue = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Ok(c) = EventCode::parse(code.get_untracked().trim()) else {
            problem.set(Some(t("code-format")));
            return;
        };
        let event = CreateEvent {
            code: c.clone(),
            title: title.get_untracked().trim().to_owned(),
            time_zone: zone.get_untracked().trim().to_owned(),
            languages: vec!["en".into(), "sv".into()],
            venue: Some(venue.get_untracked().trim().to_owned()).filter(|v| !v.is_empty()),
            description: None,
            agenda: Agenda::default(),
        };
        let key = key.clone();
        spawn_local(async move {
            match organiser::create_event(&key, &event).await {
                Ok(_) => router.go(Route::OrganiseEvent(c)),
                Err(e) => problem.set(Some(e.message())),
            }
        });
    };
    // Signed in here, but the sign-in has ended (expired, or the key was reset): sign in again.
    Effect::new(move || {
        if let Some(Err(ApiFailure::Refused { status: 401, .. })) = events.get() {
            saved::forget_organiser_key();
            signed_in.set(None);
        }
    });
    let list = move || match events.get() {
        None => view! { <p role="status">{t("loading")}</p> }.into_any(),
        Some(Err(e)) => view! { <p class="error" role="alert">{e.message()}</p> }.into_any(),
        Some(Ok(list)) if list.is_empty() => {
            view! { <p class="empty">{t("no-events")}</p> }.into_any()
        }
        Some(Ok(list)) => view! {
            <ul class="event-list">
                {list.into_iter().map(|e| view! {
                    <li>
                        <Link to=Route::OrganiseEvent(e.code.clone())>{e.title.clone()}</Link>
                        " · " <code>{e.code.to_string()}</code>
                        " · " {tc("sessions-count", e.agenda.sessions.len() as u64)}
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any(),
    };
    view! {
        <div class="columns">
            <section class="panel" aria-labelledby="events-heading">
                <h1 id="events-heading">{move || t("your-events")}</h1>
                {list}
            </section>
            <section class="panel" aria-labelledby="create-heading">
                <h2 id="create-heading">{move || t("create-event")}</h2>
                <form class="stack" on:submit=submit>
                    <label for="new-code">{move || t("event-code")}</label>
                    <input id="new-code" type="text" required maxlength="16" prop:value=move || code.get() on:input=move |ev| code.set(event_target_value(&ev)) />
                    <label for="new-title">{move || t("event-title")}</label>
                    <input id="new-title" type="text" required maxlength=limits::MAX_TITLE_CHARS.to_string() prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev)) />
                    <label for="new-zone">{move || t("time-zone")}</label>
                    <select id="new-zone" required on:change=move |ev| zone.set(event_target_value(&ev))>
                        {time::zones().into_iter().map(|z| {
                            let selected = z == zone.get_untracked();
                            view! { <option value=z.clone() selected=selected>{z.replace('_', " ")}</option> }
                        }).collect_view()}
                    </select>
                    <label for="new-venue">{move || t("venue")} " " <span class="optional">{move || t("optional")}</span></label>
                    <input id="new-venue" type="text" prop:value=move || venue.get() on:input=move |ev| venue.set(event_target_value(&ev)) />
                    <button type="submit" class="primary">{move || t("create-event")}</button>
                    {problem_view(problem)}
                </form>
            </section>
        </div>
    }
}

#[component]
pub fn OrganiseEventPage(code: EventCode) -> impl IntoView {
    let Some(key) = saved::organiser_credential(&code) else {
        return view! { <OrganisePage /> }.into_any();
    };
    let live = Live::start(code.clone(), Credential::Organiser(key.clone()));
    provide_context(live);
    live.follow(RoomId::Event(code.clone()));
    let info = {
        let code = code.clone();
        LocalResource::new(move || api::event_info(code.clone()))
    };
    // Refetch when the agenda changes (by this page or another organiser).
    let version = {
        let room = RoomId::Event(code.clone());
        Memo::new(move |_| match live.room(&room).state {
            Some(RoomState::Event(e)) => Some(e.agenda_version),
            _ => None,
        })
    };
    Effect::new(move |before: Option<Option<u64>>| {
        let v = version.get();
        if before.is_some_and(|b| b.is_some() && b != v) {
            info.refetch();
        }
        v
    });
    super::page_title(move || {
        info.get()
            .and_then(|r| r.ok())
            .map(|e| e.title)
            .unwrap_or_else(|| t("organiser"))
    });
    let key = StoredValue::new(key);
    let c = code.clone();
    // The console is built once the event is there and stays: refetching the agenda (after a
    // save here or by another organiser) updates it in place, keeping what is being typed,
    // the invitation links and the chosen session.
    let event = Memo::new(move |_| info.get().and_then(|r| r.ok()));
    let loaded = Memo::new(move |previous: Option<&Loaded>| match info.get() {
        _ if previous == Some(&Loaded::Ready) => Loaded::Ready,
        Some(Ok(_)) => Loaded::Ready,
        Some(Err(_)) => Loaded::Failed,
        None => Loaded::Waiting,
    });
    view! {
        <div class="organise">
            <header class="bar">
                <Link to=Route::Organise class="brand">"Plenum"</Link>
                <span class="event-code">{code.to_string()}</span>
                <span class="role-badge">{move || t("role-organiser")}</span>
                <LanguageSwitch />
                <ConnectionStatus live />
            </header>
            {move || match loaded.get() {
                Loaded::Waiting => view! { <p role="status">{t("loading")}</p> }.into_any(),
                Loaded::Failed => view! {
                    <p class="error" role="alert">
                        {move || info.get().and_then(|r| r.err()).map(|e| e.message())}
                    </p>
                }
                .into_any(),
                Loaded::Ready => view! { <EventConsole code=c.clone() event key /> }.into_any(),
            }}
        </div>
    }
    .into_any()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Loaded {
    Waiting,
    Failed,
    Ready,
}

#[component]
fn EventConsole(
    code: EventCode,
    event: Memo<Option<EventInfo>>,
    key: StoredValue<String>,
) -> impl IntoView {
    let sessions = Memo::new(move |_| {
        event.with(|e| {
            e.as_ref()
                .map(|e| e.agenda.sessions.clone())
                .unwrap_or_default()
        })
    });
    let first = sessions.with_untracked(|s| s.first().map(|s| s.id.clone()));
    let chosen = RwSignal::new(first);
    let agenda = event.with_untracked(|e| e.as_ref().map(|e| e.agenda.clone()).unwrap_or_default());
    let c = code.clone();
    view! {
        <h1>{move || event.with(|e| e.as_ref().map(|e| e.title.clone()))}</h1>
        <p class="links">
            <Link to=Route::Event(code.clone())>{move || t("attendee-view")}</Link>
            " · "
            <Link to=Route::Report(code.clone())>{move || t("after-event-report")}</Link>
            " · "
            <Link to=Route::Badges(code.clone())>{move || t("badges")}</Link>
            " · "
            <a href=Route::MeetingsScreen(code.clone()).path()>{move || t("meetings-screen")}</a>
            " · "
            <a href=Route::Exhibition(code.clone()).path()>{move || t("exhibition")}</a>
        </p>
        <div class="columns">
            <div>
                <section class="panel" aria-labelledby="live-control-heading">
                    <h2 id="live-control-heading">{move || t("live-control")}</h2>
                    <label for="session-choice">{move || t("session")}</label>
                    <select id="session-choice" on:change=move |ev| chosen.set(SessionId::parse(&event_target_value(&ev)).ok())>
                        {move || sessions.get().into_iter().map(|s| {
                            let selected = chosen.get_untracked().as_ref() == Some(&s.id);
                            view! {
                                <option value=s.id.to_string() selected=selected>{format!("{} · {}", s.start, s.title)}</option>
                            }
                        }).collect_view()}
                    </select>
                    {move || chosen.get().map(|id| view! { <SessionControl code=c.clone() id sessions key /> })}
                </section>
                <Announce code=code.clone() key />
                <super::team::Invites code=code.clone() key sessions />
                <super::participants::Participants code=code.clone() key />
                <super::team::Activity code=code.clone() key />
            </div>
            <div>
                <super::agenda_editor::AgendaEditor code=code.clone() agenda key />
                <Exports code=code.clone() key sessions />
                <super::retention::Retention code=code.clone() key event />
                <crate::features::meetings::organise::MeetingsPanel code=code.clone() key event />
                <crate::features::exhibition::organise::ExhibitionPanel code=code.clone() />
            </div>
        </div>
    }
}

#[component]
fn Announce(code: EventCode, key: StoredValue<String>) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let sent = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (code, body, key) = (
            code.clone(),
            text.get_untracked().trim().to_owned(),
            key.get_value(),
        );
        spawn_local(async move {
            match organiser::announce(&key, &code, body).await {
                Ok(_) => {
                    problem.set(None);
                    text.set(String::new());
                    sent.set(true);
                }
                Err(e) => problem.set(Some(e.message())),
            }
        });
    };
    view! {
        <section class="panel" aria-labelledby="announce-heading">
            <h2 id="announce-heading">{move || t("announce")}</h2>
            <form class="stack" on:submit=submit>
                <label for="announce-text">{move || t("announcement-text")}</label>
                <textarea id="announce-text" rows="2" maxlength=limits::MAX_ANNOUNCEMENT_CHARS.to_string() prop:value=move || text.get() on:input=move |ev| { text.set(event_target_value(&ev)); sent.set(false) }></textarea>
                <button type="submit">{move || t("send-announcement")}</button>
                {problem_view(problem)}
                <p role="status" class="sent">{move || sent.get().then(|| t("announcement-sent"))}</p>
            </form>
        </section>
    }
}

#[component]
fn Exports(
    code: EventCode,
    key: StoredValue<String>,
    sessions: Memo<Vec<plenum_protocol::Session>>,
) -> impl IntoView {
    let which = RwSignal::new(None::<SessionId>);
    view! {
        <section class="panel" aria-labelledby="export-heading">
            <h2 id="export-heading">{move || t("export-results")}</h2>
            <label for="export-scope">{move || t("export-scope")}</label>
            <select id="export-scope" on:change=move |ev| which.set(SessionId::parse(&event_target_value(&ev)).ok())>
                <option value="" selected=move || which.with(Option::is_none)>{move || t("whole-event")}</option>
                {move || sessions.get().into_iter().map(|s| {
                    let chosen = which.get_untracked().as_ref() == Some(&s.id);
                    view! { <option value=s.id.to_string() selected=chosen>{format!("{} · {}", s.start, s.title)}</option> }
                }).collect_view()}
            </select>
            <crate::components::exports::ExportFiles code key session=which />
        </section>
    }
}
