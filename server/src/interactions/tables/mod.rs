//! World cafés and breakout tables: a session's table set, its rounds and who sits where.
//!
//! - [`seating`] — the pure rules that seat a round (random, rotation, arrivals).

pub mod seating;
