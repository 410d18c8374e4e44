//! Replica acknowledgement (`--redis-replicas`): a write counts as committed, and is published,
//! only once enough replicas have it (`WAIT`), so a failover never loses what a client was told.

use super::{Conn, RedisStore, clone_err, unavailable, version_key};
use crate::store::{Committed, RoomWrite, StoreError};
use plenum_protocol::RoomId;
use std::{collections::HashMap, time::Duration};

/// How many replicas must acknowledge a write before it counts as committed (`WAIT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Replicas {
    pub count: u32,
    pub timeout: Duration,
}

impl RedisStore {
    /// Waits until `replicas` have shard `i`'s `written` writes, then publishes them. Fewer
    /// in time, and they count as failed: the master has them, a failover may not, so they are
    /// never acknowledged (nor published; the engine resyncs the rooms from the store).
    pub(super) fn acknowledge(
        &mut self,
        i: usize,
        replicas: Replicas,
        written: &[&RoomWrite],
        out: &mut Committed,
    ) {
        let timeout_ms = replicas.timeout.as_millis() as u64;
        let rooms: Vec<&RoomId> = written.iter().map(|w| &w.room).collect();
        let acked = self.replicated(i, replicas, &rooms);
        let refused = match acked {
            Ok(n) if n >= u64::from(replicas.count) => None,
            Ok(n) => Some(StoreError::Unavailable(format!(
                "{n} of {} replicas acknowledged the write within {timeout_ms} ms",
                replicas.count
            ))),
            Err(e) => Some(e),
        };
        if let Some(e) = refused {
            for w in written {
                out.failed.push((w.room.clone(), clone_err(&e)));
            }
            return;
        }
        let published = self.publish(i, written, true);
        // Committed and replicated: a lost publication is found by the other instances as a gap
        // at the room's next write, or when they resync.
        if let Err(e) = published {
            tracing::warn!(error = %e, "publishing replicated writes failed");
        }
    }

    /// How many replicas have everything this connection wrote to the nodes of `rooms` (the
    /// fewest of them): `WAIT` on each node once, stopping at the first that falls short.
    pub(super) fn replicated(
        &mut self,
        i: usize,
        replicas: Replicas,
        rooms: &[&RoomId],
    ) -> Result<u64, StoreError> {
        let wait = {
            let mut c = redis::cmd("WAIT");
            c.arg(replicas.count)
                .arg(replicas.timeout.as_millis() as u64);
            c
        };
        if !self.cluster {
            return self.with(i, |c, _| wait.query::<u64>(c));
        }
        // One WAIT per slot (rooms in one slot share a node; a node asked again answers at once).
        let slots: HashMap<redis::cluster_routing::Slot, &RoomId> = rooms
            .iter()
            .map(|r| (redis::cluster_routing::Slot::for_key(version_key(r)), *r))
            .collect();
        let shard = &mut self.shards[i];
        let Some(Conn::Cluster(conn)) = shard.conn.as_mut() else {
            return Err(StoreError::Unavailable(
                "no connection to the cluster".into(),
            ));
        };
        let mut least = u64::MAX;
        for room in slots.into_values() {
            let route = redis::cluster_routing::RoutingInfo::SingleNode(
                redis::cluster_routing::SingleNodeRoutingInfo::SpecificNode(
                    redis::cluster_routing::Route::with_key(
                        version_key(room),
                        redis::cluster_routing::SlotAddr::Master,
                    ),
                ),
            );
            match conn
                .route_command(&wait, route)
                .and_then(|v| Ok(redis::from_redis_value::<u64>(v)?))
            {
                Ok(n) => {
                    least = least.min(n);
                    if n < u64::from(replicas.count) {
                        break;
                    }
                }
                Err(e) => {
                    shard.conn = None;
                    return Err(unavailable(e));
                }
            }
        }
        Ok(least)
    }

    /// With replica acknowledgement on: before writes read to catch a room up are applied (after
    /// a refused or uncertain write, a conflict, a gap), makes sure the replicas have them. A write of our own in the room's slot, then `WAIT` for it: replication
    /// keeps the order, so whatever preceded it is replicated too. Writes the replicas do not
    /// have (one refused a moment ago, whose primary held it) are never shown: after a
    /// failover they would not exist.
    pub(super) fn confirm_replicated(&mut self, room: &RoomId) -> Result<(), StoreError> {
        let Some(replicas) = self.replicas else {
            return Ok(());
        };
        let i = self.shard(room);
        let key = format!("plenum:{{{room}}}:seen");
        self.with(i, |c, _| {
            redis::cmd("SET").arg(&key).arg("1").query::<()>(c)
        })?;
        let n = self.replicated(i, replicas, &[room])?;
        if n < u64::from(replicas.count) {
            return Err(StoreError::Unavailable(format!(
                "{n} of {} replicas have the room {room} yet",
                replicas.count
            )));
        }
        Ok(())
    }
}
