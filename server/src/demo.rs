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
        let r = requests::document(requests::Document::NewEvent(event));
        engine.create(&r.room, r.command).await?;
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
    }
}
