//! World cafés: a session's tables and rounds. Everyone taking part gets exactly one seat a
//! round, in their own inbox, with who sits there; rotation meets new people; a reconnect
//! finds the same seat; a round ends by its timer; attendees run nothing.

use plenum_protocol::{
    ClientMsg, ErrorCode, RoomEvent, RoomId, RoomState, Seat, SeatingMode, ServerMsg, SessionId,
    TableMode, TableSpec, TablesSetup,
};
use plenum_tests::*;
use serde_json::json;
use std::collections::{BTreeSet, HashMap};

const F: Fixture = Fixture("CAFE");

fn cafe() -> SessionId {
    SessionId::parse("s2").unwrap()
}

fn cafe_room() -> RoomId {
    RoomId::Session(F.ev(), cafe())
}

fn inbox_of(id: &str) -> RoomId {
    RoomId::parse(&format!("inbox:CAFE:{id}")).unwrap()
}

fn setup(tables: u32, capacity: u32) -> TablesSetup {
    TablesSetup {
        tables: (1..=tables)
            .map(|n| TableSpec {
                number: n,
                topic: format!("Topic {n}"),
                language: Some("en".into()),
                capacity,
                mode: TableMode::Online,
                place: None,
                host: None,
            })
            .collect(),
        video: Some("https://meet.example.org/CAFE-{session}-{table}".into()),
        ..TablesSetup::default()
    }
}

/// Someone at the café: their connection and their inbox.
struct Guest {
    name: String,
    token: String,
    id: String,
    ws: Ws,
    inbox: Mirror,
}

impl Guest {
    async fn join(server: &TestServer, name: &str, organisation: &str) -> Guest {
        let a = server
            .http()
            .send(
                "POST",
                "/api/events/CAFE/join",
                None,
                Some(&json!({"name": name, "profile": {"organisation": organisation, "languages": ["en"]}})),
            )
            .await
            .unwrap();
        assert_eq!(a.status, 200, "{}", a.body);
        let token = a.body["token"].as_str().unwrap().to_owned();
        Guest::connect(server, name, token).await
    }

    async fn connect(server: &TestServer, name: &str, token: String) -> Guest {
        let mut ws = Ws::connect(&server.ws_url(), &token).await.unwrap();
        let id = match &ws.welcome {
            Some(ServerMsg::Welcome { person, .. }) => person.id.clone(),
            other => panic!("not welcomed: {other:?}"),
        };
        let mut inbox = Mirror::new(inbox_of(&id));
        ws.join(&inbox_of(&id), None, &mut inbox).await.unwrap();
        Guest {
            name: name.to_owned(),
            token,
            id,
            ws,
            inbox,
        }
    }

    /// Says they take part at the café's tables (and checks the server agreed).
    async fn take_part(&mut self) {
        let reply = self
            .request(ClientMsg::TakePart {
                event: F.ev(),
                session: cafe(),
                here: true,
            })
            .await;
        ok(&reply);
    }

    async fn request(&mut self, msg: ClientMsg) -> ServerMsg {
        let id = self.ws.request(&msg).await.unwrap();
        loop {
            let reply = self.ws.recv().await.expect("an answer");
            self.inbox.take(&reply).expect("in order");
            match &reply {
                ServerMsg::Ok { id: i, .. } | ServerMsg::Error { id: Some(i), .. } if *i == id => {
                    return reply;
                }
                _ => {}
            }
        }
    }

    fn seat(&self) -> Option<Seat> {
        match &self.inbox.state {
            Some(RoomState::Inbox(i)) => i.seats.iter().find(|s| s.session == cafe()).cloned(),
            other => panic!("not an inbox: {other:?}"),
        }
    }

    /// Waits for their seat in round `round`.
    async fn seat_in(&mut self, round: u32) -> Seat {
        self.seat_where(round, |_| true).await
    }

    /// Waits for their seat in round `round` to be one `ok` accepts.
    async fn seat_where(&mut self, round: u32, ok: impl Fn(&Seat) -> bool) -> Seat {
        tokio::time::timeout(WAIT, async {
            loop {
                if let Some(seat) = self.seat().filter(|s| s.round == round && ok(s)) {
                    return seat;
                }
                let msg = self.ws.recv().await.expect("the connection stays");
                self.inbox.take(&msg).expect("in order");
            }
        })
        .await
        .unwrap_or_else(|_| panic!("no seat in round {round}: {:?}", self.seat()))
    }
}

fn ok(reply: &ServerMsg) {
    assert!(matches!(reply, ServerMsg::Ok { .. }), "{reply:?}");
}

fn start(seconds: u32, seating: SeatingMode) -> ClientMsg {
    ClientMsg::StartRound {
        event: F.ev(),
        session: cafe(),
        seconds,
        seating,
        assignments: Vec::new(),
    }
}

/// Folds the organiser's traffic until round `number` ends (at most 40 seconds; rounds here are
/// quiet for longer than a `recv` waits): when it ended, by the server's clock.
async fn round_ended(organiser: &mut Member, number: u32) -> i64 {
    tokio::time::timeout(std::time::Duration::from_secs(40), async {
        loop {
            let m = organiser
                .ws
                .next_event(std::time::Duration::from_secs(40))
                .await
                .expect("a message")
                .expect("the connection stays");
            organiser.view.take(&m).expect("in order");
            if let ServerMsg::Event {
                event: RoomEvent::RoundEnded { number: n },
                at_ms,
                ..
            } = &m
                && *n == number
            {
                return *at_ms;
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("round {number} did not end"))
}

/// Pairs seated together, from everyone's seats.
fn pairs(seats: &HashMap<String, u32>) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (a, ta) in seats {
        for (b, tb) in seats {
            if a < b && ta == tb {
                out.insert((a.clone(), b.clone()));
            }
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_world_cafe_seats_everyone_once_a_round_rotating_and_ends_on_time() {
    let server = F.server(TestConfig::default()).await;
    let organiser = Ws::connect(&server.ws_url(), &server.organiser_key)
        .await
        .unwrap();
    let mut organiser = Member::following(organiser, &cafe_room()).await;

    // Tables only where a session holds them: not in a plenary.
    let plenary = organiser
        .ask(ClientMsg::SetTables {
            event: F.ev(),
            session: F.s1(),
            setup: Some(setup(3, 3)),
        })
        .await;
    assert_eq!(refused(&plenary), ErrorCode::BadRequest);
    ok(&organiser
        .ask(ClientMsg::SetTables {
            event: F.ev(),
            session: cafe(),
            setup: Some(setup(3, 3)),
        })
        .await);
    organiser
        .until_session(|s| s.tables.as_ref().is_some_and(|t| t.tables.len() == 3))
        .await;

    // Nine people of nine organisations take part.
    let mut guests = Vec::new();
    for i in 0..9 {
        let mut g = Guest::join(&server, &format!("Guest {i}"), &format!("Org {i}")).await;
        g.take_part().await;
        guests.push(g);
    }
    // An attendee runs nothing.
    for msg in [
        start(60, SeatingMode::Random),
        ClientMsg::SetTables {
            event: F.ev(),
            session: cafe(),
            setup: None,
        },
        ClientMsg::MessageTables {
            event: F.ev(),
            session: cafe(),
            text: "Hello".into(),
        },
        ClientMsg::MoveToTable {
            event: F.ev(),
            session: cafe(),
            person: guests[1].id.clone(),
            table: Some(1),
        },
        close(1, true),
    ] {
        assert_eq!(refused(&guests[0].request(msg).await), ErrorCode::Forbidden);
    }

    // Three rounds of rotation at three tables of three: nobody meets anyone twice.
    let mut met: BTreeSet<(String, String)> = BTreeSet::new();
    for round in 1..=3 {
        ok(&organiser.ask(start(600, SeatingMode::Rotation)).await);
        let mut seats = HashMap::new();
        for g in &mut guests {
            let seat = g.seat_in(round).await;
            let table = seat.table.expect("everyone is seated");
            assert_eq!(seat.members.len(), 3, "{seat:?}");
            assert!(
                seat.members
                    .iter()
                    .any(|m| m.name.as_deref() == Some(g.name.as_str())),
                "they see themselves at their table"
            );
            assert_eq!(
                seat.video.as_deref(),
                Some(format!("https://meet.example.org/CAFE-s2-{table}").as_str())
            );
            seats.insert(g.id.clone(), table);
        }
        let now = pairs(&seats);
        assert_eq!(now.len(), 9, "three tables of three: nine pairs");
        assert!(
            now.is_disjoint(&met),
            "round {round} repeats {:?}",
            now.intersection(&met).collect::<Vec<_>>()
        );
        met.extend(now);
        // The tables' counts reach the session, coalesced.
        organiser
            .until_session(|s| {
                s.tables.as_ref().is_some_and(|t| {
                    t.round.as_ref().is_some_and(|r| r.number == round)
                        && t.tables.iter().all(|t| t.seated == 3)
                })
            })
            .await;
        if round == 2 {
            // A reconnect mid-round finds the same seat.
            let before = guests[4].seat().unwrap();
            let token = guests[4].token.clone();
            let again = Guest::connect(&server, "Guest 4", token).await;
            assert_eq!(again.seat(), Some(before));
        }
        if round < 3 {
            ok(&organiser
                .ask(ClientMsg::EndRound {
                    event: F.ev(),
                    session: cafe(),
                })
                .await);
            organiser
                .until_session(|s| {
                    s.tables.as_ref().is_some_and(|t| {
                        t.round.is_none() && t.tables.iter().all(|t| t.seated == 0)
                    })
                })
                .await;
        }
    }

    // Help is asked at one's own table only.
    let mine = guests[0].seat().unwrap().table.unwrap();
    let other = if mine == 1 { 2 } else { 1 };
    let help = |table| ClientMsg::TableHelp {
        event: F.ev(),
        session: cafe(),
        table,
        help: true,
    };
    assert_eq!(
        refused(&guests[0].request(help(other)).await),
        ErrorCode::Forbidden
    );
    ok(&guests[0].request(help(mine)).await);
    organiser
        .until_session(|s| {
            s.tables
                .as_ref()
                .is_some_and(|t| t.table(mine).is_some_and(|t| t.help))
        })
        .await;

    // A short round ends by itself at its end time.
    ok(&organiser
        .ask(ClientMsg::EndRound {
            event: F.ev(),
            session: cafe(),
        })
        .await);
    ok(&organiser.ask(start(10, SeatingMode::Random)).await);
    let round = organiser.session().tables.unwrap().round.unwrap();
    assert_eq!(round.ends_ms - round.started_ms, 10_000);
    assert_eq!(
        round.warn_ms,
        round.ends_ms - 5_000,
        "half of a 10-second round"
    );
    let ended = round_ended(&mut organiser, 4).await;
    assert!(
        ended >= round.ends_ms,
        "ended at {ended}, before its end time"
    );

    // Removed and set up again, the tables number their rounds on (seats in inboxes name them),
    // and nobody takes part until they say so again.
    for setup in [None, Some(setup(3, 3))] {
        ok(&organiser
            .ask(ClientMsg::SetTables {
                event: F.ev(),
                session: cafe(),
                setup,
            })
            .await);
    }
    ok(&organiser.ask(start(60, SeatingMode::Random)).await);
    let round = organiser.session().tables.unwrap().round.unwrap();
    assert_eq!(round.number, 5);
    guests[0].take_part().await;
    assert!(guests[0].seat_in(5).await.table.is_some());
    organiser
        .until_session(|s| {
            s.tables
                .as_ref()
                .is_some_and(|t| t.tables.iter().map(|t| t.seated).sum::<u32>() == 1)
        })
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_table_set_or_round_is_refused_naming_the_field_and_changes_nothing() {
    let server = F.server(TestConfig::default()).await;
    let organiser = Ws::connect(&server.ws_url(), &server.organiser_key)
        .await
        .unwrap();
    let mut organiser = Member::following(organiser, &cafe_room()).await;
    let set = |setup| ClientMsg::SetTables {
        event: F.ev(),
        session: cafe(),
        setup: Some(setup),
    };
    let mut twice = setup(3, 4);
    twice.tables[2].number = 1;
    let mut tiny = setup(3, 4);
    tiny.tables[1].capacity = 1;
    let mut spoken = setup(3, 4);
    spoken.tables[0].language = Some("English".into());
    let mut plain = setup(3, 4);
    plain.video = Some("http://meet.example.org/{table}".into());
    let mut hosts = setup(3, 4);
    hosts.tables[0].host = Some("ann".into());
    hosts.tables[2].host = Some("ann".into());
    for (bad, field) in [
        (twice, "setup.tables[2].number"),
        (tiny, "setup.tables[1].capacity"),
        (spoken, "setup.tables[0].language"),
        (plain, "setup.video"),
        (hosts, "setup.tables[2].host"),
    ] {
        match organiser.ask(set(bad)).await {
            ServerMsg::Error { code, field: f, .. } => {
                assert_eq!(code, ErrorCode::BadRequest);
                assert_eq!(f.as_deref(), Some(field));
            }
            other => panic!("refused, not {other:?}"),
        }
    }
    // No round without tables.
    assert_eq!(
        refused(&organiser.ask(start(60, SeatingMode::Random)).await),
        ErrorCode::Conflict
    );
    // Large sets go over HTTP (a client frame holds 16 KiB).
    let http = server.http();
    let put = |setup: TablesSetup| {
        let http = http.clone();
        let key = server.organiser_key.clone();
        async move {
            http.send(
                "PUT",
                "/api/events/CAFE/sessions/s2/tables",
                Some(&key),
                Some(&serde_json::to_value(setup).unwrap()),
            )
            .await
            .unwrap()
        }
    };
    let many = put(setup(201, 4)).await;
    assert_eq!(
        (many.status, many.body["code"].as_str()),
        (413, Some("too_large"))
    );
    let mut wordy = setup(200, 4);
    for t in &mut wordy.tables {
        t.topic = "ö".repeat(120);
    }
    let wordy = put(wordy).await;
    assert_eq!(wordy.status, 413, "{}", wordy.body);
    assert!(organiser.session().tables.is_none(), "nothing changed");
    // The ECC's 104 tables fit, and an attendee may not set them.
    let token = http.join("CAFE", Some("Eva")).await.unwrap();
    let by_attendee = http
        .send(
            "PUT",
            "/api/events/CAFE/sessions/s2/tables",
            Some(&token),
            Some(&serde_json::to_value(setup(104, 10)).unwrap()),
        )
        .await
        .unwrap();
    assert_eq!(by_attendee.status, 403, "{}", by_attendee.body);
    let ecc = put(setup(104, 10)).await;
    assert_eq!(ecc.status, 200, "{}", ecc.body);
    organiser
        .until_session(|s| s.tables.as_ref().is_some_and(|t| t.tables.len() == 104))
        .await;
    // None shorter than 10 seconds.
    ok(&organiser.ask(set(setup(2, 4))).await);
    assert_eq!(
        refused(&organiser.ask(start(9, SeatingMode::Random)).await),
        ErrorCode::BadRequest
    );
    // Self-selected seats hold their capacity: a full table refuses.
    ok(&organiser.ask(start(60, SeatingMode::SelfSelect)).await);
    let choose = |table| ClientMsg::ChooseTable {
        event: F.ev(),
        session: cafe(),
        table,
    };
    let mut people = Vec::new();
    for i in 0..5 {
        let mut g = Guest::join(&server, &format!("Guest {i}"), "Org").await;
        let reply = g.request(choose(1)).await;
        if i < 4 {
            ok(&reply);
            assert_eq!(g.seat_in(1).await.table, Some(1));
        } else {
            assert_eq!(refused(&reply), ErrorCode::Conflict, "table 1 is full");
            ok(&g.request(choose(2)).await);
            assert_eq!(g.seat_in(1).await.table, Some(2));
        }
        people.push(g);
    }
    assert_eq!(
        refused(&people[0].request(choose(7)).await),
        ErrorCode::NotFound
    );
    // The tables cannot change while a round runs.
    assert_eq!(
        refused(&organiser.ask(set(setup(4, 4))).await),
        ErrorCode::Conflict
    );
}

/// On two instances sharing Redis: people on both are seated by one round; the instance half of
/// them use stops mid-round, they come back on the other to the same seats, and the round
/// still ends there at its end time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn across_instances_seats_outlive_an_instance_and_the_round_ends_on_time() {
    let redis = RedisServer::start();
    let mut servers = redis_instances(&redis, 2, TestConfig::default()).await;
    create_small_event(&servers[0].http(), &servers[0].organiser_key, "CAFE")
        .await
        .unwrap();
    // The organiser starts the round on the instance that will stop; the other must end it.
    let organiser = Ws::connect(&servers[0].ws_url(), &servers[0].organiser_key)
        .await
        .unwrap();
    let mut organiser = Member::following(organiser, &cafe_room()).await;
    let observer = Ws::connect(&servers[1].ws_url(), &servers[1].organiser_key)
        .await
        .unwrap();
    let mut observer = Member::following(observer, &cafe_room()).await;
    ok(&organiser
        .ask(ClientMsg::SetTables {
            event: F.ev(),
            session: cafe(),
            setup: Some(setup(3, 3)),
        })
        .await);
    let mut guests = Vec::new();
    for i in 0..6 {
        let mut g = Guest::join(&servers[i % 2], &format!("Guest {i}"), &format!("Org {i}")).await;
        g.take_part().await;
        guests.push(g);
    }
    ok(&organiser.ask(start(12, SeatingMode::Rotation)).await);
    let round = organiser
        .session()
        .tables
        .and_then(|t| t.round)
        .expect("the round runs");
    let mut seats = Vec::new();
    for g in &mut guests {
        let seat = g.seat_in(1).await;
        assert!(seat.table.is_some(), "{seat:?}");
        seats.push(seat);
    }
    // The first instance goes; its people come back on the second, to the same seats.
    servers[0].stop().await;
    for (i, g) in guests.iter().enumerate().filter(|(i, _)| i % 2 == 0) {
        let again = Guest::connect(&servers[1], &g.name, g.token.clone()).await;
        assert_eq!(again.seat().as_ref(), Some(&seats[i]), "{} moved", g.name);
    }
    drop(organiser);
    let ended = round_ended(&mut observer, 1).await;
    assert!(
        ended >= round.ends_ms,
        "ended at {ended}, before its end time"
    );
}

/// A host's seat is kept for them: guests fill the rest, and a host who comes late sits at
/// their table. A host is never assigned elsewhere. An extended round ends at its new end,
/// not at the first.
/// The organiser, following the café, with `tables` tables of `capacity` seats, the first
/// hosted by Hanna.
async fn hosted_cafe(server: &TestServer, tables: u32, capacity: u32) -> (Member, Guest) {
    let organiser = Ws::connect(&server.ws_url(), &server.organiser_key)
        .await
        .unwrap();
    let mut organiser = Member::following(organiser, &cafe_room()).await;
    let host = Guest::join(server, "Hanna Host", "Region").await;
    let mut set = setup(tables, capacity);
    set.tables[0].host = Some(host.id.clone());
    ok(&organiser
        .ask(ClientMsg::SetTables {
            event: F.ev(),
            session: cafe(),
            setup: Some(set),
        })
        .await);
    (organiser, host)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_late_host_keeps_their_seat_and_an_extended_round_ends_at_its_new_end() {
    let server = F.server(TestConfig::default()).await;
    let (mut organiser, mut host) = hosted_cafe(&server, 2, 3).await;
    let mut guests = Vec::new();
    for i in 0..6 {
        let mut g = Guest::join(&server, &format!("Guest {i}"), &format!("Org {i}")).await;
        g.take_part().await;
        guests.push(g);
    }
    let assigned = organiser
        .ask(ClientMsg::StartRound {
            event: F.ev(),
            session: cafe(),
            seconds: 60,
            seating: SeatingMode::Assigned,
            assignments: vec![plenum_protocol::Assignment {
                person: host.id.clone(),
                table: 2,
            }],
        })
        .await;
    match assigned {
        ServerMsg::Error { code, field, .. } => {
            assert_eq!(code, ErrorCode::BadRequest);
            assert_eq!(field.as_deref(), Some("assignments[0].person"));
        }
        other => panic!("refused, not {other:?}"),
    }
    ok(&organiser.ask(start(10, SeatingMode::Random)).await);
    // Six guests, five seats besides the host's: one waits.
    let mut at = HashMap::new();
    for g in &mut guests {
        let seat = g.seat_in(1).await;
        *at.entry(seat.table).or_insert(0) += 1;
    }
    assert_eq!(
        at.get(&Some(1)),
        Some(&2),
        "the host's seat is kept: {at:?}"
    );
    assert_eq!(at.get(&Some(2)), Some(&3));
    assert_eq!(at.get(&None), Some(&1));
    // The grid counts the host's seat as taken.
    organiser
        .until_session(|s| {
            s.tables
                .as_ref()
                .is_some_and(|t| t.tables.iter().all(|t| t.seated == 3))
        })
        .await;
    assert!(
        !organiser.session().tables.unwrap().tables[0].host_here,
        "the host is not here yet"
    );
    // The host comes late, and sits at their table; the grid shows them there.
    host.take_part().await;
    let seat = host.seat_in(1).await;
    assert_eq!((seat.table, seat.host), (Some(1), true), "{seat:?}");
    organiser
        .until_session(|s| s.tables.as_ref().is_some_and(|t| t.tables[0].host_here))
        .await;
    // Saying so again seats nobody twice.
    host.take_part().await;
    assert_eq!(seat.members.len(), 3);
    assert!(seat.members[0].host, "the host first");
    // Ten seconds more: the first end passes, the round runs on.
    ok(&organiser
        .ask(ClientMsg::ExtendRound {
            event: F.ev(),
            session: cafe(),
            seconds: 10,
        })
        .await);
    let round = organiser.session().tables.unwrap().round.unwrap();
    assert_eq!(round.ends_ms - round.started_ms, 20_000);
    let ended = round_ended(&mut organiser, 1).await;
    assert!(
        ended >= round.ends_ms,
        "ended at {ended}, before its end time"
    );
}

fn harvest(table: u32, change: plenum_protocol::HarvestChange) -> ClientMsg {
    ClientMsg::Harvest {
        event: F.ev(),
        session: cafe(),
        table,
        change,
    }
}

fn refused(reply: &ServerMsg) -> ErrorCode {
    match reply {
        ServerMsg::Error { code, .. } => *code,
        other => panic!("refused, not {other:?}"),
    }
}

/// The points of `table`'s harvest as the organiser's view of the session has them.
fn points(organiser: &Member, table: u32) -> Vec<String> {
    organiser
        .session()
        .harvests
        .iter()
        .find(|h| h.table == table)
        .map(|h| h.points.iter().map(|p| p.text.clone()).collect())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_harvest_is_written_at_its_table_ordered_by_its_host_and_kept_across_rounds() {
    use plenum_protocol::HarvestChange::{Add, Edit, Move, Remove};
    let server = F.server(TestConfig::default()).await;
    let (mut organiser, mut host) = hosted_cafe(&server, 2, 4).await;
    let mut ada = Guest::join(&server, "Ada", "Org A").await;
    let mut bo = Guest::join(&server, "Bo", "Org B").await;
    // Nobody writes before sitting at the table.
    let early = ada
        .request(harvest(
            1,
            Add {
                text: "Too soon".into(),
            },
        ))
        .await;
    assert_eq!(refused(&early), ErrorCode::Forbidden);
    host.take_part().await;
    ada.take_part().await;
    bo.take_part().await;
    ok(&organiser
        .ask(ClientMsg::StartRound {
            event: F.ev(),
            session: cafe(),
            seconds: 600,
            seating: SeatingMode::Assigned,
            assignments: vec![
                plenum_protocol::Assignment {
                    person: ada.id.clone(),
                    table: 1,
                },
                plenum_protocol::Assignment {
                    person: bo.id.clone(),
                    table: 2,
                },
            ],
        })
        .await);
    assert_eq!(ada.seat_in(1).await.table, Some(1));
    assert_eq!(bo.seat_in(1).await.table, Some(2));
    host.seat_in(1).await;

    // Ada, at table 1, adds; Bo, at table 2, may not write at table 1.
    ok(&ada
        .request(harvest(
            1,
            Add {
                text: "Share test beds".into(),
            },
        ))
        .await);
    ok(&ada
        .request(harvest(
            1,
            Add {
                text: " Pool <b>demand</b> ".into(),
            },
        ))
        .await);
    let elsewhere = bo
        .request(harvest(
            1,
            Add {
                text: "Not my table".into(),
            },
        ))
        .await;
    assert_eq!(refused(&elsewhere), ErrorCode::Forbidden);
    ok(&bo
        .request(harvest(
            2,
            Add {
                text: "Skills first".into(),
            },
        ))
        .await);
    organiser
        .until_session(|s| s.harvests.len() == 2 && s.harvests[0].points.len() == 2)
        .await;
    // Stored as typed, trimmed: markup stays text.
    assert_eq!(
        points(&organiser, 1),
        ["Share test beds", "Pool <b>demand</b>"]
    );

    // Only the host (and staff) reword, move and remove; a guest may not.
    let first = organiser.session().harvests[0].points[0].id;
    let second = organiser.session().harvests[0].points[1].id;
    let by_guest = ada.request(harvest(1, Remove { point: first })).await;
    assert_eq!(refused(&by_guest), ErrorCode::Forbidden);
    ok(&host
        .request(harvest(
            1,
            Move {
                point: second,
                to: 0,
            },
        ))
        .await);
    ok(&host
        .request(harvest(
            1,
            Edit {
                point: first,
                text: "Share test beds across regions".into(),
            },
        ))
        .await);
    let past_the_end = host
        .request(harvest(
            1,
            Move {
                point: first,
                to: 2,
            },
        ))
        .await;
    match &past_the_end {
        ServerMsg::Error { code, field, .. } => {
            assert_eq!(
                (*code, field.as_deref()),
                (ErrorCode::BadRequest, Some("to"))
            );
        }
        other => panic!("refused, not {other:?}"),
    }
    let missing = host.request(harvest(1, Remove { point: 99 })).await;
    assert_eq!(refused(&missing), ErrorCode::NotFound);
    let empty = ada.request(harvest(1, Add { text: "   ".into() })).await;
    assert_eq!(refused(&empty), ErrorCode::BadRequest);
    let long = ada
        .request(harvest(
            1,
            Add {
                text: "x".repeat(plenum_protocol::limits::MAX_HARVEST_POINT_CHARS + 1),
            },
        ))
        .await;
    assert_eq!(refused(&long), ErrorCode::TooLarge);
    let no_table = organiser
        .ask(harvest(
            9,
            Add {
                text: "Nowhere".into(),
            },
        ))
        .await;
    assert_eq!(refused(&no_table), ErrorCode::NotFound);
    organiser
        .until_session(|s| {
            s.harvests[0].points.first().map(|p| p.id) == Some(second)
                && s.harvests[0].points[1].text == "Share test beds across regions"
        })
        .await;

    // The round ends: the harvest stays, and the people of the last round may still write.
    ok(&organiser
        .ask(ClientMsg::EndRound {
            event: F.ev(),
            session: cafe(),
        })
        .await);
    organiser
        .until_session(|s| s.tables.as_ref().is_some_and(|t| t.round.is_none()))
        .await;
    // Each person's inbox says they are back in the session (their agenda shows no table).
    let back = ada.seat_where(1, |s| s.table.is_none()).await;
    assert!(back.members.is_empty() && back.video.is_none(), "{back:?}");
    ok(&ada
        .request(harvest(
            1,
            Add {
                text: "Written after the bell".into(),
            },
        ))
        .await);
    // Staff remove any point; a full harvest refuses the next.
    ok(&organiser.ask(harvest(1, Remove { point: second })).await);
    for i in 0..(plenum_protocol::limits::MAX_HARVEST_POINTS - 2) {
        ok(&organiser
            .ask(harvest(
                1,
                Add {
                    text: format!("Point {i}"),
                },
            ))
            .await);
    }
    // (The host asks: the organiser spent their allowance of 20 at once.)
    let full = host
        .request(harvest(
            1,
            Add {
                text: "One too many".into(),
            },
        ))
        .await;
    assert_eq!(refused(&full), ErrorCode::TooLarge);
    organiser
        .until_session(|s| {
            s.harvests[0].points.len() == plenum_protocol::limits::MAX_HARVEST_POINTS
        })
        .await;
    // Ids are never reused; the round each was written in is kept.
    let h = &organiser.session().harvests[0];
    let ids: BTreeSet<u32> = h.points.iter().map(|p| p.id).collect();
    assert_eq!(ids.len(), h.points.len());
    assert!(!ids.contains(&second), "a removed point's id is not reused");
    assert_eq!(h.points[0].round, 1);
    assert_eq!(h.points.last().unwrap().round, 0, "written between rounds");

    // A newcomer's snapshot has both harvests; a second round keeps them.
    let watcher = Member::attendee(&server, "CAFE", "Watcher", &cafe_room()).await;
    assert_eq!(watcher.session().harvests.len(), 2);
    ok(&organiser.ask(start(600, SeatingMode::Random)).await);
    organiser
        .until_session(|s| s.tables.as_ref().and_then(|t| t.round.as_ref()).is_some())
        .await;
    assert_eq!(
        organiser.session().harvests[1].points.len(),
        1,
        "kept across rounds"
    );

    // Exported, one row a point.
    let (status, _, bytes) = server
        .http()
        .get_bytes_as(
            "/api/events/CAFE/export/harvests.csv",
            Some(&server.organiser_key),
        )
        .await
        .unwrap();
    assert_eq!(status, 200);
    let text = String::from_utf8(bytes).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert!(
        rows[0].ends_with("session,table,topic,position,text,round"),
        "{}",
        rows[0]
    );
    assert_eq!(
        rows.len(),
        1 + plenum_protocol::limits::MAX_HARVEST_POINTS + 1
    );
    assert!(
        rows.iter()
            .any(|r| r.contains("s2,2,Topic 2,1,Skills first,1")),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_seat_is_freed_after_a_minute_away_and_its_person_comes_back_to_it() {
    let server = F.server(TestConfig::default()).await;
    let organiser = Ws::connect(&server.ws_url(), &server.organiser_key)
        .await
        .unwrap();
    let mut organiser = Member::following(organiser, &cafe_room()).await;
    ok(&organiser
        .ask(ClientMsg::SetTables {
            event: F.ev(),
            session: cafe(),
            setup: Some(setup(2, 4)),
        })
        .await);
    let mut away = Guest::join(&server, "Away Anna", "Org A").await;
    away.take_part().await;
    let mut stay = Vec::new();
    for i in 0..3 {
        let mut g = Guest::join(&server, &format!("Stay {i}"), &format!("Org {i}")).await;
        g.take_part().await;
        stay.push(g);
    }
    // Everyone chooses a table (the round seats nobody itself): Anna table 2.
    ok(&organiser.ask(start(180, SeatingMode::SelfSelect)).await);
    let choose = |table: u32| ClientMsg::ChooseTable {
        event: F.ev(),
        session: cafe(),
        table,
    };
    ok(&away.request(choose(2)).await);
    let table = away
        .seat_where(1, |s| s.table.is_some())
        .await
        .table
        .expect("seated");
    assert_eq!(table, 2);
    for (i, g) in stay.iter_mut().enumerate() {
        ok(&g.request(choose(1 + i as u32 % 2)).await);
        assert!(g.seat_where(1, |s| s.table.is_some()).await.table.is_some());
    }
    // Anna's page closes (her phone sleeps): her connection says nothing more. The others'
    // connections stay open: the first only reads (a hidden tab whose timers the browser
    // slows: its open connection says it for it), the others' pages say so every ten seconds.
    let (name, token) = (away.name.clone(), away.token.clone());
    away.ws.close().await;
    // (The quiet one's page shows the session: its connection follows the session's room.)
    let mut session = Mirror::new(cafe_room());
    stay[0]
        .ws
        .join(&cafe_room(), None, &mut session)
        .await
        .unwrap();
    for _ in 0..8 {
        let until = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
        let quiet = &mut stay[0];
        while let Ok(Ok(Ok(m))) = tokio::time::timeout_at(
            until,
            quiet.ws.next_event(std::time::Duration::from_secs(10)),
        )
        .await
        {
            quiet.inbox.take(&m).expect("in order");
        }
        for g in &mut stay[1..] {
            g.take_part().await;
        }
    }
    // Her phone wakes.
    let mut away = Guest::connect(&server, &name, token).await;
    let freed = away.seat_where(1, |s| s.table.is_none()).await;
    assert!(freed.members.is_empty(), "{freed:?}");
    for g in &stay {
        assert!(
            g.seat().and_then(|s| s.table).is_some(),
            "{} kept their seat",
            g.name
        );
    }
    // (The organiser's console read nothing meanwhile either: it reconnects.)
    let organiser = Ws::connect(&server.ws_url(), &server.organiser_key)
        .await
        .unwrap();
    let mut organiser = Member::following(organiser, &cafe_room()).await;
    organiser
        .until_session(|s| {
            s.tables
                .as_ref()
                .is_some_and(|t| t.tables.iter().map(|t| t.seated).sum::<u32>() == 3)
        })
        .await;
    // Back: the table she chose, as she arrives (in a round where people choose, too).
    away.take_part().await;
    let back = away.seat_where(1, |s| s.table.is_some()).await;
    assert_eq!(back.table, Some(table), "{back:?}");
    organiser
        .until_session(|s| {
            s.tables
                .as_ref()
                .is_some_and(|t| t.tables.iter().map(|t| t.seated).sum::<u32>() == 4)
        })
        .await;
}

fn close(table: u32, closed: bool) -> ClientMsg {
    ClientMsg::CloseTable {
        event: F.ev(),
        session: cafe(),
        table,
        closed,
    }
}

/// Closing a table mid-round seats its people (its host too) elsewhere at once; nobody is
/// seated or moved there, and the next round leaves it empty, until it is opened again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_table_seats_its_people_elsewhere_and_nobody_there_until_opened() {
    let server = F.server(TestConfig::default()).await;
    let (mut organiser, mut host) = hosted_cafe(&server, 3, 4).await;
    host.take_part().await;
    let mut guests = Vec::new();
    for i in 0..6 {
        let mut g = Guest::join(&server, &format!("Guest {i}"), &format!("Org {i}")).await;
        g.take_part().await;
        guests.push(g);
    }
    ok(&organiser.ask(start(120, SeatingMode::Random)).await);
    assert_eq!(host.seat_in(1).await.table, Some(1));
    for g in &mut guests {
        assert!(g.seat_in(1).await.table.is_some());
    }
    // Staff find whom to move by name, with their table; attendees find nobody.
    let find = |query: &str| ClientMsg::FindAtTables {
        event: F.ev(),
        session: cafe(),
        query: query.into(),
    };
    match organiser.ask(find("GUEST 3")).await {
        ServerMsg::Ok {
            found: Some(found), ..
        } => {
            assert_eq!(found.len(), 1, "{found:?}");
            assert_eq!(found[0].person, guests[3].id);
            assert_eq!(found[0].name.as_deref(), Some("Guest 3"));
            assert_eq!(found[0].table, guests[3].seat().and_then(|s| s.table));
        }
        other => panic!("found, not {other:?}"),
    }
    assert_eq!(
        refused(&guests[0].request(find("Guest")).await),
        ErrorCode::Forbidden
    );
    assert_eq!(
        refused(&organiser.ask(find(&"x".repeat(61))).await),
        ErrorCode::TooLarge
    );
    assert_eq!(
        refused(&organiser.ask(close(9, true)).await),
        ErrorCode::NotFound
    );
    ok(&organiser.ask(close(1, true)).await);
    // Everyone who sat at table 1 sits elsewhere now, the host too.
    let seat = host.seat_where(1, |s| s.table != Some(1)).await;
    assert!(seat.table.is_some() && !seat.host, "{seat:?}");
    for g in &mut guests {
        let seat = g.seat_where(1, |s| s.table != Some(1)).await;
        assert!(seat.table.is_some(), "{} has a seat: {seat:?}", g.name);
    }
    organiser
        .until_session(|s| {
            s.tables.as_ref().is_some_and(|t| {
                t.tables[0].closed
                    && t.tables[0].seated == 0
                    && t.tables.iter().map(|t| t.seated).sum::<u32>() == 7
            })
        })
        .await;
    // Closing it again changes nothing; nobody is moved there.
    ok(&organiser.ask(close(1, true)).await);
    let moved = organiser
        .ask(ClientMsg::MoveToTable {
            event: F.ev(),
            session: cafe(),
            person: guests[0].id.clone(),
            table: Some(1),
        })
        .await;
    assert_eq!(refused(&moved), ErrorCode::Conflict);
    ok(&organiser
        .ask(ClientMsg::EndRound {
            event: F.ev(),
            session: cafe(),
        })
        .await);
    // Nobody is assigned to a closed table, and no round starts with every table closed.
    let assigned = organiser
        .ask(ClientMsg::StartRound {
            event: F.ev(),
            session: cafe(),
            seconds: 60,
            seating: SeatingMode::Assigned,
            assignments: vec![plenum_protocol::Assignment {
                person: guests[0].id.clone(),
                table: 1,
            }],
        })
        .await;
    match assigned {
        ServerMsg::Error { code, field, .. } => {
            assert_eq!(code, ErrorCode::BadRequest);
            assert_eq!(field.as_deref(), Some("assignments[0].table"));
        }
        other => panic!("refused, not {other:?}"),
    }
    ok(&organiser.ask(close(2, true)).await);
    ok(&organiser.ask(close(3, true)).await);
    assert_eq!(
        refused(&organiser.ask(start(120, SeatingMode::Rotation)).await),
        ErrorCode::Conflict
    );
    ok(&organiser.ask(close(2, false)).await);
    ok(&organiser.ask(close(3, false)).await);
    // The next round leaves it empty; its host sits elsewhere, as a guest.
    ok(&organiser.ask(start(120, SeatingMode::Rotation)).await);
    let seat = host.seat_in(2).await;
    assert!(seat.table.is_some_and(|t| t != 1) && !seat.host, "{seat:?}");
    for g in &mut guests {
        let seat = g.seat_in(2).await;
        assert!(seat.table.is_some_and(|t| t != 1), "{seat:?}");
    }
    // Opened again: its host sits there again, and it takes people (the organiser moves one
    // there).
    ok(&organiser.ask(close(1, false)).await);
    let seat = host.seat_where(2, |s| s.table == Some(1)).await;
    assert!(seat.host, "{seat:?}");
    ok(&organiser
        .ask(ClientMsg::MoveToTable {
            event: F.ev(),
            session: cafe(),
            person: guests[0].id.clone(),
            table: Some(1),
        })
        .await);
    assert_eq!(
        guests[0].seat_where(2, |s| s.table == Some(1)).await.table,
        Some(1)
    );
    organiser
        .until_session(|s| s.tables.as_ref().is_some_and(|t| !t.tables[0].closed))
        .await;
}
