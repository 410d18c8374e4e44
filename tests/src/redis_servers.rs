//! Real `redis-server` processes on spare ports, and instances sharing them.

use crate::*;
use std::{process::Stdio, time::Duration};

/// A real `redis-server` on a spare 127.0.0.1 port, with the persistence `docs/deploy.md`
/// recommends (append-only file, fsync on every write). Killed when dropped.
pub struct RedisServer {
    pub port: u16,
    dir: tempfile::TempDir,
    child: Option<std::process::Child>,
    /// More arguments for redis-server (`--replicaof …`, `--cluster-enabled yes`).
    extra: Vec<String>,
}

impl RedisServer {
    pub fn start() -> RedisServer {
        Self::start_with(&[])
    }

    /// A redis-server with more arguments.
    pub fn start_with(extra: &[&str]) -> RedisServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a spare port")
            .port();
        let mut redis = RedisServer {
            port,
            dir: tempfile::tempdir().expect("temp dir"),
            child: None,
            extra: extra.iter().map(|a| a.to_string()).collect(),
        };
        redis.spawn();
        redis
    }

    /// A replica of `primary`, in sync with it before this returns.
    pub fn replica_of(primary: &RedisServer) -> RedisServer {
        let port = primary.port.to_string();
        let replica = Self::start_with(&["--replicaof", "127.0.0.1", &port]);
        primary.sync_replicas();
        replica
    }

    /// Returns once a replica has everything written so far (a write of its own, then `WAIT`
    /// for it on the same connection: replication keeps the order).
    pub fn sync_replicas(&self) {
        let client = ::redis::Client::open(self.url()).expect("url");
        let mut conn = client
            .get_connection_with_timeout(Duration::from_secs(1))
            .expect("redis answers");
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            let _: () = ::redis::cmd("SET")
                .arg("plenum-test:sync")
                .arg("1")
                .query(&mut conn)
                .expect("SET");
            let acked: i64 = ::redis::cmd("WAIT")
                .arg(1)
                .arg(500)
                .query(&mut conn)
                .expect("WAIT");
            if acked >= 1 {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the replica never synced"
            );
        }
    }

    /// Freezes (SIGSTOP) or thaws (SIGCONT) the process.
    pub fn signal(&self, signal: &str) {
        let pid = self.child.as_ref().expect("running").id();
        let status = std::process::Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(pid.to_string())
            .status()
            .expect("kill runs");
        assert!(status.success());
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
            .args(&self.extra)
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
