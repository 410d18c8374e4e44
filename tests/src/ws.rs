//! A WebSocket client that speaks the protocol as the browser client does.

use crate::*;
use anyhow::{Context as _, anyhow, bail};
use futures_util::{SinkExt, StreamExt};
use plenum_protocol::{ClientFrame, ClientMsg, RoomId, Seq, ServerMsg};
use std::{net::SocketAddr, time::Duration};
use tokio::net::TcpStream;
use tokio_tungstenite::{
    MaybeTlsStream, WebSocketStream,
    tungstenite::{self, Message, client::IntoClientRequest},
};

/// The error code of a refusal; panics on anything else.
pub fn refused(msg: &ServerMsg) -> plenum_protocol::ErrorCode {
    match msg {
        ServerMsg::Error { code, .. } => *code,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// A WebSocket client speaking the Plenum protocol.
pub struct Ws {
    stream: WebSocketStream<MaybeTlsStream<TcpStream>>,
    next_id: u64,
    pub welcome: Option<ServerMsg>,
    /// The largest text frame received so far, in bytes.
    pub largest: usize,
}

/// How a connection ended, as seen by the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ended {
    /// A close frame with this code.
    Closed(u16),
    /// The TCP connection ended without a close frame.
    Dropped,
}

impl Ws {
    /// Connects and says hello with `token`; fails unless welcomed.
    pub async fn connect(url: &str, token: &str) -> anyhow::Result<Ws> {
        let mut ws = Self::connect_raw(url, None).await?;
        ws.send(
            &ClientMsg::Hello {
                versions: vec![1],
                token: token.to_owned(),
            },
            None,
        )
        .await?;
        match ws.recv().await? {
            m @ ServerMsg::Welcome { .. } => ws.welcome = Some(m),
            other => bail!("expected welcome, got {other:?}"),
        }
        Ok(ws)
    }

    /// Connects without saying hello, optionally with an Origin header.
    pub async fn connect_raw(url: &str, origin: Option<&str>) -> anyhow::Result<Ws> {
        match origin {
            Some(o) => Self::connect_with(url, &[("origin", o)]).await,
            None => Self::connect_with(url, &[]).await,
        }
    }

    /// Connects with these extra headers (a cookie, an Origin), without saying hello.
    pub async fn connect_with(url: &str, headers: &[(&str, &str)]) -> anyhow::Result<Ws> {
        let mut req = url.into_client_request()?;
        for (name, value) in headers {
            req.headers_mut().insert(
                tokio_tungstenite::tungstenite::http::HeaderName::from_bytes(name.as_bytes())?,
                value.parse()?,
            );
        }
        let (stream, _) = tokio_tungstenite::connect_async(req).await?;
        Ok(Ws {
            stream,
            next_id: 1,
            welcome: None,
            largest: 0,
        })
    }

    /// Connects through a socket with a tiny receive buffer: a client that reads slowly.
    pub async fn connect_small_buffer(
        url: &str,
        addr: SocketAddr,
        token: &str,
    ) -> anyhow::Result<Ws> {
        let socket = tokio::net::TcpSocket::new_v4()?;
        socket.set_recv_buffer_size(4096)?;
        let tcp = socket.connect(addr).await?;
        let (stream, _) = tokio_tungstenite::client_async(url, MaybeTlsStream::Plain(tcp)).await?;
        let mut ws = Ws {
            stream,
            next_id: 1,
            welcome: None,
            largest: 0,
        };
        ws.send(
            &ClientMsg::Hello {
                versions: vec![1],
                token: token.to_owned(),
            },
            None,
        )
        .await?;
        ws.recv().await?;
        Ok(ws)
    }

    /// Sends a message with the given request id.
    pub async fn send(&mut self, msg: &ClientMsg, id: Option<u64>) -> anyhow::Result<()> {
        let frame = ClientFrame {
            id,
            msg: msg.clone(),
        };
        self.send_text(&serde_json::to_string(&frame)?).await
    }

    /// Sends any text frame, well-formed or not.
    pub async fn send_text(&mut self, text: &str) -> anyhow::Result<()> {
        self.stream.send(Message::text(text)).await?;
        Ok(())
    }

    /// Sends a request with a fresh id; returns the id.
    pub async fn request(&mut self, msg: &ClientMsg) -> anyhow::Result<u64> {
        let id = self.next_id;
        self.next_id += 1;
        self.send(msg, Some(id)).await?;
        Ok(id)
    }

    /// The next server message (skipping pings), or an error if the connection ends or
    /// nothing arrives within [`WAIT`].
    pub async fn recv(&mut self) -> anyhow::Result<ServerMsg> {
        match self.next_event(WAIT).await? {
            Ok(msg) => Ok(msg),
            Err(ended) => bail!("connection ended: {ended:?}"),
        }
    }

    /// The next message, or how the connection ended.
    pub async fn next_event(&mut self, wait: Duration) -> anyhow::Result<Result<ServerMsg, Ended>> {
        loop {
            let frame = tokio::time::timeout(wait, self.stream.next())
                .await
                .map_err(|_| anyhow!("nothing from the server within {wait:?}"))?;
            match frame {
                Some(Ok(Message::Text(t))) => {
                    self.largest = self.largest.max(t.len());
                    return Ok(Ok(
                        serde_json::from_str(&t).with_context(|| format!("parsing {t}"))?
                    ));
                }
                Some(Ok(Message::Close(Some(f)))) => {
                    return Ok(Err(Ended::Closed(u16::from(f.code))));
                }
                Some(Ok(Message::Close(None))) => return Ok(Err(Ended::Closed(1005))),
                Some(Ok(_)) => continue,
                Some(Err(
                    tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed,
                ))
                | None => {
                    return Ok(Err(Ended::Dropped));
                }
                Some(Err(e)) => {
                    let _ = e;
                    return Ok(Err(Ended::Dropped));
                }
            }
        }
    }

    /// Closes from the client side (code 1000) and reads until the connection ends: how the
    /// server answered.
    pub async fn close_and_read(&mut self) -> anyhow::Result<Ended> {
        let frame = tungstenite::protocol::CloseFrame {
            code: tungstenite::protocol::frame::coding::CloseCode::Normal,
            reason: "bye".into(),
        };
        self.stream.send(Message::Close(Some(frame))).await?;
        self.until_closed().await
    }

    /// Reads until the connection ends; returns how.
    pub async fn until_closed(&mut self) -> anyhow::Result<Ended> {
        loop {
            if let Err(end) = self.next_event(WAIT).await? {
                return Ok(end);
            }
        }
    }

    /// Reads until `pick` returns `Some`, discarding everything before.
    pub async fn wait_for<T>(
        &mut self,
        mut pick: impl FnMut(&ServerMsg) -> Option<T>,
    ) -> anyhow::Result<T> {
        loop {
            let msg = self.recv().await?;
            if let Some(t) = pick(&msg) {
                return Ok(t);
            }
        }
    }

    /// The answer (ok or error) to request `id`.
    pub async fn reply(&mut self, id: u64) -> anyhow::Result<ServerMsg> {
        self.wait_for(|m| match m {
            ServerMsg::Ok { id: i, .. } if *i == id => Some(m.clone()),
            ServerMsg::Error { id: Some(i), .. } if *i == id => Some(m.clone()),
            _ => None,
        })
        .await
    }

    /// Joins a room and folds what arrives until `joined` into a mirror of the room.
    pub async fn join(
        &mut self,
        room: &RoomId,
        since: Option<Seq>,
        mirror: &mut Mirror,
    ) -> anyhow::Result<ServerMsg> {
        let id = self
            .request(&ClientMsg::Join {
                room: room.clone(),
                since,
            })
            .await?;
        loop {
            let msg = self.recv().await?;
            match &msg {
                ServerMsg::Joined { id: Some(i), .. } if *i == id => return Ok(msg),
                ServerMsg::Error { id: Some(i), .. } if *i == id => bail!("join refused: {msg:?}"),
                _ => mirror.take(&msg)?,
            }
        }
    }

    /// Closes from the client side.
    pub async fn close(mut self) {
        let _ = self.stream.close(None).await;
    }
}
