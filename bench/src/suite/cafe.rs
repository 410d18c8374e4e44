//! W12: a world café against the real server. A thousand people take part at 104 tables; each
//! round starts with one `start_round` and ends with one `end_round`: how long until each
//! person's phone has its table (the `seated` event in their inbox), on one instance and on two
//! sharing a Redis (people spread over both, the round started on the first).

use super::{Deployment, Options, System, connect, http_client, request};
use anyhow::Context;
use futures_util::{SinkExt, StreamExt};
use std::fmt::Write as _;
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;

const CODE: &str = "CAFE12";
const TABLES: u32 = 104;
const ROUNDS: u32 = 3;

/// One deployment's rounds: every person's time to their table, by round.
pub struct Cafe {
    pub instances: usize,
    pub people: usize,
    /// Per round: the times (ms) from sending `start_round` to each person's table, sorted.
    pub rounds: Vec<Vec<f64>>,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

/// Runs W12 once on `instances` instances.
pub async fn run(opts: &Options, people: usize, instances: usize) -> anyhow::Result<Cafe> {
    let d = Deployment::start(opts, System::Plenum, instances).await?;
    let addrs = d.targets();
    let key = d.servers[0].key.clone().context("key")?;
    let http = http_client();
    let event = serde_json::json!({
        "code": CODE, "title": "Café", "time_zone": "Europe/Stockholm", "languages": ["en", "sv"],
        "agenda": {"days": [{"number": 1, "date": "2026-11-22"}],
            "sessions": [{"id": "cafe", "title": "World café", "kind": "world_cafe", "day": 1,
                          "start": "09:00", "end": "17:00"}]}
    });
    let r = http
        .post(format!("http://{}/api/events", addrs[0]))
        .bearer_auth(&key)
        .json(&event)
        .send()
        .await?;
    anyhow::ensure!(
        r.status().as_u16() == 201,
        "creating the café: {}",
        r.status()
    );
    let mut organiser = connect(&addrs[0], &key).await?;
    let tables: Vec<serde_json::Value> = (1..=TABLES)
        .map(|n| {
            serde_json::json!({"number": n, "topic": format!("Topic {n}"),
                "language": if n % 4 == 0 { "sv" } else { "en" }, "capacity": 10, "mode": "online"})
        })
        .collect();
    let set = serde_json::json!({"id": 1, "type": "set_tables", "event": CODE, "session": "cafe",
        "setup": {"tables": tables, "apart": "organisation"}});
    organiser.send(Message::text(set.to_string())).await?;
    wait_answer(&mut organiser, 1).await?;

    // Everyone joins with a profile, follows their inbox and takes part; then each connection
    // is read by its own task, which reports when its seat of each round arrives.
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(u32, u64)>();
    let mut tasks = Vec::new();
    for i in 0..people {
        let addr = &addrs[i % instances];
        let languages = match i % 5 {
            0 => vec!["sv"],
            1 => vec!["en", "sv"],
            _ => vec!["en"],
        };
        let r: serde_json::Value = http
            .post(format!("http://{addr}/api/events/{CODE}/join"))
            .json(&serde_json::json!({"name": format!("P{i}"),
                "profile": {"organisation": format!("Org {}", i % 300), "languages": languages}}))
            .send()
            .await?
            .json()
            .await?;
        let id = r["person"]["id"].as_str().context("person id")?;
        let mut ws = connect(addr, r["token"].as_str().context("token")?).await?;
        let join =
            serde_json::json!({"id": 1, "type": "join", "room": format!("inbox:{CODE}:{id}")});
        ws.send(Message::text(join.to_string())).await?;
        wait_answer(&mut ws, 1).await?;
        let here = serde_json::json!({"id": 2, "type": "take_part", "event": CODE, "session": "cafe", "here": true});
        ws.send(Message::text(here.to_string())).await?;
        wait_answer(&mut ws, 2).await?;
        let tx = tx.clone();
        tasks.push(tokio::spawn(async move {
            let mut reported = 0;
            while let Some(Ok(msg)) = ws.next().await {
                let Message::Text(t) = msg else { continue };
                if !t.contains("\"seated\"") {
                    continue;
                }
                let at = crate::worker::now_us();
                let Ok(v) = serde_json::from_str::<serde_json::Value>(&t) else {
                    continue;
                };
                let seat = &v["event"]["seat"];
                let round = seat["round"].as_u64().unwrap_or(0) as u32;
                if seat["table"].is_u64() && round > reported {
                    reported = round;
                    let _ = tx.send((round, at));
                }
            }
        }));
    }
    let mut rounds = Vec::new();
    for round in 1..=ROUNDS {
        let start = plenum_protocol::ClientMsg::StartRound {
            event: plenum_protocol::EventCode::parse(CODE).map_err(|e| anyhow::anyhow!("{e:?}"))?,
            session: plenum_protocol::SessionId::parse("cafe")
                .map_err(|e| anyhow::anyhow!("{e:?}"))?,
            seconds: 600,
            seating: plenum_protocol::SeatingMode::Rotation,
            assignments: Vec::new(),
        };
        let sent = crate::worker::now_us();
        let answer = request(&mut organiser, 10 + u64::from(round) * 2, &start).await?;
        anyhow::ensure!(answer["type"] == "ok", "start_round: {answer}");
        let mut times = Vec::with_capacity(people);
        while times.len() < people {
            let (r, at) = tokio::time::timeout(Duration::from_secs(30), rx.recv())
                .await
                .with_context(|| format!("round {round}: {} of {people} seated", times.len()))?
                .context("the readers stopped")?;
            if r == round {
                times.push(at.saturating_sub(sent) as f64 / 1000.0);
            }
        }
        times.sort_by(f64::total_cmp);
        rounds.push(times);
        let end = serde_json::json!({"id": 11 + round * 2, "type": "end_round", "event": CODE, "session": "cafe"});
        organiser.send(Message::text(end.to_string())).await?;
        wait_answer(&mut organiser, u64::from(11 + round * 2)).await?;
        // Everyone back in the session before the next round.
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    for t in tasks {
        t.abort();
    }
    Ok(Cafe {
        instances,
        people,
        rounds,
    })
}

/// Reads until the answer to request `id`, which must be `ok`.
async fn wait_answer(ws: &mut super::PlenumWs, id: u64) -> anyhow::Result<()> {
    while let Some(msg) = tokio::time::timeout(Duration::from_secs(30), ws.next()).await? {
        if let Message::Text(t) = msg? {
            let v: serde_json::Value = serde_json::from_str(&t)?;
            if v["id"] == id && (v["type"] == "ok" || v["type"] == "error" || v["type"] == "joined")
            {
                anyhow::ensure!(v["type"] != "error", "request {id}: {v}");
                return Ok(());
            }
        }
    }
    anyhow::bail!("the connection closed before answering {id}")
}

/// Writes W12's section.
pub fn report(md: &mut String, runs: &[Cafe]) -> std::fmt::Result {
    let people = runs.first().map_or(0, |c| c.people);
    writeln!(
        md,
        "## W12 a world café on the real server ({people} people at {TABLES} tables of 10, a quarter Swedish, at most one per organisation a table; three rounds of rotation; time from sending `start_round` to each person's `seated`)\n"
    )?;
    writeln!(
        md,
        "| instances | round | median | p99 | last | seated |\n|---|---|---|---|---|---|"
    )?;
    for c in runs {
        for (r, times) in c.rounds.iter().enumerate() {
            writeln!(
                md,
                "| {} | {} | {:.0} ms | {:.0} ms | {:.0} ms | {} of {} |",
                c.instances,
                r + 1,
                percentile(times, 0.5),
                percentile(times, 0.99),
                times.last().copied().unwrap_or(f64::NAN),
                times.len(),
                c.people
            )?;
        }
    }
    writeln!(
        md,
        "\nThe goal: every one of the 1,000 has their table within 1 s of the round's start (p99), on one instance and across instances. The people, the load generator and the servers share this machine's cores.\n"
    )
}
