//! The benchmark suite: starts the servers (Plenum, and the peers it is measured against), the
//! load-generating worker processes, runs each workload, and writes BENCHMARKS.md.
//!
//! Servers run on core 0 and everything that generates load (workers, publisher, this process
//! when started by `scripts/bench`) on core 1, with `taskset`.

mod cafe;
mod fire;

use crate::{
    System, procfs,
    worker::{Report, decode_histogram, marker, new_histogram},
};
use anyhow::{Context as _, bail};
use futures_util::{SinkExt as _, StreamExt as _};
use hdrhistogram::Histogram;
use plenum_protocol::{
    ClientMsg, EventCode, PollDraft, PollKind, PollStep, ResultsVisibility, SessionId,
};
use std::{
    fmt::Write as _,
    path::{Path, PathBuf},
    process::Stdio,
    time::{Duration, Instant},
};
use tokio::{
    io::{AsyncBufReadExt as _, AsyncWriteExt as _, BufReader, Lines},
    process::{Child, ChildStdin, ChildStdout, Command},
};
use tokio_tungstenite::tungstenite::Message;

/// How the suite runs.
#[derive(Debug, Clone)]
pub struct Options {
    pub quick: bool,
    pub out: PathBuf,
    /// The Plenum server binary.
    pub plenum: PathBuf,
    /// Where the peers' node_modules are (`scripts/setup` installs them).
    pub peers_modules: PathBuf,
    /// The peers' scripts (`bench/peers`).
    pub peers_dir: PathBuf,
    /// Workloads to run (`w0`...`w5`); empty: all.
    pub only: Vec<String>,
    /// W0's number of connections, instead of the mode's.
    pub idle: Option<usize>,
    /// W1's and W6's numbers of attendees, instead of the mode's (when not empty).
    pub attendees: Vec<usize>,
    /// The built web client (`client/dist`), for W10.
    pub web_dir: PathBuf,
}

impl Options {
    fn runs(&self, workload: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|w| w.eq_ignore_ascii_case(workload))
    }
}

const SERVER_CORE: &str = "0";
const LOAD_CORE: &str = "1";
/// Connections per worker process: one process may hold about 20,000 open files here.
const PER_WORKER: usize = 9_000;
const EVENT: &str = "BENCH";
/// W1 and W2 publish an update every half second: about the pace of Plenum's coalesced poll
/// results (at most every 250 ms). Up to 5,000 attendees that is longer than a fan-out here; at
/// 19,000 it is not, and updates overlap.
const W1_EVERY: Duration = Duration::from_millis(500);

/// An HTTP client that gives up on a request after 60 s (nothing in the suite waits forever).
fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .expect("an HTTP client")
}

fn spare_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a spare port")
}

fn pinned(core: &str, program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut c = Command::new("taskset");
    c.arg("-c").arg(core).arg(program);
    c.kill_on_drop(true);
    c
}

/// A server process, and the line that said it listens.
struct Server {
    child: Child,
    pid: u32,
    addr: String,
    /// Plenum: the organiser key it printed, if it made one.
    key: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

async fn wait_for_line(
    lines: &mut Lines<BufReader<ChildStdout>>,
    mut pick: impl FnMut(&str) -> bool,
) -> anyhow::Result<Vec<String>> {
    let mut seen = Vec::new();
    tokio::time::timeout(Duration::from_secs(30), async {
        while let Some(line) = lines.next_line().await? {
            let done = pick(&line);
            seen.push(line);
            if done {
                return Ok::<_, anyhow::Error>(());
            }
        }
        bail!("the process ended before it was ready: {seen:?}")
    })
    .await
    .context("waiting for a server")??;
    Ok(seen)
}

fn drain(mut lines: Lines<BufReader<ChildStdout>>) {
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
}

async fn start_plenum(
    opts: &Options,
    redis: Option<&str>,
    key: Option<&str>,
) -> anyhow::Result<Server> {
    let dir = tempfile::tempdir()?;
    let mut server = launch_plenum(opts, dir.path(), redis, key, &[]).await?;
    server._dir = Some(dir);
    Ok(server)
}

/// Starts Plenum on `dir` (kept by the caller), with `extra` flags.
async fn launch_plenum(
    opts: &Options,
    dir: &Path,
    redis: Option<&str>,
    key: Option<&str>,
    extra: &[&str],
) -> anyhow::Result<Server> {
    let port = spare_port();
    let mut cmd = pinned(SERVER_CORE, &opts.plenum);
    cmd.arg("--bind")
        .arg(format!("127.0.0.1:{port}"))
        .arg("--data-dir")
        .arg(dir)
        .args(extra)
        .arg("--max-connections")
        .arg("19900")
        // The load comes from a few 127.0.0.x addresses: no per-address limit applies.
        .args([
            "--address-requests-per-second",
            "1e9",
            "--address-request-burst",
            "1e9",
            "--address-joins-per-second",
            "1e9",
            "--address-join-burst",
            "1e9",
            "--address-asks-per-second",
            "1e9",
            "--address-ask-burst",
            "1e9",
            "--address-websockets",
            "1000000",
        ])
        .env("RUST_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(url) = redis {
        cmd.arg("--redis").arg(url);
    }
    let mut child = cmd.spawn().context("starting plenum")?;
    let pid = child.id().context("pid")?;
    let mut lines = BufReader::new(child.stdout.take().context("stdout")?).lines();
    let seen = wait_for_line(&mut lines, |l| l.starts_with("Plenum is running at")).await?;
    drain(lines);
    let printed = seen
        .iter()
        .position(|l| l.starts_with("Organiser key"))
        .and_then(|i| seen.get(i + 1))
        .map(|k| k.trim().to_owned());
    Ok(Server {
        child,
        pid: taskset_child_pid(pid),
        addr: format!("127.0.0.1:{port}"),
        key: printed.or(key.map(str::to_owned)),
        _dir: None,
    })
}

/// `taskset` execs its program, so the pid is the server's.
fn taskset_child_pid(pid: u32) -> u32 {
    pid
}

async fn start_peer(opts: &Options, system: System, redis: Option<&str>) -> anyhow::Result<Server> {
    let port = spare_port();
    let script = match system {
        System::Ws => "ws-server.js",
        System::WsCork => "ws-cork-server.js",
        System::SocketIo => "sio-server.js",
        System::Plenum => unreachable!("not a peer"),
    };
    let mut cmd = pinned(SERVER_CORE, "node");
    cmd.arg(opts.peers_dir.join(script))
        .arg(port.to_string())
        .env("NODE_PATH", &opts.peers_modules)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    if let Some(url) = redis {
        cmd.arg(url);
    }
    let mut child = cmd.spawn().context("starting node")?;
    let pid = child.id().context("pid")?;
    let mut lines = BufReader::new(child.stdout.take().context("stdout")?).lines();
    wait_for_line(&mut lines, |l| l.starts_with("listening")).await?;
    drain(lines);
    Ok(Server {
        child,
        pid,
        addr: format!("127.0.0.1:{port}"),
        key: None,
        _dir: None,
    })
}

async fn start_redis(persist: bool) -> anyhow::Result<Server> {
    let dir = tempfile::tempdir()?;
    let port = spare_port();
    let mut cmd = pinned(SERVER_CORE, "redis-server");
    cmd.args([
        "--port",
        &port.to_string(),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
    ])
    .arg("--dir")
    .arg(dir.path())
    .args(["--appendonly", if persist { "yes" } else { "no" }])
    .args(["--appendfsync", "everysec", "--loglevel", "warning"])
    .stdout(Stdio::null());
    let child = cmd.spawn().context("starting redis-server")?;
    let pid = child.id().context("pid")?;
    let deadline = Instant::now() + Duration::from_secs(10);
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        anyhow::ensure!(Instant::now() < deadline, "redis-server did not listen");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(Server {
        child,
        pid,
        addr: format!("127.0.0.1:{port}"),
        key: None,
        _dir: Some(dir),
    })
}

/// A deployment of one system: its server processes (Redis included) and how to publish.
struct Deployment {
    system: System,
    servers: Vec<Server>,
    redis: Option<Server>,
    /// Plenum: an attendee token for the workers.
    token: String,
}

impl Deployment {
    async fn start(opts: &Options, system: System, instances: usize) -> anyhow::Result<Deployment> {
        let redis = if instances > 1 || system == System::SocketIo {
            Some(start_redis(system == System::Plenum).await?)
        } else {
            None
        };
        let url = redis.as_ref().map(|r| format!("redis://{}/", r.addr));
        let mut servers: Vec<Server> = Vec::new();
        for _ in 0..instances {
            let server = match system {
                System::Plenum => {
                    let key = servers.first().and_then(|s| s.key.clone());
                    start_plenum(opts, url.as_deref(), key.as_deref()).await?
                }
                _ => start_peer(opts, system, url.as_deref()).await?,
            };
            servers.push(server);
        }
        let mut token = String::new();
        if system == System::Plenum {
            let http = http_client();
            let base = format!("http://{}", servers[0].addr);
            let key = servers[0].key.clone().context("no organiser key")?;
            let event = serde_json::json!({
                "code": EVENT, "title": "Benchmark", "time_zone": "Europe/Stockholm",
                "languages": ["en"],
                "agenda": {"days": [{"number": 1, "date": "2026-11-22"}],
                    "sessions": [{"id": "s1", "title": "Plenary", "kind": "plenary", "day": 1,
                                  "start": "09:00", "end": "17:00"}]}
            });
            let r = http
                .post(format!("{base}/api/events"))
                .bearer_auth(&key)
                .json(&event)
                .send()
                .await?;
            anyhow::ensure!(
                r.status().as_u16() == 201,
                "creating the event: {}",
                r.status()
            );
            let r: serde_json::Value = http
                .post(format!("{base}/api/events/{EVENT}/join"))
                .json(&serde_json::json!({"name": "Load"}))
                .send()
                .await?
                .json()
                .await?;
            token = r["token"].as_str().context("token")?.to_owned();
        }
        Ok(Deployment {
            system,
            servers,
            redis,
            token,
        })
    }

    fn targets(&self) -> Vec<String> {
        self.servers.iter().map(|s| s.addr.clone()).collect()
    }

    fn room(&self) -> String {
        match self.system {
            System::Plenum => format!("session:{EVENT}:s1"),
            _ => "s1".to_owned(),
        }
    }

    /// Server-side processes: the instances, Redis, and the kernel's network work on the
    /// servers' core (ksoftirqd/0: only servers run there).
    fn pids(&self) -> Vec<u32> {
        self.servers
            .iter()
            .chain(self.redis.iter())
            .map(|s| s.pid)
            .chain(procfs::ksoftirqd(0))
            .collect()
    }

    /// Fails if a server process has died (its CPU and memory would silently drop out).
    fn check_alive(&self) -> anyhow::Result<()> {
        for s in self.servers.iter().chain(self.redis.iter()) {
            anyhow::ensure!(
                Path::new(&format!("/proc/{}", s.pid)).exists(),
                "a server process ({}) died during the measurement",
                s.addr
            );
        }
        Ok(())
    }

    fn cpu(&self) -> f64 {
        self.pids()
            .iter()
            .filter_map(|p| procfs::cpu_seconds(*p).ok())
            .sum()
    }

    /// (user, kernel) CPU seconds of the server processes.
    fn cpu_split(&self) -> (f64, f64) {
        self.pids()
            .iter()
            .filter_map(|p| procfs::cpu_split(*p).ok())
            .fold((0.0, 0.0), |(u, s), (a, b)| (u + a, s + b))
    }

    fn rss(&self) -> u64 {
        self.servers
            .iter()
            .filter_map(|s| procfs::rss_bytes(s.pid).ok())
            .sum()
    }
}

/// Publishes broadcasts from the last instance (so with several, most receivers are elsewhere).
enum Publisher {
    /// Plenum's updates go through one task, in order: publishing never waits for the server
    /// (like the peers' publishers, it keeps its schedule), and update n+1 is never sent
    /// before update n (two requests at once could be committed in either order).
    Plenum {
        queue: Option<tokio::sync::mpsc::UnboundedSender<String>>,
        sender: tokio::task::JoinHandle<anyhow::Result<()>>,
    },
    Socket(
        Box<
            tokio_tungstenite::WebSocketStream<
                tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
            >,
        >,
        System,
    ),
}

impl Publisher {
    async fn connect(d: &Deployment) -> anyhow::Result<Publisher> {
        let addr = &d.servers.last().expect("a server").addr;
        Ok(match d.system {
            System::Plenum => {
                let http = http_client();
                let url = format!("http://{addr}/api/events/{EVENT}/sessions/s1/stage");
                let key = d.servers[0].key.clone().context("key")?;
                let (queue, mut marks) = tokio::sync::mpsc::unbounded_channel::<String>();
                let sender = tokio::spawn(async move {
                    while let Some(mark) = marks.recv().await {
                        let body = serde_json::json!({"on_stage": {"kind": "text", "text": mark}});
                        let r = http.post(&url).bearer_auth(&key).json(&body).send().await?;
                        anyhow::ensure!(r.status().is_success(), "publishing: {}", r.status());
                    }
                    Ok(())
                });
                Publisher::Plenum {
                    queue: Some(queue),
                    sender,
                }
            }
            System::Ws | System::WsCork => {
                let (ws, _) =
                    tokio_tungstenite::connect_async(format!("ws://{addr}/?publish=1")).await?;
                Publisher::Socket(Box::new(ws), d.system)
            }
            System::SocketIo => {
                let (mut ws, _) = tokio_tungstenite::connect_async(format!(
                    "ws://{addr}/socket.io/?EIO=4&transport=websocket"
                ))
                .await?;
                let wait = Duration::from_secs(30);
                tokio::time::timeout(wait, ws.next()).await?; // open
                ws.send(Message::text("40")).await?;
                tokio::time::timeout(wait, ws.next()).await?; // connected
                Publisher::Socket(Box::new(ws), System::SocketIo)
            }
        })
    }

    /// Waits for the answers to what was published, and checks them.
    async fn finish(self) -> anyhow::Result<()> {
        if let Publisher::Plenum { queue, sender } = self {
            drop(queue);
            sender.await??;
        }
        Ok(())
    }

    /// Relays `payload` to the room as it is (the peers: each update `publish` makes, W6's mix).
    async fn relay(&mut self, payload: serde_json::Value) -> anyhow::Result<()> {
        let Publisher::Socket(ws, system) = self else {
            anyhow::bail!("Plenum's messages come from its own sources")
        };
        let msg = serde_json::json!({"room": "s1", "payload": payload});
        let text = match system {
            System::SocketIo => format!("42[\"publish\",{msg}]"),
            _ => msg.to_string(),
        };
        ws.send(Message::text(text)).await?;
        Ok(())
    }

    /// Broadcast number `n`: a poll-results update, about the size of Plenum's.
    async fn publish(&mut self, n: u64) -> anyhow::Result<()> {
        let mark = marker(n);
        match self {
            Publisher::Plenum { queue, .. } => {
                queue
                    .as_ref()
                    .context("publisher finished")?
                    .send(mark)
                    .map_err(|_| anyhow::anyhow!("the publishing task ended"))?;
            }
            Publisher::Socket(..) => {
                let payload = serde_json::json!({"type": "event", "room": "session:BENCH:s1", "seq": n,
                    "event": {"kind": "poll_results", "id": 1, "ballots": 1234,
                              "results": {"kind": "choices", "counts": [310, 402, 288, 234]}},
                    "mark": mark});
                self.relay(payload).await?;
            }
        }
        Ok(())
    }
}

/// A worker process.
struct Worker {
    /// Killed when dropped.
    _child: Child,
    stdin: ChildStdin,
    lines: Lines<BufReader<ChildStdout>>,
    pid: u32,
}

impl Worker {
    async fn start(
        d: &Deployment,
        count: usize,
        source: u8,
        targets: &[String],
    ) -> anyhow::Result<Worker> {
        let exe = std::env::current_exe()?;
        let mut cmd = pinned(LOAD_CORE, exe);
        cmd.arg("worker")
            .arg("--system")
            .arg(d.system.name())
            .arg("--targets")
            .arg(targets.join(","))
            .arg("--count")
            .arg(count.to_string())
            .arg("--source")
            .arg(format!("127.0.0.{source}"))
            .arg("--room")
            .arg(d.room())
            .arg("--token")
            .arg(&d.token)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        let mut child = cmd.spawn()?;
        let pid = child.id().context("pid")?;
        let stdin = child.stdin.take().context("stdin")?;
        let mut lines = BufReader::new(child.stdout.take().context("stdout")?).lines();
        let line = tokio::time::timeout(Duration::from_secs(180), lines.next_line())
            .await
            .context("workers connecting")??
            .context("a worker ended")?;
        anyhow::ensure!(line.starts_with("ready"), "worker said {line}");
        Ok(Worker {
            _child: child,
            stdin,
            lines,
            pid,
        })
    }

    /// Receipts so far (nothing reset).
    async fn count(&mut self) -> anyhow::Result<u64> {
        self.stdin.write_all(b"count\n").await?;
        let line = tokio::time::timeout(Duration::from_secs(60), self.lines.next_line())
            .await
            .context("waiting for a count")??
            .context("a worker ended")?;
        Ok(line.trim().parse()?)
    }

    async fn report(&mut self) -> anyhow::Result<Report> {
        self.stdin.write_all(b"report\n").await?;
        let line = tokio::time::timeout(Duration::from_secs(60), self.lines.next_line())
            .await
            .context("waiting for a report")??
            .context("a worker ended")?;
        Ok(serde_json::from_str(&line)?)
    }

    fn signal(&self, sig: &str) {
        let _ = std::process::Command::new("kill")
            .arg(format!("-{sig}"))
            .arg(self.pid.to_string())
            .status();
    }
}

/// Opens `count` connections over as many workers as needed, each from its own address.
async fn workers(
    d: &Deployment,
    count: usize,
    first_source: u8,
    targets: &[String],
) -> anyhow::Result<Vec<Worker>> {
    let mut all = Vec::new();
    let mut left = count;
    let mut source = first_source;
    while left > 0 {
        let n = left.min(PER_WORKER);
        all.push(Worker::start(d, n, source, targets).await?);
        left -= n;
        source += 1;
    }
    Ok(all)
}

/// Everything measured in one broadcast phase.
#[derive(Debug, Default, Clone)]
struct Broadcast {
    receivers: usize,
    deliveries: u64,
    /// Updates a receiver never got (skipped, or still not there after 30 s).
    missing: u64,
    duplicated: u64,
    p50_ms: f64,
    p99_ms: f64,
    p999_ms: f64,
    max_ms: f64,
    /// Median over broadcasts of the time until the last receiver had it…
    last_ms: f64,
    /// …and until the first did: the path before the fan-out (the publisher's request, and for
    /// Plenum the commit).
    first_ms: f64,
    cpu_s: f64,
    user_s: f64,
    kernel_s: f64,
    rss_before: u64,
    rss_max: u64,
}

impl Broadcast {
    fn per_cpu_second(&self) -> f64 {
        self.deliveries as f64 / self.cpu_s.max(1e-6)
    }

    /// Server CPU microseconds per delivery: (user, kernel).
    fn us_per_delivery(&self) -> (f64, f64) {
        let n = self.deliveries.max(1) as f64;
        (self.user_s * 1e6 / n, self.kernel_s * 1e6 / n)
    }
}

/// The workers' reports of one phase, merged.
struct Merged {
    histogram: Histogram<u64>,
    /// Median over broadcasts of the time until the last receiver had it (ms)…
    last_ms: f64,
    /// …and until the first did.
    first_ms: f64,
    received: u64,
    duplicated: u64,
}

fn merge(reports: &[Report], numbers: std::ops::RangeInclusive<u64>) -> anyhow::Result<Merged> {
    let mut histogram = new_histogram();
    let mut last: std::collections::HashMap<u64, u64> = Default::default();
    let mut first: std::collections::HashMap<u64, u64> = Default::default();
    let (mut received, mut duplicated) = (0, 0);
    for r in reports {
        histogram.add(decode_histogram(&r.histogram)?)?;
        received += r.received;
        duplicated += r.duplicated;
        for (n, t) in &r.last_receipt {
            let e = last.entry(*n).or_default();
            *e = (*e).max(*t);
        }
        for (n, t) in &r.first_receipt {
            let e = first.entry(*n).or_insert(*t);
            *e = (*e).min(*t);
        }
    }
    let median = |of: &std::collections::HashMap<u64, u64>| {
        let mut all: Vec<u64> = numbers
            .clone()
            .filter_map(|n| of.get(&n).copied())
            .collect();
        all.sort_unstable();
        all.get(all.len() / 2).copied().unwrap_or(0) as f64 / 1000.0
    };
    Ok(Merged {
        histogram,
        last_ms: median(&last),
        first_ms: median(&first),
        received,
        duplicated,
    })
}

/// Publishes `broadcasts` updates, one every `every`, to `receivers` connections already open
/// in `ws`; `stopped` are SIGSTOPped meanwhile (slow consumers) and not counted.
async fn broadcast_phase(
    d: &Deployment,
    ws: &mut [Worker],
    stopped: &mut [Worker],
    receivers: usize,
    numbers: std::ops::RangeInclusive<u64>,
    every: Duration,
) -> anyhow::Result<Broadcast> {
    let broadcasts = numbers.clone().count() as u64;
    for w in ws.iter_mut() {
        w.report().await?; // start counting afresh
    }
    let mut publisher = Publisher::connect(d).await?;
    for w in stopped.iter() {
        w.signal("STOP");
    }
    let rss_before = d.rss();
    let mut rss_max = rss_before;
    let cpu_before = d.cpu();
    let (user_before, kernel_before) = d.cpu_split();
    for n in numbers.clone() {
        publisher.publish(n).await?;
        tokio::time::sleep(every).await;
        rss_max = rss_max.max(d.rss());
    }
    // Wait until every receiver has every update (what never arrives within 30 s counts as
    // not delivered), then a moment for anything late or twice.
    let expected = receivers as u64 * broadcasts;
    let settle = Instant::now();
    loop {
        tokio::time::sleep(Duration::from_millis(100)).await;
        rss_max = rss_max.max(d.rss());
        let mut got = 0;
        for w in ws.iter_mut() {
            got += w.count().await?;
        }
        if got >= expected || settle.elapsed() > Duration::from_secs(30) {
            break;
        }
    }
    let cpu_s = d.cpu() - cpu_before;
    let (user_after, kernel_after) = d.cpu_split();
    d.check_alive()?;
    publisher.finish().await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut reports = Vec::new();
    for w in ws.iter_mut() {
        reports.push(w.report().await?);
    }
    for w in stopped.iter() {
        w.signal("CONT");
    }
    let Merged {
        histogram: h,
        last_ms,
        first_ms,
        received: deliveries,
        duplicated,
    } = merge(&reports, numbers)?;
    let ms = |q: f64| h.value_at_quantile(q) as f64 / 1000.0;
    // Counted once each: a copy received twice is no delivery.
    let deliveries = deliveries.saturating_sub(duplicated);
    let missing = expected.saturating_sub(deliveries);
    Ok(Broadcast {
        receivers,
        deliveries,
        missing,
        duplicated,
        p50_ms: ms(0.5),
        p99_ms: ms(0.99),
        p999_ms: ms(0.999),
        max_ms: h.max() as f64 / 1000.0,
        last_ms,
        first_ms,
        cpu_s,
        user_s: user_after - user_before,
        kernel_s: kernel_after - kernel_before,
        rss_before,
        rss_max,
    })
}

async fn w1(
    opts: &Options,
    system: System,
    instances: usize,
    receivers: usize,
    broadcasts: u64,
) -> anyhow::Result<Broadcast> {
    let d = Deployment::start(opts, system, instances).await?;
    // Receivers on every instance but the publisher's last, when there are several.
    let targets = d.targets();
    let receive_on: Vec<String> = if targets.len() > 1 {
        targets[..targets.len() - 1].to_vec()
    } else {
        targets
    };
    let mut ws = workers(&d, receivers, 2, &receive_on).await?;
    let r = broadcast_phase(&d, &mut ws, &mut [], receivers, 1..=broadcasts, W1_EVERY).await;
    drop(ws);
    r
}

/// Idle connections: memory per connection and idle CPU.
struct Idle {
    /// 2 s after the last connection joined.
    rss_per_conn: f64,
    /// At the end of the idle window: what the connections cost once everything has settled (an
    /// allocator that gives memory back late, or the kernel collapsing pages into huge pages,
    /// shows here and not in the first reading).
    rss_per_conn_settled: f64,
    kernel_per_conn: f64,
    idle_cpu_ms_per_s: f64,
}

async fn w0(
    opts: &Options,
    system: System,
    conns: usize,
    idle_for: Duration,
) -> anyhow::Result<Idle> {
    let d = Deployment::start(opts, system, 1).await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (rss0, sock0) = (d.rss(), procfs::tcp_kernel_bytes()?);
    let ws = workers(&d, conns, 2, &d.targets()).await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (rss1, sock1) = (d.rss(), procfs::tcp_kernel_bytes()?);
    let cpu0 = d.cpu();
    tokio::time::sleep(idle_for).await;
    let cpu1 = d.cpu();
    let rss2 = d.rss();
    drop(ws);
    Ok(Idle {
        rss_per_conn: rss1.saturating_sub(rss0) as f64 / conns as f64,
        rss_per_conn_settled: rss2.saturating_sub(rss0) as f64 / conns as f64,
        // Both ends of each connection are on this machine: half is the server's.
        kernel_per_conn: sock1.saturating_sub(sock0) as f64 / conns as f64 / 2.0,
        idle_cpu_ms_per_s: (cpu1 - cpu0) * 1000.0 / idle_for.as_secs_f64(),
    })
}

/// Slow consumers: a few percent of the receivers are stopped while broadcasts go on.
async fn w4(
    opts: &Options,
    system: System,
    receivers: usize,
    broadcasts: u64,
) -> anyhow::Result<(Broadcast, Broadcast, usize)> {
    let d = Deployment::start(opts, system, 1).await?;
    let slow = (receivers / 20).max(1);
    let mut ws = workers(&d, receivers - slow, 2, &d.targets()).await?;
    let mut stopped = workers(&d, slow, 40, &d.targets()).await?;
    let every = Duration::from_millis(20);
    let baseline = broadcast_phase(
        &d,
        &mut ws,
        &mut [],
        receivers - slow,
        1..=broadcasts,
        every,
    )
    .await?;
    // Numbers go on from the baseline's: each connection counts them in order.
    let with_slow = broadcast_phase(
        &d,
        &mut ws,
        &mut stopped,
        receivers - slow,
        broadcasts + 1..=2 * broadcasts,
        every,
    )
    .await?;
    Ok((baseline, with_slow, slow))
}

/// Reconnect storm: every client is on instance A, which is killed; they resume on B.
struct Storm {
    clients: usize,
    reconnected: u64,
    /// Updates a client never got, counted against all that were sent.
    missing: u64,
    duplicated: u64,
    recover_ms: f64,
}

async fn w5(opts: &Options, clients: usize) -> anyhow::Result<Storm> {
    let mut d = Deployment::start(opts, System::Plenum, 2).await?;
    let targets = d.targets();
    // Every connection starts on A (the worker spreads over its targets: give A alone first,
    // B as the one to move to).
    let mut ws = Vec::new();
    let mut left = clients;
    let mut source = 2;
    while left > 0 {
        let n = left.min(PER_WORKER);
        ws.push(Worker::start(&d, n, source, &[targets[0].clone(), targets[1].clone()]).await?);
        left -= n;
        source += 1;
    }
    // The worker spreads connection i over targets[i % 2]: those on B stay; count only A's.
    for w in ws.iter_mut() {
        w.report().await?;
    }
    let mut publisher = Publisher::connect(&d).await?; // on B, the last
    let mut killed_at = 0;
    for n in 1..=60u64 {
        publisher.publish(n).await?;
        if n == 20 {
            let a = d.servers.remove(0);
            let mut child = a.child;
            child.start_kill()?;
            let _ = child.wait().await;
            killed_at = crate::worker::now_us();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    publisher.finish().await?;
    let mut reports = Vec::new();
    for w in ws.iter_mut() {
        reports.push(w.report().await?);
    }
    let reconnected: u64 = reports.iter().map(|r| r.reconnects).sum();
    // Every client should have every update, once: count what is missing at the end too, not
    // only gaps (a client that never came back would have none).
    let received: u64 = reports.iter().map(|r| r.received).sum();
    let duplicated: u64 = reports.iter().map(|r| r.duplicated).sum();
    let missing = (clients as u64 * 60).saturating_sub(received - duplicated);
    let last = reports
        .iter()
        .filter_map(|r| r.last_reconnect_us)
        .max()
        .unwrap_or(killed_at);
    Ok(Storm {
        clients,
        reconnected,
        missing,
        duplicated,
        recover_ms: last.saturating_sub(killed_at) as f64 / 1000.0,
    })
}

/// Vote storm: everyone votes into one poll at once; the tally must be exact.
struct Votes {
    voters: usize,
    ballots_per_s: f64,
    exact: bool,
    result_updates: u64,
}

/// W8: a soak. Connections held for a long time under steady traffic: does memory settle?
struct Soak {
    connections: usize,
    minutes: f64,
    deliveries: u64,
    missing: u64,
    rss_start: u64,
    rss_peak: u64,
    rss_end: u64,
    /// Least-squares slope of RSS over the run, bytes per minute.
    slope_per_min: f64,
}

async fn w8(opts: &Options, connections: usize, length: Duration) -> anyhow::Result<Soak> {
    let d = Deployment::start(opts, System::Plenum, 1).await?;
    let mut ws = workers(&d, connections, 2, &d.targets()).await?;
    for w in ws.iter_mut() {
        w.report().await?; // count from here
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let mut publisher = Publisher::connect(&d).await?;
    let started = Instant::now();
    let rss_start = d.rss();
    let mut samples: Vec<(f64, f64)> = Vec::new();
    let mut rss_peak = rss_start;
    let mut n = 0u64;
    // Steady traffic: two stage changes a second to everyone, RSS sampled every second.
    while started.elapsed() < length {
        n += 1;
        publisher.publish(n).await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        if n.is_multiple_of(2) {
            let rss = d.rss();
            rss_peak = rss_peak.max(rss);
            samples.push((started.elapsed().as_secs_f64() / 60.0, rss as f64));
        }
    }
    let expected = connections as u64 * n;
    let settle = Instant::now();
    loop {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let mut got = 0;
        for w in ws.iter_mut() {
            got += w.count().await?;
        }
        if got >= expected || settle.elapsed() > Duration::from_secs(30) {
            break;
        }
    }
    let rss_end = d.rss();
    d.check_alive()?;
    publisher.finish().await?;
    let mut reports = Vec::new();
    for w in ws.iter_mut() {
        reports.push(w.report().await?);
    }
    let Merged {
        received,
        duplicated,
        ..
    } = merge(&reports, 1..=n)?;
    let deliveries = received.saturating_sub(duplicated);
    let (k, mx, my) = (
        samples.len() as f64,
        samples.iter().map(|s| s.0).sum::<f64>() / samples.len().max(1) as f64,
        samples.iter().map(|s| s.1).sum::<f64>() / samples.len().max(1) as f64,
    );
    let cov: f64 = samples.iter().map(|(x, y)| (x - mx) * (y - my)).sum();
    let var: f64 = samples.iter().map(|(x, _)| (x - mx) * (x - mx)).sum();
    let slope_per_min = if k > 1.0 && var > 0.0 { cov / var } else { 0.0 };
    drop(ws);
    Ok(Soak {
        connections,
        minutes: started.elapsed().as_secs_f64() / 60.0,
        deliveries,
        missing: expected.saturating_sub(deliveries),
        rss_start,
        rss_peak,
        rss_end,
        slope_per_min,
    })
}

/// W7: a long event, restarted. What a restart costs after a two-day event's worth of writes:
/// the time until the server answers again, and each room's first join (which loads the room:
/// its snapshot and the events after it, or, without snapshots, its whole log).
struct Restart {
    events: u64,
    ready_ms: f64,
    busiest_join_ms: f64,
    all_joins_ms: f64,
}

async fn w7(
    opts: &Options,
    snapshot_every: u64,
    rooms: usize,
    per_room: usize,
    busiest: usize,
) -> anyhow::Result<Restart> {
    const CODE: &str = "LONG";
    let dir = tempfile::tempdir()?;
    let every = snapshot_every.to_string();
    let extra = ["--snapshot-every", every.as_str()];
    let mut server = launch_plenum(opts, dir.path(), None, None, &extra).await?;
    let key = server.key.clone().context("key")?;
    let http = http_client();
    let base = format!("http://{}", server.addr);
    let sessions: Vec<serde_json::Value> = (0..rooms)
        .map(|i| {
            serde_json::json!({"id": format!("s{i}"), "title": format!("Session {i}"),
                "kind": "breakout", "day": 1 + i % 2, "start": "09:00", "end": "17:00"})
        })
        .collect();
    let event = serde_json::json!({
        "code": CODE, "title": "Two days", "time_zone": "Europe/Brussels", "languages": ["en"],
        "agenda": {"days": [{"number": 1, "date": "2026-11-23"}, {"number": 2, "date": "2026-11-24"}],
            "sessions": sessions}
    });
    let r = http
        .post(format!("{base}/api/events"))
        .bearer_auth(&key)
        .json(&event)
        .send()
        .await?;
    anyhow::ensure!(
        r.status().as_u16() == 201,
        "creating the event: {}",
        r.status()
    );
    // The writes: stage changes, one event each, the busiest room (s0) the most. Eight
    // writers at a time.
    let mut work: Vec<(usize, usize)> = Vec::new();
    for room in 0..rooms {
        let n = if room == 0 { busiest } else { per_room };
        work.extend((0..n).map(|i| (room, i)));
    }
    let events = work.len() as u64;
    let work = std::sync::Arc::new(std::sync::Mutex::new(work));
    let mut writers = Vec::new();
    for _ in 0..8 {
        let (work, http, base, key) = (work.clone(), http.clone(), base.clone(), key.clone());
        writers.push(tokio::spawn(async move {
            loop {
                let Some((room, i)) = work.lock().unwrap().pop() else {
                    return Ok::<_, anyhow::Error>(());
                };
                let status = ["live", "paused"][i % 2];
                let body = serde_json::json!({"status": status,
                    "on_stage": {"kind": "text", "text": format!("Item {i} of a long day")}});
                let r = http
                    .post(format!("{base}/api/events/{CODE}/sessions/s{room}/stage"))
                    .bearer_auth(&key)
                    .json(&body)
                    .send()
                    .await?;
                anyhow::ensure!(r.status().is_success(), "stage change: {}", r.status());
            }
        }));
    }
    for w in writers {
        w.await??;
    }
    // Restart on the same data directory.
    let _ = std::process::Command::new("kill")
        .arg("-TERM")
        .arg(server.pid.to_string())
        .status();
    let _ = server.child.wait().await;
    let started = Instant::now();
    let server = launch_plenum(opts, dir.path(), None, Some(&key), &extra).await?;
    let base = format!("http://{}", server.addr);
    loop {
        let ok = http
            .get(format!("{base}/readyz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success());
        if ok {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let ready_ms = started.elapsed().as_secs_f64() * 1000.0;
    let r: serde_json::Value = http
        .post(format!("{base}/api/events/{CODE}/join"))
        .json(&serde_json::json!({"name": "First"}))
        .send()
        .await?
        .json()
        .await?;
    let token = r["token"].as_str().context("token")?.to_owned();
    // At most 32 rooms per connection: one connection joins them all.
    anyhow::ensure!(rooms <= 32, "W7 joins every room on one connection");
    let (mut ws, _) = tokio_tungstenite::connect_async_with_config(
        format!("ws://{}/ws", server.addr),
        None,
        true,
    )
    .await?;
    let hello = serde_json::json!({"type": "hello", "versions": [1], "token": token});
    ws.send(Message::text(hello.to_string())).await?;
    ws.next().await;
    // Each room's first join: the time until its snapshot arrives.
    let mut joins = Vec::new();
    for room in 0..rooms {
        let t = Instant::now();
        let join = serde_json::json!({"id": room + 1, "type": "join", "room": format!("session:{CODE}:s{room}")});
        ws.send(Message::text(join.to_string())).await?;
        loop {
            let Some(Ok(Message::Text(t))) = ws.next().await else {
                bail!("closed while joining")
            };
            if t.contains("\"type\":\"snapshot\"") {
                break;
            }
        }
        joins.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(Restart {
        events,
        ready_ms,
        busiest_join_ms: joins[0],
        all_joins_ms: joins.iter().sum(),
    })
}

type PlenumWs =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A Plenum WebSocket that has said hello with `token` (no Nagle: requests go out at once).
async fn connect(addr: &str, token: &str) -> anyhow::Result<PlenumWs> {
    let (mut ws, _) =
        tokio_tungstenite::connect_async_with_config(format!("ws://{addr}/ws"), None, true).await?;
    let hello = plenum_protocol::ClientMsg::Hello {
        versions: vec![1],
        token: token.to_owned(),
    };
    ws.send(Message::text(serde_json::to_string(&hello)?))
        .await?;
    ws.next().await;
    Ok(ws)
}

/// Sends `msg` with request id `id`; its answer (ok or error).
async fn request(
    ws: &mut PlenumWs,
    id: u64,
    msg: &plenum_protocol::ClientMsg,
) -> anyhow::Result<serde_json::Value> {
    let mut v = serde_json::to_value(msg)?;
    v["id"] = id.into();
    ws.send(Message::text(v.to_string())).await?;
    loop {
        let Some(Ok(Message::Text(t))) = ws.next().await else {
            bail!("closed")
        };
        let v: serde_json::Value = serde_json::from_str(&t)?;
        if v["id"] == id && (v["type"] == "ok" || v["type"] == "error") {
            return Ok(v);
        }
    }
}

/// The bench event's code and its session `s1`.
fn bench_ids() -> anyhow::Result<(EventCode, SessionId)> {
    Ok((
        EventCode::parse(EVENT).map_err(|e| anyhow::anyhow!("{e:?}"))?,
        SessionId::parse("s1").map_err(|e| anyhow::anyhow!("{e:?}"))?,
    ))
}

/// A single-choice poll between four pitches.
fn four_pitches() -> PollKind {
    PollKind::Single {
        options: (0..4).map(|i| format!("Pitch {i}")).collect(),
    }
}

/// Joins the bench event over HTTP as `name`; the person's token.
async fn join_token(http: &reqwest::Client, addr: &str, name: &str) -> anyhow::Result<String> {
    let r: serde_json::Value = http
        .post(format!("http://{addr}/api/events/{EVENT}/join"))
        .json(&serde_json::json!({"name": name}))
        .send()
        .await?
        .json()
        .await?;
    Ok(r["token"]
        .as_str()
        .with_context(|| format!("joining: {r}"))?
        .to_owned())
}

/// Creates a poll of `kind` with live results in session `s1` and opens it, as `organiser`
/// (request ids 1 and 2); the poll's id.
async fn open_live_poll(
    organiser: &mut PlenumWs,
    question: &str,
    kind: PollKind,
) -> anyhow::Result<plenum_protocol::PollId> {
    let (ev, s1) = bench_ids()?;
    let poll = PollDraft {
        question: question.into(),
        kind,
        visibility: ResultsVisibility::Live,
        duration_s: None,
    };
    let created = request(
        organiser,
        1,
        &ClientMsg::CreatePoll {
            event: ev.clone(),
            session: s1.clone(),
            poll,
        },
    )
    .await?;
    let poll: plenum_protocol::PollId = serde_json::from_value(created["poll"].clone())
        .with_context(|| format!("creating the poll: {created}"))?;
    let opened = request(
        organiser,
        2,
        &ClientMsg::RunPoll {
            event: ev,
            session: s1,
            poll,
            step: PollStep::Open,
        },
    )
    .await?;
    anyhow::ensure!(opened["type"] == "ok", "opening the poll: {opened}");
    Ok(poll)
}

/// W9: a session grown huge (5,000 questions and 2,000 long open-text answers): joining it, and
/// paging through it. Every frame stays within 64 KiB (the test suite checks it); here, the time.
struct Large {
    questions: usize,
    answers: usize,
    snapshot_bytes: usize,
    join_ms: Vec<f64>,
    pages: usize,
    /// The median time from a `page` request to its answer.
    page_ms: f64,
}

async fn w9(opts: &Options, questions: usize, answers: usize) -> anyhow::Result<Large> {
    use plenum_protocol::{Answer, ClientMsg, Listing, PollKind, RoomId};
    let d = Deployment::start(opts, System::Plenum, 1).await?;
    let addr = d.servers[0].addr.clone();
    let key = d.servers[0].key.clone().context("key")?;
    let (ev, s1) = bench_ids()?;
    let http = http_client();
    let long = |n: usize| format!("{n} {}", "🙂".repeat(490));
    // People: each asks five questions (a person's burst) and answers once.
    let people = answers.max(questions.div_ceil(5));
    let mut tasks = Vec::new();
    for chunk in (0..people).collect::<Vec<_>>().chunks(people.div_ceil(8)) {
        let (chunk, addr, http, ev, s1) = (
            chunk.to_vec(),
            addr.clone(),
            http.clone(),
            ev.clone(),
            s1.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut conns = Vec::new();
            for i in chunk {
                let token = join_token(&http, &addr, &format!("P{i}")).await?;
                let ws = connect(&addr, &token).await?;
                conns.push((i, ws));
            }
            for (i, ws) in &mut conns {
                for k in 0..5 {
                    if *i * 5 + k < questions {
                        let ask = ClientMsg::Ask {
                            event: ev.clone(),
                            session: s1.clone(),
                            text: long(*i * 5 + k),
                            anonymous: false,
                        };
                        let a = request(ws, k as u64 + 1, &ask).await?;
                        anyhow::ensure!(a["type"] == "ok", "ask: {a}");
                    }
                }
            }
            Ok::<_, anyhow::Error>(conns)
        }));
    }
    let mut conns = Vec::new();
    for t in tasks {
        conns.extend(t.await??);
    }
    let mut organiser = connect(&addr, &key).await?;
    let id = open_live_poll(
        &mut organiser,
        "What should change?",
        PollKind::OpenText { moderated: false },
    )
    .await?;
    for (i, ws) in conns.iter_mut().take(answers) {
        let vote = ClientMsg::Vote {
            event: ev.clone(),
            session: s1.clone(),
            poll: id,
            answer: Answer::Text { text: long(*i) },
        };
        let a = request(ws, 100, &vote).await?;
        anyhow::ensure!(a["type"] == "ok", "vote: {a}");
    }
    drop(conns);
    tokio::time::sleep(Duration::from_millis(500)).await;
    // Twenty newcomers join in turn: the time until their snapshot arrives.
    let room = RoomId::Session(ev.clone(), s1.clone());
    let mut join_ms = Vec::new();
    let mut snapshot_bytes = 0;
    let token = d.token.clone();
    for _ in 0..20 {
        let mut ws = connect(&addr, &token).await?;
        let t = Instant::now();
        let join = serde_json::json!({"id": 1, "type": "join", "room": room.to_string()});
        ws.send(Message::text(join.to_string())).await?;
        loop {
            let Some(Ok(Message::Text(text))) = ws.next().await else {
                bail!("closed while joining")
            };
            if text.contains("\"type\":\"snapshot\"") {
                snapshot_bytes = text.len();
                break;
            }
        }
        join_ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    join_ms.sort_by(f64::total_cmp);
    // One of them pages through every question.
    let mut ws = connect(&addr, &token).await?;
    let join = serde_json::json!({"id": 1, "type": "join", "room": room.to_string()});
    ws.send(Message::text(join.to_string())).await?;
    let (mut before, mut pages) = (None, 0);
    let mut page_ms = Vec::new();
    loop {
        pages += 1;
        // A connection may make 20 requests a second: page at that pace, timing each answer.
        tokio::time::sleep(Duration::from_millis(50)).await;
        let t = Instant::now();
        let page = ClientMsg::Page {
            room: room.clone(),
            of: Listing::Questions,
            before,
        };
        let mut v = serde_json::to_value(&page)?;
        v["id"] = (pages as u64 + 10).into();
        ws.send(Message::text(v.to_string())).await?;
        let answer = loop {
            let Some(Ok(Message::Text(text))) = ws.next().await else {
                bail!("closed while paging")
            };
            let v: serde_json::Value = serde_json::from_str(&text)?;
            if v["type"] == "page" {
                break v;
            }
            anyhow::ensure!(v["type"] != "error", "paging: {v}");
        };
        page_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        before = answer["questions"]
            .as_array()
            .and_then(|q| q.last())
            .and_then(|q| q["id"].as_u64());
        if answer["more"] != true {
            break;
        }
    }
    Ok(Large {
        questions,
        answers,
        snapshot_bytes,
        join_ms,
        pages,
        page_ms: {
            page_ms.sort_by(f64::total_cmp);
            page_ms[page_ms.len() / 2]
        },
    })
}

/// W10's page loads, in milliseconds from navigation, one entry per run.
#[derive(Debug, serde::Deserialize)]
struct Wifi {
    form: Vec<f64>,
    client: Vec<f64>,
    agenda: Vec<f64>,
}

/// W10: the demo event's join page and agenda loaded `runs` times each by Chromium under its
/// network and CPU emulation of venue Wi-Fi (`bench/peers/venue-wifi.js`).
async fn w10(opts: &Options, runs: usize) -> anyhow::Result<Wifi> {
    anyhow::ensure!(
        opts.web_dir.join("index.html").is_file(),
        "W10 needs the built client in {} (scripts/build-client)",
        opts.web_dir.display()
    );
    let dir = tempfile::tempdir()?;
    let web = opts.web_dir.display().to_string();
    let server =
        launch_plenum(opts, dir.path(), None, None, &["--demo", "--web-dir", &web]).await?;
    let base = format!("http://{}", server.addr);
    let r: serde_json::Value = http_client()
        .post(format!("{base}/api/events/ECC2026/join"))
        .json(&serde_json::json!({"name": "Returning"}))
        .send()
        .await?
        .json()
        .await?;
    let token = r["token"].as_str().context("token")?.to_owned();
    let out = pinned(LOAD_CORE, "node")
        .arg(opts.peers_dir.join("venue-wifi.js"))
        .args([&base, "ECC2026", &token, &runs.to_string()])
        .env("NODE_PATH", &opts.peers_modules)
        .stderr(Stdio::inherit())
        .output()
        .await
        .context("running venue-wifi.js")?;
    anyhow::ensure!(out.status.success(), "venue-wifi.js failed: {}", out.status);
    let mut wifi: Wifi = serde_json::from_slice(&out.stdout).context("venue-wifi.js's answer")?;
    for v in [&mut wifi.form, &mut wifi.client, &mut wifi.agenda] {
        v.sort_by(f64::total_cmp);
    }
    drop(server);
    Ok(wifi)
}

async fn w3(opts: &Options, voters: usize) -> anyhow::Result<Votes> {
    use plenum_protocol::{Answer, ClientMsg, PollStep};
    let d = Deployment::start(opts, System::Plenum, 1).await?;
    let addr = d.servers[0].addr.clone();
    let key = d.servers[0].key.clone().context("key")?;
    let (ev, s1) = bench_ids()?;
    let http = http_client();
    let mut organiser = connect(&addr, &key).await?;
    let id = open_live_poll(&mut organiser, "Best pitch?", four_pitches()).await?;
    let run = |step| ClientMsg::RunPoll {
        event: ev.clone(),
        session: s1.clone(),
        poll: id,
        step,
    };
    let mut people = Vec::new();
    for i in 0..voters {
        let token = join_token(&http, &addr, &format!("V{i}")).await?;
        people.push(connect(&addr, &token).await?);
    }
    // An observer counts the result updates the storm costs (it joins once everyone is here).
    let observer_token = d.token.clone();
    let mut observer = connect(&addr, &observer_token).await?;
    let join = serde_json::json!({"id": 1, "type": "join", "room": format!("session:{EVENT}:s1")});
    observer.send(Message::text(join.to_string())).await?;
    let counting = tokio::spawn(async move {
        let mut updates = 0u64;
        // Until 3 s pass with nothing (the storm and its last tally are over).
        while let Ok(Some(Ok(msg))) =
            tokio::time::timeout(Duration::from_secs(3), observer.next()).await
        {
            if let Message::Text(t) = msg
                && t.contains("\"poll_results\"")
            {
                updates += 1;
            }
        }
        updates
    });
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (i, mut ws) in people.into_iter().enumerate() {
        let vote = ClientMsg::Vote {
            event: ev.clone(),
            session: s1.clone(),
            poll: id,
            answer: Answer::Single {
                option: (i % 4) as u32,
            },
        };
        tasks.push(tokio::spawn(async move {
            request(&mut ws, 1, &vote).await.map(|v| v["type"] == "ok")
        }));
    }
    let mut ok = 0;
    for t in tasks {
        if t.await?? {
            ok += 1;
        }
    }
    let elapsed = started.elapsed();
    let closed = request(&mut organiser, 3, &run(PollStep::Close)).await?;
    anyhow::ensure!(closed["type"] == "ok", "closing: {closed}");
    let updates = counting.await?;
    // The exact tally, as a newcomer sees it.
    let mut check = connect(&addr, &d.token).await?;
    check.send(Message::text(join.to_string())).await?;
    let mut exact = false;
    while let Ok(Some(Ok(Message::Text(t)))) =
        tokio::time::timeout(Duration::from_secs(5), check.next()).await
    {
        if t.contains("\"snapshot\"") {
            let v: serde_json::Value = serde_json::from_str(&t)?;
            let q = voters as u64 / 4;
            let want: Vec<u64> = (0..4)
                .map(|i| q + u64::from((i as usize) < voters % 4))
                .collect();
            let polls = v["state"]["polls"].as_array().cloned().unwrap_or_default();
            exact = ok == voters
                && polls.iter().any(|p| {
                    p["ballots"] == voters as u64
                        && p["results"]["counts"] == serde_json::json!(want)
                });
            break;
        }
    }
    Ok(Votes {
        voters,
        ballots_per_s: voters as f64 / elapsed.as_secs_f64(),
        exact,
        result_updates: updates,
    })
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_default();
    // Not available_parallelism: the suite itself runs pinned to one core.
    let cores = std::fs::read_to_string("/proc/cpuinfo").map_or(0, |c| {
        c.lines().filter(|l| l.starts_with("processor")).count()
    });
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines().next().map(|l| {
                l.split_whitespace()
                    .nth(1)
                    .unwrap_or("0")
                    .parse::<u64>()
                    .unwrap_or(0)
                    / 1024
                    / 1024
            })
        })
        .unwrap_or(0);
    let version = |cmd: &str, arg: &str| {
        std::process::Command::new(cmd)
            .arg(arg)
            .output()
            .ok()
            .map(|o| {
                String::from_utf8_lossy(&o.stdout)
                    .lines()
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_owned()
            })
            .unwrap_or_default()
    };
    format!(
        "{cpu}, {cores} cores, {mem} GiB; Linux {}; node {}; {}",
        version("uname", "-r"),
        version("node", "--version"),
        version("redis-server", "--version")
    )
}

fn kib(b: f64) -> String {
    format!("{:.1} KiB", b / 1024.0)
}

fn ratio(a: f64, b: f64) -> String {
    if b <= 0.0 {
        "–".into()
    } else {
        format!("{:.1}×", a / b)
    }
}

/// Runs every workload and writes the report.
pub async fn run(opts: Options) -> anyhow::Result<()> {
    let q = opts.quick;
    let started = Instant::now();
    let mut md = String::new();
    let mode = if q {
        "quick (a smoke test: small numbers, not results)"
    } else {
        "full"
    };
    writeln!(md, "# Benchmarks\n")?;
    writeln!(
        md,
        "Plenum against a Socket.IO server with its Redis adapter and a plain `ws` broadcast server (`bench/peers`), on the same machine in the same run. Servers are pinned to core 0, the load generator to core 1 (`taskset`). Mode: {mode}.\n"
    )?;
    writeln!(md, "- Machine: {}", machine())?;
    writeln!(
        md,
        "- Reproduce: `./scripts/bench` (full) or `./scripts/bench --quick`; this file is its output."
    )?;
    writeln!(
        md,
        "- Latency is from the publisher's clock when it sends an update (for Plenum, when it queues the HTTP request) to each receipt. An update a receiver never got (or not within 30 s) is missing; one received twice counts once.\n- Server CPU is every server process (Redis included where it is part of the deployment) plus the kernel's network work on the servers' core (ksoftirqd/0), to the nanosecond (schedstat); the user/kernel split is from clock ticks. The load generator's own CPU is not reported.\n- The peers broadcast a poll-result update of about 200 bytes; Plenum broadcasts a stage change of about 170 bytes through its whole path (checked, sequenced, committed to SQLite with synchronous=FULL, or to Redis with appendfsync everysec, then fanned out).\n"
    )?;

    let systems = [System::Plenum, System::SocketIo, System::Ws];
    // Broadcast numbers lost, per system, over every workload (W4's stopped clients aside).
    let mut lost = [0u64; 3];
    let index = |s: System| systems.iter().position(|x| *x == s).expect("a system");

    let mut idle = Vec::new();
    if opts.runs("w0") {
        let conns = opts.idle.unwrap_or(if q { 200 } else { 5_000 });
        writeln!(md, "## W0 idle connections ({conns})\n")?;
        writeln!(
            md,
            "| system | server RSS per connection, 2 s after joining | server RSS per connection at the idle window's end | kernel socket memory per connection | idle CPU (ms per s) |\n|---|---|---|---|---|"
        )?;
        // Long enough for Plenum's heartbeat (20 s) and Socket.IO's (25 s) to show.
        let idle_secs = if q { 2 } else { 30 };
        for s in systems {
            let r = w0(&opts, s, conns, Duration::from_secs(idle_secs)).await?;
            writeln!(
                md,
                "| {} | {} | {} | {} | {:.2} |",
                s.label(),
                kib(r.rss_per_conn),
                kib(r.rss_per_conn_settled),
                kib(r.kernel_per_conn),
                r.idle_cpu_ms_per_s
            )?;
            idle.push(r);
        }
        writeln!(
            md,
            "\nAfter the idle window, Plenum uses {} of Socket.IO's and {} of ws's memory per connection ({} and {} 2 s after joining). The idle window is {} s.\n",
            ratio(idle[0].rss_per_conn_settled, idle[1].rss_per_conn_settled),
            ratio(idle[0].rss_per_conn_settled, idle[2].rss_per_conn_settled),
            ratio(idle[0].rss_per_conn, idle[1].rss_per_conn),
            ratio(idle[0].rss_per_conn, idle[2].rss_per_conn),
            idle_secs
        )?;
    }

    let mut w1_plenum_19k = None;
    if opts.runs("w1") {
        let sizes: &[usize] = if !opts.attendees.is_empty() {
            &opts.attendees
        } else if q {
            &[200]
        } else {
            &[1_000, 5_000, 19_000]
        };
        let broadcasts = if q { 5 } else { 20 };
        writeln!(
            md,
            "## W1 broadcast from one instance ({broadcasts} updates, one every 500 ms)\n"
        )?;
        writeln!(
            md,
            "| attendees | system | deliveries | missing / twice | p50 | p99 | p99.9 | max | first / last attendee (median) | deliveries per server CPU-s | Plenum's ratio | server µs per delivery: user + kernel |\n|---|---|---|---|---|---|---|---|---|---|---|---|"
        )?;
        for &n in sizes {
            let mut rows = Vec::new();
            for s in systems {
                rows.push((s, w1(&opts, s, 1, n, broadcasts).await?));
            }
            let plenum = rows[0].1.per_cpu_second();
            for (s, r) in &rows {
                lost[index(*s)] += r.missing;
                let (user, kernel) = r.us_per_delivery();
                let vs = if *s == System::Plenum {
                    "–".into()
                } else {
                    ratio(plenum, r.per_cpu_second())
                };
                writeln!(
                    md,
                    "| {n} | {} | {} | {} / {} | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} / {:.1} ms | {:.0} | {vs} | {user:.1} + {kernel:.1} |",
                    s.label(),
                    r.deliveries,
                    r.missing,
                    r.duplicated,
                    r.p50_ms,
                    r.p99_ms,
                    r.p999_ms,
                    r.max_ms,
                    r.first_ms,
                    r.last_ms,
                    r.per_cpu_second()
                )?;
            }
            w1_plenum_19k = Some(rows[0].1.clone());
        }
        writeln!(md)?;
    }
    let broadcasts = if q { 5 } else { 20 };

    if opts.runs("w2") {
        let n = if q { 200 } else { 5_000 };
        writeln!(
            md,
            "## W2 broadcast across instances through Redis ({n} attendees; published on the last instance, received on the others)\n"
        )?;
        writeln!(
            md,
            "| instances | system | deliveries | missing | p50 | p99 | max | deliveries per server CPU-s (Redis included) | p99 added by crossing instances |\n|---|---|---|---|---|---|---|---|---|"
        )?;
        let one = w1(&opts, System::Plenum, 1, n, broadcasts).await?;
        let one_sio = w1(&opts, System::SocketIo, 1, n, broadcasts).await?;
        // The baseline, one instance, measured in this workload (run-to-run differences are
        // of the same order as what crossing adds: compare within this table).
        for (s, r) in [(System::Plenum, &one), (System::SocketIo, &one_sio)] {
            lost[index(s)] += r.missing;
            writeln!(
                md,
                "| 1 | {} | {} | {} | {:.1} ms | {:.1} ms | {:.1} ms | {:.0} | (baseline) |",
                s.label(),
                r.deliveries,
                r.missing,
                r.p50_ms,
                r.p99_ms,
                r.max_ms,
                r.per_cpu_second()
            )?;
        }
        for instances in [2, 3] {
            for (s, base) in [(System::Plenum, &one), (System::SocketIo, &one_sio)] {
                let r = w1(&opts, s, instances, n, broadcasts).await?;
                lost[index(s)] += r.missing;
                writeln!(
                    md,
                    "| {instances} | {} | {} | {} | {:.1} ms | {:.1} ms | {:.1} ms | {:.0} | {:+.1} ms |",
                    s.label(),
                    r.deliveries,
                    r.missing,
                    r.p50_ms,
                    r.p99_ms,
                    r.max_ms,
                    r.per_cpu_second(),
                    r.p99_ms - base.p99_ms
                )?;
            }
        }
        writeln!(
            md,
            "\n`ws` has no way to span instances and is not in this table.\n"
        )?;
    }

    if opts.runs("w3") {
        let voters = if q { 100 } else { 2_000 };
        let v = w3(&opts, voters).await?;
        writeln!(
            md,
            "## W3 vote storm (Plenum; {voters} people vote in one poll at once)\n"
        )?;
        writeln!(
            md,
            "| voters | ballots per second | final tally exact | result updates broadcast |\n|---|---|---|---|"
        )?;
        writeln!(
            md,
            "| {} | {:.0} | {} | {} |\n",
            v.voters,
            v.ballots_per_s,
            if v.exact { "yes" } else { "**no**" },
            v.result_updates
        )?;
        writeln!(
            md,
            "Results are coalesced (at most one update every 250 ms), so {voters} ballots cost {} broadcasts instead of {voters}. The peers have no polls: they relay what they are given.\n",
            v.result_updates
        )?;
    }

    if opts.runs("w4") {
        let n = if q { 200 } else { 5_000 };
        writeln!(
            md,
            "## W4 slow consumers ({n} attendees, 5% of them stopped with SIGSTOP; {broadcasts} updates one every 20 ms)\n"
        )?;
        writeln!(
            md,
            "| system | others' p99 before | others' p99 with slow consumers | others missing | server RSS before | server RSS peak with slow consumers |\n|---|---|---|---|---|---|"
        )?;
        for s in systems {
            let (base, slow, _) = w4(&opts, s, n, broadcasts).await?;
            lost[index(s)] += base.missing + slow.missing;
            writeln!(
                md,
                "| {} | {:.1} ms | {:.1} ms | {} | {:.1} MiB | {:.1} MiB |",
                s.label(),
                base.p99_ms,
                slow.p99_ms,
                slow.missing,
                slow.rss_before as f64 / 1048576.0,
                slow.rss_max as f64 / 1048576.0
            )?;
        }
        writeln!(
            md,
            "\n{broadcasts} small updates fit in a stopped client's socket buffers, so no server here met backpressure: this shows that a short stall of a few clients costs the others nothing and the servers little memory. (Updates come every 20 ms, faster than one fan-out to this many, so every p99 here is a backlog.) A longer stall fills the buffers; then Plenum closes the connection when its queue of 256 frames is full, and the client resumes when it wakes (`tests/tests/live.rs`).\n"
        )?;
    }

    if opts.runs("w5") {
        let n = if q { 200 } else { 5_000 };
        let s = w5(&opts, n).await?;
        lost[0] += s.missing;
        writeln!(
            md,
            "## W5 reconnect storm (Plenum, 2 instances and Redis; {n} clients, the instance holding half of them killed with SIGKILL)\n"
        )?;
        writeln!(
            md,
            "| clients | reconnects (each resumed) | updates missing | received twice | time until the last one resumed |\n|---|---|---|---|---|"
        )?;
        writeln!(
            md,
            "| {} | {} | {} | {} | {:.0} ms |\n",
            s.clients, s.reconnected, s.missing, s.duplicated, s.recover_ms
        )?;
        writeln!(
            md,
            "Socket.IO and ws clients reconnect too, but neither protocol resumes: what was broadcast while they were away is gone.\n"
        )?;
    }

    if opts.runs("w6") {
        let sizes: &[usize] = if !opts.attendees.is_empty() {
            &opts.attendees
        } else if q {
            &[200]
        } else {
            &[1_000, 10_000]
        };
        let seconds = if q { 3 } else { 10 };
        writeln!(
            md,
            "## W6 a plenary under fire ({seconds} s: a ballot and an upvote every 250 ms, tallies coalesced to 4 a second; a stage change every 500 ms; a new question every second; someone joining or leaving every 500 ms)\n\nFrames are everything the attendees received; latency and loss are measured on the stage changes. Plenum's frames come from its real sources (people voting, upvoting and asking, the organiser over HTTP); the peers relay the same mix from a publisher. `ws, corked per turn` writes what one turn of Node's event loop sends to one socket in one write.\n"
        )?;
        writeln!(
            md,
            "| attendees | system | frames | stage changes missing / twice | p50 | p99 | last attendee (median) | frames per server CPU-s | Plenum's ratio | server µs per frame: user + kernel | frames per write |\n|---|---|---|---|---|---|---|---|---|---|---|"
        )?;
        for &n in sizes {
            let mut rows = Vec::new();
            for s in [System::Plenum, System::Ws, System::WsCork] {
                rows.push((s, fire::w6(&opts, s, n, seconds).await?));
            }
            let plenum = rows[0].1.per_cpu_second();
            for (s, r) in &rows {
                if *s != System::WsCork {
                    lost[index(*s)] += r.missing;
                }
                let (user, kernel) = r.us_per_frame();
                let vs = if *s == System::Plenum {
                    "–".into()
                } else {
                    ratio(plenum, r.per_cpu_second())
                };
                let per_write = r.per_write.map_or("–".into(), |w| format!("{w:.2}"));
                writeln!(
                    md,
                    "| {n} | {} | {} | {} / {} | {:.1} ms | {:.1} ms | {:.1} ms | {:.0} | {vs} | {user:.1} + {kernel:.1} | {per_write} |",
                    s.label(),
                    r.frames,
                    r.missing,
                    r.duplicated,
                    r.p50_ms,
                    r.p99_ms,
                    r.last_ms,
                    r.per_cpu_second()
                )?;
            }
        }
        writeln!(md)?;
    }

    if opts.runs("w7") {
        // A two-day event: 30 rooms of 2,000 events, the plenary 20,000 (quick: far fewer).
        let (rooms, per_room, busiest) = if q {
            (4, 150, 3_000)
        } else {
            (30, 2_000, 20_000)
        };
        writeln!(
            md,
            "## W7 restart after a long event (Plenum; {rooms} rooms, the busiest with {busiest} events, the others {per_room})\n"
        )?;
        writeln!(
            md,
            "| snapshots | events | restart until /readyz answers | first join of the busiest room | first joins of all {rooms} rooms |\n|---|---|---|---|---|"
        )?;
        let every = plenum_server::engine::SNAPSHOT_EVERY;
        for (label, snapshot_every) in [
            (format!("every {every} events"), every),
            ("none".to_owned(), 0),
        ] {
            let r = w7(&opts, snapshot_every, rooms, per_room, busiest).await?;
            writeln!(
                md,
                "| {label} | {} | {:.0} ms | {:.1} ms | {:.0} ms |",
                r.events, r.ready_ms, r.busiest_join_ms, r.all_joins_ms
            )?;
        }
        writeln!(
            md,
            "\nRooms are loaded on their first use, so a restart itself reads only the events' documents; each room's first join loads it: from its newest snapshot and the events after it (at most {every}), or, without snapshots, from its whole log.\n"
        )?;
    }

    if opts.runs("w9") {
        let (questions, answers) = if q { (500, 200) } else { (5_000, 2_000) };
        let l = w9(&opts, questions, answers).await?;
        writeln!(
            md,
            "## W9 a session grown huge (Plenum; {questions} questions and {answers} open-text answers of 500 characters)\n"
        )?;
        writeln!(
            md,
            "| questions | answers | snapshot | join, median of 20 | join, slowest | pages of every question | a page, median |\n|---|---|---|---|---|---|---|"
        )?;
        writeln!(
            md,
            "| {} | {} | {:.1} KiB | {:.1} ms | {:.1} ms | {} | {:.1} ms |\n",
            l.questions,
            l.answers,
            l.snapshot_bytes as f64 / 1024.0,
            l.join_ms[l.join_ms.len() / 2],
            l.join_ms.last().copied().unwrap_or_default(),
            l.pages,
            l.page_ms
        )?;
        writeln!(
            md,
            "A snapshot carries what matters now within 64 KiB (the review queue, the top and the newest questions, the open poll with a selection of its answers) and says what it left out; the rest comes in pages of at most 56 KiB.\n"
        )?;
    }

    if opts.runs("w11") {
        crate::seating::report(&mut md, q)?;
    }

    if opts.runs("w12") {
        let people = if q { 200 } else { 1_000 };
        let mut runs = Vec::new();
        for instances in [1, 2] {
            runs.push(cafe::run(&opts, people, instances).await?);
        }
        cafe::report(&mut md, &runs)?;
    }

    if opts.runs("w13") {
        crate::meetings::report(&mut md, q)?;
    }

    if opts.runs("w10") {
        let runs = if q { 1 } else { 3 };
        let w = w10(&opts, runs).await?;
        writeln!(
            md,
            "## W10 a phone on venue Wi-Fi (Plenum; Chromium's emulation: 1.6 Mbps down, 750 kbps up, 150 ms, a 4x slower CPU; empty cache; {runs} runs)\n"
        )?;
        writeln!(
            md,
            "| what | median | runs (fastest to slowest) | goal |\n|---|---|---|---|"
        )?;
        let seconds = |v: &[f64]| {
            v.iter()
                .map(|ms| format!("{:.2} s", ms / 1000.0))
                .collect::<Vec<_>>()
                .join(", ")
        };
        for (what, v, goal) in [
            ("the join page usable (the plain HTML form)", &w.form, "3 s"),
            ("the client started (its join page)", &w.client, ""),
            (
                "the agenda shown to a person who joined before",
                &w.agenda,
                "6 s",
            ),
        ] {
            writeln!(
                md,
                "| {what} | {:.2} s | {} | {goal} |",
                v[v.len() / 2] / 1000.0,
                seconds(v)
            )?;
        }
        writeln!(
            md,
            "\nThe files go brotli-compressed as built; the join form is the server's HTML, usable before the WebAssembly arrives; the page starts the downloads of its build and of the event while it is read.\n"
        )?;
    }

    if opts.runs("w8") {
        let (n, length) = if q {
            (300, Duration::from_secs(30))
        } else {
            (3_000, Duration::from_secs(20 * 60))
        };
        let s = w8(&opts, n, length).await?;
        lost[0] += s.missing;
        writeln!(
            md,
            "## W8 soak (Plenum; {n} connections, two updates a second to all of them, {:.1} minutes)\n",
            s.minutes
        )?;
        writeln!(
            md,
            "| connections | deliveries | missing | RSS at start | peak | end | slope |\n|---|---|---|---|---|---|---|"
        )?;
        writeln!(
            md,
            "| {} | {} | {} | {:.1} MiB | {:.1} MiB | {:.1} MiB | {:+.1} KiB/min |\n",
            s.connections,
            s.deliveries,
            s.missing,
            s.rss_start as f64 / 1048576.0,
            s.rss_peak as f64 / 1048576.0,
            s.rss_end as f64 / 1048576.0,
            s.slope_per_min / 1024.0
        )?;
        writeln!(
            md,
            "RSS is sampled every second once every connection has joined; the slope is a least-squares fit over the run. A server that leaks per update or per person shows a slope that grows with the run's length.\n"
        )?;
    }

    // Targets
    if let (Some(r), Some(idle)) = (w1_plenum_19k, idle.first()) {
        writeln!(md, "## Against the targets\n")?;
        writeln!(
            md,
            "- Idle memory per connection ≤ 6 KiB: {} (RSS after the idle window; {} 2 s after joining) + {} (kernel).",
            kib(idle.rss_per_conn_settled),
            kib(idle.rss_per_conn),
            kib(idle.kernel_per_conn)
        )?;
        writeln!(
            md,
            "- At {} attendees on one instance, the last attendee has an update within {:.1} ms (median over broadcasts); p99 of all receipts {:.1} ms (target 25 ms).",
            r.receivers, r.last_ms, r.p99_ms
        )?;
    }
    writeln!(
        md,
        "\n- Updates missed by a receiver, all workloads: Plenum {}; Socket.IO {}; ws {}.",
        lost[0], lost[1], lost[2]
    )?;
    writeln!(
        md,
        "\nThe whole run took {:.0} s.",
        started.elapsed().as_secs_f64()
    )?;
    std::fs::write(&opts.out, md)?;
    Ok(())
}

/// Where `scripts/setup` puts the peers' modules, or the checkout's own install.
pub fn default_peers_modules(root: &Path) -> PathBuf {
    let cache = std::env::var_os("PLENUM_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/plenum")
        });
    let cached = cache.join("peers/node_modules");
    if cached.is_dir() {
        cached
    } else {
        root.join("bench/peers/node_modules")
    }
}
