//! Faults of a scale-out deployment, each against real redis-server processes on spare ports:
//! Redis restarting, Redis down, an instance killed, a subscriber Redis drops for being slow.

use plenum_protocol::{ClientMsg, EventCode, JoinMode, OnStage, RoomId, ServerMsg, SessionId};
use plenum_tests::*;
use serde_json::json;
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_plenum-under-test");
const CODE: &str = "FAULT";
const F: Fixture = Fixture(CODE);

fn slide(i: usize) -> serde_json::Value {
    json!({"on_stage": {"kind": "text", "text": format!("Slide {i}")}})
}

/// The slide texts a view's events put on stage, in order.
fn slides(view: &Mirror) -> Vec<String> {
    view.events
        .iter()
        .filter_map(|(_, e)| match e {
            plenum_protocol::RoomEvent::StageChanged { stage } => match &stage.on_stage {
                OnStage::Text { text } => Some(text.clone()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

async fn two_instances(redis: &RedisServer) -> Vec<TestServer> {
    let servers = redis_instances(redis, 2, TestConfig::default()).await;
    create_small_event(&servers[0].http(), &servers[0].organiser_key, CODE)
        .await
        .unwrap();
    servers
}

async fn ready(http: &Http) -> u16 {
    http.get("/readyz").await.map_or(0, |a| a.status)
}

#[tokio::test]
async fn a_redis_restart_loses_no_acknowledged_write() {
    let mut redis = RedisServer::start();
    let servers = two_instances(&redis).await;
    let key = servers[0].organiser_key.clone();
    let mut followers = Vec::new();
    for (i, s) in servers.iter().enumerate() {
        followers.push(Member::attendee(s, CODE, &format!("F{i}"), &F.room()).await);
    }
    let mut acknowledged = Vec::new();
    let mut refused = 0;
    for i in 0..60 {
        if i == 20 {
            redis.kill9();
        }
        if i == 40 {
            redis.restart();
        }
        let http = servers[i % 2].http();
        let a = http.set_stage(&key, CODE, "s1", slide(i)).await.unwrap();
        match a.status {
            200 => acknowledged.push((a.body["seq"].as_u64().unwrap(), format!("Slide {i}"))),
            503 => {
                assert_eq!(a.body["code"], "unavailable", "{}", a.body);
                refused += 1;
            }
            other => panic!("unexpected {other}: {}", a.body),
        }
        if (20..40).contains(&i) {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    assert!(
        refused >= 20,
        "writes while Redis was down were refused, not queued"
    );
    // After the restart the instances came back by themselves; keep writing until acknowledged.
    let http = servers[1].http();
    let last = eventually("writes are accepted again", || {
        let (http, key) = (http.clone(), key.clone());
        async move {
            let a = http.set_stage(&key, CODE, "s1", slide(1000)).await.ok()?;
            (a.status == 200).then(|| a.body["seq"].as_u64().unwrap())
        }
    })
    .await;
    acknowledged.push((last, "Slide 1000".into()));
    for f in &mut followers {
        f.catch_up_to(last).await;
        let seen = slides(&f.view);
        for (seq, text) in &acknowledged {
            assert!(
                seen.contains(text),
                "acknowledged {text} (seq {seq}) was lost"
            );
        }
    }
    assert_eq!(followers[0].view.events, followers[1].view.events);
    for s in &servers {
        assert!(metric(&s.http(), "plenum_broker_reconnects_total").await >= 1.0);
        let late = Member::attendee(s, CODE, "Late", &F.room()).await;
        assert_eq!(late.view.state, followers[0].view.state);
    }
}

#[tokio::test]
async fn while_redis_is_down_writes_are_refused_reads_work_and_it_recovers_by_itself() {
    let mut redis = RedisServer::start();
    let servers = two_instances(&redis).await;
    let key = servers[0].organiser_key.clone();
    let mut follower = Member::attendee(&servers[0], CODE, "Follower", &F.room()).await;
    let a = servers[0]
        .http()
        .set_stage(&key, CODE, "s1", slide(1))
        .await
        .unwrap();
    follower.catch_up_to(a.body["seq"].as_u64().unwrap()).await;
    let before = follower.view.seq;
    assert_eq!(ready(&servers[0].http()).await, 200);

    redis.kill9();
    for s in &servers {
        let http = s.http();
        eventually("/readyz says not ready", || {
            let http = http.clone();
            async move { (ready(&http).await == 503).then_some(()) }
        })
        .await;
        let a = http.set_stage(&key, CODE, "s1", slide(2)).await.unwrap();
        assert_eq!(
            (a.status, a.body["code"].as_str()),
            (503, Some("unavailable"))
        );
        // A Q&A question over the WebSocket is refused the same way, retryably.
        let mut ws = s.attendee(CODE, "Asker").await;
        let r = ws
            .request(&ClientMsg::Ask {
                event: EventCode::parse(CODE).unwrap(),
                session: SessionId::parse("s1").unwrap(),
                text: "Is Redis down?".into(),
                anonymous: false,
            })
            .await
            .unwrap();
        assert_eq!(
            refused(&ws.reply(r).await.unwrap()),
            plenum_protocol::ErrorCode::Unavailable
        );
        // What the instance holds is still served: the agenda, and the room to a newcomer.
        assert_eq!(
            http.get(&format!("/api/events/{CODE}"))
                .await
                .unwrap()
                .status,
            200
        );
        // An event this instance has not heard of cannot be looked up: the store cannot
        // say whether it exists, so that is `unavailable`, not `not_found`, and the answer
        // is not remembered as a miss.
        for _ in 0..2 {
            let unknown = http.get("/api/events/NOSUCH").await.unwrap();
            assert_eq!(
                (unknown.status, unknown.body["code"].as_str()),
                (503, Some("unavailable")),
                "{}",
                unknown.body
            );
        }
    }
    let view = Member::attendee(&servers[0], CODE, "Newcomer", &F.room())
        .await
        .view;
    assert_eq!(view.seq, before);
    assert_eq!(view.state, follower.view.state);
    // Nothing refused ever reaches a client.
    while let Ok(next) = follower.ws.next_event(Duration::from_millis(300)).await {
        follower
            .view
            .take(&next.expect("the connection stays open"))
            .unwrap();
    }
    assert_eq!(follower.view.seq, before);

    redis.restart();
    for s in &servers {
        let http = s.http();
        eventually("/readyz says ready again", || {
            let http = http.clone();
            async move { (ready(&http).await == 200).then_some(()) }
        })
        .await;
        let unknown = http.get("/api/events/NOSUCH").await.unwrap();
        assert_eq!(
            (unknown.status, unknown.body["code"].as_str()),
            (404, Some("not_found"))
        );
    }
    let a = servers[1]
        .http()
        .set_stage(&key, CODE, "s1", slide(3))
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    let seq = a.body["seq"].as_u64().unwrap();
    assert_eq!(seq, before + 1, "the refused writes left no trace");
    follower.catch_up_to(seq).await;
    assert_eq!(slides(&follower.view).last().unwrap(), "Slide 3");
}

#[tokio::test]
async fn clients_of_a_killed_instance_resume_on_another_with_nothing_missing_or_twice() {
    const CLIENTS: usize = 30;
    let redis = RedisServer::start();
    let url = redis.url();
    let dir_a = tempfile::tempdir().unwrap();
    let dir_b = tempfile::tempdir().unwrap();
    let a = ServerProcess::spawn(BIN, dir_a.path(), &["--redis", &url])
        .await
        .unwrap();
    let key = a
        .organiser_key
        .clone()
        .expect("the first instance makes the key");
    let b = ServerProcess::spawn(BIN, dir_b.path(), &["--redis", &url])
        .await
        .unwrap();
    assert_eq!(
        b.organiser_key, None,
        "one organiser key for the deployment"
    );
    create_small_event(&b.http(), &key, CODE).await.unwrap();
    let mut clients = Vec::new();
    for i in 0..CLIENTS {
        let token = a.http().join(CODE, Some(&format!("C{i}"))).await.unwrap();
        let mut ws = Ws::connect(&a.ws_url(), &token).await.unwrap();
        let mut view = Mirror::new(F.room());
        ws.join(&F.room(), None, &mut view).await.unwrap();
        clients.push((token, ws, view));
    }
    // The organiser keeps changing the stage through B while A dies.
    let writer = {
        let (http, key) = (b.http(), key.clone());
        tokio::spawn(async move {
            let mut last = 0;
            for i in 0..40 {
                let r = http.set_stage(&key, CODE, "s1", slide(i)).await.unwrap();
                assert_eq!(r.status, 200, "{}", r.body);
                last = r.body["seq"].as_u64().unwrap();
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            last
        })
    };
    tokio::time::sleep(Duration::from_millis(150)).await;
    a.kill9().await;
    let mut modes = Vec::new();
    for (token, ws, view) in &mut clients {
        // Whatever A sent before dying is in the view; then the connection ends.
        while let Ok(Ok(msg)) = ws.next_event(Duration::from_secs(5)).await {
            view.take(&msg).unwrap();
        }
        let since = view.seq;
        let mut again = Ws::connect(&b.ws_url(), token).await.unwrap();
        let joined = again.join(&F.room(), Some(since), view).await.unwrap();
        let ServerMsg::Joined { mode, .. } = joined else {
            panic!("{joined:?}")
        };
        modes.push(mode);
        *ws = again;
    }
    let last = writer.await.unwrap();
    let mut fresh = Mirror::new(F.room());
    let mut ws = Ws::connect(&b.ws_url(), &b.http().join(CODE, None).await.unwrap())
        .await
        .unwrap();
    ws.join(&F.room(), None, &mut fresh).await.unwrap();
    for (_, ws, view) in &mut clients {
        while view.seq < last {
            let msg = ws.recv().await.unwrap();
            view.take(&msg).unwrap();
        }
        // The mirror refuses gaps and duplicates; it also saw every sequence number once.
        let seqs: Vec<u64> = view.events.iter().map(|(s, _)| *s).collect();
        assert_eq!(seqs, (1..=last).collect::<Vec<_>>());
        assert_eq!(view.state, fresh.state);
    }
    assert!(
        modes.iter().all(|m| *m == JoinMode::Replay),
        "B replayed exactly what each client missed: {modes:?}"
    );
}

#[tokio::test]
async fn a_subscriber_redis_drops_for_falling_behind_is_detected_and_recovered() {
    let redis = RedisServer::start();
    let servers = two_instances(&redis).await;
    let key = servers[0].organiser_key.clone();
    let mut follower = Member::attendee(&servers[1], CODE, "Follower", &F.room()).await;
    let mut event_follower = {
        let ws = servers[1].attendee(CODE, "Hall").await;
        Member::following(ws, &RoomId::Event(EventCode::parse(CODE).unwrap())).await
    };
    let reconnects = metric(&servers[1].http(), "plenum_broker_reconnects_total").await;
    // Redis closes any subscriber whose pending output passes 512 bytes: a long announcement
    // does it to every instance's subscriber at once.
    // Redis closes any subscriber whose pending output passes its limit. Redis first fills a
    // 16 KB buffer per client, so an agenda of about 25 KB (published to every instance as the
    // event's new document) does it to every subscriber at once.
    redis.cmd(&[
        "CONFIG",
        "SET",
        "client-output-buffer-limit",
        "pubsub 512 0 0",
    ]);
    let mut agenda = small_event(CODE)["agenda"].clone();
    let sessions = agenda["sessions"].as_array_mut().unwrap();
    for i in 0..5 {
        sessions.push(
            json!({"id": format!("x{i}"), "title": "Extra", "kind": "workshop", "day": 1,
            "start": "16:00", "end": "17:00", "description": "Words. ".repeat(700)}),
        );
    }
    let a = servers[0]
        .http()
        .send(
            "PUT",
            &format!("/api/events/{CODE}/agenda"),
            Some(&key),
            Some(&agenda),
        )
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    let announced = a.body["seq"].as_u64().unwrap();
    // Meanwhile the stage keeps changing on the other instance.
    let mut last = 0;
    for i in 0..20 {
        let a = servers[0]
            .http()
            .set_stage(&key, CODE, "s1", slide(i))
            .await
            .unwrap();
        assert_eq!(a.status, 200);
        last = a.body["seq"].as_u64().unwrap();
    }
    let http = servers[1].http();
    eventually("the dropped subscriber reconnected", || {
        let http = http.clone();
        async move {
            (metric(&http, "plenum_broker_reconnects_total").await > reconnects).then_some(())
        }
    })
    .await;
    redis.cmd(&[
        "CONFIG",
        "SET",
        "client-output-buffer-limit",
        "pubsub 32mb 8mb 60",
    ]);
    // Everything reaches the followers on the instance whose subscriber was dropped, in order.
    follower.catch_up_to(last).await;
    assert_eq!(
        slides(&follower.view),
        (0..20).map(|i| format!("Slide {i}")).collect::<Vec<_>>()
    );
    event_follower.catch_up_to(announced).await;
    // The event's document reached the instance too, though its message was dropped.
    let a = servers[1]
        .http()
        .get(&format!("/api/events/{CODE}"))
        .await
        .unwrap();
    assert_eq!(a.body["agenda"]["sessions"].as_array().unwrap().len(), 8);
}

#[tokio::test]
async fn a_write_published_while_an_instance_resubscribes_still_reaches_its_followers() {
    let redis = RedisServer::start();
    let servers = two_instances(&redis).await;
    let key = servers[0].organiser_key.clone();
    let mut follower = Member::attendee(&servers[1], CODE, "Follower", &F.room()).await;
    // Cut every subscriber; the one write of a quiet room is published while they reconnect
    // (they wait 100 ms first), so only the resync after resubscribing can bring it.
    redis.cmd(&["CLIENT", "KILL", "TYPE", "pubsub"]);
    let a = servers[0]
        .http()
        .set_stage(&key, CODE, "s1", slide(7))
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    follower.catch_up_to(a.body["seq"].as_u64().unwrap()).await;
    assert_eq!(slides(&follower.view), vec!["Slide 7".to_owned()]);
}

#[tokio::test]
async fn when_redis_has_lost_writes_an_instance_refuses_to_write_over_the_hole() {
    let redis = RedisServer::start();
    let servers = two_instances(&redis).await;
    let key = servers[0].organiser_key.clone();
    let http = servers[0].http();
    for i in 0..3 {
        let a = http.set_stage(&key, CODE, "s1", slide(i)).await.unwrap();
        assert_eq!(a.status, 200);
    }
    // Redis comes back empty (no persistence, or a failover to a replica that was behind).
    redis.cmd(&["FLUSHALL"]);
    let a = http.set_stage(&key, CODE, "s1", slide(9)).await.unwrap();
    assert_eq!(
        (a.status, a.body["code"].as_str()),
        (503, Some("unavailable"))
    );
    let log = redis.cmd(&["EXISTS", &format!("plenum:{{{}}}:log", F.room())]);
    assert_eq!(
        log,
        redis::Value::Int(0),
        "nothing was written over the hole"
    );
}

#[tokio::test]
async fn tallies_an_instance_died_before_publishing_are_published_by_another() {
    const VOTERS: usize = 10;
    let redis = RedisServer::start();
    let url = redis.url();
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = ServerProcess::spawn(BIN, dir_a.path(), &["--redis", &url])
        .await
        .unwrap();
    let key = a.organiser_key.clone().unwrap();
    let b = ServerProcess::spawn(BIN, dir_b.path(), &["--redis", &url])
        .await
        .unwrap();
    create_small_event(&b.http(), &key, CODE).await.unwrap();
    let token = b.http().join(CODE, Some("Asker")).await.unwrap();
    let mut follower =
        Member::following(Ws::connect(&b.ws_url(), &token).await.unwrap(), &F.room()).await;
    let asked = follower
        .ask(ClientMsg::Ask {
            event: EventCode::parse(CODE).unwrap(),
            session: SessionId::parse("s1").unwrap(),
            text: "Who counts?".into(),
            anonymous: false,
        })
        .await;
    let ServerMsg::Ok {
        question: Some(question),
        ..
    } = asked
    else {
        panic!("{asked:?}")
    };
    // People on A upvote at once; A dies as soon as their votes are acknowledged, before its
    // next tally (every 250 ms) can tell anyone.
    let mut voters = Vec::new();
    for i in 0..VOTERS {
        let token = a.http().join(CODE, Some(&format!("V{i}"))).await.unwrap();
        voters.push(Ws::connect(&a.ws_url(), &token).await.unwrap());
    }
    let mut ids = Vec::new();
    for v in &mut voters {
        let up = ClientMsg::Upvote {
            event: EventCode::parse(CODE).unwrap(),
            session: SessionId::parse("s1").unwrap(),
            question,
            up: true,
        };
        ids.push(v.request(&up).await.unwrap());
    }
    for (v, id) in voters.iter_mut().zip(ids) {
        let answer = v.reply(id).await.unwrap();
        assert!(matches!(answer, ServerMsg::Ok { .. }), "{answer:?}");
    }
    a.kill9().await;
    // B publishes the count A could not.
    follower
        .until_qa(|qa| qa.get(question).is_some_and(|q| q.votes == VOTERS as u64))
        .await;
}
