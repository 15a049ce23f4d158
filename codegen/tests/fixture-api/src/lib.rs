//! Generated from `codegen/tests/fixtures/quirks.json` by `cargo xtask regen`.

#[rustfmt::skip]
mod client;
#[rustfmt::skip]
pub mod operations;
#[rustfmt::skip]
pub mod ops;

pub use client::Client;
pub use operations::{ENDPOINTS, FEATURES, OPERATIONS};
#[allow(unused_imports)] // empty when every feature is off
pub use ops::*;
