//! The interactions the engine runs, type-erased: the engine holds each as a [`Registered`]
//! and calls it by its index, never by its name or its types.

use crate::interactions::{Batch, Cx, Interaction, Made, RecordKind, Refusal};
use plenum_protocol::{RoomId, RoomState};
use std::{
    any::{Any, TypeId},
    collections::{BTreeSet, HashMap},
    sync::Arc,
};

/// A command for one interaction. Built with [`Command::to`], so it can only carry the command
/// type of the interaction it names.
pub struct Command {
    pub(crate) to: TypeId,
    pub(crate) body: Box<dyn Any + Send>,
}

impl Command {
    /// A command for interaction `I`.
    pub fn to<I: Interaction>(command: I::Command) -> Command {
        Command {
            to: TypeId::of::<I>(),
            body: Box::new(command),
        }
    }
}

impl std::fmt::Debug for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Command")
    }
}

/// One interaction as the engine sees it: an object over opaque values.
pub(crate) trait Registered: Send + Sync {
    fn name(&self) -> &'static str;
    fn kinds(&self) -> &'static [RecordKind];
    fn new_records(&self) -> Box<dyn Any + Send>;
    fn new_changes(&self) -> Box<dyn Any + Send>;
    fn load(&self, records: &mut dyn Any, kind: &str, key: &str, value: Option<&str>);
    fn purged(&self, kind: &str, key: &str, value: &str) -> Option<String>;
    fn apply_changes(&self, records: &mut dyn Any, changes: &dyn Any);
    fn check(&self, command: &(dyn Any + Send)) -> Result<(), Refusal>;
    fn reads(&self, room: &RoomId, command: &(dyn Any + Send)) -> Vec<RoomId>;
    fn decide(&self, batch: &mut dyn Batch, command: &(dyn Any + Send)) -> Result<Made, Refusal>;
    fn tally(&self, batch: &mut dyn Batch, stale: &BTreeSet<u64>);
    fn changes_len(&self, changes: &dyn Any) -> usize;
    fn truncate_changes(&self, changes: &mut dyn Any, len: usize);
    fn live(&self, state: &RoomState) -> Vec<u64>;
    fn timers(&self, state: &RoomState, now_ms: i64) -> Vec<(i64, u64)>;
    fn on_timer(&self, key: u64) -> Option<Box<dyn Any + Send>>;
    fn personalise(&self, records: &dyn Any, full: &RoomState, view: &mut RoomState, person: &str);
}

struct Entry<I>(I);

fn records<I: Interaction>(r: &dyn Any) -> &I::Records {
    r.downcast_ref().expect("records of their own interaction")
}

impl<I: Interaction> Registered for Entry<I> {
    fn name(&self) -> &'static str {
        I::NAME
    }
    fn kinds(&self) -> &'static [RecordKind] {
        I::KINDS
    }
    fn new_records(&self) -> Box<dyn Any + Send> {
        Box::new(I::Records::default())
    }
    fn new_changes(&self) -> Box<dyn Any + Send> {
        Box::new(Vec::<I::Change>::new())
    }
    fn load(&self, records: &mut dyn Any, kind: &str, key: &str, value: Option<&str>) {
        let records = records
            .downcast_mut()
            .expect("records of their own interaction");
        I::load(records, kind, key, value);
    }
    fn purged(&self, kind: &str, key: &str, value: &str) -> Option<String> {
        I::purged(kind, key, value)
    }
    fn apply_changes(&self, records: &mut dyn Any, changes: &dyn Any) {
        let records = records
            .downcast_mut()
            .expect("records of their own interaction");
        let changes: &Vec<I::Change> = changes
            .downcast_ref()
            .expect("changes of their own interaction");
        for c in changes {
            I::apply(records, c);
        }
    }
    fn check(&self, command: &(dyn Any + Send)) -> Result<(), Refusal> {
        let command = (command as &dyn Any)
            .downcast_ref()
            .expect("a command of its own interaction");
        self.0.check(command)
    }
    fn reads(&self, room: &RoomId, command: &(dyn Any + Send)) -> Vec<RoomId> {
        let command = (command as &dyn Any)
            .downcast_ref()
            .expect("a command of its own interaction");
        self.0.reads(room, command)
    }
    fn decide(&self, batch: &mut dyn Batch, command: &(dyn Any + Send)) -> Result<Made, Refusal> {
        let command: &I::Command = (command as &dyn Any)
            .downcast_ref()
            .expect("a command of its own interaction");
        self.0.decide(&mut Cx::<I>::new(batch), command.clone())
    }
    fn tally(&self, batch: &mut dyn Batch, stale: &BTreeSet<u64>) {
        self.0.tally(&mut Cx::<I>::new(batch), stale)
    }
    fn changes_len(&self, changes: &dyn Any) -> usize {
        changes
            .downcast_ref::<Vec<I::Change>>()
            .expect("changes of their own interaction")
            .len()
    }
    fn truncate_changes(&self, changes: &mut dyn Any, len: usize) {
        changes
            .downcast_mut::<Vec<I::Change>>()
            .expect("changes of their own interaction")
            .truncate(len)
    }
    fn live(&self, state: &RoomState) -> Vec<u64> {
        self.0.live(state)
    }
    fn timers(&self, state: &RoomState, now_ms: i64) -> Vec<(i64, u64)> {
        self.0.timers(state, now_ms)
    }
    fn on_timer(&self, key: u64) -> Option<Box<dyn Any + Send>> {
        self.0
            .on_timer(key)
            .map(|c| Box::new(c) as Box<dyn Any + Send>)
    }
    fn personalise(&self, r: &dyn Any, full: &RoomState, view: &mut RoomState, person: &str) {
        self.0.personalise(records::<I>(r), full, view, person)
    }
}

/// The interactions an engine runs, in the order it consults them. Cheap to clone.
#[derive(Clone, Default)]
pub struct Registry {
    entries: Vec<Arc<dyn Registered>>,
    by_type: HashMap<TypeId, usize>,
    by_kind: HashMap<&'static str, usize>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.entries.iter().map(|e| e.name()))
            .finish()
    }
}

impl Registry {
    /// Adds an interaction. Panics if it is already there, or if one of its record kinds is
    /// another's: a programming error, caught at start.
    pub fn with<I: Interaction>(mut self, interaction: I) -> Registry {
        let index = self.entries.len();
        assert!(
            self.by_type.insert(TypeId::of::<I>(), index).is_none(),
            "interaction {} registered twice",
            I::NAME
        );
        for kind in I::KINDS {
            assert!(
                self.by_kind.insert(kind.name, index).is_none(),
                "record kind {} claimed twice",
                kind.name
            );
        }
        self.entries.push(Arc::new(Entry(interaction)));
        self
    }

    /// A command's own checks (its interaction's `check`), as `Engine::submit` runs them.
    pub(crate) fn check(&self, command: &Command) -> Result<(), Refusal> {
        let index = self
            .index_for(command)
            .ok_or_else(|| Refusal::NotFound("no such interaction on this server".into()))?;
        self.get(index).check(command.body.as_ref())
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    pub(crate) fn get(&self, index: usize) -> &dyn Registered {
        self.entries[index].as_ref()
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (usize, &dyn Registered)> {
        self.entries.iter().map(|e| e.as_ref()).enumerate()
    }

    /// The index of interaction `I`.
    pub(crate) fn index_of<I: Interaction>(&self) -> Option<usize> {
        self.index_of_type(TypeId::of::<I>())
    }

    /// The index of the interaction of this type.
    pub(crate) fn index_of_type(&self, interaction: TypeId) -> Option<usize> {
        self.by_type.get(&interaction).copied()
    }

    /// The index of the interaction a command is for.
    pub(crate) fn index_for(&self, command: &Command) -> Option<usize> {
        self.by_type.get(&command.to).copied()
    }

    /// The index of the interaction that owns a record kind.
    pub(crate) fn owner_of(&self, kind: &str) -> Option<usize> {
        self.by_kind.get(kind).copied()
    }

    /// Whether a change of records of this kind makes a published aggregate stale.
    pub(crate) fn tallied(&self, kind: &str) -> bool {
        self.owner_of(kind).is_some_and(|i| {
            self.entries[i]
                .kinds()
                .iter()
                .any(|k| k.name == kind && k.tallied)
        })
    }

    /// Whether records of this kind identify a person (purged with an event's personal data).
    /// A kind no interaction owns counts as personal: nothing unknown outlives a purge.
    pub(crate) fn personal(&self, kind: &str) -> bool {
        self.owner_of(kind).is_none_or(|i| {
            self.entries[i]
                .kinds()
                .iter()
                .any(|k| k.name == kind && k.personal)
        })
    }

    /// What a purge makes of a record: `None` keeps it, `Some(None)` deletes it (a personal
    /// kind), `Some(Some(value))` rewrites it (its interaction's `Interaction::purged`).
    pub(crate) fn purged(&self, kind: &str, key: &str, value: &str) -> Option<Option<String>> {
        if self.personal(kind) {
            return Some(None);
        }
        let i = self.owner_of(kind)?;
        self.entries[i].purged(kind, key, value).map(Some)
    }

    /// Fresh, empty records of every interaction.
    pub(crate) fn new_records(&self) -> Vec<Box<dyn Any + Send>> {
        self.entries.iter().map(|e| e.new_records()).collect()
    }
}
