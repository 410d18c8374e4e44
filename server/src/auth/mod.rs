//! Identity and permissions.
//!
//! - The **organiser key** is created on the first start, printed once, and kept only as a
//!   SHA-256 hash in the store (and, for the operator's convenience, in a 0600 file in the data
//!   directory). It is presented as `Authorization: Bearer <key>` or as the WebSocket token.
//! - **Person tokens** (attendees, and moderators and speakers who redeemed an invitation) are
//!   signed with HMAC-SHA256 under a server secret that never leaves the store. The browser
//!   keeps its token, so a reload or a reconnect is the same person. A token names one event.
//! - **Invitations** are signed the same way, with a different prefix so one can never be used
//!   as the other.
//! - **Two secrets**: one for attendees' tokens and registration links, one for staff's
//!   (moderators, speakers). `--reset-organiser-key` replaces the organiser key *and* the staff
//!   secret, so everything the old key could have handed out stops working (staff get new
//!   invitations), while attendees stay signed in as the same people (who could otherwise join
//!   again as new ones and vote twice). A store from before the split starts with the staff
//!   secret equal to the other, so nobody is signed out by the upgrade.
//! - **Invitations are withdrawn one by one** (`interactions::access`): the invitation, and every
//!   token of the person it made, are refused from then on.
//! - **Co-organisers** redeem an organiser invitation to one event (only the key's holder makes
//!   them): their token is an organiser's at that event alone, signed with the staff secret.
//! - **Signing in** with the organiser key gives a sign-in token (`o1.`, staff secret, 7 days),
//!   kept by the browser as an HttpOnly cookie, so every tab is signed in and none holds the key.
//!
//! Every privileged action is checked with [`allowed`], on the server, for every request.

use crate::interactions::Refusal;
use crate::store::Store;
use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD as B64};
use hmac::{Hmac, Mac};
use plenum_protocol::{EventCode, Person, Role, limits};
use plenum_protocol::{RoomId, SessionId};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

type HmacSha256 = Hmac<Sha256>;

/// How long a person token or an invitation stays valid: longer than any conference.
const TOKEN_DAYS: i64 = 60;
const PERSON_PREFIX: &str = "p1.";
const INVITE_PREFIX: &str = "i1.";
const ORGANISER_PREFIX: &str = "org_";
const SIGN_IN_PREFIX: &str = "o1.";
/// How long a sign-in with the organiser key lasts.
pub const SIGN_IN_DAYS: i64 = 7;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AuthError {
    #[error("no token")]
    Missing,
    #[error("the token is not valid")]
    Invalid,
    #[error("the token has expired")]
    Expired,
    #[error("the token is for another event")]
    WrongEvent,
    #[error("this invitation was withdrawn by the organisers")]
    Revoked,
}

/// What a caller wants to do; [`allowed`] decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Create events, see every event.
    CreateEvent,
    /// Import or edit an event's agenda, make invitations.
    ManageEvent,
    /// Announce to a whole event.
    Announce,
    /// Switch a session live, set what is on stage.
    SetStage,
    /// Follow an event's rooms; ask and vote.
    Follow,
    /// Run a session's Q&A: approve, dismiss, merge, highlight, block; approve poll texts.
    Moderate,
    /// Create, open, close and reveal polls.
    RunPolls,
}

/// Whether `person` may do `action` in `room`: the organiser key's holder anything anywhere;
/// a co-organiser anything at their event but creating events; everyone else at their own
/// event only, staff within the sessions their invitation covers (all, when it names none),
/// and a person's inbox is theirs alone.
pub fn allowed(person: &Person, action: Action, room: &RoomId) -> bool {
    // Nothing personal is anyone else's: not even an organiser follows another's inbox.
    if let RoomId::Inbox(_, owner) = room
        && owner.as_str() != person.id
    {
        return false;
    }
    if key_holder(person) {
        return true;
    }
    if person.event.as_ref() != Some(room.event_code()) {
        return false;
    }
    if person.role == Role::Organiser {
        return action != Action::CreateEvent;
    }
    match action {
        Action::Follow => match room {
            RoomId::Inbox(_, owner) => owner.as_str() == person.id,
            _ => true,
        },
        Action::SetStage | Action::RunPolls => {
            matches!(person.role, Role::Moderator | Role::Speaker) && in_scope(person, room)
        }
        Action::Moderate => person.role == Role::Moderator && in_scope(person, room),
        Action::CreateEvent | Action::ManageEvent | Action::Announce => false,
    }
}

/// Whether `person` holds the organiser key (or signed in with it): every event is theirs.
/// A co-organiser is an organiser of one event.
pub fn key_holder(person: &Person) -> bool {
    person.role == Role::Organiser && person.event.is_none()
}

/// Whether `room` is within the sessions `person`'s invitation covers. An invitation naming
/// sessions covers those sessions' rooms only (not the event room: blocking someone from
/// asking at the whole event is for moderators of the whole event).
pub fn in_scope(person: &Person, room: &RoomId) -> bool {
    person.sessions.is_empty()
        || matches!(room, RoomId::Session(_, s) if person.sessions.contains(s))
}

/// Whether a start keeps the organiser key or makes a new one (the old one stops working).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrganiserKey {
    Keep,
    Reset,
}

/// The server's keys.
pub struct Auth {
    /// Signs attendees' tokens and registration (attendee) invitations.
    secret: [u8; 32],
    /// Signs moderators' and speakers' tokens and invitations; replaced on a key reset.
    staff_secret: [u8; 32],
    organiser_hash: [u8; 32],
}

/// Whether tokens and invitations for `role` are signed with the staff secret.
fn staff(role: &str) -> bool {
    matches!(
        parse_role(role),
        Some(Role::Moderator | Role::Speaker | Role::Organiser)
    )
}

/// The result of [`Auth::init`].
pub struct AuthInit {
    pub auth: Auth,
    /// The organiser key, when this start created it (the only time it is known in clear).
    pub new_organiser_key: Option<String>,
}

fn random_bytes() -> [u8; 32] {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).expect("the operating system's random source");
    b
}

fn now_s() -> i64 {
    crate::engine::now_ms() / 1000
}

impl Auth {
    /// Loads the keys, creating them on the first start (or replacing the organiser key when
    /// asked). A new organiser key goes to `save_key` before its hash is stored.
    pub fn init(
        store: &mut dyn Store,
        organiser_key: OrganiserKey,
        save_key: impl FnOnce(&str) -> anyhow::Result<()>,
    ) -> anyhow::Result<AuthInit> {
        let secret: [u8; 32] = match store.get_meta("token_secret")? {
            Some(s) if s.len() == 32 => s.try_into().expect("length checked"),
            _ => {
                // Instances starting at once on a shared store all keep the first one's secret.
                let s = store.put_meta_if_absent("token_secret", &random_bytes())?;
                s.try_into()
                    .map_err(|_| anyhow::anyhow!("the stored token secret is not 32 bytes"))?
            }
        };
        // Before the split there was one secret: start the staff one equal to it, so no one is
        // signed out by an upgrade. A reset replaces it.
        let staff_secret: [u8; 32] = if organiser_key == OrganiserKey::Reset {
            let fresh = random_bytes();
            store.put_meta("staff_token_secret", &fresh)?;
            fresh
        } else {
            match store.get_meta("staff_token_secret")? {
                Some(s) if s.len() == 32 => s.try_into().expect("length checked"),
                _ => store
                    .put_meta_if_absent("staff_token_secret", &secret)?
                    .try_into()
                    .map_err(|_| anyhow::anyhow!("the stored staff secret is not 32 bytes"))?,
            }
        };
        let stored = store
            .get_meta("organiser_key_sha256")?
            .filter(|h| h.len() == 32 && organiser_key == OrganiserKey::Keep);
        let (organiser_hash, new_organiser_key) = match stored {
            Some(h) => (h.try_into().expect("length checked"), None),
            None => {
                let key = format!("{ORGANISER_PREFIX}{}", B64.encode(random_bytes()));
                save_key(&key)?;
                let hash: [u8; 32] = Sha256::digest(key.as_bytes()).into();
                if organiser_key == OrganiserKey::Reset {
                    store.put_meta("organiser_key_sha256", &hash)?;
                    (hash, Some(key))
                } else {
                    // Another instance on a shared store may have made the key first: then
                    // that one is the key, and ours was never valid.
                    let stored = store.put_meta_if_absent("organiser_key_sha256", &hash)?;
                    let stored: [u8; 32] = stored.try_into().map_err(|_| {
                        anyhow::anyhow!("the stored organiser key hash is not 32 bytes")
                    })?;
                    if stored == hash {
                        (hash, Some(key))
                    } else {
                        (stored, None)
                    }
                }
            }
        };
        Ok(AuthInit {
            auth: Auth {
                secret,
                staff_secret,
                organiser_hash,
            },
            new_organiser_key,
        })
    }

    /// The secret that signs tokens and invitations whose first field (the role) is `role`.
    fn secret_for(&self, role: &str) -> &[u8; 32] {
        if staff(role) {
            &self.staff_secret
        } else {
            &self.secret
        }
    }

    /// Signs `fields`, the first of which is the role (it picks the secret).
    fn sign(&self, prefix: &str, fields: &[&str]) -> String {
        let payload = B64.encode(fields.join("\n"));
        let mut mac = HmacSha256::new_from_slice(self.secret_for(fields[0]))
            .expect("HMAC takes any key length");
        mac.update(prefix.as_bytes());
        mac.update(payload.as_bytes());
        let sig = B64.encode(mac.finalize().into_bytes());
        format!("{prefix}{payload}.{sig}")
    }

    /// The fields of a token signed with `prefix`, if the signature holds under the secret its
    /// role names (a staff token signed with the attendee secret, or the other way round, is
    /// refused).
    fn open(&self, prefix: &str, token: &str) -> Result<Vec<String>, AuthError> {
        let rest = token.strip_prefix(prefix).ok_or(AuthError::Invalid)?;
        let (payload, sig) = rest.split_once('.').ok_or(AuthError::Invalid)?;
        let sig = B64.decode(sig).map_err(|_| AuthError::Invalid)?;
        let text = String::from_utf8(B64.decode(payload).map_err(|_| AuthError::Invalid)?)
            .map_err(|_| AuthError::Invalid)?;
        let role = text.split('\n').next().unwrap_or_default();
        let mut mac =
            HmacSha256::new_from_slice(self.secret_for(role)).expect("HMAC takes any key length");
        mac.update(prefix.as_bytes());
        mac.update(payload.as_bytes());
        mac.verify_slice(&sig).map_err(|_| AuthError::Invalid)?;
        Ok(text.split('\n').map(str::to_owned).collect())
    }

    /// A token for a person at one event.
    pub fn issue(&self, person: &Person) -> String {
        let event = person.event.as_ref().map_or("", |e| e.as_str());
        let exp = (now_s() + TOKEN_DAYS * 86_400).to_string();
        let sessions = join_sessions(&person.sessions);
        let link = person.link.to_string();
        let mut fields = vec![
            role_name(person.role),
            event,
            &person.id,
            &exp,
            person.name.as_deref().unwrap_or(""),
        ];
        // Five fields unless there is a scope, a registration or a link made anew (a scope
        // makes six, a registration seven, such a link eight, the fields before it perhaps
        // empty): instances that know only five still read every other token.
        if !sessions.is_empty() || person.registered || person.link > 0 {
            fields.push(&sessions);
        }
        if person.registered || person.link > 0 {
            fields.push(if person.registered { REGISTERED } else { "" });
        }
        if person.link > 0 {
            fields.push(&link);
        }
        self.sign(PERSON_PREFIX, &fields)
    }

    /// Whether `key` is the organiser key.
    pub fn is_organiser_key(&self, key: &str) -> bool {
        let hash: [u8; 32] = Sha256::digest(key.trim().as_bytes()).into();
        key.trim().starts_with(ORGANISER_PREFIX) && bool::from(hash.ct_eq(&self.organiser_hash))
    }

    /// A sign-in token for the organiser key's holder, valid for [`SIGN_IN_DAYS`].
    pub fn sign_in(&self) -> String {
        let exp = (now_s() + SIGN_IN_DAYS * 86_400).to_string();
        self.sign(SIGN_IN_PREFIX, &[role_name(Role::Organiser), &exp])
    }

    /// Who a token (or the organiser key, or a sign-in token) says the caller is.
    pub fn verify(&self, token: &str) -> Result<Person, AuthError> {
        let token = token.trim();
        if token.is_empty() {
            return Err(AuthError::Missing);
        }
        let organiser = || Person {
            id: "organiser".into(),
            name: Some("Organiser".into()),
            role: Role::Organiser,
            event: None,
            sessions: Vec::new(),
            registered: false,
            link: 0,
        };
        if token.starts_with(ORGANISER_PREFIX) {
            return if self.is_organiser_key(token) {
                Ok(organiser())
            } else {
                Err(AuthError::Invalid)
            };
        }
        if token.starts_with(SIGN_IN_PREFIX) {
            let f = self.open(SIGN_IN_PREFIX, token)?;
            let [role, exp] = f.as_slice() else {
                return Err(AuthError::Invalid);
            };
            if parse_role(role) != Some(Role::Organiser) {
                return Err(AuthError::Invalid);
            }
            if exp.parse::<i64>().map_err(|_| AuthError::Invalid)? < now_s() {
                return Err(AuthError::Expired);
            }
            return Ok(organiser());
        }
        let f = self.open(PERSON_PREFIX, token)?;
        // Five fields, then optionally the scope, the registration claim and the link.
        let (role, event, id, exp, name, rest) = match f.as_slice() {
            [role, event, id, exp, name, rest @ ..] if rest.len() <= 3 => {
                (role, event, id, exp, name, rest)
            }
            _ => return Err(AuthError::Invalid),
        };
        let sessions = rest.first().map_or("", String::as_str);
        let claim = rest.get(1).map_or("", String::as_str);
        let link = match rest.get(2) {
            Some(l) => l.parse::<u32>().map_err(|_| AuthError::Invalid)?,
            None => 0,
        };
        if !claim.is_empty() && claim != REGISTERED {
            return Err(AuthError::Invalid);
        }
        if exp.parse::<i64>().map_err(|_| AuthError::Invalid)? < now_s() {
            return Err(AuthError::Expired);
        }
        let role = parse_role(role).ok_or(AuthError::Invalid)?;
        // An organiser's person token is a co-organiser's: always of one event. (The key's
        // holder signs in with the key.)
        if role == Role::Organiser && event.is_empty() {
            return Err(AuthError::Invalid);
        }
        Ok(Person {
            id: id.clone(),
            name: (!name.is_empty()).then(|| name.clone()),
            role,
            event: Some(EventCode::parse(event).map_err(|_| AuthError::Invalid)?),
            sessions: split_sessions(sessions)?,
            registered: claim == REGISTERED && role == Role::Attendee,
            link,
        })
    }

    /// An invitation to join `event` as `role`, under `name`; for staff, covering `sessions`
    /// only (all, when empty). Gives the invitation and its id (to withdraw it by).
    pub fn invite(
        &self,
        event: &EventCode,
        role: Role,
        name: &str,
        sessions: &[SessionId],
    ) -> (String, String) {
        let id = new_id();
        let token = self.invite_until(event, role, name, sessions, &id, invite_expiry(), 0);
        (token, id)
    }

    /// The invitation with this `id`, valid until `exp` (seconds): the same fields make the
    /// same token, so a recorded invitation's link can be shown again. `link` counts the times
    /// it was made anew (0 the first): a person's newer link ends their older ones.
    #[allow(clippy::too_many_arguments)]
    pub fn invite_until(
        &self,
        event: &EventCode,
        role: Role,
        name: &str,
        sessions: &[SessionId],
        id: &str,
        exp: i64,
        link: u32,
    ) -> String {
        let exp = exp.to_string();
        let sessions = join_sessions(sessions);
        let link = link.to_string();
        let mut fields = vec![role_name(role), event.as_str(), id, &exp, name];
        // Five fields, a sixth for a scope, a seventh (after a scope, perhaps empty) for a
        // link made anew: links made before links were reissued keep their form.
        if !sessions.is_empty() || link != "0" {
            fields.push(&sessions);
        }
        if link != "0" {
            fields.push(&link);
        }
        self.sign(INVITE_PREFIX, &fields)
    }

    /// Names the secret that signs `role`'s invitations now, without giving it away: a link
    /// recorded under another (before a key reset) is never made again under this one.
    pub fn signer(&self, role: Role) -> String {
        let mut mac = HmacSha256::new_from_slice(self.secret_for(role_name(role)))
            .expect("HMAC takes any key length");
        mac.update(b"plenum signer");
        mac.finalize().into_bytes()[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Redeems an invitation for `event`: the person it makes.
    pub fn redeem(&self, invite: &str, event: &EventCode) -> Result<Person, AuthError> {
        let f = self.open(INVITE_PREFIX, invite.trim())?;
        let (role, ev, id, exp, name, sessions, link) = match f.as_slice() {
            [role, ev, id, exp, name] => (role, ev, id, exp, name, "", 0),
            [role, ev, id, exp, name, sessions] => (role, ev, id, exp, name, sessions.as_str(), 0),
            [role, ev, id, exp, name, sessions, link] => (
                role,
                ev,
                id,
                exp,
                name,
                sessions.as_str(),
                link.parse::<u32>().map_err(|_| AuthError::Invalid)?,
            ),
            _ => return Err(AuthError::Invalid),
        };
        if exp.parse::<i64>().map_err(|_| AuthError::Invalid)? < now_s() {
            return Err(AuthError::Expired);
        }
        if ev != event.as_str() {
            return Err(AuthError::WrongEvent);
        }
        let role = parse_role(role).ok_or(AuthError::Invalid)?;
        Ok(Person {
            // The same invitation always makes the same person, on any device.
            id: format!("{INVITED_PREFIX}{id}"),
            name: Some(name.clone()),
            role,
            event: Some(event.clone()),
            sessions: split_sessions(sessions)?,
            // An attendee invitation is the organiser's registration.
            registered: role == Role::Attendee,
            link,
        })
    }
}

/// When an invitation made now expires, in seconds.
pub fn invite_expiry() -> i64 {
    now_s() + TOKEN_DAYS * 86_400
}

/// Seconds since the epoch.
pub fn now_seconds() -> i64 {
    now_s()
}

/// Sessions as a token field: comma-separated ids (which never contain commas).
fn join_sessions(sessions: &[SessionId]) -> String {
    sessions
        .iter()
        .map(SessionId::as_str)
        .collect::<Vec<_>>()
        .join(",")
}

fn split_sessions(field: &str) -> Result<Vec<SessionId>, AuthError> {
    if field.is_empty() {
        return Ok(Vec::new());
    }
    field
        .split(',')
        .map(|s| SessionId::parse(s).map_err(|_| AuthError::Invalid))
        .collect()
}

/// The id of the invitation `person` joined through, if they did.
pub fn invitation_of(person: &Person) -> Option<&str> {
    person.id.strip_prefix(INVITED_PREFIX)
}

/// Whether `person` may still use their credentials: false when the invitation they joined
/// through was withdrawn (`interactions::access`), or made anew since their link or sign-in
/// was (a personal link reissued: the older links, and the sign-ins they made, end). Reads the event room as this instance holds
/// it (withdrawals reach every instance through the broker), so only people who joined through
/// an invitation cost a lookup, and an in-memory one. When the event room cannot be read it
/// fails closed: `Err(Unavailable)`.
pub async fn still_valid(
    engine: &crate::engine::Engine,
    person: &Person,
) -> Result<bool, crate::interactions::Refusal> {
    let (Some(invitation), Some(event)) = (invitation_of(person), person.event.as_ref()) else {
        return Ok(true);
    };
    let room = RoomId::Event(event.clone());
    engine
        .read_held::<crate::interactions::access::Access, _>(&room, |_, access| {
            !access.contains(invitation)
                && access
                    .link_of(invitation)
                    // Older links only: an instance that has not yet heard of a newer link
                    // still lets the newer one in.
                    .is_none_or(|link| person.link >= link)
        })
        .await
}

/// Whether `person` is a registered attendee: one who joined through an organiser's
/// registration (attendee) invitation, as their token's signed claim says.
pub fn registered(person: &Person) -> bool {
    person.role == Role::Attendee && person.registered
}

/// The token field that claims a registration.
const REGISTERED: &str = "registered";

/// The prefix of the ids of people who joined through an invitation.
const INVITED_PREFIX: &str = "inv-";

/// A fresh random person id: never one that starts like a booth's in a meeting
/// (`plenum_protocol::BOOTH_SIDE_PREFIX`).
pub fn new_id() -> String {
    loop {
        let mut b = [0u8; 12];
        getrandom::fill(&mut b).expect("the operating system's random source");
        let id = B64.encode(b);
        if !id.starts_with(plenum_protocol::BOOTH_SIDE_PREFIX) {
            return id;
        }
    }
}

/// Checks a display name: trimmed, no control characters, not too long. Empty means anonymous.
pub fn display_name(name: Option<&str>) -> Result<Option<String>, Refusal> {
    let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) else {
        return Ok(None);
    };
    if name.chars().any(char::is_control) {
        return Err(Refusal::invalid("name", "contains control characters"));
    }
    let name = crate::interactions::visible(name).map_err(|why| Refusal::invalid("name", why))?;
    // Counted as kept (NFC splits a few characters into several).
    if name.chars().count() > limits::MAX_DISPLAY_NAME_CHARS {
        return Err(Refusal::too_long("name", limits::MAX_DISPLAY_NAME_CHARS));
    }
    Ok(Some(name))
}

/// The refusal text for a role that may not do something.
pub fn refusal(role: Role) -> String {
    let article = if role == Role::Attendee { "an" } else { "a" };
    format!("{article} {} may not do this", role_name(role))
}

/// A role as the API spells it (`attendee`, `speaker`, …).
pub(crate) fn role_name(role: Role) -> &'static str {
    match role {
        Role::Attendee => "attendee",
        Role::Speaker => "speaker",
        Role::Moderator => "moderator",
        Role::Organiser => "organiser",
    }
}

fn parse_role(s: &str) -> Option<Role> {
    Some(match s {
        "attendee" => Role::Attendee,
        "speaker" => Role::Speaker,
        "moderator" => Role::Moderator,
        "organiser" => Role::Organiser,
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
