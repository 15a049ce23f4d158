//! Generated from `codegen/tests/fixtures/quirks.json` by `cargo xtask regen`.

mod client;
pub mod operations;
pub mod ops;

pub use client::Client;
pub use operations::{ENDPOINTS, FEATURES, OPERATIONS};
pub use ops::*;
