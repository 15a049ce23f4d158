//! HTTP over reqwest: one POST per attempt, errors mapped without the URL
//! (it carries the signature and any security token).

use crate::error::TimeoutKind;
use crate::Error;
use std::time::Duration;

#[derive(Debug, Clone)]
pub(crate) struct Transport {
    http: reqwest::Client,
    connect_timeout: Duration,
}

/// What came back from one attempt.
#[derive(Debug)]
pub(crate) struct RawResponse {
    pub status: u16,
    pub content_type: Option<String>,
    /// `x-acs-retry-after`, in milliseconds on the wire.
    pub retry_after: Option<Duration>,
    pub body: String,
}

impl Transport {
    pub fn new(
        connect_timeout: Duration,
        read_timeout: Duration,
        user_agent: &str,
    ) -> Result<Self, Error> {
        let http = reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .read_timeout(read_timeout)
            .user_agent(user_agent)
            .build()
            .map_err(|e| Error::config(format!("cannot build the HTTP client: {}", chain(&e))))?;
        Ok(Transport {
            http,
            connect_timeout,
        })
    }

    /// POSTs to `url` with an empty body; `timeout` bounds the attempt.
    pub async fn post(
        &self,
        operation: &str,
        url: &str,
        headers: &[(String, String)],
        timeout: Duration,
    ) -> Result<RawResponse, Error> {
        let mut req = self.http.post(url).timeout(timeout);
        for (k, v) in headers {
            req = req.header(k, v);
        }
        let map = |e: reqwest::Error| self.map_error(operation, e, timeout);
        let resp = req.send().await.map_err(map)?;
        let status = resp.status().as_u16();
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let content_type = header("content-type");
        let retry_after = header("x-acs-retry-after")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .filter(|ms| *ms > 0)
            .map(Duration::from_millis);
        let body = resp.text().await.map_err(map)?;
        Ok(RawResponse {
            status,
            content_type,
            retry_after,
            body,
        })
    }

    fn map_error(&self, operation: &str, e: reqwest::Error, timeout: Duration) -> Error {
        let e = e.without_url();
        if e.is_timeout() {
            let (kind, after) = if e.is_connect() {
                (TimeoutKind::Connect, self.connect_timeout)
            } else {
                (TimeoutKind::Attempt, timeout)
            };
            return Error::Timeout {
                operation: operation.to_string(),
                kind,
                after,
            };
        }
        Error::Transport {
            operation: operation.to_string(),
            message: chain(&e),
        }
    }
}

/// An error and its causes, `: `-separated (reqwest's own text is terse).
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}
