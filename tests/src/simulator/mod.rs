//! A local ECS simulator driven by the pinned OpenAPI metadata: it checks a
//! decoded RPC request against the operation's parameters the way the real
//! service does and answers with Alibaba-shaped bodies. [`Catalog::handle`]
//! is pure; [`Simulator`] serves it over HTTP.
//!
//! - [`catalog`]: operations indexed by name, loading, [`Catalog::handle`].
//! - [`wire`]: maps a received name (`Tag.1.Key`) back to a metadata parameter.
//! - [`validate`]: names, lists, required fields, values.
//! - [`respond`]: success bodies (metadata example, else synthesized).
//! - [`errors`]: error codes and bodies.
//! - [`sample`]: the smallest correct request for an operation.
//! - [`http`]: the gateway checks (signature, common parameters) and the server.

mod catalog;
mod errors;
mod http;
mod respond;
mod sample;
mod validate;
mod wire;

pub use catalog::{Catalog, CatalogError};
pub use errors::{error_reply, Rejection};
pub use http::{Fault, Simulator, ACCESS_KEY_ID, ACCESS_KEY_SECRET};
pub use respond::request_id;

use serde_json::Value;

/// Common RPC parameters (protocol.md, section 1): signing and routing
/// handle them, so operation validation skips them.
pub const COMMON_PARAMS: &[&str] = &[
    "Action",
    "Version",
    "Format",
    "AccessKeyId",
    "SignatureMethod",
    "SignatureVersion",
    "SignatureNonce",
    "Timestamp",
    "SecurityToken",
    "Signature",
];

/// What the simulated service answers: an HTTP status and a JSON body that
/// always carries a fresh `RequestId`.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
}

impl Reply {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The error `Code`, if this is an error reply.
    pub fn code(&self) -> Option<&str> {
        self.body.get("Code").and_then(Value::as_str)
    }

    pub fn message(&self) -> Option<&str> {
        self.body.get("Message").and_then(Value::as_str)
    }
}
