//! Access: the invitations an event made, and those an organiser withdrew.
//!
//! An invitation (a staff or co-organiser invitation, or an attendee's registration link) is a
//! signed token with an id; the person it makes is `inv-ID` on every device. Making one records
//! it in the event room (record `issued`, key the id, value who it is for and who made it), so
//! the organisers' console lists it; an event makes at most `limits::MAX_INVITATIONS`.
//! Withdrawing one records the id (record `revoked`), so on every instance the invitation can
//! no longer be redeemed, the tokens it made are refused at `hello` and on every HTTP request,
//! and an open connection of that person is closed (4100) at its next request. Nothing else of
//! the event changes: other people's tokens and links stay valid.
//!
//! Withdrawing a co-organiser's invitation also withdraws every invitation that co-organiser
//! made (`by_id`), in the same write: nothing they handed out outlives them.
//!
//! A participant import records its people's invitations (their personal links) in one write
//! (`IssueMany`): all of them or, past the bound, none. Making a link anew (`Reissue`) counts
//! up the record's `link`: the person stays who they are, and every older link of theirs, and
//! every sign-in an older link made, is refused from then on (`auth::still_valid`).
//!
//! Rotating every staff credential at once is `--reset-organiser-key` (see `auth`).

use super::{Cx, Interaction, Made, RecordKind, Refusal, Stored};
use plenum_protocol::{Role, SessionId, limits};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// The access interaction.
pub struct Access;

#[derive(Debug, Clone)]
pub enum AccessCommand {
    /// Records an invitation just made.
    Issue(Issued),
    /// Records the invitations a participant import made: all or none.
    IssueMany(Vec<Issued>),
    /// Makes the link of a recorded invitation anew, valid until `exp` under `signer`.
    Reissue {
        invitation: String,
        exp: i64,
        signer: String,
    },
    /// Withdraws the invitation with this id (and what it made).
    Revoke { invitation: String },
}

/// An invitation as the console lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issued {
    pub id: String,
    pub role: Role,
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sessions: Vec<SessionId>,
    pub at_ms: i64,
    pub by: String,
    /// Who made it: their person id (`organiser` for the key holder, `inv-ID` for a
    /// co-organiser). Absent in records from before it was kept.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub by_id: String,
    /// When the invitation expires (seconds), and which secret signed it (`Auth::signer`):
    /// with both, its link can be shown again while that secret signs. Absent in records from
    /// before links were kept.
    #[serde(default)]
    pub exp: i64,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub signer: String,
    /// The email a participant import gave (lower-cased), for the mail merge; empty if none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub email: String,
    /// Made by a participant import: a registered participant's personal link.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub imported: bool,
    /// How many times its link was made anew: only the newest link works.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub link: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// The invitations of an event: made, and withdrawn.
#[derive(Debug, Default)]
pub struct AccessRecords {
    revoked: HashSet<String>,
    issued: HashMap<String, Issued>,
}

impl AccessRecords {
    pub fn contains(&self, invitation: &str) -> bool {
        self.revoked.contains(invitation)
    }

    /// The count of the newest link of a recorded invitation.
    pub fn link_of(&self, invitation: &str) -> Option<u32> {
        self.issued.get(invitation).map(|i| i.link)
    }

    /// A recorded invitation, and whether it was withdrawn.
    pub fn get(&self, invitation: &str) -> Option<(&Issued, bool)> {
        self.issued
            .get(invitation)
            .map(|i| (i, self.revoked.contains(invitation)))
    }

    /// Every invitation made, newest first, and whether each was withdrawn.
    pub fn invitations(&self) -> Vec<(&Issued, bool)> {
        let mut all: Vec<_> = self
            .issued
            .values()
            .map(|i| (i, self.revoked.contains(&i.id)))
            .collect();
        all.sort_by(|a, b| b.0.at_ms.cmp(&a.0.at_ms).then_with(|| a.0.id.cmp(&b.0.id)));
        all
    }
}

#[derive(Debug, Clone)]
pub enum AccessChange {
    Issued(Issued),
    Revoked(String),
}

const REVOKED: &str = "revoked";
const ISSUED: &str = "issued";

/// The part of `r` that says whether `id` was withdrawn.
fn revoked_only(r: &AccessRecords, id: &str) -> AccessRecords {
    AccessRecords {
        revoked: r.revoked.get(id).cloned().into_iter().collect(),
        ..AccessRecords::default()
    }
}

/// Whether an invitation id looks like one the server made (16 URL-safe base64 characters).
fn plausible(id: &str) -> bool {
    id.len() == 16
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl Interaction for Access {
    type Command = AccessCommand;
    type Records = AccessRecords;
    type Change = AccessChange;
    const NAME: &'static str = "access";
    const KINDS: &'static [RecordKind] = &[
        RecordKind {
            name: REVOKED,
            tallied: false,
            personal: false,
        },
        RecordKind {
            name: ISSUED,
            tallied: false,
            // Kept through a purge (links made anew and co-organisers' invitations still
            // count), without the names of the people registered (`purged`).
            personal: false,
        },
    ];

    fn check(&self, command: &AccessCommand) -> Result<(), Refusal> {
        match command {
            AccessCommand::Revoke { invitation } | AccessCommand::Reissue { invitation, .. }
                if !plausible(invitation) =>
            {
                Err(Refusal::invalid("invitation", "is not an invitation's id"))
            }
            AccessCommand::IssueMany(many) if many.len() > limits::MAX_INVITATIONS => {
                Err(Refusal::TooLarge(format!(
                    "an event makes at most {} invitations",
                    limits::MAX_INVITATIONS
                )))
            }
            _ => Ok(()),
        }
    }

    fn decide(&self, cx: &mut Cx<'_, Self>, command: AccessCommand) -> Result<Made, Refusal> {
        cx.event_room()?;
        let view = cx.records();
        let issued = view.committed.issued.len()
            + view
                .changes
                .iter()
                .filter(|c| matches!(c, AccessChange::Issued(_)))
                .count();
        match command {
            AccessCommand::IssueMany(many) => {
                if let Some(maker) = many.first().and_then(|i| i.by_id.strip_prefix("inv-"))
                    && cx
                        .records()
                        .part(|r| revoked_only(r, maker))
                        .contains(maker)
                {
                    return Err(Refusal::Forbidden(
                        "the invitation of whoever made this was withdrawn".into(),
                    ));
                }
                if issued + many.len() > limits::MAX_INVITATIONS {
                    return Err(Refusal::TooLarge(format!(
                        "an event makes at most {} invitations ({issued} made, {} more asked)",
                        limits::MAX_INVITATIONS,
                        many.len()
                    )));
                }
                for invitation in many {
                    cx.change(AccessChange::Issued(invitation));
                }
            }
            AccessCommand::Reissue {
                invitation,
                exp,
                signer,
            } => {
                let now = cx.records().part(|r| AccessRecords {
                    revoked: r.revoked.get(&invitation).cloned().into_iter().collect(),
                    issued: r
                        .issued
                        .get(&invitation)
                        .map(|i| (invitation.clone(), i.clone()))
                        .into_iter()
                        .collect(),
                });
                let Some((issued, withdrawn)) = now.get(&invitation) else {
                    return Err(Refusal::NotFound(format!("no invitation {invitation}")));
                };
                if withdrawn {
                    return Err(Refusal::Conflict(format!(
                        "invitation {invitation} was withdrawn: it is made anew by no one"
                    )));
                }
                cx.change(AccessChange::Issued(Issued {
                    exp,
                    signer,
                    link: issued.link.checked_add(1).ok_or_else(|| {
                        Refusal::TooLarge("this link was made anew too many times".into())
                    })?,
                    ..issued.clone()
                }));
            }
            AccessCommand::Issue(invitation) => {
                // A co-organiser withdrawn a moment ago hands out nothing more (their request
                // may have been checked before the withdrawal was committed).
                if let Some(maker) = invitation.by_id.strip_prefix("inv-") {
                    let view = cx.records();
                    let gone = view.committed.revoked.contains(maker)
                        || view
                            .changes
                            .iter()
                            .any(|c| matches!(c, AccessChange::Revoked(r) if r == maker));
                    if gone {
                        return Err(Refusal::Forbidden(
                            "the invitation of whoever made this was withdrawn".into(),
                        ));
                    }
                }
                if issued >= limits::MAX_INVITATIONS {
                    return Err(Refusal::TooLarge(format!(
                        "an event makes at most {} invitations",
                        limits::MAX_INVITATIONS
                    )));
                }
                cx.change(AccessChange::Issued(invitation));
            }
            AccessCommand::Revoke { invitation } => {
                // Withdrawn already: nothing to do, and nothing to say.
                let known = cx
                    .records()
                    .part(|r| revoked_only(r, &invitation))
                    .contains(&invitation);
                if known {
                    return Ok(Made::default());
                }
                // A co-organiser's own invitations go with theirs.
                let maker = format!("inv-{invitation}");
                let view = cx.records();
                let made: Vec<String> = view
                    .committed
                    .issued
                    .values()
                    .chain(view.changes.iter().filter_map(|c| match c {
                        AccessChange::Issued(i) => Some(i),
                        AccessChange::Revoked(_) => None,
                    }))
                    .filter(|i| i.by_id == maker)
                    .map(|i| i.id.clone())
                    .filter(|id| {
                        !view.committed.revoked.contains(id)
                            && !view
                                .changes
                                .iter()
                                .any(|c| matches!(c, AccessChange::Revoked(r) if r == id))
                    })
                    .collect();
                // Invitations the event recorded can always be withdrawn (they are bounded by
                // the invitations made); ids it never recorded (made before invitations were
                // recorded) at most MAX_INVITATIONS of them.
                let recorded = |id: &String| {
                    view.committed.issued.contains_key(id)
                        || view
                            .changes
                            .iter()
                            .any(|c| matches!(c, AccessChange::Issued(i) if &i.id == id))
                };
                if !recorded(&invitation) {
                    let unknown = view
                        .committed
                        .revoked
                        .iter()
                        .filter(|id| !recorded(id))
                        .count()
                        + view
                            .changes
                            .iter()
                            .filter(|c| matches!(c, AccessChange::Revoked(r) if !recorded(r)))
                            .count();
                    if unknown >= limits::MAX_INVITATIONS {
                        return Err(Refusal::TooLarge(format!(
                            "an event withdraws at most {} invitations it did not record",
                            limits::MAX_INVITATIONS
                        )));
                    }
                }
                cx.change(AccessChange::Revoked(invitation));
                for id in made {
                    cx.change(AccessChange::Revoked(id));
                }
            }
        }
        Ok(Made::default())
    }

    /// A registration link keeps its id, count and maker; the person's name and email go.
    /// Staff invitations keep their names (the organisers' team, whom they can still withdraw).
    fn purged(kind: &str, _key: &str, value: &str) -> Option<String> {
        let mut issued: Issued = serde_json::from_str(value)
            .ok()
            .filter(|_| kind == ISSUED)?;
        let before = issued.clone();
        issued.email = String::new();
        if issued.role == Role::Attendee {
            issued.name = String::new();
        }
        (issued != before).then(|| serde_json::to_string(&issued).ok())?
    }

    fn load(records: &mut AccessRecords, kind: &str, key: &str, value: Option<&str>) {
        match (kind, value) {
            (REVOKED, Some(_)) => drop(records.revoked.insert(key.to_owned())),
            (REVOKED, None) => drop(records.revoked.remove(key)),
            (ISSUED, Some(v)) => match serde_json::from_str::<Issued>(v) {
                Ok(i) => drop(records.issued.insert(key.to_owned(), i)),
                Err(e) => tracing::error!(key, error = %e, "an unreadable invitation record"),
            },
            (ISSUED, None) => drop(records.issued.remove(key)),
            _ => {}
        }
    }

    fn apply(records: &mut AccessRecords, change: &AccessChange) {
        match change {
            AccessChange::Issued(i) => drop(records.issued.insert(i.id.clone(), i.clone())),
            AccessChange::Revoked(id) => drop(records.revoked.insert(id.clone())),
        }
    }

    fn store(change: &AccessChange) -> Stored {
        match change {
            AccessChange::Issued(i) => Stored {
                kind: ISSUED,
                key: i.id.clone(),
                value: Some(serde_json::to_string(i).expect("an invitation serialises")),
            },
            AccessChange::Revoked(id) => Stored {
                kind: REVOKED,
                key: id.clone(),
                value: Some("1".to_owned()),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issued(role: Role, name: &str, email: &str) -> String {
        serde_json::to_string(&Issued {
            id: "i7".into(),
            role,
            name: name.into(),
            sessions: Vec::new(),
            at_ms: 1,
            by: "Organiser".into(),
            by_id: "organiser".into(),
            exp: 9,
            signer: "s".into(),
            email: email.into(),
            imported: true,
            link: 2,
        })
        .unwrap()
    }

    #[test]
    fn a_purge_keeps_a_links_id_and_count_without_the_persons_name() {
        let after = Access::purged(
            ISSUED,
            "i7",
            &issued(Role::Attendee, "Åsa Lind", "asa@example.se"),
        )
        .expect("rewritten");
        let after: Issued = serde_json::from_str(&after).unwrap();
        assert_eq!((after.name.as_str(), after.email.as_str()), ("", ""));
        assert_eq!(
            (after.id.as_str(), after.link, after.by_id.as_str()),
            ("i7", 2, "organiser")
        );
        // Staff keep their names; nothing to change is left as it is.
        let staff = Access::purged(ISSUED, "i7", &issued(Role::Moderator, "Maria", "")).is_none();
        assert!(staff);
        assert!(Access::purged(ISSUED, "i7", &issued(Role::Attendee, "", "")).is_none());
        assert!(Access::purged(REVOKED, "i7", "1").is_none());
    }
}
