//! The organiser's agenda: a form for days, sessions and their talks; an import of a
//! spreadsheet (CSV, XLSX, from a template in English or Swedish) or of a frab/pretalx
//! schedule, previewed with every problem by row and column before anything is saved; and the
//! JSON for scripts. Nothing is saved until "Save agenda": the server checks the whole agenda
//! and names the field that is wrong.

mod import;

pub(super) use import::problem_items;

use import::{AgendaJson, Import};
use leptos::task::spawn_local;
use leptos::{ev::SubmitEvent, prelude::*};
use plenum_protocol::{
    Agenda, AgendaPerson, Attendance, Contribution, Day, EventCode, Material, Session, SessionId,
    SessionKind, limits,
};

use crate::api::{ApiFailure, organiser};
use crate::components::feedback::problem_view;
use crate::i18n::{Arg, t, ta, tc};
use crate::text::kind_label;

const KINDS: [SessionKind; 10] = [
    SessionKind::Plenary,
    SessionKind::Panel,
    SessionKind::Breakout,
    SessionKind::Workshop,
    SessionKind::WorldCafe,
    SessionKind::Pitch,
    SessionKind::Award,
    SessionKind::Networking,
    SessionKind::Visit,
    SessionKind::Social,
];

fn kind_code(k: SessionKind) -> String {
    serde_json::to_value(k)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn attendance_code(a: Attendance) -> &'static str {
    match a {
        Attendance::Online => "online",
        Attendance::Onsite => "onsite",
        Attendance::Hybrid => "hybrid",
    }
}

/// "Name", "Name, Organisation" or "Name, Role, Organisation", one a line.
fn people_text(people: &[AgendaPerson]) -> String {
    people
        .iter()
        .map(|p| match (&p.role, &p.organisation) {
            (Some(r), Some(o)) => format!("{}, {r}, {o}", p.name),
            (Some(r), None) => format!("{}, {r}, ", p.name),
            (None, Some(o)) => format!("{}, {o}", p.name),
            (None, None) => p.name.clone(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn person_of(line: &str) -> Option<AgendaPerson> {
    let parts: Vec<&str> = line.split(',').map(str::trim).collect();
    let some = |s: &str| Some(s.to_owned()).filter(|s| !s.is_empty());
    match parts.as_slice() {
        [] | [""] => None,
        [name] => Some(AgendaPerson {
            name: (*name).to_owned(),
            role: None,
            organisation: None,
        }),
        [name, org] => Some(AgendaPerson {
            name: (*name).to_owned(),
            role: None,
            organisation: some(org),
        }),
        [name, role, rest @ ..] => Some(AgendaPerson {
            name: (*name).to_owned(),
            role: some(role),
            organisation: some(&rest.join(", ")),
        }),
    }
}

fn people_of(text: &str) -> Vec<AgendaPerson> {
    text.lines().filter_map(person_of).collect()
}

/// "Title | https://…", one a line.
fn materials_text(list: &[Material]) -> String {
    list.iter()
        .map(|m| format!("{} | {}", m.title, m.url))
        .collect::<Vec<_>>()
        .join("\n")
}

fn materials_of(text: &str) -> Vec<Material> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| match l.rsplit_once('|') {
            Some((title, url)) => Material {
                title: title.trim().to_owned(),
                url: url.trim().to_owned(),
            },
            None => Material {
                title: l.trim().to_owned(),
                url: l.trim().to_owned(),
            },
        })
        .collect()
}

/// A new session's id: `session-N`, the first that neither the draft nor any agenda this
/// form has held uses (a new session must not inherit a removed one's room).
fn new_id(a: &Agenda, known: &std::collections::HashSet<SessionId>) -> SessionId {
    (a.sessions.len() + 1..)
        .filter_map(|n| SessionId::parse(&format!("session-{n}")).ok())
        .find(|id| !known.contains(id) && a.sessions.iter().all(|s| &s.id != id))
        .expect("an unused id")
}

/// The next day's date after the last one, or today.
fn next_date(a: &Agenda) -> String {
    let last = a.days.iter().map(|d| d.date.clone()).max();
    let base = match last {
        Some(d) => js_sys::Date::new(&format!("{d}T12:00:00Z").into()),
        None => js_sys::Date::new_0(),
    };
    if a.days.is_empty() {
        base.to_iso_string().as_string().unwrap_or_default()[..10].to_owned()
    } else {
        let next = js_sys::Date::new(&(base.get_time() + 86_400_000.0).into());
        next.to_iso_string().as_string().unwrap_or_default()[..10].to_owned()
    }
}

/// Where a field path the server names (`sessions[3].end`) is, for a person.
fn locate(a: &Agenda, field: &str) -> Option<String> {
    let index: usize = field
        .strip_prefix("sessions[")?
        .split(']')
        .next()?
        .parse()
        .ok()?;
    let s = a.sessions.get(index)?;
    Some(ta(
        "agenda-problem-in-session",
        &[
            ("number", Arg::Num(index as f64 + 1.0)),
            ("title", Arg::Str(s.title.clone())),
        ],
    ))
}

#[component]
pub fn AgendaEditor(code: EventCode, agenda: Agenda, key: StoredValue<String>) -> impl IntoView {
    let known = StoredValue::new(
        agenda
            .sessions
            .iter()
            .map(|s| s.id.clone())
            .collect::<std::collections::HashSet<_>>(),
    );
    let draft = RwSignal::new(agenda);
    // The exhibition's booths, for a pitch's talks to name (read once, and again on a change).
    let booths =
        crate::features::exhibition::booths(expect_context::<crate::live::Live>(), code.clone());
    provide_context(BoothChoices(Signal::from(Memo::new(
        move |_| match booths.get() {
            Some(Ok(list)) => list
                .into_iter()
                .map(|b| {
                    (
                        b.id.to_string(),
                        format!("{} ({})", b.about.organisation, b.id),
                    )
                })
                .collect(),
            _ => Vec::new(),
        },
    ))));
    // The event's people with a name, for a pitch's talk to name the person who pitches.
    let people = {
        let (key, code) = (key.get_value(), code.clone());
        LocalResource::new(move || {
            let (key, code) = (key.clone(), code.clone());
            async move { organiser::people(&key, &code).await }
        })
    };
    provide_context(PersonChoices(Signal::from(Memo::new(
        move |_| match people.get() {
            Some(Ok(list)) => list
                .into_iter()
                .filter_map(|p| {
                    let name = p.name?;
                    let label = match p.profile.organisation {
                        Some(o) => format!("{name} ({o})"),
                        None => name,
                    };
                    Some((p.id, label))
                })
                .collect(),
            _ => Vec::new(),
        },
    ))));
    // Bumped when the whole draft is replaced (an import, the JSON): the forms are rebuilt.
    let generation = RwSignal::new(0u64);
    let dirty = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let saved_ok = RwSignal::new(false);
    let code = StoredValue::new(code);
    let save = move |ev: SubmitEvent| {
        ev.prevent_default();
        let mut agenda = draft.get_untracked();
        for s in &mut agenda.sessions {
            let pitch = s.kind == SessionKind::Pitch;
            for (i, c) in s.contributions.iter_mut().enumerate() {
                c.number = i as u32 + 1;
                // Only a pitch's talks name a booth or a person: a session no longer a pitch
                // lets them go.
                if !pitch {
                    c.booth = None;
                    c.contact = None;
                }
            }
        }
        let body = serde_json::to_string(&agenda).unwrap_or_default();
        if body.len() > limits::MAX_AGENDA_BYTES {
            problem.set(Some(t("agenda-too-large")));
            return;
        }
        let (code, key) = (code.get_value(), key.get_value());
        spawn_local(async move {
            match organiser::replace_agenda(&key, &code, body).await {
                Ok(_) => {
                    problem.set(None);
                    saved_ok.set(true);
                    dirty.set(false);
                }
                Err(e) => {
                    let place = match &e {
                        ApiFailure::Refused {
                            error: Some(err), ..
                        } => err.field.as_deref().and_then(|f| locate(&agenda, f)),
                        _ => None,
                    };
                    let message = e.message();
                    problem.set(Some(match place {
                        Some(p) => format!("{p}: {message}"),
                        None => message,
                    }));
                }
            }
        });
    };
    let touched = move || {
        dirty.set(true);
        saved_ok.set(false);
    };
    let replace = move |a: Agenda| {
        known.update_value(|k| k.extend(a.sessions.iter().map(|s| s.id.clone())));
        draft.set(a);
        generation.update(|g| *g += 1);
        dirty.set(true);
        saved_ok.set(false);
    };
    // (generation, count): a new draft of the same size rebuilds the forms too.
    let sessions = Memo::new(move |_| (generation.get(), draft.with(|a| a.sessions.len())));
    let days = Memo::new(move |_| (generation.get(), draft.with(|a| a.days.len())));
    let add_day = move |_| {
        draft.update(|a| {
            let number = a.days.iter().map(|d| d.number).max().unwrap_or(0) + 1;
            let date = next_date(a);
            a.days.push(Day {
                number,
                date,
                title: None,
            });
        });
        touched();
    };
    let add_session = move |_| {
        draft.update(|a| {
            let id = known.with_value(|k| new_id(a, k));
            known.update_value(|k| {
                k.insert(id.clone());
            });
            let day = a.days.first().map_or(1, |d| d.number);
            a.sessions.push(Session {
                id,
                title: String::new(),
                kind: SessionKind::Plenary,
                day,
                start: "09:00".into(),
                end: "10:00".into(),
                track: None,
                location: None,
                attendance: Attendance::Hybrid,
                language: None,
                description: None,
                stream_url: None,
                materials: Vec::new(),
                moderator: None,
                contributions: Vec::new(),
            });
        });
        touched();
        // Open the new session's form and put the cursor in its title.
        let last = draft.with_untracked(|a| a.sessions.len()) - 1;
        request_animation_frame(move || {
            if let Some(el) = document().get_element_by_id(&format!("s{last}-title")) {
                if let Some(d) = el.closest("details").ok().flatten() {
                    let _ = d.set_attribute("open", "");
                }
                let _ = wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(el).focus();
            }
        });
    };
    view! {
        <section class="panel agenda-editor" aria-labelledby="agenda-heading">
            <h2 id="agenda-heading">{move || t("agenda")}</h2>
            <Import code key on_use=replace />
            <form class="stack" on:submit=save>
                <fieldset class="days">
                    <legend>{move || t("agenda-days")}</legend>
                    {move || (0..days.get().1).map(|i| view! { <DayRow i draft on_change=touched /> }).collect_view()}
                    <button type="button" class="small add-day" on:click=add_day>{move || t("add-day")}</button>
                </fieldset>
                <h3>{move || tc("sessions-count", sessions.get().1 as u64)}</h3>
                <ol class="session-forms">
                    {move || (0..sessions.get().1).map(|i| view! { <SessionForm i draft on_change=touched generation /> }).collect_view()}
                </ol>
                <button type="button" class="add-session" on:click=add_session prop:disabled=move || days.get().1 == 0>{move || t("add-session")}</button>
                <p class="hint" hidden=move || days.get().1 != 0>{move || t("add-day-first")}</p>
                <div class="save-bar">
                    <button type="submit" class="primary save-agenda">{move || t("save-agenda")}</button>
                    <span class="hint">{move || dirty.get().then(|| t("agenda-unsaved"))}</span>
                </div>
                {problem_view(problem)}
                <p role="status" class="sent agenda-saved">{move || saved_ok.get().then(|| t("agenda-saved"))}</p>
            </form>
            <AgendaJson draft on_use=replace />
        </section>
    }
}

#[component]
fn DayRow(
    i: usize,
    draft: RwSignal<Agenda>,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let number = draft.with_untracked(|a| a.days[i].number);
    let used = move || draft.with(|a| a.sessions.iter().any(|s| s.day == number));
    let remove = move |_| {
        draft.update(|a| {
            a.days.remove(i);
        });
        on_change();
    };
    view! {
        <div class="day-row">
            <label for=format!("day{i}-date")>{move || ta("day-number", &[("number", Arg::Num(number as f64))])}</label>
            <input id=format!("day{i}-date") type="date" required
                prop:value=move || draft.with(|a| a.days.get(i).map(|d| d.date.clone()).unwrap_or_default())
                on:input=move |ev| { let v = event_target_value(&ev); draft.update(|a| if let Some(d) = a.days.get_mut(i) { d.date = v }); on_change() } />
            <label for=format!("day{i}-title") class="visually-hidden">{move || t("day-title")}</label>
            <input id=format!("day{i}-title") type="text" maxlength=limits::MAX_TITLE_CHARS.to_string() placeholder=move || t("day-title")
                prop:value=move || draft.with(|a| a.days.get(i).and_then(|d| d.title.clone()).unwrap_or_default())
                on:input=move |ev| { let v = event_target_value(&ev); draft.update(|a| if let Some(d) = a.days.get_mut(i) { d.title = Some(v) }); on_change() } />
            <button type="button" class="small" on:click=remove prop:disabled=used
                title=move || if used() { t("day-in-use") } else { String::new() }>
                {move || t("remove")}
            </button>
        </div>
    }
}

/// A text input bound to one field of one session.
fn session_input(
    draft: RwSignal<Agenda>,
    i: usize,
    (name, label, kind): (&'static str, &'static str, &'static str),
    get: fn(&Session) -> String,
    set: fn(&mut Session, String),
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let id = format!("s{i}-{name}");
    view! {
        <label for=id.clone()>{move || t(label)}</label>
        <input id=id type=kind maxlength=limits::MAX_TITLE_CHARS.to_string()
            prop:value=move || draft.with(|a| a.sessions.get(i).map(get).unwrap_or_default())
            on:input=move |ev| { let v = event_target_value(&ev); draft.update(|a| if let Some(s) = a.sessions.get_mut(i) { set(s, v) }); on_change() } />
    }
}

#[component]
fn SessionForm(
    i: usize,
    draft: RwSignal<Agenda>,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
    generation: RwSignal<u64>,
) -> impl IntoView {
    let summary = move || {
        draft.with(|a| {
            a.sessions.get(i).map(|s| {
                let title = if s.title.trim().is_empty() {
                    t("untitled-session")
                } else {
                    s.title.clone()
                };
                format!("{}–{} · {title} · {}", s.start, s.end, kind_label(s.kind))
            })
        })
    };
    let edit = move |f: Box<dyn FnOnce(&mut Session)>| {
        draft.update(|a| {
            if let Some(s) = a.sessions.get_mut(i) {
                f(s)
            }
        });
        on_change();
    };
    let remove = move |_| {
        draft.update(|a| {
            a.sessions.remove(i);
        });
        // The list changes length: the forms after this one are rebuilt with their values.
        on_change();
    };
    let talks = Memo::new(move |_| {
        (
            generation.get(),
            draft.with(|a| a.sessions.get(i).map_or(0, |s| s.contributions.len())),
        )
    });
    let add_talk = move |_| {
        edit(Box::new(|s| {
            let number = s.contributions.len() as u32 + 1;
            s.contributions.push(Contribution {
                number,
                title: String::new(),
                speakers: Vec::new(),
                materials: Vec::new(),
                booth: None,
                contact: None,
            });
        }))
    };
    let days = move || {
        draft.with(|a| {
            a.days
                .iter()
                .map(|d| (d.number, d.date.clone()))
                .collect::<Vec<_>>()
        })
    };
    let field = |name, label, kind, get, set| {
        session_input(draft, i, (name, label, kind), get, set, on_change)
    };
    let initial = draft.with_untracked(|a| a.sessions[i].clone());
    view! {
        <li>
            <details class="session-form">
                <summary>{summary}</summary>
                <div class="stack">
                    {field("title", "session-title", "text", |s| s.title.clone(), |s, v| s.title = v)}
                    <div class="field-row">
                        <div class="stack">
                            <label for=format!("s{i}-kind")>{move || t("session-kind")}</label>
                            <select id=format!("s{i}-kind") on:change=move |ev| {
                                let v = event_target_value(&ev);
                                if let Some(k) = KINDS.into_iter().find(|k| kind_code(*k) == v) { edit(Box::new(move |s| s.kind = k)) }
                            }>
                                {KINDS.into_iter().map(|k| view! {
                                    <option value=kind_code(k) selected=initial.kind == k>{move || kind_label(k)}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="stack">
                            <label for=format!("s{i}-day")>{move || t("session-day")}</label>
                            <select id=format!("s{i}-day") on:change=move |ev| {
                                if let Ok(n) = event_target_value(&ev).parse::<u32>() { edit(Box::new(move |s| s.day = n)) }
                            }>
                                {move || days().into_iter().map(|(n, date)| {
                                    let selected = draft.with_untracked(|a| a.sessions.get(i).is_some_and(|s| s.day == n));
                                    view! { <option value=n.to_string() selected=selected>{format!("{} · {date}", ta("day-number", &[("number", Arg::Num(n as f64))]))}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                    </div>
                    <div class="field-row">
                        <div class="stack">{field("start", "session-start", "time", |s| s.start.clone(), |s, v| s.start = v)}</div>
                        <div class="stack">{field("end", "session-end", "time", |s| s.end.clone(), |s, v| s.end = v)}</div>
                    </div>
                    <div class="field-row">
                        <div class="stack">{field("track", "session-track", "text", |s| s.track.clone().unwrap_or_default(), |s, v| s.track = Some(v))}</div>
                        <div class="stack">{field("location", "session-location", "text", |s| s.location.clone().unwrap_or_default(), |s, v| s.location = Some(v))}</div>
                    </div>
                    <div class="field-row">
                        <div class="stack">
                            <label for=format!("s{i}-attendance")>{move || t("session-attendance")}</label>
                            <select id=format!("s{i}-attendance") on:change=move |ev| {
                                let a = match event_target_value(&ev).as_str() { "online" => Attendance::Online, "onsite" => Attendance::Onsite, _ => Attendance::Hybrid };
                                edit(Box::new(move |s| s.attendance = a))
                            }>
                                {[Attendance::Hybrid, Attendance::Onsite, Attendance::Online].into_iter().map(|a| view! {
                                    <option value=attendance_code(a) selected=initial.attendance == a>{move || t(&format!("attendance-{}", attendance_code(a)))}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="stack">
                            <label for=format!("s{i}-language")>{move || t("session-language")}</label>
                            <select id=format!("s{i}-language") on:change=move |ev| {
                                let v = event_target_value(&ev);
                                edit(Box::new(move |s| s.language = Some(v)))
                            }>
                                <option value="" selected=initial.language.is_none()>{move || t("language-of-event")}</option>
                                {crate::text::LANGUAGE_CODES.into_iter().map(|code| view! {
                                    <option value=code selected=initial.language.as_deref() == Some(code)>{move || crate::text::language_name(code)}</option>
                                }).collect_view()}
                            </select>
                        </div>
                    </div>
                    <div class="field-row">
                        <div class="stack"><label for=format!("s{i}-moderator")>{move || t("session-moderator")}</label>
                            // Parsed as typed, but never rewritten under the cursor.
                            <input id=format!("s{i}-moderator") type="text" maxlength=limits::MAX_TITLE_CHARS.to_string()
                                value=initial.moderator.as_ref().map(|m| people_text(std::slice::from_ref(m))).unwrap_or_default()
                                on:input=move |ev| { let v = event_target_value(&ev); edit(Box::new(move |s| s.moderator = person_of(&v))) } /></div>
                        <div class="stack">{field("stream", "session-stream", "url", |s| s.stream_url.clone().unwrap_or_default(), |s, v| s.stream_url = Some(v))}</div>
                    </div>
                    <label for=format!("s{i}-description")>{move || t("session-description")}</label>
                    <textarea id=format!("s{i}-description") rows="3" maxlength=limits::MAX_DESCRIPTION_CHARS.to_string()
                        on:input=move |ev| { let v = event_target_value(&ev); edit(Box::new(move |s| s.description = Some(v))) }>
                        {initial.description.clone().unwrap_or_default()}
                    </textarea>
                    <label for=format!("s{i}-materials")>{move || t("session-materials")}</label>
                    <textarea id=format!("s{i}-materials") rows="2" aria-describedby=format!("s{i}-materials-hint")
                        on:input=move |ev| { let v = event_target_value(&ev); edit(Box::new(move |s| s.materials = materials_of(&v))) }>
                        {materials_text(&initial.materials)}
                    </textarea>
                    <p id=format!("s{i}-materials-hint") class="hint">{move || t("materials-hint")}</p>
                    <fieldset class="talks">
                        <legend>{move || t("session-talks")}</legend>
                        <ol>
                            {move || (0..talks.get().1).map(|j| view! { <TalkForm i j draft on_change /> }).collect_view()}
                        </ol>
                        <button type="button" class="small add-talk" on:click=add_talk>{move || t("add-talk")}</button>
                    </fieldset>
                    <button type="button" class="small danger" on:click=remove>{move || t("remove-session")}</button>
                </div>
            </details>
        </li>
    }
}

/// The exhibition's booths as a pitch's talk chooses them: (id, organisation).
#[derive(Clone, Copy)]
struct BoothChoices(Signal<Vec<(String, String)>>);

/// The event's people with a name, as a pitch's talk chooses one: (id, name and organisation).
#[derive(Clone, Copy)]
struct PersonChoices(Signal<Vec<(String, String)>>);

/// A pitch's talk's choice (its booth, or the person who pitches): a labelled `<select>` of
/// `options` (value, label) with "none" first; `keys` are the label's, the hint's and the
/// none's. A value chosen before and no longer among the options stays, as it is.
fn pitch_choice(
    id: String,
    keys: [&'static str; 3],
    options: Signal<Vec<(String, String)>>,
    current: Memo<Option<String>>,
    pick: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl Fn() -> AnyView + Clone {
    move || {
        let hint = format!("{id}-hint");
        view! {
            <label for=id.clone()>{move || t(keys[0])}</label>
            <select id=id.clone() aria-describedby=hint.clone()
                on:change=move |ev| pick(event_target_value(&ev))>
                <option value="" selected=move || current.get().is_none()>{move || t(keys[2])}</option>
                {move || {
                    let now = current.get();
                    let mut list = options.get();
                    if let Some(v) = now.as_ref().filter(|v| !list.iter().any(|(o, _)| o == *v)) {
                        list.push((v.clone(), v.clone()));
                    }
                    list.into_iter().map(|(value, label)| {
                        let selected = now.as_deref() == Some(value.as_str());
                        view! { <option value=value selected=selected>{label}</option> }
                    }).collect_view()
                }}
            </select>
            <p id=hint class="hint">{move || t(keys[1])}</p>
        }
        .into_any()
    }
}

#[component]
fn TalkForm(
    i: usize,
    j: usize,
    draft: RwSignal<Agenda>,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let edit = move |f: Box<dyn FnOnce(&mut Contribution)>| {
        draft.update(|a| {
            if let Some(c) = a
                .sessions
                .get_mut(i)
                .and_then(|s| s.contributions.get_mut(j))
            {
                f(c)
            }
        });
        on_change();
    };
    let initial = draft.with_untracked(|a| a.sessions[i].contributions[j].clone());
    let remove = move |_| {
        draft.update(|a| {
            if let Some(s) = a.sessions.get_mut(i) {
                s.contributions.remove(j);
            }
        });
        // The list changes length: the forms after this one are rebuilt with their values.
        on_change();
    };
    let id = format!("s{i}-t{j}");
    // A pitch names the exhibition's booth that pitches: attendees then see "Request contact".
    let pitch = Memo::new(move |_| {
        draft.with(|a| {
            a.sessions
                .get(i)
                .is_some_and(|s| s.kind == SessionKind::Pitch)
        })
    });
    let booths: BoothChoices = expect_context();
    let people: PersonChoices = expect_context();
    let named = move |of: fn(&Contribution) -> Option<String>| {
        Memo::new(move |_| {
            draft.with(|a| {
                a.sessions
                    .get(i)
                    .and_then(|s| s.contributions.get(j))
                    .and_then(of)
            })
        })
    };
    let booth = named(|c| c.booth.as_ref().map(ToString::to_string));
    let contact = named(|c| c.contact.as_ref().map(ToString::to_string));
    // A booth, or a person: naming one takes the other off.
    let booth_field = pitch_choice(
        format!("{id}-booth"),
        ["talk-booth", "talk-booth-hint", "talk-booth-none"],
        booths.0,
        booth,
        move |v| {
            let b = plenum_protocol::BoothId::parse(&v).ok();
            edit(Box::new(move |c| {
                if b.is_some() {
                    c.contact = None;
                }
                c.booth = b;
            }))
        },
    );
    let person_field = pitch_choice(
        format!("{id}-contact"),
        ["talk-contact", "talk-contact-hint", "talk-contact-none"],
        people.0,
        contact,
        move |v| {
            let p = plenum_protocol::PersonId::parse(&v).ok();
            edit(Box::new(move |c| {
                if p.is_some() {
                    c.booth = None;
                }
                c.contact = p;
            }))
        },
    );
    let booth_field = move || pitch.get().then(booth_field.clone());
    let person_field = move || pitch.get().then(person_field.clone());
    view! {
        <li class="talk-form stack">
            <label for=format!("{id}-title")>{move || t("talk-title")}</label>
            <input id=format!("{id}-title") type="text" maxlength=limits::MAX_TITLE_CHARS.to_string()
                prop:value=move || draft.with(|a| a.sessions.get(i).and_then(|s| s.contributions.get(j)).map(|c| c.title.clone()).unwrap_or_default())
                on:input=move |ev| { let v = event_target_value(&ev); edit(Box::new(move |c| c.title = v)) } />
            <label for=format!("{id}-speakers")>{move || t("talk-speakers")}</label>
            <textarea id=format!("{id}-speakers") rows="2" aria-describedby=format!("{id}-speakers-hint")
                on:input=move |ev| { let v = event_target_value(&ev); edit(Box::new(move |c| c.speakers = people_of(&v))) }>
                {people_text(&initial.speakers)}
            </textarea>
            <p id=format!("{id}-speakers-hint") class="hint">{move || t("speakers-hint")}</p>
            <label for=format!("{id}-materials")>{move || t("talk-materials")}</label>
            <textarea id=format!("{id}-materials") rows="2" aria-describedby=format!("{id}-materials-hint")
                on:input=move |ev| { let v = event_target_value(&ev); edit(Box::new(move |c| c.materials = materials_of(&v))) }>
                {materials_text(&initial.materials)}
            </textarea>
            <p id=format!("{id}-materials-hint") class="hint">{move || t("materials-hint")}</p>
            {booth_field}
            {person_field}
            <button type="button" class="small" on:click=remove>{move || t("remove-talk")}</button>
        </li>
    }
}
