//! `personal_data_purged`: what each kind of room keeps and drops, as every client folds it.

use plenum_protocol::{EventCode, PersonId, RoomEvent, RoomId, RoomState, SessionId};
use serde_json::json;

#[test]
fn a_session_keeps_its_results_and_loses_who_took_part() {
    let mut before = serde_json::to_value(plenum_protocol::SessionState::default()).unwrap();
    before["qa"]["questions"] = json!([{"id": 1, "text": "Who pays?", "asker": {"id": "att-a", "name": "Ana"},
                           "anonymous": false, "status": "live", "asked_at_ms": 1, "votes": 3}]);
    before["qa"]["highlighted"] = json!(1);
    let more = json!({
        "quizzes": [{"id": 1, "title": "Clusters", "length": 3, "status": "finished",
                     "leaderboard": [{"rank": 1, "name": "Ana", "score": 30}]}],
        "tables": {"tables": [{"number": 1, "topic": "Hydrogen", "capacity": 8, "host": "att-h", "host_here": true}], "rounds": 2},
        "harvests": [{"table": 1, "points": [{"id": 1, "text": "Share the pilots", "round": 1}], "next": 2}]
    });
    for (k, v) in more.as_object().unwrap() {
        before[k] = v.clone();
    }
    let mut state = RoomState::Session(serde_json::from_value(before).expect("a session state"));
    state.apply(&RoomEvent::PersonalDataPurged).unwrap();
    let RoomState::Session(s) = &state else {
        unreachable!()
    };
    assert!(s.qa.questions.is_empty() && s.qa.highlighted.is_none());
    assert_eq!(s.qa.counts, Default::default());
    let quiz = &s.quizzes[0];
    assert_eq!(
        (quiz.leaderboard[0].rank, quiz.leaderboard[0].score),
        (1, 30)
    );
    assert_eq!(quiz.leaderboard[0].name, None);
    let table = &s.tables.as_ref().unwrap().tables[0];
    assert_eq!(
        (table.topic.as_str(), table.host.as_deref()),
        ("Hydrogen", None)
    );
    assert_eq!(
        s.harvests[0].points[0].text, "Share the pilots",
        "harvests stay"
    );
    let text = serde_json::to_string(&state).unwrap();
    for gone in ["Ana", "att-a", "att-h", "Who pays?"] {
        assert!(!text.contains(gone), "{gone} in {text}");
    }
}

#[test]
fn an_inbox_is_emptied_and_an_event_room_keeps_all() {
    let inbox = RoomId::Inbox(
        EventCode::parse("ECC").unwrap(),
        PersonId::parse("att-a").unwrap(),
    );
    let mut state = RoomState::new(&inbox);
    state
        .apply(&RoomEvent::StarsChanged {
            stars: vec![SessionId::parse("s1").unwrap()],
        })
        .unwrap();
    state.apply(&RoomEvent::PersonalDataPurged).unwrap();
    assert_eq!(state, RoomState::new(&inbox));

    let event = RoomId::Event(EventCode::parse("ECC").unwrap());
    let mut state = RoomState::new(&event);
    state
        .apply(&RoomEvent::AgendaUpdated { version: 4 })
        .unwrap();
    let kept = state.clone();
    state.apply(&RoomEvent::PersonalDataPurged).unwrap();
    assert_eq!(state, kept);
}
