//! What a browser gets before the WebAssembly: the page with a plain HTML join form on the
//! join addresses that works without any script; the client's files compressed as built
//! (brotli, gzip) by negotiation, versioned files cached as immutable. And, in a Chromium
//! with JavaScript off, the form joins; the client then keeps the token it was sent.

mod web;

use anyhow::ensure;
use plenum_tests::{TestConfig, TestServer, create_small_event};
use std::path::Path;
use web::*;

const INDEX: &str = r#"<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Plenum</title><script type="module" src="/boot.js?v=1"></script></head>
<body>
  <!--boot--><div id="boot"><p class="boot" role="status">Loading Plenum…</p></div><!--/boot-->
</body>
</html>
"#;

/// A web directory like the built one: the page and one file with its compressed variants.
fn web_dir(dir: &Path) {
    std::fs::write(dir.join("index.html"), INDEX).unwrap();
    std::fs::write(dir.join("client.js"), "plain").unwrap();
    std::fs::write(dir.join("client.js.br"), "brotli bytes").unwrap();
    std::fs::write(dir.join("client.js.gz"), "gzip bytes").unwrap();
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn files_are_sent_compressed_and_versioned_ones_cached_for_good() {
    let dir = tempfile::tempdir().unwrap();
    web_dir(dir.path());
    let server = TestServer::start_with(TestConfig {
        web_dir: Some(dir.path().to_owned()),
        ..Default::default()
    })
    .await;
    let http = client();
    for (accept, encoding, body) in [
        ("gzip, deflate, br", Some("br"), "brotli bytes"),
        ("gzip", Some("gzip"), "gzip bytes"),
        ("identity", None, "plain"),
    ] {
        let r = http
            .get(server.url("/client.js?v=abc"))
            .header("accept-encoding", accept)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let h = r.headers().clone();
        assert_eq!(
            h.get("content-encoding").map(|v| v.to_str().unwrap()),
            encoding,
            "{accept}"
        );
        assert_eq!(h["cache-control"], "public, max-age=31536000, immutable");
        assert!(
            h["vary"]
                .to_str()
                .unwrap()
                .to_lowercase()
                .contains("accept-encoding")
        );
        assert_eq!(r.text().await.unwrap(), body);
    }
    // A file that is not there is not found (not the page).
    let r = http.get(server.url("/favicon.ico")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    // Without its version a file is revalidated, as are the page and the API.
    let r = http.get(server.url("/client.js")).send().await.unwrap();
    assert_eq!(r.headers()["cache-control"], "no-cache");
    let r = http.get(server.url("/")).send().await.unwrap();
    assert_eq!(r.headers()["cache-control"], "no-cache");
    let r = http
        .get(server.url("/api/events/NOPE"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["cache-control"], "no-store");
}

/// `--public-url`: the page names it (the client makes every link and QR code with it), and a
/// browser on that address may open a WebSocket while another site may not.
#[tokio::test]
async fn the_public_address_is_on_the_page_and_may_connect() {
    let dir = tempfile::tempdir().unwrap();
    web_dir(dir.path());
    let server = TestServer::start_with(TestConfig {
        web_dir: Some(dir.path().to_owned()),
        public_url: Some("https://live.example.org".into()),
        ..Default::default()
    })
    .await;
    create_small_event(&server.http(), &server.organiser_key, "PUBLIC")
        .await
        .unwrap();
    let page = client()
        .get(server.url("/e/PUBLIC/s/s1/screen"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(r#"<meta name="plenum-public-url" content="https://live.example.org">"#),
        "{page}"
    );
    let url = server.ws_url();
    assert!(
        plenum_tests::Ws::connect_raw(&url, Some("https://live.example.org"))
            .await
            .is_ok()
    );
    assert!(
        plenum_tests::Ws::connect_raw(&url, Some("https://evil.example.org"))
            .await
            .is_err()
    );
    // Without one, the page names none.
    let plain = TestServer::start_with(TestConfig {
        web_dir: Some(dir.path().to_owned()),
        ..Default::default()
    })
    .await;
    let page = client().get(plain.url("/")).send().await.unwrap();
    assert!(!page.text().await.unwrap().contains("plenum-public-url"));
}

#[tokio::test]
async fn the_join_form_works_as_plain_html() {
    let dir = tempfile::tempdir().unwrap();
    web_dir(dir.path());
    let server = TestServer::start_with(TestConfig {
        web_dir: Some(dir.path().to_owned()),
        ..Default::default()
    })
    .await;
    create_small_event(&server.http(), &server.organiser_key, "PLAIN")
        .await
        .unwrap();
    let http = client();
    let page = |path: &'static str, lang: &'static str| {
        let http = http.clone();
        let url = server.url(path);
        async move {
            let r = http
                .get(url)
                .header("accept-language", lang)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200, "{path}");
            r.text().await.unwrap()
        }
    };
    // The join addresses have the form (the code filled in from the address); the rest say
    // "Loading" until the client starts.
    let home = page("/", "en-GB,en;q=0.9").await;
    assert!(
        home.contains(r#"<form method="post" action="/join">"#),
        "{home}"
    );
    assert!(home.contains(r#"<input id="code" name="code""#));
    let event = page("/e/plain", "en").await;
    assert!(event.contains(r#"value="PLAIN""#), "{event}");
    // The page starts the downloads its build will ask for, and the event's document.
    assert!(
        event.contains(r#"<link rel="modulepreload" href="/client.js?v=1">"#),
        "{event}"
    );
    assert!(
        event.contains(r#"<link rel="preload" as="fetch" crossorigin href="/client_bg.wasm?v=1">"#)
    );
    assert!(
        event.contains(r#"<link rel="preload" as="fetch" crossorigin href="/api/events/PLAIN">"#)
    );
    let console = page("/e/PLAIN/s/s1/moderate", "en").await;
    assert!(
        console.contains(r#"href="/staff_bg.wasm?v=1""#) && !console.contains("client_bg"),
        "{console}"
    );
    let meetings = page("/e/PLAIN/meetings", "en").await;
    assert!(
        meetings.contains(r#"href="/meet_bg.wasm?v=1""#) && !meetings.contains("client_bg"),
        "{meetings}"
    );
    for hall in ["/e/PLAIN/exhibition", "/e/PLAIN/exhibition/porto-cluster"] {
        let hall = page(hall, "en").await;
        assert!(
            hall.contains(r#"href="/meet_bg.wasm?v=1""#) && !hall.contains("client_bg"),
            "{hall}"
        );
    }
    let area = page("/e/PLAIN/meetings/screen", "en").await;
    assert!(area.contains(r#"href="/staff_bg.wasm?v=1""#), "{area}");
    let organiser = page("/organise/PLAIN", "en").await;
    assert!(
        organiser.contains(r#"href="/organise_bg.wasm?v=1""#)
            && !organiser.contains("staff_bg")
            && !organiser.contains("client_bg"),
        "{organiser}"
    );
    let swedish = page("/e/PLAIN", "sv-SE,sv;q=0.9,en;q=0.5").await;
    assert!(
        swedish.contains(r#"<html lang="sv">"#) && swedish.contains("Gå med"),
        "{swedish}"
    );
    for elsewhere in ["/e/PLAIN?invite=abc", "/e/PLAIN/s/s1", "/organise"] {
        let html = page(elsewhere, "en").await;
        assert!(!html.contains("<form"), "{elsewhere}: {html}");
        assert!(html.contains("Loading Plenum…"), "{elsewhere}");
    }

    // Joining sends the browser on with its token in the fragment; the token works.
    let r = http
        .post(server.url("/join"))
        .form(&[("code", "plain"), ("name", "Åsa Ek")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let to = r.headers()["location"].to_str().unwrap().to_owned();
    let (path, fragment) = to.split_once('#').unwrap();
    assert_eq!(path, "/e/PLAIN");
    let token = fragment
        .strip_prefix("token=")
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    assert!(fragment.ends_with("&name=%C3%85sa%20Ek"), "{fragment}");
    // The fragment's token counts only with the nonce of the cookie set with it.
    let nonce = fragment
        .split('&')
        .find_map(|p| p.strip_prefix("nonce="))
        .unwrap();
    let cookie = r.headers()["set-cookie"].to_str().unwrap();
    assert!(
        cookie.starts_with(&format!("plenum-join={nonce};")),
        "{cookie}"
    );
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    // Connecting says hello with it and fails unless welcomed.
    plenum_tests::Ws::connect(&server.ws_url(), token)
        .await
        .unwrap();

    // Mistakes come back in the form, named, with what was typed (as text, never markup).
    let r = http
        .post(server.url("/join"))
        .form(&[("code", "NOSUCH"), ("name", "<b>Bo</b>")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let html = r.text().await.unwrap();
    assert!(html.contains("No event with this code."), "{html}");
    assert!(
        html.contains("&lt;b&gt;Bo&lt;/b&gt;") && !html.contains("<b>Bo"),
        "{html}"
    );
    let r = http
        .post(server.url("/join"))
        .form(&[("code", "no!"), ("name", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("3 to 16 letters or digits")
    );
    let r = http
        .post(server.url("/join"))
        .form(&[("code", "PLAIN"), ("name", &"x".repeat(61))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    // Another site's form cannot sign a visitor in (as a browser says it, or an older one).
    for (header, value) in [
        ("sec-fetch-site", "cross-site"),
        ("origin", "https://elsewhere.example"),
        ("origin", "null"),
    ] {
        let r = http
            .post(server.url("/join"))
            .header(header, value)
            .form(&[("code", "PLAIN")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{header}: {value}");
    }
}

/// In a Chromium with JavaScript off, the form joins. The address it lands on, opened in
/// another browser, signs nobody in there (the token needs the cookie set with it); in a
/// browser that posted the form itself, the client keeps the token and the person's name.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_without_script_joins_and_the_client_takes_over() -> anyhow::Result<()> {
    let dist = check_prerequisites()?;
    let server = TestServer::start_with(TestConfig {
        demo: true,
        web_dir: Some(dist),
        ..Default::default()
    })
    .await;
    let profiles = tempfile::tempdir()?;
    let driver = Chromedriver::start(profiles.path())?;
    let plain = open_with(
        &driver,
        &profiles.path().join("plain"),
        (400, 860),
        &["--blink-settings=scriptEnabled=false"],
    )
    .await?;
    plain.goto(&server.url("/e/ECC2026")).await?;
    // Scripts are off: the field is read through WebDriver, not by a script.
    let value = find(&plain, "#code").await?.prop("value").await?;
    ensure!(
        value.as_deref() == Some("ECC2026"),
        "the code field holds {value:?}"
    );
    type_into(&plain, "#name", "Ada").await?;
    click(&plain, "form button[type=submit]").await?;
    let deadline = std::time::Instant::now() + PATIENCE;
    let landed = loop {
        let url = plain.current_url().await?;
        if url.fragment().is_some_and(|f| f.starts_with("token=")) {
            break url;
        }
        ensure!(
            std::time::Instant::now() < deadline,
            "the form did not join: at {url}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    save_screenshot(&plain, "join-without-script").await?;
    let _ = plain.close().await;

    // Someone else's landing address: the client starts, keeps nothing, clears the address.
    let b = open_browser(&driver, &profiles.path().join("then")).await?;
    b.goto(landed.as_str()).await?;
    wait_for_text(&b, ".join h1", "Join an event").await?;
    wait_until(
        &b,
        "return location.hash === '' && localStorage.getItem('plenum.token.ECC2026') === null;",
        vec![],
        "a token from someone else's address to be refused and the fragment gone",
    )
    .await?;
    // The form posted in this browser (the client running): its token is kept.
    b.execute(
        "const f = document.createElement('form'); f.method = 'post'; f.action = '/join';
         for (const [k, v] of [['code', 'ECC2026'], ['name', 'Bo']]) {
           const i = document.createElement('input'); i.name = k; i.value = v; f.appendChild(i);
         }
         document.body.appendChild(f); f.submit(); return true;",
        vec![],
    )
    .await?;
    wait_for_text(&b, "h1", "European Cluster").await?;
    wait_until(
        &b,
        "return location.hash === '' && localStorage.getItem('plenum.name.ECC2026') === 'Bo'
           && localStorage.getItem('plenum.token.ECC2026') !== null && !document.cookie.includes('plenum-join');",
        vec![],
        "the token and name to be kept, the fragment and the cookie gone",
    )
    .await?;
    let _ = b.close().await;
    Ok(())
}
