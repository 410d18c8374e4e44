//! One folder or file per interaction, with its widgets for every role that uses it.
//!
//! - [`inbox`] — a person's own notes (their questions answered or dismissed), on every device.

pub mod inbox;
