//! Real `redis-server` processes on spare ports, and instances sharing them.

use crate::*;
use std::{process::Stdio, time::Duration};

/// A real `redis-server` on a spare 127.0.0.1 port, with the persistence `docs/deploy.md`
/// recommends (append-only file, fsync on every write). Killed when dropped.
pub struct RedisServer {
    pub port: u16,
    dir: tempfile::TempDir,
    child: Option<std::process::Child>,
}

impl RedisServer {
    pub fn start() -> RedisServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a spare port")
            .port();
        let mut redis = RedisServer {
            port,
            dir: tempfile::tempdir().expect("temp dir"),
            child: None,
        };
        redis.spawn();
        redis
    }

    /// Starts redis-server again on the same port and directory (what it wrote is kept).
    pub fn restart(&mut self) {
        self.kill9();
        self.spawn();
    }

    fn spawn(&mut self) {
        let child = std::process::Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .arg("--dir")
            .arg(self.dir.path())
            .args([
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
            ])
            .args(["--daemonize", "no", "--loglevel", "warning"])
            .stdout(Stdio::null())
            .spawn()
            .expect("redis-server runs (scripts/setup installs it)");
        self.child = Some(child);
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            if self.try_cmd(&["PING"]).is_ok() {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "redis-server did not answer on port {}",
                self.port
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGKILL: what was acknowledged is in the append-only file, nothing else runs.
    pub fn kill9(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// Runs one command (`CONFIG SET ...`, `CLIENT KILL ...`).
    pub fn try_cmd(&self, args: &[&str]) -> redis::RedisResult<redis::Value> {
        let client = ::redis::Client::open(self.url())?;
        let mut conn = client.get_connection_with_timeout(Duration::from_secs(1))?;
        let mut cmd = ::redis::cmd(args[0]);
        for a in &args[1..] {
            cmd.arg(*a);
        }
        cmd.query(&mut conn)
    }

    pub fn cmd(&self, args: &[&str]) -> redis::Value {
        self.try_cmd(args).expect("redis answers")
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// Instances of Plenum sharing one [`RedisServer`], in this process. The first start on a
/// fresh Redis makes the organiser key; the others share it.
pub async fn redis_instances(redis: &RedisServer, n: usize, config: TestConfig) -> Vec<TestServer> {
    let mut servers: Vec<TestServer> = Vec::new();
    for _ in 0..n {
        let mut c = config.clone();
        c.redis = vec![redis.url()];
        c.organiser_key = servers
            .first()
            .map(|s| s.organiser_key.clone())
            .or(config.organiser_key.clone());
        servers.push(TestServer::start_with(c).await);
    }
    servers
}
