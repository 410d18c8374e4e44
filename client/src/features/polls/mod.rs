//! Polls: the audience's ballots ([`ballot`], one form per kind in [`forms`]), results ([`results`]), the speaker's console
//! ([`console`]) and the big screen's view ([`screen`]); the last two in the staff build.

pub mod ballot;
#[cfg(feature = "staff")]
pub mod console;
pub mod forms;
pub mod results;
#[cfg(feature = "staff")]
pub mod screen;
