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
    /// JSON whose shape does not fit the response type.
    Shape { path: String, message: String },
}

/// Decodes a success body (blank counts as `{}`), naming the JSON path of
/// any mismatch.
pub(super) fn decode<T: DeserializeOwned>(raw: &RawResponse) -> Result<T, BadAnswer> {
    let body = raw.body.as_str();
    let text = if body.trim().is_empty() { "{}" } else { body };
    let mut de = serde_json::Deserializer::from_str(text);
    match serde_path_to_error::deserialize(&mut de) {
        Ok(v) => de.end().map(|()| v).map_err(|_| BadAnswer::NotJson),
        Err(e) if e.inner().is_syntax() || e.inner().is_eof() => Err(BadAnswer::NotJson),
        Err(e) => Err(BadAnswer::Shape {
            path: e.path().to_string(),
            message: e.into_inner().to_string(),
        }),
    }
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
            content_type: raw.content_type.clone(),
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
    let Ok(body) = serde_json::from_str::<ErrorBody>(&raw.body) else {
        return Error::UnexpectedResponse {
            call,
            snippet: body_snippet(&raw.body, token),
            content_type: raw.content_type,
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
                    suggestion: crate::endpoint::closest_region(region, inner.routing.table)
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

/// The start of a body for an error message, secrets redacted.
fn body_snippet(body: &str, token: Option<&str>) -> String {
    shown(body, token, SNIPPET_CHARS)
}

/// The first `max` characters of `text` with its secrets redacted; the cut
/// is made after redacting, so a secret straddling it is caught too.
pub(super) fn shown(text: &str, token: Option<&str>, max: usize) -> String {
    // Room for a whole token, twice percent-encoded (up to 9x), or a signature.
    let margin = 9 * token.map_or(0, str::len) + 256;
    let head = match text.char_indices().nth(max + margin) {
        Some((i, _)) => &text[..i],
        None => text,
    };
    let mut out = snippet(&redact(head, token), max);
    if head.len() < text.len() && !out.ends_with('…') {
        out.push('…');
    }
    out
}

/// The `RequestId` of a JSON body, if it has one.
pub(super) fn request_id(body: &str) -> Option<String> {
    serde_json::from_str::<ErrorBody>(body).ok()?.request_id
}
