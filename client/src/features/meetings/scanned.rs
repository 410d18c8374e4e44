//! A badge scanned: its QR code opened this page with `?contact=CODE`. The code names the
//! person on the badge (and signs nobody in); here one asks them for contact details, choosing
//! what to share and saying why. Nothing of theirs shows until they agree (`contacts.rs`).

use leptos::prelude::*;
use leptos::task::spawn_local;
use plenum_protocol::{ClientMsg, MeetingPerson, Sharing, limits};

use super::{Meet, who};
use crate::components::feedback::{act_or, problem_view};
use crate::i18n::{Arg, t, ta};

#[component]
pub fn Scanned(contact: String) -> impl IntoView {
    let meet: Meet = expect_context();
    let holder = RwSignal::new(None::<Result<MeetingPerson, String>>);
    {
        let token = crate::api::saved::token(&meet.code()).unwrap_or_default();
        let code = meet.code();
        spawn_local(async move {
            let found = crate::api::person::contact_holder(&token, &code, &contact).await;
            holder.set(Some(found.map_err(|e| e.message())));
        });
    }
    // The person found is shown once: the form is not made again as the inbox changes.
    let found = Memo::new(move |_| holder.get());
    view! {
        <section class="panel scanned" aria-labelledby="scanned-heading">
            <h2 id="scanned-heading">{move || t("scanned-heading")}</h2>
            {move || match found.get() {
                None => view! { <p role="status">{t("loading")}</p> }.into_any(),
                Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
                Some(Ok(person)) => view! { <Ask person /> }.into_any(),
            }}
        </section>
    }
}

/// What to share with the person on the badge, and why: sent as `share_contact`.
#[component]
fn Ask(person: MeetingPerson) -> impl IntoView {
    let meet: Meet = expect_context();
    let share = RwSignal::new(Sharing::default());
    let why = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let sent = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let mine = Memo::new({
        let id = person.id.clone();
        move |_| meet.me.get().is_some_and(|me| me == id.as_str())
    });
    let has_email = Memo::new(move |_| {
        meet.inbox.with(|i| {
            i.as_ref()
                .and_then(|i| i.contact_card.as_ref())
                .is_some_and(|c| c.email.is_some())
        })
    });
    let has_phone = Memo::new(move |_| {
        meet.inbox.with(|i| {
            i.as_ref()
                .and_then(|i| i.contact_card.as_ref())
                .is_some_and(|c| c.phone.is_some())
        })
    });
    let with = StoredValue::new(person.id.clone());
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let why = why.get_untracked().trim().to_owned();
        let msg = ClientMsg::ShareContact {
            event: meet.code(),
            with: with.get_value(),
            share: share.get_untracked(),
            why: Some(why).filter(|w| !w.is_empty()),
        };
        busy.set(true);
        act_or(
            meet.live,
            msg,
            problem,
            move |_| {
                busy.set(false);
                sent.set(true);
            },
            // Refused: the form stays, to try again.
            move || busy.set(false),
        );
    };
    let who_words = who(&person);
    view! {
        <p>{move || ta("scanned-who", &[("who", Arg::Str(who_words.clone()))])}</p>
        <Show when=move || !mine.get() fallback=|| view! { <p class="hint">{move || t("scanned-yours")}</p> }>
            <Show when=move || !sent.get() fallback=|| view! { <p role="status">{move || t("scanned-sent")}</p> }>
                <form class="stack" on:submit=send>
                    <fieldset class="share-choice">
                        <legend>{move || t("contact-what-you-share")}</legend>
                        <Show when=move || !has_email.get() && !has_phone.get()>
                            <p class="hint">{move || t("meeting-share-no-card")}</p>
                        </Show>
                        <Show when=move || has_email.get()>
                            <label class="choice" for="scanned-email"><input id="scanned-email" type="checkbox" prop:checked=move || share.with(|s| s.email) on:change=move |ev| { let on = event_target_checked(&ev); share.update(|s| s.email = on); } />{move || t("contact-email")}</label>
                        </Show>
                        <Show when=move || has_phone.get()>
                            <label class="choice" for="scanned-phone"><input id="scanned-phone" type="checkbox" prop:checked=move || share.with(|s| s.phone) on:change=move |ev| { let on = event_target_checked(&ev); share.update(|s| s.phone = on); } />{move || t("contact-phone")}</label>
                        </Show>
                        <label for="scanned-note">{move || t("contact-note")}</label>
                        <input id="scanned-note" type="text" maxlength=limits::MAX_CONTACT_NOTE_CHARS.to_string()
                            prop:value=move || share.with(|s| s.note.clone().unwrap_or_default())
                            on:input=move |ev| { let v = event_target_value(&ev); share.update(|s| s.note = Some(v).filter(|v| !v.trim().is_empty())); } />
                    </fieldset>
                    <label for="scanned-why">{move || t("scanned-why")}</label>
                    <input id="scanned-why" type="text" maxlength=limits::MAX_CONTACT_NOTE_CHARS.to_string()
                        prop:value=move || why.get() on:input=move |ev| why.set(event_target_value(&ev)) />
                    <button type="submit" class="primary" disabled=move || busy.get()>{move || t("scanned-send")}</button>
                </form>
            </Show>
        </Show>
        {problem_view(problem)}
    }
}
