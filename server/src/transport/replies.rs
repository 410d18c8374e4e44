//! What the server answers a WebSocket request: `ok` (built here only), a refusal, and which
//! field to blame in a message that cannot be read.

use super::http::api_error;
use crate::interactions::{Made, Refusal};
use plenum_protocol::{ClientFrame, MyStanding, RequestId, Seq, ServerMsg};

/// Why a WebSocket message could not be read, as the refusal says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// The request id, when the message has one that can be read.
    pub id: Option<u64>,
    pub message: String,
    pub field: Option<String>,
}

/// Reads one client frame, or says why not (naming the field to blame).
pub fn read_frame(text: &str) -> Result<ClientFrame, Unreadable> {
    serde_json::from_str(text).map_err(|e| {
        let value = serde_json::from_str::<serde_json::Value>(text).ok();
        let id = value
            .as_ref()
            .and_then(|v| v.get("id").and_then(|i| i.as_u64()));
        let field = value.as_ref().and_then(|v| offending_field(v, &e));
        // A list of what a value may be is kept while short; the message types (over a
        // kilobyte) are in the docs.
        let said = e.to_string();
        let said = match said.split_once(", expected one of") {
            Some((head, list)) if list.len() > 300 => {
                format!("{head} (what it may be is in docs/protocol.md)")
            }
            _ => said,
        };
        let message = match &field {
            Some(f) => format!("{f}: malformed message: {said}"),
            None => format!("malformed message: {said}"),
        };
        Unreadable { id, message, field }
    })
}

/// The top-level field of a message that made it unreadable, if one did. serde cannot say
/// through the message's internally tagged enum, so it is found here: a missing field names
/// itself, an unknown `type` is the `type`'s fault, then the field whose value the refusal
/// quotes, then the field without which the message reads.
pub fn offending_field(message: &serde_json::Value, error: &serde_json::Error) -> Option<String> {
    let said = error.to_string();
    if let Some(rest) = said.strip_prefix("missing field `") {
        return rest.split('`').next().map(str::to_owned);
    }
    let kind = message.get("type").and_then(|t| t.as_str());
    let unknown_kind = kind.is_some_and(|k| said.starts_with(&format!("unknown variant `{k}`")));
    if unknown_kind || kind.is_none() {
        return Some("type".into());
    }
    let fields = message.as_object()?;
    let keys = || fields.keys().filter(|k| *k != "type" && *k != "id");
    // The field whose value the refusal quotes ("invalid type: integer `42`", "unknown variant
    // `sideways`", "got \"lobby\"")…
    let quoted = keys().find(|k| match &fields[*k] {
        serde_json::Value::String(s) => {
            said.contains(&format!("`{s}`")) || said.contains(&format!("{s:?}"))
        }
        serde_json::Value::Number(n) => said.contains(&format!("`{n}`")),
        serde_json::Value::Bool(b) => said.contains(&format!("`{b}`")),
        _ => false,
    });
    if quoted.is_some() {
        return quoted.cloned();
    }
    // …else the one without which the message reads.
    keys()
        .find(|k| {
            let mut without = fields.clone();
            without.remove(*k);
            serde_json::from_value::<ClientFrame>(serde_json::Value::Object(without)).is_ok()
        })
        .cloned()
}

/// The answer to a request that succeeded: the one place `ok` is built.
pub fn ok(id: RequestId, seq: Option<Seq>, made: Made, standing: Option<MyStanding>) -> ServerMsg {
    let Made {
        question,
        poll,
        award,
        receipt,
        quiz,
        meeting,
        scheduled,
    } = made;
    ServerMsg::Ok {
        id,
        seq,
        question,
        poll,
        award,
        receipt,
        quiz,
        standing,
        found: None,
        meeting,
        scheduled,
        people: None,
        recommended: None,
    }
}

/// The answer to `find_at_tables`: who was found, nothing changed.
pub fn found_reply(id: RequestId, found: Vec<plenum_protocol::AtTables>) -> ServerMsg {
    ServerMsg::Ok {
        id,
        seq: None,
        question: None,
        poll: None,
        award: None,
        receipt: None,
        quiz: None,
        standing: None,
        found: Some(found),
        meeting: None,
        scheduled: None,
        people: None,
        recommended: None,
    }
}

/// The answer to `find_people`: a page of listed people, nothing changed.
pub fn people_reply(id: RequestId, page: plenum_protocol::Found) -> ServerMsg {
    let mut reply = found_reply(id, Vec::new());
    if let ServerMsg::Ok { found, people, .. } = &mut reply {
        *found = None;
        *people = Some(page);
    }
    reply
}

/// The answer to `recommend`: people recommended, nothing changed.
pub fn recommended_reply(id: RequestId, list: Vec<plenum_protocol::Recommended>) -> ServerMsg {
    let mut reply = found_reply(id, Vec::new());
    if let ServerMsg::Ok {
        found, recommended, ..
    } = &mut reply
    {
        *found = None;
        *recommended = Some(list);
    }
    reply
}

/// The answer to a request that was refused.
pub fn refusal(id: Option<RequestId>, e: Refusal) -> ServerMsg {
    let e = api_error(e);
    ServerMsg::Error {
        id,
        code: e.code,
        message: e.message,
        field: e.field,
    }
}

#[cfg(test)]
mod tests {
    use super::{offending_field, read_frame};

    #[test]
    fn an_unknown_type_is_refused_in_a_few_words_not_with_every_type() {
        let text = r#"{"id": 3, "type": "jion"}"#;
        let refused = read_frame(text).unwrap_err();
        assert_eq!(refused.field.as_deref(), Some("type"));
        assert_eq!(refused.id, Some(3));
        assert!(
            refused.message.contains("unknown variant `jion`"),
            "{}",
            refused.message
        );
        assert!(refused.message.len() < 200, "{}", refused.message);
        // Other fields keep serde's list of what they may be: it is short.
        let status = read_frame(
            r#"{"type": "answer_meeting", "event": "ECC2026", "meeting": 1, "answer": "maybe"}"#,
        )
        .unwrap_err();
        assert_eq!(
            status.field.as_deref(),
            Some("answer"),
            "{}",
            status.message
        );
        assert!(
            status.message.contains("expected one of"),
            "{}",
            status.message
        );
    }

    #[test]
    fn an_unreadable_message_names_its_field() {
        let field = |text: &str| {
            let value: serde_json::Value = serde_json::from_str(text).unwrap();
            let error = serde_json::from_str::<plenum_protocol::ClientFrame>(text).unwrap_err();
            offending_field(&value, &error)
        };
        assert_eq!(
            field(r#"{"type": "join", "room": 42}"#).as_deref(),
            Some("room")
        );
        assert_eq!(
            field(r#"{"type": "join", "room": "lobby"}"#).as_deref(),
            Some("room")
        );
        assert_eq!(field(r#"{"type": "join"}"#).as_deref(), Some("room"));
        assert_eq!(
            field(r#"{"type": "jion", "room": "event:X1"}"#).as_deref(),
            Some("type")
        );
        assert_eq!(
            field(
                r#"{"type": "set_stage", "event": "BAD", "session": "s1", "status": "sideways"}"#
            )
            .as_deref(),
            Some("status")
        );
        assert_eq!(field(r#"{"room": "event:X1"}"#).as_deref(), Some("type"));
    }
}
