//! A local ECS simulator driven by the pinned OpenAPI metadata: it checks
//! each request the way the real service does (either signature, the
//! common parameters, the operation's parameters) and answers from the
//! stateful [`Cloud`](crate::cloud::Cloud), else with the operation's
//! example from the metadata. [`Catalog::handle`] is pure; [`Simulator`]
//! serves everything over HTTP.
//!
//! - `launch`: [`Simulator`] and its builder.
//! - `request`: [`RecordedRequest`], a request as received.
//! - `gateway`: one request through the service's checks, HTTP-free.
//! - `http`: the hyper server.
//! - [`auth`]: the RPC HMAC-SHA1 and `ACS3-HMAC-SHA256` verification.
//! - [`encoding`]: query and form decoding, Alibaba's percent-encoding.
//! - [`faults`]: injected and standing faults; `admin`: `/_simulator/`.
//! - [`metadata`]: finding (or downloading) the metadata.
//! - [`cli`]: the `ecs-simulator` command line.
//! - `catalog`: operations indexed by name, loading, [`Catalog::handle`].
//! - `validate`: names, lists, required fields, values; a received name
//!   (`Tag.1.Key`) is mapped back to its metadata parameter by
//!   [`ecs_rs_metadata::Params::resolve`].
//! - `respond`: success bodies (metadata example, else synthesized);
//!   `xml`: the same as XML.
//! - `errors`: error codes and bodies.
//! - `sample`: the smallest correct request for an operation.

mod admin;
pub mod auth;
mod catalog;
pub mod cli;
pub mod encoding;
mod errors;
pub mod faults;
mod gateway;
mod http;
mod launch;
pub mod metadata;
mod request;
mod respond;
mod sample;
mod validate;
mod xml;

pub use catalog::{Catalog, CatalogError, DocumentedError};
pub use errors::{dry_run_passed, error_reply, is_dry_run, Refusal, Rejection};
pub use faults::{Fault, FaultPatch, FaultSettings};
pub use launch::{
    Simulator, SimulatorBuilder, SimulatorError, ACCESS_KEY_ID, ACCESS_KEY_SECRET, DEFAULT_REGION,
};
pub use metadata::{MetadataError, MetadataSource};
pub use request::RecordedRequest;
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
