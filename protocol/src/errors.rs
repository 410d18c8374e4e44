//! Typed errors and close codes. Each tells a client what to do next, so no client has to
//! guess from a message text.

use serde::{Deserialize, Serialize};

/// Why a request was refused. Sent in [`crate::ServerMsg::Error`] and in HTTP error bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The message could not be parsed, or a field is invalid. Do not retry unchanged.
    BadRequest,
    /// No protocol version in common. Do not retry; upgrade the client.
    UnsupportedVersion,
    /// No valid token (missing, forged or expired). Get a new token, then retry.
    Unauthenticated,
    /// The token is valid but its role may not do this. Do not retry.
    Forbidden,
    /// The event, session or room does not exist.
    NotFound,
    /// The action does not fit the current state (for example: already exists). Do not retry unchanged.
    Conflict,
    /// The message or a field is larger than the limit.
    TooLarge,
    /// Too many requests. Retry after a pause.
    RateLimited,
    /// A dependency (the store) is unavailable. Nothing was changed; retry with backoff.
    Unavailable,
    /// An unexpected fault in the server. Nothing internal is disclosed.
    Internal,
}

impl ErrorCode {
    /// Whether the same request may succeed if sent again later.
    pub fn retryable(self) -> bool {
        matches!(
            self,
            ErrorCode::RateLimited | ErrorCode::Unavailable | ErrorCode::Internal
        )
    }

    /// The HTTP status used when this error is the answer to an HTTP request.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::BadRequest => 400,
            ErrorCode::UnsupportedVersion => 400,
            ErrorCode::Unauthenticated => 401,
            ErrorCode::Forbidden => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::Conflict => 409,
            ErrorCode::TooLarge => 413,
            ErrorCode::RateLimited => 429,
            ErrorCode::Unavailable => 503,
            ErrorCode::Internal => 500,
        }
    }
}

/// What a client should do after the server closed its WebSocket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseAction {
    /// Reconnect (with backoff) and resume every room from the last sequence seen.
    ReconnectAndResume,
    /// Get a new token first, then reconnect and resume.
    Reauthenticate,
    /// Do not reconnect automatically; tell the person.
    GiveUp,
}

/// WebSocket close codes the server sends. Ranges are reserved by meaning:
/// 4000–4099 reconnect and resume, 4100–4199 re-authenticate, 4200–4299 give up.
pub mod close {
    /// The server is shutting down or restarting: reconnect (to any instance) and resume.
    pub const SERVICE_RESTART: u16 = 1012;
    /// The client did not read fast enough and its queue overflowed: reconnect and resume.
    pub const LAGGING: u16 = 4000;
    /// No frame from the client within the heartbeat timeout.
    pub const HEARTBEAT_TIMEOUT: u16 = 4001;
    /// The token was refused: get a new one.
    pub const AUTH_FAILED: u16 = 4100;
    /// No protocol version in common.
    pub const UNSUPPORTED_PROTOCOL: u16 = 4200;
    /// The client broke the protocol (for example: no `hello` first, or a flood of malformed frames).
    pub const PROTOCOL_VIOLATION: u16 = 4201;
    /// A message for this client came out larger than [`crate::limits::MAX_SERVER_FRAME_BYTES`]
    /// and was not sent. Every message is bounded by design, so this is a server bug (it is
    /// logged); reconnecting would meet the same message.
    pub const FRAME_TOO_LARGE: u16 = 4202;
}

impl CloseAction {
    /// The action for a close code received by a client. Unknown codes are treated as
    /// transient, except the give-up range.
    pub fn for_code(code: u16) -> CloseAction {
        match code {
            1000 => CloseAction::GiveUp,
            4100..=4199 => CloseAction::Reauthenticate,
            4200..=4299 => CloseAction::GiveUp,
            _ => CloseAction::ReconnectAndResume,
        }
    }
}
