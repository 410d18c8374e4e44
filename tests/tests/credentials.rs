//! Ending credentials (issue 12, item 6): `--reset-organiser-key` ends every staff credential
//! the old key could have handed out (tokens and invitations) and keeps attendees signed in as
//! the same people; an organiser withdraws one invitation, and what it made, one by one.

use plenum_protocol::{ClientMsg, ErrorCode, ServerMsg, close};
use plenum_tests::*;
use serde_json::json;

const BIN: &str = env!("CARGO_BIN_EXE_plenum-under-test");
const EVENT: &str = "CREDS";
const F: Fixture = Fixture(EVENT);

/// An invitation: (the invitation, its id).
async fn invite(http: &Http, key: &str, role: &str, name: &str) -> (String, String) {
    let a = http
        .send(
            "POST",
            &format!("/api/events/{EVENT}/invites"),
            Some(key),
            Some(&json!({"role": role, "name": name})),
        )
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    (
        a.body["invite"].as_str().unwrap().to_owned(),
        a.body["id"].as_str().unwrap().to_owned(),
    )
}

/// Redeems an invitation: (status, token).
async fn redeem(http: &Http, invitation: &str) -> (u16, Option<String>) {
    let a = http
        .send(
            "POST",
            &format!("/api/events/{EVENT}/join"),
            None,
            Some(&json!({ "invite": invitation })),
        )
        .await
        .unwrap();
    (a.status, a.body["token"].as_str().map(str::to_owned))
}

/// How a hello with `token` is answered: the person's id, or the close code.
async fn hello(url: &str, token: &str) -> Result<String, u16> {
    let mut ws = Ws::connect_raw(url, None).await.unwrap();
    ws.send(
        &ClientMsg::Hello {
            versions: vec![1],
            token: token.into(),
        },
        None,
    )
    .await
    .unwrap();
    match ws.recv().await.unwrap() {
        ServerMsg::Welcome { person, .. } => Ok(person.id),
        ServerMsg::Error { code, .. } => {
            assert_eq!(code, ErrorCode::Unauthenticated);
            match ws.until_closed().await.unwrap() {
                Ended::Closed(code) => Err(code),
                Ended::Dropped => Err(0),
            }
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_withdrawn_invitation_ends_what_it_made_and_nothing_else() {
    let server = F.server(TestConfig::default()).await;
    let http = server.http();
    let key = server.organiser_key.clone();
    let (mia_invite, mia_id) = invite(&http, &key, "moderator", "Mia").await;
    let (sven_invite, _) = invite(&http, &key, "speaker", "Sven").await;
    let (ada_invite, ada_id) = invite(&http, &key, "attendee", "Ada").await;
    let mia_token = redeem(&http, &mia_invite).await.1.unwrap();
    let sven_token = redeem(&http, &sven_invite).await.1.unwrap();
    let ada_token = redeem(&http, &ada_invite).await.1.unwrap();
    let eva_token = http.join(EVENT, Some("Eva")).await.unwrap();

    // Mia is moderating when her invitation is withdrawn.
    let mut mia = Member::following(
        Ws::connect(&server.ws_url(), &mia_token).await.unwrap(),
        &F.room(),
    )
    .await;
    // Only organisers withdraw, and only ids the server could have made.
    let forbidden = http
        .send(
            "DELETE",
            &format!("/api/events/{EVENT}/invites/{mia_id}"),
            Some(&sven_token),
            None,
        )
        .await
        .unwrap();
    assert_eq!(forbidden.status, 403, "{}", forbidden.body);
    let bogus = http
        .send(
            "DELETE",
            &format!("/api/events/{EVENT}/invites/not-an-id"),
            Some(&key),
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        (bogus.status, bogus.body["field"].as_str()),
        (400, Some("invitation"))
    );
    for id in [&mia_id, &ada_id, &mia_id] {
        let a = http
            .send(
                "DELETE",
                &format!("/api/events/{EVENT}/invites/{id}"),
                Some(&key),
                None,
            )
            .await
            .unwrap();
        assert_eq!(a.status, 200, "withdrawing (again) is fine: {}", a.body);
    }
    // Her open connection is cut at her next request…
    let id = mia
        .ws
        .request(&ClientMsg::Highlight {
            event: F.ev(),
            session: F.s1(),
            question: None,
        })
        .await
        .unwrap();
    let answer = mia.ws.reply(id).await.unwrap();
    assert_eq!(refused(&answer), ErrorCode::Unauthenticated);
    assert_eq!(
        mia.ws.until_closed().await.unwrap(),
        Ended::Closed(close::AUTH_FAILED)
    );
    // …her token is refused at hello and over HTTP, and the invitation no longer redeems.
    assert_eq!(
        hello(&server.ws_url(), &mia_token).await,
        Err(close::AUTH_FAILED)
    );
    let stage = http
        .set_stage(&mia_token, EVENT, "s1", json!({"status": "live"}))
        .await
        .unwrap();
    assert_eq!(stage.status, 401, "{}", stage.body);
    assert_eq!(redeem(&http, &mia_invite).await.0, 401);
    // The registration link withdrawn too; Ada's token with it.
    assert_eq!(redeem(&http, &ada_invite).await.0, 401);
    assert_eq!(
        hello(&server.ws_url(), &ada_token).await,
        Err(close::AUTH_FAILED)
    );
    // Everyone else is untouched.
    assert!(hello(&server.ws_url(), &sven_token).await.is_ok());
    assert!(hello(&server.ws_url(), &eva_token).await.is_ok());
    assert_eq!(redeem(&http, &sven_invite).await.0, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resetting_the_organiser_key_ends_staff_credentials_and_keeps_attendees() {
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::spawn(BIN, dir.path(), &[]).await.unwrap();
    let old_key = server.organiser_key.clone().unwrap();
    let http = server.http();
    create_small_event(&http, &old_key, EVENT).await.unwrap();
    let (staff_invite, _) = invite(&http, &old_key, "moderator", "Mia").await;
    let staff_token = redeem(&http, &staff_invite).await.1.unwrap();
    let (registration, _) = invite(&http, &old_key, "attendee", "Ada").await;
    let ada_token = redeem(&http, &registration).await.1.unwrap();
    let eva_token = http.join(EVENT, Some("Eva")).await.unwrap();
    let eva = hello(&server.ws_url(), &eva_token).await.unwrap();
    let ada = hello(&server.ws_url(), &ada_token).await.unwrap();
    server.terminate().await.unwrap();

    let server = ServerProcess::spawn(BIN, dir.path(), &["--reset-organiser-key"])
        .await
        .unwrap();
    let new_key = server.organiser_key.clone().expect("a new key is printed");
    assert_ne!(new_key, old_key);
    let http = server.http();
    // What the old key could hand out ends: the key itself, staff tokens and invitations.
    let a = http
        .send(
            "POST",
            &format!("/api/events/{EVENT}/invites"),
            Some(&old_key),
            Some(&json!({"role": "moderator", "name": "X"})),
        )
        .await
        .unwrap();
    assert_eq!(a.status, 401);
    assert_eq!(
        hello(&server.ws_url(), &staff_token).await,
        Err(close::AUTH_FAILED)
    );
    assert_eq!(redeem(&http, &staff_invite).await.0, 401);
    // Attendees stay who they were: the same ids, so nobody can vote twice.
    assert_eq!(hello(&server.ws_url(), &eva_token).await, Ok(eva));
    assert_eq!(hello(&server.ws_url(), &ada_token).await, Ok(ada.clone()));
    let (status, token) = redeem(&http, &registration).await;
    assert_eq!(status, 200);
    assert_eq!(hello(&server.ws_url(), &token.unwrap()).await, Ok(ada));
    // Staff get new invitations from the new key.
    let (fresh, _) = invite(&http, &new_key, "moderator", "Mia").await;
    let token = redeem(&http, &fresh).await.1.unwrap();
    assert!(hello(&server.ws_url(), &token).await.is_ok());
}
