//! Every message round-trips through JSON unchanged, and identifiers refuse bad input.

use plenum_protocol::*;
use serde::{Serialize, de::DeserializeOwned};
use std::fmt::Debug;

fn round_trip<T: Serialize + DeserializeOwned + PartialEq + Debug>(value: T) {
    let json = serde_json::to_string(&value).unwrap();
    let back: T = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
    assert_eq!(back, value, "{json}");
}

fn ecc() -> EventCode {
    EventCode::parse("ECC2026").unwrap()
}

fn opening() -> SessionId {
    SessionId::parse("opening").unwrap()
}

fn session_room() -> RoomId {
    RoomId::Session(ecc(), SessionId::parse("opening").unwrap())
}

fn person() -> Person {
    Person {
        id: "p1".into(),
        name: Some("Åsa \"<b>\" Lind".into()),
        role: Role::Speaker,
        event: Some(ecc()),
        sessions: vec![plenum_protocol::SessionId::parse("keynote").unwrap()],
        registered: false,
        link: 0,
    }
}

#[test]
fn every_client_message_round_trips() {
    let stage = StageUpdate {
        status: Some(StageStatus::Paused),
        on_stage: Some(OnStage::Text {
            text: "Paus".into(),
        }),
    };
    for msg in [
        ClientMsg::Hello {
            versions: vec![1, 2],
            token: "t".into(),
        },
        ClientMsg::Join {
            room: session_room(),
            since: None,
        },
        ClientMsg::Join {
            room: RoomId::Event(ecc()),
            since: Some(41),
        },
        ClientMsg::Leave {
            room: session_room(),
        },
        ClientMsg::Page {
            room: session_room(),
            of: Listing::Questions,
            before: Some(120),
        },
        ClientMsg::Page {
            room: session_room(),
            of: Listing::Polls,
            before: None,
        },
        ClientMsg::Ping { t: Some(1.5) },
        ClientMsg::Ping { t: None },
        ClientMsg::SetStage {
            event: ecc(),
            session: SessionId::parse("opening").unwrap(),
            update: stage,
        },
        ClientMsg::SetStage {
            event: ecc(),
            session: SessionId::parse("opening").unwrap(),
            update: StageUpdate {
                status: None,
                on_stage: None,
            },
        },
        ClientMsg::Announce {
            event: ecc(),
            text: "Lunch".into(),
        },
        ClientMsg::Ask {
            event: ecc(),
            session: opening(),
            text: "Varför?".into(),
            anonymous: true,
        },
        ClientMsg::EditQuestion {
            event: ecc(),
            session: opening(),
            question: 2,
            text: "Hur?".into(),
        },
        ClientMsg::WithdrawQuestion {
            event: ecc(),
            session: opening(),
            question: 2,
        },
        ClientMsg::Upvote {
            event: ecc(),
            session: opening(),
            question: 2,
            up: false,
        },
        ClientMsg::Highlight {
            event: ecc(),
            session: opening(),
            question: None,
        },
        ClientMsg::SetQaSettings {
            event: ecc(),
            session: opening(),
            settings: QaSettings::default(),
        },
        ClientMsg::Block {
            event: ecc(),
            person: "xyz".into(),
            blocked: true,
            name: Some("Ada".into()),
        },
    ]
    .into_iter()
    .chain(
        [
            Moderate::Approve,
            Moderate::Dismiss { reason: "r".into() },
            Moderate::Answer,
            Moderate::Reply { text: "t".into() },
            Moderate::Merge { into: 1 },
            Moderate::Archive,
        ]
        .into_iter()
        .map(|change| ClientMsg::Moderate {
            event: ecc(),
            session: opening(),
            question: 2,
            change,
        }),
    ) {
        round_trip(ClientFrame {
            id: Some(7),
            msg: msg.clone(),
        });
        round_trip(ClientFrame { id: None, msg });
    }
}

#[test]
fn every_server_message_round_trips() {
    let stage = StageState {
        status: StageStatus::Live,
        on_stage: OnStage::Contribution { number: 2 },
    };
    let events = [
        RoomEvent::StageChanged {
            stage: stage.clone(),
        },
        RoomEvent::Announced {
            announcement: Announcement {
                text: "Hej".into(),
                at_ms: 5,
            },
        },
        RoomEvent::AgendaUpdated { version: 3 },
        RoomEvent::Question {
            question: Question {
                id: 1,
                text: "Q".into(),
                asker: Asker {
                    id: Some("a".into()),
                    name: None,
                },
                anonymous: true,
                status: QuestionStatus::Answered,
                asked_at_ms: 1,
                votes: 3,
                reply: Some(QuestionReply {
                    text: "A".into(),
                    by: None,
                    at_ms: 2,
                }),
                dismissed_reason: None,
                merged_into: None,
                merged: vec![2],
                edited: true,
            },
            counts: QaCounts {
                waiting: 1,
                dismissed: 2,
            },
        },
        RoomEvent::Poll { poll: every_poll() },
        RoomEvent::PollHidden { id: 3 },
        RoomEvent::PollResults {
            id: 3,
            ballots: 0,
            results: None,
            hidden: true,
        },
        RoomEvent::PollResults {
            id: 3,
            ballots: 2,
            results: Some(PollResults::Words {
                words: vec![WordCount {
                    word: "ai".into(),
                    count: 2,
                }],
            }),
            hidden: false,
        },
        RoomEvent::QuestionHidden {
            id: 2,
            counts: QaCounts::default(),
        },
        RoomEvent::Votes {
            tallies: vec![VoteTally { id: 1, votes: 9 }],
        },
        RoomEvent::Highlighted { id: Some(1) },
        RoomEvent::Highlighted { id: None },
        RoomEvent::QaSettingsChanged {
            settings: QaSettings::default(),
        },
    ];
    let mut msgs = vec![
        ServerMsg::Welcome {
            protocol: 1,
            server: "plenum/0.1.0".into(),
            person: person(),
            heartbeat_ms: 20_000,
        },
        ServerMsg::Snapshot {
            room: session_room(),
            seq: 3,
            state: RoomState::Session(SessionState {
                stage,
                qa: QaState::default(),
                polls: vec![every_poll()],
                awards: vec![every_award()],
                quizzes: vec![every_quiz()],
                stream_delay_ms: 15_000,
                screen: ScreenShows::Poll { id: 1 },
                omitted: Omitted {
                    questions: 4000,
                    polls: 2,
                    quizzes: 0,
                    awards: 0,
                    harvests: 1,
                    meetings: 0,
                    contacts: 0,
                    booth_contacts: 0,
                    messages: 0,
                },
                harvests: vec![plenum_protocol::Harvest {
                    table: 2,
                    points: vec![plenum_protocol::HarvestPoint {
                        id: 1,
                        text: "Pool demand".into(),
                        round: 1,
                    }],
                    next: 2,
                }],
                tables: Some(TableSet {
                    tables: vec![Table {
                        number: 1,
                        topic: "Hydrogen valleys".into(),
                        language: Some("en".into()),
                        capacity: 6,
                        mode: TableMode::Hybrid,
                        place: Some("Room B".into()),
                        hosted: true,
                        host: Some("ana".into()),
                        seated: 4,
                        help: true,
                        host_here: true,
                        closed: true,
                    }],
                    video: Some("https://meet.example.org/{session}-{table}".into()),
                    apart: Apart::Country,
                    rounds: 2,
                    round: Some(Round {
                        number: 2,
                        seating: SeatingMode::Assigned,
                        started_ms: 1,
                        ends_ms: 600_001,
                        warn_ms: 540_001,
                    }),
                    message: Some(TablesMessage {
                        text: "Five minutes".into(),
                        at_ms: 2,
                    }),
                }),
            }),
        },
        ServerMsg::Snapshot {
            room: RoomId::Event(ecc()),
            seq: 0,
            state: RoomState::Event(EventState::default()),
        },
        ServerMsg::Joined {
            id: Some(1),
            room: session_room(),
            seq: 3,
            mode: JoinMode::Replay,
            replayed: 2,
        },
        ServerMsg::Joined {
            id: None,
            room: session_room(),
            seq: 0,
            mode: JoinMode::Snapshot,
            replayed: 0,
        },
        ServerMsg::Presence {
            room: session_room(),
            count: 900,
        },
        ServerMsg::Page {
            id: Some(7),
            room: session_room(),
            seq: 12,
            of: Listing::Polls,
            questions: Vec::new(),
            polls: vec![every_poll()],
            quizzes: Vec::new(),
            awards: Vec::new(),
            harvests: Vec::new(),
            more: true,
        },
        ServerMsg::Ok {
            id: 4,
            seq: Some(9),
            question: Some(2),
            poll: None,
            award: Some(1),
            receipt: Some("r".into()),
            quiz: Some(2),
            standing: Some(MyStanding {
                chose: Some(Chosen {
                    question: 0,
                    option: 1,
                }),
                rank: None,
                score: 0,
                streak: 0,
                players: 3,
            }),
            found: Some(vec![AtTables {
                person: "xyz".into(),
                name: Some("Eva".into()),
                organisation: None,
                table: Some(2),
            }]),
            meeting: Some(7),
            scheduled: Some(ScheduleSummary {
                accepted: 3,
                placed: 2,
                changed: 2,
                bound: 2,
                gaps: 0,
                unplaced: vec![Unplaced {
                    meeting: 5,
                    reason: UnplacedReason::Taken,
                    text: "Ana and Bo".into(),
                }],
            }),
            people: Some(Found {
                people: vec![],
                next: Some("0ana\u{0}x".into()),
            }),
            recommended: Some(vec![]),
        },
        ServerMsg::Ok {
            id: 4,
            seq: None,
            question: None,
            poll: Some(3),
            award: None,
            receipt: None,
            quiz: None,
            standing: None,
            found: None,
            meeting: None,
            scheduled: None,
            people: None,
            recommended: None,
        },
        ServerMsg::Pong { t: Some(2.0) },
    ];
    for code in [
        ErrorCode::BadRequest,
        ErrorCode::UnsupportedVersion,
        ErrorCode::Unauthenticated,
        ErrorCode::Forbidden,
        ErrorCode::NotFound,
        ErrorCode::Conflict,
        ErrorCode::TooLarge,
        ErrorCode::RateLimited,
        ErrorCode::Unavailable,
        ErrorCode::Internal,
    ] {
        msgs.push(ServerMsg::Error {
            id: Some(1),
            code,
            message: "m".into(),
            field: Some("f".into()),
        });
    }
    for event in events {
        msgs.push(ServerMsg::Event {
            room: session_room(),
            seq: 4,
            at_ms: 10,
            event,
        });
    }
    for msg in msgs {
        round_trip(msg);
    }
}

#[test]
fn identifiers_refuse_bad_input() {
    assert_eq!(EventCode::parse("ecc2026").unwrap().as_str(), "ECC2026");
    for bad in [
        "",
        "AB",
        "ECC 2026",
        "ECC-2026",
        "ABCDEFGHIJKLMNOPQ",
        "ÅÄÖ123",
    ] {
        assert!(EventCode::parse(bad).is_err(), "{bad:?}");
    }
    for bad in ["", "Opening", "a b", "a/b", &"x".repeat(65)] {
        assert!(SessionId::parse(bad).is_err(), "{bad:?}");
    }
    for bad in [
        "event:",
        "session:ECC2026",
        "room:ECC2026",
        "session:ECC2026:Bad!",
        "event:ECC2026:x",
    ] {
        assert!(RoomId::parse(bad).is_err(), "{bad:?}");
    }
    assert_eq!(
        RoomId::parse("session:ECC2026:opening").unwrap(),
        session_room()
    );
    assert_eq!(session_room().to_string(), "session:ECC2026:opening");
    assert!(serde_json::from_str::<ClientFrame>(r#"{"type":"join","room":"lobby"}"#).is_err());
}

#[test]
fn the_fold_keeps_the_newest_announcements() {
    let mut state = RoomState::new(&RoomId::Event(ecc()));
    for i in 0..(EventState::KEEP_ANNOUNCEMENTS + 5) {
        state
            .apply(&RoomEvent::Announced {
                announcement: Announcement {
                    text: i.to_string(),
                    at_ms: 0,
                },
            })
            .unwrap();
    }
    let RoomState::Event(e) = &state else {
        panic!()
    };
    assert_eq!(e.announcements.len(), EventState::KEEP_ANNOUNCEMENTS);
    assert_eq!(
        e.announcements.last().unwrap().text,
        (EventState::KEEP_ANNOUNCEMENTS + 4).to_string()
    );
    assert!(
        state
            .apply(&RoomEvent::StageChanged {
                stage: StageState::default()
            })
            .is_err()
    );
}

#[test]
fn versions_are_negotiated() {
    assert_eq!(negotiate(&[1]), Some(1));
    assert_eq!(negotiate(&[1, 99]), Some(1));
    assert_eq!(negotiate(&[0, 99]), None);
    assert_eq!(negotiate(&[]), None);
    assert_eq!(
        CloseAction::for_code(close::LAGGING),
        CloseAction::ReconnectAndResume
    );
    assert_eq!(
        CloseAction::for_code(close::SERVICE_RESTART),
        CloseAction::ReconnectAndResume
    );
    assert_eq!(
        CloseAction::for_code(close::AUTH_FAILED),
        CloseAction::Reauthenticate
    );
    assert_eq!(
        CloseAction::for_code(close::UNSUPPORTED_PROTOCOL),
        CloseAction::GiveUp
    );
}

fn every_poll() -> Poll {
    Poll {
        id: 3,
        question: "Hur mår du?".into(),
        kind: PollKind::Ranking {
            options: vec!["a".into(), "b".into()],
        },
        status: PollStatus::Open,
        visibility: ResultsVisibility::OnReveal,
        revealed: true,
        duration_s: Some(60),
        closes_at_ms: Some(5),
        ballots: 1,
        results: Some(PollResults::Ranking { scores: vec![1, 0] }),
        mine: Some(Answer::Ranking { order: vec![0, 1] }),
    }
}

#[test]
fn poll_messages_round_trip() {
    for kind in [
        PollKind::Single {
            options: vec!["a".into(), "b".into()],
        },
        PollKind::Multiple {
            options: vec!["a".into(), "b".into()],
            max: 2,
        },
        PollKind::Rating { scale: 5 },
        PollKind::WordCloud,
        PollKind::OpenText { moderated: true },
        PollKind::Ranking {
            options: vec!["a".into(), "b".into()],
        },
    ] {
        let draft = PollDraft {
            question: "Q".into(),
            kind,
            visibility: ResultsVisibility::Never,
            duration_s: None,
        };
        round_trip(ClientFrame {
            id: Some(1),
            msg: ClientMsg::CreatePoll {
                event: ecc(),
                session: opening(),
                poll: draft,
            },
        });
    }
    for step in [
        PollStep::Open,
        PollStep::Close,
        PollStep::Reveal,
        PollStep::Delete,
    ] {
        round_trip(ClientMsg::RunPoll {
            event: ecc(),
            session: opening(),
            poll: 1,
            step,
        });
    }
    for answer in [
        Answer::Single { option: 1 },
        Answer::Multiple {
            options: vec![0, 1],
        },
        Answer::Rating { value: 3 },
        Answer::Words {
            words: vec!["grön".into()],
        },
        Answer::Text { text: "Bra".into() },
        Answer::Ranking { order: vec![1, 0] },
    ] {
        round_trip(ClientMsg::Vote {
            event: ecc(),
            session: opening(),
            poll: 1,
            answer,
        });
    }
    round_trip(ClientMsg::ApproveText {
        event: ecc(),
        session: opening(),
        poll: 1,
        answer: "x".into(),
        approved: false,
    });
    for results in [
        PollResults::Choices { counts: vec![1, 2] },
        PollResults::Rating { counts: vec![0, 1] },
        PollResults::Texts {
            answers: vec![TextAnswer {
                id: "i".into(),
                text: "t".into(),
                approved: true,
            }],
            total: 2000,
            approved: 1500,
        },
    ] {
        round_trip(RoomEvent::PollResults {
            id: 1,
            ballots: 3,
            results: Some(results),
            hidden: false,
        });
    }
    assert_eq!(normalise_word("  Green \t  DEAL "), "green deal");
}

fn every_award() -> Award {
    Award {
        id: 1,
        title: "Årets klusterledare".into(),
        candidates: vec![
            Candidate {
                name: "A".into(),
                organisation: Some("O".into()),
            },
            Candidate {
                name: "B".into(),
                organisation: None,
            },
        ],
        voters: AwardVoters::Registered,
        status: AwardStatus::Closed,
        ballots: 3,
        revealed: vec![Placing {
            place: 2,
            candidate: 0,
            votes: 1,
        }],
        digest: Some("ab".into()),
    }
}

#[test]
fn award_messages_round_trip() {
    let draft = AwardDraft {
        title: "T".into(),
        candidates: every_award().candidates,
        voters: AwardVoters::Everyone,
    };
    round_trip(ClientMsg::CreateAward {
        event: ecc(),
        session: opening(),
        award: draft,
    });
    for step in [
        AwardStep::Open,
        AwardStep::Close,
        AwardStep::RevealNext,
        AwardStep::RevealAll,
    ] {
        round_trip(ClientMsg::RunAward {
            event: ecc(),
            session: opening(),
            award: 1,
            step,
        });
    }
    round_trip(ClientMsg::CastAward {
        event: ecc(),
        session: opening(),
        award: 1,
        candidate: 0,
    });
    round_trip(RoomEvent::Award {
        award: every_award(),
    });
    round_trip(RoomEvent::AwardBallots { id: 1, ballots: 9 });
    round_trip(AwardBallots {
        award: 1,
        ballots: vec![PublishedBallot {
            receipt: "r".into(),
            candidate: 1,
        }],
        counts: vec![0, 1],
        digest: "d".into(),
    });
}

fn every_quiz() -> Quiz {
    Quiz {
        id: 2,
        title: "Frågesport".into(),
        length: 1,
        status: QuizStatus::Revealed,
        current: Some(CurrentQuestion {
            index: 0,
            text: "Q".into(),
            options: vec!["a".into(), "b".into()],
            seconds: 10,
            started_at_ms: 5,
            correct: Some(1),
            answers: 7,
            chosen: Some(vec![2, 5]),
        }),
        leaderboard: vec![Standing {
            rank: 1,
            name: None,
            score: 1000,
        }],
        questions: vec![QuizQuestion {
            text: "Q".into(),
            options: vec!["a".into(), "b".into()],
            correct: 1,
            seconds: 10,
        }],
        mine: Some(MyStanding {
            rank: Some(1),
            score: 1000,
            streak: 1,
            players: 7,
            chose: None,
        }),
    }
}

#[test]
fn quiz_messages_round_trip() {
    let draft = QuizDraft {
        title: "T".into(),
        questions: every_quiz().questions,
    };
    round_trip(ClientMsg::CreateQuiz {
        event: ecc(),
        session: opening(),
        quiz: draft,
    });
    for step in [QuizStep::Next, QuizStep::Reveal, QuizStep::Finish] {
        round_trip(ClientMsg::RunQuiz {
            event: ecc(),
            session: opening(),
            quiz: 2,
            step,
        });
    }
    for watching in [Watching::Onsite, Watching::Stream { adjust_ms: -3000 }] {
        round_trip(ClientMsg::AnswerQuiz {
            event: ecc(),
            session: opening(),
            quiz: 2,
            question: 0,
            option: 1,
            watching,
        });
    }
    round_trip(ClientMsg::QuizStanding {
        event: ecc(),
        session: opening(),
        quiz: 2,
    });
    round_trip(ClientMsg::SetStreamDelay {
        event: ecc(),
        session: opening(),
        delay_ms: 9000,
    });
    round_trip(RoomEvent::Quiz { quiz: every_quiz() });
    round_trip(RoomEvent::QuizAnswers { id: 2, answers: 4 });
    round_trip(RoomEvent::StreamDelay { delay_ms: 0 });
    round_trip(RoomEvent::QuizHidden { id: 2 });
    round_trip(RoomEvent::AwardHidden { id: 1 });
}

#[test]
fn an_earlier_rounds_seat_reaching_an_inbox_late_changes_nothing() {
    use plenum_protocol::{InboxState, RoomEvent, RoomState, Seat, SessionId};
    let seat = |round: u32, table: Option<u32>| RoomEvent::Seated {
        seat: Seat {
            session: SessionId::parse("cafe").unwrap(),
            round,
            table,
            host: false,
            members: Vec::new(),
            video: None,
        },
    };
    let mut inbox = RoomState::Inbox(InboxState::default());
    inbox.apply(&seat(2, Some(7))).unwrap();
    // Round 1's end, late: round 2's seat stays.
    inbox.apply(&seat(1, None)).unwrap();
    let RoomState::Inbox(i) = &inbox else {
        unreachable!()
    };
    assert_eq!(
        i.seats
            .iter()
            .map(|s| (s.round, s.table))
            .collect::<Vec<_>>(),
        vec![(2, Some(7))]
    );
    // The same round's news replaces it.
    inbox.apply(&seat(2, None)).unwrap();
    let RoomState::Inbox(i) = &inbox else {
        unreachable!()
    };
    assert_eq!(i.seats[0].table, None);
}

#[test]
fn an_inbox_keeps_open_meetings_and_the_newest_closed_ones() {
    use plenum_protocol::{
        InboxState, Meeting, MeetingPerson, MeetingStatus, PersonId, RoomEvent, RoomState,
    };
    let meeting = |id: u64, status: MeetingStatus, sequence: u32| RoomEvent::MeetingChanged {
        meeting: Meeting {
            id,
            from: MeetingPerson {
                id: PersonId::parse("ana").unwrap(),
                name: Some("Ana".into()),
                organisation: None,
            },
            to: MeetingPerson {
                id: PersonId::parse("bo").unwrap(),
                name: None,
                organisation: None,
            },
            message: None,
            status,
            proposed: None,
            proposed_by: None,
            slot: None,
            end: None,
            table: None,
            place: None,
            video: None,
            locked: false,
            sequence,
            here: vec![],
            no_show: None,
            held: vec![],
            requested_ms: 1,
            expires_ms: None,
            booth: None,
        },
    };
    let mut inbox = RoomState::Inbox(InboxState::default());
    let cap = InboxState::KEEP_CLOSED_MEETINGS as u64;
    // Open meetings interleaved with more closed ones than an inbox keeps.
    for id in 1..=2 * cap + 10 {
        let status = if id % 2 == 0 {
            MeetingStatus::Requested
        } else {
            MeetingStatus::Declined
        };
        inbox.apply(&meeting(id, status, 0)).unwrap();
    }
    // A late, older version changes nothing; a newer one replaces it in place.
    inbox
        .apply(&meeting(2, MeetingStatus::Accepted, 1))
        .unwrap();
    inbox
        .apply(&meeting(2, MeetingStatus::Requested, 0))
        .unwrap();
    let RoomState::Inbox(i) = &inbox else {
        unreachable!()
    };
    let open: Vec<u64> = i
        .meetings
        .iter()
        .filter(|m| m.status.open())
        .map(|m| m.id)
        .collect();
    let closed: Vec<u64> = i
        .meetings
        .iter()
        .filter(|m| !m.status.open())
        .map(|m| m.id)
        .collect();
    assert_eq!(
        open,
        (1..=2 * cap + 10)
            .filter(|n| n % 2 == 0)
            .collect::<Vec<_>>()
    );
    assert_eq!(closed.len(), InboxState::KEEP_CLOSED_MEETINGS);
    // The newest closed ones stay.
    assert_eq!(closed.last(), Some(&(2 * cap + 9)));
    assert_eq!(closed.first(), Some(&(2 * cap + 9 - 2 * (cap - 1))));
    let two = i.meetings.iter().find(|m| m.id == 2).unwrap();
    assert_eq!((two.status, two.sequence), (MeetingStatus::Accepted, 1));
    assert!(i.meetings.windows(2).all(|w| w[0].id < w[1].id));
}

#[test]
fn leaving_a_booths_staff_takes_its_meetings_out_of_the_inbox() {
    use plenum_protocol::{
        BoothId, BoothQueue, InboxState, Meeting, MeetingPerson, MeetingStatus, PersonId,
        booth_side,
    };
    let porto = BoothId::parse("porto").unwrap();
    let side = |id: &str| MeetingPerson {
        id: PersonId::parse(id).unwrap(),
        name: None,
        organisation: None,
    };
    let meeting = |id: u64, to: MeetingPerson, booth: Option<BoothId>| Meeting {
        id,
        from: side("vic"),
        to,
        message: None,
        status: MeetingStatus::Requested,
        proposed: None,
        proposed_by: None,
        slot: None,
        end: None,
        table: None,
        place: None,
        video: None,
        locked: false,
        sequence: 0,
        here: vec![],
        no_show: None,
        held: vec![],
        requested_ms: 1,
        expires_ms: None,
        booth,
    };
    let with_booth = MeetingPerson {
        id: booth_side(&porto),
        name: Some("Porto Cluster".into()),
        organisation: None,
    };
    assert_eq!(with_booth.id.as_str(), "booth_porto");
    let booth_meeting = meeting(1, with_booth, Some(porto.clone()));
    // Its staff act for the booth; its two for themselves.
    assert_eq!(booth_meeting.side_of("ana"), "booth_porto");
    assert_eq!(booth_meeting.side_of("vic"), "vic");
    assert_eq!(meeting(2, side("ana"), None).side_of("ana"), "ana");
    let queue = |gone: bool| RoomEvent::BoothQueueChanged {
        queue: BoothQueue {
            booth: porto.clone(),
            waiting: vec![],
            talking: vec![],
            answered: 0,
            missed: 0,
            requests: 0,
            visits: 0,
            visitors: 0,
            contacts_asked: 0,
            contacts_agreed: 0,
            contacts_requested: 0,
            contacts_version: 0,
            gone,
        },
    };
    let mut inbox = RoomState::Inbox(InboxState::default());
    inbox.apply(&queue(false)).unwrap();
    for m in [booth_meeting.clone(), meeting(2, side("ana"), None)] {
        inbox
            .apply(&RoomEvent::MeetingChanged { meeting: m })
            .unwrap();
    }
    for meeting in [1, 2] {
        inbox
            .apply(&RoomEvent::MeetingSoon {
                reminder: plenum_protocol::MeetingReminder {
                    meeting,
                    starts_ms: 10,
                },
            })
            .unwrap();
    }
    // Another booth's queue going leaves Porto's meetings.
    let mut other = queue(true);
    if let RoomEvent::BoothQueueChanged { queue } = &mut other {
        queue.booth = BoothId::parse("lund").unwrap();
    }
    inbox.apply(&other).unwrap();
    let RoomState::Inbox(i) = &inbox else {
        unreachable!()
    };
    assert_eq!(i.meetings.len(), 2);
    inbox.apply(&queue(true)).unwrap();
    let RoomState::Inbox(i) = &inbox else {
        unreachable!()
    };
    assert!(i.queues.is_empty());
    assert_eq!(i.meetings.iter().map(|m| m.id).collect::<Vec<_>>(), [2]);
    assert_eq!(
        i.reminders.iter().map(|r| r.meeting).collect::<Vec<_>>(),
        [2]
    );
}

#[test]
fn a_booth_room_folds_its_chat_in_order_and_keeps_the_newest() {
    use plenum_protocol::{BoothState, ChatMessage, MeetingPerson, PersonId};
    let room = RoomId::parse("booth:ECC2026:porto-cluster").unwrap();
    assert_eq!(room.to_string(), "booth:ECC2026:porto-cluster");
    assert!(RoomId::parse("booth:ECC2026:Not Valid").is_err());
    let message = |id: u64| ChatMessage {
        id,
        by: MeetingPerson {
            id: PersonId::parse("att-1").unwrap(),
            name: Some("Ana".into()),
            organisation: None,
        },
        text: format!("message {id}"),
        at_ms: id as i64,
        staff: false,
        hidden: false,
    };
    let mut state = RoomState::new(&room);
    let ids = |s: &RoomState| match s {
        RoomState::Booth(b) => b.messages.iter().map(|m| m.id).collect::<Vec<_>>(),
        other => panic!("not a booth: {other:?}"),
    };
    for id in [1, 2, 3] {
        state
            .apply(&RoomEvent::BoothChat {
                message: message(id),
            })
            .unwrap();
    }
    state.apply(&RoomEvent::BoothChatHidden { id: 2 }).unwrap();
    assert_eq!(ids(&state), [1, 3]);
    // Shown again: back in its place.
    state
        .apply(&RoomEvent::BoothChat {
            message: message(2),
        })
        .unwrap();
    assert_eq!(ids(&state), [1, 2, 3]);
    // Only the newest KEEP stay.
    for id in 4..=(BoothState::KEEP as u64 + 10) {
        state
            .apply(&RoomEvent::BoothChat {
                message: message(id),
            })
            .unwrap();
    }
    let kept = ids(&state);
    assert_eq!(kept.len(), BoothState::KEEP);
    assert_eq!(kept.first(), Some(&11));
    // A purge empties it.
    state.purge();
    assert!(ids(&state).is_empty());
    // A booth's events fit no other room.
    let mut session = RoomState::new(&RoomId::parse("session:ECC2026:opening").unwrap());
    assert!(
        session
            .apply(&RoomEvent::BoothChatHidden { id: 1 })
            .is_err()
    );
}
