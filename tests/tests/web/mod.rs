//! What the browser tests share: chromedriver, Chromium sessions (one profile each, so each
//! is a different person), waiting for the page, screenshots and axe-core.

#![allow(dead_code)]

use anyhow::{Context as _, bail, ensure};
use fantoccini::{Client, ClientBuilder, Locator, elements::Element, wd::Capabilities};
use hyper_util::client::legacy::connect::HttpConnector;
use plenum_tests::workspace_root;
use serde_json::{Value, json};
use std::{
    net::TcpListener,
    os::unix::process::CommandExt as _,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// How long the page may take to show something expected. Generous: several Chromiums share
/// two cores with the server during these tests.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// Fails, saying what to run, unless the client is built and Chromium installed.
pub fn check_prerequisites() -> anyhow::Result<PathBuf> {
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
    Ok(dist)
}

/// Where screenshots go: `$CARGO_TARGET_DIR/screenshots/`.
pub fn screenshot_dir() -> PathBuf {
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => workspace_root().join(dir),
        None => workspace_root().join("target"),
    };
    target.join("screenshots")
}

pub async fn save_screenshot(browser: &Client, name: &str) -> anyhow::Result<PathBuf> {
    let dir = screenshot_dir();
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(format!("{name}.png"));
    std::fs::write(&path, browser.screenshot().await?)?;
    eprintln!("screenshot: {}", path.display());
    Ok(path)
}

/// chromedriver on a spare port, in a process group of its own: dropping this kills the
/// group, so the Chromium it started goes too, even when the test panics.
pub struct Chromedriver {
    child: Child,
    url: String,
}

impl Chromedriver {
    pub fn start(log_dir: &Path) -> anyhow::Result<Chromedriver> {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .arg(format!(
                "--log-path={}",
                log_dir.join("chromedriver.log").display()
            ))
            // Every browser's clock in UTC, whatever the machine's: the tests know which times
            // are "yours" (the demo event is in Brussels).
            .env("TZ", "UTC")
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
pub async fn open_browser(driver: &Chromedriver, profile: &Path) -> anyhow::Result<Client> {
    open_sized(driver, profile, (420, 900)).await
}

/// A Chromium session with its own profile (its own localStorage: its own person) and window size.
pub async fn open_sized(
    driver: &Chromedriver,
    profile: &Path,
    size: (u32, u32),
) -> anyhow::Result<Client> {
    open_with(driver, profile, size, &[]).await
}

/// Opens one browser per `(name, window size)`, each its own person (profiles under `dir`),
/// runs `scenario` with them (in that order) for at most `limit`, saves a screenshot of each
/// (`failed-{tag}-{name}`) if it fails, and closes them all.
pub async fn with_browsers<F, Fut>(
    driver: &Chromedriver,
    dir: &Path,
    which: &[(&str, (u32, u32))],
    limit: Duration,
    tag: &str,
    scenario: F,
) -> anyhow::Result<()>
where
    F: FnOnce(Vec<Client>) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    let mut browsers = Vec::new();
    for (name, size) in which {
        browsers.push(open_sized(driver, &dir.join(name), *size).await?);
    }
    let outcome = tokio::time::timeout(limit, scenario(browsers.clone()))
        .await
        .unwrap_or_else(|_| bail!("the scenario did not finish within {} s", limit.as_secs()));
    if outcome.is_err() {
        for ((name, _), b) in which.iter().zip(&browsers) {
            let _ = tokio::time::timeout(
                Duration::from_secs(20),
                save_screenshot(b, &format!("failed-{tag}-{name}")),
            )
            .await;
        }
    }
    for b in browsers {
        let _ = tokio::time::timeout(Duration::from_secs(10), b.close()).await;
    }
    outcome
}

/// [`open_sized`] with more Chromium flags (`--force-dark-mode` for the dark colour scheme).
pub async fn open_with(
    driver: &Chromedriver,
    profile: &Path,
    size: (u32, u32),
    extra: &[&str],
) -> anyhow::Result<Client> {
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
    ]
    .map(String::from)
    .to_vec();
    args.push(format!("--window-size={},{}", size.0, size.1));
    args.push("--lang=en-US".to_owned());
    args.extend(extra.iter().map(|a| a.to_string()));
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

pub async fn find(browser: &Client, css: &str) -> anyhow::Result<Element> {
    browser
        .find(Locator::Css(css))
        .await
        .with_context(|| format!("finding {css}"))
}

/// Types as a person would: key events, so the page's input handlers run. An element drawn
/// again between finding it and typing (nothing typed yet) is found again.
pub async fn type_into(browser: &Client, css: &str, text: &str) -> anyhow::Result<()> {
    let mut attempt = 0;
    loop {
        match find(browser, css).await?.send_keys(text).await {
            Ok(()) => return Ok(()),
            Err(e) if attempt < 2 && e.to_string().contains("stale element") => {
                attempt += 1;
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            Err(e) => return Err(e.into()),
        }
    }
}

pub async fn click(browser: &Client, css: &str) -> anyhow::Result<()> {
    Ok(find(browser, css).await?.click().await?)
}

/// Waits until the element's text contains `text` (any text, for "").
pub async fn wait_for_text(browser: &Client, css: &str, text: &str) -> anyhow::Result<()> {
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
pub async fn wait_for_attr(
    browser: &Client,
    css: &str,
    attr: &str,
    value: &str,
) -> anyhow::Result<()> {
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
pub async fn wait_until(
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

/// axe-core's source, installed by `scripts/setup --browser` into the cache.
pub fn axe_source() -> anyhow::Result<String> {
    let cache = std::env::var_os("PLENUM_CACHE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/plenum")))
        .context("no PLENUM_CACHE or HOME")?;
    let path = cache.join("axe/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).with_context(|| {
        format!(
            "{} is missing: install it with scripts/setup --browser",
            path.display()
        )
    })
}

/// Runs axe-core's WCAG 2.1 A and AA rules on the page as it is; fails on any serious or
/// critical violation (and prints the lesser ones). Then saves a screenshot.
pub async fn check_and_capture(b: &Client, axe: &str, name: &str) -> anyhow::Result<()> {
    // Let transitions and the live data settle before judging contrast.
    tokio::time::sleep(Duration::from_millis(500)).await;
    b.execute(&format!("{axe}\n;return true;"), vec![]).await?;
    let script = r#"
        const done = arguments[arguments.length - 1];
        axe.run(document, {
            runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
            resultTypes: ['violations'],
        }).then(r => done(JSON.stringify(r.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || '')),
        }))))).catch(e => done('axe failed: ' + e));
    "#;
    let answer = b.execute_async(script, vec![]).await?;
    let text = answer.as_str().context("axe answered nothing")?;
    if text.starts_with("axe failed") {
        bail!("{name}: {text}");
    }
    let violations: Vec<Value> = serde_json::from_str(text)?;
    let serious: Vec<&Value> = violations
        .iter()
        .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
        .collect();
    for v in &violations {
        eprintln!("axe {name}: {} ({}) {}", v["id"], v["impact"], v["nodes"]);
    }
    save_screenshot(b, name).await?;
    ensure!(
        serious.is_empty(),
        "axe-core found serious or critical WCAG 2.1 AA violations on {name}:\n{}",
        serde_json::to_string_pretty(&serious)?
    );
    eprintln!("axe {name}: no serious or critical violation");
    Ok(())
}

/// Opens a `<details>` by clicking its summary, as a person would, and waits until it is open.
pub async fn open_details(b: &Client, details: &str) -> anyhow::Result<()> {
    click(b, &format!("{details} > summary")).await?;
    wait_until(
        b,
        "const d = document.querySelector(arguments[0]); return d !== null && d.open;",
        vec![json!(details)],
        &format!("{details} to open when its summary is clicked"),
    )
    .await
}

/// Waits for the element, then clicks it (it may appear only after the server answers).
pub async fn click_when(b: &Client, css: &str) -> anyhow::Result<()> {
    wait_for_text(b, css, "").await?;
    click(b, css).await
}

pub async fn text_of(b: &Client, css: &str) -> anyhow::Result<String> {
    let v = b
        .execute(
            "const e = document.querySelector(arguments[0]); return e ? e.textContent : '';",
            vec![json!(css)],
        )
        .await?;
    Ok(v.as_str().unwrap_or_default().to_owned())
}

/// Opens the event's link (`/e/CODE`) and waits for the client's join form with the code filled
/// in from it. The server's plain form (the same fields but the profile's) stands until the
/// client replaces it: keys typed into it meanwhile would be lost.
pub async fn open_join_link(b: &Client, url: &str, code: &str) -> anyhow::Result<()> {
    b.goto(url).await?;
    wait_until(
        b,
        "const e = document.querySelector('#code');
         return e !== null && e.value === arguments[0]
             && document.querySelector('details.join-profile') !== null;",
        vec![serde_json::json!(code)],
        "the client's join form, the code filled in from the link",
    )
    .await
}

/// Opens the event's link (`/e/CODE`), waits for the client's join form, and joins as `name`:
/// the event's page follows.
pub async fn join_by_link(b: &Client, url: &str, code: &str, name: &str) -> anyhow::Result<()> {
    open_join_link(b, url, code).await?;
    type_into(b, "#name", name).await?;
    click(b, "button[type=submit]").await?;
    wait_for_text(b, "h1", "European Cluster").await
}

/// The text a QR code holds (a badge's, the big screen's), read from its SVG path (one `M x,y h1v1h-1z` square per
/// dark module) by rqrr, a decoder independent of the qrcodegen that drew it.
pub async fn read_qr(b: &Client, css: &str) -> anyhow::Result<String> {
    let found = b
        .execute(
            "const s = document.querySelector(arguments[0]); if (!s) return null;
             return [s.getAttribute('viewBox'), s.querySelector('path').getAttribute('d')];",
            vec![serde_json::json!(css)],
        )
        .await?;
    let (view_box, path) = (
        found[0].as_str().context("no QR code there")?,
        found[1].as_str().context("no path in the QR code")?,
    );
    let size: usize = view_box
        .split_whitespace()
        .nth(2)
        .and_then(|n| n.parse().ok())
        .context("the QR code's size")?;
    let mut dark = vec![false; size * size];
    for square in path.split('M').filter(|s| !s.is_empty()) {
        let corner = square.split('h').next().unwrap_or_default();
        let (x, y) = corner.split_once(',').context("a module's corner")?;
        let (x, y): (usize, usize) = (x.parse()?, y.parse()?);
        dark[y * size + x] = true;
    }
    const SCALE: usize = 4;
    let side = size * SCALE;
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| {
        if dark[(y / SCALE) * size + x / SCALE] {
            0
        } else {
            255
        }
    });
    let grids = image.detect_grids();
    let grid = grids.first().context("rqrr finds no QR code")?;
    let (_, text) = grid
        .decode()
        .map_err(|e| anyhow::anyhow!("rqrr cannot decode it: {e:?}"))?;
    Ok(text)
}
