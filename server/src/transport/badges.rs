//! Badges for an onsite event, and the contact codes on them.
//!
//! - `GET /api/events/{code}/badges` (organisers): every person the event keeps, by name, with
//!   the address their badge's QR code holds: `/e/CODE/meetings?contact=CONTACT`.
//! - `GET /api/events/{code}/contact-codes/{contact}` (anyone with a person token of the
//!   event): whom a contact code names, to ask them for contact details (`share_contact`).
//!
//! A contact code is the person's id and an HMAC of it (`PERSON.MAC`): it names someone and
//! signs nobody in. It is no token: used as one it is refused like any other wrong token, and
//! without a token of the event it answers nothing. Nothing is stored per code, and a code
//! made up (another id, a changed MAC) is `not_found`. A person's own sign-in link (their
//! personal link) is never on the badge.

use super::http::{AppError, at_event};
use crate::{App, auth::Action, interactions::people::People};
use axum::{
    Json,
    extract::{Path, State},
    http::HeaderMap,
};
use base64::Engine as _;
use hmac::{Hmac, Mac};
use plenum_protocol::{Badge, ErrorCode, EventCode, MeetingPerson, PersonId, RoomId};
use sha2::Sha256;

/// How many bytes of the HMAC a contact code keeps (16 characters): not guessable.
const MAC_BYTES: usize = 12;

fn mac(key: &[u8; 32], event: &EventCode, person: &str) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    mac.update(format!("contact-code:{event}:{person}").as_bytes());
    mac
}

/// The contact code of `person` at `event`.
pub fn contact_code(key: &[u8; 32], event: &EventCode, person: &str) -> String {
    let tag = mac(key, event, person).finalize().into_bytes();
    let tag = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&tag[..MAC_BYTES]);
    format!("{person}.{tag}")
}

/// The person a contact code names, if it is one this server made for `event`.
pub fn person_of(key: &[u8; 32], event: &EventCode, code: &str) -> Option<PersonId> {
    let (person, tag) = code.rsplit_once('.')?;
    let person = PersonId::parse(person).ok()?;
    let tag = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(tag)
        .ok()
        .filter(|t| t.len() == MAC_BYTES)?;
    // Compared in constant time.
    mac(key, event, person.as_str())
        .verify_truncated_left(&tag)
        .ok()?;
    Some(person)
}

/// `GET /api/events/{code}/badges`.
pub async fn badges(
    State(app): State<App>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Vec<Badge>>, AppError> {
    let (code, _, _) = at_event(&app, &headers, &code, Action::ManageEvent).await?;
    let base = super::people::base(&app, &headers);
    let key = *app.engine.key();
    // Copied out of the room first; signed after, without holding it.
    let people: Vec<(String, String, Option<String>)> = app
        .engine
        .read::<People, _>(&RoomId::Event(code.clone()), |_, r| {
            r.people
                .iter()
                .filter_map(|(id, p)| {
                    Some((id.clone(), p.name.clone()?, p.profile.organisation.clone()))
                })
                .collect()
        })
        .await?;
    let mut badges: Vec<Badge> = people
        .into_iter()
        .filter_map(|(id, name, organisation)| {
            let contact = contact_code(&key, &code, &id);
            Some(Badge {
                id: PersonId::parse(&id).ok()?,
                name,
                organisation,
                contact_url: format!("{base}/e/{code}/meetings?contact={contact}"),
            })
        })
        .collect();
    badges.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
    Ok(Json(badges))
}

/// `GET /api/events/{code}/contact-codes/{contact}`.
pub async fn holder(
    State(app): State<App>,
    Path((code, contact)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Json<MeetingPerson>, AppError> {
    let (code, _, _) = at_event(&app, &headers, &code, Action::Follow).await?;
    let not_found = || AppError::new(ErrorCode::NotFound, "no such contact code at this event");
    let person = person_of(app.engine.key(), &code, &contact).ok_or_else(not_found)?;
    let found = app
        .engine
        .read::<People, _>(&RoomId::Event(code.clone()), |_, r| {
            r.people.get(person.as_str()).map(|p| MeetingPerson {
                id: person.clone(),
                name: p.name.clone(),
                organisation: p.profile.organisation.clone(),
            })
        })
        .await?;
    found.map(Json).ok_or_else(not_found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contact_code_names_its_person_and_nobody_else() {
        let key = [7u8; 32];
        let event = EventCode::parse("ECC2026").unwrap();
        let code = contact_code(&key, &event, "att-Qm2x");
        assert_eq!(person_of(&key, &event, &code).unwrap().as_str(), "att-Qm2x");
        // Another event, another key, another person, a cut or changed tag: nobody.
        let other = EventCode::parse("OTHER").unwrap();
        assert!(person_of(&key, &other, &code).is_none());
        assert!(person_of(&[8u8; 32], &event, &code).is_none());
        let (_, tag) = code.rsplit_once('.').unwrap();
        assert!(person_of(&key, &event, &format!("att-Zk3q.{tag}")).is_none());
        assert!(person_of(&key, &event, &code[..code.len() - 1]).is_none());
        assert!(person_of(&key, &event, "att-Qm2x").is_none());
        assert!(person_of(&key, &event, "").is_none());
    }
}
