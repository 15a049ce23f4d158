//! Error replies in Alibaba's shape (protocol.md, section 4).
//!
//! Codes and message wording follow what the service answers:
//! - `MissingParameter`: `The input parameter "CommandId" that is mandatory
//!   for processing this request is not supplied.` (a real ECS reply quoted
//!   in teamssix/cf#211; 71 ECS operations list the code in `errorCodes`).
//! - `UnsupportedParameter`: `The parameter "X" is not supported.` (the
//!   common client error table, help.aliyun.com/document_detail/51132).
//! - `InvalidParameter`: `The specified parameter "InternetMaxBandwidthIn"
//!   is not valid` (a real ECS reply quoted in alibaba/alibaba.alicloud#140).
//! - `InvalidParameter.Malformed`: the same wording, for values that are not
//!   in the wire form at all (ECS `errorCodes`, e.g. `DiskDeviceMapping.n.Device`).
//! - `InvalidAction.NotFound` (404): the gateway's "Specified api is not
//!   found, please check your url and method." (developer.aliyun.com/ask/278265).

use super::respond::request_id;
use super::Reply;
use serde_json::json;
use std::fmt;

/// The host that answers, as the service reports it in `HostId`.
pub const HOST_ID: &str = "ecs.aliyuncs.com";

/// Why the simulator refused a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// The action is not an operation of the API.
    UnknownAction(String),
    /// A required parameter (or a required field of a present item) is absent.
    Missing(String),
    /// No metadata parameter answers to this name.
    Unsupported(String),
    /// The value or name is not in the wire form (bad JSON, list indices).
    Malformed { name: String, reason: String },
    /// The value has the wrong type or breaks a limit.
    Invalid { name: String, reason: String },
}

impl Rejection {
    pub fn code(&self) -> &'static str {
        match self {
            Rejection::UnknownAction(_) => "InvalidAction.NotFound",
            Rejection::Missing(_) => "MissingParameter",
            Rejection::Unsupported(_) => "UnsupportedParameter",
            Rejection::Malformed { .. } => "InvalidParameter.Malformed",
            Rejection::Invalid { .. } => "InvalidParameter",
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            Rejection::UnknownAction(_) => 404,
            _ => 400,
        }
    }

    /// The reply the service sends for this rejection.
    pub fn reply(&self) -> Reply {
        error_reply(self.status(), self.code(), &self.to_string())
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejection::UnknownAction(_) => {
                write!(f, "Specified api is not found, please check your url and method.")
            }
            Rejection::Missing(name) => write!(
                f,
                "The input parameter \"{name}\" that is mandatory for processing this request is not supplied."
            ),
            Rejection::Unsupported(name) => write!(f, "The parameter \"{name}\" is not supported."),
            // The service's sentence, then why, so a failing test says what to fix.
            Rejection::Malformed { name, reason } | Rejection::Invalid { name, reason } => {
                write!(f, "The specified parameter \"{name}\" is not valid. {reason}")
            }
        }
    }
}

/// What the service answers a dry run that would succeed: an error, so a
/// client that forgot it asked for one does not take it for the real thing.
pub fn dry_run_passed() -> Reply {
    error_reply(
        400,
        "DryRunOperation",
        "Request validation has been passed with DryRun flag set.",
    )
}

/// Whether `params` ask for a dry run (`DryRun=true`).
pub fn is_dry_run<K: AsRef<str>, V: AsRef<str>>(params: &[(K, V)]) -> bool {
    params
        .iter()
        .any(|(k, v)| k.as_ref() == "DryRun" && v.as_ref().eq_ignore_ascii_case("true"))
}

/// An error body with every field the SDKs read: `RequestId`, `HostId`,
/// `Code`, `Message`, `Recommend`. The server reuses it for its own errors
/// (signature, throttling).
pub fn error_reply(status: u16, code: &str, message: &str) -> Reply {
    Reply {
        status,
        body: json!({
            "RequestId": request_id(),
            "HostId": HOST_ID,
            "Code": code,
            "Message": message,
            "Recommend": format!("https://next.api.aliyun.com/troubleshoot?q={code}&product=Ecs"),
        }),
    }
}

/// Why the gateway refused a request before looking at its operation:
/// the envelope, the key, the signature, the nonce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The path is not `/`.
    PathNotFound,
    InvalidVersion,
    /// `SignatureMethod`/`SignatureVersion` other than `HMAC-SHA1`/`1.0`.
    InvalidSignatureMethod,
    /// `Format` other than `JSON` or `XML`.
    InvalidFormat,
    /// A timestamp not in `YYYY-MM-DDThh:mm:ssZ`.
    InvalidTimestamp,
    AccessKeyNotFound,
    /// A security token absent, extra, or not the key's.
    SecurityTokenMismatch,
    /// A malformed `Authorization` header or an unsigned header that must be signed.
    IncompleteSignature(String),
    /// `x-acs-content-sha256` is not the SHA-256 of the body.
    ContentSha256Mismatch,
    /// The signature differs; carries what the server signed.
    SignatureMismatch {
        string_to_sign: String,
    },
    NonceUsed,
}

impl Refusal {
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::PathNotFound => "InvalidAction.NotFound",
            Refusal::InvalidVersion => "InvalidVersion",
            Refusal::InvalidSignatureMethod => "InvalidParameter.SignatureMethod",
            Refusal::InvalidFormat => "InvalidParameter.Format",
            Refusal::InvalidTimestamp => "InvalidTimeStamp.Format",
            Refusal::AccessKeyNotFound => "InvalidAccessKeyId.NotFound",
            Refusal::SecurityTokenMismatch => "InvalidSecurityToken.MismatchWithAccessKey",
            Refusal::IncompleteSignature(_) => "IncompleteSignature",
            Refusal::ContentSha256Mismatch | Refusal::SignatureMismatch { .. } => {
                "SignatureDoesNotMatch"
            }
            Refusal::NonceUsed => "SignatureNonceUsed",
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            Refusal::PathNotFound | Refusal::AccessKeyNotFound => 404,
            _ => 400,
        }
    }

    /// The reply the service sends for this refusal.
    pub fn reply(&self) -> Reply {
        error_reply(self.status(), self.code(), &self.to_string())
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::PathNotFound => f.write_str(
                "Specified api is not found, please check your url and method. The request path must be `/`.",
            ),
            Refusal::InvalidVersion => f.write_str("Specified parameter Version is not valid."),
            Refusal::InvalidSignatureMethod => {
                f.write_str("Specified signature method or version is not supported.")
            }
            Refusal::InvalidFormat => f.write_str("Specified parameter Format is not valid."),
            Refusal::InvalidTimestamp => {
                f.write_str("Specified time stamp or date value is not well formatted.")
            }
            Refusal::AccessKeyNotFound => f.write_str("Specified access key is not found."),
            Refusal::SecurityTokenMismatch => {
                f.write_str("Specified SecurityToken mismatch with the AccessKey.")
            }
            Refusal::IncompleteSignature(why) => write!(
                f,
                "The request signature does not conform to Aliyun standards. {why}"
            ),
            Refusal::ContentSha256Mismatch => f.write_str(
                "Specified signature is not matched with our calculation. x-acs-content-sha256 is not the SHA-256 of the request body.",
            ),
            Refusal::SignatureMismatch { string_to_sign } => write!(
                f,
                "Specified signature is not matched with our calculation. server string to sign is:{string_to_sign}"
            ),
            Refusal::NonceUsed => f.write_str("Specified signature nonce was used already."),
        }
    }
}
