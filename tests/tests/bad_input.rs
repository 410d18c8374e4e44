//! Bad input over the WebSocket gets a clear, typed error and changes nothing; abuse is
//! closed with a code that says what to do.

use plenum_protocol::{ClientMsg, ErrorCode, ServerMsg, close};
use plenum_tests::*;
use serde_json::json;

fn error_code(msg: &ServerMsg) -> Option<ErrorCode> {
    match msg {
        ServerMsg::Error { code, .. } => Some(*code),
        _ => None,
    }
}

#[tokio::test]
async fn malformed_frames_get_typed_errors_and_the_connection_survives() {
    let server = TestServer::start().await;
    create_small_event(&server.http(), &server.organiser_key, "BAD")
        .await
        .unwrap();
    let mut ws = server.attendee("BAD", "Mallory").await;
    for (frame, want_id, want_field) in [
        ("not json", None, None),
        (
            r#"{"id": 5, "type": "jion", "room": "event:BAD"}"#,
            Some(5),
            Some("type"),
        ),
        (
            r#"{"id": 6, "type": "join", "room": "lobby"}"#,
            Some(6),
            Some("room"),
        ),
        (r#"{"id": 7, "type": "join"}"#, Some(7), Some("room")),
        (
            r#"{"id": 9, "type": "join", "room": 42}"#,
            Some(9),
            Some("room"),
        ),
        (
            r#"{"id": 8, "type": "set_stage", "event": "BAD", "session": "s1", "status": "sideways"}"#,
            Some(8),
            Some("status"),
        ),
    ] {
        ws.send_text(frame).await.unwrap();
        match ws.recv().await.unwrap() {
            ServerMsg::Error {
                id,
                code,
                message,
                field,
            } => {
                assert_eq!(code, ErrorCode::BadRequest, "{frame}");
                assert_eq!(id, want_id, "{frame}");
                assert_eq!(field.as_deref(), want_field, "{frame}: the field to blame");
                assert!(!message.is_empty());
            }
            other => panic!("{frame}: {other:?}"),
        }
    }
    let id = ws
        .request(&ClientMsg::Join {
            room: plenum_protocol::RoomId::parse("session:BAD:nope").unwrap(),
            since: None,
        })
        .await
        .unwrap();
    assert_eq!(
        error_code(&ws.reply(id).await.unwrap()),
        Some(ErrorCode::NotFound)
    );
    let id = ws
        .request(&ClientMsg::Hello {
            versions: vec![1],
            token: "x".into(),
        })
        .await
        .unwrap();
    assert_eq!(
        error_code(&ws.reply(id).await.unwrap()),
        Some(ErrorCode::BadRequest)
    );
    ws.send(&ClientMsg::Ping { t: Some(3.0) }, None)
        .await
        .unwrap();
    assert_eq!(ws.recv().await.unwrap(), ServerMsg::Pong { t: Some(3.0) });
}

#[tokio::test]
async fn a_flood_of_garbage_is_closed_as_a_protocol_violation() {
    let server = TestServer::start_with(TestConfig {
        requests_per_second: Some(1000.0),
        ..Default::default()
    })
    .await;
    create_small_event(&server.http(), &server.organiser_key, "BAD")
        .await
        .unwrap();
    let mut ws = server.attendee("BAD", "Mallory").await;
    for _ in 0..30 {
        let _ = ws.send_text("{").await;
    }
    assert_eq!(
        ws.until_closed().await.unwrap(),
        Ended::Closed(close::PROTOCOL_VIOLATION)
    );
}

/// The count of bad frames starts again at each heartbeat: a client that slips now and then
/// over a long day is not cut; one that floods is.
#[tokio::test]
async fn bad_frames_are_counted_per_heartbeat_interval() {
    let heartbeat = std::time::Duration::from_millis(500);
    let server = TestServer::start_with(TestConfig {
        requests_per_second: Some(1000.0),
        heartbeat: Some(heartbeat),
        ..Default::default()
    })
    .await;
    create_small_event(&server.http(), &server.organiser_key, "BAD")
        .await
        .unwrap();
    let mut ws = server.attendee("BAD", "Slip").await;
    // 45 bad frames in all, 15 an interval: never more than 20 in one.
    for round in 0..3 {
        for _ in 0..15 {
            ws.send_text("{").await.unwrap();
        }
        for _ in 0..15 {
            assert_eq!(
                error_code(&ws.recv().await.unwrap()),
                Some(ErrorCode::BadRequest),
                "round {round}"
            );
        }
        // Reading (so answering the pings) past the next heartbeat.
        let quiet = tokio::time::timeout(heartbeat * 2, ws.until_closed()).await;
        assert!(quiet.is_err(), "round {round}: closed: {quiet:?}");
    }
    // 41 at once: however a heartbeat may split them, more than 20 fall in one interval.
    for _ in 0..41 {
        let _ = ws.send_text("{").await;
    }
    assert_eq!(
        ws.until_closed().await.unwrap(),
        Ended::Closed(close::PROTOCOL_VIOLATION)
    );
}

#[tokio::test]
async fn an_oversized_frame_closes_the_connection() {
    let server = TestServer::start().await;
    create_small_event(&server.http(), &server.organiser_key, "BAD")
        .await
        .unwrap();
    let mut ws = server.attendee("BAD", "Mallory").await;
    let big = json!({"type": "announce", "event": "BAD", "text": "x".repeat(plenum_protocol::limits::MAX_CLIENT_FRAME_BYTES)}).to_string();
    let _ = ws.send_text(&big).await;
    // Closed with a code that says "do not send that again", not just dropped.
    assert_eq!(
        ws.until_closed().await.unwrap(),
        Ended::Closed(close::PROTOCOL_VIOLATION)
    );
}

#[tokio::test]
async fn hello_is_required_and_checked() {
    let server = TestServer::start().await;
    create_small_event(&server.http(), &server.organiser_key, "BAD")
        .await
        .unwrap();
    let url = server.ws_url();

    let mut ws = Ws::connect_raw(&url, None).await.unwrap();
    ws.send(
        &ClientMsg::Join {
            room: plenum_protocol::RoomId::parse("event:BAD").unwrap(),
            since: None,
        },
        Some(1),
    )
    .await
    .unwrap();
    assert_eq!(
        error_code(&ws.recv().await.unwrap()),
        Some(ErrorCode::Unauthenticated)
    );
    // The first frame must be hello: anything else also ends the connection, at once (not
    // after the 10 s a client has to say hello).
    let quick = std::time::Duration::from_secs(3);
    assert_eq!(
        tokio::time::timeout(quick, ws.until_closed())
            .await
            .unwrap()
            .unwrap(),
        Ended::Closed(close::PROTOCOL_VIOLATION)
    );
    // So does a malformed first frame.
    let mut ws = Ws::connect_raw(&url, None).await.unwrap();
    ws.send_text("{not json").await.unwrap();
    assert_eq!(
        error_code(&ws.recv().await.unwrap()),
        Some(ErrorCode::BadRequest)
    );
    assert_eq!(
        tokio::time::timeout(quick, ws.until_closed())
            .await
            .unwrap()
            .unwrap(),
        Ended::Closed(close::PROTOCOL_VIOLATION)
    );

    // A hello without a token is refused like a wrong one.
    let mut ws = Ws::connect_raw(&url, None).await.unwrap();
    ws.send_text(r#"{"type": "hello", "versions": [1]}"#)
        .await
        .unwrap();
    assert_eq!(
        error_code(&ws.recv().await.unwrap()),
        Some(ErrorCode::Unauthenticated)
    );
    assert_eq!(
        ws.until_closed().await.unwrap(),
        Ended::Closed(close::AUTH_FAILED)
    );

    let mut ws = Ws::connect_raw(&url, None).await.unwrap();
    ws.send(
        &ClientMsg::Hello {
            versions: vec![1],
            token: "p1.Zm9yZ2Vk.c2ln".into(),
        },
        None,
    )
    .await
    .unwrap();
    assert_eq!(
        error_code(&ws.recv().await.unwrap()),
        Some(ErrorCode::Unauthenticated)
    );
    assert_eq!(
        ws.until_closed().await.unwrap(),
        Ended::Closed(close::AUTH_FAILED)
    );

    let token = server.http().join("BAD", None).await.unwrap();
    let mut ws = Ws::connect_raw(&url, None).await.unwrap();
    ws.send(
        &ClientMsg::Hello {
            versions: vec![99],
            token,
        },
        None,
    )
    .await
    .unwrap();
    assert_eq!(
        error_code(&ws.recv().await.unwrap()),
        Some(ErrorCode::UnsupportedVersion)
    );
    assert_eq!(
        ws.until_closed().await.unwrap(),
        Ended::Closed(close::UNSUPPORTED_PROTOCOL)
    );
}

/// A client that closes gets the server's Close frame back (RFC 6455), not a dropped connection.
#[tokio::test]
async fn a_close_from_the_client_is_answered() {
    let server = TestServer::start().await;
    create_small_event(&server.http(), &server.organiser_key, "BAD")
        .await
        .unwrap();
    let mut ws = server.attendee("BAD", "Eva").await;
    assert_eq!(ws.close_and_read().await.unwrap(), Ended::Closed(1000));
}

#[tokio::test]
async fn websockets_from_a_foreign_origin_are_refused() {
    let server = TestServer::start().await;
    let url = server.ws_url();
    let err = Ws::connect_raw(&url, Some("https://evil.example"))
        .await
        .err()
        .expect("refused");
    assert!(err.to_string().contains("403"), "{err}");
    let own = format!("http://{}", server.addr);
    assert!(Ws::connect_raw(&url, Some(&own)).await.is_ok());
}

#[tokio::test]
async fn requests_beyond_the_rate_limit_are_refused_with_rate_limited() {
    let server = TestServer::start_with(TestConfig {
        requests_per_second: Some(2.0),
        ..Default::default()
    })
    .await;
    create_small_event(&server.http(), &server.organiser_key, "BAD")
        .await
        .unwrap();
    let mut ws = server.attendee("BAD", "Eager").await;
    for _ in 0..10 {
        ws.send(&ClientMsg::Ping { t: None }, None).await.unwrap();
    }
    let mut codes = Vec::new();
    for _ in 0..10 {
        codes.push(error_code(&ws.recv().await.unwrap()));
    }
    // The burst is 3 × rate = 6 requests, and the hello was one of them.
    assert_eq!(codes.iter().filter(|c| c.is_none()).count(), 5, "{codes:?}");
    assert!(codes.contains(&Some(ErrorCode::RateLimited)), "{codes:?}");
    let metrics = server
        .http()
        .get("/metrics")
        .await
        .unwrap()
        .body
        .to_string();
    assert!(metrics.contains("plenum_rate_limited_total 5"), "{metrics}");
}

#[tokio::test]
async fn bad_input_over_http_is_typed() {
    let server = TestServer::start().await;
    let http = server.http();
    create_small_event(&http, &server.organiser_key, "BAD")
        .await
        .unwrap();
    let a = http
        .send(
            "POST",
            "/api/events/BAD/join",
            None,
            Some(&json!({"name": "x".repeat(61)})),
        )
        .await
        .unwrap();
    assert_eq!(
        (a.status, a.body["code"].as_str(), a.body["field"].as_str()),
        (413, Some("too_large"), Some("name"))
    );
    let a = http
        .send(
            "POST",
            "/api/events/BAD/join",
            None,
            Some(&json!({"name": "Eva", "role": "organiser"})),
        )
        .await
        .unwrap();
    assert_eq!(
        (a.status, a.body["field"].as_str()),
        (400, Some("role")),
        "{}",
        a.body
    );
    let a = http
        .send("POST", "/api/events/NOPE/join", None, Some(&json!({})))
        .await
        .unwrap();
    assert_eq!(a.status, 404);
    let a = http
        .set_stage(
            &server.organiser_key,
            "BAD",
            "s1",
            json!({"on_stage": {"kind": "contribution", "number": 9}}),
        )
        .await
        .unwrap();
    assert_eq!(
        (a.status, a.body["field"].as_str()),
        (400, Some("on_stage.number"))
    );
    let a = http
        .set_stage(
            &server.organiser_key,
            "BAD",
            "s1",
            json!({"on_stage": {"kind": "text", "text": "x".repeat(281)}}),
        )
        .await
        .unwrap();
    // An over-long text is `too_large` naming its field, whatever the text (issue 12, item 13).
    assert_eq!(
        (a.status, a.body["code"].as_str(), a.body["field"].as_str()),
        (413, Some("too_large"), Some("on_stage.text")),
        "{}",
        a.body
    );
    let a = http
        .send(
            "POST",
            "/api/events/BAD/announcements",
            Some(&server.organiser_key),
            Some(&json!({"text": "x".repeat(plenum_protocol::limits::MAX_ANNOUNCEMENT_CHARS + 1)})),
        )
        .await
        .unwrap();
    assert_eq!(
        (a.status, a.body["code"].as_str(), a.body["field"].as_str()),
        (413, Some("too_large"), Some("text")),
        "{}",
        a.body
    );
    let a = http
        .send(
            "POST",
            "/api/events/BAD/announcements",
            Some(&server.organiser_key),
            Some(&json!({"text": "   "})),
        )
        .await
        .unwrap();
    assert_eq!((a.status, a.body["field"].as_str()), (400, Some("text")));
    // Names are text, never markup: stored and returned exactly as typed.
    let a = http
        .send(
            "POST",
            "/api/events/BAD/join",
            None,
            Some(&json!({"name": "<img src=x onerror=alert(1)>"})),
        )
        .await
        .unwrap();
    assert_eq!(a.body["person"]["name"], "<img src=x onerror=alert(1)>");
}

/// Sends `request` (and `then`, in the same write) on a new TCP connection to `server`; gives
/// what came back until the server closed or went quiet for a moment.
async fn raw_exchange(server: &TestServer, request: &str, then: &[u8]) -> Vec<u8> {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let mut tcp = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let mut out = request.as_bytes().to_vec();
    out.extend_from_slice(then);
    tcp.write_all(&out).await.unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(Ok(n)) =
        tokio::time::timeout(std::time::Duration::from_millis(1500), tcp.read(&mut buf)).await
    {
        if n == 0 {
            break;
        }
        got.extend_from_slice(&buf[..n]);
    }
    got
}

/// A client's text frame: masked, as RFC 6455 asks of clients.
fn masked_text(text: &str) -> Vec<u8> {
    let mask = [0x37, 0xfa, 0x21, 0x3d];
    assert!(text.len() < 126, "a short frame");
    let mut frame = vec![0x81, 0x80 | text.len() as u8];
    frame.extend_from_slice(&mask);
    frame.extend(text.bytes().enumerate().map(|(i, b)| b ^ mask[i % 4]));
    frame
}

#[tokio::test]
async fn the_upgrade_is_rfc_6455s_handshake_and_anything_else_gets_its_status() {
    let server = TestServer::start().await;
    let request = |headers: &str| {
        format!(
            "GET /ws HTTP/1.1\r\nHost: {}\r\n{headers}Content-Length: 0\r\n\r\n",
            server.addr
        )
    };
    let key = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
    let status = |reply: &[u8]| {
        String::from_utf8_lossy(reply)
            .lines()
            .next()
            .map(str::to_owned)
    };
    for (headers, want) in [
        (String::new(), "426"),
        (
            format!("Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n{key}"),
            "426",
        ),
        (
            format!("Connection: upgrade\r\nUpgrade: h2c\r\nSec-WebSocket-Version: 13\r\n{key}"),
            "400",
        ),
        (
            format!("Connection: upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 8\r\n{key}"),
            "426",
        ),
        (
            "Connection: upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n".into(),
            "400",
        ),
        (
            "Connection: upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: c2hvcnQ=\r\n".into(),
            "400",
        ),
    ] {
        let reply = raw_exchange(&server, &request(&headers), &[]).await;
        let line = status(&reply).unwrap_or_default();
        assert!(line.contains(want), "{headers:?}: {line}");
        if want == "426" {
            let text = String::from_utf8_lossy(&reply).to_ascii_lowercase();
            assert!(text.contains("upgrade: websocket"), "{text}");
            assert!(text.contains("sec-websocket-version: 13"), "{text}");
        }
    }

    // A good handshake, with the client's first frame in the same write as its request: the
    // RFC's own example key gets the RFC's accept key, and the hello sent early is read.
    let hello = format!(
        r#"{{"type":"hello","versions":[1],"token":"{}"}}"#,
        server.organiser_key
    );
    let reply = raw_exchange(
        &server,
        &request(&format!(
            "Connection: keep-alive, Upgrade\r\nUpgrade: WebSocket\r\nSec-WebSocket-Version: 13\r\n{key}"
        )),
        &masked_text(&hello),
    )
    .await;
    let text = String::from_utf8_lossy(&reply);
    assert!(status(&reply).unwrap_or_default().contains("101"), "{text}");
    assert!(
        text.to_ascii_lowercase()
            .contains("sec-websocket-accept: s3pplmbitxaq9kygzzhzrbk+xoo="),
        "{text}"
    );
    // The welcome, as an unmasked text frame after the headers.
    let body = &reply[text.find("\r\n\r\n").expect("headers end") + 4..];
    assert_eq!(body.first(), Some(&0x81), "a final text frame");
    assert!(
        String::from_utf8_lossy(body).contains(r#""type":"welcome""#),
        "{text}"
    );
}
