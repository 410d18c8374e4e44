//! Contact details by consent: offers to answer (choosing what to share back), offers waiting
//! for the other one, and agreed contacts with what each shares. Either side ends one, and
//! what the other shared leaves this screen.

use leptos::prelude::*;
use plenum_protocol::{ClientMsg, Contact, ContactStatus, Sharing, limits};

use super::{Meet, who};
use crate::components::feedback::{act, announcer, problem_view};
use crate::i18n::{Arg, t, ta};

#[component]
pub fn Contacts() -> impl IntoView {
    let meet: Meet = expect_context();
    let contacts = Memo::new(move |_| {
        meet.inbox.with(|i| {
            i.as_ref()
                .map(|i| {
                    i.contacts
                        .iter()
                        .filter(|c| c.status != ContactStatus::Ended)
                        .cloned()
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let agreed =
        Memo::new(move |_| contacts.with(|c| c.iter().any(|c| c.status == ContactStatus::Agreed)));
    let problem = RwSignal::new(None::<String>);
    view! {
        <section class="panel" aria-labelledby="contacts-heading">
            <h2 id="contacts-heading">{move || t("contacts")}</h2>
            <p class="hint">{move || t("contacts-hint")}</p>
            {move || contacts.with(Vec::is_empty).then(|| view! { <p class="hint">{t("contacts-none")}</p> })}
            <ul class="contact-list">
                // Each made again only when it changes: a choice being made in another stays.
                <For each=move || contacts.get() key=|c| format!("{c:?}") let:c>
                    <li><ContactItem contact=c /></li>
                </For>
            </ul>
            <Show when=move || agreed.get()>
                <ContactFiles
                    key=crate::api::saved::token(&meet.code()).unwrap_or_default()
                    path=format!("/api/events/{}/contacts", meet.code())
                    file=format!("{}-contacts", meet.code())
                    problem
                />
            </Show>
            {problem_view(problem)}
        </section>
    }
}

/// The agreed contacts as files: CSV for a spreadsheet, vCard for an address book; `path` and
/// `file` without their ending, `key` what the request is signed with.
#[component]
pub fn ContactFiles(
    key: String,
    path: String,
    file: String,
    problem: RwSignal<Option<String>>,
) -> impl IntoView {
    let (key, path, file) = (
        StoredValue::new(key),
        StoredValue::new(path),
        StoredValue::new(file),
    );
    let download = move |ext: &'static str| {
        let (key, path, file) = (key.get_value(), path.get_value(), file.get_value());
        leptos::task::spawn_local(async move {
            match crate::api::organiser::download(&key, &format!("{path}.{ext}")).await {
                Ok(blob) => crate::components::files::save_blob(&format!("{file}.{ext}"), &blob),
                Err(e) => problem.set(Some(e.message())),
            }
        });
    };
    view! {
        <div class="actions contact-files">
            <button type="button" on:click=move |_| download("csv")>{move || t("contacts-download-csv")}</button>
            <button type="button" on:click=move |_| download("vcf")>{move || t("contacts-download-vcard")}</button>
        </div>
    }
}

#[component]
fn ContactItem(contact: Contact) -> impl IntoView {
    // Taken here: a reply arrives outside the component, where no context is.
    let speaker = announcer();
    let meet: Meet = expect_context();
    let problem = RwSignal::new(None::<String>);
    let with = StoredValue::new(contact.with.id.clone());
    let share = RwSignal::new(contact.mine.clone());
    let fid = format!("contact-{}", contact.with.id);
    let card = meet
        .inbox
        .with_untracked(|i| i.as_ref().and_then(|i| i.contact_card.clone()));
    let send_share = move |_| {
        let msg = ClientMsg::ShareContact {
            event: meet.code(),
            with: with.get_value(),
            share: share.get_untracked(),
            why: None,
        };
        act(meet.live, msg, problem, move |_| {
            speaker.say(t("contact-shared-said"))
        });
    };
    let end = move |_| {
        let msg = ClientMsg::EndContact {
            event: meet.code(),
            with: with.get_value(),
        };
        act(meet.live, msg, problem, move |_| {
            speaker.say(t("contact-ended-said"))
        });
    };
    let status = match contact.status {
        ContactStatus::Asked => t("contact-asked"),
        ContactStatus::Offered => t("contact-offered"),
        ContactStatus::Agreed => t("contact-agreed"),
        ContactStatus::Ended => t("contact-ended"),
    };
    let mine = sharing_words(&contact.mine);
    let theirs = contact.theirs.clone();
    let offered = contact.status == ContactStatus::Offered;
    let choices = move || {
        let fid = fid.clone();
        let (e, p, n) = (
            format!("{fid}-email"),
            format!("{fid}-phone"),
            format!("{fid}-note"),
        );
        let has_email = card.as_ref().is_some_and(|c| c.email.is_some());
        let has_phone = card.as_ref().is_some_and(|c| c.phone.is_some());
        view! {
            <fieldset class="share-choice">
                <legend>{t("contact-what-you-share")}</legend>
                {(!has_email && !has_phone).then(|| view! { <p class="hint">{t("meeting-share-no-card")}</p> })}
                {has_email.then(|| view! { <label class="choice" for=e.clone()><input id=e.clone() type="checkbox" prop:checked=move || share.with(|s| s.email) on:change=move |ev| { let on = event_target_checked(&ev); share.update(|s| s.email = on); } />{t("contact-email")}</label> })}
                {has_phone.then(|| view! { <label class="choice" for=p.clone()><input id=p.clone() type="checkbox" prop:checked=move || share.with(|s| s.phone) on:change=move |ev| { let on = event_target_checked(&ev); share.update(|s| s.phone = on); } />{t("contact-phone")}</label> })}
                <label for=n.clone()>{t("contact-note")}</label>
                <input id=n type="text" maxlength=limits::MAX_CONTACT_NOTE_CHARS.to_string() prop:value=move || share.with(|s| s.note.clone().unwrap_or_default())
                    on:input=move |ev| { let v = event_target_value(&ev); share.update(|s| s.note = Some(v).filter(|v| !v.trim().is_empty())); } />
            </fieldset>
        }
    };
    view! {
        <article class="contact">
            <h3>{who(&contact.with)}</h3>
            <p class="meeting-status">{status}</p>
            {contact.why.map(|w| view! { <blockquote>{w}</blockquote> })}
            {theirs.map(|s| view! {
                <dl class="shared">
                    {s.email.map(|e| { let href = format!("mailto:{e}"); view! { <dt>{t("contact-email")}</dt><dd><a href=href>{e}</a></dd> } })}
                    {s.phone.map(|p| { let href = format!("tel:{}", p.replace(' ', "")); view! { <dt>{t("contact-phone")}</dt><dd><a href=href>{p}</a></dd> } })}
                    {s.note.map(|n| view! { <dt>{t("contact-note")}</dt><dd>{n}</dd> })}
                </dl>
            })}
            {(!offered).then(|| view! { <p class="hint">{ta("contact-you-share", &[("what", Arg::Str(mine))])}</p> })}
            {offered.then(choices)}
            <div class="actions">
                {offered.then(|| view! { <button type="button" class="primary" on:click=send_share>{t("contact-accept")}</button> })}
                <button type="button" on:click=end>{if offered { t("contact-decline") } else { t("contact-end") }}</button>
            </div>
            {problem_view(problem)}
        </article>
    }
}

/// What someone shares, in words.
fn sharing_words(s: &Sharing) -> String {
    let mut parts = vec![t("contact-name-org")];
    if s.email {
        parts.push(t("contact-email"));
    }
    if s.phone {
        parts.push(t("contact-phone"));
    }
    if s.note.is_some() {
        parts.push(t("contact-note"));
    }
    parts.join(", ")
}
