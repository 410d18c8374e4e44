//! Limits per address and on connections (issue 12, items 3 and 4): joins, requests and
//! WebSockets per client address (the forwarded one only behind a trusted proxy), a cap on all
//! connections answered with 503, and timeouts for silent and slow clients.

use plenum_server::transport::{addresses::AddressConfig, listener::Timeouts};
use plenum_tests::*;
use std::time::{Duration, Instant};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

const EVENT: &str = "LIMITS";
const F: Fixture = Fixture(EVENT);

/// Limits that bind only what a test sets.
fn only(set: impl FnOnce(&mut AddressConfig)) -> AddressConfig {
    let mut c = AddressConfig::unlimited();
    set(&mut c);
    c
}

/// A raw HTTP/1.1 request; the status of the answer (0 when the connection just closed).
async fn status_of(addr: std::net::SocketAddr, request: &str) -> u16 {
    let mut tcp = TcpStream::connect(addr).await.unwrap();
    tcp.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(WAIT, tcp.read_to_end(&mut answer)).await;
    let text = String::from_utf8_lossy(&answer);
    text.split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

fn join_request(forwarded: Option<&str>) -> String {
    let body = r#"{"name":"Eva"}"#;
    let xff = forwarded.map_or(String::new(), |a| format!("x-forwarded-for: {a}\r\n"));
    format!(
        "POST /api/events/{EVENT}/join HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nconnection: close\r\n{xff}\r\n{body}",
        body.len()
    )
}

#[tokio::test]
async fn a_burst_of_joins_from_one_address_is_cut_and_answered_429() {
    let server = F
        .server(TestConfig {
            addresses: Some(only(|c| {
                c.joins_per_second = 0.5;
                c.join_burst = 30.0;
            })),
            ..TestConfig::default()
        })
        .await;
    let http = server.http();
    let mut ok = 0;
    let mut limited = None;
    for _ in 0..100 {
        let a = http
            .send(
                "POST",
                &format!("/api/events/{EVENT}/join"),
                None,
                Some(&serde_json::json!({})),
            )
            .await
            .unwrap();
        match a.status {
            200 => ok += 1,
            429 => limited = Some(a.body),
            other => panic!("unexpected {other}: {}", a.body),
        }
    }
    assert!((30..=32).contains(&ok), "{ok} joins went through");
    assert_eq!(limited.unwrap()["code"], "rate_limited");
    // Other requests from the address are not joins: they go on.
    assert_eq!(
        http.get(&format!("/api/events/{EVENT}"))
            .await
            .unwrap()
            .status,
        200
    );
    // A forged X-Forwarded-For changes nothing without --trust-proxy.
    assert_eq!(
        status_of(server.addr, &join_request(Some("203.0.113.1"))).await,
        429
    );
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_address_has_its_own_allowance() {
    let server = F
        .server(TestConfig {
            addresses: Some(only(|c| {
                c.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
                c.joins_per_second = 0.1;
                c.join_burst = 5.0;
            })),
            ..TestConfig::default()
        })
        .await;
    // 20 people behind the proxy, one join each: every one goes through.
    for i in 0..20 {
        let forwarded = format!("198.51.100.9, 203.0.113.{i}");
        assert_eq!(
            status_of(server.addr, &join_request(Some(&forwarded))).await,
            200,
            "person {i}"
        );
    }
    // One of them joining again and again is cut after its own burst.
    let statuses: Vec<u16> = {
        let mut v = Vec::new();
        for _ in 0..10 {
            v.push(status_of(server.addr, &join_request(Some("203.0.113.3"))).await);
        }
        v
    };
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        4,
        "{statuses:?}"
    );
    assert!(statuses.contains(&429));
}

#[tokio::test]
async fn one_address_cannot_hold_more_websockets_than_its_share() {
    let server = F
        .server(TestConfig {
            addresses: Some(only(|c| c.websockets = 3)),
            ..TestConfig::default()
        })
        .await;
    let token = server.http().join(EVENT, Some("Eva")).await.unwrap();
    let mut open = Vec::new();
    for _ in 0..3 {
        open.push(Ws::connect(&server.ws_url(), &token).await.unwrap());
    }
    let fourth = Ws::connect(&server.ws_url(), &token).await;
    let error = format!("{:?}", fourth.err().expect("the fourth is refused"));
    assert!(error.contains("429"), "{error}");
    // Closing one frees its place.
    let mut first = open.remove(0);
    first.close_and_read().await.unwrap();
    drop(first);
    eventually("a place is free again", || async {
        Ws::connect(&server.ws_url(), &token).await.ok().map(|_| ())
    })
    .await;
}

/// A TCP connection from source address `127.0.0.{source}`.
async fn from(source: u8, server: std::net::SocketAddr) -> TcpStream {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket
        .bind(format!("127.0.0.{source}:0").parse().unwrap())
        .unwrap();
    socket.connect(server).await.unwrap()
}

/// What a connection from `127.0.0.{source}` is answered: the status, 0 if just closed.
async fn status_from(source: u8, server: std::net::SocketAddr) -> u16 {
    let mut tcp = from(source, server).await;
    let _ = tcp
        .write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n")
        .await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(WAIT, tcp.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer)
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

#[tokio::test]
async fn past_max_connections_the_server_answers_503_and_silent_sockets_are_closed() {
    let server = F
        .server(TestConfig {
            max_connections: Some(4),
            timeouts: Some(Timeouts {
                header: Duration::from_secs(1),
                ..Timeouts::default()
            }),
            ..TestConfig::default()
        })
        .await;
    // The connection that created the event is kept alive by the test's HTTP client: let the
    // header timeout (which bounds idle keep-alive too) close it first.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    // One peer holds at most half of the places: two silent sockets from 127.0.0.2…
    let mut silent = vec![from(2, server.addr).await, from(2, server.addr).await];
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    assert_eq!(
        status_from(2, server.addr).await,
        503,
        "a third from the same peer"
    );
    // …two more from 127.0.0.3 fill every place, so anyone else is answered 503 at once.
    silent.push(from(3, server.addr).await);
    silent.push(from(3, server.addr).await);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        status_from(4, server.addr).await,
        503,
        "past --max-connections"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    // The silent ones are closed after the header timeout (1 s here; 10 s by default)…
    for mut s in silent {
        let mut buf = [0u8; 64];
        let n = tokio::time::timeout(Duration::from_secs(5), s.read(&mut buf))
            .await
            .expect("closed within the header timeout")
            .unwrap_or(0);
        let answer = String::from_utf8_lossy(&buf[..n]);
        assert!(n == 0 || answer.starts_with("HTTP/1.1 408"), "{answer}");
    }
    // …and so is one that sends its headers too slowly.
    let mut slow = from(5, server.addr).await;
    slow.write_all(b"GET /healthz HTTP/1.1\r\n").await.unwrap();
    let started = Instant::now();
    let _ = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            if slow.write_all(b"x-slow: 1\r\n").await.is_err() {
                return;
            }
            let mut buf = [0u8; 64];
            match tokio::time::timeout(Duration::from_millis(300), slow.read(&mut buf)).await {
                Ok(Ok(0)) | Ok(Err(_)) => return,
                _ => {}
            }
        }
    })
    .await;
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "a slow header is cut by the timeout"
    );
    // Places are free again.
    eventually("places are free again", || async {
        (status_from(6, server.addr).await == 200).then_some(())
    })
    .await;
}

#[tokio::test]
async fn a_client_that_stops_reading_is_cut_after_the_write_timeout() {
    // A file larger than the kernel's socket buffers on both sides (4 MiB and 4 KiB here).
    let web = tempfile::tempdir().unwrap();
    std::fs::write(web.path().join("index.html"), "<!doctype html>").unwrap();
    let size = 24 * 1024 * 1024;
    std::fs::write(web.path().join("big.bin"), vec![7u8; size]).unwrap();
    let server = TestServer::start_with(TestConfig {
        web_dir: Some(web.path().to_path_buf()),
        timeouts: Some(Timeouts {
            write: Duration::from_secs(1),
            ..Timeouts::default()
        }),
        ..TestConfig::default()
    })
    .await;
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let mut tcp = socket.connect(server.addr).await.unwrap();
    tcp.write_all(b"GET /big.bin HTTP/1.1\r\nhost: x\r\n\r\n")
        .await
        .unwrap();
    // Read nothing for a while: the server's write stalls, and it gives up.
    tokio::time::sleep(Duration::from_secs(4)).await;
    let mut got = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(20), tcp.read_to_end(&mut got)).await;
    assert!(
        got.len() < size,
        "the whole {} bytes arrived: the stalled write was never cut",
        got.len()
    );
    // The server is fine.
    assert_eq!(server.http().get("/healthz").await.unwrap().status, 200);
}

#[tokio::test]
async fn questions_count_per_address_across_throwaway_identities() {
    let server = F
        .server(TestConfig {
            addresses: Some(only(|c| {
                c.asks_per_second = 0.01;
                c.ask_burst = 3.0;
            })),
            ..TestConfig::default()
        })
        .await;
    let mut answers = Vec::new();
    // Two identities, two questions each: within each one's own limit of five.
    for name in ["One", "Two"] {
        let mut m = F.attendee(&server, name).await;
        for k in 0..2 {
            answers.push(
                m.ask(plenum_protocol::ClientMsg::Ask {
                    event: F.ev(),
                    session: F.s1(),
                    text: format!("{name} {k}"),
                    anonymous: false,
                })
                .await,
            );
        }
    }
    let cut: Vec<_> = answers
        .iter()
        .filter(|a| !matches!(a, plenum_protocol::ServerMsg::Ok { .. }))
        .collect();
    assert_eq!(cut.len(), 1, "{answers:?}");
    assert_eq!(refused(cut[0]), plenum_protocol::ErrorCode::RateLimited);
}
