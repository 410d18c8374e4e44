//! One load-generating process: many WebSocket connections from one source address, each
//! joined to a room like an attendee, recording when each broadcast reaches it.
//!
//! Every broadcast carries its publisher's wall-clock time and its number in a marker,
//! `@t=MICROSECONDS;n=NUMBER@`, whatever the system; the latency of a receipt is the receiver's
//! clock minus `t` (same machine, same clock), and a number skipped on a connection is a loss.
//!
//! The process talks to the suite over stdin/stdout, one line each: it prints `ready N` when
//! its connections are joined, and answers `report` with a JSON [`Report`] (then starts
//! counting afresh). It ends when stdin closes.

use crate::System;
use futures_util::{SinkExt as _, StreamExt as _};
use hdrhistogram::{
    Histogram,
    serialization::{Deserializer, Serializer as _, V2Serializer},
};
use plenum_protocol::{ClientMsg, RoomId};
use serde::{Deserialize, Serialize};
use std::{
    collections::HashMap,
    net::{IpAddr, SocketAddr},
    sync::{Arc, Mutex},
    time::{Duration, SystemTime, UNIX_EPOCH},
};
use tokio::{
    io::{AsyncBufReadExt as _, BufReader},
    net::TcpSocket,
};
use tokio_tungstenite::tungstenite::Message;

#[derive(Debug, Clone)]
pub struct WorkerArgs {
    pub system: System,
    /// Instances to connect to, `host:port`; connection i goes to `targets[i % len]`, and after
    /// losing its instance, to the next one.
    pub targets: Vec<String>,
    pub count: usize,
    pub source: IpAddr,
    /// Plenum: the room to join; the peers: the room's name.
    pub room: String,
    /// Plenum: the token each connection says hello with.
    pub token: String,
}

/// What a worker measured since its last report.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Report {
    pub connected: usize,
    /// Frames of any kind received (W6 counts them all).
    #[serde(default)]
    pub frames: u64,
    /// Marked updates received.
    pub received: u64,
    /// Broadcast numbers received twice on a connection (what never arrived is counted by
    /// the suite, which knows how many were sent).
    pub duplicated: u64,
    pub reconnects: u64,
    /// The latency histogram (microseconds), V2-serialised and base64'd.
    pub histogram: String,
    /// For each broadcast number, the latest receipt (microseconds after publishing).
    pub last_receipt: HashMap<u64, u64>,
    /// For each broadcast number, the earliest receipt: what came before the fan-out began
    /// (for Plenum, the commit), apart from the fan-out itself.
    #[serde(default)]
    pub first_receipt: HashMap<u64, u64>,
    /// When the last reconnect finished (microseconds since the epoch), if any.
    pub last_reconnect_us: Option<u64>,
}

#[derive(Default)]
struct Stats {
    connected: usize,
    frames: u64,
    received: u64,
    duplicated: u64,
    reconnects: u64,
    histogram: Option<Histogram<u64>>,
    last_receipt: HashMap<u64, u64>,
    first_receipt: HashMap<u64, u64>,
    last_reconnect_us: Option<u64>,
}

pub fn new_histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 120_000_000, 3).expect("valid bounds")
}

pub fn now_us() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as u64)
}

/// The marker a publisher puts in broadcast `n`.
pub fn marker(n: u64) -> String {
    format!("@t={};n={n}@", now_us())
}

/// (t, n) from a frame carrying a marker.
fn parse_marker(text: &str) -> Option<(u64, u64)> {
    let at = text.find("@t=")?;
    let rest = &text[at + 3..];
    let semi = rest.find(";n=")?;
    let t = rest[..semi].parse().ok()?;
    let rest = &rest[semi + 3..];
    let end = rest.find('@')?;
    Some((t, rest[..end].parse().ok()?))
}

/// The room sequence number of a Plenum event frame.
fn plenum_seq(text: &str) -> Option<u64> {
    let at = text.find("\"seq\":")?;
    let digits: String = text[at + 6..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

pub fn decode_histogram(b64: &str) -> anyhow::Result<Histogram<u64>> {
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::STANDARD.decode(b64)?;
    Ok(Deserializer::new().deserialize(&mut bytes.as_slice())?)
}

type Socket = tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>;

async fn open(source: IpAddr, target: &str, path: &str) -> anyhow::Result<Socket> {
    let addr: SocketAddr = tokio::net::lookup_host(target)
        .await?
        .next()
        .ok_or_else(|| anyhow::anyhow!("no address for {target}"))?;
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(source, 0))?;
    let stream = socket.connect(addr).await?;
    stream.set_nodelay(true)?;
    let (ws, _) = tokio_tungstenite::client_async(format!("ws://{target}{path}"), stream).await?;
    Ok(ws)
}

async fn next_text(ws: &mut Socket) -> anyhow::Result<String> {
    loop {
        match ws.next().await {
            Some(Ok(Message::Text(t))) => return Ok(t.to_string()),
            Some(Ok(Message::Close(_))) | None => anyhow::bail!("closed"),
            Some(Ok(_)) => {}
            Some(Err(e)) => return Err(e.into()),
        }
    }
}

/// Connects and joins; returns the socket ready for broadcasts, and what arrived before the
/// join was confirmed (a resume's replayed events).
async fn join(
    args: &WorkerArgs,
    target: &str,
    since: Option<u64>,
) -> anyhow::Result<(Socket, Vec<String>)> {
    match args.system {
        System::Plenum => {
            let mut ws = open(args.source, target, "/ws").await?;
            let hello = ClientMsg::Hello {
                versions: vec![1],
                token: args.token.clone(),
            };
            ws.send(Message::text(serde_json::to_string(&hello)?))
                .await?;
            let welcome = next_text(&mut ws).await?;
            anyhow::ensure!(welcome.contains("\"welcome\""), "not welcomed: {welcome}");
            let room: RoomId = serde_json::from_value(serde_json::Value::String(args.room.clone()))
                .or_else(|_| serde_json::from_str(&args.room))?;
            let join = serde_json::json!({"id": 1, "type": "join", "room": room, "since": since});
            ws.send(Message::text(join.to_string())).await?;
            let mut early = Vec::new();
            loop {
                let t = next_text(&mut ws).await?;
                if t.contains("\"joined\"") {
                    return Ok((ws, early));
                }
                anyhow::ensure!(!t.contains("\"error\""), "join refused: {t}");
                early.push(t);
            }
        }
        System::Ws | System::WsCork => {
            let mut ws = open(args.source, target, &format!("/?room={}", args.room)).await?;
            next_text(&mut ws).await?;
            Ok((ws, Vec::new()))
        }
        System::SocketIo => {
            let mut ws = open(args.source, target, "/socket.io/?EIO=4&transport=websocket").await?;
            let open = next_text(&mut ws).await?;
            anyhow::ensure!(open.starts_with('0'), "not an Engine.IO open: {open}");
            ws.send(Message::text("40")).await?;
            let connected = next_text(&mut ws).await?;
            anyhow::ensure!(connected.starts_with("40"), "not connected: {connected}");
            ws.send(Message::text(format!("42[\"join\",\"{}\"]", args.room)))
                .await?;
            loop {
                let t = next_text(&mut ws).await?;
                if t.starts_with("42[\"joined\"") {
                    return Ok((ws, Vec::new()));
                }
            }
        }
    }
}

async fn connection(
    args: Arc<WorkerArgs>,
    index: usize,
    stats: Arc<Mutex<Stats>>,
    ready: tokio::sync::mpsc::Sender<()>,
) {
    let mut target = index % args.targets.len();
    let (mut ws, _) = loop {
        match join(&args, &args.targets[target], None).await {
            Ok(joined) => break joined,
            Err(e) => {
                eprintln!("worker: connection {index}: {e}; retrying");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    };
    stats.lock().unwrap().connected += 1;
    let _ = ready.send(()).await;
    let mut last_n = 0u64;
    let mut last_seq: Option<u64> = None;
    let mut replayed: std::collections::VecDeque<String> = Default::default();
    loop {
        let msg = match replayed.pop_front() {
            Some(t) => Some(Ok(Message::text(t))),
            None => ws.next().await,
        };
        let text = match msg {
            Some(Ok(Message::Text(t))) => t,
            Some(Ok(
                Message::Ping(_) | Message::Pong(_) | Message::Binary(_) | Message::Frame(_),
            )) => continue,
            Some(Ok(Message::Close(_))) | Some(Err(_)) | None => {
                // Lost the instance: resume on the next one (Plenum), as the browser client does.
                stats.lock().unwrap().connected -= 1;
                if args.system != System::Plenum {
                    return;
                }
                loop {
                    target = (target + 1) % args.targets.len();
                    match join(&args, &args.targets[target], last_seq).await {
                        Ok((again, early)) => {
                            ws = again;
                            replayed.extend(early);
                            break;
                        }
                        Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
                    }
                }
                let mut s = stats.lock().unwrap();
                s.connected += 1;
                s.reconnects += 1;
                s.last_reconnect_us = Some(now_us());
                continue;
            }
        };
        if args.system == System::SocketIo && text.as_str() == "2" {
            let _ = ws.send(Message::text("3")).await;
            continue;
        }
        stats.lock().unwrap().frames += 1;
        if args.system == System::Plenum
            && let Some(seq) = plenum_seq(&text)
        {
            last_seq = Some(seq);
        }
        let Some((t, n)) = parse_marker(&text) else {
            continue;
        };
        let latency = now_us().saturating_sub(t).max(1);
        let mut s = stats.lock().unwrap();
        s.received += 1;
        if n <= last_n {
            s.duplicated += 1;
        } else {
            last_n = n;
        }
        s.histogram
            .get_or_insert_with(new_histogram)
            .saturating_record(latency);
        let e = s.last_receipt.entry(n).or_default();
        *e = (*e).max(latency);
        let f = s.first_receipt.entry(n).or_insert(latency);
        *f = (*f).min(latency);
    }
}

fn take_report(stats: &Mutex<Stats>) -> Report {
    use base64::Engine as _;
    let mut s = stats.lock().unwrap();
    let histogram = s.histogram.take().unwrap_or_else(new_histogram);
    let mut bytes = Vec::new();
    V2Serializer::new()
        .serialize(&histogram, &mut bytes)
        .expect("histograms serialise");
    let report = Report {
        connected: s.connected,
        frames: s.frames,
        received: s.received,
        duplicated: s.duplicated,
        reconnects: s.reconnects,
        histogram: base64::engine::general_purpose::STANDARD.encode(bytes),
        last_receipt: std::mem::take(&mut s.last_receipt),
        first_receipt: std::mem::take(&mut s.first_receipt),
        last_reconnect_us: s.last_reconnect_us.take(),
    };
    s.received = 0;
    s.frames = 0;
    s.duplicated = 0;
    s.reconnects = 0;
    report
}

/// The worker process's whole life.
pub async fn run(args: WorkerArgs) -> anyhow::Result<()> {
    let args = Arc::new(args);
    let stats = Arc::new(Mutex::new(Stats::default()));
    let (ready_tx, mut ready_rx) = tokio::sync::mpsc::channel(1024);
    for i in 0..args.count {
        tokio::spawn(connection(args.clone(), i, stats.clone(), ready_tx.clone()));
        // Open gently: a SYN flood helps nobody.
        if i % 200 == 199 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
    for _ in 0..args.count {
        ready_rx.recv().await;
    }
    println!("ready {}", args.count);
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    while let Some(line) = lines.next_line().await? {
        match line.trim() {
            "report" => println!("{}", serde_json::to_string(&take_report(&stats))?),
            // How many receipts so far, without resetting anything.
            "count" => println!("{}", stats.lock().unwrap().received),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_read_from_any_system_s_frames() {
        let plenum = r#"{"type":"event","room":"session:BENCH:s1","seq":42,"at_ms":1,"event":{"kind":"stage_changed","stage":{"status":"live","on_stage":{"kind":"text","text":"@t=1700000000000001;n=7@"}}}}"#;
        assert_eq!(parse_marker(plenum), Some((1_700_000_000_000_001, 7)));
        assert_eq!(plenum_seq(plenum), Some(42));
        let sio = r#"42["update",{"seq":3,"mark":"@t=5;n=3@"}]"#;
        assert_eq!(parse_marker(sio), Some((5, 3)));
        assert_eq!(parse_marker(r#"{"type":"presence","count":3}"#), None);
        assert_eq!(
            parse_marker("@t=12;n=@"),
            None,
            "a broken marker is no receipt"
        );
    }

    #[test]
    fn a_marker_carries_its_number_and_a_current_time() {
        let before = now_us();
        let (t, n) = parse_marker(&marker(9)).unwrap();
        assert_eq!(n, 9);
        assert!(t >= before && t <= now_us());
    }
}
