//! The broker for `--redis-cluster`: the same contract as [`super::redis_bus`], over the
//! redis crate's cluster client. Each room's channel (`plenum:{ROOM}`) is subscribed with
//! `SSUBSCRIBE` on the node that owns its slot; the client resubscribes by itself when a node
//! is lost or a replica takes over, and each (re)subscription is confirmed with an `ssubscribe`
//! push, on which the room is **resynced** from the store, as with one Redis: whatever was
//! published while nobody listened is read from the room's stream.
//!
//! A `PING` to every primary each second keeps the cluster's map fresh (a dead node makes the
//! client look again) and tells `/readyz` whether every primary answers.

use super::{
    audience::Frames,
    broker::Broker,
    hub::Hub,
    redis_bus::{on_message, on_subscribed},
};
use crate::{
    engine::WeakEngine,
    metrics::Metrics,
    store::redis_store::{CATALOG_CHANNEL, channel_of},
};
use plenum_protocol::{RoomId, Seq};
use redis::{
    PushInfo, PushKind, Value,
    cluster_routing::{MultipleNodeRoutingInfo, ResponsePolicy, RoutingInfo},
};
use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex, OnceLock,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

enum Subscription {
    On(String),
    Off(String),
}

/// The broker for a Redis Cluster.
pub struct ClusterBus {
    hub: Arc<Hub>,
    /// Channels followed, with their rooms.
    wanted: Arc<Mutex<HashMap<String, RoomId>>>,
    commands: mpsc::UnboundedSender<Subscription>,
    healthy: Arc<AtomicBool>,
    engine: Arc<OnceLock<WeakEngine>>,
    stop: CancellationToken,
}

fn bytes(v: &Value) -> Option<&[u8]> {
    match v {
        Value::BulkString(b) => Some(b),
        Value::SimpleString(s) => Some(s.as_bytes()),
        _ => None,
    }
}

/// Hands one push from the cluster to the engine. Never blocks (the engine's jobs queue).
fn on_push(
    push: PushInfo,
    engine: &OnceLock<WeakEngine>,
    wanted: &Mutex<HashMap<String, RoomId>>,
    metrics: &Metrics,
) {
    let Some(engine) = engine.get().and_then(WeakEngine::upgrade) else {
        return;
    };
    let channel = push.data.first().and_then(bytes);
    match (push.kind, channel) {
        (PushKind::SMessage, Some(channel)) => {
            if let Some(payload) = push.data.get(1).and_then(bytes) {
                on_message(&engine, channel, payload);
            }
        }
        (PushKind::SSubscribe, Some(channel)) => on_subscribed(&engine, channel, wanted),
        (PushKind::Disconnection, _) => {
            metrics.broker_reconnects.inc();
        }
        _ => {}
    }
}

impl ClusterBus {
    /// Connects to the cluster through `seeds` and starts following the catalog. Messages are
    /// handed to the engine once [`ClusterBus::attach`] gives it.
    pub fn start(
        seeds: &[String],
        ca: Option<Vec<u8>>,
        hub: Arc<Hub>,
        metrics: Arc<Metrics>,
    ) -> anyhow::Result<Arc<ClusterBus>> {
        let engine: Arc<OnceLock<WeakEngine>> = Arc::new(OnceLock::new());
        let wanted: Arc<Mutex<HashMap<String, RoomId>>> = Arc::default();
        let push = {
            let (engine, wanted, metrics) = (engine.clone(), wanted.clone(), metrics.clone());
            move |info: PushInfo| {
                on_push(info, &engine, &wanted, &metrics);
                Ok::<(), std::convert::Infallible>(())
            }
        };
        let mut builder =
            redis::cluster::ClusterClientBuilder::new(seeds.iter().map(String::as_str))
                .use_protocol(redis::ProtocolVersion::RESP3)
                .connection_timeout(Duration::from_secs(2))
                .response_timeout(Duration::from_secs(2))
                .push_sender(push);
        if let Some(ca) = ca {
            builder = builder.certs(crate::store::redis_store::tls_roots(ca));
        }
        let client = builder.build()?;
        let (commands, receive) = mpsc::unbounded_channel();
        let bus = Arc::new(ClusterBus {
            hub,
            wanted: wanted.clone(),
            commands,
            healthy: Arc::new(AtomicBool::new(false)),
            engine,
            stop: CancellationToken::new(),
        });
        tokio::spawn(run(
            client,
            receive,
            wanted,
            bus.healthy.clone(),
            bus.stop.clone(),
        ));
        Ok(bus)
    }

    /// Gives the bus the engine that applies what arrives.
    pub fn attach(&self, engine: WeakEngine) {
        let _ = self.engine.set(engine);
    }

    pub fn stop(&self) {
        self.stop.cancel();
    }
}

impl Drop for ClusterBus {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

/// The connection's task: subscriptions as rooms open and close, and a PING each second.
async fn run(
    client: redis::cluster::ClusterClient,
    mut commands: mpsc::UnboundedReceiver<Subscription>,
    wanted: Arc<Mutex<HashMap<String, RoomId>>>,
    healthy: Arc<AtomicBool>,
    stop: CancellationToken,
) {
    let mut backoff = Duration::from_millis(100);
    'connect: loop {
        let mut conn = tokio::select! {
            _ = stop.cancelled() => return,
            c = client.get_async_connection() => match c {
                Ok(c) => c,
                Err(e) => {
                    tracing::warn!(error = %e, "connecting to the Redis Cluster failed");
                    healthy.store(false, Ordering::SeqCst);
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(Duration::from_secs(1));
                    continue 'connect;
                }
            },
        };
        backoff = Duration::from_millis(100);
        let channels: Vec<String> = std::iter::once(CATALOG_CHANNEL.to_owned())
            .chain(wanted.lock().unwrap().keys().cloned())
            .collect();
        for channel in channels {
            if let Err(e) = conn.ssubscribe(&channel).await {
                tracing::warn!(error = %e, channel, "subscribing failed; connecting again");
                continue 'connect;
            }
        }
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        // Subscriptions the cluster refused or never confirmed: the client only keeps those it
        // confirmed, so these are asked for again every second while they are wanted.
        let mut retry: Vec<String> = Vec::new();
        loop {
            tokio::select! {
                _ = stop.cancelled() => return,
                command = commands.recv() => {
                    match command {
                        Some(Subscription::On(channel)) => {
                            if let Err(e) = conn.ssubscribe(&channel).await {
                                tracing::warn!(error = %e, channel, "subscribing failed; trying again");
                                retry.push(channel);
                            }
                        }
                        Some(Subscription::Off(channel)) => {
                            retry.retain(|c| *c != channel);
                            if let Err(e) = conn.sunsubscribe(&channel).await {
                                tracing::warn!(error = %e, channel, "unsubscribing failed");
                            }
                        }
                        None => return,
                    }
                }
                _ = tick.tick() => {
                    let again = std::mem::take(&mut retry);
                    for channel in again {
                        let still = wanted.lock().unwrap().contains_key(&channel);
                        if still && conn.ssubscribe(&channel).await.is_err() {
                            retry.push(channel);
                        }
                    }
                    let ping = conn
                        .route_command(
                            redis::cmd("PING"),
                            RoutingInfo::MultiNode((
                                MultipleNodeRoutingInfo::AllMasters,
                                Some(ResponsePolicy::AllSucceeded),
                            )),
                        )
                        .await;
                    healthy.store(ping.is_ok(), Ordering::SeqCst);
                }
            }
        }
    }
}

impl Broker for ClusterBus {
    // As with one Redis: opening and closing are decided under the `wanted` lock against the
    // hub's count now, and the commands queued under it, so they go out in that order.
    fn open_room(&self, room: &RoomId) {
        let channel = channel_of(room);
        let mut wanted = self.wanted.lock().unwrap();
        if wanted.insert(channel.clone(), room.clone()).is_none() {
            let _ = self.commands.send(Subscription::On(channel));
        }
    }

    fn close_room(&self, room: &RoomId) {
        let channel = channel_of(room);
        let mut wanted = self.wanted.lock().unwrap();
        if self.hub.count(room) == 0 && wanted.remove(&channel).is_some() {
            let _ = self.commands.send(Subscription::Off(channel));
        }
    }

    fn publish(&self, room: &Arc<RoomId>, events: &[(Seq, Arc<Frames>)]) {
        self.hub.deliver_events(room, events);
    }

    fn resync(&self, room: &RoomId) {
        self.hub.resync(room);
    }

    fn healthy(&self) -> bool {
        self.healthy.load(Ordering::SeqCst)
    }
}
