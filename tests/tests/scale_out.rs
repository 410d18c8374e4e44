//! Several instances sharing one real Redis: one vote per person whichever instances they use,
//! exact and identical results on every instance under a storm, and nginx (Debian's, with the
//! documented configuration) balancing WebSocket clients over two instances.

use plenum_protocol::{Answer, ClientMsg, PollId, PollStep, QuestionId, RoomState, ServerMsg};
use plenum_tests::*;
use serde_json::json;
use std::{path::Path, time::Duration};

const CODE: &str = "SCALE";
const F: Fixture = Fixture(CODE);

fn vote(poll: PollId, option: u32) -> ClientMsg {
    ClientMsg::Vote {
        event: F.ev(),
        session: F.s1(),
        poll,
        answer: Answer::Single { option },
    }
}

fn upvote(question: QuestionId) -> ClientMsg {
    ClientMsg::Upvote {
        event: F.ev(),
        session: F.s1(),
        question,
        up: true,
    }
}

/// A speaker on `server` opens a four-option poll and asks a question; returns both ids.
async fn poll_and_question(server: &TestServer) -> (Member, PollId, QuestionId) {
    let mut speaker = Member::invited(server, CODE, "speaker", "Sofia", &F.room()).await;
    let poll = speaker.open_poll(4).await;
    let question = speaker.ask_question("Shared question").await;
    (speaker, poll, question)
}

fn step(poll: PollId, step: PollStep) -> ClientMsg {
    ClientMsg::RunPoll {
        event: F.ev(),
        session: F.s1(),
        poll,
        step,
    }
}

/// (results, ballots, question votes) as a view has them.
fn outcome(view: &Mirror, poll: PollId, question: QuestionId) -> (serde_json::Value, u64, u64) {
    let Some(RoomState::Session(s)) = &view.state else {
        panic!("not a session")
    };
    let p = s.poll(poll).unwrap();
    (
        serde_json::to_value(&p.results).unwrap(),
        p.ballots,
        s.qa.get(question).unwrap().votes,
    )
}

/// A newcomer's view on `server` once the question's coalesced tally shows `votes`.
async fn settled_view(server: &TestServer, question: QuestionId, votes: u64) -> Mirror {
    let mut observer = Member::attendee(server, CODE, "Observer", &F.room()).await;
    observer
        .until_qa(|qa| qa.get(question).is_some_and(|q| q.votes == votes))
        .await;
    observer.view
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_person_on_two_instances_at_once_votes_once() {
    const PEOPLE: usize = 30;
    let redis = RedisServer::start();
    let servers = redis_instances(&redis, 2, TestConfig::default()).await;
    create_small_event(&servers[0].http(), &servers[0].organiser_key, CODE)
        .await
        .unwrap();
    let (mut speaker, poll, question) = poll_and_question(&servers[0]).await;
    let mut people = Vec::new();
    for i in 0..PEOPLE {
        let token = servers[0]
            .http()
            .join(CODE, Some(&format!("P{i}")))
            .await
            .unwrap();
        let (url_a, url_b) = (servers[0].ws_url(), servers[1].ws_url());
        people.push(tokio::spawn(async move {
            // The phone on one instance, the laptop on the other, both voting and upvoting
            // at the same moment.
            let mut phone = Ws::connect(&url_a, &token).await.unwrap();
            let mut laptop = Ws::connect(&url_b, &token).await.unwrap();
            let a = phone.request(&vote(poll, 0)).await.unwrap();
            let b = laptop.request(&vote(poll, 1)).await.unwrap();
            let c = phone.request(&upvote(question)).await.unwrap();
            let d = laptop.request(&upvote(question)).await.unwrap();
            for (ws, ids) in [(&mut phone, [a, c]), (&mut laptop, [b, d])] {
                for id in ids {
                    let answer = ws.reply(id).await.unwrap();
                    assert!(matches!(answer, ServerMsg::Ok { .. }), "{answer:?}");
                }
            }
        }));
    }
    for p in people {
        p.await.unwrap();
    }
    let closed = speaker.ask(step(poll, PollStep::Close)).await;
    assert!(matches!(closed, ServerMsg::Ok { .. }), "{closed:?}");
    for s in &servers {
        let view = settled_view(s, question, PEOPLE as u64).await;
        let (results, ballots, votes) = outcome(&view, poll, question);
        assert_eq!((ballots, votes), (PEOPLE as u64, PEOPLE as u64), "one each");
        let counts: Vec<u64> = serde_json::from_value(results["counts"].clone()).unwrap();
        assert_eq!(counts.iter().sum::<u64>(), PEOPLE as u64, "{results}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_instances_with_a_thousand_clients_each_agree_exactly() {
    const PER_INSTANCE: usize = 1000;
    const PEOPLE: usize = 3 * PER_INSTANCE;
    let redis = RedisServer::start();
    let servers = redis_instances(&redis, 3, TestConfig::default()).await;
    create_small_event(&servers[0].http(), &servers[0].organiser_key, CODE)
        .await
        .unwrap();
    let (mut speaker, poll, question) = poll_and_question(&servers[1]).await;
    let started = std::time::Instant::now();
    let mut people = Vec::new();
    for i in 0..PEOPLE {
        let server = &servers[i % 3];
        let (url, http) = (server.ws_url(), server.http());
        people.push(tokio::spawn(async move {
            let token = http.join(CODE, Some(&format!("P{i}"))).await.unwrap();
            let mut ws = Ws::connect(&url, &token).await.unwrap();
            // Everyone first votes 0, then settles on i % 4, and upvotes: one ballot and one
            // upvote per person in the end.
            for msg in [vote(poll, 0), vote(poll, (i % 4) as u32), upvote(question)] {
                let r = ws.request(&msg).await.unwrap();
                let answer = ws.reply(r).await.unwrap();
                assert!(matches!(answer, ServerMsg::Ok { .. }), "{answer:?}");
            }
            ws
        }));
    }
    let mut connections = Vec::new();
    for p in people {
        connections.push(p.await.unwrap());
    }
    let storm = started.elapsed();
    let closed = speaker.ask(step(poll, PollStep::Close)).await;
    assert!(matches!(closed, ServerMsg::Ok { .. }), "{closed:?}");
    let expected = json!({"kind": "choices", "counts": [750, 750, 750, 750]});
    let mut states = Vec::new();
    for s in &servers {
        let view = settled_view(s, question, PEOPLE as u64).await;
        assert_eq!(
            outcome(&view, poll, question),
            (expected.clone(), PEOPLE as u64, PEOPLE as u64)
        );
        states.push(view.state);
    }
    assert!(
        states.windows(2).all(|w| w[0] == w[1]),
        "identical everywhere"
    );
    let (mut conflicts, mut gaps) = (0.0, 0.0);
    for s in &servers {
        conflicts += metric(&s.http(), "plenum_store_conflicts_total").await;
        gaps += metric(&s.http(), "plenum_broker_gaps_total").await;
    }
    // Round trips to Redis, from its own count of commands: commits (one script per room per
    // batch) and stream reads (catching up after a conflict, a gap, or a join).
    let stats = match redis.cmd(&["INFO", "commandstats"]) {
        redis::Value::BulkString(b) => String::from_utf8(b).unwrap(),
        redis::Value::VerbatimString { text, .. } => text,
        other => panic!("{other:?}"),
    };
    let calls = |name: &str| -> u64 {
        stats
            .lines()
            .find_map(|l| l.strip_prefix(&format!("cmdstat_{name}:calls=")))
            .and_then(|rest| rest.split(',').next()?.parse().ok())
            .unwrap_or(0)
    };
    let (commits, reads) = (calls("evalsha"), calls("xrange"));
    let requests = PEOPLE * 3;
    println!(
        "{PEOPLE} clients on 3 instances: {requests} requests in {storm:?}; \
         {commits} commit scripts and {reads} stream reads in Redis; \
         {conflicts} room writes decided again after a conflict, {gaps} gaps filled"
    );
    assert!(
        (commits as usize) < requests,
        "writes are batched: fewer commits ({commits}) than requests ({requests})"
    );
    drop(connections);
}

fn nginx_binary() -> &'static str {
    if Path::new("/usr/sbin/nginx").exists() {
        "/usr/sbin/nginx"
    } else {
        "nginx"
    }
}

/// nginx with `deploy/nginx/plenum.conf`, its ports replaced by the test's. One process
/// (`master_process off`), so killing it leaves no worker behind.
struct Nginx {
    child: std::process::Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Nginx {
    fn start(upstreams: [std::net::SocketAddr; 2]) -> Nginx {
        let dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let documented =
            std::fs::read_to_string(workspace_root().join("deploy/nginx/plenum.conf")).unwrap();
        let mut conf = documented.clone();
        for (from, to) in [
            (
                "listen 8080 backlog=4096;",
                format!("listen 127.0.0.1:{port} backlog=4096;"),
            ),
            ("127.0.0.1:8081", upstreams[0].to_string()),
            ("127.0.0.1:8082", upstreams[1].to_string()),
        ] {
            assert_eq!(
                conf.matches(from).count(),
                1,
                "the documented file has {from}"
            );
            conf = conf.replace(from, &to);
        }
        std::fs::write(dir.path().join("plenum.conf"), conf).unwrap();
        let d = dir.path().display();
        let main = format!(
            "daemon off;\nmaster_process off;\npid {d}/nginx.pid;\nerror_log {d}/error.log warn;\n\
             events {{ worker_connections 1024; }}\n\
             http {{\n  access_log off;\n  client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n\
             fastcgi_temp_path {d}/fcgi;\n  uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n\
             include {d}/plenum.conf;\n}}\n"
        );
        std::fs::write(dir.path().join("nginx.conf"), main).unwrap();
        let child = std::process::Command::new(nginx_binary())
            .arg("-p")
            .arg(dir.path())
            .arg("-c")
            .arg(dir.path().join("nginx.conf"))
            .stderr(std::process::Stdio::inherit())
            .spawn()
            .expect("nginx runs (scripts/setup installs it)");
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(std::time::Instant::now() < deadline, "nginx did not listen");
            std::thread::sleep(Duration::from_millis(20));
        }
        Nginx {
            child,
            port,
            _dir: dir,
        }
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nginx_balances_websocket_clients_over_two_instances() {
    const CLIENTS: usize = 40;
    let redis = RedisServer::start();
    let servers = redis_instances(&redis, 2, TestConfig::default()).await;
    let nginx = Nginx::start([servers[0].addr, servers[1].addr]);
    let public = format!("127.0.0.1:{}", nginx.port);
    let front = Http::new(public.parse().unwrap());
    let key = servers[0].organiser_key.clone();
    create_small_event(&front, &key, CODE).await.unwrap();
    let mut clients = Vec::new();
    for i in 0..CLIENTS {
        let token = front.join(CODE, Some(&format!("C{i}"))).await.unwrap();
        // As a browser on the public address would: with its Origin.
        let mut ws = Ws::connect_raw(
            &format!("ws://{public}/ws"),
            Some(&format!("http://{public}")),
        )
        .await
        .unwrap();
        ws.send(
            &ClientMsg::Hello {
                versions: vec![1],
                token,
            },
            None,
        )
        .await
        .unwrap();
        let welcome = ws.recv().await.unwrap();
        assert!(matches!(welcome, ServerMsg::Welcome { .. }), "{welcome:?}");
        ws.welcome = Some(welcome);
        clients.push(Member::following(ws, &F.room()).await);
    }
    // Both instances hold some of the clients.
    for s in &servers {
        let held = metric(&s.http(), "plenum_connections").await;
        assert!(
            held >= 5.0,
            "an instance holds only {held} of {CLIENTS} connections"
        );
    }
    let mut last = 0;
    for i in 0..10 {
        let a = front
            .set_stage(
                &key,
                CODE,
                "s1",
                json!({"on_stage": {"kind": "text", "text": format!("Slide {i}")}}),
            )
            .await
            .unwrap();
        assert_eq!(a.status, 200, "{}", a.body);
        last = a.body["seq"].as_u64().unwrap();
    }
    for c in &mut clients {
        c.catch_up_to(last).await;
        let check = Member::attendee(&servers[0], CODE, "Check", &F.room()).await;
        assert_eq!(c.view.state, check.view.state);
    }
}

/// With a shared store each request first syncs its room with Redis; a later request that
/// synced sooner must still not overtake an earlier one of the same connection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_connections_changes_are_decided_in_the_order_sent() {
    let redis = RedisServer::start();
    let servers = redis_instances(&redis, 2, TestConfig::default()).await;
    create_small_event(&servers[1].http(), &servers[1].organiser_key, CODE)
        .await
        .unwrap();
    check_pipelined_order(&servers[0], CODE).await;
}
