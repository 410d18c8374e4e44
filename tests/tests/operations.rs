//! Health, readiness and metrics.

use plenum_tests::*;

fn metric(text: &str, name: &str) -> f64 {
    text.lines()
        .find_map(|l| {
            l.strip_prefix(name)
                .and_then(|rest| rest.trim().parse().ok())
        })
        .unwrap_or_else(|| panic!("{name} missing in\n{text}"))
}

#[tokio::test]
async fn health_readiness_and_metrics() {
    let server = TestServer::start_with(TestConfig {
        demo: true,
        ..Default::default()
    })
    .await;
    let http = server.http();
    assert_eq!(http.get("/healthz").await.unwrap().status, 200);
    assert_eq!(http.get("/readyz").await.unwrap().status, 200);

    let before = http
        .get("/metrics")
        .await
        .unwrap()
        .body
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(metric(&before, "plenum_connections "), 0.0);
    let mut ws = server.attendee("ECC2026", "Eva").await;
    let room = plenum_protocol::RoomId::parse("session:ECC2026:opening").unwrap();
    ws.join(&room, None, &mut Mirror::new(room.clone()))
        .await
        .unwrap();
    let during = http
        .get("/metrics")
        .await
        .unwrap()
        .body
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(metric(&during, "plenum_connections "), 1.0);
    assert_eq!(metric(&during, "plenum_rooms "), 1.0);
    assert!(metric(&during, "plenum_messages_in_total ") >= 2.0);
    assert!(metric(&during, "plenum_messages_out_total ") >= 3.0);
    for name in [
        "plenum_queue_overflows_total ",
        "plenum_resume_replayed_total ",
        "plenum_resume_snapshot_total ",
    ] {
        metric(&during, name);
    }
}

#[tokio::test]
async fn without_a_built_client_the_root_says_how_to_build_it() {
    let server = TestServer::start().await;
    let a = server.http().get("/").await.unwrap();
    assert_eq!(a.status, 404);
    assert!(a.body.as_str().unwrap().contains("scripts/build-client"));
}
