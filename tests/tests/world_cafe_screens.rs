//! The world café in browsers, against the real server and the demo's tables: two phones take
//! part, the moderator (invited, on a laptop) starts a round; each phone shows its table's
//! topic, who sits there and the countdown; a phone asks for help and the moderator's tables
//! show it; Ada adds a point to her table's harvest; the round ends, the phones are back between
//! rounds and see every table's harvest, and so does the big screen. axe-core (WCAG 2.1 A and
//! AA) passes on the phone's tables, the moderator's and the big screen's; screenshots in
//! `$CARGO_TARGET_DIR/screenshots/`.

mod web;

use anyhow::{Context as _, anyhow};
use fantoccini::Client;
use plenum_tests::{TestConfig, TestServer};
use serde_json::{Value, json};
use std::time::Duration;
use web::*;

const CODE: &str = "ECC2026";
const CAFE: &str = "/e/ECC2026/s/world-cafe";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phones_are_seated_and_the_moderator_runs_the_round() -> anyhow::Result<()> {
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
    let ada = open_sized(&driver, &profiles.path().join("ada"), (420, 900)).await?;
    let bo = open_sized(&driver, &profiles.path().join("bo"), (420, 900)).await?;
    let moderator = open_sized(&driver, &profiles.path().join("mod"), (1280, 900)).await?;
    let outcome = tokio::time::timeout(
        Duration::from_secs(300),
        scenario(&server, &ada, &bo, &moderator, &axe),
    )
    .await
    .unwrap_or_else(|_| Err(anyhow!("the scenario did not finish within 300 s")));
    if outcome.is_err() {
        for (name, b) in [("ada", &ada), ("bo", &bo), ("moderator", &moderator)] {
            let _ = tokio::time::timeout(
                Duration::from_secs(20),
                save_screenshot(b, &format!("failed-cafe-{name}")),
            )
            .await;
        }
    }
    for b in [ada, bo, moderator] {
        let _ = tokio::time::timeout(Duration::from_secs(10), b.close()).await;
    }
    outcome
}

async fn scenario(
    server: &TestServer,
    ada: &Client,
    bo: &Client,
    moderator: &Client,
    axe: &str,
) -> anyhow::Result<()> {
    // Two attendees join by the event's link; Ada says who she is on the agenda (her
    // organisation, country and languages), then both open the world café.
    for (b, name) in [(ada, "Ada Lind"), (bo, "Bo Berg")] {
        join_by_link(b, &server.url(&format!("/e/{CODE}")), CODE, name).await?;
        if name == "Ada Lind" {
            wait_for_text(b, "details.profile summary", "About you").await?;
            click(b, "details.profile summary").await?;
            type_into(b, "#profile-organisation", "Nordic Hydrogen Cluster").await?;
            b.execute(
                "const s = document.querySelector('#profile-country'); s.value = 'SE'; \
                 s.dispatchEvent(new Event('change', {bubbles: true}));",
                vec![],
            )
            .await?;
            click(b, "#profile-lang-sv").await?;
            click(b, "#profile-lang-en").await?;
            check_and_capture(b, axe, "profile").await?;
            click(b, "details.profile button[type=submit]").await?;
            wait_for_text(b, "details.profile summary", "Nordic Hydrogen Cluster").await?;
        }
        b.goto(&server.url(CAFE)).await?;
        wait_for_text(b, "#connection-status", "Live").await?;
        wait_for_text(b, "#tables-heading", "Tables").await?;
        wait_for_text(b, ".tables", "Between rounds").await?;
        click_when(b, "#take-part-tables").await?;
        wait_for_text(b, "#leave-tables", "Leave the tables").await?;
    }
    check_and_capture(ada, axe, "cafe-between-rounds").await?;

    // The moderator, invited, opens the session's console.
    let answer: Value = reqwest::Client::new()
        .post(server.url(&format!("/api/events/{CODE}/invites")))
        .bearer_auth(&server.organiser_key)
        .json(&json!({"role": "moderator", "name": "Sara Ek"}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let link = answer["link"].as_str().context("invite link")?;
    moderator.goto(&server.url(link)).await?;
    wait_for_text(moderator, "h1", "Accept your invitation").await?;
    click(moderator, "button[type=submit]").await?;
    wait_for_text(moderator, "h1", "European Cluster").await?;
    moderator
        .goto(&server.url(&format!("{CAFE}/moderate")))
        .await?;
    wait_for_text(moderator, "#tables-console-heading", "Tables").await?;
    wait_for_text(moderator, ".table-grid", "Kompetensförsörjning").await?;

    // A round of rotation: each phone gets its table, its people and the countdown.
    click_when(moderator, "#start-round").await?;
    for (b, name) in [(ada, "Ada Lind"), (bo, "Bo Berg")] {
        wait_for_text(b, "#your-table", "Table ").await?;
        wait_for_text(b, "#your-table .members", name).await?;
        wait_for_text(b, ".round-clock", "Round 1").await?;
        wait_for_text(b, ".round-clock [role=timer]", "left").await?;
    }
    wait_for_text(ada, "#your-table", "Join the table's video call").await?;
    check_and_capture(ada, axe, "cafe-seated").await?;
    // Her agenda says where she sits while the round runs.
    ada.goto(&server.url(&format!("/e/{CODE}"))).await?;
    wait_for_text(
        ada,
        "[data-session=world-cafe] .badge.seated",
        "You sit at table",
    )
    .await?;
    ada.goto(&server.url(CAFE)).await?;
    wait_for_text(ada, "#your-table", "Join the table's video call").await?;
    // Two people, seated apart or together: the moderator's tables count them, and the seats
    // kept for the demo's two hosts, who are away (the grid says so).
    wait_until(
        moderator,
        "return [...document.querySelectorAll('.table-grid .count')].map(e => parseInt(e.textContent)).reduce((a, b) => a + b, 0) === 4;",
        vec![],
        "two people and two hosts' seats in the moderator's tables",
    )
    .await?;
    wait_for_text(moderator, ".table-grid .host-away", "Host away").await?;

    // Ada asks for help; the moderator sees which table.
    click_when(ada, "#ask-for-help").await?;
    wait_for_text(ada, "#your-table", "Help is on its way").await?;
    wait_for_text(moderator, ".table-grid li.help", "Needs help").await?;
    // The moderator closes Ada's table (the one asking for help): she sits elsewhere, and the
    // closed table asks for no help.
    click_when(moderator, ".table-grid li.help button").await?;
    wait_for_text(moderator, ".table-grid li.closed", "Closed").await?;
    wait_for_text(moderator, ".table-grid li.closed button", "Open").await?;
    wait_until(
        moderator,
        "return document.querySelectorAll('.table-grid li.help').length === 0;",
        vec![],
        "a closed table asks for no help",
    )
    .await?;
    wait_for_text(ada, "#your-table", "Table ").await?;
    // The moderator finds Bo by name and moves him to another table; his phone says so.
    click(moderator, "details.move-person summary").await?;
    type_into(moderator, "#find-at-tables", "bo").await?;
    click(moderator, "details.move-person form button[type=submit]").await?;
    wait_for_text(moderator, ".found-at-tables", "Bo Berg").await?;
    // Another open table than his: the one chosen to begin with.
    let to = moderator
        .execute(
            "const at = document.querySelector('.found-at-tables .at').textContent.match(/\\d+/); \
             const v = document.querySelector('#move-to-0').value; \
             return (at && at[0] === v) ? null : v;",
            vec![],
        )
        .await?;
    let to = to
        .as_str()
        .context("another table chosen to begin with")?
        .to_owned();
    click(
        moderator,
        ".found-at-tables li:first-child button[type=submit]",
    )
    .await?;
    wait_for_text(bo, "#your-table", &format!("Table {to}")).await?;
    wait_for_text(moderator, ".found-at-tables .at", &format!("Table {to}")).await?;
    check_and_capture(moderator, axe, "cafe-moderator").await?;

    // Ada writes a point of her table's harvest; it shows as text, markup and all.
    let point = "Share test beds <b>across</b> regions";
    type_into(ada, ".harvest-add input", point).await?;
    click(ada, ".harvest-add button[type=submit]").await?;
    wait_for_text(ada, ".harvest-points", point).await?;
    check_and_capture(ada, axe, "cafe-harvest").await?;

    // The round ends: everyone is back between rounds, and sees every table's harvest.
    click_when(moderator, "#end-round").await?;
    for b in [ada, bo] {
        wait_for_text(b, ".tables", "Between rounds").await?;
        wait_for_text(b, ".harvests", point).await?;
    }
    // The big screen shows the harvests, table by table.
    moderator
        .goto(&server.url(&format!("{CAFE}/screen")))
        .await?;
    wait_for_text(moderator, ".screen-tables", "Between rounds").await?;
    wait_for_text(moderator, ".screen-harvests", point).await?;
    check_and_capture(moderator, axe, "cafe-screen-harvests").await?;
    Ok(())
}
