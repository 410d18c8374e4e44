//! Registered participants, on the organiser's console: a spreadsheet of people in (previewed
//! first, refused whole with every mistake named by row and column), a personal link for each
//! out (copy it, show its QR code, make it anew when lost), and the links as a CSV for a mail
//! merge (Plenum sends no email).

use leptos::prelude::*;
use leptos::task::spawn_local;
use plenum_protocol::{EventCode, PeopleImport, PersonalLink, Role, limits};

use crate::api::organiser;
use crate::components::{feedback::problem_view, files::save_blob, qr::Qr};
use crate::i18n::{Arg, t, ta, tc};

/// People listed at first, and added by "Show more".
const PAGE: usize = 50;

#[component]
pub fn Participants(code: EventCode, key: StoredValue<String>) -> impl IntoView {
    let event = StoredValue::new(code.clone());
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // The file chosen, and what the server read in it (nothing saved yet).
    let file = StoredValue::new_local(None::<web_sys::File>);
    let preview = RwSignal::new(None::<PeopleImport>);
    let saved_count = RwSignal::new(None::<(usize, usize)>);
    let list = LocalResource::new(move || {
        let (code, key) = (event.get_value(), key.get_value());
        async move { organiser::personal_links(&key, &code).await }
    });
    let send = move |save: bool| {
        let Some(chosen) = file.get_value() else {
            return;
        };
        busy.set(true);
        spawn_local(async move {
            let answer =
                organiser::import_people(&key.get_value(), &event.get_value(), &chosen, !save)
                    .await;
            busy.set(false);
            match answer {
                Ok(read) if read.saved => {
                    let new = read.people.iter().filter(|p| p.new).count();
                    saved_count.set(Some((new, read.people.len() - new)));
                    preview.set(None);
                    file.set_value(None);
                    problem.set(None);
                    list.refetch();
                }
                Ok(read) => {
                    problem.set(None);
                    preview.set(Some(read));
                }
                Err(e) => problem.set(Some(e.message())),
            }
        });
    };
    let load = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(t).ok())
        else {
            return;
        };
        let Some(chosen) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        // Choosing the same (corrected) file again is a change too.
        input.set_value("");
        saved_count.set(None);
        if chosen.size() > limits::MAX_IMPORT_BYTES as f64 {
            problem.set(Some(t("people-file-too-large")));
            return;
        }
        file.set_value(Some(chosen));
        send(false);
    };
    let download = move |_| {
        let (code, key) = (event.get_value(), key.get_value());
        spawn_local(async move {
            let path = format!("/api/events/{code}/people/links?format=csv");
            match organiser::download(&key, &path).await {
                Ok(blob) => save_blob(&format!("{code}-personal-links.csv"), &blob),
                Err(e) => problem.set(Some(e.message())),
            }
        });
    };
    view! {
        <section class="panel" aria-labelledby="participants-heading">
            <h2 id="participants-heading">{move || t("participants")}</h2>
            <p class="hint" id="people-file-hint">{move || t("participants-hint")}</p>
            <label for="people-file">{move || t("people-file")}</label>
            <input id="people-file" type="file" aria-describedby="people-file-hint"
                accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                on:change=load />
            <p role="status">
                {move || busy.get().then(|| t("reading-file"))}
                {move || saved_count.get().map(|(new, updated)| ta("people-saved", &[("new", Arg::Num(new as f64)), ("updated", Arg::Num(updated as f64))]))}
            </p>
            {problem_view(problem)}
            {move || preview.get().map(|read| view! { <Preview read preview send busy /> })}
            <h3>{move || t("personal-links")}</h3>
            {move || match list.get() {
                None => view! { <p role="status">{t("loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e.message()}</p> }.into_any(),
                Some(Ok(all)) if all.is_empty() => view! { <p class="empty">{t("no-participants")}</p> }.into_any(),
                Some(Ok(all)) => view! { <Links all event key download /> }.into_any(),
            }}
        </section>
    }
}

/// What a file holds, before it is saved: its people, or every mistake in it.
#[component]
fn Preview(
    read: PeopleImport,
    preview: RwSignal<Option<PeopleImport>>,
    send: impl Fn(bool) + Copy + 'static,
    /// A file is being read or saved: registering again waits (no second import of it).
    busy: RwSignal<bool>,
) -> impl IntoView {
    let ok = read.problems.is_empty();
    let problems = super::agenda_editor::problem_items(&read.problems);
    let new = read.people.iter().filter(|p| p.new).count();
    let updated = read.people.len() - new;
    let rows = read
        .people
        .iter()
        .take(PAGE)
        .map(|p| {
            view! {
                <tr>
                    <td>{p.row}</td>
                    <th scope="row">{p.name.clone()}</th>
                    <td>{p.profile.organisation.clone().unwrap_or_default()}</td>
                    <td>{p.profile.country.clone().unwrap_or_default()}</td>
                    <td>{p.profile.languages.join(" ")}</td>
                    <td>{role_word(p.role)}</td>
                    <td>{if p.new { t("person-new") } else { t("person-known") }}</td>
                </tr>
            }
        })
        .collect_view();
    let ignored = (!read.ignored_columns.is_empty()).then(|| {
        ta(
            "columns-ignored",
            &[("columns", Arg::Str(read.ignored_columns.join(", ")))],
        )
    });
    view! {
        <div class="import-preview" role="region" aria-labelledby="people-preview-heading">
            <h3 id="people-preview-heading" tabindex="-1">{move || t("import-preview")}</h3>
            {(!ok).then(|| view! {
                <div role="alert">
                    <p class="error">{tc("people-import-problems", read.problems.len() as u64)}</p>
                    <ul class="import-problems">{problems}</ul>
                </div>
            })}
            {ok.then(|| view! {
                <p>{ta("people-to-save", &[("new", Arg::Num(new as f64)), ("updated", Arg::Num(updated as f64))])}</p>
            })}
            {ignored.map(|i| view! { <p class="hint">{i}</p> })}
            {(!read.people.is_empty()).then(|| view! {
                <div class="table-scroll" tabindex="0" role="group" aria-labelledby="people-preview-heading">
                    <table class="preview">
                        <thead><tr>
                            <th scope="col">{t("import-row-heading")}</th>
                            <th scope="col">{t("person-name")}</th>
                            <th scope="col">{t("profile-organisation")}</th>
                            <th scope="col">{t("profile-country")}</th>
                            <th scope="col">{t("profile-languages")}</th>
                            <th scope="col">{t("invitee-role")}</th>
                            <th scope="col">{t("person-status")}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            })}
            <div class="save-bar">
                <button type="button" class="primary" prop:disabled=move || !ok || busy.get() on:click=move |_| send(true)>
                    {move || t("register-people")}
                </button>
                <button type="button" on:click=move |_| preview.set(None)>{move || t("cancel")}</button>
            </div>
        </div>
    }
}

/// Everyone registered, a page at a time, found by name, organisation or email.
#[component]
fn Links(
    all: Vec<PersonalLink>,
    event: StoredValue<EventCode>,
    key: StoredValue<String>,
    download: impl Fn(leptos::ev::MouseEvent) + Copy + 'static,
) -> impl IntoView {
    let total = all.len();
    let joined = all.iter().filter(|p| p.joined).count();
    let all = StoredValue::new(all);
    let filter = RwSignal::new(String::new());
    let shown = RwSignal::new(PAGE);
    let matching = Memo::new(move |_| {
        let f = filter.get().trim().to_lowercase();
        all.with_value(|all| {
            all.iter()
                .filter(|p| {
                    f.is_empty()
                        || p.name.to_lowercase().contains(&f)
                        || p.email.as_deref().unwrap_or("").contains(&f)
                        || p.profile
                            .organisation
                            .as_deref()
                            .unwrap_or("")
                            .to_lowercase()
                            .contains(&f)
                })
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    view! {
        <p class="hint">{ta("participants-count", &[("count", Arg::Num(total as f64)), ("joined", Arg::Num(joined as f64))])}</p>
        <button type="button" on:click=download>{move || t("download-links")}</button>
        <label for="people-filter">{move || t("find-person")}</label>
        <input id="people-filter" type="search" prop:value=move || filter.get()
            on:input=move |ev| { filter.set(event_target_value(&ev)); shown.set(PAGE) } />
        <ul class="invitation-list people-list">
            {move || matching.get().into_iter().take(shown.get()).enumerate()
                .map(|(n, p)| view! { <Participant n p event key /> }).collect_view()}
        </ul>
        {move || {
            let left = matching.with(Vec::len).saturating_sub(shown.get());
            (left > 0).then(|| view! {
                <button type="button" on:click=move |_| shown.update(|s| *s += PAGE)>{tc("show-more-of", left as u64)}</button>
            })
        }}
    }
}

/// One registered participant: their link to copy, its QR code, a new link when lost.
#[component]
fn Participant(
    n: usize,
    p: PersonalLink,
    event: StoredValue<EventCode>,
    key: StoredValue<String>,
) -> impl IntoView {
    let link = RwSignal::new(p.link.clone());
    let qr = RwSignal::new(false);
    let asking = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let person = StoredValue::new(p.person.clone());
    let name = p.name.clone();
    // Only links the caller may make anew (a co-organiser: the people they imported).
    let yours = p.yours;
    let reissue = move |_| {
        asking.set(false);
        let (code, key, person) = (event.get_value(), key.get_value(), person.get_value());
        spawn_local(async move {
            match organiser::reissue_link(&key, &code, &person).await {
                Ok(made) => {
                    problem.set(None);
                    link.set(made.link);
                }
                Err(e) => problem.set(Some(e.message())),
            }
        });
    };
    let about = [
        p.profile.organisation.clone(),
        p.profile.country.clone(),
        p.email.clone(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    let field = format!("personal-link-{n}");
    let link_label = ta("personal-link-of", &[("name", Arg::Str(name.clone()))]);
    let qr_label = ta("qr-of", &[("name", Arg::Str(name.clone()))]);
    let new_label = ta("new-link-of", &[("name", Arg::Str(name.clone()))]);
    view! {
        <li>
            <span class="who">{name.clone()}</span>
            " · " {role_word(p.role)}
            {(!about.is_empty()).then(|| view! { <br /><small>{about}</small> })}
            <br />
            <small><em>{if p.joined { t("invitation-joined") } else { t("invitation-not-joined") }}</em></small>
            {move || link.get().map(|l| {
                let copied = l.clone();
                let shown = l.clone();
                let (field, link_label, qr_label) = (field.clone(), link_label.clone(), qr_label.clone());
                view! {
                    <span class="invite-link">
                        <label class="visually-hidden" for=field.clone()>{link_label.clone()}</label>
                        <input id=field.clone() type="text" readonly value=l.clone() on:focus=move |ev| {
                            if let Some(input) = ev.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(t).ok()) { input.select(); }
                        } />
                        <button type="button" class="small" on:click=move |_| copy(&copied)>{t("copy")}</button>
                        <button type="button" class="small" aria-expanded=move || qr.get().to_string() on:click=move |_| qr.update(|q| *q = !*q)>{t("show-qr")}</button>
                    </span>
                    <Show when=move || qr.get()>
                        <div class="person-qr"><Qr text=shown.clone() label=qr_label.clone() /></div>
                    </Show>
                }
            })}
            {yours.then(|| view! {
            <span class="row-actions">
                <Show when=move || asking.get() fallback=move || view! {
                    <button type="button" class="small" aria-label=new_label.clone() on:click=move |_| asking.set(true)>{t("new-link")}</button>
                }>
                    <span role="alert">{t("new-link-confirm")}</span>
                    " "
                    <button type="button" class="small danger" on:click=reissue>{t("new-link")}</button>
                    <button type="button" class="small" on:click=move |_| asking.set(false)>{t("cancel")}</button>
                </Show>
            </span>
            })}
            {problem_view(problem)}
        </li>
    }
}

fn role_word(role: Role) -> String {
    match role {
        Role::Attendee => t("role-registered"),
        Role::Speaker => t("role-speaker"),
        Role::Moderator => t("role-moderator"),
        Role::Organiser => t("role-co-organiser"),
    }
}

fn copy(text: &str) {
    let clipboard = window().navigator().clipboard();
    let _ = clipboard.write_text(text);
}
