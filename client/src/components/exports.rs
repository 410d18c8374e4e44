//! Downloads of results for staff: the whole event (organisers) or one session (its staff
//! too), as one workbook, as CSV tables or as JSON. The server checks who may have which.

use leptos::{prelude::*, task::spawn_local};
use plenum_protocol::{EventCode, SessionId};

use crate::api::{organiser, saved};
use crate::components::{feedback::problem_view, files::save_blob};
use crate::i18n::t;

/// The files, as the API names them, the workbook first.
const FILES: [&str; 8] = [
    "export.xlsx",
    "export/questions.csv",
    "export/polls.csv",
    "export/awards.csv",
    "export/quizzes.csv",
    "export/quiz_scores.csv",
    "export/harvests.csv",
    "export.json",
];

/// What this browser signs staff requests with: the organiser key in this tab, else the
/// event's own token (a moderator's or speaker's).
pub fn staff_credential(code: &EventCode) -> String {
    saved::organiser_key()
        .or_else(|| saved::token(code))
        .unwrap_or_default()
}

/// A file's name as saved: `ECC2026-questions.csv`, `ECC2026-opening-results.xlsx`.
fn saved_name(code: &EventCode, session: Option<&SessionId>, file: &str) -> String {
    let name = file
        .trim_start_matches("export/")
        .replace("export.", "results.");
    match session {
        Some(id) => format!("{code}-{id}-{name}"),
        None => format!("{code}-{name}"),
    }
}

/// Buttons that download each export of `session` (the whole event when `None`).
#[component]
pub fn ExportFiles(
    code: EventCode,
    key: StoredValue<String>,
    #[prop(into)] session: Signal<Option<SessionId>>,
) -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(None::<&'static str>);
    let buttons = FILES
        .into_iter()
        .map(|file| {
            let code = code.clone();
            let go = move |_| {
                // Busy: one download at a time per file (the button keeps its focus).
                if busy.get_untracked() == Some(file) {
                    return;
                }
                let chosen = session.get_untracked();
                let mut path = format!("/api/events/{code}/{file}");
                if let Some(id) = &chosen {
                    path.push_str(&format!("?session={id}"));
                }
                let name = saved_name(&code, chosen.as_ref(), file);
                busy.set(Some(file));
                spawn_local(async move {
                    match organiser::download(&key.get_value(), &path).await {
                        Ok(blob) => {
                            problem.set(None);
                            save_blob(&name, &blob);
                        }
                        Err(e) => problem.set(Some(e.message())),
                    }
                    busy.set(None);
                });
            };
            let label = move || match file {
                "export.xlsx" => t("export-workbook"),
                "export.json" => "JSON".to_owned(),
                csv => csv.trim_start_matches("export/").to_owned(),
            };
            view! {
                <li><button type="button" on:click=go aria-disabled=move || (busy.get() == Some(file)).then_some("true")>{label}</button></li>
            }
        })
        .collect_view();
    view! {
        <p class="hint">{move || t("export-hint")}</p>
        <ul class="exports">{buttons}</ul>
        {problem_view(problem)}
    }
}

/// A panel for one session's exports, on the moderator's and speaker's consoles.
#[component]
pub fn SessionExports(code: EventCode, id: SessionId) -> impl IntoView {
    let key = StoredValue::new(staff_credential(&code));
    let session = Signal::stored(Some(id));
    view! {
        <section class="panel" aria-labelledby="session-export-heading">
            <h2 id="session-export-heading">{move || t("export-session")}</h2>
            <ExportFiles code key session />
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::saved_name;
    use plenum_protocol::{EventCode, SessionId};

    #[test]
    fn saved_files_name_the_event_and_session() {
        let code = EventCode::parse("ECC2026").unwrap();
        let id = SessionId::parse("opening").unwrap();
        assert_eq!(
            saved_name(&code, None, "export/questions.csv"),
            "ECC2026-questions.csv"
        );
        assert_eq!(
            saved_name(&code, Some(&id), "export.xlsx"),
            "ECC2026-opening-results.xlsx"
        );
    }
}
