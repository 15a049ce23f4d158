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
