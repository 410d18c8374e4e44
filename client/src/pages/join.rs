//! The join form: an event code and an optional name, traded for a token. An invitation link
//! (`/e/CODE?invite=…`) is redeemed here too: the page says who it is for and as what (the
//! name is the invitation's: nobody types it again), and the person becomes the moderator,
//! speaker, co-organiser or registered attendee it names.

use leptos::{ev::SubmitEvent, prelude::*};
use plenum_protocol::{EventCode, Profile, Role, limits};
use wasm_bindgen::JsValue;

use super::Joined;
use crate::api::{self, ApiFailure, saved};
use crate::components::status::role_label;
use crate::i18n::{Arg, LanguageSwitch, query_param, t, ta};
use crate::route::{Link, Route, Router, use_router};

/// What is wrong with the form, shown next to the field it is about.
#[derive(Debug, Clone, PartialEq)]
enum Problem {
    /// A message key about the code.
    CodeKey(&'static str),
    Code(ApiFailure),
    Other(ApiFailure),
}

thread_local! {
    /// What was typed in the server's plain join form before the client started.
    static PREFILL: std::cell::RefCell<Option<(String, String)>> = const { std::cell::RefCell::new(None) };
}

/// Keeps what was typed in the plain join form, for the join page to start with.
pub fn prefill(code: String, name: String) {
    if !code.is_empty() || !name.is_empty() {
        PREFILL.with(|p| *p.borrow_mut() = Some((code, name)));
    }
}

/// The join form. `code` fills in the code, for an event's link opened before joining.
#[component]
pub fn JoinPage(code: Option<EventCode>) -> impl IntoView {
    let router = use_router();
    let Joined(joined) = expect_context();
    super::page_title(|| t("join-an-event"));
    let invite = query_param(&window().location().search().unwrap_or_default(), "invite")
        .filter(|i| !i.is_empty());
    let typed = PREFILL.with(|p| p.borrow_mut().take());
    let (typed_code, typed_name) = typed.unwrap_or_default();
    let code = Some(typed_code)
        .filter(|c| !c.is_empty())
        .or_else(|| code.map(|c| c.to_string()))
        .unwrap_or_default();
    let (code_text, set_code_text) = signal(code);
    let (name, set_name) = signal(typed_name);
    let (problem, set_problem) = signal(None::<Problem>);
    // Who they are besides their name, all optional: kept by the server as they join.
    let profile = RwSignal::new(Profile::default());

    let join = Action::new_local(
        move |(code, name, invite): &(EventCode, Option<String>, Option<String>)| {
            let (code, name, invite) = (code.clone(), name.clone(), invite.clone());
            let about = Some(profile.get_untracked()).filter(|p| !p.is_empty() && invite.is_none());
            async move {
                let answer = api::join(&code, name.clone(), invite.clone(), about).await?;
                saved::keep(&code, &answer.token, name.as_deref());
                // The event's token is a co-organiser's, or no longer is.
                if answer.person.role == Role::Organiser {
                    saved::keep_co_organiser(&code);
                } else {
                    saved::forget_co_organiser(&code);
                }
                if invite.is_some() {
                    // The invitation is spent: it leaves the address bar and the history. Staff
                    // invited to one session land on its console, co-organisers on the event's;
                    // others on the agenda, whose session pages link their consoles.
                    let person = &answer.person;
                    let path = match (person.role, person.sessions.as_slice()) {
                        (Role::Moderator, [one]) => Route::Moderate(code.clone(), one.clone()),
                        (Role::Speaker, [one]) => Route::Speak(code.clone(), one.clone()),
                        (Role::Organiser, _) => Route::OrganiseEvent(code.clone()),
                        _ => Route::Event(code.clone()),
                    }
                    .path();
                    let _ = window()
                        .history()
                        .and_then(|h| h.replace_state_with_url(&JsValue::NULL, "", Some(&path)));
                    // A fresh shell: the gate reads the address once.
                    let _ = window().location().reload();
                    return Ok(());
                }
                enter(router, joined, code);
                Ok::<(), ApiFailure>(())
            }
        },
    );
    Effect::new(move || {
        if let Some(Err(failure)) = join.value().get() {
            set_problem.set(Some(match failure {
                ApiFailure::NotFound => Problem::Code(failure),
                failure => Problem::Other(failure),
            }));
        }
    });

    let invited = invite.is_some();
    // Who the invitation is for, asked once: a withdrawn or expired one says so at once.
    let preview = {
        let (code, invite) = (code_text.get_untracked(), invite.clone());
        LocalResource::new(move || {
            let (code, invite) = (code.clone(), invite.clone());
            async move {
                let (Ok(code), Some(invite)) = (EventCode::parse(&code), invite) else {
                    return None;
                };
                Some(api::organiser::preview_invitation(&code, &invite).await)
            }
        })
    };
    let invited_as = move || match preview.get().flatten() {
        Some(Ok(p)) => {
            let role = match p.role {
                Role::Attendee => t("role-registered"),
                Role::Organiser => t("role-co-organiser"),
                r => role_label(r),
            };
            Some(view! {
                <p class="invitation-for">
                    {ta("invitation-for", &[("name", Arg::Str(p.name)), ("role", Arg::Str(role))])}
                </p>
            }.into_any())
        }
        Some(Err(failure)) => Some(
            view! {
                <p class="error" role="alert">{failure.message()}</p>
            }
            .into_any(),
        ),
        None => None,
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if join.pending().get_untracked() {
            return;
        }
        let Ok(code) = EventCode::parse(&code_text.get_untracked()) else {
            set_problem.set(Some(Problem::CodeKey("code-format")));
            return;
        };
        set_problem.set(None);
        // A token kept from an earlier visit is the same person: no need to join again.
        if !invited && saved::token(&code).is_some() {
            enter(router, joined, code);
            return;
        }
        let name: String = name
            .get_untracked()
            .trim()
            .chars()
            .take(limits::MAX_DISPLAY_NAME_CHARS)
            .collect();
        join.dispatch((code, Some(name).filter(|n| !n.is_empty()), invite.clone()));
    };

    let code_problem = move || match problem.get() {
        Some(Problem::CodeKey(key)) => Some(t(key)),
        Some(Problem::Code(failure)) => Some(failure.message()),
        _ => None,
    };
    let other_problem = move || match problem.get() {
        Some(Problem::Other(failure)) => Some(failure.message()),
        _ => None,
    };
    let pending = join.pending();

    view! {
        <div class="join">
            <div class="join-top">
                <p class="brand" aria-hidden="true">
                    "Plenum"
                </p>
                <LanguageSwitch />
            </div>
            <h1>{move || if invited { t("accept-invitation") } else { t("join-an-event") }}</h1>
            <p class="lead">
                {move || if invited { t("invitation-lead") } else { t("join-lead") }}
            </p>
            {move || invited.then(invited_as)}
            <form on:submit=submit novalidate>
                <div class="field">
                    <label for="code">{move || t("event-code")}</label>
                    <input
                        id="code"
                        name="code"
                        type="text"
                        required
                        autocomplete="off"
                        autocapitalize="characters"
                        spellcheck="false"
                        maxlength="16"
                        class="code-input"
                        prop:value=move || code_text.get()
                        on:input=move |ev| {
                            set_code_text.set(event_target_value(&ev));
                            set_problem.set(None);
                        }
                        aria-invalid=move || code_problem().map(|_| "true")
                        aria-describedby=move || code_problem().map(|_| "code-error")
                    />
                    {move || {
                        code_problem()
                            .map(|message| {
                                view! {
                                    <p id="code-error" class="error" role="alert">
                                        {message}
                                    </p>
                                }
                            })
                    }}
                </div>
                <div class="field" hidden=invited>
                    <label for="name">
                        {move || t("your-name")} " "
                        <span class="optional">{move || t("optional")}</span>
                    </label>
                    <input
                        id="name"
                        name="name"
                        type="text"
                        autocomplete="name"
                        maxlength=limits::MAX_DISPLAY_NAME_CHARS.to_string()
                        aria-describedby="name-hint"
                        prop:value=move || name.get()
                        on:input=move |ev| set_name.set(event_target_value(&ev))
                    />
                    <p id="name-hint" class="hint">
                        {move || t("name-hint")}
                    </p>
                </div>
                <details class="join-profile" hidden=invited>
                    <summary>
                        {move || t("profile-about-you")} " "
                        <span class="optional">{move || t("optional")}</span>
                    </summary>
                    <p class="hint">{move || t("profile-hint")}</p>
                    <crate::features::people::ProfileFields profile id="join" />
                </details>
                {move || {
                    other_problem()
                        .map(|message| {
                            view! {
                                <p class="error" role="alert">
                                    {message}
                                </p>
                            }
                        })
                }}
                <button type="submit" class="primary" disabled=move || pending.get()>
                    {move || if pending.get() { t("joining") } else { t("join") }}
                </button>
            </form>
            <p class="hint organiser-link">
                <Link to=Route::Organise>{move || t("organiser-sign-in")}</Link>
            </p>
        </div>
    }
}

/// Shows the event just joined: its agenda from the home page, or the page of it that was
/// asked for (a session's link opened before joining stays on that session).
fn enter(router: Router, joined: RwSignal<u32>, code: EventCode) {
    joined.update(|n| *n = n.wrapping_add(1));
    if router.route_untracked().event() != Some(&code) {
        router.go(Route::Event(code));
    }
}
