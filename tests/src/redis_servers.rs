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
        Self::start_on(port, extra)
    }

    /// A spare port whose cluster bus port (10,000 higher) is spare too.
    fn spare_cluster_port() -> u16 {
        loop {
            let l = std::net::TcpListener::bind("127.0.0.1:0").expect("a spare port");
            let port = l.local_addr().expect("an address").port();
            if port <= 55_535 && std::net::TcpListener::bind(("127.0.0.1", port + 10_000)).is_ok() {
                return port;
            }
        }
    }

    fn start_on(port: u16, extra: &[&str]) -> RedisServer {
        let redis = Self::try_start_on(port, extra);
        redis.unwrap_or_else(|why| panic!("{why}"))
    }

    /// Like `start_on`, but a server that exits at once (a port another test took between our
    /// probe and its bind) is an error the caller can retry with other ports.
    fn try_start_on(port: u16, extra: &[&str]) -> Result<RedisServer, String> {
        let mut redis = RedisServer {
            port,
            dir: tempfile::tempdir().expect("temp dir"),
            child: None,
            extra: extra.iter().map(|a| a.to_string()).collect(),
        };
        redis.try_spawn()?;
        Ok(redis)
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
        self.sync_replicas_with("plenum-test:sync");
    }

    /// [`RedisServer::sync_replicas`] writing `key` (in a cluster, a key of a slot this node owns).
    pub fn sync_replicas_with(&self, key: &str) {
        let client = ::redis::Client::open(self.url()).expect("url");
        let mut conn = client
            .get_connection_with_timeout(Duration::from_secs(1))
            .expect("redis answers");
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            let _: () = ::redis::cmd("SET")
                .arg(key)
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
        self.try_spawn().unwrap_or_else(|why| panic!("{why}"));
    }

    fn try_spawn(&mut self) -> Result<(), String> {
        // What redis-server says goes to a file beside its data (read when it exits at once).
        let log_path = self.dir.path().join("redis-server.log");
        let log = std::fs::File::create(&log_path).expect("the log file");
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
            .stdout(log.try_clone().expect("the log"))
            .spawn()
            .expect("redis-server runs (scripts/setup installs it)");
        self.child = Some(child);
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            if self.try_cmd(&["PING"]).is_ok() {
                return Ok(());
            }
            let child = self.child.as_mut().expect("just spawned");
            if let Ok(Some(status)) = child.try_wait() {
                let said = std::fs::read_to_string(&log_path).unwrap_or_default();
                self.child = None;
                return Err(format!(
                    "redis-server on port {} exited ({status}): {said}",
                    self.port
                ));
            }
            if std::time::Instant::now() >= deadline {
                return Err(format!("redis-server did not answer on port {}", self.port));
            }
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

/// A real Redis Cluster of three primaries with a replica each, on spare ports, made with
/// `redis-cli --cluster create` (one second of node timeout, so a failover is quick).
pub struct RedisCluster {
    pub nodes: Vec<RedisServer>,
    /// With TLS: each node's TLS port, and the CA's certificate (PEM) and its directory.
    tls: Option<(Vec<u16>, Vec<u8>, tempfile::TempDir)>,
}

/// A CA and a certificate for 127.0.0.1 signed by it, made with `openssl` in `dir`.
fn make_certificates(dir: &std::path::Path) {
    let run = |args: &[&str]| {
        let status = std::process::Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("openssl runs");
        assert!(status.success(), "openssl {args:?}");
    };
    run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        "-days",
        "2",
        "-subj",
        "/CN=plenum-test-ca",
    ]);
    run(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "node.key",
        "-out",
        "node.csr",
        "-subj",
        "/CN=127.0.0.1",
    ]);
    std::fs::write(
        dir.join("ext.cnf"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n\
         keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\n",
    )
    .unwrap();
    run(&[
        "x509",
        "-req",
        "-in",
        "node.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "node.crt",
        "-days",
        "2",
        "-extfile",
        "ext.cnf",
    ]);
}

impl RedisCluster {
    pub fn start() -> RedisCluster {
        Self::start_with_tls(false)
    }

    /// The same cluster speaking TLS to clients, to each other and to replicas (each node keeps a
    /// plain port too, for the test's own commands).
    pub fn start_tls() -> RedisCluster {
        Self::start_with_tls(true)
    }

    fn start_with_tls(tls: bool) -> RedisCluster {
        let certs = tls.then(|| {
            let dir = tempfile::tempdir().expect("temp dir");
            make_certificates(dir.path());
            dir
        });
        let mut tls_ports = Vec::new();
        let nodes: Vec<RedisServer> = (0..6)
            .map(|_| {
                // Ports are probed, then bound by redis-server: another test may take one in
                // between, so a node that cannot bind is started again on fresh ports.
                let mut attempt = 0;
                loop {
                    attempt += 1;
                    let mut args: Vec<String> = [
                        "--cluster-enabled",
                        "yes",
                        "--cluster-config-file",
                        "nodes.conf",
                        "--cluster-node-timeout",
                        "1000",
                    ]
                    .map(String::from)
                    .to_vec();
                    if let Some(dir) = &certs {
                        let port = std::net::TcpListener::bind("127.0.0.1:0")
                            .and_then(|l| l.local_addr())
                            .expect("a spare port")
                            .port();
                        tls_ports.push(port);
                        let file = |name: &str| dir.path().join(name).display().to_string();
                        args.extend([
                            "--tls-port".into(),
                            port.to_string(),
                            "--tls-cert-file".into(),
                            file("node.crt"),
                            "--tls-key-file".into(),
                            file("node.key"),
                            "--tls-ca-cert-file".into(),
                            file("ca.crt"),
                            "--tls-cluster".into(),
                            "yes".into(),
                            "--tls-replication".into(),
                            "yes".into(),
                            "--tls-auth-clients".into(),
                            "no".into(),
                        ]);
                    }
                    let args: Vec<&str> = args.iter().map(String::as_str).collect();
                    match RedisServer::try_start_on(RedisServer::spare_cluster_port(), &args) {
                        Ok(node) => break node,
                        Err(why) if attempt < 5 => {
                            eprintln!("a cluster node did not start, trying other ports: {why}");
                            if certs.is_some() {
                                tls_ports.pop();
                            }
                        }
                        Err(why) => panic!("{why}"),
                    }
                }
            })
            .collect();
        let created = std::process::Command::new("redis-cli")
            .args(["--cluster", "create"])
            .args(nodes.iter().map(|n| format!("127.0.0.1:{}", n.port)))
            .args(["--cluster-replicas", "1", "--cluster-yes"])
            .stdout(Stdio::null())
            .status()
            .expect("redis-cli runs (scripts/setup installs it)");
        assert!(created.success(), "redis-cli --cluster create failed");
        let tls = certs.map(|dir| {
            let ca = std::fs::read(dir.path().join("ca.crt")).expect("the CA");
            (tls_ports, ca, dir)
        });
        let cluster = RedisCluster { nodes, tls };
        cluster.wait_until_ok(&[]);
        // And every replica attached and in sync, every primary with its replica.
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        for node in &cluster.nodes {
            loop {
                let info = match node.try_cmd(&["INFO", "replication"]) {
                    Ok(redis::Value::BulkString(b)) => String::from_utf8_lossy(&b).into_owned(),
                    Ok(redis::Value::VerbatimString { text, .. }) => text,
                    _ => String::new(),
                };
                let ready = (info.contains("role:master") && info.contains("connected_slaves:1"))
                    || (info.contains("role:slave") && info.contains("master_link_status:up"));
                if ready {
                    break;
                }
                assert!(
                    std::time::Instant::now() < deadline,
                    "replication never settled: {info}"
                );
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        cluster
    }

    /// Waits until node `primary` has a replica in sync.
    pub fn wait_for_replica(&self, primary: usize) {
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        loop {
            let info = match self.nodes[primary].try_cmd(&["INFO", "replication"]) {
                Ok(redis::Value::BulkString(b)) => String::from_utf8_lossy(&b).into_owned(),
                Ok(redis::Value::VerbatimString { text, .. }) => text,
                _ => String::new(),
            };
            if info.contains("connected_slaves:1") && info.contains("state=online") {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "no replica joined node {primary}: {info}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Seed URLs: every node (over TLS, `rediss://`, for a TLS cluster).
    pub fn urls(&self) -> Vec<String> {
        match &self.tls {
            Some((ports, ..)) => ports
                .iter()
                .map(|p| format!("rediss://127.0.0.1:{p}/"))
                .collect(),
            None => self.nodes.iter().map(RedisServer::url).collect(),
        }
    }

    /// The CA certificate of a TLS cluster (PEM).
    pub fn ca(&self) -> Option<Vec<u8>> {
        self.tls.as_ref().map(|(_, ca, _)| ca.clone())
    }

    /// Waits until every node but `except` says the cluster is `ok`.
    pub fn wait_until_ok(&self, except: &[usize]) {
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        for (i, node) in self.nodes.iter().enumerate() {
            if except.contains(&i) {
                continue;
            }
            loop {
                let ok = cluster_info(node).contains("cluster_state:ok");
                if ok {
                    break;
                }
                assert!(
                    std::time::Instant::now() < deadline,
                    "the cluster never became ok on node {i}"
                );
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }

    /// The indexes of the primary owning `key`'s slot and of its replica, as `asked` sees them.
    pub fn owners(&self, key: &str, asked: usize) -> (usize, usize) {
        let node = &self.nodes[asked];
        let slot = match node.cmd(&["CLUSTER", "KEYSLOT", key]) {
            redis::Value::Int(s) => s,
            other => panic!("{other:?}"),
        };
        let redis::Value::Array(ranges) = node.cmd(&["CLUSTER", "SLOTS"]) else {
            panic!("CLUSTER SLOTS")
        };
        let port_of = |v: &redis::Value| match v {
            redis::Value::Array(parts) => match parts.get(1) {
                Some(redis::Value::Int(p)) => *p as u16,
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        };
        let index_of = |port: u16| {
            self.nodes
                .iter()
                .position(|n| n.port == port)
                .expect("a node of this cluster")
        };
        for range in ranges {
            let redis::Value::Array(parts) = range else {
                continue;
            };
            let (Some(redis::Value::Int(from)), Some(redis::Value::Int(to))) =
                (parts.first(), parts.get(1))
            else {
                continue;
            };
            if (*from..=*to).contains(&slot) {
                let primary = index_of(port_of(&parts[2]));
                // Its replica, as the primary itself tells (`slave0:ip=…,port=…`).
                let info = match self.nodes[primary].cmd(&["INFO", "replication"]) {
                    redis::Value::BulkString(b) => String::from_utf8_lossy(&b).into_owned(),
                    redis::Value::VerbatimString { text, .. } => text,
                    other => panic!("{other:?}"),
                };
                let port: u16 = info
                    .lines()
                    .find_map(|l| l.strip_prefix("slave0:"))
                    .and_then(|l| l.split(',').find_map(|kv| kv.strip_prefix("port=")))
                    .and_then(|p| p.trim().parse().ok())
                    .unwrap_or_else(|| panic!("no replica: {info}"));
                return (primary, index_of(port));
            }
        }
        panic!("no node owns slot {slot}")
    }
}

fn cluster_info(node: &RedisServer) -> String {
    match node.try_cmd(&["CLUSTER", "INFO"]) {
        Ok(redis::Value::BulkString(b)) => String::from_utf8_lossy(&b).into_owned(),
        Ok(redis::Value::VerbatimString { text, .. }) => text,
        Ok(redis::Value::SimpleString(s)) => s,
        _ => String::new(),
    }
}
