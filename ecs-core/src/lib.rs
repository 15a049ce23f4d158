//! The hand-written core of ecs-rs.
//!
//! - [`ClientBuilder`] -> [`Config`] -> [`Client`]: settings checked, then
//!   the client that signs, sends, retries and decodes.
//! - [`endpoint`]: where requests go, from the API's table and template.
//! - [`Operation`], [`ApiInfo`]: what a generated crate declares (each
//!   operation's action, request, response and retry safety; the API's
//!   version, endpoints and operations).
//! - [`query`]: the one serde `Serializer` that flattens a request into RPC
//!   query parameters (`Tag.1.Key`, `SystemDisk.Category`, JSON style).
//! - [`de`] / [`ser`]: the lenient field codecs every generated response uses.
//! - [`signer`]: HMAC-SHA1 RPC (default) and `ACS3-HMAC-SHA256`.
//! - [`credentials`]: static keys, STS, and the default provider chain.
//! - [`retry`]: backoff, the shared retry budget, adaptive rate limiting.
//! - [`paginator`]: every page of a list operation as a `Stream`.
//! - [`waiter`]: polling until resources reach a state.
//! - [`Error`]: the one error type; errors from a call carry a
//!   [`CallContext`] (operation, host, status, attempts, time).

mod client;
mod config;
pub mod credentials;
pub mod de;
pub mod endpoint;
mod error;
mod operation;
pub mod paginator;
pub mod query;
pub mod retry;
pub mod ser;
pub mod signer;
mod transport;
mod unique;
mod utc;
pub mod waiter;

pub use client::{CallOptions, Client};
pub use config::{
    ClientBuilder, Config, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BODY,
    DEFAULT_OPERATION_TIMEOUT, DEFAULT_READ_TIMEOUT,
};
pub use credentials::{Credentials, Environment, ProvideCredentials};
pub use endpoint::{Endpoint, Network};
pub use error::{
    AccessDeniedDetail, CallContext, Error, RetryStop, ServiceError, SignatureMismatch, TimeLimit,
    TimeoutKind, MESSAGE_CHARS,
};
pub use operation::{ApiInfo, HasRequestId, Operation, OperationInfo, RegionParam};
pub use paginator::{Paginated, Paginator};
pub use retry::{AdaptiveRate, RetryBudget, RetryPolicy, RetryStats};
pub use signer::{SignatureVersion, Signer};
pub use waiter::{Wait, WaitError, Waitable, WaiterSpec};

/// The HTTP client the core runs on, for [`ClientBuilder::configure_http`]
/// (certificates, identities, proxies).
pub use reqwest;

#[doc(hidden)]
pub use serde as __serde;
