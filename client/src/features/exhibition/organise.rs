//! The organisers' exhibition panel on the console: creating booths, each booth's staff link
//! to hand to the exhibitor (or a new one, ending the old), and removing a booth (asked twice).
//! A booth's words and logo are edited on its own page, by the organisers and its staff.

use leptos::prelude::*;
use leptos::task::spawn_local;
use plenum_protocol::{Booth, BoothDraft, BoothId, EventCode, StaffLink, limits};

use crate::api;
use crate::components::feedback::{announcer, problem_view};
use crate::i18n::{Arg, t, ta, tc};
use crate::route::Route;

/// A booth id made from an organisation's name: lower-case letters and digits (accents
/// dropped), words joined by `-`, at most 40 characters; another when `taken`.
pub fn booth_id(organisation: &str, taken: &[BoothId]) -> Option<BoothId> {
    let mut id = String::new();
    for c in organisation.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'å' | 'ä' | 'à' | 'á' | 'â' | 'ã' => 'a',
            'ö' | 'ø' | 'ó' | 'ò' | 'ô' | 'õ' => 'o',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'ü' | 'ú' | 'ù' | 'û' => 'u',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ç' => 'c',
            'ñ' => 'n',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            id.push(c);
        } else if !id.ends_with('-') && !id.is_empty() {
            id.push('-');
        }
    }
    let base: String = id.trim_end_matches('-').chars().take(34).collect();
    let base = if base.is_empty() {
        "booth".to_owned()
    } else {
        base.trim_end_matches('-').to_owned()
    };
    (1..=taken.len() + 1)
        .map(|n| {
            if n == 1 {
                base.clone()
            } else {
                format!("{base}-{n}")
            }
        })
        .filter_map(|id| BoothId::parse(&id).ok())
        .find(|id| !taken.contains(id))
}

#[component]
pub fn ExhibitionPanel(code: EventCode) -> impl IntoView {
    let speaker = announcer();
    let code = StoredValue::new(code);
    // Read again whenever the event's booths change (another organiser, an exhibitor).
    let version = use_context::<crate::live::Live>()
        .map(|live| super::booths_version(live, code.get_value()));
    let booths = LocalResource::new(move || {
        if let Some(v) = version {
            v.track();
        }
        let code = code.get_value();
        async move { api::booths::list(&code).await }
    });
    let name = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let organisation = name.get_untracked().trim().to_owned();
        let taken: Vec<BoothId> = booths
            .get_untracked()
            .and_then(Result::ok)
            .map(|l| l.into_iter().map(|b| b.id).collect())
            .unwrap_or_default();
        let Some(id) = booth_id(&organisation, &taken) else {
            return;
        };
        let draft = BoothDraft {
            organisation: organisation.clone(),
            ..BoothDraft::default()
        };
        spawn_local(async move {
            match api::booths::create(&code.get_value(), &id, &draft).await {
                Ok(_) => {
                    problem.set(None);
                    name.set(String::new());
                    speaker.say(ta("booth-created", &[("who", Arg::Str(organisation))]));
                    booths.refetch();
                }
                Err(e) => problem.set(Some(e.message())),
            }
        });
    };
    view! {
        <section class="panel" aria-labelledby="exhibition-heading">
            <h2 id="exhibition-heading">{move || t("exhibition")}</h2>
            <p class="hint">{move || t("exhibition-organise-hint")}</p>
            <form class="inline-form" on:submit=create>
                <div class="field">
                    <label for="new-booth">{move || t("booth-organisation")}</label>
                    <input id="new-booth" type="text" required maxlength=limits::MAX_ORGANISATION_CHARS.to_string()
                        prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                </div>
                <button type="submit">{move || t("booth-create")}</button>
            </form>
            {problem_view(problem)}
            {move || match booths.get() {
                None => view! { <p class="loading" role="status">{t("loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e.message()}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <p class="meta">{tc("booths-count", list.len() as u64)}</p>
                    <ul class="booth-admin">
                        {list.into_iter().map(|booth| view! {
                            <BoothRow booth code=code.get_value() reload=move || booths.refetch() />
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn BoothRow(
    booth: Booth,
    code: EventCode,
    reload: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let link = RwSignal::new(None::<StaffLink>);
    let problem = RwSignal::new(None::<String>);
    let sure = RwSignal::new(false);
    let id = StoredValue::new(booth.id.clone());
    let code = StoredValue::new(code);
    let show_link = move |renew: bool| {
        spawn_local(async move {
            match api::booths::staff_link(&code.get_value(), &id.get_value(), renew).await {
                Ok(l) => {
                    problem.set(None);
                    link.set(Some(l));
                }
                Err(e) => problem.set(Some(e.message())),
            }
        });
    };
    let remove = move |_| {
        if !sure.get_untracked() {
            sure.set(true);
            return;
        }
        spawn_local(async move {
            match api::booths::remove(&code.get_value(), &id.get_value()).await {
                Ok(_) => reload(),
                Err(e) => problem.set(Some(e.message())),
            }
        });
    };
    let page = Route::Booth(code.get_value(), booth.id.clone()).path();
    let org = booth.about.organisation.clone();
    let staff = booth.staff.len() as u64;
    let link_id = format!("staff-link-{}", booth.id);
    view! {
        <li class="card">
            <a href=page>{booth.about.organisation.clone()}</a>
            " · "<span class="meta">{move || tc("booth-staff-count", staff)}</span>
            <div class="actions">
                <button type="button" on:click=move |_| show_link(false)>{move || t("booth-staff-link")}</button>
                <Show when=move || link.with(Option::is_some)>
                    <button type="button" on:click=move |_| show_link(true)>{move || t("booth-new-staff-link")}</button>
                </Show>
                <button type="button" class=move || if sure.get() { "danger" } else { "" } on:click=remove
                    aria-label=move || ta("booth-remove-label", &[("who", Arg::Str(org.clone()))])>
                    {move || if sure.get() { t("booth-remove-sure") } else { t("booth-remove") }}
                </button>
            </div>
            {move || link.get().map(|l| {
                let id = link_id.clone();
                view! {
                    <label for=id.clone()>{move || t("booth-staff-link-label")}</label>
                    <input id=id type="text" readonly value=l.link class="invite-link-text" />
                }
            })}
            {problem_view(problem)}
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booth_ids_are_made_from_names() {
        let id = |s: &str| BoothId::parse(s).unwrap();
        assert_eq!(booth_id("Porto Cluster", &[]), Some(id("porto-cluster")));
        assert_eq!(
            booth_id("  Göteborg & Malmö AB ", &[]),
            Some(id("goteborg-malmo-ab"))
        );
        assert_eq!(booth_id("日本", &[]), Some(id("booth")));
        assert_eq!(
            booth_id(
                "Porto Cluster",
                &[id("porto-cluster"), id("porto-cluster-2")]
            ),
            Some(id("porto-cluster-3"))
        );
        let long = booth_id(&"x".repeat(80), &[]).unwrap();
        assert!(long.as_str().len() <= 40);
    }
}
