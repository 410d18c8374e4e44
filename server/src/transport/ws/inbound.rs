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
    task::{Context, Poll, ready},
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
    /// The connection is closing: what tungstenite writes now (what earlier refusals left,
    /// at most [`WRITE_BUFFER`] and the latest pong, then the Close frame or the answer to the
    /// client's) goes past the bound on the connection's own frames. The outlet is sealed
    /// after it.
    closing: bool,
}

impl Read for InboundIo {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.tcp.try_read(buf)
    }
}

/// What tungstenite may hold that the outlet refused (pongs, a ping), in bytes: a client
/// that floods pings while it reads nothing costs this much, then tungstenite keeps only its
/// latest pong. A Close frame (at most 127 bytes) fits in it once it is empty.
const WRITE_BUFFER: usize = 256;

impl Write for InboundIo {
    /// Refused with `WouldBlock` when the client leaves too much unread, unless closing.
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

    pub(super) fn over(tcp: Arc<TcpStream>, outlet: Arc<Outlet>, early: Vec<u8>) -> Inbound {
        // Our frames are small: a larger read buffer would sit in every idle connection. A
        // larger frame still fits (the buffer grows to it), read 128 bytes a call.
        let config = WebSocketConfig::default()
            .read_buffer_size(128)
            .write_buffer_size(0)
            .max_write_buffer_size(WRITE_BUFFER)
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

    /// The client's next message; `None` once the connection is closed. Polled by the
    /// connection's task: an idle connection keeps no future for it (the socket's readiness
    /// holds the task's waker). Nothing read is lost when it is not polled again: a frame
    /// read in part stays in the context.
    pub(super) fn poll_next(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Message, tungstenite::Error>>> {
        use tungstenite::{Error, error::ProtocolError};
        loop {
            // Each frame spends tokio's budget: a client that keeps sending gives the other
            // tasks of this thread their turn.
            let coop = ready!(tokio::task::coop::poll_proceed(cx));
            // What the context holds is read first (the frames the client sent with its
            // upgrade request, or after a frame read before), then the socket.
            let read = self.ctx.read(&mut self.io);
            if !matches!(&read, Err(Error::Io(e)) if e.kind() == std::io::ErrorKind::WouldBlock) {
                coop.made_progress();
            }
            match read {
                Ok(message) => return Poll::Ready(Some(Ok(message))),
                // Nothing more to read, and the socket's readiness was cleared: wait for it.
                Err(Error::Io(e)) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    if let Err(e) = ready!(self.io.tcp.poll_read_ready(cx)) {
                        return Poll::Ready(Some(Err(e.into())));
                    }
                }
                Err(
                    Error::ConnectionClosed
                    | Error::AlreadyClosed
                    | Error::Protocol(ProtocolError::ResetWithoutClosingHandshake),
                ) => return Poll::Ready(None),
                Err(e) => return Poll::Ready(Some(Err(e))),
            }
        }
    }

    /// [`Inbound::poll_next`] as a future.
    pub(super) async fn next(&mut self) -> Option<Result<Message, tungstenite::Error>> {
        std::future::poll_fn(|cx| self.poll_next(cx)).await
    }

    /// The connection closes: writes what tungstenite holds (what earlier refusals left, and
    /// the answer to the client's Close if it sent one), however many frames wait for the
    /// socket: a client far behind still gets it after them.
    pub(super) fn flush(&mut self) {
        self.io.closing = true;
        // Twice: a full write buffer keeps the answer out until the first has written what
        // it held.
        let _ = self.ctx.flush(&mut self.io);
        let _ = self.ctx.flush(&mut self.io);
    }

    /// Pings the client. False only when the socket failed: a ping the outlet refuses (the
    /// client leaves too much unread) waits in tungstenite's write buffer, or is not sent
    /// when that is full; the heartbeat judges by what the client sends.
    pub(super) fn ping(&mut self) -> bool {
        use tungstenite::Error;
        match self
            .ctx
            .write(&mut self.io, Message::Ping(Default::default()))
            .and_then(|()| self.ctx.flush(&mut self.io))
        {
            Ok(()) | Err(Error::WriteBufferFull(_)) => true,
            Err(Error::Io(e)) => e.kind() == std::io::ErrorKind::WouldBlock,
            Err(_) => false,
        }
    }

    /// Starts the closing handshake with `code` and `reason`. What tungstenite held goes
    /// first, then the Close frame, last, however many frames wait for the socket already: a
    /// client cut for lagging, whose queue is full, learns why after what it has been sent.
    pub(super) fn close(&mut self, code: u16, reason: &'static str) {
        let frame = CloseFrame {
            code: code.into(),
            reason: reason.into(),
        };
        self.flush();
        let _ = self.ctx.close(&mut self.io, Some(frame));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::delivery::outlet::{
        OWN_FRAMES,
        tests::{filler, frames},
    };
    use std::time::Duration;
    use tokio::{
        io::{AsyncReadExt, AsyncWriteExt},
        net::TcpListener,
    };

    const CAPACITY: usize = 4;

    /// A connection whose client reads nothing and has more frames waiting for it than the
    /// connection's own may be: the server's inbound side, its outlet and the client's socket.
    async fn behind() -> (Inbound, Arc<Outlet>, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        let (server, _) = listener.accept().await.unwrap();
        let tcp = Arc::new(server);
        let outlet = Arc::new(Outlet::new(tcp.clone(), CAPACITY, Default::default()));
        let filler = filler();
        while outlet.waiting() <= CAPACITY + OWN_FRAMES {
            assert!(outlet.send_bytes(filler.clone()));
        }
        (
            Inbound::over(tcp, outlet.clone(), Vec::new()),
            outlet,
            client,
        )
    }

    /// The client sends `pings` empty pings (masked, as a client must), and the server
    /// reads them.
    async fn pinged(inbound: &mut Inbound, client: &mut TcpStream, pings: usize) {
        let ping = [0x89, 0x80, 1, 2, 3, 4];
        client.write_all(&ping.repeat(pings)).await.unwrap();
        let mut read = 0;
        while read < pings {
            let next = tokio::time::timeout(Duration::from_secs(10), inbound.next()).await;
            assert!(matches!(next, Ok(Some(Ok(Message::Ping(_))))), "{next:?}");
            read += 1;
        }
    }

    /// Once the outlet is sealed: everything the client receives, as (opcode, payload).
    async fn received(
        inbound: Inbound,
        outlet: Arc<Outlet>,
        mut client: TcpStream,
    ) -> Vec<(u8, Vec<u8>)> {
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
        frames(&reader.await.unwrap())
    }

    fn count(frames: &[(u8, Vec<u8>)], opcode: u8) -> usize {
        frames.iter().filter(|(o, _)| *o == opcode).count()
    }

    #[tokio::test]
    async fn the_close_frame_follows_a_queue_past_every_bound() {
        let (mut inbound, outlet, client) = behind().await;
        inbound.close(4000, "too slow");
        let frames = received(inbound, outlet, client).await;
        assert!(count(&frames, 2) > CAPACITY + OWN_FRAMES);
        let (opcode, payload) = frames.last().unwrap();
        assert_eq!(*opcode, 8, "the last frame is a Close");
        assert_eq!(u16::from_be_bytes([payload[0], payload[1]]), 4000);
        assert_eq!(&payload[2..], b"too slow");
    }

    #[tokio::test]
    async fn a_flood_of_pings_costs_a_bounded_buffer_and_the_close_frame_stays_last() {
        let (mut inbound, outlet, mut client) = behind().await;
        pinged(&mut inbound, &mut client, 1000).await;
        // The heartbeat's ping, refused too, does not end the connection.
        assert!(inbound.ping());
        inbound.close(4000, "too slow");
        let frames = received(inbound, outlet, client).await;
        // An empty pong is 2 bytes: the write buffer's worth, and the latest.
        let pongs = count(&frames, 0xa);
        assert_eq!(pongs, WRITE_BUFFER / 2 + 1);
        assert!(count(&frames, 9) <= 1, "one ping at most");
        let (opcode, payload) = frames.last().unwrap();
        assert_eq!(*opcode, 8, "the last frame is a Close");
        assert_eq!(u16::from_be_bytes([payload[0], payload[1]]), 4000);
    }

    #[tokio::test]
    async fn a_clients_close_is_answered_past_every_bound() {
        let (mut inbound, outlet, mut client) = behind().await;
        pinged(&mut inbound, &mut client, 1000).await;
        // Close, code 1000, masked with a zero key.
        client
            .write_all(&[0x88, 0x82, 0, 0, 0, 0, 0x03, 0xe8])
            .await
            .unwrap();
        let next = tokio::time::timeout(Duration::from_secs(10), inbound.next()).await;
        assert!(matches!(next, Ok(Some(Ok(Message::Close(_))))), "{next:?}");
        inbound.flush();
        let frames = received(inbound, outlet, client).await;
        let (opcode, payload) = frames.last().unwrap();
        assert_eq!(*opcode, 8, "the last frame answers the Close");
        assert_eq!(u16::from_be_bytes([payload[0], payload[1]]), 1000);
    }
}
