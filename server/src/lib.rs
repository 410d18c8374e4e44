//! The Plenum server: live conference rooms over WebSocket, an HTTP API, an embedded store.
//!
//! Module map (ARCHITECTURE.md has the whole picture):
//! - [`cli`]          — the command line (`plenum --help`), tracing, signals: the thin edge.
//! - [`transport`]    — HTTP and WebSocket, and the one table of requests (who may do what).
//! - [`interactions`] — one module per interaction (agenda, stage, Q&A, polls, quizzes, awards,
//!   inbox):
//!   commands, record kinds, tallies, timers, pure rules; behind one trait.
//! - [`engine`]       — rooms, their ordered logs, and the sequencer thread that commits changes;
//!   names no interaction.
//! - [`delivery`]     — audiences (who sees what), frames, the hub, the broker and its Redis one.
//! - [`store`]        — durable storage: the `Store` trait, SQLite, Redis.
//! - [`auth`]         — organiser key, signed person tokens, invitations, permissions.
//! - [`export`]       — exports of questions and results as CSV tables.
//! - [`demo`]         — the demo conference loaded by `--demo`.
//! - [`metrics`]      — Prometheus counters and gauges.
//!
//! [`start`] wires them together and returns a [`Running`] server; shutdown is a value
//! ([`Running::stop`], or cancelling [`Config::shutdown`]'s token), so tests drive it.

pub mod auth;
pub mod cli;
pub mod delivery;
pub mod demo;
pub mod engine;
pub mod export;
pub mod fuzzing;
pub mod interactions;
pub mod metrics;
pub mod store;
pub mod transport;

use crate::{
    auth::Auth,
    delivery::{
        broker::{Broker, LocalBroker},
        cluster_bus,
        hub::Hub,
        redis_bus,
    },
    engine::{Engine, Registry},
    metrics::Metrics,
    store::{SqliteStore, Store},
    transport::{http, requests, ws},
};
use anyhow::Context as _;
use std::{
    net::SocketAddr,
    path::PathBuf,
    sync::{Arc, atomic::AtomicU64},
    time::Duration,
};
use tokio::{net::TcpListener, task::JoinHandle};
use tokio_util::{sync::CancellationToken, task::TaskTracker};

/// How the server runs. Built by [`cli`] from flags and environment, or by tests directly.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where the SQLite file (and the organiser key file) live.
    pub data_dir: PathBuf,
    /// Load the demo event if it is absent.
    pub demo: bool,
    /// The built web client (`index.html` and the WebAssembly), served at `/`.
    pub web_dir: Option<PathBuf>,
    /// Origins besides the server's own that may open WebSockets (for example a reverse proxy's
    /// public name).
    pub allowed_origins: Vec<String>,
    /// The address people reach Plenum at (`--public-url`, checked by [`public_url`]): every
    /// link and QR code the client shows is made with it; its origin may open WebSockets.
    /// `None`: the address the browser used.
    pub public_url: Option<String>,
    /// Per-connection limits.
    pub limits: ws::Limits,
    /// How often presence counts are sent.
    pub presence_every: Duration,
    /// How long shutdown waits for connections to close before giving up on them.
    pub drain_timeout: Duration,
    /// Most connections (HTTP and WebSocket) open at once; more are answered 503 and closed.
    /// One process may hold about 20,000 open files on our machines, and the store and
    /// listener need a few.
    pub max_connections: usize,
    /// How long a connection may stall (`transport::listener`).
    pub timeouts: transport::listener::Timeouts,
    /// What one client address may do (`transport::addresses`).
    pub addresses: transport::addresses::AddressConfig,
    /// Snapshot each room every this many events (0: never; `engine::SNAPSHOT_EVERY`).
    pub snapshot_every: u64,
    /// Seed nodes of a Redis Cluster to share the store in (`--redis-cluster`), instead of
    /// `redis`.
    pub redis_cluster: Vec<String>,
    /// PEM certificates of the CA that signed the Redis Cluster's TLS certificates (rediss://);
    /// `None`: the system's roots.
    pub redis_ca: Option<Vec<u8>>,
    /// With Redis: how many replicas must acknowledge a write (`WAIT`) before it is answered.
    pub redis_replicas: Option<store::redis_store::Replicas>,
    /// Whether to keep the organiser key or replace it at start.
    pub organiser_key: auth::OrganiserKey,
    /// Redis URLs: empty runs alone on the embedded store; one or more make this instance one
    /// of several sharing the store in Redis (rooms partitioned over the URLs).
    pub redis: Vec<String>,
    /// The interactions the engine runs: [`interactions()`], unless a test adds its own.
    pub interactions: Registry,
}

impl Config {
    pub fn new(data_dir: PathBuf) -> Config {
        Config {
            data_dir,
            demo: false,
            web_dir: None,
            allowed_origins: Vec::new(),
            public_url: None,
            limits: ws::Limits::default(),
            presence_every: Duration::from_millis(500),
            drain_timeout: Duration::from_secs(10),
            max_connections: 16_000,
            timeouts: transport::listener::Timeouts::default(),
            addresses: transport::addresses::AddressConfig::default(),
            snapshot_every: engine::SNAPSHOT_EVERY,
            redis_cluster: Vec::new(),
            redis_ca: None,
            redis_replicas: None,
            organiser_key: auth::OrganiserKey::Keep,
            redis: Vec::new(),
            interactions: interactions(),
        }
    }
}

/// Every interaction Plenum runs, in the order the engine consults them (which is the order of
/// the events one tally publishes).
pub fn interactions() -> Registry {
    use crate::interactions::*;
    Registry::default()
        .with(agenda::EventAgenda)
        .with(stage::Stage)
        .with(qa::Qa)
        .with(quizzes::Quizzes)
        .with(awards::Awards)
        .with(polls::Polls)
        .with(inbox::Inbox)
        .with(people::People)
        .with(tables::Tables)
        .with(meetings::Meetings)
        .with(contacts::Contacts)
        .with(exhibition::Exhibition)
        .with(exhibition::chat::BoothChat)
        .with(access::Access)
        .with(attendance::Attendance)
        .with(activity::Activity)
}

/// This machine's name, for attendance records of servers sharing a store.
fn host_name() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/proc/sys/kernel/hostname").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "server".to_owned())
}

/// Checks a public address (`--public-url`): `http://` or `https://`, a host (a name, an IPv4
/// address or a bracketed IPv6 one) and an optional port, nothing after but a slash. Returns it
/// in lower case, without the slash and without a default port (as browsers send `Origin`).
pub fn public_url(raw: &str) -> Result<String, String> {
    let bad = || {
        format!(
            "{raw:?}: a public URL is a scheme and a host (and port), like https://live.example.org; Plenum is served at its root"
        )
    };
    let url = raw.trim().trim_end_matches('/').to_ascii_lowercase();
    let (scheme, rest, default_port) = if let Some(r) = url.strip_prefix("https://") {
        ("https", r, 443)
    } else if let Some(r) = url.strip_prefix("http://") {
        ("http", r, 80)
    } else {
        return Err(format!(
            "{raw:?}: a public URL starts with https:// or http://"
        ));
    };
    let (host, port) = if let Some(after) = rest.strip_prefix('[') {
        let (v6, tail) = after.split_once(']').ok_or_else(bad)?;
        if v6.is_empty()
            || !v6
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        {
            return Err(bad());
        }
        let port = match tail {
            "" => None,
            t => Some(t.strip_prefix(':').ok_or_else(bad)?),
        };
        (format!("[{v6}]"), port)
    } else {
        let (host, port) = match rest.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (rest, None),
        };
        let name_ok = !host.is_empty()
            && !host.starts_with(['.', '-'])
            && !host.ends_with(['.', '-'])
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
        if !name_ok {
            return Err(bad());
        }
        (host.to_owned(), port)
    };
    let port = match port {
        None => None,
        Some(p) => match p.parse::<u16>() {
            Ok(0) | Err(_) => return Err(bad()),
            Ok(n) if n == default_port => None,
            Ok(n) => Some(n),
        },
    };
    Ok(match port {
        Some(p) => format!("{scheme}://{host}:{p}"),
        None => format!("{scheme}://{host}"),
    })
}

/// Shared by every handler and connection. Cheap to clone.
#[derive(Clone)]
pub struct App(Arc<AppInner>);

pub struct AppInner {
    pub config: Config,
    pub engine: Engine,
    pub hub: Arc<Hub>,
    pub broker: Arc<dyn Broker>,
    pub auth: Auth,
    pub metrics: Arc<Metrics>,
    /// Cancelled when the server shuts down; the heartbeat wheel ([`AppInner::beats`]) then
    /// wakes every connection to close.
    pub shutdown: CancellationToken,
    /// Every connection's heartbeat, and their wake at shutdown (`transport::ws::beats`).
    pub beats: transport::ws::beats::Beats,
    /// Tracks WebSocket tasks, which axum's graceful shutdown does not wait for (axum#3003).
    pub tracker: TaskTracker,
    pub next_conn: AtomicU64,
    /// One permit per open connection, [`Config::max_connections`] in all.
    pub connection_slots: Arc<tokio::sync::Semaphore>,
    /// Limits per client address.
    pub addresses: Arc<transport::addresses::AddressLimits>,
    /// Per-person rate limits (asking, voting), across all of a person's connections.
    pub person_limits: requests::PersonLimits,
    /// This server's name in attendance records: `local` alone on its embedded store, its
    /// host name and port when servers share a store; the same across restarts.
    pub server_id: String,
    /// The presence peak this server last recorded per session room it served (a filter, so
    /// that only a rise is submitted): one entry per session room, as many as the events'
    /// agendas hold.
    pub peaks: dashmap::DashMap<plenum_protocol::RoomId, u64>,
    /// Held while this server purges an event's personal data: a sweep and an organiser's
    /// "purge now" take turns (`transport::retention`).
    pub purging: tokio::sync::Mutex<()>,
}

impl std::ops::Deref for App {
    type Target = AppInner;
    fn deref(&self) -> &AppInner {
        &self.0
    }
}

/// A started server.
pub struct Running {
    pub addr: SocketAddr,
    /// The organiser key, if this start created it (the first start on a data directory).
    pub new_organiser_key: Option<String>,
    engine: Engine,
    shutdown: CancellationToken,
    task: JoinHandle<anyhow::Result<()>>,
}

impl Drop for Running {
    /// A server dropped without [`Running::stop`] still shuts down (tests rely on it).
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

impl Running {
    /// The server's engine (tests drive interactions of their own through it).
    pub fn engine(&self) -> Engine {
        self.engine.clone()
    }

    /// A token that shuts the server down when cancelled.
    pub fn shutdown_token(&self) -> CancellationToken {
        self.shutdown.clone()
    }

    /// Waits until the server has stopped (after its shutdown token is cancelled).
    pub async fn wait(mut self) -> anyhow::Result<()> {
        (&mut self.task).await.context("server task panicked")?
    }

    /// Graceful shutdown: stop accepting, tell clients to reconnect, flush the store, return.
    pub async fn stop(self) -> anyhow::Result<()> {
        self.shutdown.cancel();
        self.wait().await
    }
}

/// The pub/sub of a shared store.
enum Bus {
    One(Arc<redis_bus::RedisBus>),
    Cluster(Arc<cluster_bus::ClusterBus>),
}

/// The file in the data directory that holds the organiser key (mode 0600).
pub const ORGANISER_KEY_FILE: &str = "organiser-key";

/// Opens the store (the embedded one in the data directory, or Redis when configured), starts
/// the engine and serves on `listener` until shut down.
pub async fn start(config: Config, listener: TcpListener) -> anyhow::Result<Running> {
    // TLS to Redis (rediss://) goes through rustls, on its ring provider.
    let _ = rustls::crypto::ring::default_provider().install_default();
    if config.redis.iter().any(|u| u.starts_with("rediss://")) {
        anyhow::bail!(
            "rediss:// (TLS) is supported with --redis-cluster; with --redis, reach Redis over a \
             private network or a TLS tunnel"
        );
    }
    if !config.redis_cluster.is_empty() {
        anyhow::ensure!(
            config.redis.is_empty(),
            "give --redis or --redis-cluster, not both"
        );
        let store = store::RedisStore::open_cluster(&config.redis_cluster, config.redis_ca.clone())
            .context("configuring the Redis Cluster")?
            .with_replicas(config.redis_replicas);
        return start_with_store(config, listener, Box::new(store)).await;
    }
    if !config.redis.is_empty() {
        let store = store::RedisStore::open(&config.redis)
            .context("configuring Redis")?
            .with_replicas(config.redis_replicas);
        return start_with_store(config, listener, Box::new(store)).await;
    }
    private_dir(&config.data_dir)?;
    let store = SqliteStore::open(&config.data_dir)
        .with_context(|| format!("opening the store in {}", config.data_dir.display()))?;
    start_with_store(config, listener, Box::new(store)).await
}

/// Like [`start`], with a store of the caller's (the data directory still holds the organiser
/// key file).
pub async fn start_with_store(
    config: Config,
    listener: TcpListener,
    mut store: Box<dyn Store>,
) -> anyhow::Result<Running> {
    private_dir(&config.data_dir)?;
    let key_file = config.data_dir.join(ORGANISER_KEY_FILE);
    // The key file is written (and synced) before the key's hash is stored: a failed write
    // leaves no key that nobody knows.
    let mut wrote_key = false;
    let init = Auth::init(store.as_mut(), config.organiser_key, |key| {
        wrote_key = true;
        write_private(&key_file, key)
    })
    .context("initialising keys (is the store reachable?)")?;
    if wrote_key && init.new_organiser_key.is_none() {
        // Another instance made the key at the same moment: the one this start wrote is void.
        let _ = std::fs::remove_file(&key_file);
    }
    let metrics = Arc::new(Metrics::new());
    let hub = Arc::new(Hub::new(metrics.clone()));
    let bus = if !config.redis_cluster.is_empty() {
        Some(Bus::Cluster(
            cluster_bus::ClusterBus::start(
                &config.redis_cluster,
                config.redis_ca.clone(),
                hub.clone(),
                metrics.clone(),
            )
            .context("starting pub/sub in the Redis Cluster")?,
        ))
    } else if !config.redis.is_empty() {
        Some(Bus::One(
            redis_bus::RedisBus::start(&config.redis, hub.clone(), metrics.clone())
                .context("starting pub/sub")?,
        ))
    } else {
        None
    };
    let broker: Arc<dyn Broker> = match &bus {
        Some(Bus::One(bus)) => bus.clone(),
        Some(Bus::Cluster(bus)) => bus.clone(),
        None => Arc::new(LocalBroker::new(hub.clone())),
    };
    let engine = Engine::start_with(
        store,
        broker.clone(),
        metrics.clone(),
        config.interactions.clone(),
        config.snapshot_every,
    )
    .context("starting the engine")?;
    match &bus {
        Some(Bus::One(bus)) => bus.attach(engine.downgrade()),
        Some(Bus::Cluster(bus)) => bus.attach(engine.downgrade()),
        None => {}
    }
    if config.demo {
        demo::load_if_absent(&engine, &init.auth)
            .await
            .context("loading the demo event")?;
    }
    let engine_handle = engine.clone();
    let shutdown = CancellationToken::new();
    let config_max_connections = config.max_connections;
    // Never more per address than half of all: one client cannot take every connection.
    let mut config_addresses = config.addresses.clone();
    config_addresses.websockets = config_addresses
        .websockets
        .min((config_max_connections / 2).max(1));
    config_addresses.connections = config_addresses
        .connections
        .min((config_max_connections / 2).max(1));
    let beats = transport::ws::beats::Beats::new(config.limits.heartbeat, shutdown.clone());
    let app = App(Arc::new(AppInner {
        config,
        engine,
        hub,
        broker,
        auth: init.auth,
        metrics,
        beats,
        shutdown: shutdown.clone(),
        tracker: TaskTracker::new(),
        next_conn: AtomicU64::new(1),
        connection_slots: Arc::new(tokio::sync::Semaphore::new(config_max_connections)),
        addresses: Arc::new(transport::addresses::AddressLimits::new(config_addresses)),
        person_limits: requests::PersonLimits::default(),
        server_id: if bus.is_some() {
            format!("{}:{}", host_name(), listener.local_addr()?.port())
        } else {
            "local".to_owned()
        },
        peaks: dashmap::DashMap::new(),
        purging: tokio::sync::Mutex::new(()),
    }));
    let addr = listener.local_addr()?;
    let router = http::router(app.clone());
    app.tracker
        .spawn(ws::presence_loop(app.clone(), app.config.presence_every));
    app.tracker.spawn({
        let app = app.clone();
        async move { app.beats.run().await }
    });
    app.tracker.spawn(transport::retention::sweep(app.clone()));
    let task = tokio::spawn(async move {
        transport::listener::serve(app.clone(), listener, router).await;
        // No new connections now. Connections saw the token and are closing with
        // SERVICE_RESTART; wait for them, then for the store to commit what is queued.
        app.tracker.close();
        if tokio::time::timeout(app.config.drain_timeout, app.tracker.wait())
            .await
            .is_err()
        {
            tracing::warn!("some connections did not close in time");
        }
        app.engine.close().await;
        match bus {
            Some(Bus::One(bus)) => bus.stop(),
            Some(Bus::Cluster(bus)) => bus.stop(),
            None => {}
        }
        tracing::info!("stopped");
        Ok(())
    });
    Ok(Running {
        addr,
        new_organiser_key: init.new_organiser_key,
        engine: engine_handle,
        shutdown,
        task,
    })
}

/// Creates the data directory, or narrows an existing one, to its owner alone (0700): it holds
/// the store, whose secrets sign every token. One that was wider is narrowed, and said so; one
/// the server may not change (not its owner's) is left, with an error in the log.
fn private_dir(dir: &std::path::Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("creating data directory {}", dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(dir)?.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            match std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)) {
                Ok(()) => tracing::warn!(dir = %dir.display(), mode = format!("{mode:o}"),
                    "the data directory was open to others; narrowed it to 0700"),
                // Not ours to change (a mounted volume, say): say so loudly, and go on.
                Err(e) => {
                    tracing::error!(dir = %dir.display(), mode = format!("{mode:o}"), error = %e,
                    "the data directory is open to others and could not be narrowed: anyone who can read it can forge tokens")
                }
            }
        }
    }
    Ok(())
}

fn write_private(path: &std::path::Path, contents: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut file =
        std::fs::File::create(path).with_context(|| format!("writing {}", path.display()))?;
    // Set after creating, so a file that existed before is narrowed too.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    writeln!(file, "{contents}")?;
    file.sync_all()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::public_url;

    #[test]
    fn a_public_url_is_a_scheme_and_a_host() {
        assert_eq!(
            public_url("https://Live.Example.org/").as_deref(),
            Ok("https://live.example.org")
        );
        assert_eq!(
            public_url("http://10.0.0.5:8080").as_deref(),
            Ok("http://10.0.0.5:8080")
        );
        // As browsers send Origin: no default port.
        assert_eq!(
            public_url("https://live.example.org:443").as_deref(),
            Ok("https://live.example.org")
        );
        assert_eq!(
            public_url("http://[::1]:8080/").as_deref(),
            Ok("http://[::1]:8080")
        );
        for bad in [
            "live.example.org",
            "ftp://x.org",
            "https://",
            "https://:",
            "https://]:[",
            "https://[]",
            "https://x.org:0",
            "https://x.org:99999",
            "https://-x.org",
            "https://x.org/plenum",
            "https://x.org?a=1",
            "https://x.org\"><script>",
            "https://x .org",
        ] {
            assert!(public_url(bad).is_err(), "{bad}");
        }
    }
}
