//! The activity log: who did what at an event, for its organisers.
//!
//! Every change made with a staff role's authority (organisers, co-organisers, moderators,
//! speakers: anything but following, asking and voting) is noted in the event room just after
//! it is committed, in the background (record `activity`, key a rising number, value the
//! entry). The log keeps the newest `limits::MAX_ACTIVITY` entries: each one over the bound
//! removes the oldest. Nobody's questions, votes or answers are in it.

use super::{Cx, Interaction, Made, RecordKind, Refusal, Stored};
use plenum_protocol::{ActivityEntry, limits};
use std::collections::BTreeMap;

/// The activity interaction.
pub struct Activity;

/// Notes one entry.
#[derive(Debug, Clone)]
pub struct Note(pub ActivityEntry);

/// An event's log, by number.
#[derive(Debug, Default)]
pub struct ActivityLog(BTreeMap<u64, ActivityEntry>);

impl ActivityLog {
    /// Every entry kept, newest first: by time, then as noted (notes made at once may be
    /// committed in another order than their times).
    pub fn newest_first(&self) -> Vec<ActivityEntry> {
        let mut all: Vec<(&u64, &ActivityEntry)> = self.0.iter().collect();
        all.sort_by(|a, b| b.1.at_ms.cmp(&a.1.at_ms).then(b.0.cmp(a.0)));
        all.into_iter().map(|(_, e)| e.clone()).collect()
    }
}

#[derive(Debug, Clone)]
pub enum ActivityChange {
    Add(u64, ActivityEntry),
    Remove(u64),
}

const ACTIVITY: &str = "activity";

impl Interaction for Activity {
    type Command = Note;
    type Records = ActivityLog;
    type Change = ActivityChange;
    const NAME: &'static str = "activity";
    const KINDS: &'static [RecordKind] = &[RecordKind {
        name: ACTIVITY,
        tallied: false,
        personal: true,
    }];

    fn decide(&self, cx: &mut Cx<'_, Self>, Note(entry): Note) -> Result<Made, Refusal> {
        cx.event_room()?;
        // The newest number, and the oldest entries a batch may have to remove: a point read.
        let removals = cx.records().changes.len() + 1;
        let log = cx.records().part(|r| {
            let mut part: BTreeMap<u64, ActivityEntry> =
                r.0.iter()
                    .take(removals)
                    .map(|(k, v)| (*k, v.clone()))
                    .collect();
            if let Some((k, v)) = r.0.last_key_value() {
                part.insert(*k, v.clone());
            }
            ActivityLog(part)
        });
        let view = cx.records();
        let kept = view
            .changes
            .iter()
            .fold(view.committed.0.len(), |n, c| match c {
                ActivityChange::Add(..) => n + 1,
                ActivityChange::Remove(_) => n - 1,
            });
        let next = log.0.last_key_value().map_or(1, |(k, _)| k + 1);
        if kept >= limits::MAX_ACTIVITY
            && let Some(oldest) = log.0.first_key_value().map(|(k, _)| *k)
        {
            cx.change(ActivityChange::Remove(oldest));
        }
        cx.change(ActivityChange::Add(next, entry));
        Ok(Made::default())
    }

    fn load(records: &mut ActivityLog, kind: &str, key: &str, value: Option<&str>) {
        if kind != ACTIVITY {
            return;
        }
        let Ok(n) = key.parse::<u64>() else {
            return;
        };
        match value.map(serde_json::from_str::<ActivityEntry>) {
            Some(Ok(entry)) => drop(records.0.insert(n, entry)),
            Some(Err(e)) => tracing::error!(key, error = %e, "an unreadable activity record"),
            None => drop(records.0.remove(&n)),
        }
    }

    fn apply(records: &mut ActivityLog, change: &ActivityChange) {
        match change {
            ActivityChange::Add(n, entry) => drop(records.0.insert(*n, entry.clone())),
            ActivityChange::Remove(n) => drop(records.0.remove(n)),
        }
    }

    fn store(change: &ActivityChange) -> Stored {
        match change {
            // Zero-padded, so the store's key order is the log's.
            ActivityChange::Add(n, entry) => Stored {
                kind: ACTIVITY,
                key: format!("{n:020}"),
                value: Some(serde_json::to_string(entry).expect("an entry serialises")),
            },
            ActivityChange::Remove(n) => Stored {
                kind: ACTIVITY,
                key: format!("{n:020}"),
                value: None,
            },
        }
    }
}
