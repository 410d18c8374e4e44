//! A person's inbox: the room `inbox:CODE:PERSON`, theirs alone (`auth::allowed`). Other
//! interactions leave notes there as follow-ups of what they committed (Q&A: "your question was
//! answered", "…dismissed: reason"); the person marks them read, on every device at once.
//!
//! Added by the recipe in ARCHITECTURE.md ("Adding an interaction"): its wire types in
//! `protocol/src/room/` and `ws.rs` (and, as a new kind of room, `ids.rs`, with its owner
//! check in `auth/`), this module, one line in `lib.rs`, one row in the request table,
//! `client/src/features/inbox.rs`, `tests/tests/inbox.rs`.

use super::{Cx, Interaction, Made, Refusal};
use plenum_protocol::{RoomEvent, RoomState};

/// The inbox interaction.
pub struct Inbox;

#[derive(Debug, Clone)]
pub enum InboxCommand {
    /// Marks the notes read up to this count (`InboxState::total`).
    Read { upto: u64 },
}

impl Interaction for Inbox {
    type Command = InboxCommand;
    type Records = ();
    type Change = ();
    const NAME: &'static str = "inbox";

    fn decide(&self, cx: &mut Cx<'_, Self>, command: InboxCommand) -> Result<Made, Refusal> {
        let RoomState::Inbox(inbox) = cx.state() else {
            return Err(super::wrong_room());
        };
        match command {
            InboxCommand::Read { upto } => {
                if upto > inbox.total {
                    return Err(Refusal::invalid(
                        "upto",
                        format!("this inbox has had {} notes", inbox.total),
                    ));
                }
                // Read already (on another device, say): nothing to say.
                if upto > inbox.read {
                    cx.emit(RoomEvent::NotesRead { upto });
                }
            }
        }
        Ok(Made::default())
    }

    fn load(_: &mut (), _: &str, _: &str, _: Option<&str>) {}

    fn apply(_: &mut (), _: &()) {}

    fn store(_: &()) -> super::Stored {
        unreachable!("the inbox keeps no records")
    }
}
