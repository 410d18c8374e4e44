//! The browser client in a real browser (Debian's headless Chromium through chromedriver):
//! join the demo event, read its agenda, open a session, and see its stage change live when
//! an organiser changes it, without a reload.
//!
//! Needs the built client (`scripts/build-client`) and Chromium (`scripts/setup --browser`).
//! Without them this test fails and says which to run: it never skips.
//!
//! WebDriver is spoken with fantoccini over a plain-HTTP hyper-util connector: chromedriver
//! listens on 127.0.0.1, so no TLS stack (and no system OpenSSL) is needed.

use anyhow::{Context as _, anyhow, bail, ensure};
use fantoccini::{Client, ClientBuilder, Locator, elements::Element, wd::Capabilities};
use hyper_util::client::legacy::connect::HttpConnector;
use plenum_tests::{TestConfig, TestServer, workspace_root};
use serde_json::{Value, json};
use std::{
    net::TcpListener,
    os::unix::process::CommandExt as _,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// How long the page may take to show something expected.
const PATIENCE: Duration = Duration::from_secs(10);
const CODE: &str = "ECC2026";
const SESSION: &str = "opening";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_attendee_sees_the_stage_go_live_without_reloading() -> anyhow::Result<()> {
    let dist = workspace_root().join("client/dist");
    ensure!(
        dist.join("index.html").is_file(),
        "{} is missing: build the browser client first with scripts/build-client",
        dist.join("index.html").display()
    );
    ensure!(
        Path::new(CHROMEDRIVER).is_file() && Path::new(CHROMIUM).is_file(),
        "{CHROMEDRIVER} or {CHROMIUM} is missing: install them with scripts/setup --browser"
    );

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
    let shot = tokio::time::timeout(Duration::from_secs(20), save_screenshot(&browser))
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

async fn save_screenshot(browser: &Client) -> anyhow::Result<PathBuf> {
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => workspace_root().join(dir),
        None => workspace_root().join("target"),
    };
    let dir = target.join("screenshots");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("browser-session-live.png");
    std::fs::write(&path, browser.screenshot().await?)?;
    eprintln!("screenshot: {}", path.display());
    Ok(path)
}

/// chromedriver on a spare port, in a process group of its own: dropping this kills the
/// group, so the Chromium it started goes too, even when the test panics.
struct Chromedriver {
    child: Child,
    url: String,
}

impl Chromedriver {
    fn start(log_dir: &Path) -> anyhow::Result<Chromedriver> {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .arg(format!(
                "--log-path={}",
                log_dir.join("chromedriver.log").display()
            ))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .with_context(|| format!("starting {CHROMEDRIVER}"))?;
        Ok(Chromedriver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        })
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.wait();
    }
}

/// A Chromium session through chromedriver, once it listens.
async fn open_browser(driver: &Chromedriver, profile: &Path) -> anyhow::Result<Client> {
    let http = reqwest::Client::new();
    // chromedriver takes a moment to listen.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        match http.get(format!("{}/status", driver.url)).send().await {
            Ok(r) if r.status().is_success() => break,
            _ if Instant::now() > deadline => bail!("chromedriver did not start within 20 s"),
            _ => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
    let mut args: Vec<String> = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=420,900",
    ]
    .map(String::from)
    .to_vec();
    args.push(format!(
        "--user-data-dir={}",
        profile.join("chromium").display()
    ));
    let mut capabilities = Capabilities::new();
    capabilities.insert("browserName".into(), json!("chrome"));
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({"binary": CHROMIUM, "args": args}),
    );
    ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities)
        .connect(&driver.url)
        .await
        .with_context(|| format!("opening a Chromium session through {}", driver.url))
}

async fn find(browser: &Client, css: &str) -> anyhow::Result<Element> {
    browser
        .find(Locator::Css(css))
        .await
        .with_context(|| format!("finding {css}"))
}

/// Types as a person would: key events, so the page's input handlers run.
async fn type_into(browser: &Client, css: &str, text: &str) -> anyhow::Result<()> {
    Ok(find(browser, css).await?.send_keys(text).await?)
}

async fn click(browser: &Client, css: &str) -> anyhow::Result<()> {
    Ok(find(browser, css).await?.click().await?)
}

/// Waits until the element's text contains `text` (any text, for "").
async fn wait_for_text(browser: &Client, css: &str, text: &str) -> anyhow::Result<()> {
    let script = "const e = document.querySelector(arguments[0]);
                  return e !== null && e.textContent.includes(arguments[1]);";
    wait_until(
        browser,
        script,
        vec![json!(css), json!(text)],
        &format!("{css} to show {text:?}"),
    )
    .await
}

/// Waits until the element's attribute has the value.
async fn wait_for_attr(browser: &Client, css: &str, attr: &str, value: &str) -> anyhow::Result<()> {
    let script = "const e = document.querySelector(arguments[0]);
                  return e !== null && e.getAttribute(arguments[1]) === arguments[2];";
    wait_until(
        browser,
        script,
        vec![json!(css), json!(attr), json!(value)],
        &format!("{css} to have {attr}={value:?}"),
    )
    .await
}

/// Polls the page until `script` returns true; on timeout, says what the page showed.
async fn wait_until(
    browser: &Client,
    script: &str,
    args: Vec<Value>,
    what: &str,
) -> anyhow::Result<()> {
    let deadline = Instant::now() + PATIENCE;
    loop {
        if browser.execute(script, args.clone()).await? == json!(true) {
            return Ok(());
        }
        if Instant::now() > deadline {
            let page = browser
                .execute("return document.body.innerText", vec![])
                .await
                .unwrap_or_default();
            let url = browser
                .current_url()
                .await
                .map(String::from)
                .unwrap_or_default();
            bail!(
                "waited {PATIENCE:?} for {what}; the page at {url} shows:\n{}",
                page.as_str().unwrap_or("")
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
