//! The live engine through the protocol: order, resume, slow clients, many clients,
//! heartbeats, shutdown.

use plenum_protocol::{EventCode, RoomId, ServerMsg, SessionId, close};
use plenum_tests::*;
use serde_json::json;
use std::time::Duration;

fn session(code: &str, id: &str) -> RoomId {
    RoomId::Session(
        EventCode::parse(code).unwrap(),
        SessionId::parse(id).unwrap(),
    )
}

fn stage_body(i: usize) -> serde_json::Value {
    let status = ["live", "paused"][i % 2];
    json!({"status": status, "on_stage": {"kind": "text", "text": format!("Slide {i}")}})
}

async fn set_stage_n(
    server: &TestServer,
    code: &str,
    id: &str,
    range: std::ops::Range<usize>,
) -> u64 {
    let http = server.http();
    let mut last = 0;
    for i in range {
        let a = http
            .set_stage(&server.organiser_key, code, id, stage_body(i))
            .await
            .unwrap();
        assert_eq!(a.status, 200, "{}", a.body);
        last = a.body["seq"].as_u64().unwrap();
    }
    last
}

/// Reads room traffic into `view` until it reaches the sequence number sent on `last`
/// (0 meaning "not known yet").
async fn read_until_told(
    mut ws: Ws,
    mut view: Mirror,
    mut last: tokio::sync::watch::Receiver<u64>,
) -> Mirror {
    loop {
        let target = *last.borrow_and_update();
        if target > 0 && view.seq >= target {
            return view;
        }
        tokio::select! {
            msg = ws.recv() => view.take(&msg.unwrap()).unwrap(),
            _ = last.changed() => {}
        }
    }
}

#[tokio::test]
async fn a_joiner_gets_a_snapshot_then_every_event_in_order() {
    let server = TestServer::start().await;
    create_small_event(&server.http(), &server.organiser_key, "WS1")
        .await
        .unwrap();
    set_stage_n(&server, "WS1", "s1", 0..3).await;

    let room = session("WS1", "s1");
    let mut ws = server.attendee("WS1", "Eva").await;
    let mut mirror = Mirror::new(room.clone());
    let joined = ws.join(&room, None, &mut mirror).await.unwrap();
    assert!(
        matches!(
            joined,
            ServerMsg::Joined {
                seq: 3,
                mode: plenum_protocol::JoinMode::Snapshot,
                ..
            }
        ),
        "{joined:?}"
    );
    assert_eq!(mirror.seq, 3);

    let last = set_stage_n(&server, "WS1", "s1", 3..13).await;
    assert_eq!(last, 13);
    while mirror.seq < last {
        let msg = ws.recv().await.unwrap();
        mirror.take(&msg).unwrap();
    }
    assert_eq!(
        mirror.events.iter().map(|(s, _)| *s).collect::<Vec<_>>(),
        (4..=13).collect::<Vec<_>>()
    );
    let plenum_protocol::RoomState::Session(s) = mirror.state.unwrap() else {
        panic!()
    };
    assert_eq!(
        s.stage.on_stage,
        plenum_protocol::OnStage::Text {
            text: "Slide 12".into()
        }
    );
}

#[tokio::test]
async fn a_dropped_client_resumes_with_exactly_what_it_missed() {
    let server = TestServer::start().await;
    create_small_event(&server.http(), &server.organiser_key, "WS2")
        .await
        .unwrap();
    let room = session("WS2", "s1");

    // An observer that stays connected sees the reference history.
    let mut observer = server.attendee("WS2", "Observer").await;
    let mut reference = Mirror::new(room.clone());
    observer.join(&room, None, &mut reference).await.unwrap();

    let token = server.http().join("WS2", Some("Phone")).await.unwrap();
    let mut phone = Ws::connect(&server.ws_url(), &token).await.unwrap();
    let mut mine = Mirror::new(room.clone());
    phone.join(&room, None, &mut mine).await.unwrap();

    // Events flow while the phone reads some of them, then drops mid-stream.
    let writer = {
        let http = server.http();
        let key = server.organiser_key.clone();
        tokio::spawn(async move {
            for i in 0..60 {
                let a = http
                    .set_stage(&key, "WS2", "s1", stage_body(i))
                    .await
                    .unwrap();
                assert_eq!(a.status, 200);
            }
        })
    };
    while mine.seq < 20 {
        let msg = phone.recv().await.unwrap();
        mine.take(&msg).unwrap();
    }
    drop(phone);
    writer.await.unwrap();
    let last_seen = mine.seq;
    assert!((20..60).contains(&last_seen), "dropped at {last_seen}");

    // Back on the Wi-Fi, with the same token, resuming from the last sequence seen.
    let mut phone = Ws::connect(&server.ws_url(), &token).await.unwrap();
    let joined = phone.join(&room, Some(last_seen), &mut mine).await.unwrap();
    let ServerMsg::Joined {
        mode,
        replayed,
        seq,
        ..
    } = joined
    else {
        panic!()
    };
    assert_eq!(mode, plenum_protocol::JoinMode::Replay);
    assert_eq!(seq, 60);
    assert_eq!(replayed, 60 - last_seen, "exactly the missed events");

    while reference.seq < 60 {
        let msg = observer.recv().await.unwrap();
        reference.take(&msg).unwrap();
    }
    // No gap, no duplicate (Mirror::take checks each step), and the same history.
    assert_eq!(mine.events, reference.events);
    assert_eq!(mine.state, reference.state);
}

#[tokio::test]
async fn a_client_too_far_behind_or_ahead_gets_a_fresh_snapshot() {
    let server = TestServer::start().await;
    create_small_event(&server.http(), &server.organiser_key, "WS3")
        .await
        .unwrap();
    // More events than the server keeps for replay.
    let n = plenum_server::engine::RECENT_EVENTS + 20;
    let mut tasks = Vec::new();
    for chunk in 0..8 {
        let http = server.http();
        let key = server.organiser_key.clone();
        tasks.push(tokio::spawn(async move {
            for i in (chunk..n).step_by(8) {
                let a = http
                    .send(
                        "POST",
                        "/api/events/WS3/announcements",
                        Some(&key),
                        Some(&json!({"text": format!("Note {i}")})),
                    )
                    .await
                    .unwrap();
                assert_eq!(a.status, 200, "{}", a.body);
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let room = RoomId::Event(EventCode::parse("WS3").unwrap());
    let last = n as u64 + 1; // the event's creation is seq 1
    let mut ws = server.attendee("WS3", "Late").await;
    for since in [Some(1), Some(last + 50)] {
        let mut m = Mirror::new(room.clone());
        let joined = ws.join(&room, since, &mut m).await.unwrap();
        let ServerMsg::Joined { mode, seq, .. } = joined else {
            panic!()
        };
        assert_eq!(
            (mode, seq),
            (plenum_protocol::JoinMode::Snapshot, last),
            "since {since:?}"
        );
        let plenum_protocol::RoomState::Event(e) = m.state.unwrap() else {
            panic!()
        };
        assert_eq!(
            e.announcements.len(),
            plenum_protocol::EventState::KEEP_ANNOUNCEMENTS
        );
    }
    // Within the window: a replay.
    let mut m = Mirror::new(room.clone());
    ws.join(&room, None, &mut m).await.unwrap();
    let since = last - 10;
    let mut m2 = Mirror::new(room.clone());
    m2.seq = since;
    m2.state = m.state.clone();
    let joined = ws.join(&room, Some(since), &mut m2).await.unwrap();
    assert!(
        matches!(joined, ServerMsg::Joined { replayed: 10, .. }),
        "{joined:?}"
    );
    let metrics = server
        .http()
        .get("/metrics")
        .await
        .unwrap()
        .body
        .to_string();
    assert!(
        metrics.contains("plenum_resume_snapshot_total 2"),
        "{metrics}"
    );
    assert!(
        metrics.contains("plenum_resume_replayed_total 1"),
        "{metrics}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_client_is_cut_and_the_others_are_unaffected() {
    const OVERFLOWS: &str = "plenum_queue_overflows_total";
    let server = TestServer::start_with(TestConfig {
        outbound_queue: Some(64),
        ..Default::default()
    })
    .await;
    create_small_event(&server.http(), &server.organiser_key, "SLOW")
        .await
        .unwrap();
    let room = RoomId::Event(EventCode::parse("SLOW").unwrap());

    let token = server
        .http()
        .join("SLOW", Some("Stalled phone"))
        .await
        .unwrap();
    let mut slow = Ws::connect_small_buffer(&server.ws_url(), server.addr, &token)
        .await
        .unwrap();
    let mut slow_view = Mirror::new(room.clone());
    slow.join(&room, None, &mut slow_view).await.unwrap();

    let mut fast = server.attendee("SLOW", "Fast").await;
    let mut fast_view = Mirror::new(room.clone());
    fast.join(&room, None, &mut fast_view).await.unwrap();
    let (last_tx, last_rx) = tokio::sync::watch::channel(0u64);
    let fast_reader = tokio::spawn(read_until_told(fast, fast_view, last_rx));

    // The slow one reads nothing until the server reports it cut, then reads at once: what
    // was queued for it, then the Close frame, are its for 5 s from the cut.
    let metrics = server.http();
    let slow_reader = tokio::spawn(async move {
        while metric(&metrics, OVERFLOWS).await == 0.0 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let ended = loop {
            match slow.next_event(WAIT).await.unwrap() {
                Ok(msg) => slow_view.take(&msg).unwrap(),
                Err(end) => break end,
            }
        };
        (ended, slow_view)
    });

    // Publish large announcements until the server reports an overflow.
    let http = server.http();
    let text = "x".repeat(plenum_protocol::limits::MAX_ANNOUNCEMENT_CHARS);
    let mut last = 0;
    for round in 0..400 {
        let mut batch = Vec::new();
        for _ in 0..16 {
            let http = server.http();
            let key = server.organiser_key.clone();
            let text = text.clone();
            batch.push(tokio::spawn(async move {
                let a = http
                    .send(
                        "POST",
                        "/api/events/SLOW/announcements",
                        Some(&key),
                        Some(&json!({"text": text})),
                    )
                    .await
                    .unwrap();
                assert_eq!(a.status, 200, "{}", a.body);
                a.body["seq"].as_u64().unwrap()
            }));
        }
        for t in batch {
            last = last.max(t.await.unwrap());
        }
        if metric(&http, OVERFLOWS).await > 0.0 {
            break;
        }
        assert!(round < 399, "the slow client was never cut");
    }
    last_tx.send(last).unwrap();

    // The fast client got everything, in order (Mirror::take checks each step).
    let fast_view = tokio::time::timeout(Duration::from_secs(60), fast_reader)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(fast_view.seq, last);

    let (ended, mut slow_view) = slow_reader.await.unwrap();
    assert_eq!(metric(&http, OVERFLOWS).await, 1.0, "cut once");
    assert_eq!(ended, Ended::Closed(close::LAGGING));
    assert!(slow_view.seq < last);
    // …and does so, ending in the same state as everyone else.
    let mut slow = Ws::connect(&server.ws_url(), &token).await.unwrap();
    slow.join(&room, Some(slow_view.seq), &mut slow_view)
        .await
        .unwrap();
    assert_eq!(slow_view.seq, last);
    assert_eq!(slow_view.state, fast_view.state);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_clients_in_one_room_end_with_the_same_state() {
    const CLIENTS: usize = 1000;
    const CHANGES: usize = 40;
    let server = TestServer::start().await;
    create_small_event(&server.http(), &server.organiser_key, "BIG")
        .await
        .unwrap();
    let room = session("BIG", "s1");

    // Changes keep coming while clients join, so joins race with broadcasts.
    let writer = {
        let http = server.http();
        let key = server.organiser_key.clone();
        tokio::spawn(async move {
            let mut last = 0;
            for i in 0..CHANGES {
                let a = http
                    .set_stage(&key, "BIG", "s1", stage_body(i))
                    .await
                    .unwrap();
                assert_eq!(a.status, 200);
                last = a.body["seq"].as_u64().unwrap();
                tokio::time::sleep(Duration::from_millis(25)).await;
            }
            last
        })
    };
    let (done_tx, done_rx) = tokio::sync::watch::channel(0u64);
    let mut clients = Vec::with_capacity(CLIENTS);
    for i in 0..CLIENTS {
        let url = server.ws_url();
        let http = server.http();
        let room = room.clone();
        let done = done_rx.clone();
        clients.push(tokio::spawn(async move {
            let token = http
                .join("BIG", Some(&format!("Attendee {i}")))
                .await
                .unwrap();
            let mut ws = Ws::connect(&url, &token).await.unwrap();
            let mut view = Mirror::new(room.clone());
            ws.join(&room, None, &mut view).await.unwrap();
            read_until_told(ws, view, done).await
        }));
    }
    let last = writer.await.unwrap();
    assert_eq!(last, CHANGES as u64);
    done_tx.send(last).unwrap();
    let mut check = server.attendee("BIG", "Checker").await;
    let mut truth = Mirror::new(room.clone());
    check.join(&room, None, &mut truth).await.unwrap();
    for c in clients {
        let view = tokio::time::timeout(Duration::from_secs(120), c)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(view.seq, truth.seq);
        assert_eq!(view.state, truth.state);
    }
}

#[tokio::test]
async fn presence_counts_followers() {
    let server = TestServer::start().await;
    create_small_event(&server.http(), &server.organiser_key, "PRES")
        .await
        .unwrap();
    let room = session("PRES", "s2");
    let mut a = server.attendee("PRES", "A").await;
    let mut b = server.attendee("PRES", "B").await;
    let mut m = Mirror::new(room.clone());
    a.join(&room, None, &mut m).await.unwrap();
    b.join(&room, None, &mut m.clone()).await.unwrap();
    let count = |want: u64| {
        move |msg: &ServerMsg| {
            matches!(msg, ServerMsg::Presence { count, .. } if *count == want).then_some(())
        }
    };
    a.wait_for(count(2)).await.unwrap();
    b.close().await;
    a.wait_for(count(1)).await.unwrap();
}

#[tokio::test]
async fn a_silent_client_is_closed_by_the_heartbeat() {
    let server = TestServer::start_with(TestConfig {
        heartbeat: Some(Duration::from_millis(200)),
        ..Default::default()
    })
    .await;
    create_small_event(&server.http(), &server.organiser_key, "BEAT")
        .await
        .unwrap();
    let mut ws = server.attendee("BEAT", "Sleeper").await;
    // Not reading means not answering pings.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(
        ws.until_closed().await.unwrap(),
        Ended::Closed(close::HEARTBEAT_TIMEOUT)
    );

    // A client that reads (and so answers pings) stays.
    let mut ws = server.attendee("BEAT", "Awake").await;
    let outcome = tokio::time::timeout(Duration::from_millis(1200), ws.until_closed()).await;
    assert!(
        outcome.is_err(),
        "an attentive client was closed: {outcome:?}"
    );
}

#[tokio::test]
async fn shutdown_tells_every_client_to_reconnect_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = TestServer::start_with(TestConfig {
        data_dir: Some(dir.path().into()),
        ..Default::default()
    })
    .await;
    create_small_event(&server.http(), &server.organiser_key, "BYE")
        .await
        .unwrap();
    let room = session("BYE", "s1");
    let mut ws = server.attendee("BYE", "Eva").await;
    let mut view = Mirror::new(room.clone());
    ws.join(&room, None, &mut view).await.unwrap();
    let last = set_stage_n(&server, "BYE", "s1", 0..5).await;
    server.stop().await;
    let ended = loop {
        match ws.next_event(WAIT).await.unwrap() {
            Ok(msg) => view.take(&msg).unwrap(),
            Err(e) => break e,
        }
    };
    assert_eq!(ended, Ended::Closed(close::SERVICE_RESTART));
    assert_eq!(view.seq, last);

    let server = TestServer::start_with(TestConfig {
        data_dir: Some(dir.path().into()),
        ..Default::default()
    })
    .await;
    let token = server.http().join("BYE", Some("Eva")).await.unwrap();
    let mut ws = Ws::connect(&server.ws_url(), &token).await.unwrap();
    let joined = ws.join(&room, Some(view.seq), &mut view).await.unwrap();
    assert!(
        matches!(joined, ServerMsg::Joined { replayed: 0, seq, .. } if seq == last),
        "{joined:?}"
    );
}

/// Changes pipelined over one connection to rooms that are not loaded yet are decided in the
/// order they were sent, a refused one among them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_connections_changes_are_decided_in_the_order_sent() {
    let server = Fixture("ORDER").server(TestConfig::default()).await;
    check_pipelined_order(&server, "ORDER").await;
}
