//! Widgets and helpers every feature shares.
//!
//! - [`feedback`] — requests and what became of them, problems, the polite announcer.
//! - [`follow`]   — following a session's room while a screen lives; its title.
//! - [`clock`]    — a ticking now, countdowns.
//! - [`status`]   — the header's role badge and connection status.
//! - [`chart`]    — bars that are also text.
//! - [`files`]    — a text saved as a file by the browser (calendars, exports).
//! - [`exports`]  — staff downloads of results: an event's or one session's (staff build).
//! - [`qr`]       — a QR code as one SVG path (staff build: the big screen).

pub mod chart;
pub mod clock;
#[cfg(feature = "staff")]
pub mod exports;
pub mod feedback;
pub mod files;
pub mod follow;
#[cfg(feature = "staff")]
pub mod qr;
pub mod status;
