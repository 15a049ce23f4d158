//! HTTP over reqwest: one POST per attempt, redirects never followed,
//! bodies read up to a limit, failures described without the URL (it
//! carries the signature and any security token).

use crate::error::error_chain;
use crate::Error;
use bytes::Bytes;
use reqwest::header::{HeaderName, HeaderValue, CONTENT_LENGTH, CONTENT_TYPE, LOCATION};
use std::sync::Arc;
use std::time::Duration;

/// Shapes the reqwest client before the core applies its policies.
pub(crate) type HttpHook =
    Arc<dyn Fn(reqwest::ClientBuilder) -> reqwest::ClientBuilder + Send + Sync>;

/// What the core enforces on every request, whatever a hook did (with the
/// attempt timeout, set per request).
#[derive(Debug, Clone)]
pub(crate) struct HttpPolicy {
    pub connect_timeout: Duration,
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
    pub content_type: Option<HeaderValue>,
    /// `x-acs-retry-after`, in milliseconds on the wire.
    pub retry_after: Option<Duration>,
    /// As received: decoders read the bytes (and check their UTF-8) once.
    pub body: Bytes,
}

impl RawResponse {
    /// The `Content-Type`, for messages.
    pub fn content_type(&self) -> Option<String> {
        header_text(self.content_type.as_ref())
    }
}

/// A header's value as text, for messages.
fn header_text(value: Option<&HeaderValue>) -> Option<String> {
    value.map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

const RETRY_AFTER: HeaderName = HeaderName::from_static("x-acs-retry-after");

/// The headers our signers add, named without parsing or copying; any
/// other name is parsed by reqwest (a bad one fails the request).
fn known_header(name: &str) -> Option<HeaderName> {
    static KNOWN: [HeaderName; 8] = [
        HeaderName::from_static("x-acs-action"),
        HeaderName::from_static("x-acs-version"),
        HeaderName::from_static("x-acs-content-sha256"),
        HeaderName::from_static("x-acs-date"),
        HeaderName::from_static("x-acs-signature-nonce"),
        HeaderName::from_static("x-acs-security-token"),
        HeaderName::from_static("authorization"),
        HeaderName::from_static("content-type"),
    ];
    KNOWN.iter().find(|known| known.as_str() == name).cloned()
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
        received: Bytes,
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
        // Applied after the hook, so the hook cannot undo them. The attempt
        // timeout is set on each request, which overrides any the hook set.
        let http = builder
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(policy.connect_timeout)
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
                    error_chain(&e)
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

    /// POSTs to `url` with an empty body; `timeout` bounds the attempt,
    /// the answer's body included (the one timer of an attempt).
    pub async fn post(
        &self,
        url: reqwest::Url,
        headers: Vec<(&'static str, String)>,
        timeout: Duration,
    ) -> Result<RawResponse, Failure> {
        let mut req = self
            .http
            .post(url)
            .timeout(timeout)
            // Some front ends answer 411 to a bodiless POST without it.
            .header(CONTENT_LENGTH, HeaderValue::from_static("0"));
        for (name, value) in headers {
            // The value's text becomes the header value without a copy.
            req = match known_header(name) {
                Some(name) => req.header(name, value),
                None => req.header(name, value),
            };
        }
        let resp = req.send().await.map_err(failure)?;
        let status = resp.status().as_u16();
        if (300..400).contains(&status) {
            return Err(Failure::Redirect {
                status,
                location: header_text(resp.headers().get(LOCATION)),
            });
        }
        let content_type = resp.headers().get(CONTENT_TYPE).cloned();
        let retry_after = resp
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
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
                        content_type: header_text(content_type.as_ref()),
                        received,
                    }
                })
            }
        };
        Ok(RawResponse {
            status,
            content_type,
            retry_after,
            body,
        })
    }

    /// The body, counted as it streams in; over the limit the response
    /// (and with it the connection) is dropped unread.
    async fn read_body(&self, mut resp: reqwest::Response) -> Result<Bytes, BodyError> {
        let limit = self.policy.max_body;
        let announced = resp.content_length();
        if announced.is_some_and(|len| len > limit) {
            return Err(BodyError::TooLarge {
                content_length: announced,
            });
        }
        // Trust a small Content-Length for the first allocation only.
        let mut body = Collected::new(announced.unwrap_or(0).min(1 << 20) as usize);
        loop {
            match resp.chunk().await {
                Ok(Some(chunk)) => {
                    if (body.len() + chunk.len()) as u64 > limit {
                        return Err(BodyError::TooLarge {
                            content_length: None,
                        });
                    }
                    body.push(chunk);
                }
                Ok(None) => return Ok(body.into_bytes()),
                Err(error) => {
                    return Err(BodyError::Read {
                        error,
                        received: body.into_bytes(),
                    })
                }
            }
        }
    }
}

/// A body coming in: one chunk is kept as it is, without a copy; more
/// are copied into one buffer.
struct Collected {
    first: Option<Bytes>,
    joined: Vec<u8>,
    hint: usize,
}

impl Collected {
    fn new(hint: usize) -> Self {
        Collected {
            first: None,
            joined: Vec::new(),
            hint,
        }
    }

    fn len(&self) -> usize {
        self.first.as_ref().map_or(self.joined.len(), Bytes::len)
    }

    fn push(&mut self, chunk: Bytes) {
        match self.first.take() {
            None if self.joined.is_empty() => self.first = Some(chunk),
            first => {
                if let Some(first) = first {
                    self.joined
                        .reserve(self.hint.max(first.len() + chunk.len()));
                    self.joined.extend_from_slice(&first);
                }
                self.joined.extend_from_slice(&chunk);
            }
        }
    }

    fn into_bytes(self) -> Bytes {
        self.first.unwrap_or_else(|| self.joined.into())
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
    let message = error_chain(&e);
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
        received: Bytes,
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
