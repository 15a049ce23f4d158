//! Every Alibaba Cloud ECS (API 2014-05-26) operation as typed Rust,
//! generated from Alibaba's OpenAPI metadata by `cargo xtask regen`.
//!
//! Each operation has a module (`ecs_api::describe_instances`) with its
//! request and response types, and a method on [`Client`]
//! (`client.describe_instances(request)`). Types several operations share
//! live once in [`types`] and are re-exported by each operation's module,
//! so `ecs_api::run_instances::Tag` and `ecs_api::types::Tag` are the same
//! type. Operations are grouped into Cargo features by the metadata's
//! directory tree ([`FEATURES`]); `default` enables all of them, and each
//! operation's page names its feature.
//!
//! Every paged list operation also has a paginator,
//! `client.describe_instances_paginator(request)` ([`paginators`] lists
//! them), and [`waiters`] holds the waiters, `client.wait_until_*(ids)`.
//!
//! The client's settings and errors come from `ecs-core` and are
//! re-exported here: [`ClientBuilder`], [`Credentials`], [`Network`],
//! [`SignatureVersion`], [`RetryPolicy`], [`CallOptions`], [`Error`].

#[rustfmt::skip]
mod client;
#[rustfmt::skip]
mod operations;
#[rustfmt::skip]
mod ops;

pub use client::Client;
pub use ecs_core;
pub use ecs_core::{
    CallOptions, ClientBuilder, Credentials, Error, Network, RetryPolicy, SignatureVersion,
};
pub use operations::{Feature, ENDPOINTS, FEATURES, OPERATIONS, PRODUCT, VERSION};
pub use ops::*;
