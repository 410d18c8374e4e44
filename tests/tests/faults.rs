//! A store outage: writes are refused as `unavailable` (retryable) and change nothing, nobody
//! sees a change that was not committed, `/readyz` says not ready, and everything works again
//! once the store is back, with no gap in any room's sequence.

use plenum_protocol::{ClientMsg, ErrorCode, EventCode, RoomId, ServerMsg, SessionId};
use plenum_tests::*;
use serde_json::json;
use std::{sync::atomic::Ordering, time::Duration};

#[tokio::test]
async fn a_store_outage_refuses_writes_loses_nothing_and_recovers() {
    let (server, down) = TestServer::start_flaky().await;
    let http = server.http();
    create_small_event(&http, &server.organiser_key, "FAULT")
        .await
        .unwrap();
    let room = RoomId::Session(
        EventCode::parse("FAULT").unwrap(),
        SessionId::parse("s1").unwrap(),
    );
    let mut watcher = Member::attendee(&server, "FAULT", "Watcher", &room).await;
    let mut asker = Member::attendee(&server, "FAULT", "Asker", &room).await;
    let a = http
        .set_stage(
            &server.organiser_key,
            "FAULT",
            "s1",
            json!({"status": "live"}),
        )
        .await
        .unwrap();
    assert_eq!(a.status, 200);
    watcher.catch_up_to(a.body["seq"].as_u64().unwrap()).await;
    let before = watcher.view.clone();

    down.store(true, Ordering::SeqCst);
    // HTTP and WebSocket writes are refused with a retryable error…
    let a = http
        .set_stage(
            &server.organiser_key,
            "FAULT",
            "s1",
            json!({"status": "ended"}),
        )
        .await
        .unwrap();
    assert_eq!(
        (a.status, a.body["code"].as_str()),
        (503, Some("unavailable")),
        "{}",
        a.body
    );
    assert!(ErrorCode::Unavailable.retryable());
    let reply = asker
        .ask(ClientMsg::Ask {
            event: EventCode::parse("FAULT").unwrap(),
            session: SessionId::parse("s1").unwrap(),
            text: "Lost?".into(),
            anonymous: false,
        })
        .await;
    assert!(
        matches!(
            reply,
            ServerMsg::Error {
                code: ErrorCode::Unavailable,
                ..
            }
        ),
        "{reply:?}"
    );
    // …readiness says so (after its one-second cache)…
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(http.get("/readyz").await.unwrap().status, 503);
    // …and nobody saw anything of the refused changes.
    let nothing = tokio::time::timeout(Duration::from_millis(500), watcher.ws.recv()).await;
    assert!(
        !matches!(nothing, Ok(Ok(ServerMsg::Event { .. }))),
        "an uncommitted change reached a client: {nothing:?}"
    );
    assert_eq!(watcher.view.seq, before.seq);

    down.store(false, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(http.get("/readyz").await.unwrap().status, 200);
    // Retrying works, and the room's sequence goes on with no gap (Mirror checks each step).
    let a = http
        .set_stage(
            &server.organiser_key,
            "FAULT",
            "s1",
            json!({"status": "ended"}),
        )
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    let reply = asker
        .ask(ClientMsg::Ask {
            event: EventCode::parse("FAULT").unwrap(),
            session: SessionId::parse("s1").unwrap(),
            text: "Retried".into(),
            anonymous: false,
        })
        .await;
    let ServerMsg::Ok {
        question: Some(q),
        seq: Some(seq),
        ..
    } = reply
    else {
        panic!("{reply:?}")
    };
    watcher.catch_up_to(seq).await;
    assert_eq!(watcher.view.seq, before.seq + 2);
    let s = watcher.session();
    assert_eq!(s.stage.status, plenum_protocol::StageStatus::Ended);
    assert_eq!(
        s.qa.questions
            .iter()
            .map(|q| (q.id, q.text.as_str()))
            .collect::<Vec<_>>(),
        vec![(q, "Retried")]
    );
}
