//! Meetings with a booth's team: the booth takes part as one participant (one meeting a slot,
//! its own preferences), any of its staff answers for it and all of them hear of it; nobody
//! else (not another booth's staff) sees or touches its meetings; leaving the staff takes them
//! out of one's inbox; removing the booth cancels what is open.

use plenum_protocol::{
    BoothId, BoothMeetings, ClientMsg, ErrorCode, Meeting, MeetingAnswer, MeetingId,
    MeetingPreferences, MeetingStatus, PersonId, ServerMsg, SlotAt, StaffLink,
};
use plenum_server::engine::Command;
use plenum_server::interactions::exhibition::{Exhibition, ExhibitionCommand};
use plenum_server::interactions::meetings::{Meetings, MeetingsCommand};
use plenum_tests::*;
use serde_json::json;
use std::sync::Arc;

const F: Fixture = Fixture("BMEET");

fn at(start: &str) -> SlotAt {
    SlotAt {
        day: 1,
        start: start.into(),
    }
}

/// A server with the small event as `BMEET` on 12 March 2030 (every slot still to come), its
/// meeting plan, and booths `porto`, `lund` and `empty` (nobody on its staff).
async fn server() -> TestServer {
    let server = future_event_server("BMEET").await;
    let http = server.http();
    let mut org = server.organiser().await;
    let id = org
        .request(&ClientMsg::SetMeetings {
            event: F.ev(),
            plan: Some(meeting_plan("BMEET", 1)),
        })
        .await
        .unwrap();
    ok(org.reply(id).await.unwrap());
    for (id, name) in [
        ("porto", "Porto Cluster"),
        ("lund", "Lund Hydrogen"),
        ("empty", "Empty Stand"),
    ] {
        let a = http
            .send(
                "POST",
                &format!("/api/events/BMEET/booths/{id}"),
                Some(&server.organiser_key),
                Some(&json!({ "organisation": name })),
            )
            .await
            .unwrap();
        assert_eq!(a.status, 200, "{}", a.body);
    }
    server
}

/// A named person following their inbox, and their token.
async fn person(server: &TestServer, name: &str) -> (Member, String) {
    Member::in_inbox(server, "BMEET", name).await
}

/// `name`, on `booth`'s staff, following their inbox; and their token.
async fn staff(server: &TestServer, name: &str, booth: &str) -> (Member, String) {
    let (m, token) = person(server, name).await;
    join_booth_staff(server, "BMEET", booth, &token).await;
    (m, token)
}

fn ask_booth(booth: &str, slot: Option<&str>) -> ClientMsg {
    ClientMsg::RequestMeeting {
        event: F.ev(),
        to: None,
        booth: Some(BoothId::parse(booth).unwrap()),
        message: Some("Can we see your electrolyser?".into()),
        slot: slot.map(at),
    }
}

fn answer(meeting: MeetingId, answer: MeetingAnswer, slot: Option<&str>) -> ClientMsg {
    ClientMsg::AnswerMeeting {
        event: F.ev(),
        meeting,
        answer,
        slot: slot.map(at),
    }
}

fn booth_prefs(booth: &str, busy: &[&str]) -> ClientMsg {
    ClientMsg::SetMeetingPreferences {
        event: F.ev(),
        preferences: MeetingPreferences {
            busy: busy.iter().map(|s| at(s)).collect(),
            ..MeetingPreferences::default()
        },
        booth: Some(BoothId::parse(booth).unwrap()),
    }
}

fn made(reply: &ServerMsg) -> MeetingId {
    match reply {
        ServerMsg::Ok {
            meeting: Some(id), ..
        } => *id,
        other => panic!("no meeting made: {other:?}"),
    }
}

fn field(reply: &ServerMsg) -> Option<String> {
    match reply {
        ServerMsg::Error { field, .. } => field.clone(),
        _ => None,
    }
}

/// Meeting `id` in `m`'s inbox once `ok` holds of it.
async fn until_meeting(m: &mut Member, id: MeetingId, ok: impl Fn(&Meeting) -> bool) -> Meeting {
    m.until_inbox(&format!("meeting {id}"), |i| {
        i.meetings.iter().any(|x| x.id == id && ok(x))
    })
    .await;
    m.inbox().meetings.into_iter().find(|x| x.id == id).unwrap()
}

async fn booth_meetings(server: &TestServer, token: &str, booth: &str) -> Answer {
    server
        .http()
        .send(
            "GET",
            &format!("/api/events/BMEET/booths/{booth}/meetings"),
            Some(token),
            None,
        )
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_booth_meets_as_one_participant_whose_staff_share_its_schedule() {
    let server = server().await;
    let (mut ana, ana_token) = staff(&server, "Ana", "porto").await;
    let (mut bo, _) = staff(&server, "Bo", "porto").await;
    let (mut dee, dee_token) = staff(&server, "Dee", "lund").await;
    let (mut vic, vic_token) = person(&server, "Vic").await;
    let (mut wen, _) = person(&server, "Wen").await;
    let (mut xia, _) = person(&server, "Xia").await;

    // Bad requests: both or neither of `to` and `booth`; no such booth; a booth nobody staffs;
    // a booth's own staff asking it.
    let both = ClientMsg::RequestMeeting {
        event: F.ev(),
        to: Some(PersonId::parse(&wen.id).unwrap()),
        booth: Some(BoothId::parse("porto").unwrap()),
        message: None,
        slot: None,
    };
    let reply = vic.ask(both).await;
    assert_eq!(refused(&reply), ErrorCode::BadRequest);
    assert_eq!(field(&reply).as_deref(), Some("to"));
    let neither = ClientMsg::RequestMeeting {
        event: F.ev(),
        to: None,
        booth: None,
        message: None,
        slot: None,
    };
    assert_eq!(refused(&vic.ask(neither).await), ErrorCode::BadRequest);
    assert_eq!(
        refused(&vic.ask(ask_booth("nowhere", None)).await),
        ErrorCode::NotFound
    );
    assert_eq!(
        refused(&vic.ask(ask_booth("empty", None)).await),
        ErrorCode::Conflict
    );
    let reply = ana.ask(ask_booth("porto", None)).await;
    assert_eq!(refused(&reply), ErrorCode::BadRequest);
    assert_eq!(field(&reply).as_deref(), Some("booth"));
    // Nobody can pass for the booth by its participant id.
    let posing = ClientMsg::RequestMeeting {
        event: F.ev(),
        to: Some(PersonId::parse("booth_porto").unwrap()),
        booth: None,
        message: None,
        slot: None,
    };
    assert_eq!(refused(&vic.ask(posing).await), ErrorCode::NotFound);

    // Vic asks Porto's team for 09:25: the booth is `to`, and every one of its staff hears.
    let first = made(&vic.ask(ask_booth("porto", Some("09:25"))).await);
    for staff in [&mut ana, &mut bo] {
        let m = until_meeting(staff, first, |_| true).await;
        assert_eq!(m.to.id.as_str(), "booth_porto");
        assert_eq!(m.to.name.as_deref(), Some("Porto Cluster"));
        assert_eq!(m.booth.as_ref().map(BoothId::as_str), Some("porto"));
        assert_eq!(m.from.name.as_deref(), Some("Vic"));
        assert_eq!(m.status, MeetingStatus::Requested);
    }
    // Another booth's staff and other people cannot touch it, and are told it does not exist.
    for who in [&mut dee, &mut wen] {
        assert_eq!(
            refused(&who.ask(answer(first, MeetingAnswer::Accept, None)).await),
            ErrorCode::NotFound
        );
    }
    // The booth's list: its staff and the organisers; nobody else, not Lund's staff.
    for token in [&dee_token, &vic_token] {
        assert_eq!(booth_meetings(&server, token, "porto").await.status, 403);
    }
    assert_eq!(
        booth_meetings(&server, &ana_token, "nowhere").await.status,
        404
    );
    let list = booth_meetings(&server, &server.organiser_key, "porto").await;
    assert_eq!(list.status, 200, "{}", list.body);
    let list: BoothMeetings = serde_json::from_value(list.body).unwrap();
    assert_eq!(
        list.meetings.iter().map(|m| m.id).collect::<Vec<_>>(),
        [first]
    );

    // Bo accepts for the booth: booked, and Ana and Vic see it.
    ok(bo.ask(answer(first, MeetingAnswer::Accept, None)).await);
    for m in [&mut ana, &mut vic] {
        let booked = until_meeting(m, first, |m| m.status == MeetingStatus::Accepted).await;
        assert_eq!(booked.slot, Some(at("09:25")));
        assert_eq!(booked.table, Some(1));
    }
    // The booked meeting is in Ana's calendar feed too, with the visitor's name.
    let link = server
        .http()
        .send("GET", "/api/events/BMEET/calendar", Some(&ana_token), None)
        .await
        .unwrap();
    let url = link.body["url"].as_str().unwrap().to_owned();
    let path = url.strip_prefix(server.http().origin()).unwrap();
    let (status, _, feed) = server.http().get_bytes(path).await.unwrap();
    let feed = String::from_utf8(feed).unwrap();
    assert_eq!(status, 200);
    assert!(
        feed.contains(&format!("UID:meeting-{first}.BMEET@plenum"))
            && feed.contains("SUMMARY:Meeting: Vic (Vic AB)"),
        "{feed}"
    );
    // Ana, too, now answers nothing of it: the booth already did.
    assert_eq!(
        refused(&ana.ask(answer(first, MeetingAnswer::Accept, None)).await),
        ErrorCode::Conflict
    );

    // One participant: one meeting a slot, whichever of the staff books it.
    let second = made(&wen.ask(ask_booth("porto", Some("09:25"))).await);
    until_meeting(&mut ana, second, |_| true).await;
    let reply = ana.ask(answer(second, MeetingAnswer::Accept, None)).await;
    assert_eq!(refused(&reply), ErrorCode::Conflict, "{reply:?}");
    // Ana proposes another time for the booth; Wen accepts it.
    ok(ana
        .ask(answer(second, MeetingAnswer::Propose, Some("09:50")))
        .await);
    let proposed = until_meeting(&mut wen, second, |m| m.proposed == Some(at("09:50"))).await;
    assert_eq!(
        proposed.proposed_by.as_ref().map(PersonId::as_str),
        Some("booth_porto")
    );
    // Bo cannot accept what his own booth proposed.
    assert_eq!(
        refused(&bo.ask(answer(second, MeetingAnswer::Accept, None)).await),
        ErrorCode::Conflict
    );
    ok(wen.ask(answer(second, MeetingAnswer::Accept, None)).await);
    let moved = until_meeting(&mut bo, second, |m| m.slot.is_some()).await;
    assert_eq!(moved.slot, Some(at("09:50")));

    // The booth's own times, set by its staff: nobody else sets them.
    for who in [&mut dee, &mut vic] {
        assert_eq!(
            refused(&who.ask(booth_prefs("porto", &["10:15"])).await),
            ErrorCode::Forbidden
        );
    }
    // Not over a booked meeting of the booth's.
    assert_eq!(
        refused(&bo.ask(booth_prefs("porto", &["09:25"])).await),
        ErrorCode::Conflict
    );
    ok(bo.ask(booth_prefs("porto", &["10:15"])).await);
    let list: BoothMeetings =
        serde_json::from_value(booth_meetings(&server, &ana_token, "porto").await.body).unwrap();
    assert_eq!(list.preferences.busy, [at("10:15")]);
    assert_eq!(list.meetings.len(), 2);
    // A booth's time kept free is not its staff's own: Ana meets Una in person then.
    let (mut una, _) = person(&server, "Una").await;
    let personal = made(
        &una.ask(ClientMsg::RequestMeeting {
            event: F.ev(),
            to: Some(PersonId::parse(&ana.id).unwrap()),
            booth: None,
            message: None,
            slot: Some(at("10:15")),
        })
        .await,
    );
    until_meeting(&mut ana, personal, |_| true).await;
    ok(ana.ask(answer(personal, MeetingAnswer::Accept, None)).await);
    let mine = until_meeting(&mut una, personal, |m| m.slot.is_some()).await;
    assert_eq!(mine.slot, Some(at("10:15")));
    let third = made(&xia.ask(ask_booth("porto", Some("10:15"))).await);
    until_meeting(&mut ana, third, |_| true).await;
    let reply = ana.ask(answer(third, MeetingAnswer::Accept, None)).await;
    assert_eq!(refused(&reply), ErrorCode::Conflict, "{reply:?}");
    // Staff cancel for the booth; Xia hears.
    ok(ana
        .ask(ClientMsg::CancelMeeting {
            event: F.ev(),
            meeting: third,
        })
        .await);
    until_meeting(&mut xia, third, |m| m.status == MeetingStatus::Cancelled).await;

    // A block by one of the staff keeps the blocked person from asking the booth.
    let (mut yan, _) = person(&server, "Yan").await;
    ok(bo
        .ask(ClientMsg::BlockSomeone {
            event: F.ev(),
            person: PersonId::parse(&yan.id).unwrap(),
            blocked: true,
        })
        .await);
    assert_eq!(
        refused(&yan.ask(ask_booth("porto", None)).await),
        ErrorCode::Forbidden
    );
    // Blocked after asking: no more proposals to the booth, whose staff blocked; and the
    // booth's staff propose nothing to a visitor who blocks the one proposing.
    let block = |person: &str, blocked: bool| ClientMsg::BlockSomeone {
        event: F.ev(),
        person: PersonId::parse(person).unwrap(),
        blocked,
    };
    ok(ana.ask(block(&wen.id, true)).await);
    assert_eq!(
        refused(
            &wen.ask(answer(second, MeetingAnswer::Propose, Some("10:40")))
                .await
        ),
        ErrorCode::Forbidden
    );
    ok(ana.ask(block(&wen.id, false)).await);
    ok(wen.ask(block(&bo.id, true)).await);
    assert_eq!(
        refused(
            &bo.ask(answer(second, MeetingAnswer::Propose, Some("10:40")))
                .await
        ),
        ErrorCode::Forbidden
    );
    // A visitor who blocks one of the staff asks the booth nothing until they unblock.
    let (mut zed, zed_token) = person(&server, "Zed").await;
    ok(zed.ask(block(&ana.id, true)).await);
    assert_eq!(
        refused(&zed.ask(ask_booth("porto", None)).await),
        ErrorCode::Conflict
    );
    ok(zed.ask(block(&ana.id, false)).await);
    // Someone with an open request to the booth does not join its staff.
    made(&zed.ask(ask_booth("porto", None)).await);
    let link = server
        .http()
        .send(
            "GET",
            "/api/events/BMEET/booths/porto/staff-link",
            Some(&server.organiser_key),
            None,
        )
        .await
        .unwrap();
    let code = serde_json::from_value::<StaffLink>(link.body).unwrap().code;
    let joined = server
        .http()
        .send(
            "POST",
            "/api/events/BMEET/booths/porto/staff",
            Some(&zed_token),
            Some(&json!({ "code": code })),
        )
        .await
        .unwrap();
    assert_eq!(joined.status, 409, "{}", joined.body);

    // Bo leaves the staff: the booth's meetings leave his inbox, and he acts for it no more.
    let left = server
        .http()
        .send(
            "DELETE",
            &format!("/api/events/BMEET/booths/porto/staff/{}", bo.id),
            Some(&server.organiser_key),
            None,
        )
        .await
        .unwrap();
    assert_eq!(left.status, 200, "{}", left.body);
    bo.until_inbox("no meeting of Porto's", |i| {
        i.meetings.iter().all(|m| m.booth.is_none())
    })
    .await;
    assert_eq!(
        refused(
            &bo.ask(ClientMsg::CancelMeeting {
                event: F.ev(),
                meeting: first,
            })
            .await
        ),
        ErrorCode::NotFound
    );

    // Lund's staff heard of none of it (a round trip first: all sent before it is in).
    ok(dee
        .ask(ClientMsg::SetProfile {
            event: F.ev(),
            profile: Default::default(),
        })
        .await);
    assert!(
        dee.inbox().meetings.is_empty(),
        "{:?}",
        dee.inbox().meetings
    );

    // The booth removed: its open meetings are cancelled, and their visitors told.
    let gone = server
        .http()
        .send(
            "DELETE",
            "/api/events/BMEET/booths/porto",
            Some(&server.organiser_key),
            None,
        )
        .await
        .unwrap();
    assert_eq!(gone.status, 200, "{}", gone.body);
    until_meeting(&mut vic, first, |m| m.status == MeetingStatus::Cancelled).await;
    until_meeting(&mut wen, second, |m| m.status == MeetingStatus::Cancelled).await;
    ana.until_inbox("no meeting of Porto's", |i| {
        i.meetings.iter().all(|m| m.booth.is_none())
    })
    .await;
    // Made again under its id, it starts with no meetings.
    let again = server
        .http()
        .send(
            "POST",
            "/api/events/BMEET/booths/porto",
            Some(&server.organiser_key),
            Some(&json!({ "organisation": "Porto Cluster" })),
        )
        .await
        .unwrap();
    assert_eq!(again.status, 200, "{}", again.body);
    let list: BoothMeetings = serde_json::from_value(
        booth_meetings(&server, &server.organiser_key, "porto")
            .await
            .body,
    )
    .unwrap();
    assert!(list.meetings.is_empty(), "{list:?}");
    assert_eq!(list.preferences, MeetingPreferences::default());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sweep_cancels_the_open_meetings_of_a_booth_that_is_gone() {
    let server = server().await;
    let (mut dee, _) = staff(&server, "Dee", "lund").await;
    let (mut ana, ana_token) = staff(&server, "Ana", "porto").await;
    let (mut vic, _) = person(&server, "Vic").await;
    let (mut wen, _) = person(&server, "Wen").await;
    let asked = made(&vic.ask(ask_booth("lund", Some("09:00"))).await);
    until_meeting(&mut dee, asked, |_| true).await;
    // Straight to the engine: the booth removed without the transport's cancelling (as if
    // that had failed). Another booth's meeting stays as it is.
    let other = made(&wen.ask(ask_booth("porto", None)).await);
    until_meeting(&mut ana, other, |_| true).await;
    let engine = server.engine();
    let room = plenum_protocol::RoomId::Event(F.ev());
    engine
        .submit(
            &room,
            Command::to::<Exhibition>(ExhibitionCommand::Remove {
                booth: BoothId::parse("lund").unwrap(),
            }),
        )
        .await
        .unwrap();
    // Not cancelled yet, as the organisers' export says.
    let rows = server
        .http()
        .send(
            "GET",
            "/api/events/BMEET/meetings.json",
            Some(&server.organiser_key),
            None,
        )
        .await
        .unwrap();
    let rows: Vec<plenum_protocol::MeetingRow> = serde_json::from_value(rows.body).unwrap();
    let row = rows.iter().find(|r| r.id == asked).unwrap();
    assert_eq!(row.status, MeetingStatus::Requested);
    engine
        .submit(
            &room,
            Command::to::<Meetings>(MeetingsCommand::Sweep { at_ms: None }),
        )
        .await
        .unwrap();
    until_meeting(&mut vic, asked, |m| m.status == MeetingStatus::Cancelled).await;
    let porto: BoothMeetings =
        serde_json::from_value(booth_meetings(&server, &ana_token, "porto").await.body).unwrap();
    assert_eq!(
        porto
            .meetings
            .iter()
            .map(|m| (m.id, m.status))
            .collect::<Vec<_>>(),
        [(other, MeetingStatus::Requested)]
    );

    // Porto removed behind the transport's back, then made again (over HTTP, whose cancelling
    // now runs): the old booth's open meeting is cancelled.
    engine
        .submit(
            &room,
            Command::to::<Exhibition>(ExhibitionCommand::Remove {
                booth: BoothId::parse("porto").unwrap(),
            }),
        )
        .await
        .unwrap();
    let again = server
        .http()
        .send(
            "POST",
            "/api/events/BMEET/booths/porto",
            Some(&server.organiser_key),
            Some(&json!({ "organisation": "Porto Cluster" })),
        )
        .await
        .unwrap();
    assert_eq!(again.status, 200, "{}", again.body);
    until_meeting(&mut wen, other, |m| m.status == MeetingStatus::Cancelled).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_of_a_booths_staff_booking_one_slot_at_once_book_it_once() {
    let server = server().await;
    let (mut ana, _) = staff(&server, "Ana", "porto").await;
    let (mut bo, _) = staff(&server, "Bo", "porto").await;
    let (mut vic, _) = person(&server, "Vic").await;
    let (mut wen, _) = person(&server, "Wen").await;
    let one = made(&vic.ask(ask_booth("porto", Some("09:00"))).await);
    let two = made(&wen.ask(ask_booth("porto", Some("09:00"))).await);
    for id in [one, two] {
        until_meeting(&mut ana, id, |_| true).await;
        until_meeting(&mut bo, id, |_| true).await;
    }
    // Ana accepts Vic's and Bo accepts Wen's at the same moment, for the same slot.
    let barrier = Arc::new(tokio::sync::Barrier::new(2));
    let go = |mut m: Member, id: MeetingId, barrier: Arc<tokio::sync::Barrier>| {
        tokio::spawn(async move {
            barrier.wait().await;
            let reply = m.ask(answer(id, MeetingAnswer::Accept, None)).await;
            (m, reply)
        })
    };
    let a = go(ana, one, barrier.clone());
    let b = go(bo, two, barrier);
    let (mut ana, ra) = a.await.unwrap();
    let (_, rb) = b.await.unwrap();
    let won = [&ra, &rb]
        .iter()
        .filter(|r| matches!(r, ServerMsg::Ok { .. }))
        .count();
    assert_eq!(won, 1, "exactly one booking: {ra:?} / {rb:?}");
    let lost = if matches!(ra, ServerMsg::Ok { .. }) {
        &rb
    } else {
        &ra
    };
    assert_eq!(refused(lost), ErrorCode::Conflict);
    // The booth holds one meeting at 09:00, the other still asks.
    ana.until_inbox("one booking", |i| {
        i.meetings
            .iter()
            .filter(|m| m.status == MeetingStatus::Accepted)
            .count()
            == 1
    })
    .await;
    let at_nine: Vec<_> = ana
        .inbox()
        .meetings
        .into_iter()
        .filter(|m| m.slot == Some(at("09:00")))
        .collect();
    assert_eq!(at_nine.len(), 1, "{at_nine:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schedule_all_places_a_booth_in_one_meeting_a_slot_when_it_is_free() {
    let server = server().await;
    let (mut ana, _) = staff(&server, "Ana", "porto").await;
    // The booth is there at 09:00 and 09:25 only.
    ok(ana
        .ask(booth_prefs(
            "porto",
            &["09:50", "10:15", "10:40", "11:05", "11:30"],
        ))
        .await);
    let mut ids = Vec::new();
    for name in ["Vic", "Wen", "Xia"] {
        let (mut v, _) = person(&server, name).await;
        let id = made(&v.ask(ask_booth("porto", None)).await);
        until_meeting(&mut ana, id, |_| true).await;
        ok(ana.ask(answer(id, MeetingAnswer::Accept, None)).await);
        ids.push(id);
    }
    let mut org = server.organiser().await;
    let id = org
        .request(&ClientMsg::ScheduleMeetings {
            event: F.ev(),
            move_booked: false,
        })
        .await
        .unwrap();
    let reply = org.reply(id).await.unwrap();
    let scheduled = match &reply {
        ServerMsg::Ok {
            scheduled: Some(s), ..
        } => s.clone(),
        other => panic!("not scheduled: {other:?}"),
    };
    assert_eq!(
        (scheduled.accepted, scheduled.placed),
        (3, 2),
        "{scheduled:?}"
    );
    assert_eq!(scheduled.bound, 2, "no schedule places more: {scheduled:?}");
    assert_eq!(scheduled.unplaced.len(), 1);
    ana.until_inbox("two booked", |i| {
        i.meetings.iter().filter(|m| m.slot.is_some()).count() == 2
    })
    .await;
    let mut slots: Vec<_> = ana
        .inbox()
        .meetings
        .iter()
        .filter_map(|m| m.slot.clone())
        .collect();
    slots.sort();
    assert_eq!(slots, [at("09:00"), at("09:25")]);
}
