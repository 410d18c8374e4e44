//! The local hub: which connections on this instance follow which rooms, and delivery to them.
//!
//! Delivery never waits. Each connection has a bounded outbound queue; the hub `try_send`s
//! into it. A full queue means the client cannot keep up: the hub cancels that connection's
//! `lagged` token, the connection closes with `close::LAGGING`, and the client reconnects and
//! resumes from its last sequence. One slow phone never stalls a room, and no queue grows
//! without bound.

use super::audience::Frames;
use crate::metrics::Metrics;
use axum::extract::ws::Utf8Bytes;
use dashmap::DashMap;
use plenum_protocol::{RoomId, Seq};
use std::{collections::HashMap, sync::Arc};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// A serialised server message. Serialised once per broadcast and shared by every recipient
/// (cloning it bumps a reference count).
pub type Frame = Utf8Bytes;

/// Identifies one connection on this instance.
pub type ConnId = u64;

/// One item of a connection's outbound queue.
#[derive(Debug, Clone)]
pub struct Outbound {
    pub room: Arc<RoomId>,
    /// `Some` for room events, which the connection delivers in order and de-duplicates;
    /// `None` for unsequenced frames (presence).
    pub seq: Option<Seq>,
    /// The event serialised for each audience; the connection sends its viewer's.
    pub frames: Arc<Frames>,
}

/// How the hub reaches one connection.
#[derive(Debug, Clone)]
pub struct Subscriber {
    pub tx: mpsc::Sender<Outbound>,
    /// Cancelled by the hub when `tx` overflows.
    pub lagged: CancellationToken,
}

#[derive(Default)]
struct Followers {
    conns: HashMap<ConnId, Subscriber>,
    /// The count last announced in a presence frame, so unchanged rooms send nothing.
    announced: usize,
}

/// Local followers of every room.
pub struct Hub {
    rooms: DashMap<RoomId, Followers>,
    metrics: Arc<Metrics>,
}

impl Hub {
    pub fn new(metrics: Arc<Metrics>) -> Hub {
        Hub {
            rooms: DashMap::new(),
            metrics,
        }
    }

    /// Adds a follower. Returns true when it is the room's first local follower.
    pub fn follow(&self, room: &RoomId, conn: ConnId, sub: Subscriber) -> bool {
        let mut entry = self.rooms.entry(room.clone()).or_default();
        let first = entry.conns.is_empty();
        entry.conns.insert(conn, sub);
        if first {
            self.metrics.rooms.inc();
        }
        first
    }

    /// Removes a follower. Returns true when it was the room's last local follower.
    pub fn unfollow(&self, room: &RoomId, conn: ConnId) -> bool {
        let removed = self.rooms.remove_if_mut(room, |_, followers| {
            followers.conns.remove(&conn);
            followers.conns.is_empty()
        });
        if removed.is_some() {
            self.metrics.rooms.dec();
        }
        removed.is_some()
    }

    /// Delivers a frame to every local follower of `room`, without waiting.
    pub fn deliver(&self, room: &Arc<RoomId>, seq: Option<Seq>, frames: &Arc<Frames>) {
        let Some(followers) = self.rooms.get(room.as_ref()) else {
            return;
        };
        for sub in followers.conns.values() {
            let item = Outbound {
                room: room.clone(),
                seq,
                frames: frames.clone(),
            };
            match sub.tx.try_send(item) {
                Ok(()) => {}
                Err(mpsc::error::TrySendError::Full(_)) => {
                    if !sub.lagged.is_cancelled() {
                        self.metrics.queue_overflows.inc();
                        sub.lagged.cancel();
                    }
                }
                // The connection is closing and will unfollow.
                Err(mpsc::error::TrySendError::Closed(_)) => {}
            }
        }
    }

    /// Has every local follower of `room` reconnect and resume (as a lagging one does): for a
    /// room whose copy here was loaded afresh, whose followers may have missed what it skipped.
    pub fn resync(&self, room: &RoomId) {
        if let Some(followers) = self.rooms.get(room) {
            for sub in followers.conns.values() {
                sub.lagged.cancel();
            }
        }
    }

    /// How many connections on this instance follow `room`.
    pub fn count(&self, room: &RoomId) -> usize {
        self.rooms.get(room).map_or(0, |f| f.conns.len())
    }

    /// Rooms whose follower count changed since the last call, with the new count.
    pub fn presence_changes(&self) -> Vec<(RoomId, usize)> {
        let mut changed = Vec::new();
        for mut entry in self.rooms.iter_mut() {
            let now = entry.conns.len();
            if now != entry.announced {
                entry.announced = now;
                changed.push((entry.key().clone(), now));
            }
        }
        changed
    }
}
