//! One folder per interaction, with its widgets for every role that uses it: what the audience
//! does on a phone, the staff's console, the big screen's view, its results. Pages compose
//! them for a route. Consoles and big-screen views are in the staff build only.
//!
//! - [`stage`]   — what is on stage; the organiser's control of it.
//! - [`qa`]      — questions: the audience's panel, the moderator's console, the big screen's.
//! - [`polls`]   — polls of six kinds: the ballots, the speaker's builder and controls, results.
//! - [`quizzes`] — quiz questions with a countdown, the speaker's quiz runner, leaderboards.
//! - [`awards`]  — award votes with receipts, the organiser's staged reveal.
//! - [`inbox`]   — a person's own notes (their questions answered or dismissed).
//! - [`tables`]  — world cafés: your table and the round's countdown; the moderator's rounds.
//! - [`meetings`] — one-to-one meetings: requests and answers, the day's meetings, finding
//!   people, contacts by consent; the organiser's plan and "Schedule all"; the area's screen.
//! - [`exhibition`] — the hall of booths, a booth's page and its editing; the organisers' list.

pub mod awards;
pub mod exhibition;
pub mod inbox;
pub mod meetings;
pub mod people;
pub mod polls;
pub mod qa;
pub mod quizzes;
pub mod stage;
pub mod tables;
