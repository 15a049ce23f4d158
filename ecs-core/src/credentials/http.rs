//! The one HTTP path of every credentials fetcher (metadata service,
//! credentials URI, STS): no redirects, no proxy, bounded bodies, and
//! transient failures retried a bounded number of times within a bounded
//! total time.

use crate::error::error_chain;
use crate::Error;
use std::fmt;
use std::time::{Duration, Instant};

/// Bytes of an answer a fetcher reads at most; credentials documents are
/// a few hundred bytes.
const MAX_BODY: usize = 256 * 1024;

/// Characters of an answer quoted in errors.
const EXCERPT_CHARS: usize = 200;

/// How a credentials fetcher retries: at most `max_attempts` HTTP requests
/// per step, each bounded by `attempt_timeout`, and the whole fetch (every
/// step and every wait) bounded by `total_timeout`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct FetchPolicy {
    /// Requests per step, the first included; 1 disables retries.
    pub max_attempts: u32,
    pub connect_timeout: Duration,
    /// Bounds one request: sending it and reading the answer.
    pub attempt_timeout: Duration,
    /// Bounds a whole fetch, retries and waits included.
    pub total_timeout: Duration,
    /// First wait between attempts; doubled each time, with jitter.
    pub base_delay: Duration,
}

impl FetchPolicy {
    /// The instance metadata service: link-local and fast, so 1 s per
    /// request as the official libraries use, 3 attempts, 5 s in all.
    pub const fn metadata() -> Self {
        FetchPolicy {
            max_attempts: 3,
            connect_timeout: Duration::from_secs(1),
            attempt_timeout: Duration::from_secs(1),
            total_timeout: Duration::from_secs(5),
            base_delay: Duration::from_millis(100),
        }
    }

    /// A remote service (STS, a credentials URI): 5 s to connect and 10 s
    /// per request as the official libraries use, 3 attempts, 30 s in all.
    pub const fn remote() -> Self {
        FetchPolicy {
            max_attempts: 3,
            connect_timeout: Duration::from_secs(5),
            attempt_timeout: Duration::from_secs(10),
            total_timeout: Duration::from_secs(30),
            base_delay: Duration::from_millis(200),
        }
    }

    pub fn with_max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    /// Sets both the connect and the per-request timeout.
    pub fn with_attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = timeout;
        self.connect_timeout = timeout;
        self
    }

    pub fn with_total_timeout(mut self, timeout: Duration) -> Self {
        self.total_timeout = timeout;
        self
    }

    pub fn with_base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The wait before attempt `n + 1` (n >= 1): equal jitter over
    /// `base * 2^(n-1)`.
    fn delay(&self, n: u32) -> Duration {
        crate::retry::equal_jitter(self.base_delay.saturating_mul(1 << (n - 1).min(10)))
    }
}

/// An HTTP answer that was not a redirect.
pub(crate) struct Answer {
    pub status: u16,
    pub body: String,
}

/// What a fetcher's caller makes of one answer.
pub(crate) enum Verdict<T> {
    Done(T),
    /// Transient (the reason, already free of secrets): try again.
    Retry(String),
    /// Retrying cannot help.
    Fail(Error),
}

impl Answer {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// 5xx and 429 are worth another attempt.
    pub fn is_transient(&self) -> bool {
        self.status >= 500 || self.status == 429
    }

    /// The body of a 2xx answer; a transient status is retried, any other
    /// is an error naming it.
    pub fn text(self, provider: &str, what: &str) -> Verdict<String> {
        if self.is_success() {
            Verdict::Done(self.body)
        } else if self.is_transient() {
            Verdict::Retry(format!(
                "HTTP {}{}",
                self.status,
                excerpt_suffix(&self.body)
            ))
        } else {
            Verdict::Fail(Error::credentials(
                provider,
                format!("{what}: HTTP {}{}", self.status, excerpt_suffix(&self.body)),
            ))
        }
    }
}

/// Bounds one fetch: when it started and when it must give up.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Deadline {
    started: Instant,
    total: Duration,
}

impl Deadline {
    pub fn start(policy: &FetchPolicy) -> Self {
        Deadline {
            started: Instant::now(),
            total: policy.total_timeout,
        }
    }

    fn remaining(&self) -> Duration {
        self.total.saturating_sub(self.started.elapsed())
    }
}

/// An HTTP client for credentials endpoints and the policy it retries by.
#[derive(Clone)]
pub(crate) struct Fetcher {
    /// Why there is no client, if it could not be built (TLS setup).
    http: Result<reqwest::Client, String>,
    policy: FetchPolicy,
}

impl fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.policy.fmt(f)
    }
}

impl Fetcher {
    /// Never follows redirects (they could carry a token to another
    /// origin) and never uses a proxy (the metadata service is link-local,
    /// and variables come only from [`super::Environment`]).
    pub fn new(policy: FetchPolicy) -> Self {
        let http = reqwest::Client::builder()
            .connect_timeout(policy.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .build()
            .map_err(|e| format!("cannot build an HTTP client: {}", error_chain(&e)));
        Fetcher { http, policy }
    }

    fn http(&self, provider: &str) -> Result<&reqwest::Client, Error> {
        self.http
            .as_ref()
            .map_err(|why| Error::credentials(provider, why.as_str()))
    }

    pub fn policy(&self) -> &FetchPolicy {
        &self.policy
    }

    /// Sends what `build` makes (a new request per attempt) and hands each
    /// answer to `judge`, until it is done or fails for good, or the
    /// attempts or the time run out. Transport failures are transient.
    /// `what` names the resource in errors; never its URL, which may carry
    /// a token.
    pub async fn send<T>(
        &self,
        provider: &str,
        what: &str,
        deadline: &Deadline,
        build: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
        judge: impl Fn(Answer) -> Verdict<T>,
    ) -> Result<T, Error> {
        let http = self.http(provider)?;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let remaining = deadline.remaining();
            let verdict = if remaining.is_zero() {
                Verdict::Retry(String::from("no time left"))
            } else {
                let timeout = self.policy.attempt_timeout.min(remaining);
                match self
                    .once(provider, what, build(http).timeout(timeout))
                    .await
                {
                    Ok(answer) => judge(answer),
                    Err(Trouble::Fail(e)) => Verdict::Fail(e),
                    Err(Trouble::Unreachable(r) | Trouble::Transient(r)) => Verdict::Retry(r),
                }
            };
            let reason = match verdict {
                Verdict::Done(v) => return Ok(v),
                Verdict::Fail(e) => return Err(e),
                Verdict::Retry(reason) => reason,
            };
            let wait = self.policy.delay(attempt);
            if attempt >= self.policy.max_attempts || wait >= deadline.remaining() {
                return Err(Error::credentials(
                    provider,
                    format!(
                        "{what}: {reason}; gave up after {attempt} attempt{} in {:.1} s (at most {} attempts in {:?})",
                        if attempt == 1 { "" } else { "s" },
                        deadline.started.elapsed().as_secs_f64(),
                        self.policy.max_attempts,
                        self.policy.total_timeout,
                    ),
                ));
            }
            tracing::debug!(provider, what, attempt, %reason, "retrying a credentials request");
            tokio::time::sleep(wait).await;
        }
    }

    /// One request, no retry: for optional steps whose failure has a
    /// fallback.
    pub async fn probe(
        &self,
        provider: &str,
        what: &str,
        deadline: &Deadline,
        build: impl FnOnce(&reqwest::Client) -> reqwest::RequestBuilder,
    ) -> Result<Answer, Trouble> {
        let http = self.http(provider).map_err(Trouble::Fail)?;
        let timeout = self.policy.attempt_timeout.min(deadline.remaining());
        self.once(provider, what, build(http).timeout(timeout))
            .await
    }

    /// One request and its whole (bounded) answer; a redirect is an error.
    async fn once(
        &self,
        provider: &str,
        what: &str,
        request: reqwest::RequestBuilder,
    ) -> Result<Answer, Trouble> {
        let mut resp = request
            .send()
            .await
            .map_err(|e| transport(provider, what, e))?;
        let status = resp.status();
        if status.is_redirection() {
            return Err(Trouble::Fail(redirect(provider, what, &resp)));
        }
        let mut body = Vec::new();
        while let Some(chunk) = resp
            .chunk()
            .await
            .map_err(|e| transport(provider, what, e))?
        {
            if body.len() + chunk.len() > MAX_BODY {
                return Err(Trouble::Fail(Error::credentials(
                    provider,
                    format!("{what}: the answer is larger than {MAX_BODY} bytes"),
                )));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Answer {
            status: status.as_u16(),
            body: String::from_utf8_lossy(&body).into_owned(),
        })
    }
}

/// Why one request gave no answer.
pub(crate) enum Trouble {
    /// No connection could be made: nothing listens there.
    Unreachable(String),
    /// Timed out or broke off: worth another attempt.
    Transient(String),
    /// Retrying cannot help.
    Fail(Error),
}

impl fmt::Display for Trouble {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Trouble::Unreachable(r) | Trouble::Transient(r) => f.write_str(r),
            Trouble::Fail(e) => e.fmt(f),
        }
    }
}

fn transport(provider: &str, what: &str, e: reqwest::Error) -> Trouble {
    let e = e.without_url();
    let text = error_chain(&e);
    if e.is_connect() {
        Trouble::Unreachable(format!("cannot connect ({text})"))
    } else if e.is_timeout() {
        Trouble::Transient(format!("timed out ({text})"))
    } else if e.is_request() || e.is_body() || e.is_decode() {
        Trouble::Transient(text)
    } else {
        Trouble::Fail(Error::credentials(provider, format!("{what}: {text}")))
    }
}

/// A redirect names its status and target (without the query, which
/// could echo a signature or token).
fn redirect(provider: &str, what: &str, resp: &reqwest::Response) -> Error {
    let location = resp
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(|l| l.split(['?', '#']).next().unwrap_or(""))
        .unwrap_or("(no Location)");
    Error::credentials(
        provider,
        format!(
            "{what}: HTTP {} redirect to `{location}`; credentials requests never follow redirects",
            resp.status()
        ),
    )
}

/// `: <start of body>` for error messages, or nothing for an empty body.
pub(crate) fn excerpt_suffix(body: &str) -> String {
    let body = body.trim();
    if body.is_empty() {
        return String::from(" with an empty body");
    }
    format!(": {}", crate::error::snippet(body, EXCERPT_CHARS))
}
