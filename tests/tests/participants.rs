//! Registered participants: a participant import (refused whole for one bad row, naming its
//! row and column), personal links that sign their person in on any device (made with
//! `--public-url`, listed, exported for a mail merge), and a link made anew that ends the old
//! one and every sign-in it made.

use plenum_protocol::{Profile, RoomId, RoomState, ServerMsg};
use plenum_tests::*;
use serde_json::{Value, json};

const F: Fixture = Fixture("PEOPLE");

const PUBLIC: &str = "https://live.example.org";

async fn import(server: &TestServer, token: &str, csv: &str, preview: bool) -> (u16, Value) {
    let path = if preview {
        "/api/events/PEOPLE/people/import?preview=true"
    } else {
        "/api/events/PEOPLE/people/import"
    };
    let a = server
        .http()
        .send_bytes(
            "POST",
            path,
            Some(token),
            csv.as_bytes().to_vec(),
            "text/csv",
        )
        .await
        .unwrap();
    (a.status, a.body)
}

async fn links(server: &TestServer) -> Vec<Value> {
    links_as(server, &server.organiser_key).await
}

async fn links_as(server: &TestServer, token: &str) -> Vec<Value> {
    let a = server
        .http()
        .send("GET", "/api/events/PEOPLE/people/links", Some(token), None)
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    a.body.as_array().unwrap().clone()
}

/// Signs in with a personal link: the answer's status and body.
async fn sign_in(server: &TestServer, link: &str) -> (u16, Value) {
    let invite = link
        .split_once("?invite=")
        .expect("a link with an invitation")
        .1;
    let a = server
        .http()
        .send(
            "POST",
            "/api/events/PEOPLE/join",
            None,
            Some(&json!({ "invite": invite })),
        )
        .await
        .unwrap();
    (a.status, a.body)
}

/// The profile in `token`'s person's inbox, once it is there.
async fn inbox_profile(
    server: &TestServer,
    token: &str,
    until: impl Fn(&Profile) -> bool,
) -> Profile {
    let mut ws = Ws::connect(&server.ws_url(), token).await.unwrap();
    let id = match &ws.welcome {
        Some(ServerMsg::Welcome { person, .. }) => person.id.clone(),
        other => panic!("not welcomed: {other:?}"),
    };
    let room = RoomId::parse(&format!("inbox:PEOPLE:{id}")).unwrap();
    let mut inbox = Mirror::new(room.clone());
    ws.join(&room, None, &mut inbox).await.unwrap();
    let profile = |m: &Mirror| match &m.state {
        Some(RoomState::Inbox(i)) => i.profile.clone(),
        other => panic!("not an inbox: {other:?}"),
    };
    tokio::time::timeout(WAIT, async {
        while !until(&profile(&inbox)) {
            let msg = ws.recv().await.expect("the connection stays");
            inbox.take(&msg).expect("in order, without gaps");
        }
    })
    .await
    .unwrap_or_else(|_| panic!("the inbox never got there: {:?}", profile(&inbox)));
    profile(&inbox)
}

const GOOD: &str = "Name;E-mail;Organisation;Country;Languages;Role;Ticket\n\
                    Ada Lovelace;ada@example.org;Analytical Engines;GB;English;;VIP\n\
                    Sven Berg;Sven.Berg@example.se;Nordic Cluster;Sweden;svenska, en;speaker;\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_gives_personal_links_and_a_bad_row_refuses_it_whole() {
    let server = F
        .server(TestConfig {
            public_url: Some(PUBLIC.into()),
            ..TestConfig::default()
        })
        .await;
    let key = server.organiser_key.clone();

    // One bad row (a country nobody has) refuses the file whole, naming its row and column,
    // and every other mistake with it.
    let bad = format!("{GOOD}Cy;cy-at-example.org;;Atlantis;;;\n");
    let (status, body) = import(&server, &key, &bad, false).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["saved"], false);
    let named: Vec<(u64, &str)> = body["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["row"].as_u64().unwrap(), p["column"].as_str().unwrap()))
        .collect();
    assert_eq!(named, [(4, "E-mail"), (4, "Country")]);
    assert!(links(&server).await.is_empty(), "nothing was saved");

    // An attendee imports nobody.
    let attendee = server.http().join("PEOPLE", Some("Eve")).await.unwrap();
    let (status, body) = import(&server, &attendee, GOOD, false).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("forbidden")),
        "{body}"
    );

    // A preview reads the file and saves nothing.
    let (status, body) = import(&server, &key, GOOD, true).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["saved"], false);
    assert_eq!(body["people"].as_array().unwrap().len(), 2);
    assert_eq!(body["ignored_columns"], json!(["Ticket"]));
    assert!(body["people"][0].get("link").is_none());
    assert!(links(&server).await.is_empty(), "a preview saves nothing");

    // Saved: each person gets a link on the public address.
    let (status, body) = import(&server, &key, GOOD, false).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["saved"], true);
    let people = body["people"].as_array().unwrap();
    let sven = &people[1];
    assert_eq!(sven["row"], 3);
    assert_eq!(sven["email"], "sven.berg@example.se");
    assert_eq!(sven["role"], "speaker");
    assert_eq!(
        sven["profile"],
        json!({"organisation": "Nordic Cluster", "country": "SE", "languages": ["sv", "en"]})
    );
    let ada_link = people[0]["link"].as_str().unwrap().to_owned();
    assert!(
        ada_link.starts_with(&format!("{PUBLIC}/e/PEOPLE?invite=")),
        "{ada_link}"
    );

    // The link signs Ada in, registered, as the person the import made, on any device; her
    // imported profile is in her inbox.
    let (status, joined) = sign_in(&server, &ada_link).await;
    assert_eq!(status, 200, "{joined}");
    assert_eq!(joined["person"]["id"], people[0]["person"]);
    assert_eq!(joined["person"]["name"], "Ada Lovelace");
    assert_eq!(joined["person"]["registered"], true);
    let (_, again) = sign_in(&server, &ada_link).await;
    assert_eq!(
        again["person"]["id"], people[0]["person"],
        "the same person twice"
    );
    let token = joined["token"].as_str().unwrap();
    let profile = inbox_profile(&server, token, |p| !p.is_empty()).await;
    assert_eq!(profile.organisation.as_deref(), Some("Analytical Engines"));
    assert_eq!(profile.country.as_deref(), Some("GB"));
    let (_, sven_joined) = sign_in(&server, sven["link"].as_str().unwrap()).await;
    assert_eq!(sven_joined["person"]["role"], "speaker");

    // Listed for the mail merge, with whether each has joined; as CSV too.
    let listed = links(&server).await;
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0]["link"], ada_link.as_str());
    assert_eq!(listed[0]["joined"], true);
    let (status, kind, bytes) = server
        .http()
        .get_bytes_as("/api/events/PEOPLE/people/links?format=csv", Some(&key))
        .await
        .unwrap();
    assert_eq!(status, 200);
    assert!(kind.starts_with("text/csv"), "{kind}");
    let text = String::from_utf8(bytes).unwrap();
    let mut rows = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = rows.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(
        header,
        [
            "name",
            "email",
            "organisation",
            "country",
            "languages",
            "role",
            "link",
            "joined"
        ]
    );
    let first = rows.records().next().unwrap().unwrap();
    assert_eq!(&first[0], "Ada Lovelace");
    assert_eq!(&first[4], "en");
    assert_eq!(&first[6], ada_link.as_str());

    // Imported again with a new organisation: the same Ada (her email says so), her profile
    // updated on her devices; her name and link stay.
    let moved = GOOD.replace("Analytical Engines", "Difference Engines");
    let (status, body) = import(&server, &key, &moved, false).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["people"][0]["new"], false);
    assert_eq!(body["people"][0]["person"], people[0]["person"]);
    assert!(
        body["people"][0].get("link").is_none(),
        "her link is the one she has"
    );
    let profile = inbox_profile(&server, token, |p| {
        p.organisation.as_deref() == Some("Difference Engines")
    })
    .await;
    assert_eq!(profile.languages, ["en"]);
    assert_eq!(links(&server).await.len(), 2, "nobody new");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_made_anew_refuses_the_old_one_and_its_sign_ins() {
    let server = F.server(TestConfig::default()).await;
    let key = server.organiser_key.clone();
    let (status, body) = import(&server, &key, "name,email\nBo,bo@example.org\n", false).await;
    assert_eq!(status, 200, "{body}");
    let person = body["people"][0]["person"].as_str().unwrap().to_owned();
    let old = body["people"][0]["link"].as_str().unwrap().to_owned();
    // Without --public-url, the address the request came to.
    assert!(
        old.starts_with(&format!("{}/e/PEOPLE?invite=", server.http().origin())),
        "{old}"
    );
    let (_, joined) = sign_in(&server, &old).await;
    let old_token = joined["token"].as_str().unwrap().to_owned();
    let me = |token: String| {
        let http = server.http();
        async move {
            http.send("GET", "/api/me", Some(&token), None)
                .await
                .unwrap()
                .status
        }
    };
    assert_eq!(me(old_token.clone()).await, 200);

    // An attendee makes nobody's link; a person nobody imported has none.
    let eve = server.http().join("PEOPLE", Some("Eve")).await.unwrap();
    let path = format!("/api/events/PEOPLE/people/{person}/link");
    let by_eve = server
        .http()
        .send("POST", &path, Some(&eve), None)
        .await
        .unwrap();
    assert_eq!(by_eve.status, 403, "{}", by_eve.body);
    let nobody = server
        .http()
        .send(
            "POST",
            "/api/events/PEOPLE/people/inv-AAAAAAAAAAAAAAAA/link",
            Some(&key),
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        (nobody.status, nobody.body["code"].as_str()),
        (404, Some("not_found"))
    );

    // Made anew: a new link, the same person.
    let made = server
        .http()
        .send("POST", &path, Some(&key), None)
        .await
        .unwrap();
    assert_eq!(made.status, 200, "{}", made.body);
    assert_eq!(made.body["reissued"], 1);
    assert_eq!(made.body["person"], person.as_str());
    let new = made.body["link"].as_str().unwrap().to_owned();
    assert_ne!(new, old);

    // The old link, and the device it signed in, are refused; the new one is Bo.
    let (status, refused) = sign_in(&server, &old).await;
    assert_eq!(
        (status, refused["code"].as_str()),
        (401, Some("unauthenticated")),
        "{refused}"
    );
    assert_eq!(me(old_token.clone()).await, 401);
    assert!(
        Ws::connect(&server.ws_url(), &old_token).await.is_err(),
        "hello is refused"
    );
    let (status, joined) = sign_in(&server, &new).await;
    assert_eq!(status, 200, "{joined}");
    assert_eq!(joined["person"]["id"], person.as_str());
    assert_eq!(me(joined["token"].as_str().unwrap().to_owned()).await, 200);
    let listed = links(&server).await;
    assert_eq!(
        (listed[0]["link"].as_str(), &listed[0]["reissued"]),
        (Some(new.as_str()), &json!(1))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn across_instances_a_new_link_ends_the_old_one_on_every_instance() {
    let redis = RedisServer::start();
    let servers = redis_instances(&redis, 2, TestConfig::default()).await;
    create_small_event(&servers[0].http(), &servers[0].organiser_key, "PEOPLE")
        .await
        .unwrap();
    // Imported on one instance; Bo signs in with his link on the other.
    let (status, body) = import(
        &servers[0],
        &servers[0].organiser_key,
        "name,organisation,languages\nBo,Baltic Ports,en sv\n",
        false,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let person = body["people"][0]["person"].as_str().unwrap().to_owned();
    let old = body["people"][0]["link"].as_str().unwrap().to_owned();
    let (status, joined) = sign_in(&servers[1], &old).await;
    assert_eq!(status, 200, "{joined}");
    let token = joined["token"].as_str().unwrap().to_owned();
    // His imported profile reaches his inbox there.
    let profile = inbox_profile(&servers[1], &token, |p| !p.is_empty()).await;
    assert_eq!(profile.languages, ["en", "sv"]);

    // A new link, made on the first instance: the second refuses the old one and his sign-in.
    let made = servers[0]
        .http()
        .send(
            "POST",
            &format!("/api/events/PEOPLE/people/{person}/link"),
            Some(&servers[0].organiser_key),
            None,
        )
        .await
        .unwrap();
    assert_eq!(made.status, 200, "{}", made.body);
    let http = servers[1].http();
    eventually("the other instance refuses the old sign-in", || {
        let (http, token) = (http.clone(), token.clone());
        async move {
            let status = http
                .send("GET", "/api/me", Some(&token), None)
                .await
                .ok()?
                .status;
            (status == 401).then_some(())
        }
    })
    .await;
    let (status, _) = sign_in(&servers[1], &old).await;
    assert_eq!(status, 401);
    let (status, again) = sign_in(&servers[1], made.body["link"].as_str().unwrap()).await;
    assert_eq!(
        (status, again["person"]["id"].as_str()),
        (200, Some(person.as_str()))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_co_organiser_sees_and_makes_anew_only_the_links_of_the_people_they_imported() {
    let server = F.server(TestConfig::default()).await;
    let key = server.organiser_key.clone();
    let (status, body) = import(&server, &key, "name\nAda Lovelace\n", false).await;
    assert_eq!(status, 200, "{body}");
    let invite = server
        .http()
        .send(
            "POST",
            "/api/events/PEOPLE/invites",
            Some(&key),
            Some(&json!({"role": "organiser", "name": "Cora"})),
        )
        .await
        .unwrap();
    assert_eq!(invite.status, 200, "{}", invite.body);
    let (status, cora) = sign_in(&server, invite.body["link"].as_str().unwrap()).await;
    assert_eq!(status, 200, "{cora}");
    let co = cora["token"].as_str().unwrap().to_owned();
    let (status, body) = import(&server, &co, "name\nBo Berg\n", false).await;
    assert_eq!(status, 200, "{body}");

    let seen = |list: Vec<Value>| -> Vec<(String, bool, bool)> {
        list.iter()
            .map(|p| {
                (
                    p["name"].as_str().unwrap().to_owned(),
                    p["link"].is_string(),
                    p["yours"].as_bool().unwrap(),
                )
            })
            .collect()
    };
    assert_eq!(
        seen(links_as(&server, &co).await),
        [
            ("Ada Lovelace".into(), false, false),
            ("Bo Berg".into(), true, true)
        ]
    );
    assert_eq!(
        seen(links(&server).await),
        [
            ("Ada Lovelace".into(), true, true),
            ("Bo Berg".into(), true, true)
        ]
    );
    let everyone = links(&server).await;
    let anew = |i: usize| {
        format!(
            "/api/events/PEOPLE/people/{}/link",
            everyone[i]["person"].as_str().unwrap()
        )
    };
    let refused = server
        .http()
        .send("POST", &anew(0), Some(&co), None)
        .await
        .unwrap();
    assert_eq!(
        (refused.status, refused.body["code"].as_str()),
        (403, Some("forbidden"))
    );
    let made = server
        .http()
        .send("POST", &anew(1), Some(&co), None)
        .await
        .unwrap();
    assert_eq!(made.status, 200, "{}", made.body);
    assert_eq!(made.body["reissued"], 1);
}
