//! Badges in browsers: two phones join an onsite event with their organisations; the organiser
//! opens the badge sheet; Ada's badge's QR code, read back by a decoder that is not the one
//! that drew it, holds her contact address; Bo's phone opens it ("Request contact with Ada
//! Lind"), asks; Ada sees the request among her contacts and accepts, and each phone then
//! shows the other as a contact. axe-core (WCAG 2.1 A and AA) passes on the sheet and on the
//! request; screenshots in `$CARGO_TARGET_DIR/screenshots/`.

mod web;

use anyhow::ensure;
use fantoccini::Client;
use plenum_protocol::Badge;
use plenum_tests::{TestConfig, TestServer, create_small_event};
use std::time::Duration;
use web::*;

const CODE: &str = "BADGE";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scanned_badge_asks_its_person_for_contact_details() -> anyhow::Result<()> {
    let dist = check_prerequisites()?;
    let axe = axe_source()?;
    let server = TestServer::start_with(TestConfig {
        web_dir: Some(dist),
        ..Default::default()
    })
    .await;
    create_small_event(&server.http(), &server.organiser_key, CODE).await?;
    let profiles = tempfile::tempdir()?;
    let driver = Chromedriver::start(profiles.path())?;
    let phones = [
        ("ada", (420, 900)),
        ("bo", (420, 900)),
        ("organiser", (1280, 900)),
    ];
    with_browsers(
        &driver,
        profiles.path(),
        &phones,
        Duration::from_secs(240),
        "badges",
        |b| async move { scenario(&server, &b[0], &b[1], &b[2], &axe).await },
    )
    .await
}

/// Joins the event from its link with a name and an organisation.
async fn join(
    b: &Client,
    server: &TestServer,
    name: &str,
    organisation: &str,
) -> anyhow::Result<()> {
    open_join_link(b, &server.url(&format!("/e/{CODE}")), CODE).await?;
    type_into(b, "#name", name).await?;
    open_details(b, "details.join-profile").await?;
    type_into(b, "#join-organisation", organisation).await?;
    click(b, "button[type=submit]").await?;
    wait_for_text(b, "h1", "Regional workshop").await
}

async fn scenario(
    server: &TestServer,
    ada: &Client,
    bo: &Client,
    organiser: &Client,
    axe: &str,
) -> anyhow::Result<()> {
    join(ada, server, "Ada Lind", "Porto Cluster").await?;
    join(bo, server, "Bo Berg", "Skåne Food").await?;

    // The organiser's badge sheet: one badge each, by name.
    organiser.goto(&server.url("/organise")).await?;
    wait_for_text(organiser, "h1", "Organiser sign-in").await?;
    type_into(organiser, "#organiser-key", &server.organiser_key).await?;
    click(organiser, "button[type=submit]").await?;
    wait_for_text(organiser, "#create-heading", "").await?;
    organiser
        .goto(&server.url(&format!("/organise/{CODE}/badges")))
        .await?;
    wait_for_text(organiser, ".badges-page [role=status]", "2 badges").await?;
    wait_for_text(
        organiser,
        ".badge-sheet .badge:first-child .badge-name",
        "Ada Lind",
    )
    .await?;
    wait_for_text(
        organiser,
        ".badge-sheet .badge:first-child .badge-org",
        "Porto Cluster",
    )
    .await?;
    check_and_capture(organiser, axe, "organiser-badges").await?;

    // Ada's QR code holds her contact address, as the server makes it.
    let scanned = read_qr(organiser, ".badge-sheet .badge:first-child svg.qr").await?;
    let badges = server
        .http()
        .send(
            "GET",
            &format!("/api/events/{CODE}/badges"),
            Some(&server.organiser_key),
            None,
        )
        .await?;
    let badges: Vec<Badge> = serde_json::from_value(badges.body)?;
    ensure!(
        scanned == badges[0].contact_url && badges[0].name == "Ada Lind",
        "the QR code holds {scanned:?}, Ada's badge {:?}",
        badges[0]
    );
    ensure!(
        !scanned.contains("token"),
        "a badge signs nobody in: {scanned}"
    );

    // Bo's phone opens it, and asks her.
    bo.goto(&scanned).await?;
    wait_for_text(bo, "#scanned-heading ~ p", "Ada Lind (Porto Cluster)").await?;
    type_into(bo, "#scanned-why", "Your pitch on cold chains").await?;
    check_and_capture(bo, axe, "meetings-scanned").await?;
    click(bo, ".scanned button[type=submit]").await?;
    wait_for_text(bo, ".scanned [role=status]", "Asked").await?;

    // Ada sees the request among her contacts, with why, and accepts it.
    ada.goto(&server.url(&format!("/e/{CODE}/meetings")))
        .await?;
    wait_for_text(ada, ".contact-list .contact h3", "Bo Berg (Skåne Food)").await?;
    wait_for_text(
        ada,
        ".contact-list .contact blockquote",
        "Your pitch on cold chains",
    )
    .await?;
    click(ada, ".contact-list .contact .actions button.primary").await?;
    // Each phone shows the other as an agreed contact.
    for (b, other) in [(ada, "Bo Berg"), (bo, "Ada Lind")] {
        wait_for_text(b, ".contact-list .contact h3", other).await?;
        wait_for_text(
            b,
            ".contact-list .contact .meeting-status",
            "You share contact details",
        )
        .await?;
    }
    // Agreed contacts can be taken away as files.
    wait_for_text(ada, ".contact-files button", "Download as a spreadsheet").await?;
    Ok(())
}
