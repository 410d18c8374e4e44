//! Transport: HTTP and WebSocket, and the one table that maps requests to rooms and commands.
//!
//! - [`http`]     — the HTTP API, `/healthz`, `/readyz`, `/metrics`, the static client.
//! - [`ws`]       — one WebSocket connection: hello, join and resume, lag and heartbeat policy.
//! - [`requests`] — the request table: who may do what, the limits it spends, where it goes.
//! - [`replies`]  — what a WebSocket request is answered: `ok`, refusals, the field to blame.

pub mod http;
pub mod replies;
pub mod requests;
pub mod ws;
