//! The shared store: room logs, records, events and keys in Redis, so any number of instances
//! serve the same events (`--redis URL`).
//!
//! # Layout
//!
//! Every room has a **version** (`plenum:{ROOM}:v`: the number of writes it has had and the
//! random id of the last one, `VERSION:ID`), and a
//! **stream** (`plenum:{ROOM}:log`) with one entry per write, whose id is `VERSION-1`. An entry
//! is one [`RoomWrite`] as JSON: the room's events with their sequence numbers, its record
//! changes and, for an event room, the event's document. A room's state is the fold of its
//! stream, so any instance can rebuild any room and resume any client.
//!
//! A **snapshot** (`plenum:{ROOM}:snap`, a hash: `v` and `data`) holds the room's state after
//! some write and its records as of then (the stream's record changes folded), so a room loads
//! from its snapshot and the stream entries after it. Any instance may write one; a newer one
//! is never replaced by an older ([`SNAPSHOT`]).
//!
//! # One write, one round trip
//!
//! The sequencer commits a room's part of a batch with one script ([`COMMIT`]) that checks the
//! version it decided against, appends the entry, bumps the version, stores the event document
//! and publishes the entry on the room's channel — atomically, in one round trip (all rooms of a
//! batch go in one pipeline). If another instance wrote the room first, the script changes
//! nothing and the engine catches up from the stream and decides again. So sequence numbers come
//! from one place, every instance applies the same writes in the same order, and nothing is
//! published that is not durable (with the persistence settings in `docs/deploy.md`).
//!
//! # Beyond one Redis
//!
//! Given several URLs, rooms are partitioned over them by a stable hash of the room id
//! ([`shard_of`]); every key and channel of a room lives on its shard, and every name carries
//! the room in a `{hash tag}`, so one room's keys share a Redis Cluster slot too. Events'
//! documents live beside their event room; small shared keys (`plenum:meta`) on the first shard.

mod reads;
mod replicas;

use super::redis_wire::{WireRecord, WireSnapshot, compact, parse_entries};
pub use super::redis_wire::{decode, encode};
use crate::store::{Committed, Conflict, RoomData, RoomWrite, Snapshot, Store, StoreError};
use plenum_protocol::{EventCode, EventInfo, RoomId};
use redis::{Client, Connection, Value};
pub use replicas::Replicas;
use std::{collections::HashMap, time::Duration};

/// Checks the version a write was decided against, appends it, and publishes it. Returns -1 when
/// written; else (nothing written) the room's current version and the writes the refused one
/// missed, so catching up costs no second round trip.
///
/// KEYS: version, stream, events hash. ARGV: the expected `VERSION:ID`, the write (JSON), the
/// room's channel, the event code (empty when the write has no document), the document, the
/// new `VERSION:ID`, `1` to publish it now (`0` when the store publishes it once replicas have
/// acknowledged it), and `1` to publish a document on the catalog channel here (`0` in a
/// cluster, where that channel is in another slot). The entry is appended before the version
/// moves, so a failing `XADD` leaves the room as it was. KEYS[3] is the events hash, or in a
/// cluster the room's own document key.
pub const COMMIT: &str = r#"
local cur = redis.call('GET', KEYS[1]) or '0:0'
local v = tonumber(string.match(cur, '^(%d+)'))
if cur ~= ARGV[1] then
  local from = tonumber(string.match(ARGV[1], '^(%d+)')) + 1
  return {v, redis.call('XRANGE', KEYS[2], from .. '-0', '+')}
end
redis.call('XADD', KEYS[2], (v + 1) .. '-1', 'w', ARGV[2])
redis.call('SET', KEYS[1], ARGV[6])
if ARGV[4] ~= '' then
  redis.call('HSET', KEYS[3], ARGV[4], ARGV[5])
  if ARGV[8] ~= '0' then redis.call('SPUBLISH', 'plenum:catalog', ARGV[5]) end
end
if ARGV[7] ~= '0' then redis.call('SPUBLISH', ARGV[3], ARGV[2]) end
return -1
"#;

/// Keeps a snapshot unless one of a later write is kept. KEYS: the snapshot hash. ARGV: the
/// version of its write, its data.
pub const SNAPSHOT: &str = r#"
local kept = tonumber(redis.call('HGET', KEYS[1], 'v') or '-1')
if kept >= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'data', ARGV[2])
return 1
"#;

/// The channel every instance follows on every shard for event documents.
pub const CATALOG_CHANNEL: &str = "plenum:catalog";

/// Which of `shards` Redis servers holds `room`. FNV-1a: stable across instances and releases.
pub fn shard_of(room: &RoomId, shards: usize) -> usize {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in room.to_string().bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h % shards as u64) as usize
}

/// The pub/sub channel of a room.
pub fn channel_of(room: &RoomId) -> String {
    format!("plenum:{{{room}}}")
}

fn version_key(room: &RoomId) -> String {
    format!("plenum:{{{room}}}:v")
}

fn log_key(room: &RoomId) -> String {
    format!("plenum:{{{room}}}:log")
}

/// An event's document in a cluster, beside its event room (a hash: code → document).
fn doc_key(room: &RoomId) -> String {
    format!("plenum:{{{room}}}:doc")
}

/// In a cluster: the codes of every event (documents live beside their rooms).
const EVENT_CODES_KEY: &str = "plenum:event-codes";

/// The rooms of an event (a set, beside its event room): every room is added before its first
/// write.
fn rooms_key(event_room: &RoomId) -> String {
    format!("plenum:{{{event_room}}}:rooms")
}

fn snapshot_key(room: &RoomId) -> String {
    format!("plenum:{{{room}}}:snap")
}

const EVENTS_KEY: &str = "plenum:events";
const META_KEY: &str = "plenum:meta";

fn clone_err(e: &StoreError) -> StoreError {
    StoreError::Unavailable(e.to_string())
}

fn bad_reply(v: &Option<Value>) -> StoreError {
    StoreError::Corrupt {
        what: "commit script",
        detail: format!("unexpected reply {v:?}"),
    }
}

/// One Redis server of the store, or a whole Redis Cluster, connected on first use and again
/// after any failure.
struct Shard {
    client: ShardClient,
    conn: Option<Conn>,
    /// The commit script's SHA-1, loaded on each connection (not in a cluster: a replica promoted
    /// in a failover has no scripts loaded, so the cluster is sent the script itself).
    sha: String,
}

enum ShardClient {
    One(Box<Client>),
    Cluster(Box<redis::cluster::ClusterClient>),
}

enum Conn {
    One(Connection),
    /// Routes each command by its key's slot; follows MOVED and failovers.
    Cluster(Box<redis::cluster::ClusterConnection>),
}

impl Conn {
    fn get(&mut self) -> &mut dyn redis::ConnectionLike {
        match self {
            Conn::One(c) => c,
            Conn::Cluster(c) => c.as_mut(),
        }
    }
}

/// Redis as the store shared by every instance. Used by the sequencer thread only, so plain
/// blocking connections with timeouts are enough.
pub struct RedisStore {
    shards: Vec<Shard>,
    /// A Redis Cluster (`--redis-cluster`): one "shard", the cluster connection, which routes
    /// by slot. Event documents then live beside their event room (`plenum:{ROOM}:doc`) with
    /// an index of their codes, since one script may touch one slot only.
    cluster: bool,
    /// With replica acknowledgement on: each shard's writes are published only once `WAIT`
    /// says enough replicas have them; fewer, and they are answered as failed (uncertain).
    replicas: Option<Replicas>,
}

/// How long a Redis command may take before the store counts as unavailable.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(2);

fn unavailable(e: redis::RedisError) -> StoreError {
    StoreError::Unavailable(e.to_string())
}

impl RedisStore {
    /// A store over the given Redis URLs (one per shard). Connects lazily; [`Store::ping`]
    /// tells whether they answer.
    pub fn open(urls: &[String]) -> Result<RedisStore, StoreError> {
        if urls.is_empty() {
            return Err(StoreError::Unavailable("no Redis URL given".into()));
        }
        let mut shards = Vec::new();
        for url in urls {
            let client = Client::open(url.as_str())
                .map_err(|e| StoreError::Unavailable(format!("bad Redis URL {url}: {e}")))?;
            // Pub/sub ignores databases: two deployments on one Redis would hear each other.
            if client.get_connection_info().redis_settings().db() != 0 {
                return Err(StoreError::Unavailable(format!(
                    "{url}: Plenum uses database 0; give each deployment its own Redis"
                )));
            }
            shards.push(Shard {
                client: ShardClient::One(Box::new(client)),
                conn: None,
                sha: String::new(),
            });
        }
        Ok(RedisStore {
            shards,
            cluster: false,
            replicas: None,
        })
    }

    /// A store in a Redis Cluster, reached through any of `seeds` (`redis://` or `rediss://`,
    /// with `user:password@` for an ACL user).
    pub fn open_cluster(seeds: &[String], ca: Option<Vec<u8>>) -> Result<RedisStore, StoreError> {
        if seeds.is_empty() {
            return Err(StoreError::Unavailable(
                "no Redis Cluster node given".into(),
            ));
        }
        // No retries inside the client: a script sent again after a reset may have run the
        // first time, and a WAIT sent on a fresh connection covers nothing. A failed command is
        // the room's uncertain failure; the engine reads the room again.
        let mut builder =
            redis::cluster::ClusterClientBuilder::new(seeds.iter().map(String::as_str))
                .connection_timeout(COMMAND_TIMEOUT)
                .retries(0);
        if let Some(ca) = ca {
            builder = builder.certs(tls_roots(ca));
        }
        let client = builder
            .build()
            .map_err(|e| StoreError::Unavailable(format!("bad Redis Cluster nodes: {e}")))?;
        Ok(RedisStore {
            shards: vec![Shard {
                client: ShardClient::Cluster(Box::new(client)),
                conn: None,
                sha: String::new(),
            }],
            cluster: true,
            replicas: None,
        })
    }

    /// Waits for `replicas` to acknowledge every write before it counts as committed.
    pub fn with_replicas(mut self, replicas: Option<Replicas>) -> RedisStore {
        self.replicas = replicas.filter(|r| r.count > 0);
        self
    }

    /// Runs `f` on shard `i`'s connection; any error drops the connection, so the next use
    /// reconnects (after a Redis restart, say).
    fn with<T>(
        &mut self,
        i: usize,
        f: impl FnOnce(&mut dyn redis::ConnectionLike, &str) -> redis::RedisResult<T>,
    ) -> Result<T, StoreError> {
        let replicas = self.replicas;
        let shard = &mut self.shards[i];
        if shard.conn.is_none() {
            // A WAIT may take its whole timeout before it answers.
            let wait = replicas.map_or(Duration::ZERO, |r| r.timeout);
            let conn = match &shard.client {
                ShardClient::One(client) => {
                    let mut conn = client
                        .get_connection_with_timeout(COMMAND_TIMEOUT)
                        .map_err(unavailable)?;
                    conn.set_read_timeout(Some(COMMAND_TIMEOUT + wait))
                        .map_err(unavailable)?;
                    conn.set_write_timeout(Some(COMMAND_TIMEOUT))
                        .map_err(unavailable)?;
                    shard.sha = redis::cmd("SCRIPT")
                        .arg("LOAD")
                        .arg(COMMIT)
                        .query(&mut conn)
                        .map_err(unavailable)?;
                    Conn::One(conn)
                }
                ShardClient::Cluster(client) => {
                    let conn = client.get_connection().map_err(unavailable)?;
                    conn.set_read_timeout(Some(COMMAND_TIMEOUT + wait))
                        .map_err(unavailable)?;
                    conn.set_write_timeout(Some(COMMAND_TIMEOUT))
                        .map_err(unavailable)?;
                    Conn::Cluster(Box::new(conn))
                }
            };
            shard.conn = Some(conn);
        }
        let conn = shard.conn.as_mut().expect("connected above");
        match f(conn.get(), &shard.sha) {
            Ok(v) => Ok(v),
            Err(e) => {
                shard.conn = None;
                Err(unavailable(e))
            }
        }
    }

    /// [`RedisStore::with`] for a read, tried once more on a fresh connection if it fails:
    /// after a failover (or a Redis restart) the first command on the old connection fails,
    /// and a read is safe to repeat (a write is not: it may have run).
    fn read<T>(
        &mut self,
        i: usize,
        f: impl Fn(&mut dyn redis::ConnectionLike) -> redis::RedisResult<T>,
    ) -> Result<T, StoreError> {
        match self.with(i, |c, _| f(c)) {
            Ok(v) => Ok(v),
            Err(_) => self.with(i, |c, _| f(c)),
        }
    }

    fn shard(&self, room: &RoomId) -> usize {
        shard_of(room, self.shards.len())
    }

    /// Publishes committed writes to the other instances: their rooms' writes (unless the
    /// commit script did) and the event documents they carry (in a cluster always here: the
    /// catalog's channel is in another slot than any room).
    fn publish(&mut self, i: usize, written: &[&RoomWrite], rooms: bool) -> Result<(), StoreError> {
        let mut cmds = Vec::new();
        for w in written {
            if let Some(doc) = &w.doc {
                let doc = serde_json::to_string(doc).expect("events serialise");
                let mut c = redis::cmd("SPUBLISH");
                c.arg(CATALOG_CHANNEL).arg(doc);
                cmds.push(c);
            }
            if rooms {
                let mut c = redis::cmd("SPUBLISH");
                c.arg(channel_of(&w.room)).arg(encode(w));
                cmds.push(c);
            }
        }
        if cmds.is_empty() {
            return Ok(());
        }
        let cluster = self.cluster;
        self.with(i, |c, _| {
            if cluster {
                for cmd in &cmds {
                    cmd.query::<()>(c)?;
                }
                return Ok(());
            }
            let mut pipe = redis::pipe();
            for cmd in cmds {
                pipe.add_command(cmd).ignore();
            }
            pipe.query::<()>(c)
        })
    }
}

/// The commit of `w`: the script (by its SHA-1 on one server; itself in a cluster).
fn commit_cmd(cluster: bool, w: &RoomWrite, sha: &str, publish_now: bool) -> redis::Cmd {
    let (code, doc) = match &w.doc {
        Some(d) => (
            d.code.as_str().to_owned(),
            serde_json::to_string(d).expect("events serialise"),
        ),
        None => (String::new(), String::new()),
    };
    let mut cmd = if cluster {
        let mut c = redis::cmd("EVAL");
        c.arg(COMMIT);
        c
    } else {
        let mut c = redis::cmd("EVALSHA");
        c.arg(sha);
        c
    };
    cmd.arg(3)
        .arg(version_key(&w.room))
        .arg(log_key(&w.room))
        .arg(if cluster {
            doc_key(&w.room)
        } else {
            EVENTS_KEY.to_owned()
        })
        .arg(format!("{}:{}", w.version - 1, w.prev))
        .arg(encode(w))
        .arg(channel_of(&w.room))
        .arg(code)
        .arg(doc)
        .arg(format!("{}:{}", w.version, w.id))
        .arg(if publish_now { "1" } else { "0" })
        // The catalog's channel is in another slot: in a cluster it is published apart.
        .arg(if publish_now && !cluster { "1" } else { "0" });
    cmd
}

/// TLS trust for `rediss://` nodes: the given CA's certificates (PEM), no client certificate.
pub fn tls_roots(ca: Vec<u8>) -> redis::TlsCertificates {
    redis::TlsCertificates {
        client_tls: None,
        root_cert: Some(ca),
    }
}

impl Store for RedisStore {
    fn load_events(&mut self) -> Result<Vec<EventInfo>, StoreError> {
        let mut events = Vec::new();
        if self.cluster {
            let codes: Vec<String> =
                self.read(0, |c| redis::cmd("SMEMBERS").arg(EVENT_CODES_KEY).query(c))?;
            for code in codes {
                let Ok(code) = EventCode::parse(&code) else {
                    continue;
                };
                // An index entry without a document: its first write did not commit.
                if let Some(info) = self.load_event(&code)? {
                    events.push(info);
                }
            }
            return Ok(events);
        }
        for i in 0..self.shards.len() {
            let docs: HashMap<String, String> =
                self.read(i, |c| redis::cmd("HGETALL").arg(EVENTS_KEY).query(c))?;
            for doc in docs.values() {
                events.push(serde_json::from_str(doc).map_err(|e| StoreError::Corrupt {
                    what: "events",
                    detail: e.to_string(),
                })?);
            }
        }
        Ok(events)
    }

    fn load_room(&mut self, room: &RoomId) -> Result<RoomData, StoreError> {
        let (snapshot, records, writes) = self.read_whole(room)?;
        let mut records = records;
        let mut data = RoomData::default();
        if let Some(s) = &snapshot {
            data.version = s.version;
            data.id = s.id;
        }
        for write in writes {
            data.version = write.version;
            data.id = write.id;
            data.log.extend(write.log);
            records.extend(write.records);
        }
        data.records = compact(records);
        data.snapshot = snapshot;
        Ok(data)
    }

    fn put_snapshot(&mut self, room: &RoomId, snapshot: &Snapshot) -> Result<(), StoreError> {
        // The records as of the snapshot's write: the last snapshot's, then the stream's
        // changes up to it, read so that they fit (`read_whole`).
        let (old, mut records, writes) = self.read_whole(room)?;
        if old
            .as_ref()
            .is_some_and(|old| old.version >= snapshot.version)
        {
            return Ok(());
        }
        if writes.last().is_none_or(|w| w.version < snapshot.version) {
            return Err(StoreError::Unavailable(format!(
                "{room}: version {} is not in its stream",
                snapshot.version
            )));
        }
        for write in writes {
            if write.version > snapshot.version {
                break;
            }
            records.extend(write.records);
        }
        let wire = WireSnapshot {
            seq: snapshot.seq,
            v: snapshot.version,
            id: snapshot.id,
            state: snapshot.state.clone(),
            rec: compact(records)
                .into_iter()
                .map(|r| WireRecord {
                    k: r.kind,
                    key: r.key,
                    val: r.value,
                })
                .collect(),
        };
        let data = serde_json::to_string(&wire).map_err(|e| StoreError::Corrupt {
            what: "room snapshot",
            detail: e.to_string(),
        })?;
        let key = snapshot_key(room);
        self.with(self.shard(room), |c, _| {
            redis::cmd("EVAL")
                .arg(SNAPSHOT)
                .arg(1)
                .arg(&key)
                .arg(snapshot.version)
                .arg(&data)
                .query::<i64>(c)
        })?;
        Ok(())
    }

    fn commit(&mut self, batch: &crate::store::Batch) -> Result<Committed, StoreError> {
        let mut out = Committed::default();
        // A room's first write names it in its event's index first (`rooms_of`), so a purge
        // finds every room; an entry whose write then failed names an empty room: harmless.
        let mut unindexed = Vec::new();
        for w in batch.rooms.iter().filter(|w| w.version == 1) {
            let index = RoomId::Event(w.room.event_code().clone());
            let i = self.shard(&index);
            let room = w.room.to_string();
            if let Err(e) = self.with(i, |c, _| {
                redis::cmd("SADD")
                    .arg(rooms_key(&index))
                    .arg(&room)
                    .query::<()>(c)
            }) {
                out.failed.push((w.room.clone(), e));
                unindexed.push(&w.room);
            }
        }
        let mut by_shard: Vec<Vec<&RoomWrite>> = vec![Vec::new(); self.shards.len()];
        for write in &batch.rooms {
            if !unindexed.contains(&&write.room) {
                by_shard[self.shard(&write.room)].push(write);
            }
        }
        let publish_now = self.replicas.is_none();
        for (i, mut writes) in by_shard.into_iter().enumerate() {
            if writes.is_empty() {
                continue;
            }
            let mut written = Vec::new();
            // In a cluster, an event's code goes into the index before its document is
            // written: an index entry without a document is skipped when loading.
            if self.cluster {
                for w in writes.iter().filter_map(|w| w.doc.as_ref()) {
                    let code = w.code.as_str().to_owned();
                    if let Err(e) = self.with(i, |c, _| {
                        redis::cmd("SADD")
                            .arg(EVENT_CODES_KEY)
                            .arg(&code)
                            .query::<()>(c)
                    }) {
                        for w in &writes {
                            out.failed.push((w.room.clone(), clone_err(&e)));
                        }
                        writes.clear();
                        break;
                    }
                }
                if writes.is_empty() {
                    continue;
                }
            }
            // Each shard on its own: one that fails leaves the others' rooms written. One
            // server takes them in one pipeline; a cluster routes each by its room's slot.
            let cluster = self.cluster;
            let mut failed_commands = false;
            let results = self.with(i, |c, sha| {
                let cmds = writes
                    .iter()
                    .map(|w| commit_cmd(cluster, w, sha, publish_now));
                if cluster {
                    // Each room on its own node: one that fails is that room's failure only
                    // (an error is an unexpected reply: the room counts as failed below).
                    let mut any_failed = false;
                    let results: Vec<Value> = cmds
                        .map(|cmd| {
                            cmd.query::<Value>(c).unwrap_or_else(|e| {
                                tracing::warn!(error = %e, "a room's commit failed in the cluster");
                                any_failed = true;
                                Value::Nil
                            })
                        })
                        .collect();
                    if any_failed {
                        failed_commands = true;
                    }
                    return Ok(results);
                }
                let mut pipe = redis::pipe();
                pipe.ignore_errors();
                for cmd in cmds {
                    pipe.add_command(cmd);
                }
                pipe.query::<Vec<Value>>(c)
            });
            if failed_commands {
                // A fresh connection (and map of the cluster) for what comes next.
                self.shards[i].conn = None;
            }
            let results = match results {
                Ok(r) => r,
                Err(e) => {
                    // The connection failed: any of the scripts may have run.
                    for w in writes {
                        out.failed.push((w.room.clone(), clone_err(&e)));
                    }
                    continue;
                }
            };
            for (w, result) in writes.iter().zip(results) {
                match result {
                    Value::Int(_) => written.push(*w),
                    Value::Array(mut parts) if parts.len() == 2 => {
                        let missed = parts.pop().expect("two parts");
                        let conflict = match (parts.pop(), parse_entries(&log_key(&w.room), missed))
                        {
                            (Some(Value::Int(v)), Ok(missed)) => Conflict {
                                room: w.room.clone(),
                                version: v as u64,
                                missed,
                            },
                            (other, Ok(_)) => {
                                out.failed.push((w.room.clone(), bad_reply(&other)));
                                continue;
                            }
                            (_, Err(e)) => {
                                out.failed.push((w.room.clone(), e));
                                continue;
                            }
                        };
                        // With replica acknowledgement, what the refusal brings along may not be
                        // replicated yet: the engine reads it again through `writes_since`,
                        // which confirms it first.
                        let conflict = if self.replicas.is_some() {
                            Conflict {
                                missed: Vec::new(),
                                ..conflict
                            }
                        } else {
                            conflict
                        };
                        out.conflicts.push(conflict);
                    }
                    // A script that failed before writing (XADD refused, say): nothing written.
                    other => out.failed.push((w.room.clone(), bad_reply(&Some(other)))),
                }
            }
            if let Some(replicas) = self.replicas
                && !written.is_empty()
            {
                self.acknowledge(i, replicas, &written, &mut out);
            } else if self.cluster
                && written.iter().any(|w| w.doc.is_some())
                && let Err(e) = self.publish(i, &written, false)
            {
                // Committed: instances that missed the document read it when they meet the event.
                tracing::warn!(error = %e, "publishing an event's document failed");
            }
        }
        Ok(out)
    }

    fn rooms_of(&mut self, event: &EventCode) -> Result<Vec<RoomId>, StoreError> {
        let event_room = RoomId::Event(event.clone());
        let key = rooms_key(&event_room);
        let names: Vec<String> = self.read(self.shard(&event_room), |c| {
            redis::cmd("SMEMBERS").arg(&key).query(c)
        })?;
        let mut names: std::collections::BTreeSet<String> = names.into_iter().collect();
        // Rooms first written before the index was kept are found by their version keys, on
        // each server (a Redis Cluster's nodes are not scanned: there the index is all).
        if !self.cluster {
            let code = event.as_str();
            for i in 0..self.shards.len() {
                for kind in ["session", "inbox"] {
                    let pattern = format!("plenum:{{{kind}:{code}:*}}:v");
                    let mut cursor = 0u64;
                    loop {
                        let (next, keys): (u64, Vec<String>) = self.read(i, |c| {
                            redis::cmd("SCAN")
                                .arg(cursor)
                                .arg("MATCH")
                                .arg(&pattern)
                                .arg("COUNT")
                                .arg(1000)
                                .query(c)
                        })?;
                        names.extend(keys.iter().filter_map(|k| {
                            Some(k.strip_prefix("plenum:{")?.strip_suffix("}:v")?.to_owned())
                        }));
                        if next == 0 {
                            break;
                        }
                        cursor = next;
                    }
                }
            }
        }
        let mut rooms = vec![event_room.clone()];
        for name in names {
            match RoomId::parse(&name) {
                Ok(room) if room != event_room && room.event_code() == event => rooms.push(room),
                Ok(_) => {}
                Err(e) => {
                    return Err(StoreError::Corrupt {
                        what: "rooms index",
                        detail: e.0,
                    });
                }
            }
        }
        Ok(rooms)
    }

    fn holds_history(&mut self, room: &RoomId) -> Result<bool, StoreError> {
        let key = log_key(room);
        let len: u64 = self.read(self.shard(room), |c| redis::cmd("XLEN").arg(&key).query(c))?;
        Ok(len > 0)
    }

    fn compact(&mut self, room: &RoomId, snapshot: &Snapshot) -> Result<(), StoreError> {
        // The snapshot first (with the records as of its write), then the stream up to it:
        // a failure in between leaves the history whole.
        self.put_snapshot(room, snapshot)?;
        let key = log_key(room);
        let below = format!("{}-0", snapshot.version + 1);
        self.with(self.shard(room), |c, _| {
            redis::cmd("XTRIM")
                .arg(&key)
                .arg("MINID")
                .arg(&below)
                .query::<()>(c)
        })
    }

    fn load_event(&mut self, code: &EventCode) -> Result<Option<EventInfo>, StoreError> {
        let room = RoomId::Event(code.clone());
        let shard = self.shard(&room);
        let key = if self.cluster {
            doc_key(&room)
        } else {
            EVENTS_KEY.to_owned()
        };
        let doc: Option<String> = self.read(shard, |c| {
            redis::cmd("HGET").arg(&key).arg(code.as_str()).query(c)
        })?;
        doc.map(|d| {
            serde_json::from_str(&d).map_err(|e| StoreError::Corrupt {
                what: "events",
                detail: e.to_string(),
            })
        })
        .transpose()
    }

    fn writes_since(&mut self, room: &RoomId, version: u64) -> Result<Vec<RoomWrite>, StoreError> {
        // A stream that starts after `version + 1` while the room is past `version` was
        // compacted.
        let (stored, writes) = self.read_head_and_stream(room, version + 1)?;
        if stored > version && writes.first().is_none_or(|w| w.version != version + 1) {
            return Err(StoreError::Compacted);
        }
        if !writes.is_empty() && self.replicas.is_some() {
            self.confirm_replicated(room)?;
            // A write refused a moment ago for want of replicas, now confirmed, was never
            // published: publish what was read (other instances skip what they have).
            let i = self.shard(room);
            let refs: Vec<&RoomWrite> = writes.iter().collect();
            if let Err(e) = self.publish(i, &refs, true) {
                tracing::warn!(room = %room, error = %e, "publishing confirmed writes failed");
            }
        }
        Ok(writes)
    }

    fn shared(&self) -> bool {
        true
    }

    fn get_meta(&mut self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.read(0, |c| redis::cmd("HGET").arg(META_KEY).arg(key).query(c))
    }

    fn put_meta(&mut self, key: &str, value: &[u8]) -> Result<(), StoreError> {
        self.with(0, |c, _| {
            redis::cmd("HSET")
                .arg(META_KEY)
                .arg(key)
                .arg(value)
                .query(c)
        })
    }

    fn put_meta_if_absent(&mut self, key: &str, value: &[u8]) -> Result<Vec<u8>, StoreError> {
        // One script, one key: atomic on one server and in a cluster alike.
        let stored: Vec<u8> = self.with(0, |c, _| {
            redis::cmd("EVAL")
                .arg("redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) return redis.call('HGET', KEYS[1], ARGV[1])")
                .arg(1)
                .arg(META_KEY)
                .arg(key)
                .arg(value)
                .query(c)
        })?;
        Ok(stored)
    }

    fn ping(&mut self) -> Result<(), StoreError> {
        for i in 0..self.shards.len() {
            let _: String = self.read(i, |c| redis::cmd("PING").query(c))?;
        }
        Ok(())
    }
}
