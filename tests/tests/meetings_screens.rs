//! One-to-one meetings in browsers, against the real server and the demo's meeting plan: two
//! phones publish their matchmaking profiles; Ada finds Bo and asks to meet him at the first
//! slot; Bo sees the request counted on his meetings page and his agenda, opens it and accepts
//! (sharing his email);
//! both phones then show the same time and the same table, and the meeting is in both inboxes
//! (asked of the server too). Bo's email reaches Ada only once she shares back. The organiser's
//! meetings panel shows the dashboard and runs "Schedule all"; the meeting area's big screen
//! shows the tables' plan. axe-core (WCAG 2.1 A and AA) passes on each; screenshots in
//! `$CARGO_TARGET_DIR/screenshots/`.

mod web;

use anyhow::{Context as _, ensure};
use fantoccini::Client;
use plenum_tests::{TestConfig, TestServer};
use serde_json::json;
use std::time::Duration;
use web::*;

const CODE: &str = "ECC2026";
const MEETINGS: &str = "/e/ECC2026/meetings";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_phones_book_one_meeting_and_see_the_same_table() -> anyhow::Result<()> {
    let dist = check_prerequisites()?;
    let axe = axe_source()?;
    let server = TestServer::start_with(TestConfig {
        demo: true,
        web_dir: Some(dist),
        ..Default::default()
    })
    .await;
    let profiles = tempfile::tempdir()?;
    let driver = Chromedriver::start(profiles.path())?;
    let browsers = [
        ("ada", (420, 900)),
        ("bo", (420, 900)),
        ("organiser", (1280, 900)),
    ];
    with_browsers(
        &driver,
        profiles.path(),
        &browsers,
        Duration::from_secs(300),
        "meetings",
        |b| async move { scenario(&server, &b[0], &b[1], &b[2], &axe).await },
    )
    .await
}

/// Publishes the phone's matchmaking profile (with a role) and waits until the server has it.
async fn publish(b: &Client, role: &str) -> anyhow::Result<()> {
    wait_for_text(b, "#match-profile-heading", "").await?;
    type_into(b, "#match-role", role).await?;
    click(b, "#match-listed").await?;
    click(b, "#match-profile-heading ~ form button[type=submit]").await?;
    wait_for_text(b, "#announcer", "Profile saved").await
}

async fn scenario(
    server: &TestServer,
    ada: &Client,
    bo: &Client,
    organiser: &Client,
    axe: &str,
) -> anyhow::Result<()> {
    for (b, name) in [(ada, "Ada Lind"), (bo, "Bo Berg")] {
        join_by_link(b, &server.url(&format!("/e/{CODE}")), CODE, name).await?;
        // The demo plans meetings: every page of the event links to them.
        click_when(b, ".meetings-link a").await?;
        wait_for_text(b, "h1", "Meetings").await?;
    }

    // Bo keeps an email on his contact card (nobody sees it yet) and publishes his profile.
    type_into(bo, "#card-email", "bo@example.org").await?;
    click(bo, "#contact-card-heading ~ form button[type=submit]").await?;
    wait_for_text(bo, "#announcer", "Contact card saved").await?;
    publish(bo, "Head of partnerships").await?;
    // Ada publishes hers (listed people may look for others), finds Bo and asks him to meet
    // at the plan's first slot.
    publish(ada, "Researcher").await?;
    type_into(ada, "#find-query", "Bo Berg").await?;
    click(ada, "form[role=search] button[type=submit]").await?;
    wait_for_text(ada, ".people-list .person-card h3", "Bo Berg").await?;
    check_and_capture(ada, axe, "meetings-find").await?;
    click(ada, ".people-list .person-card .ask summary").await?;
    type_into(
        ada,
        ".person-card .ask textarea",
        "Hydrogen storage pilots: shall we talk?",
    )
    .await?;
    ada.execute(
        "const s = document.querySelector('.person-card .ask select'); s.value = '0'; \
         s.dispatchEvent(new Event('change', {bubbles: true}));",
        vec![],
    )
    .await?;
    click(ada, ".person-card .ask button[type=submit]").await?;
    wait_for_text(ada, ".person-card .ask [role=status]", "Request sent").await?;
    wait_for_text(
        ada,
        "#my-meetings-heading ~ .meeting-list .meeting h3",
        "Bo Berg",
    )
    .await?;

    // Bo: the request waits for his answer, counted on the meetings page and in every other
    // page's header (his agenda's, say), with Ada's words.
    wait_for_text(bo, "#to-answer-heading", "Waiting for your answer (1)").await?;
    click(bo, ".back a").await?;
    wait_for_text(bo, ".meetings-link .badge", "1 to answer").await?;
    click(bo, ".meetings-link a").await?;
    wait_for_text(
        bo,
        "#to-answer-heading ~ .meeting-list .meeting h3",
        "Ada Lind",
    )
    .await?;
    wait_for_text(bo, ".meeting .meeting-message", "Hydrogen storage pilots").await?;
    check_and_capture(bo, axe, "meetings-request").await?;
    // He shares his email as he accepts.
    click(bo, ".meeting .share-choice input[type=checkbox]").await?;
    click(bo, ".meeting .actions button.primary").await?;

    // Both phones show the same time and the same table.
    let mut seen = Vec::new();
    for b in [ada, bo] {
        wait_for_text(b, ".meeting .meeting-place", "Table").await?;
        let when = text_of(b, ".meeting .meeting-when").await?;
        let place = text_of(b, ".meeting .meeting-place").await?;
        ensure!(!when.is_empty(), "no time shown");
        seen.push((when, place));
    }
    ensure!(
        seen[0] == seen[1],
        "the two phones disagree about the meeting: {seen:?}"
    );
    check_and_capture(ada, axe, "meetings-booked").await?;

    // The meeting is in both inboxes, as the server keeps them (their snapshots over the API
    // are the inbox rooms the phones follow): one meeting, accepted, at that table.
    let http = server.http();
    let mut tables = Vec::new();
    for b in [ada, bo] {
        let token = b
            .execute(
                "return localStorage.getItem('plenum.token.' + arguments[0]);",
                vec![json!(CODE)],
            )
            .await?;
        let token = token.as_str().context("no token kept")?.to_owned();
        let answer = http
            .send(
                "GET",
                &format!("/api/events/{CODE}/my-data"),
                Some(&token),
                None,
            )
            .await?;
        ensure!(answer.status == 200, "{}", answer.body);
        let mine = answer.body;
        let meetings = mine["meetings"].as_array().context("no meetings")?;
        ensure!(meetings.len() == 1, "{mine}");
        ensure!(meetings[0]["status"] == "accepted", "{mine}");
        tables.push(meetings[0]["table"].clone());
    }
    ensure!(
        tables[0] == tables[1] && tables[0].is_u64(),
        "tables: {tables:?}"
    );
    let table = tables[0].as_u64().unwrap_or_default();
    ensure!(
        seen[0].1.contains(&format!("Table {table}")),
        "shown {:?}, kept table {table}",
        seen[0].1
    );

    // Ada's calendar feed, from her page: the meeting with Bo is in it.
    click(ada, "section[aria-labelledby=your-data-heading] button").await?;
    wait_until(
        ada,
        "const e = document.querySelector('#calendar-url'); return e !== null && e.value.includes('.ics');",
        vec![],
        "the calendar address",
    )
    .await?;
    let url = ada
        .execute(
            "return document.querySelector('#calendar-url').value;",
            vec![],
        )
        .await?;
    let url = url.as_str().context("no address")?;
    let path = &url[url.find("/api/").context("an API address")?..];
    let feed = http.send("GET", path, None, None).await?;
    ensure!(feed.status == 200, "{}", feed.body);
    let text = feed.body.as_str().unwrap_or_default().to_owned();
    ensure!(
        text.contains("BEGIN:VEVENT") && text.contains("Bo Berg"),
        "the feed: {text}"
    );

    // Consent: Bo's email is not Ada's until she shares back; then it is.
    wait_for_text(ada, ".contact .meeting-status", "Offers to share").await?;
    ensure!(
        !text_of(ada, "#contacts-heading ~ .contact-list")
            .await?
            .contains("bo@example.org"),
        "Bo's email shown before Ada agreed"
    );
    click(ada, ".contact .actions button.primary").await?;
    wait_for_text(ada, ".contact .shared", "bo@example.org").await?;

    // The organiser's meetings panel: the dashboard counts the accepted meeting; "Schedule
    // all" answers with what it placed.
    organiser.goto(&server.url("/organise")).await?;
    wait_for_text(organiser, "h1", "Organiser sign-in").await?;
    type_into(organiser, "#organiser-key", &server.organiser_key).await?;
    click(organiser, "button[type=submit]").await?;
    wait_for_text(organiser, "#create-heading", "").await?;
    organiser
        .goto(&server.url(&format!("/organise/{CODE}")))
        .await?;
    wait_for_text(organiser, "#meetings-dashboard-heading", "Meetings").await?;
    wait_for_text(
        organiser,
        "#meetings-dashboard-heading ~ .counts",
        "Accepted",
    )
    .await?;
    click(organiser, "#meetings-dashboard-heading ~ button.primary").await?;
    wait_for_text(
        organiser,
        "#meetings-dashboard-heading ~ [role=status]",
        "accepted meetings have a time",
    )
    .await?;
    check_and_capture(organiser, axe, "meetings-organiser").await?;

    // The meeting area's screen: the tables' plan, no names.
    organiser
        .goto(&server.url(&format!("{MEETINGS}/screen")))
        .await?;
    wait_for_text(organiser, ".table-plan", "Hall C").await?;
    ensure!(
        !text_of(organiser, ".meetings-screen")
            .await?
            .contains("Bo Berg"),
        "the screen names people"
    );
    check_and_capture(organiser, axe, "meetings-screen").await?;

    // Swedish, on Bo's phone: the same meeting in the other language.
    bo.execute(
        "localStorage.setItem('plenum.lang', 'sv'); return true;",
        vec![],
    )
    .await?;
    bo.goto(&server.url(MEETINGS)).await?;
    wait_for_text(bo, "h1", "Möten").await?;
    wait_for_text(bo, ".meeting .meeting-place", "Bord").await?;
    check_and_capture(bo, axe, "meetings-sv").await?;
    Ok(())
}
