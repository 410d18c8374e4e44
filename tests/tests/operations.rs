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
    // Every frame sent went out with a flush, and no flush without a frame.
    let flushes = metric(&during, "plenum_flushes_total ");
    assert!(
        flushes >= 1.0 && flushes <= metric(&during, "plenum_messages_out_total "),
        "{flushes} flushes"
    );
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

/// The data directory holds the secret every token is signed with: its owner's alone. One that
/// was readable by others is narrowed at start.
#[cfg(unix)]
#[tokio::test]
async fn the_data_directory_and_the_store_are_private() {
    use std::os::unix::fs::PermissionsExt as _;
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("data");
    std::fs::create_dir(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut server = TestServer::start_with(TestConfig {
        data_dir: Some(dir.clone()),
        ..TestConfig::default()
    })
    .await;
    create_small_event(&server.http(), &server.organiser_key, "PRIV")
        .await
        .unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700, "the data directory");
    for name in ["plenum.sqlite3", "plenum.sqlite3-wal", "organiser-key"] {
        let path = dir.join(name);
        assert!(path.exists(), "{name} exists");
        assert_eq!(mode(&path), 0o600, "{name}");
    }
    server.stop().await;
}
