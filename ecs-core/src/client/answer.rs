//! What an answer means: a decoded value, a service error, a garbled or
//! missing answer. Everything shown to people is bounded and has its
//! secrets (security token, signature) redacted.

use super::Client;
use crate::error::{
    snippet, AccessDeniedDetail, CallContext, ServiceError, SignatureMismatch, MESSAGE_CHARS,
};
use crate::signer::{redact, SignedRequest};
use crate::transport::{parse_retry_after, Failure, RawResponse};
use crate::{Error, TimeoutKind};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::time::Duration;

/// Characters of a body kept in error messages.
const SNIPPET_CHARS: usize = 512;

/// The error document (either key casing is accepted).
#[derive(Deserialize)]
struct ErrorBody {
    #[serde(alias = "code")]
    #[serde(rename = "Code")]
    code: Option<String>,
    #[serde(alias = "message")]
    #[serde(rename = "Message")]
    message: Option<String>,
    #[serde(alias = "requestId")]
    #[serde(rename = "RequestId")]
    request_id: Option<String>,
    #[serde(rename = "HostId")]
    host_id: Option<String>,
    #[serde(rename = "Recommend")]
    recommend: Option<String>,
    #[serde(alias = "accessDeniedDetail")]
    #[serde(rename = "AccessDeniedDetail")]
    access_denied_detail: Option<AccessDeniedDetail>,
    /// Milliseconds, as in the `x-acs-retry-after` header.
    #[serde(alias = "retryAfter")]
    #[serde(rename = "RetryAfter")]
    retry_after: Option<serde_json::Value>,
}

/// Why a success body did not decode.
pub(super) enum BadAnswer {
    /// Not (complete) JSON: a proxy's page, a cut connection.
    NotJson,
    /// JSON whose shape does not fit the response type, or text that is
    /// not UTF-8, at `path`.
    Shape { path: String, message: String },
}

/// Decodes a success body (blank counts as `{}`). Its bytes are checked
/// for UTF-8 once, in place, with SIMD (one pass over the whole body is
/// cheaper than a check per string), and decoded as text with nothing tracked on the
/// way: only a body that fails is decoded again, with path tracking, to
/// name the JSON path of the mismatch.
pub(super) fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, BadAnswer> {
    let checked = match simdutf8::basic::from_utf8(body) {
        Ok(text) => Ok(text),
        // std's check again, for where the bad byte is.
        Err(_) => std::str::from_utf8(body),
    };
    let text = match checked {
        Ok(text) if text.trim().is_empty() => "{}",
        Ok(text) => text,
        Err(bad) => return not_utf8(body, bad),
    };
    match serde_json::from_str(text) {
        Ok(value) => Ok(value),
        Err(e) if e.is_syntax() || e.is_eof() => Err(BadAnswer::NotJson),
        Err(e) => Err(located::<T>(body, e.to_string())),
    }
}

/// A body that is not UTF-8, decoded from its bytes: fine when the bad
/// bytes are in values the type does not read; else not JSON at all (a
/// proxy's page in another charset), or a bad value named by its path.
#[cold]
fn not_utf8<T: DeserializeOwned>(body: &[u8], bad: std::str::Utf8Error) -> Result<T, BadAnswer> {
    match serde_json::from_slice(body) {
        Ok(value) => Ok(value),
        Err(_) if !is_json(body) => Err(BadAnswer::NotJson),
        Err(_) => Err(located::<T>(
            body,
            format!(
                "the answer is not UTF-8 (an invalid byte at offset {})",
                bad.valid_up_to()
            ),
        )),
    }
}

/// Whether `body` is one JSON document, its strings' UTF-8 unchecked.
#[cold]
fn is_json(body: &[u8]) -> bool {
    serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok()
}

/// A failed decode again, with path tracking: where it fails, and why
/// (`message`, unless the tracked decode says more).
#[cold]
fn located<T: DeserializeOwned>(body: &[u8], message: String) -> BadAnswer {
    let mut de = serde_json::Deserializer::from_slice(body);
    let (path, why) = match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Err(e) => (e.path().to_string(), e.into_inner()),
        Ok(_) => {
            return BadAnswer::Shape {
                path: ".".into(),
                message,
            }
        }
    };
    let message = if why.is_syntax() {
        message
    } else {
        why.to_string()
    };
    BadAnswer::Shape { path, message }
}

/// The error for a success body that did not decode.
pub(super) fn bad_answer(
    call: Box<CallContext>,
    raw: &RawResponse,
    bad: BadAnswer,
    token: Option<&str>,
) -> Error {
    let snippet = body_snippet(&raw.body, token);
    match bad {
        BadAnswer::NotJson => Error::UnexpectedResponse {
            call,
            content_type: raw.content_type(),
            snippet,
            truncated: false,
            retry_after: raw.retry_after,
        },
        BadAnswer::Shape { path, message } => Error::Decode {
            call,
            path,
            message,
            snippet,
            request_id: request_id(&raw.body),
        },
    }
}

/// The error for a non-2xx answer.
pub(super) fn error_answer(
    call: Box<CallContext>,
    raw: RawResponse,
    signed: &SignedRequest,
    token: Option<&str>,
) -> Error {
    let Ok(body) = serde_json::from_slice::<ErrorBody>(&raw.body) else {
        return Error::UnexpectedResponse {
            call,
            snippet: body_snippet(&raw.body, token),
            content_type: raw.content_type(),
            truncated: false,
            retry_after: raw.retry_after,
        };
    };
    let code = body.code.unwrap_or_default();
    if code == "DryRunOperation" {
        return Error::DryRunPassed {
            call,
            request_id: body.request_id,
        };
    }
    let message = body.message.unwrap_or_default();
    let signature_mismatch = (code == "SignatureDoesNotMatch")
        .then(|| message.rsplit_once(':'))
        .flatten()
        .map(|(_, server)| {
            let ours = redact(&signed.string_to_sign, token);
            // A real string-to-sign is about as long as ours; more is noise.
            let max = (2 * ours.len()).max(4096);
            SignatureMismatch {
                server_string_to_sign: shown(server.trim(), token, max),
                client_string_to_sign: ours,
            }
        });
    let body_retry_after = body.retry_after.and_then(|v| match v {
        serde_json::Value::Number(n) => parse_retry_after(&n.to_string()),
        serde_json::Value::String(s) => parse_retry_after(&s),
        _ => None,
    });
    let error = ServiceError {
        status: raw.status,
        message: shown(&message, token, MESSAGE_CHARS),
        code: snippet(&code, MESSAGE_CHARS),
        request_id: body.request_id,
        host_id: body.host_id,
        recommend: body.recommend,
        access_denied_detail: body.access_denied_detail,
        retry_after: raw.retry_after.or(body_retry_after),
        signature_mismatch,
    };
    Error::Service {
        call,
        error: Box::new(error),
    }
}

/// The error for an attempt that got no usable answer.
pub(super) fn failure(
    call: Box<CallContext>,
    failure: Failure,
    client: &Client,
    attempt_timeout: Duration,
    token: Option<&str>,
) -> Error {
    let inner = &client.inner;
    let host_port = || inner.endpoint.host_port();
    match failure {
        Failure::Connect { message, dns: true } => {
            match inner
                .region
                .as_deref()
                .filter(|r| inner.routing.is_unlisted(r))
            {
                Some(region) => Error::UnknownRegion {
                    call,
                    region: region.to_string(),
                    suggestion: crate::endpoint::closest_region(region, inner.routing.table())
                        .map(str::to_string),
                    message: format!("(`{}` does not resolve: {message})", host_port()),
                },
                None => Error::Transport {
                    call,
                    message: format!("cannot resolve {}: {message}", host_port()),
                    sent: false,
                },
            }
        }
        Failure::Connect { message, .. } => Error::Transport {
            call,
            message: format!("cannot connect to {}: {message}", host_port()),
            sent: false,
        },
        Failure::ConnectTimeout => Error::Timeout {
            call,
            kind: TimeoutKind::Connect,
            after: inner.transport.connect_timeout(),
        },
        Failure::Broken { message } => Error::Transport {
            call,
            message: format!(
                "the connection to {} failed after the request was sent: {message}",
                host_port()
            ),
            sent: true,
        },
        Failure::Timeout { .. } => Error::Timeout {
            call,
            kind: TimeoutKind::Attempt,
            after: attempt_timeout,
        },
        Failure::Redirect { location, .. } => Error::Redirect {
            call,
            location: location.map(|l| shown(&l, token, SNIPPET_CHARS)),
        },
        Failure::TooLarge { content_length, .. } => Error::ResponseTooLarge {
            call,
            limit: inner.transport.max_body(),
            content_length,
        },
        Failure::Truncated {
            content_type,
            received,
            ..
        } => Error::UnexpectedResponse {
            call,
            content_type,
            snippet: body_snippet(&received, token),
            truncated: true,
            retry_after: None,
        },
    }
}

/// The start of a body for an error message, secrets redacted; bytes that
/// are not UTF-8 are shown as U+FFFD.
fn body_snippet(body: &[u8], token: Option<&str>) -> String {
    // What `shown` reads at most (a character is at most 4 bytes).
    let read = 4 * (SNIPPET_CHARS + margin(token));
    let text = String::from_utf8_lossy(&body[..body.len().min(read)]);
    let mut out = shown(&text, token, SNIPPET_CHARS);
    if body.len() > read && !out.ends_with('…') {
        out.push('…');
    }
    out
}

/// Characters read past a cut: room for a whole token, twice
/// percent-encoded (up to 9x), or a signature.
fn margin(token: Option<&str>) -> usize {
    9 * token.map_or(0, str::len) + 256
}

/// The first `max` characters of `text` with its secrets redacted; the cut
/// is made after redacting, so a secret straddling it is caught too.
pub(super) fn shown(text: &str, token: Option<&str>, max: usize) -> String {
    let head = match text.char_indices().nth(max + margin(token)) {
        Some((i, _)) => &text[..i],
        None => text,
    };
    let mut out = snippet(&redact(head, token), max);
    if head.len() < text.len() && !out.ends_with('…') {
        out.push('…');
    }
    out
}

/// The `RequestId` of a JSON body, if it has one (for errors; a decoded
/// answer gives its own).
pub(super) fn request_id(body: &[u8]) -> Option<String> {
    serde_json::from_slice::<ErrorBody>(body).ok()?.request_id
}
