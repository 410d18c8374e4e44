//! Requests that read and change nothing, answered from what this instance holds: a quiz
//! player's standing (`quiz_standing`), finding people at a café's tables (`find_at_tables`,
//! staff), finding listed people and recommending some (`find_people`, `recommend`). Each
//! has its gate ([`gate`]: who may, the limit it spends, its room) and its answer
//! ([`answer`]), which never waits for the sequencer.
//!
//! Listed profiles are for the event's registered participants (imported, or holding a listed
//! profile of their own) and its organisers, unless the organisers opened them to everyone at
//! the event (`plan.profiles.open`); anyone else is refused (`forbidden`).

use super::replies::{found_reply, ok, people_reply, recommended_reply, refusal};
use super::requests::PersonLimit;
use crate::{
    App,
    auth::{self, Action},
    interactions::{
        Made, Refusal,
        meetings::{self, Meetings},
        people::People,
        quizzes::Quizzes,
        tables::Tables,
    },
};
use plenum_protocol::{
    ClientMsg, EventCode, Person, RequestId, RoomId, RoomState, ServerMsg, limits,
};

/// Whether `person` may find the listed people of `event`.
fn may_find(
    person: &Person,
    event: &EventCode,
    state: &RoomState,
    own_listed: bool,
) -> Result<(), Refusal> {
    let open = matches!(state, RoomState::Event(e) if e.meetings.as_ref().is_some_and(|p| p.profiles.open));
    let organiser = auth::allowed(person, Action::ManageEvent, &RoomId::Event(event.clone()));
    if open || organiser || person.registered || own_listed {
        Ok(())
    } else {
        Err(Refusal::Forbidden(
            "profiles are for the event's registered participants: publish your own profile to find the others"
                .into(),
        ))
    }
}

/// Who may make read request `msg`, the limit it spends, and the room it reads (`None` for a
/// message that is not a read).
pub fn gate(msg: &ClientMsg) -> Option<(RoomId, Action, Option<PersonLimit>)> {
    Some(match msg {
        ClientMsg::QuizStanding { event, session, .. } => (
            RoomId::Session(event.clone(), session.clone()),
            Action::Follow,
            None,
        ),
        ClientMsg::FindAtTables { event, session, .. } => (
            RoomId::Session(event.clone(), session.clone()),
            Action::Moderate,
            None,
        ),
        ClientMsg::FindPeople { event, .. } | ClientMsg::Recommend { event } => (
            RoomId::Event(event.clone()),
            Action::Follow,
            Some(PersonLimit::Vote),
        ),
        _ => return None,
    })
}

/// The answer to a read request that passed its [`gate`] (`None` for any other message).
pub async fn answer(
    app: &App,
    person: &Person,
    id: Option<RequestId>,
    msg: &ClientMsg,
) -> Option<ServerMsg> {
    let id_or_zero = id.unwrap_or_default();
    let reply = match msg {
        ClientMsg::QuizStanding {
            event,
            session,
            quiz,
        } => {
            let room = RoomId::Session(event.clone(), session.clone());
            let standing = app
                .engine
                .read::<Quizzes, _>(&room, |state, records| {
                    crate::interactions::quizzes::standing(state, records, *quiz, &person.id)
                })
                .await
                .and_then(|s| s);
            match standing {
                Ok(standing) => ok(id_or_zero, None, Made::default(), Some(standing)),
                Err(e) => refusal(id, e),
            }
        }
        ClientMsg::FindAtTables {
            event,
            session,
            query,
        } => {
            let room = RoomId::Session(event.clone(), session.clone());
            let found = if query.chars().count() > limits::MAX_FIND_CHARS {
                Err(Refusal::too_long("query", limits::MAX_FIND_CHARS))
            } else {
                let read = |_: &_, r: &_| crate::interactions::tables::find(r, query);
                app.engine.read::<Tables, _>(&room, read).await
            };
            match found {
                Ok(found) => found_reply(id_or_zero, found),
                Err(e) => refusal(id, e),
            }
        }
        ClientMsg::FindPeople {
            event,
            query,
            tags,
            country,
            sector,
            free_now_at,
            after,
        } => {
            let q = meetings::Query {
                text: query.clone(),
                tags: tags.clone(),
                country: country.clone(),
                sector: sector.clone(),
                free_now_at: free_now_at.clone(),
                after: after.clone(),
                now_ms: crate::engine::now_ms(),
            };
            if query.chars().count() > limits::MAX_FIND_PEOPLE_CHARS {
                let refused = Refusal::too_long("query", limits::MAX_FIND_PEOPLE_CHARS);
                return Some(refusal(id, refused));
            }
            if tags.len() > limits::MAX_CARD_TAGS {
                let refused = Refusal::TooLarge(format!("tags: at most {}", limits::MAX_CARD_TAGS));
                return Some(refusal(id, refused));
            }
            let room = RoomId::Event(event.clone());
            let me = person.id.clone();
            let read = app
                .engine
                .read_two::<Meetings, People, _>(&room, |state, m, p| {
                    let own = m.profiles.get(&me).is_some_and(|x| x.listed);
                    may_find(person, event, state, own).map(|()| meetings::find(m, p, &q, &me))
                })
                .await
                .and_then(|r| r);
            match read {
                Ok(page) => people_reply(id_or_zero, page),
                Err(e) => refusal(id, e),
            }
        }
        ClientMsg::Recommend { event } => {
            let room = RoomId::Event(event.clone());
            let me = person.id.clone();
            let read = app
                .engine
                .read_two::<Meetings, People, _>(&room, |state, m, p| {
                    let own = m.profiles.get(&me).is_some_and(|x| x.listed);
                    may_find(person, event, state, own)
                        .map(|()| meetings::recommend(m, p, &me, crate::engine::now_ms()))
                })
                .await
                .and_then(|r| r);
            match read {
                Ok(list) => recommended_reply(id_or_zero, list),
                Err(e) => refusal(id, e),
            }
        }
        _ => return None,
    };
    Some(reply)
}
