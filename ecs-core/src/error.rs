use crate::query::QueryError;
use serde::Deserialize;
use std::fmt;
use std::time::Duration;

/// Every way an ecs-rs call can fail.
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
    /// The body could not be decoded as the operation's response type.
    Decode {
        operation: &'static str,
        /// JSON path of the offending value, e.g. `Instances.Instance[0].Cpu`.
        path: String,
        message: String,
        /// The start of the body, bounded.
        snippet: String,
        request_id: Option<String>,
    },
    /// An input that is not a typed request field (action name, extra
    /// parameter) is unusable.
    InvalidInput { what: String, message: String },
    /// The client configuration is unusable (region, endpoint, network...).
    Config { message: String },
    /// No credentials could be obtained, or a provider failed.
    Credentials { provider: String, message: String },
    /// The request could not be sent or its answer not read.
    Transport { operation: String, message: String },
    /// A connect, attempt or whole-operation timeout fired.
    Timeout {
        operation: String,
        kind: TimeoutKind,
        after: Duration,
    },
    /// The service answered with an error document.
    Service(Box<ServiceError>),
    /// The answer was not JSON (e.g. a proxy's HTML error page).
    UnexpectedResponse {
        operation: String,
        status: u16,
        content_type: Option<String>,
        snippet: String,
    },
    /// A `DryRun=true` request passed validation (`DryRunOperation`).
    DryRunPassed { request_id: Option<String> },
    /// A paginator refused to loop or to read past `TotalCount`.
    Paging(crate::paginator::PagingError),
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
    pub operation: String,
    pub status: u16,
    pub code: String,
    pub message: String,
    pub request_id: Option<String>,
    pub host_id: Option<String>,
    pub recommend: Option<String>,
    pub access_denied_detail: Option<AccessDeniedDetail>,
    /// From the `x-acs-retry-after` header (milliseconds on the wire).
    pub retry_after: Option<Duration>,
    /// For `SignatureDoesNotMatch`: the server's and our string-to-sign
    /// (security token redacted; the secret is never part of either).
    pub signature_mismatch: Option<SignatureMismatch>,
}

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
    matches!(status, 500 | 502 | 503 | 504)
}

impl ServiceError {
    pub fn is_throttling(&self) -> bool {
        self.code.starts_with("Throttling")
    }

    pub fn is_retryable(&self) -> bool {
        is_retryable_code(&self.code) || is_retryable_status(self.status)
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)?;
        if let Some(id) = &self.request_id {
            write!(f, " (RequestId {id})")?;
        }
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

impl fmt::Display for TimeoutKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeoutKind::Connect => "connect",
            TimeoutKind::Attempt => "attempt",
            TimeoutKind::Operation => "operation",
        })
    }
}

impl Error {
    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
        }
    }

    pub(crate) fn credentials(provider: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Credentials {
            provider: provider.into(),
            message: message.into(),
        }
    }

    /// The service error, if the service answered with one.
    pub fn service_error(&self) -> Option<&ServiceError> {
        match self {
            Error::Service(e) => Some(e),
            _ => None,
        }
    }

    /// The service error `Code`, e.g. `InvalidInstanceId.NotFound`.
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Service(e) => Some(&e.code),
            Error::DryRunPassed { .. } => Some("DryRunOperation"),
            _ => None,
        }
    }

    /// The HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Service(e) => Some(e.status),
            Error::UnexpectedResponse { status, .. } => Some(*status),
            _ => None,
        }
    }

    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Service(e) => e.request_id.as_deref(),
            Error::Decode { request_id, .. } | Error::DryRunPassed { request_id } => {
                request_id.as_deref()
            }
            _ => None,
        }
    }

    /// The troubleshooting URL the service suggested.
    pub fn recommend(&self) -> Option<&str> {
        self.service_error()?.recommend.as_deref()
    }

    pub fn is_dry_run_passed(&self) -> bool {
        matches!(self, Error::DryRunPassed { .. })
    }

    pub fn is_throttling(&self) -> bool {
        self.service_error()
            .is_some_and(ServiceError::is_throttling)
    }

    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// Whether retrying the same request could succeed (transient failure).
    /// Whether it is *safe* to retry also depends on the operation; the
    /// client's retry loop checks both.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport { .. } => true,
            Error::Timeout { kind, .. } => *kind != TimeoutKind::Operation,
            Error::Service(e) => e.is_retryable(),
            Error::UnexpectedResponse { status, .. } => is_retryable_status(*status),
            _ => false,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidRequest { operation, source } => write!(f, "{operation}: {source}"),
            Error::MissingParameter { operation, params } => {
                write!(
                    f,
                    "{operation}: missing required parameter(s): {}",
                    params.join(", ")
                )
            }
            Error::Decode {
                operation,
                path,
                message,
                snippet,
                request_id,
            } => {
                write!(
                    f,
                    "{operation}: cannot decode response at `{path}`: {message}"
                )?;
                if let Some(id) = request_id {
                    write!(f, " (RequestId {id})")?;
                }
                write!(f, "; body starts: {snippet}")
            }
            Error::InvalidInput { what, message } => write!(f, "invalid {what}: {message}"),
            Error::Config { message } => write!(f, "invalid client configuration: {message}"),
            Error::Credentials { provider, message } => {
                write!(f, "credentials ({provider}): {message}")
            }
            Error::Transport {
                operation, message, ..
            } => write!(f, "{operation}: transport error: {message}"),
            Error::Timeout {
                operation,
                kind,
                after,
            } => write!(f, "{operation}: {kind} timeout after {after:?}"),
            Error::Service(e) => e.fmt(f),
            Error::UnexpectedResponse {
                operation,
                status,
                content_type,
                snippet,
            } => {
                write!(f, "{operation}: HTTP {status} with a body that is not JSON")?;
                if let Some(ct) = content_type {
                    write!(f, " ({ct})")?;
                }
                write!(f, "; body starts: {snippet}")
            }
            Error::DryRunPassed { request_id } => {
                write!(f, "DryRunOperation: the dry run passed")?;
                if let Some(id) = request_id {
                    write!(f, " (RequestId {id})")?;
                }
                Ok(())
            }
            Error::Paging(e) => e.fmt(f),
        }
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
