//! The organiser builds an agenda as a person would, on a phone, without JSON: creates an
//! event with a time zone chosen from a list, adds a day, a session and a talk in the form,
//! saves; imports a spreadsheet with a mistake and sees it by row and column; imports the
//! corrected one, previews it and saves it. axe-core checks each screen; no screen scrolls
//! sideways at 320 px; screenshots land in `$CARGO_TARGET_DIR/screenshots/`.

mod web;

use anyhow::{anyhow, ensure};
use fantoccini::Client;
use plenum_tests::{TestConfig, TestServer};
use serde_json::json;
use std::path::Path;
use std::time::Duration;
use web::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organiser_builds_an_agenda_without_writing_json() -> anyhow::Result<()> {
    let dist = check_prerequisites()?;
    let axe = axe_source()?;
    let server = TestServer::start_with(TestConfig {
        web_dir: Some(dist),
        ..Default::default()
    })
    .await;
    let profiles = tempfile::tempdir()?;
    let driver = Chromedriver::start(profiles.path())?;
    let b = open_sized(&driver, &profiles.path().join("organiser"), (400, 860)).await?;
    let outcome = tokio::time::timeout(
        Duration::from_secs(300),
        scenario(&b, &server, &axe, profiles.path()),
    )
    .await
    .unwrap_or_else(|_| Err(anyhow!("the scenario did not finish within 300 s")));
    if outcome.is_err() {
        let _ = save_screenshot(&b, "failed-organiser-agenda").await;
    }
    let _ = b.close().await;
    outcome
}

/// Sets a form control's value as a picker would, and tells the page.
async fn choose(b: &Client, css: &str, value: &str) -> anyhow::Result<()> {
    let done = b
        .execute(
            "const e = document.querySelector(arguments[0]); if (!e) return false;
             e.value = arguments[1];
             e.dispatchEvent(new Event(e.tagName === 'SELECT' ? 'change' : 'input', {bubbles: true}));
             return e.value === arguments[1];",
            vec![json!(css), json!(value)],
        )
        .await?;
    ensure!(done == json!(true), "could not set {css} to {value:?}");
    Ok(())
}

async fn no_sideways_scroll(b: &Client, what: &str) -> anyhow::Result<()> {
    let wide = b
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            vec![],
        )
        .await?;
    let (page, window) = (wide[0].as_i64().unwrap_or(0), wide[1].as_i64().unwrap_or(0));
    ensure!(
        page <= window,
        "{what}: the page is {page} px wide in a {window} px window"
    );
    Ok(())
}

async fn scenario(b: &Client, server: &TestServer, axe: &str, dir: &Path) -> anyhow::Result<()> {
    let http = server.http();
    b.goto(&server.url("/organise")).await?;
    wait_for_text(b, "h1", "Organiser sign-in").await?;
    type_into(b, "#organiser-key", &server.organiser_key).await?;
    click(b, "button[type=submit]").await?;
    wait_for_text(b, "#create-heading", "").await?;

    // The time zone is chosen from the browser's list, the organiser's own preselected.
    let zones = b
        .execute(
            "const s = document.querySelector('#new-zone');
             return [s.options.length, s.value === Intl.DateTimeFormat().resolvedOptions().timeZone];",
            vec![],
        )
        .await?;
    ensure!(
        zones[0].as_u64().unwrap_or(0) > 100 && zones[1] == json!(true),
        "the zone list: {zones}"
    );
    choose(b, "#new-zone", "Europe/Stockholm").await?;
    type_into(b, "#new-code", "FORMS").await?;
    type_into(b, "#new-title", "Regional workshop").await?;
    click(
        b,
        "section[aria-labelledby=create-heading] button[type=submit]",
    )
    .await?;
    wait_for_text(b, "#agenda-heading", "Agenda").await?;
    let event = http.get("/api/events/FORMS").await?.body;
    ensure!(event["time_zone"] == "Europe/Stockholm", "{event}");

    // A day, a session and a talk, in the form.
    click(b, ".add-day").await?;
    choose(b, "#day0-date", "2026-06-02").await?;
    click(b, ".add-session").await?;
    type_into(b, "#s0-title", "Opening").await?;
    choose(b, "#s0-kind", "world_cafe").await?;
    choose(b, "#s0-start", "09:30").await?;
    choose(b, "#s0-end", "10:15").await?;
    type_into(b, "#s0-track", "Main hall").await?;
    choose(b, "#s0-language", "sv").await?;
    click(b, ".session-form .add-talk").await?;
    type_into(b, "#s0-t0-title", "Welcome").await?;
    type_into(
        b,
        "#s0-t0-speakers",
        "Ada Lovelace, Analytical Engines\nBo Ek",
    )
    .await?;
    type_into(
        b,
        "#s0-t0-materials",
        "Slides | https://example.org/slides.pdf",
    )
    .await?;
    wait_for_text(b, ".session-form summary", "09:30–10:15 · Opening").await?;
    check_and_capture(b, axe, "organiser-agenda-form").await?;
    no_sideways_scroll(b, "the agenda form at 400 px").await?;
    click(b, ".save-agenda").await?;
    wait_for_text(b, ".agenda-saved", "Agenda saved").await?;
    let agenda = http.get("/api/events/FORMS").await?.body["agenda"].clone();
    let s = &agenda["sessions"][0];
    ensure!(
        s["title"] == "Opening"
            && s["kind"] == "world_cafe"
            && s["start"] == "09:30"
            && s["end"] == "10:15"
            && s["track"] == "Main hall"
            && s["language"] == "sv"
            && s.get("location").is_none(),
        "the saved session: {s}"
    );
    let talk = &s["contributions"][0];
    ensure!(
        talk["title"] == "Welcome"
            && talk["speakers"]
                == json!([{"name": "Ada Lovelace", "organisation": "Analytical Engines"}, {"name": "Bo Ek"}])
            && talk["materials"]
                == json!([{"title": "Slides", "url": "https://example.org/slides.pdf"}]),
        "the saved talk: {talk}"
    );
    let id = s["id"].as_str().unwrap_or_default().to_owned();

    // A spreadsheet with a mistake: named by row and column; nothing can be taken.
    let bad = dir.join("agenda-with-a-mistake.csv");
    std::fs::write(
        &bad,
        "Date,Start,End,Title,Kind\n2026-06-02,09:30,10:30,Opening,World café\n2026-06-02,11:00,10:00,Backwards,Plenary\n",
    )?;
    find(b, "#agenda-file")
        .await?
        .send_keys(&bad.display().to_string())
        .await?;
    wait_for_text(b, ".import-problems", "Row 3, End").await?;
    let disabled = b
        .execute(
            "return document.querySelector('.import-preview button.primary').disabled",
            vec![],
        )
        .await?;
    ensure!(
        disabled == json!(true),
        "an agenda with problems can be taken"
    );
    check_and_capture(b, axe, "organiser-import-problems").await?;

    // The corrected one: previewed, put in the form, saved. "Opening" keeps its id.
    let good = dir.join("agenda.csv");
    std::fs::write(
        &good,
        "Date,Start,End,Title,Kind,Track,Talk,Speakers\n\
         2026-06-02,09:30,10:30,Opening,World café,Main hall,Welcome,\"Ada Lovelace, Analytical Engines\"\n\
         2026-06-02,11:00,12:00,Energy,Breakout,Track A,,\n\
         2026-06-03,09:00,10:00,Wrap-up,Plenary,,,\n",
    )?;
    find(b, "#agenda-file")
        .await?
        .send_keys(&good.display().to_string())
        .await?;
    wait_for_text(b, ".import-preview", "3 sessions").await?;
    check_and_capture(b, axe, "organiser-import-preview").await?;
    no_sideways_scroll(b, "the agenda import's preview").await?;
    click(b, ".import-preview button.primary").await?;
    wait_until(
        b,
        "return document.querySelectorAll('.session-forms > li').length === 3;",
        vec![],
        "three sessions in the form",
    )
    .await?;
    click(b, ".save-agenda").await?;
    wait_until(
        b,
        "const e = document.querySelector('.agenda-saved'); return e !== null && e.textContent.length > 0;",
        vec![],
        "the imported agenda to be saved",
    )
    .await?;
    let agenda = http.get("/api/events/FORMS").await?.body["agenda"].clone();
    ensure!(
        agenda["sessions"].as_array().map(Vec::len) == Some(3)
            && agenda["days"].as_array().map(Vec::len) == Some(2)
            && agenda["sessions"][0]["id"] == json!(id)
            && agenda["sessions"][1]["kind"] == "breakout",
        "the imported agenda: {agenda}"
    );

    // A phone at 320 px: nothing scrolls sideways.
    b.set_window_size(320, 800).await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    no_sideways_scroll(b, "the organiser's event console at 320 px").await?;

    // The after-event report, from the console's link: its figures, its charts as text, and a
    // row per session.
    b.set_window_size(1280, 900).await?;
    http.join("FORMS", Some("Ada")).await?;
    click_when(b, "a[href='/organise/FORMS/report']").await?;
    wait_for_text(b, "#people-joined", "1").await?;
    wait_until(
        b,
        "return document.querySelectorAll('#report-table tbody tr').length === 3 \
            && document.querySelectorAll('#peak-chart li').length === 3;",
        vec![],
        "a row and a bar per session",
    )
    .await?;
    check_and_capture(b, axe, "organiser-report").await?;
    b.set_window_size(320, 800).await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    no_sideways_scroll(b, "the after-event report at 320 px").await?;

    // Signed in in every tab: a new tab opens the console without the key, which no page keeps.
    b.set_window_size(1280, 900).await?;
    let first = b.window().await?;
    let tab = b.new_window(true).await?;
    b.switch_to_window(tab.handle).await?;
    b.goto(&server.url("/organise/FORMS")).await?;
    wait_for_text(b, "#invites-heading", "Invitations").await?;
    let stored = b
        .execute(
            "return JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage), document.cookie]);",
            vec![],
        )
        .await?;
    ensure!(
        !stored
            .as_str()
            .unwrap_or_default()
            .contains(&server.organiser_key),
        "a page keeps the organiser key: {stored}"
    );

    // A co-organiser invited, listed with who made it, withdrawn after a confirmation.
    type_into(b, "#invite-name", "Clara Berg").await?;
    choose(b, "#invite-role", "organiser").await?;
    click(
        b,
        "section[aria-labelledby=invites-heading] button[type=submit]",
    )
    .await?;
    wait_for_text(b, ".invitation-list", "Clara Berg · Co-organiser").await?;
    wait_for_text(b, ".invitation-list", "made by Organiser").await?;
    wait_for_text(b, "#invite-made", "Invitation made for Clara Berg").await?;
    // Its link is listed, and stays after a reload.
    let link_of_first = "const i = document.querySelector('.invitation-list li .invite-link input'); \
                         return i === null ? '' : i.value;";
    let link = b.execute(link_of_first, vec![]).await?;
    ensure!(
        link.as_str()
            .unwrap_or_default()
            .contains("/e/FORMS?invite=i1."),
        "the listed link: {link}"
    );
    b.refresh().await?;
    wait_for_text(b, ".invitation-list", "Clara Berg").await?;
    ensure!(
        b.execute(link_of_first, vec![]).await? == link,
        "the link changed or vanished on reload"
    );
    click(b, "button[aria-controls=activity-log]").await?;
    wait_for_text(b, ".activity-log", "made an invitation").await?;
    wait_for_text(b, ".activity-log", "replaced the agenda").await?;
    check_and_capture(b, axe, "organiser-team").await?;
    b.execute(
        "document.querySelector('#activity-heading').scrollIntoView();",
        vec![],
    )
    .await?;
    check_and_capture(b, axe, "organiser-activity").await?;
    click(b, ".invitation-list li .row-actions button").await?;
    wait_for_text(b, ".invitation-list [role=alert]", "Withdraw it?").await?;
    click(b, ".invitation-list li button.danger").await?;
    wait_for_text(b, ".invitation-list", "withdrawn").await?;
    ensure!(
        b.execute(link_of_first, vec![]).await? == json!(""),
        "a withdrawn invitation's link is still offered"
    );
    let listed = http
        .send(
            "GET",
            "/api/events/FORMS/invites",
            Some(&server.organiser_key),
            None,
        )
        .await?
        .body;
    ensure!(
        listed[0]["name"] == "Clara Berg"
            && listed[0]["role"] == "organiser"
            && listed[0]["withdrawn"] == true,
        "the withdrawn co-organiser: {listed}"
    );
    b.set_window_size(320, 800).await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    no_sideways_scroll(b, "the invitations and the activity at 320 px").await?;

    // Participants: a list with a mistake is shown with it and saves nothing; the corrected
    // one is previewed, registered, and each person has a link with its QR code.
    b.set_window_size(400, 860).await?;
    let people = dir.join("participants-with-a-mistake.csv");
    std::fs::write(
        &people,
        "Namn;E-post;Organisation;Land;Språk
Åsa Lind;asa@example.se;Region Skåne;Sverige;svenska
",
    )?;
    find(b, "#people-file")
        .await?
        .send_keys(&people.display().to_string())
        .await?;
    wait_for_text(
        b,
        "section[aria-labelledby=participants-heading] .import-problems",
        "Row 2, Land",
    )
    .await?;
    ensure!(
        b.execute(
            "return document.querySelector('section[aria-labelledby=participants-heading] .import-preview button.primary').disabled",
            vec![],
        )
        .await?
            == json!(true),
        "a list with problems can be registered"
    );
    let people = dir.join("participants.csv");
    std::fs::write(
        &people,
        "Namn;E-post;Organisation;Land;Språk
Åsa Lind;asa@example.se;Region Skåne;SE;svenska, English
Jon Berg;jon@example.no;Oslo Cluster;Norway;no
",
    )?;
    find(b, "#people-file")
        .await?
        .send_keys(&people.display().to_string())
        .await?;
    wait_for_text(
        b,
        "section[aria-labelledby=participants-heading] .import-preview",
        "2 new people",
    )
    .await?;
    check_and_capture(b, axe, "organiser-participants-preview").await?;
    no_sideways_scroll(b, "the participants import's preview").await?;
    click(
        b,
        "section[aria-labelledby=participants-heading] .import-preview button.primary",
    )
    .await?;
    wait_for_text(b, ".people-list", "Jon Berg").await?;
    wait_for_text(
        b,
        "section[aria-labelledby=participants-heading]",
        "Saved: 2 new",
    )
    .await?;
    click(b, ".people-list li .invite-link button[aria-expanded]").await?;
    wait_until(
        b,
        "return document.querySelector('.people-list .person-qr svg') !== null;",
        vec![],
        "a personal link's QR code",
    )
    .await?;
    let first_link = b
        .execute(
            "return document.querySelector('.people-list li .invite-link input').value;",
            vec![],
        )
        .await?;
    ensure!(
        first_link
            .as_str()
            .unwrap_or_default()
            .contains("/e/FORMS?invite=i1."),
        "the personal link: {first_link}"
    );
    check_and_capture(b, axe, "organiser-participants").await?;
    // A new link for the first person, after a confirmation: a different one.
    click(b, ".people-list li .row-actions button").await?;
    wait_for_text(b, ".people-list [role=alert]", "Make a new link?").await?;
    click(b, ".people-list li button.danger").await?;
    wait_until(
        b,
        "return document.querySelector('.people-list li .invite-link input').value !== arguments[0];",
        vec![first_link.clone()],
        "a new link in place of the old",
    )
    .await?;
    b.set_window_size(320, 800).await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    no_sideways_scroll(b, "the participants at 320 px").await?;

    // How long personal data is kept: a day before the event ends is refused in the server's
    // words; its last day is saved and shown; deleting now asks twice, then the imported
    // people are gone from the list.
    b.set_window_size(400, 860).await?;
    let retention = "section[aria-labelledby=retention-heading]";
    choose(b, "#retention-until", "2026-06-02").await?;
    click(b, &format!("{retention} button[type=submit]")).await?;
    wait_for_text(
        b,
        &format!("{retention} [role=alert]"),
        "must not be before the event's last day, 2026-06-03",
    )
    .await?;
    choose(b, "#retention-until", "2026-06-03").await?;
    click(b, &format!("{retention} button[type=submit]")).await?;
    wait_for_text(b, &format!("{retention} p[role=status]"), "Kept until").await?;
    check_and_capture(b, axe, "organiser-retention").await?;
    click(b, &format!("{retention} button.danger")).await?;
    wait_for_text(b, &format!("{retention} button.danger"), "cannot be undone").await?;
    click(b, &format!("{retention} button.danger")).await?;
    wait_for_text(b, retention, "Personal data was deleted on").await?;
    let people = server
        .http()
        .send(
            "GET",
            "/api/events/FORMS/people",
            Some(&server.organiser_key),
            None,
        )
        .await?;
    ensure!(
        !people.body.to_string().contains("Jon Berg"),
        "the imported people are purged: {}",
        people.body
    );

    // Signing out here signs every tab out.
    b.set_window_size(1280, 900).await?;
    b.goto(&server.url("/organise")).await?;
    wait_for_text(b, "#events-heading", "").await?;
    click(b, "header button.link-button").await?;
    wait_for_text(b, "h1", "Organiser sign-in").await?;
    // The cookie is gone too: the server no longer knows this browser.
    wait_until(
        b,
        "return fetch('/api/me').then(r => r.status === 401);",
        vec![],
        "the server to refuse the signed-out browser",
    )
    .await?;
    b.close_window().await?;
    b.switch_to_window(first).await?;
    b.goto(&server.url("/organise")).await?;
    wait_for_text(b, "h1", "Organiser sign-in").await?;
    Ok(())
}
