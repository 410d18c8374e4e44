//! Limits per client address: HTTP requests, joins, questions and open WebSockets.
//!
//! A venue puts hundreds of phones behind one address, so the defaults let 1,000 phones behind
//! one NAT load the client, join and connect within a minute, and refuse a burst of thousands
//! of joins in seconds. Every limit is a flag (`--address-…`); tests and benchmarks set their own.
//!
//! The address is the TCP peer's; behind a reverse proxy that is the proxy, so for a peer listed
//! in `--trust-proxy` it is the last address in `X-Forwarded-For` (the one the proxy added).
//! From any other peer the header is ignored: anyone can write it. IPv6 addresses count by their
//! /64 network, which one household or phone commonly holds whole.
//!
//! The tables hold the addresses active lately: a bucket that has filled up again says nothing a
//! fresh one would not, so [`AddressLimits::sweep`] drops it, and an address with no open
//! WebSocket has no entry.

use super::requests::Bucket;
use axum::http::HeaderMap;
use std::{
    net::{IpAddr, Ipv6Addr},
    sync::Arc,
    time::Duration,
};

/// What one address may do. Rates are per second; bursts are what a full bucket allows at once.
#[derive(Debug, Clone, PartialEq)]
pub struct AddressConfig {
    /// Your reverse proxies: from these peers the client's address is taken from
    /// `X-Forwarded-For`.
    pub trusted_proxies: Vec<IpAddr>,
    /// HTTP requests (the web client's files included).
    pub requests_per_second: f64,
    pub request_burst: f64,
    /// `POST /api/events/{code}/join`: new identities.
    pub joins_per_second: f64,
    pub join_burst: f64,
    /// Questions asked or edited, across every identity at the address.
    pub asks_per_second: f64,
    pub ask_burst: f64,
    /// Open WebSockets at once.
    pub websockets: usize,
    /// Open TCP connections at once, whatever they carry, per peer (a listed proxy is not
    /// counted so): half of `--max-connections`, so no one peer takes every place.
    pub connections: usize,
}

impl Default for AddressConfig {
    fn default() -> Self {
        AddressConfig {
            trusted_proxies: Vec::new(),
            // 1,000 phones loading the client (about 10 requests each) within a minute.
            requests_per_second: 200.0,
            request_burst: 2000.0,
            // 1,000 phones joining within a minute; 3,000 joins in 3 s get 260 through.
            joins_per_second: 20.0,
            join_burst: 200.0,
            // A plenary of 1,000 behind one address asks far fewer than 100 questions a minute.
            asks_per_second: 2.0,
            ask_burst: 100.0,
            websockets: 2000,
            connections: usize::MAX,
        }
    }
}

impl AddressConfig {
    /// No limit worth the name: for tests and benchmarks that make thousands of identities
    /// from 127.0.0.1 (the tests of these limits set their own).
    pub fn unlimited() -> AddressConfig {
        AddressConfig {
            trusted_proxies: Vec::new(),
            requests_per_second: 1e9,
            request_burst: 1e9,
            joins_per_second: 1e9,
            join_burst: 1e9,
            asks_per_second: 1e9,
            ask_burst: 1e9,
            websockets: usize::MAX,
            connections: usize::MAX,
        }
    }
}

/// Whether `peer` is one of the proxies (an IPv4 peer on a dual-stack socket arrives as
/// `::ffff:a.b.c.d`: both sides are compared in their canonical form).
fn trusted(peer: IpAddr, proxies: &[IpAddr]) -> bool {
    let peer = peer.to_canonical();
    proxies.iter().any(|p| p.to_canonical() == peer)
}

/// A client's address as the limits count it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientAddr(pub IpAddr);

impl ClientAddr {
    /// The address of a request from TCP peer `peer`.
    pub fn of(peer: IpAddr, headers: &HeaderMap, trusted_proxies: &[IpAddr]) -> ClientAddr {
        let forwarded = trusted(peer, trusted_proxies)
            .then(|| {
                headers
                    .get_all("x-forwarded-for")
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .flat_map(|v| v.split(','))
                    .next_back()
                    .and_then(|last| last.trim().parse::<IpAddr>().ok())
            })
            .flatten();
        ClientAddr::counted(forwarded.unwrap_or(peer))
    }

    fn counted(ip: IpAddr) -> ClientAddr {
        match ip {
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => ClientAddr(IpAddr::V4(v4)),
                None => {
                    let s = v6.segments();
                    ClientAddr(IpAddr::V6(Ipv6Addr::new(
                        s[0], s[1], s[2], s[3], 0, 0, 0, 0,
                    )))
                }
            },
            v4 => ClientAddr(v4),
        }
    }
}

/// What a bucket counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Counted {
    Request,
    Join,
    Ask,
}

impl Counted {
    pub fn refusal(self) -> &'static str {
        match self {
            Counted::Request => "too many requests from your address; slow down",
            Counted::Join => {
                "too many people joined from your address just now; try again in a moment"
            }
            Counted::Ask => "too many questions from your address just now; try again in a moment",
        }
    }
}

/// The per-address tables. Shared by every connection.
pub struct AddressLimits {
    config: AddressConfig,
    buckets: dashmap::DashMap<(ClientAddr, Counted), Bucket>,
    sockets: dashmap::DashMap<ClientAddr, usize>,
    /// Open TCP connections per peer.
    peers: dashmap::DashMap<ClientAddr, usize>,
}

impl AddressLimits {
    pub fn new(config: AddressConfig) -> AddressLimits {
        AddressLimits {
            config,
            buckets: dashmap::DashMap::new(),
            sockets: dashmap::DashMap::new(),
            peers: dashmap::DashMap::new(),
        }
    }

    pub fn config(&self) -> &AddressConfig {
        &self.config
    }

    /// Spends one of `addr`'s `what`; false when there is none left.
    pub fn take(&self, addr: ClientAddr, what: Counted) -> bool {
        let c = &self.config;
        let (rate, burst) = match what {
            Counted::Request => (c.requests_per_second, c.request_burst),
            Counted::Join => (c.joins_per_second, c.join_burst),
            Counted::Ask => (c.asks_per_second, c.ask_burst),
        };
        self.buckets
            .entry((addr, what))
            .or_insert_with(|| Bucket::new(rate, burst))
            .take()
    }

    /// Counts an open WebSocket of `addr`, until the guard is dropped; `None` when the address
    /// has as many open as it may.
    pub fn open_socket(self: &Arc<Self>, addr: ClientAddr) -> Option<SocketGuard> {
        let mut open = self.sockets.entry(addr).or_insert(0);
        if *open >= self.config.websockets {
            return None;
        }
        *open += 1;
        Some(SocketGuard {
            limits: self.clone(),
            addr,
        })
    }

    /// Counts an open TCP connection from `peer` until the guard is dropped; `None` when the
    /// peer holds as many as it may. A listed proxy is not counted (its clients are, later).
    pub fn open_connection(self: &Arc<Self>, peer: IpAddr) -> Option<Option<ConnectionGuard>> {
        if trusted(peer, &self.config.trusted_proxies) {
            return Some(None);
        }
        let addr = ClientAddr::counted(peer);
        let mut open = self.peers.entry(addr).or_insert(0);
        if *open >= self.config.connections {
            return None;
        }
        *open += 1;
        Some(Some(ConnectionGuard {
            limits: self.clone(),
            addr,
        }))
    }

    /// Drops the buckets that are full again and were last used more than `idle` ago.
    pub fn sweep(&self, idle: Duration) {
        self.buckets.retain(|_, b| !b.idle_and_full(idle));
    }

    /// How many entries the tables hold (for tests and metrics).
    pub fn len(&self) -> usize {
        self.buckets.len() + self.sockets.len() + self.peers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One open WebSocket of an address.
pub struct SocketGuard {
    limits: Arc<AddressLimits>,
    addr: ClientAddr,
}

impl Drop for SocketGuard {
    fn drop(&mut self) {
        self.limits.sockets.remove_if_mut(&self.addr, |_, open| {
            *open -= 1;
            *open == 0
        });
    }
}

/// One open TCP connection of a peer.
pub struct ConnectionGuard {
    limits: Arc<AddressLimits>,
    addr: ClientAddr,
}

impl Drop for ConnectionGuard {
    fn drop(&mut self) {
        self.limits.peers.remove_if_mut(&self.addr, |_, open| {
            *open -= 1;
            *open == 0
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", xff.parse().unwrap());
        h
    }

    #[test]
    fn the_forwarded_address_counts_only_behind_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let stranger: IpAddr = "10.0.0.9".parse().unwrap();
        let h = headers("198.51.100.7, 203.0.113.9");
        assert_eq!(ClientAddr::of(proxy, &h, &[]).0, proxy);
        assert_eq!(
            ClientAddr::of(proxy, &h, &[proxy]).0,
            "203.0.113.9".parse::<IpAddr>().unwrap(),
            "the last hop, the one our proxy added"
        );
        assert_eq!(
            ClientAddr::of(stranger, &h, &[proxy]).0,
            stranger,
            "only the listed proxies are believed"
        );
        let mapped: IpAddr = "::ffff:10.0.0.2".parse().unwrap();
        assert_eq!(
            ClientAddr::of(mapped, &h, &[proxy]).0,
            "203.0.113.9".parse::<IpAddr>().unwrap(),
            "the proxy on a dual-stack socket"
        );
        assert_eq!(
            ClientAddr::of(proxy, &headers("not an address"), &[proxy]).0,
            proxy
        );
        let a = ClientAddr::of(
            "2001:db8:1:2:aaaa::1".parse().unwrap(),
            &HeaderMap::new(),
            &[],
        );
        let b = ClientAddr::of(
            "2001:db8:1:2:bbbb::9".parse().unwrap(),
            &HeaderMap::new(),
            &[],
        );
        assert_eq!(a, b, "one /64 is one address");
    }

    #[test]
    fn sockets_are_counted_per_address_and_freed() {
        let limits = Arc::new(AddressLimits::new(AddressConfig {
            websockets: 2,
            ..AddressConfig::default()
        }));
        let a = ClientAddr("192.0.2.1".parse().unwrap());
        let b = ClientAddr("192.0.2.2".parse().unwrap());
        let one = limits.open_socket(a).unwrap();
        let two = limits.open_socket(a).unwrap();
        assert!(limits.open_socket(a).is_none());
        assert!(
            limits.open_socket(b).is_some(),
            "another address is not affected"
        );
        drop(one);
        let three = limits.open_socket(a).unwrap();
        drop((two, three));
        assert!(limits.sockets.is_empty(), "nothing left of a gone address");
    }

    #[test]
    fn a_burst_of_joins_is_cut_and_idle_buckets_are_swept() {
        let limits = AddressLimits::new(AddressConfig::default());
        let a = ClientAddr("192.0.2.1".parse().unwrap());
        let taken = (0..3000).filter(|_| limits.take(a, Counted::Join)).count();
        assert!((200..=260).contains(&taken), "{taken}");
        limits.sweep(Duration::ZERO);
        assert_eq!(limits.len(), 1, "an empty bucket is kept");
        let b = ClientAddr("192.0.2.2".parse().unwrap());
        assert!(limits.take(b, Counted::Request));
        std::thread::sleep(Duration::from_millis(20));
        limits.sweep(Duration::from_millis(10));
        assert_eq!(limits.len(), 1, "a bucket full again is dropped");
    }
}
