//! The join form: an event code and an optional name, traded for a token.

use leptos::{ev::SubmitEvent, prelude::*};
use plenum_protocol::{EventCode, limits};

use super::Joined;
use crate::api::{self, ApiFailure, saved};
use crate::route::{Route, Router, use_router};

/// What is wrong with the form, shown next to the field it is about.
#[derive(Debug, Clone, PartialEq)]
enum Problem {
    Code(String),
    Other(String),
}

/// The join form. `code` fills in the code, for an event's link opened before joining.
#[component]
pub fn JoinPage(code: Option<EventCode>) -> impl IntoView {
    let router = use_router();
    let Joined(joined) = expect_context();
    document().set_title("Join an event · Plenum");
    let (code_text, set_code_text) = signal(code.map(|c| c.to_string()).unwrap_or_default());
    let (name, set_name) = signal(String::new());
    let (problem, set_problem) = signal(None::<Problem>);

    let join = Action::new_local(move |(code, name): &(EventCode, Option<String>)| {
        let (code, name) = (code.clone(), name.clone());
        async move {
            let answer = api::join(&code, name.clone()).await?;
            saved::keep(&code, &answer.token, name.as_deref());
            enter(router, joined, code);
            Ok::<(), ApiFailure>(())
        }
    });
    Effect::new(move || {
        if let Some(Err(failure)) = join.value().get() {
            set_problem.set(Some(match failure {
                ApiFailure::NotFound => Problem::Code(failure.message()),
                failure => Problem::Other(failure.message()),
            }));
        }
    });

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if join.pending().get_untracked() {
            return;
        }
        let Ok(code) = EventCode::parse(&code_text.get_untracked()) else {
            set_problem.set(Some(Problem::Code(
                "Event codes are 3 to 16 letters or digits, like ECC2026.".to_owned(),
            )));
            return;
        };
        set_problem.set(None);
        // A token kept from an earlier visit is the same person: no need to join again.
        if saved::token(&code).is_some() {
            enter(router, joined, code);
            return;
        }
        let name: String = name
            .get_untracked()
            .trim()
            .chars()
            .take(limits::MAX_DISPLAY_NAME_CHARS)
            .collect();
        join.dispatch((code, Some(name).filter(|n| !n.is_empty())));
    };

    let code_problem = move || match problem.get() {
        Some(Problem::Code(message)) => Some(message),
        _ => None,
    };
    let other_problem = move || match problem.get() {
        Some(Problem::Other(message)) => Some(message),
        _ => None,
    };
    let pending = join.pending();

    view! {
        <div class="join">
            <p class="brand" aria-hidden="true">
                "Plenum"
            </p>
            <h1>"Join an event"</h1>
            <p class="lead">"Type the code shown on the screen or in your invitation."</p>
            <form on:submit=submit novalidate>
                <div class="field">
                    <label for="code">"Event code"</label>
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
                <div class="field">
                    <label for="name">"Your name " <span class="optional">"(optional)"</span></label>
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
                        "Shown with your questions. Leave it empty to take part anonymously."
                    </p>
                </div>
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
                    {move || if pending.get() { "Joining…" } else { "Join" }}
                </button>
            </form>
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
