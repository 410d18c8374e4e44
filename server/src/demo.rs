//! The demo conference: two days in Malmö, plenaries, a moderated panel, six parallel
//! breakouts, a world café, pitches, an award vote and a site visit, mostly in English with
//! some Swedish. Loaded by `--demo` when absent; the file is `server/demo/ecc2026.json`.

use crate::{
    engine::Engine,
    interactions::agenda,
    transport::{http::parse_json, requests},
};
use plenum_protocol::CreateEvent;

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

/// Creates the demo event unless an event with its code exists.
pub async fn load_if_absent(engine: &Engine) -> anyhow::Result<()> {
    let event = event()?;
    if engine.event(&event.code).is_none() {
        let code = event.code.clone();
        let r = requests::document(requests::Document::NewEvent(event));
        engine.create(&r.room, r.command).await?;
        let setup: plenum_protocol::TablesSetup = parse_json(DEMO_TABLES_JSON.as_bytes())
            .map_err(|e| anyhow::anyhow!("demo tables: {}", e.0.message))?;
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
