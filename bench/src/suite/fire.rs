//! W6, a plenary under fire: everyone in one session while everything of a live plenary flows
//! at once, as at ECC's plenary with a live poll. Four times a second (each 250 ms tick):
//!
//! - a ballot in a live poll and an upvote of a question: Plenum coalesces each tally to at
//!   most 4 frames a second (`poll_results`, `votes`);
//! - every other tick, a stage change, carrying the publisher's clock and its number (latency
//!   and loss are measured on these);
//! - every fourth tick, a new question (asked by an attendee, published at once);
//! - every other tick, someone joins or leaves the session: a presence count.
//!
//! Plenum's frames come from its real sources (people voting, upvoting, asking; the organiser
//! changing the stage over HTTP). The peers get the same mix from the publisher, each message
//! relayed as it comes: `ws` writes each one at once; `ws`, corked, writes what one turn of its
//! event loop sends to one socket in one write (`peers/ws-cork-server.js`), which separates
//! what coalescing gives from what a cheaper path gives.

use super::{
    Deployment, EVENT, Options, PlenumWs, Publisher, System, bench_ids, connect, four_pitches,
    http_client, join_token, open_live_poll, request, workers,
};
use anyhow::Context as _;
use futures_util::{SinkExt as _, StreamExt as _};
use plenum_protocol::{Answer, ClientMsg};
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message;

const TICK: Duration = Duration::from_millis(250);

/// One system's fire.
#[derive(Debug, Clone, Default)]
pub struct Fire {
    /// Frames the attendees received while the fire lasted, and until the last stage change
    /// arrived (every kind: stage, questions, tallies, presence).
    pub frames: u64,
    /// Stage changes never received (or not within 30 s), and received twice.
    pub missing: u64,
    pub duplicated: u64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// Median over stage changes of the time until the last attendee had it.
    pub last_ms: f64,
    pub cpu_s: f64,
    pub user_s: f64,
    pub kernel_s: f64,
    /// Frames per socket write, where the server counts them (Plenum's metrics, the corked
    /// peer's own count).
    pub per_write: Option<f64>,
}

impl Fire {
    pub fn per_cpu_second(&self) -> f64 {
        self.frames as f64 / self.cpu_s.max(1e-6)
    }

    /// Server CPU microseconds per delivered frame: (user, kernel).
    pub fn us_per_frame(&self) -> (f64, f64) {
        let n = self.frames.max(1) as f64;
        (self.user_s * 1e6 / n, self.kernel_s * 1e6 / n)
    }
}

/// Frames sent and the writes they took, by the server's own count.
async fn writes(d: &Deployment) -> anyhow::Result<Option<(f64, f64)>> {
    let addr = &d.servers[0].addr;
    match d.system {
        System::Plenum => {
            let text = http_client()
                .get(format!("http://{addr}/metrics"))
                .send()
                .await?
                .text()
                .await?;
            let value = |name: &str| {
                text.lines()
                    .find(|l| l.starts_with(name))
                    .and_then(|l| l.split_whitespace().nth(1))
                    .and_then(|v| v.parse::<f64>().ok())
            };
            Ok(value("plenum_messages_out_total").zip(value("plenum_flushes_total")))
        }
        System::WsCork => {
            let (mut ws, _) =
                tokio_tungstenite::connect_async(format!("ws://{addr}/?stats=1")).await?;
            let Some(Ok(Message::Text(t))) = ws.next().await else {
                anyhow::bail!("no stats from the corked peer")
            };
            let v: serde_json::Value = serde_json::from_str(&t)?;
            Ok(v["frames"].as_f64().zip(v["writes"].as_f64()))
        }
        _ => Ok(None),
    }
}

/// Plenum's real sources: a poll open for voting, people who vote, upvote and ask, and
/// someone coming and going.
struct PlenumSources {
    voters: Vec<PlenumWs>,
    churn: PlenumWs,
    poll: plenum_protocol::PollId,
    question: plenum_protocol::QuestionId,
}

impl PlenumSources {
    async fn start(d: &Deployment, ticks: usize) -> anyhow::Result<PlenumSources> {
        let (ev, s1) = bench_ids()?;
        let addr = d.servers[0].addr.clone();
        let key = d.servers[0].key.clone().context("key")?;
        let mut organiser = connect(&addr, &key).await?;
        let poll = open_live_poll(&mut organiser, "Which pitch wins?", four_pitches()).await?;
        let http = http_client();
        let mut voters = Vec::new();
        // One voter a tick, and one who asks the question everyone upvotes.
        for i in 0..=ticks {
            let token = join_token(&http, &addr, &format!("Voter {i}")).await?;
            voters.push(connect(&addr, &token).await?);
        }
        let asked = request(
            &mut voters[ticks],
            1,
            &ClientMsg::Ask {
                event: ev,
                session: s1,
                text: "How will the new funding rules reach small regions?".into(),
                anonymous: false,
            },
        )
        .await?;
        let question = serde_json::from_value(asked["question"].clone())
            .with_context(|| format!("asking: {asked}"))?;
        let churn = connect(&addr, &d.token).await?;
        Ok(PlenumSources {
            voters,
            churn,
            poll,
            question,
        })
    }

    /// Runs the sources' part of the fire, tick by tick from `start`, in the background.
    fn run(self, start: Instant, ticks: usize) -> tokio::task::JoinHandle<anyhow::Result<()>> {
        tokio::spawn(async move {
            let (ev, s1) = bench_ids()?;
            let mut tasks = Vec::new();
            let PlenumSources {
                voters,
                churn,
                poll,
                question,
            } = self;
            // What the room sends the one who comes and goes is read, and dropped.
            let (mut churn, mut heard) = churn.split();
            let reading =
                tokio::spawn(async move { while let Some(Ok(_)) = heard.next().await {} });
            for (tick, mut ws) in voters.into_iter().take(ticks).enumerate() {
                let (ev, s1) = (ev.clone(), s1.clone());
                tasks.push(tokio::spawn(async move {
                    tokio::time::sleep_until((start + TICK * tick as u32).into()).await;
                    let mut msgs = vec![
                        ClientMsg::Vote {
                            event: ev.clone(),
                            session: s1.clone(),
                            poll,
                            answer: Answer::Single {
                                option: (tick % 4) as u32,
                            },
                        },
                        ClientMsg::Upvote {
                            event: ev.clone(),
                            session: s1.clone(),
                            question,
                            up: true,
                        },
                    ];
                    if tick % 4 == 1 {
                        msgs.push(ClientMsg::Ask {
                            event: ev,
                            session: s1,
                            text: format!("Question {tick}: what does this mean for the regions?"),
                            anonymous: false,
                        });
                    }
                    for (i, msg) in msgs.iter().enumerate() {
                        let r = request(&mut ws, i as u64 + 1, msg).await?;
                        anyhow::ensure!(r["type"] == "ok", "tick {tick}: {r}");
                    }
                    Ok::<_, anyhow::Error>(ws)
                }));
            }
            // Someone comes and goes every other tick: a presence count each time.
            let room = format!("session:{EVENT}:s1");
            for tick in (0..ticks).step_by(2) {
                tokio::time::sleep_until((start + TICK * tick as u32).into()).await;
                let kind = if tick.is_multiple_of(4) {
                    "join"
                } else {
                    "leave"
                };
                let msg = serde_json::json!({"type": kind, "room": room});
                churn.send(Message::text(msg.to_string())).await?;
            }
            for t in tasks {
                t.await??;
            }
            reading.abort();
            Ok(())
        })
    }
}

/// The peers' share of the mix, as the publisher relays it (the marked stage changes aside).
fn peer_messages(tick: usize) -> Vec<serde_json::Value> {
    let mut out = vec![
        serde_json::json!({"type": "event", "room": "session:BENCH:s1", "seq": tick * 4,
            "event": {"kind": "poll_results", "id": 1, "ballots": 1234,
                      "results": {"kind": "choices", "counts": [310, 402, 288, 234]}}}),
        serde_json::json!({"type": "event", "room": "session:BENCH:s1", "seq": tick * 4 + 1,
            "event": {"kind": "votes", "votes": [[1, tick]], "counts": {"waiting": 0, "dismissed": 0}}}),
    ];
    if tick % 4 == 1 {
        out.push(serde_json::json!({"type": "event", "room": "session:BENCH:s1", "seq": tick * 4 + 2,
            "event": {"kind": "question", "question": {"id": tick, "text": format!("Question {tick}: what does this mean for the regions?"),
                "asker": {"id": "att-x", "name": "Voter"}, "anonymous": false, "status": "live",
                "asked_at_ms": 1778580000000u64, "votes": 0, "merged": [], "edited": false},
                "counts": {"waiting": 0, "dismissed": 0}}}));
    }
    if tick.is_multiple_of(2) {
        out.push(serde_json::json!({"type": "presence", "room": "session:BENCH:s1", "count": 10000 + tick % 4}));
    }
    out
}

/// W6 for one system: `receivers` attendees in one session, the fire for `seconds`.
pub async fn w6(
    opts: &Options,
    system: System,
    receivers: usize,
    seconds: usize,
) -> anyhow::Result<Fire> {
    let d = Deployment::start(opts, system, 1).await?;
    let mut ws = workers(&d, receivers, 2, &d.targets()).await?;
    let ticks = seconds * 4;
    let sources = if system == System::Plenum {
        Some(PlenumSources::start(&d, ticks).await?)
    } else {
        None
    };
    let mut publisher = Publisher::connect(&d).await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    for w in ws.iter_mut() {
        w.report().await?; // count afresh
    }
    let writes_before = writes(&d).await?;
    let cpu_before = d.cpu();
    let (user_before, kernel_before) = d.cpu_split();
    let start = Instant::now() + Duration::from_millis(50);
    let running = sources.map(|s| s.run(start, ticks));
    let mut stages = 0;
    for tick in 0..ticks {
        tokio::time::sleep_until((start + TICK * tick as u32).into()).await;
        if tick.is_multiple_of(2) {
            stages += 1;
            publisher.publish(stages).await?;
        }
        if system != System::Plenum {
            for msg in peer_messages(tick) {
                publisher.relay(msg).await?;
            }
        }
    }
    if let Some(running) = running {
        running.await??;
    }
    // Until every attendee has every stage change (30 s at most), then a moment for the rest.
    let expected = receivers as u64 * stages;
    let settle = Instant::now();
    loop {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let mut got = 0;
        for w in ws.iter_mut() {
            got += w.count().await?;
        }
        if got >= expected || settle.elapsed() > Duration::from_secs(30) {
            break;
        }
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let cpu_s = d.cpu() - cpu_before;
    let (user_after, kernel_after) = d.cpu_split();
    let writes_after = writes(&d).await?;
    d.check_alive()?;
    publisher.finish().await?;
    let mut reports = Vec::new();
    for w in ws.iter_mut() {
        reports.push(w.report().await?);
    }
    drop(ws);
    let super::Merged {
        histogram: h,
        last_ms,
        received,
        duplicated,
        ..
    } = super::merge(&reports, 1..=stages)?;
    let frames = reports.iter().map(|r| r.frames).sum();
    let ms = |q: f64| h.value_at_quantile(q) as f64 / 1000.0;
    let per_write = match (writes_before, writes_after) {
        (Some((f0, w0)), Some((f1, w1))) if w1 > w0 => Some((f1 - f0) / (w1 - w0)),
        _ => None,
    };
    Ok(Fire {
        frames,
        missing: expected.saturating_sub(received.saturating_sub(duplicated)),
        duplicated,
        p50_ms: ms(0.5),
        p99_ms: ms(0.99),
        last_ms,
        cpu_s,
        user_s: user_after - user_before,
        kernel_s: kernel_after - kernel_before,
        per_write,
    })
}
