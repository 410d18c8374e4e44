//! Checking a table set as the organiser sends it, field by field.

use super::super::{Refusal, text};
use plenum_protocol::{Table, TableSet, TablesSetup, limits};
use std::collections::HashSet;

/// The table set `setup` makes (keeping `before`'s rounds, round and message), or the first
/// field that is wrong.
pub fn table_set(setup: &TablesSetup, before: Option<&TableSet>) -> Result<TableSet, Refusal> {
    if setup.tables.is_empty() {
        return Err(Refusal::invalid(
            "setup.tables",
            "must hold at least one table",
        ));
    }
    if setup.tables.len() > limits::MAX_TABLES {
        return Err(Refusal::TooLarge(format!(
            "setup.tables: at most {} tables",
            limits::MAX_TABLES
        )));
    }
    let mut numbers = HashSet::new();
    let mut hosts = HashSet::new();
    let mut tables = Vec::with_capacity(setup.tables.len());
    for (i, spec) in setup.tables.iter().enumerate() {
        let field = |name: &str| format!("setup.tables[{i}].{name}");
        if !(1..=999).contains(&spec.number) {
            return Err(Refusal::invalid(&field("number"), "must be 1 to 999"));
        }
        if !numbers.insert(spec.number) {
            return Err(Refusal::invalid(
                &field("number"),
                format!("table {} is there twice", spec.number),
            ));
        }
        let topic = text(&field("topic"), &spec.topic, limits::MAX_TOPIC_CHARS)?;
        let language = match spec.language.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(l) => {
                let l = l.to_ascii_lowercase();
                if !((2..=3).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_lowercase())) {
                    return Err(Refusal::invalid(
                        &field("language"),
                        format!("must be a language code like \"en\" or \"sv\", got {l:?}"),
                    ));
                }
                Some(l)
            }
        };
        if !(limits::MIN_TABLE_SEATS..=limits::MAX_TABLE_SEATS).contains(&spec.capacity) {
            return Err(Refusal::invalid(
                &field("capacity"),
                format!(
                    "must be {} to {} seats",
                    limits::MIN_TABLE_SEATS,
                    limits::MAX_TABLE_SEATS
                ),
            ));
        }
        let place = match spec.place.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(p) => Some(text(&field("place"), p, limits::MAX_PLACE_CHARS)?),
        };
        let host = match spec.host.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(h) => {
                plenum_protocol::PersonId::parse(h)
                    .map_err(|e| Refusal::invalid(&field("host"), e.0))?;
                if !hosts.insert(h.to_owned()) {
                    return Err(Refusal::invalid(
                        &field("host"),
                        "hosts one table already: a host stays at one table",
                    ));
                }
                Some(h.to_owned())
            }
        };
        tables.push(Table {
            number: spec.number,
            topic,
            language,
            capacity: spec.capacity,
            mode: spec.mode,
            place,
            hosted: host.is_some(),
            host,
            seated: 0,
            help: false,
            host_here: false,
            closed: false,
        });
    }
    tables.sort_by_key(|t| t.number);
    let video = crate::interactions::video_template("setup.video", setup.video.as_deref())?;
    let set = TableSet {
        tables,
        video,
        apart: setup.apart,
        rounds: before.map_or(0, |b| b.rounds),
        round: None,
        message: before.and_then(|b| b.message.clone()),
    };
    // With every table's count at its largest, so it never outgrows the bound as people sit.
    let mut widest = set.clone();
    for t in &mut widest.tables {
        t.seated = limits::MAX_TABLE_SEATS;
        t.help = true;
    }
    let bytes = serde_json::to_vec(&widest).map_or(usize::MAX, |v| v.len());
    if bytes > limits::MAX_TABLE_SET_BYTES {
        return Err(Refusal::TooLarge(format!(
            "setup: a table set is at most {} KiB as JSON (this one {} KiB): shorter topics or fewer tables",
            limits::MAX_TABLE_SET_BYTES / 1024,
            bytes.div_ceil(1024)
        )));
    }
    Ok(set)
}

/// The video link of table `number` in `session`, from the set's template.
pub fn video(set: &TableSet, session: &str, number: u32) -> Option<String> {
    set.video.as_ref().map(|v| {
        v.replace("{session}", session)
            .replace("{table}", &number.to_string())
    })
}
