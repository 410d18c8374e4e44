//! What the exhibition's contact forms share: a person in words, what someone shares, and the
//! choice of what of one's own card to share (every build: a pitch's "Request contact" is on
//! the session page).

use leptos::prelude::*;
use plenum_protocol::{ContactCard, EventCode, MeetingPerson, Shared, Sharing, limits};

use crate::i18n::t;
use crate::route::{Link, Route};

pub(crate) fn who(p: &MeetingPerson) -> String {
    match (&p.name, &p.organisation) {
        (Some(n), Some(o)) => format!("{n} ({o})"),
        (Some(n), None) => n.clone(),
        _ => p.id.to_string(),
    }
}

/// What someone shares, as a list of what it holds.
pub(crate) fn shared_view(s: Shared) -> impl IntoView {
    view! {
        <dl class="shared">
            {s.email.map(|e| { let href = format!("mailto:{e}"); view! { <dt>{t("contact-email")}</dt><dd><a href=href>{e}</a></dd> } })}
            {s.phone.map(|p| { let href = format!("tel:{}", p.replace(' ', "")); view! { <dt>{t("contact-phone")}</dt><dd><a href=href>{p}</a></dd> } })}
            {s.note.map(|n| view! { <dt>{t("contact-note")}</dt><dd>{n}</dd> })}
        </dl>
    }
}

/// Checkboxes for what of one's card to share, and a note; `fid`: the ids' start.
pub(crate) fn choices(
    fid: &str,
    card: Option<ContactCard>,
    share: RwSignal<Sharing>,
    code: EventCode,
) -> impl IntoView {
    let (e, p, n) = (
        format!("{fid}-email"),
        format!("{fid}-phone"),
        format!("{fid}-note"),
    );
    let has_email = card.as_ref().is_some_and(|c| c.email.is_some());
    let has_phone = card.as_ref().is_some_and(|c| c.phone.is_some());
    let meetings = Route::Meetings(code);
    view! {
        <fieldset class="share-choice">
            <legend>{t("contact-what-you-share")}</legend>
            <p class="hint">{t("contact-name-org")}</p>
            {(!has_email && !has_phone).then(|| view! { <p class="hint">{t("booth-contact-no-card")} " " <Link to=meetings.clone()>{move || t("meetings")}</Link></p> })}
            {has_email.then(|| view! { <label class="choice" for=e.clone()><input id=e.clone() type="checkbox" prop:checked=move || share.with(|s| s.email) on:change=move |ev| { let on = event_target_checked(&ev); share.update(|s| s.email = on); } />{t("contact-email")}</label> })}
            {has_phone.then(|| view! { <label class="choice" for=p.clone()><input id=p.clone() type="checkbox" prop:checked=move || share.with(|s| s.phone) on:change=move |ev| { let on = event_target_checked(&ev); share.update(|s| s.phone = on); } />{t("contact-phone")}</label> })}
            <label for=n.clone()>{t("contact-note")}</label>
            <input id=n type="text" maxlength=limits::MAX_CONTACT_NOTE_CHARS.to_string() prop:value=move || share.with(|s| s.note.clone().unwrap_or_default())
                on:input=move |ev| { let v = event_target_value(&ev); share.update(|s| s.note = Some(v).filter(|v| !v.trim().is_empty())); } />
        </fieldset>
    }
}
