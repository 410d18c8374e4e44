//! Reading a room back: its snapshot, and the stream after it, read so that they fit.

use super::{RedisStore, log_key, snapshot_key, version_key};
use crate::store::redis_wire::{WireSnapshot, parse_entries};
use crate::store::{Record, RoomWrite, Snapshot, StoreError};
use plenum_protocol::RoomId;
use redis::Value;

/// A room's version (`VERSION:ID`, `0:0` for none) and its stream from an entry id, at one
/// moment. KEYS: version, stream. ARGV: the first entry id.
const HEAD_AND_STREAM: &str = r#"
return {redis.call('GET', KEYS[1]) or '0:0', redis.call('XRANGE', KEYS[2], ARGV[1], '+')}
"#;

impl RedisStore {
    /// The room's snapshot and the records as of it, if it has one.
    fn read_snapshot(
        &mut self,
        room: &RoomId,
    ) -> Result<Option<(Snapshot, Vec<Record>)>, StoreError> {
        let key = snapshot_key(room);
        let data: Option<String> = self.read(self.shard(room), |c| {
            redis::cmd("HGET").arg(&key).arg("data").query(c)
        })?;
        let Some(data) = data else {
            return Ok(None);
        };
        let wire: WireSnapshot = serde_json::from_str(&data).map_err(|e| StoreError::Corrupt {
            what: "room snapshot",
            detail: e.to_string(),
        })?;
        let records = wire
            .rec
            .into_iter()
            .map(|r| Record {
                room: room.clone(),
                kind: r.k,
                key: r.key,
                value: r.val,
            })
            .collect();
        Ok(Some((
            Snapshot {
                seq: wire.seq,
                version: wire.v,
                id: wire.id,
                state: wire.state,
            },
            records,
        )))
    }

    /// A room's newest snapshot (with its records) and the stream's writes after it, read so
    /// that they fit: the stream starts right after the snapshot and reaches the room's
    /// version as it was read. Another instance's compaction between the reads (a new
    /// snapshot, then the stream trimmed) would pair an old snapshot with a stream that no
    /// longer follows it: then everything is read again.
    #[allow(clippy::type_complexity)]
    pub(super) fn read_whole(
        &mut self,
        room: &RoomId,
    ) -> Result<(Option<Snapshot>, Vec<Record>, Vec<RoomWrite>), StoreError> {
        for _ in 0..3 {
            let (snapshot, records) = match self.read_snapshot(room)? {
                Some((snapshot, records)) => (Some(snapshot), records),
                None => (None, Vec::new()),
            };
            let from = snapshot.as_ref().map_or(0, |s| s.version) + 1;
            let (head, writes) = self.read_head_and_stream(room, from)?;
            let reached = writes.last().map_or(from - 1, |w| w.version);
            if writes.first().is_none_or(|w| w.version == from) && head == reached {
                return Ok((snapshot, records, writes));
            }
        }
        Err(StoreError::Unavailable(format!(
            "{room}: its stream kept changing under a compaction"
        )))
    }

    /// The room's version and its stream from version `from`, read at one moment (one script:
    /// the keys share the room's slot, so this holds in a Redis Cluster too).
    pub(super) fn read_head_and_stream(
        &mut self,
        room: &RoomId,
        from: u64,
    ) -> Result<(u64, Vec<RoomWrite>), StoreError> {
        let (vkey, lkey) = (version_key(room), log_key(room));
        let start = format!("{from}-0");
        let reply: Value = self.read(self.shard(room), |c| {
            redis::cmd("EVAL")
                .arg(HEAD_AND_STREAM)
                .arg(2)
                .arg(&vkey)
                .arg(&lkey)
                .arg(&start)
                .query(c)
        })?;
        let unexpected = |v: &dyn std::fmt::Debug| StoreError::Corrupt {
            what: "version and stream read",
            detail: format!("unexpected reply {v:?}"),
        };
        let Value::Array(mut parts) = reply else {
            return Err(unexpected(&reply));
        };
        if parts.len() != 2 {
            return Err(unexpected(&parts));
        }
        let entries = parts.pop().expect("two parts");
        let head = match parts.pop() {
            Some(Value::BulkString(b)) => String::from_utf8_lossy(&b).into_owned(),
            Some(Value::SimpleString(s)) => s,
            other => return Err(unexpected(&other)),
        };
        let head = head
            .split(':')
            .next()
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0);
        Ok((head, parse_entries(&lkey, entries)?))
    }
}
