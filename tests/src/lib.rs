//! The one harness every integration test goes through: a real server on 127.0.0.1:0 (in this
//! process, or as a child process that can be killed), an HTTP helper, and a WebSocket client
//! that speaks the protocol as the browser client does.
//!
//! Module map: everything is here; tests live in `tests/tests/*.rs`, one file per capability.

use anyhow::{Context as _, anyhow, bail};
use futures_util::{SinkExt, StreamExt};
use plenum_protocol::{
    ClientFrame, ClientMsg, QaState, RoomEvent, RoomId, RoomState, Seq, ServerMsg, SessionState,
};
use serde_json::Value;
use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    process::Stdio,
    time::Duration,
};
use tokio::{
    io::{AsyncBufReadExt, BufReader},
    net::TcpStream,
};
use tokio_tungstenite::{
    MaybeTlsStream, WebSocketStream,
    tungstenite::{self, Message, client::IntoClientRequest},
};

/// How long a test waits for any one expected thing before failing.
pub const WAIT: Duration = Duration::from_secs(15);

/// The workspace root (the directory with the top-level Cargo.toml).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

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
}

/// A server running inside the test process.
pub struct TestServer {
    pub addr: SocketAddr,
    pub organiser_key: String,
    pub data_dir: PathBuf,
    running: Option<plenum_server::Running>,
    config: TestConfig,
    _temp: Option<tempfile::TempDir>,
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
        let mut child = tokio::process::Command::new(binary)
            .arg("--bind")
            .arg("127.0.0.1:0")
            .arg("--data-dir")
            .arg(data_dir)
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

/// A small HTTP client for the API. Cloning shares its connection pool.
#[derive(Clone)]
pub struct Http {
    base: String,
    client: reqwest::Client,
}

/// An HTTP answer: status and JSON body (or `Value::Null`).
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub body: Value,
}

impl Http {
    pub fn new(addr: SocketAddr) -> Http {
        Http {
            base: format!("http://{addr}"),
            client: reqwest::Client::new(),
        }
    }

    pub async fn send(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> anyhow::Result<Answer> {
        let method = reqwest::Method::from_bytes(method.as_bytes())?;
        let mut req = self.client.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        self.finish(req).await
    }

    /// Sends `body` verbatim as JSON (for malformed documents).
    pub async fn send_raw(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: &str,
    ) -> anyhow::Result<Answer> {
        let method = reqwest::Method::from_bytes(method.as_bytes())?;
        let mut req = self
            .client
            .request(method, format!("{}{path}", self.base))
            .header("content-type", "application/json")
            .body(body.to_owned());
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        self.finish(req).await
    }

    async fn finish(&self, req: reqwest::RequestBuilder) -> anyhow::Result<Answer> {
        let resp = req.send().await?;
        let status = resp.status().as_u16();
        let text = resp.text().await?;
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Ok(Answer { status, body })
    }

    pub async fn get(&self, path: &str) -> anyhow::Result<Answer> {
        self.send("GET", path, None, None).await
    }

    /// Joins `event` as an attendee and returns the token.
    pub async fn join(&self, event: &str, name: Option<&str>) -> anyhow::Result<String> {
        let body = match name {
            Some(n) => serde_json::json!({ "name": n }),
            None => serde_json::json!({}),
        };
        let a = self
            .send(
                "POST",
                &format!("/api/events/{event}/join"),
                None,
                Some(&body),
            )
            .await?;
        anyhow::ensure!(a.status == 200, "join answered {}: {}", a.status, a.body);
        Ok(a.body["token"].as_str().context("token")?.to_owned())
    }

    /// Sets a session's stage as `token`; returns the new sequence number.
    pub async fn set_stage(
        &self,
        token: &str,
        event: &str,
        session: &str,
        body: Value,
    ) -> anyhow::Result<Answer> {
        self.send(
            "POST",
            &format!("/api/events/{event}/sessions/{session}/stage"),
            Some(token),
            Some(&body),
        )
        .await
    }
}

/// The error code of a refusal; panics on anything else.
pub fn refused(msg: &ServerMsg) -> plenum_protocol::ErrorCode {
    match msg {
        ServerMsg::Error { code, .. } => *code,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// A small event with three sessions, for tests that do not need the demo.
pub fn small_event(code: &str) -> Value {
    serde_json::json!({
        "code": code,
        "title": "Regional workshop",
        "time_zone": "Europe/Stockholm",
        "languages": ["en", "sv"],
        "agenda": {
            "days": [{"number": 1, "date": "2026-03-10"}],
            "sessions": [
                {"id": "s1", "title": "Session 1", "kind": "plenary", "day": 1, "start": "09:00", "end": "10:00",
                 "contributions": [{"number": 1, "title": "Welcome", "speakers": [{"name": "Ann", "role": "Host", "organisation": "Region"}]},
                                   {"number": 2, "title": "Keynote"}]},
                {"id": "s2", "title": "Session 2", "kind": "workshop", "day": 1, "start": "10:30", "end": "12:00"},
                {"id": "s3", "title": "Session 3", "kind": "visit", "day": 1, "start": "13:00", "end": "15:00", "attendance": "onsite"}
            ]
        }
    })
}

/// Creates [`small_event`] on `server` as organiser.
pub async fn create_small_event(
    http: &Http,
    organiser_key: &str,
    code: &str,
) -> anyhow::Result<()> {
    let a = http
        .send(
            "POST",
            "/api/events",
            Some(organiser_key),
            Some(&small_event(code)),
        )
        .await?;
    anyhow::ensure!(
        a.status == 201,
        "create event answered {}: {}",
        a.status,
        a.body
    );
    Ok(())
}

/// A WebSocket client speaking the Plenum protocol.
pub struct Ws {
    stream: WebSocketStream<MaybeTlsStream<TcpStream>>,
    next_id: u64,
    pub welcome: Option<ServerMsg>,
}

/// How a connection ended, as seen by the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ended {
    /// A close frame with this code.
    Closed(u16),
    /// The TCP connection ended without a close frame.
    Dropped,
}

impl Ws {
    /// Connects and says hello with `token`; fails unless welcomed.
    pub async fn connect(url: &str, token: &str) -> anyhow::Result<Ws> {
        let mut ws = Self::connect_raw(url, None).await?;
        ws.send(
            &ClientMsg::Hello {
                versions: vec![1],
                token: token.to_owned(),
            },
            None,
        )
        .await?;
        match ws.recv().await? {
            m @ ServerMsg::Welcome { .. } => ws.welcome = Some(m),
            other => bail!("expected welcome, got {other:?}"),
        }
        Ok(ws)
    }

    /// Connects without saying hello, optionally with an Origin header.
    pub async fn connect_raw(url: &str, origin: Option<&str>) -> anyhow::Result<Ws> {
        let mut req = url.into_client_request()?;
        if let Some(o) = origin {
            req.headers_mut().insert("origin", o.parse()?);
        }
        let (stream, _) = tokio_tungstenite::connect_async(req).await?;
        Ok(Ws {
            stream,
            next_id: 1,
            welcome: None,
        })
    }

    /// Connects through a socket with a tiny receive buffer: a client that reads slowly.
    pub async fn connect_small_buffer(
        url: &str,
        addr: SocketAddr,
        token: &str,
    ) -> anyhow::Result<Ws> {
        let socket = tokio::net::TcpSocket::new_v4()?;
        socket.set_recv_buffer_size(4096)?;
        let tcp = socket.connect(addr).await?;
        let (stream, _) = tokio_tungstenite::client_async(url, MaybeTlsStream::Plain(tcp)).await?;
        let mut ws = Ws {
            stream,
            next_id: 1,
            welcome: None,
        };
        ws.send(
            &ClientMsg::Hello {
                versions: vec![1],
                token: token.to_owned(),
            },
            None,
        )
        .await?;
        ws.recv().await?;
        Ok(ws)
    }

    /// Sends a message with the given request id.
    pub async fn send(&mut self, msg: &ClientMsg, id: Option<u64>) -> anyhow::Result<()> {
        let frame = ClientFrame {
            id,
            msg: msg.clone(),
        };
        self.send_text(&serde_json::to_string(&frame)?).await
    }

    /// Sends any text frame, well-formed or not.
    pub async fn send_text(&mut self, text: &str) -> anyhow::Result<()> {
        self.stream.send(Message::text(text)).await?;
        Ok(())
    }

    /// Sends a request with a fresh id; returns the id.
    pub async fn request(&mut self, msg: &ClientMsg) -> anyhow::Result<u64> {
        let id = self.next_id;
        self.next_id += 1;
        self.send(msg, Some(id)).await?;
        Ok(id)
    }

    /// The next server message (skipping pings), or an error if the connection ends or
    /// nothing arrives within [`WAIT`].
    pub async fn recv(&mut self) -> anyhow::Result<ServerMsg> {
        match self.next_event(WAIT).await? {
            Ok(msg) => Ok(msg),
            Err(ended) => bail!("connection ended: {ended:?}"),
        }
    }

    /// The next message, or how the connection ended.
    pub async fn next_event(&mut self, wait: Duration) -> anyhow::Result<Result<ServerMsg, Ended>> {
        loop {
            let frame = tokio::time::timeout(wait, self.stream.next())
                .await
                .map_err(|_| anyhow!("nothing from the server within {wait:?}"))?;
            match frame {
                Some(Ok(Message::Text(t))) => {
                    return Ok(Ok(
                        serde_json::from_str(&t).with_context(|| format!("parsing {t}"))?
                    ));
                }
                Some(Ok(Message::Close(Some(f)))) => {
                    return Ok(Err(Ended::Closed(u16::from(f.code))));
                }
                Some(Ok(Message::Close(None))) => return Ok(Err(Ended::Closed(1005))),
                Some(Ok(_)) => continue,
                Some(Err(
                    tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed,
                ))
                | None => {
                    return Ok(Err(Ended::Dropped));
                }
                Some(Err(e)) => {
                    let _ = e;
                    return Ok(Err(Ended::Dropped));
                }
            }
        }
    }

    /// Reads until the connection ends; returns how.
    pub async fn until_closed(&mut self) -> anyhow::Result<Ended> {
        loop {
            if let Err(end) = self.next_event(WAIT).await? {
                return Ok(end);
            }
        }
    }

    /// Reads until `pick` returns `Some`, discarding everything before.
    pub async fn wait_for<T>(
        &mut self,
        mut pick: impl FnMut(&ServerMsg) -> Option<T>,
    ) -> anyhow::Result<T> {
        loop {
            let msg = self.recv().await?;
            if let Some(t) = pick(&msg) {
                return Ok(t);
            }
        }
    }

    /// The answer (ok or error) to request `id`.
    pub async fn reply(&mut self, id: u64) -> anyhow::Result<ServerMsg> {
        self.wait_for(|m| match m {
            ServerMsg::Ok { id: i, .. } if *i == id => Some(m.clone()),
            ServerMsg::Error { id: Some(i), .. } if *i == id => Some(m.clone()),
            _ => None,
        })
        .await
    }

    /// Joins a room and folds what arrives until `joined` into a mirror of the room.
    pub async fn join(
        &mut self,
        room: &RoomId,
        since: Option<Seq>,
        mirror: &mut Mirror,
    ) -> anyhow::Result<ServerMsg> {
        let id = self
            .request(&ClientMsg::Join {
                room: room.clone(),
                since,
            })
            .await?;
        loop {
            let msg = self.recv().await?;
            match &msg {
                ServerMsg::Joined { id: Some(i), .. } if *i == id => return Ok(msg),
                ServerMsg::Error { id: Some(i), .. } if *i == id => bail!("join refused: {msg:?}"),
                _ => mirror.take(&msg)?,
            }
        }
    }

    /// Closes from the client side.
    pub async fn close(mut self) {
        let _ = self.stream.close(None).await;
    }
}

/// A client's copy of one room, built exactly as the browser client builds it: a snapshot,
/// then events applied in order. It fails loudly on a gap or a duplicate.
#[derive(Debug, Clone)]
pub struct Mirror {
    pub room: RoomId,
    pub seq: Seq,
    pub state: Option<RoomState>,
    /// Every event applied, with its sequence number.
    pub events: Vec<(Seq, RoomEvent)>,
}

impl Mirror {
    pub fn new(room: RoomId) -> Mirror {
        Mirror {
            room,
            seq: 0,
            state: None,
            events: Vec::new(),
        }
    }

    /// Applies a server message if it concerns this room.
    pub fn take(&mut self, msg: &ServerMsg) -> anyhow::Result<()> {
        match msg {
            ServerMsg::Snapshot { room, seq, state } if room == &self.room => {
                self.seq = *seq;
                self.state = Some(state.clone());
            }
            ServerMsg::Event {
                room, seq, event, ..
            } if room == &self.room => {
                anyhow::ensure!(
                    *seq == self.seq + 1,
                    "room {room}: got seq {seq} after {}",
                    self.seq
                );
                let state = self
                    .state
                    .as_mut()
                    .context("an event before any snapshot")?;
                state
                    .apply(event)
                    .map_err(|_| anyhow!("event does not fit the room"))?;
                self.seq = *seq;
                self.events.push((*seq, event.clone()));
            }
            _ => {}
        }
        Ok(())
    }
}

/// A connected person following one room, with their own view of it.
pub struct Member {
    pub ws: Ws,
    pub view: Mirror,
    /// Their person id.
    pub id: String,
}

impl Member {
    /// A new attendee of `event`, following `room`.
    pub async fn attendee(server: &TestServer, event: &str, name: &str, room: &RoomId) -> Member {
        let ws = server.attendee(event, name).await;
        Self::following(ws, room).await
    }

    /// Someone invited to `event` as `role` (`moderator` or `speaker`), following `room`.
    pub async fn invited(
        server: &TestServer,
        event: &str,
        role: &str,
        name: &str,
        room: &RoomId,
    ) -> Member {
        Self::invited_for(server, event, role, name, &[], room).await
    }

    /// Like [`Member::invited`], with an invitation covering `sessions` only (all when empty).
    pub async fn invited_for(
        server: &TestServer,
        event: &str,
        role: &str,
        name: &str,
        sessions: &[&str],
        room: &RoomId,
    ) -> Member {
        let http = server.http();
        let invite = http
            .send(
                "POST",
                &format!("/api/events/{event}/invites"),
                Some(&server.organiser_key),
                Some(&serde_json::json!({"role": role, "name": name, "sessions": sessions})),
            )
            .await
            .expect("invite");
        assert_eq!(invite.status, 200, "invitation refused: {}", invite.body);
        let a = http
            .send(
                "POST",
                &format!("/api/events/{event}/join"),
                None,
                Some(&serde_json::json!({"invite": invite.body["invite"]})),
            )
            .await
            .expect("join with the invitation");
        let ws = Ws::connect(&server.ws_url(), a.body["token"].as_str().expect("token"))
            .await
            .expect("connect");
        Self::following(ws, room).await
    }

    /// `ws` (welcomed) joining `room`.
    pub async fn following(mut ws: Ws, room: &RoomId) -> Member {
        let id = match &ws.welcome {
            Some(ServerMsg::Welcome { person, .. }) => person.id.clone(),
            other => panic!("not welcomed: {other:?}"),
        };
        let mut view = Mirror::new(room.clone());
        ws.join(room, None, &mut view).await.expect("join");
        Member { ws, view, id }
    }

    /// Sends a request and folds everything until its answer, which it returns.
    pub async fn ask(&mut self, msg: ClientMsg) -> ServerMsg {
        let id = self.ws.request(&msg).await.expect("send");
        loop {
            let m = self.ws.recv().await.expect("an answer");
            self.view.take(&m).expect("a consistent view");
            match &m {
                ServerMsg::Ok { id: i, .. } | ServerMsg::Error { id: Some(i), .. } if *i == id => {
                    return m;
                }
                _ => {}
            }
        }
    }

    /// Folds room traffic until the view is at `seq`.
    pub async fn catch_up_to(&mut self, seq: u64) {
        while self.view.seq < seq {
            let m = self.ws.recv().await.expect("room traffic");
            self.view.take(&m).expect("a consistent view");
        }
    }

    /// The session as this member sees it.
    pub fn session(&self) -> SessionState {
        match self.view.state.as_ref().expect("joined") {
            RoomState::Session(s) => s.clone(),
            other => panic!("not a session: {other:?}"),
        }
    }

    /// Folds room traffic until `ok` holds of the session.
    pub async fn until_session(&mut self, ok: impl Fn(&SessionState) -> bool) {
        while !ok(&self.session()) {
            let m = self.ws.recv().await.expect("room traffic");
            self.view.take(&m).expect("a consistent view");
        }
    }

    /// Creates and opens a single-choice poll with `options` options and live results in the
    /// session this member follows; returns its id.
    pub async fn open_poll(&mut self, options: usize) -> plenum_protocol::PollId {
        let RoomId::Session(event, session) = self.view.room.clone() else {
            panic!("not following a session")
        };
        let created = self
            .ask(ClientMsg::CreatePoll {
                event: event.clone(),
                session: session.clone(),
                poll: plenum_protocol::PollDraft {
                    question: "Which?".into(),
                    kind: plenum_protocol::PollKind::Single {
                        options: (0..options).map(|i| format!("Option {i}")).collect(),
                    },
                    visibility: plenum_protocol::ResultsVisibility::Live,
                    duration_s: None,
                },
            })
            .await;
        let ServerMsg::Ok {
            poll: Some(poll), ..
        } = created
        else {
            panic!("creating the poll failed: {created:?}")
        };
        let opened = self
            .ask(ClientMsg::RunPoll {
                event,
                session,
                poll,
                step: plenum_protocol::PollStep::Open,
            })
            .await;
        assert!(matches!(opened, ServerMsg::Ok { .. }), "{opened:?}");
        poll
    }

    /// Asks `text` (by name) in the session this member follows; returns the question's id.
    pub async fn ask_question(&mut self, text: &str) -> plenum_protocol::QuestionId {
        let RoomId::Session(event, session) = self.view.room.clone() else {
            panic!("not following a session")
        };
        let asked = self
            .ask(ClientMsg::Ask {
                event,
                session,
                text: text.into(),
                anonymous: false,
            })
            .await;
        let ServerMsg::Ok {
            question: Some(question),
            ..
        } = asked
        else {
            panic!("asking failed: {asked:?}")
        };
        question
    }

    /// Folds room traffic until `ok` holds of the session's Q&A.
    pub async fn until_qa(&mut self, ok: impl Fn(&QaState) -> bool) {
        self.until_session(|s| ok(&s.qa)).await
    }
}

/// The real SQLite store behind a switch: while `down` is set, commits, meta writes and pings
/// fail as a store outage would, and nothing reaches the file. For fault tests.
pub struct FlakyStore {
    inner: plenum_server::store::SqliteStore,
    pub down: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl FlakyStore {
    fn check(&self) -> Result<(), plenum_server::store::StoreError> {
        if self.down.load(std::sync::atomic::Ordering::SeqCst) {
            Err(plenum_server::store::StoreError::Unavailable(
                "injected outage".into(),
            ))
        } else {
            Ok(())
        }
    }
}

impl plenum_server::store::Store for FlakyStore {
    fn load_events(
        &mut self,
    ) -> Result<Vec<plenum_protocol::EventInfo>, plenum_server::store::StoreError> {
        self.inner.load_events()
    }
    fn load_room(
        &mut self,
        room: &RoomId,
    ) -> Result<plenum_server::store::RoomData, plenum_server::store::StoreError> {
        self.check()?;
        self.inner.load_room(room)
    }
    fn commit(
        &mut self,
        batch: &plenum_server::store::Batch,
    ) -> Result<plenum_server::store::Committed, plenum_server::store::StoreError> {
        self.check()?;
        self.inner.commit(batch)
    }
    fn get_meta(&mut self, key: &str) -> Result<Option<Vec<u8>>, plenum_server::store::StoreError> {
        self.inner.get_meta(key)
    }
    fn put_meta(
        &mut self,
        key: &str,
        value: &[u8],
    ) -> Result<(), plenum_server::store::StoreError> {
        self.check()?;
        self.inner.put_meta(key, value)
    }
    fn ping(&mut self) -> Result<(), plenum_server::store::StoreError> {
        self.check()?;
        self.inner.ping()
    }
}

impl TestServer {
    /// A server on a [`FlakyStore`]; the returned switch takes the store down and up.
    pub async fn start_flaky() -> (TestServer, std::sync::Arc<std::sync::atomic::AtomicBool>) {
        let temp = tempfile::tempdir().expect("temp dir");
        let data_dir = temp.path().to_path_buf();
        let down = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let store = FlakyStore {
            inner: plenum_server::store::SqliteStore::open(&data_dir).expect("sqlite"),
            down: down.clone(),
        };
        let mut c = plenum_server::Config::new(data_dir.clone());
        c.drain_timeout = Duration::from_secs(3);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let running = plenum_server::start_with_store(c, listener, Box::new(store))
            .await
            .expect("server starts");
        let organiser_key = read_organiser_key(&data_dir).expect("organiser key file");
        let server = TestServer {
            addr: running.addr,
            organiser_key,
            data_dir,
            running: Some(running),
            config: TestConfig::default(),
            _temp: Some(temp),
        };
        (server, down)
    }
}

/// A real `redis-server` on a spare 127.0.0.1 port, with the persistence `docs/deploy.md`
/// recommends (append-only file, fsync on every write). Killed when dropped.
pub struct RedisServer {
    pub port: u16,
    dir: tempfile::TempDir,
    child: Option<std::process::Child>,
}

impl RedisServer {
    pub fn start() -> RedisServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a spare port")
            .port();
        let mut redis = RedisServer {
            port,
            dir: tempfile::tempdir().expect("temp dir"),
            child: None,
        };
        redis.spawn();
        redis
    }

    /// Starts redis-server again on the same port and directory (what it wrote is kept).
    pub fn restart(&mut self) {
        self.kill9();
        self.spawn();
    }

    fn spawn(&mut self) {
        let child = std::process::Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .arg("--dir")
            .arg(self.dir.path())
            .args([
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
            ])
            .args(["--daemonize", "no", "--loglevel", "warning"])
            .stdout(Stdio::null())
            .spawn()
            .expect("redis-server runs (scripts/setup installs it)");
        self.child = Some(child);
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            if self.try_cmd(&["PING"]).is_ok() {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "redis-server did not answer on port {}",
                self.port
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGKILL: what was acknowledged is in the append-only file, nothing else runs.
    pub fn kill9(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// Runs one command (`CONFIG SET ...`, `CLIENT KILL ...`).
    pub fn try_cmd(&self, args: &[&str]) -> redis::RedisResult<redis::Value> {
        let client = redis::Client::open(self.url())?;
        let mut conn = client.get_connection_with_timeout(Duration::from_secs(1))?;
        let mut cmd = redis::cmd(args[0]);
        for a in &args[1..] {
            cmd.arg(*a);
        }
        cmd.query(&mut conn)
    }

    pub fn cmd(&self, args: &[&str]) -> redis::Value {
        self.try_cmd(args).expect("redis answers")
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// Instances of Plenum sharing one [`RedisServer`], in this process. The first start on a
/// fresh Redis makes the organiser key; the others share it.
pub async fn redis_instances(redis: &RedisServer, n: usize, config: TestConfig) -> Vec<TestServer> {
    let mut servers: Vec<TestServer> = Vec::new();
    for _ in 0..n {
        let mut c = config.clone();
        c.redis = vec![redis.url()];
        c.organiser_key = servers
            .first()
            .map(|s| s.organiser_key.clone())
            .or(config.organiser_key.clone());
        servers.push(TestServer::start_with(c).await);
    }
    servers
}

/// Polls `f` every 20 ms until it gives `Some`, for at most `WAIT`.
pub async fn eventually<T, F: std::future::Future<Output = Option<T>>>(
    what: &str,
    mut f: impl FnMut() -> F,
) -> T {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        if let Some(t) = f().await {
            return t;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting until {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The value of a counter on a server's `/metrics`.
pub async fn metric(http: &Http, name: &str) -> f64 {
    let a = http.get("/metrics").await.expect("metrics");
    let text = a.body.as_str().unwrap_or_default().to_owned();
    text.lines()
        .find_map(|l| {
            let (k, v) = l.split_once(' ')?;
            (k == name).then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0.0)
}
