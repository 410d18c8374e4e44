//! Contact details by consent: nothing is shared before both agree, each sees only what the
//! other chose, a changed card reaches only those it is shared with, and a withdrawal takes it
//! back from every screen (a fresh snapshot too).

use plenum_protocol::{
    ClientMsg, Contact, ContactCard, ContactStatus, ErrorCode, PersonId, RoomId, RoomState,
    ServerMsg, Sharing,
};
use plenum_tests::*;

const F: Fixture = Fixture("CONTACT");

fn inbox(id: &str) -> RoomId {
    RoomId::Inbox(F.ev(), PersonId::parse(id).unwrap())
}

/// A named person the event knows, following their inbox.
async fn person(server: &TestServer, name: &str) -> Member {
    Member::in_inbox(server, "CONTACT", name).await.0
}

async fn person_with_token(server: &TestServer, name: &str) -> (Member, String) {
    Member::in_inbox(server, "CONTACT", name).await
}

fn contacts(m: &Member) -> Vec<Contact> {
    match &m.view.state {
        Some(RoomState::Inbox(i)) => i.contacts.clone(),
        other => panic!("not an inbox: {other:?}"),
    }
}

/// Folds `m`'s inbox until `ok` holds of their contacts.
async fn until(m: &mut Member, ok: impl Fn(&[Contact]) -> bool) -> Vec<Contact> {
    tokio::time::timeout(WAIT, async {
        loop {
            let now = contacts(m);
            if ok(&now) {
                return now;
            }
            let msg = m.ws.recv().await.expect("the connection stays");
            m.view.take(&msg).expect("in order, without gaps");
        }
    })
    .await
    .unwrap_or_else(|_| panic!("the contacts never got there: {:?}", contacts(m)))
}

fn set_card(email: Option<&str>, phone: Option<&str>) -> ClientMsg {
    ClientMsg::SetContactCard {
        event: F.ev(),
        card: ContactCard {
            email: email.map(Into::into),
            phone: phone.map(Into::into),
        },
    }
}

fn share(with: &str, email: bool, phone: bool, note: Option<&str>) -> ClientMsg {
    ClientMsg::ShareContact {
        event: F.ev(),
        with: PersonId::parse(with).unwrap(),
        share: Sharing {
            email,
            phone,
            note: note.map(Into::into),
        },
        why: Some("We met at the hydrogen table".into()),
    }
}

/// Everything `m`'s inbox holds, as JSON: to look for a detail anywhere in it.
fn everything(m: &Member) -> String {
    serde_json::to_string(&m.view.state).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn details_pass_only_by_consent_and_leave_every_screen_when_withdrawn() {
    let server = F.server(TestConfig::default()).await;
    let mut ana = person(&server, "Ana").await;
    let (mut bo, bo_token) = person_with_token(&server, "Bo").await;
    let mut cy = person(&server, "Cy").await;
    ok(ana
        .ask(set_card(Some("ana@porto.example"), Some("+351 22 000")))
        .await);
    ok(bo.ask(set_card(None, Some("+46 70 111"))).await);

    // Ana offers her email and a note: Bo sees the offer, and nothing of her card.
    ok(ana
        .ask(share(&bo.id, true, false, Some("Call me after lunch")))
        .await);
    let offered = until(&mut bo, |c| !c.is_empty()).await;
    assert_eq!(offered[0].status, ContactStatus::Offered);
    assert_eq!(offered[0].with.name.as_deref(), Some("Ana"));
    assert_eq!(offered[0].with.organisation.as_deref(), Some("Ana AB"));
    assert_eq!(
        offered[0].why.as_deref(),
        Some("We met at the hydrogen table")
    );
    assert_eq!(offered[0].theirs, None);
    assert!(
        !everything(&bo).contains("ana@porto.example"),
        "{}",
        everything(&bo)
    );
    assert!(!everything(&bo).contains("Call me after lunch"));
    let asked = until(&mut ana, |c| !c.is_empty()).await;
    assert_eq!(asked[0].status, ContactStatus::Asked);

    // Bo shares his phone: both agreed, each sees what the other chose, nothing more.
    ok(bo.ask(share(&ana.id, false, true, None)).await);
    let bos = until(&mut bo, |c| c[0].status == ContactStatus::Agreed).await;
    let theirs = bos[0].theirs.clone().unwrap();
    assert_eq!(theirs.email.as_deref(), Some("ana@porto.example"));
    assert_eq!(theirs.note.as_deref(), Some("Call me after lunch"));
    assert_eq!(theirs.phone, None, "Ana did not share her phone");
    assert!(!everything(&bo).contains("+351"));
    let anas = until(&mut ana, |c| c[0].status == ContactStatus::Agreed).await;
    assert_eq!(
        anas[0].theirs.as_ref().unwrap().phone.as_deref(),
        Some("+46 70 111")
    );
    assert!(anas[0].agreed_ms.is_some());
    // Cy's inbox heard nothing.
    ok(cy.ask(set_card(Some("cy@example.org"), None)).await);
    assert!(contacts(&cy).is_empty());

    // Ana's new email reaches Bo (with whom she shares it).
    ok(ana
        .ask(set_card(Some("ana@valley.example"), Some("+351 22 000")))
        .await);
    until(&mut bo, |c| {
        c[0].theirs.as_ref().and_then(|t| t.email.as_deref()) == Some("ana@valley.example")
    })
    .await;

    // Bo withdraws: the contact leaves both inboxes, and a fresh snapshot holds no trace.
    ok(bo
        .ask(ClientMsg::EndContact {
            event: F.ev(),
            with: PersonId::parse(&ana.id).unwrap(),
        })
        .await);
    until(&mut bo, |c| c.is_empty()).await;
    until(&mut ana, |c| c.is_empty()).await;
    let mut phone = Ws::connect(&server.ws_url(), &bo_token).await.unwrap();
    let mut again = Mirror::new(inbox(&bo.id));
    phone.join(&inbox(&bo.id), None, &mut again).await.unwrap();
    let snapshot = serde_json::to_string(&again.state).unwrap();
    assert!(!snapshot.contains("ana@"), "{snapshot}");
    assert!(!snapshot.contains("Call me after lunch"));
    // Nor does a later change of Ana's card reach Bo.
    ok(ana.ask(set_card(Some("ana@third.example"), None)).await);
    ok(bo.ask(set_card(None, Some("+46 70 222"))).await);
    assert!(!everything(&bo).contains("ana@third.example"));
    assert!(contacts(&bo).is_empty());
    // Ending what is ended: no such contact.
    assert_eq!(
        refused(
            &bo.ask(ClientMsg::EndContact {
                event: F.ev(),
                with: PersonId::parse(&ana.id).unwrap(),
            })
            .await
        ),
        ErrorCode::NotFound
    );
    // A new offer starts over: asked again, nothing shared until answered.
    ok(ana.ask(share(&bo.id, true, false, None)).await);
    let fresh = until(&mut bo, |c| !c.is_empty()).await;
    assert_eq!(
        (fresh[0].status, fresh[0].theirs.clone()),
        (ContactStatus::Offered, None)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_contact_requests_are_refused_and_change_nothing() {
    let server = F.server(TestConfig::default()).await;
    let mut ana = person(&server, "Ana").await;
    let bo = person(&server, "Bo").await;
    // A card that is not one.
    for bad in [
        set_card(Some("not an email"), None),
        set_card(None, Some("call me")),
        set_card(None, Some("=HYPERLINK(1)")),
    ] {
        assert_eq!(refused(&ana.ask(bad).await), ErrorCode::BadRequest);
    }
    assert_eq!(
        refused(&ana.ask(set_card(None, Some(&"1".repeat(33)))).await),
        ErrorCode::TooLarge
    );
    // Sharing an email the card does not have; oneself; someone unknown; a long note.
    let reply = ana.ask(share(&bo.id, true, false, None)).await;
    assert_eq!(refused(&reply), ErrorCode::BadRequest);
    assert!(
        matches!(&reply, ServerMsg::Error { field: Some(f), .. } if f == "share.email"),
        "{reply:?}"
    );
    let me = ana.id.clone();
    assert_eq!(
        refused(&ana.ask(share(&me, false, false, None)).await),
        ErrorCode::BadRequest
    );
    assert_eq!(
        refused(&ana.ask(share("nobody-here", false, false, None)).await),
        ErrorCode::NotFound
    );
    assert_eq!(
        refused(
            &ana.ask(share(&bo.id, false, false, Some(&"x".repeat(301))))
                .await
        ),
        ErrorCode::TooLarge
    );
    // Anonymous people exchange nothing.
    let token = server.http().join("CONTACT", None).await.unwrap();
    let mut anon = Ws::connect(&server.ws_url(), &token).await.unwrap();
    let rid = anon
        .request(&share(&bo.id, false, false, None))
        .await
        .unwrap();
    assert_eq!(
        refused(&anon.reply(rid).await.unwrap()),
        ErrorCode::Forbidden
    );
    // Nothing changed.
    assert!(contacts(&ana).is_empty());
    assert!(matches!(&ana.view.state, Some(RoomState::Inbox(i)) if i.contact_card.is_none()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blocked_person_asks_nothing_more_and_reports_reach_the_organisers_only() {
    let server = F.server(TestConfig::default()).await;
    let mut org = server.organiser().await;
    let set_plan = ClientMsg::SetMeetings {
        event: F.ev(),
        plan: Some(plenum_protocol::MeetingPlan {
            blocks: vec![plenum_protocol::MeetingBlock {
                day: 1,
                start: "09:00".into(),
                end: "10:00".into(),
                slot_minutes: 20,
                change_minutes: 0,
            }],
            tables: vec![],
            video: None,
            expiry_hours: 48,
            max_open_requests: 20,
            keep_starred_free: true,
            profiles: Default::default(),
        }),
    };
    let rid = org.request(&set_plan).await.unwrap();
    ok(org.reply(rid).await.unwrap());
    let (mut ana, ana_token) = person_with_token(&server, "Ana").await;
    let mut bo = person(&server, "Bo").await;
    ok(ana.ask(set_card(Some("ana@porto.example"), None)).await);
    ok(bo.ask(share(&ana.id, false, false, Some("Hi"))).await);
    ok(ana.ask(share(&bo.id, true, false, None)).await);
    until(&mut bo, |c| {
        c.first().is_some_and(|c| c.status == ContactStatus::Agreed)
    })
    .await;

    // A meeting they agreed on before.
    let met = ClientMsg::RequestMeeting {
        event: F.ev(),
        to: Some(PersonId::parse(&ana.id).unwrap()),
        booth: None,
        message: None,
        slot: None,
    };
    let met = match bo.ask(met).await {
        ServerMsg::Ok {
            meeting: Some(id), ..
        } => id,
        other => panic!("{other:?}"),
    };
    ok(ana
        .ask(ClientMsg::AnswerMeeting {
            event: F.ev(),
            meeting: met,
            answer: plenum_protocol::MeetingAnswer::Accept,
            slot: None,
        })
        .await);
    // Ana blocks Bo: their contact ends, and Bo can no longer ask her anything.
    let bo_person = PersonId::parse(&bo.id).unwrap();
    let block = |blocked| ClientMsg::BlockSomeone {
        event: F.ev(),
        person: bo_person.clone(),
        blocked,
    };
    ok(ana.ask(block(true)).await);
    until(&mut bo, |c| c.is_empty()).await;
    until(&mut ana, |c| c.is_empty()).await;
    assert!(matches!(&ana.view.state, Some(RoomState::Inbox(i)) if i.blocked.len() == 1));
    let to_ana = |id: &str| ClientMsg::RequestMeeting {
        event: F.ev(),
        to: Some(PersonId::parse(id).unwrap()),
        booth: None,
        message: None,
        slot: None,
    };
    let ana_id = ana.id.clone();
    assert_eq!(
        refused(&bo.ask(to_ana(&ana_id)).await),
        ErrorCode::Forbidden
    );
    assert_eq!(
        refused(&bo.ask(share(&ana_id, false, false, None)).await),
        ErrorCode::Forbidden
    );
    // Nor proposes her a time for the meeting they had agreed on.
    let propose = ClientMsg::AnswerMeeting {
        event: F.ev(),
        meeting: met,
        answer: plenum_protocol::MeetingAnswer::Propose,
        slot: Some(plenum_protocol::SlotAt {
            day: 1,
            start: "09:20".into(),
        }),
    };
    assert_eq!(
        refused(&bo.ask(propose.clone()).await),
        ErrorCode::Forbidden
    );
    // Nor does Ana ask him while she blocks him.
    let bo_id = bo.id.clone();
    assert_eq!(refused(&ana.ask(to_ana(&bo_id)).await), ErrorCode::Conflict);
    // Unblocked: he may propose again (and ask, once the meeting they have is over).
    ok(ana.ask(block(false)).await);
    ok(bo.ask(propose).await);

    // Ana reports Bo: the organisers read it; Ana (or Bo) cannot.
    ok(ana
        .ask(ClientMsg::ReportSomeone {
            event: F.ev(),
            person: PersonId::parse(&bo.id).unwrap(),
            reason: "Kept asking after I declined.".into(),
        })
        .await);
    assert_eq!(
        refused(
            &ana.ask(ClientMsg::ReportSomeone {
                event: F.ev(),
                person: PersonId::parse(&bo.id).unwrap(),
                reason: "x".repeat(1001),
            })
            .await
        ),
        ErrorCode::TooLarge
    );
    let http = server.http();
    let list = http
        .send(
            "GET",
            "/api/events/CONTACT/reports",
            Some(&server.organiser_key),
            None,
        )
        .await
        .unwrap();
    assert_eq!(list.status, 200, "{}", list.body);
    let reports: Vec<plenum_protocol::PersonReport> = serde_json::from_value(list.body).unwrap();
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].by.name.as_deref(), Some("Ana"));
    assert_eq!(reports[0].about.id.as_str(), bo.id);
    assert_eq!(reports[0].reason, "Kept asking after I declined.");
    let theirs = http
        .send("GET", "/api/events/CONTACT/reports", Some(&ana_token), None)
        .await
        .unwrap();
    assert_eq!(theirs.status, 403);
}

/// Everything the event keeps of a person, downloaded; their profile deleted: what they shared
/// leaves the other's inbox, their meetings stay.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_downloads_their_data_and_deletes_their_profile() {
    let server = F.server(TestConfig::default()).await;
    let mut org = server.organiser().await;
    let rid = org
        .request(&ClientMsg::SetMeetings {
            event: F.ev(),
            plan: Some(plenum_protocol::MeetingPlan {
                blocks: vec![plenum_protocol::MeetingBlock {
                    day: 1,
                    start: "09:00".into(),
                    end: "10:00".into(),
                    slot_minutes: 20,
                    change_minutes: 0,
                }],
                tables: vec![],
                video: None,
                expiry_hours: 48,
                max_open_requests: 20,
                keep_starred_free: true,
                profiles: Default::default(),
            }),
        })
        .await
        .unwrap();
    ok(org.reply(rid).await.unwrap());
    let (mut ana, ana_token) = person_with_token(&server, "Ana").await;
    let mut bo = person(&server, "Bo").await;
    ok(ana.ask(set_card(Some("ana@porto.example"), None)).await);
    ok(bo
        .ask(set_card(Some("bo@malmo.example"), Some("+46 70 1")))
        .await);
    ok(ana
        .ask(ClientMsg::SetMatchProfile {
            event: F.ev(),
            profile: plenum_protocol::MatchProfile {
                listed: true,
                role: Some("Cluster manager".into()),
                ..Default::default()
            },
        })
        .await);
    ok(ana.ask(share(&bo.id, true, false, None)).await);
    ok(bo.ask(share(&ana.id, true, false, None)).await);
    until(&mut ana, |c| {
        c.first().is_some_and(|c| c.status == ContactStatus::Agreed)
    })
    .await;
    ok(bo
        .ask(ClientMsg::RequestMeeting {
            event: F.ev(),
            to: Some(PersonId::parse(&ana.id).unwrap()),
            booth: None,
            message: Some("Coffee?".into()),
            slot: None,
        })
        .await);

    let http = server.http();
    let mine = http
        .send("GET", "/api/events/CONTACT/my-data", Some(&ana_token), None)
        .await
        .unwrap();
    assert_eq!(mine.status, 200, "{}", mine.body);
    let data: plenum_protocol::MyData = serde_json::from_value(mine.body.clone()).unwrap();
    assert_eq!(data.person.as_str(), ana.id);
    assert_eq!(data.profile.organisation.as_deref(), Some("Ana AB"));
    assert_eq!(
        data.contact_card.unwrap().email.as_deref(),
        Some("ana@porto.example")
    );
    assert_eq!(
        data.match_profile.unwrap().role.as_deref(),
        Some("Cluster manager")
    );
    assert_eq!(data.meetings.len(), 1);
    assert_eq!(data.contacts.len(), 1);
    // Bo's email is there, as he shared it; his phone, which he did not, is nowhere.
    assert_eq!(
        data.contacts[0].theirs.as_ref().unwrap().email.as_deref(),
        Some("bo@malmo.example")
    );
    assert!(!mine.body.to_string().contains("+46 70 1"));

    // Deleted: her card, profiles and contacts go; Bo's inbox loses her email; the meeting stays.
    let gone = http
        .send(
            "DELETE",
            "/api/events/CONTACT/my-data",
            Some(&ana_token),
            None,
        )
        .await
        .unwrap();
    assert_eq!(gone.status, 200, "{}", gone.body);
    let left: plenum_protocol::MyData = serde_json::from_value(gone.body).unwrap();
    assert_eq!(left.profile, plenum_protocol::Profile::default());
    assert!(left.contact_card.is_none() && left.match_profile.is_none());
    assert!(left.contacts.is_empty());
    assert_eq!(left.meetings.len(), 1, "the meeting is Bo's too");
    until(&mut bo, |c| c.is_empty()).await;
    assert!(!everything(&bo).contains("ana@porto.example"));
    // The meeting Bo has with her no longer shows her organisation; her name stays.
    tokio::time::timeout(WAIT, async {
        loop {
            if let Some(RoomState::Inbox(i)) = &bo.view.state
                && i.meetings.iter().any(|m| {
                    m.to.id.as_str() == ana.id
                        && m.to.organisation.is_none()
                        && m.to.name.as_deref() == Some("Ana")
                })
            {
                break;
            }
            let msg = bo.ws.recv().await.expect("the connection stays");
            bo.view.take(&msg).expect("in order");
        }
    })
    .await
    .expect("her organisation leaves the meeting");
    assert!(!everything(&bo).contains("Ana AB"), "{}", everything(&bo));
    // Nobody finds her listed profile any more, organisers included.
    let rid = org
        .request(&ClientMsg::FindPeople {
            event: F.ev(),
            query: String::new(),
            tags: vec![],
            country: None,
            sector: None,
            free_now_at: None,
            after: None,
        })
        .await
        .unwrap();
    let found = org.reply(rid).await.unwrap();
    assert!(
        matches!(&found, ServerMsg::Ok { people: Some(p), .. } if p.people.is_empty()),
        "{found:?}"
    );
    // Without a token: nothing.
    let anonymous = http
        .send("GET", "/api/events/CONTACT/my-data", None, None)
        .await
        .unwrap();
    assert_eq!(anonymous.status, 401);
}

/// A contact file as its owner downloads it.
async fn contact_file(server: &TestServer, token: &str, ext: &str) -> String {
    let (status, _, bytes) = server
        .http()
        .get_bytes_as(&format!("/api/events/CONTACT/contacts.{ext}"), Some(token))
        .await
        .unwrap();
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
    String::from_utf8(bytes).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contact_files_hold_only_agreed_contacts_and_only_what_each_shares() {
    let server = F.server(TestConfig::default()).await;
    let (mut ana, ana_token) = person_with_token(&server, "Ana").await;
    let mut bo = person(&server, "Bo").await;
    let mut cy = person(&server, "Cy").await;
    ok(ana
        .ask(set_card(Some("ana@porto.example"), Some("+351 22 000")))
        .await);
    ok(bo
        .ask(set_card(Some("bo@lund.example"), Some("+46 70 111")))
        .await);
    ok(cy.ask(set_card(Some("cy@oslo.example"), None)).await);
    // Bo and Ana agree: Bo shares his phone and a note that looks like a formula, not his email.
    ok(ana.ask(share(&bo.id, true, false, None)).await);
    ok(bo
        .ask(share(
            &ana.id,
            false,
            true,
            Some("=HYPERLINK(\"x\"), call; after 5"),
        ))
        .await);
    until(&mut ana, |c| {
        c.iter().any(|c| c.status == ContactStatus::Agreed)
    })
    .await;
    // Cy only offers: nothing of Cy's is Ana's yet.
    ok(cy.ask(share(&ana.id, true, false, None)).await);
    until(&mut ana, |c| c.len() == 2).await;

    let csv_text = contact_file(&server, &ana_token, "csv").await;
    assert!(csv_text.starts_with('\u{feff}'), "a byte order mark");
    let mut reader = csv::Reader::from_reader(csv_text.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1, "{csv_text}");
    let row = &rows[0];
    assert_eq!(&row[0], "Bo");
    assert_eq!(&row[1], "Bo AB");
    assert_eq!(&row[2], "", "Bo did not share his email");
    assert_eq!(&row[3], "'+46 70 111", "formula-safe");
    assert_eq!(&row[4], "'=HYPERLINK(\"x\"), call; after 5", "formula-safe");
    assert_eq!(&row[5], "We met at the hydrogen table");
    assert!(
        row[6].contains('T') && row[6].ends_with(":00"),
        "ISO 8601: {}",
        &row[6]
    );
    assert!(!csv_text.contains("cy@oslo") && !csv_text.contains("bo@lund"));

    // The vCard file, read back by another parser.
    let vcf = contact_file(&server, &ana_token, "vcf").await;
    let cards: Vec<_> = ical::VcardParser::new(std::io::BufReader::new(vcf.as_bytes()))
        .map(|c| c.expect("a readable vCard"))
        .collect();
    assert_eq!(cards.len(), 1, "{vcf}");
    let value = |name: &str| {
        cards[0]
            .properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
    };
    assert_eq!(value("VERSION").as_deref(), Some("4.0"));
    assert_eq!(value("FN").as_deref(), Some("Bo"));
    assert_eq!(value("ORG").as_deref(), Some("Bo AB"));
    assert_eq!(value("TEL").as_deref(), Some("tel:+4670111"));
    let tel = cards[0]
        .properties
        .iter()
        .find(|p| p.name == "TEL")
        .unwrap();
    assert!(
        tel.params
            .iter()
            .flatten()
            .any(|(k, v)| k == "VALUE" && v.iter().any(|v| v == "uri")),
        "{tel:?}"
    );
    assert_eq!(value("EMAIL"), None);
    assert_eq!(
        value("NOTE").as_deref(),
        Some("=HYPERLINK(\"x\")\\, call\\; after 5"),
        "escaped as RFC 6350 says"
    );
    assert_eq!(value("UID"), Some(format!("urn:plenum:CONTACT:{}", bo.id)));

    // Bo withdraws: his details are in no file made after.
    ok(bo
        .ask(ClientMsg::EndContact {
            event: F.ev(),
            with: PersonId::parse(&ana.id).unwrap(),
        })
        .await);
    until(&mut ana, |c| c.len() == 1).await;
    let csv_after = contact_file(&server, &ana_token, "csv").await;
    assert!(
        !csv_after.contains("+46") && !csv_after.contains("Bo AB"),
        "{csv_after}"
    );
    assert!(
        !contact_file(&server, &ana_token, "vcf")
            .await
            .contains("BEGIN:VCARD")
    );
    // Nobody else's: without a token, nothing.
    let a = server
        .http()
        .send("GET", "/api/events/CONTACT/contacts.csv", None, None)
        .await
        .unwrap();
    assert_eq!(a.status, 401);
}
