//! Fan-out of committed room events to every instance that has followers of the room.
//!
//! # Delivery contract
//!
//! For every room, [`Broker::publish`] is called by exactly one sequencer, in sequence order,
//! only after the events are durably committed: each call the events of one committed write,
//! which the hub delivers together (up to 32 in one socket write a follower when the socket
//! takes them).
//! A broker delivers each published frame to the local [`Hub`] of every instance that has
//! opened the room, in the order published, at most once per instance. It may lose frames (a Redis pub/sub connection can drop); it must never
//! reorder them within a room. Connections detect any gap by sequence number and the log
//! fills it, so a lossy broker costs latency, never correctness.
//!
//! Subscriptions follow local interest: [`Broker::open_room`] is called on a room's first
//! local follower and [`Broker::close_room`] on its last, so an instance only receives rooms
//! someone on it follows.
//!
//! [`LocalBroker`] is the single-instance implementation: publishing is a direct call into
//! the hub. `RedisBus` (`redis_bus.rs`) is the scale-out one: there, committing a write to the
//! shared store publishes it to the other instances in the same step, and `publish` delivers
//! it to this instance's followers.

use super::{audience::Frames, hub::Hub};
use plenum_protocol::{RoomId, Seq};
use std::sync::Arc;

pub trait Broker: Send + Sync + 'static {
    /// A room got its first local follower.
    fn open_room(&self, room: &RoomId);
    /// A room lost its last local follower.
    fn close_room(&self, room: &RoomId);
    /// Fans a committed write's events out, in order. Must not block: it is called from the
    /// sequencer.
    fn publish(&self, room: &Arc<RoomId>, events: &[(Seq, Arc<Frames>)]);
    /// Has this instance's followers of `room` reconnect and resume (`Hub::resync`).
    fn resync(&self, room: &RoomId);
    /// Whether the broker receives what other instances publish (for `/readyz`).
    fn healthy(&self) -> bool {
        true
    }
}

/// One instance, no other software: publishing delivers straight to the local hub.
pub struct LocalBroker {
    hub: Arc<Hub>,
}

impl LocalBroker {
    pub fn new(hub: Arc<Hub>) -> LocalBroker {
        LocalBroker { hub }
    }
}

impl Broker for LocalBroker {
    fn open_room(&self, _room: &RoomId) {}
    fn close_room(&self, _room: &RoomId) {}
    fn publish(&self, room: &Arc<RoomId>, events: &[(Seq, Arc<Frames>)]) {
        self.hub.deliver_events(room, events);
    }

    fn resync(&self, room: &RoomId) {
        self.hub.resync(room);
    }
}
