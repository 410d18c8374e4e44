//! Access: invitations an organiser withdrew, one by one.
//!
//! An invitation (a staff invitation, or an attendee's registration link) is a signed token
//! with an id; the person it makes is `inv-ID` on every device. Withdrawing it records the id
//! in the event room (record `revoked`, key the id), so on every instance the invitation can no
//! longer be redeemed, the tokens it made are refused at `hello` and on every HTTP request, and
//! an open connection of that person is closed (4100) at its next request. Nothing else of the
//! event changes: other people's tokens and links stay valid.
//!
//! Rotating every staff credential at once is `--reset-organiser-key` (see `auth`).

use super::{Cx, Interaction, Made, RecordKind, Refusal, Stored};
use std::collections::HashSet;

/// The access interaction.
pub struct Access;

#[derive(Debug, Clone)]
pub enum AccessCommand {
    /// Withdraws the invitation with this id (and what it made).
    Revoke { invitation: String },
}

/// The withdrawn invitations of an event.
#[derive(Debug, Default)]
pub struct Revoked(HashSet<String>);

impl Revoked {
    pub fn contains(&self, invitation: &str) -> bool {
        self.0.contains(invitation)
    }
}

const REVOKED: &str = "revoked";

/// Whether an invitation id looks like one the server made (16 URL-safe base64 characters).
fn plausible(id: &str) -> bool {
    id.len() == 16
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl Interaction for Access {
    type Command = AccessCommand;
    type Records = Revoked;
    type Change = String;
    const NAME: &'static str = "access";
    const KINDS: &'static [RecordKind] = &[RecordKind {
        name: REVOKED,
        tallied: false,
    }];

    fn check(&self, command: &AccessCommand) -> Result<(), Refusal> {
        match command {
            AccessCommand::Revoke { invitation } if !plausible(invitation) => {
                Err(Refusal::invalid("invitation", "is not an invitation's id"))
            }
            _ => Ok(()),
        }
    }

    fn decide(&self, cx: &mut Cx<'_, Self>, command: AccessCommand) -> Result<Made, Refusal> {
        cx.event_room()?;
        let AccessCommand::Revoke { invitation } = command;
        // Withdrawn already: nothing to do, and nothing to say.
        let known = cx
            .records()
            .part(|r| Revoked(r.0.iter().filter(|i| **i == invitation).cloned().collect()))
            .contains(&invitation);
        if !known {
            cx.change(invitation);
        }
        Ok(Made::default())
    }

    fn load(records: &mut Revoked, kind: &str, key: &str, value: Option<&str>) {
        if kind == REVOKED {
            if value.is_some() {
                records.0.insert(key.to_owned());
            } else {
                records.0.remove(key);
            }
        }
    }

    fn apply(records: &mut Revoked, change: &String) {
        records.0.insert(change.clone());
    }

    fn store(change: &String) -> Stored {
        Stored {
            kind: REVOKED,
            key: change.clone(),
            value: Some("1".to_owned()),
        }
    }
}
