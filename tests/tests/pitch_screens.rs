//! A pitch in browsers, on the demo event: the Nordic Hydrogen Cluster's pitch is on stage; the
//! big screen shows a QR code for "Request contact" (read back by rqrr, a decoder that is not
//! the one that drew it, it holds the session page's address); a visitor's phone on the session
//! page asks the booth for contact; an exhibitor of the booth sees who asked and why, accepts,
//! and the visitor's phone shows it agreed. axe-core (WCAG 2.1 A and AA) passes on each screen;
//! screenshots in `$CARGO_TARGET_DIR/screenshots/`.

mod web;

use anyhow::ensure;
use fantoccini::Client;
use plenum_protocol::StaffLink;
use plenum_tests::{TestConfig, TestServer};
use serde_json::json;
use std::time::Duration;
use web::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pitch_on_stage_gets_a_contact_request_its_booth_accepts() -> anyhow::Result<()> {
    let dist = check_prerequisites()?;
    let axe = axe_source()?;
    let server = TestServer::start_with(TestConfig {
        web_dir: Some(dist),
        demo: true,
        ..Default::default()
    })
    .await;
    let profiles = tempfile::tempdir()?;
    let driver = Chromedriver::start(profiles.path())?;
    let phones = [
        ("screen", (1280, 800)),
        ("exhibitor", (420, 900)),
        ("visitor", (420, 900)),
    ];
    with_browsers(
        &driver,
        profiles.path(),
        &phones,
        Duration::from_secs(300),
        "pitch",
        |b| async move { scenario(&server, &b[0], &b[1], &b[2], &axe).await },
    )
    .await
}

async fn scenario(
    server: &TestServer,
    screen: &Client,
    exhibitor: &Client,
    visitor: &Client,
    axe: &str,
) -> anyhow::Result<()> {
    let http = server.http();
    let key = server.organiser_key.clone();
    // The demo's second pitch is the Nordic Hydrogen Cluster's booth: on stage now.
    let a = http
        .send(
            "POST",
            "/api/events/ECC2026/sessions/pitches/stage",
            Some(&key),
            Some(&json!({"status": "live", "on_stage": {"kind": "contribution", "number": 2}})),
        )
        .await?;
    ensure!(a.status == 200, "{}", a.body);
    let a = http
        .send(
            "GET",
            "/api/events/ECC2026/booths/nordic-hydrogen/staff-link",
            Some(&key),
            None,
        )
        .await?;
    let link = serde_json::from_value::<StaffLink>(a.body)?.link;

    // An exhibitor joins the booth's staff with its link.
    join_by_link(exhibitor, &server.url("/e/ECC2026"), "ECC2026", "Kim Berg").await?;
    exhibitor.goto(&link).await?;
    click_when(exhibitor, "#join-staff-heading ~ button").await?;
    wait_for_text(exhibitor, "#staff-heading ~ ul", "Kim Berg").await?;
    wait_for_text(exhibitor, ".booth-leads", "No contact requests yet").await?;

    // The big screen shows the pitch and a QR code of its "Request contact".
    screen.goto(&server.url("/organise")).await?;
    wait_for_text(screen, "h1", "Organiser sign-in").await?;
    type_into(screen, "#organiser-key", &key).await?;
    click(screen, "button[type=submit]").await?;
    wait_for_text(screen, "#create-heading", "").await?;
    screen
        .goto(&server.url("/e/ECC2026/s/pitches/screen"))
        .await?;
    wait_for_text(screen, ".screen-stage", "Nordic Hydrogen Cluster: a valley").await?;
    wait_for_text(screen, ".screen-pitch", "Scan to request contact").await?;
    let scanned = read_qr(screen, ".screen-pitch svg.qr").await?;
    let expected = server.url("/e/ECC2026/s/pitches#pitch-contact");
    ensure!(
        scanned == expected,
        "the QR code holds {scanned:?}, not {expected:?}"
    );
    check_and_capture(screen, axe, "screen-pitch").await?;

    // A visitor opens it, and asks the booth for contact, saying why.
    join_by_link(
        visitor,
        &server.url("/e/ECC2026"),
        "ECC2026",
        "Vera Visitor",
    )
    .await?;
    visitor.goto(&scanned).await?;
    wait_for_text(
        visitor,
        "#pitch-contact",
        "Nordic Hydrogen Cluster is pitching",
    )
    .await?;
    check_and_capture(visitor, axe, "pitch-contact").await?;
    type_into(visitor, "#pitch-contact-why", "Your electrolyser valley").await?;
    click(visitor, "#pitch-contact form button[type=submit]").await?;
    wait_for_text(
        visitor,
        "#pitch-contact [role=status]",
        "You asked for contact",
    )
    .await?;

    // The booth's staff see who asked and why, and accept; the visitor sees it agreed.
    wait_for_text(exhibitor, ".booth-leads .contact-list", "Vera Visitor").await?;
    wait_for_text(
        exhibitor,
        ".booth-leads blockquote",
        "Your electrolyser valley",
    )
    .await?;
    click(exhibitor, ".booth-leads .contact-list button.primary").await?;
    wait_for_text(exhibitor, ".booth-leads .contact-list", "Agreed").await?;
    wait_for_text(visitor, "#pitch-contact [role=status]", "Kim Berg accepted").await?;
    check_and_capture(visitor, axe, "pitch-contact-agreed").await?;

    // The organiser's agenda form: the pitch's second talk names its booth; choosing a person
    // who pitches instead (anyone the event keeps with a name) takes the booth off.
    screen.goto(&server.url("/organise/ECC2026")).await?;
    wait_until(
        screen,
        "const s = document.querySelector('select[id$=\"-t1-booth\"]'); return s !== null && s.value === 'nordic-hydrogen';",
        vec![],
        "the pitch's booth chosen in the agenda form",
    )
    .await?;
    let chosen = screen
        .execute(
            "const s = document.querySelector('select[id$=\"-t1-contact\"]'); const o = [...s.options].find(o => o.value !== ''); if (!o) return null; s.value = o.value; s.dispatchEvent(new Event('change')); return o.value;",
            vec![],
        )
        .await?;
    ensure!(
        chosen.is_string(),
        "nobody to choose as the person who pitches"
    );
    wait_until(
        screen,
        "return document.querySelector('select[id$=\"-t1-booth\"]').value === '';",
        vec![],
        "a person chosen takes the booth off",
    )
    .await?;
    screen
        .execute(
            "const s = document.querySelector('select[id$=\"-t1-contact\"]'); s.closest('details').open = true; s.scrollIntoView({block: 'center'});",
            vec![],
        )
        .await?;
    check_and_capture(screen, axe, "agenda-pitch-form").await?;
    Ok(())
}
