//! Every interface of the client, in several browsers at once against the real server:
//! three attendees on phones, a moderator, a speaker, the big screen and the organiser, each
//! a headless Chromium with its own profile (its own person), and a phone in dark mode.
//!
//! - An attendee's second question is dismissed with a reason: the note reaches her inbox (and
//!   nobody else's), and opening it marks it read.
//! - An attendee asks; the moderator (by keyboard) approves; the question appears for the
//!   attendees; the moderator puts it on the big screen, which shows it.
//! - The speaker builds a poll and opens it; three attendees vote; the big screen's results
//!   change to the exact counts.
//! - The server restarts: every page comes back by itself, nothing is lost, and what happens
//!   next reaches everyone.
//! - Switching to Swedish changes the page, and survives a reload.
//! - axe-core (WCAG 2.1 A and AA rules) finds no serious or critical violation on any screen,
//!   in the light colour scheme and (attendee screens) the dark one.
//! - A screenshot of every interface is saved in `$CARGO_TARGET_DIR/screenshots/`.

mod web;

use anyhow::{Context as _, anyhow, ensure};
use fantoccini::{Client, Locator, key::Key};
use plenum_tests::{TestConfig, TestServer};
use serde_json::{Value, json};
use std::path::Path;
use std::time::Duration;
use web::*;

const CODE: &str = "ECC2026";
const SESSION: &str = "opening";
const QUESTION: &str = "How will the cluster fund its first pilots?";
const OFF_TOPIC: &str = "Is there free coffee?";
const REASON: &str = "Off topic: ask at the info desk";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_screen_in_several_browsers_at_once() -> anyhow::Result<()> {
    let dist = check_prerequisites()?;
    let axe = axe_source()?;
    let mut server = TestServer::start_with(TestConfig {
        demo: true,
        web_dir: Some(dist),
        ..Default::default()
    })
    .await;
    let profiles = tempfile::tempdir()?;
    let driver = Chromedriver::start(profiles.path())?;
    let people = People::open(&driver, profiles.path()).await?;

    let outcome = tokio::time::timeout(
        Duration::from_secs(600),
        scenario(&people, &mut server, &axe),
    )
    .await
    .unwrap_or_else(|_| Err(anyhow!("the scenario did not finish within 600 s")));
    if outcome.is_err() {
        // Pictures of how each screen ended, for the failure.
        for (name, b) in people.all() {
            let _ = tokio::time::timeout(
                Duration::from_secs(20),
                save_screenshot(b, &format!("failed-{name}")),
            )
            .await;
        }
    }
    people.close().await;
    outcome
}

/// The eight browsers.
struct People {
    ada: Client,
    bo: Client,
    cy: Client,
    moderator: Client,
    speaker: Client,
    screen: Client,
    organiser: Client,
    /// A phone in dark mode, for the dark colour scheme's contrast.
    night: Client,
}

impl People {
    async fn open(driver: &Chromedriver, dir: &Path) -> anyhow::Result<People> {
        let phone = (420, 900);
        let laptop = (1280, 900);
        Ok(People {
            ada: open_sized(driver, &dir.join("ada"), phone).await?,
            bo: open_sized(driver, &dir.join("bo"), phone).await?,
            cy: open_sized(driver, &dir.join("cy"), phone).await?,
            moderator: open_sized(driver, &dir.join("moderator"), laptop).await?,
            speaker: open_sized(driver, &dir.join("speaker"), laptop).await?,
            screen: open_sized(driver, &dir.join("screen"), (1280, 720)).await?,
            organiser: open_sized(driver, &dir.join("organiser"), laptop).await?,
            night: open_with(driver, &dir.join("night"), phone, &["--force-dark-mode"]).await?,
        })
    }

    fn all(&self) -> [(&'static str, &Client); 8] {
        [
            ("ada", &self.ada),
            ("bo", &self.bo),
            ("cy", &self.cy),
            ("moderator", &self.moderator),
            ("speaker", &self.speaker),
            ("screen", &self.screen),
            ("organiser", &self.organiser),
            ("night", &self.night),
        ]
    }

    fn attendees(&self) -> [&Client; 3] {
        [&self.ada, &self.bo, &self.cy]
    }

    async fn close(self) {
        for (_, b) in self.all() {
            let _ = tokio::time::timeout(Duration::from_secs(10), b.clone().close()).await;
        }
    }
}

async fn scenario(p: &People, server: &mut TestServer, axe: &str) -> anyhow::Result<()> {
    let http = reqwest::Client::new();
    let session_path = format!("/e/{CODE}/s/{SESSION}");

    // --- Attendees join by the event's link, the first through the home page.
    p.ada.goto(&server.url("/")).await?;
    wait_for_text(&p.ada, "h1", "Join an event").await?;
    check_and_capture(&p.ada, axe, "join").await?;
    type_into(&p.ada, "#code", CODE).await?;
    type_into(&p.ada, "#name", "Ada").await?;
    click(&p.ada, "button[type=submit]").await?;
    wait_for_text(&p.ada, "h1", "European Cluster").await?;
    for (b, name) in [(&p.bo, "Bo"), (&p.cy, "Cy")] {
        join_by_link(b, &server.url(&format!("/e/{CODE}")), CODE, name).await?;
    }

    // --- The agenda: a star puts a session in the personal agenda, which can be downloaded.
    wait_for_text(&p.ada, "#my-agenda", "My agenda").await?;
    click(&p.ada, &format!("li[data-session='{SESSION}'] button.star")).await?;
    wait_for_text(&p.ada, "#my-agenda", "My agenda (1)").await?;
    let enabled = p
        .ada
        .execute(
            "return !document.querySelector('#download-ics').disabled",
            vec![],
        )
        .await?;
    ensure!(enabled == json!(true), "the .ics download stays disabled");
    check_and_capture(&p.ada, axe, "agenda").await?;

    for b in p.attendees() {
        b.goto(&server.url(&session_path)).await?;
        wait_for_text(b, "#connection-status", "Live").await?;
        wait_for_attr(b, "#stage-status", "data-status", "scheduled").await?;
    }

    // --- Moderator and speaker redeem invitations from the organiser.
    let invite = |role: &'static str, name: &'static str| {
        let http = http.clone();
        let url = server.url(&format!("/api/events/{CODE}/invites"));
        let key = server.organiser_key.clone();
        async move {
            let answer: Value = http
                .post(url)
                .bearer_auth(key)
                .json(&json!({"role": role, "name": name}))
                .send()
                .await?
                .error_for_status()?
                .json()
                .await?;
            anyhow::Ok(answer["link"].as_str().context("invite link")?.to_owned())
        }
    };
    for (b, role, name, console) in [
        (&p.moderator, "moderator", "Maja Moderator", "moderate"),
        (&p.speaker, "speaker", "Sam Speaker", "speak"),
    ] {
        let link = invite(role, name).await?;
        b.goto(&server.url(&link)).await?;
        wait_for_text(b, "h1", "Accept your invitation").await?;
        // The page says who it is for; nobody types the name again.
        wait_for_text(b, ".invitation-for", name).await?;
        let name_field = b
            .execute(
                "return document.querySelector('#name').closest('.field').hidden",
                vec![],
            )
            .await?;
        ensure!(name_field == json!(true), "the invitation asks for a name");
        click(b, "button[type=submit]").await?;
        wait_for_text(b, "h1", "European Cluster").await?;
        wait_for_text(
            b,
            ".role-badge",
            if role == "speaker" {
                "Speaker"
            } else {
                "Moderator"
            },
        )
        .await?;
        if console == "moderate" {
            // Through the session page's link: the attendee build hands over to the staff build.
            b.goto(&server.url(&session_path)).await?;
            click_when(b, "nav.consoles a[href$='/moderate']").await?;
        } else {
            b.goto(&server.url(&format!("{session_path}/{console}")))
                .await?;
        }
    }
    wait_for_text(&p.moderator, "h1", "Moderating").await?;
    wait_for_text(&p.speaker, "h1", "Speaker console").await?;

    // --- The big screen joins by itself.
    p.screen
        .goto(&server.url(&format!("{session_path}/screen")))
        .await?;
    wait_for_text(&p.screen, "#screen-code", CODE).await?;
    wait_for_attr(&p.screen, ".screen-focus section", "data-focus", "stage").await?;

    // --- Q&A: the moderator reviews questions first; Ada asks.
    // The boxes are enabled once the session's settings have arrived.
    wait_until(
        &p.moderator,
        "const e = document.querySelector('#setting-review'); return e !== null && !e.disabled;",
        vec![],
        "the Q&A settings to arrive",
    )
    .await?;
    click(&p.moderator, "#setting-review").await?;
    wait_until(
        &p.moderator,
        "return document.querySelector('#setting-review').checked",
        vec![],
        "review to be switched on",
    )
    .await?;
    type_into(&p.ada, "#ask-text", QUESTION).await?;
    click(&p.ada, "#ask-send").await?;
    wait_for_text(&p.ada, ".qa .sent", "review").await?;
    wait_for_text(&p.moderator, "#review-queue", QUESTION).await?;
    wait_for_text(&p.moderator, "#count-waiting", "1").await?;
    ensure!(
        !text_of(&p.bo, "#questions").await?.contains(QUESTION),
        "an unreviewed question reached another attendee"
    );
    check_and_capture(&p.moderator, axe, "moderator").await?;

    // Approved by keyboard: focus the question, press A.
    let item = p
        .moderator
        .find(Locator::Css("#review-queue .mod-question"))
        .await?;
    item.send_keys("a").await?;
    for b in p.attendees() {
        wait_for_text(b, "#questions", QUESTION).await?;
    }
    wait_for_text(&p.moderator, "#live-list", QUESTION).await?;

    // The moderator exports the session's questions from the console: the file the browser
    // would save is caught (its name and content) instead of saved.
    p.moderator
        .execute(
            "window.__saved = [];
             const make = URL.createObjectURL;
             URL.createObjectURL = function (blob) { window.__blob = blob; return make.call(URL, blob); };
             HTMLAnchorElement.prototype.click = function () {
                 const name = this.download;
                 window.__blob.arrayBuffer().then(b => window.__saved.push([name, new TextDecoder('utf-8', {ignoreBOM: true}).decode(b)]));
             };
             return null;",
            vec![],
        )
        .await?;
    p.moderator
        .find(Locator::XPath(
            "//section[@aria-labelledby='session-export-heading']//button[text()='questions.csv']",
        ))
        .await?
        .click()
        .await?;
    wait_until(
        &p.moderator,
        "return window.__saved.length === 1;",
        vec![],
        "the session's questions.csv to download",
    )
    .await?;
    let saved = p
        .moderator
        .execute("return window.__saved[0];", vec![])
        .await?;
    let name = saved[0].as_str().unwrap_or_default();
    let text = saved[1].as_str().unwrap_or_default();
    ensure!(
        name.starts_with(&format!("{CODE}-")) && name.ends_with("-questions.csv"),
        "saved as {name}"
    );
    ensure!(
        text.starts_with('\u{feff}') && text.contains(QUESTION),
        "the downloaded CSV: {text}"
    );

    // Bo votes it up; the count changes in place: the very button he pressed is still there,
    // still focused (not a new one put in its place).
    p.bo.execute(
        "window.__upvote = document.querySelector('#questions .upvote'); return null",
        vec![],
    )
    .await?;
    click(&p.bo, "#questions .upvote").await?;
    wait_for_attr(&p.bo, "#questions .upvote", "aria-pressed", "true").await?;
    wait_for_text(&p.bo, "#questions .upvote .votes", "1").await?;
    wait_for_text(&p.ada, "#questions .upvote .votes", "1").await?;
    wait_for_text(&p.moderator, "#live-list .question-meta", "1 vote").await?;
    let kept =
        p.bo.execute(
            "return window.__upvote.isConnected && document.activeElement === window.__upvote",
            vec![],
        )
        .await?;
    ensure!(
        kept == json!(true),
        "the upvote button was rebuilt or lost its focus when the count changed"
    );

    // On the big screen.
    click(&p.moderator, "#live-list .highlight").await?;
    wait_for_text(&p.screen, "#screen-question", QUESTION).await?;
    check_and_capture(&p.screen, axe, "screen-question").await?;

    // --- Ada's inbox: the moderator dismisses her second question with a reason (D, then the
    // form); the note reaches her at once, and opening her notes marks them read.
    type_into(&p.ada, "#ask-text", OFF_TOPIC).await?;
    click(&p.ada, "#ask-send").await?;
    wait_for_text(&p.moderator, "#review-queue", OFF_TOPIC).await?;
    let item = p
        .moderator
        .find(Locator::Css("#review-queue .mod-question"))
        .await?;
    item.send_keys("d").await?;
    // Enter confirms the reason (Shift+Enter would start a new line).
    type_into(&p.moderator, "#review-queue .inline-form textarea", REASON).await?;
    p.moderator
        .find(Locator::Css("#review-queue .inline-form textarea"))
        .await?
        .send_keys(&Key::Enter.to_string())
        .await?;
    wait_for_text(&p.ada, ".inbox-news", REASON).await?;
    // The moderator's console keeps what it handled: the question is in the dismissed list
    // with a way back (no undo: it was waiting for review, and restoring would publish it).
    wait_for_text(
        &p.moderator,
        "details.handled-list[data-status=dismissed] summary",
        "(1)",
    )
    .await?;
    wait_for_text(
        &p.moderator,
        "details.handled-list[data-status=dismissed] li",
        OFF_TOPIC,
    )
    .await?;
    // B asks before blocking; Escape takes it back, the focus returning to the question.
    let live_item = p
        .moderator
        .find(Locator::Css("#live-list .mod-question"))
        .await?;
    live_item.send_keys("b").await?;
    wait_for_text(&p.moderator, "#live-list .confirm-text", "Block Ada").await?;
    p.moderator
        .find(Locator::Css("#live-list .inline-form button[type=submit]"))
        .await?
        .send_keys(&Key::Escape.to_string())
        .await?;
    wait_until(
        &p.moderator,
        "return document.querySelector('#live-list .confirm-text') === null \
            && document.activeElement && document.activeElement.classList.contains('mod-question');",
        vec![],
        "the block's confirmation to close with the focus back on the question",
    )
    .await?;
    wait_for_text(&p.moderator, "#blocked-heading + p", "Nobody is blocked").await?;
    check_and_capture(&p.moderator, axe, "moderator-handled").await?;
    wait_for_text(&p.ada, "details.inbox summary", "1 new").await?;
    ensure!(
        text_of(&p.bo, "header ~ .inbox-news").await?.is_empty()
            && text_of(&p.bo, "details.inbox").await?.is_empty(),
        "Ada's note reached Bo"
    );
    click(&p.ada, "details.inbox summary").await?;
    wait_until(
        &p.ada,
        "const s = document.querySelector('details.inbox summary'); return s !== null && !s.textContent.includes('new');",
        vec![],
        "the note to be read",
    )
    .await?;
    wait_for_text(&p.ada, "details.inbox li", REASON).await?;
    check_and_capture(&p.ada, axe, "inbox").await?;

    // --- A poll: the speaker builds and opens it, three attendees vote.
    type_into(&p.speaker, "#poll-question", "Which pilot first?").await?;
    type_into(&p.speaker, "#poll-options", "Logistics").await?;
    p.speaker
        .find(Locator::Css("#poll-options"))
        .await?
        .send_keys(&format!("{}Food{}Energy", Key::Enter, Key::Enter))
        .await?;
    click(&p.speaker, "#create-poll").await?;
    wait_for_attr(&p.speaker, ".poll-control", "data-status", "draft").await?;
    // A draft is edited in the builder, which it fills (the options too), then saved.
    click(&p.speaker, ".poll-control .edit-poll").await?;
    wait_until(
        &p.speaker,
        "return document.querySelector('#poll-question').value === 'Which pilot first?' \
            && document.querySelector('#poll-options').value.includes('Energy') \
            && document.activeElement === document.querySelector('#poll-question');",
        vec![],
        "the builder filled with the draft",
    )
    .await?;
    type_into(&p.speaker, "#poll-question", " (one of three)").await?;
    click(&p.speaker, "#create-poll").await?;
    wait_for_text(
        &p.speaker,
        ".poll-control h3",
        "Which pilot first? (one of three)",
    )
    .await?;
    click(&p.speaker, ".poll-control .open-poll").await?;
    wait_for_attr(&p.speaker, ".poll-control", "data-status", "open").await?;
    wait_for_attr(&p.screen, ".screen-focus section", "data-focus", "poll").await?;
    wait_for_text(&p.screen, ".screen-poll .ballots", "0 answers").await?;

    // Attendees notice: a polite announcement (the page was there before the poll), a badge
    // on the page's bar, and a jump that takes the focus to it.
    for b in p.attendees() {
        wait_for_text(b, "#announcer", "New poll: Which pilot first?").await?;
        wait_for_text(b, ".jump-bar .badge", "1 open").await?;
    }
    click(&p.cy, ".jump-bar a[href='#interact-heading']").await?;
    wait_until(
        &p.cy,
        "return document.activeElement && document.activeElement.id === 'interact-heading';",
        vec![],
        "the jump to take the focus to the polls",
    )
    .await?;
    for (b, option) in [(&p.ada, 0), (&p.bo, 1), (&p.cy, 0)] {
        wait_for_attr(b, "article.poll", "data-status", "open").await?;
        click(
            b,
            &format!("article.poll input[type=radio][value='{option}']"),
        )
        .await?;
        click(b, "article.poll .ballot button[type=submit]").await?;
        wait_for_text(b, "article.poll .sent", "Your answer is in").await?;
    }
    wait_for_text(&p.screen, ".screen-poll .ballots", "3 answers").await?;
    wait_for_text(&p.screen, ".screen-poll .bars", "2 votes").await?;
    wait_for_text(&p.screen, ".screen-poll .bars", "1 vote").await?;
    // Bars as long as each option's share of the ballots (2, 1 and 0 of 3), not scaled to the
    // leader; counts large enough for the back of the room (issue 13, item 3).
    tokio::time::sleep(Duration::from_millis(700)).await; // the bars' transition
    let measured = p
        .screen
        .execute(
            "return [...document.querySelectorAll('.screen-poll .bar-row')].map(r => [\
               r.querySelector('.fill').getBoundingClientRect().width /\
                 r.querySelector('.bar').getBoundingClientRect().width,\
               parseFloat(getComputedStyle(r.querySelector('.count')).fontSize) / window.innerHeight]);",
            vec![],
        )
        .await?;
    let rows: Vec<(f64, f64)> = serde_json::from_value(measured)?;
    let shares: Vec<f64> = rows.iter().map(|r| r.0).collect();
    anyhow::ensure!(
        shares.len() == 3
            && (shares[0] - 2.0 / 3.0).abs() < 0.02
            && (shares[1] - 1.0 / 3.0).abs() < 0.02
            && shares[2] < 0.01,
        "bars by share of the ballots: {shares:?}"
    );
    anyhow::ensure!(
        rows.iter().all(|r| r.1 >= 0.04),
        "counts at least 4% of the screen's height: {rows:?}"
    );
    wait_for_text(&p.speaker, ".poll-control .participation", "3 answered").await?;
    check_and_capture(&p.screen, axe, "screen-poll").await?;
    check_and_capture(&p.speaker, axe, "speaker").await?;
    check_and_capture(&p.ada, axe, "session").await?;

    // --- The organiser signs in and puts the session live.
    p.organiser.goto(&server.url("/organise")).await?;
    wait_for_text(&p.organiser, "h1", "Organiser sign-in").await?;
    check_and_capture(&p.organiser, axe, "organiser-sign-in").await?;
    type_into(&p.organiser, "#organiser-key", &server.organiser_key).await?;
    click(&p.organiser, "button[type=submit]").await?;
    click_when(&p.organiser, &format!("a[href='/organise/{CODE}']")).await?;
    wait_for_text(&p.organiser, "#live-control-heading", "Live").await?;
    click(&p.organiser, "[data-set-status=live]").await?;
    for b in p.attendees() {
        wait_for_attr(b, "#stage-status", "data-status", "live").await?;
    }
    check_and_capture(&p.organiser, axe, "organiser").await?;

    // --- The server restarts. Every page comes back by itself, with nothing lost.
    server.restart().await;
    for (name, b) in p.all().into_iter().filter(|(name, _)| *name != "night") {
        wait_for_text(b, "#connection-status", "Live")
            .await
            .with_context(|| format!("{name} after the restart"))?;
    }
    for b in p.attendees() {
        wait_for_text(b, "#questions", QUESTION).await?;
        wait_for_attr(b, "#stage-status", "data-status", "live").await?;
    }
    wait_for_text(&p.screen, ".screen-poll .ballots", "3 answers").await?;
    wait_for_text(&p.moderator, "#live-list", QUESTION).await?;
    // What happens next reaches everyone: the speaker closes the poll.
    click(&p.speaker, ".poll-control .close-poll").await?;
    for b in p.attendees() {
        wait_for_attr(b, "article.poll", "data-status", "closed").await?;
        // A closed poll folds away to its question; nothing is open any more.
        wait_for_text(
            b,
            "details.closed-poll:not([open]) summary",
            "Which pilot first?",
        )
        .await?;
        wait_until(
            b,
            "return document.querySelector('.jump-bar .badge') === null;",
            vec![],
            "the open badge to go",
        )
        .await?;
    }
    wait_for_text(&p.screen, ".screen-poll", "Closed").await?;

    // --- Staff control the big screen: the moderator clears it to the stage; the speaker
    // shows the closed poll's results again.
    wait_for_text(&p.moderator, "#screen-now", "Which pilot first?").await?;
    click_when(&p.moderator, ".big-screen-panel .clear-screen").await?;
    wait_for_attr(&p.screen, ".screen-focus section", "data-focus", "stage").await?;
    wait_for_text(&p.moderator, "#screen-now", "the stage").await?;
    wait_for_attr(
        &p.speaker,
        ".poll-control .present",
        "aria-pressed",
        "false",
    )
    .await?;
    click(&p.speaker, ".poll-control .present").await?;
    wait_for_attr(&p.screen, ".screen-focus section", "data-focus", "poll").await?;
    wait_for_text(&p.screen, ".screen-poll .bars", "2 votes").await?;
    wait_for_attr(&p.speaker, ".poll-control .present", "aria-pressed", "true").await?;
    check_and_capture(&p.speaker, axe, "speaker-present").await?;

    // --- A quiz: the speaker builds it and asks; two attendees answer; the answer is shown.
    type_into(&p.speaker, "#quiz-title", "Cluster quiz").await?;
    type_into(&p.speaker, "#quiz-q-0", "Where is ECC 2026?").await?;
    type_into(&p.speaker, "#quiz-o-0", "Malmö").await?;
    p.speaker
        .find(Locator::Css("#quiz-o-0"))
        .await?
        .send_keys(&format!("{}Oslo", Key::Enter))
        .await?;
    // The correct option is chosen among the options as written.
    wait_for_text(&p.speaker, "#quiz-c-0", "2. Oslo").await?;
    p.speaker
        .find(Locator::Css("#quiz-c-0"))
        .await?
        .select_by_value("1")
        .await?;
    click(&p.speaker, "#create-quiz").await?;
    click_when(&p.speaker, ".quiz-next").await?;
    wait_for_attr(&p.screen, ".screen-focus section", "data-focus", "quiz").await?;
    wait_for_text(&p.screen, ".screen-question", "Where is ECC 2026?").await?;
    click_when(&p.ada, "article.quiz .quiz-option:nth-of-type(1)").await?;
    click_when(&p.bo, "article.quiz .quiz-option:nth-of-type(2)").await?;
    wait_for_text(&p.screen, ".screen-quiz .screen-meta", "2 answers").await?;
    check_and_capture(&p.screen, axe, "screen-quiz").await?;
    click_when(&p.speaker, ".quiz-reveal").await?;
    wait_for_text(&p.screen, ".screen-options li.correct", "Malmö").await?;
    wait_for_text(&p.ada, "article.quiz .quiz-option.correct", "Malmö").await?;
    // At the reveal: how many chose each option, and each player hears how they did.
    wait_for_text(
        &p.screen,
        ".screen-options li.correct .count",
        "1 chose this · 50%",
    )
    .await?;
    wait_for_text(
        &p.ada,
        "article.quiz .quiz-option.correct .chosen",
        "1 chose this",
    )
    .await?;
    wait_for_text(&p.ada, "article.quiz .verdict", "You were right").await?;
    wait_for_text(&p.bo, "article.quiz .verdict", "the answer was A").await?;
    check_and_capture(&p.screen, axe, "screen-quiz-reveal").await?;
    click_when(&p.speaker, ".quiz-finish").await?;
    wait_for_text(&p.ada, "article.quiz .leaderboard", "Ada").await?;
    let first = text_of(&p.ada, "article.quiz .leaderboard li:first-child").await?;
    ensure!(
        first.contains("Ada"),
        "Ada answered right but leads not: {first:?}"
    );
    wait_for_text(&p.ada, "article.quiz .leaderboard li:nth-child(2)", "Bo").await?;
    wait_for_text(
        &p.ada,
        "article.quiz .leaderboard li:nth-child(2)",
        "0 points",
    )
    .await?;

    // --- An award vote: the organiser runs it, three attendees vote secretly, the big screen
    // reveals the places worst first.
    type_into(&p.organiser, "#award-title", "Best pilot").await?;
    type_into(
        &p.organiser,
        "#award-candidates",
        "Logistics Lab - Cluster A",
    )
    .await?;
    p.organiser
        .find(Locator::Css("#award-candidates"))
        .await?
        .send_keys(&format!("{}Food Hub", Key::Enter))
        .await?;
    click(&p.organiser, "#create-award").await?;
    click_when(&p.organiser, ".award-open").await?;
    for (b, choice) in [(&p.ada, 1), (&p.bo, 2), (&p.cy, 1)] {
        click_when(
            b,
            &format!("article.award label.choice:nth-of-type({choice}) input"),
        )
        .await?;
        click(b, "article.award button[type=submit]").await?;
        wait_until(
            b,
            "const e = document.querySelector('article.award .receipt code'); return e !== null && e.textContent.length > 8;",
            vec![],
            "a ballot receipt",
        )
        .await?;
    }
    wait_for_text(&p.screen, ".screen-award", "3 ballots").await?;
    click_when(&p.organiser, ".award-close").await?;
    click_when(&p.organiser, ".award-reveal-next").await?;
    wait_for_text(&p.screen, ".screen-award .placings", "Food Hub").await?;
    ensure!(
        !text_of(&p.screen, ".screen-award .placings")
            .await?
            .contains("Logistics"),
        "the winner was revealed before second place"
    );
    wait_for_text(&p.organiser, ".placings", "Food Hub").await?;
    click_when(&p.organiser, ".award-reveal-next").await?;
    wait_for_text(&p.screen, ".screen-award .placings", "Logistics Lab").await?;
    wait_for_text(&p.screen, ".screen-award .placings", "2 votes").await?;
    check_and_capture(&p.screen, axe, "screen-award").await?;

    // --- A ranking poll, answered by keyboard: the focus follows the option it moves.
    type_into(&p.speaker, "#poll-question", "Rank the themes").await?;
    p.speaker
        .find(Locator::Css("#poll-kind"))
        .await?
        .select_by_value("ranking")
        .await?;
    type_into(&p.speaker, "#poll-options", "Skills").await?;
    p.speaker
        .find(Locator::Css("#poll-options"))
        .await?
        .send_keys(&format!("{}Energy{}Digital", Key::Enter, Key::Enter))
        .await?;
    click(&p.speaker, "#create-poll").await?;
    click_when(&p.speaker, ".poll-control[data-status=draft] .open-poll").await?;
    wait_for_text(&p.screen, ".screen-question", "Rank the themes").await?;
    let first_down =
        "article.poll[data-status=open] ol.ranking li:first-child button:nth-of-type(2)";
    wait_for_text(&p.ada, first_down, "").await?;
    p.ada
        .find(Locator::Css(first_down))
        .await?
        .send_keys(&Key::Enter.to_string())
        .await?;
    wait_for_text(
        &p.ada,
        "article.poll[data-status=open] ol.ranking li:first-child",
        "Energy",
    )
    .await?;
    // The focus moves in the next animation frame, which a loaded machine may delay.
    wait_until(
        &p.ada,
        "return document.activeElement !== null && document.activeElement.id.endsWith('-0-down')",
        vec![],
        "the focus to follow the moved option",
    )
    .await?;
    click(
        &p.ada,
        "article.poll[data-status=open] .ballot button[type=submit]",
    )
    .await?;
    wait_for_text(
        &p.ada,
        "article.poll[data-status=open] .sent",
        "Your answer is in",
    )
    .await?;
    wait_for_text(&p.screen, ".screen-poll .ballots", "1 answer").await?;
    wait_for_text(&p.screen, ".ranking-results li:first-child", "Energy").await?;

    // --- Attendees' phones never downloaded the staff build; the consoles run on it.
    let loaded = "return performance.getEntriesByType('resource').map(e => e.name).join(' ')";
    for b in p.attendees() {
        let files = b.execute(loaded, vec![]).await?;
        let files = files.as_str().unwrap_or_default();
        ensure!(
            files.contains("/client_bg.wasm") && !files.contains("staff"),
            "an attendee loaded {files}"
        );
    }
    for b in [&p.moderator, &p.screen] {
        let files = b.execute(loaded, vec![]).await?;
        let files = files.as_str().unwrap_or_default();
        ensure!(
            files.contains("/staff_bg.wasm")
                && !files.contains("/client_bg.wasm")
                && !files.contains("organise"),
            "a console loaded {files}"
        );
    }
    let files = p.organiser.execute(loaded, vec![]).await?;
    let files = files.as_str().unwrap_or_default();
    ensure!(
        files.contains("/organise_bg.wasm")
            && !files.contains("/client_bg.wasm")
            && !files.contains("/staff_bg.wasm"),
        "the organiser's console loaded {files}"
    );

    // --- Swedish, switched on one screen, kept across a reload.
    click(&p.bo, "button[data-locale=sv]").await?;
    wait_for_text(&p.bo, "#qa-heading", "Frågor").await?;
    wait_for_text(&p.bo, "#stage-status", "Pågår").await?;
    wait_for_attr(&p.bo, "html", "lang", "sv").await?;
    p.bo.refresh().await?;
    wait_for_text(&p.bo, "#qa-heading", "Frågor").await?;
    wait_for_text(&p.bo, "#connection-status", "Live").await?;
    check_and_capture(&p.bo, axe, "session-sv").await?;
    // Ada's page is still English: the choice is per browser.
    wait_for_text(&p.ada, "#qa-heading", "Questions").await?;

    // --- A room's screen follows its live session: the main stage's is the opening plenary.
    p.screen
        .goto(&server.url(&format!("/e/{CODE}/screen?track=Main%20stage")))
        .await?;
    wait_for_text(&p.screen, ".screen-session", "Opening plenary").await?;
    wait_for_text(&p.screen, "#screen-code", CODE).await?;
    check_and_capture(&p.screen, axe, "screen-track").await?;

    // --- The agenda on a laptop: a column per track, named on top; on a phone, parallel
    // sessions grouped under their time. Times are the event's (Brussels), with the person's
    // own beside them (these browsers run in UTC), on the agenda and the session page alike.
    p.moderator.goto(&server.url(&format!("/e/{CODE}"))).await?;
    wait_until(
        &p.moderator,
        "const h = document.querySelector('.day.by-track .track-heads'); \
         return h !== null && getComputedStyle(h).display === 'grid' && h.textContent.includes('Energy');",
        vec![],
        "the track columns on a laptop",
    )
    .await?;
    check_and_capture(&p.moderator, axe, "agenda-wide").await?;
    p.ada.goto(&server.url(&format!("/e/{CODE}"))).await?;
    wait_until(
        &p.ada,
        "const t = document.querySelector('.slot.parallel .slot-time'); \
         return t !== null && getComputedStyle(t).display !== 'none' \
            && getComputedStyle(document.querySelector('.track-heads')).display === 'none';",
        vec![],
        "parallel sessions grouped under their time on a phone",
    )
    .await?;
    wait_for_text(&p.ada, ".session .time", "your time").await?;
    p.ada.goto(&server.url(&session_path)).await?;
    wait_for_text(&p.ada, ".session-page h1 + p.meta", "your time").await?;

    // --- An invitation to one session lands on its console (Bo becomes its moderator).
    let scoped = reqwest::Client::new()
        .post(server.url(&format!("/api/events/{CODE}/invites")))
        .bearer_auth(&server.organiser_key)
        .json(&json!({"role": "moderator", "name": "Bo Moderator", "sessions": [SESSION]}))
        .send()
        .await?
        .json::<Value>()
        .await?;
    let link = scoped["link"].as_str().context("invite link")?;
    // (Bo's phone is in Swedish since the language switch above.)
    p.bo.goto(&server.url(link)).await?;
    wait_for_text(&p.bo, "h1", "Tacka ja till din inbjudan").await?;
    wait_for_text(&p.bo, ".invitation-for", "Bo Moderator, som Moderator").await?;
    click(&p.bo, "button[type=submit]").await?;
    wait_for_text(&p.bo, "h1", "Modererar").await?;
    ensure!(
        p.bo.current_url().await?.path() == format!("/e/{CODE}/s/{SESSION}/moderate"),
        "an invitation to one session lands on its console"
    );

    // --- The dark colour scheme holds its contrast too (a phone set to dark mode).
    let night = &p.night;
    let dark = night
        .execute(
            "return matchMedia('(prefers-color-scheme: dark)').matches",
            vec![],
        )
        .await?;
    ensure!(
        dark == json!(true),
        "Chromium did not take the dark colour scheme"
    );
    night.goto(&server.url(&format!("/e/{CODE}"))).await?;
    wait_until(
        night,
        "const e = document.querySelector('#code'); return e !== null && e.value === arguments[0];",
        vec![json!(CODE)],
        "the code to be filled in from the link",
    )
    .await?;
    check_and_capture(night, axe, "join-dark").await?;
    click(night, "button[type=submit]").await?;
    wait_for_text(night, "h1", "European Cluster").await?;
    // "Live now" is the session the organiser put live, whatever the clock says (the demo's
    // dates are not today).
    wait_for_text(night, ".live-now", "Opening").await?;
    wait_for_text(
        night,
        &format!("li[data-session={SESSION}] .badge.live"),
        "Live now",
    )
    .await?;
    check_and_capture(night, axe, "agenda-dark").await?;
    night.goto(&server.url(&session_path)).await?;
    wait_for_text(night, "#questions", QUESTION).await?;
    check_and_capture(night, axe, "session-dark").await?;
    Ok(())
}
