use super::{Admit, Cut, Frame, Frames, OWN_FRAMES, Outlet, SEND_TIMEOUT, admit};
use crate::delivery::audience::Viewer;
use bytes::Bytes;
use plenum_protocol::RoomId;
use std::{sync::Arc, time::Duration};
use tokio::{
    io::AsyncReadExt,
    net::{TcpListener, TcpStream},
};

/// An outlet on one end of a loopback connection, and the other end.
async fn outlet(capacity: usize) -> (Arc<Outlet>, TcpStream) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let client = TcpStream::connect(listener.local_addr().unwrap())
        .await
        .unwrap();
    let (server, _) = listener.accept().await.unwrap();
    let outlet = Outlet::new(Arc::new(server), capacity, Default::default());
    (Arc::new(outlet), client)
}

fn room() -> RoomId {
    serde_json::from_str(r#""session:ECC2026:opening""#).unwrap()
}

fn event(seq: u64) -> Arc<Frames> {
    Arc::new(Frames::uniform(Frame::text(format!("{{\"seq\":{seq}}}"))))
}

/// Reads what arrives until nothing has for a moment, while the outlet writes what waits;
/// gives the text frames' payloads (binary frames, the filler, are skipped).
async fn received(outlet: &Arc<Outlet>, client: &mut TcpStream) -> Vec<String> {
    let pump = {
        let outlet = outlet.clone();
        tokio::spawn(async move { outlet.pump().await })
    };
    let mut bytes = Vec::new();
    let mut buf = vec![0u8; 1 << 16];
    while let Ok(Ok(n)) =
        tokio::time::timeout(std::time::Duration::from_millis(300), client.read(&mut buf)).await
    {
        if n == 0 {
            break;
        }
        bytes.extend_from_slice(&buf[..n]);
    }
    pump.abort();
    frames(&bytes)
        .into_iter()
        .filter(|(opcode, _)| *opcode == 1)
        .map(|(_, payload)| String::from_utf8(payload).unwrap())
        .collect()
}

/// The server's (unmasked) frames in `bytes`, as (opcode, payload); all of them whole.
pub(crate) fn frames(bytes: &[u8]) -> Vec<(u8, Vec<u8>)> {
    let (mut at, mut frames) = (0, Vec::new());
    while at < bytes.len() {
        let (opcode, short) = (bytes[at] & 0x0f, bytes[at + 1] & 0x7f);
        let (len, header) = match short {
            126 => (
                u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]) as usize,
                4,
            ),
            127 => panic!("no frame here is that long"),
            n => (n as usize, 2),
        };
        frames.push((opcode, bytes[at + header..at + header + len].to_vec()));
        at += header + len;
    }
    assert_eq!(at, bytes.len(), "a frame cut short");
    frames
}

/// A binary frame of 60,000 bytes: filler a client leaves unread.
pub(crate) fn filler() -> Bytes {
    let mut frame = vec![0x82, 126, 0xea, 0x60];
    frame.resize(4 + 60_000, 0);
    Bytes::from(frame)
}

/// Writes binary frames the client does not read until the socket takes no more.
fn fill(outlet: &Outlet) {
    let frame = filler();
    while outlet.waiting() == 0 {
        assert!(outlet.send_bytes(frame.clone()));
    }
}

#[tokio::test]
async fn what_arrives_during_a_catch_up_follows_it_once_and_in_order() {
    let (outlet, mut client) = outlet(16).await;
    outlet.follow(room(), Viewer::Staff);
    for seq in 1..=5 {
        let d = outlet.deliver(&room(), &[(Some(seq), &event(seq))]);
        assert_eq!((d.sent, d.writes), (1, 0), "held");
    }
    assert!(outlet.send(&Frame::text("snapshot at 3".into())));
    outlet.caught_up(&room(), 3);
    outlet.deliver(&room(), &[(Some(6), &event(6)), (None, &event(0))]);
    assert_eq!(
        received(&outlet, &mut client).await,
        [
            "snapshot at 3",
            r#"{"seq":4}"#,
            r#"{"seq":5}"#,
            r#"{"seq":6}"#,
            r#"{"seq":0}"#
        ]
    );
    assert_eq!(outlet.cut_for(), None);
}

fn answer(seq: u64) -> Frame {
    Frame::text(format!("ok {seq}"))
}

#[tokio::test]
async fn an_answer_follows_the_event_its_change_made() {
    let (outlet, mut client) = outlet(16).await;
    let other: RoomId = serde_json::from_str(r#""event:ECC2026""#).unwrap();
    // Its event already sent, another room's answer, and a room not followed: at once.
    outlet.follow(room(), Viewer::Staff);
    outlet.follow(other.clone(), Viewer::Staff);
    outlet.caught_up(&room(), 3);
    outlet.caught_up(&other, 0);
    assert!(outlet.send_after(&room(), 3, &answer(3)));
    let unfollowed: RoomId = serde_json::from_str(r#""event:OTHER""#).unwrap();
    assert!(outlet.send_after(&unfollowed, 9, &answer(9)));
    // Waiting for events 4 and 5; an answer of the other room waits for its own.
    assert!(outlet.send_after(&room(), 5, &answer(5)));
    assert!(outlet.send_after(&room(), 4, &answer(4)));
    assert!(outlet.send_after(&other, 1, &answer(1)));
    let d = outlet.deliver(&room(), &[(Some(4), &event(4))]);
    assert_eq!(
        (d.sent, d.writes),
        (1, 1),
        "the event and its answer in one write"
    );
    outlet.deliver(&room(), &[(Some(5), &event(5))]);
    assert_eq!(
        received(&outlet, &mut client).await,
        [
            "ok 3",
            "ok 9",
            r#"{"seq":4}"#,
            "ok 4",
            r#"{"seq":5}"#,
            "ok 5"
        ]
    );
    // The other room's answer is still waiting; leaving the room sends it.
    outlet.leave(&other);
    assert_eq!(received(&outlet, &mut client).await, ["ok 1"]);
}

#[tokio::test]
async fn answers_wait_through_a_catch_up_and_go_when_rooms_stop() {
    let (outlet, mut client) = outlet(16).await;
    outlet.follow(room(), Viewer::Staff);
    assert!(outlet.send_after(&room(), 2, &answer(2)));
    outlet.deliver(&room(), &[(Some(1), &event(1))]);
    outlet.deliver(&room(), &[(Some(2), &event(2))]);
    assert!(outlet.send_after(&room(), 3, &answer(3)));
    assert!(received(&outlet, &mut client).await.is_empty(), "held");
    assert!(outlet.send(&Frame::text("snapshot at 1".into())));
    outlet.caught_up(&room(), 1);
    assert_eq!(
        received(&outlet, &mut client).await,
        ["snapshot at 1", r#"{"seq":2}"#, "ok 2"]
    );
    // Rooms stop (the connection closes, or must resume): answers go without their event.
    outlet.stop_rooms();
    outlet.deliver(&room(), &[(Some(3), &event(3))]);
    assert_eq!(received(&outlet, &mut client).await, ["ok 3"]);
    assert!(outlet.send_after(&room(), 4, &answer(4)), "at once now");
    assert_eq!(received(&outlet, &mut client).await, ["ok 4"]);
}

#[tokio::test]
async fn answers_waiting_for_their_events_are_bounded() {
    let (outlet, mut client) = outlet(16).await;
    outlet.follow(room(), Viewer::Staff);
    outlet.caught_up(&room(), 0);
    let other: RoomId = serde_json::from_str(r#""session:ECC2026:pitches""#).unwrap();
    outlet.follow(other.clone(), Viewer::Staff);
    outlet.caught_up(&other, 0);
    for _ in 0..OWN_FRAMES {
        assert!(outlet.send_after(&room(), 1, &answer(1)));
    }
    assert_eq!(outlet.parked(), OWN_FRAMES);
    assert!(outlet.send_after(&room(), 2, &answer(2)));
    assert!(outlet.send_after(&other, 1, &answer(1)));
    assert_eq!(
        received(&outlet, &mut client).await,
        ["ok 2", "ok 1"],
        "past the bound, in any room, at once"
    );
    outlet.deliver(&room(), &[(Some(1), &event(1))]);
    let got = received(&outlet, &mut client).await;
    assert_eq!(got.len(), 1 + OWN_FRAMES);
    assert_eq!(got[0], r#"{"seq":1}"#);
    assert_eq!(outlet.parked(), 0);
}

#[tokio::test]
async fn a_gap_cuts_and_nothing_after_it_is_sent() {
    let (outlet, mut client) = outlet(16).await;
    outlet.follow(room(), Viewer::Staff);
    outlet.caught_up(&room(), 0);
    outlet.deliver(&room(), &[(Some(1), &event(1))]);
    outlet.deliver(&room(), &[(Some(3), &event(3))]);
    outlet.deliver(&room(), &[(Some(4), &event(4))]);
    assert_eq!(outlet.cut_for(), Some(Cut::Gap));
    assert!(outlet.cut_for().is_some());
    assert_eq!(received(&outlet, &mut client).await, [r#"{"seq":1}"#]);
}

#[tokio::test]
async fn a_client_that_does_not_read_is_cut_and_can_resume_from_what_it_has() {
    let capacity = 4;
    let (outlet, mut client) = outlet(capacity).await;
    outlet.follow(room(), Viewer::Staff);
    outlet.caught_up(&room(), 0);
    fill(&outlet);
    let mut overflowed = 0;
    let mut seq = 1;
    while seq <= 200 {
        // One at a time and three at once, as lanes deliver.
        let d = if seq % 4 == 1 {
            let (a, b, c) = (event(seq), event(seq + 1), event(seq + 2));
            let d = outlet.deliver(
                &room(),
                &[(Some(seq), &a), (Some(seq + 1), &b), (Some(seq + 2), &c)],
            );
            seq += 3;
            d
        } else {
            let d = outlet.deliver(&room(), &[(Some(seq), &event(seq))]);
            seq += 1;
            d
        };
        overflowed += u64::from(d.overflowed);
    }
    assert_eq!(overflowed, 1, "cut once");
    assert_eq!(outlet.cut_for(), Some(Cut::Lagging));
    assert!(outlet.waiting() <= capacity + OWN_FRAMES);
    // What arrives is every event from 1 up to where it was cut, and nothing after a hole.
    let got = received(&outlet, &mut client).await;
    let want: Vec<String> = (1..=got.len() as u64)
        .map(|seq| format!("{{\"seq\":{seq}}}"))
        .collect();
    assert!(!got.is_empty() && got.len() < 202, "{}", got.len());
    assert_eq!(got, want);
    // Once the socket takes frames again, nothing after the hole goes out.
    for seq in 203..=206 {
        let d = outlet.deliver(&room(), &[(Some(seq), &event(seq))]);
        assert_eq!(d.sent, 0);
    }
    assert!(received(&outlet, &mut client).await.is_empty());
}

#[tokio::test]
async fn what_waits_when_the_outlet_is_sealed_has_a_whole_send_timeout_from_then() {
    // A client with a small receive buffer that does not read, and a socket that has taken
    // all it will (the pump stops finding room within a second).
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let mut client = socket
        .connect(listener.local_addr().unwrap())
        .await
        .unwrap();
    let (server, _) = listener.accept().await.unwrap();
    let outlet = Outlet::new(Arc::new(server), 4, Default::default());
    fill(&outlet);
    let _ = tokio::time::timeout(Duration::from_secs(1), outlet.pump()).await;
    assert!(outlet.waiting() > 0);
    // It has taken nothing for most of SEND_TIMEOUT when the connection is cut…
    tokio::time::sleep(SEND_TIMEOUT - Duration::from_secs(1)).await;
    outlet.seal();
    // …and the client reads only after SEND_TIMEOUT has passed since the stall began.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let reader = tokio::spawn(async move {
        let mut buf = vec![0u8; 1 << 16];
        let mut total = 0;
        while let Ok(Ok(n)) =
            tokio::time::timeout(Duration::from_millis(500), client.read(&mut buf)).await
        {
            if n == 0 {
                break;
            }
            total += n;
        }
        total
    });
    let drained = tokio::time::timeout(SEND_TIMEOUT * 2, outlet.drain(0)).await;
    assert!(matches!(drained, Ok(Ok(()))), "{drained:?}");
    assert_eq!(outlet.waiting(), 0);
    assert!(reader.await.unwrap() > 0);
}

#[tokio::test]
async fn a_flood_of_pongs_waits_within_a_bound() {
    let (outlet, _client) = outlet(4).await;
    fill(&outlet);
    let pong = Bytes::from_static(&[0x8a, 0]);
    let mut taken = 0;
    while outlet.send_control(pong.clone()).is_ok() {
        taken += 1;
        assert!(taken <= 4 + OWN_FRAMES, "unbounded");
    }
    assert_eq!(
        outlet.send_control(pong).unwrap_err().kind(),
        std::io::ErrorKind::WouldBlock
    );
}

#[test]
fn queued_events_are_sent_once_and_in_order() {
    // Caught up to 5 by a snapshot; 4 and 5 arrive (published while joining), then 6.
    let mut last = 5;
    assert_eq!(admit(&mut last, 4), Admit::Duplicate);
    assert_eq!(admit(&mut last, 5), Admit::Duplicate);
    assert_eq!(admit(&mut last, 6), Admit::Next);
    assert_eq!(last, 6);
    assert_eq!(admit(&mut last, 6), Admit::Duplicate);
    assert_eq!(admit(&mut last, 8), Admit::Gap);
    assert_eq!(last, 6, "a gap does not advance");
}

#[test]
fn a_frame_is_a_final_unmasked_text_frame_with_its_length() {
    let short = Frame::text("{}".into());
    assert_eq!(&short.bytes()[..], b"\x81\x02{}");
    assert_eq!(short.payload(), "{}");
    let medium = Frame::text("x".repeat(300));
    assert_eq!(&medium.bytes()[..4], &[0x81, 126, 1, 44]);
    assert_eq!(medium.payload().len(), 300);
    let long = Frame::text("y".repeat(70_000));
    assert_eq!(long.bytes()[1], 127);
    assert_eq!(&long.bytes()[2..10], &70_000u64.to_be_bytes());
    assert_eq!(long.bytes().len(), 70_010);
}
