//! Servers under test: [`TestServer`] in this process (restartable on the same address and
//! data), [`ServerProcess`] as a child process that can be killed with SIGKILL.

use crate::*;
use anyhow::{Context as _, bail};
use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    process::Stdio,
    time::Duration,
};
use tokio::io::{AsyncBufReadExt, BufReader};

/// Options for an in-process test server.
#[derive(Debug, Default, Clone)]
pub struct TestConfig {
    /// Load the demo event (ECC2026).
    pub demo: bool,
    /// Serve the built web client from here.
    pub web_dir: Option<PathBuf>,
    /// Reuse this data directory instead of a fresh temporary one.
    pub data_dir: Option<PathBuf>,
    /// Per-connection outbound queue capacity.
    pub outbound_queue: Option<usize>,
    /// Server heartbeat interval.
    pub heartbeat: Option<Duration>,
    /// Requests per second per connection (and burst = 3×).
    pub requests_per_second: Option<f64>,
    /// Share the store in these Redis servers (`--redis`).
    pub redis: Vec<String>,
    /// The organiser key, when another instance made it (a shared store).
    pub organiser_key: Option<String>,
    /// The interactions the engine runs, when a test adds its own.
    pub interactions: Option<plenum_server::engine::Registry>,
    /// Per-address limits. Default: none worth the name (tests make thousands of people from
    /// 127.0.0.1); the tests of these limits set their own.
    pub addresses: Option<plenum_server::transport::addresses::AddressConfig>,
    /// Connection timeouts, when a test needs short ones.
    pub timeouts: Option<plenum_server::transport::listener::Timeouts>,
    /// `--max-connections`.
    pub max_connections: Option<usize>,
    /// `--public-url`.
    pub public_url: Option<String>,
    /// `--redis-replicas` and its timeout.
    pub redis_replicas: Option<plenum_server::store::redis_store::Replicas>,
    /// Share the store in this Redis Cluster (`--redis-cluster`).
    pub redis_cluster: Vec<String>,
    /// `--redis-ca`: the PEM of the CA of a TLS cluster.
    pub redis_ca: Option<Vec<u8>>,
}

/// A server running inside the test process.
pub struct TestServer {
    pub addr: SocketAddr,
    pub organiser_key: String,
    pub data_dir: PathBuf,
    pub(crate) running: Option<plenum_server::Running>,
    pub(crate) config: TestConfig,
    pub(crate) _temp: Option<tempfile::TempDir>,
}

impl TestServer {
    /// An empty server (no events).
    pub async fn start() -> TestServer {
        Self::start_with(TestConfig::default()).await
    }

    pub async fn start_with(config: TestConfig) -> TestServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        Self::start_on(config, listener).await
    }

    /// Stops the server gracefully and starts it again on the same address and data
    /// directory, as an operator restarting it would: clients see their connection drop and
    /// come back.
    pub async fn restart(&mut self) {
        self.stop().await;
        let mut config = self.config.clone();
        config.data_dir = Some(self.data_dir.clone());
        let listener = tokio::net::TcpListener::bind(self.addr)
            .await
            .expect("bind the same address again");
        let restarted = Self::start_on(config, listener).await;
        self.running = restarted.running;
    }

    async fn start_on(config: TestConfig, listener: tokio::net::TcpListener) -> TestServer {
        let (temp, data_dir) = match &config.data_dir {
            Some(d) => (None, d.clone()),
            None => {
                let t = tempfile::tempdir().expect("temp dir");
                let d = t.path().to_path_buf();
                (Some(t), d)
            }
        };
        let mut c = plenum_server::Config::new(data_dir.clone());
        c.demo = config.demo;
        c.web_dir = config.web_dir.clone();
        c.drain_timeout = Duration::from_secs(3);
        if let Some(q) = config.outbound_queue {
            c.limits.outbound_queue = q;
        }
        if let Some(h) = config.heartbeat {
            c.limits.heartbeat = h;
        }
        if let Some(r) = config.requests_per_second {
            c.limits.requests_per_second = r;
            c.limits.request_burst = r * 3.0;
        }
        c.redis = config.redis.clone();
        c.addresses = config
            .addresses
            .clone()
            .unwrap_or_else(plenum_server::transport::addresses::AddressConfig::unlimited);
        if let Some(t) = config.timeouts {
            c.timeouts = t;
        }
        if let Some(m) = config.max_connections {
            c.max_connections = m;
        }
        c.public_url = config.public_url.clone();
        c.redis_replicas = config.redis_replicas;
        c.redis_cluster = config.redis_cluster.clone();
        c.redis_ca = config.redis_ca.clone();
        if let Some(interactions) = &config.interactions {
            c.interactions = interactions.clone();
        }
        let running = plenum_server::start(c, listener)
            .await
            .expect("server starts");
        let organiser_key = match read_organiser_key(&data_dir) {
            Ok(key) => key,
            Err(e) => config
                .organiser_key
                .clone()
                .unwrap_or_else(|| panic!("organiser key file: {e}")),
        };
        TestServer {
            addr: running.addr,
            organiser_key,
            data_dir,
            running: Some(running),
            config,
            _temp: temp,
        }
    }

    /// `http://127.0.0.1:PORT` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn ws_url(&self) -> String {
        format!("ws://{}/ws", self.addr)
    }

    pub fn http(&self) -> Http {
        Http::new(self.addr)
    }

    /// Graceful shutdown; the data directory stays (and is removed when `self` is dropped,
    /// unless it was given in [`TestConfig::data_dir`]).
    pub async fn stop(&mut self) {
        if let Some(r) = self.running.take() {
            r.stop().await.expect("clean stop");
        }
    }

    /// The running server's engine, for tests that drive it directly.
    pub fn engine(&self) -> plenum_server::engine::Engine {
        self.running
            .as_ref()
            .expect("the server is running")
            .engine()
    }

    /// A WebSocket client that has said hello with an attendee token for `event`.
    pub async fn attendee(&self, event: &str, name: &str) -> Ws {
        let token = self.http().join(event, Some(name)).await.expect("join");
        Ws::connect(&self.ws_url(), &token).await.expect("connect")
    }

    /// A WebSocket client that has said hello with the organiser key.
    pub async fn organiser(&self) -> Ws {
        Ws::connect(&self.ws_url(), &self.organiser_key)
            .await
            .expect("connect")
    }
}

/// The organiser key the server wrote on its first start.
pub fn read_organiser_key(data_dir: &Path) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(data_dir.join(plenum_server::ORGANISER_KEY_FILE))?;
    Ok(text.trim().to_owned())
}

/// The server as a separate process of the real binary, so it can be killed with SIGKILL.
pub struct ServerProcess {
    pub addr: SocketAddr,
    pub organiser_key: Option<String>,
    child: tokio::process::Child,
}

impl ServerProcess {
    /// Starts `binary --bind 127.0.0.1:0 --data-dir DIR` and waits until it listens.
    pub async fn spawn(
        binary: &str,
        data_dir: &Path,
        extra: &[&str],
    ) -> anyhow::Result<ServerProcess> {
        // Tests make many people from 127.0.0.1: lift the per-address limits a test does not set.
        let lifted: Vec<&str> = [
            ("--address-requests-per-second", "1e9"),
            ("--address-request-burst", "1e9"),
            ("--address-joins-per-second", "1e9"),
            ("--address-join-burst", "1e9"),
            ("--address-asks-per-second", "1e9"),
            ("--address-ask-burst", "1e9"),
            ("--address-websockets", "1000000"),
        ]
        .into_iter()
        .filter(|(flag, _)| !extra.contains(flag))
        .flat_map(|(flag, value)| [flag, value])
        .collect();
        let mut child = tokio::process::Command::new(binary)
            .arg("--bind")
            .arg("127.0.0.1:0")
            .arg("--data-dir")
            .arg(data_dir)
            .args(&lifted)
            .args(extra)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .context("spawning the server")?;
        let mut lines = BufReader::new(child.stdout.take().expect("piped")).lines();
        let mut organiser_key = None;
        let mut key_next = false;
        let addr = tokio::time::timeout(WAIT, async {
            while let Some(line) = lines.next_line().await? {
                if key_next {
                    organiser_key = Some(line.trim().to_owned());
                    key_next = false;
                } else if line.starts_with("Organiser key") {
                    key_next = true;
                } else if let Some(rest) = line.strip_prefix("Plenum is running at http://") {
                    let addr = rest.split('/').next().unwrap_or_default();
                    return Ok::<_, anyhow::Error>(addr.parse::<SocketAddr>()?);
                }
            }
            bail!("the server exited before listening")
        })
        .await
        .context("waiting for the server to listen")??;
        // Keep draining stdout so the child never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Ok(ServerProcess {
            addr,
            organiser_key,
            child,
        })
    }

    /// SIGKILL: no shutdown code runs.
    pub async fn kill9(mut self) {
        self.child.start_kill().expect("kill");
        let _ = self.child.wait().await;
    }

    /// SIGTERM, then waits for the exit status.
    pub async fn terminate(mut self) -> anyhow::Result<std::process::ExitStatus> {
        let pid = self.child.id().context("no pid")?;
        let status = std::process::Command::new("kill")
            .arg("-TERM")
            .arg(pid.to_string())
            .status()?;
        anyhow::ensure!(status.success(), "kill -TERM failed");
        Ok(tokio::time::timeout(WAIT, self.child.wait()).await??)
    }

    pub fn http(&self) -> Http {
        Http::new(self.addr)
    }

    pub fn ws_url(&self) -> String {
        format!("ws://{}/ws", self.addr)
    }
}
