//! The command line. It is a contract other tools rely on: flags are only ever added, and each
//! has an environment-variable twin.

use crate::Config;
use clap::Parser;
use std::{net::SocketAddr, path::PathBuf, process::ExitCode};

/// Plenum: live sessions, Q&A and polls for hybrid conferences.
#[derive(Debug, Parser)]
#[command(name = "plenum", version, about, long_about = None)]
pub struct Cli {
    /// Address and port to listen on.
    #[arg(long, env = "PLENUM_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Directory for the embedded store (one SQLite file) and the organiser key.
    #[arg(long, env = "PLENUM_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// Load the demo conference (code ECC2026) if it is not there yet.
    #[arg(long, env = "PLENUM_DEMO")]
    pub demo: bool,
    /// Directory of the built web client. Default: client/dist if it exists.
    #[arg(long, env = "PLENUM_WEB_DIR")]
    pub web_dir: Option<PathBuf>,
    /// Extra origins allowed to open WebSockets (comma-separated), e.g. https://live.example.org.
    /// The server's own origin is always allowed.
    #[arg(
        long = "allowed-origin",
        env = "PLENUM_ALLOWED_ORIGINS",
        value_delimiter = ','
    )]
    pub allowed_origins: Vec<String>,
    /// The address people reach Plenum at, e.g. https://live.example.org: every link and QR
    /// code (the big screen's too) is made with it, whatever address a browser used. Its
    /// origin may open WebSockets. Default: the address each browser used.
    #[arg(long, env = "PLENUM_PUBLIC_URL", value_parser = crate::public_url)]
    pub public_url: Option<String>,
    /// Most connections (HTTP and WebSocket) open at once; more are answered 503 and closed.
    #[arg(long, env = "PLENUM_MAX_CONNECTIONS", default_value_t = 16_000)]
    pub max_connections: usize,
    /// The addresses of your reverse proxies (comma-separated): from them, each client's
    /// address is the last entry of X-Forwarded-For (the per-address limits count it). From
    /// anyone else the header is ignored.
    #[arg(long, env = "PLENUM_TRUST_PROXY", value_delimiter = ',')]
    pub trust_proxy: Vec<std::net::IpAddr>,
    /// HTTP requests one client address may make per second (the web client's files included)…
    #[arg(
        long,
        env = "PLENUM_ADDRESS_REQUESTS_PER_SECOND",
        default_value_t = 200.0
    )]
    pub address_requests_per_second: f64,
    /// …and at once.
    #[arg(long, env = "PLENUM_ADDRESS_REQUEST_BURST", default_value_t = 2000.0)]
    pub address_request_burst: f64,
    /// People one client address may join as per second (POST …/join)…
    #[arg(long, env = "PLENUM_ADDRESS_JOINS_PER_SECOND", default_value_t = 20.0)]
    pub address_joins_per_second: f64,
    /// …and at once.
    #[arg(long, env = "PLENUM_ADDRESS_JOIN_BURST", default_value_t = 200.0)]
    pub address_join_burst: f64,
    /// Questions (asked or edited) from one client address per second, all its people together…
    #[arg(long, env = "PLENUM_ADDRESS_ASKS_PER_SECOND", default_value_t = 2.0)]
    pub address_asks_per_second: f64,
    /// …and at once.
    #[arg(long, env = "PLENUM_ADDRESS_ASK_BURST", default_value_t = 100.0)]
    pub address_ask_burst: f64,
    /// WebSockets one client address may hold open (never more than half of --max-connections).
    #[arg(long, env = "PLENUM_ADDRESS_WEBSOCKETS", default_value_t = 2000)]
    pub address_websockets: usize,
    /// Keep a snapshot of each room every this many events, so loading a room after a restart
    /// folds at most that many (0: take no new snapshots; those already kept are still used).
    #[arg(long, env = "PLENUM_SNAPSHOT_EVERY", default_value_t = crate::engine::SNAPSHOT_EVERY)]
    pub snapshot_every: u64,
    /// Replace the organiser key with a new one (printed once); the old key stops working.
    #[arg(long, env = "PLENUM_RESET_ORGANISER_KEY")]
    pub reset_organiser_key: bool,
    /// Share events with other instances through Redis (redis://host:port). Give it more than
    /// once (or comma-separated) to partition rooms over several Redis servers. Without it,
    /// Plenum runs alone on the embedded store in --data-dir.
    #[arg(long, env = "PLENUM_REDIS", value_delimiter = ',')]
    pub redis: Vec<String>,
    /// Share events with other instances through a Redis Cluster: its seed nodes
    /// (redis://host:port, comma-separated; redis://user:password@host:port for an ACL user).
    /// Instead of --redis.
    #[arg(long, env = "PLENUM_REDIS_CLUSTER", value_delimiter = ',')]
    pub redis_cluster: Vec<String>,
    /// With rediss:// cluster nodes: a PEM file of the CA that signed their certificates
    /// (default: the system's trusted roots).
    #[arg(long, env = "PLENUM_REDIS_CA")]
    pub redis_ca: Option<PathBuf>,
    /// With --redis or --redis-cluster: answer a write only once this many replicas of its
    /// Redis server have it
    /// (Redis WAIT), so a failover loses nothing acknowledged; 0 answers once the primary has it.
    #[arg(long, env = "PLENUM_REDIS_REPLICAS", default_value_t = 0)]
    pub redis_replicas: u32,
    /// How long a write waits for those replicas before it is refused as unavailable.
    #[arg(long, env = "PLENUM_REDIS_REPLICA_TIMEOUT_MS", default_value_t = 1000)]
    pub redis_replica_timeout_ms: u64,
}

impl Cli {
    pub fn config(&self) -> anyhow::Result<Config> {
        let mut config = Config::new(self.data_dir.clone());
        config.demo = self.demo;
        config.web_dir = self.web_dir.clone().or_else(|| {
            Some(PathBuf::from("client/dist")).filter(|d| d.join("index.html").is_file())
        });
        config.allowed_origins = self.allowed_origins.clone();
        config.public_url = self.public_url.clone();
        config.max_connections = self.max_connections;
        config.snapshot_every = self.snapshot_every;
        config.addresses = crate::transport::addresses::AddressConfig {
            trusted_proxies: self.trust_proxy.clone(),
            requests_per_second: self.address_requests_per_second,
            request_burst: self.address_request_burst,
            joins_per_second: self.address_joins_per_second,
            join_burst: self.address_join_burst,
            asks_per_second: self.address_asks_per_second,
            ask_burst: self.address_ask_burst,
            websockets: self.address_websockets,
            // Half of --max-connections (set at start).
            connections: usize::MAX,
        };
        config.redis = self.redis.clone();
        config.redis_cluster = self.redis_cluster.clone();
        config.redis_ca = match &self.redis_ca {
            Some(path) => Some(std::fs::read(path).map_err(|e| {
                anyhow::anyhow!("reading the Redis CA file {}: {e}", path.display())
            })?),
            None => None,
        };
        config.redis_replicas =
            (self.redis_replicas > 0).then(|| crate::store::redis_store::Replicas {
                count: self.redis_replicas,
                timeout: std::time::Duration::from_millis(self.redis_replica_timeout_ms),
            });
        if self.reset_organiser_key {
            config.organiser_key = crate::auth::OrganiserKey::Reset;
        }
        Ok(config)
    }
}

/// Transparent huge pages off for the whole process, unless `MIMALLOC_ALLOW_THP` is set (then
/// it decides, as mimalloc documents it). Under the `madvise` setting (Debian's and Ubuntu's
/// default) mimalloc asks for huge pages on its arena, and under `always` the kernel needs no
/// asking; either way khugepaged then fills the arena's sparsely used 2 MiB stretches into whole
/// huge pages while the server idles: with 5,000 idle connections its RSS grew from 44 to 64 MiB
/// in 30 s, a step at each of khugepaged's passes, and stayed flat at 37 MiB with huge pages off
/// (bench/README.md, W0).
///
/// Called first, so that little memory is touched before; an error is logged once logging is
/// set up.
fn no_transparent_huge_pages() -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_none() {
        rustix::thread::disable_transparent_huge_pages(true)?;
    }
    Ok(())
}

/// The `plenum` binary's whole life: parse, log, bind, serve until SIGTERM or Ctrl-C.
pub fn main() -> ExitCode {
    let huge_pages_off = no_transparent_huge_pages();
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    if let Err(e) = huge_pages_off {
        tracing::warn!("cannot turn transparent huge pages off: {e}");
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("plenum: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(serve(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("plenum: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Connections the kernel may hold for the server before it accepts them. Tokio's `bind`
/// asks for 128 (mio since 1.1, as the standard library): when an instance goes down, its
/// thousands of clients reconnect to the others at once, and the ones past the queue wait
/// for their SYN's retransmission, a second or more. The kernel caps it at
/// `net.core.somaxconn` (4096 by default since Linux 5.4).
const LISTEN_BACKLOG: u32 = 4096;

/// A listening socket on `addr`, with [`LISTEN_BACKLOG`] (and `SO_REUSEADDR`, as `bind` sets
/// it, so a restart need not wait for the old connections' `TIME_WAIT`).
fn listen(addr: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    let socket = match addr {
        SocketAddr::V4(_) => tokio::net::TcpSocket::new_v4()?,
        SocketAddr::V6(_) => tokio::net::TcpSocket::new_v6()?,
    };
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(LISTEN_BACKLOG)
}

async fn serve(cli: Cli) -> anyhow::Result<()> {
    let config = cli.config()?;
    let listener =
        listen(cli.bind).map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", cli.bind))?;
    let data_dir = config.data_dir.clone();
    let web = config.web_dir.clone();
    let running = crate::start(config, listener).await?;
    let url = format!("http://{}", running.addr);
    if let Some(key) = &running.new_organiser_key {
        println!(
            "Organiser key (shown once; also saved in {}):",
            data_dir.join(crate::ORGANISER_KEY_FILE).display()
        );
        println!("  {key}");
        println!("Use it as a bearer token, for example:");
        println!("  curl -H 'Authorization: Bearer {key}' {url}/api/events");
    }
    match web {
        Some(dir) => println!(
            "Plenum is running at {url}/ (client from {})",
            dir.display()
        ),
        None => println!("Plenum is running at {url}/ (API only: no web client found)"),
    }
    if cli.demo {
        println!("Demo event: {url}/e/ECC2026");
    }
    let token = running.shutdown_token();
    tokio::spawn(async move {
        wait_for_signal().await;
        tracing::info!("shutting down: telling clients to reconnect");
        token.cancel();
    });
    running.wait().await
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).expect("install SIGTERM handler");
        tokio::select! {
            _ = term.recv() => {}
            _ = tokio::signal::ctrl_c() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::{LISTEN_BACKLOG, listen};
    use std::time::Duration;

    /// The soft limit on this process's open files, from `/proc/self/limits`.
    fn open_files() -> usize {
        let limits = std::fs::read_to_string("/proc/self/limits").unwrap();
        let line = limits
            .lines()
            .find(|l| l.starts_with("Max open files"))
            .unwrap();
        line.split_whitespace().nth(3).unwrap().parse().unwrap()
    }

    /// The clients of an instance that went down all reconnect at once: the kernel completes
    /// their handshakes and holds them until the server accepts, many more than tokio's 128.
    #[tokio::test]
    async fn a_reconnect_storm_waits_in_the_kernel_until_it_is_accepted() {
        let somaxconn: usize = std::fs::read_to_string("/proc/sys/net/core/somaxconn")
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        // Each connection takes two files here (both ends), and the test runner others.
        let storm = somaxconn
            .min(LISTEN_BACKLOG as usize)
            .min(open_files().saturating_sub(200) / 2)
            .saturating_sub(16);
        assert!(
            storm > 256,
            "too few connections to tell a backlog of {LISTEN_BACKLOG} from tokio's 128 \
             (somaxconn {somaxconn}, open files {})",
            open_files()
        );
        let listener = listen("127.0.0.1:0".parse().unwrap()).unwrap();
        let addr = listener.local_addr().unwrap();
        // Nobody accepts while they connect.
        let mut connecting = tokio::task::JoinSet::new();
        for _ in 0..storm {
            connecting.spawn(tokio::time::timeout(
                Duration::from_secs(20),
                tokio::net::TcpStream::connect(addr),
            ));
        }
        let mut held = Vec::with_capacity(storm);
        while let Some(done) = connecting.join_next().await {
            let stream = done
                .unwrap()
                .expect("the kernel completed the handshake before anyone accepted")
                .unwrap();
            held.push(stream);
        }
        for _ in 0..storm {
            listener.accept().await.unwrap();
        }
        assert_eq!(held.len(), storm);
    }
}
