//! The local hub: which connections on this instance follow which rooms, and delivery to them.
//!
//! Delivery never waits and wakes no connection. The hub hands each broadcast to its lanes, a
//! few tasks (one per worker thread of the runtime), and each lane writes the frame to its
//! share of the room's followers through their [`Outlet`]s: straight to the socket when it
//! takes it, else into the outlet's bounded queue. A connection always belongs to the same
//! lane, and a lane gives each of its connections a room's frames in the order they were
//! published (a broadcast that joins a fan-out under way reaches each follower after what that
//! follower had: [`run_lane`]); the lanes of one broadcast run side by side.
//!
//! A connection whose outlet is full cannot keep up: it is cut (`Outlet::cut`), the
//! connection closes with `close::LAGGING`, and the client reconnects and resumes from its last
//! sequence. One slow phone never stalls a room, and no queue grows without bound: a lane
//! holds at most [`LANE_QUEUE`] broadcasts of at most [`LANE_BATCH`] frames each; past that,
//! the followers it cannot reach resume.

use super::{
    audience::Frames,
    outlet::{Item, Outlet},
};
use crate::metrics::Metrics;
use dashmap::DashMap;
use plenum_protocol::{RoomId, Seq, ServerMsg};
use smallvec::SmallVec;
use std::{
    collections::BTreeMap,
    sync::{
        Arc, Mutex, PoisonError,
        atomic::{AtomicUsize, Ordering},
    },
};
use tokio::sync::mpsc;

pub use super::outlet::Frame;

/// Identifies one connection on this instance.
pub type ConnId = u64;

/// Broadcasts that may wait for one lane. A lane this far behind has its followers of the next
/// room it cannot take resume instead (`close::LAGGING`): nothing waits without bound.
const LANE_QUEUE: usize = 4096;

/// Followers written between two yields of a lane (counted afresh for each room, and for the
/// pass after a broadcast joined a fan-out), so a broadcast to a large room does not hold a
/// worker thread from other tasks for long.
const LANE_STRIDE: usize = 256;

/// One broadcast, for one lane to deliver: a room's frames, written to each follower together.
struct Job {
    room: Arc<RoomId>,
    /// Each with `Some` sequence number for a room event, which each outlet admits in order and
    /// once; `None` for an unsequenced frame (presence). Shared by the lanes.
    items: Arc<[(Option<Seq>, Arc<Frames>)]>,
}

#[derive(Default)]
struct Followers {
    /// The followers of each lane (connection `c` is in lane `c % lanes`), in the order they
    /// connected: connections from one place (a client machine, a proxy) that connected
    /// together are written together, rather than spread over the whole fan-out, which wakes
    /// the processes reading them fewer times (W1 at 19,000: 4.8 µs of kernel time per
    /// delivery instead of 6.1, and the last attendee 375 ms after publishing instead of 421).
    lanes: Vec<BTreeMap<ConnId, Arc<Outlet>>>,
    /// The count last announced in a presence frame, so unchanged rooms send nothing.
    announced: AtomicUsize,
    /// The count at the last presence tick (what [`Hub::presence_tick`] reports changes of).
    sampled: usize,
    /// A presence frame waiting to ride along with the room's next broadcast, so that it costs
    /// no socket write of its own, with the count it tells; at the next presence tick it goes
    /// by itself. Whichever way it goes, the count it tells is the room's then.
    riding: Mutex<Option<(usize, Arc<Frames>)>>,
}

impl Followers {
    fn count(&self) -> usize {
        self.lanes.iter().map(BTreeMap::len).sum()
    }
}

type Rooms = DashMap<RoomId, Followers>;

/// Local followers of every room, and the lanes that deliver to them.
pub struct Hub {
    rooms: Arc<Rooms>,
    lanes: Vec<mpsc::Sender<Job>>,
    metrics: Arc<Metrics>,
}

impl Hub {
    /// A hub with one lane per worker thread of the current runtime; the lanes end with the
    /// hub.
    pub fn new(metrics: Arc<Metrics>) -> Hub {
        let workers = tokio::runtime::Handle::current().metrics().num_workers();
        let rooms = Arc::new(Rooms::new());
        let lanes = (0..workers.clamp(1, 16))
            .map(|lane| {
                let (tx, rx) = mpsc::channel(LANE_QUEUE);
                tokio::spawn(run_lane(lane, rooms.clone(), rx, metrics.clone()));
                tx
            })
            .collect();
        Hub {
            rooms,
            lanes,
            metrics,
        }
    }

    fn lane_of(&self, conn: ConnId) -> usize {
        (conn % self.lanes.len() as u64) as usize
    }

    /// Adds a follower. Returns true when it is the room's first local follower.
    pub fn follow(&self, room: &RoomId, conn: ConnId, outlet: Arc<Outlet>) -> bool {
        let lane = self.lane_of(conn);
        let mut entry = self.rooms.entry(room.clone()).or_default();
        if entry.lanes.is_empty() {
            entry.lanes = vec![BTreeMap::new(); self.lanes.len()];
        }
        let first = entry.count() == 0;
        entry.lanes[lane].insert(conn, outlet);
        if first {
            self.metrics.rooms.inc();
        }
        first
    }

    /// Removes a follower. Returns true when it was the room's last local follower.
    pub fn unfollow(&self, room: &RoomId, conn: ConnId) -> bool {
        let lane = self.lane_of(conn);
        let removed = self.rooms.remove_if_mut(room, |_, followers| {
            if let Some(lane) = followers.lanes.get_mut(lane) {
                lane.remove(&conn);
            }
            followers.count() == 0
        });
        if removed.is_some() {
            self.metrics.rooms.dec();
        }
        removed.is_some()
    }

    /// Delivers a frame to every local follower of `room`, without waiting: hands it to each
    /// lane that has followers of the room.
    pub fn deliver(&self, room: &Arc<RoomId>, seq: Option<Seq>, frames: &Arc<Frames>) {
        self.deliver_all(room, Arc::new([(seq, frames.clone())]));
    }

    /// Delivers a committed write's events, as [`Hub::deliver`] does one frame, together: each
    /// follower gets up to [`LANE_BATCH`] of them in one write (a write of many events, a
    /// question storm's, is handed over in parts of that many, so no follower's outlet is
    /// handed more at once than one lane's batch).
    pub fn deliver_events(&self, room: &Arc<RoomId>, events: &[(Seq, Arc<Frames>)]) {
        for part in events.chunks(LANE_BATCH) {
            let items: Arc<[(Option<Seq>, Arc<Frames>)]> = part
                .iter()
                .map(|(seq, frames)| (Some(*seq), frames.clone()))
                .collect();
            self.deliver_all(room, items);
        }
    }

    fn deliver_all(&self, room: &Arc<RoomId>, mut items: Arc<[(Option<Seq>, Arc<Frames>)]>) {
        let Some(followers) = self.rooms.get(room.as_ref()) else {
            return;
        };
        // A waiting presence frame goes last, in the same write, if the broadcast has room
        // for it within a lane's batch; made again if the count changed since the tick (a
        // connection that joined since was told the newer count: it must not get an older
        // one after it). Taken under the room's entry, which following and unfollowing change
        // under its write lock, so a later presence frame is handed to every lane after this.
        if items.len() < LANE_BATCH {
            let riding = followers
                .riding
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
            if let Some((told, presence)) = riding {
                let count = followers.count();
                let presence = if told == count {
                    presence
                } else {
                    followers.announced.store(count, Ordering::Relaxed);
                    presence_frame(room, count)
                };
                items = items.iter().cloned().chain([(None, presence)]).collect();
            }
        }
        for (lane, conns) in followers.lanes.iter().enumerate() {
            if conns.is_empty() {
                continue;
            }
            let job = Job {
                room: room.clone(),
                items: items.clone(),
            };
            // A lane ends only with the hub. One too far behind: its followers of this room
            // resume (they would miss this broadcast).
            if let Err(mpsc::error::TrySendError::Full(_)) = self.lanes[lane].try_send(job) {
                for outlet in conns.values() {
                    outlet.resync();
                }
                self.metrics.queue_overflows.inc_by(conns.len() as u64);
            }
        }
    }

    /// Has every local follower of `room` reconnect and resume (as a lagging one does): for a
    /// room whose copy here was loaded afresh, whose followers may have missed what it skipped.
    pub fn resync(&self, room: &RoomId) {
        if let Some(followers) = self.rooms.get(room) {
            for outlet in followers.lanes.iter().flat_map(BTreeMap::values) {
                outlet.resync();
            }
        }
    }

    /// How many connections on this instance follow `room`.
    pub fn count(&self, room: &RoomId) -> usize {
        self.rooms.get(room).map_or(0, |f| f.count())
    }

    /// One presence tick: rooms whose follower count is not the one last announced get a
    /// presence frame, which waits for the room's next broadcast and rides along in the same
    /// write. One that no broadcast took by this tick goes now, by itself (or the newer count
    /// does, in its place). So a count reaches the followers at most one tick late, and a busy
    /// room's presence costs no write of its own. Returns the rooms whose count changed since
    /// the last tick, with the new count.
    pub fn presence_tick(&self) -> Vec<(RoomId, usize)> {
        let mut changed = Vec::new();
        let mut now = Vec::new();
        for mut entry in self.rooms.iter_mut() {
            let count = entry.count();
            let waited = entry
                .riding
                .get_mut()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
            if count != entry.sampled {
                entry.sampled = count;
                changed.push((entry.key().clone(), count));
            }
            let fresh = (count != *entry.announced.get_mut()).then(|| {
                *entry.announced.get_mut() = count;
                presence_frame(entry.key(), count)
            });
            match (waited, fresh) {
                (None, None) => {}
                (None, Some(fresh)) => {
                    *entry
                        .riding
                        .get_mut()
                        .unwrap_or_else(PoisonError::into_inner) = Some((count, fresh));
                }
                (Some(_), Some(frames)) | (Some((_, frames)), None) => {
                    now.push((Arc::new(entry.key().clone()), frames));
                }
            }
        }
        // Outside the map's iteration, whose locks delivery takes too.
        for (room, frames) in now {
            self.deliver(&room, None, &frames);
        }
        changed
    }
}

/// A presence frame: `room` has `count` followers here.
fn presence_frame(room: &RoomId, count: usize) -> Arc<Frames> {
    let msg = ServerMsg::Presence {
        room: room.clone(),
        count: count as u64,
    };
    Arc::new(Frames::uniform(Frame::of(&msg)))
}

/// Frames a lane gathers before it writes: what arrived while it was busy goes out together,
/// one write a follower. It takes broadcasts (each of at most this many frames), before it
/// writes and while it writes ([`run_lane`]), until it has this many frames in all, so a
/// follower is handed fewer than twice this many at once.
const LANE_BATCH: usize = 32;

/// Followers a lane writes between two looks for broadcasts that arrived meanwhile: one of the
/// same room joins the rest of the fan-out (see [`run_lane`]). A divisor of [`LANE_STRIDE`].
const LANE_LOOK: usize = 32;

/// A frame of a broadcast as a lane holds it while it writes a room's followers.
type Owned = (Option<Seq>, Arc<Frames>);

/// One lane: delivers each broadcast handed to it to its share of the room's followers, each
/// room's in the order they were handed over (room by room: one room's may go before another
/// room's that came earlier). Broadcasts that arrived while it was busy are delivered
/// together: each follower gets all of its room's that are there when its turn comes in one
/// write, so the busier the server, the fewer writes a frame costs.
///
/// A broadcast of the same room that arrives while the lane is part-way through a room's
/// followers joins the rest of that fan-out, at the next look ([`LANE_LOOK`] followers
/// apart), while the batch holds fewer than [`LANE_BATCH`] frames and no other room's
/// broadcast was taken during this fan-out (that one then waits its turn, and this fan-out
/// looks no more). The followers not yet written get both in one write (sooner than after
/// the whole fan-out, and in one write instead of two); once the fan-out is through, those
/// written before it came get it, as does anyone who began to follow the room meanwhile. No
/// frame waits for another.
async fn run_lane(
    lane: usize,
    rooms: Arc<Rooms>,
    mut jobs: mpsc::Receiver<Job>,
    metrics: Arc<Metrics>,
) {
    let mut outlets: Vec<(ConnId, Arc<Outlet>)> = Vec::new();
    let mut written: Vec<(ConnId, Arc<Outlet>)> = Vec::new();
    let mut batch: Vec<Job> = Vec::new();
    while let Some(first) = jobs.recv().await {
        let mut frames = first.items.len();
        batch.push(first);
        while frames < LANE_BATCH
            && let Ok(job) = jobs.try_recv()
        {
            frames += job.items.len();
            batch.push(job);
        }
        // Frames taken into this batch, joined ones included: under `LANE_BATCH` before each
        // take, so the batch ends, and no follower is handed twice that many at once.
        let mut taken = frames;
        let mut count = Counts::default();
        // Room by room, in the order each room's broadcasts came.
        let mut done = vec![false; batch.len()];
        let mut i = 0;
        while i < batch.len() {
            if done[i] {
                i += 1;
                continue;
            }
            let room = batch[i].room.clone();
            let mut owned: Vec<Owned> = Vec::new();
            for (j, job) in batch.iter().enumerate().skip(i) {
                if !done[j] && job.room == room {
                    done[j] = true;
                    owned.extend(job.items.iter().cloned());
                }
            }
            let initial = owned.len();
            // From which follower on (by position) how many of `owned` each was written.
            let mut steps: SmallVec<[(usize, usize); 4]> = SmallVec::new();
            steps.push((0, initial));
            let mut joining = true;
            // Taken out from under the map's lock, which is not held across socket writes.
            snapshot(&rooms, &room, lane, &mut outlets);
            let mut at = 0;
            while at < outlets.len() {
                let end = (at + LANE_LOOK).min(outlets.len());
                {
                    let items: Vec<Item<'_>> = owned.iter().map(|(s, f)| (*s, f)).collect();
                    for (_, outlet) in &outlets[at..end] {
                        count.add(outlet.deliver(&room, &items));
                    }
                }
                if end / LANE_STRIDE != at / LANE_STRIDE {
                    // A broadcast to a large room does not hold the worker thread for long.
                    tokio::task::yield_now().await;
                }
                at = end;
                if at == outlets.len() {
                    break;
                }
                let before = owned.len();
                // Another room's broadcast, once taken, waits its turn in the batch, and ends
                // this fan-out's looks (so that this fan-out does not hold it up longer).
                while joining
                    && taken < LANE_BATCH
                    && let Ok(job) = jobs.try_recv()
                {
                    taken += job.items.len();
                    if job.room == room {
                        owned.extend(job.items.iter().cloned());
                    } else {
                        joining = false;
                        batch.push(job);
                        done.push(false);
                    }
                }
                if owned.len() > before {
                    steps.push((at, owned.len()));
                }
            }
            if owned.len() > initial {
                // Those written before a broadcast joined get it now, in order after what they
                // had; so does whoever began to follow the room during the fan-out.
                std::mem::swap(&mut written, &mut outlets);
                snapshot(&rooms, &room, lane, &mut outlets);
                let items: Vec<Item<'_>> = owned.iter().map(|(s, f)| (*s, f)).collect();
                for (n, (conn, outlet)) in outlets.iter().enumerate() {
                    let had = match written.binary_search_by_key(conn, |(c, _)| *c) {
                        Ok(p) => steps
                            .iter()
                            .rev()
                            .find(|(from, _)| *from <= p)
                            .map_or(initial, |s| s.1),
                        Err(_) => initial,
                    };
                    if had < items.len() {
                        count.add(outlet.deliver(&room, &items[had..]));
                    }
                    if (n + 1) % LANE_STRIDE == 0 {
                        tokio::task::yield_now().await;
                    }
                }
                written.clear();
            }
            i += 1;
        }
        // Counted once a batch: a shared counter bumped per delivery from every lane would
        // bounce its cache line between the cores.
        metrics.messages_out.inc_by(count.sent);
        metrics.flushes.inc_by(count.writes);
        metrics.queue_overflows.inc_by(count.overflowed);
        outlets.clear();
        batch.clear();
    }
}

/// What a lane's deliveries did, summed for its metrics.
#[derive(Default)]
struct Counts {
    sent: u64,
    writes: u64,
    overflowed: u64,
}

impl Counts {
    fn add(&mut self, d: super::outlet::Delivered) {
        self.sent += d.sent;
        self.writes += d.writes;
        self.overflowed += u64::from(d.overflowed);
    }
}

/// `room`'s followers in `lane`, in connection order, into `outlets`.
fn snapshot(rooms: &Rooms, room: &RoomId, lane: usize, outlets: &mut Vec<(ConnId, Arc<Outlet>)>) {
    outlets.clear();
    if let Some(followers) = rooms.get(room)
        && let Some(conns) = followers.lanes.get(lane)
    {
        outlets.extend(conns.iter().map(|(c, o)| (*c, o.clone())));
    }
}

#[cfg(test)]
mod tests {
    use super::{Frame, Frames, Hub};
    use crate::{
        delivery::{audience::Viewer, outlet::Outlet},
        metrics::Metrics,
    };
    use plenum_protocol::RoomId;
    use std::{sync::Arc, time::Duration};
    use tokio::{
        io::AsyncReadExt,
        net::{TcpListener, TcpStream},
    };

    /// A follower of `room` on `hub` with room for 16 frames of rooms, caught up at 0, at the
    /// server end of a loopback connection; and the client end.
    async fn follower(
        hub: &Hub,
        room: &Arc<RoomId>,
        listener: &TcpListener,
        conn: u64,
    ) -> (Arc<Outlet>, TcpStream) {
        let client = TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        let (server, _) = listener.accept().await.unwrap();
        let outlet = Arc::new(Outlet::new(Arc::new(server), 16, Default::default()));
        outlet.follow((**room).clone(), Viewer::Staff);
        outlet.caught_up(room, 0);
        hub.follow(room, conn, outlet.clone());
        (outlet, client)
    }

    /// Events 1 to `n`, each a small frame naming its sequence number.
    fn events(n: u64) -> Vec<(u64, Arc<Frames>)> {
        (1..=n)
            .map(|seq| {
                let frame = Frame::text(format!("{{\"seq\":{seq}}}"));
                (seq, Arc::new(Frames::uniform(frame)))
            })
            .collect()
    }

    #[tokio::test]
    async fn a_write_s_events_reach_each_follower_in_one_socket_write() {
        let metrics = Arc::new(Metrics::new());
        let hub = Hub::new(metrics.clone());
        let room: Arc<RoomId> = Arc::new(RoomId::parse("session:ECC2026:opening").unwrap());
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut clients = Vec::new();
        for conn in 0..3 {
            clients.push(follower(&hub, &room, &listener, conn).await.1);
        }
        let events = events(3);
        hub.deliver_events(&room, &events);
        // One job for the lane (it has not run yet: this runtime has one thread, this test's).
        let lane = &hub.lanes[0];
        assert_eq!(
            lane.max_capacity() - lane.capacity(),
            1,
            "one broadcast, not three"
        );
        let whole = length(&events);
        for client in &mut clients {
            let mut got = vec![0u8; whole];
            client.read_exact(&mut got).await.unwrap();
            assert!(String::from_utf8_lossy(&got).ends_with(r#"{"seq":3}"#));
        }
        // The lane counts once it has been through every follower.
        for _ in 0..200 {
            if metrics.messages_out.get() == 9 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert_eq!(
            metrics.messages_out.get(),
            9,
            "three events to each of three"
        );
        assert_eq!(metrics.flushes.get(), 3, "one write a follower");
    }

    #[tokio::test]
    async fn a_large_write_goes_in_parts_and_cuts_nobody() {
        let hub = Hub::new(Arc::new(Metrics::new()));
        let room: Arc<RoomId> = Arc::new(RoomId::parse("session:ECC2026:opening").unwrap());
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        // Room for 16 frames of rooms and 64 of its own: a write of 100 events handed over
        // whole would be over that, and cut a follower that reads everything.
        let (outlet, mut client) = follower(&hub, &room, &listener, 0).await;
        let events = events(100);
        hub.deliver_events(&room, &events);
        let lane = &hub.lanes[0];
        assert_eq!(lane.max_capacity() - lane.capacity(), 4, "parts of 32");
        let whole = length(&events);
        let mut got = vec![0u8; whole];
        client.read_exact(&mut got).await.unwrap();
        let got = String::from_utf8_lossy(&got);
        assert!(got.ends_with(r#"{"seq":100}"#), "all, in order");
        assert_eq!(got.matches(r#""seq":"#).count(), 100);
        assert!(outlet.cut_for().is_none(), "nobody cut");
    }

    #[tokio::test]
    async fn a_broadcast_that_comes_during_a_fan_out_joins_the_rest_of_it() {
        let metrics = Arc::new(Metrics::new());
        let hub = Hub::new(metrics.clone());
        let room: Arc<RoomId> = Arc::new(RoomId::parse("session:ECC2026:opening").unwrap());
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let n = super::LANE_STRIDE + 40;
        let mut clients = Vec::new();
        for conn in 0..n as u64 {
            clients.push(follower(&hub, &room, &listener, conn).await.1);
        }
        // Someone who will begin to follow during the fan-out, connected beforehand.
        let mut late_client = TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        let late = Arc::new(Outlet::new(
            Arc::new(listener.accept().await.unwrap().0),
            16,
            Default::default(),
        ));
        let events = events(3);
        hub.deliver_events(&room, &events[..1]);
        // The lane (on this test's one thread) writes the first LANE_STRIDE followers, then
        // lets this task run: the second broadcast comes part-way through the fan-out, and
        // then the newcomer, who was told the room as it was after the first.
        tokio::task::yield_now().await;
        hub.deliver_events(&room, &events[1..]);
        // And an unsequenced frame (as presence is): given twice, nothing would drop it.
        let note = Arc::new(Frames::uniform(Frame::text(r#"{"note":1}"#.into())));
        hub.deliver(&room, None, &note);
        late.follow((*room).clone(), Viewer::Staff);
        late.caught_up(&room, 1);
        hub.follow(&room, n as u64, late.clone());
        assert_eq!(
            super::LANE_STRIDE % super::LANE_LOOK,
            0,
            "a look at LANE_STRIDE"
        );
        let joined_at = super::LANE_STRIDE;
        let whole = length(&events) + note.staff.bytes().len();
        for (i, client) in clients.iter_mut().enumerate() {
            let got = read(client, whole).await;
            let seqs: Vec<_> = got.match_indices(r#""seq":"#).collect();
            assert_eq!(seqs.len(), 3, "follower {i}: {got}");
            assert!(
                got.ends_with(r#"{"note":1}"#) && got.contains(r#"{"seq":3}"#),
                "in order, follower {i}: {got}"
            );
        }
        let got = read(&mut late_client, whole - events[0].1.staff.bytes().len()).await;
        assert!(got.ends_with(r#"{"note":1}"#), "{got}");
        assert_eq!(got.matches(r#""seq":"#).count(), 2, "{got}");
        for _ in 0..200 {
            if metrics.messages_out.get() == 4 * n as u64 + 3 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert_eq!(metrics.messages_out.get(), 4 * n as u64 + 3);
        // And nothing more: nobody was given a frame twice.
        let mut more = [0u8; 64];
        for client in clients.iter().chain([&late_client]) {
            assert_eq!(
                client.try_read(&mut more).map_err(|e| e.kind()),
                Err(std::io::ErrorKind::WouldBlock)
            );
        }
        // Those written before it came: two writes; the rest and the newcomer: one.
        assert_eq!(
            metrics.flushes.get(),
            (2 * joined_at + (n - joined_at) + 1) as u64,
            "the second broadcast joined the fan-out after {joined_at} followers"
        );
    }

    /// The bytes of `events`' frames, all together.
    fn length(events: &[(u64, Arc<Frames>)]) -> usize {
        events.iter().map(|(_, f)| f.staff.bytes().len()).sum()
    }

    /// Reads exactly `n` bytes from `client`, as text (the frames' headers are not).
    async fn read(client: &mut TcpStream, n: usize) -> String {
        let mut got = vec![0u8; n];
        tokio::time::timeout(Duration::from_secs(10), client.read_exact(&mut got))
            .await
            .expect("the frames never came")
            .unwrap();
        String::from_utf8_lossy(&got).into_owned()
    }

    #[tokio::test]
    async fn presence_rides_along_with_the_next_broadcast_or_goes_at_the_next_tick() {
        let metrics = Arc::new(Metrics::new());
        let hub = Hub::new(metrics.clone());
        let room: Arc<RoomId> = Arc::new(RoomId::parse("session:ECC2026:opening").unwrap());
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let (_, mut client) = follower(&hub, &room, &listener, 0).await;
        let lane = &hub.lanes[0];
        let queued = || lane.max_capacity() - lane.capacity();
        let len = |count: usize| super::presence_frame(&room, count).staff.bytes().len();

        // A new count waits for the room's next broadcast, and goes in its write.
        assert_eq!(hub.presence_tick(), vec![((*room).clone(), 1)]);
        assert_eq!(queued(), 0, "the presence frame waits");
        let first = events(2);
        hub.deliver_events(&room, &first);
        assert_eq!(queued(), 1, "one broadcast, carrying it");
        let whole = length(&first);
        let got = read(&mut client, whole + len(1)).await;
        assert!(got.contains(r#"{"seq":2}"#), "{got}");
        assert!(got.ends_with(r#""count":1}"#), "after the events: {got}");
        for _ in 0..200 {
            if metrics.flushes.get() == 1 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert_eq!(metrics.flushes.get(), 1, "events and presence in one write");
        assert!(hub.presence_tick().is_empty(), "nothing changed");
        assert_eq!(queued(), 0);

        // With no broadcast before the next tick, it goes by itself then.
        let (_, _second) = follower(&hub, &room, &listener, 1).await;
        assert_eq!(hub.presence_tick(), vec![((*room).clone(), 2)]);
        assert_eq!(queued(), 0, "it waits one tick");
        assert!(hub.presence_tick().is_empty());
        assert_eq!(queued(), 1, "and goes at the next");
        assert!(read(&mut client, len(2)).await.ends_with(r#""count":2}"#));

        // A count that is no longer the room's when a broadcast comes rides along as the
        // room's count then (whoever joined since was told that one, and must not get an
        // older one after it).
        let (_, _third) = follower(&hub, &room, &listener, 2).await;
        assert_eq!(hub.presence_tick(), vec![((*room).clone(), 3)]);
        hub.unfollow(&room, 2);
        let third = &events(3)[2..];
        hub.deliver_events(&room, third);
        assert_eq!(queued(), 1);
        let got = read(&mut client, third[0].1.staff.bytes().len() + len(2)).await;
        assert!(got.contains(r#"{"seq":3}"#), "{got}");
        assert!(got.ends_with(r#""count":2}"#), "the count now: {got}");
        assert_eq!(
            hub.presence_tick(),
            vec![((*room).clone(), 2)],
            "a change since the last tick, for the peaks"
        );
        assert_eq!(queued(), 0, "but nothing to send: the room's count went");
        // Nothing else was written: the count of 3 never went.
        let mut more = [0u8; 64];
        assert_eq!(
            client.try_read(&mut more).map_err(|e| e.kind()),
            Err(std::io::ErrorKind::WouldBlock)
        );
    }
}
