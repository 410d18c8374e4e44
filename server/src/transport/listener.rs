//! Accepting connections: a cap on all of them, timeouts on every one, and calm on errors.
//!
//! axum's `serve` accepts without limit and gives hyper no timer, so a silent or slow client
//! held a socket (and its memory) for as long as it liked. Here:
//! - **One cap on all connections** (`--max-connections`): a TCP connection takes a permit when
//!   accepted and holds it until it closes, WebSocket or not. Past the cap the server answers
//!   `503` at once and closes, so a load balancer can send the client elsewhere.
//! - **Headers within [`Timeouts::header`]** (hyper's header-read timer, which also bounds how
//!   long a kept-alive connection may sit idle between requests).
//! - **No read or write may stall** longer than [`Timeouts::read`] or [`Timeouts::write`]
//!   (`tokio-io-timeout` on the socket): a request body that stops coming, a client that stops
//!   reading its response. An upgraded WebSocket has its own instead: the heartbeat for
//!   reads, the send timeout for writes (`transport::ws`, `delivery::outlet`).
//! - **Accept errors** (out of file descriptors, say) are logged and the loop backs off, 5 ms
//!   doubling to 1 s, instead of spinning.
//!
//! Only HTTP/1.1 is served (with upgrades, for WebSockets): browsers speak HTTP/2 only over TLS,
//! which a reverse proxy in front terminates.

use super::addresses::ConnectionGuard;
use crate::App;
use axum::{Router, extract::ConnectInfo};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::sync::Arc;
use std::{
    net::SocketAddr,
    pin::Pin,
    task::{Context, Poll},
    time::Duration,
};
use tokio::{
    io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf},
    net::{TcpListener, TcpStream},
    sync::OwnedSemaphorePermit,
};
use tokio_io_timeout::TimeoutStream;
use tower_service::Service as _;

/// The timeouts every connection gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// A request's headers must arrive within this, and a kept-alive connection must start its
    /// next request within it.
    pub header: Duration,
    /// The longest a read may wait for a byte once a request is being read (not on an upgraded
    /// WebSocket, which has its heartbeat).
    pub read: Duration,
    /// The longest a write may wait for the client to take a byte.
    pub write: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            header: Duration::from_secs(10),
            read: Duration::from_secs(60),
            write: Duration::from_secs(30),
        }
    }
}

/// Serves `router` on `listener` until the server shuts down; every connection task is tracked
/// by `app.tracker`.
pub async fn serve(app: App, listener: TcpListener, router: Router) {
    let mut backoff = Duration::from_millis(5);
    // Refusals in flight: bounded, so a flood past the cap costs a bounded number of tasks.
    let refusing = Arc::new(tokio::sync::Semaphore::new(256));
    loop {
        let accepted = tokio::select! {
            _ = app.shutdown.cancelled() => return,
            accepted = listener.accept() => accepted,
        };
        let (tcp, peer) = match accepted {
            Ok(c) => {
                backoff = Duration::from_millis(5);
                c
            }
            Err(e) => {
                app.metrics.accept_errors.inc();
                tracing::warn!(error = %e, backoff_ms = backoff.as_millis() as u64,
                    "accepting a connection failed; backing off");
                tokio::select! {
                    _ = app.shutdown.cancelled() => return,
                    _ = tokio::time::sleep(backoff) => {}
                }
                backoff = (backoff * 2).min(Duration::from_secs(1));
                continue;
            }
        };
        let Ok(permit) = app.connection_slots.clone().try_acquire_owned() else {
            app.metrics.connections_refused.inc();
            refuse_busy(tcp, &refusing);
            continue;
        };
        // One peer holds at most half of the places (silent sockets last the header timeout).
        let Some(peer_guard) = app.addresses.open_connection(peer.ip()) else {
            app.metrics.address_limited.inc();
            refuse_busy(tcp, &refusing);
            continue;
        };
        // Live updates are small frames: send them now, not after Nagle's delay.
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "could not set TCP_NODELAY");
        }
        let task = connection(app.clone(), router.clone(), tcp, peer, (permit, peer_guard));
        app.tracker.spawn(task);
    }
}

/// One HTTP/1.1 connection, upgraded or not, with its permit.
async fn connection(
    app: App,
    router: Router,
    tcp: TcpStream,
    peer: SocketAddr,
    permit: (OwnedSemaphorePermit, Option<ConnectionGuard>),
) {
    let t = app.config.timeouts;
    let tcp = Arc::new(tcp);
    let mut io = TimeoutStream::new(SharedTcp(tcp.clone()));
    io.set_read_timeout(Some(t.read));
    io.set_write_timeout(Some(t.write));
    app.metrics.open_connections.inc();
    let io = Counted {
        io: Some(Box::pin(io)),
        tcp,
        _permit: permit,
        gauge: app.metrics.open_connections.clone(),
    };
    // The peer's address goes with every request, for the per-address limits.
    let service = hyper::service::service_fn(move |mut req: hyper::Request<_>| {
        req.extensions_mut().insert(ConnectInfo(peer));
        router.clone().call(req)
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(t.header)
        .keep_alive(true);
    let conn = builder
        .serve_connection(TokioIo::new(io), service)
        .with_upgrades();
    tokio::pin!(conn);
    let result = tokio::select! {
        r = conn.as_mut() => r,
        _ = app.shutdown.cancelled() => {
            // Finish the request in flight, then close.
            conn.as_mut().graceful_shutdown();
            conn.await
        }
    };
    if let Err(e) = result {
        tracing::debug!(%peer, error = %e, "connection ended with an error");
    }
}

/// Past the cap: a short answer and a close, never a hang. What the client sent is read first
/// (briefly), so the close does not reset the connection before the answer arrives. At most 256
/// at once; past that the connection is just closed.
fn refuse_busy(tcp: TcpStream, refusing: &Arc<tokio::sync::Semaphore>) {
    const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\n\
        content-length: 21\r\nretry-after: 1\r\nconnection: close\r\n\r\ntoo many connections\n";
    let Ok(slot) = refusing.clone().try_acquire_owned() else {
        return;
    };
    tokio::spawn(async move {
        let mut tcp = tcp;
        let _ = tokio::time::timeout(Duration::from_secs(1), async {
            let mut request = [0u8; 2048];
            let _ = tokio::time::timeout(Duration::from_millis(100), tcp.read(&mut request)).await;
            let _ = tcp.write_all(BUSY).await;
            let _ = tcp.shutdown().await;
            // Drain what else comes until the client closes, so nothing unread resets the 503.
            while matches!(tcp.read(&mut request).await, Ok(n) if n > 0) {}
        })
        .await;
        drop(slot);
    });
}

/// A socket that holds its connection permit for as long as it lives (through an upgrade too).
/// A WebSocket upgrade finds it in hyper's `Upgraded` (`transport::ws`) and writes to its
/// socket from any thread ([`Counted::tcp`]).
pub(super) struct Counted {
    /// The socket as HTTP reads and writes it, with its timeouts; gone once upgraded
    /// ([`Counted::end_http`]).
    io: Option<Pin<Box<TimeoutStream<SharedTcp>>>>,
    tcp: Arc<TcpStream>,
    _permit: (OwnedSemaphorePermit, Option<ConnectionGuard>),
    gauge: prometheus_client::metrics::gauge::Gauge,
}

impl Counted {
    /// The socket, for writing and reading without the HTTP timeouts (a WebSocket has its own:
    /// heartbeats, and the send timeout of `delivery::outlet`).
    pub(super) fn tcp(&self) -> &Arc<TcpStream> {
        &self.tcp
    }

    /// Ends the socket's HTTP life, once upgraded: its timeouts go, and with them the wakers of
    /// hyper's finished connection task, which would otherwise keep that task's memory for as
    /// long as a timer or the socket held one. Reading or writing through this afterwards fails.
    pub(super) fn end_http(&mut self) {
        self.io = None;
        let mut cx = Context::from_waker(std::task::Waker::noop());
        // A waker left where tokio keeps the socket's readiness is replaced by one that holds
        // nothing (when the socket is ready, none is kept and the next event drops it).
        let _ = self.tcp.poll_read_ready(&mut cx);
        let _ = self.tcp.poll_write_ready(&mut cx);
    }

    /// `poll` on the HTTP stream, or `NotConnected` once the socket was upgraded.
    fn with_http<T>(
        &mut self,
        poll: impl FnOnce(Pin<&mut TimeoutStream<SharedTcp>>) -> Poll<std::io::Result<T>>,
    ) -> Poll<std::io::Result<T>> {
        match self.io.as_mut() {
            Some(io) => poll(io.as_mut()),
            None => Poll::Ready(Err(std::io::ErrorKind::NotConnected.into())),
        }
    }
}

/// A TCP stream that several owners share: tokio's stream reads and writes through `&self`
/// (`try_read`, `try_write` after readiness), so HTTP serves it through this, and after an
/// upgrade the WebSocket's outlet writes to it from whichever thread delivers.
struct SharedTcp(Arc<TcpStream>);

fn blocked(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::WouldBlock
}

impl AsyncRead for SharedTcp {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        loop {
            std::task::ready!(self.0.poll_read_ready(cx))?;
            match self.0.try_read(buf.initialize_unfilled()) {
                Ok(n) => {
                    buf.advance(n);
                    return Poll::Ready(Ok(()));
                }
                Err(e) if blocked(&e) => continue,
                Err(e) => return Poll::Ready(Err(e)),
            }
        }
    }
}

impl SharedTcp {
    /// Waits until the socket is writable, then writes with `write`, which never waits; again
    /// when the readiness was out of date.
    fn poll_try_write(
        &self,
        cx: &mut Context<'_>,
        mut write: impl FnMut(&TcpStream) -> std::io::Result<usize>,
    ) -> Poll<std::io::Result<usize>> {
        loop {
            std::task::ready!(self.0.poll_write_ready(cx))?;
            match write(&self.0) {
                Err(e) if blocked(&e) => continue,
                done => return Poll::Ready(done),
            }
        }
    }
}

impl AsyncWrite for SharedTcp {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        self.poll_try_write(cx, |tcp| tcp.try_write(buf))
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        self.poll_try_write(cx, |tcp| tcp.try_write_vectored(bufs))
    }

    fn is_write_vectored(&self) -> bool {
        true
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(socket2::SockRef::from(self.0.as_ref()).shutdown(std::net::Shutdown::Write))
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.gauge.dec();
    }
}

impl AsyncRead for Counted {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        self.with_http(|io| io.poll_read(cx, buf))
    }
}

impl AsyncWrite for Counted {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        self.with_http(|io| io.poll_write(cx, buf))
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        self.with_http(|io| io.poll_flush(cx))
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        self.with_http(|io| io.poll_shutdown(cx))
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        self.with_http(|io| io.poll_write_vectored(cx, bufs))
    }

    fn is_write_vectored(&self) -> bool {
        self.io.as_ref().is_some_and(|io| io.is_write_vectored())
    }
}
