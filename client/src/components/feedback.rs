//! Feedback: what a request did (refusals in the person's language, problems shown and
//! announced), the polite live region for what happens by itself, and who a console is for.

use crate::i18n::{Arg, t, ta};
use crate::live::{Live, Refusal};
use leptos::prelude::*;
use leptos::task::spawn_local;
use plenum_protocol::{ClientMsg, ErrorCode, Role, ServerMsg, SessionId};

/// A polite live region for what happens without the person doing anything (a new question,
/// a poll opening): read out by screen readers without moving focus.
#[derive(Clone, Copy)]
pub struct Announcer(RwSignal<String>);

impl Announcer {
    /// A new announcer over `words` (the live region's text).
    pub fn new(words: RwSignal<String>) -> Announcer {
        Announcer(words)
    }

    /// What it says now.
    pub fn words(&self) -> RwSignal<String> {
        self.0
    }
}

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

/// Whether the person may use a console of session `id`: their role is one of `roles`, and
/// their invitation covers the session (an organiser's, or one that names no sessions, covers
/// all). Checked here only to show the right page; the server checks every action itself.
pub fn may(live: Live, roles: &'static [Role], id: &SessionId) -> Memo<Option<bool>> {
    let id = id.clone();
    Memo::new(move |_| {
        live.person()
            .map(|p| roles.contains(&p.role) && covers(&p, &id))
    })
}

/// Whether `person`'s role covers session `id` (see [`may`]).
pub fn covers(person: &plenum_protocol::Person, id: &SessionId) -> bool {
    person.role == Role::Organiser || person.sessions.is_empty() || person.sessions.contains(id)
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
