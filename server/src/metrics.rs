//! Prometheus metrics, served as text on `GET /metrics`.
//!
//! Counters and gauges are atomics: updating one on the hot path (per message, per delivery)
//! costs one relaxed atomic add, and nothing is allocated.

use prometheus_client::{
    encoding::text::encode,
    metrics::{counter::Counter, gauge::Gauge},
    registry::Registry,
};

/// Every metric the server exports. Cheap to share: each field is an `Arc` inside.
pub struct Metrics {
    registry: Registry,
    /// Open WebSocket connections.
    pub connections: Gauge,
    /// Rooms with at least one local follower.
    pub rooms: Gauge,
    /// WebSocket frames received from clients.
    pub messages_in: Counter,
    /// WebSocket frames sent to clients (room events, replies, snapshots).
    pub messages_out: Counter,
    /// Socket writes of frames to clients: frames waiting for one client are written together,
    /// so `messages_out / flushes` is how many frames a write carried on average.
    pub flushes: Counter,
    /// Clients disconnected because their outbound queue overflowed.
    pub queue_overflows: Counter,
    /// Clients cut because one socket write took longer than the send timeout.
    pub send_timeouts: Counter,
    /// Joins with `since` that were served by replaying exactly the missed events.
    pub resume_replayed: Counter,
    /// Joins with `since` that needed a fresh snapshot (too far behind, or ahead).
    pub resume_snapshot: Counter,
    /// Events committed to room logs.
    pub events_committed: Counter,
    /// Store transactions (one per sequencer batch).
    pub store_commits: Counter,
    /// Store transactions that failed (their requests were refused as `unavailable`).
    pub store_failures: Counter,
    /// Requests refused for exceeding a rate limit.
    pub rate_limited: Counter,
    /// Requests and WebSockets refused by a limit of their address.
    pub address_limited: Counter,
    /// Open TCP connections (HTTP and WebSocket), against `--max-connections`.
    pub open_connections: Gauge,
    /// Connections refused with 503 because `--max-connections` were open.
    pub connections_refused: Counter,
    /// Failed accepts (the loop backs off after each).
    pub accept_errors: Counter,
    /// Room snapshots kept in the store.
    pub snapshots: Counter,
    /// Room writes a shared store refused because another instance wrote the room first.
    pub store_conflicts: Counter,
    /// Writes from other instances that arrived with earlier ones missing (read from the store).
    pub broker_gaps: Counter,
    /// Pub/sub connections to Redis made again after one ended (a restart, a dropped subscriber).
    pub broker_reconnects: Counter,
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("plenum");
        let m = Metrics {
            connections: Gauge::default(),
            rooms: Gauge::default(),
            messages_in: Counter::default(),
            messages_out: Counter::default(),
            flushes: Counter::default(),
            queue_overflows: Counter::default(),
            send_timeouts: Counter::default(),
            resume_replayed: Counter::default(),
            resume_snapshot: Counter::default(),
            events_committed: Counter::default(),
            store_commits: Counter::default(),
            store_failures: Counter::default(),
            rate_limited: Counter::default(),
            address_limited: Counter::default(),
            open_connections: Gauge::default(),
            connections_refused: Counter::default(),
            accept_errors: Counter::default(),
            snapshots: Counter::default(),
            store_conflicts: Counter::default(),
            broker_gaps: Counter::default(),
            broker_reconnects: Counter::default(),
            registry: Registry::default(),
        };
        registry.register(
            "connections",
            "Open WebSocket connections",
            m.connections.clone(),
        );
        registry.register(
            "rooms",
            "Rooms with at least one local follower",
            m.rooms.clone(),
        );
        registry.register(
            "messages_in",
            "WebSocket frames received",
            m.messages_in.clone(),
        );
        registry.register(
            "messages_out",
            "WebSocket frames sent",
            m.messages_out.clone(),
        );
        registry.register(
            "flushes",
            "Flushes of WebSocket frames to clients (frames queued together go in one)",
            m.flushes.clone(),
        );
        registry.register(
            "queue_overflows",
            "Clients cut because their outbound queue overflowed",
            m.queue_overflows.clone(),
        );
        registry.register(
            "send_timeouts",
            "Clients cut because a socket write timed out",
            m.send_timeouts.clone(),
        );
        registry.register(
            "resume_replayed",
            "Resumes served by replaying the missed events",
            m.resume_replayed.clone(),
        );
        registry.register(
            "resume_snapshot",
            "Resumes that needed a fresh snapshot",
            m.resume_snapshot.clone(),
        );
        registry.register(
            "events_committed",
            "Events committed to room logs",
            m.events_committed.clone(),
        );
        registry.register(
            "store_commits",
            "Store transactions committed",
            m.store_commits.clone(),
        );
        registry.register(
            "store_failures",
            "Store transactions that failed",
            m.store_failures.clone(),
        );
        registry.register(
            "rate_limited",
            "Requests refused by a rate limit",
            m.rate_limited.clone(),
        );
        registry.register(
            "address_limited",
            "Requests and WebSockets refused by a limit of their address",
            m.address_limited.clone(),
        );
        registry.register(
            "open_connections",
            "Open TCP connections, HTTP and WebSocket",
            m.open_connections.clone(),
        );
        registry.register(
            "connections_refused",
            "Connections refused because --max-connections were open",
            m.connections_refused.clone(),
        );
        registry.register("accept_errors", "Failed accepts", m.accept_errors.clone());
        registry.register(
            "snapshots",
            "Room snapshots kept in the store",
            m.snapshots.clone(),
        );
        registry.register(
            "store_conflicts",
            "Room writes decided again because another instance wrote the room first",
            m.store_conflicts.clone(),
        );
        registry.register(
            "broker_gaps",
            "Writes from other instances that arrived with earlier ones missing",
            m.broker_gaps.clone(),
        );
        registry.register(
            "broker_reconnects",
            "Pub/sub connections to Redis made again after one ended",
            m.broker_reconnects.clone(),
        );
        Metrics { registry, ..m }
    }

    /// The Prometheus text exposition of every metric.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = encode(&mut out, &self.registry);
        out
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}
