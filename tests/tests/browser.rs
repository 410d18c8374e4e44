//! The browser client in a real browser (Debian's headless Chromium through chromedriver):
//! join the demo event, read its agenda, open a session, and see its stage change live when
//! an organiser changes it, without a reload.
//!
//! Needs the built client (`scripts/build-client`) and Chromium (`scripts/setup --browser`).
//! Without them this test fails and says which to run: it never skips.
//!
//! WebDriver is spoken with fantoccini over a plain-HTTP hyper-util connector: chromedriver
//! listens on 127.0.0.1, so no TLS stack (and no system OpenSSL) is needed.

mod web;

use anyhow::{Context as _, anyhow, ensure};
use fantoccini::Client;
use plenum_tests::{TestConfig, TestServer};
use serde_json::{Value, json};
use std::time::Duration;
use web::*;

const CODE: &str = "ECC2026";
const SESSION: &str = "opening";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_attendee_sees_the_stage_go_live_without_reloading() -> anyhow::Result<()> {
    let dist = check_prerequisites()?;

    let server = TestServer::start_with(TestConfig {
        demo: true,
        web_dir: Some(dist),
        ..Default::default()
    })
    .await;
    // Declared before the driver, so it is dropped after it: the browser is gone before its
    // profile directory is removed.
    let profile = tempfile::tempdir()?;
    let driver = Chromedriver::start(profile.path())?;
    let browser = open_browser(&driver, profile.path()).await?;

    // fantoccini puts no limit on a WebDriver request: bound the whole visit, so a hung
    // chromedriver fails the test instead of hanging it.
    let outcome = tokio::time::timeout(Duration::from_secs(120), attend(&browser, &server))
        .await
        .unwrap_or_else(|_| Err(anyhow!("the browser did not finish within 120 s")));
    // A picture of how it ended, passed or failed.
    let shot = tokio::time::timeout(
        Duration::from_secs(20),
        save_screenshot(&browser, "browser-session-live"),
    )
    .await
    .unwrap_or_else(|_| Err(anyhow!("no screenshot within 20 s")));
    // Ends the session (Chromium exits); the driver's drop makes sure of it.
    let _ = browser.close().await;
    outcome?;
    shot?;
    Ok(())
}

/// The attendee's path through the client, with the organiser's change in the middle.
async fn attend(browser: &Client, server: &TestServer) -> anyhow::Result<()> {
    let http = reqwest::Client::new();
    let event: Value = http
        .get(server.url(&format!("/api/events/{CODE}")))
        .send()
        .await?
        .json()
        .await?;
    let title = event["title"].as_str().context("event title")?.to_owned();
    let opening = event["agenda"]["sessions"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["id"] == SESSION))
        .context("the demo event has a session 'opening'")?;
    let first = opening["contributions"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["number"] == 1))
        .context("the opening session has a contribution number 1")?;
    let first_title = first["title"]
        .as_str()
        .context("contribution title")?
        .to_owned();
    let first_speaker = first["speakers"][0]["name"]
        .as_str()
        .context("contribution 1 has a speaker")?
        .to_owned();

    // Join from the home page.
    browser.goto(&server.url("/")).await?;
    wait_for_text(browser, "#code", "").await?;
    type_into(browser, "#code", CODE).await?;
    type_into(browser, "#name", "Ada Lovelace").await?;
    click(browser, "button[type=submit]").await?;

    // The agenda, with a link to the session.
    wait_for_text(browser, "h1", &title).await?;
    let token = browser
        .execute(
            "return localStorage.getItem(arguments[0])",
            vec![json!(format!("plenum.token.{CODE}"))],
        )
        .await?;
    ensure!(
        token.as_str().is_some_and(|t| !t.is_empty()),
        "no token kept in localStorage, got {token}"
    );
    let session_link = format!("a[href='/e/{CODE}/s/{SESSION}']");
    click(browser, &session_link).await?;

    // The session page: not started yet.
    wait_for_attr(browser, "#stage-status", "data-status", "scheduled").await?;
    wait_for_text(browser, "#stage-status", "Scheduled").await?;
    wait_for_text(browser, "#connection-status", "Live").await?;
    // A reload would lose this.
    browser
        .execute(
            "window.__plenumNoReload = 'still here'; return null",
            vec![],
        )
        .await?;

    // The organiser puts contribution 1 on stage and goes live.
    let answer = http
        .post(server.url(&format!("/api/events/{CODE}/sessions/{SESSION}/stage")))
        .bearer_auth(&server.organiser_key)
        .json(&json!({"status": "live", "on_stage": {"kind": "contribution", "number": 1}}))
        .send()
        .await?;
    ensure!(
        answer.status().is_success(),
        "setting the stage answered {}",
        answer.status()
    );

    // The page follows, on its own.
    wait_for_attr(browser, "#stage-status", "data-status", "live").await?;
    wait_for_text(browser, "#stage-status", "Live").await?;
    wait_for_text(browser, "#on-stage", &first_title).await?;
    wait_for_text(browser, "#on-stage", &first_speaker).await?;
    let marker = browser
        .execute("return window.__plenumNoReload || null", vec![])
        .await?;
    ensure!(
        marker == json!("still here"),
        "the page was reloaded (marker is {marker})"
    );
    Ok(())
}
