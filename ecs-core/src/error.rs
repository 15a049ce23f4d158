//! The one error type, and what every failed call says about where it went
//! and how often ([`CallContext`]).

use crate::query::QueryError;
use serde::Deserialize;
use std::fmt;
use std::time::Duration;

/// Every way an ecs-rs call can fail.
///
/// Errors from sending a request carry a [`CallContext`] (operation, host,
/// HTTP status, attempts, time spent) and show it:
/// `DescribeInstances to ecs.cn-hangzhou.aliyuncs.com: Throttling.User: ...
/// (RequestId ..., HTTP 400, 4 attempts in 3.2 s)`.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A request value that cannot be sent, named by operation and parameter.
    InvalidRequest {
        operation: &'static str,
        source: QueryError,
    },
    /// A required parameter is missing; all missing ones are named.
    MissingParameter {
        operation: &'static str,
        params: Vec<String>,
    },
    /// An input that is not a typed request field (action name, extra
    /// parameter) is unusable.
    InvalidInput { what: String, message: String },
    /// The client configuration is unusable; the message names the builder
    /// setting or environment variable it came from.
    Config { message: String },
    /// No credentials could be obtained, or a provider failed. When that
    /// happened during a call, `call` says which and where it was going.
    Credentials {
        provider: String,
        message: String,
        call: Option<Box<CallContext>>,
    },
    /// No answer: the connection failed or broke. The message names host
    /// and port.
    Transport {
        call: Box<CallContext>,
        message: String,
        /// Whether the request may have reached the service (false when
        /// the connection could not even be made).
        sent: bool,
    },
    /// The region is not in the endpoint table and its templated endpoint
    /// does not resolve: most likely a typo.
    UnknownRegion {
        call: Box<CallContext>,
        region: String,
        /// The closest region of the endpoint table, if one is close.
        suggestion: Option<String>,
        message: String,
    },
    /// A connect, attempt or whole-operation timeout fired.
    Timeout {
        call: Box<CallContext>,
        kind: TimeoutKind,
        after: Duration,
    },
    /// A 3xx answer: redirects are never followed (they would carry the
    /// signed query, security token included, to another origin).
    Redirect {
        call: Box<CallContext>,
        /// The `Location` header, secrets redacted.
        location: Option<String>,
    },
    /// The answer is larger than the client's `max_response_body`; the
    /// connection was dropped without reading the rest.
    ResponseTooLarge {
        call: Box<CallContext>,
        limit: u64,
        /// The announced `Content-Length`, when that is what exceeded it.
        content_length: Option<u64>,
    },
    /// The service answered with an error document.
    Service {
        call: Box<CallContext>,
        error: Box<ServiceError>,
    },
    /// The answer was not a JSON document (a proxy's error page, an empty
    /// body), or its body was cut off.
    UnexpectedResponse {
        call: Box<CallContext>,
        content_type: Option<String>,
        /// The start of the body, bounded, secrets redacted.
        snippet: String,
        /// The connection ended before the announced body was complete.
        truncated: bool,
        /// The `x-acs-retry-after` header, if the answer had one.
        retry_after: Option<Duration>,
    },
    /// The body could not be decoded as the operation's response type.
    Decode {
        call: Box<CallContext>,
        /// JSON path of the offending value, e.g. `Instances.Instance[0].Cpu`.
        path: String,
        message: String,
        /// The start of the body, bounded.
        snippet: String,
        request_id: Option<String>,
    },
    /// A `DryRun=true` request passed validation (`DryRunOperation`).
    DryRunPassed {
        call: Box<CallContext>,
        request_id: Option<String>,
    },
    /// A paginator refused to loop or to read past `TotalCount`.
    Paging(crate::paginator::PagingError),
}

/// Where a call went and how it went.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallContext {
    /// The API action, e.g. `DescribeInstances`.
    pub operation: String,
    /// The endpoint's `host[:port]`.
    pub host: String,
    /// The HTTP status of the last answer, when there was one.
    pub status: Option<u16>,
    /// Requests sent, the first included.
    pub attempts: u32,
    /// From the call's start to the error.
    pub elapsed: Duration,
    /// Read-only, or carrying a `ClientToken`: safe to send again.
    pub idempotent: bool,
    /// Why a failure that a retry could have cured was not retried.
    pub retry_stop: Option<RetryStop>,
}

/// Why the client returned a transient failure instead of retrying it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryStop {
    /// The call changes state, carries no `ClientToken`, and the request
    /// may have been processed: sending it again could do it twice.
    MayHaveBeenProcessed,
    /// The retry budget shared by the client and its `with_region` clones
    /// is spent; it refills as calls succeed.
    BudgetExhausted,
    /// The wait before the next attempt would outlast the time left.
    OutOfTime {
        wait: Duration,
        left: Duration,
        /// The wait is the service's `x-acs-retry-after`.
        asked_by_service: bool,
        limit: TimeLimit,
    },
}

/// Which time limit a retry would have passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeLimit {
    /// The whole-call timeout (`operation_timeout`, `CallOptions::timeout`).
    OperationTimeout,
    /// The retry policy's `max_elapsed`.
    MaxElapsed,
}

/// Which timeout fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeoutKind {
    Connect,
    /// One HTTP attempt (sending and reading the answer).
    Attempt,
    /// The whole call, retries included.
    Operation,
}

/// An error document returned by ECS (protocol.md section 4).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServiceError {
    pub status: u16,
    pub code: String,
    /// Capped at [`MESSAGE_CHARS`] characters, secrets redacted.
    pub message: String,
    pub request_id: Option<String>,
    pub host_id: Option<String>,
    pub recommend: Option<String>,
    pub access_denied_detail: Option<AccessDeniedDetail>,
    /// The wait the service asked for: the `x-acs-retry-after` header, or
    /// the document's `RetryAfter` (milliseconds on the wire).
    pub retry_after: Option<Duration>,
    /// For `SignatureDoesNotMatch`: the server's and our string-to-sign
    /// (security token and signature redacted; the secret is never part of
    /// either).
    pub signature_mismatch: Option<SignatureMismatch>,
}

/// Characters of a service message kept in an error.
pub const MESSAGE_CHARS: usize = 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureMismatch {
    pub server_string_to_sign: String,
    pub client_string_to_sign: String,
}

impl SignatureMismatch {
    /// Equal strings mean the canonicalization agrees, so the secret is wrong.
    pub fn secret_is_wrong(&self) -> bool {
        self.server_string_to_sign == self.client_string_to_sign
    }
}

/// Why RAM denied the request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct AccessDeniedDetail {
    pub auth_action: Option<String>,
    pub auth_principal_type: Option<String>,
    pub auth_principal_owner_id: Option<String>,
    pub auth_principal_display_name: Option<String>,
    pub policy_type: Option<String>,
    pub no_permission_type: Option<String>,
    pub encoded_diagnostic_message: Option<String>,
}

/// Codes retried whatever the HTTP status (protocol.md section 4).
pub(crate) fn is_retryable_code(code: &str) -> bool {
    code.starts_with("Throttling")
        || matches!(
            code,
            "ServiceUnavailable" | "InternalError" | "UnknownError"
        )
}

pub(crate) fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 500 | 502 | 503 | 504)
}

/// Statuses that say the service turned the request away unprocessed.
fn is_refusal_status(status: u16) -> bool {
    matches!(status, 429 | 503)
}

impl ServiceError {
    pub fn is_throttling(&self) -> bool {
        self.code.starts_with("Throttling")
    }

    /// Whether the same request could succeed later (throttling, a
    /// transient server fault).
    pub fn is_retryable(&self) -> bool {
        is_retryable_code(&self.code) || is_retryable_status(self.status)
    }

    /// Whether the service provably did nothing: it throttled the request
    /// or was unavailable, answering before processing it.
    pub fn is_refusal(&self) -> bool {
        self.is_throttling() || self.code == "ServiceUnavailable" || is_refusal_status(self.status)
    }

    fn fmt_core(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)?;
        if let Some(m) = &self.signature_mismatch {
            if m.secret_is_wrong() {
                write!(
                    f,
                    "; the strings to sign agree, so the AccessKeySecret is wrong"
                )?;
            } else {
                write!(
                    f,
                    "; server signed `{}`, client signed `{}`",
                    m.server_string_to_sign, m.client_string_to_sign
                )?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_core(f)?;
        if let Some(id) = &self.request_id {
            write!(f, " (RequestId {id})")?;
        }
        Ok(())
    }
}

impl fmt::Display for TimeoutKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeoutKind::Connect => "connect",
            TimeoutKind::Attempt => "attempt",
            TimeoutKind::Operation => "operation",
        })
    }
}

impl fmt::Display for RetryStop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RetryStop::MayHaveBeenProcessed => f.write_str(
                "the call changes state, carries no ClientToken, and the request may have been processed",
            ),
            RetryStop::BudgetExhausted => f.write_str(
                "the client's retry budget is spent (too many recent failures; it refills as calls succeed)",
            ),
            RetryStop::OutOfTime {
                wait,
                left,
                asked_by_service,
                limit,
            } => {
                if *asked_by_service {
                    write!(f, "the service asked to wait {} (x-acs-retry-after)", Secs(*wait))?;
                } else {
                    write!(f, "the next backoff is {}", Secs(*wait))?;
                }
                let limit = match limit {
                    TimeLimit::OperationTimeout => "the operation timeout",
                    TimeLimit::MaxElapsed => "the retry policy's max_elapsed",
                };
                write!(f, ", more than the {} left of {limit}", Secs(*left))
            }
        }
    }
}

/// A duration for people: `850 ms`, `3.2 s`.
pub(crate) struct Secs(pub Duration);

impl fmt::Display for Secs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 < Duration::from_secs(1) {
            write!(f, "{} ms", self.0.as_millis())
        } else {
            write!(f, "{:.1} s", self.0.as_secs_f64())
        }
    }
}

/// The `call` of the variants that carry one, by reference or mutably.
macro_rules! call_of {
    ($error:expr) => {
        match $error {
            Error::Transport { call, .. }
            | Error::UnknownRegion { call, .. }
            | Error::Timeout { call, .. }
            | Error::Redirect { call, .. }
            | Error::ResponseTooLarge { call, .. }
            | Error::Service { call, .. }
            | Error::UnexpectedResponse { call, .. }
            | Error::Decode { call, .. }
            | Error::DryRunPassed { call, .. }
            | Error::Credentials {
                call: Some(call), ..
            } => Some(call),
            _ => None,
        }
    };
}

impl Error {
    /// A configuration error; `message` should name the setting or
    /// variable at fault.
    pub fn config(message: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
        }
    }

    /// A credentials error from `provider` (e.g. `environment`, `ecs_ram_role`).
    pub fn credentials(provider: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Credentials {
            provider: provider.into(),
            message: message.into(),
            call: None,
        }
    }

    /// A configuration error prefixed with the setting or variable it
    /// came from (`origin`); others are unchanged.
    pub(crate) fn in_setting(self, origin: &str) -> Self {
        match self {
            Error::Config { message } => Error::config(format!("{origin}: {message}")),
            other => other,
        }
    }

    /// A credentials error raised during a call, given that call's
    /// context like every other error from it; others are unchanged.
    pub(crate) fn in_call(mut self, context: impl FnOnce() -> Box<CallContext>) -> Self {
        if let Error::Credentials {
            call: call @ None, ..
        } = &mut self
        {
            *call = Some(context());
        }
        self
    }

    /// Where the call went and how it went, for errors from sending it.
    pub fn call(&self) -> Option<&CallContext> {
        call_of!(self).map(|c| &**c)
    }

    pub(crate) fn call_mut(&mut self) -> Option<&mut CallContext> {
        call_of!(self).map(|c| &mut **c)
    }

    /// The API action the error belongs to.
    pub fn operation(&self) -> Option<&str> {
        match self {
            Error::InvalidRequest { operation, .. } | Error::MissingParameter { operation, .. } => {
                Some(operation)
            }
            _ => self.call().map(|c| c.operation.as_str()),
        }
    }

    /// The `host[:port]` the request went to.
    pub fn host(&self) -> Option<&str> {
        self.call().map(|c| c.host.as_str())
    }

    /// Requests sent; 0 when the call failed before sending any.
    pub fn attempts(&self) -> u32 {
        self.call().map_or(0, |c| c.attempts)
    }

    /// Time from the call's start to the error.
    pub fn elapsed(&self) -> Option<Duration> {
        self.call().map(|c| c.elapsed)
    }

    /// Why a transient failure was returned instead of retried.
    pub fn retry_stop(&self) -> Option<&RetryStop> {
        self.call()?.retry_stop.as_ref()
    }

    /// The service error, if the service answered with one.
    pub fn service_error(&self) -> Option<&ServiceError> {
        match self {
            Error::Service { error, .. } => Some(error),
            _ => None,
        }
    }

    /// The service error `Code`, e.g. `InvalidInstanceId.NotFound`.
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Service { error, .. } => Some(&error.code),
            Error::DryRunPassed { .. } => Some("DryRunOperation"),
            _ => None,
        }
    }

    /// The HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<u16> {
        self.call()?.status
    }

    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Service { error, .. } => error.request_id.as_deref(),
            Error::Decode { request_id, .. } | Error::DryRunPassed { request_id, .. } => {
                request_id.as_deref()
            }
            _ => None,
        }
    }

    /// The troubleshooting URL the service suggested.
    pub fn recommend(&self) -> Option<&str> {
        self.service_error()?.recommend.as_deref()
    }

    /// How long the service asked the client to wait (`x-acs-retry-after`).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Service { error, .. } => error.retry_after,
            Error::UnexpectedResponse { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    pub fn is_dry_run_passed(&self) -> bool {
        matches!(self, Error::DryRunPassed { .. })
    }

    pub fn is_throttling(&self) -> bool {
        self.service_error()
            .is_some_and(ServiceError::is_throttling)
            || self.status() == Some(429)
    }

    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// Whether sending the same request again could succeed *and* is safe:
    /// the failure is transient (connection, timeout, throttling, 5xx, a
    /// cut or garbled answer), and either the call is idempotent (read-only
    /// or with a `ClientToken`) or the service provably did nothing
    /// (connection refused, throttled, unavailable). The client's retry
    /// loop decides with this very method.
    pub fn is_retryable(&self) -> bool {
        self.is_transient()
            && self
                .call()
                .is_none_or(|c| c.idempotent || self.not_processed())
    }

    /// A failure a later attempt could cure, whatever the operation.
    fn is_transient(&self) -> bool {
        match self {
            Error::Transport { .. } => true,
            Error::Timeout { kind, .. } => *kind != TimeoutKind::Operation,
            Error::Service { error, .. } => error.is_retryable(),
            Error::UnexpectedResponse {
                call, truncated, ..
            } => {
                let status = call.status.unwrap_or(0);
                *truncated || (200..300).contains(&status) || is_retryable_status(status)
            }
            _ => false,
        }
    }

    /// The request provably had no effect.
    pub(crate) fn not_processed(&self) -> bool {
        match self {
            Error::Transport { sent, .. } => !sent,
            Error::Timeout { kind, .. } => *kind == TimeoutKind::Connect,
            Error::Service { error, .. } => error.is_refusal(),
            Error::UnexpectedResponse {
                call, truncated, ..
            } => !truncated && call.status.is_some_and(is_refusal_status),
            _ => false,
        }
    }

    /// Transient, but not safe to repeat for this call.
    pub(crate) fn is_unsafe_to_repeat(&self) -> bool {
        self.is_transient() && !self.is_retryable()
    }

    /// The failure itself, without the call context.
    fn fmt_kind(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidRequest { operation, source } => write!(f, "{operation}: {source}"),
            Error::MissingParameter { operation, params } => {
                write!(
                    f,
                    "{operation}: missing required parameter(s): {}",
                    params.join(", ")
                )
            }
            Error::InvalidInput { what, message } => write!(f, "invalid {what}: {message}"),
            Error::Config { message } => write!(f, "invalid client configuration: {message}"),
            Error::Credentials {
                provider, message, ..
            } => write!(f, "credentials ({provider}): {message}"),
            Error::Transport { message, .. } => write!(f, "transport error: {message}"),
            Error::UnknownRegion {
                region,
                suggestion,
                message,
                ..
            } => {
                write!(f, "unknown region `{region}`")?;
                match suggestion {
                    Some(s) => write!(f, "; did you mean `{s}`?")?,
                    None => write!(f, " (not in the endpoint table)")?,
                }
                write!(f, " {message}")
            }
            Error::Timeout { kind, after, .. } => write!(f, "{kind} timeout after {after:?}"),
            Error::Redirect { location, .. } => {
                write!(f, "redirect not followed")?;
                match location {
                    Some(l) => write!(f, " (Location `{l}`)"),
                    None => write!(f, " (no Location)"),
                }
            }
            Error::ResponseTooLarge {
                limit,
                content_length,
                ..
            } => {
                write!(f, "the answer is larger than the {limit}-byte limit")?;
                if let Some(len) = content_length {
                    write!(f, " (Content-Length {len})")?;
                }
                write!(f, "; connection dropped unread (see max_response_body)")
            }
            Error::Service { error, .. } => error.fmt_core(f),
            Error::UnexpectedResponse {
                content_type,
                snippet,
                truncated,
                ..
            } => {
                if *truncated {
                    write!(f, "the answer's body was cut off")?;
                } else if snippet.trim().is_empty() {
                    return write!(f, "empty body");
                } else {
                    write!(f, "the answer is not JSON")?;
                }
                if let Some(ct) = content_type {
                    write!(f, " ({ct})")?;
                }
                if snippet.is_empty() {
                    write!(f, "; nothing was received")
                } else {
                    write!(f, "; body starts: {snippet}")
                }
            }
            Error::Paging(e) => fmt::Display::fmt(e, f),
            Error::Decode {
                path,
                message,
                snippet,
                ..
            } => write!(
                f,
                "cannot decode the answer at `{path}`: {message}; body starts: {snippet}"
            ),
            Error::DryRunPassed { .. } => write!(f, "DryRunOperation: the dry run passed"),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(call) = self.call() else {
            return self.fmt_kind(f);
        };
        write!(f, "{} to {}: ", call.operation, call.host)?;
        self.fmt_kind(f)?;
        f.write_str(" (")?;
        if let Some(id) = self.request_id() {
            write!(f, "RequestId {id}, ")?;
        }
        if let Some(status) = call.status {
            write!(f, "HTTP {status}, ")?;
        }
        let plural = if call.attempts == 1 { "" } else { "s" };
        write!(
            f,
            "{} attempt{plural} in {})",
            call.attempts,
            Secs(call.elapsed)
        )?;
        if let Some(stop) = &call.retry_stop {
            write!(f, "; not retried: {stop}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::InvalidRequest { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// An error and its causes, `: `-separated, each cause shown once
/// (reqwest's own text is terse; its causes say what failed).
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
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

/// The first `max` characters of `body`, for error messages.
pub(crate) fn snippet(body: &str, max: usize) -> String {
    let mut s: String = body.chars().take(max).collect();
    if s.len() < body.len() {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests;
