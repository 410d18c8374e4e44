//! Transport: HTTP and WebSocket, and the one table that maps requests to rooms and commands.
//!
//! - [`listener`]  — accepting connections: a cap on all of them, timeouts, backoff.
//! - [`addresses`] — limits per client address (requests, joins, questions, WebSockets).
//! - [`http`]     — the HTTP API, `/healthz`, `/readyz`, `/metrics`, the static client.
//! - [`exports`]  — exports (JSON, CSV, XLSX) and the after-event report.
//! - [`staff`]    — signing in, co-organisers, invitations, the activity log.
//! - [`people`]   — participant import, personal links (listed, for a mail merge, made anew).
//! - [`ws`]       — one WebSocket connection: hello, join and resume, lag and heartbeat policy.
//! - [`requests`] — the request table: who may do what, the limits it spends, where it goes.
//! - [`replies`]  — what a WebSocket request is answered: `ok`, refusals, the field to blame.

pub mod addresses;
pub mod exports;
pub mod http;
pub mod listener;
pub mod pages;
pub mod people;
pub mod replies;
pub mod requests;
pub mod staff;
pub mod taking_part;
pub mod ws;
