//! Test support for ecs-rs: a local HTTP server standing in for ECS (and
//! for the instance metadata service), and an independent signature check.
//!
//! - [`server`]: a real HTTP/1.1 server on 127.0.0.1 with programmable
//!   answers and fault injection, recording every request it receives.
//! - [`verify`]: recomputes an RPC HMAC-SHA1 signature from a raw query
//!   string, without using ecs-core's signer.

pub mod cloud;
pub mod server;
pub mod simulator;
pub mod verify;
