//! The agenda in and out: a file's import (a spreadsheet, a frab/pretalx schedule, Plenum's
//! own JSON), previewed with its problems by row and column before the organiser takes it; and
//! the agenda as JSON, for scripts and for copying between events.

use leptos::prelude::*;
use leptos::task::spawn_local;
use plenum_protocol::{Agenda, AgendaImport, EventCode, limits};

use crate::api::organiser;
use crate::components::feedback::problem_view;
use crate::i18n::{Arg, locale, t, ta, tc};
use crate::text::kind_label;

/// The import: a file in, a preview out; nothing changes until the organiser takes it.
#[component]
pub(super) fn Import(
    code: StoredValue<EventCode>,
    key: StoredValue<String>,
    on_use: impl Fn(Agenda) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let preview = RwSignal::new(None::<AgendaImport>);
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let load = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(t).ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        // Choosing the same (corrected) file again is a change too.
        input.set_value("");
        if file.size() > limits::MAX_AGENDA_BYTES as f64 {
            problem.set(Some(t("agenda-too-large")));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            // Plenum's own JSON is read here; anything else the server reads.
            let own = if file.name().to_lowercase().ends_with(".json") {
                wasm_bindgen_futures::JsFuture::from(file.text())
                    .await
                    .ok()
                    .and_then(|t| t.as_string())
                    .and_then(|t| serde_json::from_str::<Agenda>(&t).ok())
            } else {
                None
            };
            let result = match own {
                Some(agenda) => Ok(AgendaImport {
                    format: plenum_protocol::ImportFormat::ScheduleJson,
                    agenda,
                    problems: Vec::new(),
                    time_zone: None,
                }),
                None => organiser::import_agenda(&key.get_value(), &code.get_value(), &file).await,
            };
            busy.set(false);
            match result {
                Ok(read) => {
                    problem.set(None);
                    preview.set(Some(read));
                    // Take the eyes (and a screen reader) to the preview.
                    request_animation_frame(|| {
                        if let Some(h) = document().get_element_by_id("preview-heading") {
                            let _ = wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(h)
                                .focus();
                        }
                    });
                }
                Err(e) => problem.set(Some(e.message())),
            }
        });
    };
    let lang = move || locale().tag();
    view! {
        <div class="import">
            <label for="agenda-file">{move || t("import-agenda-file")}</label>
            <input id="agenda-file" type="file" aria-describedby="agenda-file-hint"
                accept=".csv,.xlsx,.xml,.json,text/csv,application/json,application/xml,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                on:change=load />
            <p id="agenda-file-hint" class="hint">
                {move || t("import-agenda-hint")} " "
                <a href=move || format!("/api/agenda-template.xlsx?lang={}", lang()) download="">{move || t("template-xlsx")}</a>
                " · "
                <a href=move || format!("/api/agenda-template.csv?lang={}", lang()) download="">{move || t("template-csv")}</a>
            </p>
            <p role="status">{move || busy.get().then(|| t("reading-file"))}</p>
            {problem_view(problem)}
            {move || preview.get().map(|read| view! { <Preview read preview on_use /> })}
        </div>
    }
}

#[component]
fn Preview(
    read: AgendaImport,
    preview: RwSignal<Option<AgendaImport>>,
    on_use: impl Fn(Agenda) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ok = read.problems.is_empty();
    let agenda = StoredValue::new(read.agenda.clone());
    let date_of = |a: &Agenda, n: u32| {
        a.days
            .iter()
            .find(|d| d.number == n)
            .map(|d| d.date.clone())
            .unwrap_or_default()
    };
    let rows = read
        .agenda
        .sessions
        .iter()
        .map(|s| {
            let talks = s.contributions.len();
            let speakers: usize = s.contributions.iter().map(|c| c.speakers.len()).sum();
            view! {
                <tr>
                    <td>{date_of(&read.agenda, s.day)}</td>
                    <td>{format!("{}–{}", s.start, s.end)}</td>
                    <th scope="row">{s.title.clone()}</th>
                    <td>{kind_label(s.kind)}</td>
                    <td>{s.track.clone().or_else(|| s.location.clone()).unwrap_or_default()}</td>
                    <td>{format!("{talks} / {speakers}")}</td>
                </tr>
            }
        })
        .collect_view();
    let problems = problem_items(&read.problems);
    view! {
        <div class="import-preview" role="region" aria-labelledby="preview-heading">
            <h3 id="preview-heading" tabindex="-1">{move || t("import-preview")}</h3>
            {read.time_zone.clone().map(|z| view! { <p class="hint">{ta("import-time-zone", &[("zone", Arg::Str(z))])}</p> })}
            {(!ok).then(|| view! {
                <div role="alert">
                    <p class="error">{tc("import-problems", read.problems.len() as u64)}</p>
                    <ul class="import-problems">{problems}</ul>
                </div>
            })}
            <p>{tc("import-sessions", read.agenda.sessions.len() as u64)}</p>
            <div class="table-scroll" tabindex="0" role="group" aria-labelledby="preview-heading">
                <table class="preview">
                    <thead><tr>
                        <th scope="col">{t("preview-date")}</th>
                        <th scope="col">{t("preview-time")}</th>
                        <th scope="col">{t("session-title")}</th>
                        <th scope="col">{t("session-kind")}</th>
                        <th scope="col">{t("preview-track")}</th>
                        <th scope="col">{t("preview-talks")}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <div class="save-bar">
                <button type="button" class="primary" prop:disabled=!ok
                    on:click=move |_| { on_use(agenda.get_value()); preview.set(None) }>
                    {move || t("use-imported-agenda")}
                </button>
                <button type="button" on:click=move |_| preview.set(None)>{move || t("cancel")}</button>
            </div>
        </div>
    }
}

/// An import's problems as list items, each led by where it is: "Row 3, End".
pub(in crate::pages) fn problem_items(
    problems: &[plenum_protocol::ImportProblem],
) -> impl IntoView + use<> {
    problems
        .iter()
        .map(|p| {
            let row = p
                .row
                .map(|r| ta("import-row", &[("row", Arg::Num(r as f64))]));
            let place = [row, p.column.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ");
            view! { <li><strong>{place}</strong>{" "}{p.message.clone()}</li> }
        })
        .collect_view()
}

/// The agenda as JSON, for scripts and for copying between events.
#[component]
pub(super) fn AgendaJson(
    draft: RwSignal<Agenda>,
    on_use: impl Fn(Agenda) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let open = move |_| text.set(organiser::agenda_text(&draft.get_untracked()));
    let apply = move |_| match serde_json::from_str::<Agenda>(&text.get_untracked()) {
        Ok(a) => {
            problem.set(None);
            on_use(a);
        }
        Err(e) => problem.set(Some(ta(
            "json-unreadable",
            &[("detail", Arg::Str(e.to_string()))],
        ))),
    };
    view! {
        <details class="agenda-json" on:toggle=open>
            <summary>{move || t("agenda-json")}</summary>
            <div class="stack">
                <label for="agenda-json">{move || t("agenda-json")}</label>
                <textarea id="agenda-json" class="code" rows="14" spellcheck="false" aria-describedby="agenda-hint"
                    prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                <p id="agenda-hint" class="hint">{move || t("agenda-hint")}</p>
                <button type="button" on:click=apply>{move || t("use-json")}</button>
                {problem_view(problem)}
            </div>
        </details>
    }
}
