//! Who a person is at an event besides their name: their organisation, country and languages.
//! Given when joining (optional), edited later on the event's page; kept by the server
//! (`set_profile`), on every device of theirs (their inbox carries it). World cafés seat people
//! at tables in a language they speak, and keep organisations apart.
//!
//! Country and language names come from the browser (`Intl.DisplayNames`), in the page's
//! language; the lists are codes only.

use leptos::prelude::*;
use plenum_protocol::{ClientMsg, EventCode, Profile, limits};

use crate::components::feedback::{act, problem_view};
use crate::i18n::t;
use crate::live::Live;

/// ISO 3166-1 alpha-2: every country and territory with a code of its own.
const COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ \
BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE \
DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR \
GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP \
KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT \
MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW \
PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG \
TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM \
ZW";

/// Languages offered besides the event's own: the European Union's, and a few more spoken at
/// its conferences.
const LANGUAGES: &[&str] = &[
    "en", "sv", "fi", "da", "no", "is", "de", "fr", "es", "it", "pt", "nl", "pl", "cs", "sk", "sl",
    "hr", "hu", "ro", "bg", "el", "et", "lv", "lt", "ga", "mt", "uk", "ar", "tr", "zh",
];

/// A code's name in the page's language (`kind` `region` or `language`), or the code.
fn name_of(kind: &str, code: &str) -> String {
    crate::text::display_name(kind, code)
}

/// The profile's fields, bound to `profile`. `languages` are offered first (the event's).
#[component]
pub fn ProfileFields(
    profile: RwSignal<Profile>,
    /// Prefixes the fields' ids, so two forms may share a page.
    id: &'static str,
    #[prop(optional)] languages: Vec<String>,
) -> impl IntoView {
    let mut offered: Vec<String> = languages;
    for l in LANGUAGES {
        if !offered.iter().any(|o| o == l) {
            offered.push((*l).to_owned());
        }
    }
    // Languages the person named that the list lacks (an import may give any code).
    let extra = profile.with_untracked(|p| {
        p.languages
            .iter()
            .filter(|l| !offered.contains(l))
            .cloned()
            .collect::<Vec<_>>()
    });
    offered.extend(extra);
    let countries = move || {
        let mut all: Vec<(String, String)> = COUNTRIES
            .split_whitespace()
            .map(|c| (name_of("region", c), c.to_owned()))
            .collect();
        all.sort();
        all
    };
    let org_id = format!("{id}-organisation");
    let country_id = format!("{id}-country");
    let legend_id = format!("{id}-languages");
    view! {
        <div class="field">
            <label for=org_id.clone()>{move || t("profile-organisation")}</label>
            <input id=org_id type="text" autocomplete="organization"
                maxlength=limits::MAX_ORGANISATION_CHARS.to_string()
                prop:value=move || profile.with(|p| p.organisation.clone().unwrap_or_default())
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    profile.update(|p| p.organisation = Some(v).filter(|o| !o.trim().is_empty()));
                } />
        </div>
        <div class="field">
            <label for=country_id.clone()>{move || t("profile-country")}</label>
            <select id=country_id on:change=move |ev| {
                let v = event_target_value(&ev);
                profile.update(|p| p.country = Some(v).filter(|c| !c.is_empty()));
            }>
                <option value="" selected=move || profile.with(|p| p.country.is_none())>{move || t("profile-no-country")}</option>
                {move || countries().into_iter().map(|(name, code)| {
                    let chosen = profile.with_untracked(|p| p.country.as_deref() == Some(code.as_str()));
                    view! { <option value=code.clone() selected=chosen>{name}</option> }
                }).collect_view()}
            </select>
        </div>
        <fieldset class="field languages" aria-describedby=format!("{legend_id}-hint")>
            <legend>{move || t("profile-languages")}</legend>
            <p class="hint" id=format!("{legend_id}-hint")>{move || t("profile-languages-hint")}</p>
            <div class="choices">
                {offered.into_iter().map(|code| {
                    let c = code.clone();
                    let named = code.clone();
                    let box_id = format!("{id}-lang-{code}");
                    let for_id = box_id.clone();
                    view! {
                        <label for=for_id class="choice">
                            <input id=box_id type="checkbox"
                                prop:checked=move || profile.with(|p| p.languages.contains(&c))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    let code = code.clone();
                                    profile.update(|p| {
                                        p.languages.retain(|l| *l != code);
                                        if on && p.languages.len() < limits::MAX_PROFILE_LANGUAGES {
                                            p.languages.push(code);
                                        }
                                    });
                                } />
                            {move || name_of("language", &named)}
                        </label>
                    }
                }).collect_view()}
            </div>
        </fieldset>
    }
}

/// The person's profile on the event's page: said in a line, edited in a disclosure, saved
/// with `set_profile` (every device of theirs hears it).
#[component]
pub fn ProfileEditor(
    live: Live,
    code: EventCode,
    /// The profile as the server keeps it (their inbox's).
    #[prop(into)]
    kept: Signal<Profile>,
    languages: Vec<String>,
) -> impl IntoView {
    let draft = RwSignal::new(kept.get_untracked());
    let problem = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let open = RwSignal::new(false);
    // A change from another device shows here, unless this one is being edited.
    Effect::new(move || {
        let now = kept.get();
        if !open.get_untracked() {
            draft.set(now);
        }
    });
    let said = move || {
        kept.with(|p| {
            let mut parts: Vec<String> = Vec::new();
            parts.extend(p.organisation.clone());
            parts.extend(p.country.as_deref().map(|c| name_of("region", c)));
            parts.extend(p.languages.iter().map(|l| name_of("language", l)));
            if parts.is_empty() {
                t("profile-empty")
            } else {
                parts.join(" · ")
            }
        })
    };
    let event = StoredValue::new(code);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let msg = ClientMsg::SetProfile {
            event: event.get_value(),
            profile: draft.get_untracked(),
        };
        act(live, msg, problem, move |_| {
            saved.set(true);
            open.set(false);
        });
    };
    view! {
        <details class="profile" prop:open=move || open.get() on:toggle=move |ev| {
            open.set(event_target::<web_sys::Element>(&ev).has_attribute("open"));
        }>
            <summary>
                <span class="profile-title">{move || t("profile-you")}</span>
                ": " {said}
            </summary>
            <form class="stack" on:submit=save>
                <p class="hint">{move || t("profile-hint")}</p>
                <ProfileFields profile=draft id="profile" languages=languages.clone() />
                <button type="submit" class="primary">{move || t("save")}</button>
                {problem_view(problem)}
            </form>
        </details>
        <p role="status" class="sent">{move || saved.get().then(|| t("profile-saved"))}</p>
    }
}
