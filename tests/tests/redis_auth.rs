//! Redis with an ACL user (issue 12, item 14): Plenum runs as a user that may touch only its own
//! keys and channels (`plenum:*`), and a wrong password keeps it from starting.

use plenum_tests::*;
use serde_json::json;

const EVENT: &str = "ACL";
const F: Fixture = Fixture(EVENT);

/// The user docs/deploy.md recommends: Plenum's keys and channels, no admin commands.
fn plenum_user(redis: &RedisServer) {
    redis.cmd(&[
        "ACL",
        "SETUSER",
        "plenum",
        "on",
        ">s3cret",
        "~plenum:*",
        "&plenum:*",
        "+@all",
        "-@admin",
        "-@dangerous",
    ]);
}

fn as_user(redis: &RedisServer, password: &str) -> String {
    format!("redis://plenum:{password}@127.0.0.1:{}/", redis.port)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plenum_runs_as_an_acl_user_confined_to_its_own_keys() {
    let redis = RedisServer::start();
    plenum_user(&redis);
    let config = TestConfig {
        redis: vec![as_user(&redis, "s3cret")],
        ..TestConfig::default()
    };
    let servers = redis_instances(&redis, 2, config).await;
    create_small_event(&servers[0].http(), &servers[0].organiser_key, EVENT)
        .await
        .unwrap();
    let mut follower = F.attendee(&servers[1], "Eva").await;
    let a = servers[0]
        .http()
        .set_stage(
            &servers[0].organiser_key,
            EVENT,
            "s1",
            json!({"status": "live", "on_stage": {"kind": "text", "text": "Through the ACL"}}),
        )
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    follower.catch_up_to(a.body["seq"].as_u64().unwrap()).await;
    assert_eq!(
        follower.session().stage.on_stage,
        plenum_protocol::OnStage::Text {
            text: "Through the ACL".into()
        },
        "written and published as the user, heard on the other instance"
    );
    // Nothing outside plenum:* was needed: the user may not touch anything else.
    let mut conn = ::redis::Client::open(as_user(&redis, "s3cret"))
        .unwrap()
        .get_connection()
        .unwrap();
    let outside: ::redis::RedisResult<()> = ::redis::cmd("SET")
        .arg("other:key")
        .arg("1")
        .query(&mut conn);
    assert!(outside.is_err(), "the user is confined to plenum:*");
}

#[test]
fn a_wrong_password_is_refused_at_start() {
    let redis = RedisServer::start();
    plenum_user(&redis);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut config = plenum_server::Config::new(dir.path().to_path_buf());
    config.redis = vec![as_user(&redis, "wrong")];
    let started = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        plenum_server::start(config, listener).await
    });
    let error = format!("{:#}", started.err().expect("refused"));
    assert!(error.contains("store"), "{error}");
}
