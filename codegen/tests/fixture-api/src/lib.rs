//! Generated from `codegen/tests/fixtures/quirks.json` by `cargo xtask regen`.

#[rustfmt::skip]
mod client;
#[rustfmt::skip]
mod operations;
#[rustfmt::skip]
mod ops;

pub use client::Client;
pub use operations::{Feature, ENDPOINTS, FEATURES, OPERATIONS, PRODUCT, VERSION};
pub use ops::*;
