//! Every Alibaba Cloud ECS (API 2014-05-26) operation as typed Rust,
//! generated from Alibaba's OpenAPI metadata by `cargo xtask regen`.
//!
//! Each operation has a module (`ecs_api::describe_instances`) with its
//! request and response types, and a method on [`Client`]
//! (`client.describe_instances(request)`). Operations are grouped into Cargo
//! features by the metadata's directory tree; `default` enables all of them.

#[rustfmt::skip]
mod client;
#[rustfmt::skip]
pub mod operations;
#[rustfmt::skip]
pub mod ops;

pub use client::Client;
pub use ecs_core;
pub use operations::{ENDPOINTS, FEATURES, OPERATIONS, PRODUCT, VERSION};
#[allow(unused_imports)] // empty when every feature is off
pub use ops::*;
