//! The exhibition in browsers, on the demo event: the organiser creates a booth and reads its
//! staff link on the console; an exhibitor's phone opens the link, joins the booth's staff and
//! edits the booth (words, a link, a video, a logo); a visitor's phone finds it in the hall by
//! search and by sector, and opens it, without anything to edit; asks to talk now, for
//! contact and for a meeting with the booth's team, and the exhibitor accepts all three. axe-core (WCAG 2.1 A and AA)
//! passes on each screen; screenshots in `$CARGO_TARGET_DIR/screenshots/`.

mod web;

use anyhow::{Context as _, ensure};
use fantoccini::Client;
use plenum_tests::{TestConfig, TestServer};
use std::time::Duration;
use web::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_exhibitor_edits_their_booth_and_a_visitor_finds_it() -> anyhow::Result<()> {
    let dist = check_prerequisites()?;
    let axe = axe_source()?;
    let server = TestServer::start_with(TestConfig {
        web_dir: Some(dist),
        demo: true,
        ..Default::default()
    })
    .await;
    let profiles = tempfile::tempdir()?;
    let logo = profiles.path().join("logo.png");
    image::RgbImage::from_fn(600, 300, |x, _| image::Rgb([(x / 3) as u8, 90, 160])).save(&logo)?;
    let driver = Chromedriver::start(profiles.path())?;
    let phones = [
        ("organiser", (1280, 900)),
        ("exhibitor", (420, 900)),
        ("visitor", (420, 900)),
    ];
    let logo = logo.display().to_string();
    with_browsers(
        &driver,
        profiles.path(),
        &phones,
        Duration::from_secs(300),
        "exhibition",
        |b| async move { scenario(&server, &b[0], &b[1], &b[2], &axe, &logo).await },
    )
    .await
}

async fn scenario(
    server: &TestServer,
    organiser: &Client,
    exhibitor: &Client,
    visitor: &Client,
    axe: &str,
    logo: &str,
) -> anyhow::Result<()> {
    // The organiser creates a booth, and reads its staff link.
    organiser.goto(&server.url("/organise")).await?;
    wait_for_text(organiser, "h1", "Organiser sign-in").await?;
    type_into(organiser, "#organiser-key", &server.organiser_key).await?;
    click(organiser, "button[type=submit]").await?;
    wait_for_text(organiser, "#create-heading", "").await?;
    organiser.goto(&server.url("/organise/ECC2026")).await?;
    wait_for_text(organiser, "#exhibition-heading ~ .meta", "4 booths").await?;
    type_into(organiser, "#new-booth", "Lund Hydrogen AB").await?;
    click(organiser, "#exhibition-heading ~ form button[type=submit]").await?;
    wait_for_text(organiser, "#exhibition-heading ~ .meta", "5 booths").await?;
    click_when(
        organiser,
        "#exhibition-heading ~ ul li:nth-child(2) .actions button",
    )
    .await?;
    wait_for_text(organiser, "#staff-link-lund-hydrogen-ab", "").await?;
    let link = organiser
        .execute(
            "return document.querySelector('#staff-link-lund-hydrogen-ab').value;",
            vec![],
        )
        .await?;
    let link = link.as_str().context("no staff link")?.to_owned();
    ensure!(
        link.contains("/e/ECC2026/exhibition/lund-hydrogen-ab?staff="),
        "{link}"
    );
    check_and_capture(organiser, axe, "organiser-exhibition").await?;

    // The exhibitor joins the event, opens the link and joins the booth's staff.
    join_by_link(exhibitor, &server.url("/e/ECC2026"), "ECC2026", "Kim Berg").await?;
    exhibitor.goto(&link).await?;
    wait_for_text(
        exhibitor,
        "#join-staff-heading",
        "Join Lund Hydrogen AB's staff",
    )
    .await?;
    check_and_capture(exhibitor, axe, "booth-join-staff").await?;
    click(exhibitor, "#join-staff-heading ~ button").await?;
    wait_for_text(exhibitor, "#edit-booth-heading", "Edit the booth").await?;
    wait_for_text(exhibitor, "#staff-heading ~ ul", "Kim Berg").await?;
    // Edits its words, a link and a video, and saves.
    type_into(
        exhibitor,
        "#booth-description-en",
        "Electrolysers for <b>ports</b>, made in Lund.",
    )
    .await?;
    type_into(exhibitor, "#booth-sector", "Energy").await?;
    type_into(exhibitor, "#booth-country", "se").await?;
    type_into(exhibitor, "#booth-tags", "hydrogen, electrolysers").await?;
    type_into(exhibitor, "#booth-video", "https://youtu.be/aqz-KE-bpKQ").await?;
    click(
        exhibitor,
        "#edit-booth-heading ~ form fieldset:first-of-type > button",
    )
    .await?;
    type_into(exhibitor, "#booth-link-label-0", "Datasheet").await?;
    type_into(
        exhibitor,
        "#booth-link-url-0",
        "https://lund-h2.example/datasheet.pdf",
    )
    .await?;
    click(exhibitor, "#edit-booth-heading ~ form button.primary").await?;
    wait_for_text(exhibitor, "#edit-booth-heading ~ form .sent", "Booth saved").await?;
    // What was typed is shown as text, never markup.
    wait_for_text(
        exhibitor,
        ".booth-page .description",
        "Electrolysers for <b>ports</b>",
    )
    .await?;
    wait_for_text(exhibitor, "#links-heading ~ ul a", "Datasheet").await?;
    wait_for_attr(
        exhibitor,
        ".booth-page .stream iframe",
        "src",
        "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ",
    )
    .await?;
    // A logo, re-encoded by the server.
    find(exhibitor, "#booth-logo-file")
        .await?
        .send_keys(logo)
        .await?;
    wait_until(
        exhibitor,
        "const i = document.querySelector('.booth-head img.booth-logo'); return i !== null && i.complete && i.naturalWidth === 400;",
        vec![],
        "the logo, re-encoded 400 pixels wide",
    )
    .await?;
    check_and_capture(exhibitor, axe, "booth-staff").await?;

    // A visitor finds it in the hall, by search and by sector.
    join_by_link(
        visitor,
        &server.url("/e/ECC2026"),
        "ECC2026",
        "Vera Visitor",
    )
    .await?;
    click_when(visitor, ".meetings-link a[href='/e/ECC2026/exhibition']").await?;
    wait_for_text(visitor, ".exhibition [role=status]", "5 booths").await?;
    type_into(visitor, "#hall-search", "hydrogen").await?;
    wait_for_text(visitor, ".exhibition [role=status]", "3 booths").await?;
    visitor
        .execute(
            "const s = document.querySelector('#hall-sector'); s.value = 'Energy'; s.dispatchEvent(new Event('change'));",
            vec![],
        )
        .await?;
    wait_for_text(visitor, ".exhibition [role=status]", "2 booths").await?;
    wait_for_text(visitor, ".booth-grid", "Lund Hydrogen AB").await?;
    check_and_capture(visitor, axe, "exhibition-hall").await?;
    click(
        visitor,
        ".booth-grid a[href='/e/ECC2026/exhibition/lund-hydrogen-ab']",
    )
    .await?;
    wait_for_text(visitor, ".booth-page h1", "Lund Hydrogen AB").await?;
    wait_for_text(visitor, "#staff-heading ~ ul", "Kim Berg").await?;
    let editable = text_of(visitor, "#edit-booth-heading").await?;
    ensure!(editable.is_empty(), "a visitor may not edit the booth");
    wait_for_text(visitor, "#talk-heading ~ p", "Nobody is at the booth now").await?;
    check_and_capture(visitor, axe, "booth-visitor").await?;

    // Talk now: the exhibitor says they are at the booth; the visitor asks; the exhibitor
    // accepts; the visitor is told who.
    click(exhibitor, "#booth-here").await?;
    wait_for_text(exhibitor, "#desk-heading ~ .meta", "Nobody is waiting").await?;
    click_when(visitor, "#talk-heading ~ button.primary").await?;
    wait_for_text(
        visitor,
        "#talk-heading ~ [role=status]",
        "You are next in the queue",
    )
    .await?;
    check_and_capture(visitor, axe, "booth-talk-waiting").await?;
    wait_for_text(exhibitor, ".talk-queue li", "Vera Visitor").await?;
    check_and_capture(exhibitor, axe, "booth-desk").await?;
    click(exhibitor, ".talk-queue li button.primary").await?;
    wait_for_text(
        visitor,
        "#talk-heading ~ [role=status]",
        "Kim Berg is ready to talk with you",
    )
    .await?;
    wait_for_text(exhibitor, ".staff-desk", "Vera Visitor with Kim Berg").await?;
    // The booth's numbers: counts only. The visitor's open page is a visit and a visitor now
    // (the exhibitor's look at the booth before joining its staff may be one too).
    wait_until(
        exhibitor,
        "const m = {}; document.querySelectorAll('.booth-numbers dl > div').forEach(d => { m[d.querySelector('dt').textContent] = d.querySelector('dd').textContent; }); return m['Visitors now'] === '1' && Number(m['Visits']) >= 1 && m['Visits'] === m['Different visitors'] && m['Talk-now requests'] === '1' && m['Answered'] === '1' && m['Missed'] === '0';",
        vec![],
        "the booth's numbers: a visit, one visitor now, one request answered",
    )
    .await?;
    let numbers = text_of(exhibitor, ".booth-numbers").await?;
    ensure!(
        !numbers.contains("Vera"),
        "the booth's numbers name nobody: {numbers}"
    );
    check_and_capture(visitor, axe, "booth-talk-accepted").await?;

    // Contact with the booth: the visitor asks, saying why (typed markup stays text); the
    // exhibitor sees who and why, accepts, and both see the contact agreed.
    type_into(visitor, "#booth-contact-why", "Your <i>test bed</i>").await?;
    click(visitor, ".booth-contact form button[type=submit]").await?;
    wait_for_text(
        visitor,
        "#booth-contact-heading ~ [role=status]",
        "You asked",
    )
    .await?;
    wait_for_text(exhibitor, ".booth-leads .contact-list", "Vera Visitor").await?;
    wait_for_text(exhibitor, ".booth-leads blockquote", "Your <i>test bed</i>").await?;
    wait_for_text(
        exhibitor,
        ".booth-leads .contact-list",
        "Waiting for an answer",
    )
    .await?;
    check_and_capture(exhibitor, axe, "booth-leads").await?;
    click(exhibitor, ".booth-leads .contact-list button.primary").await?;
    wait_for_text(
        visitor,
        "#booth-contact-heading ~ [role=status]",
        "accepted: you share contact details",
    )
    .await?;
    wait_for_text(exhibitor, ".booth-leads .contact-list", "Agreed").await?;
    wait_for_text(exhibitor, ".booth-leads .contact-files", "CSV").await?;
    check_and_capture(visitor, axe, "booth-contact-agreed").await?;

    // The booth's chat: the visitor writes (markup stays text); the exhibitor reads it live
    // and hides it; it leaves the visitor's screen; the exhibitor shows it again from the
    // hidden ones.
    type_into(visitor, "#chat-text", "Do you ship <b>to Malmö</b>?").await?;
    click(visitor, ".chat-form button[type=submit]").await?;
    wait_for_text(
        exhibitor,
        ".chat-log .chat-text",
        "Do you ship <b>to Malmö</b>?",
    )
    .await?;
    wait_for_text(exhibitor, ".chat-log .chat-by", "Vera Visitor").await?;
    type_into(exhibitor, "#chat-text", "We do!").await?;
    click(exhibitor, ".chat-form button[type=submit]").await?;
    wait_for_text(visitor, ".chat-log", "We do!").await?;
    wait_for_text(visitor, ".chat-log .chat-staff", "Staff").await?;
    check_and_capture(visitor, axe, "booth-chat").await?;
    let bold = visitor
        .execute(
            "return document.querySelectorAll('.chat-log b').length;",
            vec![],
        )
        .await?;
    ensure!(bold == serde_json::json!(0), "typed markup became markup");
    click(exhibitor, ".chat-log li:first-child .chat-actions button").await?;
    wait_until(
        visitor,
        "return !document.querySelector('.chat-log').textContent.includes('Malmö');",
        vec![],
        "the hidden message leaves the visitor's screen",
    )
    .await?;
    click(exhibitor, ".chat-moderation button").await?;
    wait_for_text(exhibitor, ".chat-hidden", "Do you ship <b>to Malmö</b>?").await?;
    check_and_capture(exhibitor, axe, "booth-chat-moderation").await?;
    click(exhibitor, ".chat-hidden button").await?;
    wait_for_text(visitor, ".chat-log", "to Malmö").await?;

    // A meeting with the booth's team: the visitor asks for the first of the meeting times;
    // the exhibitor finds it among the booth's meetings and accepts for the booth; the visitor
    // sees it booked with the booth on their meetings page.
    click(visitor, "#meet-team-heading ~ details.ask summary").await?;
    type_into(
        visitor,
        "#booth-lund-hydrogen-ab-meet-message",
        "Could we see the <b>electrolyser</b>?",
    )
    .await?;
    visitor
        .execute(
            "const s = document.querySelector('#booth-lund-hydrogen-ab-meet-slot'); s.value = '0'; s.dispatchEvent(new Event('change'));",
            vec![],
        )
        .await?;
    click(
        visitor,
        "#meet-team-heading ~ details.ask form button[type=submit]",
    )
    .await?;
    wait_for_text(
        visitor,
        "#meet-team-heading ~ [role=status]",
        "You asked the team for a meeting. Waiting for their answer",
    )
    .await?;
    visitor
        .execute(
            "document.querySelector('#meet-team-heading').scrollIntoView();",
            vec![],
        )
        .await?;
    check_and_capture(visitor, axe, "booth-meet-team").await?;
    wait_for_text(exhibitor, ".booth-meetings .meeting h3", "Vera Visitor").await?;
    wait_for_text(
        exhibitor,
        ".booth-meetings .meeting-message",
        "Could we see the <b>electrolyser</b>?",
    )
    .await?;
    exhibitor
        .execute(
            "document.querySelector('.booth-meetings').scrollIntoView();",
            vec![],
        )
        .await?;
    check_and_capture(exhibitor, axe, "booth-meetings").await?;
    click(
        exhibitor,
        ".booth-meetings .meeting .actions button.primary",
    )
    .await?;
    wait_for_text(exhibitor, ".booth-meetings .meeting-status", "Booked").await?;
    visitor.goto(&server.url("/e/ECC2026/meetings")).await?;
    wait_for_text(
        visitor,
        "#my-meetings-heading ~ .meeting-list .meeting",
        "Lund Hydrogen AB",
    )
    .await?;
    wait_for_text(
        visitor,
        "#my-meetings-heading ~ .meeting-list .meeting-status",
        "Booked",
    )
    .await?;
    Ok(())
}
