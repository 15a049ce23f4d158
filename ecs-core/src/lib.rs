//! The hand-written core of ecs-rs.
//!
//! - [`Operation`]: what a generated operation declares (action, request,
//!   response, retry safety).
//! - [`query`]: the one serde `Serializer` that flattens a request into RPC
//!   query parameters (`Tag.1.Key`, `SystemDisk.Category`, JSON style).
//! - [`de`] / [`ser`]: the lenient field codecs every generated response uses.
//! - [`Error`]: the one error type.

mod client;
pub mod de;
mod error;
mod operation;
pub mod query;
pub mod ser;

pub use client::Client;
pub use error::Error;
pub use operation::{Operation, OperationInfo, RegionParam};

#[doc(hidden)]
pub use serde as __serde;
