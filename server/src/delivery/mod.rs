//! Delivery: who sees what of a room, and getting committed frames to every follower.
//!
//! - [`audience`]  — the views of a room (staff, public, one person) and [`audience::Frames`],
//!   one serialisation per distinct view.
//! - [`bounds`]    — snapshots and pages within the frame limit, in the order of what matters.
//! - [`hub`]       — which local connections follow which rooms; its lanes deliver each
//!   broadcast, without waiting and without waking the connections.
//! - [`outlet`]    — a connection's socket as delivery sees it: whole frames written as they
//!   come, a bounded queue for what the socket cannot take at once, order per room.
//! - [`room_map`]  — the few rooms of one connection, in a vector sized to them.
//! - [`broker`]    — fan-out of committed frames across instances: the trait, the local one.
//! - [`redis_bus`] — the broker for several instances: sharded pub/sub, resync after loss.
//! - [`cluster_bus`] — the same over a Redis Cluster, with the redis crate's cluster client.

pub mod audience;
pub mod bounds;
pub mod broker;
pub mod cluster_bus;
pub mod hub;
pub mod outlet;
pub mod redis_bus;
pub mod room_map;
