//! Q&A: the audience's panel ([`audience`]), the moderator's console ([`console`], staff
//! build) and the big screen's question ([`screen`], staff build); and how every one of them
//! orders questions and holds that order under a keyboard focus.

pub mod audience;
#[cfg(feature = "staff")]
pub mod console;
#[cfg(feature = "staff")]
pub mod screen;

use crate::i18n::{t, tc};
use crate::live::Live;
use leptos::prelude::*;
use leptos::task::spawn_local;
use plenum_protocol::{ClientMsg, EventCode, Listing, RoomId, ServerMsg, SessionId, SessionState};

/// The questions a snapshot left out (a session with thousands: frames are bounded), fetched a
/// page at a time, newest first, on request.
#[component]
pub fn EarlierQuestions(
    code: EventCode,
    id: SessionId,
    state: Memo<Option<SessionState>>,
) -> impl IntoView {
    let live = expect_context::<Live>();
    let room = RoomId::Session(code, id);
    let cursor = StoredValue::new(None::<u64>);
    let busy = RwSignal::new(false);
    let exhausted = RwSignal::new(false);
    let left = Memo::new(move |_| state.with(|s| s.as_ref().map_or(0, |s| s.omitted.questions)));
    let more = move |_| {
        busy.set(true);
        let reply = live.request(ClientMsg::Page {
            room: room.clone(),
            of: Listing::Questions,
            before: cursor.get_value(),
        });
        spawn_local(async move {
            if let Ok(ServerMsg::Page {
                questions, more, ..
            }) = reply.await
            {
                if let Some(last) = questions.last() {
                    cursor.set_value(Some(last.id));
                }
                exhausted.set(!more);
            }
            busy.set(false);
        });
    };
    view! {
        <Show when=move || { left.get() > 0 && !exhausted.get() }>
            <p>
                <button type="button" class="small" disabled=move || busy.get() on:click=more.clone()>
                    {move || tc("earlier-questions", left.get())}
                </button>
            </p>
        </Show>
    }
}

/// One question of the session, without its vote count, and the count on its own: a view built
/// from the first is rebuilt when the question changes, not each time someone votes, so a
/// focused button in it keeps its focus.
pub fn question_and_votes(
    state: Memo<Option<SessionState>>,
    id: plenum_protocol::QuestionId,
) -> (Memo<Option<plenum_protocol::Question>>, Memo<u64>) {
    let question =
        Memo::new(move |_| state.with(|s| s.as_ref().and_then(|s| s.qa.get(id).cloned())));
    let shape = Memo::new(move |_| {
        question.with(|q| {
            q.as_ref().map(|q| plenum_protocol::Question {
                votes: 0,
                ..q.clone()
            })
        })
    });
    let votes = Memo::new(move |_| question.with(|q| q.as_ref().map_or(0, |q| q.votes)));
    (shape, votes)
}

/// The ids of the session's questions that `keep` chooses, in the order they were asked.
pub fn questions_where(
    s: &SessionState,
    keep: impl Fn(&plenum_protocol::Question) -> bool,
) -> Vec<plenum_protocol::QuestionId> {
    // Ids are given in the order questions are asked, and the list is kept by id.
    s.qa.questions
        .iter()
        .filter(|q| keep(q))
        .map(|q| q.id)
        .collect()
}

/// The published questions, most votes first (ties: first asked first), or newest first.
pub fn published(s: &SessionState, popular: bool) -> Vec<plenum_protocol::QuestionId> {
    let mut open: Vec<&plenum_protocol::Question> =
        s.qa.questions
            .iter()
            .filter(|q| q.status == plenum_protocol::QuestionStatus::Live)
            .collect();
    if popular {
        open.sort_by(|a, b| {
            b.votes
                .cmp(&a.votes)
                .then(a.asked_at_ms.cmp(&b.asked_at_ms))
        });
    } else {
        open.sort_by_key(|q| std::cmp::Reverse(q.asked_at_ms));
    }
    open.iter().map(|q| q.id).collect()
}

/// The order a list showed last, while a keyboard user's focus is in it (see [`hold_order`]).
pub fn held(
    holding: RwSignal<bool>,
    list: NodeRef<leptos::html::Ul>,
    shown: Option<&Vec<plenum_protocol::QuestionId>>,
) -> Option<Vec<plenum_protocol::QuestionId>> {
    (holding.get() && keyboard_focus_in(list))
        .then(|| shown.cloned())
        .flatten()
}

/// Whether a keyboard user's focus is inside `list`: a list under it should not re-sort.
/// Read when the list's order is computed, so a focus that left without an event (its element
/// was removed) or a mouse click (no visible focus) does not hold it.
pub fn keyboard_focus_in(list: NodeRef<leptos::html::Ul>) -> bool {
    let Some(list) = list.get_untracked() else {
        return false;
    };
    document().active_element().is_some_and(|active| {
        list.contains(Some(&active)) && active.matches(":focus-visible").unwrap_or(false)
    })
}

/// The order to show: `fresh`, or while `held` is given (the focus is in the list), the held
/// order with what left removed and what is new at the end.
pub fn hold_order(
    held: Option<Vec<plenum_protocol::QuestionId>>,
    fresh: Vec<plenum_protocol::QuestionId>,
) -> Vec<plenum_protocol::QuestionId> {
    let Some(held) = held else {
        return fresh;
    };
    let mut kept: Vec<_> = held.into_iter().filter(|id| fresh.contains(id)).collect();
    let new: Vec<_> = fresh
        .iter()
        .filter(|id| !kept.contains(id))
        .copied()
        .collect();
    kept.extend(new);
    kept
}

/// Who asked, as the audience sees it: the name, or "Anonymous".
pub fn asker(q: &plenum_protocol::Question) -> String {
    match (&q.asker.name, q.anonymous) {
        (Some(name), false) => name.clone(),
        _ => t("anonymous"),
    }
}

#[cfg(test)]
mod tests {
    use super::hold_order;

    #[test]
    fn a_held_order_keeps_its_places_and_adds_new_at_the_end() {
        assert_eq!(hold_order(None, vec![3, 1, 2]), vec![3, 1, 2]);
        // 2 gained votes and would move up; 4 is new; 1 left the list.
        assert_eq!(
            hold_order(Some(vec![1, 3, 2]), vec![2, 3, 4]),
            vec![3, 2, 4]
        );
    }
}
