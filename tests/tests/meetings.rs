//! One-to-one meetings: the plan, requests and their answers (another time proposed keeps one
//! meeting), bookings that never double-book a person or a table (on one instance or two),
//! each change in the two people's inboxes and nobody else's, expiry, "Schedule all".

use plenum_protocol::{
    ClientMsg, ErrorCode, HalfDay, Meeting, MeetingAnswer, MeetingBlock, MeetingId, MeetingPlan,
    MeetingPreferences, MeetingStatus, PersonId, RoomId, RoomState, ServerMsg, SessionId, SlotAt,
};
use plenum_server::engine::Command;
use plenum_server::interactions::meetings::{Meetings, MeetingsCommand};
use plenum_tests::*;
use std::collections::{BTreeMap, BTreeSet};

const F: Fixture = Fixture("MEET");

fn at(start: &str) -> SlotAt {
    SlotAt {
        day: 1,
        start: start.into(),
    }
}

/// Day 1, 09:00–12:00 in slots of 20 minutes and 5 to change: 09:00, 09:25, 09:50, 10:15,
/// 10:40, 11:05, 11:30; `tables` onsite tables.
fn plan(tables: u32) -> MeetingPlan {
    meeting_plan("MEET", tables)
}

/// A server with the small event as `MEET`, held on 12 March 2030 (in the future, so every
/// slot is still to come and "Schedule all" may use it).
async fn meet_server() -> TestServer {
    future_event_server("MEET").await
}

const SLOTS: [&str; 7] = [
    "09:00", "09:25", "09:50", "10:15", "10:40", "11:05", "11:30",
];

/// A person at the event, named and known to it, following their inbox.
async fn person(server: &TestServer, name: &str) -> Member {
    Member::in_inbox(server, "MEET", name).await.0
}

/// The meetings in `m`'s inbox.
fn meetings(m: &Member) -> Vec<Meeting> {
    match &m.view.state {
        Some(RoomState::Inbox(i)) => i.meetings.clone(),
        other => panic!("not an inbox: {other:?}"),
    }
}

/// Folds `m`'s inbox until meeting `id` satisfies `ok`; returns it.
async fn until_meeting(m: &mut Member, id: MeetingId, ok: impl Fn(&Meeting) -> bool) -> Meeting {
    tokio::time::timeout(WAIT, async {
        loop {
            if let Some(found) = meetings(m).into_iter().find(|x| x.id == id && ok(x)) {
                return found;
            }
            let msg = m.ws.recv().await.expect("the connection stays");
            m.view.take(&msg).expect("in order, without gaps");
        }
    })
    .await
    .unwrap_or_else(|_| panic!("meeting {id} never got there: {:?}", meetings(m)))
}

/// Folds `m`'s inbox until `ok` holds of it.
async fn until_inbox(
    m: &mut Member,
    what: &str,
    ok: impl Fn(&plenum_protocol::InboxState) -> bool,
) {
    tokio::time::timeout(WAIT, async {
        while !matches!(&m.view.state, Some(RoomState::Inbox(i)) if ok(i)) {
            let msg = m.ws.recv().await.expect("the connection stays");
            m.view.take(&msg).expect("in order, without gaps");
        }
    })
    .await
    .unwrap_or_else(|_| panic!("the inbox never showed {what}"));
}

/// Until when `m`'s inbox says they are open for a meeting now.
fn open_until(m: &Member) -> Option<i64> {
    match &m.view.state {
        Some(RoomState::Inbox(i)) => i.open_until_ms,
        _ => None,
    }
}

/// Someone who joined `MEET` (with `name`, if any) and did nothing else, following their
/// inbox; their id and token.
async fn newcomer(server: &TestServer, name: Option<&str>) -> (Member, String, String) {
    let token = server.http().join("MEET", name).await.unwrap();
    let ws = Ws::connect(&server.ws_url(), &token).await.unwrap();
    let id = match &ws.welcome {
        Some(ServerMsg::Welcome { person, .. }) => person.id.clone(),
        other => panic!("not welcomed: {other:?}"),
    };
    let inbox = RoomId::Inbox(F.ev(), PersonId::parse(&id).unwrap());
    (Member::following(ws, &inbox).await, id, token)
}

/// The answer to request `rid` of `m`'s, folding their inbox's events on the way (which may
/// come before it).
async fn answer_of(m: &mut Member, rid: u64) -> ServerMsg {
    loop {
        let msg = m.ws.recv().await.expect("an answer");
        m.view.take(&msg).expect("in order, without gaps");
        match &msg {
            ServerMsg::Ok { id, .. } | ServerMsg::Error { id: Some(id), .. } if *id == rid => {
                return msg;
            }
            _ => {}
        }
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

async fn organiser_asks(org: &mut Ws, msg: ClientMsg) -> ServerMsg {
    let id = org.request(&msg).await.unwrap();
    org.reply(id).await.unwrap()
}

fn request(to: &str, slot: Option<&str>) -> ClientMsg {
    ClientMsg::RequestMeeting {
        event: F.ev(),
        to: Some(PersonId::parse(to).unwrap()),
        booth: None,
        message: Some("Shall we talk hydrogen?".into()),
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_answered_with_another_time_stays_one_meeting_in_both_inboxes_only() {
    let server = meet_server().await;
    let mut org = server.organiser().await;
    let mut ana = person(&server, "Ana").await;
    let mut bjorn = person(&server, "Björn").await;
    let mut cleo = person(&server, "Cleo").await;
    // No plan yet: nothing to book into.
    assert_eq!(
        refused(&ana.ask(request(&bjorn.id, None)).await),
        ErrorCode::Conflict
    );
    // Only organisers set the plan.
    assert_eq!(
        refused(
            &ana.ask(ClientMsg::SetMeetings {
                event: F.ev(),
                plan: Some(plan(1)),
            })
            .await
        ),
        ErrorCode::Forbidden
    );
    ok(organiser_asks(
        &mut org,
        ClientMsg::SetMeetings {
            event: F.ev(),
            plan: Some(plan(1)),
        },
    )
    .await);

    let id = made(&ana.ask(request(&bjorn.id, Some("10:15"))).await);
    let asked = until_meeting(&mut bjorn, id, |_| true).await;
    assert_eq!(asked.status, MeetingStatus::Requested);
    assert_eq!(asked.from.name.as_deref(), Some("Ana"));
    assert_eq!(asked.from.organisation.as_deref(), Some("Ana AB"));
    assert_eq!(asked.proposed, Some(at("10:15")));
    assert!(asked.slot.is_none(), "a request holds no slot");
    // Ana asked: she cannot answer; Cleo is told there is no such meeting.
    assert_eq!(
        refused(&ana.ask(answer(id, MeetingAnswer::Accept, None)).await),
        ErrorCode::Conflict
    );
    for msg in [
        answer(id, MeetingAnswer::Accept, None),
        ClientMsg::CancelMeeting {
            event: F.ev(),
            meeting: id,
        },
    ] {
        assert_eq!(refused(&cleo.ask(msg).await), ErrorCode::NotFound);
    }
    // A second request between the two while one is open: refused.
    assert_eq!(
        refused(&bjorn.ask(request(&ana.id, None)).await),
        ErrorCode::Conflict
    );

    // Björn proposes another time: the same meeting, now waiting for Ana.
    ok(bjorn
        .ask(answer(id, MeetingAnswer::Propose, Some("10:40")))
        .await);
    let proposed = until_meeting(&mut ana, id, |m| m.proposed == Some(at("10:40"))).await;
    assert_eq!(proposed.status, MeetingStatus::Requested);
    assert_eq!(
        proposed.proposed_by.as_ref().map(|p| p.as_str()),
        Some(bjorn.id.as_str())
    );
    assert_eq!(
        refused(&bjorn.ask(answer(id, MeetingAnswer::Accept, None)).await),
        ErrorCode::Conflict,
        "the proposer does not answer his own proposal"
    );
    ok(ana.ask(answer(id, MeetingAnswer::Accept, None)).await);
    let booked = until_meeting(&mut ana, id, |m| m.status == MeetingStatus::Accepted).await;
    assert_eq!(booked.slot, Some(at("10:40")));
    assert_eq!(booked.end.as_deref(), Some("11:00"));
    assert_eq!(booked.table, Some(1));
    assert_eq!(booked.place.as_deref(), Some("Hall C, table 1"));
    assert!(booked.video.is_none(), "onsite");
    let seen = until_meeting(&mut bjorn, id, |m| m.sequence == booked.sequence).await;
    assert_eq!(seen, booked, "both see the same meeting");

    // Moving it: Ana proposes 11:05; until Björn accepts it stays at 10:40.
    ok(ana
        .ask(answer(id, MeetingAnswer::Propose, Some("11:05")))
        .await);
    let waiting = until_meeting(&mut bjorn, id, |m| m.proposed.is_some()).await;
    assert_eq!(waiting.slot, Some(at("10:40")));
    ok(bjorn.ask(answer(id, MeetingAnswer::Accept, None)).await);
    let moved = until_meeting(&mut ana, id, |m| m.slot == Some(at("11:05"))).await;
    assert!(
        moved.sequence > booked.sequence,
        "a move raises the sequence"
    );
    assert!(moved.proposed.is_none());
    // One meeting, not two, in each inbox.
    let both = until_meeting(&mut bjorn, id, |m| m.sequence == moved.sequence).await;
    assert_eq!(both, moved);
    assert_eq!(meetings(&ana).len(), 1);
    assert_eq!(meetings(&bjorn).len(), 1);
    // Cleo's inbox heard nothing of it.
    ok(cleo
        .ask(ClientMsg::ReadNotes {
            event: F.ev(),
            upto: 0,
        })
        .await);
    assert!(meetings(&cleo).is_empty());

    // Declining a proposed time keeps the meeting where it is; cancelling frees the slot.
    ok(bjorn
        .ask(answer(id, MeetingAnswer::Propose, Some("09:50")))
        .await);
    until_meeting(&mut ana, id, |m| m.proposed.is_some()).await;
    ok(ana.ask(answer(id, MeetingAnswer::Decline, None)).await);
    let kept = until_meeting(&mut ana, id, |m| {
        m.proposed.is_none() && m.sequence > moved.sequence + 1
    })
    .await;
    assert_eq!(
        (kept.status, kept.slot.clone()),
        (MeetingStatus::Accepted, Some(at("11:05")))
    );
    ok(bjorn
        .ask(ClientMsg::CancelMeeting {
            event: F.ev(),
            meeting: id,
        })
        .await);
    let off = until_meeting(&mut ana, id, |m| m.status == MeetingStatus::Cancelled).await;
    assert_eq!(off.status, MeetingStatus::Cancelled);
    // The slot and its table are free again: Cleo and Ana meet then.
    let second = made(&cleo.ask(request(&ana.id, Some("11:05"))).await);
    until_meeting(&mut ana, second, |_| true).await;
    ok(ana.ask(answer(second, MeetingAnswer::Accept, None)).await);
    let again = until_meeting(&mut cleo, second, |m| m.status == MeetingStatus::Accepted).await;
    assert_eq!((again.slot, again.table), (Some(at("11:05")), Some(1)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_are_refused_with_their_codes_and_change_nothing() {
    let server = meet_server().await;
    let mut org = server.organiser().await;
    let mut small = plan(0);
    small.max_open_requests = 2;
    ok(organiser_asks(
        &mut org,
        ClientMsg::SetMeetings {
            event: F.ev(),
            plan: Some(small),
        },
    )
    .await);
    // A plan with a block on a day the agenda lacks, or overlapping blocks: bad_request.
    let mut wrong = plan(0);
    wrong.blocks[0].day = 4;
    let reply = organiser_asks(
        &mut org,
        ClientMsg::SetMeetings {
            event: F.ev(),
            plan: Some(wrong),
        },
    )
    .await;
    assert_eq!(refused(&reply), ErrorCode::BadRequest);
    let mut ana = person(&server, "Ana").await;
    let people = [
        person(&server, "Bo").await,
        person(&server, "Cy").await,
        person(&server, "Di").await,
    ];
    let bo = people[0].id.clone();
    // Not one of the plan's slots.
    let reply = ana.ask(request(&bo, Some("09:10"))).await;
    assert_eq!(refused(&reply), ErrorCode::BadRequest);
    assert!(
        matches!(&reply, ServerMsg::Error { field: Some(f), .. } if f == "slot"),
        "{reply:?}"
    );
    // Oneself; someone the event does not know; a message too long.
    assert_eq!(
        refused(&ana.ask(request(&ana.id.clone(), None)).await),
        ErrorCode::BadRequest
    );
    assert_eq!(
        refused(&ana.ask(request("nobody-here", None)).await),
        ErrorCode::NotFound
    );
    let long = ClientMsg::RequestMeeting {
        event: F.ev(),
        to: Some(PersonId::parse(&bo).unwrap()),
        booth: None,
        message: Some("x".repeat(501)),
        slot: None,
    };
    assert_eq!(refused(&ana.ask(long).await), ErrorCode::TooLarge);
    // An anonymous attendee asks nobody.
    let anon_token = server.http().join("MEET", None).await.unwrap();
    let mut anon = Ws::connect(&server.ws_url(), &anon_token).await.unwrap();
    let rid = anon.request(&request(&bo, None)).await.unwrap();
    assert_eq!(
        refused(&anon.reply(rid).await.unwrap()),
        ErrorCode::Forbidden
    );
    // Starring session 1 (09:00–10:00) keeps its slots free.
    ok(ana
        .ask(ClientMsg::Star {
            event: F.ev(),
            session: SessionId::parse("s1").unwrap(),
            starred: true,
        })
        .await);
    assert_eq!(
        refused(&ana.ask(request(&bo, Some("09:50"))).await),
        ErrorCode::Conflict
    );
    // The cap on unanswered requests: two here.
    made(&ana.ask(request(&people[0].id, Some("10:15"))).await);
    made(&ana.ask(request(&people[1].id, None)).await);
    assert_eq!(
        refused(&ana.ask(request(&people[2].id, None)).await),
        ErrorCode::TooLarge
    );
    // Attendees do not schedule or lock.
    assert_eq!(
        refused(
            &ana.ask(ClientMsg::ScheduleMeetings {
                event: F.ev(),
                move_booked: false
            })
            .await
        ),
        ErrorCode::Forbidden
    );
    // Preferences: a slot not in the plan, or named twice.
    let prefs = |busy: Vec<&str>| ClientMsg::SetMeetingPreferences {
        event: F.ev(),
        booth: None,
        preferences: MeetingPreferences {
            busy: busy.into_iter().map(at).collect(),
            half: None,
            online: false,
        },
    };
    assert_eq!(
        refused(&ana.ask(prefs(vec!["13:00"])).await),
        ErrorCode::BadRequest
    );
    assert_eq!(
        refused(&ana.ask(prefs(vec!["10:15", "10:15"])).await),
        ErrorCode::BadRequest
    );
    // Nothing changed: Ana's inbox holds her two requests, and no preferences.
    let inbox_state = match &ana.view.state {
        Some(RoomState::Inbox(i)) => i.clone(),
        _ => unreachable!(),
    };
    assert_eq!(inbox_state.meetings.len(), 2, "{:?}", inbox_state.meetings);
    assert!(inbox_state.meeting_preferences.is_none());
    // Bo keeps 10:15 free: Ana's request for then can no longer be accepted.
    let mut bo_member = people.into_iter().next().unwrap();
    ok(bo_member.ask(prefs(vec!["10:15"])).await);
    let first = meetings(&ana)[0].id;
    until_meeting(&mut bo_member, first, |_| true).await;
    let reply = bo_member
        .ask(answer(first, MeetingAnswer::Accept, None))
        .await;
    assert_eq!(refused(&reply), ErrorCode::Conflict, "{reply:?}");
    // A plan that would strand a booked meeting is refused: book one, then try to drop its slot.
    ok(bo_member
        .ask(answer(first, MeetingAnswer::Propose, Some("11:30")))
        .await);
    until_meeting(&mut ana, first, |m| m.proposed == Some(at("11:30"))).await;
    ok(ana.ask(answer(first, MeetingAnswer::Accept, None)).await);
    let mut shorter = plan(0);
    shorter.blocks[0].end = "11:00".into();
    assert_eq!(
        refused(
            &organiser_asks(
                &mut org,
                ClientMsg::SetMeetings {
                    event: F.ev(),
                    plan: Some(shorter),
                },
            )
            .await
        ),
        ErrorCode::Conflict
    );
    // The online meeting has its own video link, the same for both, unlike its id.
    let booked = until_meeting(&mut ana, first, |m| m.status == MeetingStatus::Accepted).await;
    let video = booked.video.expect("an online meeting has a link");
    assert!(
        video.starts_with("https://meet.example.org/MEET-"),
        "{video}"
    );
    assert!(!video.ends_with(&format!("-{first}")), "{video}");
    assert_eq!(booked.table, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unanswered_requests_expire_and_proposals_on_booked_meetings_lapse() {
    let server = meet_server().await;
    let mut org = server.organiser().await;
    let mut p = plan(2);
    p.expiry_hours = 2;
    ok(organiser_asks(
        &mut org,
        ClientMsg::SetMeetings {
            event: F.ev(),
            plan: Some(p),
        },
    )
    .await);
    let mut ana = person(&server, "Ana").await;
    let mut bo = person(&server, "Bo").await;
    let mut cy = person(&server, "Cy").await;
    let waiting = made(&ana.ask(request(&bo.id, None)).await);
    let booked = made(&ana.ask(request(&cy.id, Some("09:25"))).await);
    until_meeting(&mut cy, booked, |_| true).await;
    ok(cy.ask(answer(booked, MeetingAnswer::Accept, None)).await);
    until_meeting(&mut ana, booked, |m| m.status == MeetingStatus::Accepted).await;
    ok(cy
        .ask(answer(booked, MeetingAnswer::Propose, Some("10:15")))
        .await);
    until_meeting(&mut ana, booked, |m| m.proposed.is_some()).await;
    let engine = server.engine();
    let room = RoomId::Event(F.ev());
    let expire = |h: i64| {
        Command::to::<Meetings>(MeetingsCommand::Sweep {
            at_ms: Some(plenum_server::engine::now_ms() + h * 3_600_000),
        })
    };
    // An hour on: nothing is due.
    engine.submit(&room, expire(1)).await.unwrap();
    // Three hours on: the request expires; the booked meeting only loses the time proposed.
    engine.submit(&room, expire(3)).await.unwrap();
    let gone = until_meeting(&mut bo, waiting, |m| m.status != MeetingStatus::Requested).await;
    assert_eq!(gone.status, MeetingStatus::Expired);
    let stays = until_meeting(&mut ana, booked, |m| m.proposed.is_none()).await;
    assert_eq!(
        (stays.status, stays.slot),
        (MeetingStatus::Accepted, Some(at("09:25")))
    );
    // An expired request is answered no more; a new one may be sent.
    assert_eq!(
        refused(&bo.ask(answer(waiting, MeetingAnswer::Accept, None)).await),
        ErrorCode::Conflict
    );
    made(&bo.ask(request(&ana.id, None)).await);
}

/// "Schedule all": organisers only; every accepted meeting placed or listed with a reason that
/// names the two; booked meetings stay unless asked; locked ones stay always.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schedule_all_places_accepted_meetings_and_says_why_not() {
    let server = meet_server().await;
    let mut org = server.organiser().await;
    ok(organiser_asks(
        &mut org,
        ClientMsg::SetMeetings {
            event: F.ev(),
            plan: Some(plan(1)),
        },
    )
    .await);
    let mut people = Vec::new();
    for name in ["Ana", "Bo", "Cy", "Di", "Ed"] {
        people.push(person(&server, name).await);
    }
    // Ed meets only in the afternoon: the plan has no afternoon slot.
    ok(people[4]
        .ask(ClientMsg::SetMeetingPreferences {
            event: F.ev(),
            booth: None,
            preferences: MeetingPreferences {
                busy: vec![],
                half: Some(HalfDay::Afternoon),
                online: false,
            },
        })
        .await);
    // Accepted without a time: Ana–Bo, Ana–Cy, Bo–Cy, Di–Ana, Ed–Di.
    let pairs = [(0, 1), (0, 2), (1, 2), (3, 0), (4, 3)];
    let mut ids = Vec::new();
    for (a, b) in pairs {
        let to = people[b].id.clone();
        let id = made(&people[a].ask(request(&to, None)).await);
        until_meeting(&mut people[b], id, |_| true).await;
        ok(people[b].ask(answer(id, MeetingAnswer::Accept, None)).await);
        ids.push(id);
    }
    let reply = organiser_asks(
        &mut org,
        ClientMsg::ScheduleMeetings {
            event: F.ev(),
            move_booked: false,
        },
    )
    .await;
    let ServerMsg::Ok {
        scheduled: Some(summary),
        ..
    } = reply
    else {
        panic!("no summary: {reply:?}")
    };
    assert_eq!(summary.accepted, 5);
    assert_eq!(summary.placed, 4, "{summary:?}");
    assert_eq!(summary.changed, 4);
    assert_eq!(summary.bound, 4, "no schedule places Ed's");
    assert_eq!(summary.unplaced.len(), 1);
    assert_eq!(summary.unplaced[0].meeting, ids[4]);
    assert_eq!(summary.unplaced[0].text, "Ed and Di share no free slot");
    // Everyone's inbox shows their booked meetings: one a slot each, one table a slot.
    let mut by_slot: BTreeMap<SlotAt, Vec<MeetingId>> = BTreeMap::new();
    for (i, id) in ids.iter().take(4).enumerate() {
        let (a, _) = pairs[i];
        let m = until_meeting(&mut people[a], *id, |m| m.slot.is_some()).await;
        by_slot
            .entry(m.slot.clone().unwrap())
            .or_default()
            .push(m.id);
    }
    for p in &mut people {
        let mine: Vec<SlotAt> = meetings(p).into_iter().filter_map(|m| m.slot).collect();
        let distinct: BTreeSet<_> = mine.iter().cloned().collect();
        assert_eq!(mine.len(), distinct.len(), "{} double-booked", p.id);
    }
    assert!(
        by_slot.values().all(|v| v.len() == 1),
        "one table: {by_slot:?}"
    );
    // Locked meetings stay when asked to move the booked ones; a second run changes nothing
    // else that was placed.
    let locked = ids[0];
    ok(organiser_asks(
        &mut org,
        ClientMsg::LockMeeting {
            event: F.ev(),
            meeting: locked,
            locked: true,
        },
    )
    .await);
    let before = until_meeting(&mut people[0], locked, |m| m.locked).await;
    let reply = organiser_asks(
        &mut org,
        ClientMsg::ScheduleMeetings {
            event: F.ev(),
            move_booked: true,
        },
    )
    .await;
    let ServerMsg::Ok {
        scheduled: Some(again),
        ..
    } = reply
    else {
        panic!("no summary: {reply:?}")
    };
    assert_eq!(again.placed, 4);
    let after = until_meeting(&mut people[0], locked, |m| m.sequence >= before.sequence).await;
    assert_eq!(after.slot, before.slot, "a locked meeting never moves");
}

/// 200 people on two instances sharing Redis: each of 100 asks another for a random slot, all
/// at once; then every one asked accepts at once. No person is booked twice in a slot, no slot
/// has more onsite meetings than tables, and every count is exact: each accept answered `ok`
/// is one booked meeting in both inboxes, each refused one is a `conflict` and stays requested.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_people_booking_at_once_across_instances_never_double_book() {
    let redis = RedisServer::start();
    let servers = redis_instances(&redis, 2, TestConfig::default()).await;
    create_small_event(&servers[0].http(), &servers[0].organiser_key, "MEET")
        .await
        .unwrap();
    let mut org = Ws::connect(&servers[0].ws_url(), &servers[0].organiser_key)
        .await
        .unwrap();
    ok(organiser_asks(
        &mut org,
        ClientMsg::SetMeetings {
            event: F.ev(),
            plan: Some(plan(3)),
        },
    )
    .await);
    let mut people = Vec::new();
    for i in 0..200 {
        people.push(person(&servers[i % 2], &format!("P{i}")).await);
    }
    // Requester i (0..100) asks person 100 + (i * 7) % 100 at slot (i * 3) % 7: many share a
    // person or a slot, so accepts compete for people and for the three tables. Every request
    // is sent first, then every answer read: all at once.
    let mut asked = Vec::new();
    let targets: Vec<String> = people[100..].iter().map(|p| p.id.clone()).collect();
    let mut request_ids = Vec::new();
    for (i, p) in people.iter_mut().take(100).enumerate() {
        let to = &targets[(i * 7) % 100];
        let slot = SLOTS[(i * 3) % 7];
        let rid = p.ws.request(&request(to, Some(slot))).await.unwrap();
        request_ids.push(rid);
    }
    let mut meeting_of = Vec::new();
    for (i, p) in people.iter_mut().take(100).enumerate() {
        let reply = answer_of(p, request_ids[i]).await;
        meeting_of.push(made(&reply));
        asked.push((i, 100 + (i * 7) % 100));
    }
    // Each one asked sees their requests, then accepts them all at once.
    let mut to_accept: BTreeMap<usize, Vec<MeetingId>> = BTreeMap::new();
    for (i, target) in &asked {
        to_accept.entry(*target).or_default().push(meeting_of[*i]);
    }
    for (target, list) in &to_accept {
        for id in list {
            until_meeting(&mut people[*target], *id, |_| true).await;
        }
    }
    let mut accepts = Vec::new();
    for (target, list) in &to_accept {
        for id in list {
            let rid = people[*target]
                .ws
                .request(&answer(*id, MeetingAnswer::Accept, None))
                .await
                .unwrap();
            accepts.push((*target, *id, rid));
        }
    }
    let mut accepted = BTreeSet::new();
    for (target, id, rid) in &accepts {
        let reply = answer_of(&mut people[*target], *rid).await;
        match &reply {
            ServerMsg::Ok { .. } => drop(accepted.insert(*id)),
            other => assert_eq!(refused(other), ErrorCode::Conflict, "{other:?}"),
        }
    }
    assert!(
        !accepted.is_empty() && accepted.len() < 100,
        "{}",
        accepted.len()
    );
    // Every inbox: what it holds agrees with the answers, and nobody is booked twice.
    let mut tables: BTreeMap<SlotAt, BTreeSet<(u32, MeetingId)>> = BTreeMap::new();
    for (i, target) in &asked {
        let id = meeting_of[*i];
        let want = if accepted.contains(&id) {
            MeetingStatus::Accepted
        } else {
            MeetingStatus::Requested
        };
        for who in [*i, *target] {
            // Refused accepts change nothing: their meeting is still at sequence 0.
            let m = until_meeting(&mut people[who], id, |m| {
                m.status == want && (want == MeetingStatus::Accepted || m.sequence == 0)
            })
            .await;
            if want == MeetingStatus::Accepted {
                let table = m.table.expect("everyone here is onsite");
                tables
                    .entry(m.slot.clone().expect("booked"))
                    .or_default()
                    .insert((table, id));
            }
        }
    }
    for p in &people {
        let booked: Vec<SlotAt> = meetings(p)
            .into_iter()
            .filter(|m| m.status == MeetingStatus::Accepted)
            .filter_map(|m| m.slot)
            .collect();
        let distinct: BTreeSet<_> = booked.iter().cloned().collect();
        assert_eq!(
            booked.len(),
            distinct.len(),
            "{} booked twice in a slot",
            p.id
        );
    }
    let booked: usize = tables.values().map(|s| s.len()).sum();
    assert_eq!(
        booked,
        accepted.len(),
        "every accepted meeting is booked once"
    );
    for (slot, used) in &tables {
        let numbers: BTreeSet<u32> = used.iter().map(|(t, _)| *t).collect();
        assert!(used.len() <= 3, "{slot:?}: {used:?}");
        assert_eq!(numbers.len(), used.len(), "{slot:?}: a table twice");
    }
}

/// [`person`], with their token (for the HTTP API).
async fn person_with_token(server: &TestServer, name: &str) -> (Member, String) {
    Member::in_inbox(server, "MEET", name).await
}

/// A calendar feed's events, read with a parser of its own: UID → (SEQUENCE, DTSTART,
/// SUMMARY, LOCATION).
fn feed_events(ics: &[u8]) -> BTreeMap<String, (u32, String, String, Option<String>)> {
    let mut parser = ical::IcalParser::new(std::io::BufReader::new(ics));
    let cal = parser
        .next()
        .expect("one calendar")
        .expect("the feed parses as iCalendar");
    assert!(parser.next().is_none(), "one calendar only");
    cal.events
        .into_iter()
        .map(|e| {
            let prop = |name: &str| {
                e.properties
                    .iter()
                    .find(|p| p.name == name)
                    .and_then(|p| p.value.clone())
            };
            let uid = prop("UID").expect("every event has a UID");
            (
                uid,
                (
                    prop("SEQUENCE").expect("a SEQUENCE").parse().unwrap(),
                    prop("DTSTART").expect("a DTSTART"),
                    prop("SUMMARY").expect("a SUMMARY"),
                    prop("LOCATION"),
                ),
            )
        })
        .collect()
}

/// The feed at `url` (absolute, on this server): status and body.
async fn fetch_feed(server: &TestServer, url: &str) -> (u16, Vec<u8>) {
    let path = url
        .strip_prefix(server.http().origin())
        .unwrap_or_else(|| panic!("{url} is not on this server"));
    let (status, kind, body) = server.http().get_bytes(path).await.unwrap();
    if status == 200 {
        assert!(kind.starts_with("text/calendar"), "{kind}");
    }
    (status, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_calendar_feed_updates_a_moved_meeting_in_place_and_its_address_can_be_replaced() {
    let server = meet_server().await;
    let mut org = server.organiser().await;
    ok(organiser_asks(
        &mut org,
        ClientMsg::SetMeetings {
            event: F.ev(),
            plan: Some(plan(2)),
        },
    )
    .await);
    let (mut ana, ana_token) = person_with_token(&server, "Ana").await;
    let (mut bo, bo_token) = person_with_token(&server, "Bo").await;
    // Ana stars session 2 (10:30–12:00 in Stockholm, 10 March 2026: UTC+1).
    ok(ana
        .ask(ClientMsg::Star {
            event: F.ev(),
            session: SessionId::parse("s2").unwrap(),
            starred: true,
        })
        .await);
    let id = made(&ana.ask(request(&bo.id, Some("09:25"))).await);
    until_meeting(&mut bo, id, |_| true).await;
    ok(bo.ask(answer(id, MeetingAnswer::Accept, None)).await);
    let booked = until_meeting(&mut ana, id, |m| m.status == MeetingStatus::Accepted).await;

    let http = server.http();
    let link = http
        .send("GET", "/api/events/MEET/calendar", Some(&ana_token), None)
        .await
        .unwrap();
    assert_eq!(link.status, 200, "{}", link.body);
    let url = link.body["url"].as_str().unwrap().to_owned();
    let (status, body) = fetch_feed(&server, &url).await;
    assert_eq!(status, 200);
    let events = feed_events(&body);
    let uid = format!("meeting-{id}.MEET@plenum");
    let (sequence, start, summary, location) = events[&uid].clone();
    assert_eq!(sequence, booked.sequence);
    assert_eq!(start, "20300312T082500Z", "UTC times");
    assert_eq!(summary, "Meeting: Bo (Bo AB)");
    let location = location.expect("an onsite meeting has its place");
    assert!(
        location.contains("Table 1") && location.contains("Hall C"),
        "{location}"
    );
    assert_eq!(events["session-s2.MEET@plenum"].1, "20300312T093000Z");
    assert_eq!(events.len(), 2, "{events:?}");

    // Moved: the same UID with a higher SEQUENCE and the new time, and nothing beside it.
    // (Not into her starred session: 11:05 is in it.)
    assert_eq!(
        refused(
            &ana.ask(answer(id, MeetingAnswer::Propose, Some("11:05")))
                .await
        ),
        ErrorCode::Conflict
    );
    ok(ana
        .ask(answer(id, MeetingAnswer::Propose, Some("09:50")))
        .await);
    until_meeting(&mut bo, id, |m| m.proposed.is_some()).await;
    ok(bo.ask(answer(id, MeetingAnswer::Accept, None)).await);
    until_meeting(&mut ana, id, |m| m.slot == Some(at("09:50"))).await;
    let moved = feed_events(&fetch_feed(&server, &url).await.1);
    assert_eq!(moved.len(), 2, "{moved:?}");
    assert!(moved[&uid].0 > sequence, "SEQUENCE rises on a move");
    assert_eq!(moved[&uid].1, "20300312T085000Z");

    // Bo's feed has the meeting, not Ana's star; the other one's address is not Bo's.
    let bo_link = http
        .send("GET", "/api/events/MEET/calendar", Some(&bo_token), None)
        .await
        .unwrap();
    let bo_url = bo_link.body["url"].as_str().unwrap().to_owned();
    assert_ne!(bo_url, url);
    let bos = feed_events(&fetch_feed(&server, &bo_url).await.1);
    assert_eq!(bos.keys().collect::<Vec<_>>(), vec![&uid]);
    assert_eq!(bos[&uid].2, "Meeting: Ana (Ana AB)");
    // A wrong secret, or Ana's secret under Bo's id: no such feed.
    let forged =
        bo_url.rsplit_once('/').unwrap().0.to_owned() + "/" + url.rsplit_once('/').unwrap().1;
    assert_eq!(fetch_feed(&server, &forged).await.0, 404);

    // Cancelled: it leaves the feed.
    ok(bo
        .ask(ClientMsg::CancelMeeting {
            event: F.ev(),
            meeting: id,
        })
        .await);
    until_meeting(&mut ana, id, |m| m.status == MeetingStatus::Cancelled).await;
    let after = feed_events(&fetch_feed(&server, &url).await.1);
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        vec!["session-s2.MEET@plenum"]
    );

    // A new address: the old one stops working.
    let renewed = http
        .send("POST", "/api/events/MEET/calendar", Some(&ana_token), None)
        .await
        .unwrap();
    assert_eq!(renewed.status, 200, "{}", renewed.body);
    let new_url = renewed.body["url"].as_str().unwrap().to_owned();
    assert_ne!(new_url, url);
    assert_eq!(fetch_feed(&server, &url).await.0, 404);
    assert_eq!(fetch_feed(&server, &new_url).await.0, 200);
    // Without a token there is no address to get.
    let anonymous = http
        .send("GET", "/api/events/MEET/calendar", None, None)
        .await
        .unwrap();
    assert_eq!(anonymous.status, 401);
}

fn card(kind: plenum_protocol::CardKind, title: &str, tags: &[&str]) -> plenum_protocol::MatchCard {
    plenum_protocol::MatchCard {
        kind,
        title: title.into(),
        text: None,
        tags: tags.iter().map(|t| t.to_string()).collect(),
    }
}

fn set_profile(
    listed: bool,
    sectors: &[&str],
    cards: Vec<plenum_protocol::MatchCard>,
) -> ClientMsg {
    ClientMsg::SetMatchProfile {
        event: F.ev(),
        profile: plenum_protocol::MatchProfile {
            listed,
            role: Some("Cluster manager".into()),
            sectors: sectors.iter().map(|s| s.to_string()).collect(),
            cards,
        },
    }
}

fn find(query: &str, after: Option<String>) -> ClientMsg {
    ClientMsg::FindPeople {
        event: F.ev(),
        query: query.into(),
        tags: vec![],
        country: None,
        sector: None,
        free_now_at: None,
        after,
    }
}

fn page(reply: &ServerMsg) -> plenum_protocol::Found {
    match reply {
        ServerMsg::Ok {
            people: Some(p), ..
        } => p.clone(),
        other => panic!("no page: {other:?}"),
    }
}

/// Listed profiles are found (a page at a time, by a cursor), unlisted ones never; only
/// registered people, people listed themselves and organisers find them, unless the plan opens
/// them; recommendations say why.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listed_profiles_are_found_by_those_allowed_and_recommended_with_reasons() {
    use plenum_protocol::CardKind::{Offer, Request};
    let server = meet_server().await;
    let mut org = server.organiser().await;
    let mut p = plan(2);
    p.profiles.sectors = vec!["Energy".into(), "Health".into()];
    p.profiles.tags = vec!["hydrogen".into(), "skills".into(), "AI".into()];
    let set_plan = |p: MeetingPlan| ClientMsg::SetMeetings {
        event: F.ev(),
        plan: Some(p),
    };
    ok(organiser_asks(&mut org, set_plan(p.clone())).await);
    let mut ana = person(&server, "Ana").await;
    let mut bo = person(&server, "Bo").await;
    let mut cy = person(&server, "Cy").await;
    let mut di = person(&server, "Di").await;
    // Cy has no listed profile and is not registered: she finds nobody.
    assert_eq!(refused(&cy.ask(find("", None)).await), ErrorCode::Forbidden);
    // Values outside the event's lists, or too many cards: refused, naming the field.
    let reply = ana.ask(set_profile(true, &["Mining"], vec![])).await;
    assert_eq!(refused(&reply), ErrorCode::BadRequest);
    assert!(
        matches!(&reply, ServerMsg::Error { field: Some(f), .. } if f == "profile.sectors[0]"),
        "{reply:?}"
    );
    let reply = ana
        .ask(set_profile(
            true,
            &[],
            vec![card(Offer, "Test bed", &["quantum"])],
        ))
        .await;
    assert!(
        matches!(&reply, ServerMsg::Error { field: Some(f), .. } if f == "profile.cards[0].tags[0]"),
        "{reply:?}"
    );
    let many = (0..11)
        .map(|i| card(Offer, &format!("Card {i}"), &[]))
        .collect();
    assert_eq!(
        refused(&ana.ask(set_profile(true, &[], many)).await),
        ErrorCode::TooLarge
    );

    // Ana offers a hydrogen test bed (tag sent in another case: kept in the list's spelling).
    ok(ana
        .ask(set_profile(
            true,
            &["energy"],
            vec![
                card(Offer, "Electrolyser test bed", &["HYDROGEN"]),
                card(Request, "Horizon partners", &["skills"]),
            ],
        ))
        .await);
    ok(bo
        .ask(set_profile(
            true,
            &["Energy"],
            vec![card(Request, "Test beds for electrolysers", &["hydrogen"])],
        ))
        .await);
    ok(di
        .ask(set_profile(
            false,
            &[],
            vec![card(Offer, "Skills academy", &["skills"])],
        ))
        .await);
    let found = page(&ana.ask(find("", None)).await);
    let names: Vec<_> = found
        .people
        .iter()
        .map(|l| l.name.clone().unwrap())
        .collect();
    assert_eq!(names, ["Bo"], "unlisted Di and Ana herself are not found");
    assert_eq!(found.people[0].sectors, ["Energy"]);
    assert_eq!(found.people[0].organisation.as_deref(), Some("Bo AB"));
    // By card text, by tag, by sector.
    assert_eq!(
        page(&ana.ask(find("electrolysers", None)).await)
            .people
            .len(),
        1
    );
    assert!(
        page(&ana.ask(find("academy", None)).await)
            .people
            .is_empty(),
        "Di is unlisted"
    );
    let by_tag = ClientMsg::FindPeople {
        event: F.ev(),
        query: String::new(),
        tags: vec!["Hydrogen".into()],
        country: None,
        sector: Some("energy".into()),
        free_now_at: None,
        after: None,
    };
    assert_eq!(
        page(&bo.ask(by_tag).await)
            .people
            .iter()
            .map(|l| l.id.as_str())
            .collect::<Vec<_>>(),
        [ana.id.as_str()]
    );
    // A query too long.
    assert_eq!(
        refused(&ana.ask(find(&"x".repeat(101), None)).await),
        ErrorCode::TooLarge
    );

    // Recommended, with the reason in words.
    let reply = ana.ask(ClientMsg::Recommend { event: F.ev() }).await;
    let ServerMsg::Ok {
        recommended: Some(list),
        ..
    } = reply
    else {
        panic!("no recommendations: {reply:?}")
    };
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].person.id.as_str(), bo.id);
    assert_eq!(
        list[0].reasons[0],
        "Their request “Test beds for electrolysers” matches your offer “Electrolyser test bed”: hydrogen"
    );
    assert!(
        list[0].reasons.iter().any(|r| r.contains("sector Energy")),
        "{:?}",
        list[0].reasons
    );

    // Pages: 35 more listed people come in pages of 30, by a cursor, none twice.
    for i in 0..35 {
        let mut x = person(&server, &format!("Z{i:02}")).await;
        ok(x.ask(set_profile(true, &[], vec![])).await);
    }
    let first = page(&ana.ask(find("", None)).await);
    assert_eq!(first.people.len(), 30);
    let second = page(&ana.ask(find("", first.next.clone())).await);
    assert_eq!(second.people.len(), 6, "Bo and 35 more");
    assert!(second.next.is_none());
    let mut all: Vec<_> = first
        .people
        .iter()
        .chain(&second.people)
        .map(|l| l.id.clone())
        .collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 36);

    // Organisers find them; an open plan lets Cy find them too.
    let reply = organiser_asks(&mut org, find("Bo", None)).await;
    assert_eq!(page(&reply).people.len(), 1);
    p.profiles.open = true;
    ok(organiser_asks(&mut org, set_plan(p)).await);
    assert_eq!(page(&cy.ask(find("Bo", None)).await).people.len(), 1);
}

/// The demo's afternoon of meetings: six listed profiles, three accepted meetings, all
/// booked, and a request waiting.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_has_profiles_requests_and_a_schedule() {
    let server = TestServer::start_with(TestConfig {
        demo: true,
        ..TestConfig::default()
    })
    .await;
    let mut org = server.organiser().await;
    let ecc = plenum_protocol::EventCode::parse("ECC2026").unwrap();
    let reply = organiser_asks(
        &mut org,
        ClientMsg::FindPeople {
            event: ecc.clone(),
            query: String::new(),
            tags: vec![],
            country: None,
            sector: None,
            free_now_at: None,
            after: None,
        },
    )
    .await;
    let found = page(&reply);
    assert_eq!(found.people.len(), 6, "{found:?}");
    assert!(found.people.iter().all(|l| !l.cards.is_empty()));
    let reply = organiser_asks(
        &mut org,
        ClientMsg::ScheduleMeetings {
            event: ecc,
            move_booked: false,
        },
    )
    .await;
    let ServerMsg::Ok {
        scheduled: Some(s), ..
    } = reply
    else {
        panic!("{reply:?}")
    };
    assert_eq!(
        (s.accepted, s.placed, s.changed, s.bound),
        (3, 3, 0, 3),
        "{s:?}"
    );
}

/// An event whose day 1 is today, in a zone where it is about noon now, with a meeting block
/// from ten minutes ago for an hour, in slots of 20 minutes: the first slot runs now (10
/// minutes in), the second starts in 10 minutes. Returns the code and the two slots.
async fn event_today(server: &TestServer, code: &str) -> (SlotAt, SlotAt) {
    use chrono::{Duration, Timelike, Utc};
    let now = Utc::now();
    // Etc/GMT-N is N hours ahead of UTC: pick N so that it is about noon there.
    let ahead = 12 - now.hour() as i64;
    let zone = match ahead {
        0 => "Etc/GMT".to_owned(),
        a if a > 0 => format!("Etc/GMT-{a}"),
        a => format!("Etc/GMT+{}", -a),
    };
    let local = now + Duration::hours(ahead) - Duration::minutes(10);
    let start = format!("{:02}:{:02}", local.hour(), local.minute());
    let later = local + Duration::minutes(20);
    let second = format!("{:02}:{:02}", later.hour(), later.minute());
    let end = local + Duration::minutes(60);
    let body = serde_json::json!({
        "code": code,
        "title": "Meetings today",
        "time_zone": zone,
        "languages": ["en"],
        "agenda": {
            "days": [{"number": 1, "date": local.format("%Y-%m-%d").to_string()}],
            "sessions": [{"id": "s1", "title": "Session 1", "kind": "plenary", "day": 1, "start": "00:10", "end": "00:50"}]
        }
    });
    let made = server
        .http()
        .send(
            "POST",
            "/api/events",
            Some(&server.organiser_key),
            Some(&body),
        )
        .await
        .unwrap();
    assert_eq!(made.status, 201, "{}", made.body);
    let mut org = server.organiser().await;
    let plan = MeetingPlan {
        blocks: vec![MeetingBlock {
            day: 1,
            start: start.clone(),
            end: format!("{:02}:{:02}", end.hour(), end.minute()),
            slot_minutes: 20,
            change_minutes: 0,
        }],
        ..plan(2)
    };
    ok(organiser_asks(
        &mut org,
        ClientMsg::SetMeetings {
            event: plenum_protocol::EventCode::parse(code).unwrap(),
            plan: Some(plan),
        },
    )
    .await);
    (
        SlotAt { day: 1, start },
        SlotAt {
            day: 1,
            start: second,
        },
    )
}

/// On the day: "I'm here", a no-show, someone open now to meet instead, "did it take
/// place?"; then the organisers' counts, the unplaced with their reason, and the export.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_day_itself_is_counted_for_the_organisers_and_exported() {
    let server = TestServer::start().await;
    let (now_slot, next_slot) = event_today(&server, "DAYOF").await;
    let ev = plenum_protocol::EventCode::parse("DAYOF").unwrap();
    let mut ana = Member::in_inbox(&server, "DAYOF", "Ana").await.0;
    let mut bo = Member::in_inbox(&server, "DAYOF", "=HYPERLINK(\"x\")")
        .await
        .0;
    let mut cy = Member::in_inbox(&server, "DAYOF", "Cy").await.0;
    let mut di = Member::in_inbox(&server, "DAYOF", "Di").await.0;
    let ask = |to: &str, slot: Option<&SlotAt>| ClientMsg::RequestMeeting {
        event: ev.clone(),
        to: Some(PersonId::parse(to).unwrap()),
        booth: None,
        message: None,
        slot: slot.cloned(),
    };
    let accept = |meeting| ClientMsg::AnswerMeeting {
        event: ev.clone(),
        meeting,
        answer: MeetingAnswer::Accept,
        slot: None,
    };
    // Ana and Bo now; Ana and Cy next.
    let now_id = made(&ana.ask(ask(&bo.id, Some(&now_slot))).await);
    until_meeting(&mut bo, now_id, |_| true).await;
    ok(bo.ask(accept(now_id)).await);
    let next_id = made(&ana.ask(ask(&cy.id, Some(&next_slot))).await);
    until_meeting(&mut cy, next_id, |_| true).await;
    ok(cy.ask(accept(next_id)).await);
    // Reminded: the next meeting starts within 10 minutes, the one under way is not.
    let sweep = Command::to::<Meetings>(MeetingsCommand::Sweep { at_ms: None });
    server
        .engine()
        .submit(&RoomId::Event(ev.clone()), sweep)
        .await
        .unwrap();
    for m in [&mut ana, &mut cy] {
        until_inbox(m, "a reminder", |i| !i.reminders.is_empty()).await;
        let Some(RoomState::Inbox(i)) = &m.view.state else {
            unreachable!()
        };
        assert_eq!(
            i.reminders.iter().map(|r| r.meeting).collect::<Vec<_>>(),
            [next_id]
        );
    }
    assert!(matches!(&bo.view.state, Some(RoomState::Inbox(i)) if i.reminders.is_empty()));
    let here = |meeting| ClientMsg::MeetingHere {
        event: ev.clone(),
        meeting,
    };
    let no_show = |meeting| ClientMsg::MeetingNoShow {
        event: ev.clone(),
        meeting,
    };
    // Only its two; a no-show only once you are here yourself.
    assert_eq!(refused(&di.ask(here(now_id)).await), ErrorCode::NotFound);
    assert_eq!(
        refused(&ana.ask(no_show(now_id)).await),
        ErrorCode::Conflict
    );
    ok(ana.ask(here(now_id)).await);
    ok(ana.ask(no_show(now_id)).await);
    let marked = until_meeting(&mut bo, now_id, |m| m.no_show.is_some()).await;
    assert_eq!(
        marked.no_show.as_ref().map(|p| p.as_str()),
        Some(bo.id.as_str())
    );
    assert_eq!(marked.here.len(), 1);
    // The next meeting: "I'm here" opens 15 minutes before; no no-show, no "held" yet.
    ok(cy.ask(here(next_id)).await);
    assert_eq!(
        refused(&ana.ask(no_show(next_id)).await),
        ErrorCode::Conflict
    );
    let held = |meeting, held| ClientMsg::MeetingHeld {
        event: ev.clone(),
        meeting,
        held,
    };
    assert_eq!(
        refused(&cy.ask(held(next_id, true)).await),
        ErrorCode::Conflict
    );

    // Someone to meet instead: Di is open now, listed, and free now; Bo is open but booked.
    let listed = ClientMsg::SetMatchProfile {
        event: ev.clone(),
        profile: plenum_protocol::MatchProfile {
            listed: true,
            ..Default::default()
        },
    };
    for m in [&mut di, &mut bo, &mut ana] {
        ok(m.ask(listed.clone()).await);
    }
    for m in [&mut di, &mut bo] {
        ok(m.ask(ClientMsg::OpenNow {
            event: ev.clone(),
            open: true,
        })
        .await);
    }
    // Di's inbox hears until when (every device of hers shows it).
    until_inbox(&mut di, "open_now_changed", |i| i.open_until_ms.is_some()).await;
    let until = open_until(&di).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    assert!(
        (now + 25 * 60_000..=now + 31 * 60_000).contains(&until),
        "{until} at {now}"
    );
    let reply = ana
        .ask(ClientMsg::FindPeople {
            event: ev.clone(),
            query: String::new(),
            tags: vec![],
            country: None,
            sector: None,
            free_now_at: Some(now_slot.clone()),
            after: None,
        })
        .await;
    let found = page(&reply);
    assert_eq!(
        found
            .people
            .iter()
            .map(|l| l.id.as_str())
            .collect::<Vec<_>>(),
        [di.id.as_str()],
        "Di only: Bo is booked then"
    );
    assert!(found.people[0].open_now);

    // Afterwards: Ana says it took place (the no-show still counts it missed); an accepted
    // meeting of Cy and Di that they cannot share: Di keeps every slot free.
    ok(ana.ask(held(now_id, true)).await);
    let busy = ClientMsg::SetMeetingPreferences {
        event: ev.clone(),
        booth: None,
        preferences: MeetingPreferences {
            busy: vec![now_slot.clone(), next_slot.clone(), {
                let m = chrono::NaiveTime::parse_from_str(&next_slot.start, "%H:%M").unwrap()
                    + chrono::Duration::minutes(20);
                SlotAt {
                    day: 1,
                    start: m.format("%H:%M").to_string(),
                }
            }],
            half: None,
            online: false,
        },
    };
    ok(di.ask(busy).await);
    let cd = made(&cy.ask(ask(&di.id, None)).await);
    until_meeting(&mut di, cd, |_| true).await;
    ok(di.ask(accept(cd)).await);

    let http = server.http();
    let key = Some(server.organiser_key.as_str());
    let overview = http
        .send("GET", "/api/events/DAYOF/meetings", key, None)
        .await
        .unwrap();
    assert_eq!(overview.status, 200, "{}", overview.body);
    let report: plenum_protocol::MeetingsReport = serde_json::from_value(overview.body).unwrap();
    assert_eq!((report.requests.sent, report.requests.accepted), (3, 3));
    assert_eq!(
        (
            report.meetings.scheduled,
            report.meetings.unscheduled,
            report.meetings.held,
            report.meetings.missed
        ),
        (2, 1, 0, 1)
    );
    assert_eq!(report.unplaced.len(), 1);
    assert_eq!(report.unplaced[0].meeting, cd);
    assert_eq!(report.unplaced[0].text, "Cy and Di share no free slot");
    let anas = report
        .people
        .iter()
        .find(|p| p.person.id.as_str() == ana.id)
        .unwrap();
    assert_eq!((anas.sent, anas.received, anas.scheduled), (2, 0, 2));

    // The export: every meeting, times in the event's zone, the CSV formula-safe.
    let (status, kind, body) = http
        .get_bytes_as("/api/events/DAYOF/meetings.csv", key)
        .await
        .unwrap();
    assert_eq!(status, 200);
    assert!(kind.starts_with("text/csv"), "{kind}");
    let text = String::from_utf8(body).unwrap();
    let text = text.strip_prefix('\u{feff}').expect("a byte order mark");
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 3);
    let first = &records[0];
    assert_eq!(&first[0], now_id.to_string());
    assert_eq!(
        &first[4], "'=HYPERLINK(\"x\")",
        "a formula is written as text"
    );
    assert!(
        first[6].ends_with(&format!("{}:00{}", now_slot.start, &first[6][19..])),
        "{}",
        &first[6]
    );
    assert_eq!(&first[12], "no");
    let json = http
        .send("GET", "/api/events/DAYOF/meetings.json", key, None)
        .await
        .unwrap();
    let rows: Vec<plenum_protocol::MeetingRow> = serde_json::from_value(json.body).unwrap();
    assert_eq!(rows.len(), 3);
    assert!(
        rows[0]
            .starts
            .as_deref()
            .unwrap()
            .contains(&format!("T{}:00", now_slot.start))
    );
    assert_eq!(rows[2].starts, None, "not booked");
    // "Schedule all", even moving booked meetings, moves none that has begun.
    let mut org = server.organiser().await;
    let reply = organiser_asks(
        &mut org,
        ClientMsg::ScheduleMeetings {
            event: ev.clone(),
            move_booked: true,
        },
    )
    .await;
    assert!(
        matches!(
            reply,
            ServerMsg::Ok {
                scheduled: Some(_),
                ..
            }
        ),
        "{reply:?}"
    );
    let json = http
        .send("GET", "/api/events/DAYOF/meetings.json", key, None)
        .await
        .unwrap();
    let after: Vec<plenum_protocol::MeetingRow> = serde_json::from_value(json.body).unwrap();
    assert_eq!(
        after[0].starts, rows[0].starts,
        "the meeting under way stays"
    );
    // Attendees read neither.
    let token = http.join("DAYOF", Some("Eve")).await.unwrap();
    for path in [
        "/api/events/DAYOF/meetings",
        "/api/events/DAYOF/meetings.json",
    ] {
        let r = http.send("GET", path, Some(&token), None).await.unwrap();
        assert_eq!(r.status, 403, "{path}");
    }
}

/// A meeting booked online stays its people's slot when they turn onsite and no table is left
/// there: "Schedule all" puts none of their other meetings in it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schedule_all_never_double_books_around_a_meeting_it_cannot_keep() {
    let server = meet_server().await;
    let mut org = server.organiser().await;
    ok(organiser_asks(
        &mut org,
        ClientMsg::SetMeetings {
            event: F.ev(),
            plan: Some(plan(1)),
        },
    )
    .await);
    let mut p = Vec::new();
    for name in ["A", "B", "C", "D", "E"] {
        p.push(person(&server, name).await);
    }
    let prefs = |busy: Vec<&str>, online| ClientMsg::SetMeetingPreferences {
        event: F.ev(),
        booth: None,
        preferences: MeetingPreferences {
            busy: busy.into_iter().map(at).collect(),
            half: None,
            online,
        },
    };
    // C meets online: C and D are booked at 09:00 with no table; A and B take the one table.
    ok(p[2].ask(prefs(vec![], true)).await);
    let mut ids = Vec::new();
    for (from, to) in [(0, 1), (2, 3)] {
        let to_id = p[to].id.clone();
        let id = made(&p[from].ask(request(&to_id, Some("09:00"))).await);
        until_meeting(&mut p[to], id, |_| true).await;
        ok(p[to].ask(answer(id, MeetingAnswer::Accept, None)).await);
        ids.push(id);
    }
    let (ab, cd) = (ids[0], ids[1]);
    let cd_booked = until_meeting(&mut p[2], cd, |m| m.slot.is_some()).await;
    assert_eq!(cd_booked.table, None, "online");
    let ab_booked = until_meeting(&mut p[0], ab, |m| m.slot.is_some()).await;
    assert_eq!(ab_booked.table, Some(1));
    // C is onsite now; D and E can meet only at 09:00.
    ok(p[2].ask(prefs(vec![], false)).await);
    let others: Vec<&str> = SLOTS[1..].to_vec();
    ok(p[3].ask(prefs(others.clone(), false)).await);
    ok(p[4].ask(prefs(others, true)).await);
    let e_id = p[4].id.clone();
    let de = made(&p[3].ask(request(&e_id, None)).await);
    until_meeting(&mut p[4], de, |_| true).await;
    ok(p[4].ask(answer(de, MeetingAnswer::Accept, None)).await);
    let reply = organiser_asks(
        &mut org,
        ClientMsg::ScheduleMeetings {
            event: F.ev(),
            move_booked: false,
        },
    )
    .await;
    let ServerMsg::Ok {
        scheduled: Some(s), ..
    } = reply
    else {
        panic!("{reply:?}")
    };
    // D–E is not put at 09:00, where D meets C; C–D stays, counted as placed.
    assert_eq!(s.unplaced.len(), 1, "{s:?}");
    assert_eq!(s.unplaced[0].meeting, de);
    assert_eq!(s.unplaced[0].text, "D and E share no free slot");
    assert_eq!(s.placed, 2);
    let d = until_meeting(&mut p[3], cd, |_| true).await;
    assert_eq!(d.slot, Some(at("09:00")), "C–D stays where it was");
    assert!(
        meetings(&p[3])
            .iter()
            .filter(|m| m.status == MeetingStatus::Accepted && m.slot == Some(at("09:00")))
            .count()
            == 1
    );
}

/// Only a participant (someone the event keeps, with their name) publishes a matchmaking
/// profile: a newcomer who has not said who they are is refused, and saves an empty profile
/// first; then they are found by their name and can be asked. Deleting one's data never makes
/// a participant; a nameless person publishes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newcomer_saves_who_they_are_before_publishing_and_is_then_found_by_name() {
    let server = meet_server().await;
    let mut org = server.organiser().await;
    ok(organiser_asks(
        &mut org,
        ClientMsg::SetMeetings {
            event: F.ev(),
            plan: Some(plan(2)),
        },
    )
    .await);
    let ana = person(&server, "Ana").await;
    // Bo joined with his name and nothing else.
    let (mut bo, bo_id, token) = newcomer(&server, Some("Bo Berg")).await;
    let reply = bo.ask(set_profile(true, &[], vec![])).await;
    assert_eq!(refused(&reply), ErrorCode::Conflict, "{reply:?}");
    // Nothing was kept: Ana (listed) does not find him.
    let mut ana = ana;
    ok(ana.ask(set_profile(true, &[], vec![])).await);
    assert!(page(&ana.ask(find("Berg", None)).await).people.is_empty());
    // An empty profile makes him a participant; then his listed profile is found by name.
    ok(bo
        .ask(ClientMsg::SetProfile {
            event: F.ev(),
            profile: plenum_protocol::Profile::default(),
        })
        .await);
    ok(bo.ask(set_profile(true, &[], vec![])).await);
    let found = page(&ana.ask(find("Berg", None)).await).people;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].name.as_deref(), Some("Bo Berg"));
    let reply = ana.ask(request(&bo_id, None)).await;
    made(&reply);
    // Open now, then his data deleted: his inbox no longer says he is open.
    ok(bo
        .ask(ClientMsg::OpenNow {
            event: F.ev(),
            open: true,
        })
        .await);
    until_inbox(&mut bo, "open_now_changed", |i| i.open_until_ms.is_some()).await;
    assert!(open_until(&bo).is_some());
    let gone = server
        .http()
        .send("DELETE", "/api/events/MEET/my-data", Some(&token), None)
        .await
        .unwrap();
    assert_eq!(gone.status, 200, "{}", gone.body);
    until_inbox(&mut bo, "open_now_changed, ended", |i| {
        i.open_until_ms.is_none()
    })
    .await;

    // Cy joins with her name only and keeps a contact card; deleting her data does not make a
    // participant of her (nobody can ask her), and unlisting needs no profile.
    let (mut cy, cy_id, token) = newcomer(&server, Some("Cy")).await;
    ok(cy
        .ask(ClientMsg::SetContactCard {
            event: F.ev(),
            card: plenum_protocol::ContactCard {
                email: Some("cy@example.org".into()),
                phone: None,
            },
        })
        .await);
    // Without a record she may take a profile down, and keep nothing else.
    assert_eq!(
        refused(&cy.ask(set_profile(false, &[], vec![])).await),
        ErrorCode::Conflict
    );
    ok(cy
        .ask(ClientMsg::SetMatchProfile {
            event: F.ev(),
            profile: Default::default(),
        })
        .await);
    let gone = server
        .http()
        .send("DELETE", "/api/events/MEET/my-data", Some(&token), None)
        .await
        .unwrap();
    assert_eq!(gone.status, 200, "{}", gone.body);
    assert_eq!(
        refused(&ana.ask(request(&cy_id, None)).await),
        ErrorCode::NotFound
    );
    // Someone who joined without a name publishes nothing.
    let (mut anon, _, _) = newcomer(&server, None).await;
    assert_eq!(
        refused(&anon.ask(set_profile(true, &[], vec![])).await),
        ErrorCode::Forbidden
    );
}
