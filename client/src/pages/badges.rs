//! The badge sheet, for an onsite event: each person the event keeps, with their name, their
//! organisation and a QR code of their contact code (which names them and signs nobody in).
//! Printed from the browser: the sheet prints as cards, the page around it does not. A
//! person's own sign-in link is never on it.

use leptos::prelude::*;
use plenum_protocol::{Badge, EventCode};

use crate::api::{organiser, saved};
use crate::components::{follow::page_title, qr::Qr};
use crate::i18n::{Arg, t, ta, tc};

#[component]
pub fn BadgesPage(code: EventCode) -> impl IntoView {
    let Some(key) = saved::organiser_credential(&code) else {
        return view! { <super::organise::OrganisePage /> }.into_any();
    };
    let badges = {
        let code = code.clone();
        LocalResource::new(move || {
            let (code, key) = (code.clone(), key.clone());
            async move { organiser::badges(&key, &code).await }
        })
    };
    page_title(move || t("badges"));
    let print = move |_| {
        let _ = window().print();
    };
    view! {
        <div class="organise badges-page">
            <super::report::OrganiserBar code=code.clone() />
            <h1>{move || t("badges")}</h1>
            <p class="hint">{move || t("badges-hint")}</p>
            <button type="button" class="primary" on:click=print>{move || t("badges-print")}</button>
            {move || match badges.get() {
                None => view! { <p role="status">{t("loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e.message()}</p> }.into_any(),
                Some(Ok(list)) => view! { <Sheet list /> }.into_any(),
            }}
        </div>
    }
    .into_any()
}

#[component]
fn Sheet(list: Vec<Badge>) -> impl IntoView {
    let count = list.len() as u64;
    view! {
        <p role="status">{move || tc("badges-count", count)}</p>
        <ul class="badge-sheet">
            {list.into_iter().map(|b| {
                let label = ta("badge-qr-label", &[("name", Arg::Str(b.name.clone()))]);
                view! {
                    <li class="badge">
                        <p class="badge-name">{b.name}</p>
                        {b.organisation.map(|o| view! { <p class="badge-org">{o}</p> })}
                        <Qr text=b.contact_url label />
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
