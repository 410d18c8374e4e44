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
    /// The Close frame, or the answer to the client's, is being written: it goes past the
    /// bound on the connection's own frames (it is the last; the outlet is sealed after it).
    closing: bool,
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
        let bytes = Bytes::copy_from_slice(buf);
        if !self.closing {
            return self.outlet.send_control(bytes).map(|()| buf.len());
        }
        if self.outlet.send_bytes(bytes) {
            Ok(buf.len())
        } else {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Inbound {
    /// Reads `connection`'s socket, starting with `early`: what the client sent after its
    /// upgrade request, read already.
    pub(super) fn new(connection: &Connection, early: Vec<u8>) -> Inbound {
        Inbound::over(
            connection.io.tcp().clone(),
            connection.outlet.clone(),
            early,
        )
    }

    fn over(tcp: Arc<TcpStream>, outlet: Arc<Outlet>, early: Vec<u8>) -> Inbound {
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
                tcp,
                outlet,
                closing: false,
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

    /// Writes what tungstenite has queued (the answer to the client's Close), however many
    /// frames wait for the socket: a client far behind still gets it after them.
    pub(super) fn flush(&mut self) {
        self.io.closing = true;
        let _ = self.ctx.flush(&mut self.io);
    }

    /// Pings the client. False when the socket failed.
    pub(super) fn ping(&mut self) -> bool {
        self.ctx
            .write(&mut self.io, Message::Ping(Default::default()))
            .and_then(|()| self.ctx.flush(&mut self.io))
            .is_ok()
    }

    /// Starts the closing handshake with `code` and `reason`. The Close frame is queued however
    /// many frames wait for the socket already: a client cut for lagging, whose queue is full,
    /// learns why after what it has been sent.
    pub(super) fn close(&mut self, code: u16, reason: &'static str) {
        let frame = CloseFrame {
            code: code.into(),
            reason: reason.into(),
        };
        self.io.closing = true;
        let _ = self.ctx.close(&mut self.io, Some(frame));
        self.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::delivery::outlet::OWN_FRAMES;
    use std::time::Duration;
    use tokio::{io::AsyncReadExt, net::TcpListener};

    #[tokio::test]
    async fn the_close_frame_follows_a_queue_past_every_bound() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut client = TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        let (server, _) = listener.accept().await.unwrap();
        let tcp = Arc::new(server);
        let capacity = 4;
        let outlet = Arc::new(Outlet::new(tcp.clone(), capacity, Default::default()));
        // Binary frames the client has not read: more wait than the connection's own may.
        let mut filler = vec![0x82, 126, 0xea, 0x60];
        filler.resize(4 + 60_000, 0);
        let filler = Bytes::from(filler);
        while outlet.waiting() <= capacity + OWN_FRAMES {
            assert!(outlet.send_bytes(filler.clone()));
        }
        let mut inbound = Inbound::over(tcp, outlet.clone(), Vec::new());
        inbound.close(4000, "too slow");
        outlet.seal();

        let reader = tokio::spawn(async move {
            let mut bytes = Vec::new();
            let mut buf = vec![0u8; 1 << 16];
            loop {
                match tokio::time::timeout(Duration::from_secs(10), client.read(&mut buf)).await {
                    Ok(Ok(0)) | Err(_) => break bytes,
                    Ok(Ok(n)) => bytes.extend_from_slice(&buf[..n]),
                    Ok(Err(e)) => panic!("{e}"),
                }
            }
        });
        let drained = tokio::time::timeout(Duration::from_secs(10), outlet.drain(0)).await;
        assert!(matches!(drained, Ok(Ok(()))), "{drained:?}");
        drop((inbound, outlet));
        let bytes = reader.await.unwrap();

        // Every filler frame, then the Close frame with its code, last.
        let (mut at, mut fillers, mut last) = (0, 0, None);
        while at < bytes.len() {
            let (opcode, short) = (bytes[at] & 0x0f, usize::from(bytes[at + 1] & 0x7f));
            let (len, header) = match short {
                126 => (
                    usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]])),
                    4,
                ),
                n => (n, 2),
            };
            let payload = &bytes[at + header..at + header + len];
            if opcode == 2 {
                fillers += 1;
            }
            last = Some((opcode, payload.to_vec()));
            at += header + len;
        }
        assert_eq!(at, bytes.len());
        assert!(fillers > capacity + OWN_FRAMES, "{fillers}");
        let (opcode, payload) = last.unwrap();
        assert_eq!(opcode, 8, "the last frame is a Close");
        assert_eq!(u16::from_be_bytes([payload[0], payload[1]]), 4000);
        assert_eq!(&payload[2..], b"too slow");
    }
}
