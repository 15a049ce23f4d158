//! The hand-written core of ecs-rs.
//!
//! - [`Client`] / [`ClientBuilder`]: config, endpoint resolution, signing,
//!   transport, retries, decoding.
//! - [`Operation`]: what a generated operation declares (action, request,
//!   response, retry safety).
//! - [`query`]: the one serde `Serializer` that flattens a request into RPC
//!   query parameters (`Tag.1.Key`, `SystemDisk.Category`, JSON style).
//! - [`de`] / [`ser`]: the lenient field codecs every generated response uses.
//! - [`signer`]: HMAC-SHA1 RPC (default) and `ACS3-HMAC-SHA256`.
//! - [`credentials`]: static keys, STS, and the default provider chain.
//! - [`paginator`]: every page of a list operation as a `Stream`.
//! - [`waiter`]: polling until resources reach a state.
//! - [`Error`]: the one error type.

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
mod utc;
pub mod waiter;

pub use client::{CallOptions, Client};
pub use config::{
    ClientBuilder, DEFAULT_API_VERSION, DEFAULT_CONNECT_TIMEOUT, DEFAULT_OPERATION_TIMEOUT,
    DEFAULT_READ_TIMEOUT,
};
pub use credentials::{Credentials, Environment, ProvideCredentials};
pub use endpoint::{Endpoint, Network};
pub use error::{AccessDeniedDetail, Error, ServiceError, SignatureMismatch, TimeoutKind};
pub use operation::{Operation, OperationInfo, RegionParam};
pub use paginator::{Paginated, Paginator};
pub use retry::RetryPolicy;
pub use signer::{SignatureVersion, Signer};
pub use waiter::{Wait, WaitError, Waitable, WaiterSpec};

#[doc(hidden)]
pub use serde as __serde;
