//! The browser client in a real browser (Debian's headless Chromium through chromedriver):
//! join the demo event, read its agenda, open a session, and see its stage change live when
//! an organiser changes it, without a reload.
//!
//! Needs the built client (`scripts/build-client`) and Chromium (`scripts/setup --browser`).
//! Without them this test fails and says which to run: it never skips.
//!
//! WebDriver is spoken directly over HTTP with reqwest: fantoccini without a TLS feature has no
//! connector this crate can name (its `ClientBuilder::new` wants a hyper-util connector),
//! and the handful of W3C WebDriver commands used here fit in [`Browser`].

use anyhow::{Context as _, anyhow, bail, ensure};
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
    let browser = Browser::open(&driver, profile.path()).await?;

    let outcome = attend(&browser, &server).await;
    // A picture of how it ended, passed or failed.
    let shot = save_screenshot(&browser).await;
    browser.close().await;
    outcome?;
    shot?;
    Ok(())
}

/// The attendee's path through the client, with the organiser's change in the middle.
async fn attend(browser: &Browser, server: &TestServer) -> anyhow::Result<()> {
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
    browser.wait_for_text("#code", "").await?;
    browser.type_into("#code", CODE).await?;
    browser.type_into("#name", "Ada Lovelace").await?;
    browser.click("button[type=submit]").await?;

    // The agenda, with a link to the session.
    browser.wait_for_text("h1", &title).await?;
    let token = browser
        .script(
            "return localStorage.getItem(arguments[0])",
            json!([format!("plenum.token.{CODE}")]),
        )
        .await?;
    ensure!(
        token.as_str().is_some_and(|t| !t.is_empty()),
        "no token kept in localStorage, got {token}"
    );
    let session_link = format!("a[href='/e/{CODE}/s/{SESSION}']");
    browser.click(&session_link).await?;

    // The session page: not started yet.
    browser
        .wait_for_attr("#stage-status", "data-status", "scheduled")
        .await?;
    browser.wait_for_text("#stage-status", "Scheduled").await?;
    browser.wait_for_text("#connection-status", "Live").await?;
    // A reload would lose this.
    browser
        .script(
            "window.__plenumNoReload = 'still here'; return null",
            json!([]),
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
    browser
        .wait_for_attr("#stage-status", "data-status", "live")
        .await?;
    browser.wait_for_text("#stage-status", "Live").await?;
    browser.wait_for_text("#on-stage", &first_title).await?;
    browser.wait_for_text("#on-stage", &first_speaker).await?;
    let marker = browser
        .script("return window.__plenumNoReload || null", json!([]))
        .await?;
    ensure!(
        marker == json!("still here"),
        "the page was reloaded (marker is {marker})"
    );
    Ok(())
}

async fn save_screenshot(browser: &Browser) -> anyhow::Result<PathBuf> {
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

/// One WebDriver session: the few W3C WebDriver commands this test needs.
struct Browser {
    http: reqwest::Client,
    /// `{driver}/session/{id}`.
    session: String,
}

/// The W3C WebDriver key of an element reference.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

impl Browser {
    async fn open(driver: &Chromedriver, profile: &Path) -> anyhow::Result<Browser> {
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
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM, "args": args},
        }}});
        let answer = call(
            &http,
            reqwest::Method::POST,
            &format!("{}/session", driver.url),
            Some(capabilities),
        )
        .await?;
        let id = answer["sessionId"]
            .as_str()
            .context("no sessionId in the new session")?;
        Ok(Browser {
            session: format!("{}/session/{id}", driver.url),
            http,
        })
    }

    async fn command(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> anyhow::Result<Value> {
        call(&self.http, method, &format!("{}{path}", self.session), body).await
    }

    async fn goto(&self, url: &str) -> anyhow::Result<()> {
        self.command(reqwest::Method::POST, "/url", Some(json!({ "url": url })))
            .await
            .map(drop)
    }

    async fn find(&self, css: &str) -> anyhow::Result<String> {
        let found = self
            .command(
                reqwest::Method::POST,
                "/element",
                Some(json!({"using": "css selector", "value": css})),
            )
            .await
            .with_context(|| format!("finding {css}"))?;
        Ok(found[ELEMENT]
            .as_str()
            .context("no element reference")?
            .to_owned())
    }

    /// Types as a person would: key events, so the page's input handlers run.
    async fn type_into(&self, css: &str, text: &str) -> anyhow::Result<()> {
        let element = self.find(css).await?;
        self.command(
            reqwest::Method::POST,
            &format!("/element/{element}/value"),
            Some(json!({ "text": text })),
        )
        .await
        .map(drop)
    }

    async fn click(&self, css: &str) -> anyhow::Result<()> {
        let element = self.find(css).await?;
        self.command(
            reqwest::Method::POST,
            &format!("/element/{element}/click"),
            Some(json!({})),
        )
        .await
        .map(drop)
    }

    async fn script(&self, script: &str, args: Value) -> anyhow::Result<Value> {
        self.command(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({"script": script, "args": args})),
        )
        .await
    }

    /// Waits until the element's text contains `text` (any text, for "").
    async fn wait_for_text(&self, css: &str, text: &str) -> anyhow::Result<()> {
        let script = "const e = document.querySelector(arguments[0]);
                      return e !== null && e.textContent.includes(arguments[1]);";
        self.wait_until(
            script,
            json!([css, text]),
            &format!("{css} to show {text:?}"),
        )
        .await
    }

    /// Waits until the element's attribute has the value.
    async fn wait_for_attr(&self, css: &str, attr: &str, value: &str) -> anyhow::Result<()> {
        let script = "const e = document.querySelector(arguments[0]);
                      return e !== null && e.getAttribute(arguments[1]) === arguments[2];";
        self.wait_until(
            script,
            json!([css, attr, value]),
            &format!("{css} to have {attr}={value:?}"),
        )
        .await
    }

    /// Polls the page until `script` returns true; on timeout, says what the page showed.
    async fn wait_until(&self, script: &str, args: Value, what: &str) -> anyhow::Result<()> {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if self.script(script, args.clone()).await? == json!(true) {
                return Ok(());
            }
            if Instant::now() > deadline {
                let page = self
                    .script("return document.body.innerText", json!([]))
                    .await
                    .unwrap_or_default();
                let url = self
                    .command(reqwest::Method::GET, "/url", None)
                    .await
                    .unwrap_or_default();
                bail!(
                    "waited {PATIENCE:?} for {what}; the page at {url} shows:\n{}",
                    page.as_str().unwrap_or("")
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn screenshot(&self) -> anyhow::Result<Vec<u8>> {
        let png = self
            .command(reqwest::Method::GET, "/screenshot", None)
            .await?;
        base64_decode(png.as_str().context("screenshot is not a string")?)
    }

    /// Ends the session (Chromium exits); the driver's drop makes sure of it.
    async fn close(self) {
        let _ = self.command(reqwest::Method::DELETE, "", None).await;
    }
}

/// One WebDriver call: its `value`, or the error WebDriver gave.
async fn call(
    http: &reqwest::Client,
    method: reqwest::Method,
    url: &str,
    body: Option<Value>,
) -> anyhow::Result<Value> {
    let mut request = http.request(method, url).timeout(Duration::from_secs(60));
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request
        .send()
        .await
        .with_context(|| format!("WebDriver request {url}"))?;
    let status = response.status();
    let mut answer: Value = response
        .json()
        .await
        .with_context(|| format!("WebDriver answer to {url}"))?;
    let value = answer["value"].take();
    if !status.is_success() {
        return Err(anyhow!(
            "WebDriver {url} answered {status}: {} {}",
            value["error"],
            value["message"]
        ));
    }
    Ok(value)
}

/// Standard base64, as WebDriver sends screenshots (no dependency for 20 lines).
fn base64_decode(text: &str) -> anyhow::Result<Vec<u8>> {
    fn sextet(c: u8) -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    }
    let digits: Vec<u8> = text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
        .collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= sextet(c).context("screenshot is not base64")? << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Ok(out)
}

#[test]
fn base64_decodes_what_webdriver_sends() {
    assert_eq!(base64_decode("UGxlbnVt").unwrap(), b"Plenum");
    assert_eq!(base64_decode("UGxlbnU=").unwrap(), b"Plenu");
    assert_eq!(base64_decode("UGxlbg==").unwrap(), b"Plen");
}
