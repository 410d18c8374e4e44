//! The agenda: the event's title, then per day its sessions in time order, each a link to
//! the session's page.

use leptos::prelude::*;
use plenum_protocol::{AgendaPerson, Day, EventCode, EventInfo, Session};

use super::{EventData, agenda_unavailable};
use crate::route::{Link, Route};
use crate::text;

#[component]
pub fn AgendaPage(code: EventCode) -> impl IntoView {
    let EventData(info) = expect_context();
    move || match info.get() {
        Some(Ok(event)) => agenda(code.clone(), event).into_any(),
        Some(Err(failure)) => agenda_unavailable(info, Some(failure)),
        None => agenda_unavailable(info, None),
    }
}

fn agenda(code: EventCode, event: EventInfo) -> impl IntoView {
    let EventInfo {
        title,
        venue,
        description,
        agenda,
        ..
    } = event;
    let mut days = agenda.days;
    days.sort_by_key(|d| d.number);
    let mut sessions = agenda.sessions;
    sessions.sort_by(|a, b| {
        (a.day, &a.start, &a.end, &a.track).cmp(&(b.day, &b.start, &b.end, &b.track))
    });

    // Sessions of a day the agenda does not list still belong on the page.
    let orphans: Vec<Session> = sessions
        .iter()
        .filter(|s| !days.iter().any(|d| d.number == s.day))
        .cloned()
        .collect();
    let day_sections = days
        .into_iter()
        .map(|day| {
            let of_day: Vec<Session> = sessions
                .iter()
                .filter(|s| s.day == day.number)
                .cloned()
                .collect();
            day_section(code.clone(), Some(day), of_day)
        })
        .collect_view();
    let more = (!orphans.is_empty()).then(|| day_section(code.clone(), None, orphans));
    let empty = sessions
        .is_empty()
        .then(|| view! { <p class="empty">"The agenda has not been published yet."</p> });

    view! {
        <div class="agenda">
            <h1>{title}</h1>
            {venue.map(|venue| view! { <p class="venue">{venue}</p> })}
            {description.map(|text| view! { <p class="description">{text}</p> })}
            {empty}
            {day_sections}
            {more}
        </div>
    }
}

fn day_section(code: EventCode, day: Option<Day>, sessions: Vec<Session>) -> impl IntoView {
    let heading_id = format!("day-{}", day.as_ref().map_or(0, |d| d.number));
    let labelled_by = heading_id.clone();
    let (heading, subtitle) = match day {
        Some(day) => (
            format!("Day {} · {}", day.number, text::date(&day.date)),
            day.title,
        ),
        None => ("More sessions".to_owned(), None),
    };
    let items = sessions
        .into_iter()
        .map(|s| session_item(code.clone(), s))
        .collect_view();
    view! {
        <section class="day" aria-labelledby=labelled_by>
            <h2 id=heading_id>{heading}</h2>
            {subtitle.map(|t| view! { <p class="day-title">{t}</p> })}
            <ol class="sessions">{items}</ol>
        </section>
    }
}

fn session_item(code: EventCode, session: Session) -> impl IntoView {
    let meta = [
        Some(text::kind_label(session.kind).to_owned()),
        session.track,
        session.location,
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    let speakers = speakers(
        &session
            .contributions
            .iter()
            .flat_map(|c| &c.speakers)
            .collect::<Vec<_>>(),
    );
    let moderator = session.moderator.map(|m| m.name);
    view! {
        <li class="session">
            <p class="time">
                <time>{session.start}</time>
                "–"
                <time>{session.end}</time>
            </p>
            <div class="session-body">
                <h3 class="session-title">
                    <Link to=Route::Session(code, session.id)>{session.title}</Link>
                </h3>
                <p class="meta">{meta}</p>
                {(!speakers.is_empty()).then(|| view! { <p class="people">{speakers}</p> })}
                {moderator.map(|m| view! { <p class="people">"Moderator: " {m}</p> })}
            </div>
        </li>
    }
}

/// Each speaker once, in order of appearance.
fn speakers(people: &[&AgendaPerson]) -> String {
    let mut unique: Vec<&AgendaPerson> = Vec::new();
    for p in people {
        if !unique.iter().any(|u| u.name == p.name) {
            unique.push(p);
        }
    }
    text::names(unique)
}
