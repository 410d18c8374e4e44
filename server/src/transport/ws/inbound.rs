//! The client's half of a connection: its frames, read by tungstenite's `WebSocketContext`
//! from the shared socket without waiting; what tungstenite writes itself goes out through
//! the outlet.

use super::Connection;
use crate::delivery::outlet::Outlet;
use bytes::Bytes;
use plenum_protocol::limits;
use std::{
    io::{Read, Write},
    sync::Arc,
};
use tokio::net::TcpStream;
use tungstenite::{
    Message,
    protocol::{CloseFrame, Role as Side, WebSocketConfig, WebSocketContext},
};

/// The client's side of the socket: tungstenite reads its frames (unmasking, limits, the
/// protocol's rules). What tungstenite writes itself (pongs, the Close frame and its answer)
/// goes out through the outlet, in order with everything else.
pub(super) struct Inbound {
    ctx: WebSocketContext,
    io: InboundIo,
}

/// The socket as tungstenite sees it: reads never wait (`WouldBlock` until it is readable),
/// writes go to the outlet.
struct InboundIo {
    tcp: Arc<TcpStream>,
    outlet: Arc<Outlet>,
}

impl Read for InboundIo {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.tcp.try_read(buf)
    }
}

impl Write for InboundIo {
    /// Refused with `WouldBlock` when the client leaves too much unread: a flood of pings
    /// then costs one pending pong, not one each.
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.outlet
            .send_control(Bytes::copy_from_slice(buf))
            .map(|()| buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Inbound {
    /// Reads `connection`'s socket, starting with `early`: what the client sent after its
    /// upgrade request, read already.
    pub(super) fn new(connection: &Connection, early: Vec<u8>) -> Inbound {
        // Our frames are small: a larger read buffer would sit in every idle connection. A
        // larger frame still fits (the buffer grows to it), read 256 bytes a call.
        let config = WebSocketConfig::default()
            .read_buffer_size(256)
            .write_buffer_size(0)
            .max_message_size(Some(limits::MAX_CLIENT_FRAME_BYTES))
            .max_frame_size(Some(limits::MAX_CLIENT_FRAME_BYTES));
        Inbound {
            ctx: WebSocketContext::from_partially_read(early, Side::Server, Some(config)),
            io: InboundIo {
                tcp: connection.io.tcp().clone(),
                outlet: connection.outlet.clone(),
            },
        }
    }

    /// The client's next message; `None` once the connection is closed. Cancel-safe: a
    /// frame read in part stays in the context.
    pub(super) async fn next(&mut self) -> Option<Result<Message, tungstenite::Error>> {
        use tungstenite::{Error, error::ProtocolError};
        loop {
            // Reading never waits while a client keeps sending: give the other tasks of this
            // thread their turn as tokio's budget says (before reading, so nothing read is
            // lost if this future is dropped meanwhile).
            tokio::task::consume_budget().await;
            match self.ctx.read(&mut self.io) {
                Ok(message) => return Some(Ok(message)),
                Err(Error::Io(e)) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    if let Err(e) = self.io.tcp.readable().await {
                        return Some(Err(e.into()));
                    }
                }
                Err(
                    Error::ConnectionClosed
                    | Error::AlreadyClosed
                    | Error::Protocol(ProtocolError::ResetWithoutClosingHandshake),
                ) => return None,
                Err(e) => return Some(Err(e)),
            }
        }
    }

    /// Writes what tungstenite has queued (the answer to a Close).
    pub(super) fn flush(&mut self) {
        let _ = self.ctx.flush(&mut self.io);
    }

    /// Pings the client. False when the socket failed.
    pub(super) fn ping(&mut self) -> bool {
        self.ctx
            .write(&mut self.io, Message::Ping(Default::default()))
            .and_then(|()| self.ctx.flush(&mut self.io))
            .is_ok()
    }

    /// Starts the closing handshake with `code` and `reason`.
    pub(super) fn close(&mut self, code: u16, reason: &'static str) {
        let frame = CloseFrame {
            code: code.into(),
            reason: reason.into(),
        };
        let _ = self.ctx.close(&mut self.io, Some(frame));
        self.flush();
    }
}
