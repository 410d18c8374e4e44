//! A thousand people at 104 tables through three rounds, on three instances sharing a Redis:
//! each sees exactly one table a round, the countdown and the return to the session; some
//! reconnect mid-round and land at the same table; an instance is killed (SIGKILL) mid-round,
//! its people resume on the others at the same tables, and the round still ends at its stated
//! end time as every remaining instance reports it.

use plenum_protocol::{
    ClientMsg, RoomEvent, RoomId, RoomState, SeatingMode, ServerMsg, SessionId, TableMode,
    TableSpec, TablesSetup,
};
use plenum_tests::*;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_plenum-under-test");
const CODE: &str = "CAFE";
const F: Fixture = Fixture(CODE);
const PEOPLE: usize = 1000;
const TABLES: u32 = 104;
const ROUNDS: u32 = 3;

fn cafe() -> SessionId {
    SessionId::parse("s2").unwrap()
}

fn cafe_room() -> RoomId {
    RoomId::parse(&format!("session:{CODE}:s2")).unwrap()
}

fn setup() -> TablesSetup {
    TablesSetup {
        tables: (1..=TABLES)
            .map(|n| TableSpec {
                number: n,
                topic: format!("Topic {n}"),
                language: Some(if n % 4 == 0 { "sv" } else { "en" }.into()),
                capacity: 10,
                mode: TableMode::Online,
                place: None,
                host: None,
            })
            .collect(),
        ..TablesSetup::default()
    }
}

trait Pump {
    /// Reads (folding into the view) until a message `stop` accepts, or `wait` has passed.
    async fn until(
        &mut self,
        wait: Duration,
        stop: impl Fn(&ServerMsg) -> bool,
    ) -> Option<ServerMsg>;
}

impl Pump for Member {
    async fn until(
        &mut self,
        wait: Duration,
        stop: impl Fn(&ServerMsg) -> bool,
    ) -> Option<ServerMsg> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            if left.is_zero() {
                return None;
            }
            match self.ws.next_event(left).await {
                Ok(Ok(m)) => {
                    self.view.take(&m).expect("a consistent view");
                    if stop(&m) {
                        return Some(m);
                    }
                }
                Ok(Err(ended)) => panic!("the console's connection ended: {ended:?}"),
                // Nothing within the time left.
                Err(_) => return None,
            }
        }
    }
}

/// What one person saw, round by round.
#[derive(Debug, Default)]
struct Seen {
    /// Every table a seat of theirs named, by round.
    tables: BTreeMap<u32, BTreeSet<u32>>,
    /// Each round's end time, as the countdown showed it.
    countdown: BTreeMap<u32, i64>,
    /// Rounds they were back in the session after (the round over, no round running).
    returned: BTreeSet<u32>,
    /// Their table before and after a reconnect, by round.
    reconnected: Vec<(u32, u32, Option<u32>)>,
}

/// One person's connection, following their inbox and the café.
struct Person {
    token: String,
    ws: Ws,
    inbox: Mirror,
    cafe: Mirror,
}

impl Person {
    async fn connect(url: &str, token: String) -> anyhow::Result<Person> {
        let mut ws = Ws::connect(url, &token).await?;
        let id = match &ws.welcome {
            Some(ServerMsg::Welcome { person, .. }) => person.id.clone(),
            other => anyhow::bail!("not welcomed: {other:?}"),
        };
        let mut inbox = Mirror::new(RoomId::parse(&format!("inbox:{CODE}:{id}"))?);
        let mut cafe = Mirror::new(cafe_room());
        for room in [inbox.room.clone(), cafe.room.clone()] {
            let asked = ws.request(&ClientMsg::Join { room, since: None }).await?;
            let reply = Self::until_reply(&mut ws, &mut inbox, &mut cafe, asked).await?;
            anyhow::ensure!(matches!(reply, ServerMsg::Joined { .. }), "{reply:?}");
        }
        Ok(Person {
            token,
            ws,
            inbox,
            cafe,
        })
    }

    /// Reads until the answer to request `asked`, both rooms' traffic to both mirrors (each
    /// takes its own).
    async fn until_reply(
        ws: &mut Ws,
        inbox: &mut Mirror,
        cafe: &mut Mirror,
        asked: u64,
    ) -> anyhow::Result<ServerMsg> {
        loop {
            let msg = ws.recv().await?;
            match &msg {
                ServerMsg::Joined { id: Some(i), .. }
                | ServerMsg::Ok { id: i, .. }
                | ServerMsg::Error { id: Some(i), .. }
                    if *i == asked =>
                {
                    return Ok(msg);
                }
                _ => {
                    inbox.take(&msg)?;
                    cafe.take(&msg)?;
                }
            }
        }
    }

    /// Says they take part, and waits until the server agreed.
    async fn take_part(&mut self) -> anyhow::Result<()> {
        let asked = self
            .ws
            .request(&ClientMsg::TakePart {
                event: F.ev(),
                session: cafe(),
                here: true,
            })
            .await?;
        let reply = Self::until_reply(&mut self.ws, &mut self.inbox, &mut self.cafe, asked).await?;
        anyhow::ensure!(matches!(reply, ServerMsg::Ok { .. }), "{reply:?}");
        Ok(())
    }

    /// Their seat in the café now: (round, table).
    fn seat(&self) -> Option<(u32, Option<u32>)> {
        match &self.inbox.state {
            Some(RoomState::Inbox(i)) => i
                .seats
                .iter()
                .find(|s| s.session == cafe())
                .map(|s| (s.round, s.table)),
            _ => None,
        }
    }

    /// The café's round now: (number, ends_ms), and the rounds run so far.
    fn round(&self) -> (Option<(u32, i64)>, u32) {
        match &self.cafe.state {
            Some(RoomState::Session(s)) => s
                .tables
                .as_ref()
                .map(|t| (t.round.as_ref().map(|r| (r.number, r.ends_ms)), t.rounds))
                .unwrap_or((None, 0)),
            _ => (None, 0),
        }
    }

    fn note(&self, seen: &mut Seen) {
        if let Some((round, Some(table))) = self.seat() {
            seen.tables.entry(round).or_default().insert(table);
        }
        let (running, rounds) = self.round();
        if let Some((n, ends)) = running {
            seen.countdown.insert(n, ends);
        }
        // Back in the session: no round runs (the seat's end may come after the next round's
        // seat, and is then no news).
        if running.is_none() && rounds > 0 {
            seen.returned.insert(rounds);
        }
    }
}

/// One person joins the event on instance `home` with a profile, connects and takes part.
async fn arrive(http: Http, url: &str, index: usize) -> anyhow::Result<Person> {
    let languages = match index % 5 {
        0 => vec!["sv"],
        1 => vec!["en", "sv"],
        _ => vec!["en"],
    };
    let a = http
        .send(
            "POST",
            &format!("/api/events/{CODE}/join"),
            None,
            Some(&json!({
                "name": format!("Person {index}"),
                "profile": {"organisation": format!("Org {}", index % 300), "languages": languages},
            })),
        )
        .await?;
    anyhow::ensure!(a.status == 200, "join: {}", a.body);
    let token = a.body["token"].as_str().unwrap_or_default().to_owned();
    let mut me = Person::connect(url, token).await?;
    me.take_part().await?;
    Ok(me)
}

/// Follows one person until they are back after the last round: reconnecting (to `others`,
/// alive throughout) when their connection ends, and once on purpose when first seated if
/// `bounce`.
async fn follow(
    mut me: Person,
    mut url: String,
    others: String,
    bounce: bool,
) -> anyhow::Result<Seen> {
    let mut seen = Seen::default();
    me.note(&mut seen);
    let mut bounced = !bounce;
    while !(seen.returned.contains(&ROUNDS) && me.seat() == Some((ROUNDS, None))) {
        let msg = match me.ws.next_event(Duration::from_secs(60)).await? {
            Ok(msg) => msg,
            Err(_) => {
                // Their instance died: another one, the same token, the same seat.
                let before = me.seat();
                url = others.clone();
                me = Person::connect(&url, me.token.clone()).await?;
                // Their page says it takes part again, as it does: that seats nobody twice.
                me.take_part().await?;
                if let Some((round, Some(table))) = before {
                    let after = me.seat().filter(|s| s.0 == round).and_then(|s| s.1);
                    seen.reconnected.push((round, table, after));
                }
                me.note(&mut seen);
                continue;
            }
        };
        me.inbox.take(&msg)?;
        me.cafe.take(&msg)?;
        me.note(&mut seen);
        // Once seated, some leave and come back at once (a flaky network).
        if !bounced && let Some((round, Some(table))) = me.seat() {
            bounced = true;
            let Person { ws, token, .. } = me;
            ws.close().await;
            me = Person::connect(&url, token).await?;
            me.take_part().await?;
            let after = me.seat().filter(|s| s.0 == round).and_then(|s| s.1);
            seen.reconnected.push((round, table, after));
            me.note(&mut seen);
        }
    }
    Ok(seen)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_people_through_three_rounds_on_three_instances_one_killed() {
    let redis = RedisServer::start();
    let url = redis.url();
    let dirs: Vec<tempfile::TempDir> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut servers = Vec::new();
    for dir in &dirs {
        servers.push(
            ServerProcess::spawn(BIN, dir.path(), &["--redis", &url])
                .await
                .unwrap(),
        );
    }
    let key = servers[0]
        .organiser_key
        .clone()
        .expect("the first makes the key");
    create_small_event(&servers[1].http(), &key, CODE)
        .await
        .unwrap();
    let organiser = Ws::connect(&servers[1].ws_url(), &key).await.unwrap();
    let mut organiser = Member::following(organiser, &cafe_room()).await;
    let observer = Ws::connect(&servers[2].ws_url(), &key).await.unwrap();
    let mut observer = Member::following(observer, &cafe_room()).await;
    let set = organiser
        .ask(ClientMsg::SetTables {
            event: F.ev(),
            session: cafe(),
            setup: Some(setup()),
        })
        .await;
    assert!(matches!(set, ServerMsg::Ok { .. }), "{set:?}");
    // The observer on the third instance reads throughout and reports each round's end.
    let (ended_tx, mut ended_rx) = tokio::sync::mpsc::unbounded_channel();
    let observing = tokio::spawn(async move {
        let mut done = 0;
        while done < ROUNDS {
            let m = observer
                .ws
                .next_event(Duration::from_secs(120))
                .await
                .unwrap()
                .unwrap();
            observer.view.take(&m).unwrap();
            if let ServerMsg::Event {
                event: RoomEvent::RoundEnded { number },
                at_ms,
                seq,
                ..
            } = &m
            {
                done = *number;
                ended_tx.send((*number, *at_ms, *seq)).unwrap();
            }
        }
    });

    // A thousand people, a third on each instance; one in nine reconnects mid-round 1.
    let gate = Arc::new(tokio::sync::Semaphore::new(40));
    let arrived = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut people = Vec::new();
    for i in 0..PEOPLE {
        let (gate, arrived) = (gate.clone(), arrived.clone());
        let home = &servers[i % 3];
        let (http, url) = (home.http(), home.ws_url());
        let others = servers[1].ws_url();
        people.push(tokio::spawn(async move {
            // Arriving is gated (a thousand joins at once would only queue); following is not.
            let permit = gate.acquire_owned().await.unwrap();
            let me = arrive(http, &url, i)
                .await
                .map_err(|e| anyhow::anyhow!("person {i} arriving: {e:#}"))?;
            drop(permit);
            arrived.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            follow(me, url, others, i % 9 == 4)
                .await
                .map_err(|e| anyhow::anyhow!("person {i}: {e:#}"))
        }));
    }
    let ev = F.ev();
    let start = |seconds: u32| ClientMsg::StartRound {
        event: ev.clone(),
        session: cafe(),
        seconds,
        seating: SeatingMode::Rotation,
        assignments: Vec::new(),
    };
    // The organiser's console keeps reading while people arrive (its heartbeats answered).
    tokio::time::timeout(Duration::from_secs(300), async {
        while arrived.load(std::sync::atomic::Ordering::SeqCst) < PEOPLE {
            organiser.until(Duration::from_millis(200), |_| false).await;
        }
    })
    .await
    .expect("everyone arrives");

    let mut ends = BTreeMap::new();
    let mut victim = Some(servers.remove(0));
    for round in 1..=ROUNDS {
        let seconds = if round == 2 { 25 } else { 15 };
        let started = organiser.ask(start(seconds)).await;
        assert!(matches!(started, ServerMsg::Ok { .. }), "{started:?}");
        let r = organiser.session().tables.unwrap().round.unwrap();
        assert_eq!(r.number, round);
        if round == 2 {
            // Mid-round, the first instance dies without a word.
            organiser.until(Duration::from_secs(6), |_| false).await;
            victim.take().unwrap().kill9().await;
        }
        // Both remaining instances report the round's end, at or after its end time.
        let ended = organiser
            .until(Duration::from_secs(90), |m| {
                matches!(m, ServerMsg::Event { event: RoomEvent::RoundEnded { number }, .. } if *number == round)
            })
            .await;
        let Some(ServerMsg::Event { at_ms, seq, .. }) = ended else {
            panic!("round {round} did not end on the second instance");
        };
        assert!(
            at_ms >= r.ends_ms,
            "round {round} ended at {at_ms}, before {}",
            r.ends_ms
        );
        let (number, at, other_seq) =
            tokio::time::timeout(Duration::from_secs(30), ended_rx.recv())
                .await
                .expect("the third instance reports the end")
                .unwrap();
        assert_eq!(
            (number, at, other_seq),
            (round, at_ms, seq),
            "one end, one order"
        );
        ends.insert(round, r.ends_ms);
    }
    observing.await.unwrap();

    let mut reconnects = 0;
    for (i, p) in people.into_iter().enumerate() {
        let seen = tokio::time::timeout(Duration::from_secs(120), p)
            .await
            .unwrap_or_else(|_| panic!("person {i} never came back after round {ROUNDS}"))
            .unwrap()
            .unwrap();
        for round in 1..=ROUNDS {
            let tables = seen.tables.get(&round).cloned().unwrap_or_default();
            assert_eq!(
                tables.len(),
                1,
                "person {i}, round {round}: tables {tables:?}"
            );
            assert_eq!(
                seen.countdown.get(&round),
                ends.get(&round),
                "person {i} saw round {round}'s countdown"
            );
            assert!(
                seen.returned.contains(&round),
                "person {i} back after {round}"
            );
        }
        for (round, before, after) in &seen.reconnected {
            assert_eq!(
                Some(*before),
                *after,
                "person {i} reconnected in round {round}"
            );
            reconnects += 1;
        }
    }
    // One in nine bounced in round 1; a third resumed after the kill in round 2.
    assert!(
        reconnects >= PEOPLE / 9 + PEOPLE / 3 - 2,
        "{reconnects} reconnects"
    );
}
