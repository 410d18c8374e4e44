//! The HTTP API as a client calls it.

use anyhow::Context as _;
use serde_json::Value;
use std::net::SocketAddr;

/// A small HTTP client for the API. Cloning shares its connection pool.
#[derive(Clone)]
pub struct Http {
    base: String,
    client: reqwest::Client,
}

/// An HTTP answer: status and JSON body (or `Value::Null`).
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub body: Value,
}

impl Http {
    pub fn new(addr: SocketAddr) -> Http {
        Http {
            base: format!("http://{addr}"),
            client: reqwest::Client::new(),
        }
    }

    pub async fn send(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> anyhow::Result<Answer> {
        let method = reqwest::Method::from_bytes(method.as_bytes())?;
        let mut req = self.client.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        self.finish(req).await
    }

    /// Sends `body` verbatim as JSON (for malformed documents).
    pub async fn send_raw(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: &str,
    ) -> anyhow::Result<Answer> {
        let method = reqwest::Method::from_bytes(method.as_bytes())?;
        let mut req = self
            .client
            .request(method, format!("{}{path}", self.base))
            .header("content-type", "application/json")
            .body(body.to_owned());
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        self.finish(req).await
    }

    /// Sends `body` as bytes of `content_type` (a file upload).
    pub async fn send_bytes(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Vec<u8>,
        content_type: &str,
    ) -> anyhow::Result<Answer> {
        let method = reqwest::Method::from_bytes(method.as_bytes())?;
        let mut req = self
            .client
            .request(method, format!("{}{path}", self.base))
            .header("content-type", content_type)
            .body(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        self.finish(req).await
    }

    /// A GET whose answer is kept as bytes: status, content type, body.
    pub async fn get_bytes(&self, path: &str) -> anyhow::Result<(u16, String, Vec<u8>)> {
        self.get_bytes_as(path, None).await
    }

    /// [`Http::get_bytes`] as `token`.
    pub async fn get_bytes_as(
        &self,
        path: &str,
        token: Option<&str>,
    ) -> anyhow::Result<(u16, String, Vec<u8>)> {
        let mut req = self.client.get(format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await?;
        let status = resp.status().as_u16();
        let kind = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        Ok((status, kind, resp.bytes().await?.to_vec()))
    }

    /// The server's address, `http://127.0.0.1:PORT` (a page's Origin on it).
    pub fn origin(&self) -> &str {
        &self.base
    }

    /// A request with these headers (a cookie, an Origin) and no bearer token: the answer
    /// and the Set-Cookie headers it carried.
    pub async fn send_with(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&Value>,
    ) -> anyhow::Result<(Answer, Vec<String>)> {
        let method = reqwest::Method::from_bytes(method.as_bytes())?;
        let mut req = self.client.request(method, format!("{}{path}", self.base));
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let resp = req.send().await?;
        let cookies = resp
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect();
        let status = resp.status().as_u16();
        let text = resp.text().await?;
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Ok((Answer { status, body }, cookies))
    }

    async fn finish(&self, req: reqwest::RequestBuilder) -> anyhow::Result<Answer> {
        let resp = req.send().await?;
        let status = resp.status().as_u16();
        let text = resp.text().await?;
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Ok(Answer { status, body })
    }

    pub async fn get(&self, path: &str) -> anyhow::Result<Answer> {
        self.send("GET", path, None, None).await
    }

    /// Invites someone to `event` as `role` (covering `sessions`, all when empty) with the
    /// organiser's `key`, joins with the invitation, and returns their token.
    pub async fn invited_token(
        &self,
        key: &str,
        event: &str,
        role: &str,
        name: &str,
        sessions: &[&str],
    ) -> anyhow::Result<String> {
        let invite = self
            .send(
                "POST",
                &format!("/api/events/{event}/invites"),
                Some(key),
                Some(&serde_json::json!({"role": role, "name": name, "sessions": sessions})),
            )
            .await?;
        anyhow::ensure!(invite.status == 200, "invitation refused: {}", invite.body);
        let a = self
            .send(
                "POST",
                &format!("/api/events/{event}/join"),
                None,
                Some(&serde_json::json!({"invite": invite.body["invite"]})),
            )
            .await?;
        anyhow::ensure!(a.status == 200, "join answered {}: {}", a.status, a.body);
        Ok(a.body["token"].as_str().context("token")?.to_owned())
    }

    /// Joins `event` as an attendee and returns the token.
    pub async fn join(&self, event: &str, name: Option<&str>) -> anyhow::Result<String> {
        let body = match name {
            Some(n) => serde_json::json!({ "name": n }),
            None => serde_json::json!({}),
        };
        let a = self
            .send(
                "POST",
                &format!("/api/events/{event}/join"),
                None,
                Some(&body),
            )
            .await?;
        anyhow::ensure!(a.status == 200, "join answered {}: {}", a.status, a.body);
        Ok(a.body["token"].as_str().context("token")?.to_owned())
    }

    /// Sets a session's stage as `token`; returns the new sequence number.
    pub async fn set_stage(
        &self,
        token: &str,
        event: &str,
        session: &str,
        body: Value,
    ) -> anyhow::Result<Answer> {
        self.send(
            "POST",
            &format!("/api/events/{event}/sessions/{session}/stage"),
            Some(token),
            Some(&body),
        )
        .await
    }
}
