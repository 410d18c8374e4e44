//! The upgrade: RFC 6455's opening handshake checked by us, the accept key made by
//! tungstenite, and hyper's upgraded socket taken back as the listener's own, so the
//! connection's outlet can write to it from any thread.

use super::{Connection, inbound::Inbound};
use crate::{
    App,
    transport::{
        addresses::{ClientAddr, SocketGuard},
        listener,
    },
};
use axum::{
    body::Body,
    extract::{Request, State},
    http::{HeaderMap, Method, StatusCode, header},
    response::{IntoResponse, Response},
};
use hyper_util::rt::TokioIo;

/// `GET /ws`: checks the handshake and the Origin, then upgrades (RFC 6455 section 4.2).
pub async fn upgrade(
    State(app): State<App>,
    addr: Option<axum::Extension<ClientAddr>>,
    mut req: Request,
) -> Response {
    let headers = req.headers();
    let key = match handshake(req.method(), headers) {
        Ok(key) => key,
        // 426 names the protocol and version to upgrade to (RFC 9110 section 15.5.22, RFC
        // 6455 section 4.4).
        Err((StatusCode::UPGRADE_REQUIRED, why)) => {
            return (
                StatusCode::UPGRADE_REQUIRED,
                [
                    (header::UPGRADE, "websocket"),
                    (header::SEC_WEBSOCKET_VERSION, "13"),
                ],
                why,
            )
                .into_response();
        }
        Err((status, why)) => return (status, why).into_response(),
    };
    if !origin_allowed(&app, headers) {
        return (StatusCode::FORBIDDEN, "origin not allowed\n").into_response();
    }
    // hyper's upgrade of this request's connection (served with upgrades by the listener).
    let Some(on_upgrade) = req.extensions_mut().remove::<hyper::upgrade::OnUpgrade>() else {
        return (
            StatusCode::UPGRADE_REQUIRED,
            "this connection cannot be upgraded\n",
        )
            .into_response();
    };
    let headers = req.headers();
    // The connection itself counts against --max-connections (transport::listener); here,
    // against what one address may hold open.
    let addr = addr.map_or(ClientAddr(std::net::Ipv4Addr::UNSPECIFIED.into()), |a| a.0);
    let Some(socket_guard) = app.addresses.open_socket(addr) else {
        app.metrics.address_limited.inc();
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, "1")],
            "too many connections from your address\n",
        )
            .into_response();
    };
    // The sign-in cookie, unless the browser says another site's page opens this socket.
    let other_site = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|site| matches!(site, "cross-site" | "same-site"));
    let cookie = (!other_site)
        .then(|| crate::transport::staff::cookie_token(headers))
        .flatten();
    let accept = tungstenite::handshake::derive_accept_key(key.as_bytes());
    let tracker = app.tracker.clone();
    // Boxed until the upgrade completes: what a task captures keeps its room in the task for
    // the task's life (rust-lang/rust#62958), after it moved into the connection too.
    let setup = Box::new((app, addr, cookie, socket_guard));
    tracker.spawn(async move {
        // Made by a plain function, not here: a local of this block keeps its room in the
        // task until the block ends, even once moved out, and this task lives as long as the
        // connection (W0). Only the connection and its reading side cross the await.
        let Some((mut connection, mut inbound)) = connect(on_upgrade.await, {
            // Moved out of the box, which goes now, not with the task.
            let setup = setup;
            *setup
        }) else {
            return;
        };
        connection.run(&mut inbound).await;
    });
    Response::builder()
        .status(StatusCode::SWITCHING_PROTOCOLS)
        .header(header::CONNECTION, "upgrade")
        .header(header::UPGRADE, "websocket")
        .header(header::SEC_WEBSOCKET_ACCEPT, accept)
        .body(Body::empty())
        .expect("a valid response")
}

/// The upgraded socket, taken back as the listener's own, with what the connection is made of;
/// `None` when the upgrade did not complete.
fn connect(
    upgraded: hyper::Result<hyper::upgrade::Upgraded>,
    (app, addr, cookie, socket_guard): (App, ClientAddr, Option<String>, SocketGuard),
) -> Option<(Connection, Inbound)> {
    let upgraded = match upgraded {
        Ok(upgraded) => upgraded,
        Err(e) => {
            tracing::debug!(error = %e, "the WebSocket upgrade did not complete");
            return None;
        }
    };
    // The listener's own socket type: anything else is a bug of ours.
    let Ok(parts) = upgraded.downcast::<TokioIo<listener::Counted>>() else {
        tracing::error!("an upgraded connection that is not the listener's socket");
        return None;
    };
    let hyper::upgrade::Parts { io, read_buf, .. } = parts;
    // What the client sent after its request, already read by hyper, is read first: copied,
    // so hyper's read buffer (kilobytes) is not kept for the connection's life.
    let early = read_buf.to_vec();
    drop(read_buf);
    let mut io = io.into_inner();
    io.end_http();
    let connection = Connection::new(app, addr, cookie, socket_guard, io);
    let inbound = Inbound::new(&connection, early);
    Some((connection, inbound))
}

/// Checks a WebSocket opening handshake (RFC 6455 section 4.2.1); gives its key, or the status
/// and reason to refuse it with.
fn handshake(method: &Method, headers: &HeaderMap) -> Result<String, (StatusCode, &'static str)> {
    let has_token = |name: header::HeaderName, token: &str| {
        headers.get_all(name).iter().any(|v| {
            v.to_str()
                .is_ok_and(|v| v.split(',').any(|t| t.trim().eq_ignore_ascii_case(token)))
        })
    };
    if method != Method::GET {
        return Err((
            StatusCode::METHOD_NOT_ALLOWED,
            "a WebSocket opens with GET\n",
        ));
    }
    if !has_token(header::CONNECTION, "upgrade") {
        return Err((
            StatusCode::UPGRADE_REQUIRED,
            "`Connection` header did not include 'upgrade'\n",
        ));
    }
    if !has_token(header::UPGRADE, "websocket") {
        return Err((
            StatusCode::BAD_REQUEST,
            "`Upgrade` header did not include 'websocket'\n",
        ));
    }
    if headers
        .get(header::SEC_WEBSOCKET_VERSION)
        .is_none_or(|v| v.as_bytes() != b"13")
    {
        return Err((
            StatusCode::UPGRADE_REQUIRED,
            "`Sec-WebSocket-Version` must be 13\n",
        ));
    }
    // A nonce: 16 bytes in base64 (RFC 6455 section 4.2.1).
    use base64::Engine as _;
    match headers
        .get(header::SEC_WEBSOCKET_KEY)
        .and_then(|k| k.to_str().ok())
        .map(str::trim)
    {
        Some(key)
            if base64::engine::general_purpose::STANDARD
                .decode(key)
                .is_ok_and(|nonce| nonce.len() == 16) =>
        {
            Ok(key.to_owned())
        }
        _ => Err((
            StatusCode::BAD_REQUEST,
            "`Sec-WebSocket-Key` missing, or not 16 bytes in base64\n",
        )),
    }
}

/// Browsers always send Origin: it must be this server itself or an allowed origin. Clients
/// that are not browsers send none; they still need a token.
pub(crate) fn origin_allowed(app: &App, headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) else {
        return true;
    };
    let wanted = origin.trim_end_matches('/');
    if app
        .config
        .allowed_origins
        .iter()
        .chain(&app.config.public_url)
        .any(|o| o.trim_end_matches('/').eq_ignore_ascii_case(wanted))
    {
        return true;
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let origin_host = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"));
    matches!((origin_host, host), (Some(o), Some(h)) if o.eq_ignore_ascii_case(h))
}
