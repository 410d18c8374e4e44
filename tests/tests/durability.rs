//! The embedded store: what was acknowledged survives `kill -9`, and a restart restores every
//! room exactly. Runs the real binary as a child process.

use plenum_protocol::{ClientMsg, EventCode, RoomId, ServerMsg, SessionId, close};
use plenum_tests::*;
use serde_json::json;

const BIN: &str = env!("CARGO_BIN_EXE_plenum-under-test");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::spawn(BIN, dir.path(), &[]).await.unwrap();
    let key = server
        .organiser_key
        .clone()
        .expect("first start prints the organiser key");
    create_small_event(&server.http(), &key, "KILL")
        .await
        .unwrap();

    let rooms: Vec<RoomId> = ["s1", "s2", "s3"]
        .iter()
        .map(|s| {
            RoomId::Session(
                EventCode::parse("KILL").unwrap(),
                SessionId::parse(s).unwrap(),
            )
        })
        .chain([RoomId::Event(EventCode::parse("KILL").unwrap())])
        .collect();

    // Many writers at once, over the WebSocket (pipelined) and HTTP; every answer is an ack.
    let mut organiser = Ws::connect(&server.ws_url(), &key).await.unwrap();
    let mut ids = Vec::new();
    // 50 pipelined requests fit within one connection's burst allowance (60, hello included).
    for i in 0..50u32 {
        let session = ["s1", "s2", "s3"][i as usize % 3];
        let msg = if i % 5 == 4 {
            ClientMsg::Announce {
                event: EventCode::parse("KILL").unwrap(),
                text: format!("Note {i}"),
            }
        } else {
            ClientMsg::SetStage {
                event: EventCode::parse("KILL").unwrap(),
                session: SessionId::parse(session).unwrap(),
                update: {
                    let status = ["live", "paused"][i as usize % 2];
                    serde_json::from_value(json!({"status": status, "on_stage": {"kind": "text", "text": format!("Item {i}")}})).unwrap()
                },
            }
        };
        ids.push(organiser.request(&msg).await.unwrap());
    }
    let mut http_acks = Vec::new();
    for i in 0..130 {
        let http = server.http();
        let key = key.clone();
        http_acks.push(tokio::spawn(async move {
            let a = http
                .set_stage(
                    &key,
                    "KILL",
                    "s2",
                    json!({"on_stage": {"kind": "text", "text": format!("HTTP {i}")}}),
                )
                .await
                .unwrap();
            assert_eq!(a.status, 200, "{}", a.body);
        }));
    }
    let mut unanswered: std::collections::HashSet<u64> = ids.into_iter().collect();
    while !unanswered.is_empty() {
        match organiser.recv().await.unwrap() {
            ServerMsg::Ok { id, .. } => assert!(unanswered.remove(&id)),
            ServerMsg::Error { .. } => panic!("a write was refused"),
            _ => {}
        }
    }
    for t in http_acks {
        t.await.unwrap();
    }

    // A stage status change is also logged in the event room (`session_status`), as a
    // follow-up committed just after its acknowledged write: wait for those too.
    let mut status: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    let mut changes = 0u64;
    for i in (0..50usize).filter(|i| i % 5 != 4) {
        let new = ["live", "paused"][i % 2];
        if status.insert(["s1", "s2", "s3"][i % 3], new) != Some(new) {
            changes += 1;
        }
    }
    let event_seq = 1 + 10 + changes;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let now = snapshots(&server.ws_url(), &server.http(), &rooms).await;
        if now[3].0 == event_seq {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the event room reached seq {}, not {event_seq}",
            now[3].0
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // What every room looks like now, as a client sees it.
    let before = snapshots(&server.ws_url(), &server.http(), &rooms).await;
    server.kill9().await;

    let server = ServerProcess::spawn(BIN, dir.path(), &[]).await.unwrap();
    assert!(
        server.organiser_key.is_none(),
        "the organiser key is created once, not on every start"
    );
    let after = snapshots(&server.ws_url(), &server.http(), &rooms).await;
    assert_eq!(before, after);
    let total: u64 = after.iter().map(|(seq, _)| seq).sum();
    assert_eq!(
        total,
        50 + 130 + 1 + changes,
        "every acknowledged change (and the event's creation, and the statuses) is there"
    );
    // The organiser key from the first start still works after the restart.
    let a = server
        .http()
        .send("GET", "/api/events", Some(&key), None)
        .await
        .unwrap();
    assert_eq!(a.status, 200);
}

async fn snapshots(
    url: &str,
    http: &Http,
    rooms: &[RoomId],
) -> Vec<(u64, plenum_protocol::RoomState)> {
    let token = http.join("KILL", Some("Checker")).await.unwrap();
    let mut ws = Ws::connect(url, &token).await.unwrap();
    let mut out = Vec::new();
    for room in rooms {
        let mut m = Mirror::new(room.clone());
        ws.join(room, None, &mut m).await.unwrap();
        out.push((m.seq, m.state.unwrap()));
    }
    out
}

#[tokio::test]
async fn sigterm_closes_clients_with_reconnect_and_exits_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::spawn(BIN, dir.path(), &["--demo"])
        .await
        .unwrap();
    let token = server.http().join("ECC2026", Some("Eva")).await.unwrap();
    let mut ws = Ws::connect(&server.ws_url(), &token).await.unwrap();
    let status = server.terminate().await.unwrap();
    assert!(status.success(), "{status:?}");
    assert_eq!(
        ws.until_closed().await.unwrap(),
        Ended::Closed(close::SERVICE_RESTART)
    );
}
