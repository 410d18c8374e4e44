//! The exhibition hall: every booth as a card, with a search and filters by sector and
//! country; the count of what is shown is read out as it changes.

use leptos::prelude::*;
use plenum_protocol::{Booth, EventCode};

use super::{localised, logo_src};
use crate::i18n::{t, tc};
use crate::live::Live;
use crate::route::{Link, Route};

/// Whether `booth` matches the search (every word, in any of its texts) and the filters.
fn matches(booth: &Booth, words: &[String], sector: &str, country: &str) -> bool {
    let a = &booth.about;
    if !sector.is_empty() && a.sector.as_deref() != Some(sector) {
        return false;
    }
    if !country.is_empty() && a.country.as_deref() != Some(country) {
        return false;
    }
    let mut text = vec![a.organisation.as_str()];
    text.extend(a.description.en.as_deref());
    text.extend(a.description.sv.as_deref());
    text.extend(a.sector.as_deref());
    text.extend(a.tags.iter().map(String::as_str));
    text.extend(a.offers.iter().map(|o| o.title.as_str()));
    let text = text.join(" ").to_lowercase();
    words.iter().all(|w| text.contains(w.as_str()))
}

/// The distinct values of one field of the booths, sorted.
fn distinct(booths: &[Booth], field: impl Fn(&Booth) -> Option<&String>) -> Vec<String> {
    let mut all: Vec<String> = booths.iter().filter_map(|b| field(b).cloned()).collect();
    all.sort();
    all.dedup();
    all
}

#[component]
pub fn HallPage(code: EventCode) -> impl IntoView {
    let live: Live = expect_context();
    // Reading again redraws only the cards, never the search being typed.
    let (list, failure, _) = super::last_good(live, code.clone());
    let ready = Memo::new(move |_| list.with(Option::is_some));
    let back = Route::Event(code.clone());
    view! {
        <div class="exhibition">
            <p class="crumbs"><Link to=back>{move || t("back-to-agenda")}</Link></p>
            <h1>{move || t("exhibition")}</h1>
            {move || failure.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            <Show when=move || ready.get() fallback=|| view! { <p class="loading" role="status">{move || t("loading")}</p> }>
                <Hall list code=code.clone() />
            </Show>
        </div>
    }
}

#[component]
fn Hall(list: RwSignal<Option<Vec<Booth>>>, code: EventCode) -> impl IntoView {
    let query = RwSignal::new(String::new());
    let sector = RwSignal::new(String::new());
    let country = RwSignal::new(String::new());
    let all = Memo::new(move |_| list.get().unwrap_or_default());
    let sectors = Memo::new(move |_| all.with(|l| distinct(l, |b| b.about.sector.as_ref())));
    let countries = Memo::new(move |_| all.with(|l| distinct(l, |b| b.about.country.as_ref())));
    let shown = Memo::new(move |_| {
        let words: Vec<String> = query
            .get()
            .to_lowercase()
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        let (s, c) = (sector.get(), country.get());
        all.with(|l| {
            l.iter()
                .filter(|b| matches(b, &words, &s, &c))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    // A filter whose value no booth has any more is cleared (its select no longer offers it).
    Effect::new(move || {
        let (s, c) = (sector.get(), country.get());
        if !s.is_empty() && !sectors.with(|l| l.contains(&s)) {
            sector.set(String::new());
        }
        if !c.is_empty() && !countries.with(|l| l.contains(&c)) {
            country.set(String::new());
        }
    });
    let empty = Memo::new(move |_| all.with(Vec::is_empty));
    let code = StoredValue::new(code);
    view! {
        <Show when=move || !empty.get() fallback=|| view! { <p>{move || t("exhibition-empty")}</p> }>
            <form class="hall-filters" role="search" on:submit=|ev| ev.prevent_default()>
                <div class="field">
                    <label for="hall-search">{move || t("exhibition-search")}</label>
                    <input id="hall-search" type="search" prop:value=move || query.get()
                        on:input=move |ev| query.set(event_target_value(&ev)) />
                </div>
                <Show when=move || { sectors.with(|s| s.len() > 1) }>
                    <div class="field">
                        <label for="hall-sector">{move || t("exhibition-sector")}</label>
                        <select id="hall-sector" on:change=move |ev| sector.set(event_target_value(&ev))>
                            <option value="">{move || t("exhibition-any")}</option>
                            {move || sectors.get().into_iter().map(|s| {
                                let chosen = sector.get_untracked() == s;
                                view! { <option value=s.clone() selected=chosen>{s.clone()}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                </Show>
                <Show when=move || { countries.with(|c| c.len() > 1) }>
                    <div class="field">
                        <label for="hall-country">{move || t("exhibition-country")}</label>
                        <select id="hall-country" on:change=move |ev| country.set(event_target_value(&ev))>
                            <option value="">{move || t("exhibition-any")}</option>
                            {move || countries.get().into_iter().map(|c| {
                                let chosen = country.get_untracked() == c;
                                view! { <option value=c.clone() selected=chosen>{crate::text::country_name(&c)}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                </Show>
            </form>
            <p role="status" class="meta">{move || tc("booths-shown", shown.with(Vec::len) as u64)}</p>
            <ul class="booth-grid">
                <For each=move || shown.get() key=|b| serde_json::to_string(b).unwrap_or_default() let:booth>
                    <BoothCard booth code=code.get_value() />
                </For>
            </ul>
        </Show>
    }
}

#[component]
fn BoothCard(booth: Booth, code: EventCode) -> impl IntoView {
    let logo = logo_src(booth.logo.as_deref());
    let initial = booth
        .about
        .organisation
        .chars()
        .next()
        .map(String::from)
        .unwrap_or_default();
    let meta: Vec<String> = booth
        .about
        .sector
        .iter()
        .cloned()
        .chain(
            booth
                .about
                .country
                .iter()
                .map(|c| crate::text::country_name(c)),
        )
        .collect();
    let summary = localised(&booth.about.description).map(|(words, lang)| {
        let short: String = words.chars().take(140).collect();
        let short = if short.len() < words.len() {
            format!("{short}…")
        } else {
            short
        };
        (short, lang)
    });
    let staff = booth.staff.len() as u64;
    let to = Route::Booth(code, booth.id.clone());
    view! {
        <li class="booth-card">
            {match logo {
                Some(src) => view! { <img class="booth-logo" src=src alt="" loading="lazy" /> }.into_any(),
                None => view! { <span class="booth-logo booth-initial" aria-hidden="true">{initial}</span> }.into_any(),
            }}
            <h2 class="booth-name"><Link to=to>{booth.about.organisation.clone()}</Link></h2>
            {(!meta.is_empty()).then(|| view! { <p class="meta">{meta.join(" · ")}</p> })}
            {summary.map(|(words, lang)| view! { <p class="booth-summary" lang=lang>{words}</p> })}
            {(!booth.about.tags.is_empty()).then(|| view! {
                <ul class="tags">{booth.about.tags.iter().map(|t| view! { <li>{t.clone()}</li> }).collect_view()}</ul>
            })}
            {(staff > 0).then(|| view! { <p class="meta">{move || tc("booth-staff-count", staff)}</p> })}
            {booth.staffed.then(|| view! { <p class="staffed-now">{move || t("booth-staffed-now")}</p> })}
            {(booth.visitors_now > 0).then(|| {
                let n = u64::from(booth.visitors_now);
                view! { <p class="meta visitors-now">{move || tc("booth-visitors-now", n)}</p> }
            })}
        </li>
    }
}
