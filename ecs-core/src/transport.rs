//! HTTP over reqwest: one POST per attempt, redirects never followed,
//! bodies read up to a limit, failures described without the URL (it
//! carries the signature and any security token).

use crate::Error;
use std::sync::Arc;
use std::time::Duration;

/// Shapes the reqwest client before the core applies its policies.
pub(crate) type HttpHook =
    Arc<dyn Fn(reqwest::ClientBuilder) -> reqwest::ClientBuilder + Send + Sync>;

/// What the core enforces on every request, whatever a hook did.
#[derive(Debug, Clone)]
pub(crate) struct HttpPolicy {
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
    pub max_body: u64,
}

#[derive(Debug, Clone)]
pub(crate) struct Transport {
    http: reqwest::Client,
    policy: HttpPolicy,
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

/// Why one attempt got no usable answer.
#[derive(Debug)]
pub(crate) enum Failure {
    /// No connection (DNS, refused, TLS): nothing was sent.
    Connect {
        message: String,
        dns: bool,
    },
    ConnectTimeout,
    /// The connection broke after the request may have been sent.
    Broken {
        message: String,
    },
    /// The attempt timeout fired (`status` if the head had arrived).
    Timeout {
        status: Option<u16>,
    },
    /// A 3xx.
    Redirect {
        status: u16,
        location: Option<String>,
    },
    /// Over the body limit, by `Content-Length` or by counting.
    TooLarge {
        status: u16,
        content_length: Option<u64>,
    },
    /// The body ended before its announced length.
    Truncated {
        status: u16,
        content_type: Option<String>,
        received: String,
    },
}

impl Failure {
    /// The HTTP status, when the head of an answer had arrived.
    pub fn status(&self) -> Option<u16> {
        match self {
            Failure::Connect { .. } | Failure::ConnectTimeout | Failure::Broken { .. } => None,
            Failure::Timeout { status } => *status,
            Failure::Redirect { status, .. }
            | Failure::TooLarge { status, .. }
            | Failure::Truncated { status, .. } => Some(*status),
        }
    }
}

impl Transport {
    pub fn new(
        policy: HttpPolicy,
        user_agent: &str,
        hook: Option<&HttpHook>,
    ) -> Result<Self, Error> {
        let mut builder = reqwest::Client::builder();
        if let Some(hook) = hook {
            builder = hook(builder);
        }
        // Applied after the hook, so the hook cannot undo them.
        let http = builder
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(policy.connect_timeout)
            .read_timeout(policy.read_timeout)
            .user_agent(user_agent)
            .build()
            .map_err(|e| {
                let after = if hook.is_some() {
                    " (as shaped by ClientBuilder::configure_http)"
                } else {
                    ""
                };
                Error::config(format!(
                    "cannot build the HTTP client{after}: {}",
                    chain(&e)
                ))
            })?;
        Ok(Transport { http, policy })
    }

    pub fn connect_timeout(&self) -> Duration {
        self.policy.connect_timeout
    }

    pub fn max_body(&self) -> u64 {
        self.policy.max_body
    }

    /// POSTs to `url` with an empty body; `timeout` bounds the attempt.
    pub async fn post(
        &self,
        url: &str,
        headers: &[(String, String)],
        timeout: Duration,
    ) -> Result<RawResponse, Failure> {
        let mut req = self
            .http
            .post(url)
            .timeout(timeout)
            // Some front ends answer 411 to a bodiless POST without it.
            .header(reqwest::header::CONTENT_LENGTH, "0");
        for (k, v) in headers {
            req = req.header(k, v);
        }
        let resp = req.send().await.map_err(failure)?;
        let status = resp.status().as_u16();
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        if (300..400).contains(&status) {
            return Err(Failure::Redirect {
                status,
                location: header("location"),
            });
        }
        let content_type = header("content-type");
        let retry_after = header("x-acs-retry-after").and_then(|v| parse_retry_after(&v));
        let body = match self.read_body(resp).await {
            Ok(bytes) => bytes,
            Err(BodyError::TooLarge { content_length }) => {
                return Err(Failure::TooLarge {
                    status,
                    content_length,
                })
            }
            Err(BodyError::Read { error, received }) => {
                return Err(if error.is_timeout() {
                    Failure::Timeout {
                        status: Some(status),
                    }
                } else {
                    Failure::Truncated {
                        status,
                        content_type,
                        received: text(received),
                    }
                })
            }
        };
        Ok(RawResponse {
            status,
            content_type,
            retry_after,
            body: text(body),
        })
    }

    /// The body, counted as it streams in; over the limit the response
    /// (and with it the connection) is dropped unread.
    async fn read_body(&self, mut resp: reqwest::Response) -> Result<Vec<u8>, BodyError> {
        let limit = self.policy.max_body;
        let announced = resp.content_length();
        if announced.is_some_and(|len| len > limit) {
            return Err(BodyError::TooLarge {
                content_length: announced,
            });
        }
        // Trust a small Content-Length for the first allocation only.
        let mut body = Vec::with_capacity(announced.unwrap_or(0).min(1 << 20) as usize);
        loop {
            match resp.chunk().await {
                Ok(Some(chunk)) => {
                    if (body.len() + chunk.len()) as u64 > limit {
                        return Err(BodyError::TooLarge {
                            content_length: None,
                        });
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => return Ok(body),
                Err(error) => {
                    return Err(BodyError::Read {
                        error,
                        received: body,
                    })
                }
            }
        }
    }
}

/// A failed send, classified by whether anything reached the server.
fn failure(e: reqwest::Error) -> Failure {
    let e = e.without_url();
    if e.is_timeout() {
        return if e.is_connect() {
            Failure::ConnectTimeout
        } else {
            Failure::Timeout { status: None }
        };
    }
    let message = chain(&e);
    if e.is_connect() {
        let dns = message.contains("dns error");
        Failure::Connect { message, dns }
    } else {
        Failure::Broken { message }
    }
}

enum BodyError {
    TooLarge {
        content_length: Option<u64>,
    },
    Read {
        error: reqwest::Error,
        received: Vec<u8>,
    },
}

/// Milliseconds, positive (the header and the error document's field).
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    value
        .trim()
        .parse::<u64>()
        .ok()
        .filter(|ms| *ms > 0)
        .map(Duration::from_millis)
}

/// UTF-8 without a copy when valid (the service always sends UTF-8).
fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// An error and its causes, `: `-separated (reqwest's own text is terse).
pub(crate) fn chain(e: &dyn std::error::Error) -> String {
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
