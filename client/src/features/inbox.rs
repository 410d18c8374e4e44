//! A person's inbox: notes about their own questions (answered, or dismissed with the reason),
//! from their private room `inbox:CODE:PERSON`, on every device they have open. Opening the
//! list marks the notes read, on every device.

use crate::{
    components::feedback::{act, problem_view},
    i18n::{t, tc},
    live::Live,
    time,
};
use leptos::prelude::*;
use plenum_protocol::{
    ClientMsg, EventCode, InboxState, Note, NoteAbout, PersonId, RoomId, RoomState,
};

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

/// The inbox as the server last said it (tracked); `None` until its snapshot arrives.
pub fn inbox(live: Live, code: EventCode) -> Memo<Option<InboxState>> {
    Memo::new(move |_| {
        let id = live.person().and_then(|p| PersonId::parse(&p.id).ok())?;
        match live.room(&RoomId::Inbox(code.clone(), id)).state {
            Some(RoomState::Inbox(inbox)) => Some(inbox),
            _ => None,
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

/// The person's notes, in the event's header: a new one announced politely when it arrives,
/// all of them (the new ones marked) in a disclosure that marks them read when opened.
#[component]
pub fn Inbox(live: Live, code: EventCode) -> impl IntoView {
    let held = inbox(live, code.clone());
    let inbox = Memo::new(move |_| held.get().unwrap_or_default());
    let problem = RwSignal::new(None::<String>);
    // Only notes that arrive while the page is open are announced, not the snapshot's.
    let seen = StoredValue::new(None::<u64>);
    let fresh = Memo::new(move |_| {
        // The baseline is the first state the server sends, not the empty one before it.
        let (total, newest) =
            held.with(|i| i.as_ref().map(|i| (i.total, i.notes.last().map(line))))?;
        let before = seen.get_value();
        seen.set_value(Some(total));
        match before {
            Some(n) if total > n => newest,
            _ => None,
        }
    });
    let unread = Memo::new(move |_| inbox.with(|i| i.total.saturating_sub(i.read)));
    let read = move |ev: leptos::ev::Event| {
        let open = event_target::<web_sys::Element>(&ev).has_attribute("open");
        let upto = inbox.with_untracked(|i| i.total);
        if open && unread.get_untracked() > 0 {
            let msg = ClientMsg::ReadNotes {
                event: code.clone(),
                upto,
            };
            act(live, msg, problem, |_| {});
        }
    };
    view! {
        <div class="inbox-news" aria-live="polite">
            {move || fresh.get().map(|text| view! { <p class="note">{text}</p> })}
        </div>
        <Show when=move || inbox.with(|i| !i.notes.is_empty())>
            <details class="inbox" on:toggle=read.clone()>
                <summary>
                    {move || tc("inbox-notes", inbox.with(|i| i.notes.len()) as u64)}
                    {move || (unread.get() > 0).then(|| view! { " · " <strong>{tc("inbox-new", unread.get())}</strong> })}
                </summary>
                <ul>
                    {move || {
                        let (notes, new) = inbox.with(|i| (i.notes.clone(), i.total.saturating_sub(i.read) as usize));
                        let n = notes.len();
                        notes.into_iter().enumerate().rev().map(|(k, note)| {
                            let is_new = k + new >= n;
                            view! {
                                <li class:new=is_new>
                                    <time>{time::clock_or_day(note.at_ms)}</time>
                                    " "
                                    {line(&note)}
                                    {is_new.then(|| view! { " " <span class="badge">{t("note-new")}</span> })}
                                </li>
                            }
                        }).collect_view()
                    }}
                </ul>
                {problem_view(problem)}
            </details>
        </Show>
    }
}
