//! Editing a booth, for its staff and the organisers: its words (both languages), sector,
//! country, tags, video, links and offers, and its logo. The server checks every field and
//! who may; its refusal is shown as it names the field.

use leptos::prelude::*;
use leptos::task::spawn_local;
use plenum_protocol::{Booth, BoothDraft, BoothLink, EventCode, Offer, limits};

use crate::api;
use crate::components::feedback::{announcer, problem_view};
use crate::i18n::t;

/// A text field's value: `None` when empty.
fn some(v: String) -> Option<String> {
    Some(v).filter(|v| !v.trim().is_empty())
}

#[component]
pub fn EditBooth(
    booth: Booth,
    code: EventCode,
    reload: impl Fn() + Copy + Send + Sync + 'static,
    /// The person is on its staff (not an organiser): they may leave it.
    mine: bool,
    /// Whether the booth has a logo now.
    has_logo: Memo<bool>,
) -> impl IntoView {
    let speaker = announcer();
    let draft = RwSignal::new(booth.about.clone());
    let tags = RwSignal::new(booth.about.tags.join(", "));
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let id = StoredValue::new(booth.id.clone());
    let code = StoredValue::new(code);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut d: BoothDraft = draft.get_untracked();
        d.tags = tags
            .get_untracked()
            .split(',')
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect();
        d.links
            .retain(|l| !(l.label.trim().is_empty() && l.url.trim().is_empty()));
        d.offers
            .retain(|o| !o.title.trim().is_empty() || o.text.is_some());
        busy.set(true);
        spawn_local(async move {
            match api::booths::save(&code.get_value(), &id.get_value(), &d).await {
                Ok(_) => {
                    problem.set(None);
                    saved.set(true);
                    speaker.say(t("booth-saved"));
                    reload();
                }
                Err(e) => problem.set(Some(e.message())),
            }
            busy.set(false);
        });
    };
    let text =
        |get: fn(&BoothDraft) -> Option<String>| move || draft.with(|d| get(d).unwrap_or_default());
    view! {
        <section class="panel" aria-labelledby="edit-booth-heading">
            <h2 id="edit-booth-heading">{move || t("booth-edit")}</h2>
            <form class="stack" on:submit=save on:input=move |_| saved.set(false)>
                <label for="booth-organisation">{move || t("booth-organisation")}</label>
                <input id="booth-organisation" type="text" required maxlength=limits::MAX_ORGANISATION_CHARS.to_string()
                    prop:value=move || draft.with(|d| d.organisation.clone())
                    on:input=move |ev| draft.update(|d| d.organisation = event_target_value(&ev)) />
                <label for="booth-description-en">{move || t("booth-description-en")}</label>
                <textarea id="booth-description-en" rows="4" lang="en" maxlength=limits::MAX_BOOTH_DESCRIPTION_CHARS.to_string()
                    prop:value=text(|d| d.description.en.clone())
                    on:input=move |ev| draft.update(|d| d.description.en = some(event_target_value(&ev)))></textarea>
                <label for="booth-description-sv">{move || t("booth-description-sv")}</label>
                <textarea id="booth-description-sv" rows="4" lang="sv" maxlength=limits::MAX_BOOTH_DESCRIPTION_CHARS.to_string()
                    prop:value=text(|d| d.description.sv.clone())
                    on:input=move |ev| draft.update(|d| d.description.sv = some(event_target_value(&ev)))></textarea>
                <label for="booth-sector">{move || t("exhibition-sector")}</label>
                <input id="booth-sector" type="text" maxlength=limits::MAX_TAG_CHARS.to_string()
                    prop:value=text(|d| d.sector.clone())
                    on:input=move |ev| draft.update(|d| d.sector = some(event_target_value(&ev))) />
                <label for="booth-country">{move || t("booth-country")}</label>
                <input id="booth-country" type="text" maxlength="2" autocomplete="country" aria-describedby="booth-country-hint"
                    prop:value=text(|d| d.country.clone())
                    on:input=move |ev| draft.update(|d| d.country = some(event_target_value(&ev))) />
                <p class="hint" id="booth-country-hint">{move || t("booth-country-hint")}</p>
                <label for="booth-tags">{move || t("booth-tags")}</label>
                <input id="booth-tags" type="text" aria-describedby="booth-tags-hint" prop:value=move || tags.get()
                    on:input=move |ev| tags.set(event_target_value(&ev)) />
                <p class="hint" id="booth-tags-hint">{move || t("booth-tags-hint")}</p>
                <label for="booth-video">{move || t("booth-video-link")}</label>
                <input id="booth-video" type="url" inputmode="url" aria-describedby="booth-video-hint"
                    prop:value=text(|d| d.video.clone())
                    on:input=move |ev| draft.update(|d| d.video = some(event_target_value(&ev))) />
                <p class="hint" id="booth-video-hint">{move || t("booth-video-hint")}</p>
                <label for="booth-call">{move || t("booth-call")}</label>
                <input id="booth-call" type="url" inputmode="url" aria-describedby="booth-call-hint"
                    prop:value=text(|d| d.call.clone())
                    on:input=move |ev| draft.update(|d| d.call = some(event_target_value(&ev))) />
                <p class="hint" id="booth-call-hint">{move || t("booth-call-hint")}</p>
                <Links draft />
                <Offers draft />
                <button type="submit" class="primary" disabled=move || busy.get()>{move || t("booth-save")}</button>
                <p role="status" class="sent">{move || saved.get().then(|| t("booth-saved"))}</p>
                {problem_view(problem)}
            </form>
            <Logo booth=booth.clone() code=code.get_value() reload has_logo />
            {mine.then(|| view! { <Leave booth=booth.clone() code=code.get_value() reload /> })}
        </section>
    }
}

/// The booth's links, each a label and an address.
#[component]
fn Links(draft: RwSignal<BoothDraft>) -> impl IntoView {
    let count = Memo::new(move |_| draft.with(|d| d.links.len()));
    view! {
        <fieldset>
            <legend>{move || t("booth-links")}</legend>
            {move || (0..count.get()).map(|i| {
                let label_id = format!("booth-link-label-{i}");
                let url_id = format!("booth-link-url-{i}");
                view! {
                    <div class="inline-form">
                        <div class="field">
                            <label for=label_id.clone()>{move || t("booth-link-label")}</label>
                            <input id=label_id type="text" maxlength=limits::MAX_BOOTH_LINK_LABEL_CHARS.to_string()
                                prop:value=move || draft.with(|d| d.links.get(i).map(|l| l.label.clone()).unwrap_or_default())
                                on:input=move |ev| draft.update(|d| if let Some(l) = d.links.get_mut(i) { l.label = event_target_value(&ev) }) />
                        </div>
                        <div class="field">
                            <label for=url_id.clone()>{move || t("booth-link-url")}</label>
                            <input id=url_id type="url" inputmode="url"
                                prop:value=move || draft.with(|d| d.links.get(i).map(|l| l.url.clone()).unwrap_or_default())
                                on:input=move |ev| draft.update(|d| if let Some(l) = d.links.get_mut(i) { l.url = event_target_value(&ev) }) />
                        </div>
                        <button type="button" on:click=move |_| draft.update(|d| { if i < d.links.len() { d.links.remove(i); } })>{move || t("remove")}</button>
                    </div>
                }
            }).collect_view()}
            <Show when=move || { count.get() < limits::MAX_BOOTH_LINKS }>
                <button type="button" on:click=move |_| draft.update(|d| d.links.push(BoothLink { label: String::new(), url: String::new() }))>{move || t("booth-add-link")}</button>
            </Show>
        </fieldset>
    }
}

/// The booth's offers, each a title and a text.
#[component]
fn Offers(draft: RwSignal<BoothDraft>) -> impl IntoView {
    let count = Memo::new(move |_| draft.with(|d| d.offers.len()));
    view! {
        <fieldset>
            <legend>{move || t("booth-offers")}</legend>
            {move || (0..count.get()).map(|i| {
                let title_id = format!("booth-offer-title-{i}");
                let text_id = format!("booth-offer-text-{i}");
                view! {
                    <div class="stack">
                        <label for=title_id.clone()>{move || t("booth-offer-title")}</label>
                        <input id=title_id type="text" maxlength=limits::MAX_CARD_TITLE_CHARS.to_string()
                            prop:value=move || draft.with(|d| d.offers.get(i).map(|o| o.title.clone()).unwrap_or_default())
                            on:input=move |ev| draft.update(|d| if let Some(o) = d.offers.get_mut(i) { o.title = event_target_value(&ev) }) />
                        <label for=text_id.clone()>{move || t("booth-offer-text")}</label>
                        <textarea id=text_id rows="2" maxlength=limits::MAX_CARD_TEXT_CHARS.to_string()
                            prop:value=move || draft.with(|d| d.offers.get(i).and_then(|o| o.text.clone()).unwrap_or_default())
                            on:input=move |ev| draft.update(|d| if let Some(o) = d.offers.get_mut(i) { o.text = some(event_target_value(&ev)) })></textarea>
                        <button type="button" on:click=move |_| draft.update(|d| { if i < d.offers.len() { d.offers.remove(i); } })>{move || t("remove")}</button>
                    </div>
                }
            }).collect_view()}
            <Show when=move || { count.get() < limits::MAX_BOOTH_OFFERS }>
                <button type="button" on:click=move |_| draft.update(|d| d.offers.push(Offer { title: String::new(), text: None }))>{move || t("booth-add-offer")}</button>
            </Show>
        </fieldset>
    }
}

/// The logo: a PNG, JPEG or WebP file sent as it is (the server reads and re-encodes it).
#[component]
fn Logo(
    booth: Booth,
    code: EventCode,
    reload: impl Fn() + Copy + Send + Sync + 'static,
    has_logo: Memo<bool>,
) -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let id = StoredValue::new(booth.id.clone());
    let code = StoredValue::new(code);
    let send = move |file: Option<web_sys::File>| {
        busy.set(true);
        spawn_local(async move {
            match api::booths::logo(&code.get_value(), &id.get_value(), file.as_ref()).await {
                Ok(_) => {
                    problem.set(None);
                    reload();
                }
                Err(e) => problem.set(Some(e.message())),
            }
            busy.set(false);
        });
    };
    let chosen = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(t).ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        if file.size() > limits::MAX_LOGO_BYTES as f64 {
            problem.set(Some(t("booth-logo-too-large")));
            return;
        }
        send(Some(file));
    };
    view! {
        <div class="stack">
            <label for="booth-logo-file">{move || t("booth-logo")}</label>
            <input id="booth-logo-file" type="file" accept="image/png,image/jpeg,image/webp" aria-describedby="booth-logo-hint"
                on:change=chosen disabled=move || busy.get() />
            <p class="hint" id="booth-logo-hint">{move || t("booth-logo-hint")}</p>
            <Show when=move || has_logo.get()>
                <button type="button" on:click=move |_| send(None) disabled=move || busy.get()>{move || t("booth-logo-remove")}</button>
            </Show>
            {problem_view(problem)}
        </div>
    }
}

/// Leaving the booth's staff (a staff member, not an organiser).
#[component]
fn Leave(
    booth: Booth,
    code: EventCode,
    reload: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    let live: crate::live::Live = expect_context();
    let id = StoredValue::new(booth.id.clone());
    let code = StoredValue::new(code);
    let leave = move |_| {
        let Some(me) = live
            .person()
            .and_then(|p| plenum_protocol::PersonId::parse(&p.id).ok())
        else {
            return;
        };
        spawn_local(async move {
            match api::booths::leave_staff(&code.get_value(), &id.get_value(), &me).await {
                Ok(_) => reload(),
                Err(e) => problem.set(Some(e.message())),
            }
        });
    };
    view! {
        <button type="button" on:click=leave>{move || t("booth-leave")}</button>
        {problem_view(problem)}
    }
}
