//! The Redis store's wire format: a room write as its stream entry and its pub/sub message
//! (one JSON, serialised once), a room snapshot, and reading them back.

use crate::store::{LogEntry, Record, RoomWrite, StoreError};
use plenum_protocol::{EventInfo, RoomEvent, RoomId, RoomState, Seq};
use redis::Value;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A snapshot as stored.
#[derive(Serialize, Deserialize)]
pub(super) struct WireSnapshot {
    pub seq: Seq,
    pub v: u64,
    pub id: u64,
    pub state: RoomState,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rec: Vec<WireRecord>,
}

/// A write as stored in a stream and published: serialised once, read by every instance.
#[derive(Serialize, Deserialize)]
struct Wire {
    room: RoomId,
    v: u64,
    id: u64,
    prev: u64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    log: Vec<WireEvent>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    rec: Vec<WireRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    doc: Option<EventInfo>,
}

#[derive(Serialize, Deserialize)]
struct WireEvent {
    seq: Seq,
    at: i64,
    ev: RoomEvent,
}

#[derive(Serialize, Deserialize)]
pub(super) struct WireRecord {
    pub k: String,
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub val: Option<String>,
}

/// A write as JSON, as the stream and the channel carry it.
pub fn encode(write: &RoomWrite) -> String {
    let wire = Wire {
        room: write.room.clone(),
        v: write.version,
        id: write.id,
        prev: write.prev,
        log: write
            .log
            .iter()
            .map(|e| WireEvent {
                seq: e.seq,
                at: e.at_ms,
                ev: e.event.clone(),
            })
            .collect(),
        rec: write
            .records
            .iter()
            .map(|r| WireRecord {
                k: r.kind.clone(),
                key: r.key.clone(),
                val: r.value.clone(),
            })
            .collect(),
        doc: write.doc.clone(),
    };
    serde_json::to_string(&wire).expect("writes serialise")
}

/// A write from its JSON.
pub fn decode(json: &[u8]) -> Result<RoomWrite, StoreError> {
    let wire: Wire = serde_json::from_slice(json).map_err(|e| StoreError::Corrupt {
        what: "room stream",
        detail: e.to_string(),
    })?;
    let room = wire.room;
    let mut records = Vec::with_capacity(wire.rec.len());
    for r in wire.rec {
        records.push(Record {
            room: room.clone(),
            kind: r.k,
            key: r.key,
            value: r.val,
        });
    }
    Ok(RoomWrite {
        log: wire
            .log
            .into_iter()
            .map(|e| LogEntry {
                room: room.clone(),
                seq: e.seq,
                at_ms: e.at,
                event: e.ev,
            })
            .collect(),
        records,
        doc: wire.doc,
        version: wire.v,
        id: wire.id,
        prev: wire.prev,
        room,
    })
}

/// Record changes in order, as the set they leave: later ones replace or delete earlier ones.
pub(super) fn compact(changes: Vec<Record>) -> Vec<Record> {
    let mut records: HashMap<(String, String), Record> = HashMap::new();
    let mut order: Vec<(String, String)> = Vec::new();
    for r in changes {
        let key = (r.kind.clone(), r.key.clone());
        if r.value.is_some() {
            if !records.contains_key(&key) {
                order.push(key.clone());
            }
            records.insert(key, r);
        } else {
            records.remove(&key);
        }
    }
    order
        .into_iter()
        .filter_map(|k| records.remove(&k))
        .collect()
}

/// Stream entries (`[[id, [field, value]], ...]`) as writes.
pub(super) fn parse_entries(key: &str, reply: Value) -> Result<Vec<RoomWrite>, StoreError> {
    let mut writes = Vec::new();
    let Value::Array(entries) = reply else {
        return Ok(writes);
    };
    for entry in entries {
        // [id, [field, value]]
        let payload = match entry {
            Value::Array(mut parts) if parts.len() == 2 => match parts.pop() {
                Some(Value::Array(mut fields)) if fields.len() == 2 => fields.pop(),
                _ => None,
            },
            _ => None,
        };
        let Some(Value::BulkString(json)) = payload else {
            return Err(StoreError::Corrupt {
                what: "room stream",
                detail: format!("an entry of {key} is not a write"),
            });
        };
        writes.push(decode(&json)?);
    }
    Ok(writes)
}
