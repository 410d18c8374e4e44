//! The networking half's requests, in the event's own room: meetings, contact details,
//! blocking and reporting, and the exhibition's booths and talk now. Part of the one table of
//! requests ([`super::route`]).

use super::{PersonLimit, Routed, event_room, meeting_actor};
use crate::{
    auth::{
        self,
        Action::{Follow, ManageEvent, Moderate},
    },
    engine::Command,
    interactions::{
        contacts::{Contacts, ContactsCommand},
        exhibition::{
            Exhibition, ExhibitionCommand,
            chat::{BoothChat, ChatCommand},
        },
        meetings::{Meetings, MeetingsCommand},
    },
};
use plenum_protocol::{ClientMsg, Person, RoomId};

/// Routes a networking message, or gives it back for the rest of the table.
// Not an error: the message itself, handed back once (no copy, no box needed).
#[allow(clippy::result_large_err)]
pub(super) fn route(person: &Person, msg: ClientMsg) -> Result<Routed, ClientMsg> {
    match msg {
        ClientMsg::SetMeetings { event, plan } => Ok(event_room(
            ManageEvent,
            None,
            event,
            Command::to::<Meetings>(MeetingsCommand::SetPlan(plan)),
        )),
        ClientMsg::SetMeetingPreferences {
            event,
            preferences,
            booth,
        } => {
            let actor = meeting_actor(person, &event);
            Ok(event_room(
                Follow,
                Some(PersonLimit::Profile),
                event,
                Command::to::<Meetings>(MeetingsCommand::Preferences {
                    actor,
                    preferences,
                    booth,
                }),
            ))
        }
        ClientMsg::RequestMeeting {
            event,
            to,
            booth,
            message,
            slot,
        } => {
            let actor = meeting_actor(person, &event);
            Ok(event_room(
                Follow,
                Some(PersonLimit::Write),
                event,
                Command::to::<Meetings>(MeetingsCommand::Request {
                    actor,
                    to,
                    booth,
                    message,
                    slot,
                }),
            ))
        }
        ClientMsg::AnswerMeeting {
            event,
            meeting,
            answer,
            slot,
        } => {
            let actor = meeting_actor(person, &event);
            Ok(event_room(
                Follow,
                Some(PersonLimit::Write),
                event,
                Command::to::<Meetings>(MeetingsCommand::Answer {
                    actor,
                    meeting,
                    answer,
                    slot,
                }),
            ))
        }
        ClientMsg::MeetingHere { event, meeting } => {
            let actor = meeting_actor(person, &event);
            Ok(event_room(
                Follow,
                Some(PersonLimit::Write),
                event,
                Command::to::<Meetings>(MeetingsCommand::Here { actor, meeting }),
            ))
        }
        ClientMsg::MeetingNoShow { event, meeting } => {
            let actor = meeting_actor(person, &event);
            Ok(event_room(
                Follow,
                Some(PersonLimit::Write),
                event,
                Command::to::<Meetings>(MeetingsCommand::NoShow { actor, meeting }),
            ))
        }
        ClientMsg::MeetingHeld {
            event,
            meeting,
            held,
        } => {
            let actor = meeting_actor(person, &event);
            Ok(event_room(
                Follow,
                Some(PersonLimit::Write),
                event,
                Command::to::<Meetings>(MeetingsCommand::Held {
                    actor,
                    meeting,
                    held,
                }),
            ))
        }
        ClientMsg::OpenNow { event, open } => {
            let actor = meeting_actor(person, &event);
            Ok(event_room(
                Follow,
                Some(PersonLimit::Profile),
                event,
                Command::to::<Meetings>(MeetingsCommand::OpenNow { actor, open }),
            ))
        }
        ClientMsg::CancelMeeting { event, meeting } => {
            let actor = meeting_actor(person, &event);
            Ok(event_room(
                Follow,
                Some(PersonLimit::Write),
                event,
                Command::to::<Meetings>(MeetingsCommand::Cancel { actor, meeting }),
            ))
        }
        ClientMsg::LockMeeting {
            event,
            meeting,
            locked,
        } => Ok(event_room(
            ManageEvent,
            None,
            event,
            Command::to::<Meetings>(MeetingsCommand::Lock { meeting, locked }),
        )),
        ClientMsg::SetMatchProfile { event, profile } => {
            let actor = meeting_actor(person, &event);
            Ok(event_room(
                Follow,
                Some(PersonLimit::Profile),
                event,
                Command::to::<Meetings>(MeetingsCommand::MatchProfile { actor, profile }),
            ))
        }
        ClientMsg::SetContactCard { event, card } => Ok(event_room(
            Follow,
            Some(PersonLimit::Profile),
            event,
            Command::to::<Contacts>(ContactsCommand::Card {
                person: person.id.clone(),
                card,
            }),
        )),
        ClientMsg::ShareContact {
            event,
            with,
            share,
            why,
        } => Ok(event_room(
            Follow,
            Some(PersonLimit::Write),
            event,
            Command::to::<Contacts>(ContactsCommand::Share {
                person: person.id.clone(),
                name: person.name.clone(),
                with,
                share,
                why,
            }),
        )),
        ClientMsg::EndContact { event, with } => Ok(event_room(
            Follow,
            Some(PersonLimit::Write),
            event,
            Command::to::<Contacts>(ContactsCommand::End {
                person: person.id.clone(),
                with,
            }),
        )),
        ClientMsg::BoothHere { event, booth, here } => Ok(event_room(
            Follow,
            Some(PersonLimit::Write),
            event,
            Command::to::<Exhibition>(ExhibitionCommand::Here {
                booth,
                person: person.id.clone(),
                here,
            }),
        )),
        ClientMsg::VisitBooth { event, booth, here } => Ok(event_room(
            Follow,
            Some(PersonLimit::Write),
            event,
            Command::to::<Exhibition>(ExhibitionCommand::Visit {
                booth,
                person: person.id.clone(),
                here,
            }),
        )),
        ClientMsg::PostBoothChat { event, booth, text } => Ok(Routed {
            action: Follow,
            limit: Some(PersonLimit::Write),
            room: RoomId::Booth(event, booth),
            command: Command::to::<BoothChat>(ChatCommand::Post {
                person: person.id.clone(),
                name: person.name.clone(),
                text,
            }),
        }),
        ClientMsg::HideBoothChat {
            event,
            booth,
            message,
            hidden,
        } => {
            let room = RoomId::Booth(event, booth);
            Ok(Routed {
                action: Follow,
                limit: Some(PersonLimit::Write),
                command: Command::to::<BoothChat>(ChatCommand::Hide {
                    id: message,
                    person: person.id.clone(),
                    // Organisers, and moderators of the whole event (not of some sessions).
                    moderator: auth::allowed(person, Moderate, &room),
                    hidden,
                }),
                room,
            })
        }
        ClientMsg::TalkNow { event, booth } => Ok(event_room(
            Follow,
            Some(PersonLimit::Write),
            event,
            Command::to::<Exhibition>(ExhibitionCommand::Ask {
                booth,
                person: person.id.clone(),
                name: person.name.clone(),
                organisation: None,
            }),
        )),
        ClientMsg::AnswerTalk {
            event,
            booth,
            visitor,
        } => Ok(event_room(
            Follow,
            Some(PersonLimit::Write),
            event,
            Command::to::<Exhibition>(ExhibitionCommand::Answer {
                booth,
                visitor: visitor.to_string(),
                person: person.id.clone(),
            }),
        )),
        ClientMsg::EndTalk {
            event,
            booth,
            visitor,
        } => Ok(event_room(
            Follow,
            Some(PersonLimit::Write),
            event,
            Command::to::<Exhibition>(ExhibitionCommand::EndTalk {
                booth,
                visitor: visitor.map_or_else(|| person.id.clone(), |v| v.to_string()),
                person: person.id.clone(),
            }),
        )),
        ClientMsg::BlockSomeone {
            event,
            person: with,
            blocked,
        } => Ok(event_room(
            Follow,
            Some(PersonLimit::Write),
            event,
            Command::to::<Contacts>(ContactsCommand::Block {
                person: person.id.clone(),
                with,
                blocked,
            }),
        )),
        ClientMsg::ReportSomeone {
            event,
            person: about,
            reason,
        } => Ok(event_room(
            Follow,
            Some(PersonLimit::Write),
            event,
            Command::to::<Contacts>(ContactsCommand::Report {
                person: person.id.clone(),
                name: person.name.clone(),
                about,
                reason,
            }),
        )),
        ClientMsg::AskBoothContact {
            event,
            booth,
            share,
            why,
        } => Ok(event_room(
            Follow,
            Some(PersonLimit::Write),
            event,
            Command::to::<Exhibition>(ExhibitionCommand::AskContact {
                booth,
                person: person.id.clone(),
                name: person.name.clone(),
                share,
                why,
            }),
        )),
        ClientMsg::AnswerBoothContact {
            event,
            booth,
            visitor,
            share,
        } => Ok(event_room(
            Follow,
            Some(PersonLimit::Write),
            event,
            Command::to::<Exhibition>(ExhibitionCommand::AnswerContact {
                booth,
                visitor: visitor.to_string(),
                person: person.id.clone(),
                share,
            }),
        )),
        ClientMsg::EndBoothContact {
            event,
            booth,
            visitor,
        } => Ok(event_room(
            Follow,
            Some(PersonLimit::Write),
            event,
            Command::to::<Exhibition>(ExhibitionCommand::EndContact {
                booth,
                visitor: visitor.map_or_else(|| person.id.clone(), |v| v.to_string()),
                person: person.id.clone(),
            }),
        )),
        other => Err(other),
    }
}
