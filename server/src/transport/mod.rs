//! Transport: HTTP and WebSocket, and the one table that maps requests to rooms and commands.
//!
//! - [`listener`]  — accepting connections: a cap on all of them, timeouts, backoff.
//! - [`addresses`] — limits per client address (requests, joins, questions, WebSockets).
//! - [`http`]     — the HTTP API, `/healthz`, `/readyz`, `/metrics`, the static client.
//! - [`exports`]  — exports (JSON, CSV, XLSX) and the after-event report.
//! - [`staff`]    — signing in, co-organisers, invitations, the activity log.
//! - [`people`]   — participant import, personal links (listed, for a mail merge, made anew).
//! - [`meetings`] — the organisers' view of an event's meetings, and their export.
//! - [`my_data`]  — a person's own data: downloaded, their profile deleted.
//! - [`badges`]   — badges for an onsite event: the sheet, and the contact codes on them.
//! - [`retention`] — how long an event keeps personal data; purging it (by date, or now).
//! - [`contact_files`] — a person's agreed contacts as CSV and vCard 4.
//! - [`calendar`] — each person's calendar feed (starred sessions, booked meetings), its address.
//! - [`reads`]    — requests that change nothing: finding listed people, recommendations.
//! - [`ws`]       — one WebSocket connection: hello, join and resume, lag and heartbeat policy.
//! - [`requests`] — the request table: who may do what, the limits it spends, where it goes.
//! - [`replies`]  — what a WebSocket request is answered: `ok`, refusals, the field to blame.

pub mod addresses;
pub mod badges;
pub mod booth_chat;
pub mod booths;
pub mod calendar;
pub mod contact_files;
pub mod exports;
pub mod http;
pub mod listener;
pub mod meetings;
pub mod my_data;
pub mod pages;
pub mod people;
pub mod reads;
pub mod replies;
pub mod requests;
pub mod retention;
pub mod staff;
pub mod taking_part;
pub mod ws;
