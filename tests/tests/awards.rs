//! Award votes through the protocol: one secret ballot per eligible person, receipts that a
//! voter finds on the published bulletin board, a digest anyone can recompute, a staged reveal.

use plenum_protocol::{
    AwardDraft, AwardStatus, AwardStep, AwardVoters, Candidate, ClientMsg, ErrorCode, ServerMsg,
};
use plenum_tests::*;
use std::collections::HashMap;

const EVENT: &str = "AWARDS";
const F: Fixture = Fixture(EVENT);

fn draft(voters: AwardVoters) -> AwardDraft {
    AwardDraft {
        title: "Cluster Manager of the Year".into(),
        candidates: ["Sofia Rossi", "Karin Holm", "Mads Jensen"]
            .into_iter()
            .map(|n| Candidate {
                name: n.into(),
                organisation: None,
            })
            .collect(),
        voters,
    }
}

fn run(award: u64, step: AwardStep) -> ClientMsg {
    ClientMsg::RunAward {
        event: F.ev(),
        session: F.s1(),
        award,
        step,
    }
}

fn cast(award: u64, candidate: u32) -> ClientMsg {
    ClientMsg::CastAward {
        event: F.ev(),
        session: F.s1(),
        award,
        candidate,
    }
}

async fn setup(voters: AwardVoters) -> (TestServer, Member, u64) {
    let server = TestServer::start().await;
    create_small_event(&server.http(), &server.organiser_key, EVENT)
        .await
        .unwrap();
    let mut organiser = Member::following(server.organiser().await, &F.room()).await;
    let reply = organiser
        .ask(ClientMsg::CreateAward {
            event: F.ev(),
            session: F.s1(),
            award: draft(voters),
        })
        .await;
    let ServerMsg::Ok {
        award: Some(id), ..
    } = reply
    else {
        panic!("{reply:?}")
    };
    assert!(matches!(
        organiser.ask(run(id, AwardStep::Open)).await,
        ServerMsg::Ok { .. }
    ));
    (server, organiser, id)
}

#[tokio::test]
async fn one_secret_ballot_each_verifiable_by_receipt_and_revealed_in_stages() {
    let (server, mut organiser, id) = setup(AwardVoters::Everyone).await;
    // 6 for Karin, 4 for Sofia, 2 for Mads.
    let choices = [1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 2, 2];
    let mut receipts = HashMap::new();
    for (i, candidate) in choices.into_iter().enumerate() {
        let mut voter = Member::attendee(&server, EVENT, &format!("V{i}"), &F.room()).await;
        let reply = voter.ask(cast(id, candidate)).await;
        let ServerMsg::Ok {
            receipt: Some(receipt),
            ..
        } = reply
        else {
            panic!("{reply:?}")
        };
        receipts.insert(receipt, candidate);
        // A second ballot is refused, whatever it says, and changes nothing.
        assert_eq!(refused(&voter.ask(cast(id, 2)).await), ErrorCode::Conflict);
    }
    // Nothing is published before the close.
    let a = server
        .http()
        .get(&format!(
            "/api/events/{EVENT}/sessions/s1/awards/{id}/ballots"
        ))
        .await
        .unwrap();
    assert_eq!((a.status, a.body["code"].as_str()), (409, Some("conflict")));
    // Attendees cannot run the vote.
    let mut eve = Member::attendee(&server, EVENT, "Eve", &F.room()).await;
    assert_eq!(
        refused(&eve.ask(run(id, AwardStep::Close)).await),
        ErrorCode::Forbidden
    );

    assert!(matches!(
        organiser.ask(run(id, AwardStep::Close)).await,
        ServerMsg::Ok { .. }
    ));
    assert_eq!(
        refused(&eve.ask(cast(id, 0)).await),
        ErrorCode::Conflict,
        "no ballot after the close"
    );

    // Closed is not yet public: the counts would give the staged reveal away.
    let early = server
        .http()
        .get(&format!(
            "/api/events/{EVENT}/sessions/s1/awards/{id}/ballots"
        ))
        .await
        .unwrap();
    assert_eq!(early.status, 409);

    // Third, second, winner.
    let mut places = Vec::new();
    for _ in 0..3 {
        assert!(matches!(
            organiser.ask(run(id, AwardStep::RevealNext)).await,
            ServerMsg::Ok { .. }
        ));
        let reveal = eve
            .session()
            .award(id)
            .map(|a| a.revealed.len())
            .unwrap_or(0)
            + 1;
        eve.until_session(|s| s.award(id).is_some_and(|a| a.revealed.len() == reveal))
            .await;
        let last = eve
            .session()
            .award(id)
            .unwrap()
            .revealed
            .last()
            .unwrap()
            .clone();
        places.push((last.place, last.candidate, last.votes));
    }
    assert_eq!(places, vec![(3, 2, 2), (2, 0, 4), (1, 1, 6)]);
    assert_eq!(eve.session().award(id).unwrap().status, AwardStatus::Closed);
    assert_eq!(
        refused(&organiser.ask(run(id, AwardStep::RevealNext)).await),
        ErrorCode::Conflict
    );

    let board = server
        .http()
        .get(&format!(
            "/api/events/{EVENT}/sessions/s1/awards/{id}/ballots"
        ))
        .await
        .unwrap()
        .body;
    let published: Vec<(String, u32)> = board["ballots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["receipt"].as_str().unwrap().to_owned(),
                b["candidate"].as_u64().unwrap() as u32,
            )
        })
        .collect();
    assert_eq!(published.len(), choices.len());
    // Every voter finds their receipt with their choice; nothing names a voter.
    for (receipt, candidate) in &published {
        assert_eq!(receipts.get(receipt), Some(candidate));
    }
    for b in board["ballots"].as_array().unwrap() {
        let keys: Vec<&String> = b.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            vec!["candidate", "receipt"],
            "a published ballot holds no voter"
        );
    }
    assert_eq!(board["counts"], serde_json::json!([4, 6, 2]));
    // The digest is recomputable by anyone from the published ballots.
    let mut sorted = published.clone();
    sorted.sort();
    assert_eq!(sorted, published, "sorted by receipt");
    let lines: String = published
        .iter()
        .map(|(r, c)| format!("{r}:{c}\n"))
        .collect();
    let digest = sha256_hex(lines.as_bytes());
    assert_eq!(board["digest"], digest);
    organiser
        .until_session(|s| {
            s.award(id)
                .is_some_and(|a| a.digest.as_deref() == Some(digest.as_str()))
        })
        .await;
}

#[tokio::test]
async fn registered_only_votes_refuse_everyone_else() {
    let (server, _organiser, id) = setup(AwardVoters::Registered).await;
    let mut walk_in = Member::attendee(&server, EVENT, "Walk-in", &F.room()).await;
    assert_eq!(
        refused(&walk_in.ask(cast(id, 0)).await),
        ErrorCode::Forbidden
    );
    let mut registered = Member::invited(&server, EVENT, "attendee", "Registered", &F.room()).await;
    assert!(matches!(
        registered.ask(cast(id, 0)).await,
        ServerMsg::Ok {
            receipt: Some(_),
            ..
        }
    ));
    // A draft award is for organisers only.
    let mut organiser = Member::following(server.organiser().await, &F.room()).await;
    let reply = organiser
        .ask(ClientMsg::CreateAward {
            event: F.ev(),
            session: F.s1(),
            award: draft(AwardVoters::Everyone),
        })
        .await;
    let ServerMsg::Ok {
        award: Some(second),
        seq: Some(seq),
        ..
    } = reply
    else {
        panic!("{reply:?}")
    };
    walk_in.catch_up_to(seq).await;
    assert!(walk_in.session().award(second).is_none());
    assert!(organiser.session().award(second).is_some());
}

fn sha256_hex(bytes: &[u8]) -> String {
    // A second implementation (not the server's) of SHA-256, via the sha2 crate the tests use.
    use sha2::Digest as _;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
