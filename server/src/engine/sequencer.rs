//! The one thread that writes: see the module docs of `engine`.

mod purge;
mod replication;

use super::{
    Done, Job, MAX_BATCH, RETRY_FOR, Reply, RoomReply, Shared, TALLY_EVERY, Untallied, now_ms,
    room::{Room, event_frames, timers_in},
    staged::{Deciding, Staged},
};
use crate::{
    delivery::{audience::Frames, broker::Broker},
    interactions::{Made, Refusal},
    metrics::Metrics,
    store::{Batch, Committed, LogEntry, RoomWrite, Store},
};
use plenum_protocol::{EventCode, EventInfo, RoomId, Seq};
use std::{
    any::Any,
    collections::{BTreeSet, HashMap, HashSet},
    sync::{Arc, mpsc},
    thread,
    time::{Duration, Instant},
};

pub(super) struct Sequencer {
    pub store: Box<dyn Store>,
    pub broker: Arc<dyn Broker>,
    pub metrics: Arc<Metrics>,
    pub shared: Arc<Shared>,
    /// Rooms whose records changed since their aggregates were last published.
    pub untallied: HashMap<RoomId, (Arc<Room>, Untallied)>,
    /// Timers: when, which room, which interaction, its key. A timer whose reason went away
    /// (a poll closed early) decides nothing when it fires.
    pub timers: BTreeSet<(i64, RoomId, usize, u64)>,
    /// Rooms a failed commit to a shared store may have written in part: synced from the store
    /// as soon as it answers, so their followers get what was written.
    pub stale: HashSet<RoomId>,
    /// Rooms whose records another instance changed, and when to publish their aggregates
    /// here if that instance has not (it died before its next tally).
    pub orphaned: HashMap<RoomId, Instant>,
    /// Follow-ups whose commit failed (the store was down, the room too contended): tried
    /// again with the next batch, until committed. Their command is committed already.
    pub undelivered: Vec<Request>,
    /// Snapshot a room every this many events (0: never).
    pub snapshot_every: u64,
}

/// What a request asks of its room.
enum Asked {
    /// A command for the interaction at this index.
    Command {
        interaction: usize,
        body: Box<dyn Any + Send>,
    },
    /// A timer of the interaction at this index is due: its command, and the timer's key.
    Timer {
        interaction: usize,
        key: u64,
        body: Box<dyn Any + Send>,
    },
    /// Publish these stale aggregates (the sequencer's own, coalesced).
    Tally(Untallied),
    /// Log these events: the follow-ups of a command committed in another room.
    FollowUp(Vec<plenum_protocol::RoomEvent>),
}

/// A request in flight: what is asked of which room, and who waits for the answer.
pub(super) struct Request {
    room: RoomId,
    asked: Asked,
    /// `None` for the sequencer's own requests (timers, tallies).
    reply: Option<Reply>,
}

/// A request decided within the current round, waiting for the commit.
struct Decided {
    room: Arc<Room>,
    entries: Vec<LogEntry>,
    done: Done,
    /// Events for other rooms, to commit once this room's write is committed.
    follow_ups: Vec<(RoomId, plenum_protocol::RoomEvent)>,
    /// Kept to decide it again if the room's commit conflicts.
    request: Request,
}

/// What deciding a request gives: what it made, its log entries, its follow-ups.
struct Outcome {
    made: Made,
    entries: Vec<LogEntry>,
    follow_ups: Vec<(RoomId, plenum_protocol::RoomEvent)>,
}

/// A random id for a room write (never 0, which stands for "no write yet").
fn write_id() -> u64 {
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).expect("the operating system's random source");
    u64::from_le_bytes(b).max(1)
}

impl Sequencer {
    pub fn run(mut self, jobs: mpsc::Receiver<Job>) {
        let mut last_tally = Instant::now();
        loop {
            // Sleep until a job arrives, tallies are due, or a timer runs out.
            let mut wait = Duration::from_secs(3600);
            if !self.untallied.is_empty() {
                wait = wait.min(TALLY_EVERY.saturating_sub(last_tally.elapsed()));
            }
            if let Some((at, ..)) = self.timers.first() {
                wait = wait.min(Duration::from_millis((at - now_ms()).max(0) as u64));
            }
            if !self.stale.is_empty() || !self.undelivered.is_empty() {
                wait = wait.min(Duration::from_millis(200));
            }
            if let Some(at) = self.orphaned.values().min() {
                wait = wait.min(at.saturating_duration_since(Instant::now()));
            }
            let mut batch = Vec::new();
            match jobs.recv_timeout(wait) {
                Ok(job) => batch.push(job),
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
            while batch.len() < MAX_BATCH {
                match jobs.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
            // Due timers go first, so no command queued behind them is taken after their time.
            let first = self.due_timers();
            self.adopt_orphans();
            // Follow-ups a failed commit left behind, and tallies, go after the batch's
            // commands: a tally then counts every vote of its batch, and a poll closed in the
            // batch publishes no stale results after its exact ones.
            let mut last = std::mem::take(&mut self.undelivered);
            if !self.untallied.is_empty() && last_tally.elapsed() >= TALLY_EVERY {
                last_tally = Instant::now();
                last.extend(self.tally_requests());
            }
            if !batch.is_empty() || !first.is_empty() || !last.is_empty() {
                self.run_batch(first, batch, last);
            } else if !self.stale.is_empty() {
                self.sync_stale();
            }
        }
        // Publish what is still untallied, so aggregates are exact when the server stops.
        let mut last = std::mem::take(&mut self.undelivered);
        last.extend(self.tally_requests());
        if !last.is_empty() {
            self.run_batch(Vec::new(), Vec::new(), last);
        }
        tracing::debug!("sequencer stopped: every queued job is committed");
    }

    /// The commands of the timers that are due.
    fn due_timers(&mut self) -> Vec<Request> {
        let now = now_ms();
        let mut due = Vec::new();
        while self.timers.first().is_some_and(|(at, ..)| *at <= now) {
            let (_, room, interaction, key) = self.timers.pop_first().expect("checked");
            let Some(loaded) = self.shared.rooms.get(&room).map(|r| r.clone()) else {
                continue;
            };
            // A recurring timer names its next time: armed now, even if this one writes nothing.
            for (at, i, k) in loaded.timers(now) {
                if at > now {
                    self.timers.insert((at, room.clone(), i, k));
                }
            }
            if let Some(body) = self.shared.registry.get(interaction).on_timer(key) {
                due.push(Request {
                    room,
                    asked: Asked::Timer {
                        interaction,
                        key,
                        body,
                    },
                    reply: None,
                });
            }
        }
        due
    }

    /// Rooms whose aggregates another instance should have published by now: publish whatever
    /// still differs from the records (normally nothing).
    fn adopt_orphans(&mut self) {
        let now = Instant::now();
        let due: Vec<RoomId> = self
            .orphaned
            .iter()
            .filter(|(_, at)| **at <= now)
            .map(|(id, _)| id.clone())
            .collect();
        for id in due {
            self.orphaned.remove(&id);
            if let Some(room) = self.shared.rooms.get(&id).map(|r| r.clone()) {
                let live = room.live_aggregates();
                self.untallied
                    .entry(id)
                    .or_insert_with(|| (room.clone(), Untallied::default()))
                    .1
                    .extend(live);
            }
        }
    }

    fn tally_requests(&mut self) -> Vec<Request> {
        self.untallied
            .drain()
            .map(|(id, (_, untallied))| Request {
                room: id,
                asked: Asked::Tally(untallied),
                reply: None,
            })
            .collect()
    }

    /// Runs one batch: `first` (due timers), the jobs' commands, then `last` (follow-ups still
    /// to deliver, tallies).
    fn run_batch(&mut self, mut work: Vec<Request>, jobs: Vec<Job>, last: Vec<Request>) {
        let mut syncs: Vec<(RoomId, Option<RoomReply>)> = Vec::new();
        for job in jobs {
            match job {
                Job::Ping { reply } => {
                    let _ = reply.send(self.store.ping().is_ok());
                }
                Job::Load { room, reply } => {
                    let _ = reply.send(self.load(room));
                }
                Job::Sync { room, reply } => syncs.push((room, reply)),
                Job::Remote(write) => self.remote(write),
                Job::Catalog(doc) => self.catalog(doc),
                Job::RoomsOf { code, reply } => {
                    let _ = reply.send(self.store.rooms_of(&code).map_err(|e| {
                        tracing::error!(error = %e, "listing an event's rooms failed");
                        Refusal::Unavailable
                    }));
                }
                Job::Purge { room, reply } => {
                    let _ = reply.send(self.purge_room(&room));
                }
                Job::Scrub { reply } => {
                    let _ = reply.send(self.store.scrub().map_err(|e| {
                        tracing::error!(error = %e, "scrubbing the store's files failed");
                        Refusal::Unavailable
                    }));
                }
                Job::FindEvent { code, reply } => {
                    let found = match self.store.load_event(&code) {
                        Ok(Some(doc)) => {
                            self.catalog(Some(doc));
                            Ok(self.shared.catalog.get(&code).map(|e| e.clone()))
                        }
                        Ok(None) => Ok(None),
                        Err(e) => {
                            tracing::warn!(error = %e, "looking an event up failed");
                            Err(Refusal::Unavailable)
                        }
                    };
                    let _ = reply.send(found);
                }
                Job::Command {
                    room,
                    command,
                    reply,
                } => match self.shared.registry.index_for(&command) {
                    Some(interaction) => work.push(Request {
                        room: (*room.id).clone(),
                        asked: Asked::Command {
                            interaction,
                            body: command.body,
                        },
                        reply: Some(reply),
                    }),
                    None => {
                        let _ = reply.send(Err(Refusal::NotFound(
                            "no such interaction on this server".into(),
                        )));
                    }
                },
            }
        }
        work.extend(last);
        if !self.stale.is_empty() {
            self.sync_stale();
        }
        // One read of the store per room, however many clients join it in this batch.
        let mut synced: HashMap<(RoomId, bool), Result<Arc<Room>, Refusal>> = HashMap::new();
        for (room, reply) in syncs {
            let key = (room, reply.is_some());
            let result = match synced.get(&key) {
                Some(r) => r.clone(),
                None => {
                    let r = self.sync(&key.0, key.1);
                    synced.insert(key, r.clone());
                    r
                }
            };
            if let Some(reply) = reply {
                let _ = reply.send(result);
            }
        }
        // Other rooms commands read (a block list in the event room, say): brought up to date
        // first, once per batch, as this instance may not follow them.
        if self.shared.shared_store {
            let read: HashSet<RoomId> = work.iter().flat_map(|r| self.reads(r)).collect();
            for id in read {
                let _ = self.sync(&id, true);
            }
        }
        // Commands of a room another instance wrote first are decided again, after catching
        // up; each round commits at least the other instance's write, so this ends.
        let started = Instant::now();
        let mut round: u64 = 0;
        while !work.is_empty() {
            round += 1;
            if round > 4 {
                let mut b = [0u8; 2];
                getrandom::fill(&mut b).expect("the operating system's random source");
                let max_us = 250 * (round - 4).min(20);
                thread::sleep(Duration::from_micros(
                    u64::from(u16::from_le_bytes(b)) % max_us,
                ));
            }
            if started.elapsed() > RETRY_FOR {
                tracing::warn!(commands = work.len(), "rooms too contended; refusing");
                for r in work {
                    self.refuse(r, Refusal::Unavailable);
                }
                break;
            }
            work = self.commit_round(work);
        }
    }

    /// The rooms besides its own that a request reads.
    fn reads(&self, request: &Request) -> Vec<RoomId> {
        match &request.asked {
            Asked::Command { interaction, body }
            | Asked::Timer {
                interaction, body, ..
            } => self
                .shared
                .registry
                .get(*interaction)
                .reads(&request.room, body.as_ref()),
            Asked::Tally(_) | Asked::FollowUp(_) => Vec::new(),
        }
    }

    /// Answers a request with a refusal; a timer whose command could not be committed comes
    /// back a moment later, and a follow-up is kept to be delivered with the next batch.
    fn refuse(&mut self, request: Request, refusal: Refusal) {
        if matches!(request.asked, Asked::FollowUp(_)) {
            if matches!(refusal, Refusal::Unavailable) {
                self.undelivered.push(request);
            } else {
                tracing::error!(room = %request.room, error = %refusal, "a follow-up does not fit its room; dropped");
            }
            return;
        }
        if let Asked::Timer {
            interaction, key, ..
        } = &request.asked
            && matches!(refusal, Refusal::Unavailable)
        {
            self.timers
                .insert((now_ms() + 200, request.room.clone(), *interaction, *key));
        }
        if let Some(reply) = request.reply {
            let _ = reply.send(Err(refusal));
        }
    }

    /// Decides one request against its room as the batch leaves it, and folds its events into
    /// the staged state. A refusal leaves the batch as it was.
    fn decide(
        &mut self,
        room: &Arc<Room>,
        staged: &mut HashMap<RoomId, Staged>,
        docs: &mut HashMap<EventCode, EventInfo>,
        request: &Request,
        at_ms: i64,
    ) -> Result<Outcome, Refusal> {
        for other in self.reads(request) {
            self.load(other)?;
        }
        let registry = self.shared.registry.clone();
        let id = (*room.id).clone();
        // Out of the map while deciding, so the other staged rooms can be read beside it.
        let mut mine = staged
            .remove(&id)
            .unwrap_or_else(|| Staged::new(room, &registry));
        let committed = room.inner.lock().unwrap();
        let mut outcomes = Vec::new();
        let mut follow_ups = Vec::new();
        let mut refusal = None;
        let (interactions, body): (Vec<usize>, Option<&(dyn Any + Send)>) = match &request.asked {
            Asked::Command { interaction, body }
            | Asked::Timer {
                interaction, body, ..
            } => (vec![*interaction], Some(body.as_ref())),
            Asked::Tally(u) => (u.0.keys().copied().collect(), None),
            Asked::FollowUp(events) => {
                outcomes.push((Made::default(), events.clone()));
                (Vec::new(), None)
            }
        };
        for index in interactions {
            let marks = (
                mine.stored.len(),
                registry
                    .get(index)
                    .changes_len(mine.changes[index].as_ref()),
                docs.get(id.event_code()).cloned(),
            );
            let mut deciding = Deciding {
                staged: &mut mine,
                committed: &committed,
                index,
                registry: &registry,
                others: staged,
                rooms: &self.shared.rooms,
                docs,
                catalog: &self.shared.catalog,
                now_ms: at_ms,
                key: &self.shared.answer_key,
                events: Vec::new(),
                elsewhere: Vec::new(),
                stale: Vec::new(),
            };
            let made = match (&request.asked, body) {
                (Asked::Tally(u), _) => {
                    registry.get(index).tally(&mut deciding, &u.0[&index]);
                    Ok(Made::default())
                }
                (_, Some(body)) => registry.get(index).decide(&mut deciding, body),
                (_, None) => unreachable!("commands have a body"),
            };
            let events = std::mem::take(&mut deciding.events);
            let elsewhere = std::mem::take(&mut deciding.elsewhere);
            let stale = std::mem::take(&mut deciding.stale);
            match made {
                Ok(made) => {
                    outcomes.push((made, events));
                    follow_ups.extend(elsewhere);
                    for key in stale {
                        mine.stale.0.entry(index).or_default().insert(key);
                    }
                }
                Err(e) => {
                    // Nothing of a refused decision stays in the batch.
                    mine.stored.truncate(marks.0);
                    registry
                        .get(index)
                        .truncate_changes(mine.changes[index].as_mut(), marks.1);
                    match marks.2 {
                        Some(doc) => drop(docs.insert(id.event_code().clone(), doc)),
                        None => drop(docs.remove(id.event_code())),
                    }
                    refusal = Some(e);
                    break;
                }
            }
        }
        drop(committed);
        if let Some(e) = refusal {
            staged.insert(id, mine);
            return Err(e);
        }
        let mut made = Made::default();
        let mut entries = Vec::new();
        for (m, events) in outcomes {
            if m != Made::default() {
                made = m;
            }
            for event in events {
                // Interactions emit only events that fit the room (its state checks them).
                if mine.state.apply(&event).is_err() {
                    tracing::error!(room = %room.id, "a decided event does not fit its room");
                    continue;
                }
                mine.seq += 1;
                entries.push(LogEntry {
                    room: id.clone(),
                    seq: mine.seq,
                    at_ms,
                    event,
                });
            }
        }
        staged.insert(id, mine);
        Ok(Outcome {
            made,
            entries,
            follow_ups,
        })
    }

    /// Decides, commits and publishes one round of requests. Returns the requests of rooms
    /// whose commit conflicted (shared store only), to be decided again.
    fn commit_round(&mut self, work: Vec<Request>) -> Vec<Request> {
        let mut staged: HashMap<RoomId, Staged> = HashMap::new();
        let mut docs: HashMap<EventCode, EventInfo> = HashMap::new();
        let mut decided: Vec<Decided> = Vec::new();
        let mut refused: Vec<(Request, Refusal)> = Vec::new();
        let at_ms = now_ms();
        for request in work {
            // The room as loaded now: a job queued before a failed commit made us drop and
            // reload a room must not act on the dropped copy.
            let room = match self.load(request.room.clone()) {
                Ok(current) => current,
                Err(e) => {
                    self.refuse(request, e);
                    continue;
                }
            };
            match self.decide(&room, &mut staged, &mut docs, &request, at_ms) {
                Ok(outcome) => {
                    let seq = staged[room.id.as_ref()].seq;
                    decided.push(Decided {
                        room,
                        entries: outcome.entries,
                        done: Done {
                            seq,
                            made: outcome.made,
                        },
                        follow_ups: outcome.follow_ups,
                        request,
                    });
                }
                // Answered after the commit: if the room turns out to be behind, it is
                // decided again.
                Err(e) => refused.push((request, e)),
            }
        }
        // One write per room that changes: its events in decision order, its records, and
        // (for an event room) the event's new document.
        let mut batch = Batch::default();
        for (id, s) in &staged {
            let log: Vec<LogEntry> = decided
                .iter()
                .filter(|d| Arc::ptr_eq(&d.room, &s.room))
                .flat_map(|d| d.entries.iter().cloned())
                .collect();
            let doc = match id {
                RoomId::Event(code) => docs.get(code).cloned(),
                _ => None,
            };
            if log.is_empty() && s.stored.is_empty() && doc.is_none() {
                continue;
            }
            batch.rooms.push(RoomWrite {
                room: id.clone(),
                version: s.version + 1,
                id: write_id(),
                prev: s.last_id,
                log,
                records: s.stored.clone(),
                doc,
            });
        }
        let committed = if batch.is_empty() {
            Committed::default()
        } else {
            match self.store.commit(&batch) {
                Ok(committed) => committed,
                Err(e) => {
                    tracing::error!(error = %e, "store commit failed; refusing the batch");
                    self.metrics.store_failures.inc();
                    for d in decided {
                        self.refuse(d.request, Refusal::Unavailable);
                    }
                    for (r, e) in refused {
                        if let Some(reply) = r.reply {
                            let _ = reply.send(Err(e));
                        }
                    }
                    self.forget_uncertain(batch.rooms.into_iter().map(|w| w.room));
                    return Vec::new();
                }
            }
        };
        if batch.rooms.len() > committed.conflicts.len() + committed.failed.len() {
            self.metrics.store_commits.inc();
        }
        // Rooms the store may or may not hold the write of: their requests are refused as
        // unavailable (retryable), and the rooms are synced as soon as the store answers.
        let failed: HashSet<RoomId> = committed
            .failed
            .into_iter()
            .map(|(room, e)| {
                tracing::error!(room = %room, error = %e, "store commit failed for a room");
                self.metrics.store_failures.inc();
                room
            })
            .collect();
        // Rooms another instance wrote first: catch up (with the writes the store sent along,
        // or by reading them), and decide their requests again. A room whose history in the
        // store is not the one held here (Redis lost writes) is refused instead.
        let mut retry = Vec::new();
        let mut diverged = HashSet::new();
        let conflicts: HashSet<RoomId> = committed
            .conflicts
            .into_iter()
            .map(|c| {
                self.metrics.store_conflicts.inc();
                if !self.catch_up(&c.room, c.version, c.missed) {
                    diverged.insert(c.room.clone());
                }
                c.room
            })
            .collect();
        let refused_rooms: HashSet<RoomId> = failed.union(&diverged).cloned().collect();
        let mut written = Vec::new();
        for write in batch.rooms {
            if !conflicts.contains(&write.room) && !failed.contains(&write.room) {
                self.metrics.events_committed.inc_by(write.log.len() as u64);
                written.push(write);
            }
        }
        let mut answers: Vec<(Option<Reply>, Done)> = Vec::new();
        let mut follow_ups: HashMap<RoomId, Vec<plenum_protocol::RoomEvent>> = HashMap::new();
        for d in decided {
            if refused_rooms.contains(d.room.id.as_ref()) {
                self.refuse(d.request, Refusal::Unavailable);
            } else if conflicts.contains(d.room.id.as_ref()) {
                retry.push(d.request);
            } else {
                answers.push((d.request.reply, d.done));
                for (room, event) in d.follow_ups {
                    follow_ups.entry(room).or_default().push(event);
                }
            }
        }
        // Follow-ups of what was committed: the next round commits them (in order per room).
        retry.extend(follow_ups.into_iter().map(|(room, events)| Request {
            room,
            asked: Asked::FollowUp(events),
            reply: None,
        }));
        for (r, e) in refused {
            if conflicts.contains(&r.room) && !diverged.contains(&r.room) {
                retry.push(r);
            } else if let Some(reply) = r.reply {
                let _ = reply.send(Err(e));
            }
        }
        self.stale.extend(failed);
        // Committed: make each room's write visible at once, publish it in order, then answer.
        for write in written {
            let Some(mut s) = staged.remove(&write.room) else {
                continue;
            };
            let stale = std::mem::take(&mut s.stale);
            if !stale.is_empty() {
                self.untallied
                    .entry(write.room.clone())
                    .or_insert_with(|| (s.room.clone(), Untallied::default()))
                    .1
                    .extend(stale);
            }
            let room = s.room.clone();
            self.apply_write(&room, write, Some(s));
            self.maybe_snapshot(&room);
        }
        for (reply, done) in answers {
            if let Some(reply) = reply {
                let _ = reply.send(Ok(done));
            }
        }
        retry
    }

    /// Keeps a snapshot of `room` in the store once `snapshot_every` events have been
    /// logged since its last one, so loading it (after a restart, on another instance) folds at
    /// most that many events. A snapshot that fails is only logged: the log is whole without it.
    fn maybe_snapshot(&mut self, room: &Arc<Room>) {
        let snapshot = {
            let mut inner = room.inner.lock().unwrap();
            if self.snapshot_every == 0 || inner.seq < inner.snapshot_seq + self.snapshot_every {
                return;
            }
            // Not tried again before another SNAPSHOT_EVERY events, whatever happens below.
            inner.take_snapshot()
        };
        match self.store.put_snapshot(&room.id, &snapshot) {
            Ok(()) => {
                self.metrics.snapshots.inc();
            }
            Err(e) => {
                tracing::warn!(room = %room.id, error = %e, "keeping a room snapshot failed")
            }
        }
    }

    /// Makes a committed write visible: the room's sequence number, state, records, version and
    /// recent frames change under one lock, so a joining client sees all of it or none. Then
    /// its events go to this instance's followers, in order. Each event is serialised once per
    /// audience here, on every instance: never per follower.
    ///
    /// `folded` is this instance's own write as the batch already worked it out (its state
    /// and record changes), so nothing is folded or parsed twice; `None` for a write from
    /// another instance, folded here from what it carries.
    fn apply_write(&mut self, room: &Arc<Room>, write: RoomWrite, folded: Option<Staged>) {
        let frames: Vec<Arc<Frames>> = write
            .log
            .iter()
            .map(|e| event_frames(&room.id, e))
            .collect();
        let registry = self.shared.registry.clone();
        {
            let mut inner = room.inner.lock().unwrap();
            let local = folded.is_some();
            for (entry, f) in write.log.iter().zip(&frames) {
                if !local && inner.state.apply(&entry.event).is_err() {
                    tracing::error!(room = %room.id, seq = entry.seq, "a written event does not fit its room");
                }
                inner.seq = entry.seq;
                if super::room::cuts_replay(&entry.event) {
                    // Nothing from before is replayed: a client resuming from earlier gets a
                    // snapshot (of the purged state, of the chat without the message).
                    inner.recent.clear();
                }
                if inner.recent.len() == super::RECENT_EVENTS {
                    inner.recent.pop_front();
                }
                inner.recent.push_back((entry.seq, f.clone()));
            }
            match folded {
                Some(s) => {
                    inner.state = s.state;
                    for (i, changes) in s.changes.iter().enumerate() {
                        registry
                            .get(i)
                            .apply_changes(inner.records[i].as_mut(), changes.as_ref());
                    }
                }
                None => {
                    for r in &write.records {
                        inner.apply_record(&registry, &room.id, r);
                    }
                }
            }
            inner.version = write.version;
            inner.last_id = write.id;
            debug_assert!(inner.recent.back().is_none_or(|(s, _)| *s == inner.seq));
            for (at, interaction, key) in timers_in(&registry, &inner.state, now_ms()) {
                self.timers
                    .insert((at, (*room.id).clone(), interaction, key));
            }
        }
        if let Some(doc) = write.doc {
            self.shared.catalog.insert(doc.code.clone(), Arc::new(doc));
        }
        // Together: each follower gets a write's events in one socket write.
        let events: Vec<(Seq, Arc<Frames>)> = write
            .log
            .iter()
            .zip(frames)
            .map(|(entry, f)| (entry.seq, f))
            .collect();
        if !events.is_empty() {
            self.broker.publish(&room.id, &events);
        }
    }

    fn catalog(&mut self, doc: Option<EventInfo>) {
        let docs = match doc {
            Some(doc) => vec![doc],
            None => match self.store.load_events() {
                Ok(all) => all,
                Err(e) => {
                    tracing::warn!(error = %e, "reloading the catalog failed");
                    return;
                }
            },
        };
        for doc in docs {
            let newer = self
                .shared
                .catalog
                .get(&doc.code)
                .is_none_or(|held| held.agenda_version <= doc.agenda_version);
            if newer {
                self.shared.catalog.insert(doc.code.clone(), Arc::new(doc));
            }
        }
    }

    pub fn load(&mut self, id: RoomId) -> Result<Arc<Room>, Refusal> {
        if let Some(room) = self.shared.rooms.get(&id) {
            return Ok(room.clone());
        }
        let data = self.store.load_room(&id).map_err(|e| {
            tracing::error!(room = %id, error = %e, "loading a room failed");
            Refusal::Unavailable
        })?;
        let room = Arc::new(Room::from_data(
            id.clone(),
            data,
            self.shared.registry.clone(),
        ));
        // Timers left running (by a restart, say): a past one fires at the next turn.
        for (at, interaction, key) in room.timers(now_ms()) {
            self.timers.insert((at, id.clone(), interaction, key));
        }
        // Aggregates published before a crash may lag the records: mark what is live stale,
        // and the next tally publishes whatever differs.
        let stale = room.live_aggregates();
        if !stale.is_empty() {
            self.untallied.insert(id.clone(), (room.clone(), stale));
        }
        self.shared.rooms.insert(id, room.clone());
        Ok(room)
    }
}
