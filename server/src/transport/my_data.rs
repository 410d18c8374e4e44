//! A person's own data at an event: everything it keeps of them, to download
//! (`GET /api/events/{code}/my-data`), and their profile deleted on request
//! (`DELETE /api/events/{code}/my-data`).
//!
//! Deleting takes their profile (organisation, country, languages), their matchmaking profile,
//! meeting preferences and contact card, their places on booths' staff, their visits to booths
//! and what they wrote in booths' chats, and ends every contact of theirs (what each shared
//! leaves the other's inbox). Their meetings stay, as the other one's too (each can cancel
//! them); so do their stars, their blocks, and the reports they made (the organisers' safety
//! record). What they did in sessions (questions, votes, answers) is in the session exports.

use super::http::{AppError, at_event};
use crate::{
    App,
    auth::Action,
    engine::Command,
    interactions::{
        contacts::{self, Contacts, ContactsCommand},
        exhibition::{
            Exhibition, ExhibitionCommand,
            chat::{BoothChat, ChatCommand},
        },
        inbox::Inbox,
        meetings::{Meetings, MeetingsCommand},
        people::{People, PeopleCommand},
    },
};
use axum::{
    Json,
    extract::{Path, State},
    http::HeaderMap,
    response::{IntoResponse, Response},
};
use plenum_protocol::{
    BoothChatEntry, BoothId, EventCode, MeetingPerson, MyData, Person, PersonId, PersonReport,
    RoomId, RoomState,
};

/// `GET /api/events/{code}/my-data`.
pub async fn download(
    State(app): State<App>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let (code, who, _) = at_event(&app, &headers, &code, Action::Follow).await?;
    Ok(Json(gather(&app, &code, &who).await?).into_response())
}

/// `DELETE /api/events/{code}/my-data`: your profile deleted; the answer is what is left.
pub async fn delete(
    State(app): State<App>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let (code, who, _) = at_event(&app, &headers, &code, Action::Follow).await?;
    let room = RoomId::Event(code.clone());
    let person = who.id.clone();
    app.engine
        .submit(
            &room,
            Command::to::<Meetings>(MeetingsCommand::Forget {
                person: person.clone(),
            }),
        )
        .await?;
    app.engine
        .submit(
            &room,
            Command::to::<Contacts>(ContactsCommand::Forget {
                person: person.clone(),
            }),
        )
        .await?;
    app.engine
        .submit(
            &room,
            Command::to::<Exhibition>(ExhibitionCommand::Forget {
                person: person.clone(),
            }),
        )
        .await?;
    // Their messages in every booth's chat (at most limits::MAX_BOOTHS rooms).
    for booth in booth_ids(&app, &room).await? {
        app.engine
            .submit(
                &RoomId::Booth(code.clone(), booth),
                Command::to::<BoothChat>(ChatCommand::Forget {
                    person: person.clone(),
                }),
            )
            .await?;
    }
    app.engine
        .submit(
            &room,
            Command::to::<People>(PeopleCommand::Clear { person }),
        )
        .await?;
    Ok(Json(gather(&app, &code, &who).await?).into_response())
}

/// The ids of the event's booths.
async fn booth_ids(app: &App, room: &RoomId) -> Result<Vec<BoothId>, AppError> {
    Ok(app
        .engine
        .read::<Exhibition, _>(room, |_, r| {
            r.booths
                .keys()
                .filter_map(|b| BoothId::parse(b).ok())
                .collect()
        })
        .await?)
}

/// Everything `who` has at `code`.
async fn gather(app: &App, code: &EventCode, who: &Person) -> Result<MyData, AppError> {
    let room = RoomId::Event(code.clone());
    let me = who.id.as_str();
    let person = PersonId::parse(me)
        .map_err(|e| AppError::new(plenum_protocol::ErrorCode::BadRequest, e.0))?;
    let (profile, stars) = app
        .engine
        .read::<People, _>(&room, |_, r| {
            r.people
                .get(me)
                .map(|s| (s.profile.clone(), s.stars.iter().cloned().collect()))
                .unwrap_or_default()
        })
        .await?;
    let (meetings, meeting_preferences, match_profile) = app
        .engine
        .read::<Meetings, _>(&room, |_, r| {
            (
                r.mine(me).cloned().collect(),
                r.prefs.get(me).cloned(),
                r.profiles.get(me).cloned(),
            )
        })
        .await?;
    let (contact_card, contacts, blocked, reports) = app
        .engine
        .read::<Contacts, _>(&room, |_, r| {
            let contacts = r
                .live_of(me)
                .filter_map(|c| {
                    let other = if c.a.id == me { &c.b.id } else { &c.a.id };
                    contacts::contact_of(c, me, r.cards.get(other))
                })
                .collect();
            let blocked = r
                .blocks
                .get(me)
                .into_iter()
                .flatten()
                .filter_map(|p| PersonId::parse(p).ok())
                .collect();
            let side = |id: &str, name: &Option<String>| {
                PersonId::parse(id).ok().map(|id| MeetingPerson {
                    id,
                    name: name.clone(),
                    organisation: None,
                })
            };
            let reports = r
                .reports
                .iter()
                .filter(|(_, x)| x.by == me)
                .filter_map(|(id, x)| {
                    Some(PersonReport {
                        id: *id,
                        by: side(&x.by, &x.by_name)?,
                        about: side(&x.about, &x.about_name)?,
                        reason: x.reason.clone(),
                        at_ms: x.at_ms,
                    })
                })
                .collect();
            (r.cards.get(me).cloned(), contacts, blocked, reports)
        })
        .await?;
    let (booths, talks, leads, booth_visits) = app
        .engine
        .read::<Exhibition, _>(&room, |_, r| {
            let booths = r
                .staff
                .keys()
                .filter(|(_, p)| p == me)
                .filter_map(|(b, _)| plenum_protocol::BoothId::parse(b).ok())
                .collect();
            let talks =
                crate::interactions::exhibition::talk::talks_of(r, me, crate::engine::now_ms());
            // Their contacts with booths, with those booths.
            let mut mine = crate::interactions::exhibition::ExhibitionRecords::default();
            for ((b, v), l) in r.leads.iter().filter(|((_, v), _)| v == me) {
                mine.leads.insert((b.clone(), v.clone()), l.clone());
                if let Some(booth) = r.booths.get(b) {
                    mine.booths.insert(b.clone(), booth.clone());
                }
            }
            let visits = crate::interactions::exhibition::visits::visits_of(r, me);
            (booths, talks, mine, visits)
        })
        .await?;
    // The cards of the staff who accepted, for what they share, and the ones kept apart from
    // this person by a block.
    let (staff_cards, apart) = app
        .engine
        .read::<Contacts, _>(&room, |_, r| {
            let staff = leads.leads.values().filter_map(|l| l.staff.as_ref());
            let cards = staff
                .clone()
                .filter_map(|s| Some((s.id.clone(), r.cards.get(&s.id)?.clone())))
                .collect::<std::collections::HashMap<_, _>>();
            let apart = staff
                .filter(|s| r.blocks(me, &s.id) || r.blocks(&s.id, me))
                .map(|s| s.id.clone())
                .collect::<std::collections::HashSet<_>>();
            (cards, apart)
        })
        .await?;
    let booth_contacts = crate::interactions::exhibition::leads::contacts_of(
        &leads,
        me,
        |id| staff_cards.get(id).cloned(),
        |id| apart.contains(id),
    );
    let mut booth_chat = Vec::new();
    for booth in booth_ids(app, &room).await? {
        let mine = app
            .engine
            .read::<BoothChat, _>(&RoomId::Booth(code.clone(), booth.clone()), |_, r| {
                r.messages
                    .iter()
                    .filter(|(_, m)| m.by == me)
                    .filter_map(|(id, m)| m.message(*id))
                    .collect::<Vec<_>>()
            })
            .await?;
        booth_chat.extend(mine.into_iter().map(|message| BoothChatEntry {
            booth: booth.clone(),
            message,
        }));
    }
    let inbox = RoomId::Inbox(code.clone(), person.clone());
    let notes = app
        .engine
        .read::<Inbox, _>(&inbox, |state, _| match state {
            RoomState::Inbox(i) => i.notes.clone(),
            _ => Vec::new(),
        })
        .await?;
    Ok(MyData {
        person,
        name: who.name.clone(),
        profile,
        stars,
        notes,
        match_profile,
        meeting_preferences,
        meetings,
        contact_card,
        contacts,
        blocked,
        reports,
        booths,
        talks,
        booth_contacts,
        booth_visits,
        booth_chat,
    })
}
