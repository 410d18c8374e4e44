//! A round's seats: seating everyone when it starts, someone arriving or moving while it runs,
//! and telling each person their seat (in their inbox).

use super::{PRESENT_MS, Participant, Tables, TablesChange, TablesRecords, seating, setup};
use crate::interactions::{Cx, Refusal};
use plenum_protocol::{
    Apart, Assignment, PersonId, RoomEvent, RoomId, Round, Seat, SeatingMode, TableMember, TableSet,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub(super) fn guest(id: &str, p: &Participant) -> seating::Guest {
    seating::Guest {
        id: id.to_owned(),
        languages: p.languages.clone(),
        organisation: p.organisation.clone(),
        country: p.country.clone(),
    }
}

/// The seating view of `set`'s tables, with their hosts when they take part; a hosted
/// table whose host is not there keeps their seat for them.
pub(super) fn seating_tables(
    set: &TableSet,
    here: &HashMap<String, Participant>,
) -> Vec<seating::Table> {
    set.tables
        .iter()
        .map(|t| {
            let host = t
                .host
                .as_ref()
                .and_then(|h| here.get(h).map(|p| guest(h, p)));
            seating::Table {
                capacity: t.capacity - u32::from(t.hosted && host.is_none()),
                language: t.language.clone(),
                host,
            }
        })
        .collect()
}

/// Seats taken at each table: its guests, and its host's seat (kept for them, there or not,
/// unless the table is closed).
pub(super) fn occupied(set: &TableSet, seats: &HashMap<String, u32>) -> HashMap<u32, u32> {
    let mut taken: HashMap<u32, u32> = set
        .tables
        .iter()
        .map(|t| (t.number, u32::from(t.hosted && !t.closed)))
        .collect();
    for (p, n) in seats {
        let hosts_it = set.table(*n).and_then(|t| t.host.as_deref()) == Some(p.as_str());
        if !hosts_it {
            *taken.entry(*n).or_insert(0) += 1;
        }
    }
    taken
}

/// Where someone arriving mid-round sits: their table if they host one; the table the round
/// gave them (the organiser's, or theirs before they were away), while it has a seat; else the
/// emptiest of their language.
pub(super) fn arrival_table(
    set: &TableSet,
    records: &TablesRecords,
    round: &Round,
    id: &str,
) -> Option<u32> {
    if let Some(t) = set
        .tables
        .iter()
        .find(|t| t.host.as_deref() == Some(id) && !t.closed)
    {
        return Some(t.number);
    }
    let counts = occupied(set, &records.seats);
    let open = |n: u32| {
        set.table(n)
            .is_some_and(|t| !t.closed && counts.get(&n).copied().unwrap_or(0) < t.capacity)
    };
    // The table the round gave them (assigned, or theirs before they were away), while it
    // has a seat.
    if let Some(&n) = records.rounds.get(&round.number).and_then(|r| r.get(id))
        && open(n)
    {
        return Some(n);
    }
    // Capacities whole: the hosts' seats are counted as taken.
    let tables: Vec<seating::Table> = set
        .tables
        .iter()
        .map(|t| seating::Table {
            // A closed table seats nobody.
            capacity: if t.closed { 0 } else { t.capacity },
            language: t.language.clone(),
            host: None,
        })
        .collect();
    let seated: Vec<u32> = set
        .tables
        .iter()
        .map(|t| counts.get(&t.number).copied().unwrap_or(0))
        .collect();
    let me = records.here.get(id).cloned().unwrap_or_default();
    seating::arrival(&tables, &seated, &guest(id, &me)).map(|i| set.tables[i].number)
}

/// Seats `person` at `table` (or nowhere) in the running round: records the seat, tells them
/// and the people at the table they leave and the table they take.
pub(super) fn seat(
    cx: &mut Cx<'_, Tables>,
    set: &TableSet,
    session: &str,
    round: &Round,
    person: &str,
    table: Option<u32>,
) -> Result<(), Refusal> {
    let records = cx.records().part(Clone::clone);
    let from = records.seats.get(person).copied();
    if from.is_none() && table.is_none() {
        return Ok(());
    }
    if let Some(n) = table {
        let t = set
            .table(n)
            .ok_or_else(|| Refusal::NotFound(format!("no table {n}")))?;
        if t.closed {
            return Err(Refusal::Conflict(format!("table {n} is closed")));
        }
        // A host's seat is kept for them; everyone else fits in the rest.
        let hosts_it = t.host.as_deref() == Some(person);
        let taken = occupied(set, &records.seats).get(&n).copied().unwrap_or(0);
        if !hosts_it && taken >= t.capacity {
            return Err(Refusal::Conflict(format!("table {n} is full")));
        }
    }
    cx.change(TablesChange::Seat(person.to_owned(), from, table));
    let records = cx.records().part(Clone::clone);
    let mut tell: BTreeSet<String> = BTreeSet::from([person.to_owned()]);
    for (p, t) in &records.seats {
        if Some(*t) == from || Some(*t) == table {
            tell.insert(p.clone());
        }
    }
    let at = by_table(&records.seats);
    for p in tell {
        let seat = seat_of(set, session, round, &records, &at, &p);
        notify(cx, &p, seat)?;
    }
    Ok(())
}

pub(super) fn by_table(seats: &HashMap<String, u32>) -> HashMap<u32, Vec<&str>> {
    let mut at: HashMap<u32, Vec<&str>> = HashMap::new();
    for (p, t) in seats {
        at.entry(*t).or_default().push(p);
    }
    at
}

/// `person`'s seat as their inbox gets it.
pub(super) fn seat_of(
    set: &TableSet,
    session: &str,
    round: &Round,
    records: &TablesRecords,
    at: &HashMap<u32, Vec<&str>>,
    person: &str,
) -> Seat {
    let table = records.seats.get(person).copied();
    let host = table
        .and_then(|n| set.table(n))
        .and_then(|t| t.host.clone());
    let mut members: Vec<TableMember> = table
        .and_then(|n| at.get(&n))
        .map(|people| {
            people
                .iter()
                .map(|p| {
                    let who = records.here.get(*p).cloned().unwrap_or_default();
                    TableMember {
                        name: who.name,
                        organisation: who.organisation,
                        host: host.as_deref() == Some(*p),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    members.sort_by(|a, b| b.host.cmp(&a.host).then_with(|| a.name.cmp(&b.name)));
    Seat {
        session: plenum_protocol::SessionId::parse(session).expect("a session room's id"),
        round: round.number,
        table,
        host: table.is_some() && host.as_deref() == Some(person),
        members,
        video: table.and_then(|n| setup::video(set, session, n)),
    }
}

/// Tells `person` their seat, in their inbox.
pub(super) fn notify(cx: &mut Cx<'_, Tables>, person: &str, seat: Seat) -> Result<(), Refusal> {
    let Ok(id) = PersonId::parse(person) else {
        // Person ids come from tokens; one that cannot name an inbox has none to tell.
        return Ok(());
    };
    let inbox = RoomId::Inbox(cx.room().event_code().clone(), id);
    cx.emit_to(inbox, RoomEvent::Seated { seat });
    Ok(())
}

/// Starts the next round: seats everyone taking part as `seating` says, tells each their seat.
pub(super) fn start(
    cx: &mut Cx<'_, Tables>,
    set: &TableSet,
    session: &str,
    seconds: u32,
    mode: SeatingMode,
    assignments: &[Assignment],
) -> Result<(), Refusal> {
    let records = cx.records().part(Clone::clone);
    // Closed tables take no part in the round's seating (their hosts sit elsewhere as guests).
    let open_set = TableSet {
        tables: set.tables.iter().filter(|t| !t.closed).cloned().collect(),
        ..set.clone()
    };
    if open_set.tables.is_empty() {
        return Err(Refusal::Conflict(
            "every table is closed: open one before starting a round".into(),
        ));
    }
    if let Some((i, a)) = assignments
        .iter()
        .enumerate()
        .find(|(_, a)| set.table(a.table).is_some_and(|t| t.closed))
    {
        return Err(Refusal::invalid(
            &format!("assignments[{i}].table"),
            format!("table {} is closed", a.table),
        ));
    }
    let set = &open_set;
    let number = set.rounds + 1;
    let now = cx.now_ms();
    let ends_ms = now + i64::from(seconds) * 1000;
    let round = Round {
        number,
        seating: mode,
        started_ms: now,
        ends_ms,
        warn_ms: Round::warning(now, ends_ms),
    };
    // Only people seen lately: a page closed without a word takes no seat.
    // (Someone seated in the round before counts as here: a locked phone says nothing.)
    let before = records.rounds.values().next_back();
    let present: HashMap<String, Participant> = records
        .here
        .iter()
        .filter(|(id, p)| {
            now - p.seen_ms <= PRESENT_MS || before.is_some_and(|r| r.contains_key(*id))
        })
        .map(|(id, p)| (id.clone(), p.clone()))
        .collect();
    let tables = seating_tables(set, &present);
    let hosts: BTreeSet<&str> = tables
        .iter()
        .filter_map(|t| t.host.as_ref().map(|h| h.id.as_str()))
        .collect();
    let mut guests: Vec<seating::Guest> = present
        .iter()
        .filter(|(id, _)| !hosts.contains(id.as_str()))
        .map(|(id, p)| guest(id, p))
        .collect();
    guests.sort_by(|a, b| a.id.cmp(&b.id));
    let rules = seating::Rules {
        distinct: match set.apart {
            Apart::Nobody => seating::Distinct::Nobody,
            Apart::Organisation => seating::Distinct::Organisation,
            Apart::Country => seating::Distinct::Country,
        },
        seed: seed(cx.key(), cx.room(), number),
    };
    let index = |n: u32| set.tables.iter().position(|t| t.number == n);
    // Who sits where, by table number; and the round's plan (the assignments, for arrivals).
    let mut placed: BTreeMap<String, u32> = BTreeMap::new();
    let mut plan: BTreeMap<String, u32> = BTreeMap::new();
    match mode {
        SeatingMode::SelfSelect => {}
        SeatingMode::Random | SeatingMode::Rotation => {
            let s = if mode == SeatingMode::Random {
                seating::random(&tables, &guests, &rules)
            } else {
                let past: Vec<seating::Placement> = records
                    .rounds
                    .values()
                    .map(|r| {
                        r.iter()
                            .filter_map(|(p, n)| Some((p.clone(), index(*n)?)))
                            .collect()
                    })
                    .collect();
                seating::rotation(&tables, &guests, &past, &rules)
            };
            for (p, i) in s.placement {
                placed.insert(p, set.tables[i].number);
            }
        }
        SeatingMode::Assigned => {
            let mut counts: HashMap<u32, u32> = HashMap::new();
            for (i, a) in assignments.iter().enumerate() {
                if set
                    .tables
                    .iter()
                    .any(|t| t.host.as_deref() == Some(a.person.as_str()))
                {
                    return Err(Refusal::invalid(
                        &format!("assignments[{i}].person"),
                        format!("{} hosts a table, where they stay", a.person),
                    ));
                }
                let t = set.table(a.table).ok_or_else(|| {
                    Refusal::invalid(
                        &format!("assignments[{i}].table"),
                        format!("no table {}", a.table),
                    )
                })?;
                if plan.insert(a.person.clone(), a.table).is_some() {
                    return Err(Refusal::invalid(
                        &format!("assignments[{i}].person"),
                        format!("{} is assigned twice", a.person),
                    ));
                }
                let n = counts.entry(a.table).or_insert(u32::from(t.hosted));
                *n += 1;
                if *n > t.capacity {
                    return Err(Refusal::invalid(
                        &format!("assignments[{i}].table"),
                        format!("table {} has {} seats", a.table, t.capacity),
                    ));
                }
            }
            for g in &guests {
                if let Some(n) = plan.get(&g.id) {
                    placed.insert(g.id.clone(), *n);
                }
            }
        }
    }
    // Hosts at their tables.
    for t in &set.tables {
        if let Some(h) = t.host.as_ref().filter(|h| present.contains_key(*h)) {
            placed.insert(h.clone(), t.number);
        }
    }
    // Assigned rounds: whoever takes part but was not listed, as an arrival.
    if mode == SeatingMode::Assigned {
        let mut seats: HashMap<String, u32> = placed.clone().into_iter().collect();
        for g in &guests {
            if seats.contains_key(&g.id) {
                continue;
            }
            let view = TablesRecords {
                here: records.here.clone(),
                seats: seats.clone(),
                rounds: BTreeMap::new(),
            };
            if let Some(n) = arrival_table(set, &view, &round, &g.id) {
                seats.insert(g.id.clone(), n);
                placed.insert(g.id.clone(), n);
            }
        }
    }
    for (person, table) in &placed {
        cx.change(TablesChange::Seat(person.clone(), None, Some(*table)));
    }
    let mut kept = placed.clone();
    if mode == SeatingMode::Assigned {
        kept.extend(plan);
    }
    cx.change(TablesChange::Round(number, kept));
    cx.emit(RoomEvent::RoundStarted {
        round: round.clone(),
    });
    let seats: HashMap<String, u32> = placed.into_iter().collect();
    let view = TablesRecords {
        here: records.here.clone(),
        seats,
        rounds: BTreeMap::new(),
    };
    let at = by_table(&view.seats);
    let mut everyone: Vec<&String> = present.keys().collect();
    everyone.sort();
    for p in everyone {
        let seat = seat_of(set, session, &round, &view, &at, p);
        notify(cx, p, seat)?;
    }
    Ok(())
}

/// The seed of a round's seating: the same room and round seat alike on every instance.
pub(super) fn seed(key: &[u8; 32], room: &RoomId, round: u32) -> u64 {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new()
        .chain_update(key)
        .chain_update(room.to_string())
        .chain_update(round.to_le_bytes())
        .finalize();
    u64::from_le_bytes(digest[..8].try_into().expect("8 bytes"))
}
