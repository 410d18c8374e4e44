//! Award votes: the audience's ballot ([`ballot`]), the revealed places ([`results`]), the
//! organiser's console ([`console`]) and the big screen's reveal ([`screen`]); the last two in
//! the staff build.

pub mod ballot;
#[cfg(feature = "staff")]
pub mod console;
pub mod results;
#[cfg(feature = "staff")]
pub mod screen;
