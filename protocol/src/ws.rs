//! WebSocket frames. Every frame is one JSON text message.
//!
//! A connection starts with the client's [`ClientMsg::Hello`]; the server answers with
//! [`ServerMsg::Welcome`] (or an error and a close). Requests carry an optional `id` that
//! the reply echoes. Room traffic ([`ServerMsg::Snapshot`], [`ServerMsg::Event`]) carries
//! the room's sequence number, so a client can resume after a drop with exactly what it missed.

use crate::{
    api::{Person, StageUpdate},
    award::{Award, AwardDraft, AwardId, AwardStep},
    errors::ErrorCode,
    ids::{EventCode, RequestId, RoomId, Seq, SessionId},
    poll::{Answer, Poll, PollDraft, PollId},
    qa::{Moderate, QaSettings, Question, QuestionId},
    quiz::{MyStanding, Quiz, QuizDraft, QuizId, QuizStep, Watching},
    room::{RoomEvent, RoomState},
};
use serde::{Deserialize, Serialize};

/// A frame from client to server: a message and the optional id that correlates its reply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientFrame {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<RequestId>,
    #[serde(flatten)]
    pub msg: ClientMsg,
}

/// What a client can ask.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMsg {
    /// The first frame of every connection: the protocol versions this client speaks and its token.
    Hello {
        versions: Vec<u32>,
        /// Absent or empty: refused as `unauthenticated`, like a wrong token.
        #[serde(default)]
        token: String,
    },
    /// Follow a room. With `since`, resume after that sequence number: the server sends the
    /// events after it, or a fresh snapshot when it no longer has them all.
    Join {
        room: RoomId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        since: Option<Seq>,
    },
    /// Stop following a room.
    Leave { room: RoomId },
    /// One page of a session's list, newest first: the items a snapshot left out (see
    /// `SessionState::omitted`), or any of them. With `before`, only items with a smaller id.
    Page {
        room: RoomId,
        of: Listing,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        before: Option<u64>,
    },
    /// Application-level ping; the server answers [`ServerMsg::Pong`] with the same `t`.
    Ping {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        t: Option<f64>,
    },
    /// Change a session's stage (organisers, and the event's moderators and speakers).
    SetStage {
        event: EventCode,
        session: SessionId,
        #[serde(flatten)]
        update: StageUpdate,
    },
    /// Announce something to the whole event (organisers).
    Announce { event: EventCode, text: String },
    /// Ask a question in a session. The answer's `question` is its id.
    Ask {
        event: EventCode,
        session: SessionId,
        text: String,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        anonymous: bool,
    },
    /// Change the text of your own question, while it is pending or has no votes.
    EditQuestion {
        event: EventCode,
        session: SessionId,
        question: QuestionId,
        text: String,
    },
    /// Take your own question back, until it is answered.
    WithdrawQuestion {
        event: EventCode,
        session: SessionId,
        question: QuestionId,
    },
    /// Vote a published question up (`up: false` takes the vote back). One vote per person.
    Upvote {
        event: EventCode,
        session: SessionId,
        question: QuestionId,
        up: bool,
    },
    /// A moderator's decision on one question.
    Moderate {
        event: EventCode,
        session: SessionId,
        question: QuestionId,
        change: Moderate,
    },
    /// Put a question on the big screen, or none (moderators).
    Highlight {
        event: EventCode,
        session: SessionId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        question: Option<QuestionId>,
    },
    /// Change a session's Q&A settings (moderators).
    SetQaSettings {
        event: EventCode,
        session: SessionId,
        settings: QaSettings,
    },
    /// Create a draft poll (speakers, moderators, organisers). The answer's `poll` is its id.
    CreatePoll {
        event: EventCode,
        session: SessionId,
        poll: PollDraft,
    },
    /// Rewrite a draft poll (speakers, moderators, organisers); an open or closed one is
    /// refused.
    EditPoll {
        event: EventCode,
        session: SessionId,
        poll: crate::PollId,
        draft: PollDraft,
    },
    /// Open, close or reveal a poll, or delete a draft (speakers, moderators, organisers).
    RunPoll {
        event: EventCode,
        session: SessionId,
        poll: PollId,
        step: PollStep,
    },
    /// Answer an open poll, or change your answer. One ballot per person.
    Vote {
        event: EventCode,
        session: SessionId,
        poll: PollId,
        answer: Answer,
    },
    /// Approve (or hide again) an answer of a moderated open-text poll (moderators).
    ApproveText {
        event: EventCode,
        session: SessionId,
        poll: PollId,
        answer: String,
        approved: bool,
    },
    /// Create an award vote (organisers). The answer's `award` is its id.
    CreateAward {
        event: EventCode,
        session: SessionId,
        award: AwardDraft,
    },
    /// Open, close, or reveal an award vote's result (organisers).
    RunAward {
        event: EventCode,
        session: SessionId,
        award: AwardId,
        step: AwardStep,
    },
    /// Cast your one ballot in an award vote. The answer's `receipt` lets you check it was counted.
    CastAward {
        event: EventCode,
        session: SessionId,
        award: AwardId,
        candidate: u32,
    },
    /// Create a quiz (speakers, moderators, organisers). The answer's `quiz` is its id.
    CreateQuiz {
        event: EventCode,
        session: SessionId,
        quiz: QuizDraft,
    },
    /// Ask the next question, reveal the answer, or finish (speakers, moderators, organisers).
    RunQuiz {
        event: EventCode,
        session: SessionId,
        quiz: QuizId,
        step: QuizStep,
    },
    /// Answer the current question of a quiz: once per question.
    AnswerQuiz {
        event: EventCode,
        session: SessionId,
        quiz: QuizId,
        /// The question's index, so an answer to an earlier question is never taken for a later one.
        question: u32,
        option: u32,
        watching: Watching,
    },
    /// Your own score and rank; the answer's `standing` holds it.
    QuizStanding {
        event: EventCode,
        session: SessionId,
        quiz: QuizId,
    },
    /// Marks the notes of your own inbox at `event` read, up to `upto` (a count of notes, as in
    /// `InboxState::total`): on every device you have open.
    ReadNotes { event: EventCode, upto: u64 },
    /// Set your own profile at `event` (organisation, country, languages): the whole of it.
    SetProfile {
        event: EventCode,
        profile: crate::Profile,
    },
    /// Set the event's meeting plan (`null` removes it): organisers. Refused while a booked
    /// meeting sits in a slot or at a table the new plan does not have.
    SetMeetings {
        event: EventCode,
        plan: Option<crate::MeetingPlan>,
    },
    /// Set when and how you meet (the whole of it); with `booth`, when and how that booth
    /// meets (its staff).
    SetMeetingPreferences {
        event: EventCode,
        preferences: crate::MeetingPreferences,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        booth: Option<crate::BoothId>,
    },
    /// Ask someone at the event (`to`), or a booth's team (`booth`), for a meeting, with a
    /// message and, if you like, a time. The answer's `meeting` is its id.
    RequestMeeting {
        event: EventCode,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<crate::PersonId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        booth: Option<crate::BoothId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        slot: Option<crate::SlotAt>,
    },
    /// Answer a meeting: accept (booked at the proposed time if both of you are free then),
    /// decline, or propose another time (`slot`).
    AnswerMeeting {
        event: EventCode,
        meeting: crate::MeetingId,
        answer: crate::MeetingAnswer,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        slot: Option<crate::SlotAt>,
    },
    /// On the day: say "I'm here" for a booked meeting (from 15 minutes before its slot to its
    /// end).
    MeetingHere {
        event: EventCode,
        meeting: crate::MeetingId,
    },
    /// Mark the other one as not come: 5 minutes into the slot, once you said you are here and
    /// they did not.
    MeetingNoShow {
        event: EventCode,
        meeting: crate::MeetingId,
    },
    /// Afterwards: did the meeting take place? (from its start, for 7 days).
    MeetingHeld {
        event: EventCode,
        meeting: crate::MeetingId,
        held: bool,
    },
    /// Say you are open for a meeting now (for the next 30 minutes), or no longer.
    OpenNow { event: EventCode, open: bool },
    /// Call a meeting off (either of the two, or an organiser).
    CancelMeeting {
        event: EventCode,
        meeting: crate::MeetingId,
    },
    /// Lock a meeting where it is (or unlock it): organisers. "Schedule all" never moves a
    /// locked meeting.
    LockMeeting {
        event: EventCode,
        meeting: crate::MeetingId,
        locked: bool,
    },
    /// Book every accepted meeting that has no slot yet ("Schedule all"): organisers. Booked
    /// meetings stay where they are unless `move_booked` (locked ones stay always). The
    /// answer's `scheduled` says what it did.
    ScheduleMeetings {
        event: EventCode,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        move_booked: bool,
    },
    /// Set your matchmaking profile (the whole of it); `listed: true` publishes it.
    SetMatchProfile {
        event: EventCode,
        profile: crate::MatchProfile,
    },
    /// Find listed people by part of a name, organisation, role, card or tag, and by tags,
    /// country or sector: a page at a time (`after`: the previous answer's `next`). The answer's
    /// `people` holds them.
    FindPeople {
        event: EventCode,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        query: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        tags: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        country: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sector: Option<String>,
        /// Only people open for a meeting now and free in this slot (someone to meet instead
        /// of a no-show).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        free_now_at: Option<crate::SlotAt>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        after: Option<String>,
    },
    /// The listed people whose cards meet yours, with the reasons. The answer's `recommended`
    /// holds them.
    Recommend { event: EventCode },
    /// Set your contact card (what you could share; nobody sees it until you share it).
    SetContactCard {
        event: EventCode,
        card: crate::ContactCard,
    },
    /// Offer to exchange contact details with someone (saying what you share and why), accept
    /// their offer (saying what you share), or change what you share with them.
    ShareContact {
        event: EventCode,
        with: crate::PersonId,
        share: crate::Sharing,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        why: Option<String>,
    },
    /// End a contact: decline their offer, take back yours, or withdraw your consent. What
    /// each shared leaves the other's screens.
    EndContact {
        event: EventCode,
        with: crate::PersonId,
    },
    /// Say you are at your booth (again every 30 seconds while you are), or no longer
    /// (`here: false`): its staff only.
    BoothHere {
        event: EventCode,
        booth: crate::BoothId,
        here: bool,
    },
    /// Say you are looking at a booth (on opening its page, and again every minute while it
    /// is open), or no longer (`here: false`): counted as a visit, a unique visitor and a
    /// visitor now, never shown by name. Its own staff are not counted.
    VisitBooth {
        event: EventCode,
        booth: crate::BoothId,
        here: bool,
    },
    /// Write in a booth's chat (with a display name): everyone following the booth's room
    /// (`booth:CODE:BOOTH`) sees it.
    PostBoothChat {
        event: EventCode,
        booth: crate::BoothId,
        text: String,
    },
    /// Hide a message of a booth's chat (`hidden: false`: show it again): the booth's staff
    /// and the event's organisers and moderators.
    HideBoothChat {
        event: EventCode,
        booth: crate::BoothId,
        /// The message's id.
        message: u64,
        hidden: bool,
    },
    /// Ask a booth's staff to talk now: you wait in its queue until one accepts.
    TalkNow {
        event: EventCode,
        booth: crate::BoothId,
    },
    /// Accept a visitor's request to talk (the booth's staff): the first to accept talks with
    /// them.
    AnswerTalk {
        event: EventCode,
        booth: crate::BoothId,
        visitor: crate::PersonId,
    },
    /// End a talk: your own (leaving the queue, or after talking), or, for the booth's staff,
    /// a visitor's once accepted.
    EndTalk {
        event: EventCode,
        booth: crate::BoothId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        visitor: Option<crate::PersonId>,
    },
    /// Ask a booth for contact, saying what you share (your name and organisation always) and
    /// why; again to change what you share.
    AskBoothContact {
        event: EventCode,
        booth: crate::BoothId,
        #[serde(default)]
        share: crate::Sharing,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        why: Option<String>,
    },
    /// Accept a visitor's contact request (the booth's staff), saying what you share; again to
    /// change it.
    AnswerBoothContact {
        event: EventCode,
        booth: crate::BoothId,
        visitor: crate::PersonId,
        #[serde(default)]
        share: crate::Sharing,
    },
    /// End a contact with a booth: yours (withdraw), or, for the booth's staff, a visitor's
    /// (decline, or withdraw once agreed). Nothing of it is kept.
    EndBoothContact {
        event: EventCode,
        booth: crate::BoothId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        visitor: Option<crate::PersonId>,
    },
    /// Block someone (`blocked: false`: no longer): they can no longer ask you for meetings or
    /// offer you their contact details, and a contact between you ends.
    BlockSomeone {
        event: EventCode,
        person: crate::PersonId,
        blocked: bool,
    },
    /// Report someone to the event's organisers, saying why.
    ReportSomeone {
        event: EventCode,
        person: crate::PersonId,
        reason: String,
    },
    /// Set up a session's tables, replacing its table set (`null` removes it): organisers and
    /// the session's moderators; not while a round runs.
    SetTables {
        event: EventCode,
        session: SessionId,
        setup: Option<crate::TablesSetup>,
    },
    /// Start the next round, seating everyone taking part (organisers, the session's
    /// moderators).
    StartRound {
        event: EventCode,
        session: SessionId,
        seconds: u32,
        seating: crate::SeatingMode,
        /// With `assigned` seating: who sits at which table.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        assignments: Vec<Assignment>,
    },
    /// Make the running round longer by `seconds`.
    ExtendRound {
        event: EventCode,
        session: SessionId,
        seconds: u32,
    },
    /// End the running round now.
    EndRound {
        event: EventCode,
        session: SessionId,
    },
    /// Say you take part at the session's tables (`here: true`: you are seated at once when a
    /// round runs) or no longer (`false`: your seat is freed).
    TakePart {
        event: EventCode,
        session: SessionId,
        here: bool,
    },
    /// Sit at a table of your choosing (a round with `self_select` seating).
    ChooseTable {
        event: EventCode,
        session: SessionId,
        table: u32,
    },
    /// Seat someone at another table, or nowhere (`null`): organisers, moderators.
    MoveToTable {
        event: EventCode,
        session: SessionId,
        person: String,
        table: Option<u32>,
    },
    /// Find people taking part at the session's tables by name or organisation, with their
    /// table: organisers, moderators. The answer's `found` holds them.
    FindAtTables {
        event: EventCode,
        session: SessionId,
        /// Part of a name or organisation, any case; empty: everyone (the first by name).
        query: String,
    },
    /// Close a table (its people are seated elsewhere; nobody sits there until it is opened
    /// again), or open it again: organisers, moderators.
    CloseTable {
        event: EventCode,
        session: SessionId,
        table: u32,
        closed: bool,
    },
    /// Ask for help at your table, or say it is no longer needed (people at the table, staff).
    TableHelp {
        event: EventCode,
        session: SessionId,
        table: u32,
        help: bool,
    },
    /// Change a table's harvest: the short points its people write together, kept across
    /// rounds. People seated at the table add; its host and staff edit, remove and move.
    Harvest {
        event: EventCode,
        session: SessionId,
        table: u32,
        #[serde(flatten)]
        change: crate::HarvestChange,
    },
    /// A message to every table at once (organisers, moderators).
    MessageTables {
        event: EventCode,
        session: SessionId,
        text: String,
    },
    /// Star (`starred: true`) or unstar one of `event`'s sessions, for yourself.
    Star {
        event: EventCode,
        session: SessionId,
        starred: bool,
    },
    /// Set how far the session's stream runs behind the room (organisers), for fair quizzes.
    SetStreamDelay {
        event: EventCode,
        session: SessionId,
        delay_ms: u32,
    },
    /// Put something on the session's big screen, or clear it back to the stage (organisers,
    /// and the session's moderators and speakers).
    Present {
        event: EventCode,
        session: SessionId,
        screen: crate::ScreenShows,
    },
    /// Stop (or allow again) a person asking questions anywhere at the event (moderators).
    Block {
        event: EventCode,
        person: String,
        blocked: bool,
        /// The name the moderator saw, for the list of blocked people.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    },
}

/// A step in a poll's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PollStep {
    Open,
    Close,
    Reveal,
    Delete,
}

/// A list of a session that `page` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Listing {
    Questions,
    Polls,
    Quizzes,
    Awards,
    /// The tables' harvests (their ids: the tables' numbers).
    Harvests,
}

/// How a join was served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JoinMode {
    /// A snapshot was sent: a first join, or the client was too far behind to replay.
    Snapshot,
    /// Exactly the missed events were sent (possibly none).
    Replay,
}

/// What the server sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMsg {
    /// The answer to `hello`: the agreed version and who the token says you are.
    Welcome {
        protocol: u32,
        server: String,
        person: Person,
        /// The server pings this often; a client that hears nothing for twice this long should reconnect.
        heartbeat_ms: u64,
    },
    /// The full state of a room at sequence `seq`.
    Snapshot {
        room: RoomId,
        seq: Seq,
        state: RoomState,
    },
    /// One event of a room, in order: `seq` is exactly one more than the previous one you got.
    Event {
        room: RoomId,
        seq: Seq,
        /// Milliseconds since the Unix epoch when the server committed it.
        at_ms: i64,
        event: RoomEvent,
    },
    /// The answer to `join`, after the snapshot or the replayed events.
    Joined {
        id: Option<RequestId>,
        room: RoomId,
        seq: Seq,
        mode: JoinMode,
        /// How many events were replayed (0 for a snapshot).
        replayed: u64,
    },
    /// The answer to `page`: items as this viewer sees them at `seq`, newest first, filling
    /// at most [`crate::limits::LIST_BUDGET_BYTES`]; only the list asked for is present. Keep
    /// what you already hold (events keep it current) and add the rest.
    Page {
        id: Option<RequestId>,
        room: RoomId,
        seq: Seq,
        of: Listing,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        questions: Vec<Question>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        polls: Vec<Poll>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        quizzes: Vec<Quiz>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        awards: Vec<Award>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        harvests: Vec<crate::Harvest>,
        /// Whether there are more, with smaller ids: ask again with `before` the last id here.
        more: bool,
    },
    /// How many people are following a room now. Coalesced: sent at most a few times a second.
    Presence { room: RoomId, count: u64 },
    /// A request succeeded. `seq` is the sequence number its change got, if it changed a room.
    Ok {
        id: RequestId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        seq: Option<Seq>,
        /// The new question's id, in the answer to `ask`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        question: Option<QuestionId>,
        /// The new poll's id, in the answer to `create_poll`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        poll: Option<PollId>,
        /// The new award vote's id, in the answer to `create_award`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        award: Option<AwardId>,
        /// Your ballot's receipt, in the answer to `cast_award`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        receipt: Option<String>,
        /// The new quiz's id, in the answer to `create_quiz`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        quiz: Option<QuizId>,
        /// Your standing, in the answer to `quiz_standing` (an `answer_quiz` answers without it).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        standing: Option<MyStanding>,
        /// Who was found, in the answer to `find_at_tables`: at most
        /// [`crate::limits::MAX_FOUND_AT_TABLES`], by name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        found: Option<Vec<crate::AtTables>>,
        /// The new meeting's id, in the answer to `request_meeting`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        meeting: Option<crate::MeetingId>,
        /// What "Schedule all" did, in the answer to `schedule_meetings`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        scheduled: Option<crate::ScheduleSummary>,
        /// A page of listed people, in the answer to `find_people`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        people: Option<crate::Found>,
        /// People recommended to you, in the answer to `recommend`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        recommended: Option<Vec<crate::Recommended>>,
    },
    /// A request was refused. Nothing was changed.
    Error {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<RequestId>,
        code: ErrorCode,
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        field: Option<String>,
    },
    /// The answer to `ping`.
    Pong {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        t: Option<f64>,
    },
}

/// Picks the highest version both sides speak.
pub fn negotiate(client_versions: &[u32]) -> Option<u32> {
    client_versions
        .iter()
        .copied()
        .filter(|v| (crate::MIN_PROTOCOL_VERSION..=crate::PROTOCOL_VERSION).contains(v))
        .max()
}

/// Who sits at which table, in a round with `assigned` seating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    pub person: String,
    pub table: u32,
}
