//! A person's inbox: notes about their own questions (answered, or dismissed with the reason),
//! from their private room `inbox:CODE:PERSON`, on every device they have open.

use crate::{
    i18n::{t, tc},
    live::Live,
    time,
};
use leptos::prelude::*;
use plenum_protocol::{EventCode, Note, NoteAbout, PersonId, RoomId, RoomState};

/// Follows the signed-in person's inbox once the server has said who they are. Organisers act
/// on every event and have no inbox.
pub fn follow(live: Live, code: EventCode) {
    Effect::new(move || {
        let Some(person) = live.person() else {
            return;
        };
        if person.event.is_none() {
            return;
        }
        if let Ok(id) = PersonId::parse(&person.id) {
            live.follow(RoomId::Inbox(code.clone(), id));
        }
    });
}

/// The inbox's notes, newest first (empty until it is followed).
fn notes(live: Live, code: EventCode) -> Memo<Vec<Note>> {
    Memo::new(move |_| {
        let Some(id) = live.person().and_then(|p| PersonId::parse(&p.id).ok()) else {
            return Vec::new();
        };
        match live.room(&RoomId::Inbox(code.clone(), id)).state {
            Some(RoomState::Inbox(inbox)) => inbox.notes.into_iter().rev().collect(),
            _ => Vec::new(),
        }
    })
}

fn label(about: NoteAbout) -> String {
    match about {
        NoteAbout::QuestionAnswered => t("note-answered"),
        NoteAbout::QuestionDismissed => t("note-dismissed"),
    }
}

/// One note as a sentence: what happened, to which question, and the moderator's words.
fn line(note: &Note) -> String {
    match &note.detail {
        Some(detail) => format!("{}: “{}” — {detail}", label(note.about), note.text),
        None => format!("{}: “{}”", label(note.about), note.text),
    }
}

/// The person's notes, in the event's header: the newest one announced politely when it
/// arrives, all of them in a disclosure.
#[component]
pub fn Inbox(live: Live, code: EventCode) -> impl IntoView {
    let notes = notes(live, code);
    // Only notes that arrive while the page is open are announced, not the snapshot's.
    let seen = StoredValue::new(None::<usize>);
    let fresh = Memo::new(move |_| {
        let all = notes.get();
        let before = seen.get_value();
        seen.set_value(Some(all.len()));
        match before {
            Some(n) if all.len() > n => all.first().map(line),
            _ => None,
        }
    });
    view! {
        <div class="inbox-news" aria-live="polite">
            {move || fresh.get().map(|text| view! { <p class="note">{text}</p> })}
        </div>
        <Show when=move || !notes.with(Vec::is_empty)>
            <details class="inbox">
                <summary>{move || tc("inbox-notes", notes.with(Vec::len) as u64)}</summary>
                <ul>
                    {move || notes.get().into_iter().map(|note| view! {
                        <li>
                            <time>{time::clock(note.at_ms)}</time>
                            " "
                            {line(&note)}
                        </li>
                    }).collect_view()}
                </ul>
            </details>
        </Show>
    }
}
