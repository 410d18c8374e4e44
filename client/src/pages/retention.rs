//! The organisers' say over how long the event keeps personal data: the last day (then the
//! server purges it), and "purge now", asked twice. Exports are linked right here: what is
//! purged does not come back.

use leptos::prelude::*;
use leptos::task::spawn_local;
use plenum_protocol::{EventCode, EventInfo};

use crate::api::organiser;
use crate::components::feedback::{announcer, problem_view};
use crate::i18n::{Arg, t, ta};
use crate::time;

#[component]
pub fn Retention(
    code: EventCode,
    key: StoredValue<String>,
    event: Memo<Option<EventInfo>>,
) -> impl IntoView {
    let speaker = announcer();
    let kept =
        Memo::new(move |_| event.with(|e| e.as_ref().and_then(|e| e.personal_data_until.clone())));
    let purged = Memo::new(move |_| event.with(|e| e.as_ref().and_then(|e| e.purged_at_ms)));
    let zone = Memo::new(move |_| {
        event.with(|e| e.as_ref().map(|e| e.time_zone.clone()).unwrap_or_default())
    });
    let until = RwSignal::new(kept.get_untracked().unwrap_or_default());
    // Another organiser's change (or this page's saved one) comes back in the event's document.
    Effect::new(move |_| until.set(kept.get().unwrap_or_default()));
    let problem = RwSignal::new(None::<String>);
    let sure = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let save = {
        let code = code.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let value = until.get_untracked().trim().to_owned();
            let (code, key) = (code.clone(), key.get_value());
            spawn_local(async move {
                let value = (!value.is_empty()).then_some(value);
                match organiser::set_retention(&key, &code, value.clone()).await {
                    Ok(_) => {
                        problem.set(None);
                        speaker.say(match value {
                            Some(day) => ta(
                                "retention-saved",
                                &[("date", Arg::Str(time::long_date(&day)))],
                            ),
                            None => t("retention-cleared"),
                        });
                    }
                    Err(e) => problem.set(Some(e.message())),
                }
            });
        }
    };
    let purge = move |_| {
        if !sure.get_untracked() {
            sure.set(true);
            return;
        }
        let (code, key) = (code.clone(), key.get_value());
        busy.set(true);
        spawn_local(async move {
            match organiser::purge(&key, &code).await {
                Ok(_) => {
                    problem.set(None);
                    speaker.say(t("purged-now"));
                }
                Err(e) => problem.set(Some(e.message())),
            }
            sure.set(false);
            busy.set(false);
        });
    };
    view! {
        <section class="panel" aria-labelledby="retention-heading">
            <h2 id="retention-heading">{move || t("personal-data")}</h2>
            <p>{move || t("retention-explained")}</p>
            <form class="stack" on:submit=save>
                <label for="retention-until">{move || t("retention-until")}</label>
                <input id="retention-until" type="date" prop:value=move || until.get()
                    on:input=move |ev| until.set(event_target_value(&ev)) />
                <p class="hint">{move || t("retention-hint")}</p>
                <button type="submit">{move || t("retention-save")}</button>
            </form>
            <p role="status">{move || match kept.get() {
                Some(day) => ta("retention-set", &[("date", Arg::Str(time::long_date(&day)))]),
                None => t("retention-none"),
            }}</p>
            {move || purged.get().map(|at| view! {
                <p>{ta("purged-at", &[("at", Arg::Str(format!(
                    "{} {}",
                    time::day_in(at, &zone.get()),
                    time::moment(at, &zone.get()),
                )))])}</p>
            })}
            <button type="button" class="danger" disabled=move || busy.get() on:click=purge>
                {move || if sure.get() { t("purge-sure") } else { t("purge-now") }}
            </button>
            {problem_view(problem)}
        </section>
    }
}
