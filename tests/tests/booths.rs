//! The exhibition's booths: organisers create them and hand out staff links; a booth's staff
//! edit that booth and no other; logos are recognised by content, re-encoded, and refused
//! (changing nothing) when they are not images.

use plenum_protocol::{Booth, RoomEvent, RoomId, ServerMsg, StaffLink};
use plenum_tests::*;
use serde_json::{Value, json};

const F: Fixture = Fixture("EXPO");

fn draft(organisation: &str) -> Value {
    json!({
        "organisation": organisation,
        "description": {"en": format!("{organisation} builds hydrogen valleys."), "sv": "Vätgasdalar."},
        "links": [{"label": "Brochure", "url": "https://example.org/brochure.pdf"}],
        "video": "https://youtu.be/dQw4w9WgXcQ",
        "offers": [{"title": "A demo", "text": "Ten minutes, at the booth."}],
        "tags": ["hydrogen"],
        "sector": "Energy",
        "country": "pt"
    })
}

async fn booths(http: &Http, token: &str) -> Vec<Booth> {
    let a = http
        .send("GET", "/api/events/EXPO/booths", Some(token), None)
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    serde_json::from_value(a.body).unwrap()
}

fn booth<'a>(all: &'a [Booth], id: &str) -> &'a Booth {
    all.iter()
        .find(|b| b.id.as_str() == id)
        .unwrap_or_else(|| panic!("no booth {id} in {all:?}"))
}

/// `(status, code, field)` of an answer.
fn refusal(a: &Answer) -> (u16, String, String) {
    (
        a.status,
        a.body["code"].as_str().unwrap_or_default().to_owned(),
        a.body["field"].as_str().unwrap_or_default().to_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_booths_staff_edit_that_booth_and_no_other() {
    let server = F.server(TestConfig::default()).await;
    let http = server.http();
    let key = server.organiser_key.clone();
    let (_, ana) = Member::in_inbox(&server, "EXPO", "Ana").await;
    let (bo_member, bo) = Member::in_inbox(&server, "EXPO", "Bo").await;

    // The event room says when the booths change.
    let mut watcher = Ws::connect(&server.ws_url(), &bo).await.unwrap();
    let mut mirror = Mirror::new(RoomId::Event(F.ev()));
    watcher
        .join(&RoomId::Event(F.ev()), None, &mut mirror)
        .await
        .unwrap();

    for (id, name) in [("porto", "Porto Cluster"), ("lund", "Lund Hydrogen")] {
        let a = http
            .send(
                "POST",
                &format!("/api/events/EXPO/booths/{id}"),
                Some(&key),
                Some(&draft(name)),
            )
            .await
            .unwrap();
        assert_eq!(a.status, 200, "{}", a.body);
    }
    let version = watcher
        .wait_for(|m| match m {
            ServerMsg::Event {
                event: RoomEvent::BoothsChanged { version },
                ..
            } if *version == 2 => Some(*version),
            _ => None,
        })
        .await
        .unwrap();
    assert_eq!(version, 2);

    // Everyone of the event reads them, by organisation, as kept.
    let all = booths(&http, &bo).await;
    let ids: Vec<&str> = all.iter().map(|b| b.id.as_str()).collect();
    assert_eq!(ids, ["lund", "porto"]);
    let porto = booth(&all, "porto");
    assert_eq!(porto.about.country.as_deref(), Some("PT"));
    assert_eq!(
        porto.about.video.as_deref(),
        Some("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ")
    );
    assert!(porto.staff.is_empty() && !porto.editable && porto.logo.is_none());
    assert!(booths(&http, &key).await.iter().all(|b| b.editable));

    // Ana joins Porto's staff with its link; the link is the organisers' to hand out.
    let path = "/api/events/EXPO/booths/porto/staff-link";
    let a = http.send("GET", path, Some(&ana), None).await.unwrap();
    assert_eq!(refusal(&a).1, "forbidden", "{}", a.body);
    let a = http.send("GET", path, Some(&key), None).await.unwrap();
    let link: StaffLink = serde_json::from_value(a.body).unwrap();
    assert!(
        link.link
            .ends_with(&format!("/e/EXPO/exhibition/porto?staff={}", link.code)),
        "{}",
        link.link
    );
    let join = |booth: &str, code: &str| {
        (
            format!("/api/events/EXPO/booths/{booth}/staff"),
            json!({ "code": code }),
        )
    };
    let (p, body) = join("porto", &link.code);
    let a = http
        .send("POST", &p, Some(&ana), Some(&body))
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    // Porto's code is no key to Lund, nor a made-up one to Porto.
    let (p, body) = join("lund", &link.code);
    let a = http.send("POST", &p, Some(&bo), Some(&body)).await.unwrap();
    assert_eq!(refusal(&a).1, "forbidden", "{}", a.body);
    let (p, body) = join("porto", "AAAAAAAAAAAAAAAA");
    let a = http.send("POST", &p, Some(&bo), Some(&body)).await.unwrap();
    assert_eq!(refusal(&a).1, "forbidden", "{}", a.body);
    // Someone without a display name is on no booth's staff.
    let nameless = http.join("EXPO", None).await.unwrap();
    let (p, body) = join("porto", &link.code);
    let a = http
        .send("POST", &p, Some(&nameless), Some(&body))
        .await
        .unwrap();
    assert_eq!(refusal(&a).1, "forbidden", "{}", a.body);

    let all = booths(&http, &ana).await;
    let porto = booth(&all, "porto");
    assert!(porto.editable && !booth(&all, "lund").editable);
    let staff: Vec<_> = porto.staff.iter().map(|s| s.name.as_deref()).collect();
    assert_eq!(staff, [Some("Ana")]);
    assert_eq!(porto.staff[0].organisation.as_deref(), Some("Ana AB"));

    // Ana edits Porto; not Lund, not a booth of her own making, and removes none.
    let mut mine = draft("Porto Cluster");
    mine["description"]["en"] = json!("Now with a harbour tour.");
    let a = http
        .send(
            "PUT",
            "/api/events/EXPO/booths/porto",
            Some(&ana),
            Some(&mine),
        )
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    for (method, path, body) in [
        (
            "PUT",
            "/api/events/EXPO/booths/lund",
            Some(draft("Taken over")),
        ),
        (
            "PUT",
            "/api/events/EXPO/booths/anas",
            Some(draft("Ana's own")),
        ),
        ("DELETE", "/api/events/EXPO/booths/porto", None),
        ("DELETE", "/api/events/EXPO/booths/lund/logo", None),
        ("POST", "/api/events/EXPO/booths/porto/staff-link", None),
    ] {
        let a = http
            .send(method, path, Some(&ana), body.as_ref())
            .await
            .unwrap();
        assert_eq!(refusal(&a).1, "forbidden", "{method} {path}: {}", a.body);
    }
    let a = http
        .send_bytes(
            "PUT",
            "/api/events/EXPO/booths/lund/logo",
            Some(&ana),
            png(64, 64),
            "image/png",
        )
        .await
        .unwrap();
    assert_eq!(refusal(&a).1, "forbidden", "{}", a.body);
    // Nor may she take Bo off a staff, or anyone off Lund's.
    let a = http
        .send(
            "DELETE",
            &format!("/api/events/EXPO/booths/porto/staff/{}", bo_member.id),
            Some(&ana),
            None,
        )
        .await
        .unwrap();
    assert_eq!(refusal(&a).1, "forbidden", "{}", a.body);
    let all = booths(&http, &bo).await;
    let lund = booth(&all, "lund");
    assert_eq!(lund.about.organisation, "Lund Hydrogen");
    assert!(lund.logo.is_none() && lund.staff.is_empty());
    assert_eq!(
        booth(&all, "porto").about.description.en.as_deref(),
        Some("Now with a harbour tour.")
    );
    assert!(!all.iter().any(|b| b.id.as_str() == "anas"));

    // A renewed link: the old one no longer works; those it made stay.
    let a = http.send("POST", path, Some(&key), None).await.unwrap();
    let renewed: StaffLink = serde_json::from_value(a.body).unwrap();
    assert_ne!(renewed.code, link.code);
    let (p, body) = join("porto", &link.code);
    let a = http.send("POST", &p, Some(&bo), Some(&body)).await.unwrap();
    assert_eq!(refusal(&a).1, "forbidden", "{}", a.body);
    let (p, body) = join("porto", &renewed.code);
    let a = http.send("POST", &p, Some(&bo), Some(&body)).await.unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(booth(&booths(&http, &bo).await, "porto").staff.len(), 2);

    // The organisers take Ana off: her edits are refused from then on.
    let ana_id = booth(&booths(&http, &bo).await, "porto").staff[0]
        .id
        .clone();
    let a = http
        .send(
            "DELETE",
            &format!("/api/events/EXPO/booths/porto/staff/{ana_id}"),
            Some(&key),
            None,
        )
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    let a = http
        .send(
            "PUT",
            "/api/events/EXPO/booths/porto",
            Some(&ana),
            Some(&draft("Again")),
        )
        .await
        .unwrap();
    assert_eq!(refusal(&a).1, "forbidden", "{}", a.body);
    // Nor can she join again with the link she had: taking her off renewed it.
    let (p, body) = join("porto", &renewed.code);
    let a = http
        .send("POST", &p, Some(&ana), Some(&body))
        .await
        .unwrap();
    assert_eq!(refusal(&a).1, "forbidden", "{}", a.body);
    let a = http.send("GET", path, Some(&key), None).await.unwrap();
    let renewed: StaffLink = serde_json::from_value(a.body).unwrap();
    // Bo leaves by himself.
    let a = http
        .send(
            "DELETE",
            &format!("/api/events/EXPO/booths/porto/staff/{}", bo_member.id),
            Some(&bo),
            None,
        )
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(booth(&booths(&http, &bo).await, "porto").staff.is_empty());
    // Back again: his data names the booth, and deleting his data takes him off it.
    let (p, body) = join("porto", &renewed.code);
    let a = http.send("POST", &p, Some(&bo), Some(&body)).await.unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    let a = http
        .send("GET", "/api/events/EXPO/my-data", Some(&bo), None)
        .await
        .unwrap();
    assert_eq!(a.body["booths"], json!(["porto"]), "{}", a.body);
    let a = http
        .send("DELETE", "/api/events/EXPO/my-data", Some(&bo), None)
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(a.body.get("booths").is_none(), "{}", a.body);
    assert!(booth(&booths(&http, &bo).await, "porto").staff.is_empty());

    // Kept across a restart; removing a booth removes it for everyone.
    let mut server = server;
    server.restart().await;
    let http = server.http();
    let all = booths(&http, &bo).await;
    assert_eq!(all.len(), 2);
    assert_eq!(
        booth(&all, "porto").about.description.en.as_deref(),
        Some("Now with a harbour tour.")
    );
    let a = http
        .send("DELETE", "/api/events/EXPO/booths/lund", Some(&key), None)
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    let ids: Vec<String> = booths(&http, &bo)
        .await
        .iter()
        .map(|b| b.id.to_string())
        .collect();
    assert_eq!(ids, ["porto"]);
    let a = http
        .send(
            "PUT",
            "/api/events/EXPO/booths/lund",
            Some(&ana),
            Some(&draft("Lund")),
        )
        .await
        .unwrap();
    assert_eq!(refusal(&a).1, "forbidden", "{}", a.body);

    // Another event's people see nothing of this one.
    create_small_event(&http, &key, "OTHER").await.unwrap();
    let stranger = http.join("OTHER", Some("Eve")).await.unwrap();
    let a = http
        .send("GET", "/api/events/EXPO/booths", Some(&stranger), None)
        .await
        .unwrap();
    assert_eq!(refusal(&a).1, "forbidden", "{}", a.body);
}

/// A PNG of `w` × `h` pixels.
fn png(w: u32, h: u32) -> Vec<u8> {
    encoded(image::ImageFormat::Png, w, h)
}

fn encoded(format: image::ImageFormat, w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), format)
        .unwrap();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_that_are_not_logos_are_refused_and_change_nothing() {
    let server = F.server(TestConfig::default()).await;
    let http = server.http();
    let key = server.organiser_key.clone();
    let a = http
        .send(
            "POST",
            "/api/events/EXPO/booths/porto",
            Some(&key),
            Some(&draft("Porto Cluster")),
        )
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    let path = "/api/events/EXPO/booths/porto/logo";

    // A JPEG, re-encoded as a PNG that fits 400 pixels a side.
    let jpeg = encoded(image::ImageFormat::Jpeg, 1200, 600);
    let a = http
        .send_bytes("PUT", path, Some(&key), jpeg.clone(), "image/jpeg")
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    let logo = booth(&booths(&http, &key).await, "porto")
        .logo
        .clone()
        .expect("a logo");
    assert!(
        logo.starts_with("/logos/EXPO/porto/") && logo.ends_with(".png"),
        "{logo}"
    );
    let (status, kind, bytes) = http.get_bytes(&logo).await.unwrap();
    assert_eq!((status, kind.as_str()), (200, "image/png"));
    assert_ne!(bytes, jpeg);
    let served = image::load_from_memory_with_format(&bytes, image::ImageFormat::Png).unwrap();
    assert_eq!((served.width(), served.height()), (400, 200));

    // What is not a PNG, JPEG or WebP is refused, whatever the request calls it.
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9" height="9"/></svg>"#;
    let mut png_then_html = b"\x89PNG\r\n\x1a\n".to_vec();
    png_then_html.extend_from_slice(b"<html><script>alert(document.cookie)</script></html>");
    let mut gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00".to_vec();
    gif.extend_from_slice(&[0; 20]);
    for (what, body, kind, expected) in [
        (
            "svg",
            svg.to_vec(),
            "image/svg+xml",
            (400, "bad_request", "logo"),
        ),
        (
            "html",
            b"<!doctype html><script>alert(1)</script>".to_vec(),
            "image/png",
            (400, "bad_request", "logo"),
        ),
        (
            "png then html",
            png_then_html,
            "image/png",
            (400, "bad_request", "logo"),
        ),
        ("gif", gif, "image/gif", (400, "bad_request", "logo")),
        (
            "empty",
            Vec::new(),
            "image/png",
            (400, "bad_request", "logo"),
        ),
        (
            "too wide",
            png(5000, 2),
            "image/png",
            (413, "too_large", ""),
        ),
        (
            "too large",
            vec![0xFF; 2 * 1024 * 1024 + 1],
            "image/jpeg",
            (413, "too_large", ""),
        ),
    ] {
        let a = http
            .send_bytes("PUT", path, Some(&key), body, kind)
            .await
            .unwrap();
        let (status, code, field) = refusal(&a);
        assert_eq!(
            (status, code.as_str(), field.as_str()),
            expected,
            "{what}: {}",
            a.body
        );
    }
    // Nothing changed: the same logo, still served.
    assert_eq!(
        booth(&booths(&http, &key).await, "porto").logo.as_deref(),
        Some(logo.as_str())
    );
    assert_eq!(http.get_bytes(&logo).await.unwrap().2, bytes);
    // A logo of no booth, or of another version, is not there.
    assert_eq!(
        http.get_bytes("/logos/EXPO/porto/0000000000000000.png")
            .await
            .unwrap()
            .0,
        404
    );
    assert_eq!(
        http.get_bytes(&logo.replace("porto", "lund"))
            .await
            .unwrap()
            .0,
        404
    );

    // A WebP replaces it; removing it removes it.
    let a = http
        .send_bytes(
            "PUT",
            path,
            Some(&key),
            encoded(image::ImageFormat::WebP, 50, 50),
            "image/webp",
        )
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    let webp = booth(&booths(&http, &key).await, "porto")
        .logo
        .clone()
        .unwrap();
    assert_ne!(webp, logo);
    assert_eq!(http.get_bytes(&logo).await.unwrap().0, 404);
    let a = http.send("DELETE", path, Some(&key), None).await.unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(booth(&booths(&http, &key).await, "porto").logo.is_none());
    assert_eq!(http.get_bytes(&webp).await.unwrap().0, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_booth_is_refused_by_field_and_nothing_is_kept() {
    let server = F.server(TestConfig::default()).await;
    let http = server.http();
    let key = server.organiser_key.clone();
    let put = |id: &'static str, body: Value| {
        let http = http.clone();
        let key = key.clone();
        async move {
            http.send(
                "POST",
                &format!("/api/events/EXPO/booths/{id}"),
                Some(&key),
                Some(&body),
            )
            .await
            .unwrap()
        }
    };
    let with = |field: &str, value: Value| {
        let mut d = draft("Porto");
        d[field] = value;
        d
    };
    for (body, expected) in [
        (
            with(
                "links",
                json!([{"label": "x", "url": "javascript:alert(1)"}]),
            ),
            (400, "bad_request", "links[0].url"),
        ),
        (
            with(
                "links",
                json!([{"label": "x", "url": "http://plain.example"}]),
            ),
            (400, "bad_request", "links[0].url"),
        ),
        (
            with("video", json!("https://evil.example/embed/dQw4w9WgXcQ")),
            (400, "bad_request", "video"),
        ),
        (
            with("country", json!("Portugal")),
            (400, "bad_request", "country"),
        ),
        (
            with("organisation", json!("  ")),
            (400, "bad_request", "organisation"),
        ),
        (
            with("tags", json!(["a", "b", "c", "d", "e", "f", "g", "h", "i"])),
            (413, "too_large", ""),
        ),
        (
            with("organisation", json!("x".repeat(121))),
            (413, "too_large", "organisation"),
        ),
        (
            with("logo", json!("https://example.org/x.svg")),
            (400, "bad_request", "logo"),
        ),
    ] {
        let a = put("porto", body.clone()).await;
        let (status, code, field) = refusal(&a);
        assert_eq!(
            (status, code.as_str(), field.as_str()),
            expected,
            "{body}: {}",
            a.body
        );
    }
    // Creating is creating only: an id taken is a conflict, and the booth stays as it was.
    let a = put("porto", draft("Porto")).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let a = http
        .send(
            "POST",
            "/api/events/EXPO/booths/porto",
            Some(&key),
            Some(&json!({"organisation": "Blank"})),
        )
        .await
        .unwrap();
    assert_eq!(refusal(&a).1, "conflict", "{}", a.body);
    assert_eq!(
        booth(&booths(&http, &key).await, "porto")
            .about
            .organisation,
        "Porto"
    );
    let a = http
        .send("DELETE", "/api/events/EXPO/booths/porto", Some(&key), None)
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    let a = http
        .send(
            "PUT",
            "/api/events/EXPO/booths/nowhere",
            Some(&key),
            Some(&draft("Nowhere")),
        )
        .await
        .unwrap();
    assert_eq!(refusal(&a).1, "not_found", "{}", a.body);
    let a = put("Not An Id", draft("Porto")).await;
    assert_eq!(refusal(&a).1, "not_found", "{}", a.body);
    assert!(booths(&http, &key).await.is_empty());
    // Text is kept as typed, never as markup: the client shows it as text.
    let a = put("porto", draft("<b>Porto</b> & co")).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(
        booth(&booths(&http, &key).await, "porto")
            .about
            .organisation,
        "<b>Porto</b> & co"
    );
}

/// The demo's exhibition: four booths, each with a logo the server serves, three with a
/// participant on their staff; Lisbon's chat and a meeting asked of its team.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_has_an_exhibition() {
    let server = TestServer::start_with(TestConfig {
        demo: true,
        ..TestConfig::default()
    })
    .await;
    let http = server.http();
    let visitor = http.join("ECC2026", Some("Visitor")).await.unwrap();
    let a = http
        .send("GET", "/api/events/ECC2026/booths", Some(&visitor), None)
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    let all: Vec<Booth> = serde_json::from_value(a.body).unwrap();
    assert_eq!(all.len(), 4, "{all:?}");
    assert_eq!(all.iter().filter(|b| !b.staff.is_empty()).count(), 3);
    assert!(all.iter().all(|b| !b.editable));
    for b in &all {
        let logo = b.logo.as_deref().expect("a logo");
        let (status, kind, bytes) = http.get_bytes(logo).await.unwrap();
        assert_eq!((status, kind.as_str()), (200, "image/png"), "{logo}");
        assert!(image::load_from_memory(&bytes).is_ok());
    }
    let lisbon = booth(&all, "lisbon-maritime");
    assert_eq!(lisbon.staff[0].name.as_deref(), Some("Ana Costa"));
    assert!(lisbon.about.video.is_some() && lisbon.about.description.sv.is_some());
    // Its chat has a question and its staff's answer.
    let ws = Ws::connect(&server.ws_url(), &visitor).await.unwrap();
    let room = plenum_protocol::RoomId::parse("booth:ECC2026:lisbon-maritime").unwrap();
    let m = Member::following(ws, &room).await;
    let Some(plenum_protocol::RoomState::Booth(chat)) = &m.view.state else {
        panic!("not a booth's room: {:?}", m.view.state)
    };
    assert_eq!(chat.messages.len(), 2, "{chat:?}");
    assert!(!chat.messages[0].staff && chat.messages[1].staff);
    assert_eq!(chat.messages[1].by.name.as_deref(), Some("Ana Costa"));
    // And a meeting asked of its team, waiting for the staff's answer.
    let a = http
        .send(
            "GET",
            "/api/events/ECC2026/booths/lisbon-maritime/meetings",
            Some(&server.organiser_key),
            None,
        )
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    let asked: plenum_protocol::BoothMeetings = serde_json::from_value(a.body).unwrap();
    assert_eq!(asked.meetings.len(), 1, "{asked:?}");
    let m = &asked.meetings[0];
    assert_eq!(m.status, plenum_protocol::MeetingStatus::Requested);
    assert_eq!(m.to.id.as_str(), "booth_lisbon-maritime");
    assert!(m.from.name.is_some() && m.proposed.is_some());
}

/// The inbox `m` follows, as folded so far.
fn inbox(m: &Member) -> plenum_protocol::InboxState {
    match m.view.state.as_ref() {
        Some(plenum_protocol::RoomState::Inbox(i)) => i.clone(),
        other => panic!("not an inbox: {other:?}"),
    }
}

/// Folds `m`'s inbox until `ok` holds of it.
async fn until_inbox(m: &mut Member, ok: impl Fn(&plenum_protocol::InboxState) -> bool) {
    let wait = async {
        while !ok(&inbox(m)) {
            let msg = m.ws.recv().await.expect("inbox traffic");
            m.view.take(&msg).expect("a consistent inbox");
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(10), wait)
        .await
        .unwrap_or_else(|_| panic!("the inbox never got there: {:?}", inbox(m)));
}

fn code_of(msg: &ServerMsg) -> Option<plenum_protocol::ErrorCode> {
    match msg {
        ServerMsg::Error { code, .. } => Some(*code),
        _ => None,
    }
}

fn talk_at<'a>(
    i: &'a plenum_protocol::InboxState,
    booth: &str,
) -> Option<&'a plenum_protocol::Talk> {
    i.talks.iter().find(|t| t.booth.as_str() == booth)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn talk_now_goes_to_the_first_staff_member_who_accepts() {
    use plenum_protocol::{BoothId, ClientMsg, ErrorCode, PersonId, TalkStatus};
    let server = F.server(TestConfig::default()).await;
    let http = server.http();
    let key = server.organiser_key.clone();
    let mut porto = draft("Porto Cluster");
    porto["call"] = json!("https://meet.example.org/porto-booth");
    for (id, body) in [("porto", porto), ("lund", draft("Lund Hydrogen"))] {
        let a = http
            .send(
                "POST",
                &format!("/api/events/EXPO/booths/{id}"),
                Some(&key),
                Some(&body),
            )
            .await
            .unwrap();
        assert_eq!(a.status, 200, "{}", a.body);
    }
    let link = |booth: &str| {
        let http = http.clone();
        let key = key.clone();
        let path = format!("/api/events/EXPO/booths/{booth}/staff-link");
        async move {
            let a = http.send("GET", &path, Some(&key), None).await.unwrap();
            serde_json::from_value::<StaffLink>(a.body).unwrap().code
        }
    };
    let (porto_code, lund_code) = (link("porto").await, link("lund").await);
    let mut staff = Vec::new();
    for name in ["Ana", "Bo", "Cy"] {
        let (m, token) = Member::in_inbox(&server, "EXPO", name).await;
        let a = http
            .send(
                "POST",
                "/api/events/EXPO/booths/porto/staff",
                Some(&token),
                Some(&json!({"code": porto_code})),
            )
            .await
            .unwrap();
        assert_eq!(a.status, 200, "{}", a.body);
        staff.push(m);
    }
    // Each staff member's inbox holds the booth's queue from the moment they join.
    for s in staff.iter_mut() {
        until_inbox(s, |i| i.queues.len() == 1 && i.queues[0].waiting.is_empty()).await;
    }
    let (mut dee, dee_token) = Member::in_inbox(&server, "EXPO", "Dee").await;
    let a = http
        .send(
            "POST",
            "/api/events/EXPO/booths/lund/staff",
            Some(&dee_token),
            Some(&json!({"code": lund_code})),
        )
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    let (mut vic, vic_token) = Member::in_inbox(&server, "EXPO", "Vic").await;
    let (mut wen, _) = Member::in_inbox(&server, "EXPO", "Wen").await;
    let ev = F.ev();
    let porto_id = BoothId::parse("porto").unwrap();
    let lund_id = BoothId::parse("lund").unwrap();
    let talk_now = |booth: &BoothId| ClientMsg::TalkNow {
        event: ev.clone(),
        booth: booth.clone(),
    };
    let here = |booth: &BoothId, here: bool| ClientMsg::BoothHere {
        event: ev.clone(),
        booth: booth.clone(),
        here,
    };

    // Nobody at the booth: nobody to talk to. A visitor is not at any booth.
    assert_eq!(
        code_of(&vic.ask(talk_now(&porto_id)).await),
        Some(ErrorCode::Conflict)
    );
    assert_eq!(
        code_of(&vic.ask(here(&porto_id, true)).await),
        Some(ErrorCode::Forbidden)
    );
    assert!(!booth(&booths(&http, &vic_token).await, "porto").staffed);
    // Ana is at the booth: it is staffed; its call link is its staff's, not the visitors'.
    assert!(matches!(
        staff[0].ask(here(&porto_id, true)).await,
        ServerMsg::Ok { .. }
    ));
    let seen = booths(&http, &vic_token).await;
    assert!(booth(&seen, "porto").staffed && !booth(&seen, "lund").staffed);
    assert_eq!(booth(&seen, "porto").about.call, None);
    assert!(
        booth(&booths(&http, &key).await, "porto")
            .about
            .call
            .is_some()
    );

    // Vic, then Wen, ask: first come, first served; every staff member sees the queue.
    assert!(matches!(
        vic.ask(talk_now(&porto_id)).await,
        ServerMsg::Ok { .. }
    ));
    assert!(matches!(
        wen.ask(talk_now(&porto_id)).await,
        ServerMsg::Ok { .. }
    ));
    // Asking again changes nothing; one queue at a time.
    assert!(matches!(
        vic.ask(talk_now(&porto_id)).await,
        ServerMsg::Ok { .. }
    ));
    assert!(matches!(
        dee.ask(here(&lund_id, true)).await,
        ServerMsg::Ok { .. }
    ));
    assert_eq!(
        code_of(&vic.ask(talk_now(&lund_id)).await),
        Some(ErrorCode::Conflict)
    );
    until_inbox(&mut vic, |i| {
        talk_at(i, "porto").is_some_and(|t| t.status == TalkStatus::Waiting && t.place == Some(1))
    })
    .await;
    until_inbox(&mut wen, |i| {
        talk_at(i, "porto").is_some_and(|t| t.place == Some(2))
    })
    .await;
    for s in staff.iter_mut() {
        until_inbox(s, |i| {
            i.queues.first().is_some_and(|q| q.waiting.len() == 2)
        })
        .await;
        let q = &inbox(s).queues[0];
        assert_eq!(q.waiting[0].visitor.id.as_str(), vic.id);
        assert_eq!(q.waiting[0].visitor.organisation.as_deref(), Some("Vic AB"));
    }
    // Nobody but the staff sees the queue; the staff of another booth cannot answer it.
    assert!(inbox(&vic).queues.is_empty());
    assert!(
        inbox(&dee)
            .queues
            .iter()
            .all(|q| q.booth.as_str() == "lund")
    );
    let vic_id = PersonId::parse(&vic.id).unwrap();
    let answer = |visitor: &PersonId| ClientMsg::AnswerTalk {
        event: ev.clone(),
        booth: porto_id.clone(),
        visitor: visitor.clone(),
    };
    assert_eq!(
        code_of(&dee.ask(answer(&vic_id)).await),
        Some(ErrorCode::Forbidden)
    );
    assert_eq!(
        code_of(&wen.ask(answer(&vic_id)).await),
        Some(ErrorCode::Forbidden)
    );

    // The three staff accept Vic at once: exactly one wins.
    let (a, rest) = staff.split_at_mut(1);
    let (b, c) = rest.split_at_mut(1);
    let (ra, rb, rc) = tokio::join!(
        a[0].ask(answer(&vic_id)),
        b[0].ask(answer(&vic_id)),
        c[0].ask(answer(&vic_id))
    );
    let answers = [&ra, &rb, &rc];
    let won: Vec<usize> = (0..3)
        .filter(|i| matches!(answers[*i], ServerMsg::Ok { .. }))
        .collect();
    assert_eq!(won.len(), 1, "{answers:?}");
    assert!(
        answers
            .iter()
            .filter(|m| code_of(m) == Some(ErrorCode::Conflict))
            .count()
            == 2,
        "{answers:?}"
    );
    let winner = staff[won[0]].id.clone();
    until_inbox(&mut vic, |i| {
        talk_at(i, "porto").is_some_and(|t| t.status == TalkStatus::Accepted)
    })
    .await;
    let t = talk_at(&inbox(&vic), "porto").cloned().unwrap();
    assert_eq!(
        t.with.as_ref().map(|w| w.id.as_str()),
        Some(winner.as_str())
    );
    assert_eq!(
        t.call.as_deref(),
        Some("https://meet.example.org/porto-booth")
    );
    until_inbox(&mut wen, |i| {
        talk_at(i, "porto").is_some_and(|t| t.place == Some(1))
    })
    .await;
    assert_eq!(talk_at(&inbox(&wen), "porto").unwrap().call, None);

    // Wen leaves the queue first: missed. Vic ends the talk.
    let end = |visitor: Option<PersonId>| ClientMsg::EndTalk {
        event: ev.clone(),
        booth: porto_id.clone(),
        visitor,
    };
    assert!(matches!(wen.ask(end(None)).await, ServerMsg::Ok { .. }));
    until_inbox(&mut wen, |i| {
        talk_at(i, "porto").is_some_and(|t| t.status == TalkStatus::Missed)
    })
    .await;
    assert!(matches!(vic.ask(end(None)).await, ServerMsg::Ok { .. }));
    until_inbox(&mut vic, |i| {
        talk_at(i, "porto").is_some_and(|t| t.status == TalkStatus::Ended)
    })
    .await;
    for s in staff.iter_mut() {
        until_inbox(s, |i| {
            i.queues.first().is_some_and(|q| {
                q.waiting.is_empty() && q.talking.is_empty() && q.answered == 1 && q.missed == 1
            })
        })
        .await;
    }
    // A staff member cannot end a visitor's wait; a stranger cannot end anyone's talk.
    assert!(matches!(
        vic.ask(talk_now(&porto_id)).await,
        ServerMsg::Ok { .. }
    ));
    let mut ana = staff.remove(0);
    assert_eq!(
        code_of(&ana.ask(end(Some(vic_id.clone()))).await),
        Some(ErrorCode::Conflict)
    );
    assert_eq!(
        code_of(&dee.ask(end(Some(vic_id.clone()))).await),
        Some(ErrorCode::Forbidden)
    );

    // Ana taken off the staff: the queue leaves her inbox.
    let a = http
        .send(
            "DELETE",
            &format!("/api/events/EXPO/booths/porto/staff/{}", ana.id),
            Some(&key),
            None,
        )
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    until_inbox(&mut ana, |i| i.queues.is_empty()).await;
    assert_eq!(
        code_of(&ana.ask(answer(&vic_id)).await),
        Some(ErrorCode::Forbidden)
    );
    // She was the one at the booth: it is no longer staffed.
    assert!(!booth(&booths(&http, &vic_token).await, "porto").staffed);

    // Presence, requests and counts are kept: after a restart Bo is still at the booth and
    // Vic still waits, first.
    assert!(matches!(
        staff[0].ask(here(&porto_id, true)).await,
        ServerMsg::Ok { .. }
    ));
    let mut server = server;
    server.restart().await;
    let http = server.http();
    assert!(booth(&booths(&http, &vic_token).await, "porto").staffed);
    let a = http
        .send("GET", "/api/events/EXPO/my-data", Some(&vic_token), None)
        .await
        .unwrap();
    assert_eq!(a.body["talks"][0]["status"], "waiting", "{}", a.body);
    assert_eq!(a.body["talks"][0]["place"], 1, "{}", a.body);
    // Deleting one's data deletes one's talks.
    let a = http
        .send("DELETE", "/api/events/EXPO/my-data", Some(&vic_token), None)
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(a.body.get("talks").is_none(), "{}", a.body);
}

/// A file of a booth's contacts, as its staff get it.
async fn booth_file(server: &TestServer, token: &str, booth: &str, ext: &str) -> (u16, String) {
    let (status, _, bytes) = server
        .http()
        .get_bytes_as(
            &format!("/api/events/EXPO/booths/{booth}/contacts.{ext}"),
            Some(token),
        )
        .await
        .unwrap();
    (status, String::from_utf8(bytes).unwrap())
}

fn booth_contact_at<'a>(
    i: &'a plenum_protocol::InboxState,
    booth: &str,
) -> Option<&'a plenum_protocol::BoothContact> {
    i.booth_contacts.iter().find(|c| c.booth.as_str() == booth)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contact_with_a_booth_is_shared_only_once_its_staff_accept() {
    use plenum_protocol::{
        BoothContactStatus, BoothId, BoothLead, ClientMsg, ContactCard, ErrorCode, PersonId,
        Sharing,
    };
    let server = F.server(TestConfig::default()).await;
    let http = server.http();
    let key = server.organiser_key.clone();
    for (id, name) in [("porto", "Porto Cluster"), ("lund", "Lund Hydrogen")] {
        let a = http
            .send(
                "POST",
                &format!("/api/events/EXPO/booths/{id}"),
                Some(&key),
                Some(&draft(name)),
            )
            .await
            .unwrap();
        assert_eq!(a.status, 200, "{}", a.body);
    }
    let mut joined = Vec::new();
    for (name, booth) in [("Ana", "porto"), ("Bo", "porto"), ("Dee", "lund")] {
        let a = http
            .send(
                "GET",
                &format!("/api/events/EXPO/booths/{booth}/staff-link"),
                Some(&key),
                None,
            )
            .await
            .unwrap();
        let code = serde_json::from_value::<StaffLink>(a.body).unwrap().code;
        let (m, token) = Member::in_inbox(&server, "EXPO", name).await;
        let a = http
            .send(
                "POST",
                &format!("/api/events/EXPO/booths/{booth}/staff"),
                Some(&token),
                Some(&json!({ "code": code })),
            )
            .await
            .unwrap();
        assert_eq!(a.status, 200, "{}", a.body);
        joined.push((m, token));
    }
    let (mut dee, dee_token) = joined.pop().unwrap();
    let (mut bo, bo_token) = joined.pop().unwrap();
    let (mut ana, ana_token) = joined.pop().unwrap();
    let (mut vic, vic_token) = Member::in_inbox(&server, "EXPO", "Vic").await;
    let (mut wen, _) = Member::in_inbox(&server, "EXPO", "Wen").await;
    let ev = F.ev();
    let porto = BoothId::parse("porto").unwrap();
    let card = |email: &str, phone: &str| ClientMsg::SetContactCard {
        event: ev.clone(),
        card: ContactCard {
            email: Some(email.into()),
            phone: Some(phone.into()),
        },
    };
    let ok = |m: ServerMsg| assert!(matches!(m, ServerMsg::Ok { .. }), "{m:?}");
    ok(vic.ask(card("vic@vic.example", "+46 70 222")).await);
    ok(ana.ask(card("ana@porto.example", "+351 22 000")).await);
    let ask = |booth: &BoothId, email: bool, note: Option<&str>| ClientMsg::AskBoothContact {
        event: ev.clone(),
        booth: booth.clone(),
        share: Sharing {
            email,
            phone: false,
            note: note.map(str::to_owned),
        },
        why: Some("Your harbour electrolyser".into()),
    };
    let leads = |token: String| {
        let http = http.clone();
        async move {
            let a = http
                .send(
                    "GET",
                    "/api/events/EXPO/booths/porto/contacts",
                    Some(&token),
                    None,
                )
                .await
                .unwrap();
            assert_eq!(a.status, 200, "{}", a.body);
            serde_json::from_value::<Vec<BoothLead>>(a.body).unwrap()
        }
    };

    // Bad asks change nothing: an email Wen's card does not have, a booth that is not there,
    // and staff asking their own booth.
    assert_eq!(
        code_of(&wen.ask(ask(&porto, true, None)).await),
        Some(ErrorCode::BadRequest)
    );
    assert_eq!(
        code_of(
            &wen.ask(ask(&BoothId::parse("nowhere").unwrap(), false, None))
                .await
        ),
        Some(ErrorCode::NotFound)
    );
    assert_eq!(
        code_of(&ana.ask(ask(&porto, false, None)).await),
        Some(ErrorCode::Conflict)
    );
    assert!(leads(ana_token.clone()).await.is_empty());

    // Vic asks, sharing his email and a note that looks like a formula.
    ok(vic
        .ask(ask(&porto, true, Some("=HYPERLINK(\"x\") call me")))
        .await);
    until_inbox(&mut vic, |i| {
        booth_contact_at(i, "porto").is_some_and(|c| c.status == BoothContactStatus::Asked)
    })
    .await;
    until_inbox(&mut ana, |i| {
        i.queues.first().is_some_and(|q| q.contacts_asked == 1)
    })
    .await;
    // Before anyone accepts, the staff see who asked and why, and nothing Vic shares.
    let before = leads(ana_token.clone()).await;
    assert_eq!(before.len(), 1);
    assert_eq!(before[0].visitor.id.as_str(), vic.id);
    assert_eq!(before[0].visitor.organisation.as_deref(), Some("Vic AB"));
    assert_eq!(before[0].why.as_deref(), Some("Your harbour electrolyser"));
    assert_eq!(before[0].theirs, None);
    let raw = http
        .send(
            "GET",
            "/api/events/EXPO/booths/porto/contacts",
            Some(&bo_token),
            None,
        )
        .await
        .unwrap();
    assert!(
        !raw.body.to_string().contains("vic@vic.example")
            && !raw.body.to_string().contains("HYPERLINK"),
        "{}",
        raw.body
    );
    let (_, csv_before) = booth_file(&server, &ana_token, "porto", "csv").await;
    assert!(!csv_before.contains("Vic"), "{csv_before}");

    // Nobody but the booth's staff reads its contacts: not another booth's staff, not the
    // visitor, not the organisers; a booth that is not there is not found.
    for token in [&dee_token, &vic_token, &key] {
        let a = http
            .send(
                "GET",
                "/api/events/EXPO/booths/porto/contacts",
                Some(token),
                None,
            )
            .await
            .unwrap();
        assert_eq!(a.status, 403, "{}", a.body);
        assert_eq!(booth_file(&server, token, "porto", "csv").await.0, 403);
    }
    let a = http
        .send(
            "GET",
            "/api/events/EXPO/booths/nowhere/contacts",
            Some(&ana_token),
            None,
        )
        .await
        .unwrap();
    assert_eq!(a.status, 404, "{}", a.body);
    let vic_id = PersonId::parse(&vic.id).unwrap();
    let answer = |phone: bool| ClientMsg::AnswerBoothContact {
        event: ev.clone(),
        booth: porto.clone(),
        visitor: vic_id.clone(),
        share: Sharing {
            email: false,
            phone,
            note: None,
        },
    };
    assert_eq!(
        code_of(&dee.ask(answer(false)).await),
        Some(ErrorCode::Forbidden)
    );
    // Bo has no card: he cannot share a phone he did not give.
    assert_eq!(
        code_of(&bo.ask(answer(true)).await),
        Some(ErrorCode::BadRequest)
    );

    // Ana accepts, sharing her phone; Bo, after her, is refused.
    ok(ana.ask(answer(true)).await);
    assert_eq!(
        code_of(&bo.ask(answer(false)).await),
        Some(ErrorCode::Conflict)
    );
    until_inbox(&mut vic, |i| {
        booth_contact_at(i, "porto").is_some_and(|c| c.status == BoothContactStatus::Agreed)
    })
    .await;
    let c = booth_contact_at(&inbox(&vic), "porto").cloned().unwrap();
    assert_eq!(
        c.with.as_ref().map(|w| w.id.as_str()),
        Some(ana.id.as_str())
    );
    let theirs = c.theirs.unwrap();
    assert_eq!(theirs.phone.as_deref(), Some("+351 22 000"));
    assert_eq!(theirs.email, None, "Ana did not share her email");
    let after = leads(bo_token.clone()).await;
    assert_eq!(after[0].status, BoothContactStatus::Agreed);
    let shared = after[0].theirs.clone().unwrap();
    assert_eq!(shared.email.as_deref(), Some("vic@vic.example"));
    assert_eq!(shared.phone, None, "Vic did not share his phone");
    until_inbox(&mut bo, |i| {
        i.queues
            .first()
            .is_some_and(|q| q.contacts_asked == 0 && q.contacts_agreed == 1)
    })
    .await;
    // The files hold it, formula-safe; the vCard reads back.
    let (status, csv_text) = booth_file(&server, &bo_token, "porto", "csv").await;
    assert_eq!(status, 200, "{csv_text}");
    let mut reader = csv::Reader::from_reader(csv_text.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1, "{csv_text}");
    assert_eq!(&rows[0][0], "Vic");
    assert_eq!(&rows[0][2], "vic@vic.example");
    assert_eq!(&rows[0][4], "'=HYPERLINK(\"x\") call me", "formula-safe");
    let (_, vcf) = booth_file(&server, &bo_token, "porto", "vcf").await;
    let cards: Vec<_> = ical::VcardParser::new(std::io::BufReader::new(vcf.as_bytes()))
        .map(|c| c.expect("a readable vCard"))
        .collect();
    assert_eq!(cards.len(), 1, "{vcf}");
    assert!(
        cards[0]
            .properties
            .iter()
            .any(|p| p.name == "EMAIL" && p.value.as_deref() == Some("vic@vic.example"))
    );

    // Vic blocks Ana, who accepted: he no longer sees her details, nor she him; the rest of
    // the staff still see his. Unblocked, her details are back.
    let ana_id = PersonId::parse(&ana.id).unwrap();
    let block = |who: &PersonId, blocked: bool| ClientMsg::BlockSomeone {
        event: ev.clone(),
        person: who.clone(),
        blocked,
    };
    ok(vic.ask(block(&ana_id, true)).await);
    until_inbox(&mut vic, |i| {
        booth_contact_at(i, "porto").is_some_and(|c| c.with.is_none() && c.theirs.is_none())
    })
    .await;
    assert!(leads(ana_token.clone()).await.is_empty());
    assert_eq!(leads(bo_token.clone()).await[0].visitor.id.as_str(), vic.id);
    let a = http
        .send("GET", "/api/events/EXPO/my-data", Some(&vic_token), None)
        .await
        .unwrap();
    assert!(
        a.body["booth_contacts"][0].get("theirs").is_none(),
        "{}",
        a.body
    );
    ok(vic.ask(block(&ana_id, false)).await);
    until_inbox(&mut vic, |i| {
        booth_contact_at(i, "porto")
            .and_then(|c| c.theirs.as_ref())
            .is_some_and(|t| t.phone.as_deref() == Some("+351 22 000"))
    })
    .await;

    // Wen asks without sharing anything; Ana blocks Wen: she no longer sees Wen, nor can she
    // answer; Bo still does, and declines.
    ok(wen.ask(ask(&porto, false, None)).await);
    let wen_id = PersonId::parse(&wen.id).unwrap();
    ok(ana
        .ask(ClientMsg::BlockSomeone {
            event: ev.clone(),
            person: wen_id.clone(),
            blocked: true,
        })
        .await);
    assert_eq!(leads(ana_token.clone()).await.len(), 1);
    assert_eq!(leads(bo_token.clone()).await.len(), 2);
    assert_eq!(
        code_of(
            &ana.ask(ClientMsg::AnswerBoothContact {
                event: ev.clone(),
                booth: porto.clone(),
                visitor: wen_id.clone(),
                share: Sharing::default(),
            })
            .await
        ),
        Some(ErrorCode::Forbidden)
    );
    until_inbox(&mut wen, |i| booth_contact_at(i, "porto").is_some()).await;
    ok(bo
        .ask(ClientMsg::EndBoothContact {
            event: ev.clone(),
            booth: porto.clone(),
            visitor: Some(wen_id.clone()),
        })
        .await);
    until_inbox(&mut wen, |i| i.booth_contacts.is_empty()).await;
    assert_eq!(leads(bo_token.clone()).await.len(), 1);

    // Kept over a restart.
    let mut server = server;
    server.restart().await;
    let http = server.http();
    let a = http
        .send("GET", "/api/events/EXPO/my-data", Some(&vic_token), None)
        .await
        .unwrap();
    assert_eq!(
        a.body["booth_contacts"][0]["status"], "agreed",
        "{}",
        a.body
    );
    assert_eq!(
        a.body["booth_contacts"][0]["theirs"]["phone"], "+351 22 000",
        "{}",
        a.body
    );

    // Vic withdraws: his details leave the booth's list and every file made after.
    let ws = Ws::connect(&server.ws_url(), &vic_token).await.unwrap();
    let mut vic = Member::following(ws, &RoomId::Inbox(ev.clone(), vic_id.clone())).await;
    ok(vic
        .ask(ClientMsg::EndBoothContact {
            event: ev.clone(),
            booth: porto.clone(),
            visitor: None,
        })
        .await);
    let a = http
        .send(
            "GET",
            "/api/events/EXPO/booths/porto/contacts",
            Some(&ana_token),
            None,
        )
        .await
        .unwrap();
    assert_eq!(a.body, json!([]), "{}", a.body);
    let (_, csv_after) = booth_file(&server, &ana_token, "porto", "csv").await;
    assert!(!csv_after.contains("vic@"), "{csv_after}");
    let (_, vcf_after) = booth_file(&server, &ana_token, "porto", "vcf").await;
    assert!(!vcf_after.contains("BEGIN:VCARD"), "{vcf_after}");

    // Asked again and then "delete my data": gone from the booth's list too.
    ok(vic.ask(ask(&porto, false, None)).await);
    let a = http
        .send(
            "GET",
            "/api/events/EXPO/booths/porto/contacts",
            Some(&ana_token),
            None,
        )
        .await
        .unwrap();
    assert_eq!(a.body.as_array().map(Vec::len), Some(1), "{}", a.body);
    let a = http
        .send("DELETE", "/api/events/EXPO/my-data", Some(&vic_token), None)
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(a.body.get("booth_contacts").is_none(), "{}", a.body);
    let a = http
        .send(
            "GET",
            "/api/events/EXPO/booths/porto/contacts",
            Some(&ana_token),
            None,
        )
        .await
        .unwrap();
    assert_eq!(a.body, json!([]), "{}", a.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_booth_counts_its_visits_and_never_says_who() {
    use plenum_protocol::{BoothId, ClientMsg, ErrorCode};
    let server = F.server(TestConfig::default()).await;
    let http = server.http();
    let key = server.organiser_key.clone();
    for (id, name) in [("porto", "Porto Cluster"), ("lund", "Lund Hydrogen")] {
        let a = http
            .send(
                "POST",
                &format!("/api/events/EXPO/booths/{id}"),
                Some(&key),
                Some(&draft(name)),
            )
            .await
            .unwrap();
        assert_eq!(a.status, 200, "{}", a.body);
    }
    let a = http
        .send(
            "GET",
            "/api/events/EXPO/booths/porto/staff-link",
            Some(&key),
            None,
        )
        .await
        .unwrap();
    let code = serde_json::from_value::<StaffLink>(a.body).unwrap().code;
    let (mut ana, ana_token) = Member::in_inbox(&server, "EXPO", "Ana").await;
    let a = http
        .send(
            "POST",
            "/api/events/EXPO/booths/porto/staff",
            Some(&ana_token),
            Some(&json!({ "code": code })),
        )
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    let (mut vic, vic_token) = Member::in_inbox(&server, "EXPO", "Vic").await;
    let (mut wen, wen_token) = Member::in_inbox(&server, "EXPO", "Wen").await;
    let ev = F.ev();
    let visit = |booth: &str, here: bool| ClientMsg::VisitBooth {
        event: ev.clone(),
        booth: BoothId::parse(booth).unwrap(),
        here,
    };
    let ok = |m: ServerMsg| assert!(matches!(m, ServerMsg::Ok { .. }), "{m:?}");
    let now = |all: &[Booth], id: &str| booth(all, id).visitors_now;
    let counts = |m: &Member| {
        inbox(m)
            .queues
            .iter()
            .find(|q| q.booth.as_str() == "porto")
            .map(|q| (q.visits, q.visitors))
    };
    until_inbox(&mut ana, |i| !i.queues.is_empty()).await;
    assert_eq!(counts(&ana), Some((0, 0)));

    // Vic looks at porto's page: a visit, a visitor, a visitor now; saying so again soon
    // changes nothing.
    ok(vic.ask(visit("porto", true)).await);
    until_inbox(&mut ana, |i| i.queues[0].visits == 1).await;
    ok(vic.ask(visit("porto", true)).await);
    let seen = booths(&http, &wen_token).await;
    assert_eq!((now(&seen, "porto"), now(&seen, "lund")), (1, 0));
    // Wen too; Ana, at her own booth, is not its visitor.
    ok(wen.ask(visit("porto", true)).await);
    ok(ana.ask(visit("porto", true)).await);
    // A fresh snapshot of Ana's inbox holds everything committed before her `ok`.
    let inbox_room = RoomId::Inbox(F.ev(), plenum_protocol::PersonId::parse(&ana.id).unwrap());
    let fresh = Ws::connect(&server.ws_url(), &ana_token).await.unwrap();
    let fresh = Member::following(fresh, &inbox_room).await;
    assert_eq!(counts(&fresh), Some((2, 2)));
    until_inbox(&mut ana, |i| i.queues[0].visits == 2).await;
    assert_eq!(now(&booths(&http, &key).await, "porto"), 2);
    // The staff's queue says how many, never who.
    let queue = serde_json::to_string(&inbox(&ana).queues).unwrap();
    for (m, name) in [(&vic, "Vic"), (&wen, "Wen")] {
        assert!(
            !queue.contains(m.id.as_str()) && !queue.contains(name),
            "{queue}"
        );
    }
    // Vic leaves: no longer a visitor now. Back soon after: the same visit.
    ok(vic.ask(visit("porto", false)).await);
    assert_eq!(now(&booths(&http, &key).await, "porto"), 1);
    ok(vic.ask(visit("porto", true)).await);
    assert_eq!(now(&booths(&http, &key).await, "porto"), 2);
    ok(wen.ask(visit("lund", true)).await);
    assert_eq!(now(&booths(&http, &key).await, "lund"), 1);

    // An unknown booth is not found, and nothing is counted.
    assert_eq!(
        code_of(&vic.ask(visit("nowhere", true)).await),
        Some(ErrorCode::NotFound)
    );
    let fresh = Ws::connect(&server.ws_url(), &ana_token).await.unwrap();
    let fresh = Member::following(fresh, &inbox_room).await;
    assert_eq!(counts(&fresh), Some((2, 2)));

    // Each person's visits are in their own data, and go with it; the booth keeps its counts.
    let a = http
        .send("GET", "/api/events/EXPO/my-data", Some(&vic_token), None)
        .await
        .unwrap();
    assert_eq!(a.body["booth_visits"][0]["booth"], "porto", "{}", a.body);
    assert_eq!(a.body["booth_visits"][0]["visits"], 1, "{}", a.body);
    assert_eq!(a.body["booth_visits"].as_array().map(Vec::len), Some(1));
    let a = http
        .send("DELETE", "/api/events/EXPO/my-data", Some(&vic_token), None)
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(a.body.get("booth_visits").is_none(), "{}", a.body);
    assert_eq!(now(&booths(&http, &key).await, "porto"), 1);
    // A booth removed takes its visits with it.
    let a = http
        .send("DELETE", "/api/events/EXPO/booths/lund", Some(&key), None)
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    let a = http
        .send("GET", "/api/events/EXPO/my-data", Some(&wen_token), None)
        .await
        .unwrap();
    let mine: Vec<&str> = a.body["booth_visits"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v["booth"].as_str())
        .collect();
    assert_eq!(mine, ["porto"], "{}", a.body);

    // Counts survive a restart.
    let mut server = server;
    server.restart().await;
    let ws = Ws::connect(&server.ws_url(), &ana_token).await.unwrap();
    let mut ana = Member::following(ws, &inbox_room).await;
    until_inbox(&mut ana, |i| !i.queues.is_empty()).await;
    assert_eq!(counts(&ana), Some((2, 2)));
}

/// Several of a booth's staff accept one visitor's contact request at the same moment, each
/// on their own connection: exactly one answers for the booth, the others get `conflict`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn of_staff_accepting_one_contact_request_at_once_exactly_one_wins() {
    use plenum_protocol::{BoothId, ClientMsg, ErrorCode, PersonId, Sharing};
    const STAFF: usize = 6;
    let server = F.server(TestConfig::default()).await;
    let http = server.http();
    let key = server.organiser_key.clone();
    let a = http
        .send(
            "POST",
            "/api/events/EXPO/booths/porto",
            Some(&key),
            Some(&draft("Porto Cluster")),
        )
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    let a = http
        .send(
            "GET",
            "/api/events/EXPO/booths/porto/staff-link",
            Some(&key),
            None,
        )
        .await
        .unwrap();
    let code = serde_json::from_value::<StaffLink>(a.body).unwrap().code;
    let mut tokens = Vec::new();
    for i in 0..STAFF {
        let (_, token) = Member::in_inbox(&server, "EXPO", &format!("Staff{i}")).await;
        let a = http
            .send(
                "POST",
                "/api/events/EXPO/booths/porto/staff",
                Some(&token),
                Some(&json!({ "code": code })),
            )
            .await
            .unwrap();
        assert_eq!(a.status, 200, "{}", a.body);
        tokens.push(token);
    }
    let (mut vic, _) = Member::in_inbox(&server, "EXPO", "Vic").await;
    let porto = BoothId::parse("porto").unwrap();
    let asked = vic
        .ask(ClientMsg::AskBoothContact {
            event: F.ev(),
            booth: porto.clone(),
            share: Sharing::default(),
            why: None,
        })
        .await;
    assert!(matches!(asked, ServerMsg::Ok { .. }), "{asked:?}");
    let visitor = PersonId::parse(&vic.id).unwrap();
    // Everyone connected first, then all the answers sent at once.
    let mut conns = Vec::new();
    for token in &tokens {
        conns.push(Ws::connect(&server.ws_url(), token).await.unwrap());
    }
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(STAFF));
    let answers = conns.into_iter().map(|mut ws| {
        let (start, porto, visitor) = (start.clone(), porto.clone(), visitor.clone());
        tokio::spawn(async move {
            start.wait().await;
            let id = ws
                .request(&ClientMsg::AnswerBoothContact {
                    event: F.ev(),
                    booth: porto,
                    visitor,
                    share: Sharing::default(),
                })
                .await
                .unwrap();
            ws.reply(id).await.unwrap()
        })
    });
    let mut won = 0;
    for answer in futures_util::future::join_all(answers).await {
        match answer.unwrap() {
            ServerMsg::Ok { .. } => won += 1,
            other => assert_eq!(code_of(&other), Some(ErrorCode::Conflict), "{other:?}"),
        }
    }
    assert_eq!(won, 1, "exactly one of the staff answers for the booth");
    until_inbox(&mut vic, |i| {
        booth_contact_at(i, "porto")
            .is_some_and(|c| c.status == plenum_protocol::BoothContactStatus::Agreed)
    })
    .await;
}
