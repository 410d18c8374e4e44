//! A table's harvest: short points its people write together, kept across rounds so the next
//! group builds on them, shown in the session (and on the big screen) table by table.
//!
//! Part of the session's state (`harvests`): public to everyone following the session, one
//! table's whole harvest an event (`harvest_changed`), at most `limits::MAX_HARVEST_POINTS`
//! points of `limits::MAX_HARVEST_POINT_CHARS` characters. People seated at the table add
//! points (in the running round; between rounds, where they sat as the last one ended); its host and staff
//! also edit, remove and move them.

use super::{Actor, Tables, TablesRecords};
use crate::interactions::{Cx, Refusal};
use plenum_protocol::{Harvest, HarvestChange, HarvestPoint, RoomEvent, TableSet, limits};

/// Changes table `table`'s harvest as `actor` asks, if they may.
pub fn change(
    cx: &mut Cx<'_, Tables>,
    set: &TableSet,
    actor: &Actor,
    table: u32,
    change: HarvestChange,
) -> Result<(), Refusal> {
    let t = set
        .table(table)
        .ok_or_else(|| Refusal::NotFound(format!("no table {table}")))?;
    let host = t.host.as_deref() == Some(actor.id.as_str());
    let edits = !matches!(change, HarvestChange::Add { .. });
    if !actor.staff && !host {
        if edits {
            return Err(Refusal::Forbidden(
                "only the table's host and the organisers edit, remove and move points".into(),
            ));
        }
        // Seated at this table now, or in the last round while no round runs.
        let running = set.round.is_some();
        let at = cx.records().part(|r| TablesRecords {
            seats: r
                .seats
                .get(&actor.id)
                .map(|t| (actor.id.clone(), *t))
                .into_iter()
                .collect(),
            rounds: r
                .rounds
                .iter()
                .next_back()
                .and_then(|(n, seats)| {
                    let seat = seats.get(&actor.id)?;
                    Some((*n, [(actor.id.clone(), *seat)].into_iter().collect()))
                })
                .into_iter()
                .collect(),
            ..TablesRecords::default()
        });
        let seated = if running {
            at.seats.get(&actor.id) == Some(&table)
        } else {
            at.rounds
                .values()
                .next_back()
                .and_then(|s| s.get(&actor.id))
                == Some(&table)
        };
        if !seated {
            return Err(Refusal::Forbidden(
                "only the people at a table write its harvest".into(),
            ));
        }
    }
    let mut harvest = cx
        .session()?
        .harvests
        .iter()
        .find(|h| h.table == table)
        .cloned()
        .unwrap_or(Harvest {
            table,
            points: Vec::new(),
            next: 1,
        });
    let find = |h: &Harvest, point: u32| {
        h.points
            .iter()
            .position(|p| p.id == point)
            .ok_or_else(|| Refusal::NotFound(format!("no point {point} at table {table}")))
    };
    let text = |t: &str| crate::interactions::text("text", t, limits::MAX_HARVEST_POINT_CHARS);
    match change {
        HarvestChange::Add { text: t } => {
            let t = text(&t)?;
            if harvest.points.len() >= limits::MAX_HARVEST_POINTS {
                return Err(Refusal::TooLarge(format!(
                    "a table's harvest holds at most {} points",
                    limits::MAX_HARVEST_POINTS
                )));
            }
            harvest.points.push(HarvestPoint {
                id: harvest.next.max(1),
                text: t,
                round: set.round.as_ref().map_or(0, |r| r.number),
            });
            harvest.next = harvest.next.max(1) + 1;
        }
        HarvestChange::Edit { point, text: t } => {
            let at = find(&harvest, point)?;
            let t = text(&t)?;
            if harvest.points[at].text == t {
                return Ok(());
            }
            harvest.points[at].text = t;
        }
        HarvestChange::Remove { point } => {
            let at = find(&harvest, point)?;
            harvest.points.remove(at);
        }
        HarvestChange::Move { point, to } => {
            let at = find(&harvest, point)?;
            let to = to as usize;
            if to >= harvest.points.len() {
                return Err(Refusal::invalid(
                    "to",
                    format!(
                        "must be below {}, the number of points",
                        harvest.points.len()
                    ),
                ));
            }
            if to == at {
                return Ok(());
            }
            let p = harvest.points.remove(at);
            harvest.points.insert(to, p);
        }
    }
    cx.emit(RoomEvent::HarvestChanged { harvest });
    Ok(())
}
