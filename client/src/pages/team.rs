//! The event's team, on the organiser's console: every invitation the event made, with its link
//! to copy (kept across reloads while it works), who made it and whether someone joined through
//! it, each withdrawable; co-organisers (invited by the organiser key's holder only); and the
//! activity log of who did what.

use leptos::task::spawn_local;
use leptos::{ev::SubmitEvent, prelude::*};
use plenum_protocol::{ActivityEntry, EventCode, InvitationInfo, Role, SessionId, limits};

use crate::api::{organiser, saved};
use crate::components::{feedback::*, status::role_label};
use crate::i18n::{Arg, t, ta, tc};

/// Entries of the activity log shown at first, and added by "Show more".
const ACTIVITY_PAGE: usize = 50;

#[component]
pub fn Invites(
    code: EventCode,
    key: StoredValue<String>,
    sessions: Memo<Vec<plenum_protocol::Session>>,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Moderator);
    // The session a moderator's or speaker's invitation covers; `None`: all of them.
    let scope = RwSignal::new(None::<SessionId>);
    let problem = RwSignal::new(None::<String>);
    let event = StoredValue::new(code.clone());
    // Who the last invitation was made for, said politely.
    let made = RwSignal::new(None::<String>);
    let list = {
        let code = code.clone();
        LocalResource::new(move || {
            let (code, key) = (code.clone(), key.get_value());
            async move { organiser::invitations(&key, &code).await }
        })
    };
    // Only the organiser key's holder invites co-organisers (and withdraws them).
    let key_holder = saved::organiser_key().is_some();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (code, who, r, key) = (
            code.clone(),
            name.get_untracked().trim().to_owned(),
            role.get_untracked(),
            key.get_value(),
        );
        let covers: Vec<SessionId> = match r {
            Role::Moderator | Role::Speaker => scope.get_untracked().into_iter().collect(),
            _ => Vec::new(),
        };
        spawn_local(async move {
            match organiser::invite(&key, &code, r, who.clone(), covers).await {
                Ok(_) => {
                    problem.set(None);
                    name.set(String::new());
                    made.set(Some(who));
                    list.refetch();
                }
                Err(e) => problem.set(Some(e.message())),
            }
        });
    };
    let withdraw = Callback::new(move |id: String| {
        let (code, key) = (event.get_value(), key.get_value());
        spawn_local(async move {
            match organiser::withdraw_invite(&key, &code, &id).await {
                Ok(_) => list.refetch(),
                Err(e) => problem.set(Some(e.message())),
            }
        });
    });
    view! {
        <section class="panel" aria-labelledby="invites-heading">
            <h2 id="invites-heading">{move || t("invitations")}</h2>
            <form class="stack" on:submit=submit>
                <label for="invite-name">{move || t("invitee-name")}</label>
                <input id="invite-name" type="text" required maxlength=limits::MAX_DISPLAY_NAME_CHARS.to_string() prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                <label for="invite-role">{move || t("invitee-role")}</label>
                <select id="invite-role" on:change=move |ev| role.set(match event_target_value(&ev).as_str() { "speaker" => Role::Speaker, "attendee" => Role::Attendee, "organiser" => Role::Organiser, _ => Role::Moderator })>
                    <option value="moderator" selected>{move || t("role-moderator")}</option>
                    <option value="speaker">{move || t("role-speaker")}</option>
                    <option value="attendee">{move || t("role-registered")}</option>
                    {key_holder.then(|| view! { <option value="organiser">{move || t("role-co-organiser")}</option> })}
                </select>
                <label for="invite-scope">{move || t("invitee-sessions")}</label>
                <select id="invite-scope" prop:disabled=move || !matches!(role.get(), Role::Moderator | Role::Speaker) on:change=move |ev| scope.set(SessionId::parse(&event_target_value(&ev)).ok())>
                    <option value="" selected>{move || t("all-sessions")}</option>
                    {move || sessions.get().into_iter().map(|s| {
                        view! { <option value=s.id.to_string()>{format!("{} · {}", s.start, s.title)}</option> }
                    }).collect_view()}
                </select>
                <p class="hint" hidden=move || role.get() != Role::Organiser>{move || t("co-organiser-hint")}</p>
                <button type="submit">{move || t("create-invitation")}</button>
                {problem_view(problem)}
            </form>
            <p role="status" id="invite-made" class="sent">
                {move || made.get().map(|name| ta("invitation-made", &[("name", Arg::Str(name))]))}
            </p>
            <h3>{move || t("invitations-made")}</h3>
            {move || match list.get() {
                None => view! { <p role="status">{t("loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e.message()}</p> }.into_any(),
                Some(Ok(all)) if all.is_empty() => view! { <p class="empty">{t("no-invitations")}</p> }.into_any(),
                Some(Ok(all)) => view! {
                    <p class="hint">{tc("invitations-count", all.len() as u64)}</p>
                    <ul class="invitation-list">
                        {all.into_iter().enumerate().map(|(n, i)| view! { <Invitation n i key_holder withdraw /> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

/// One invitation the event made: who for, as what, covering what, made by whom and when,
/// whether someone joined; withdrawable with a second press to confirm.
#[component]
fn Invitation(
    n: usize,
    i: InvitationInfo,
    key_holder: bool,
    withdraw: Callback<String>,
) -> impl IntoView {
    let asking = RwSignal::new(false);
    let covers = if i.sessions.is_empty() {
        String::new()
    } else {
        format!(
            " · {}",
            i.sessions
                .iter()
                .map(SessionId::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let made = ta(
        "invitation-made-by",
        &[
            ("name", Arg::Str(i.made_by.clone())),
            ("time", Arg::Str(when(i.made_at_ms))),
        ],
    );
    let state = if i.withdrawn {
        t("invitation-withdrawn")
    } else if i.joined {
        t("invitation-joined")
    } else {
        t("invitation-not-joined")
    };
    // Co-organisers are the key holder's to withdraw.
    let may_withdraw = !i.withdrawn && (key_holder || i.role != Role::Organiser);
    let id = StoredValue::new(i.id.clone());
    let label = ta(
        "withdraw-invitation-of",
        &[("name", Arg::Str(i.name.clone()))],
    );
    let field = format!("invite-link-{n}");
    let link_label = ta("invitation-link-of", &[("name", Arg::Str(i.name.clone()))]);
    let link = i
        .link
        .map(|path| format!("{}{path}", crate::route::public_origin()));
    view! {
        <li class:withdrawn=i.withdrawn>
            <span class="who">{i.name.clone()}</span>
            " · " {invitee_role(i.role)} {covers}
            <br />
            <small>{made} " · " <em>{state}</em></small>
            {link.map(|link| view! {
                <span class="invite-link">
                    <label class="visually-hidden" for=field.clone()>{link_label}</label>
                    <input id=field.clone() type="text" readonly value=link.clone() on:focus=move |ev| {
                        if let Some(input) = ev.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(t).ok()) { input.select(); }
                    } />
                    <button type="button" class="small" on:click=move |_| copy(&link)>{t("copy")}</button>
                </span>
            })}
            {may_withdraw.then(|| view! {
                <span class="row-actions">
                    <Show when=move || asking.get() fallback=move || view! {
                        <button type="button" class="small" aria-label=label.clone() on:click=move |_| asking.set(true)>{t("withdraw-invitation")}</button>
                    }>
                        <span role="alert">{t("withdraw-invitation-confirm")}</span>
                        " "
                        <button type="button" class="small danger" on:click=move |_| { asking.set(false); withdraw.run(id.get_value()) }>{t("withdraw-invitation")}</button>
                        <button type="button" class="small" on:click=move |_| asking.set(false)>{t("cancel")}</button>
                    </Show>
                </span>
            })}
        </li>
    }
}

/// A date and time on the viewer's clock, in the chosen language.
fn when(ms: i64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    date.to_locale_string(
        crate::i18n::locale().intl(),
        &wasm_bindgen::JsValue::UNDEFINED,
    )
    .into()
}

fn invitee_role(role: Role) -> String {
    match role {
        Role::Attendee => t("role-registered"),
        Role::Organiser => t("role-co-organiser"),
        r => role_label(r),
    }
}

fn copy(text: &str) {
    let clipboard = window().navigator().clipboard();
    let _ = clipboard.write_text(text);
}

/// The activity log, fetched when opened and on "Refresh".
#[component]
pub fn Activity(code: EventCode, key: StoredValue<String>) -> impl IntoView {
    let open = RwSignal::new(false);
    let shown = RwSignal::new(ACTIVITY_PAGE);
    let log = LocalResource::new(move || {
        let (code, key, open) = (code.clone(), key.get_value(), open.get());
        async move {
            if open {
                organiser::activity(&key, &code).await.map(Some)
            } else {
                Ok(None)
            }
        }
    });
    view! {
        <section class="panel" aria-labelledby="activity-heading">
            <h2 id="activity-heading">{move || t("activity")}</h2>
            <p class="hint">{move || t("activity-hint")}</p>
            <button type="button" aria-expanded=move || open.get().to_string() aria-controls="activity-log"
                on:click=move |_| open.update(|o| *o = !*o)>
                {move || t(if open.get() { "hide-activity" } else { "show-activity" })}
            </button>
            <div id="activity-log" hidden=move || !open.get()>
                <button type="button" class="small" on:click=move |_| log.refetch()>{move || t("refresh")}</button>
                {move || match log.get() {
                    None | Some(Ok(None)) => view! { <p role="status">{t("loading")}</p> }.into_any(),
                    Some(Err(e)) => view! { <p class="error" role="alert">{e.message()}</p> }.into_any(),
                    Some(Ok(Some(entries))) if entries.is_empty() => view! { <p class="empty">{t("no-activity")}</p> }.into_any(),
                    Some(Ok(Some(entries))) => {
                        let total = entries.len();
                        view! {
                            <ol class="activity-log">
                                {entries.into_iter().take(shown.get()).map(|e| view! { <Entry e /> }).collect_view()}
                            </ol>
                            {(total > shown.get()).then(|| view! {
                                <button type="button" class="small" on:click=move |_| shown.update(|n| *n += ACTIVITY_PAGE)>
                                    {tc("show-more-of", (total - shown.get_untracked()) as u64)}
                                </button>
                            })}
                        }.into_any()
                    }
                }}
            </div>
        </section>
    }
}

#[component]
fn Entry(e: ActivityEntry) -> impl IntoView {
    // Requests without a message of their own are named as the protocol names them.
    let id = format!("did-{}", e.what);
    let what = Some(t(&id)).filter(|w| *w != id).unwrap_or(e.what);
    view! {
        <li>
            <span class="when">{when(e.at_ms)}</span>
            " · " <span class="who">{e.name.clone()}</span>
            {(e.name != role_label(e.role)).then(|| format!(" ({})", role_label(e.role)))}
            " "
            <span class="what">{what}</span>
            {e.session.map(|s| view! { " · " <code>{s.to_string()}</code> })}
            {(!e.detail.is_empty()).then(|| view! { <br /><small class="detail">{e.detail}</small> })}
        </li>
    }
}
