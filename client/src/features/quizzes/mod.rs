//! Quizzes: the player's card ([`card`]), leaderboards ([`results`]), the speaker's console
//! ([`console`]) and the big screen's view ([`screen`]); the last two in the staff build.

pub mod card;
#[cfg(feature = "staff")]
pub mod console;
pub mod results;
#[cfg(feature = "staff")]
pub mod screen;
