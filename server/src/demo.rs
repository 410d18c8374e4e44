//! The demo conference: two days in Malmö, plenaries, a moderated panel, six parallel
//! breakouts, a world café, pitches, an award vote and a site visit, mostly in English with
//! some Swedish. Loaded by `--demo` when absent; the file is `server/demo/ecc2026.json`.

use crate::{
    auth::Auth,
    engine::{Command, Engine},
    interactions::{
        access::{Access, AccessCommand, Issued},
        agenda,
        people::{People, PeopleCommand},
    },
    transport::{http::parse_json, requests},
};
use plenum_protocol::{CreateEvent, Profile, Role, RoomId};

/// The demo event as imported: the same format organisers use.
pub const DEMO_JSON: &str = include_str!("../demo/ecc2026.json");
/// The world café's tables (seven, five in English and two in Swedish), as `set_tables` sends
/// them.
pub const DEMO_TABLES_JSON: &str = include_str!("../demo/ecc2026-tables.json");
/// The demo's world café session.
const CAFE: &str = "world-cafe";

/// The demo event, parsed and checked.
pub fn event() -> anyhow::Result<CreateEvent> {
    let event: CreateEvent = parse_json(DEMO_JSON.as_bytes())
        .map_err(|e| anyhow::anyhow!("demo event: {}", e.0.message))?;
    agenda::check_event(&event)?;
    Ok(event)
}

/// The world café's hosts: registered participants (their personal links are in the
/// organiser's Participants panel), each at their table: (table, name, organisation, country,
/// languages).
const HOSTS: [(u32, &str, &str, &str, &[&str]); 2] = [
    (
        1,
        "Ana Costa",
        "Lisbon Maritime Cluster",
        "PT",
        &["en", "pt"],
    ),
    (
        6,
        "Eva Johansson",
        "Nordic Hydrogen Cluster",
        "SE",
        &["sv", "en"],
    ),
];

/// Creates the demo event unless an event with its code exists.
pub async fn load_if_absent(engine: &Engine, auth: &Auth) -> anyhow::Result<()> {
    let event = event()?;
    if engine.event(&event.code).is_none() {
        let code = event.code.clone();
        let r = requests::document(requests::Document::NewEvent(event));
        engine.create(&r.room, r.command).await?;
        let mut setup: plenum_protocol::TablesSetup = parse_json(DEMO_TABLES_JSON.as_bytes())
            .map_err(|e| anyhow::anyhow!("demo tables: {}", e.0.message))?;
        // The hosts, registered as an import registers people, and seated at their tables.
        let room = RoomId::Event(code.clone());
        let at_ms = crate::engine::now_ms();
        let hosts: Vec<Issued> = HOSTS
            .iter()
            .map(|(_, name, ..)| Issued {
                id: crate::auth::new_id(),
                role: Role::Attendee,
                name: (*name).to_owned(),
                sessions: Vec::new(),
                at_ms,
                by: "Organiser".into(),
                by_id: "organiser".into(),
                exp: crate::auth::invite_expiry(),
                signer: auth.signer(Role::Attendee),
                email: String::new(),
                imported: true,
                link: 0,
            })
            .collect();
        let profiles = HOSTS
            .iter()
            .zip(&hosts)
            .map(|((_, name, organisation, country, languages), i)| {
                let profile = Profile {
                    organisation: Some((*organisation).to_owned()),
                    country: Some((*country).to_owned()),
                    languages: languages.iter().map(|l| (*l).to_owned()).collect(),
                };
                (format!("inv-{}", i.id), Some((*name).to_owned()), profile)
            })
            .collect();
        for ((table, ..), i) in HOSTS.iter().zip(&hosts) {
            if let Some(t) = setup.tables.iter_mut().find(|t| t.number == *table) {
                t.host = Some(format!("inv-{}", i.id));
            }
        }
        engine
            .submit(
                &room,
                Command::to::<Access>(AccessCommand::IssueMany(hosts)),
            )
            .await?;
        engine
            .submit(
                &room,
                Command::to::<People>(PeopleCommand::Import(profiles)),
            )
            .await?;
        let organiser = plenum_protocol::Person {
            id: "organiser".into(),
            name: Some("Organiser".into()),
            role: plenum_protocol::Role::Organiser,
            event: None,
            sessions: Vec::new(),
            registered: false,
            link: 0,
        };
        let msg = plenum_protocol::ClientMsg::SetTables {
            event: code,
            session: plenum_protocol::SessionId::parse(CAFE)?,
            setup: Some(setup),
        };
        let r = requests::route(&organiser, msg)
            .ok_or_else(|| anyhow::anyhow!("set_tables has a route"))?;
        engine.submit(&r.room, r.command).await?;
        tracing::info!("demo event ECC2026 created");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_demo_event_is_valid() {
        let e = super::event().unwrap();
        assert!(
            e.agenda
                .sessions
                .iter()
                .filter(|s| s.kind == plenum_protocol::SessionKind::Breakout)
                .count()
                >= 6
        );
        assert!(
            e.agenda
                .sessions
                .iter()
                .any(|s| s.id.as_str() == "opening" && !s.contributions.is_empty())
        );
        // The world café's tables hold every rule of a table set, in both languages.
        let setup: plenum_protocol::TablesSetup =
            serde_json::from_str(super::DEMO_TABLES_JSON).unwrap();
        let set = crate::interactions::tables::setup::table_set(&setup, None).unwrap();
        assert!(
            set.tables
                .iter()
                .any(|t| t.language.as_deref() == Some("sv"))
        );
        assert!(
            set.tables
                .iter()
                .any(|t| t.language.as_deref() == Some("en"))
        );
        assert!(
            e.agenda
                .sessions
                .iter()
                .any(|s| s.id.as_str() == super::CAFE
                    && s.kind == plenum_protocol::SessionKind::WorldCafe)
        );
    }
}
