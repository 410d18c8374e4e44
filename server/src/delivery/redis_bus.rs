//! The Redis broker: each instance follows, over sharded pub/sub (`SSUBSCRIBE`), the rooms its
//! connections follow, and hands what arrives to its engine.
//!
//! Committing a write publishes it (see `store/redis_store.rs`), so this side only receives. One
//! thread per Redis shard reads a plain TCP connection; subscribing and unsubscribing write
//! to the same socket from whichever thread opens or closes a room.
//!
//! # Losing messages, and finding them again
//!
//! Redis drops a subscriber whose output buffer grows past its limit, and a Redis restart drops
//! everyone. Both look the same here: the connection ends. The thread reconnects (every
//! 100 ms to 1 s), subscribes again to every room followed, and on each confirmation asks the
//! engine to **resync** the room: read the room's stream after the version it holds. A message
//! lost while connected is found the same way: the next write of the room arrives with a
//! version more than one ahead, and the engine reads the gap from the stream. A `PING` every
//! second, answered within [`STALE_AFTER`], finds a connection that died silently.

use super::{audience::Frames, broker::Broker, hub::Hub};
use crate::{
    engine::WeakEngine,
    metrics::Metrics,
    store::redis_store::{CATALOG_CHANNEL, channel_of, decode, shard_of},
};
use plenum_protocol::{EventInfo, RoomId, Seq};
use redis::Value;
use std::{
    collections::HashMap,
    io::{BufReader, Write as _},
    net::{Shutdown, TcpStream, ToSocketAddrs as _},
    sync::{
        Arc, Mutex, OnceLock,
        atomic::{AtomicBool, Ordering},
    },
    thread,
    time::{Duration, Instant},
};

/// A subscriber connection with no answer for this long is closed and made again.
pub const STALE_AFTER: Duration = Duration::from_secs(5);

/// Where one shard's subscriber connects.
#[derive(Debug, Clone)]
struct Target {
    addr: String,
    username: Option<String>,
    password: Option<String>,
}

struct ShardBus {
    target: Target,
    /// Channels followed, with their rooms: what a reconnect subscribes to again.
    wanted: Mutex<HashMap<String, RoomId>>,
    /// The write side of the current connection, if connected.
    writer: Mutex<Option<TcpStream>>,
    connected: AtomicBool,
    last_seen: Mutex<Instant>,
}

/// The broker for `--redis`.
pub struct RedisBus {
    hub: Arc<Hub>,
    shards: Vec<Arc<ShardBus>>,
    /// Weak: the broker's threads must not keep a stopped server's engine alive.
    engine: Arc<OnceLock<WeakEngine>>,
    stop: Arc<AtomicBool>,
}

impl RedisBus {
    /// Starts one subscriber thread per URL. Messages are handed to the engine once
    /// [`RedisBus::attach`] gives it.
    pub fn start(
        urls: &[String],
        hub: Arc<Hub>,
        metrics: Arc<Metrics>,
    ) -> anyhow::Result<Arc<RedisBus>> {
        let mut shards = Vec::new();
        for url in urls {
            let client = redis::Client::open(url.as_str())?;
            let info = client.get_connection_info();
            let addr = match info.addr() {
                redis::ConnectionAddr::Tcp(host, port) => format!("{host}:{port}"),
                other => anyhow::bail!("only redis:// (TCP) URLs are supported, not {other:?}"),
            };
            let settings = info.redis_settings();
            shards.push(Arc::new(ShardBus {
                target: Target {
                    addr,
                    username: settings.username().map(str::to_owned),
                    password: settings.password().map(str::to_owned),
                },
                wanted: Mutex::new(HashMap::new()),
                writer: Mutex::new(None),
                connected: AtomicBool::new(false),
                last_seen: Mutex::new(Instant::now()),
            }));
        }
        let bus = Arc::new(RedisBus {
            hub,
            shards,
            engine: Arc::new(OnceLock::new()),
            stop: Arc::new(AtomicBool::new(false)),
        });
        for (i, shard) in bus.shards.iter().enumerate() {
            let (shard, engine, stop) = (shard.clone(), bus.engine.clone(), bus.stop.clone());
            let metrics = metrics.clone();
            thread::Builder::new()
                .name(format!("plenum-redis-sub-{i}"))
                .spawn(move || subscriber(&shard, &engine, &stop, &metrics))?;
            let (shard, stop) = (bus.shards[i].clone(), bus.stop.clone());
            thread::Builder::new()
                .name(format!("plenum-redis-ping-{i}"))
                .spawn(move || pinger(&shard, &stop))?;
        }
        Ok(bus)
    }

    /// Gives the bus the engine that applies what arrives.
    pub fn attach(&self, engine: WeakEngine) {
        let _ = self.engine.set(engine);
    }

    /// Stops the subscriber threads.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
        for shard in &self.shards {
            if let Some(w) = shard.writer.lock().unwrap().as_ref() {
                let _ = w.shutdown(Shutdown::Both);
            }
        }
    }

    fn shard(&self, room: &RoomId) -> &ShardBus {
        &self.shards[shard_of(room, self.shards.len())]
    }
}

impl Drop for RedisBus {
    fn drop(&mut self) {
        self.stop();
    }
}

impl Broker for RedisBus {
    // Opening and closing are decided under the `wanted` lock against the hub's count now,
    // not when the hub saw the first or last follower: a screen that reconnects can make a
    // "last" (its old socket) and a "first" (its new one) race, and the room must end
    // subscribed. The command is written under the lock too, so they go out in that order.
    fn open_room(&self, room: &RoomId) {
        let shard = self.shard(room);
        let channel = channel_of(room);
        let mut wanted = shard.wanted.lock().unwrap();
        if wanted.insert(channel.clone(), room.clone()).is_none() {
            // Not connected: the reconnect subscribes to everything wanted.
            send(
                shard,
                &redis::cmd("SSUBSCRIBE").arg(&channel).get_packed_command(),
            );
        }
    }

    fn close_room(&self, room: &RoomId) {
        let shard = self.shard(room);
        let channel = channel_of(room);
        let mut wanted = shard.wanted.lock().unwrap();
        if self.hub.count(room) == 0 && wanted.remove(&channel).is_some() {
            send(
                shard,
                &redis::cmd("SUNSUBSCRIBE")
                    .arg(&channel)
                    .get_packed_command(),
            );
        }
    }

    /// Delivers to this instance's followers. Other instances got the write from the commit
    /// itself, which publishes it.
    fn publish(&self, room: &Arc<RoomId>, events: &[(Seq, Arc<Frames>)]) {
        self.hub.deliver_events(room, events);
    }

    fn resync(&self, room: &RoomId) {
        self.hub.resync(room);
    }

    fn healthy(&self) -> bool {
        self.shards
            .iter()
            .all(|s| s.connected.load(Ordering::SeqCst))
    }
}

/// Writes a command on the shard's connection, if there is one. A failed write closes it, and
/// the reader reconnects.
fn send(shard: &ShardBus, packed: &[u8]) {
    let mut writer = shard.writer.lock().unwrap();
    if let Some(w) = writer.as_mut()
        && w.write_all(packed).is_err()
    {
        let _ = w.shutdown(Shutdown::Both);
        *writer = None;
    }
}

fn pinger(shard: &ShardBus, stop: &AtomicBool) {
    let ping = redis::cmd("PING").get_packed_command();
    while !stop.load(Ordering::SeqCst) {
        thread::sleep(Duration::from_secs(1));
        if !shard.connected.load(Ordering::SeqCst) {
            continue;
        }
        if shard.last_seen.lock().unwrap().elapsed() > STALE_AFTER {
            tracing::warn!(redis = %shard.target.addr, "pub/sub connection silent; reconnecting");
            if let Some(w) = shard.writer.lock().unwrap().as_ref() {
                let _ = w.shutdown(Shutdown::Both);
            }
            continue;
        }
        send(shard, &ping);
    }
}

fn subscriber(
    shard: &ShardBus,
    engine: &OnceLock<WeakEngine>,
    stop: &AtomicBool,
    metrics: &Metrics,
) {
    let mut backoff = Duration::from_millis(100);
    let mut first = true;
    while !stop.load(Ordering::SeqCst) {
        match connect(shard) {
            Ok(stream) => {
                if stop.load(Ordering::SeqCst) {
                    // Stopped while connecting: `stop` did not see this socket.
                    let _ = stream.shutdown(Shutdown::Both);
                    break;
                }
                backoff = Duration::from_millis(100);
                if !first {
                    metrics.broker_reconnects.inc();
                }
                first = false;
                tracing::info!(redis = %shard.target.addr, "pub/sub connected");
                read(shard, stream, engine);
                shard.connected.store(false, Ordering::SeqCst);
                *shard.writer.lock().unwrap() = None;
                if !stop.load(Ordering::SeqCst) {
                    tracing::warn!(redis = %shard.target.addr, "pub/sub connection lost; reconnecting");
                }
            }
            Err(e) => {
                tracing::debug!(redis = %shard.target.addr, error = %e, "pub/sub connect failed");
            }
        }
        thread::sleep(backoff);
        backoff = (backoff * 2).min(Duration::from_secs(1));
    }
}

/// Connects, authenticates and subscribes to the catalog and every wanted room.
fn connect(shard: &ShardBus) -> std::io::Result<TcpStream> {
    let addr = shard
        .target
        .addr
        .to_socket_addrs()?
        .next()
        .ok_or_else(|| std::io::Error::other("no address"))?;
    let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(1))?;
    stream.set_nodelay(true)?;
    // Subscribing happens under a lock that joins wait for: never wait long on Redis.
    stream.set_write_timeout(Some(Duration::from_secs(2)))?;
    let mut writer = stream.try_clone()?;
    if let Some(password) = &shard.target.password {
        let mut auth = redis::cmd("AUTH");
        if let Some(user) = &shard.target.username {
            auth.arg(user);
        }
        writer.write_all(&auth.arg(password).get_packed_command())?;
    }
    // Hold the wanted set while subscribing, so a room opened meanwhile is either in this
    // list or written after it, on this connection.
    let wanted = shard.wanted.lock().unwrap();
    writer.write_all(
        &redis::cmd("SSUBSCRIBE")
            .arg(CATALOG_CHANNEL)
            .get_packed_command(),
    )?;
    for channel in wanted.keys() {
        writer.write_all(&redis::cmd("SSUBSCRIBE").arg(channel).get_packed_command())?;
    }
    *shard.writer.lock().unwrap() = Some(writer);
    drop(wanted);
    *shard.last_seen.lock().unwrap() = Instant::now();
    shard.connected.store(true, Ordering::SeqCst);
    Ok(stream)
}

fn bytes(v: &Value) -> Option<&[u8]> {
    match v {
        Value::BulkString(b) => Some(b),
        Value::SimpleString(s) => Some(s.as_bytes()),
        _ => None,
    }
}

/// Reads until the connection ends, handing messages to the engine.
fn read(shard: &ShardBus, stream: TcpStream, engine: &OnceLock<WeakEngine>) {
    let mut reader = BufReader::with_capacity(64 * 1024, stream);
    let mut parser = redis::Parser::new();
    loop {
        let value = match parser.parse_value(&mut reader) {
            Ok(v) => v,
            Err(e) => {
                tracing::debug!(error = %e, "pub/sub read ended");
                return;
            }
        };
        *shard.last_seen.lock().unwrap() = Instant::now();
        let items = match value {
            Value::Array(items) => items,
            Value::Push { data, .. } => data,
            Value::ServerError(e) => {
                tracing::error!(redis = %shard.target.addr, error = ?e, "Redis refused a pub/sub command");
                continue;
            }
            _ => continue,
        };
        let Some(kind) = items.first().and_then(bytes) else {
            continue;
        };
        let Some(engine) = engine.get().and_then(WeakEngine::upgrade) else {
            continue;
        };
        match kind {
            b"smessage" => {
                if let (Some(channel), Some(payload)) =
                    (items.get(1).and_then(bytes), items.get(2).and_then(bytes))
                {
                    on_message(&engine, channel, payload);
                }
            }
            b"ssubscribe" => {
                if let Some(channel) = items.get(1).and_then(bytes) {
                    on_subscribed(&engine, channel, &shard.wanted);
                }
            }
            _ => {}
        }
    }
}

/// A message on a followed channel: a room's write, or an event's document (the catalog).
pub(super) fn on_message(engine: &crate::engine::Engine, channel: &[u8], payload: &[u8]) {
    if channel == CATALOG_CHANNEL.as_bytes() {
        match serde_json::from_slice::<EventInfo>(payload) {
            Ok(doc) => engine.catalog_changed(Some(doc)),
            Err(e) => tracing::error!(error = %e, "unreadable event document"),
        }
    } else {
        match decode(payload) {
            Ok(write) => engine.remote_write(write),
            Err(e) => tracing::error!(error = %e, "unreadable room write"),
        }
    }
}

/// A subscription confirmed (first, or again after a reconnect): whatever was published while
/// nobody listened is read from the store.
pub(super) fn on_subscribed(
    engine: &crate::engine::Engine,
    channel: &[u8],
    wanted: &Mutex<HashMap<String, RoomId>>,
) {
    if channel == CATALOG_CHANNEL.as_bytes() {
        // Documents may have changed while we were not listening.
        engine.catalog_changed(None);
    } else if let Some(room) = std::str::from_utf8(channel)
        .ok()
        .and_then(|c| wanted.lock().unwrap().get(c).cloned())
    {
        engine.resync(room);
    }
}
