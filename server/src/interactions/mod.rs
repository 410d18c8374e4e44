//! The interactions: what people do in a room, one module each, behind one trait.
//!
//! - [`agenda`]  — an event's document (create, import, edit sessions) and its announcements.
//! - [`stage`]   — a session's stage (status, what is on) and its stream delay.
//! - [`qa`]      — questions: asking, voting up, moderating; blocking askers.
//! - [`polls`]   — the six poll kinds: lifecycle, timers, ballots, results.
//! - [`quizzes`] — quizzes: fair timing across stream delays, scores, leaderboards.
//! - [`awards`]  — award votes: secret, verifiable ballots, a staged reveal.
//! - [`inbox`]   — a person's own notes (left by the others as follow-ups), read on every device.
//! - [`access`]  — invitations withdrawn.
//! - [`people`]  — who people are at an event (organisation, country, languages), their stars.
//! - [`attendance`] — who came (counts only): people joined, each session's peak presence.
//! - [`tables`]  — world cafés: table sets, rounds, and seating people so they meet new ones.
//! - [`contacts`] — contact cards, and the consent two people record about what each shares.
//! - [`meetings`] — one-to-one meetings: the plan, requests and answers, bookings, "Schedule all".
//! - [`exhibition`] — booths: their words, logos and staff.
//!
//! Each owns its commands, its private record kinds (how a record is stored, applied, and
//! which published aggregate it makes stale), its tallies, its timers and its pure rules. The
//! engine (`engine/`) calls them through [`Interaction`] without knowing any by name: it hands
//! a command to the interaction it was made for, with a [`Cx`] over the room as the batch
//! leaves it, and logs what the interaction [`Cx::emit`]s.
//!
//! This module is the seam between the two, and the reason the dependency points one way: an
//! interaction depends on `plenum_protocol` and this module only (never on the engine, the
//! transport or the store), and the engine depends on this module, never on an interaction.
//!
//! Adding an interaction is a recipe in ARCHITECTURE.md.

pub mod access;
pub mod activity;
pub mod agenda;
pub mod attendance;
pub mod awards;
pub mod contacts;
pub mod exhibition;
pub mod inbox;
pub mod meetings;
pub mod people;
pub mod polls;
pub mod qa;
pub mod quizzes;
pub mod stage;
pub mod tables;

use plenum_protocol::{
    AwardId, EventInfo, PollId, QuestionId, QuizId, RoomEvent, RoomId, RoomState,
};
use std::{any::Any, collections::BTreeSet, marker::PhantomData};

/// Why a request was refused. Each maps to one protocol error code (`transport::http`).
#[derive(Debug, Clone, thiserror::Error)]
pub enum Refusal {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    TooLarge(String),
    #[error("{message}")]
    Invalid {
        message: String,
        field: Option<String>,
    },
    /// A text over its length limit: `too_large`, naming the field (every text alike).
    #[error("{field} is longer than {max} characters")]
    TooLong { field: String, max: usize },
    #[error("the store is unavailable; nothing was changed")]
    Unavailable,
}

impl Refusal {
    /// A text longer than `max` characters.
    pub fn too_long(field: &str, max: usize) -> Refusal {
        Refusal::TooLong {
            field: field.to_owned(),
            max,
        }
    }

    /// A bad field: the message names it, and so does `field`.
    pub fn invalid(field: &str, message: impl Into<String>) -> Refusal {
        let message = message.into();
        Refusal::Invalid {
            message: format!("{field}: {message}"),
            field: Some(field.to_owned()),
        }
    }
}

/// A person's text in a request (a question, a reply, a poll's question, option or answer):
/// trimmed, not empty, no control characters but line breaks, nothing invisible or
/// direction-changing ([`visible`]), and, in Unicode NFC, at most `max` characters
/// (`too_large` beyond). Named by `field` in the refusal.
pub fn text(field: &str, value: &str, max: usize) -> Result<String, Refusal> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Refusal::invalid(field, "must not be empty"));
    }
    if value.chars().any(|c| c.is_control() && c != '\n') {
        return Err(Refusal::invalid(field, "contains control characters"));
    }
    let value = visible(value).map_err(|m| Refusal::invalid(field, m))?;
    // Counted as kept: NFC splits a few characters into several.
    if value.chars().count() > max {
        return Err(Refusal::too_long(field, max));
    }
    Ok(value)
}

/// A video link template as kept (`field` names it in a refusal): none when empty, else an
/// `https://` link of at most [`limits::MAX_VIDEO_TEMPLATE_CHARS`] characters (`too_large`
/// beyond, like every text) without spaces, controls or quotes.
pub fn video_template(field: &str, value: Option<&str>) -> Result<Option<String>, Refusal> {
    use plenum_protocol::limits;
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) if v.chars().count() > limits::MAX_VIDEO_TEMPLATE_CHARS => {
            Err(Refusal::too_long(field, limits::MAX_VIDEO_TEMPLATE_CHARS))
        }
        Some(v) => {
            let fine = v.starts_with("https://")
                && !v
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_control() || c == '"');
            if fine {
                Ok(Some(v.to_owned()))
            } else {
                Err(Refusal::invalid(
                    field,
                    format!(
                        "must be an https:// link of at most {} characters",
                        limits::MAX_VIDEO_TEMPLATE_CHARS
                    ),
                ))
            }
        }
    }
}

/// Whether `c` is a default-ignorable code point (Unicode's `Default_Ignorable_Code_Point`,
/// which renderers show as nothing) or another invisible format character.
fn ignorable(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{FFF0}'..='\u{FFFB}' | '\u{1BCA0}'..='\u{1BCA3}'
        | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
}

/// Text as people will see it, or why not. Refused: characters that change the direction of
/// what follows (bidi overrides, embeddings, isolates, marks), invisible ones (every
/// default-ignorable code point: zero-width space, word joiner, byte-order mark, Hangul fillers,
/// tag characters…), and text with nothing visible. Kept: a zero-width joiner or non-joiner
/// between two visible characters of a script that uses them (emoji sequences, Persian, Indic
/// scripts; never between two Latin letters), and a variation selector right after a visible
/// character (❤️). Returns the text in Unicode NFC.
pub fn visible(value: &str) -> Result<String, &'static str> {
    use unicode_normalization::UnicodeNormalization as _;
    let value: String = value.nfc().collect();
    let steers = |c: char| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}');
    let joiner = |c: char| matches!(c, '\u{200C}' | '\u{200D}');
    let selector = |c: char| matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}');
    let shows = |c: char| !c.is_whitespace() && !ignorable(c);
    let chars: Vec<char> = value.chars().collect();
    let before = |i: usize| i.checked_sub(1).and_then(|j| chars.get(j)).copied();
    for (i, &c) in chars.iter().enumerate() {
        if steers(c) {
            return Err("contains characters that change the text's direction");
        }
        if !ignorable(c) {
            continue;
        }
        let kept = if joiner(c) {
            // Joining two visible characters, not two Latin letters ("A\u{200D}da" is "Ada").
            matches!((before(i), chars.get(i + 1)), (Some(a), Some(&b))
                if shows(a) && shows(b) && !(a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric()))
        } else {
            selector(c) && before(i).is_some_and(shows)
        };
        if !kept {
            return Err("contains invisible characters");
        }
    }
    if !chars.iter().copied().any(shows) {
        return Err("has nothing visible");
    }
    Ok(value)
}

/// What a committed request made, besides its place in the room's log: the id of a new item
/// (or a ballot's receipt), answered to the requester in `ok`. One type from the rules to the
/// wire, so a new id is never copied field by field through the layers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Made {
    pub question: Option<QuestionId>,
    pub poll: Option<PollId>,
    pub award: Option<AwardId>,
    pub receipt: Option<String>,
    pub quiz: Option<QuizId>,
    pub meeting: Option<plenum_protocol::MeetingId>,
    pub scheduled: Option<plenum_protocol::ScheduleSummary>,
}

/// A kind of private record an interaction stores: its name in the store, and whether a change
/// of it makes a published aggregate stale (so another instance's write of it may leave a
/// tally to publish, see `engine::ORPHANED_TALLIES_AFTER`), and whether it identifies a person
/// (purged with the event's personal data, see `engine::purge`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordKind {
    pub name: &'static str,
    pub tallied: bool,
    pub personal: bool,
}

/// A record change as the store keeps it: `(kind, key, value)`, `None` deleting the record.
/// The key's and value's formats are the interaction's own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub kind: &'static str,
    pub key: String,
    pub value: Option<String>,
}

/// One interaction: everything the engine needs to run it, and nothing of how.
///
/// Its private records (`Records`) are durable but never broadcast: a thousand upvotes are a
/// thousand records and, at most four times a second, one tally event ([`Interaction::tally`]).
/// Aggregates are keyed by a `u64` the interaction chooses (a question's, a poll's id).
pub trait Interaction: Send + Sync + 'static {
    /// A request to it, with whatever it needs to know of who makes it. Cloned when a
    /// conflict with another instance's write has it decided again.
    type Command: Clone + Send + 'static;
    /// Its private records in one room, as committed.
    type Records: Default + Send + 'static;
    /// One change to those records.
    type Change: Clone + Send + 'static;

    /// Its name, in logs.
    const NAME: &'static str;
    /// The record kinds it stores; no two interactions share one.
    const KINDS: &'static [RecordKind] = &[];

    /// Checks of a command that need no room: run before it is queued, so bad input costs the
    /// sequencer nothing.
    fn check(&self, _command: &Self::Command) -> Result<(), Refusal> {
        Ok(())
    }

    /// Rooms besides its own that deciding `command` reads ([`Cx::other`]): the engine loads
    /// them, and brings them up to date from a shared store, before deciding.
    fn reads(&self, _room: &RoomId, _command: &Self::Command) -> Vec<RoomId> {
        Vec::new()
    }

    /// Decides a command against the room as the batch leaves it: emits the events to log and
    /// the record changes to make, or refuses (and then nothing it emitted counts).
    fn decide(&self, cx: &mut Cx<'_, Self>, command: Self::Command) -> Result<Made, Refusal>;

    /// Applies one stored record (`None`: deleted) while a room loads, or from another
    /// instance's write. Unreadable records are skipped: this interaction wrote them.
    fn load(records: &mut Self::Records, kind: &str, key: &str, value: Option<&str>);

    /// Applies one change, as committed (or as a batch sees it).
    fn apply(records: &mut Self::Records, change: &Self::Change);

    /// What a purge of the event's personal data makes of one stored record of a kind not
    /// personal as a whole (those are deleted, [`RecordKind::personal`]): `None` keeps it as
    /// it is, `Some(value)` keeps it with this value instead (without a name, say).
    fn purged(_kind: &str, _key: &str, _value: &str) -> Option<String> {
        None
    }

    /// The store record that makes `change` durable.
    fn store(change: &Self::Change) -> Stored;

    /// The published aggregate `change` makes stale, if any.
    fn stales(_change: &Self::Change) -> Option<u64> {
        None
    }

    /// Publishes the `stale` aggregates whose published value differs from the records.
    fn tally(&self, _cx: &mut Cx<'_, Self>, _stale: &BTreeSet<u64>) {}

    /// Every aggregate of `state` that can still change (published again after a restart, or
    /// when another instance died before publishing its tallies).
    fn live(&self, _state: &RoomState) -> Vec<u64> {
        Vec::new()
    }

    /// Timers `state` asks for: (when, in ms since the epoch; a key of the interaction's).
    /// Asked after every write to the room and after each of its timers fires. A timer that
    /// recurs names only its next time after `now_ms`: the sequencer keeps each (when, key)
    /// once, and fires a past one at once.
    fn timers(&self, _state: &RoomState, _now_ms: i64) -> Vec<(i64, u64)> {
        Vec::new()
    }

    /// The command a timer runs when it is due (decided like any other).
    fn on_timer(&self, _key: u64) -> Option<Self::Command> {
        None
    }

    /// Adds to `view`, a viewer's snapshot of a room whose full state is `full`, what is
    /// `person`'s alone (their answers, their standing).
    fn personalise(
        &self,
        _records: &Self::Records,
        _full: &RoomState,
        _view: &mut RoomState,
        _person: &str,
    ) {
    }
}

/// A room's committed records of one interaction, with the batch's changes over them.
pub struct View<'a, I: Interaction + ?Sized> {
    pub committed: &'a I::Records,
    /// This batch's changes, in order.
    pub changes: &'a [I::Change],
}

impl<'a, I: Interaction + ?Sized> View<'a, I> {
    /// The view over what the engine hands over type-erased: `&I::Records` and
    /// `&Vec<I::Change>`.
    fn of(committed: &'a dyn Any, changes: &'a dyn Any) -> View<'a, I> {
        View {
            committed: committed
                .downcast_ref()
                .expect("the engine hands each interaction its own records"),
            changes: changes
                .downcast_ref::<Vec<I::Change>>()
                .expect("the engine hands each interaction its own changes"),
        }
    }

    /// A part of the committed records (chosen by `part`) with the batch's changes applied:
    /// a point read that copies only what it needs.
    pub fn part(&self, part: impl FnOnce(&I::Records) -> I::Records) -> I::Records {
        let mut r = part(self.committed);
        for c in self.changes {
            I::apply(&mut r, c);
        }
        r
    }
}

/// What the engine offers while deciding, for one room and one interaction. Implemented by the
/// engine (`engine::staged`); type-erased so that the engine needs no interaction's types.
/// Interactions use it through [`Cx`].
pub trait Batch {
    fn room(&self) -> &RoomId;
    /// The room's state as the batch leaves it (full, staff view).
    fn state(&self) -> &RoomState;
    fn now_ms(&self) -> i64;
    /// A server-wide secret for ids the rules derive (kept in the store).
    fn key(&self) -> &[u8; 32];
    /// The event's document as the batch leaves it.
    fn event_doc(&self) -> Option<EventInfo>;
    /// Whether this batch already changed the event's document.
    fn event_doc_changed(&self) -> bool;
    /// Sets the event's document, committed with the room's write (event rooms only).
    fn set_event_doc(&mut self, doc: EventInfo);
    fn emit(&mut self, event: RoomEvent);
    /// Logs `event` in another room, as a follow-up (see [`Cx::emit_to`]).
    fn emit_to(&mut self, room: RoomId, event: RoomEvent);
    /// This interaction's committed records (`&I::Records`) and batch changes
    /// (`&Vec<I::Change>`).
    fn records(&self) -> (&dyn Any, &dyn Any);
    /// The batch's changes of this interaction (`&mut Vec<I::Change>`).
    fn changes_mut(&mut self) -> &mut dyn Any;
    /// Notes a change's store record and the aggregate it makes stale.
    fn note(&mut self, stored: Stored, stale: Option<u64>);
    /// Runs `read` over this interaction's records in another room (see
    /// [`Interaction::reads`]).
    /// `interaction`'s (by its type) records in another room (see [`Interaction::reads`]).
    fn other(
        &self,
        room: &RoomId,
        interaction: std::any::TypeId,
        read: &mut dyn FnMut(&dyn Any, &dyn Any),
    ) -> Result<(), Refusal>;
}

/// An interaction's typed window on the batch: see [`Batch`].
pub struct Cx<'a, I: Interaction + ?Sized> {
    batch: &'a mut dyn Batch,
    _interaction: PhantomData<fn(&I)>,
}

impl<'a, I: Interaction + ?Sized> Cx<'a, I> {
    /// For the engine: a window on `batch`.
    pub fn new(batch: &'a mut dyn Batch) -> Cx<'a, I> {
        Cx {
            batch,
            _interaction: PhantomData,
        }
    }

    pub fn room(&self) -> &RoomId {
        self.batch.room()
    }

    /// The room's state as the batch leaves it, before this command's events.
    pub fn state(&self) -> &RoomState {
        self.batch.state()
    }

    /// A session room's state, or a refusal for any other room.
    pub fn session(&self) -> Result<&plenum_protocol::SessionState, Refusal> {
        match self.batch.state() {
            RoomState::Session(s) => Ok(s),
            _ => Err(wrong_room()),
        }
    }

    /// An event room's state, or a refusal for any other room.
    pub fn event_room(&self) -> Result<&plenum_protocol::EventState, Refusal> {
        match self.batch.state() {
            RoomState::Event(s) => Ok(s),
            _ => Err(wrong_room()),
        }
    }

    pub fn now_ms(&self) -> i64 {
        self.batch.now_ms()
    }

    pub fn key(&self) -> &[u8; 32] {
        self.batch.key()
    }

    /// The event's document as the batch leaves it, or `not_found`.
    pub fn event_doc(&self) -> Result<EventInfo, Refusal> {
        self.batch
            .event_doc()
            .ok_or_else(|| Refusal::NotFound(format!("no event {}", self.room().event_code())))
    }

    pub fn event_doc_changed(&self) -> bool {
        self.batch.event_doc_changed()
    }

    pub fn set_event_doc(&mut self, doc: EventInfo) {
        self.batch.set_event_doc(doc)
    }

    /// Logs `event` in this room (once the command is decided without refusal).
    pub fn emit(&mut self, event: RoomEvent) {
        self.batch.emit(event);
    }

    /// Logs `events` in this room, in order.
    pub fn emit_all(&mut self, events: impl IntoIterator<Item = RoomEvent>) {
        for event in events {
            self.batch.emit(event);
        }
    }

    /// Logs `event` in another room (a person's inbox, say) as a **follow-up** of this command:
    /// committed right after this room's write, only once that write is committed, and
    /// decided again on its own if the other room conflicts; never without this room's write,
    /// never twice for one command.
    pub fn emit_to(&mut self, room: RoomId, event: RoomEvent) {
        self.batch.emit_to(room, event);
    }

    /// This interaction's records in this room, as the batch leaves them.
    pub fn records(&self) -> View<'_, I> {
        let (committed, changes) = self.batch.records();
        View::of(committed, changes)
    }

    /// Makes a change to this interaction's records in this room.
    pub fn change(&mut self, change: I::Change) {
        self.batch.note(I::store(&change), I::stales(&change));
        self.batch
            .changes_mut()
            .downcast_mut::<Vec<I::Change>>()
            .expect("the engine hands each interaction its own changes")
            .push(change);
    }

    /// Reads this interaction's records in another room (one named by [`Interaction::reads`]).
    pub fn other<T>(
        &self,
        room: &RoomId,
        read: impl FnOnce(View<'_, I>) -> T,
    ) -> Result<T, Refusal> {
        self.other_of::<I, T>(room, read)
    }

    /// Reads another interaction's (`J`'s) records in a room named by [`Interaction::reads`]
    /// (a world café reads the people's profiles in the event room).
    pub fn other_of<J: Interaction + ?Sized, T>(
        &self,
        room: &RoomId,
        read: impl FnOnce(View<'_, J>) -> T,
    ) -> Result<T, Refusal> {
        let mut read = Some(read);
        let mut out = None;
        self.batch.other(
            room,
            std::any::TypeId::of::<J>(),
            &mut |committed, changes| {
                if let Some(read) = read.take() {
                    out = Some(read(View::of(committed, changes)));
                }
            },
        )?;
        out.ok_or(Refusal::Unavailable)
    }
}

/// For the rules' unit tests: `state` with `events` folded in, as the sequencer folds them.
#[cfg(test)]
pub(crate) fn folded(
    state: plenum_protocol::SessionState,
    events: &[RoomEvent],
) -> plenum_protocol::SessionState {
    let mut room = RoomState::Session(state);
    for event in events {
        room.apply(event).expect("the rules' events fit the room");
    }
    match room {
        RoomState::Session(s) => s,
        _ => unreachable!("a session room stays one"),
    }
}

/// The refusal for a command sent to a kind of room it does not apply to.
pub fn wrong_room() -> Refusal {
    Refusal::invalid("room", "this change does not apply to this kind of room")
}

#[cfg(test)]
mod tests {
    use super::visible;

    #[test]
    fn only_what_people_see_passes() {
        // Direction overrides, isolates and marks: the "exe.txt" trick and friends.
        for steer in [
            "invoice\u{202E}txt.exe",
            "a\u{2066}b\u{2069}",
            "x\u{200F}y",
            "x\u{061C}",
        ] {
            assert!(visible(steer).is_err(), "{steer:?}");
        }
        // Invisible characters, and names of nothing but them.
        for hidden in [
            "Ada\u{200B}",
            "\u{2060}",
            "a\u{FEFF}b",
            "tag\u{E0041}",
            "\u{200D}",
            " \u{200C} ",
        ] {
            assert!(visible(hidden).is_err(), "{hidden:?}");
        }
        assert_eq!(visible("\u{200D}Ada"), Err("contains invisible characters"));
        // Joiners inside visible text stay: an emoji family, Persian, Devanagari.
        for fine in [
            "👩\u{200D}👩\u{200D}👧",
            "می\u{200C}خواهم",
            "क्\u{200D}ष",
            "Åsa Lind",
        ] {
            assert_eq!(visible(fine).as_deref(), Ok(fine), "{fine:?}");
        }
        // Composed (NFC): "é" typed as e + combining accent becomes one character.
        assert_eq!(visible("Ame\u{301}lie").unwrap(), "Am\u{e9}lie");
    }

    #[test]
    fn the_length_is_counted_as_kept() {
        // NFC splits U+FB2C into three characters: 200 of them are 600 once kept.
        let long = "\u{FB2C}".repeat(200);
        assert_eq!(super::visible(&long).unwrap().chars().count(), 600);
        assert!(matches!(
            super::text("text", &long, 500),
            Err(super::Refusal::TooLong { .. })
        ));
        assert!(super::text("text", &"\u{FB2C}".repeat(100), 500).is_ok());
    }
}
