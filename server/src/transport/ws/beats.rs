//! Every connection's heartbeat, and the server's shutdown, from one task ([`Beats::run`]),
//! not a timer and a waiter in each connection's task: an idle connection keeps neither
//! (bench/README.md, W0).
//!
//! A wheel of [`SLOTS`] slots, a tick each (the heartbeat interval divided by [`SLOTS`]). A
//! connection enters the slot of the tick before the one it connects in, and the wheel wakes a
//! slot's connections as it passes it ([`Outlet::beat`]): each is woken once a heartbeat
//! interval, the first time 18 to 19 twentieths of an interval after it connected (sooner if
//! the wheel has fallen behind, which then catches up at once). When the server shuts down,
//! every connection is woken ([`Outlet::shut_down`]), those that enter afterwards at once.

use crate::delivery::{hub::ConnId, outlet::Outlet};
use std::{
    collections::HashMap,
    sync::{Arc, Mutex, PoisonError, Weak},
    time::{Duration, Instant},
};
use tokio_util::sync::CancellationToken;

/// Slots of the wheel: a connection's first heartbeat comes 18 to 19 twentieths of an interval
/// after it connected.
const SLOTS: u64 = 20;

/// The connections of one slot.
type Slot = HashMap<ConnId, Weak<Outlet>>;

/// The wheel.
pub struct Beats {
    slots: Box<[Mutex<Slot>]>,
    tick: Duration,
    start: Instant,
    shutdown: CancellationToken,
}

impl Beats {
    /// A wheel for connections pinged every `heartbeat`, all woken when `shutdown` is cancelled.
    pub fn new(heartbeat: Duration, shutdown: CancellationToken) -> Beats {
        Beats {
            slots: (0..SLOTS).map(|_| Mutex::default()).collect(),
            tick: (heartbeat / SLOTS as u32).max(Duration::from_millis(1)),
            start: Instant::now(),
            shutdown,
        }
    }

    fn now(&self) -> u64 {
        (self.start.elapsed().as_nanos() / self.tick.as_nanos()) as u64
    }

    fn slot(&self, slot: u64) -> std::sync::MutexGuard<'_, Slot> {
        // Nothing under the lock panics; if something did, the map is still whole.
        self.slots[(slot % SLOTS) as usize]
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Enters connection `id`; gives its slot, for [`Beats::leave`].
    pub fn enter(&self, id: ConnId, outlet: &Arc<Outlet>) -> u64 {
        self.enter_at(self.now(), id, outlet)
    }

    /// [`Beats::enter`] at tick `now`.
    fn enter_at(&self, now: u64, id: ConnId, outlet: &Arc<Outlet>) -> u64 {
        let slot = (now + SLOTS - 1) % SLOTS;
        self.slot(slot).insert(id, Arc::downgrade(outlet));
        // After entering: either the shutdown's sweep finds it, or it sees the token.
        if self.shutdown.is_cancelled() {
            outlet.shut_down();
        }
        slot
    }

    /// The connection ends.
    pub fn leave(&self, slot: u64, id: ConnId) {
        let mut slot = self.slot(slot);
        slot.remove(&id);
        // A map that held a crowd gives its memory back once most have gone.
        if slot.capacity() > 64 && slot.len() < slot.capacity() / 4 {
            slot.shrink_to_fit();
        }
    }

    /// Wakes the connections of every slot passed after tick `done` up to tick `now`, once
    /// each (a late turn catches up).
    fn turn(&self, done: u64, now: u64) {
        for t in done.max(now.saturating_sub(SLOTS)) + 1..=now {
            for outlet in self.slot(t).values().filter_map(Weak::upgrade) {
                outlet.beat();
            }
        }
    }

    /// Turns the wheel until the server shuts down, then wakes every connection.
    pub async fn run(&self) {
        let mut tick = tokio::time::interval(self.tick);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut done = self.now();
        loop {
            tokio::select! {
                _ = self.shutdown.cancelled() => break,
                _ = tick.tick() => {}
            }
            let now = self.now();
            self.turn(done, now);
            done = now;
        }
        for t in 0..SLOTS {
            for outlet in self.slot(t).values().filter_map(Weak::upgrade) {
                outlet.shut_down();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use prometheus_client::metrics::counter::Counter;

    async fn outlet() -> (Arc<Outlet>, tokio::net::TcpStream) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let client = tokio::net::TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        let (server, _) = listener.accept().await.unwrap();
        let outlet = Outlet::new(Arc::new(server), 8, Counter::default());
        (Arc::new(outlet), client)
    }

    /// Each connection is woken once a turn of the wheel, the first time a turn after it
    /// entered; one that left is not; a late turn wakes each slot it passed once.
    #[tokio::test]
    async fn each_connection_beats_once_a_turn() {
        let beats = Beats::new(Duration::from_secs(20), CancellationToken::new());
        let (a, _ca) = outlet().await;
        let (b, _cb) = outlet().await;
        let slot_a = beats.enter_at(0, 1, &a);
        beats.turn(0, 10);
        let slot_b = beats.enter_at(10, 2, &b);
        beats.turn(10, 18);
        assert!(!a.take_beat() && !b.take_beat(), "no beat before a turn");
        beats.turn(18, 19);
        assert!(a.take_beat(), "a turn after it entered");
        assert!(!b.take_beat(), "b entered 10 ticks later");
        beats.turn(19, 29);
        assert!(b.take_beat(), "b's turn");
        assert!(!a.take_beat(), "once a turn");
        beats.turn(29, 39);
        assert!(a.take_beat(), "a's second turn");
        // A turn 100 ticks late passes every slot once.
        beats.turn(39, 139);
        assert!(a.take_beat() && b.take_beat());
        beats.leave(slot_a, 1);
        beats.turn(139, 159);
        assert!(!a.take_beat(), "a left: no beat");
        assert!(b.take_beat());
        beats.leave(slot_b, 2);
    }

    /// Every connection is woken at shutdown, and one that enters afterwards at once.
    #[tokio::test]
    async fn every_connection_is_woken_at_shutdown() {
        let shutdown = CancellationToken::new();
        let beats = Arc::new(Beats::new(Duration::from_millis(200), shutdown.clone()));
        let wheel = tokio::spawn({
            let beats = beats.clone();
            async move { beats.run().await }
        });
        let (a, _ca) = outlet().await;
        let (b, _cb) = outlet().await;
        let (c, _cc) = outlet().await;
        beats.enter(1, &a);
        beats.enter(2, &b);
        let slot_c = beats.enter(3, &c);
        beats.leave(slot_c, 3);
        assert!(!a.shutting_down() && !b.shutting_down());
        shutdown.cancel();
        wheel.await.unwrap();
        assert!(a.shutting_down() && b.shutting_down(), "woken at shutdown");
        assert!(!c.shutting_down(), "c had left");
        let (d, _cd) = outlet().await;
        beats.enter(4, &d);
        assert!(d.shutting_down(), "entering after shutdown");
    }
}
