//! The Plenum wire contract, shared by the server and the WebAssembly client.
//!
//! This crate depends on serde only. Everything that crosses a process boundary is
//! defined here and nowhere else: if a type derives `Serialize`, it is part of the contract.
//!
//! Module map:
//! - [`ids`]      — validated identifiers: event codes, session ids, room ids, request ids.
//! - [`ws`]       — WebSocket frames: [`ClientFrame`] in, [`ServerMsg`] out, protocol versions.
//! - [`room`]     — live room state and the events whose fold produces it.
//! - [`agenda`]   — the event and its agenda, as imported by organisers and read by clients.
//! - [`qa`]       — questions, their moderation and votes.
//! - [`poll`]     — polls of every kind, ballots and results.
//! - [`award`]    — award votes: secret, verifiable ballots and a staged reveal.
//! - [`quiz`]     — quizzes: timed questions, fair for delayed streams, a leaderboard.
//! - [`people`]   — who people are at an event (organisation, country, languages), their stars.
//! - [`tables`]   — world cafés: a session's tables, rounds, and each person's seat.
//! - [`meetings`] — one-to-one meetings: the event's plan, requests, answers, bookings.
//! - [`contacts`] — contact cards and the consent two people record about what each shares.
//! - [`exhibition`] — booths: their words, logo, links, video, offers and staff.
//! - [`api`]      — HTTP API request and response bodies.
//! - [`errors`]   — typed error codes and WebSocket close codes, with what a client should do.
//!
//! Compatibility rule: fields are only ever added, and every added field is optional
//! (`#[serde(default)]`), so an old client can read a new server's messages. A change that
//! cannot follow this rule needs a new [`PROTOCOL_VERSION`].

pub mod agenda;
pub mod api;
pub mod award;
pub mod contacts;
pub mod errors;
pub mod exhibition;
pub mod ids;
pub mod meetings;
pub mod people;
pub mod poll;
pub mod qa;
pub mod quiz;
pub mod room;
pub mod tables;
pub mod ws;

pub use agenda::*;
pub use api::*;
pub use award::*;
pub use contacts::*;
pub use errors::*;
pub use exhibition::*;
pub use ids::*;
pub use meetings::*;
pub use people::*;
pub use poll::*;
pub use qa::*;
pub use quiz::*;
pub use room::*;
pub use tables::*;
pub use ws::*;

/// The newest protocol version this build speaks.
pub const PROTOCOL_VERSION: u32 = 1;
/// The oldest protocol version this build still speaks.
pub const MIN_PROTOCOL_VERSION: u32 = 1;

/// Limits that both sides know, so a client can refuse oversized input before sending it.
pub mod limits {
    /// Largest WebSocket message the server reads, in bytes.
    pub const MAX_CLIENT_FRAME_BYTES: usize = 16 * 1024;
    /// Largest WebSocket message the server sends, in bytes. Snapshots and pages are filled up
    /// to this (less a margin) and say what they left out; every event is smaller by design.
    pub const MAX_SERVER_FRAME_BYTES: usize = 64 * 1024;
    /// What a snapshot or a page may spend on its lists, in bytes (the rest of the frame is
    /// the envelope and the session's fixed parts).
    pub const LIST_BUDGET_BYTES: usize = 56 * 1024;
    /// What one open-text poll's results may spend on answers, in bytes, per list (the
    /// approved answers; for moderators also the ones waiting).
    pub const TEXT_ANSWERS_BUDGET_BYTES: usize = 8 * 1024;
    /// Most vote counts in one `votes` event (more are sent as several events).
    pub const MAX_TALLIES_PER_EVENT: usize = 1000;
    /// Most questions merged into one question.
    pub const MAX_MERGED: usize = 100;
    /// Most materials one session, or one talk, may list.
    pub const MAX_MATERIALS: usize = 50;
    /// Largest agenda document accepted by the HTTP API, in bytes.
    pub const MAX_AGENDA_BYTES: usize = 2 * 1024 * 1024;
    /// Longest announcement text, in characters.
    pub const MAX_ANNOUNCEMENT_CHARS: usize = 1000;
    /// Longest free text put on stage, in characters.
    pub const MAX_STAGE_TEXT_CHARS: usize = 280;
    /// Longest display name, in characters.
    pub const MAX_DISPLAY_NAME_CHARS: usize = 60;
    /// Most sessions one invitation may name.
    pub const MAX_INVITE_SESSIONS: usize = 32;
    /// People blocked from asking at one event.
    pub const MAX_BLOCKED: usize = 5000;
    /// Invitations one event may have made (listed, withdrawn or not); as many withdrawals of
    /// ids it never recorded.
    pub const MAX_INVITATIONS: usize = 10_000;
    /// Entries an event's activity log keeps: the newest; older ones give way.
    pub const MAX_ACTIVITY: usize = 2000;
    /// Longest detail of an activity entry, in characters (longer ones are cut).
    pub const MAX_ACTIVITY_DETAIL_CHARS: usize = 300;
    /// Longest title (event, session, contribution), in characters.
    pub const MAX_TITLE_CHARS: usize = 200;
    /// Longest description, in characters.
    pub const MAX_DESCRIPTION_CHARS: usize = 5000;
    /// An agenda's links: a material's, a session's stream.
    pub const MAX_AGENDA_LINK_CHARS: usize = 2000;
    /// Most sessions in one agenda.
    pub const MAX_SESSIONS: usize = 1000;
    /// Longest organisation in a profile, in characters.
    pub const MAX_ORGANISATION_CHARS: usize = 120;
    /// Most languages in a profile.
    pub const MAX_PROFILE_LANGUAGES: usize = 8;
    /// Most people one event keeps a profile or stars for.
    pub const MAX_PEOPLE: usize = 50_000;
    /// Most people one participant import may hold (rows after the header).
    pub const MAX_IMPORT_PEOPLE: usize = 5000;
    /// Largest participant import, in bytes (CSV or XLSX).
    pub const MAX_IMPORT_BYTES: usize = 2 * 1024 * 1024;
    /// Longest email address, in characters.
    pub const MAX_EMAIL_CHARS: usize = 254;
    /// Most sessions one person stars at an event.
    pub const MAX_STARS: usize = 200;
    /// Most tables in a session's table set.
    pub const MAX_TABLES: usize = 200;
    /// Largest table set, as JSON: it travels whole in every snapshot of its session.
    pub const MAX_TABLE_SET_BYTES: usize = 40 * 1024;
    /// Longest table topic, in characters.
    pub const MAX_TOPIC_CHARS: usize = 120;
    /// Longest place of a table, in characters.
    pub const MAX_PLACE_CHARS: usize = 80;
    /// Seats at a table, the host's included.
    pub const MIN_TABLE_SEATS: u32 = 2;
    pub const MAX_TABLE_SEATS: u32 = 50;
    /// A round's length, in seconds.
    pub const MIN_ROUND_SECONDS: u32 = 10;
    pub const MAX_ROUND_SECONDS: u32 = 7200;
    /// Most rounds a table set runs.
    pub const MAX_ROUNDS: u32 = 50;
    /// Most people taking part at a session's tables.
    pub const MAX_TABLE_PEOPLE: usize = 10_000;
    /// Most points in one table's harvest.
    pub const MAX_HARVEST_POINTS: usize = 20;
    /// Longest point of a harvest, in characters.
    pub const MAX_HARVEST_POINT_CHARS: usize = 200;
    /// Longest message to every table, in characters.
    pub const MAX_TABLES_MESSAGE_CHARS: usize = 280;
    /// Most people one `find_at_tables` answers with.
    pub const MAX_FOUND_AT_TABLES: usize = 20;
    /// Longest `find_at_tables` query, in characters.
    pub const MAX_FIND_CHARS: usize = 60;
    /// Longest video link template, in characters.
    pub const MAX_VIDEO_TEMPLATE_CHARS: usize = 500;
    /// Longest question, in characters.
    pub const MAX_QUESTION_CHARS: usize = 500;
    /// Longest moderator reply or dismissal reason, in characters.
    pub const MAX_REPLY_CHARS: usize = 1000;
    /// Most open questions (waiting for review or published) in one session: a moderator
    /// who answers, dismisses or archives questions makes room for more.
    pub const MAX_OPEN_QUESTIONS: usize = 5000;
    /// Most questions one session is ever asked (ids are never reused).
    pub const MAX_QUESTIONS_PER_SESSION: u64 = 50_000;
    /// Most options in a choice or ranking poll.
    pub const MAX_POLL_OPTIONS: usize = 20;
    /// Longest poll option or word-cloud entry, in characters.
    pub const MAX_OPTION_CHARS: usize = 120;
    /// Longest word-cloud entry, in characters.
    pub const MAX_WORD_CHARS: usize = 40;
    /// Most polls in one session.
    pub const MAX_POLLS_PER_SESSION: usize = 200;
    /// Longest poll timer, in seconds.
    pub const MAX_POLL_SECONDS: u32 = 3600;
    /// Most candidates in an award vote.
    pub const MAX_CANDIDATES: usize = 20;
    /// Most questions in a quiz.
    pub const MAX_QUIZ_QUESTIONS: usize = 50;
    /// Longest stream delay an organiser may set, in milliseconds.
    pub const MAX_STREAM_DELAY_MS: u32 = 120_000;
    /// Most rooms one connection may join at once.
    pub const MAX_ROOMS_PER_CONNECTION: usize = 32;
    /// Most meeting blocks in an event's meeting plan.
    pub const MAX_MEETING_BLOCKS: usize = 20;
    /// Most slots an event's meeting blocks make in all.
    pub const MAX_MEETING_SLOTS: usize = 200;
    /// Most onsite meeting tables in a plan.
    pub const MAX_MEETING_TABLES: usize = 500;
    /// Longest meeting request message, in characters.
    pub const MAX_MEETING_MESSAGE_CHARS: usize = 500;
    /// The highest cap on one person's unanswered sent requests an organiser may set.
    pub const MAX_OPEN_MEETING_REQUESTS: u32 = 50;
    /// Most open meetings (requested or accepted, sent or received) one person is part of.
    pub const MAX_PERSON_MEETINGS: usize = 100;
    /// Most meetings an event keeps in all (every status; ids are never reused).
    pub const MAX_MEETINGS: usize = 50_000;
    /// Largest meeting plan, as JSON.
    pub const MAX_MEETING_PLAN_BYTES: usize = 24 * 1024;
    /// Largest matchmaking profile, as JSON.
    pub const MAX_MATCH_PROFILE_BYTES: usize = 12 * 1024;
    /// Most unplaced meetings the answer to `schedule_meetings` lists.
    pub const MAX_UNPLACED_LISTED: usize = 100;
    /// Longest note shared with a contact, and longest reason for asking, in characters.
    pub const MAX_CONTACT_NOTE_CHARS: usize = 300;
    /// Longest phone number on a contact card, in characters.
    pub const MAX_PHONE_CHARS: usize = 32;
    /// Most contacts (asked, offered or agreed) one person has at an event.
    pub const MAX_CONTACTS: usize = 500;
    /// Most people one person blocks at an event.
    pub const MAX_BLOCKS_PER_PERSON: usize = 200;
    /// Longest report about someone, in characters.
    pub const MAX_REPORT_CHARS: usize = 1000;
    /// Most reports one person makes at an event.
    pub const MAX_REPORTS_PER_PERSON: usize = 20;
    /// Most reports an event keeps.
    pub const MAX_REPORTS: usize = 5000;
    /// Most cards on one matchmaking profile.
    pub const MAX_MATCH_CARDS: usize = 10;
    /// Longest card title, card text and role, in characters.
    pub const MAX_CARD_TITLE_CHARS: usize = 100;
    pub const MAX_CARD_TEXT_CHARS: usize = 500;
    pub const MAX_ROLE_CHARS: usize = 80;
    /// Most tags on a card, sectors on a profile, and tags or sectors in an event's lists; the
    /// longest tag, in characters.
    pub const MAX_CARD_TAGS: usize = 8;
    pub const MAX_PROFILE_SECTORS: usize = 8;
    pub const MAX_TAG_LIST: usize = 200;
    pub const MAX_TAG_CHARS: usize = 40;
    /// Most people one `find_people` answers with (a page), and one `recommend` names.
    pub const MAX_FOUND_PEOPLE: usize = 30;
    pub const MAX_RECOMMENDED: usize = 20;
    /// Longest `find_people` query, in characters.
    pub const MAX_FIND_PEOPLE_CHARS: usize = 100;
    /// Most booths in an event's exhibition.
    pub const MAX_BOOTHS: usize = 300;
    /// Longest message in a booth's chat, in characters.
    pub const MAX_CHAT_CHARS: usize = 500;
    /// Most messages a booth's chat keeps (hidden ones too), and one person writes in it.
    pub const MAX_BOOTH_CHAT: usize = 2000;
    pub const MAX_CHAT_PER_PERSON: usize = 50;
    /// Most staff one booth has.
    pub const MAX_BOOTH_STAFF: usize = 10;
    /// Most links and offers on one booth.
    pub const MAX_BOOTH_LINKS: usize = 8;
    pub const MAX_BOOTH_OFFERS: usize = 6;
    /// Longest link label, in characters.
    pub const MAX_BOOTH_LINK_LABEL_CHARS: usize = 60;
    /// Longest booth description (in each language), in characters.
    pub const MAX_BOOTH_DESCRIPTION_CHARS: usize = 2000;
    /// Largest logo upload, in bytes (PNG, JPEG or WebP).
    pub const MAX_LOGO_BYTES: usize = 2 * 1024 * 1024;
    /// Widest and tallest logo upload, in pixels.
    pub const MAX_LOGO_SIDE: u32 = 4096;
    /// A logo as kept: re-encoded as a PNG that fits in this many pixels a side.
    pub const LOGO_SIDE: u32 = 400;
    /// Most visitors waiting in one booth's "talk now" queue.
    pub const MAX_TALK_QUEUE: usize = 20;
    /// Most booths one person is on the staff of.
    pub const MAX_BOOTHS_PER_PERSON: usize = 3;
    /// Most contact requests one booth holds (asked and agreed).
    pub const MAX_BOOTH_CONTACTS: usize = 2000;
    /// Most booths one person asks for contact.
    pub const MAX_PERSON_BOOTH_CONTACTS: usize = 50;
}
